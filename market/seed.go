package market

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/amanat/amn/db"
)

// Seeded is one purchase request for Seed: what its buyer wrote (checked as CreateRequest checks
// it, at CreatedAt), when, and where it stands now.
type Seeded struct {
	ID        uuid.UUID
	Buyer     uuid.UUID
	Input     RequestInput
	CreatedAt time.Time
	// Status is Active, or a request closed without money: Cancelled (by its buyer) or Expired
	// (by the request timer), at ClosedAt.
	Status   Status
	ClosedAt time.Time
}

// Seed writes many requests at once by COPY, for benchmarks and demos only (bench/api seeds
// 100,000 with it; CreateRequest's two transactions a request would take minutes). Each row is
// what CreateRequest, the publication and the close would have written: the input checked the
// same way, the request row, and its timeline (create, publish, then cancel or expire) with every
// step checked against the status machine. It writes in one transaction; nothing else calls it.
func (s *Service) Seed(ctx context.Context, rs []Seeded) error {
	reqRows := make([][]any, 0, len(rs))
	evRows := make([][]any, 0, 3*len(rs))
	for i, r := range rs {
		req, evs, err := s.seedRows(r)
		if err != nil {
			return fmt.Errorf("market: seed %d: %w", i, err)
		}
		reqRows = append(reqRows, req)
		evRows = append(evRows, evs...)
	}
	return db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"market_requests"}, seedRequestColumns, pgx.CopyFromRows(reqRows)); err != nil {
			return err
		}
		_, err := tx.CopyFrom(ctx, pgx.Identifier{"market_events"}, seedEventColumns, pgx.CopyFromRows(evRows))
		return err
	})
}

var (
	seedRequestColumns = []string{"id", "buyer_id", "title", "description", "category", "product_type", "chain_key",
		"token_symbol", "budget_min", "budget_max", "urgency", "delivery", "visibility", "status", "expires_at",
		"created_at", "updated_at"}
	seedEventColumns = []string{"request_id", "seq", "event", "actor", "actor_id", "from_status", "to_status",
		"detail", "created_at"}
)

// seedRows is one Seeded's request row and its events, or why it could not have happened.
func (s *Service) seedRows(r Seeded) ([]any, [][]any, error) {
	at := r.CreatedAt.UTC().Truncate(time.Microsecond)
	c, err := s.check(r.Input, at)
	if err != nil {
		return nil, nil, err
	}
	if _, _, err := s.token(r.Input.ChainKey, r.Input.TokenSymbol); err != nil {
		return nil, nil, err
	}
	type step struct {
		ev    Event
		actor Actor
		at    time.Time
	}
	steps := []step{{EvPublish, ActorSystem, at}}
	switch r.Status {
	case Active:
	case Cancelled:
		steps = append(steps, step{EvCancel, ActorBuyer, r.ClosedAt})
	case Expired:
		steps = append(steps, step{EvExpire, ActorSystem, r.ClosedAt})
	default:
		return nil, nil, invalid("a seeded request is active, cancelled or expired, not %s", r.Status)
	}
	buyer := uuid.NullUUID{UUID: r.Buyer, Valid: true}
	evs := [][]any{{r.ID, int32(1), "create", string(ActorBuyer), buyer, nil, string(Pending), []byte("{}"), at}}
	status, updated := Pending, at
	for _, st := range steps {
		to, err := Next(status, st.ev, st.actor, "")
		if err != nil {
			return nil, nil, err
		}
		if st.at = st.at.UTC().Truncate(time.Microsecond); st.at.Before(updated) {
			return nil, nil, invalid("closed before it was created")
		}
		actor := uuid.NullUUID{}
		if st.actor == ActorBuyer {
			actor = buyer
		}
		evs = append(evs, []any{r.ID, int32(len(evs) + 1), string(st.ev), string(st.actor), actor, string(status),
			string(to), []byte("{}"), st.at})
		status, updated = to, st.at
	}
	in := c.in
	req := []any{r.ID, r.Buyer, in.Title, in.Description, in.Category, in.ProductType, in.ChainKey, in.TokenSymbol,
		db.Numeric(c.min), db.Numeric(c.max), in.Urgency, c.delivery, in.Visibility, string(status), c.expires, at, updated}
	return req, evs, nil
}

package market

import (
	"context"
	"fmt"
	"log/slog"
	"math/big"
	"slices"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/amanat/amn/market/internal/marketdb"
	"github.com/amanat/amn/payment"
)

// arrived lists the payment states that mean the buyer's money came (or came and already left
// through the escrow): funded at finality and everything past it. A payment in one of them that
// was paid late, or received less than its amount less the tolerance (a sweep or a dispute of an
// underpaid deposit), is not paid for the market.
var arrived = []payment.State{
	payment.Funded, payment.Overpaid, payment.Sweeping, payment.InEscrow, payment.ReleasePending,
	payment.Releasing, payment.RefundPending, payment.Refunding, payment.Disputed,
	payment.Released, payment.Refunded, payment.Reclaimed,
}

// paid reports whether p's money arrived in full, at finality and in time.
func paid(p *payment.Payment) bool {
	if !slices.Contains(arrived, p.State) || p.PaidLate || p.Received == nil || p.Amount == nil {
		return false
	}
	due := new(big.Int).Set(p.Amount)
	if p.Tolerance != nil {
		due.Sub(due, p.Tolerance)
	}
	return p.Received.Cmp(due) >= 0
}

// followEvent is the event p's state fires on a request in status s, if any (docs/market.md
// § Following the payment). A request awaiting its payment hears paid first; a later step is the
// next call's (Follow calls it until nothing is left).
func followEvent(s Status, p *payment.Payment) (Event, bool) {
	if s.Final() {
		return "", false
	}
	if s == Payment || s == PendingPayment {
		switch {
		case paid(p):
			return EvPaid, true
		case p.State == payment.Expired || p.State == payment.Late || p.PaidLate:
			return EvPaymentExpiry, true
		}
		return "", false
	}
	switch p.State {
	case payment.Released:
		return EvReleased, true
	case payment.Refunded, payment.Reclaimed:
		return EvRefunded, true
	case payment.Settled:
		return EvSettled, true
	}
	return "", false
}

// FollowResult counts what one Follow did.
type FollowResult struct {
	Fired   int       // events written
	Reasked int       // confirming requests whose stalled release was asked for again
	Refused []Refusal // events the status machine refused: nothing written (the worker logs them)
}

// Refusal is an event a payment's state called for that the status machine refused.
type Refusal struct {
	Request      uuid.UUID
	Status       Status
	PaymentState payment.State
	Event        Event
	Err          error
}

// Follow brings the requests that await or hold a payment in step with it, pages of limit
// requests at a time: each request whose payment moved hears the events its payment's state
// fires (followEvent), as the system, in one transaction per request under its row lock. Running
// it again changes nothing.
func (s *Service) Follow(ctx context.Context, limit int) (FollowResult, error) {
	var res FollowResult
	after := uuid.Nil
	for {
		rows, err := s.q.FollowingRequests(ctx, marketdb.FollowingRequestsParams{AfterID: after, Lim: int32(limit)})
		if err != nil || len(rows) == 0 {
			return res, err
		}
		ids := make([]uuid.UUID, 0, len(rows))
		for _, r := range rows {
			ids = append(ids, r.PaymentID.UUID)
		}
		pays, err := getMany(ctx, s.payments.GetMany, ids)
		if err != nil {
			return res, err
		}
		for _, r := range rows {
			p, ok := pays[r.PaymentID.UUID]
			if !ok { // the foreign key forbids it; were it to happen, report it and follow the others
				res.Refused = append(res.Refused, Refusal{Request: r.ID, Err: fmt.Errorf("%w: %s", payment.ErrNotFound, r.PaymentID.UUID)})
				continue
			}
			if err := s.followOne(ctx, r.ID, p, &res); err != nil {
				return res, err
			}
		}
		if len(rows) < limit {
			return res, nil
		}
		after = rows[len(rows)-1].ID
	}
}

// getMany calls payment's GetMany with uuids: its id type (ledger's, which market must not
// import) is inferred from get.
func getMany[K ~[16]byte](ctx context.Context, get func(context.Context, []K) (map[K]*payment.Payment, error),
	ids []uuid.UUID) (map[uuid.UUID]*payment.Payment, error) {
	keys := make([]K, len(ids))
	for i, id := range ids {
		keys[i] = K(id)
	}
	got, err := get(ctx, keys)
	out := make(map[uuid.UUID]*payment.Payment, len(got))
	for k, p := range got {
		out[uuid.UUID(k)] = p
	}
	return out, err
}

// followOne fires, under the request's row lock, the events its payment's state fires on its
// current status, at most two (paid, then released or refunded).
func (s *Service) followOne(ctx context.Context, id uuid.UUID, p *payment.Payment, res *FollowResult) error {
	fired, reasked, refused := 0, false, []Refusal(nil)
	err := s.inTx(ctx, func(tx pgx.Tx, q *marketdb.Queries) error {
		fired, reasked, refused = 0, false, nil
		m, err := lockRequest(ctx, q, id)
		if err != nil {
			return err
		}
		if !m.PaymentID.Valid || m.PaymentID.UUID != uuid.UUID(p.ID) {
			return nil // not this payment's any more
		}
		sellerOf := func(offer uuid.UUID) (uuid.UUID, error) {
			o, err := q.OfferByID(ctx, offer)
			return o.SellerID, err
		}
		if err := s.watch(ctx, tx, m.BuyerID, m.ID, m.AcceptedOffer, sellerOf, p); err != nil {
			return err
		}
		for range 2 {
			ev, ok := followEvent(Status(m.Status), p)
			if !ok {
				return s.reaskRelease(ctx, tx, &m, p, &reasked)
			}
			if _, err := Next(Status(m.Status), ev, ActorSystem, ""); err != nil {
				refused = append(refused, Refusal{Request: id, Status: Status(m.Status), PaymentState: p.State, Event: ev, Err: err})
				return nil
			}
			detail := map[string]any{"payment": uuid.UUID(p.ID), "payment_state": p.State}
			if err := s.fire(ctx, q, &m, ev, ActorSystem, uuid.Nil, detail); err != nil {
				return err
			}
			if err := s.tell(ctx, tx, q, &m, ev, p, 0); err != nil {
				return err
			}
			fired++
		}
		return nil
	})
	if err != nil {
		return err
	}
	res.Fired += fired
	if reasked {
		res.Reasked++
	}
	res.Refused = append(res.Refused, refused...)
	return nil
}

// reaskRelease inserts, in tx, a new market_release for a confirming request whose release
// stalled: its payment is back in escrow (the release transaction reverted, a dispute resolved
// back) or waits in release_pending with no open release intent (it expired or was rejected).
// While a release job waits or runs the insert is skipped (ReleaseArgs.InsertOpts).
func (s *Service) reaskRelease(ctx context.Context, tx pgx.Tx, m *marketdb.MarketRequest, p *payment.Payment, reasked *bool) error {
	if Status(m.Status) != Confirming {
		return nil
	}
	switch p.State {
	case payment.InEscrow:
	case payment.ReleasePending:
		if s.releases == nil {
			return nil
		}
		open, err := s.releases.HasOpenRelease(ctx, uuid.UUID(p.ID))
		if err != nil || open {
			return err
		}
	default:
		return nil
	}
	res, err := s.jobs.InsertTx(ctx, tx, ReleaseArgs{RequestID: m.ID, PaymentID: uuid.UUID(p.ID)}, nil)
	if err != nil {
		return err
	}
	*reasked = !res.UniqueSkippedAsDuplicate
	return nil
}

// WithOpenReleases returns a copy of s whose Follow also asks again for a confirming request's
// release stuck in release_pending with no open intent (without it, only one back in escrow).
func (s *Service) WithOpenReleases(o OpenReleases) *Service {
	c := *s
	c.releases = o
	return &c
}

// FollowArgs is the periodic job that keeps requests in step with their payments.
type FollowArgs struct{}

// Kind is the job's stable name.
func (FollowArgs) Kind() string { return "market_follow" }

// InsertOpts keep at most one such job waiting or running.
func (FollowArgs) InsertOpts() river.InsertOpts { return ExpireArgs{}.InsertOpts() }

// FollowWorker runs Follow.
type FollowWorker struct {
	river.WorkerDefaults[FollowArgs]
	Market *Service
	Log    *slog.Logger
}

// Work follows every request that awaits or holds a payment, 500 a page, and logs the refusals.
func (w *FollowWorker) Work(ctx context.Context, _ *river.Job[FollowArgs]) error {
	r, err := w.Market.Follow(ctx, 500)
	for _, x := range r.Refused {
		w.Log.Warn("market: a payment's event is refused", "request", x.Request, "status", x.Status,
			"payment_state", x.PaymentState, "event", x.Event, "err", x.Err)
	}
	if r.Fired > 0 || r.Reasked > 0 {
		w.Log.Info("market: requests followed their payments", "fired", r.Fired, "release_reasked", r.Reasked, "refused", len(r.Refused))
	}
	return err
}

package market_test

import (
	"context"
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/amanat/amn/kind"
	"github.com/amanat/amn/market"
)

// legacyDeal imports (as the importer does, with the owner login) a legacy request in status st
// with an accepted legacy offer of seller's: a deal of the old backend, no payment here.
func (w *world) legacyDeal(t *testing.T, buyer, seller market.Caller, st market.Status) uuid.UUID {
	t.Helper()
	ctx := context.Background()
	id, offer := uuid.New(), uuid.New()
	now := time.Now().UTC()
	var delivered *time.Time
	if st == market.Delivered {
		delivered = &now
	}
	err := pgx.BeginFunc(ctx, w.owner, func(tx pgx.Tx) error {
		if err := market.ImportRequest(ctx, tx, market.ImportedRequest{ID: id, Buyer: buyer.UserID, Title: "An old lamp",
			Description: "From the legacy backend", Category: "home", ProductType: "physical_product", ChainKey: "bsc",
			TokenSymbol: "USDT", BudgetMin: big.NewInt(1), BudgetMax: big.NewInt(9_000_000),
			Delivery: market.DeliveryTo{Kind: "online"}, Status: st, DeliveredAt: delivered,
			ExpiresAt: now.Add(24 * time.Hour), CreatedAt: now, UpdatedAt: now}); err != nil {
			return err
		}
		return market.ImportOffer(ctx, tx, market.ImportedOffer{ID: offer, Request: id, Seller: seller.UserID,
			Status: "accepted", Price: big.NewInt(8_000_000), DeliveryDays: 3, ValidUntil: now, CreatedAt: now, UpdatedAt: now})
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// Review of #21: an imported in-progress deal has no payment here, so none of its steps happens
// here — ship, deliver, confirm, dispute, resume, replace — each refused with a conflict, and the
// request stays where it was.
func TestLegacyDealStepsAreRefused(t *testing.T) {
	w := newWorld(t, nil)
	ctx := context.Background()
	buyer, seller := w.user(t), w.user(t)
	admin := market.Caller{UserID: uuid.New(), Admin: true}
	steps := []struct {
		name string
		from market.Status
		do   func(id uuid.UUID) error
	}{
		{"ship", market.Processing, func(id uuid.UUID) error {
			_, err := w.m.Ship(ctx, seller, id, market.ShipInput{Note: "sent"})
			return err
		}},
		{"deliver", market.Delivery, func(id uuid.UUID) error { _, err := w.m.Deliver(ctx, seller, id); return err }},
		{"confirm", market.Delivered, func(id uuid.UUID) error { _, err := w.m.Confirm(ctx, buyer, id); return err }},
		{"confirm as admin", market.Delivery, func(id uuid.UUID) error { _, err := w.m.Confirm(ctx, admin, id); return err }},
		{"dispute", market.Processing, func(id uuid.UUID) error {
			return pgx.BeginFunc(ctx, w.owner, func(tx pgx.Tx) error { _, err := w.m.DisputeTx(ctx, tx, buyer, id); return err })
		}},
		{"dispute delivered", market.Delivered, func(id uuid.UUID) error {
			return pgx.BeginFunc(ctx, w.owner, func(tx pgx.Tx) error { _, err := w.m.DisputeTx(ctx, tx, seller, id); return err })
		}},
		{"resume", market.Disputed, func(id uuid.UUID) error {
			return pgx.BeginFunc(ctx, w.owner, func(tx pgx.Tx) error {
				_, err := w.m.ResumeTx(ctx, tx, id, market.ActorAdmin, admin.UserID)
				return err
			})
		}},
		{"replace", market.Disputed, func(id uuid.UUID) error {
			return pgx.BeginFunc(ctx, w.owner, func(tx pgx.Tx) error { _, err := w.m.ReplaceTx(ctx, tx, id, admin.UserID, 3); return err })
		}},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			id := w.legacyDeal(t, buyer, seller, st.from)
			err := st.do(id)
			if !errors.Is(err, market.ErrLegacyDeal) || !errors.Is(err, kind.Conflict) {
				t.Fatalf("%s on a legacy deal: %v, want ErrLegacyDeal (a conflict)", st.name, err)
			}
			var status string
			var events int
			if err := w.owner.QueryRow(ctx, `SELECT status, (SELECT count(*) FROM market_events WHERE request_id = $1)
				FROM market_requests WHERE id = $1`, id).Scan(&status, &events); err != nil {
				t.Fatal(err)
			}
			if market.Status(status) != st.from || events != 0 {
				t.Fatalf("the legacy deal moved: %s with %d events, want %s and none", status, events, st.from)
			}
		})
	}
	// A stranger still learns nothing of it (not found before the legacy check).
	id := w.legacyDeal(t, buyer, seller, market.Processing)
	if _, err := w.m.Ship(ctx, w.user(t), id, market.ShipInput{Note: "x"}); !errors.Is(err, market.ErrNotFound) {
		t.Fatalf("a stranger shipping a legacy deal: %v, want not found", err)
	}
}

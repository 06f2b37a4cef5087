package market_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/amanat/amn/market"
)

// TestSeedWritesWhatTheRequestPathWouldHave seeds an open, a cancelled and an expired request and
// reads them back through the service: the same rows and timelines CreateRequest, the publication
// and the close would have written; a bad seed writes nothing at all.
func TestSeedWritesWhatTheRequestPathWouldHave(t *testing.T) {
	w := newWorld(t, nil)
	ctx := context.Background()
	buyer := w.user(t)
	now := time.Now()
	seeds := []market.Seeded{
		{ID: uuid.New(), Buyer: buyer.UserID, Input: input(), CreatedAt: now.Add(-time.Hour), Status: market.Active},
		{ID: uuid.New(), Buyer: buyer.UserID, Input: input(), CreatedAt: now.Add(-2 * time.Hour), Status: market.Cancelled, ClosedAt: now.Add(-time.Hour)},
		{ID: uuid.New(), Buyer: buyer.UserID, Input: input(), CreatedAt: now.Add(-40 * 24 * time.Hour), Status: market.Expired, ClosedAt: now.Add(-10 * 24 * time.Hour)},
	}
	if err := w.m.Seed(ctx, seeds); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"create:buyer:>pending publish:system:pending>active",
		"create:buyer:>pending publish:system:pending>active cancel:buyer:active>cancelled",
		"create:buyer:>pending publish:system:pending>active expire:system:active>expired",
	}
	for i, s := range seeds {
		if got := w.events(t, s.ID); got != want[i] {
			t.Errorf("seed %d: events %q, want %q", i, got, want[i])
		}
	}
	d, err := w.m.RequestDetail(ctx, buyer, seeds[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if r := d.Request; r.Status != market.Active || r.Delivery.Address == nil || r.BudgetMax.String() != "200000000000000000000" ||
		!r.CreatedAt.Equal(seeds[0].CreatedAt.UTC().Truncate(time.Microsecond)) || time.Until(r.ExpiresAt) < 28*24*time.Hour {
		t.Fatalf("seeded request reads back as %+v", r)
	}
	if _, err := w.m.PublicRequest(ctx, seeds[1].ID); err == nil {
		t.Fatal("a cancelled seeded request is public")
	}

	// Bad seeds: input CreateRequest refuses, a status seeding does not make, a close before the
	// creation. Each refuses the whole call, the good row beside it included.
	bad := input()
	bad.Title = "x"
	for name, s := range map[string]market.Seeded{
		"bad input":    {Input: bad, Status: market.Active},
		"status":       {Input: input(), Status: market.Completed},
		"closed early": {Input: input(), Status: market.Cancelled, ClosedAt: now.Add(-3 * time.Hour)},
	} {
		s.ID, s.Buyer, s.CreatedAt = uuid.New(), buyer.UserID, now.Add(-2*time.Hour)
		good := market.Seeded{ID: uuid.New(), Buyer: buyer.UserID, Input: input(), CreatedAt: now, Status: market.Active}
		wantKind(t, name, w.m.Seed(ctx, []market.Seeded{good, s}), market.ErrInvalid)
		if _, err := w.m.PublicRequest(ctx, good.ID); err == nil {
			t.Fatalf("%s: the good seed beside the bad one was written", name)
		}
	}
}

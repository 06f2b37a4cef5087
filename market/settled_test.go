package market_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/amanat/amn/db"
	"github.com/amanat/amn/db/dbtest"
	"github.com/amanat/amn/jobs"
	"github.com/amanat/amn/ledger"
	"github.com/amanat/amn/market"
	"github.com/amanat/amn/payment"
	"github.com/amanat/amn/points"
)

// eventually polls cond until it holds, for up to a minute: Settled holds events back while any
// older transaction of the cluster runs, and tests of other packages run beside these.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(time.Minute); !cond(); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within a minute", what)
		}
	}
}

// settledOf is what Settled reports of the given requests, from the start.
func settledOf(t *testing.T, f *market.Service, ids ...uuid.UUID) map[uuid.UUID]market.Settled {
	t.Helper()
	all, err := f.Settled(context.Background(), market.SettledCursor{}, 1000)
	if err != nil {
		t.Fatal(err)
	}
	out := map[uuid.UUID]market.Settled{}
	for _, s := range all {
		for _, id := range ids {
			if s.Request == id {
				if _, dup := out[id]; dup {
					t.Fatalf("request %s settled twice", id)
				}
				out[id] = s
			}
		}
	}
	return out
}

// A released deal is settled as completed with its parties, amount and decimals; a refunded one
// as cancelled; a deal still in escrow is not settled.
func TestSettledReportsReleasesAndRefunds(t *testing.T) {
	w, c, f := newWorld(t, nil), roles(t), follower(t)
	ctx := context.Background()
	r1, p1 := w.accepted(t, 3_000_000)
	r2, p2 := w.accepted(t, 4_000_000)
	r3, p3 := w.accepted(t, 5_000_000)
	for _, p := range []*payment.Payment{p1, p2, p3} {
		c.deposit(t, p, p.Amount.Int64(), payment.Funded)
		c.escrow(t, p)
	}
	if _, err := c.indexer.Released(ctx, p1.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.indexer.Refunded(ctx, p2.ID); err != nil {
		t.Fatal(err)
	}
	follow(t, f, 10, 5)
	var got map[uuid.UUID]market.Settled
	eventually(t, "settled", func() bool { got = settledOf(t, f, r1.ID, r2.ID, r3.ID); return len(got) == 2 })
	var seller uuid.UUID
	if err := w.owner.QueryRow(ctx, `SELECT seller_id FROM market_offers WHERE id = (SELECT accepted_offer FROM market_requests WHERE id = $1)`,
		r1.ID).Scan(&seller); err != nil {
		t.Fatal(err)
	}
	s1, s2 := got[r1.ID], got[r2.ID]
	if len(got) != 2 || s1.Status != market.Completed || s1.Buyer != r1.BuyerID || s1.Seller != seller ||
		s1.Amount.Cmp(p1.Amount) != 0 || s1.Decimals != p1.Decimals || s2.Status != market.Cancelled {
		t.Fatalf("settled: %+v", got)
	}
}

// An event whose transaction is still running is held back, with everything after it, until it
// ends: a cursor kept by a reader never passes over an event that commits late.
func TestSettledWaitsForOlderTransactions(t *testing.T) {
	w, c, f := newWorld(t, nil), roles(t), follower(t)
	ctx := context.Background()
	r, p := w.accepted(t, 3_000_000)
	c.deposit(t, p, p.Amount.Int64(), payment.Funded)
	c.escrow(t, p)
	older, err := w.owner.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer older.Rollback(ctx)                                                 //nolint:errcheck // committed below
	if _, err := older.Exec(ctx, `SELECT pg_current_xact_id()`); err != nil { // it now has an id, older than the release's
		t.Fatal(err)
	}
	if _, err := c.indexer.Released(ctx, p.ID); err != nil {
		t.Fatal(err)
	}
	follow(t, f, 10, 2)
	if got := settledOf(t, f, r.ID); len(got) != 0 {
		t.Fatalf("settled while an older transaction runs: %+v", got)
	}
	if err := older.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	eventually(t, "settled after the older transaction ended", func() bool { return len(settledOf(t, f, r.ID)) == 1 })
}

// Issue 20's first acceptance, short of anvil: a deal released (as the indexer books it) grants
// its buyer's and seller's points once, however often the worker's job runs; a refunded deal
// grants nothing; the books check.
func TestPointsFollowSettledDeals(t *testing.T) {
	w, c, f := newWorld(t, nil), roles(t), follower(t)
	ctx := context.Background()
	pool := dbtest.PoolAs(t, db.RoleWorker)
	cfg := points.DefaultConfig()
	cfg.Bands = []points.Band{{MinTokens: 0, Buyer: 7, Seller: 9}} // the test chain's token has 18 decimals
	pts, err := points.New(pool, cfg)
	if err != nil {
		t.Fatal(err)
	}
	r1, p1 := w.accepted(t, 3_000_000)
	r2, p2 := w.accepted(t, 4_000_000)
	for _, p := range []*payment.Payment{p1, p2} {
		c.deposit(t, p, p.Amount.Int64(), payment.Funded)
		c.escrow(t, p)
	}
	if _, err := c.indexer.Released(ctx, p1.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.indexer.Refunded(ctx, p2.ID); err != nil {
		t.Fatal(err)
	}
	follow(t, f, 10, 4)
	var s map[uuid.UUID]market.Settled
	eventually(t, "settled", func() bool { s = settledOf(t, f, r1.ID, r2.ID); return len(s) == 2 })
	for range 3 { // the job runs again and again: nothing more is granted
		if _, err := pts.Follow(ctx, jobs.SettledDeals(f), 1); err != nil {
			t.Fatal(err)
		}
	}
	wantB, wantS := int64(7), int64(9)
	for _, x := range []struct {
		user uuid.UUID
		want int64
	}{{s[r1.ID].Buyer, wantB}, {s[r1.ID].Seller, wantS}, {s[r2.ID].Buyer, 0}, {s[r2.ID].Seller, 0}} {
		if b, err := pts.Balance(ctx, x.user); err != nil || b.Available != x.want {
			t.Fatalf("user %s: %+v, %v; want %d", x.user, b, err, x.want)
		}
	}
	if v, err := ledger.Check(ctx, w.owner); err != nil || v != nil {
		t.Fatalf("ledger check: %v, %v", v, err)
	}
}

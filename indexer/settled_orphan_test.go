package indexer

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/amanat/amn/payment"
)

// TestReorgRemovesExtraTransferAfterFullCredit is #14's scenario on anvil: a payment paid in full
// through the fee proxy, then an extra plain transfer to its deposit, both seen before either is
// final (the payment detected twice over); the full payment becomes final and is credited while
// the extra one is still pending; a shallow reorg removes the extra transfer. The orphan must
// land (the payment is funded, its sweep asked for, nothing pending, no step failing) and the
// chain must keep crediting: a second payment made afterwards is credited.
//
// Before the fix the orphan decided on funded, which it was not allowed to lead to: every step
// failed with that error and the checkpoint never moved again.
func TestReorgRemovesExtraTransferAfterFullCredit(t *testing.T) {
	t.Parallel()
	const floor = 5
	ctx := context.Background()
	f := newFixture(t, 19)
	pay, pool := newPaymentService(t)
	e := newEnv(t, f, pay, pool, devConfig(f, floor), Options{})
	const due = 1_000_000
	p := e.newPayment(19, f.Addresses.USDT, due)
	full := e.payViaProxy(p, 0, due) // block N
	mine(t, f, 3)
	extra := e.transfer(f.Addresses.USDT, p.Deposit, 1, 250_000) // block N+4
	e.catchUp()
	if got, _ := pay.Get(ctx, p.ID); got.State != payment.Detected || got.PendingCount != 2 {
		t.Fatalf("both transfers seen: %s with %d pending, want detected with 2", got.State, got.PendingCount)
	}
	// One more block: N is final (head − floor), N+4 is not.
	mine(t, f, 1)
	e.catchUp()
	got, err := pay.Get(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.State != payment.Detected || got.Received.Int64() != due || got.PendingCount != 1 {
		t.Fatalf("full payment final: %s received %s with %d pending, want detected, %d received, 1 pending",
			got.State, got.Received, got.PendingCount, due)
	}
	if o := obsOf(t, e, full); len(o) != 1 || o[0].State != StateCredited {
		t.Fatalf("the full payment's observation: %+v, want credited", o)
	}
	// The reorg drops the last two blocks (the extra transfer's and the one above it) for an
	// empty branch one block longer.
	reorg(t, e, 2, nil)
	mine(t, f, 1)
	e.catchUp() // fails the test if a step fails
	got, err = pay.Get(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.State != payment.Funded || got.Received.Int64() != due || got.PendingCount != 0 || got.PendingAmount.Sign() != 0 {
		t.Fatalf("after the reorg: %s received %s pending %d (%s), want funded, %d received, nothing pending",
			got.State, got.Received, got.PendingCount, got.PendingAmount, due)
	}
	for _, o := range obsOf(t, e, extra) {
		if o.State != StateOrphaned {
			t.Errorf("the extra transfer's observation is %s, want orphaned", o.State)
		}
	}
	if c := countTransfers(t, e, p.ID); c["open"] != 0 || c["posted"] != 1 || c["voided"] != 1 {
		t.Errorf("ledger of the payment: %v, want 1 posted, 1 voided, none open", c)
	}
	var sweeps int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM river_job WHERE kind = 'payment_sweep' AND args->>'payment_id' = $1`,
		p.ID.String()).Scan(&sweeps); err != nil || sweeps != 1 {
		t.Errorf("sweep jobs of the funded payment: %d (%v), want 1", sweeps, err)
	}

	// The chain keeps crediting.
	q := e.newPayment(19, f.Addresses.USDT, due)
	e.payViaProxy(q, 0, due)
	mine(t, f, floor+1)
	e.catchUp()
	if s := e.state(q); s != payment.Funded {
		t.Fatalf("a payment after the reorg: %s, want funded", s)
	}
	cp, _, err := LoadCheckpoint(ctx, pool, 19)
	if err != nil || cp.Halted {
		t.Fatalf("checkpoint %+v (%v): want not halted", cp, err)
	}
}

// TestNoCommonAncestorNamesItsCause: when the kept blocks were lost (here deleted; in #14 pruned
// below a checkpoint that stood still), a reorg finding no common ancestor halts with a reason
// that says the window was not exceeded, instead of blaming a reorg deeper than the window.
func TestNoCommonAncestorNamesItsCause(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t, 21)
	pay, pool := newPaymentService(t)
	e := newEnv(t, f, pay, pool, devConfig(f, 2), Options{})
	mine(t, f, 10)
	e.catchUp()
	cp, _, err := LoadCheckpoint(ctx, pool, 21)
	if err != nil {
		t.Fatal(err)
	}
	// Only the last three blocks are kept; a reorg of five replaces all of them.
	if _, err := pool.Exec(ctx, `DELETE FROM indexer_blocks WHERE chain_id = 21 AND number < $1`, cp.Processed-2); err != nil {
		t.Fatal(err)
	}
	reorg(t, e, 5, nil)
	mine(t, f, 1)
	for range 5 {
		if _, err = e.ix.Step(ctx); err != nil {
			break
		}
	}
	if !errors.Is(err, ErrHalted) {
		t.Fatalf("step: %v, want halted", err)
	}
	cp, _, _ = LoadCheckpoint(ctx, pool, 21)
	if !strings.Contains(cp.HaltReason, "fewer than the window of 256") || strings.Contains(cp.HaltReason, "deeper than the kept window") {
		t.Fatalf("halt reason %q", cp.HaltReason)
	}
	t.Log(cp.HaltReason)
}

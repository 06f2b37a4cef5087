package indexer

import (
	"context"
	"testing"

	"github.com/amanat/amn/payment"
)

// TestReadAheadGoneStaleByAReorg: during backfill the next range is read while the current one
// is recorded. A reorg that lands after that read and before it is used makes the read stale;
// the indexer must end exactly as if it had read the range after the reorg: the observation in
// the old branch orphaned and voided, the one in the new branch detected and later credited once.
func TestReadAheadGoneStaleByAReorg(t *testing.T) {
	t.Parallel()
	const floor = 30 // nothing is final until the end
	ctx := context.Background()
	f := newFixture(t, 15)
	pay, pool := newPaymentService(t)
	e := newEnv(t, f, pay, pool, devConfig(f, floor), Options{BatchBlocks: 4})
	const due = 1_000_000
	p := e.newPayment(15, f.Addresses.USDT, due)
	start, err := f.Client.BlockNumber(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// The payment lands in the second range the indexer reads (start+5 … start+8).
	mine(t, f, 5)
	tx := e.transfer(f.Addresses.USDT, p.Deposit, 0, due) // mined alone in block start+6
	mine(t, f, 6)

	// Steps until the first range past start is recorded and the next one read ahead.
	for {
		if _, err := e.ix.Step(ctx); err != nil {
			t.Fatal(err)
		}
		cp, _, err := LoadCheckpoint(ctx, pool, e.cfg.ID)
		if err != nil {
			t.Fatal(err)
		}
		if cp.Processed >= start+4 {
			break
		}
	}
	a := e.ix.ahead
	if a == nil {
		t.Fatal("no range read ahead during backfill")
	}
	<-a.done
	if a.err != nil || a.r.to < start+6 {
		t.Fatalf("read ahead %d…%d, %v: want it to cover block %d", a.from, a.r.to, a.err, start+6)
	}

	// Replace the branch from the payment's block on; the payment moves two blocks later.
	head, err := f.Client.BlockNumber(ctx)
	if err != nil {
		t.Fatal(err)
	}
	depth := int(head - (start + 6) + 1)
	reorg(t, e, depth, []any{[]any{rawTx(t, e, tx), 2}})
	e.catchUp()
	obs := obsOf(t, e, tx)
	states := map[string]int{}
	for _, o := range obs {
		states[o.State]++
	}
	if len(obs) != 2 || states[StateOrphaned] != 1 || states[StatePending] != 1 {
		t.Fatalf("observations of the moved payment: %v, want one orphaned (old branch) and one pending", states)
	}
	if s := e.state(p); s != payment.Detected {
		t.Fatalf("after the reorg: %s, want detected", s)
	}
	mine(t, f, floor+2)
	e.catchUp()
	got, err := pay.Get(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.State != payment.Funded || got.Received.Int64() != due || got.PendingCount != 0 {
		t.Errorf("after finality: %s received %s pending %d, want funded with %d", got.State, got.Received, got.PendingCount, due)
	}
	if c := countTransfers(t, e, p.ID); c["voided"] != 1 || c["posted"] != 1 || c["open"] != 0 {
		t.Errorf("ledger: %v, want 1 voided and 1 posted", c)
	}
}

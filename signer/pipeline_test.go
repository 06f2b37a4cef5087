package signer

import (
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/amanat/amn/intent"
)

// Several sweeps at once: the gas tank's top-ups go out back to back (consecutive nonces, in
// flight together), every deposit is swept, and no nonce is skipped or used twice.
func TestManySweepsPipelineTheGasTank(t *testing.T) {
	t.Parallel() // a world of its own: anvil and database
	w := newWorld(t, nil)
	var ids []uuid.UUID
	for i := range 4 {
		p := w.paid(int64(2_000_000 + i))
		in, _, err := w.intents.CreateSweep(w.ctx, p.ID, w.f.Addresses.Escrow)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, in.ID)
	}
	op := w.keys.OperatorAddress()
	before := w.nonce(op)
	// One tick signs and broadcasts every top-up before any is final.
	if err := w.signer.Tick(w.ctx); err != nil {
		t.Fatal(err)
	}
	var inFlight int
	if err := w.admin.QueryRow(w.ctx, `SELECT count(*) FROM signer_txs WHERE sender = $1 AND step = 'gas_topup'`, hexAddr(op)).Scan(&inFlight); err != nil {
		t.Fatal(err)
	}
	if inFlight != 4 {
		t.Fatalf("%d top-ups after the first tick, want 4", inFlight)
	}
	deadline := time.Now().Add(30 * time.Second)
	for _, id := range ids {
		for {
			_ = w.signer.Tick(w.ctx)
			in, err := w.intents.Get(w.ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if in.State == intent.Done {
				break
			}
			if !in.State.Open() || time.Now().After(deadline) {
				t.Fatalf("sweep %s: %s %s", id, in.State, in.Reason)
			}
			select {
			case <-w.ctx.Done():
				t.Fatal(w.ctx.Err())
			case <-time.After(20 * time.Millisecond):
			}
		}
	}
	if got := w.nonce(op); got != before+4 {
		t.Fatalf("gas tank made %d transactions, want 4", got-before)
	}
	w.checkNoGaps(op, -1)
	for _, id := range ids {
		w.checkOneAttemptPerNonce(id)
	}
}

package signer

import (
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/google/uuid"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/riverqueue/river"

	"github.com/amanat/amn/chart"
	"github.com/amanat/amn/intent"
	"github.com/amanat/amn/ledger"
	"github.com/amanat/amn/payment"
)

const gwei = 1_000_000_000

// raiseBaseFee makes the chain's fees jump, as a burst of demand does: the next block's base fee
// is set (anvil_setNextBlockBaseFeePerGas) and mined, with the block ticker paused so that no empty
// block brings it down before the signer looks. The caller resumes the ticker.
func (w *world) raiseBaseFee(wei int64) error {
	w.paused.Store(true)
	if err := w.f.RPC.CallContext(w.ctx, nil, "anvil_setNextBlockBaseFeePerGas", (*hexutil.Big)(big.NewInt(wei))); err != nil {
		return err
	}
	return w.f.RPC.CallContext(w.ctx, nil, "evm_mine")
}

// sweepIntent runs the worker's sweep job for p and returns the sweep intent it recorded.
func (w *world) sweepIntent(p *payment.Payment) *intent.Intent {
	w.t.Helper()
	sw := &intent.SweepWorker{Intents: w.intents, Escrow: func(uint64) common.Address { return w.f.Addresses.Escrow }, Log: testLog(w.t)}
	if err := sw.Work(w.ctx, &river.Job[payment.SweepArgs]{Args: payment.SweepArgs{PaymentID: p.ID.String()}}); err != nil {
		w.t.Fatal(err)
	}
	in, err := w.intents.OpenFor(w.ctx, p.ID)
	if err != nil {
		w.t.Fatal(err)
	}
	return in
}

// tickUntil ticks the signer (and the worker's follow pass) until cond holds, resuming the block
// ticker whenever resume says so; it fails at the deadline.
func (w *world) tickUntil(what string, cond func() bool, resume func() bool) {
	w.t.Helper()
	deadline := time.Now().Add(waitLimit)
	for !cond() {
		_ = w.signer.Tick(w.ctx)
		if resume != nil && resume() {
			w.paused.Store(false)
		}
		if time.Now().After(deadline) {
			w.t.Fatalf("%s: not by the deadline", what)
		}
		select {
		case <-w.ctx.Done():
			w.t.Fatal(w.ctx.Err())
		case <-time.After(20 * time.Millisecond): // a poll interval: blocks come from the ticker
		}
	}
}

// countTxs counts the intent's attempts of a step in a state ("" for any).
func (w *world) countTxs(id uuid.UUID, step, state string) int {
	w.t.Helper()
	var n int
	if err := w.admin.QueryRow(w.ctx, `SELECT count(*) FROM signer_txs WHERE intent_id = $1 AND step = $2 AND ($3 = '' OR state::text = $3)`,
		id, step, state).Scan(&n); err != nil {
		w.t.Fatal(err)
	}
	return n
}

// The fees jump between a sweep's gas top-up and its approve, so that the deposit cannot pay for
// the approve any more (before: the approve was signed anyway, the node refused it for lack of
// funds, and the sweep was retried without end on a nonce nothing would ever pay for). Now the
// approve is not signed; the sweep tops the deposit up again at today's fees and goes on.
func TestSweepToppedUpAgainWhenFeesRise(t *testing.T) {
	t.Parallel() // a world of its own: anvil and database
	w := newWorld(t, nil)
	raised := false
	w.signer.beforeSign = func(step string) error {
		if step != StepApprove || raised {
			return nil
		}
		raised = true
		// 50 gwei: the fee cap goes from about one gwei to a hundred, and the approve alone
		// costs far more than the top-up sent for approve and fund together.
		if err := w.raiseBaseFee(50 * gwei); err != nil {
			return err
		}
		return errStop
	}
	p := w.paid(31_000_000)
	in := w.sweepIntent(p)
	w.tickUntil("the sweep done", func() bool {
		got, err := w.intents.Get(w.ctx, in.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !got.State.Open() && got.State != intent.Done {
			t.Fatalf("sweep %s: %s", got.State, got.Reason)
		}
		return got.State == intent.Done
	}, func() bool { return w.countTxs(in.ID, StepGasTopup, "") == 2 })

	if !raised {
		t.Fatal("the fees were never raised")
	}
	if n := w.countTxs(in.ID, StepGasTopup, "confirmed"); n != 2 {
		t.Fatalf("%d top-ups confirmed, want 2 (the first, and one at the risen fees)", n)
	}
	// No approve was signed that the deposit could not pay for: one attempt, mined.
	if n, ok := w.countTxs(in.ID, StepApprove, ""), w.countTxs(in.ID, StepApprove, "confirmed"); n != 1 || ok != 1 {
		t.Fatalf("%d approve attempts, %d confirmed; want one, mined", n, ok)
	}
	w.checkNoGaps(p.Deposit, 2)
	w.checkNoGaps(w.keys.OperatorAddress(), -1)
	if st, amount := w.escrowRecord(p.ID); st != escrowOpen || amount.Cmp(p.Received) != 0 {
		t.Fatalf("escrow %d holding %s", st, amount)
	}
	// Both top-ups are booked: the deposit's gas account holds exactly the dust on chain.
	if _, err := w.intents.Follow(w.ctx); err != nil {
		t.Fatal(err)
	}
	if dust, held := w.native(p.Deposit), w.posted(chart.GasHeld(nativeLedger, p.Deposit)); held.Cmp(dust) != 0 {
		t.Fatalf("ledger: deposit gas account holds %s; on chain the deposit keeps %s", held, dust)
	}
	if v, err := ledger.Check(w.ctx, w.admin); err != nil || v != nil {
		t.Fatalf("ledger check: %v %v", v, err)
	}
}

// The fees keep rising faster than the top-ups: after maxSweepTopups top-ups the sweep is
// rejected with the reason (an operator sees it: the audit log, amn_signer_intents_total and its
// alert), nothing the deposit cannot pay for is signed, and the payment waits, sweeping, with its
// money at the deposit. Asked again (amn admin sweep) once the fees settle, it is swept.
func TestSweepRejectedWhenFeesOutrunItsTopups(t *testing.T) {
	t.Parallel() // a world of its own: anvil and database
	w := newWorld(t, func(c *Config) { c.Chains[0].MaxFeeCap = big.NewInt(20_000 * gwei) })
	// Each jump makes the approve cost more than the deposit holds after the last top-up.
	jumps := []int64{20 * gwei, 250 * gwei, 3000 * gwei}
	w.signer.beforeSign = func(step string) error {
		if step != StepApprove || len(jumps) == 0 {
			return nil
		}
		fee := jumps[0]
		jumps = jumps[1:]
		if err := w.raiseBaseFee(fee); err != nil {
			return err
		}
		return errStop
	}
	p := w.paid(32_000_000)
	in := w.sweepIntent(p)
	topups := 1
	w.tickUntil("the sweep rejected", func() bool {
		got, err := w.intents.Get(w.ctx, in.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.State == intent.Done {
			t.Fatal("the sweep completed")
		}
		return got.State == intent.Rejected
	}, func() bool {
		if n := w.countTxs(in.ID, StepGasTopup, ""); n > topups {
			topups = n
			return true
		}
		return false
	})
	got, _ := w.intents.Get(w.ctx, in.ID)
	if !strings.Contains(got.Reason, "after 3 top-ups") || !strings.Contains(got.Reason, "approve") ||
		!strings.Contains(got.Reason, "amn admin sweep") {
		t.Fatalf("rejected: %q", got.Reason)
	}
	if n := w.countTxs(in.ID, StepGasTopup, "confirmed"); n != maxSweepTopups {
		t.Fatalf("%d top-ups, want %d", n, maxSweepTopups)
	}
	if n := w.countTxs(in.ID, StepApprove, ""); n != 0 {
		t.Fatalf("%d approve attempts signed the deposit could not pay for", n)
	}
	if n := w.nonce(p.Deposit); n != 0 {
		t.Fatalf("the deposit sent %d transactions", n)
	}
	if ev := w.auditEvents(in.ID); ev[len(ev)-1] != AuditRejected {
		t.Fatalf("audit %v", ev)
	}
	if v := testutil.ToFloat64(w.cfg.Metrics.results.WithLabelValues(string(intent.Sweep), string(intent.Rejected))); v != 1 {
		t.Fatalf("amn_signer_intents_total{kind=sweep,result=rejected} = %v", v)
	}
	if pay, _ := w.payments.Get(w.ctx, p.ID); pay.State != payment.Sweeping || w.usdt(p.Deposit).Cmp(p.Received) != 0 {
		t.Fatalf("payment %s, deposit holds %s", pay.State, w.usdt(p.Deposit))
	}

	// The fees settle (the ticker mines on); the operator asks again.
	w.paused.Store(false)
	due, err := w.intents.SweepDue(w.ctx, w.f.ChainID, func(uint64) (common.Address, error) { return w.f.Addresses.Escrow, nil }, false)
	if err != nil {
		t.Fatal(err)
	}
	var again *intent.Intent
	for _, d := range due {
		if d.PaymentID == p.ID.String() && d.Error == "" {
			id, _ := uuid.Parse(d.Intent)
			again, _ = w.intents.Get(w.ctx, id)
		}
	}
	if again == nil || again.ID == in.ID {
		t.Fatalf("amn admin sweep did not ask again: %+v", due)
	}
	w.until(again.ID, intent.Done)
	if st, amount := w.escrowRecord(p.ID); st != escrowOpen || amount.Cmp(p.Received) != 0 {
		t.Fatalf("escrow %d holding %s", st, amount)
	}
	// Asking again now records nothing: the sweep is done and waits for the chain's event.
	if due, err := w.intents.SweepDue(w.ctx, w.f.ChainID, func(uint64) (common.Address, error) { return w.f.Addresses.Escrow, nil }, false); err != nil || len(due) != 0 {
		t.Fatalf("due after the sweep: %+v %v", due, err)
	}
}

package indexer

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/amanat/amn/ledger"
	"github.com/amanat/amn/payment"
)

// TestReorgedBlockReturnsWithTheSameHash: a reorg removes the block of a deposit (its observation
// is orphaned, its pending transfer voided), and a second reorg brings the very same block back,
// same hash. The observation's key is the same, and so was the transfer id derived from it: before
// the fix the re-detection found the voided transfer and did nothing, and the observation stayed
// orphaned — the money was neither credited nor recorded as an exception. Now the observation
// comes back as its next incarnation with a fresh pending transfer, credited at finality.
func TestReorgedBlockReturnsWithTheSameHash(t *testing.T) {
	t.Parallel()
	const floor = 12 // nothing is final while the reorgs happen
	ctx := context.Background()
	f := newFixture(t, 23)
	pay, pool := newPaymentService(t)
	e := newEnv(t, f, pay, pool, devConfig(f, floor), Options{})
	const due = 1_000_000
	p := e.newPayment(23, f.Addresses.USDT, due)
	r := newReturning(t, e)
	tx := r.deposit(p, due) // block n
	e.catchUp()
	first := obsOf(t, e, tx)
	if len(first) != 1 || first[0].State != StatePending || e.state(p) != payment.Detected {
		t.Fatalf("before the reorgs: %+v, payment %s", first, e.state(p))
	}
	r.remove() // reorg 1: back to n−1, three empty blocks instead
	e.catchUp()
	if o := obsOf(t, e, tx); len(o) != 1 || o[0].State != StateOrphaned || e.state(p) != payment.AwaitingPayment {
		t.Fatalf("after the first reorg: %+v, payment %s", o, e.state(p))
	}
	r.bringBack() // reorg 2: back to n−1 again, block n rebuilt exactly
	e.catchUp()
	if got, _ := pay.Get(ctx, p.ID); got.State != payment.Detected || got.PendingCount != 1 {
		t.Fatalf("the block back: payment %s with %d pending, want detected with 1", got.State, got.PendingCount)
	}
	mine(t, f, floor+1)
	e.catchUp()
	got, err := pay.Get(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.State != payment.Funded || got.Received.Int64() != due || got.PendingCount != 0 {
		t.Fatalf("after finality: %s received %s pending %d, want funded with %d", got.State, got.Received, got.PendingCount, due)
	}
	if c := countTransfers(t, e, p.ID); c["voided"] != 1 || c["posted"] != 1 || c["open"] != 0 {
		t.Errorf("ledger: %v, want 1 voided (the first incarnation) and 1 posted", c)
	}
	if o := obsOf(t, e, tx); len(o) != 1 || o[0].State != StateCredited {
		t.Errorf("observation after finality: %+v, want credited", o)
	}
}

// returning rebuilds a removed block exactly, with anvil's snapshots: the chain is reverted to the
// deposit's parent and the deposit's signed transaction sent again with the block's timestamp and
// base fee (anvil keeps the base fee it last computed across a revert).
type returning struct {
	t      *testing.T
	e      *env
	parent hexutil.Big
	tx     common.Hash
	raw    hexutil.Bytes
	block  *types.Header
}

func newReturning(t *testing.T, e *env) *returning { return &returning{t: t, e: e} }

func (r *returning) call(result any, method string, args ...any) {
	r.t.Helper()
	if err := r.e.f.RPC.CallContext(context.Background(), result, method, args...); err != nil {
		r.t.Fatalf("%s: %v", method, err)
	}
}

// deposit pays p with a plain transfer in a block of its own (the head), remembering the parent.
func (r *returning) deposit(p *payment.Payment, amount int64) common.Hash {
	r.t.Helper()
	r.call(&r.parent, "evm_snapshot")
	r.tx = r.e.transfer(r.e.f.Addresses.USDT, p.Deposit, 0, amount)
	r.raw = rawTx(r.t, r.e, r.tx)
	rc, err := r.e.f.Client.TransactionReceipt(context.Background(), r.tx)
	if err != nil {
		r.t.Fatal(err)
	}
	if r.block, err = r.e.f.Client.HeaderByHash(context.Background(), rc.BlockHash); err != nil {
		r.t.Fatal(err)
	}
	mine(r.t, r.e.f, 1)
	return r.tx
}

// remove replaces the deposit's block (and the one above) with three empty blocks.
func (r *returning) remove() {
	r.t.Helper()
	var ok bool
	r.call(&ok, "evm_revert", &r.parent)
	r.call(&r.parent, "evm_snapshot")
	mine(r.t, r.e.f, 3)
}

// bringBack replaces the empty branch with the deposit's very block (the same hash) and three more.
func (r *returning) bringBack() {
	r.t.Helper()
	ctx := context.Background()
	var ok bool
	r.call(&ok, "evm_revert", &r.parent)
	r.call(nil, "evm_setNextBlockTimestamp", hexutil.Uint64(r.block.Time))
	r.call(nil, "anvil_setNextBlockBaseFeePerGas", (*hexutil.Big)(r.block.BaseFee))
	r.call(nil, "eth_sendRawTransaction", r.raw)
	if _, err := r.e.f.WaitMined(ctx, r.tx); err != nil {
		r.t.Fatal(err)
	}
	back, err := r.e.f.Client.HeaderByNumber(ctx, r.block.Number)
	if err != nil {
		r.t.Fatal(err)
	}
	if back.Hash() != r.block.Hash() {
		r.t.Fatalf("block %d came back as %s, want the same hash %s", back.Number, back.Hash().Hex(), r.block.Hash().Hex())
	}
	mine(r.t, r.e.f, 3) // longer than the branch it replaces
}

// TestRefusedOrphanThenBlockReturns: a reorg removes a deposit's block while its payment refuses
// the orphan (a row tampered with: quarantined, op orphan, its pending transfer standing), then
// the same block comes back. The deposit is the payment's again: its observation is pending, not
// quarantined — before, it stayed quarantined, and the operator's requeue would have voided a
// deposit that is on the chain. Once the row is fixed, it is credited.
func TestRefusedOrphanThenBlockReturns(t *testing.T) {
	t.Parallel()
	const floor = 12
	ctx := context.Background()
	f := newFixture(t, 27)
	pay, pool := newPaymentService(t)
	e := newEnv(t, f, pay, pool, devConfig(f, floor), Options{})
	const due = 1_000_000
	p := e.newPayment(27, f.Addresses.USDT, due)
	r := newReturning(t, e)
	tx := r.deposit(p, due)
	e.catchUp()
	if _, err := pool.Exec(ctx, `UPDATE payments SET state = 'in_escrow' WHERE id = $1`, p.ID); err != nil {
		t.Fatal(err)
	}
	r.remove()
	e.catchUp()
	if q, _ := Quarantined(ctx, pool, p.ID); len(q) != 1 || q[0].Op != OpOrphan {
		t.Fatalf("the refused orphan: %+v, want quarantined", q)
	}
	r.bringBack()
	e.catchUp()
	if q, _ := Quarantined(ctx, pool, p.ID); len(q) != 0 {
		t.Fatalf("the block is back: still quarantined %+v", q)
	}
	if v := testutil.ToFloat64(e.m.quarantined.WithLabelValues(e.cfg.Key)); v != 0 {
		t.Errorf("amn_indexer_quarantined = %v, want 0", v)
	}
	if o := obsOf(t, e, tx); len(o) != 1 || o[0].State != StatePending {
		t.Fatalf("the block is back: %+v, want pending", o)
	}
	if _, err := pool.Exec(ctx, `UPDATE payments SET state = 'detected' WHERE id = $1`, p.ID); err != nil {
		t.Fatal(err)
	}
	mine(t, f, floor+1)
	e.catchUp()
	if got, _ := pay.Get(ctx, p.ID); got.State != payment.Funded || got.Received.Int64() != due || got.PendingCount != 0 {
		t.Fatalf("after finality: %s received %s pending %d, want funded", got.State, got.Received, got.PendingCount)
	}
	if c := countTransfers(t, e, p.ID); c["posted"] != 1 || c["voided"] != 0 || c["open"] != 0 {
		t.Errorf("ledger: %v, want the one transfer posted", c)
	}
}

// TestCrashAfterDetectionThenReorgLeavesNothingPending: a step detects a deposit and is killed
// right after (before the rest of its observations and the checkpoint are written); while it is
// down, a reorg removes the deposit's block; a fresh indexer takes over. Before the fix the
// detection (the payment's pending transfer) was committed in a transaction of its own and the
// observation row after it: the kill left a pending transfer that no row pointed to, so the
// reorg found nothing to orphan and the payment stayed detected, its money pending, forever. Now
// the row commits with the detection, and the restarted indexer orphans it when it fetches the
// new block at that height: nothing pending, and a later payment is credited.
func TestCrashAfterDetectionThenReorgLeavesNothingPending(t *testing.T) {
	t.Parallel()
	const floor = 6
	ctx := context.Background()
	f := newFixture(t, 24)
	pay, pool := newPaymentService(t)
	e := newEnv(t, f, pay, pool, devConfig(f, floor), Options{})
	mine(t, f, 2)
	e.catchUp()
	const due = 1_000_000
	p := e.newPayment(24, f.Addresses.USDT, due)
	tx := e.transfer(f.Addresses.USDT, p.Deposit, 0, due) // block n, the head
	killed := errors.New("killed after detection")
	e.ix.hooks.afterDetect = func() error { return killed }
	e.stepUntilKilled(t, killed)
	if got, _ := pay.Get(ctx, p.ID); got.State != payment.Detected || got.PendingCount != 1 {
		t.Fatalf("after the kill: %s with %d pending, want detected", got.State, got.PendingCount)
	}
	// While it is down, a reorg replaces block n (one block longer).
	reorg(t, e, 1, nil)
	mine(t, f, 1)
	// The restart: a new indexer on the same database.
	heads := NewHeadTracker(e.cfg.Chain, e.rpc, time.Second, NewHeadMetrics(prometheus.NewRegistry()), quiet)
	e.ix = New(e.cfg, e.rpc, pool, pay, heads, NewMetrics(prometheus.NewRegistry()), quiet, Options{})
	e.catchUp()
	got, err := pay.Get(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.State != payment.AwaitingPayment || got.PendingCount != 0 || got.PendingAmount.Sign() != 0 {
		t.Fatalf("after the restart: %s with %d pending (%s), want awaiting_payment, nothing pending", got.State, got.PendingCount, got.PendingAmount)
	}
	if c := countTransfers(t, e, p.ID); c["open"] != 0 || c["voided"] != 1 {
		t.Errorf("ledger: %v, want the pending transfer voided", c)
	}
	if o := obsOf(t, e, tx); len(o) != 1 || o[0].State != StateOrphaned {
		t.Errorf("the deposit's observation: %+v, want orphaned", o)
	}
	// Past finality nothing changes, and the chain keeps crediting.
	q := e.newPayment(24, f.Addresses.USDT, due)
	e.transfer(f.Addresses.USDT, q.Deposit, 1, due)
	mine(t, f, floor+1)
	e.catchUp()
	if got, _ := pay.Get(ctx, p.ID); got.State != payment.AwaitingPayment || got.PendingCount != 0 {
		t.Errorf("after finality: %s with %d pending", got.State, got.PendingCount)
	}
	if s := e.state(q); s != payment.Funded {
		t.Errorf("a later payment: %s, want funded", s)
	}
}

// TestLaggingIndexerFollowsAShallowReorg: an indexer stops (down, or its steps failing) right after
// a deposit; meanwhile a shallow reorg moves the deposit's transaction two blocks up, and the chain
// goes on far past finality, so the checkpoint ends up well below the safe block minus the kept
// window. Before the fix the window was pruned relative to the safe block alone: the blocks around
// the checkpoint were deleted at the indexer's first step back, and the reorg halted the chain
// with "no common ancestor". Now the window is kept below the checkpoint too: the indexer finds the
// ancestor, orphans the old observation and credits the moved deposit.
func TestLaggingIndexerFollowsAShallowReorg(t *testing.T) {
	t.Parallel()
	const floor, window = 4, 8
	ctx := context.Background()
	f := newFixture(t, 25)
	pay, pool := newPaymentService(t)
	e := newEnv(t, f, pay, pool, devConfig(f, floor), Options{Window: window})
	mine(t, f, 2*window)
	e.catchUp()
	const due = 1_000_000
	p := e.newPayment(25, f.Addresses.USDT, due)
	tx := e.transfer(f.Addresses.USDT, p.Deposit, 0, due) // block n
	raw := rawTx(t, e, tx)
	mine(t, f, 2)
	e.catchUp() // the checkpoint is n+2; the deposit pending
	if s := e.state(p); s != payment.Detected {
		t.Fatalf("before the reorg: %s, want detected", s)
	}
	old := obsOf(t, e, tx)
	// Down: the reorg of depth 3 (n … n+2) puts the transaction in n+2, then 4·window blocks.
	reorg(t, e, 3, []any{[]any{raw, 2}})
	mine(t, f, 4*window)
	e.catchUp() // fails the test on a halt
	cp, _, err := LoadCheckpoint(ctx, pool, 25)
	if err != nil || cp.Halted {
		t.Fatalf("checkpoint %+v (%v): want not halted", cp, err)
	}
	got, err := pay.Get(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.State != payment.Funded || got.Received.Int64() != due || got.PendingCount != 0 {
		t.Fatalf("after the reorg: %s received %s pending %d, want funded with %d", got.State, got.Received, got.PendingCount, due)
	}
	if c := countTransfers(t, e, p.ID); c["voided"] != 1 || c["posted"] != 1 || c["open"] != 0 {
		t.Errorf("ledger: %v, want the old block's transfer voided and the new one's posted", c)
	}
	for _, o := range obsOf(t, e, tx) {
		want := StateCredited
		if o.Obs.BlockHash == old[0].Obs.BlockHash {
			want = StateOrphaned
		}
		if o.State != want {
			t.Errorf("observation in block %d: %s, want %s", o.Obs.BlockNumber, o.State, want)
		}
	}
}

// TestCrashAfterCreditThenDeepReorgHalts: a confirmation pass posts a deposit and is killed right
// after; while it is down, a reorg deeper than finality removes the deposit's block. The credit and
// its observation's state commit together, so the restarted indexer sees a credited observation
// in the removed block and halts, as for any reorg of a credit. Before, the observation was marked
// credited after the credit's transaction: the kill left it pending, and the reorg tried to void a
// posted transfer (the payment refused it, and the chain went on as if nothing had been credited).
func TestCrashAfterCreditThenDeepReorgHalts(t *testing.T) {
	t.Parallel()
	const floor = 4
	ctx := context.Background()
	f := newFixture(t, 26)
	pay, pool := newPaymentService(t)
	e := newEnv(t, f, pay, pool, devConfig(f, floor), Options{})
	const due = 1_000_000
	p := e.newPayment(26, f.Addresses.USDT, due)
	tx := e.transfer(f.Addresses.USDT, p.Deposit, 0, due) // block n
	e.catchUp()
	if o := obsOf(t, e, tx); len(o) != 1 || o[0].State != StatePending {
		t.Fatalf("before finality: %+v, want pending", o)
	}
	killed := errors.New("killed after the credit")
	e.ix.hooks.afterCredit = func() error { return killed }
	mine(t, f, floor+1)
	e.stepUntilKilled(t, killed)
	if s := e.state(p); s != payment.Funded {
		t.Fatalf("after the credit: %s, want funded", s)
	}
	books := ledgerOf(t, pool, p.ID)
	reorg(t, e, floor+3, nil) // removes block n, which was final
	mine(t, f, 1)
	heads := NewHeadTracker(e.cfg.Chain, e.rpc, time.Second, NewHeadMetrics(prometheus.NewRegistry()), quiet)
	e.ix = New(e.cfg, e.rpc, pool, pay, heads, NewMetrics(prometheus.NewRegistry()), quiet, Options{})
	var err error
	for range 10 {
		if _, err = e.ix.Step(ctx); err != nil {
			break
		}
	}
	if !errors.Is(err, ErrHalted) {
		t.Fatalf("after the restart: %v, want halted (a credited observation's block is gone)", err)
	}
	if o := obsOf(t, e, tx); len(o) != 1 || o[0].State != StateCredited {
		t.Errorf("the credited observation: %+v", o)
	}
	if after := ledgerOf(t, pool, p.ID); after != books {
		t.Errorf("ledger changed:\n%s\nwas\n%s", after, books)
	}
}

// TestCrashAfterFinalDetectionThenDeepReorgHalts: a deposit first seen in a block that is final
// already is detected and credited at once (DetectConfirmMany), and the step is killed before the
// checkpoint moves past it; while the indexer is down, a reorg deeper than finality removes the
// block. The credited observation is above the checkpoint, where no walk back looks: the fetch of
// its height finds it in another block and halts, as a reorg reaching any credit does. Before, only
// pending observations were looked at there: the credit stood, unnoticed, for money not on chain.
func TestCrashAfterFinalDetectionThenDeepReorgHalts(t *testing.T) {
	t.Parallel()
	const floor = 2
	ctx := context.Background()
	f := newFixture(t, 28)
	pay, pool := newPaymentService(t)
	e := newEnv(t, f, pay, pool, devConfig(f, floor), Options{})
	e.catchUp()
	const due = 1_000_000
	p := e.newPayment(28, f.Addresses.USDT, due)
	tx := e.transfer(f.Addresses.USDT, p.Deposit, 0, due) // block n
	mine(t, f, floor+2)                                   // n is final before the indexer sees it
	killed := errors.New("killed after detection")
	e.ix.hooks.afterDetect = func() error { return killed }
	e.stepUntilKilled(t, killed)
	if o := obsOf(t, e, tx); len(o) != 1 || o[0].State != StateCredited || e.state(p) != payment.Funded {
		t.Fatalf("after the kill: %+v, payment %s; want credited and funded", o, e.state(p))
	}
	books := ledgerOf(t, pool, p.ID)
	reorg(t, e, floor+4, nil) // removes block n, which was final
	mine(t, f, 1)
	heads := NewHeadTracker(e.cfg.Chain, e.rpc, time.Second, NewHeadMetrics(prometheus.NewRegistry()), quiet)
	e.ix = New(e.cfg, e.rpc, pool, pay, heads, NewMetrics(prometheus.NewRegistry()), quiet, Options{})
	var err error
	for range 10 {
		if _, err = e.ix.Step(ctx); err != nil {
			break
		}
	}
	if !errors.Is(err, ErrHalted) {
		t.Fatalf("after the restart: %v, want halted (a credited observation's block is gone)", err)
	}
	if o := obsOf(t, e, tx); len(o) != 1 || o[0].State != StateCredited {
		t.Errorf("the credited observation: %+v", o)
	}
	if after := ledgerOf(t, pool, p.ID); after != books {
		t.Errorf("ledger changed:\n%s\nwas\n%s", after, books)
	}
}

// TestFlipFlopBackWhenFinal: a deposit is first seen pending; a reorg removes its block (its
// pending transfer voided, the observation orphaned); the very block comes back with the same hash
// and the indexer, behind, first sees it again when it is final already, so it is detected and
// credited at once (DetectConfirmMany: one posted transfer) as the observation's next
// incarnation. The deposit is credited exactly once, under a transfer id of its own (not the
// voided one's), and steps after that change nothing.
func TestFlipFlopBackWhenFinal(t *testing.T) {
	t.Parallel()
	const floor = 6
	f := newFixture(t, 33)
	pay, pool := newPaymentService(t)
	e := newEnv(t, f, pay, pool, devConfig(f, floor), Options{})
	const due = 1_000_000
	p := e.newPayment(33, f.Addresses.USDT, due)
	r := newReturning(t, e)
	tx := r.deposit(p, due)
	e.catchUp()
	first := obsOf(t, e, tx)
	if len(first) != 1 || first[0].State != StatePending || e.state(p) != payment.Detected {
		t.Fatalf("first seen: %+v, payment %s; want pending and detected", first, e.state(p))
	}
	r.remove()
	e.catchUp()
	if o := obsOf(t, e, tx); len(o) != 1 || o[0].State != StateOrphaned || e.state(p) != payment.AwaitingPayment {
		t.Fatalf("after the first reorg: %+v, payment %s", o, e.state(p))
	}
	r.bringBack()
	mine(t, f, floor+1) // the block is final before the indexer looks again
	e.catchUp()
	wantCreditedOnce(t, e, p, tx, due)
	back := obsOf(t, e, tx)[0].Obs
	tr, err := ledger.New(e.db).LookupTransfer(context.Background(), back.TransferID())
	if err != nil || tr.Flags&ledger.Pending != 0 || tr.Amount.Int64() != due || back.TransferID() == first[0].Obs.TransferID() {
		t.Errorf("the returned deposit's transfer: %+v, %v; want one posted transfer of %d under a new id", tr, err, due)
	}
	mine(t, f, 2)
	e.catchUp()
	wantCreditedOnce(t, e, p, tx, due)
}

// wantCreditedOnce checks that p received due from tx once: funded, its deposit account credited
// due (posted, nothing pending), the observation credited as its second incarnation, one posted
// deposit and the first incarnation's transfer voided.
func wantCreditedOnce(t *testing.T, e *env, p *payment.Payment, tx common.Hash, due int64) {
	t.Helper()
	ctx := context.Background()
	got, err := e.pay.Get(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.State != payment.Funded || got.Received.Int64() != due || got.PendingCount != 0 || got.PendingAmount.Sign() != 0 {
		t.Errorf("payment: %s received %s pending %d (%s), want funded with %d, nothing pending",
			got.State, got.Received, got.PendingCount, got.PendingAmount, due)
	}
	a, err := ledger.New(e.db).Account(ctx, got.DepositAcct)
	if err != nil {
		t.Fatal(err)
	}
	if a.CreditsPosted.Int64() != due || a.CreditsPending.Sign() != 0 || a.DebitsPending.Sign() != 0 {
		t.Errorf("deposit account: credits posted %s pending %s, debits pending %s; want %d posted", a.CreditsPosted, a.CreditsPending, a.DebitsPending, due)
	}
	if c := countTransfers(t, e, p.ID); c["voided"] != 1 || c["posted"] != 1 || c["open"] != 0 {
		t.Errorf("ledger: %v, want the first incarnation voided and one posted deposit", c)
	}
	o := obsOf(t, e, tx)
	if len(o) != 1 || o[0].State != StateCredited || o[0].Obs.Incarnation != 1 {
		t.Errorf("observation: %+v, want credited, incarnation 1", o)
	}
	if b, err := e.pay.Books(ctx, p.ID); err != nil || b.Deposited.Int64() != due || len(b.Deposits) != 2 {
		t.Errorf("books: %+v, %v; want %d deposited, two deposits seen (one orphaned, one final)", b, err, due)
	}
}

// TestCrashAfterOrphanThenBlockBackWhenFinal: a reorg removes a deposit's block and the indexer is
// killed right after the payment voided the deposit's pending transfer; while it is down, the
// very block comes back with the same hash and becomes final. The restarted indexer must credit
// the deposit once. Before the fix the void and the observation's orphaned state were written in
// two transactions: the kill left the row pending over a voided transfer, the block back was no
// reorg at all for the new indexer (the same hash), and at finality it posted the voided transfer,
// which the ledger refused: the money on the final chain was never credited (the one path found
// to what the torture test saw with seed 1796542624599250462 and the fused booking, which it
// had been blamed on).
func TestCrashAfterOrphanThenBlockBackWhenFinal(t *testing.T) {
	t.Parallel()
	const floor = 6
	ctx := context.Background()
	f := newFixture(t, 34)
	pay, pool := newPaymentService(t)
	e := newEnv(t, f, pay, pool, devConfig(f, floor), Options{})
	const due = 1_000_000
	p := e.newPayment(34, f.Addresses.USDT, due)
	r := newReturning(t, e)
	tx := r.deposit(p, due)
	e.catchUp()
	if o := obsOf(t, e, tx); len(o) != 1 || o[0].State != StatePending {
		t.Fatalf("first seen: %+v, want pending", o)
	}
	r.remove()
	killed := errors.New("killed after the orphan")
	e.ix.hooks.afterOrphan = func() error { return killed }
	e.stepUntilKilled(t, killed)
	if s := e.state(p); s != payment.AwaitingPayment {
		t.Fatalf("after the kill: payment %s, want awaiting_payment (its deposit voided)", s)
	}
	// While it is down, the block comes back and becomes final.
	r.bringBack()
	mine(t, f, floor+1)
	heads := NewHeadTracker(e.cfg.Chain, e.rpc, time.Second, NewHeadMetrics(prometheus.NewRegistry()), quiet)
	e.ix = New(e.cfg, e.rpc, pool, pay, heads, NewMetrics(prometheus.NewRegistry()), quiet, Options{})
	e.catchUp()
	if q, _ := Quarantined(ctx, pool, p.ID); len(q) != 0 {
		t.Errorf("quarantined: %+v", q)
	}
	wantCreditedOnce(t, e, p, tx, due)
	mine(t, f, 2)
	e.catchUp()
	wantCreditedOnce(t, e, p, tx, due)
}

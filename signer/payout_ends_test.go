package signer

import (
	"fmt"
	"math/big"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/google/uuid"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/riverqueue/river"

	"github.com/amanat/amn/chain"
	"github.com/amanat/amn/chart"
	"github.com/amanat/amn/devnet"
	"github.com/amanat/amn/indexer"
	"github.com/amanat/amn/intent"
	"github.com/amanat/amn/ledger"
	"github.com/amanat/amn/payment"
	"github.com/amanat/amn/payment/paymenttest"
)

// #13 acceptance 5, with the real signer, the real indexer and the worker's Follow on one anvil:
//   - a release that reverts because the arbiter's freeze was mined first: the payment leaves
//     releasing (back in escrow, the reservation voided, the intent's reason on its timeline), and
//     the Frozen event makes it disputed, as the chain says;
//   - a release that reverts because the buyer's reclaim was mined first: the payment ends
//     reclaimed, not releasing;
//   - a buyer's reclaim after the delay (evm_increaseTime): the payment is reclaimed with its
//     ledger transfer, and the books agree with the chain (indexer Reconcile, what
//     `amn indexer reconcile` runs).
func TestPayoutEndsOnChainAreBooked(t *testing.T) {
	t.Parallel() // a world of its own: anvil and database
	w := newWorld(t, nil)
	ctx, f := w.ctx, w.f
	// The freeze below must be mined before the signer's release, from a key other than the
	// signer's operator (whose nonces the signer manages): the fixture's own arbiter (anvil account
	// 1, which the harness replaced with the operator) takes the role back.
	if err := f.SetArbiter(ctx, devnet.AnvilAccount(1)); err != nil {
		t.Fatal(err)
	}
	// A ledger of these payments alone, so that Reconcile's escrow row compares this anvil's
	// escrow with exactly them.
	sym := fmt.Sprintf("R%d", time.Now().UnixNano()%1_000_000_000)
	ix := newTestIndexer(t, w)
	frozen, reclaimedMidRelease, reclaimed := w.creditedAndSwept(ix, sym, 21_000_000), w.creditedAndSwept(ix, sym, 22_000_000),
		w.creditedAndSwept(ix, sym, 23_000_000)

	// 1. The arbiter's freeze is mined before the signer's release.
	rel := w.releaseBroadcastThenBeaten(frozen, func() (*types.Transaction, error) {
		return f.Escrow.Freeze(w.urgent(f.Arbiter), frozen.EscrowID())
	})
	if !strings.Contains(rel.Reason, "reverted") {
		t.Fatalf("release intent: %s %q, want rejected as reverted", rel.State, rel.Reason)
	}
	if _, err := w.intents.Follow(ctx); err != nil {
		t.Fatal(err)
	}
	p := w.get(frozen.ID)
	if p.State == payment.Releasing || p.State == payment.Disputed && p.DisputedFrom == payment.Releasing {
		t.Fatalf("after the reverted release the payment is still %s (from %s)", p.State, p.DisputedFrom)
	}
	ix.until(func() bool { return w.get(frozen.ID).State == payment.Disputed })
	if p := w.get(frozen.ID); p.DisputedFrom != payment.InEscrow {
		t.Fatalf("frozen payment: %s from %s, want disputed from in_escrow", p.State, p.DisputedFrom)
	}
	w.timelineHas(frozen.ID, payment.EvReleaseFailed, "reverted")
	w.timelineHas(frozen.ID, payment.EvFrozen, "frozen on chain")

	// 2. The buyer's reclaim (after the delay) is mined before the signer's release.
	rel = w.releaseBroadcastThenBeaten(reclaimedMidRelease, func() (*types.Transaction, error) {
		// evm_increaseTime without mining: the next block carries both transactions.
		if err := f.RPC.CallContext(ctx, nil, "evm_increaseTime", hexutil.Uint64(8*24*3600)); err != nil {
			return nil, err
		}
		return f.Escrow.Reclaim(w.urgent(f.Buyers[0]), reclaimedMidRelease.EscrowID())
	})
	if !strings.Contains(rel.Reason, "reverted") {
		t.Fatalf("release intent: %s %q, want rejected as reverted", rel.State, rel.Reason)
	}
	if _, err := w.intents.Follow(ctx); err != nil {
		t.Fatal(err)
	}
	ix.until(func() bool { return w.get(reclaimedMidRelease.ID).State == payment.Reclaimed })

	// 3. A reclaim after the delay, nothing else going on.
	if _, err := f.Wait(ctx)(f.Escrow.Reclaim(f.Opts(ctx, f.Buyers[0]), reclaimed.EscrowID())); err != nil {
		t.Fatal(err)
	}
	ix.until(func() bool { return w.get(reclaimed.ID).State == payment.Reclaimed })
	w.timelineHas(reclaimed.ID, payment.EvReclaimed, "reclaimed")

	// The books: both reclaims went back outside, nothing stays reserved, and the chain agrees.
	books := ledger.New(w.admin)
	for _, p := range []*payment.Payment{reclaimedMidRelease, reclaimed} {
		tr, err := books.LookupTransfer(ctx, ledger.DeriveID("payment/reclaimed\x00"+p.ID.String()))
		if err != nil || tr.Amount.Cmp(p.Amount) != 0 || tr.Code != chart.CodeReclaim {
			t.Fatalf("reclaim transfer of %s: %+v %v", p.ID, tr, err)
		}
		if st, _ := w.escrowRecord(p.ID); st != 4 {
			t.Fatalf("escrow status %d, want reclaimed (4)", st)
		}
	}
	var open int
	if err := w.admin.QueryRow(ctx, `SELECT count(*) FROM ledger_transfers t JOIN ledger_pending lp ON lp.transfer_id = t.id
		WHERE lp.state = 'open' AND t.payment_ref = ANY($1)`, []string{frozen.ID.String(), reclaimedMidRelease.ID.String(),
		reclaimed.ID.String()}).Scan(&open); err != nil || open != 0 {
		t.Fatalf("%d reservations still open (%v)", open, err)
	}
	if v, err := ledger.Check(ctx, w.admin); err != nil || v != nil {
		t.Fatalf("ledger check: %v %v", v, err)
	}
	r, err := ix.ix.Reconcile(ctx)
	if err != nil {
		t.Fatal(err)
	}
	mine := map[string]bool{frozen.ID.String(): true, reclaimedMidRelease.ID.String(): true, reclaimed.ID.String(): true}
	for _, m := range r.Mismatches {
		if mine[m.PaymentID] || (m.What == "escrow" && m.Token == sym) {
			t.Errorf("reconcile: %s %s of %s: on chain %s, books %s", m.What, m.Address.Hex(), m.PaymentID, m.OnChain, m.Ledger)
		}
	}
	t.Logf("reconciled at block %d: %d rows checked, this test's %d payments and its escrow agree", r.Block, r.Checked, len(mine))
}

// testIndexer is the indexer of the world's chain, stepped by the test.
type testIndexer struct {
	w  *world
	ix *indexer.Indexer
}

func newTestIndexer(t *testing.T, w *world) *testIndexer {
	f := w.f
	for _, q := range []string{`DELETE FROM indexer_observations WHERE chain_id = $1`, `DELETE FROM indexer_blocks WHERE chain_id = $1`,
		`DELETE FROM indexer_checkpoints WHERE chain_id = $1`, `DELETE FROM indexer_rescans WHERE chain_id = $1`} {
		if _, err := w.admin.Exec(w.ctx, q, f.ChainID); err != nil {
			t.Fatal(err)
		}
	}
	cfg := chain.Config{
		Chain:    chain.Chain{Key: "bsc", Name: "devnet", ID: f.ChainID, BlockTime: 50 * time.Millisecond, DepthFloor: 2},
		Finality: chain.FinalityDepth, FinalityStall: chain.Duration(time.Hour), MaxLogRange: 1000, StartBlock: 1,
		Endpoints:  []string{f.URL},
		Tokens:     []chain.Token{{Symbol: "USDT", Address: f.Addresses.USDT, Decimals: 6}},
		FeeProxies: []chain.Proxy{{Address: f.Addresses.ERC20FeeProxy}},
		Escrow:     f.Addresses.Escrow,
		GasTanks:   []common.Address{w.keys.OperatorAddress()},
	}
	reg := prometheus.NewRegistry()
	rpc, err := chain.NewPool(w.ctx, cfg, chain.PoolOptions{Metrics: chain.NewRPCMetrics(reg), BaseBackoff: time.Millisecond,
		MaxBackoff: 20 * time.Millisecond, Timeout: 2 * time.Second, Attempts: 30})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(rpc.Close)
	heads := indexer.NewHeadTracker(cfg.Chain, rpc, time.Second, indexer.NewHeadMetrics(reg), testLog(t))
	return &testIndexer{w: w, ix: indexer.New(cfg, rpc, w.admin, w.payments, heads, indexer.NewMetrics(reg), testLog(t), indexer.Options{})}
}

// until steps the indexer until cond holds.
func (x *testIndexer) until(cond func() bool) {
	x.w.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if _, err := x.ix.Step(x.w.ctx); err != nil {
			x.w.t.Logf("indexer step: %v", err)
		}
		if time.Now().After(deadline) {
			x.w.t.Fatal("indexer: condition not reached at the deadline")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// creditedAndSwept creates a payment in ledger bsc:sym whose checkout names buyer 0, pays it
// through the fee proxy, lets the indexer credit it, the worker and the signer sweep it, and the
// indexer book the Funded event.
func (w *world) creditedAndSwept(ix *testIndexer, sym string, amount int64) *payment.Payment {
	t, ctx, f := w.t, w.ctx, w.f
	t.Helper()
	n := offerSeq.Add(1)
	p, err := w.payments.Create(ctx, paymenttest.Offer(payment.NewPayment{
		BuyerRef: "buyer-1", OfferRef: fmt.Sprintf("offer-%d-%s", n, uuid.NewString()),
		ChainID: f.ChainID, ChainKey: "bsc", Token: f.Addresses.USDT, TokenSymbol: sym,
		Decimals: 6, Amount: big.NewInt(amount), Fee: big.NewInt(amount / 100), FeeAddress: f.FeeRecipient.Address,
		Commission: big.NewInt(amount / 50), RequestID: fmt.Sprintf("req-%d-%s", n, uuid.NewString()), Salt: "5a17", TTL: time.Hour,
	}, f.Seller))
	if err != nil {
		t.Fatal(err)
	}
	p = paymenttest.ProveBuyer(t, w.payments, p, f.Buyers[0])
	co, err := payment.NewCheckout(payment.CheckoutRequest{ChainID: f.ChainID, Token: f.Addresses.USDT, Decimals: 6,
		Amount: p.Amount, Fee: p.Fee, Deposit: p.Deposit, Reference: p.Reference, FeeProxy: f.Addresses.ERC20FeeProxy,
		FeeAddress: p.FeeAddress})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range co.Transactions {
		if _, err := f.Send(ctx, f.Buyers[0], c.To, c.Data, nil); err != nil {
			t.Fatalf("buyer %s: %v", c.Purpose, err)
		}
	}
	ix.until(func() bool { return w.get(p.ID).State == payment.Funded })
	sw := &intent.SweepWorker{Intents: w.intents, Escrow: func(uint64) common.Address { return f.Addresses.Escrow }, Log: testLog(t)}
	if err := sw.Work(ctx, &river.Job[payment.SweepArgs]{Args: payment.SweepArgs{PaymentID: p.ID.String()}}); err != nil {
		t.Fatal(err)
	}
	in, err := w.intents.OpenFor(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	w.until(in.ID, intent.Done)
	ix.until(func() bool { return w.get(p.ID).State == payment.InEscrow })
	return w.get(p.ID)
}

// releaseBroadcastThenBeaten asks for p's release and has it approved; with mining stopped, the
// signer broadcasts it and the worker's Follow moves the payment to releasing; then beat sends a
// transaction that outbids it into the same block. It returns the release intent once final.
func (w *world) releaseBroadcastThenBeaten(p *payment.Payment, beat func() (*types.Transaction, error)) *intent.Intent {
	t := w.t
	t.Helper()
	// Nothing is mined until the outbidding transaction is sent.
	if err := w.f.RPC.CallContext(w.ctx, nil, "evm_setAutomine", false); err != nil {
		t.Fatal(err)
	}
	w.paused.Store(true)
	defer func() {
		w.paused.Store(false)
		_ = w.f.RPC.CallContext(w.ctx, nil, "evm_setAutomine", true)
	}()
	in, _, err := w.intents.RequestRelease(w.ctx, p.ID, intent.RequestOptions{Actor: "admin:test", Contract: w.f.Addresses.Escrow})
	if err != nil {
		t.Fatal(err)
	}
	w.approve(in, w.f.Custodians[0], w.f.Custodians[1])
	w.until(in.ID, intent.Broadcast)
	if got := w.get(p.ID); got.State != payment.Releasing {
		t.Fatalf("with the release broadcast the payment is %s, want releasing", got.State)
	}
	tx, err := beat()
	if err != nil {
		t.Fatal(err)
	}
	w.paused.Store(false)
	if r, err := w.f.WaitMined(w.ctx, tx.Hash()); err != nil || r.Status != types.ReceiptStatusSuccessful {
		t.Fatalf("the outbidding transaction: %+v %v", r, err)
	}
	got := w.untilFinal(in.ID)
	if got.State != intent.Rejected {
		t.Fatalf("release intent ended %s: %s", got.State, got.Reason)
	}
	return got
}

// urgent are transaction options of a that outbid the signer's fees. The gas is not estimated:
// against the pending block (the signer's release in it) or the latest one (before the time
// jump) the transaction would seem to fail.
func (w *world) urgent(a devnet.Account) *bind.TransactOpts {
	opts := w.f.Opts(w.ctx, a)
	opts.GasTipCap, opts.GasFeeCap, opts.GasLimit = big.NewInt(500e9), big.NewInt(2000e9), 300_000
	return opts
}

func (w *world) get(id ledger.ID) *payment.Payment {
	w.t.Helper()
	p, err := w.payments.Get(w.ctx, id)
	if err != nil {
		w.t.Fatal(err)
	}
	return p
}

// timelineHas fails unless the payment's timeline has a row of event ev whose reason contains
// why.
func (w *world) timelineHas(id ledger.ID, ev payment.Event, why string) {
	w.t.Helper()
	tl, err := w.payments.Timeline(w.ctx, id)
	if err != nil {
		w.t.Fatal(err)
	}
	if !slices.ContainsFunc(tl, func(r payment.TimelineRow) bool { return r.Event == string(ev) && strings.Contains(r.Reason, why) }) {
		w.t.Fatalf("timeline of %s has no %s row mentioning %q: %+v", id, ev, why, tl)
	}
}

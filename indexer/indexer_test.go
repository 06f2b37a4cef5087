package indexer

import (
	"context"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/amanat/amn/chain"
	"github.com/amanat/amn/ledger"
	"github.com/amanat/amn/payment"
)

// wantDeposit checks a payment's books: one pending deposit per observation, each posted (or
// voided) exactly once, and the deposit account's posted balance.
func wantDeposit(t *testing.T, e *env, p *payment.Payment, posted int64, obs ...payment.Observation) {
	t.Helper()
	ctx := context.Background()
	books := ledger.New(e.db)
	acct, err := books.Account(ctx, p.DepositAcct)
	if err != nil {
		t.Fatal(err)
	}
	if b := acct.Balance(); b.Posted.Cmp(big.NewInt(posted)) != 0 || b.Pending.Sign() != 0 {
		t.Errorf("payment %s deposit account: posted %s pending %s, want posted %d pending 0", p.ID, b.Posted, b.Pending, posted)
	}
	for _, o := range obs {
		tr, err := books.LookupTransfer(ctx, o.TransferID())
		if err != nil {
			t.Fatalf("observation %s/%d: %v", o.TxHash.Hex(), o.LogIndex, err)
		}
		// Posted: a pending transfer and its post, or one posted transfer when final when first seen.
		if tr.Amount.Cmp(o.Amount) != 0 || (tr.State != ledger.StatePosted && tr.Flags&ledger.Pending != 0) {
			t.Errorf("observation transfer %s: amount %s state %s, want %s posted", tr.ID, tr.Amount, tr.State, o.Amount)
		}
	}
}

// obsOf finds the single stored observation of a transaction.
func obsOf(t *testing.T, e *env, tx common.Hash) []observation {
	t.Helper()
	all, err := e.ix.store.observations(context.Background(), e.cfg.ID, 0, 1<<62, StatePending, StateCredited, StateOrphaned, StateException, StateApplied, StateRejected)
	if err != nil {
		t.Fatal(err)
	}
	var out []observation
	for _, o := range all {
		if o.Obs.TxHash == tx {
			out = append(out, o)
		}
	}
	return out
}

func TestIndexerCreditsPaymentsOnAnvil(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t, 56)
	pay, pool := newPaymentService(t)
	e := newEnv(t, f, pay, pool, devConfig(f, 3), Options{})
	usdt, tusd := f.Addresses.USDT, f.Addresses.TUSD

	viaProxy := e.newPayment(56, usdt, 1_000_000)
	plain := e.newPayment(56, usdt, 2_000_000)
	native := e.newPayment(56, chain.NativeToken, 3_000_000_000)
	nativeProxy := e.newPayment(56, chain.NativeToken, 4_000_000_000)
	wrongToken := e.newPayment(56, usdt, 5_000_000)
	wrongChain := e.newPayment(137, usdt, 6_000_000)
	under := e.newPayment(56, tusd, 7_000_000)

	txProxy := e.payViaProxy(viaProxy, 0, 1_000_000)
	txPlain := e.transfer(usdt, plain.Deposit, 1, 2_000_000)
	txNative := e.sendNative(native.Deposit, 0, 3_000_000_000)
	txNativeProxy := e.payViaProxy(nativeProxy, 1, 4_000_000_000)
	txWrongToken := e.transfer(tusd, wrongToken.Deposit, 0, 5_000_000)
	txWrongChain := e.transfer(usdt, wrongChain.Deposit, 0, 6_000_000)
	txUnder := e.payViaProxy(under, 1, 6_999_999)

	e.catchUp()
	// The last payment's block is the head: detected, not final (finality is head − 2, the floor
	// 3 blocks).
	if s := e.state(under); s != payment.Detected {
		t.Errorf("payment in the head block: %s, want detected", s)
	}
	mine(t, f, 5)
	e.catchUp()

	for _, tc := range []struct {
		p     *payment.Payment
		tx    common.Hash
		state payment.State
		kind  string
		amt   int64
		buyer int
	}{
		{viaProxy, txProxy, payment.Funded, KindFeeProxy, 1_000_000, 0},
		{plain, txPlain, payment.Funded, KindTransfer, 2_000_000, 1},
		{native, txNative, payment.Funded, KindNative, 3_000_000_000, 0},
		{nativeProxy, txNativeProxy, payment.Funded, KindNativeFeeProxy, 4_000_000_000, 1},
		{under, txUnder, payment.Underpaid, KindFeeProxy, 6_999_999, 1},
	} {
		got, err := pay.Get(ctx, tc.p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.State != tc.state {
			t.Errorf("%s payment: state %s, want %s", tc.kind, got.State, tc.state)
		}
		// Paying never makes the payer the refund address: only the buyer's checkout signature
		// does (issue 13, finding 4).
		if got.BuyerAddress != (common.Address{}) {
			t.Errorf("%s payment: the payer %s became the refund address %s", tc.kind, f.Buyers[tc.buyer].Address.Hex(), got.BuyerAddress.Hex())
		}
		obs := obsOf(t, e, tc.tx)
		// The fee proxy's payment and the token's own Transfer in the same transaction count once.
		if len(obs) != 1 || obs[0].Kind != tc.kind || obs[0].State != StateCredited || obs[0].Obs.Amount.Int64() != tc.amt {
			t.Fatalf("%s payment: observations %+v, want one credited %s of %d", tc.kind, obs, tc.kind, tc.amt)
		}
		wantDeposit(t, e, tc.p, tc.amt, obs[0].Obs)
	}
	for _, tc := range []struct {
		p  *payment.Payment
		tx common.Hash
	}{{wrongToken, txWrongToken}, {wrongChain, txWrongChain}} {
		if s := e.state(tc.p); s != payment.AwaitingPayment {
			t.Errorf("payment %s: %s, want awaiting_payment", tc.p.ID, s)
		}
		obs := obsOf(t, e, tc.tx)
		if len(obs) != 1 || obs[0].State != StateException {
			t.Fatalf("exception observations %+v", obs)
		}
		var n int
		if err := pool.QueryRow(ctx, `SELECT count(*) FROM deposit_exceptions WHERE payment_id = $1 AND tx_hash = $2`, tc.p.ID, tc.tx.Hex()).Scan(&n); err != nil || n != 1 {
			t.Errorf("deposit_exceptions for %s: %d, %v", tc.p.ID, n, err)
		}
		if l := ledgerOf(t, pool, tc.p.ID); l != "" {
			t.Errorf("exception wrote ledger transfers:\n%s", l)
		}
	}
	if v := testutil.ToFloat64(e.m.credits.WithLabelValues("bsc")); v != 5 {
		t.Errorf("amn_indexer_credits_total = %v, want 5", v)
	}
	// The books agree with the chain at the final block.
	rec, err := e.ix.Reconcile(ctx)
	if err != nil || len(rec.Mismatches) != 0 || rec.Checked < 5 {
		t.Fatalf("reconcile: %+v, %v; want no mismatch", rec, err)
	}
	// Money arriving after the payment settled is kept as an exception, not credited: the chain
	// then holds more than the books, and reconciliation says where.
	e.transfer(usdt, viaProxy.Deposit, 0, 123)
	mine(t, f, 5)
	e.catchUp()
	rec, err = e.ix.Reconcile(ctx)
	if err != nil || len(rec.Mismatches) != 1 || rec.Mismatches[0].Address != viaProxy.Deposit || rec.Mismatches[0].Diff.Int64() != 123 {
		t.Fatalf("reconcile after an uncredited deposit: %+v, %v", rec, err)
	}
	if v := testutil.ToFloat64(e.m.reconcileDiff.WithLabelValues("bsc", "USDT")); v != 123 {
		t.Errorf("amn_reconcile_difference{bsc,USDT} = %v, want 123", v)
	}
	// Running over the same blocks again changes nothing.
	before := ledgerOf(t, pool, viaProxy.ID)
	if _, err := pool.Exec(ctx, `UPDATE indexer_checkpoints SET processed = 0, processed_hash = (SELECT hash FROM indexer_blocks WHERE chain_id = 56 AND number = 0) WHERE chain_id = 56`); err == nil {
		e.catchUp()
	}
	if after := ledgerOf(t, pool, viaProxy.ID); after != before {
		t.Errorf("re-indexing changed the ledger:\n%s\nvs\n%s", before, after)
	}
}

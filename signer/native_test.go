package signer

import (
	"fmt"
	"math/big"
	"slices"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/google/uuid"

	"github.com/amanat/amn/bindings"
	"github.com/amanat/amn/chain"
	"github.com/amanat/amn/chart"
	"github.com/amanat/amn/intent"
	"github.com/amanat/amn/ledger"
	"github.com/amanat/amn/payment"
	"github.com/amanat/amn/payment/paymenttest"
)

// paidNative creates a payment of wei in the chain's own currency (ledger bsc:BNB) and has buyer 0
// pay it through the real EthereumFeeProxy; then plays the indexer (Detect, Confirm).
func (w *world) paidNative(wei *big.Int) *payment.Payment {
	t, ctx, f := w.t, w.ctx, w.f
	t.Helper()
	n := offerSeq.Add(1)
	p, err := w.payments.Create(ctx, paymenttest.Offer(payment.NewPayment{
		BuyerRef: "buyer-1", OfferRef: fmt.Sprintf("offer-%d-%s", n, uuid.NewString()), SellerAddress: f.Seller.Address,
		ChainID: f.ChainID, ChainKey: "bsc", Token: chain.NativeToken, TokenSymbol: "BNB", Decimals: payment.NativeDecimals,
		Amount: wei, Fee: new(big.Int).Div(wei, big.NewInt(100)), FeeAddress: f.FeeRecipient.Address,
		Commission: new(big.Int).Div(wei, big.NewInt(50)), RequestID: fmt.Sprintf("req-%d-%s", n, uuid.NewString()), Salt: "5a17", TTL: time.Hour,
	}, f.Seller))
	if err != nil {
		t.Fatal(err)
	}
	buyer := f.Buyers[0]
	p = paymenttest.ProveBuyer(t, w.payments, p, buyer) // the buyer signs the checkout, then pays
	co, err := payment.NewCheckout(payment.CheckoutRequest{ChainID: f.ChainID, Native: true, Decimals: payment.NativeDecimals,
		Amount: p.Amount, Fee: p.Fee, Deposit: p.Deposit, Reference: p.Reference, FeeProxy: f.Addresses.EthereumFeeProxy,
		FeeAddress: p.FeeAddress})
	if err != nil {
		t.Fatal(err)
	}
	var rcpt *types.Receipt
	for _, c := range co.Transactions {
		v, _ := new(big.Int).SetString(c.Value, 10)
		if rcpt, err = f.Send(ctx, buyer, c.To, c.Data, v); err != nil {
			t.Fatalf("buyer %s: %v", c.Purpose, err)
		}
	}
	proxyABI, _ := bindings.EthereumFeeProxyMetaData.GetAbi()
	ev := proxyABI.Events["TransferWithReferenceAndFee"].ID
	var obs *payment.Observation
	for _, l := range rcpt.Logs {
		if l.Address == f.Addresses.EthereumFeeProxy && len(l.Topics) > 0 && l.Topics[0] == ev {
			obs = &payment.Observation{ChainID: f.ChainID, BlockHash: l.BlockHash, BlockNumber: l.BlockNumber, TxHash: l.TxHash,
				LogIndex: uint64(l.Index), Token: chain.NativeToken, Amount: p.Amount}
		}
	}
	if obs == nil {
		t.Fatal("no TransferWithReferenceAndFee in the native payment's receipt")
	}
	if _, err := w.payments.Detect(ctx, p.ID, *obs); err != nil {
		t.Fatal(err)
	}
	if p, err = w.payments.Confirm(ctx, p.ID, obs.TransferID()); err != nil {
		t.Fatal(err)
	}
	if p.State != payment.Funded || w.native(p.Deposit).Cmp(p.Received) != 0 {
		t.Fatalf("payment is %s, deposit holds %s; want funded with %s", p.State, w.native(p.Deposit), p.Received)
	}
	return p
}

func (w *world) sweepSteps(id uuid.UUID) []string {
	w.t.Helper()
	txs, err := w.intents.Txs(w.ctx, id)
	if err != nil {
		w.t.Fatal(err)
	}
	var steps []string
	for _, x := range txs {
		steps = append(steps, x.Step+":"+x.State)
	}
	return steps
}

// A payment in the chain's own currency: swept with a top-up (only what the deposit lacks for the
// amount plus gas) and fundNative(value = amount), its dust booked in bsc:BNB, then released
// 2-of-3 in native currency. A deposit that already holds the amount and the gas is swept without
// a top-up, and refunded.
func TestNativePaymentSweptReleasedAndRefunded(t *testing.T) {
	t.Parallel() // a world of its own: anvil and database
	w := newWorld(t, func(c *Config) {
		c.Policy.Limits[LimitKey{c.Chains[0].ID, chain.NativeToken}] = Limit{PerTx: big.NewInt(1e18), PerDay: new(big.Int).Mul(big.NewInt(10), big.NewInt(1e18))}
	})
	op := w.keys.OperatorAddress()
	escrowBefore := w.native(w.f.Addresses.Escrow)
	p := w.paidNative(big.NewInt(3e16)) // 0.03 BNB
	tankBefore := w.native(op)
	sweep := w.sweep(p)
	if steps := w.sweepSteps(sweep.ID); !slices.Equal(steps, []string{"gas_topup:confirmed", "fund:confirmed"}) {
		t.Fatalf("native sweep transactions %v", steps)
	}
	r, err := w.f.Escrow.Escrows(nil, p.EscrowID())
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != escrowOpen || r.Token != (common.Address{}) || r.Amount.Cmp(p.Received) != 0 || r.Buyer != w.f.Buyers[0].Address || r.Seller != w.f.Seller.Address {
		t.Fatalf("escrow record %+v; want open, native, %s", r, p.Received)
	}
	if got := new(big.Int).Sub(w.native(w.f.Addresses.Escrow), escrowBefore); got.Cmp(p.Received) != 0 {
		t.Fatalf("the escrow contract received %s wei, want %s", got, p.Received)
	}
	// The dust: what the deposit keeps is exactly its gas account in bsc:BNB; the tank's spend is
	// its account's debits.
	dust := w.native(p.Deposit)
	if held := w.posted(chart.GasHeld(nativeLedger, p.Deposit)); dust.Sign() <= 0 || held.Cmp(dust) != 0 {
		t.Fatalf("deposit keeps %s wei on chain; its gas account holds %s", dust, held)
	}
	spent := new(big.Int).Sub(tankBefore, w.native(op))
	if got := new(big.Int).Neg(w.posted(chart.GasTank(nativeLedger, op))); got.Cmp(spent) != 0 {
		t.Fatalf("tank account debited %s, the tank spent %s", got, spent)
	}
	t.Logf("native sweep: %d gas (top-up, fundNative), %s wei; dust left %s wei", sweep.GasUsed, sweep.GasCost, dust)

	// Release 2-of-3 in native currency.
	sellerBefore, feeBefore := w.native(w.f.Seller.Address), w.native(w.f.FeeRecipient.Address)
	in, _, err := w.intents.RequestRelease(w.ctx, p.ID, intent.RequestOptions{Actor: "admin:test", Contract: w.f.Addresses.Escrow})
	if err != nil {
		t.Fatal(err)
	}
	w.approve(in, w.f.Custodians[0], w.f.Custodians[1])
	rel := w.until(in.ID, intent.Done)
	if _, err := w.payments.Released(w.ctx, p.ID); err != nil {
		t.Fatal(err)
	}
	if got := new(big.Int).Sub(w.native(w.f.Seller.Address), sellerBefore); got.Cmp(p.SellerAmount()) != 0 {
		t.Fatalf("seller got %s wei, want %s", got, p.SellerAmount())
	}
	if got := new(big.Int).Sub(w.native(w.f.FeeRecipient.Address), feeBefore); got.Cmp(p.Commission) != 0 {
		t.Fatalf("fee recipient got %s wei, want %s", got, p.Commission)
	}
	if got := w.native(w.f.Addresses.Escrow); got.Cmp(escrowBefore) != 0 {
		t.Fatalf("the escrow contract keeps %s wei after the release, want %s", got, escrowBefore)
	}
	t.Logf("native release: %d gas, %s wei", rel.GasUsed, rel.GasCost)

	// A deposit that already holds the amount and more than the gas: no top-up. It pays the gas
	// with money the books never held, booked as coming from outside; its gas account stays 0.
	p2 := w.paidNative(big.NewInt(2e16))
	extra := big.NewInt(1e16)
	if err := w.f.SetBalance(w.ctx, p2.Deposit, new(big.Int).Add(p2.Received, extra)); err != nil {
		t.Fatal(err)
	}
	tankNonce := w.nonce(op)
	sweep2 := w.sweep(p2)
	if steps := w.sweepSteps(sweep2.ID); !slices.Equal(steps, []string{"fund:confirmed"}) {
		t.Fatalf("sweep of a deposit with enough gas: %v", steps)
	}
	if w.nonce(op) != tankNonce {
		t.Fatal("the tank topped up a deposit that had enough")
	}
	if got := new(big.Int).Sub(extra, w.native(p2.Deposit)); got.Cmp(sweep2.GasCost) != 0 {
		t.Fatalf("the deposit paid %s wei of gas, the sweep cost %s", got, sweep2.GasCost)
	}
	if held := w.posted(chart.GasHeld(nativeLedger, p2.Deposit)); held.Sign() != 0 {
		t.Fatalf("gas account of a deposit never topped up holds %s", held)
	}
	// ... and refunded in native currency.
	buyerBefore := w.native(w.f.Buyers[0].Address)
	ref, _, err := w.intents.RequestRefund(w.ctx, p2.ID, intent.RequestOptions{Actor: "admin:test", Reason: "never shipped", Contract: w.f.Addresses.Escrow})
	if err != nil {
		t.Fatal(err)
	}
	w.approve(ref, w.f.Custodians[2], w.f.Custodians[0])
	w.until(ref.ID, intent.Done)
	if _, err := w.payments.Refunded(w.ctx, p2.ID); err != nil {
		t.Fatal(err)
	}
	if got := new(big.Int).Sub(w.native(w.f.Buyers[0].Address), buyerBefore); got.Cmp(p2.Received) != 0 {
		t.Fatalf("buyer got back %s wei, want %s", got, p2.Received)
	}

	if v, err := ledger.Check(w.ctx, w.admin); err != nil || v != nil {
		t.Fatalf("ledger check: %v %v", v, err)
	}
	tb, err := ledger.New(w.admin).TrialBalance(w.ctx, nativeLedger)
	if err != nil || !tb.Balanced() {
		t.Fatalf("trial balance of %s: %+v %v", nativeLedger, tb, err)
	}
	got, err := w.payments.Get(w.ctx, p.ID)
	if err != nil || got.State != payment.Released {
		t.Fatalf("payment %v %v", got.State, err)
	}
}

package signer

import (
	"math/big"
	"slices"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/amanat/amn/intent"
	"github.com/amanat/amn/ledger"
	"github.com/amanat/amn/payment"
)

// Acceptance 1: paid through the real fee proxy, credited (the indexer's Detect/Confirm, played
// by the test until the indexer lands), swept into AmnEscrow by the signer, approved 2-of-3,
// released; seller and fee recipient get the right amounts; ledger, timeline and audit agree.
func TestReleaseEndToEnd(t *testing.T) {
	t.Parallel() // a world of its own: anvil and database
	w := newWorld(t, nil)
	auditBefore, err := ReadAuditHead(w.ctx, w.admin) // whatever came before this test is not its signer's
	if err != nil {
		t.Fatal(err)
	}
	p := w.paid(125_000_000)
	depositBefore := w.usdt(p.Deposit)
	sweep := w.sweep(p)
	if st, amt := w.escrowRecord(p.ID); st != escrowOpen || amt.Cmp(p.Received) != 0 {
		t.Fatalf("escrow status %d amount %s, want open %s", st, amt, p.Received)
	}
	if got := w.usdt(p.Deposit); got.Cmp(new(big.Int).Sub(depositBefore, p.Received)) != 0 {
		t.Fatalf("deposit holds %s after the sweep", got)
	}
	txs, err := w.intents.Txs(w.ctx, sweep.ID)
	if err != nil {
		t.Fatal(err)
	}
	var steps []string
	for _, x := range txs {
		steps = append(steps, x.Step+":"+x.State)
	}
	if !slices.Equal(steps, []string{"gas_topup:confirmed", "approve:confirmed", "fund:confirmed"}) {
		t.Fatalf("sweep transactions %v", steps)
	}
	t.Logf("gas per deposit swept: %d gas (top-up, approve, fund), %s wei", sweep.GasUsed, sweep.GasCost)

	sellerBefore, feeBefore := w.usdt(w.f.Seller.Address), w.usdt(w.f.FeeRecipient.Address)
	in, created, err := w.intents.RequestRelease(w.ctx, p.ID, intent.RequestOptions{Actor: "admin:test", Contract: w.f.Addresses.Escrow})
	if err != nil || !created {
		t.Fatalf("request release: %v (created %v)", err, created)
	}
	if in.State != intent.AwaitingApprovals || in.SellerAmount.Cmp(p.SellerAmount()) != 0 || in.FeeAmount.Cmp(p.Commission) != 0 {
		t.Fatalf("release intent %+v", in)
	}
	// One approval is not enough: the signer waits.
	w.approve(in, w.f.Custodians[0])
	_ = w.signer.Tick(w.ctx)
	if got, _ := w.intents.Get(w.ctx, in.ID); got.State != intent.AwaitingApprovals {
		t.Fatalf("with one approval the intent is %s", got.State)
	}
	w.approve(in, w.f.Custodians[2])
	done := w.until(in.ID, intent.Done)
	// The indexer's part, played here: the Released event is final.
	if _, err := w.payments.Released(w.ctx, p.ID); err != nil {
		t.Fatal(err)
	}
	if st, _ := w.escrowRecord(p.ID); st != 2 {
		t.Fatalf("escrow status %d, want released (2)", st)
	}
	if got := new(big.Int).Sub(w.usdt(w.f.Seller.Address), sellerBefore); got.Cmp(p.SellerAmount()) != 0 {
		t.Fatalf("seller got %s, want %s", got, p.SellerAmount())
	}
	if got := new(big.Int).Sub(w.usdt(w.f.FeeRecipient.Address), feeBefore); got.Cmp(p.Commission) != 0 {
		t.Fatalf("fee recipient got %s, want %s", got, p.Commission)
	}
	t.Logf("release: %d gas, %s wei", done.GasUsed, done.GasCost)

	// The books: the deposit is empty, this payment's escrow share went out, the fees account holds the commission.
	books := ledger.New(w.admin)
	dep, err := books.Account(w.ctx, p.DepositAcct)
	if err != nil {
		t.Fatal(err)
	}
	if dep.Balance().Posted.Sign() != 0 {
		t.Fatalf("deposit account still holds %s", dep.Balance().Posted)
	}
	for _, k := range []string{"payment/released", "payment/commissioned"} {
		if _, err := books.LookupTransfer(w.ctx, ledger.DeriveID(k+"\x00"+p.ID.String())); err != nil {
			t.Fatalf("%s: %v", k, err)
		}
	}
	if v, err := ledger.Check(w.ctx, w.admin); err != nil || v != nil {
		t.Fatalf("ledger check: %v %v", v, err)
	}
	tl, err := w.payments.Timeline(w.ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	var states []string
	for _, r := range tl {
		states = append(states, string(r.To)+"/"+r.Event)
	}
	// The buyer's checkout signature (prove_buyer) fixes the refund address before the payment.
	want := []string{"awaiting_payment/create", "awaiting_payment/prove_buyer", "detected/detect", "funded/confirm", "sweeping/start_sweep",
		"in_escrow/swept", "release_pending/request_release", "releasing/start_release", "released/released"}
	if !slices.Equal(states, want) {
		t.Fatalf("timeline %v, want %v", states, want)
	}
	if ev := w.auditEvents(in.ID); !slices.Equal(ev, []string{AuditAccepted, AuditSigned, AuditBroadcast, AuditConfirmed, AuditConfirmed, AuditDone}) {
		t.Fatalf("audit of the release: %v", ev)
	}
	// Every row this world's signer wrote is signed by its operator key.
	from := auditBefore.Seq + 1
	if head, err := VerifyAudit(w.ctx, w.admin, AuditCheck{Operator: w.keys.OperatorAddress(), SignedFrom: from}); err != nil || head.Seq <= from {
		t.Fatalf("audit verify: head %s, %v", head, err)
	}
	// Metrics: one sweep and one release done, gas counted, the tank's balance reported.
	for _, k := range []string{"sweep", "release"} {
		if v := testutil.ToFloat64(w.signer.m.results.WithLabelValues(k, "done")); v != 1 {
			t.Fatalf("amn_signer_intents_total{kind=%q,result=\"done\"} = %v", k, v)
		}
	}
	if v := testutil.ToFloat64(w.signer.m.gasUsed.WithLabelValues("bsc", StepFund)); v <= 0 {
		t.Fatalf("no gas counted for fund: %v", v)
	}
	if v := testutil.ToFloat64(w.signer.m.tankWei.WithLabelValues("bsc")); v < 1e19 {
		t.Fatalf("gas tank balance metric %v", v)
	}
	// The queue gauge is set at the start of each tick: a release that became final within a tick
	// leaves the count of that tick's start until the next one.
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		v := testutil.ToFloat64(w.signer.m.queueDepth.WithLabelValues("release", "awaiting_approvals"))
		if v == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("queue depth of a finished release: %v", v)
		}
	}
}

// Acceptance 2: the same for a refund.
func TestRefundEndToEnd(t *testing.T) {
	t.Parallel() // a world of its own: anvil and database
	w := newWorld(t, nil)
	p, _ := w.inEscrow(40_000_000)
	buyer := w.f.Buyers[0].Address
	before := w.usdt(buyer)
	if _, _, err := w.intents.RequestRefund(w.ctx, p.ID, intent.RequestOptions{Contract: w.f.Addresses.Escrow}); err == nil {
		t.Fatal("a refund without a reason was accepted")
	}
	in, _, err := w.intents.RequestRefund(w.ctx, p.ID, intent.RequestOptions{Actor: "admin:test", Reason: "seller never delivered", Contract: w.f.Addresses.Escrow})
	if err != nil {
		t.Fatal(err)
	}
	w.approve(in, w.f.Custodians[1], w.f.Custodians[0])
	w.until(in.ID, intent.Done)
	if _, err := w.payments.Refunded(w.ctx, p.ID); err != nil {
		t.Fatal(err)
	}
	if got := new(big.Int).Sub(w.usdt(buyer), before); got.Cmp(p.Received) != 0 {
		t.Fatalf("buyer got back %s, want %s", got, p.Received)
	}
	if st, _ := w.escrowRecord(p.ID); st != 3 {
		t.Fatalf("escrow status %d, want refunded (3)", st)
	}
	got, err := w.payments.Get(w.ctx, p.ID)
	if err != nil || got.State != payment.Refunded {
		t.Fatalf("payment %v %v", got.State, err)
	}
	if v, err := ledger.Check(w.ctx, w.admin); err != nil || v != nil {
		t.Fatalf("ledger check: %v %v", v, err)
	}
}

package signer

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/google/uuid"
	"github.com/riverqueue/river"

	"github.com/amanat/amn/custody"
	"github.com/amanat/amn/escrow"
	"github.com/amanat/amn/hwwallet"
	"github.com/amanat/amn/hwwallet/testdevice"
	"github.com/amanat/amn/intent"
	"github.com/amanat/amn/ledger"
	"github.com/amanat/amn/payment"
)

// Issue #19, "On chain", end to end on anvil with the real signer, the real indexer and the
// worker's jobs: a funded payment in escrow is disputed (the signer freezes the escrow); the
// dispute is resolved with ResolveSplit, 30% to the buyer; the worker records the settle intent;
// two custodians approve it on their Trezors (test devices that show each recipient and part, the
// custodian checking them before pressing the button); the signer verifies and settles; the
// buyer, the seller and the fee recipient receive exactly their parts; the indexer books the
// Settled event at finality as a three-way transfer; the ledger balances and reconciles with the
// chain.
func TestSettleSplitEndToEnd(t *testing.T) {
	t.Parallel() // a world of its own: anvil and database
	w := newWorld(t, nil)
	ctx, f := w.ctx, w.f
	sym := fmt.Sprintf("S%d", time.Now().UnixNano()%1_000_000_000)
	ix := newTestIndexer(t, w)
	p := w.creditedAndSwept(ix, sym, 100_000_000)
	dc := w.deviceCustodians()

	// The dispute: the payment is disputed and its escrow frozen on chain by the signer.
	w.disputeAndFreeze(p)

	// ResolveSplit: 30% back to the buyer; the worker turns its job into the settle intent.
	buyerPart := big.NewInt(30_000_000)
	if _, err := w.payments.ResolveSplit(ctx, p.ID, buyerPart, "admin:alice", "half the order arrived damaged"); err != nil {
		t.Fatal(err)
	}
	in := w.settleIntent(p)
	split, _ := payment.SplitOf(p.Received, p.Commission, buyerPart)
	if in.Buyer != f.Buyers[0].Address || in.BuyerAmount.Cmp(big.NewInt(30_000_000)) != 0 || in.Seller != f.Seller.Address ||
		in.SellerAmount.Cmp(big.NewInt(68_600_000)) != 0 || in.FeeRecipient != f.FeeRecipient.Address ||
		in.FeeAmount.Cmp(big.NewInt(1_400_000)) != 0 || !in.ResolvesDispute || in.State != intent.AwaitingApprovals {
		t.Fatalf("settle intent %+v, want the split %+v", in, split)
	}

	// Two custodians approve on their devices, each checking every recipient and part on the
	// screen; the custody service shows the same three payouts.
	pend, err := dc.svc.Intent(ctx, in.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(pend.Payouts) != 3 || pend.Payouts[0].Role != "buyer" || pend.Payouts[1].Role != "seller" || pend.Payouts[2].Role != "fee" ||
		pend.Payouts[0].Amount.Cmp(split.Buyer) != 0 || pend.Payouts[1].Amount.Cmp(split.Seller) != 0 || pend.Payouts[2].Amount.Cmp(split.Fee) != 0 {
		t.Fatalf("custody shows %+v", pend.Payouts)
	}
	before := map[string]*big.Int{"buyer": w.usdt(in.Buyer), "seller": w.usdt(in.Seller), "fee": w.usdt(in.FeeRecipient)}
	for i, tz := range dc.trezors {
		dc.devs[i].expect(settleLines(in))
		if _, err := dc.svc.Approve(ctx, in.ID, dc.sign(in, tz), dc.options(p)); err != nil {
			t.Fatal(err)
		}
	}
	w.until(in.ID, intent.Done)

	// The chain: each part arrived exactly; the escrow is settled.
	if st, _ := w.escrowRecord(p.ID); st != 5 {
		t.Fatalf("escrow status %d, want settled (5)", st)
	}
	for role, want := range map[string]*big.Int{"buyer": split.Buyer, "seller": split.Seller, "fee": split.Fee} {
		addr := map[string]common.Address{"buyer": in.Buyer, "seller": in.Seller, "fee": in.FeeRecipient}[role]
		if got := new(big.Int).Sub(w.usdt(addr), before[role]); got.Cmp(want) != 0 {
			t.Errorf("%s received %s, want %s", role, got, want)
		}
	}

	// The books: the indexer books the Settled event at finality, three parts posted.
	ix.until(func() bool { return w.get(p.ID).State == payment.Settled })
	w.timelineHas(p.ID, payment.EvResolveSplit, "split: 30000000 to the buyer, 68600000 to the seller, 1400000 fee")
	w.timelineHas(p.ID, payment.EvStartSettle, "")
	w.timelineHas(p.ID, payment.EvSettled, "")
	var posted map[int]int64 = map[int]int64{}
	rows, err := w.admin.Query(ctx, `SELECT code, sum(amount)::bigint FROM ledger_transfers WHERE payment_ref = $1
		AND NOT pending AND NOT void_pending AND code IN (12, 13, 14) GROUP BY code`, p.ID.String())
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var code int
		var sum int64
		if err := rows.Scan(&code, &sum); err != nil {
			t.Fatal(err)
		}
		posted[code] = sum
	}
	if posted[14] != split.Buyer.Int64() || posted[12] != split.Seller.Int64() || posted[13] != split.Fee.Int64() {
		t.Fatalf("posted out of escrow by code %v, want refund %s, release %s, commission %s", posted, split.Buyer, split.Seller, split.Fee)
	}
	if v, err := ledger.Check(ctx, w.admin); err != nil || v != nil {
		t.Fatalf("ledger check: %v %v", v, err)
	}
	r, err := ix.ix.Reconcile(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range r.Mismatches {
		if m.PaymentID == p.ID.String() || (m.What == "escrow" && m.Token == sym) {
			t.Errorf("reconcile: %s %s of %s: on chain %s, books %s", m.What, m.Address.Hex(), m.PaymentID, m.OnChain, m.Ledger)
		}
	}
	t.Logf("settled 30/70: buyer %s, seller %s, fee %s; reconciled at block %d", split.Buyer, split.Seller, split.Fee, r.Block)
}

// The attacker's side of a settle: approvals of one split reused for another, an intent row forged
// with altered parts (even with the custodians' approvals of exactly those parts), and approvals
// from keys that are not custodians. The signer refuses each and nothing leaves the escrow; the
// honest split then settles.
func TestSettleRefusesReusedForgedAndForeignApprovals(t *testing.T) {
	t.Parallel() // a world of its own: anvil and database
	w := newWorld(t, nil)
	ctx, f := w.ctx, w.f
	dc := w.deviceCustodians()
	first, _ := w.inEscrow(40_000_000)
	second, _ := w.inEscrow(40_000_001)
	for _, p := range []*payment.Payment{first, second} {
		w.disputeAndFreeze(p)
	}
	if _, err := w.payments.ResolveSplit(ctx, first.ID, big.NewInt(12_000_000), "admin:alice", "30%"); err != nil {
		t.Fatal(err)
	}
	if _, err := w.payments.ResolveSplit(ctx, second.ID, big.NewInt(28_000_000), "admin:alice", "70%"); err != nil {
		t.Fatal(err)
	}
	in1, in2 := w.settleIntent(first), w.settleIntent(second)
	op := w.keys.OperatorAddress()
	sent := w.nonce(op)

	// 1. The first split's device approvals, reused for the second split: the custody service
	// refuses them, and slipped into the table behind its back they make no quorum for the signer.
	for i, tz := range dc.trezors {
		dc.devs[i].expect(settleLines(in1))
		a := dc.sign(in1, tz)
		if _, err := dc.svc.Approve(ctx, in2.ID, a, dc.options(second)); !errors.Is(err, custody.ErrWrongSignature) {
			t.Fatalf("an approval of another split: %v, want ErrWrongSignature", err)
		}
		if err := w.intents.AddApproval(ctx, in2.ID, a); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.intents.Submit(ctx, in2.ID); err != nil {
		t.Fatal(err)
	}
	if got := w.untilFinal(in2.ID); got.State != intent.Rejected || !strings.Contains(got.Reason, "valid custodian approvals") {
		t.Fatalf("settle with another split's approvals: %s %q", got.State, got.Reason)
	}

	// 2. Keys that are not custodians: refused by the custody service and, stored anyway, not
	// counted by the signer, which rejects the intent.
	outsider, err := hwwallet.NewSoftwareSigner(depositMnemonic, "not a custodian")
	if err != nil {
		t.Fatal(err)
	}
	oa := dc.sign(in1, outsider)
	if _, err := dc.svc.Approve(ctx, in1.ID, oa, custody.ApproveOptions{OnChain: dc.onChain, EscrowFrozen: ptr(true)}); !errors.Is(err, custody.ErrRefused) {
		t.Fatalf("a non-custodian's approval: %v", err)
	}
	if err := w.intents.AddApproval(ctx, in1.ID, oa); err != nil {
		t.Fatal(err)
	}
	w.approve(in1, f.Seller) // the seller, an outsider too: an EIP-712 signature of the right terms
	if got := w.untilFinal(in1.ID); got.State != intent.Rejected || !strings.Contains(got.Reason, "not a custodian") {
		t.Fatalf("settle approved by two outsiders: %s %q", got.State, got.Reason)
	}
	if n := w.nonce(op); n != sent {
		t.Fatalf("the operator sent %d transactions for refused settles", n-sent)
	}
	for _, p := range []*payment.Payment{first, second} {
		if st, amount := w.escrowRecord(p.ID); st != escrowOpen || amount.Cmp(p.Received) != 0 {
			t.Fatalf("escrow %d holding %s after the refused settles", st, amount)
		}
	}

	// 3. Forged intent rows for the first payment (the forger closes any genuine one first: one
	// payout intent is open per payment), more to the buyer than the split decided; the custodians
	// were fooled into approving exactly the forged parts. The signer re-derives
	// the parts from the payment's split and refuses. Likewise a row that pays the buyer's part
	// to another address.
	if _, err := w.admin.Exec(ctx, `UPDATE signer_intents SET state = 'rejected', reason = 'closed by the forger' WHERE id = $1`, in1.ID); err != nil {
		t.Fatal(err)
	}
	for name, forge := range map[string]func(*intent.Intent){
		"altered parts": func(in *intent.Intent) {
			in.BuyerAmount, in.SellerAmount = big.NewInt(30_000_000), big.NewInt(9_600_000)
		},
		"diverted buyer": func(in *intent.Intent) { in.Buyer = f.Buyers[1].Address },
	} {
		forged := *in1
		forged.ID = uuid.New()
		forge(&forged)
		if _, err := w.admin.Exec(ctx, `INSERT INTO signer_intents (id, kind, payment_id, chain_id, contract, token, seller,
			seller_amount, fee_recipient, fee_amount, buyer, amount, resolves_dispute, deadline, state, requested_by, escrow_id, buyer_amount)
			VALUES ($1, 'settle', $2, $3, $4, $5, $6, $7, $8, $9, $10, NULL, true, $11, 'pending', 'forger', $12, $13)`,
			forged.ID, first.ID, f.ChainID, hexAddr(forged.Contract), hexAddr(forged.Token), hexAddr(forged.Seller),
			forged.SellerAmount.String(), hexAddr(forged.FeeRecipient), forged.FeeAmount.String(), hexAddr(forged.Buyer),
			forged.Deadline, forged.EscrowID.Hex(), forged.BuyerAmount.String()); err != nil {
			t.Fatal(err)
		}
		w.approve(&forged, f.Custodians[0], f.Custodians[1]) // a valid quorum over the forged terms
		got := w.untilFinal(forged.ID)
		if got.State != intent.Rejected || !(strings.Contains(got.Reason, "the payment's split is") || strings.Contains(got.Reason, "signed the offer and the checkout")) {
			t.Fatalf("%s: %s %q", name, got.State, got.Reason)
		}
		t.Logf("%s: the signer: %s", name, got.Reason)
	}

	// The honest split, asked for again, approved on the devices, settles.
	in1, _, err = w.intents.RequestSettle(ctx, first.ID, intent.SettleOptions{Contract: f.Addresses.Escrow})
	if err != nil {
		t.Fatal(err)
	}
	buyer := w.usdt(in1.Buyer)
	for i, tz := range dc.trezors {
		dc.devs[i].expect(settleLines(in1))
		if _, err := dc.svc.Approve(ctx, in1.ID, dc.sign(in1, tz), dc.options(first)); err != nil {
			t.Fatal(err)
		}
	}
	w.until(in1.ID, intent.Done)
	if got := new(big.Int).Sub(w.usdt(in1.Buyer), buyer); got.Cmp(big.NewInt(12_000_000)) != 0 {
		t.Fatalf("buyer received %s, want 12000000", got)
	}
}

// deviceCustody is an escrow whose custodians are two Trezors (test devices over UDP, one with a
// PIN, one with a passphrase wallet) and one of the fixture's keys, 2 of 3, all enrolled.
type deviceCustody struct {
	w       *world
	devs    []*reviewedDevice
	trezors []*hwwallet.Device
	svc     *custody.Service
	onChain *custody.OnChain
}

// reviewedDevice is a test device whose person checks, at the next confirmation, the lines set by
// expect.
type reviewedDevice struct {
	*testdevice.Device
	want []string
}

func (r *reviewedDevice) expect(lines []string) { r.want = lines }

// settleLines are what a custodian checks on the screen before approving a settle: each recipient
// and its part.
func settleLines(in *intent.Intent) []string {
	return []string{
		"Settle.buyer: " + in.Buyer.Hex(), "Settle.buyerAmount: " + in.BuyerAmount.String(),
		"Settle.seller: " + in.Seller.Hex(), "Settle.sellerAmount: " + in.SellerAmount.String(),
		"Settle.feeRecipient: " + in.FeeRecipient.Hex(), "Settle.feeAmount: " + in.FeeAmount.String(),
		"Settle.resolvesDispute: true",
	}
}

func (w *world) deviceCustodians() *deviceCustody {
	t, ctx, f := w.t, w.ctx, w.f
	t.Helper()
	dc := &deviceCustody{w: w, svc: custody.New(w.admin, w.intents, w.payments)}
	for _, o := range []struct {
		opts            testdevice.Options
		pin, passphrase string
	}{{testdevice.Options{PIN: "1234"}, "1234", ""}, {testdevice.Options{Passphrase: true}, "", "second custodian"}} {
		rd := &reviewedDevice{}
		o.opts.Review = func(screens []string) error {
			if rd.want == nil {
				return nil
			}
			return testdevice.Expect(rd.want...)(screens)
		}
		dev, tz := custodyDevice(t, o.opts, o.pin, o.passphrase)
		rd.Device = dev
		dc.devs, dc.trezors = append(dc.devs, rd), append(dc.trezors, tz)
	}
	var set []common.Address
	for _, tz := range dc.trezors {
		a, err := tz.Address(ctx, hwwallet.DefaultPath)
		if err != nil {
			t.Fatal(err)
		}
		set = append(set, a)
	}
	set = append(set, f.Custodians[0].Address)
	slices.SortFunc(set, func(a, b common.Address) int { return bytes.Compare(a[:], b[:]) })
	call := &bind.CallOpts{Context: ctx}
	nonce, err := f.Escrow.ConfigNonce(call)
	if err != nil {
		t.Fatal(err)
	}
	now, err := f.Now(ctx)
	if err != nil {
		t.Fatal(err)
	}
	dom := escrow.Domain{ChainID: f.ChainID, Contract: f.Addresses.Escrow}
	change := escrow.SetCustodians{Custodians: set, Threshold: big.NewInt(2), Nonce: nonce, Deadline: big.NewInt(now.Add(time.Hour).Unix())}
	digest, err := dom.Digest(change)
	if err != nil {
		t.Fatal(err)
	}
	var old []escrow.Approval
	var oldSet []common.Address
	for _, c := range f.Custodians {
		a, err := escrow.Sign(digest, c.Key)
		if err != nil {
			t.Fatal(err)
		}
		old, oldSet = append(old, a), append(oldSet, c.Address)
	}
	sigs, err := escrow.Quorum(digest, old, oldSet, f.Threshold)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Wait(ctx)(f.Escrow.SetCustodians(f.Opts(ctx, f.Deployer), change.Custodians, change.Threshold, change.Nonce, change.Deadline, sigs)); err != nil {
		t.Fatalf("setCustodians: %v", err)
	}
	for _, tz := range dc.trezors {
		addr, _ := tz.Address(ctx, hwwallet.DefaultPath)
		ch, err := dc.svc.IssueChallenge(ctx, addr, dom)
		if err != nil {
			t.Fatal(err)
		}
		sig, err := tz.SignEnrollment(ctx, hwwallet.DefaultPath, ch.Enrollment())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := dc.svc.Enroll(ctx, custody.EnrollRequest{Challenge: ch.Value, Custodian: addr, Signature: sig, Hardware: true}); err != nil {
			t.Fatal(err)
		}
	}
	if dc.onChain, err = custody.ReadOnChain(ctx, f.Client, f.Addresses.Escrow, f.ChainID); err != nil {
		t.Fatal(err)
	}
	return dc
}

// sign is s's approval of in, made on its device (streamed typed data on a Trezor).
func (dc *deviceCustody) sign(in *intent.Intent, s hwwallet.Signer) escrow.Approval {
	dc.w.t.Helper()
	m, err := in.Message()
	if err != nil {
		dc.w.t.Fatal(err)
	}
	a, err := s.SignApproval(dc.w.ctx, hwwallet.DefaultPath, in.Domain(), m)
	if err != nil {
		dc.w.t.Fatal(err)
	}
	return a
}

// options are a hardware approval's, with the escrow of p read frozen or not from the chain.
func (dc *deviceCustody) options(p *payment.Payment) custody.ApproveOptions {
	dc.w.t.Helper()
	rec, err := dc.w.f.Escrow.Escrows(&bind.CallOpts{Context: dc.w.ctx}, p.EscrowID())
	if err != nil {
		dc.w.t.Fatal(err)
	}
	return custody.ApproveOptions{Hardware: true, OnChain: dc.onChain, EscrowFrozen: ptr(rec.Frozen)}
}

func ptr[T any](v T) *T { return &v }

// disputeAndFreeze opens a dispute of p and has the worker and the signer freeze its escrow.
func (w *world) disputeAndFreeze(p *payment.Payment) {
	t := w.t
	t.Helper()
	if _, err := w.payments.Dispute(w.ctx, p.ID, "buyer", "not as described"); err != nil {
		t.Fatal(err)
	}
	var job payment.FreezeArgs
	w.job("payment_freeze", p, &job)
	fw := &intent.FreezeWorker{Intents: w.intents, Escrow: func(uint64) common.Address { return w.f.Addresses.Escrow }, Log: testLog(t)}
	if err := fw.Work(w.ctx, &river.Job[payment.FreezeArgs]{Args: job}); err != nil {
		t.Fatal(err)
	}
	freezes, err := w.intents.List(w.ctx, intent.Filter{Kind: intent.Freeze, PaymentID: p.ID})
	if err != nil || len(freezes) != 1 {
		t.Fatalf("%d freeze intents (%v)", len(freezes), err)
	}
	w.until(freezes[0].ID, intent.Done)
}

// settleIntent runs the worker's payment_settle job of p (ResolveSplit enqueued it), twice: the
// second run returns the same intent.
func (w *world) settleIntent(p *payment.Payment) *intent.Intent {
	t := w.t
	t.Helper()
	var job payment.SettleArgs
	w.job("payment_settle", p, &job)
	sw := &intent.SettleWorker{Intents: w.intents, Escrow: func(uint64) common.Address { return w.f.Addresses.Escrow }, Log: testLog(t)}
	for range 2 {
		if err := sw.Work(w.ctx, &river.Job[payment.SettleArgs]{Args: job}); err != nil {
			t.Fatal(err)
		}
	}
	ins, err := w.intents.List(w.ctx, intent.Filter{Kind: intent.Settle, PaymentID: p.ID})
	if err != nil || len(ins) != 1 {
		t.Fatalf("%d settle intents (%v), want 1", len(ins), err)
	}
	return ins[0]
}

// job reads the args of p's job of kind into args.
func (w *world) job(kind string, p *payment.Payment, args any) {
	w.t.Helper()
	var raw []byte
	if err := w.admin.QueryRow(w.ctx, `SELECT args FROM river_job WHERE kind = $1 AND args->>'payment_id' = $2`, kind, p.ID.String()).Scan(&raw); err != nil {
		w.t.Fatalf("no %s job for payment %s: %v", kind, p.ID, err)
	}
	if err := json.Unmarshal(raw, args); err != nil {
		w.t.Fatal(err)
	}
}

// A settle intent of an old decision is rejected while it still awaits approvals, before any
// quorum: the dispute was opened again and resolved into another split, so its parts are no
// longer the payment's; then the new split's settle intent is recorded (the old one no longer
// blocks it). Disputed again, the new one is rejected too: the payment left settle_pending.
func TestSettleStaleIntentRejected(t *testing.T) {
	t.Parallel() // a world of its own: anvil and database
	w := newWorld(t, nil)
	ctx := w.ctx
	sym := fmt.Sprintf("S%d", time.Now().UnixNano()%1_000_000_000)
	ix := newTestIndexer(t, w)
	p := w.creditedAndSwept(ix, sym, 100_000_000)
	w.disputeAndFreeze(p)
	if _, err := w.payments.ResolveSplit(ctx, p.ID, big.NewInt(30_000_000), "admin:alice", "30%"); err != nil {
		t.Fatal(err)
	}
	old := w.settleIntent(p)
	if err := w.signer.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	if got, err := w.intents.Get(ctx, old.ID); err != nil || got.State != intent.AwaitingApprovals {
		t.Fatalf("the current split's intent: %+v, %v; want it awaiting approvals", got, err)
	}
	if _, err := w.payments.Dispute(ctx, p.ID, "seller", "more evidence"); err != nil {
		t.Fatal(err)
	}
	if _, err := w.payments.ResolveSplit(ctx, p.ID, big.NewInt(10_000_000), "admin:bob", "10%"); err != nil {
		t.Fatal(err)
	}
	if got := w.until(old.ID, intent.Rejected); !strings.Contains(got.Reason, "split is now 10000000 to the buyer") {
		t.Fatalf("rejected saying %q", got.Reason)
	}
	sw := &intent.SettleWorker{Intents: w.intents, Escrow: func(uint64) common.Address { return w.f.Addresses.Escrow }, Log: testLog(t)}
	if err := sw.Work(ctx, &river.Job[payment.SettleArgs]{Args: payment.SettleArgs{PaymentID: p.ID.String()}}); err != nil {
		t.Fatal(err)
	}
	cur, err := w.intents.OpenFor(ctx, p.ID)
	if err != nil || cur.ID == old.ID || cur.BuyerAmount.Cmp(big.NewInt(10_000_000)) != 0 {
		t.Fatalf("the new split's intent: %+v, %v", cur, err)
	}
	if _, err := w.payments.Dispute(ctx, p.ID, "buyer", "again"); err != nil {
		t.Fatal(err)
	}
	if got := w.until(cur.ID, intent.Rejected); !strings.Contains(got.Reason, "payment is disputed") {
		t.Fatalf("rejected saying %q", got.Reason)
	}
}

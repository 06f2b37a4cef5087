package signer

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/google/uuid"
	"github.com/riverqueue/river"

	"github.com/amanat/amn/escrow"
	"github.com/amanat/amn/intent"
	"github.com/amanat/amn/payment"
)

// Finding 9: opening a dispute freezes the escrow on chain. The dispute enqueues a payment_freeze
// job in its own transaction, the worker records a freeze intent, the signer (the escrow's
// arbiter) calls AmnEscrow.freeze. After that the custodians' approvals of a release given before
// the dispute cannot be used by anyone; only approvals that resolve the dispute move the money.
func TestDisputeFreezesTheEscrow(t *testing.T) {
	t.Parallel() // a world of its own: anvil and database
	w := newWorld(t, nil)
	p, _ := w.inEscrow(19_000_000)
	rel, _, err := w.intents.RequestRelease(w.ctx, p.ID, intent.RequestOptions{Actor: "admin:test", Contract: w.f.Addresses.Escrow})
	if err != nil {
		t.Fatal(err)
	}
	w.approve(rel, w.f.Custodians[0], w.f.Custodians[1]) // a quorum, before the signer looks

	if _, err := w.payments.Dispute(w.ctx, p.ID, "buyer", "never arrived"); err != nil {
		t.Fatal(err)
	}
	var args []byte
	if err := w.admin.QueryRow(w.ctx, `SELECT args FROM river_job WHERE kind = 'payment_freeze' AND args->>'payment_id' = $1`,
		p.ID.String()).Scan(&args); err != nil {
		t.Fatalf("the dispute enqueued no payment_freeze job: %v", err)
	}
	var job payment.FreezeArgs
	if err := json.Unmarshal(args, &job); err != nil {
		t.Fatal(err)
	}
	fw := &intent.FreezeWorker{Intents: w.intents, Escrow: func(uint64) common.Address { return w.f.Addresses.Escrow }, Log: testLog(t)}
	if err := fw.Work(w.ctx, &river.Job[payment.FreezeArgs]{Args: job}); err != nil {
		t.Fatal(err)
	}
	if err := fw.Work(w.ctx, &river.Job[payment.FreezeArgs]{Args: job}); err != nil { // again: the same intent
		t.Fatal(err)
	}
	freezes, err := w.intents.List(w.ctx, intent.Filter{Kind: intent.Freeze, PaymentID: p.ID})
	if err != nil || len(freezes) != 1 {
		t.Fatalf("%d freeze intents (%v), want 1", len(freezes), err)
	}
	w.until(freezes[0].ID, intent.Done)
	rec, err := w.f.Escrow.Escrows(&bind.CallOpts{Context: w.ctx}, p.EscrowID())
	if err != nil {
		t.Fatal(err)
	}
	if !rec.Frozen || rec.Status != escrowOpen {
		t.Fatalf("escrow after the freeze: status %d frozen %v", rec.Status, rec.Frozen)
	}

	// The release intent is refused by the signer (disputed) ...
	if got := w.untilFinal(rel.ID); got.State != intent.Rejected || !strings.Contains(got.Reason, "disputed") {
		t.Fatalf("release of a disputed payment: %s %q", got.State, got.Reason)
	}
	// ... and its approvals, a valid quorum, are useless on chain: anyone submitting them is refused.
	approvals, err := w.intents.Approvals(w.ctx, rel.ID)
	if err != nil {
		t.Fatal(err)
	}
	digest, _ := rel.Digest()
	sigs, err := escrow.Quorum(digest, approvals, []common.Address{w.f.Custodians[0].Address, w.f.Custodians[1].Address, w.f.Custodians[2].Address}, 2)
	if err != nil {
		t.Fatal(err)
	}
	m, _ := rel.Message()
	seller := w.usdt(w.f.Seller.Address)
	if _, err := w.f.Wait(w.ctx)(w.f.Escrow.Release(w.f.Opts(w.ctx, w.f.Buyers[1]), p.EscrowID(),
		m.(escrow.Release).Binding(), sigs)); err == nil {
		t.Fatal("the pre-dispute approvals released a frozen escrow")
	}
	if st, amount := w.escrowRecord(p.ID); st != escrowOpen || amount.Cmp(p.Received) != 0 || w.usdt(w.f.Seller.Address).Cmp(seller) != 0 {
		t.Fatalf("escrow %d holding %s after the refused release", st, amount)
	}

	// A freeze asked again (or forged) for a frozen escrow, or for a payment that is not
	// disputed, is rejected and sends nothing.
	other, _ := w.inEscrow(19_000_001)
	op := w.keys.OperatorAddress()
	before := w.nonce(op)
	again, _, err := w.intents.RequestFreeze(w.ctx, p.ID, w.f.Addresses.Escrow, "admin:test")
	if err != nil {
		t.Fatal(err)
	}
	if got := w.untilFinal(again.ID); got.State != intent.Rejected || !strings.Contains(got.Reason, "already frozen") {
		t.Fatalf("second freeze: %s %q", got.State, got.Reason)
	}
	forged := uuid.New()
	if _, err := w.admin.Exec(w.ctx, `INSERT INTO signer_intents (id, kind, payment_id, chain_id, contract, token, state)
		VALUES ($1, 'freeze', $2, $3, $4, $5, 'approved')`, forged, other.ID, w.f.ChainID, hexAddr(w.f.Addresses.Escrow),
		hexAddr(w.f.Addresses.USDT)); err != nil {
		t.Fatal(err)
	}
	if got := w.untilFinal(forged); got.State != intent.Rejected || !strings.Contains(got.Reason, "needs a disputed payment") {
		t.Fatalf("forged freeze: %s %q", got.State, got.Reason)
	}
	if n := w.nonce(op); n != before {
		t.Fatalf("the operator sent %d transactions for rejected freezes", n-before)
	}

	// The dispute is resolved toward release: approvals with resolvesDispute move the money.
	if _, err := w.payments.Resolve(w.ctx, p.ID, payment.OutcomeRelease, "arbiter", "delivered after all"); err != nil {
		t.Fatal(err)
	}
	res, _, err := w.intents.RequestRelease(w.ctx, p.ID, intent.RequestOptions{Contract: w.f.Addresses.Escrow, ResolvesDispute: true})
	if err != nil {
		t.Fatal(err)
	}
	w.approve(res, w.f.Custodians[0], w.f.Custodians[1])
	w.until(res.ID, intent.Done)
	if st, _ := w.escrowRecord(p.ID); st != 2 {
		t.Fatalf("escrow status %d, want released", st)
	}
}

// A signer whose operator is not the escrow's arbiter rejects a freeze, naming why.
func TestFreezeNeedsTheArbiter(t *testing.T) {
	t.Parallel() // a world of its own: anvil and database
	w := newWorld(t, nil)
	p, _ := w.inEscrow(19_000_002)
	if err := w.f.SetArbiter(w.ctx, w.f.Buyers[1]); err != nil { // someone else's key
		t.Fatal(err)
	}
	if _, err := w.payments.Dispute(w.ctx, p.ID, "buyer", "wrong item"); err != nil {
		t.Fatal(err)
	}
	in, _, err := w.intents.RequestFreeze(w.ctx, p.ID, w.f.Addresses.Escrow, "")
	if err != nil {
		t.Fatal(err)
	}
	if got := w.untilFinal(in.ID); got.State != intent.Rejected || !strings.Contains(got.Reason, "not this signer's operator") {
		t.Fatalf("freeze without being the arbiter: %s %q", got.State, got.Reason)
	}
}

// A resumed dispute lifts the freeze: Resolve(resume) enqueues payment_unfreeze, the worker records
// an unfreeze intent once the freeze is done, and the signer unfreezes the escrow only when every
// approval given before the freeze has expired (intent.MaxTTL of chain time after it was mined),
// so that a payment row forged back to in_escrow cannot revive them. After it, an ordinary release
// pays the seller.
func TestResumedDisputeUnfreezesTheEscrow(t *testing.T) {
	t.Parallel() // a world of its own: anvil and database
	w := newWorld(t, nil)
	if want := intent.MaxTTL + clockSkew; w.signer.unfreezeAfter != want {
		t.Fatalf("a signer lifts a freeze %s after it; want %s (every approval from before it expired)", w.signer.unfreezeAfter, want)
	}
	w.signer.unfreezeAfter = 2 * time.Minute // of chain time; approvals' deadlines are the wall clock's
	p, _ := w.inEscrow(19_000_003)
	if _, err := w.payments.Dispute(w.ctx, p.ID, "buyer", "late"); err != nil {
		t.Fatal(err)
	}
	freeze, _, err := w.intents.RequestFreeze(w.ctx, p.ID, w.f.Addresses.Escrow, "")
	if err != nil {
		t.Fatal(err)
	}
	w.until(freeze.ID, intent.Done)

	// Forged: an unfreeze of the still-disputed payment, written as approved.
	forged := uuid.New()
	if _, err := w.admin.Exec(w.ctx, `INSERT INTO signer_intents (id, kind, payment_id, chain_id, contract, token, state)
		VALUES ($1, 'unfreeze', $2, $3, $4, $5, 'approved')`, forged, p.ID, w.f.ChainID, hexAddr(w.f.Addresses.Escrow),
		hexAddr(w.f.Addresses.USDT)); err != nil {
		t.Fatal(err)
	}
	if got := w.untilFinal(forged); got.State != intent.Rejected || !strings.Contains(got.Reason, "no dispute") {
		t.Fatalf("forged unfreeze of a disputed payment: %s %q", got.State, got.Reason)
	}

	if _, err := w.payments.Resolve(w.ctx, p.ID, payment.OutcomeResume, "arbiter", "buyer withdrew"); err != nil {
		t.Fatal(err)
	}
	var args []byte
	if err := w.admin.QueryRow(w.ctx, `SELECT args FROM river_job WHERE kind = 'payment_unfreeze' AND args->>'payment_id' = $1`,
		p.ID.String()).Scan(&args); err != nil {
		t.Fatalf("resuming the dispute enqueued no payment_unfreeze job: %v", err)
	}
	var job payment.UnfreezeArgs
	if err := json.Unmarshal(args, &job); err != nil {
		t.Fatal(err)
	}
	uw := &intent.UnfreezeWorker{Intents: w.intents, Escrow: func(uint64) common.Address { return w.f.Addresses.Escrow }, Log: testLog(t)}
	if err := uw.Work(w.ctx, &river.Job[payment.UnfreezeArgs]{Args: job}); err != nil {
		t.Fatal(err)
	}
	list, err := w.intents.List(w.ctx, intent.Filter{Kind: intent.Unfreeze, PaymentID: p.ID})
	if err != nil {
		t.Fatal(err)
	}
	var un *intent.Intent
	for _, in := range list {
		if in.ID != forged {
			un = in
		}
	}
	if un == nil {
		t.Fatal("the worker recorded no unfreeze intent")
	}

	// The freeze is seconds old: approvals from before it may still be valid. The signer waits,
	// sending nothing.
	op := w.keys.OperatorAddress()
	before := w.nonce(op)
	for range 10 {
		if err := w.signer.Tick(w.ctx); err != nil {
			t.Fatal(err)
		}
	}
	if got, _ := w.intents.Get(w.ctx, un.ID); got.State != intent.Pending || w.nonce(op) != before {
		t.Fatalf("unfreeze a minute after the freeze: intent %s, %d transactions", got.State, w.nonce(op)-before)
	}
	if rec, _ := w.f.Escrow.Escrows(&bind.CallOpts{Context: w.ctx}, p.EscrowID()); !rec.Frozen {
		t.Fatal("the escrow was unfrozen while approvals from before the freeze could be valid")
	}

	// Past the wait (a day in production), it unfreezes; an ordinary release (no resolvesDispute) pays.
	if err := w.f.IncreaseTime(w.ctx, 3*time.Minute); err != nil {
		t.Fatal(err)
	}
	w.until(un.ID, intent.Done)
	if rec, _ := w.f.Escrow.Escrows(&bind.CallOpts{Context: w.ctx}, p.EscrowID()); rec.Frozen || rec.Status != escrowOpen {
		t.Fatalf("escrow after the unfreeze: status %d frozen %v", rec.Status, rec.Frozen)
	}
	rel, _, err := w.intents.RequestRelease(w.ctx, p.ID, intent.RequestOptions{Actor: "admin:test", Contract: w.f.Addresses.Escrow})
	if err != nil {
		t.Fatal(err)
	}
	w.approve(rel, w.f.Custodians[0], w.f.Custodians[1])
	w.until(rel.ID, intent.Done)
	if st, _ := w.escrowRecord(p.ID); st != 2 {
		t.Fatalf("escrow status %d after the release, want released", st)
	}
}

// Review finding H1: a second dispute's freeze, mined but not final yet, is not measured by the
// first freeze's time. A resume forged while it is on its way (the API may resume a dispute and
// ask for an unfreeze) gets nothing signed until that freeze is final and old enough.
func TestSecondFreezeIsNotMeasuredByTheFirst(t *testing.T) {
	t.Parallel() // a world of its own: anvil and database
	w := newWorld(t, nil)
	w.signer.unfreezeAfter = 2 * time.Minute
	p, _ := w.inEscrow(19_000_004)
	unfrozen := func() {
		t.Helper()
		if _, err := w.payments.Dispute(w.ctx, p.ID, "buyer", "late"); err != nil {
			t.Fatal(err)
		}
		fr, _, err := w.intents.RequestFreeze(w.ctx, p.ID, w.f.Addresses.Escrow, "")
		if err != nil {
			t.Fatal(err)
		}
		w.until(fr.ID, intent.Done)
		if _, err := w.payments.Resolve(w.ctx, p.ID, payment.OutcomeResume, "arbiter", "withdrawn"); err != nil {
			t.Fatal(err)
		}
		if err := w.f.IncreaseTime(w.ctx, 3*time.Minute); err != nil {
			t.Fatal(err)
		}
		un, _, err := w.intents.RequestUnfreeze(w.ctx, p.ID, w.f.Addresses.Escrow, "")
		if err != nil {
			t.Fatal(err)
		}
		w.until(un.ID, intent.Done)
	}
	unfrozen() // the first dispute: frozen, resumed, unfrozen three minutes of chain time later

	// The second dispute: its freeze is sent and mined in one block, not final (nothing else is
	// mined).
	if _, err := w.payments.Dispute(w.ctx, p.ID, "buyer", "again"); err != nil {
		t.Fatal(err)
	}
	w.paused.Store(true)
	defer w.paused.Store(false)
	f2, _, err := w.intents.RequestFreeze(w.ctx, p.ID, w.f.Addresses.Escrow, "")
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(waitLimit)
	for {
		if err := w.signer.Tick(w.ctx); err != nil {
			t.Fatal(err)
		}
		if txs, _ := w.intents.Txs(w.ctx, f2.ID); len(txs) > 0 && txs[len(txs)-1].State == "broadcast" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the second freeze was not sent")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := w.f.RPC.CallContext(w.ctx, nil, "evm_mine"); err != nil {
		t.Fatal(err)
	}
	if rec, _ := w.f.Escrow.Escrows(&bind.CallOpts{Context: w.ctx}, p.EscrowID()); !rec.Frozen {
		t.Fatal("the second freeze is not mined")
	}
	// The forged resume and unfreeze: the signer waits, sending nothing.
	if _, err := w.payments.Resolve(w.ctx, p.ID, payment.OutcomeResume, "api", "forged"); err != nil {
		t.Fatal(err)
	}
	un, _, err := w.intents.RequestUnfreeze(w.ctx, p.ID, w.f.Addresses.Escrow, "")
	if err != nil {
		t.Fatal(err)
	}
	op := w.keys.OperatorAddress()
	before := w.nonce(op)
	for range 10 {
		if err := w.signer.Tick(w.ctx); err != nil {
			t.Fatal(err)
		}
	}
	if got, _ := w.intents.Get(w.ctx, un.ID); got.State != intent.Pending || w.nonce(op) != before {
		t.Fatalf("unfreeze while the second freeze is not final: intent %s, %d transactions sent", got.State, w.nonce(op)-before)
	}
	if rec, _ := w.f.Escrow.Escrows(&bind.CallOpts{Context: w.ctx}, p.EscrowID()); !rec.Frozen {
		t.Fatal("the escrow was unfrozen by the first freeze's age")
	}
}

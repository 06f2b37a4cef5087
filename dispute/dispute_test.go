package dispute_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/amanat/amn/auth"
	"github.com/amanat/amn/chat"
	"github.com/amanat/amn/dispute"
	"github.com/amanat/amn/kind"
	"github.com/amanat/amn/market"
	"github.com/amanat/amn/payment"
	"github.com/amanat/amn/upload"
)

// TestOpenIsOneTransaction: opening a case on a delivered deal moves the request to disputed
// (keeping where it was), the payment to disputed with its on-chain freeze queued, pauses the
// inspection period, opens the three-way conversation, writes the case and its first entry, and
// schedules the other side's answer and the escalation, all at once. A refused opening writes
// none of it.
func TestOpenIsOneTransaction(t *testing.T) {
	w := newWorld(t, nil)
	ctx := context.Background()
	d := w.deal(t, true)

	// Refusals first: a seller's reason from the buyer's list, a stranger, an admin who is no party.
	_, err := w.d.Open(ctx, d.seller, dispute.OpenInput{RequestID: d.request, Reason: dispute.ReasonNotReceived, Statement: "x"})
	wantErr(t, "seller with a buyer's reason", err, kind.Invalid)
	_, err = w.d.Open(ctx, w.user(t, auth.RoleBuyer), dispute.OpenInput{RequestID: d.request, Reason: dispute.ReasonOther, Statement: "mine"})
	wantErr(t, "stranger", err, dispute.ErrNotFound)
	_, err = w.d.Open(ctx, w.admin(t), dispute.OpenInput{RequestID: d.request, Reason: dispute.ReasonOther, Statement: "mine"})
	wantErr(t, "admin", err, dispute.ErrNotFound)
	_, err = w.d.Open(ctx, d.buyer, dispute.OpenInput{RequestID: d.request, Reason: dispute.ReasonOther, Statement: " \n "})
	wantErr(t, "empty statement", err, kind.Invalid)
	if s, _ := w.requestStatus(t, d.request); s != "delivered" || w.paymentState(t, d) != payment.InEscrow ||
		len(ofKind(w.jobs(t, "payment_id", uuid.UUID(d.payment.ID).String()), "payment_freeze")) != 0 {
		t.Fatalf("a refused opening wrote something: request %s, payment %s", s, w.paymentState(t, d))
	}

	c := w.open(t, d)
	if s, resume := w.requestStatus(t, d.request); s != "disputed" || resume != "delivered" {
		t.Fatalf("request is %s (resume to %q)", s, resume)
	}
	if st := w.paymentState(t, d); st != payment.Disputed {
		t.Fatalf("payment is %s", st)
	}
	if j := ofKind(w.jobs(t, "payment_id", uuid.UUID(d.payment.ID).String()), "payment_freeze"); len(j) != 1 {
		t.Fatalf("%d freeze jobs", len(j))
	}
	if c.Status != dispute.Open || c.Opener != dispute.ActorBuyer || c.Amount.Int64() != price || c.Interrupted != "delivered" ||
		kinds(c) != "opened:buyer" {
		t.Fatalf("case: %+v, timeline %s", c, kinds(c))
	}
	var body map[string]any
	if err := json.Unmarshal(c.Entries[0].Body, &body); err != nil || body["reason"] != "not_received" || len(body["sha256"].(string)) != 64 {
		t.Fatalf("first entry: %s %v", c.Entries[0].Body, err)
	}
	// The three-way conversation: both parties, and admins write in it.
	conv, err := chat.New(w.owner, nil, nil).Get(ctx, chat.Caller{UserID: d.seller.UserID}, c.ConversationID)
	if err != nil || !conv.DisputeID.Valid || conv.DisputeID.UUID != c.ID || conv.BuyerID != d.buyer.UserID {
		t.Fatalf("conversation: %+v %v", conv, err)
	}
	if !conv.Writer(chat.Caller{UserID: uuid.New(), Admin: true}) || conv.Writer(chat.Caller{UserID: uuid.New()}) {
		t.Fatal("a dispute's conversation: admins write, strangers do not")
	}
	deadlines := w.jobs(t, "case_id", c.ID.String())
	answer, esc := ofKind(deadlines, "dispute_answer_due"), ofKind(deadlines, "dispute_escalate")
	var args dispute.AnswerDueArgs
	if len(answer) != 1 || len(esc) != 1 || json.Unmarshal(answer[0].Args, &args) != nil || args.Side != dispute.ActorSeller || args.Review {
		t.Fatalf("deadlines: %+v", deadlines)
	}
	if due := answer[0].Sched.Sub(c.CreatedAt); due != 48*time.Hour {
		t.Fatalf("the seller's answer is due %s after opening", due)
	}
	// The inspection period is paused: its job finds the request disputed.
	inspect := w.jobs(t, "request_id", d.request.String())
	for _, j := range ofKind(inspect, "market_inspect") {
		work[market.InspectArgs](t, &market.InspectWorker{Market: w.follower, Log: quiet}, j)
	}
	if s, _ := w.requestStatus(t, d.request); s != "disputed" {
		t.Fatalf("the inspection ran on a disputed request: %s", s)
	}
	// One live case per deal.
	_, err = w.d.Open(ctx, d.seller, dispute.OpenInput{RequestID: d.request, Reason: dispute.ReasonOther, Statement: "again"})
	wantErr(t, "second case", err, kind.Conflict)
}

// TestSilentSellerIsRefunded is acceptance 2: the seller never answers; the deadline passes and
// the timeline records it; the admin resolves refund (the parties did not agree, so a second admin
// approves); the payment goes to refund_pending and the refund intent awaits the custodians.
func TestSilentSellerIsRefunded(t *testing.T) {
	w := newWorld(t, nil)
	ctx := context.Background()
	d := w.deal(t, false)
	c := w.open(t, d)
	a1, a2 := w.admin(t), w.admin(t)
	if _, err := w.d.Assign(ctx, a1, c.ID, uuid.Nil); err != nil {
		t.Fatal(err)
	}
	if _, err := w.d.RequestEvidence(ctx, a1, c.ID, "Both: show what was sent and what arrived."); err != nil {
		t.Fatal(err)
	}
	if _, err := w.d.AddEvidence(ctx, d.buyer, c.ID, dispute.EvidenceInput{Statement: "The box never came."}); err != nil {
		t.Fatal(err)
	}
	// Every answer deadline passes: the opening's (seller) and the request's (both sides).
	for _, j := range ofKind(w.jobs(t, "case_id", c.ID.String()), "dispute_answer_due") {
		work[dispute.AnswerDueArgs](t, &dispute.AnswerDueWorker{Disputes: w.deadlines}, j)
		work[dispute.AnswerDueArgs](t, &dispute.AnswerDueWorker{Disputes: w.deadlines}, j) // River may run one twice
	}
	got, err := w.d.Get(ctx, a1, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	// The opening's deadline (the seller's) is missed; the request's deadline moves the case to
	// review when it passes and finds the seller silent again (the buyer answered).
	want := "opened:buyer assigned:admin evidence_requested:admin evidence:buyer answer_missed:system review:system answer_missed:system"
	if kinds(got) != want || got.Status != dispute.UnderReview {
		t.Fatalf("timeline %s (%s), want %s (under_review)", kinds(got), got.Status, want)
	}
	for _, e := range got.Entries {
		if e.Kind == dispute.EvAnswerMissed && !strings.Contains(string(e.Body), `"side":"seller"`) {
			t.Fatalf("a missed answer of the buyer, who answered: %s", e.Body)
		}
	}
	// The admin decides refund: the parties did not agree, so it waits for a second admin.
	got, err = w.d.Resolve(ctx, a1, c.ID, dispute.Resolution{Outcome: dispute.OutcomeRefund, Note: "the seller never answered"})
	if err != nil || got.Status != dispute.UnderReview || got.Pending == nil || w.paymentState(t, d) != payment.Disputed {
		t.Fatalf("resolve: %+v %v, payment %s", got, err, w.paymentState(t, d))
	}
	_, err = w.d.Approve(ctx, a1, c.ID)
	wantErr(t, "the asking admin approving", err, dispute.ErrSameAdmin)
	_, err = w.d.Approve(ctx, d.buyer, c.ID)
	wantErr(t, "the buyer approving", err, dispute.ErrNotYours)
	got, err = w.d.Approve(ctx, a2, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != dispute.Resolved || *got.Resolution != dispute.OutcomeRefund || w.paymentState(t, d) != payment.RefundPending {
		t.Fatalf("approved: %s %v, payment %s", got.Status, got.Resolution, w.paymentState(t, d))
	}
	var intentKind, requestedBy string
	var resolves bool
	if err := w.owner.QueryRow(ctx, `SELECT kind, requested_by, resolves_dispute FROM signer_intents WHERE payment_id = $1`,
		uuid.UUID(d.payment.ID)).Scan(&intentKind, &requestedBy, &resolves); err != nil || intentKind != "refund" || !resolves {
		t.Fatalf("refund intent: %s %s %v %v", intentKind, requestedBy, resolves, err)
	}
	if err := dispute.CheckChain(c.ID, got.Entries); err != nil {
		t.Fatal(err)
	}
	// Approving again finds nothing waiting; the request stays disputed until the refund is final
	// on chain, then follows the payment (cancelled).
	_, err = w.d.Approve(ctx, a2, c.ID)
	wantErr(t, "second approval", err, kind.Conflict)
	if s, _ := w.requestStatus(t, d.request); s != "disputed" {
		t.Fatalf("request is %s", s)
	}
}

// TestNoActionResumesTheDealWithItsInspectionTime is acceptance 3 (no_action): the payment and the
// request go back where the dispute found them; a delivered request gets back the inspection time
// it had left, with a new inspection job.
func TestNoActionResumesTheDealWithItsInspectionTime(t *testing.T) {
	w := newWorld(t, nil)
	ctx := context.Background()
	d := w.deal(t, true)
	c := w.open(t, d)
	a := w.admin(t)
	// Both parties agree on no action (the buyer proposes it, the seller accepts): one admin suffices.
	p, err := w.d.Propose(ctx, d.buyer, c.ID, dispute.Resolution{Outcome: dispute.OutcomeNoAction, Note: "it arrived after all"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.d.Accept(ctx, d.seller, c.ID, p.Proposal.ID); err != nil {
		t.Fatal(err)
	}
	got, err := w.d.Resolve(ctx, a, c.ID, dispute.Resolution{Outcome: dispute.OutcomeNoAction, Note: "agreed"})
	if err != nil || got.Status != dispute.Resolved {
		t.Fatalf("resolve: %v %v", got, err)
	}
	if s, resume := w.requestStatus(t, d.request); s != "delivered" || resume != "" {
		t.Fatalf("request is %s (%q)", s, resume)
	}
	if st := w.paymentState(t, d); st != payment.InEscrow {
		t.Fatalf("payment is %s", st)
	}
	if u := ofKind(w.jobs(t, "payment_id", uuid.UUID(d.payment.ID).String()), "payment_unfreeze"); len(u) != 1 {
		t.Fatalf("%d unfreeze jobs", len(u))
	}
	inspects := ofKind(w.jobs(t, "request_id", d.request.String()), "market_inspect")
	if len(inspects) != 2 {
		t.Fatalf("%d inspection jobs, want the old one and the resumed one", len(inspects))
	}
	// The resumed inspection ends about 7 days (the period, less the moments the dispute took)
	// from now; the old job does nothing, the new one asks for the release.
	if left := time.Until(inspects[1].Sched); left < 7*24*time.Hour-time.Minute || left > 7*24*time.Hour {
		t.Fatalf("the resumed inspection ends in %s", left)
	}
	iw := &market.InspectWorker{Market: w.follower, Log: quiet}
	work[market.InspectArgs](t, iw, inspects[0])
	if s, _ := w.requestStatus(t, d.request); s != "delivered" {
		t.Fatalf("the old inspection job moved the request: %s", s)
	}
	work[market.InspectArgs](t, iw, inspects[1])
	if s, _ := w.requestStatus(t, d.request); s != "confirming" {
		t.Fatalf("the resumed inspection job left the request %s", s)
	}
}

// TestReplacementSendsTheDealBackToProcessing is acceptance 3 (replacement): the deal is back in
// processing with a new delivery deadline, the payment resumes in escrow, and the seller ships
// again.
func TestReplacementSendsTheDealBackToProcessing(t *testing.T) {
	w := newWorld(t, nil)
	ctx := context.Background()
	d := w.deal(t, true)
	c := w.open(t, d)
	a1, a2 := w.admin(t), w.admin(t)
	if _, err := w.d.Resolve(ctx, a1, c.ID, dispute.Resolution{Outcome: dispute.OutcomeReplacement, ReplacementDays: 4}); err != nil {
		t.Fatal(err)
	}
	got, err := w.d.Approve(ctx, a2, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if s, _ := w.requestStatus(t, d.request); s != "processing" || w.paymentState(t, d) != payment.InEscrow {
		t.Fatalf("request %s, payment %s", s, w.paymentState(t, d))
	}
	var detail struct {
		DeliverBy time.Time `json:"deliverBy"`
	}
	last := got.Entries[len(got.Entries)-1]
	if err := json.Unmarshal(last.Body, &detail); err != nil || last.Kind != dispute.EvResolve {
		t.Fatal(last.Kind, err)
	}
	if left := time.Until(detail.DeliverBy); left < 4*24*time.Hour-time.Minute || left > 4*24*time.Hour {
		t.Fatalf("new delivery deadline in %s", left)
	}
	var deliverBy time.Time
	if err := w.owner.QueryRow(ctx, `SELECT (detail->>'deliver_by')::timestamptz FROM market_events WHERE request_id = $1 AND event = 'replace'`,
		d.request).Scan(&deliverBy); err != nil || !deliverBy.Equal(detail.DeliverBy) {
		t.Fatalf("market event: %s %v", deliverBy, err)
	}
	if _, err := w.mkt.Ship(ctx, market.Caller{UserID: d.seller.UserID}, d.request, market.ShipInput{Carrier: "DHL", Tracking: "JD0002"}); err != nil {
		t.Fatalf("shipping the replacement: %v", err)
	}
}

// TestBanSellerBlocksSignInAndRefunds is acceptance 3 (ban_seller): the seller's account is
// banned (a new session and the token it had are refused, so are its offers: every authenticated
// call), the warning is not enough for that, and the buyer is refunded.
func TestBanSellerBlocksSignInAndRefunds(t *testing.T) {
	w := newWorld(t, nil)
	ctx := context.Background()
	d := w.deal(t, false)
	before, err := w.auth.StartSession(ctx, d.seller.UserID, auth.MethodPassword, auth.Client{UserAgent: "test"})
	if err != nil {
		t.Fatal(err)
	}
	c := w.open(t, d)
	a1, a2 := w.admin(t), w.admin(t)
	_, err = w.d.Propose(ctx, d.seller, c.ID, dispute.Resolution{Outcome: dispute.OutcomeBanSeller})
	wantErr(t, "a party proposing a ban", err, dispute.ErrAdminsOnly)
	if _, err := w.d.Resolve(ctx, a1, c.ID, dispute.Resolution{Outcome: dispute.OutcomeBanSeller, Note: "sold a fake"}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.auth.StartSession(ctx, d.seller.UserID, auth.MethodPassword, auth.Client{}); err != nil {
		t.Fatalf("banned before the second admin approved: %v", err)
	}
	got, err := w.d.Approve(ctx, a2, c.ID)
	if err != nil || *got.Resolution != dispute.OutcomeBanSeller {
		t.Fatal(got, err)
	}
	_, err = w.auth.StartSession(ctx, d.seller.UserID, auth.MethodPassword, auth.Client{})
	wantErr(t, "the banned seller signing in", err, auth.ErrBanned)
	if _, err := w.auth.Authenticate(ctx, before.AccessToken); err == nil {
		t.Fatal("the banned seller's token still works")
	}
	if st := w.paymentState(t, d); st != payment.RefundPending {
		t.Fatalf("payment is %s", st)
	}
}

// TestMediationRules: a party's proposal is its own acceptance only; accepting twice, accepting a
// stale proposal, or acting on another's case are refused; both parties' acceptance under the
// threshold lets one admin resolve; a compensation is checked and reaches the payment's split.
func TestMediationRules(t *testing.T) {
	w := newWorld(t, nil)
	ctx := context.Background()
	d := w.deal(t, false)
	c := w.open(t, d)
	a := w.admin(t)
	stranger := w.user(t, auth.RoleBuyer, auth.RoleSeller)

	// The seller proposes a release "for the buyer": only the seller has accepted.
	p, err := w.d.Propose(ctx, d.seller, c.ID, dispute.Resolution{Outcome: dispute.OutcomeRelease, Note: "tracking shows delivered"})
	if err != nil || p.Status != dispute.Proposed || p.Proposal.SellerAcceptedAt == nil || p.Proposal.BuyerAcceptedAt != nil {
		t.Fatalf("proposal: %+v %v", p.Proposal, err)
	}
	_, err = w.d.Accept(ctx, d.seller, c.ID, p.Proposal.ID)
	wantErr(t, "the seller accepting twice", err, dispute.ErrAccepted)
	_, err = w.d.Accept(ctx, stranger, c.ID, p.Proposal.ID)
	wantErr(t, "a stranger accepting", err, dispute.ErrNotFound)
	_, err = w.d.Accept(ctx, a, c.ID, p.Proposal.ID)
	wantErr(t, "an admin accepting for a party", err, dispute.ErrNotYours)
	for what, call := range map[string]func() error{
		"get": func() error { _, err := w.d.Get(ctx, stranger, c.ID); return err },
		"evidence": func() error {
			_, err := w.d.AddEvidence(ctx, stranger, c.ID, dispute.EvidenceInput{Statement: "me too"})
			return err
		},
		"propose": func() error {
			_, err := w.d.Propose(ctx, stranger, c.ID, dispute.Resolution{Outcome: dispute.OutcomeRefund})
			return err
		},
		"export":   func() error { _, err := w.d.Export(ctx, stranger, c.ID); return err },
		"withdraw": func() error { _, err := w.d.Withdraw(ctx, stranger, c.ID, ""); return err },
	} {
		wantErr(t, "a stranger's "+what, call(), dispute.ErrNotFound)
	}
	_, err = w.d.Resolve(ctx, d.buyer, c.ID, dispute.Resolution{Outcome: dispute.OutcomeRefund})
	wantErr(t, "the buyer resolving", err, dispute.ErrNotYours)
	_, err = w.d.Assign(ctx, d.seller, c.ID, uuid.Nil)
	wantErr(t, "the seller assigning", err, dispute.ErrNotYours)
	_, err = w.d.Assign(ctx, a, c.ID, stranger.UserID)
	wantErr(t, "assigning a non-admin", err, kind.Invalid)
	_, err = w.d.Withdraw(ctx, d.seller, c.ID, "")
	wantErr(t, "the seller withdrawing the buyer's case", err, dispute.ErrNotOpener)

	// Compensation: more than nothing, less than everything; both parties accept it and, under the
	// threshold, one admin carries it out: the payment's split, with its settle job, in escrow.
	for _, amount := range []string{"0", "1000000", "2000000", "-5", "1e6", ""} {
		_, err := w.d.Propose(ctx, a, c.ID, dispute.Resolution{Outcome: dispute.OutcomeCompensation, BuyerAmount: amount})
		wantErr(t, "compensation of "+amount, err, kind.Invalid)
	}
	split := dispute.Resolution{Outcome: dispute.OutcomeCompensation, BuyerAmount: "300000", Note: "30/70"}
	p, err = w.d.Propose(ctx, a, c.ID, split)
	if err != nil || p.Proposal.BuyerAcceptedAt != nil || p.Proposal.SellerAcceptedAt != nil || p.Proposal.BuyerAmount != "300000" {
		t.Fatalf("admin's proposal: %+v %v", p.Proposal, err)
	}
	_, err = w.d.Accept(ctx, d.buyer, c.ID, uuid.New())
	wantErr(t, "accepting another proposal", err, dispute.ErrNoProposal)
	if _, err := w.d.Accept(ctx, d.buyer, c.ID, p.Proposal.ID); err != nil {
		t.Fatal(err)
	}
	// Accepted by one side only, it needs a second admin: it waits, and nothing moves.
	if got, err := w.d.Resolve(ctx, a, c.ID, split); err != nil || got.Status != dispute.Proposed || got.Pending == nil ||
		w.paymentState(t, d) != payment.Disputed {
		t.Fatalf("a split only the buyer accepted: %v %v, payment %s", got, err, w.paymentState(t, d))
	}
	if _, err := w.d.Accept(ctx, d.seller, c.ID, p.Proposal.ID); err != nil {
		t.Fatal(err)
	}
	got, err := w.d.Resolve(ctx, a, c.ID, split)
	if err != nil || got.Status != dispute.Resolved || got.Resolution == nil || *got.Resolution != dispute.OutcomeCompensation {
		t.Fatalf("agreed split: %v %v", got, err)
	}
	pay, err := w.pays.Get(ctx, d.payment.ID)
	if err != nil || pay.State != payment.SettlePending || pay.SplitBuyerAmount == nil || pay.SplitBuyerAmount.Int64() != 300000 {
		t.Fatalf("the split did not reach the payment: %+v %v", pay, err)
	}
	if n := len(ofKind(w.jobs(t, "payment_id", d.payment.ID.String()), "payment_settle")); n != 1 {
		t.Fatalf("%d payment_settle jobs, want 1", n)
	}
	_, err = w.d.Propose(ctx, d.buyer, c.ID, dispute.Resolution{Outcome: dispute.OutcomeRefund})
	wantErr(t, "proposing on a resolved case", err, dispute.ErrIllegalTransition)
}

// TestAgreedResolutionAboveTheThresholdNeedsTwoAdmins: what both parties accepted still waits for
// a second admin when the amount at stake reaches Config.SecondAdminFrom.
func TestAgreedResolutionAboveTheThresholdNeedsTwoAdmins(t *testing.T) {
	w := newWorld(t, func(c *dispute.Config) { c.SecondAdminFrom = 0 }) // every amount reaches it
	ctx := context.Background()
	d := w.deal(t, false)
	c := w.open(t, d)
	p, err := w.d.Propose(ctx, d.buyer, c.ID, dispute.Resolution{Outcome: dispute.OutcomeRefund})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.d.Accept(ctx, d.seller, c.ID, p.Proposal.ID); err != nil {
		t.Fatal(err)
	}
	got, err := w.d.Resolve(ctx, w.admin(t), c.ID, dispute.Resolution{Outcome: dispute.OutcomeRefund})
	if err != nil || got.Status != dispute.Proposed || got.Pending == nil || w.paymentState(t, d) != payment.Disputed {
		t.Fatalf("resolve above the threshold: %v %v", got, err)
	}
	if got, err = w.d.Approve(ctx, w.admin(t), c.ID); err != nil || got.Status != dispute.Resolved {
		t.Fatal(got, err)
	}
}

// TestEvidenceFilesFollowTheCase: an upload attached as evidence is written with its SHA-256,
// size and type; the case's other party may read it only once package dispute registers its rule
// with upload, a stranger never; another user's upload cannot be attached.
func TestEvidenceFilesFollowTheCase(t *testing.T) {
	w := newWorld(t, nil)
	ctx := context.Background()
	d := w.deal(t, false)
	c := w.open(t, d)
	u, err := w.files.Put(ctx, upload.Caller{UserID: d.buyer.UserID}, bytes.NewReader(png(t)))
	if err != nil {
		t.Fatal(err)
	}
	_, err = w.d.AddEvidence(ctx, d.seller, c.ID, dispute.EvidenceInput{UploadID: &u.ID})
	wantErr(t, "the seller attaching the buyer's upload", err, upload.ErrNotFound)
	_, err = w.d.AddEvidence(ctx, d.buyer, c.ID, dispute.EvidenceInput{UploadID: &u.ID, Statement: "both"})
	wantErr(t, "file and statement at once", err, kind.Invalid)
	_, err = w.d.AddEvidence(ctx, d.buyer, c.ID, dispute.EvidenceInput{Statement: strings.Repeat("x", dispute.MaxStatement+1)})
	wantErr(t, "an oversized statement", err, kind.Invalid)
	got, err := w.d.AddEvidence(ctx, d.buyer, c.ID, dispute.EvidenceInput{UploadID: &u.ID})
	if err != nil {
		t.Fatal(err)
	}
	var body struct {
		File        uuid.UUID `json:"file"`
		SHA256      string    `json:"sha256"`
		Size        int64     `json:"size"`
		ContentType string    `json:"contentType"`
		Uploader    uuid.UUID `json:"uploader"`
	}
	last := got.Entries[len(got.Entries)-1]
	if err := json.Unmarshal(last.Body, &body); err != nil || body.File != u.ID || body.SHA256 != u.SHA256 || body.Size != u.Size ||
		body.ContentType != "image/png" || body.Uploader != d.buyer.UserID || last.Actor != dispute.ActorBuyer {
		t.Fatalf("evidence entry: %s %v", last.Body, err)
	}
	seller, stranger := upload.Caller{UserID: d.seller.UserID}, upload.Caller{UserID: uuid.New()}
	_, err = w.files.Get(ctx, seller, u.ID)
	wantErr(t, "the seller before the rule", err, upload.ErrNotFound)
	w.files.WithRule(upload.KindEvidence, w.d.EvidenceRule)
	if _, err := w.files.Get(ctx, seller, u.ID); err != nil {
		t.Fatalf("the seller reading the evidence: %v", err)
	}
	_, err = w.files.Get(ctx, stranger, u.ID)
	wantErr(t, "a stranger reading the evidence", err, upload.ErrNotFound)
	// Attached once: it belongs to this case.
	if err := w.files.Attach(ctx, w.owner, upload.Caller{UserID: d.buyer.UserID}, u.ID, upload.KindChat, uuid.NewString()); err == nil {
		t.Fatal("evidence attached elsewhere too")
	}
}

// TestUnassignedCaseEscalates: nobody took the case in time; the escalation job escalates it once;
// a case an admin took does not escalate.
func TestUnassignedCaseEscalates(t *testing.T) {
	w := newWorld(t, nil)
	ctx := context.Background()
	c := w.open(t, w.deal(t, false))
	esc := ofKind(w.jobs(t, "case_id", c.ID.String()), "dispute_escalate")
	for range 2 {
		work[dispute.EscalateArgs](t, &dispute.EscalateWorker{Disputes: w.deadlines}, esc[0])
	}
	a := w.admin(t)
	got, err := w.d.Get(ctx, a, c.ID)
	if err != nil || got.Status != dispute.Escalated || kinds(got) != "opened:buyer escalated:system" {
		t.Fatalf("%v %s %v", got.Status, kinds(got), err)
	}
	if got, err = w.d.Assign(ctx, a, c.ID, uuid.Nil); err != nil || *got.AssignedAdmin != a.UserID {
		t.Fatal(err)
	}
	if got, err = w.d.Review(ctx, a, c.ID); err != nil || got.Status != dispute.UnderReview {
		t.Fatal(got.Status, err)
	}

	taken := w.open(t, w.deal(t, false))
	if _, err := w.d.Assign(ctx, a, taken.ID, uuid.Nil); err != nil {
		t.Fatal(err)
	}
	work[dispute.EscalateArgs](t, &dispute.EscalateWorker{Disputes: w.deadlines}, ofKind(w.jobs(t, "case_id", taken.ID.String()), "dispute_escalate")[0])
	if got, err := w.d.Get(ctx, a, taken.ID); err != nil || got.Status != dispute.Open {
		t.Fatalf("an assigned case escalated: %s %v", got.Status, err)
	}
}

// TestWithdrawResumes: the opener withdraws; the deal and the payment resume.
func TestWithdrawResumes(t *testing.T) {
	w := newWorld(t, nil)
	ctx := context.Background()
	d := w.deal(t, false)
	c := w.open(t, d)
	got, err := w.d.Withdraw(ctx, d.buyer, c.ID, "we sorted it out")
	if err != nil || got.Status != dispute.Withdrawn {
		t.Fatal(got, err)
	}
	if s, _ := w.requestStatus(t, d.request); s != "processing" || w.paymentState(t, d) != payment.InEscrow {
		t.Fatalf("request %s, payment %s", s, w.paymentState(t, d))
	}
	// A new case may be opened on the same deal later.
	if _, err := w.d.Open(ctx, d.seller, dispute.OpenInput{RequestID: d.request, Reason: dispute.ReasonBuyerUnresponsive, Statement: "silent"}); err != nil {
		t.Fatal(err)
	}
}

// TestTimelineIsAppendOnly: the API's role cannot change or delete an entry, the owner's trigger
// refuses it too, and an entry that does not link to the last one is refused.
func TestTimelineIsAppendOnly(t *testing.T) {
	w := newWorld(t, nil)
	ctx := context.Background()
	c := w.open(t, w.deal(t, false))
	apiPool := dbtestPoolAsAPI(t)
	for _, stmt := range []string{
		`UPDATE dispute_entries SET body = '{}' WHERE case_id = $1`,
		`DELETE FROM dispute_entries WHERE case_id = $1`,
	} {
		if _, err := apiPool.Exec(ctx, stmt, c.ID); err == nil {
			t.Fatalf("amn_api ran %s", stmt)
		}
		if _, err := w.owner.Exec(ctx, stmt, c.ID); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Fatalf("the owner ran %s: %v", stmt, err)
		}
	}
	if _, err := w.owner.Exec(ctx, `TRUNCATE dispute_entries CASCADE`); err == nil {
		t.Fatal("the timeline was truncated")
	}
	zero := strings.Repeat("0", 64)
	forged := strings.Repeat("ab", 32)
	if _, err := apiPool.Exec(ctx, `INSERT INTO dispute_entries (case_id, seq, kind, actor, status, body, prev_hash, hash, created_at)
		VALUES ($1, 2, 'resolved', 'admin', 'resolved', '{}', $2, $3, now())`, c.ID, zero, forged); err == nil ||
		!strings.Contains(err.Error(), "does not link") {
		t.Fatalf("an unlinked entry: %v", err)
	}
}

// TestWarningSellerIsRecordedAndTheDealResumes: a warning is written on the timeline with the
// resolution, the seller's account stays active, and the deal and the payment resume.
func TestWarningSellerIsRecordedAndTheDealResumes(t *testing.T) {
	w := newWorld(t, nil)
	ctx := context.Background()
	d := w.deal(t, false)
	c := w.open(t, d)
	if _, err := w.d.Resolve(ctx, w.admin(t), c.ID, dispute.Resolution{Outcome: dispute.OutcomeWarnSeller, Note: "answer your buyers"}); err != nil {
		t.Fatal(err)
	}
	got, err := w.d.Approve(ctx, w.admin(t), c.ID)
	if err != nil || *got.Resolution != dispute.OutcomeWarnSeller {
		t.Fatal(got, err)
	}
	last := got.Entries[len(got.Entries)-1]
	if last.Kind != dispute.EvResolve || !strings.Contains(string(last.Body), `"outcome":"warning_seller"`) ||
		!strings.Contains(string(last.Body), `"note":"answer your buyers"`) {
		t.Fatalf("the warning's entry: %s", last.Body)
	}
	if s, _ := w.requestStatus(t, d.request); s != "processing" || w.paymentState(t, d) != payment.InEscrow {
		t.Fatalf("request %s, payment %s", s, w.paymentState(t, d))
	}
	if _, err := w.auth.StartSession(ctx, d.seller.UserID, auth.MethodPassword, auth.Client{}); err != nil {
		t.Fatalf("a warned seller cannot sign in: %v", err)
	}
}

// TestConcurrentApprovalsResolveOnce: two admins approve the same waiting refund at once; one
// carries it out, the other is refused, and the timeline holds one resolution.
func TestConcurrentApprovalsResolveOnce(t *testing.T) {
	w := newWorld(t, nil)
	ctx := context.Background()
	d := w.deal(t, false)
	c := w.open(t, d)
	if _, err := w.d.Resolve(ctx, w.admin(t), c.ID, dispute.Resolution{Outcome: dispute.OutcomeRefund}); err != nil {
		t.Fatal(err)
	}
	approvers := []dispute.Caller{w.admin(t), w.admin(t), w.admin(t)}
	errs := make(chan error, len(approvers))
	for _, a := range approvers {
		go func() {
			_, err := w.d.Approve(ctx, a, c.ID)
			errs <- err
		}()
	}
	ok := 0
	for range approvers {
		err := <-errs
		switch {
		case err == nil:
			ok++
		case !errors.Is(err, kind.Conflict):
			t.Errorf("a losing approval: %v", err)
		}
	}
	got, err := w.d.Get(ctx, d.buyer, c.ID)
	if err != nil || ok != 1 || got.Status != dispute.Resolved || strings.Count(kinds(got), "resolved:") != 1 || w.paymentState(t, d) != payment.RefundPending {
		t.Fatalf("%d approvals carried out; %s %s, payment %s (%v)", ok, got.Status, kinds(got), w.paymentState(t, d), err)
	}
}

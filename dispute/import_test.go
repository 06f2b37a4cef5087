package dispute_test

import (
	"context"
	"encoding/json"
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/amanat/amn/dispute"
)

// importCase runs dispute.ImportCase in a transaction of its own, as the importer's savepoint.
func (w *world) importCase(c dispute.ImportedCase) error {
	return pgx.BeginTxFunc(context.Background(), w.owner, pgx.TxOptions{}, func(tx pgx.Tx) error {
		return dispute.ImportCase(context.Background(), tx, c)
	})
}

// An imported case is history with a valid chain: a rerun writes nothing, a changed old document
// only appends (its new statements, then its new fields), no step and no deadline moves it, and
// the import cannot overwrite a case of this backend.
func TestImportedCaseIsAppendOnlyHistory(t *testing.T) {
	w := newWorld(t, nil)
	ctx := context.Background()
	buyer, seller, adm := w.user(t), w.user(t), w.admin(t)
	at := time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)
	c := dispute.ImportedCase{ID: uuid.New(), RequestID: uuid.New(), PaymentID: uuid.New(), BuyerID: buyer.UserID,
		SellerID: seller.UserID, OpenedBy: buyer.UserID, Reason: dispute.ReasonNotReceived, Status: dispute.UnderReview,
		Amount: big.NewInt(8_000_000), Ledger: "legacy:bsc:USDT", Fields: map[string]any{"status": "in_progress", "description": "Never came"},
		Statements: []dispute.ImportedStatement{
			{Key: "messages/1", Actor: dispute.ActorBuyer, ActorID: buyer.UserID, Body: dispute.Statement("Where is it?"), At: at.Add(time.Minute)},
			{Key: "messages/2", Actor: dispute.ActorAdmin, ActorID: adm.UserID, Body: dispute.Statement("Tracking?"), At: at.Add(2 * time.Minute)},
		}, CreatedAt: at, UpdatedAt: at.Add(time.Hour)}
	if err := w.importCase(c); err != nil {
		t.Fatal(err)
	}
	got, err := w.d.Get(ctx, buyer, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Legacy || got.Status != dispute.UnderReview || got.OfferID != uuid.Nil || got.ConversationID != uuid.Nil ||
		kinds(got) != "imported:system evidence:buyer evidence:admin" || !got.Entries[0].At.Equal(at) {
		t.Fatalf("imported: legacy=%v %s %q", got.Legacy, got.Status, kinds(got))
	}
	if err := dispute.CheckChain(c.ID, got.Entries); err != nil {
		t.Fatal(err)
	}

	// A rerun of the same document writes nothing.
	if err := w.importCase(c); err != nil {
		t.Fatal(err)
	}
	if again, _ := w.d.Get(ctx, buyer, c.ID); len(again.Entries) != 3 {
		t.Fatalf("the rerun wrote: %q", kinds(again))
	}

	// No step, and no deadline (a forged job), moves it.
	_, err = w.d.AddEvidence(ctx, seller, c.ID, dispute.EvidenceInput{Statement: "It was sent"})
	wantErr(t, "evidence", err, dispute.ErrLegacy)
	_, err = w.d.Assign(ctx, adm, c.ID, uuid.Nil)
	wantErr(t, "assign", err, dispute.ErrLegacy)
	if missed, err := w.deadlines.AnswerDue(ctx, c.ID, dispute.ActorSeller, at, true); err != nil || missed {
		t.Fatalf("a deadline on an imported case: %v %v", missed, err)
	}
	if done, err := w.deadlines.Escalate(ctx, c.ID); err != nil || done {
		t.Fatalf("escalating an imported case: %v %v", done, err)
	}

	// The old document changed: a new message, and resolved. Only appended; the chain holds.
	c.Statements = append(c.Statements, dispute.ImportedStatement{Key: "messages/3", Actor: dispute.ActorSeller, ActorID: seller.UserID,
		Body: dispute.Statement("Refunded"), At: at.Add(3 * time.Minute)})
	refund := dispute.OutcomeRefund
	c.Status, c.Resolution, c.Fields["status"], c.UpdatedAt = dispute.Resolved, &refund, "resolved", at.Add(2*time.Hour)
	if err := w.importCase(c); err != nil {
		t.Fatal(err)
	}
	got, err = w.d.Get(ctx, buyer, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if kinds(got) != "imported:system evidence:buyer evidence:admin evidence:seller reimported:system" ||
		got.Status != dispute.Resolved || got.Resolution == nil || *got.Resolution != dispute.OutcomeRefund || got.ResolvedAt == nil {
		t.Fatalf("after the change: %q %s", kinds(got), got.Status)
	}
	b, err := w.d.Export(ctx, buyer, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(b)
	if _, err := dispute.VerifyBundle(raw, w.d.PublicKey()); err != nil {
		t.Fatalf("the imported case's bundle: %v", err)
	}

	// Malformed: a statement in the buyer's name by someone else, a stranger opening, a resolved
	// case without an outcome. Nothing is written.
	bad := c
	bad.Statements = append(append([]dispute.ImportedStatement{}, c.Statements...), dispute.ImportedStatement{Key: "messages/4",
		Actor: dispute.ActorBuyer, ActorID: seller.UserID, Body: dispute.Statement("I am the buyer"), At: at})
	wantErr(t, "a forged author", w.importCase(bad), dispute.ErrInvalid)
	bad = c
	bad.OpenedBy = adm.UserID
	wantErr(t, "opened by a stranger", w.importCase(bad), dispute.ErrInvalid)
	bad = c
	bad.Resolution = nil
	wantErr(t, "resolved without an outcome", w.importCase(bad), dispute.ErrInvalid)
	if after, _ := w.d.Get(ctx, buyer, c.ID); len(after.Entries) != 5 {
		t.Fatalf("a refused import wrote: %q", kinds(after))
	}

	// A second live case on a request is refused, as for cases opened here.
	live := c
	live.ID, live.Status, live.Resolution, live.Statements = uuid.New(), dispute.Open, nil, nil
	if err := w.importCase(live); err != nil {
		t.Fatal(err)
	}
	live.ID = uuid.New()
	wantErr(t, "a second live case", w.importCase(live), dispute.ErrLive)

	// A case of this backend is never overwritten by an import naming its id.
	d := w.deal(t, false)
	mine := w.open(t, d)
	forged := c
	forged.ID, forged.RequestID = mine.ID, mine.RequestID
	if err := w.importCase(forged); !errors.Is(err, dispute.ErrInvalid) {
		t.Fatalf("overwriting a case of this backend: %v", err)
	}
	if kept, err := w.d.Get(ctx, d.buyer, mine.ID); err != nil || kept.Legacy || kept.Status != dispute.Open || len(kept.Entries) != 1 {
		t.Fatalf("the case of this backend after the forged import: %+v %v", kept, err)
	}
}

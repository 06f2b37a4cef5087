package ledger_test

import (
	"testing"

	"github.com/amanat/amn/ledger"
)

// TestLookupTransfers: recorded ids come back as recorded, with a pending one's state; unknown
// ids are absent.
func TestLookupTransfers(t *testing.T) {
	t.Parallel()
	b := newBooks(t)
	a, c := b.account(ledger.CodeDeposit, 0), b.account(ledger.CodeDeposit, 0)
	rec := b.mustTransfer(
		ledger.Transfer{ID: ledger.NewID(), DebitAccountID: a, CreditAccountID: c, Amount: n(5), Code: 1},
		ledger.Transfer{ID: ledger.NewID(), DebitAccountID: a, CreditAccountID: c, Amount: n(7), Code: 2, Flags: ledger.Pending},
	)
	unknown := ledger.NewID()
	got, err := b.l.LookupTransfers(b.ctx, rec[0].ID, rec[1].ID, unknown)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("got %d transfers, want 2", len(got))
	}
	for _, want := range rec {
		g, ok := got[want.ID]
		if !ok || g.Amount.Cmp(want.Amount) != 0 || g.Code != want.Code || g.Flags != want.Flags {
			t.Errorf("transfer %s: got %+v, want %+v", want.ID, g, want)
		}
	}
	if got[rec[1].ID].State != ledger.StateOpen {
		t.Errorf("pending transfer state %q, want open", got[rec[1].ID].State)
	}
	if _, ok := got[unknown]; ok {
		t.Error("an unknown id came back")
	}
	if none, err := b.l.LookupTransfers(b.ctx); err != nil || len(none) != 0 {
		t.Errorf("no ids: %v, %v", none, err)
	}
}

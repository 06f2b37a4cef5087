package ledger_test

import "testing"

// Entries pages oldest first after a seq, EntriesBefore newest first before one; both together
// read every entry once.
func TestEntriesBothWays(t *testing.T) {
	b := newBooks(t)
	acct := b.account(4, 0)
	for i := range 5 {
		b.fund(acct, int64(i+1))
	}
	var up, down []int64
	for after := int64(0); ; {
		es, err := b.l.Entries(b.ctx, acct, after, 2)
		if err != nil {
			t.Fatal(err)
		}
		if len(es) == 0 {
			break
		}
		for _, e := range es {
			up = append(up, e.Amount.Int64())
		}
		after = es[len(es)-1].Seq
	}
	for before := int64(0); ; {
		es, err := b.l.EntriesBefore(b.ctx, acct, before, 2)
		if err != nil {
			t.Fatal(err)
		}
		if len(es) == 0 {
			break
		}
		for _, e := range es {
			down = append(down, e.Amount.Int64())
		}
		before = es[len(es)-1].Seq
	}
	if len(up) != 5 || len(down) != 5 {
		t.Fatalf("up %v, down %v", up, down)
	}
	for i := range up {
		if up[i] != int64(i+1) || down[i] != int64(5-i) {
			t.Fatalf("up %v, down %v", up, down)
		}
	}
}

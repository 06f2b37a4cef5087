package ledger_test

import (
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/amanat/amn/db/dbtest"
	"github.com/amanat/amn/ledger"
)

// TestLargeBatch: a batch large enough to go in by COPY records every kind of transfer as a small
// one does (amounts up to 2^256-1, references, timeouts, linked chains, posts and voids of
// earlier reservations, refusals), and sent again it changes nothing and answers the same. Without
// posts and voids the Ledger does not look the batch's ids up (they were never recorded, or the
// insert says so), so the batch runs both ways.
func TestLargeBatch(t *testing.T) {
	t.Parallel()
	for _, resolving := range []bool{true, false} {
		t.Run(map[bool]string{true: "resolving", false: "not resolving"}[resolving], func(t *testing.T) {
			t.Parallel()
			largeBatch(t, resolving)
		})
	}
}

func largeBatch(t *testing.T, resolving bool) {
	// Its reservations expire in 2061: after every ExpirePending clock of the other tests.
	now := time.Date(2061, 1, 1, 0, 0, 0, 0, time.UTC)
	b := newBooks(t, ledger.WithClock(func() time.Time { return now }))
	a := b.account(ledger.CodeSellerPayable, ledger.DebitsMustNotExceedCredits)
	c := b.account(ledger.CodeEscrow, 0)
	d := b.account(ledger.CodeEscrow, 0)
	b.fund(a, 1000)
	var opened []ledger.ID
	for range 20 {
		opened = append(opened, b.mustTransfer(pending(a, c, 5, 0))[0].ID)
	}
	huge := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 256), big.NewInt(1))

	var (
		batch []ledger.Transfer
		want  []error // per transfer: nil or the refusal
		moved = map[ledger.ID]*balances{a: {}, c: {}, d: {}}
	)
	add := func(tr ledger.Transfer, refusal error) { batch, want = append(batch, tr), append(want, refusal) }
	for i := range 300 {
		switch i % 10 {
		case 0:
			p := pending(a, c, 1, time.Hour)
			p.PaymentRef, p.ObservationRef = "payment-1", "obs-1"
			add(p, nil)
			moved[a].dp++
			moved[c].cp++
		case 1:
			tr := xfer(a, c, 2)
			tr.PaymentRef = "payment-2"
			add(tr, nil)
			moved[a].dpo += 2
			moved[c].cpo += 2
		case 2:
			if i < 50 { // NUMERIC(78,0) holds 8 times 2^256-1
				add(ledger.Transfer{ID: ledger.NewID(), DebitAccountID: c, CreditAccountID: d, Amount: huge, Code: 9}, nil)
			}
		case 3:
			first := xfer(a, c, 1)
			first.Flags = ledger.Linked
			add(first, nil)
			add(xfer(c, a, 1), nil)
			moved[a].dpo++
			moved[a].cpo++
			moved[c].cpo++
			moved[c].dpo++
		case 5:
			add(xfer(a, c, 1_000_000), ledger.ErrInsufficientFunds)
		case 6:
			if resolving && len(opened) > 0 {
				p := opened[0]
				opened = opened[1:]
				if len(opened)%2 == 0 {
					add(resolve(p, ledger.PostPending, n(3)), nil)
					moved[a].dp -= 5
					moved[c].cp -= 5
					moved[a].dpo += 3
					moved[c].cpo += 3
				} else {
					add(resolve(p, ledger.VoidPending, nil), nil)
					moved[a].dp -= 5
					moved[c].cp -= 5
				}
			}
		default:
			add(xfer(d, c, 3), nil)
			moved[d].dpo += 3
			moved[c].cpo += 3
		}
	}
	before := map[ledger.ID]balances{a: b.balances(a), c: b.balances(c), d: b.balances(d)}
	hugeCount := int64(0)
	for _, tr := range batch {
		if tr.Amount != nil && tr.Amount.Cmp(huge) == 0 {
			hugeCount++
		}
	}

	for round := range 2 {
		res, err := b.l.CreateTransfers(b.ctx, batch)
		if err != nil {
			t.Fatal(err)
		}
		for i, r := range res {
			switch {
			case want[i] != nil && !errors.Is(r.Err, want[i]):
				t.Fatalf("round %d, transfer %d: %v, want %v", round, i, r.Err, want[i])
			case want[i] == nil && (r.Err != nil || r.Existed != (round == 1)):
				t.Fatalf("round %d, transfer %d: %+v", round, i, r)
			case want[i] != nil:
				continue
			}
			rec, err := b.l.LookupTransfer(b.ctx, batch[i].ID)
			if err != nil {
				t.Fatal(err)
			}
			if rec.Amount.Cmp(r.Transfer.Amount) != 0 || rec.Flags != batch[i].Flags || rec.PaymentRef != batch[i].PaymentRef ||
				rec.ObservationRef != batch[i].ObservationRef || !rec.CreatedAt.Equal(now) || rec.DebitAccountID != r.Transfer.DebitAccountID ||
				!rec.ExpiresAt.Equal(r.Transfer.ExpiresAt) || (batch[i].Timeout > 0) != !rec.ExpiresAt.IsZero() {
				t.Fatalf("transfer %d recorded as %+v, answered %+v", i, rec, r.Transfer)
			}
		}
		for id, m := range moved {
			got, was := b.acct(id), before[id]
			want := balances{was.dp + m.dp, was.dpo + m.dpo, was.cp + m.cp, was.cpo + m.cpo}
			if id == c || id == d { // the huge amounts, counted apart
				h := new(big.Int).Mul(huge, big.NewInt(hugeCount))
				if id == c {
					got.DebitsPosted = new(big.Int).Sub(got.DebitsPosted, h)
				} else {
					got.CreditsPosted = new(big.Int).Sub(got.CreditsPosted, h)
				}
			}
			if g := (balances{got.DebitsPending.Int64(), got.DebitsPosted.Int64(), got.CreditsPending.Int64(), got.CreditsPosted.Int64()}); g != want {
				t.Fatalf("round %d: account %s = %v, want %v", round, id, g, want)
			}
		}
	}
	healthy(t)
}

// TestBatchesLookAccountsUp: a batch's statements (the lock, the transfers check, the balance
// update) find their accounts through the primary key, so their cost follows the batch, not the
// size of the accounts table: none of them reads the whole table. (PostgreSQL's default
// random_page_cost made the planner hash the whole table; db.ParseURL sets it for SSDs, and the
// transfers check decides by the table's size.)
func TestBatchesLookAccountsUp(t *testing.T) {
	b := newBooks(t)
	accts := make([]ledger.Account, 5000)
	for i := range accts {
		accts[i] = ledger.Account{ID: ledger.NewID(), Ledger: b.name, Code: ledger.CodeSellerPayable}
	}
	if _, err := b.l.CreateAccounts(b.ctx, accts...); err != nil {
		t.Fatal(err)
	}
	pool := dbtest.Pool(t)
	if _, err := pool.Exec(b.ctx, "ANALYZE ledger_accounts"); err != nil {
		t.Fatal(err)
	}
	ts := make([]ledger.Transfer, 100) // past the COPY threshold
	for i := range ts {
		ts[i] = xfer(accts[2*i].ID, accts[2*i+1].ID, 1)
	}
	tx, err := pool.Begin(b.ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(b.ctx)
	// The counters of the connection's earlier transactions may not be flushed yet: count the
	// difference.
	scans := func() int64 {
		var n int64
		if err := tx.QueryRow(b.ctx, `SELECT seq_scan FROM pg_stat_xact_user_tables WHERE relname = 'ledger_accounts'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := scans()
	res, err := ledger.New(pool).WithTx(tx).CreateTransfers(b.ctx, ts)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range res {
		if r.Err != nil {
			t.Fatalf("transfer %d: %v", i, r.Err)
		}
	}
	if n := scans() - before; n != 0 {
		t.Errorf("a batch of %d transfers read the whole accounts table %d times", len(ts), n)
	}
}

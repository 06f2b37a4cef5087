package ledger_test

import (
	"context"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/amanat/amn/db/dbtest"
	"github.com/amanat/amn/ledger"
)

// TestCheck: Check passes on healthy books and names the first broken row when a test corrupts
// one behind the ledger's back. Each corruption happens in a transaction that is rolled back, and
// Check runs inside it. It runs before the parallel tests because one case alters a table.
func TestCheck(t *testing.T) {
	b := newBooks(t)
	a := b.account(ledger.CodeBuyerRefundable, ledger.DebitsMustNotExceedCredits)
	c := b.account(ledger.CodeEscrow, 0)
	b.fund(a, 100)
	b.fund(a, 50)
	p := b.mustTransfer(pending(a, c, 30, 0))[0]
	post := b.mustTransfer(resolve(p.ID, ledger.PostPending, nil))[0]
	plain := b.mustTransfer(xfer(a, c, 20))[0]
	healthy(t)

	cases := []struct {
		name               string
		corrupt            []string
		table, row, saying string
	}{
		{"account balance", []string{`UPDATE ledger_accounts SET credits_posted = credits_posted + 1 WHERE id = '` + a.String() + `'`},
			"ledger_accounts", "id=" + a.String(), "credits_posted is 151 but its entries sum to 150"},
		{"entry chain", []string{`UPDATE ledger_entries SET balance_before = balance_before + 1, balance_after = balance_after + 1
			WHERE account_id = '` + a.String() + `' AND seq = 1`},
			"ledger_entries", "account_id=" + a.String() + ", seq=1", "balance_before is 1 but the previous entry ended at 0"},
		{"entry seq", []string{`UPDATE ledger_entries SET seq = 100 WHERE account_id = '` + c.String() + `' AND seq = 3`,
			`UPDATE ledger_accounts SET entry_seq = 100 WHERE id = '` + c.String() + `'`},
			"ledger_accounts", "id=" + c.String(), "entry_seq is 100 but the account has 4 entries"},
		{"flag", []string{`ALTER TABLE ledger_accounts DROP CONSTRAINT ledger_accounts_debits_within_credits`,
			`UPDATE ledger_accounts SET debits_posted = debits_posted + 1000 WHERE id = '` + a.String() + `'`},
			"ledger_accounts", "id=" + a.String(), "debits_must_not_exceed_credits broken"},
		{"transfer amount", []string{`UPDATE ledger_transfers SET amount = amount + 1 WHERE id = '` + plain.ID.String() + `'`},
			"ledger_transfers", "id=" + plain.ID.String(), "the transfer moves 0 pending and 21 posted"},
		{"pending state", []string{`UPDATE ledger_pending SET state = 'open', resolved_by = NULL WHERE transfer_id = '` + p.ID.String() + `'`},
			"ledger_pending", "transfer_id=" + p.ID.String(), "open, but transfer " + post.ID.String() + " resolves it"},
		{"ledger sum", []string{`ALTER TABLE ledger_accounts DISABLE TRIGGER ledger_accounts_immutable`,
			`UPDATE ledger_accounts SET ledger = 'elsewhere:USDT' WHERE id = '` + c.String() + `'`},
			"ledger_accounts", "ledger=elsewhere:USDT", "posted debits 0 ≠ posted credits 50"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			tx, err := dbtest.Pool(t).Begin(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer tx.Rollback(ctx) //nolint:errcheck // the corruption must not stay
			for _, q := range tc.corrupt {
				if _, err := tx.Exec(ctx, q); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			v, err := ledger.Check(ctx, tx)
			if err != nil {
				t.Fatal(err)
			}
			if v == nil {
				t.Fatal("Check found nothing")
			}
			if v.Table != tc.table || v.Row != tc.row || !strings.Contains(v.Problem, tc.saying) {
				t.Fatalf("Check: %v\nwant %s %s: …%s…", v, tc.table, tc.row, tc.saying)
			}
		})
	}
	healthy(t)
}

// TestDatabaseConstraints: the schema refuses what the code refuses, for writers that bypass it.
func TestDatabaseConstraints(t *testing.T) {
	t.Parallel()
	b := newBooks(t)
	a := b.account(ledger.CodeBuyerRefundable, ledger.DebitsMustNotExceedCredits)
	c := b.account(ledger.CodeEscrow, 0)
	other := ledger.NewID()
	if _, err := b.l.CreateAccounts(b.ctx, ledger.Account{ID: other, Ledger: "other:USDT", Code: ledger.CodeEscrow}); err != nil {
		t.Fatal(err)
	}
	insert := `INSERT INTO ledger_transfers (id, ledger, debit_account_id, credit_account_id, amount, code, pending,
		post_pending, void_pending, linked, created_at) VALUES (gen_random_uuid(), $1, $2, $3, $4, 1, false, false, false, false, now())`
	for _, tc := range []struct {
		name       string
		args       []any
		constraint string
	}{
		{"amount > 0", []any{b.name, a, c, 0}, "ledger_transfers_amount_positive"},
		{"debit ≠ credit", []any{b.name, a, a, 1}, "ledger_transfers_distinct_accounts"},
		{"same ledger", []any{b.name, a, other, 1}, "ledger_transfers_same_ledger"},
		{"account exists", []any{b.name, a, ledger.NewID(), 1}, "ledger_transfers_same_ledger"},
	} {
		err := pgx.BeginFunc(b.ctx, dbtest.Pool(t), func(tx pgx.Tx) error {
			_, err := tx.Exec(b.ctx, insert, tc.args...)
			return err
		})
		if err == nil || !strings.Contains(err.Error(), tc.constraint) && !strings.Contains(errConstraint(err), tc.constraint) {
			t.Errorf("%s: %v, want a violation of %s", tc.name, err, tc.constraint)
		}
	}
	_, err := dbtest.Pool(t).Exec(b.ctx, `UPDATE ledger_accounts SET debits_posted = 1 WHERE id = $1`, a)
	if errConstraint(err) != "ledger_accounts_debits_within_credits" {
		t.Errorf("overdraft by hand: %v", err)
	}
}

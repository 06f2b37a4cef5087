package ledger_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/amanat/amn/db/dbtest"
	"github.com/amanat/amn/ledger"
)

// TestDatabaseConstraintsInBulk: the transfers check refuses a bad row in a large statement (the
// form a COPY of a batch takes) as it does in a small one, and names the same constraint; and a
// badly named ledger is refused when an account is created behind the ledger's back.
func TestDatabaseConstraintsInBulk(t *testing.T) {
	t.Parallel()
	b := newBooks(t)
	a := b.account(ledger.CodeBuyerRefundable, 0)
	c := b.account(ledger.CodeEscrow, 0)
	other := ledger.NewID()
	if _, err := b.l.CreateAccounts(b.ctx, ledger.Account{ID: other, Ledger: "other:USDT", Code: ledger.CodeEscrow}); err != nil {
		t.Fatal(err)
	}
	p := b.mustTransfer(pending(a, c, 10, 0))[0]
	// rows-1 good transfers and one given by the case, in one statement.
	insert := `INSERT INTO ledger_transfers (id, ledger, debit_account_id, credit_account_id, amount, pending_id, code,
			pending, post_pending, void_pending, linked, created_at)
		SELECT gen_random_uuid(), $1::text, $2::uuid, $3::uuid, 1, NULL::uuid, 1, false, false, false, false, now()
		FROM generate_series(2, $4::int)
		UNION ALL SELECT gen_random_uuid(), $5::text, $6::uuid, $7::uuid, $8::numeric, $9::uuid, 1, false,
			$9::uuid IS NOT NULL, false, false, now()`
	for _, rows := range []int{2, 100, 1000} {
		for _, tc := range []struct {
			name       string
			args       []any
			constraint string
		}{
			{"same ledger", []any{b.name, a, other, 1, nil}, "ledger_transfers_same_ledger"},
			{"account exists", []any{b.name, a, ledger.NewID(), 1, nil}, "ledger_transfers_same_ledger"},
			{"transfer's ledger", []any{"other:USDT", a, c, 1, nil}, "ledger_transfers_same_ledger"},
			{"pending id", []any{b.name, a, c, 1, ledger.NewID()}, "ledger_transfers_pending_id"},
			{"more than pending", []any{b.name, a, c, 11, p.ID}, "ledger_transfers_pending_id"},
			{"fine", []any{b.name, a, c, 10, p.ID}, ""},
		} {
			err := pgx.BeginFunc(b.ctx, dbtest.Pool(t), func(tx pgx.Tx) error {
				args := append([]any{b.name, a, c, rows}, tc.args...)
				if _, err := tx.Exec(b.ctx, insert, args...); err != nil {
					return err
				}
				return errRollback
			})
			switch {
			case tc.constraint == "" && err != errRollback:
				t.Errorf("%d rows, %s: %v", rows, tc.name, err)
			case tc.constraint != "" && errConstraint(err) != tc.constraint:
				t.Errorf("%d rows, %s: %v, want a violation of %s", rows, tc.name, err, tc.constraint)
			}
		}
	}
	for _, name := range []string{"bsc", "BSC:USDT", "bsc:USDT:x", strings.Repeat("a", 33) + ":USDT", "bsc:" + strings.Repeat("T", 33)} {
		_, err := dbtest.Pool(t).Exec(b.ctx, `INSERT INTO ledger_accounts (id, ledger, code) VALUES ($1, $2, 1)`, ledger.NewID(), name)
		if errConstraint(err) != "ledger_accounts_ledger_check" {
			t.Errorf("account in ledger %q: %v", name, err)
		}
	}
	healthy(t)
}

var errRollback = errors.New("roll back")

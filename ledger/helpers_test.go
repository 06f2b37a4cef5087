package ledger_test

import (
	"context"
	"encoding/hex"
	"errors"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/amanat/amn/db/dbtest"
	"github.com/amanat/amn/ledger"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

func n(x int64) *big.Int { return big.NewInt(x) }

// books is one test's ledger: its own ledger name, so tests running in parallel never share an
// account.
type books struct {
	t     testing.TB
	ctx   context.Context
	l     *ledger.Ledger
	name  string
	world ledger.ID
}

func newBooks(t testing.TB, opts ...ledger.Option) *books {
	t.Helper()
	id := ledger.NewID()
	b := &books{t: t, ctx: context.Background(), l: ledger.New(dbtest.Pool(t), opts...),
		name: "t" + hex.EncodeToString(id[:6]) + ":USDT"}
	b.world = b.account(ledger.CodeWorld, 0)
	return b
}

func (b *books) account(code ledger.AccountCode, flags ledger.AccountFlags) ledger.ID {
	b.t.Helper()
	id := ledger.NewID()
	if _, err := b.l.CreateAccounts(b.ctx, ledger.Account{ID: id, Ledger: b.name, Code: code, Flags: flags}); err != nil {
		b.t.Fatal(err)
	}
	return id
}

// fund credits amount to a credit-normal account from the world.
func (b *books) fund(acct ledger.ID, amount int64) {
	b.t.Helper()
	b.mustTransfer(ledger.Transfer{ID: ledger.NewID(), DebitAccountID: b.world, CreditAccountID: acct, Amount: n(amount), Code: 1})
}

func (b *books) mustTransfer(ts ...ledger.Transfer) []ledger.Transfer {
	b.t.Helper()
	out, err := b.l.Transfer(b.ctx, ts...)
	if err != nil {
		b.t.Fatal(err)
	}
	return out
}

func (b *books) acct(id ledger.ID) ledger.Account {
	b.t.Helper()
	a, err := b.l.Account(b.ctx, id)
	if err != nil {
		b.t.Fatal(err)
	}
	return a
}

// balances is an account's four totals, for comparing in tests.
type balances struct{ dp, dpo, cp, cpo int64 }

func (b *books) balances(id ledger.ID) balances {
	b.t.Helper()
	a := b.acct(id)
	return balances{a.DebitsPending.Int64(), a.DebitsPosted.Int64(), a.CreditsPending.Int64(), a.CreditsPosted.Int64()}
}

// healthy fails the test when ledger.Check finds a violation anywhere in the package database.
func healthy(t testing.TB) {
	t.Helper()
	v, err := ledger.Check(context.Background(), dbtest.Pool(t))
	if err != nil {
		t.Fatal(err)
	}
	if v != nil {
		t.Fatalf("ledger check: %v", v)
	}
}

func errConstraint(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.ConstraintName
	}
	return ""
}

// funded makes n seller-payable accounts that cannot go negative, each funded with amount.
func (b *books) funded(n int, amount int64) []ledger.ID {
	b.t.Helper()
	accts := make([]ledger.ID, n)
	for i := range accts {
		accts[i] = b.account(ledger.CodeSellerPayable, ledger.DebitsMustNotExceedCredits)
		b.fund(accts[i], amount)
	}
	return accts
}

// pair picks two distinct indexes below n: a debit and a credit side.
func pair(rng *rand.Rand, n int) (dr, cr int) {
	dr, cr = rng.IntN(n), rng.IntN(n-1)
	if cr >= dr {
		cr++
	}
	return dr, cr
}

// plus adds up the counters of two Stats.
func plus(a, b ledger.Stats) ledger.Stats {
	return ledger.Stats{FromMemory: a.FromMemory + b.FromMemory, Conflicts: a.Conflicts + b.Conflicts, Locked: a.Locked + b.Locked}
}

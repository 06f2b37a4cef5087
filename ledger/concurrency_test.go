package ledger_test

import (
	"context"
	"errors"
	"math/big"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/amanat/amn/db"
	"github.com/amanat/amn/db/dbtest"
	"github.com/amanat/amn/ledger"
)

// TestConcurrentHotAccounts races many goroutines over a few hot accounts that must not go
// negative. Afterwards no balance is negative, the ledger sums to zero, and the balances are
// exactly what the successful transfers add up to.
func TestConcurrentHotAccounts(t *testing.T) {
	t.Parallel()
	b := newBooks(t)
	const hot, start, workers, ops = 4, 300, 16, 60
	accts := b.funded(hot, start)
	type moved struct {
		dr, cr int
		amount int64
	}
	var (
		mu        sync.Mutex
		posted    []moved
		transfers = hot // the fundings
		refused   int
		wg        sync.WaitGroup
	)
	for w := range workers {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(w), 42))
			for range ops {
				dr, cr := pair(rng, hot)
				amount := 1 + rng.Int64N(120)
				var (
					err     error
					applied []moved
					count   int
				)
				switch rng.IntN(4) {
				case 0: // reserve, then post part of it or void it
					var p []ledger.Transfer
					p, err = b.l.Transfer(b.ctx, pending(accts[dr], accts[cr], amount, 0))
					if err == nil {
						count++
						if rng.IntN(2) == 0 {
							part := 1 + rng.Int64N(amount)
							_, err = b.l.Transfer(b.ctx, resolve(p[0].ID, ledger.PostPending, n(part)))
							applied = append(applied, moved{dr, cr, part})
						} else {
							_, err = b.l.Transfer(b.ctx, resolve(p[0].ID, ledger.VoidPending, nil))
						}
						if err != nil {
							t.Errorf("resolving: %v", err)
							return
						}
						count++
					}
				default:
					_, err = b.l.Transfer(b.ctx, xfer(accts[dr], accts[cr], amount))
					if err == nil {
						applied, count = append(applied, moved{dr, cr, amount}), 1
					}
				}
				mu.Lock()
				switch {
				case err == nil:
					posted = append(posted, applied...)
					transfers += count
				case errors.Is(err, ledger.ErrInsufficientFunds):
					refused++
				default:
					t.Errorf("transfer: %v", err)
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()

	want := make([]balances, hot)
	for i := range want {
		want[i].cpo = start
	}
	for _, m := range posted {
		want[m.dr].dpo += m.amount
		want[m.cr].cpo += m.amount
	}
	for i, a := range accts {
		got := b.balances(a)
		if got != want[i] {
			t.Errorf("account %d: %v, want %v (from %d successful transfers)", i, got, want[i], len(posted))
		}
		if got.dpo > got.cpo {
			t.Errorf("account %d is negative: %v", i, got)
		}
	}
	if refused == 0 {
		t.Error("no transfer was refused: the test did not reach the limit")
	}
	var recorded int
	err := dbtest.Pool(t).QueryRow(b.ctx, `SELECT count(*) FROM ledger_transfers WHERE ledger = $1 AND debit_account_id <> $2`,
		b.name, b.world).Scan(&recorded)
	if err != nil {
		t.Fatal(err)
	}
	if recorded != transfers-hot {
		t.Errorf("%d transfers recorded between the hot accounts, %d succeeded", recorded, transfers-hot)
	}
	tb, err := b.l.TrialBalance(b.ctx, b.name)
	if err != nil || !tb.Balanced() || tb.Total.Accounts != hot+1 {
		t.Fatalf("trial balance %+v, %v", tb, err)
	}
	healthy(t)
}

// crashingBeginner commits and then loses the reply, like a connection that dies between the
// server's commit and the client reading it.
type crashingBeginner struct{ b db.Beginner }

type crashingTx struct{ pgx.Tx }

var errLostReply = errors.New("connection reset after commit")

func (c crashingBeginner) Begin(ctx context.Context) (pgx.Tx, error) {
	tx, err := c.b.Begin(ctx)
	return crashingTx{tx}, err
}

func (tx crashingTx) Commit(ctx context.Context) error {
	if err := tx.Tx.Commit(ctx); err != nil {
		return err
	}
	return errLostReply
}

// TestRetryAfterLostReply: the same batch sent again after a crash between commit and reply
// changes nothing and returns what the first run recorded.
func TestRetryAfterLostReply(t *testing.T) {
	t.Parallel()
	b := newBooks(t)
	a := b.account(ledger.CodeBuyerRefundable, ledger.DebitsMustNotExceedCredits)
	c := b.account(ledger.CodeEscrow, 0)
	b.fund(a, 100)
	open := b.mustTransfer(pending(a, c, 30, 0))[0]
	link := xfer(a, c, 5)
	link.Flags = ledger.Linked
	batch := []ledger.Transfer{
		xfer(a, c, 10),
		pending(a, c, 20, 0),
		resolve(open.ID, ledger.PostPending, n(25)),
		link, xfer(c, a, 1),
		xfer(a, c, 1000), // refused both times
	}
	crashing := ledger.New(crashingBeginner{dbtest.Pool(t)})
	if _, err := crashing.CreateTransfers(b.ctx, batch); !errors.Is(err, errLostReply) {
		t.Fatalf("first run: %v, want the lost reply", err)
	}
	snapshot := func() (balances, balances, int) {
		var rows int
		if err := dbtest.Pool(t).QueryRow(b.ctx, `SELECT (SELECT count(*) FROM ledger_transfers WHERE ledger = $1)
			+ (SELECT count(*) FROM ledger_entries e JOIN ledger_accounts x ON x.id = e.account_id WHERE x.ledger = $1)
			+ (SELECT count(*) FROM ledger_pending p JOIN ledger_transfers x ON x.id = p.transfer_id WHERE x.ledger = $1)`,
			b.name).Scan(&rows); err != nil {
			t.Fatal(err)
		}
		return b.balances(a), b.balances(c), rows
	}
	a1, c1, rows1 := snapshot()
	if a1 != (balances{20, 10 + 25 + 5, 0, 101}) {
		t.Fatalf("the first run was not committed: a = %v", a1)
	}
	res, err := b.l.CreateTransfers(b.ctx, batch)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range res[:5] {
		rec, err := b.l.LookupTransfer(b.ctx, batch[i].ID)
		if err != nil {
			t.Fatal(err)
		}
		if r.Err != nil || !r.Existed || !r.Transfer.CreatedAt.Equal(rec.CreatedAt) || r.Transfer.Amount.Cmp(rec.Amount) != 0 {
			t.Errorf("retry of transfer %d: %+v, want the recorded %+v", i, r, rec)
		}
	}
	if !errors.Is(res[5].Err, ledger.ErrInsufficientFunds) {
		t.Errorf("retry of the refused transfer: %v", res[5].Err)
	}
	if a2, c2, rows2 := snapshot(); a2 != a1 || c2 != c1 || rows2 != rows1 {
		t.Fatalf("the retry changed the books: %v %v %d → %v %v %d", a1, c1, rows1, a2, c2, rows2)
	}
	// Transfer (all or nothing) gives the same answer for the transfers that went through.
	again, err := b.l.Transfer(b.ctx, batch[:5]...)
	if err != nil || len(again) != 5 || again[2].Amount.Int64() != 25 {
		t.Fatalf("Transfer retry: %v, %v", again, err)
	}
	// The same id with other content is refused.
	changed := batch[0]
	changed.Amount = big.NewInt(11)
	if _, err := b.l.Transfer(b.ctx, changed); !errors.Is(err, ledger.ErrIDReused) {
		t.Fatalf("changed retry: %v", err)
	}
	healthy(t)
}

// TestInCallersTransaction: WithTx makes transfers part of the caller's transaction: rolled back
// with it, committed with it.
func TestInCallersTransaction(t *testing.T) {
	t.Parallel()
	b := newBooks(t)
	a := b.account(ledger.CodeBuyerRefundable, 0)
	c := b.account(ledger.CodeEscrow, 0)
	pool := dbtest.Pool(t)
	tr := xfer(a, c, 7)
	errAbort := errors.New("the caller's state change failed")
	err := db.InTx(b.ctx, pool, func(tx pgx.Tx) error {
		if _, err := b.l.WithTx(tx).Transfer(b.ctx, tr); err != nil {
			return err
		}
		return errAbort
	})
	if !errors.Is(err, errAbort) {
		t.Fatal(err)
	}
	if _, err := b.l.LookupTransfer(b.ctx, tr.ID); !errors.Is(err, ledger.ErrTransferNotFound) {
		t.Fatalf("transfer of a rolled-back transaction: %v", err)
	}
	err = db.InTx(b.ctx, pool, func(tx pgx.Tx) error {
		l := b.l.WithTx(tx)
		// A refusal leaves the transaction usable.
		if _, err := l.Transfer(b.ctx, xfer(a, a, 1)); !errors.Is(err, ledger.ErrInvalid) {
			t.Errorf("refusal inside the transaction: %v", err)
		}
		_, err := l.Transfer(b.ctx, tr)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := b.balances(c); got != (balances{0, 0, 0, 7}) {
		t.Fatalf("c: %v", got)
	}
}

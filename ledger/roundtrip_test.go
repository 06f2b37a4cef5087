package ledger_test

import (
	"errors"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/amanat/amn/db"
	"github.com/amanat/amn/db/dbtest"
	"github.com/amanat/amn/ledger"
)

// The one-round-trip path (a single transfer written from remembered account states) must give
// exactly the answers of the locking path, whatever other writers did in between.

// statsDelta runs fn and returns how l's counters moved.
func statsDelta(l *ledger.Ledger, fn func()) ledger.Stats {
	before := l.Stats()
	fn()
	after := l.Stats()
	return ledger.Stats{OneRoundTrip: after.OneRoundTrip - before.OneRoundTrip,
		Conflicts: after.Conflicts - before.Conflicts, Locked: after.Locked - before.Locked}
}

// TestOneRoundTripStaleCache: another Ledger (another process, in production) changes the
// accounts this one remembers. Every answer is still the database's, no update is lost, and a
// refusal from stale numbers is never final.
func TestOneRoundTripStaleCache(t *testing.T) {
	t.Parallel()
	b := newBooks(t)
	a := b.account(ledger.CodeSellerPayable, ledger.DebitsMustNotExceedCredits)
	c := b.account(ledger.CodeEscrow, 0)
	other := ledger.New(dbtest.Pool(t))
	b.fund(a, 100)
	b.mustTransfer(xfer(a, c, 10)) // c is remembered from here on
	if d := statsDelta(b.l, func() { b.mustTransfer(xfer(a, c, 10)) }); d.OneRoundTrip != 1 || d.Conflicts != 0 {
		t.Fatalf("a transfer between remembered accounts: %+v, want one round trip", d)
	}

	// Stale: the other Ledger moved 50 out of a. The remembered state would allow 70 more, the
	// database 30; 30 must go through, and be recorded after the other's 50.
	if _, err := other.Transfer(b.ctx, xfer(a, c, 50)); err != nil {
		t.Fatal(err)
	}
	if d := statsDelta(b.l, func() { b.mustTransfer(xfer(a, c, 30)) }); d.Conflicts != 1 || d.Locked != 1 {
		t.Fatalf("a transfer from a stale state: %+v, want a conflict and the locking path", d)
	}
	if got := b.balances(a); got != (balances{0, 100, 0, 100}) {
		t.Fatalf("a after the stale write: %v", got)
	}

	// Stale the other way: the remembered state says a is empty, the other Ledger funded it. The
	// refusal computed from memory is not the answer.
	if _, err := other.Transfer(b.ctx, ledger.Transfer{ID: ledger.NewID(), DebitAccountID: b.world, CreditAccountID: a,
		Amount: n(20), Code: 1}); err != nil {
		t.Fatal(err)
	}
	b.mustTransfer(xfer(a, c, 15))

	// And a stale state that would allow what the database refuses: the other Ledger spends the
	// last 5, this one tries to spend them too.
	if _, err := other.Transfer(b.ctx, xfer(a, c, 5)); err != nil {
		t.Fatal(err)
	}
	late := xfer(a, c, 5)
	if _, err := b.l.Transfer(b.ctx, late); !errors.Is(err, ledger.ErrInsufficientFunds) {
		t.Fatalf("spending what the other Ledger spent: %v, want ErrInsufficientFunds", err)
	}
	if _, err := b.l.LookupTransfer(b.ctx, late.ID); !errors.Is(err, ledger.ErrTransferNotFound) {
		t.Fatalf("the refused transfer: %v", err)
	}
	if got, want := b.balances(a), (balances{0, 120, 0, 120}); got != want {
		t.Fatalf("a = %v, want %v", got, want)
	}
	if got, want := b.balances(c), (balances{0, 0, 0, 120}); got != want {
		t.Fatalf("c = %v, want %v", got, want)
	}
	healthy(t)
}

// TestOneRoundTripSameID: a transfer sent again returns what was recorded the first time and
// changes nothing, and with other content it is ErrIDReused: from a Ledger whose memory of the
// accounts is stale, and from one whose memory is fresh (the primary key then refuses the write).
func TestOneRoundTripSameID(t *testing.T) {
	t.Parallel()
	at := func(year int) ledger.Option {
		return ledger.WithClock(func() time.Time { return time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC) })
	}
	// Pending transfers here expire in 2061: after every ExpirePending clock of the other tests.
	b := newBooks(t, at(2061))
	a := b.account(ledger.CodeSellerPayable, ledger.DebitsMustNotExceedCredits)
	c := b.account(ledger.CodeEscrow, 0)
	b.fund(a, 100)
	b.mustTransfer(xfer(a, c, 1))

	for _, tr := range []ledger.Transfer{xfer(a, c, 7), pending(a, c, 9, time.Hour)} {
		var first []ledger.Transfer
		if d := statsDelta(b.l, func() { first = b.mustTransfer(tr) }); d.OneRoundTrip != 1 {
			t.Fatalf("%s: first send %+v, want one round trip", tr.Flags, d)
		}
		// Another Ledger, with a later clock, moves a and c twice: b.l's memory of them is stale
		// now, and the other one's is fresh.
		again := ledger.New(dbtest.Pool(t), at(2062))
		for range 2 {
			if _, err := again.Transfer(b.ctx, xfer(a, c, 1)); err != nil {
				t.Fatal(err)
			}
		}
		before := b.balances(a)
		for _, l := range []*ledger.Ledger{b.l, again} {
			var got []ledger.Transfer
			d := statsDelta(l, func() {
				var err error
				if got, err = l.Transfer(b.ctx, tr); err != nil {
					t.Fatal(err)
				}
			})
			if d.OneRoundTrip != 0 || d.Locked != 1 {
				t.Errorf("%s: sent again %+v, want it answered by the locking path", tr.Flags, d)
			}
			if !got[0].CreatedAt.Equal(first[0].CreatedAt) || !got[0].ExpiresAt.Equal(first[0].ExpiresAt) ||
				got[0].Amount.Cmp(first[0].Amount) != 0 {
				t.Fatalf("%s: sent again %+v, want the first record %+v", tr.Flags, got[0], first[0])
			}
			res, err := l.CreateTransfers(b.ctx, []ledger.Transfer{tr})
			if err != nil || res[0].Err != nil || !res[0].Existed {
				t.Fatalf("%s: CreateTransfers again: %+v, %v", tr.Flags, res, err)
			}
			changed := tr
			changed.Amount = n(tr.Amount.Int64() + 1)
			if _, err := l.Transfer(b.ctx, changed); !errors.Is(err, ledger.ErrIDReused) {
				t.Fatalf("%s: other content under the same id: %v", tr.Flags, err)
			}
		}
		if got := b.balances(a); got != before {
			t.Fatalf("%s: sending again moved a: %v → %v", tr.Flags, before, got)
		}
	}
	healthy(t)
}

// TestOneRoundTripAfterRollback: states seen inside a caller's transaction that rolls back are
// never remembered. If they were, a later commit by someone else could give the account the same
// entry_seq with other balances, and the conditional update would not see the difference.
func TestOneRoundTripAfterRollback(t *testing.T) {
	t.Parallel()
	b := newBooks(t)
	a := b.account(ledger.CodeSellerPayable, ledger.DebitsMustNotExceedCredits)
	c := b.account(ledger.CodeEscrow, 0)
	b.fund(a, 100)
	b.mustTransfer(xfer(a, c, 1))
	b.mustTransfer(xfer(a, c, 1)) // one round trip: a and c are remembered

	errAbort := errors.New("the caller changed its mind")
	err := db.InTx(b.ctx, dbtest.Pool(t), func(tx pgx.Tx) error {
		if _, err := b.l.WithTx(tx).Transfer(b.ctx, xfer(a, c, 5)); err != nil {
			return err
		}
		return errAbort
	})
	if !errors.Is(err, errAbort) {
		t.Fatal(err)
	}
	// Someone else commits the entry_seq the rolled-back transfer had, with other balances.
	if _, err := ledger.New(dbtest.Pool(t)).Transfer(b.ctx, xfer(a, c, 7)); err != nil {
		t.Fatal(err)
	}
	b.mustTransfer(xfer(a, c, 2))
	if got, want := b.balances(a), (balances{0, 1 + 1 + 7 + 2, 0, 100}); got != want {
		t.Fatalf("a = %v, want %v", got, want)
	}
	healthy(t)
}

// TestOneRoundTripHotRace races single transfers, reservations and their resolutions over a few
// hot accounts: most goroutines share one Ledger, so that its one-round-trip writes start from the
// same remembered state and collide; a second Ledger makes that memory stale. Afterwards the
// balances are exactly what the successful transfers add up to and no account went negative.
func TestOneRoundTripHotRace(t *testing.T) {
	t.Parallel()
	b := newBooks(t)
	const hot, start, workers, ops = 8, 400, 5, 80
	accts := make([]ledger.ID, hot)
	for i := range accts {
		accts[i] = b.account(ledger.CodeSellerPayable, ledger.DebitsMustNotExceedCredits)
		b.fund(accts[i], start)
	}
	ls := []*ledger.Ledger{b.l, ledger.New(dbtest.Pool(t))}
	var (
		mu        sync.Mutex
		posted    [hot]balances
		succeeded int
		wg        sync.WaitGroup
	)
	for w := range workers {
		l := ls[0]
		if w == 0 {
			l = ls[1]
		}
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(w), 99))
			for range ops {
				dr, cr := rng.IntN(hot), rng.IntN(hot-1)
				if cr >= dr {
					cr++
				}
				amount := 1 + rng.Int64N(60)
				var (
					post  int64 // what ends up posted
					count int
					err   error
				)
				if rng.IntN(3) == 0 {
					var p []ledger.Transfer
					if p, err = l.Transfer(b.ctx, pending(accts[dr], accts[cr], amount, 0)); err == nil {
						count++
						if rng.IntN(2) == 0 {
							post = amount
							_, err = l.Transfer(b.ctx, resolve(p[0].ID, ledger.PostPending, nil))
						} else {
							_, err = l.Transfer(b.ctx, resolve(p[0].ID, ledger.VoidPending, nil))
						}
						if err != nil {
							t.Errorf("resolving: %v", err)
							return
						}
						count++
					}
				} else if _, err = l.Transfer(b.ctx, xfer(accts[dr], accts[cr], amount)); err == nil {
					post, count = amount, 1
				}
				mu.Lock()
				switch {
				case err == nil:
					posted[dr].dpo += post
					posted[cr].cpo += post
					succeeded += count
				case !errors.Is(err, ledger.ErrInsufficientFunds):
					t.Errorf("transfer: %v", err)
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()

	for i, a := range accts {
		want := posted[i]
		want.cpo += start
		if got := b.balances(a); got != want {
			t.Errorf("account %d: %v, want %v", i, got, want)
		}
	}
	var recorded int
	if err := dbtest.Pool(t).QueryRow(b.ctx, `SELECT count(*) FROM ledger_transfers WHERE ledger = $1 AND debit_account_id <> $2`,
		b.name, b.world).Scan(&recorded); err != nil {
		t.Fatal(err)
	}
	if recorded != succeeded {
		t.Errorf("%d transfers recorded between the hot accounts, %d succeeded", recorded, succeeded)
	}
	var total ledger.Stats
	for _, l := range ls {
		s := l.Stats()
		total.OneRoundTrip += s.OneRoundTrip
		total.Conflicts += s.Conflicts
		total.Locked += s.Locked
	}
	t.Logf("%+v", total)
	if total.OneRoundTrip == 0 || total.Conflicts == 0 {
		t.Errorf("stats %+v: the race did not exercise the one-round-trip path and its conflicts", total)
	}
	healthy(t)
}

// TestSentAgainAfterTheMoneyMoved: a transfer sent again when its accounts could no longer pay it
// is still answered with its record, not a refusal, whatever the Ledger remembers.
func TestSentAgainAfterTheMoneyMoved(t *testing.T) {
	t.Parallel()
	b := newBooks(t)
	a := b.account(ledger.CodeSellerPayable, ledger.DebitsMustNotExceedCredits)
	c := b.account(ledger.CodeEscrow, 0)
	b.fund(a, 10)
	tr := xfer(a, c, 10)
	first := b.mustTransfer(tr)[0]
	for _, l := range []*ledger.Ledger{b.l, ledger.New(dbtest.Pool(t)), ledger.New(dbtest.Pool(t), ledger.WithAccountCache(0))} {
		got, err := l.Transfer(b.ctx, tr)
		if err != nil || !got[0].CreatedAt.Equal(first.CreatedAt) {
			t.Fatalf("sent again: %v, %v; want the record %+v", got, err, first)
		}
		late := xfer(a, c, 1)
		res, err := l.CreateTransfers(b.ctx, []ledger.Transfer{tr, late})
		if err != nil || res[0].Err != nil || !res[0].Existed || !errors.Is(res[1].Err, ledger.ErrInsufficientFunds) {
			t.Fatalf("sent again in a batch: %+v, %v", res, err)
		}
	}
	if got := b.balances(a); got != (balances{0, 10, 0, 10}) {
		t.Fatalf("a = %v", got)
	}
	healthy(t)
}

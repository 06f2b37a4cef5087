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

// Writing from memory (a call written from remembered account states without locking them first:
// a single transfer in one round trip, or a batch) must give exactly the answers of the locking
// path, whatever other writers did in between.

// statsDelta runs fn and returns how l's counters moved.
func statsDelta(l *ledger.Ledger, fn func()) ledger.Stats {
	before := l.Stats()
	fn()
	after := l.Stats()
	return ledger.Stats{FromMemory: after.FromMemory - before.FromMemory,
		Conflicts: after.Conflicts - before.Conflicts, Locked: after.Locked - before.Locked}
}

// TestFromMemoryStaleCache: another Ledger (another process, in production) changes the
// accounts this one remembers. Every answer is still the database's, no update is lost, and a
// refusal from stale numbers is never final.
func TestFromMemoryStaleCache(t *testing.T) {
	t.Parallel()
	b := newBooks(t)
	a := b.account(ledger.CodeSellerPayable, ledger.DebitsMustNotExceedCredits)
	c := b.account(ledger.CodeEscrow, 0)
	other := ledger.New(dbtest.Pool(t))
	b.fund(a, 100)
	b.mustTransfer(xfer(a, c, 10)) // c is remembered from here on
	if d := statsDelta(b.l, func() { b.mustTransfer(xfer(a, c, 10)) }); d.FromMemory != 1 || d.Conflicts != 0 {
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

// TestFromMemorySameID: a transfer sent again returns what was recorded the first time and
// changes nothing, and with other content it is ErrIDReused: from a Ledger whose memory of the
// accounts is stale, and from one whose memory is fresh (the primary key then refuses the write).
func TestFromMemorySameID(t *testing.T) {
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
		if d := statsDelta(b.l, func() { first = b.mustTransfer(tr) }); d.FromMemory != 1 {
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
			if d.FromMemory != 0 || d.Locked != 1 {
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

// TestFromMemoryAfterRollback: states seen inside a caller's transaction that rolls back are
// never remembered. If they were, a later commit by someone else could give the account the same
// entry_seq with other balances, and the conditional update would not see the difference.
func TestFromMemoryAfterRollback(t *testing.T) {
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

// TestFromMemoryHotRace races single transfers, reservations and their resolutions over a few
// hot accounts: most goroutines share one Ledger, so that its writes from memory start from the
// same remembered state and collide; a second Ledger makes that memory stale. Afterwards the
// balances are exactly what the successful transfers add up to and no account went negative.
func TestFromMemoryHotRace(t *testing.T) {
	t.Parallel()
	b := newBooks(t)
	const hot, start, workers, ops = 8, 400, 5, 80
	accts := b.funded(hot, start)
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
				dr, cr := pair(rng, hot)
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
	total := plus(ls[0].Stats(), ls[1].Stats())
	t.Logf("%+v", total)
	if total.FromMemory == 0 || total.Conflicts == 0 {
		t.Errorf("stats %+v: the race did not exercise writing from memory and its conflicts", total)
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

// TestFromMemoryBatch: a batch over remembered accounts is written without locking them first,
// small (one statement from arrays) or large (COPY); one whose memory is stale runs again by
// locking and ends exactly as if it had locked from the start.
func TestFromMemoryBatch(t *testing.T) {
	t.Parallel()
	b := newBooks(t)
	a := b.account(ledger.CodeSellerPayable, ledger.DebitsMustNotExceedCredits)
	c := b.account(ledger.CodeEscrow, 0)
	b.fund(a, 1000)
	b.mustTransfer(xfer(a, c, 1)) // both remembered from here on
	batch := func(count int, amount int64) []ledger.Transfer {
		ts := make([]ledger.Transfer, count)
		for i := range ts {
			ts[i] = xfer(a, c, amount)
		}
		return ts
	}
	for _, size := range []int{3, 100} { // below and above the COPY threshold (64)
		d := statsDelta(b.l, func() {
			if _, err := b.l.Transfer(b.ctx, batch(size, 2)...); err != nil {
				t.Fatal(err)
			}
		})
		if d != (ledger.Stats{FromMemory: 1}) {
			t.Fatalf("a batch of %d over remembered accounts: %+v, want it written from memory", size, d)
		}
	}
	if got, want := b.balances(a), (balances{0, 207, 0, 1000}); got != want {
		t.Fatalf("a = %v, want %v", got, want)
	}

	// Another Ledger spends from a: what this one remembers is stale, and the write must not
	// apply. The remembered state would also allow the 800 the database now refuses.
	other := ledger.New(dbtest.Pool(t))
	if _, err := other.Transfer(b.ctx, xfer(a, c, 700)); err != nil {
		t.Fatal(err)
	}
	ts := append(batch(70, 1), xfer(a, c, 800))
	var res []ledger.Result
	d := statsDelta(b.l, func() {
		var err error
		if res, err = b.l.CreateTransfers(b.ctx, ts); err != nil {
			t.Fatal(err)
		}
	})
	if d.FromMemory != 0 || d.Locked != 1 {
		t.Fatalf("a batch from a stale memory: %+v, want it run by locking", d)
	}
	for i, r := range res[:70] {
		if r.Err != nil {
			t.Fatalf("transfer %d: %v", i, r.Err)
		}
	}
	if !errors.Is(res[70].Err, ledger.ErrInsufficientFunds) {
		t.Fatalf("the 800: %v, want ErrInsufficientFunds", res[70].Err)
	}
	if got, want := b.balances(a), (balances{0, 977, 0, 1000}); got != want {
		t.Fatalf("a = %v, want %v", got, want)
	}
	if got, want := b.balances(c), (balances{0, 0, 0, 977}); got != want {
		t.Fatalf("c = %v, want %v", got, want)
	}
	healthy(t)
}

// TestFromMemoryBatchDoesNotWait: a batch written from memory takes its accounts' row locks in no
// particular order, so it must not wait for a row another transaction holds (two such batches
// could wait on each other until the deadlock detector ends one, a second later). It gives up at
// once and runs again by locking, which waits in id order like everyone else.
func TestFromMemoryBatchDoesNotWait(t *testing.T) {
	t.Parallel()
	b := newBooks(t)
	a := b.account(ledger.CodeSellerPayable, ledger.DebitsMustNotExceedCredits)
	c := b.account(ledger.CodeEscrow, 0)
	b.fund(a, 100)
	b.mustTransfer(xfer(a, c, 1))

	// Another transaction holds c's row, without changing it: waiting would let the batch
	// through from memory after the holder ends.
	holder, err := dbtest.Pool(t).Begin(b.ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Rollback(b.ctx)
	if _, err := holder.Exec(b.ctx, `SELECT 1 FROM ledger_accounts WHERE id = $1 FOR UPDATE`, c); err != nil {
		t.Fatal(err)
	}
	done := make(chan ledger.Stats)
	go func() {
		done <- statsDelta(b.l, func() {
			if _, err := b.l.Transfer(b.ctx, xfer(a, c, 2), xfer(a, c, 3)); err != nil {
				t.Error(err)
			}
		})
	}()
	select {
	case d := <-done:
		t.Fatalf("the batch finished while c was locked: %+v", d)
	case <-time.After(300 * time.Millisecond): // the locking path waits for the holder
	}
	if err := holder.Rollback(b.ctx); err != nil {
		t.Fatal(err)
	}
	if d := <-done; d != (ledger.Stats{Conflicts: 1, Locked: 1}) {
		t.Fatalf("stats %+v: want the write from memory to give up and the locking path to wait", d)
	}
	if got, want := b.balances(c), (balances{0, 0, 0, 6}); got != want {
		t.Fatalf("c = %v, want %v", got, want)
	}
	healthy(t)
}

// TestFromMemoryBatchRace races batches (some by COPY) over a few hot accounts from two Ledgers,
// so that batches written from memory collide with each other and with batches that lock:
// afterwards every balance is exactly what the accepted transfers add up to, exactly those are
// recorded, and no flag is broken.
func TestFromMemoryBatchRace(t *testing.T) {
	t.Parallel()
	b := newBooks(t)
	const hot, start, workers, batches = 8, 1_000, 4, 12
	accts := b.funded(hot, start)
	ls := []*ledger.Ledger{b.l, ledger.New(dbtest.Pool(t))}
	for _, l := range ls { // every account remembered by both
		for i := range accts {
			if _, err := l.Transfer(b.ctx, xfer(accts[i], accts[(i+1)%hot], 1), xfer(accts[(i+1)%hot], accts[i], 1)); err != nil {
				t.Fatal(err)
			}
		}
	}
	before := make([]balances, hot)
	for i, a := range accts {
		before[i] = b.balances(a)
	}
	var (
		mu       sync.Mutex
		posted   [hot]balances
		accepted []ledger.ID
		wg       sync.WaitGroup
	)
	for w := range workers {
		l := ls[w%2]
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(w), 7))
			for k := range batches {
				size := 5
				if k%2 == 1 {
					size = 80
				}
				ts := make([]ledger.Transfer, size)
				for i := range ts {
					dr, cr := pair(rng, hot)
					ts[i] = xfer(accts[dr], accts[cr], 1+rng.Int64N(200))
				}
				res, err := l.CreateTransfers(b.ctx, ts)
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				for i, r := range res {
					switch {
					case r.Err == nil:
						amount := ts[i].Amount.Int64()
						for j, a := range accts {
							if a == ts[i].DebitAccountID {
								posted[j].dpo += amount
							}
							if a == ts[i].CreditAccountID {
								posted[j].cpo += amount
							}
						}
						accepted = append(accepted, ts[i].ID)
					case !errors.Is(r.Err, ledger.ErrInsufficientFunds):
						t.Errorf("transfer: %v", r.Err)
					}
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()

	for i, a := range accts {
		want := before[i]
		want.dpo += posted[i].dpo
		want.cpo += posted[i].cpo
		if got := b.balances(a); got != want {
			t.Errorf("account %d: %v, want %v", i, got, want)
		}
	}
	var recorded, all int
	if err := dbtest.Pool(t).QueryRow(b.ctx, `SELECT count(*) FILTER (WHERE id = ANY($2)), count(*) FROM ledger_transfers WHERE ledger = $1`,
		b.name, accepted).Scan(&recorded, &all); err != nil {
		t.Fatal(err)
	}
	const setup = hot + 2*2*hot // funding and the transfers that filled both memories
	if recorded != len(accepted) || all != setup+len(accepted) {
		t.Errorf("%d of %d accepted transfers recorded, %d in all (want %d)", recorded, len(accepted), all, setup+len(accepted))
	}
	total := plus(ls[0].Stats(), ls[1].Stats())
	t.Logf("%d accepted; %+v", len(accepted), total)
	if total.FromMemory == 0 || total.Conflicts == 0 {
		t.Errorf("stats %+v: the race did not exercise writing from memory and its conflicts", total)
	}
	healthy(t)
}

// TestFromMemorySmallCache: a Ledger that remembers fewer accounts than it uses forgets some
// (any) to remember others. A call whose accounts are not all remembered locks them and is
// remembered afresh; nothing it answers depends on which were forgotten.
func TestFromMemorySmallCache(t *testing.T) {
	t.Parallel()
	b := newBooks(t, ledger.WithAccountCache(3))
	// Funding remembers the world account and the funded one, so at most two of the four stay.
	accts := b.funded(4, 100)
	var total ledger.Stats
	for i := range 12 {
		dr, cr := accts[i%4], accts[(i+1)%4]
		total = plus(total, statsDelta(b.l, func() { b.mustTransfer(xfer(dr, cr, 10)) }))
	}
	// Each account paid 3 × 10 and received 3 × 10.
	for i, a := range accts {
		if got, want := b.balances(a), (balances{0, 30, 0, 130}); got != want {
			t.Errorf("account %d: %v, want %v", i, got, want)
		}
	}
	if total.Locked == 0 || total.Conflicts != 0 || total.FromMemory+total.Locked != 12 {
		t.Errorf("stats %+v: want calls that locked (their accounts forgotten) and no conflict", total)
	}
	healthy(t)
}

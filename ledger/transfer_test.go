package ledger_test

import (
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/amanat/amn/ledger"
)

func xfer(dr, cr ledger.ID, amount int64) ledger.Transfer {
	return ledger.Transfer{ID: ledger.NewID(), DebitAccountID: dr, CreditAccountID: cr, Amount: n(amount), Code: 7}
}

func pending(dr, cr ledger.ID, amount int64, timeout time.Duration) ledger.Transfer {
	t := xfer(dr, cr, amount)
	t.Flags, t.Timeout = ledger.Pending, timeout
	return t
}

func resolve(p ledger.ID, flag ledger.TransferFlags, amount *big.Int) ledger.Transfer {
	return ledger.Transfer{ID: ledger.NewID(), PendingID: p, Flags: flag, Amount: amount}
}

// TestFlags: each account flag refuses exactly the transfer that would break it, counting
// pending debits and credits, and names the account.
func TestFlags(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		flags   ledger.AccountFlags
		prepare func(b *books, a ledger.ID) // puts a at its limit
		breach  func(b *books, a ledger.ID) ledger.Transfer
		want    error // nil: no flag, the transfer goes through
	}{
		{"debits_must_not_exceed_credits: posted debit", ledger.DebitsMustNotExceedCredits,
			func(b *books, a ledger.ID) { b.fund(a, 100); b.mustTransfer(xfer(a, b.world, 100)) },
			func(b *books, a ledger.ID) ledger.Transfer { return xfer(a, b.world, 1) }, ledger.ErrInsufficientFunds},
		{"debits_must_not_exceed_credits: pending debit reserves", ledger.DebitsMustNotExceedCredits,
			func(b *books, a ledger.ID) { b.fund(a, 100); b.mustTransfer(pending(a, b.world, 60, 0)) },
			func(b *books, a ledger.ID) ledger.Transfer { return xfer(a, b.world, 41) }, ledger.ErrInsufficientFunds},
		{"debits_must_not_exceed_credits: pending credit is not yet spendable", ledger.DebitsMustNotExceedCredits,
			func(b *books, a ledger.ID) { b.mustTransfer(pending(b.world, a, 100, 0)) },
			func(b *books, a ledger.ID) ledger.Transfer { return xfer(a, b.world, 1) }, ledger.ErrInsufficientFunds},
		{"credits_must_not_exceed_debits: posted credit", ledger.CreditsMustNotExceedDebits,
			func(b *books, a ledger.ID) { b.mustTransfer(xfer(a, b.world, 50)) },
			func(b *books, a ledger.ID) ledger.Transfer { return xfer(b.world, a, 51) }, ledger.ErrExceedsDebits},
		{"credits_must_not_exceed_debits: pending credit", ledger.CreditsMustNotExceedDebits,
			func(b *books, a ledger.ID) {
				b.mustTransfer(xfer(a, b.world, 50))
				b.mustTransfer(pending(b.world, a, 50, 0))
			},
			func(b *books, a ledger.ID) ledger.Transfer { return xfer(b.world, a, 1) }, ledger.ErrExceedsDebits},
		{"no flag: the balance may go either way", 0,
			func(b *books, a ledger.ID) {},
			func(b *books, a ledger.ID) ledger.Transfer { return xfer(a, b.world, 1_000_000) }, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b := newBooks(t)
			a := b.account(ledger.CodeSellerPayable, tc.flags)
			tc.prepare(b, a)
			before := b.balances(a)
			// The limit itself is fine: moving exactly up to it succeeded in prepare (or moves now).
			_, err := b.l.Transfer(b.ctx, tc.breach(b, a))
			if tc.want == nil {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
			var te *ledger.TransferError
			if !errors.As(err, &te) || te.Account != a || te.Index != 0 {
				t.Fatalf("error %#v does not name transfer 0 and account %s", err, a)
			}
			if after := b.balances(a); after != before {
				t.Fatalf("a refused transfer changed balances: %v → %v", before, after)
			}
		})
	}
	healthy(t)
}

// TestAccountFlagsBothRefused: an account cannot carry both limits.
func TestAccountFlagsBothRefused(t *testing.T) {
	b := newBooks(t)
	_, err := b.l.CreateAccounts(b.ctx, ledger.Account{ID: ledger.NewID(), Ledger: b.name, Code: ledger.CodeEscrow,
		Flags: ledger.DebitsMustNotExceedCredits | ledger.CreditsMustNotExceedDebits})
	if !errors.Is(err, ledger.ErrInvalid) {
		t.Fatalf("got %v, want ErrInvalid", err)
	}
}

// TestResolution covers every way a pending transfer ends: post in full, post in part, void,
// timeout; and that it ends only once. ExpirePending acts on the whole database, so this test
// runs alone (before the parallel tests), and the other tests' timeouts lie beyond its clock.
func TestResolution(t *testing.T) {
	t0 := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		name string
		// resolve ends the pending transfer p (of 100, timeout 1 min, at t0) and returns the
		// resolution's id; clock moves the ledger's time.
		resolve          func(b *books, clock *time.Time, p ledger.ID) ledger.ID
		state            ledger.PendingState
		payer, payee     balances // after resolution: payer funded with 100 first
		resolvedAmount   int64
		againErr         error // a second post after the resolution
		resolutionIsVoid bool
	}{
		{"post in full", func(b *books, _ *time.Time, p ledger.ID) ledger.ID {
			return b.mustTransfer(resolve(p, ledger.PostPending, nil))[0].ID
		}, ledger.StatePosted, balances{0, 100, 0, 100}, balances{0, 0, 0, 100}, 100, ledger.ErrAlreadyResolved, false},
		{"post in part", func(b *books, _ *time.Time, p ledger.ID) ledger.ID {
			return b.mustTransfer(resolve(p, ledger.PostPending, n(40)))[0].ID
		}, ledger.StatePosted, balances{0, 40, 0, 100}, balances{0, 0, 0, 40}, 40, ledger.ErrAlreadyResolved, false},
		{"void", func(b *books, _ *time.Time, p ledger.ID) ledger.ID {
			return b.mustTransfer(resolve(p, ledger.VoidPending, nil))[0].ID
		}, ledger.StateVoided, balances{0, 0, 0, 100}, balances{0, 0, 0, 0}, 100, ledger.ErrAlreadyResolved, true},
		{"timeout", func(b *books, clock *time.Time, p ledger.ID) ledger.ID {
			*clock = t0.Add(time.Minute)
			got, err := b.l.ExpirePending(b.ctx, *clock)
			if err != nil || got != 1 {
				b.t.Fatalf("ExpirePending: %d, %v", got, err)
			}
			return ledger.ExpiryID(p)
		}, ledger.StateExpired, balances{0, 0, 0, 100}, balances{0, 0, 0, 0}, 100, ledger.ErrPendingExpired, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			clock := t0
			b := newBooks(t, ledger.WithClock(func() time.Time { return clock }))
			payer := b.account(ledger.CodeBuyerRefundable, ledger.DebitsMustNotExceedCredits)
			payee := b.account(ledger.CodeSellerPayable, ledger.DebitsMustNotExceedCredits)
			b.fund(payer, 100)
			p := b.mustTransfer(pending(payer, payee, 100, time.Minute))[0]
			if !p.ExpiresAt.Equal(t0.Add(time.Minute)) || p.State != ledger.StateOpen {
				t.Fatalf("pending recorded as %+v", p)
			}
			if got := b.balances(payer); got != (balances{100, 0, 0, 100}) {
				t.Fatalf("payer while pending: %v", got)
			}
			if got := b.acct(payer).Balance().Available.Int64(); got != 0 {
				t.Fatalf("available while pending: %d, want 0", got)
			}

			rid := tc.resolve(b, &clock, p.ID)
			if got := b.balances(payer); got != tc.payer {
				t.Errorf("payer: %v, want %v", got, tc.payer)
			}
			if got := b.balances(payee); got != tc.payee {
				t.Errorf("payee: %v, want %v", got, tc.payee)
			}
			pt, err := b.l.LookupTransfer(b.ctx, p.ID)
			if err != nil || pt.State != tc.state {
				t.Fatalf("pending transfer state %q (%v), want %q", pt.State, err, tc.state)
			}
			r, err := b.l.LookupTransfer(b.ctx, rid)
			if err != nil {
				t.Fatal(err)
			}
			if r.PendingID != p.ID || r.Amount.Int64() != tc.resolvedAmount || r.DebitAccountID != payer ||
				r.CreditAccountID != payee || r.Code != p.Code || (r.Flags&ledger.VoidPending != 0) != tc.resolutionIsVoid {
				t.Errorf("resolution recorded as %+v", r)
			}
			// Exactly once: neither a post nor a void gets through again.
			for _, again := range []ledger.TransferFlags{ledger.PostPending, ledger.VoidPending} {
				_, err = b.l.Transfer(b.ctx, resolve(p.ID, again, nil))
				if !errors.Is(err, tc.againErr) {
					t.Errorf("%s after %s: %v, want %v", again, tc.name, err, tc.againErr)
				}
			}
			if got, err := b.l.ExpirePending(b.ctx, clock.Add(time.Hour)); err != nil || got != 0 {
				t.Errorf("ExpirePending after resolution voided %d (%v)", got, err)
			}
		})
	}
	healthy(t)
}

// TestErrors: every refusal has its kind, names the transfer (and the account when one is to
// blame), and writes nothing.
func TestErrors(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC) // beyond any other test's ExpirePending
	type env struct {
		b        *books
		clock    *time.Time
		a, c     ledger.ID // a funded with 100, DebitsMustNotExceedCredits; c plain
		other    ledger.ID // an account in another ledger
		open     ledger.ID // pending a→c of 50, timeout 1 min
		resolved ledger.ID // pending a→c of 10, posted
		plain    ledger.Transfer
	}
	cases := []struct {
		name    string
		ts      func(e env) []ledger.Transfer
		want    error
		account func(e env) ledger.ID // who is to blame, if anyone
		index   int
	}{
		{"zero id", func(e env) []ledger.Transfer { t := xfer(e.a, e.c, 1); t.ID = ledger.ID{}; return []ledger.Transfer{t} }, ledger.ErrInvalid, nil, 0},
		{"zero amount", func(e env) []ledger.Transfer { return []ledger.Transfer{xfer(e.a, e.c, 0)} }, ledger.ErrInvalid, nil, 0},
		{"negative amount", func(e env) []ledger.Transfer { return []ledger.Transfer{xfer(e.a, e.c, -5)} }, ledger.ErrInvalid, nil, 0},
		{"amount over 2^256", func(e env) []ledger.Transfer {
			t := xfer(e.a, e.c, 1)
			t.Amount = new(big.Int).Lsh(big.NewInt(1), 256)
			return []ledger.Transfer{t}
		}, ledger.ErrInvalid, nil, 0},
		{"debit = credit", func(e env) []ledger.Transfer { return []ledger.Transfer{xfer(e.a, e.a, 1)} }, ledger.ErrInvalid, nil, 0},
		{"zero code", func(e env) []ledger.Transfer { t := xfer(e.a, e.c, 1); t.Code = 0; return []ledger.Transfer{t} }, ledger.ErrInvalid, nil, 0},
		{"two kinds", func(e env) []ledger.Transfer {
			t := xfer(e.a, e.c, 1)
			t.Flags = ledger.Pending | ledger.VoidPending
			return []ledger.Transfer{t}
		}, ledger.ErrInvalid, nil, 0},
		{"timeout without pending", func(e env) []ledger.Transfer {
			t := xfer(e.a, e.c, 1)
			t.Timeout = time.Second
			return []ledger.Transfer{t}
		}, ledger.ErrInvalid, nil, 0},
		{"open linked chain", func(e env) []ledger.Transfer {
			t := xfer(e.a, e.c, 1)
			t.Flags = ledger.Linked
			return []ledger.Transfer{t}
		}, ledger.ErrInvalid, nil, 0},
		{"bad ledger name", func(e env) []ledger.Transfer { t := xfer(e.a, e.c, 1); t.Ledger = "USDT"; return []ledger.Transfer{t} }, ledger.ErrInvalid, nil, 0},
		{"id reused", func(e env) []ledger.Transfer { t := e.plain; t.Amount = n(2); return []ledger.Transfer{t} }, ledger.ErrIDReused, nil, 0},
		{"account not found", func(e env) []ledger.Transfer { return []ledger.Transfer{xfer(e.a, ghost(e.other), 1)} }, ledger.ErrAccountNotFound,
			func(e env) ledger.ID { return ghost(e.other) }, 0},
		{"ledger mismatch between accounts", func(e env) []ledger.Transfer { return []ledger.Transfer{xfer(e.c, e.other, 1)} }, ledger.ErrLedgerMismatch,
			func(e env) ledger.ID { return e.other }, 0},
		{"ledger mismatch with the transfer", func(e env) []ledger.Transfer {
			t := xfer(e.a, e.c, 1)
			t.Ledger = "other:USDT"
			return []ledger.Transfer{t}
		}, ledger.ErrLedgerMismatch, func(e env) ledger.ID { return e.a }, 0},
		{"insufficient funds", func(e env) []ledger.Transfer { return []ledger.Transfer{xfer(e.a, e.c, 51)} }, ledger.ErrInsufficientFunds,
			func(e env) ledger.ID { return e.a }, 0},
		{"pending not found", func(e env) []ledger.Transfer {
			return []ledger.Transfer{resolve(ledger.NewID(), ledger.PostPending, nil)}
		}, ledger.ErrPendingNotFound, nil, 0},
		{"pending id names a posted transfer", func(e env) []ledger.Transfer {
			return []ledger.Transfer{resolve(e.plain.ID, ledger.PostPending, nil)}
		}, ledger.ErrPendingNotFound, nil, 0},
		{"post names other accounts", func(e env) []ledger.Transfer {
			t := resolve(e.open, ledger.PostPending, nil)
			t.CreditAccountID = e.b.world
			return []ledger.Transfer{t}
		}, ledger.ErrPendingMismatch, nil, 0},
		{"already resolved", func(e env) []ledger.Transfer {
			return []ledger.Transfer{resolve(e.resolved, ledger.VoidPending, nil)}
		}, ledger.ErrAlreadyResolved, nil, 0},
		{"exceeds pending", func(e env) []ledger.Transfer {
			return []ledger.Transfer{resolve(e.open, ledger.PostPending, n(51))}
		}, ledger.ErrExceedsPending, nil, 0},
		{"void of part", func(e env) []ledger.Transfer {
			return []ledger.Transfer{resolve(e.open, ledger.VoidPending, n(20))}
		}, ledger.ErrInvalid, nil, 0},
		{"pending expired", func(e env) []ledger.Transfer {
			*e.clock = t0.Add(time.Minute)
			return []ledger.Transfer{resolve(e.open, ledger.PostPending, nil)}
		}, ledger.ErrPendingExpired, nil, 0},
		{"second transfer of the batch fails, first is not written", func(e env) []ledger.Transfer {
			return []ledger.Transfer{xfer(e.a, e.c, 10), xfer(e.a, e.c, 41)}
		}, ledger.ErrInsufficientFunds, func(e env) ledger.ID { return e.a }, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			clock := t0
			b := newBooks(t, ledger.WithClock(func() time.Time { return clock }))
			e := env{b: b, clock: &clock, a: b.account(ledger.CodeBuyerRefundable, ledger.DebitsMustNotExceedCredits),
				c: b.account(ledger.CodeEscrow, 0)}
			e.other = ledger.NewID()
			if _, err := b.l.CreateAccounts(b.ctx, ledger.Account{ID: e.other, Ledger: "other:USDT", Code: ledger.CodeEscrow}); err != nil {
				t.Fatal(err)
			}
			b.fund(e.a, 100)
			e.open = b.mustTransfer(pending(e.a, e.c, 50, time.Minute))[0].ID
			e.resolved = b.mustTransfer(pending(e.a, e.c, 10, 0))[0].ID
			b.mustTransfer(resolve(e.resolved, ledger.PostPending, nil))
			e.plain = b.mustTransfer(xfer(e.c, e.a, 1))[0] // a: 100+1 credits, 50 pending, 10 posted
			before := [2]balances{b.balances(e.a), b.balances(e.c)}

			ts := tc.ts(e)
			_, err := b.l.Transfer(b.ctx, ts...)
			if !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
			var te *ledger.TransferError
			if !errors.As(err, &te) {
				t.Fatalf("%v is not a *TransferError", err)
			}
			var blame ledger.ID
			if tc.account != nil {
				blame = tc.account(e)
			}
			if te.Index != tc.index || te.ID != ts[tc.index].ID || te.Account != blame {
				t.Errorf("error names transfer %d %s account %s; want %d %s account %s", te.Index, te.ID, te.Account,
					tc.index, ts[tc.index].ID, blame)
			}
			if after := [2]balances{b.balances(e.a), b.balances(e.c)}; after != before {
				t.Errorf("a refused batch changed balances: %v → %v", before, after)
			}
			for _, tr := range ts {
				if tr.ID == e.plain.ID {
					continue
				}
				if _, err := b.l.LookupTransfer(b.ctx, tr.ID); !errors.Is(err, ledger.ErrTransferNotFound) {
					t.Errorf("transfer %s of a refused batch: %v, want ErrTransferNotFound", tr.ID, err)
				}
			}
		})
	}
	healthy(t)
}

// ghost is an account id that exists nowhere, derived from another so that a case can name it
// twice.
func ghost(id ledger.ID) ledger.ID { return ledger.DeriveID("ghost/" + id.String()) }

// TestAccountIdempotent: creating an account again is harmless; with other attributes it is
// ErrIDReused.
func TestAccountIdempotent(t *testing.T) {
	t.Parallel()
	b := newBooks(t)
	a := ledger.Account{ID: ledger.DeriveID("acct/" + b.name), Ledger: b.name, Code: ledger.CodeDeposit, Owner: "0xabc",
		Flags: ledger.CreditsMustNotExceedDebits}
	first, err := b.l.CreateAccounts(b.ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	again, err := b.l.CreateAccounts(b.ctx, a)
	if err != nil || !again[0].CreatedAt.Equal(first[0].CreatedAt) {
		t.Fatalf("second create: %v, %v", again, err)
	}
	a.Owner = "0xdef"
	_, err = b.l.CreateAccounts(b.ctx, a)
	var ae *ledger.AccountError
	if !errors.Is(err, ledger.ErrIDReused) || !errors.As(err, &ae) || ae.ID != a.ID {
		t.Fatalf("different owner: %v, want ErrIDReused naming %s", err, a.ID)
	}
	if _, err := b.l.Account(b.ctx, ledger.NewID()); !errors.Is(err, ledger.ErrAccountNotFound) {
		t.Fatalf("unknown account: %v", err)
	}
}

// TestLinked: CreateTransfers applies unlinked transfers one by one and linked chains all or
// nothing.
func TestLinked(t *testing.T) {
	t.Parallel()
	b := newBooks(t)
	a := b.account(ledger.CodeBuyerRefundable, ledger.DebitsMustNotExceedCredits)
	c := b.account(ledger.CodeEscrow, 0)
	b.fund(a, 100)
	link := func(t ledger.Transfer) ledger.Transfer { t.Flags |= ledger.Linked; return t }
	batch := []ledger.Transfer{
		xfer(a, c, 10),       // 0: alone, succeeds
		link(xfer(a, c, 20)), // 1: chain 1-3 fails at 3
		link(xfer(a, c, 30)), // 2
		xfer(a, c, 500),      // 3: insufficient funds
		xfer(a, c, 200),      // 4: alone, fails
		link(xfer(a, c, 5)),  // 5: chain 5-6 succeeds
		xfer(c, a, 1),        // 6
	}
	res, err := b.l.CreateTransfers(b.ctx, batch)
	if err != nil {
		t.Fatal(err)
	}
	want := []error{nil, ledger.ErrLinkedEventFailed, ledger.ErrLinkedEventFailed, ledger.ErrInsufficientFunds,
		ledger.ErrInsufficientFunds, nil, nil}
	for i, r := range res {
		if (want[i] == nil) != (r.Err == nil) || (want[i] != nil && !errors.Is(r.Err, want[i])) {
			t.Errorf("transfer %d: %v, want %v", i, r.Err, want[i])
		}
	}
	// a: 100 in, 10 + 5 out, 1 back.
	if got := b.balances(a); got != (balances{0, 15, 0, 101}) {
		t.Fatalf("a: %v", got)
	}
	// Transfer (all or nothing) refuses the same batch as a whole.
	_, err = b.l.Transfer(b.ctx, xfer(a, c, 10), xfer(a, c, 500))
	if !errors.Is(err, ledger.ErrInsufficientFunds) {
		t.Fatalf("Transfer: %v", err)
	}
	if got := b.balances(a); got != (balances{0, 15, 0, 101}) {
		t.Fatalf("a after refused Transfer: %v", got)
	}
	healthy(t)
}

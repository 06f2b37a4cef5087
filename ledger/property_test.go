package ledger_test

import (
	"errors"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/amanat/amn/ledger"
)

// TestRandomSequences replays random sequences of transfers, pending transfers, posts, voids
// and timeouts against a small model of the rules, and checks after every step that the ledger
// agreed (same success or error kind, same balances), and at the end that Check passes.
// ExpirePending acts on the whole database, so this test does not run in parallel, and its
// clocks lie between TestResolution's (whose pending transfers all end) and TestErrors'.
func TestRandomSequences(t *testing.T) {
	for seed := range uint64(4) {
		t.Run("", func(t *testing.T) { randomSequence(t, seed) })
	}
	healthy(t)
}

type modelPending struct {
	dr, cr  int
	amount  int64
	expires time.Time
	state   ledger.PendingState
}

func randomSequence(t *testing.T, seed uint64) {
	rng := rand.New(rand.NewPCG(seed, 7))
	// Each sequence runs earlier than the one before, so it never expires what those left open.
	clock := time.Date(2060, 1, 1, 0, 0, 0, 0, time.UTC).Add(-time.Duration(seed) * 1000 * time.Hour)
	b := newBooks(t, ledger.WithClock(func() time.Time { return clock }))
	flags := []ledger.AccountFlags{0, ledger.DebitsMustNotExceedCredits, ledger.DebitsMustNotExceedCredits, ledger.CreditsMustNotExceedDebits}
	ids := make([]ledger.ID, len(flags))
	model := make([]balances, len(flags))
	for i, f := range flags {
		ids[i] = b.account(ledger.CodeEscrow, f)
	}
	var pendings []ledger.ID
	pend := map[ledger.ID]*modelPending{}

	// ok says whether balances within the flags; mirrors the account rules.
	ok := func(i int) error {
		m := model[i]
		if flags[i]&ledger.DebitsMustNotExceedCredits != 0 && m.dp+m.dpo > m.cpo {
			return ledger.ErrInsufficientFunds
		}
		if flags[i]&ledger.CreditsMustNotExceedDebits != 0 && m.cp+m.cpo > m.dpo {
			return ledger.ErrExceedsDebits
		}
		return nil
	}
	for step := range 150 {
		saved := append([]balances(nil), model...)
		var (
			tr   ledger.Transfer
			want error
		)
		dr, cr := pair(rng, len(ids))
		amount := 1 + rng.Int64N(50)
		switch op := rng.IntN(6); {
		case op <= 1: // posted
			tr = xfer(ids[dr], ids[cr], amount)
			model[dr].dpo += amount
			model[cr].cpo += amount
		case op == 2: // pending, sometimes with a timeout
			timeout := time.Duration(rng.IntN(3)) * time.Minute
			tr = pending(ids[dr], ids[cr], amount, timeout)
			model[dr].dp += amount
			model[cr].cp += amount
		case op <= 4 && len(pendings) > 0: // post (full or part) or void
			id := pendings[rng.IntN(len(pendings))]
			p := pend[id]
			var amt *int64
			flag := ledger.VoidPending
			if op == 3 {
				flag = ledger.PostPending
				if rng.IntN(2) == 0 {
					x := 1 + rng.Int64N(p.amount+5)
					amt = &x
				}
			}
			tr = resolve(id, flag, nil)
			if amt != nil {
				tr.Amount = n(*amt)
			}
			dr, cr = p.dr, p.cr
			switch {
			case p.state == ledger.StateExpired:
				want = ledger.ErrPendingExpired
			case p.state != ledger.StateOpen:
				want = ledger.ErrAlreadyResolved
			case !p.expires.IsZero() && !clock.Before(p.expires):
				want = ledger.ErrPendingExpired
			case amt != nil && *amt > p.amount:
				want = ledger.ErrExceedsPending
			default:
				model[dr].dp -= p.amount
				model[cr].cp -= p.amount
				if flag == ledger.PostPending {
					posted := p.amount
					if amt != nil {
						posted = *amt
					}
					model[dr].dpo += posted
					model[cr].cpo += posted
				}
			}
		default: // time passes; expire what timed out
			clock = clock.Add(time.Duration(rng.IntN(3)) * time.Minute)
			expected := 0
			for _, p := range pend {
				if p.state == ledger.StateOpen && !p.expires.IsZero() && !clock.Before(p.expires) {
					p.state = ledger.StateExpired
					model[p.dr].dp -= p.amount
					model[p.cr].cp -= p.amount
					expected++
				}
			}
			got, err := b.l.ExpirePending(b.ctx, clock)
			if err != nil || got != expected {
				t.Fatalf("step %d: ExpirePending: %d (%v), want %d", step, got, err, expected)
			}
			compare(t, b, step, ids, model)
			continue
		}
		if want == nil {
			if want = ok(dr); want == nil {
				want = ok(cr)
			}
		}
		_, err := b.l.Transfer(b.ctx, tr)
		if (err == nil) != (want == nil) || (want != nil && !errors.Is(err, want)) {
			t.Fatalf("step %d: %s: got %v, want %v", step, tr.Flags, err, want)
		}
		if err != nil {
			model = saved
		} else if tr.Flags&ledger.Pending != 0 {
			p := &modelPending{dr: dr, cr: cr, amount: tr.Amount.Int64(), state: ledger.StateOpen}
			if tr.Timeout > 0 {
				p.expires = clock.Add(tr.Timeout)
			}
			pend[tr.ID] = p
			pendings = append(pendings, tr.ID)
		} else if tr.Flags&(ledger.PostPending|ledger.VoidPending) != 0 {
			pend[tr.PendingID].state = ledger.StatePosted // any resolved state: refused again alike
		}
		compare(t, b, step, ids, model)
	}
}

func compare(t *testing.T, b *books, step int, ids []ledger.ID, model []balances) {
	t.Helper()
	for i, id := range ids {
		if got := b.balances(id); got != model[i] {
			t.Fatalf("step %d: account %d: %v, model %v", step, i, got, model[i])
		}
	}
}

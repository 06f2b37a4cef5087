package intent_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/amanat/amn/db/dbtest"
	"github.com/amanat/amn/hd"
	"github.com/amanat/amn/intent"
	"github.com/amanat/amn/kind"
	"github.com/amanat/amn/ledger"
	"github.com/amanat/amn/payment"
	"github.com/amanat/amn/payment/paymenttest"
	"github.com/amanat/amn/signer"
)

// A payout that will not happen (its transaction reverted, the signer rejected its intent) after
// Follow moved the payment to releasing or refunding: the next Follow returns the payment to
// in_escrow with the intent's reason on its timeline and its reservation voided; the payout can
// be asked for again and reserves under new transfer ids, which the chain's event then posts. A
// dispute opened meanwhile keeps the payment disputed, now holding it in escrow.
func TestFollowReturnsFailedPayoutsToEscrow(t *testing.T) {
	ctx := context.Background()
	pool := dbtest.Pool(t)
	d, _ := hd.ParseXpub(anvilXpub)
	s := payment.New(pool, d)
	store := intent.NewStore(pool, s, signer.TxRecord{})
	o := intent.RequestOptions{Contract: escrow, Actor: "admin:test", Reason: "test"}

	// signerSays plays the signer: it moves the intent (the signer's role writes intent states).
	signerSays := func(id uuid.UUID, state intent.State, reason string) {
		t.Helper()
		if _, err := pool.Exec(ctx, `UPDATE signer_intents SET state = $2, reason = $3 WHERE id = $1`, id, string(state), reason); err != nil {
			t.Fatal(err)
		}
	}
	follow := func(want int) {
		t.Helper()
		if n, err := store.Follow(ctx); err != nil || n != want {
			t.Fatalf("follow moved %d payments (%v), want %d", n, err, want)
		}
	}
	openReservations := func(p *payment.Payment) int {
		t.Helper()
		var n int
		if err := pool.QueryRow(ctx, `SELECT count(*) FROM ledger_transfers t JOIN ledger_pending lp ON lp.transfer_id = t.id
			WHERE t.payment_ref = $1 AND lp.state = 'open'`, p.ID.String()).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	state := func(p *payment.Payment) *payment.Payment {
		t.Helper()
		got, err := s.Get(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}

	p := funded(t, s, true)
	p, err := s.StartSweep(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Swept(ctx, p.ID, paymenttest.OwnSweep(p)); err != nil {
		t.Fatal(err)
	}
	// A release, signed and moved, then reverted.
	rel, _, err := store.RequestRelease(ctx, p.ID, o)
	if err != nil {
		t.Fatal(err)
	}
	signerSays(rel.ID, intent.Broadcast, "")
	follow(1)
	if got := state(p); got.State != payment.Releasing || openReservations(p) != 2 {
		t.Fatalf("after the signed release: %s with %d reservations", got.State, openReservations(p))
	}
	signerSays(rel.ID, intent.Rejected, "release transaction 0xabc reverted on chain")
	follow(1)
	if got := state(p); got.State != payment.InEscrow || openReservations(p) != 0 || got.PayoutAttempt != 1 {
		t.Fatalf("after the reverted release: %s, %d reservations, attempt %d", got.State, openReservations(p), got.PayoutAttempt)
	}
	follow(0) // nothing more to do
	tl, _ := s.Timeline(ctx, p.ID)
	if last := tl[len(tl)-1]; last.Event != string(payment.EvReleaseFailed) || !strings.Contains(last.Reason, "reverted on chain") ||
		!strings.Contains(last.Reason, rel.ID.String()) {
		t.Fatalf("last timeline row %+v", last)
	}

	// A refund next, disputed while on its way, then rejected: disputed, in escrow.
	ref, _, err := store.RequestRefund(ctx, p.ID, o)
	if err != nil {
		t.Fatal(err)
	}
	signerSays(ref.ID, intent.Signing, "")
	follow(1)
	if _, err := s.Dispute(ctx, p.ID, "buyer", "never arrived"); err != nil {
		t.Fatal(err)
	}
	signerSays(ref.ID, intent.Rejected, "refund transaction 0xdef reverted on chain")
	follow(1)
	if got := state(p); got.State != payment.Disputed || got.DisputedFrom != payment.InEscrow || openReservations(p) != 0 {
		t.Fatalf("after the reverted refund during a dispute: %s from %s, %d reservations", got.State, got.DisputedFrom, openReservations(p))
	}

	// Resolved toward a refund: a third payout reserves under new ids and the chain's event posts it.
	if _, err := s.Resolve(ctx, p.ID, payment.OutcomeRefund, "arbiter", "agreed"); err != nil {
		t.Fatal(err)
	}
	ref2, _, err := store.RequestRefund(ctx, p.ID, o)
	if err != nil {
		t.Fatal(err)
	}
	signerSays(ref2.ID, intent.Broadcast, "")
	follow(1)
	if got := state(p); got.State != payment.Refunding || got.PayoutAttempt != 2 || openReservations(p) != 1 {
		t.Fatalf("third payout: %s, attempt %d, %d reservations", got.State, got.PayoutAttempt, openReservations(p))
	}
	if got, err := s.Refunded(ctx, p.ID); err != nil || got.State != payment.Refunded {
		t.Fatalf("refunded: %v %v", got, err)
	}
	if openReservations(p) != 0 {
		t.Fatal("a reservation stays open after the refund")
	}
	var refunded string
	if err := pool.QueryRow(ctx, `SELECT amount::text FROM ledger_transfers WHERE id = $1`,
		ledger.DeriveID("payment/refunded\x00"+p.ID.String())).Scan(&refunded); err != nil || refunded != "1000" {
		t.Fatalf("refund posted %q (%v), want 1000", refunded, err)
	}
	if v, err := ledger.Check(ctx, pool); err != nil || v != nil {
		t.Fatalf("ledger check: %v %v", v, err)
	}
}

// A store built without the signer's transaction reader cannot follow, book gas or show attempts:
// each says so with ErrNoSignerTxs, of kind Unavailable (a wiring mistake, not the asker's), and
// Follow refuses before it moves any payment (a payment moved without its gas ever being booked).
func TestStoreWithoutSignerTxsRefuses(t *testing.T) {
	ctx := context.Background()
	pool := dbtest.Pool(t)
	d, _ := hd.ParseXpub(anvilXpub)
	s := payment.New(pool, d)
	bare := intent.NewStore(pool, s, nil)

	p := funded(t, s, true)
	p, err := s.StartSweep(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Swept(ctx, p.ID, paymenttest.OwnSweep(p)); err != nil {
		t.Fatal(err)
	}
	rel, _, err := bare.RequestRelease(ctx, p.ID, intent.RequestOptions{Contract: escrow, Actor: "admin:test"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `UPDATE signer_intents SET state = 'broadcast' WHERE id = $1`, rel.ID); err != nil {
		t.Fatal(err)
	}

	n, err := bare.Follow(ctx)
	if !errors.Is(err, intent.ErrNoSignerTxs) || kind.Of(err) != kind.Unavailable || n != 0 {
		t.Fatalf("Follow without the reader: moved %d, %v (kind %q)", n, err, kind.Of(err))
	}
	if got, _ := s.Get(ctx, p.ID); got.State != payment.ReleasePending {
		t.Fatalf("payment %s after a refused Follow, want release_pending", got.State)
	}
	if _, err := bare.BookGas(ctx, 0); !errors.Is(err, intent.ErrNoSignerTxs) {
		t.Fatalf("BookGas without the reader: %v", err)
	}
	if _, err := bare.Txs(ctx, rel.ID); !errors.Is(err, intent.ErrNoSignerTxs) {
		t.Fatalf("Txs without the reader: %v", err)
	}
	if _, err := bare.Watch(ctx, rel.ID, time.Millisecond, func(intent.Progress) {}); !errors.Is(err, intent.ErrNoSignerTxs) {
		t.Fatalf("Watch without the reader: %v", err)
	}

	// The same store with the reader follows it.
	if _, err := intent.NewStore(pool, s, signer.TxRecord{}).Follow(ctx); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Get(ctx, p.ID); got.State != payment.Releasing {
		t.Fatalf("payment %s after Follow, want releasing", got.State)
	}
}

// A backlog of payouts is read a page per pass: with a page of two, five payments whose releases
// the signer has started are moved at most two a pass, each pass going on where the last stopped,
// until every one of them is releasing.
func TestFollowReadsABacklogAPageAPass(t *testing.T) {
	ctx := context.Background()
	pool := dbtest.Pool(t)
	d, _ := hd.ParseXpub(anvilXpub)
	s := payment.New(pool, d)
	store := intent.NewStore(pool, s, signer.TxRecord{})
	store.SetFollowPage(2)
	// Whatever earlier tests of the package left asked or being paid out is followed first.
	for range 100 {
		if n, err := store.Follow(ctx); err != nil {
			t.Fatal(err)
		} else if n == 0 {
			break
		}
	}

	var mine []*payment.Payment
	for range 5 {
		p := funded(t, s, true)
		p, err := s.StartSweep(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Swept(ctx, p.ID, paymenttest.OwnSweep(p)); err != nil {
			t.Fatal(err)
		}
		rel, _, err := store.RequestRelease(ctx, p.ID, intent.RequestOptions{Contract: escrow, Actor: "admin:test"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := pool.Exec(ctx, `UPDATE signer_intents SET state = 'signing' WHERE id = $1`, rel.ID); err != nil {
			t.Fatal(err)
		}
		mine = append(mine, p)
	}
	releasing := func() int {
		n := 0
		for _, p := range mine {
			if got, err := s.Get(ctx, p.ID); err != nil {
				t.Fatal(err)
			} else if got.State == payment.Releasing {
				n++
			}
		}
		return n
	}
	passes := 0
	for releasing() < len(mine) {
		if passes++; passes > 50 {
			t.Fatalf("after 50 passes %d of %d payments are releasing", releasing(), len(mine))
		}
		n, err := store.Follow(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if n > 2 {
			t.Fatalf("pass %d moved %d payments with a page of 2", passes, n)
		}
	}
	if passes < 3 {
		t.Fatalf("five payments moved in %d passes of two", passes)
	}
}

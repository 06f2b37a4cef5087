package intent_test

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/riverqueue/river"

	"github.com/amanat/amn/db/dbtest"
	"github.com/amanat/amn/hd"
	"github.com/amanat/amn/intent"
	"github.com/amanat/amn/payment"
	"github.com/amanat/amn/payment/paymenttest"
)

// The worker hands the signer only payments whose parties are proven: a paid payment whose buyer
// has not signed the checkout waits (stays funded, its job snoozed) and is swept with the proven
// buyer once the proof lands; a party rewritten in the database is not handed over at all.
func TestSweepWaitsForProvenParties(t *testing.T) {
	ctx := context.Background()
	pool := dbtest.Pool(t)
	d, _ := hd.ParseXpub(anvilXpub)
	s := payment.New(pool, d)
	store := intent.NewStore(pool, s, nil)
	w := &intent.SweepWorker{Intents: store, Escrow: func(uint64) common.Address { return escrow }, Log: slog.New(slog.DiscardHandler)}
	work := func(p *payment.Payment) error {
		return w.Work(ctx, &river.Job[payment.SweepArgs]{Args: payment.SweepArgs{PaymentID: p.ID.String()}})
	}

	p := funded(t, s, false)
	var snooze *river.JobSnoozeError
	if err := work(p); !errors.As(err, &snooze) {
		t.Fatalf("sweep job without a proven buyer: %v, want a snooze", err)
	}
	if _, err := store.OpenFor(ctx, p.ID); !errors.Is(err, intent.ErrNotFound) {
		t.Fatalf("an intent was recorded for a payment without a proven buyer: %v", err)
	}
	if got, _ := s.Get(ctx, p.ID); got.State != payment.Funded {
		t.Fatalf("payment is %s, want it still funded", got.State)
	}
	p = paymenttest.ProveBuyer(t, s, p, paymenttest.Buyer())
	if err := work(p); err != nil {
		t.Fatal(err)
	}
	in, err := store.OpenFor(ctx, p.ID)
	if err != nil || in.Buyer != paymenttest.Buyer().Address || in.Seller != paymenttest.Seller().Address {
		t.Fatalf("sweep intent %+v (%v)", in, err)
	}

	// The owner role rewrites the buyer of a paid payment (its trigger disabled for the
	// statement): the worker refuses to record a sweep, naming the party.
	q := funded(t, s, true)
	paymenttest.Forge(t, pool, `UPDATE payments SET buyer_address = '0x00000000000000000000000000000000000000b1' WHERE id = $1`, q.ID)
	_, _, err = store.CreateSweep(ctx, q.ID, escrow)
	if !errors.Is(err, intent.ErrNoBuyer) || !errors.Is(err, payment.ErrUnproven) || !strings.Contains(err.Error(), "buyer 0x00000000000000000000000000000000000000B1 is not proven") {
		t.Fatalf("sweep of a payment with a rewritten buyer: %v", err)
	}
	if got, _ := s.Get(ctx, q.ID); got.State != payment.Funded {
		t.Fatalf("payment is %s, want it still funded", got.State)
	}
}

package market_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/amanat/amn/market"
)

// heard is a Notifier that records each step it is told (with its parties) and fails the steps of
// event fail, as a notification that cannot be written would.
type heard struct {
	mu    sync.Mutex
	steps []market.DealStep
	fail  market.Event
}

var errNotifier = errors.New("the notification could not be written")

func (h *heard) DealStep(_ context.Context, tx pgx.Tx, s market.DealStep) error {
	if tx == nil {
		return errors.New("told outside a transaction")
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if s.Event == h.fail {
		return errNotifier
	}
	h.steps = append(h.steps, s)
	return nil
}

func (h *heard) last(t *testing.T) market.DealStep {
	t.Helper()
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.steps) == 0 {
		t.Fatal("no step was told")
	}
	return h.steps[len(h.steps)-1]
}

func (h *heard) events() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []string
	for _, s := range h.steps {
		out = append(out, string(s.Event))
	}
	return strings.Join(out, " ")
}

// The deal's steps are told to the Notifier with their parties: the accept names the accepted
// offer's seller, the sellers it rejected and the payment; the payment's step (told by the
// worker's following) the payment; ship, deliver and the reminder the request's parties. A
// Notifier that fails fails its step: nothing of it is written.
func TestDealStepsAreToldWithTheirParties(t *testing.T) {
	h := &heard{}
	w := newWorld(t, nil)
	w.m = w.m.WithNotifier(h)
	c, f := roles(t), follower(t).WithNotifier(h)
	ctx := context.Background()
	buyer, seller, rival := w.user(t), w.user(t), w.user(t)
	r := w.request(t, buyer)
	o := w.offer(t, r, seller, 1_000_000)
	w.offer(t, r, rival, 1_100_000)
	a, err := w.m.Accept(ctx, buyer, r.ID, o.ID, o.Revision)
	if err != nil {
		t.Fatal(err)
	}
	s := h.last(t)
	if s.Event != market.EvAccept || s.Request != r.ID || s.Title != r.Title || s.Buyer != buyer.UserID || s.Seller != seller.UserID ||
		s.Offer != o.ID || fmt.Sprint(s.Rejected) != fmt.Sprint([]any{rival.UserID}) || s.Payment == nil || s.Payment.ID != a.Payment.ID {
		t.Fatalf("the accept: %+v", s)
	}
	c.deposit(t, a.Payment, 1_000_000, "funded")
	if _, err := f.Follow(ctx, 100); err != nil {
		t.Fatal(err)
	}
	if s := h.last(t); s.Event != market.EvPaid || s.Seller != seller.UserID || s.Buyer != buyer.UserID || s.Payment == nil || s.Payment.State != "funded" {
		t.Fatalf("the payment's step: %+v", s)
	}
	if _, err := f.Follow(ctx, 100); err != nil || h.events() != "accept paid" {
		t.Fatalf("following again told again: %s, %v", h.events(), err)
	}

	h.fail = market.EvShip
	ship := market.ShipInput{Carrier: "DHL", Tracking: "JD0146000033"}
	_, err = w.m.Ship(ctx, seller, r.ID, ship)
	if !errors.Is(err, errNotifier) || w.status(t, r) != market.Processing || len(w.jobs(t, r.ID)) != 0 {
		t.Fatalf("a failed notification let the shipment stand: %v, %s", err, w.status(t, r))
	}
	h.fail = ""
	if _, err := w.m.Ship(ctx, seller, r.ID, ship); err != nil {
		t.Fatal(err)
	}
	if s := h.last(t); s.Event != market.EvShip || s.Buyer != buyer.UserID || s.Seller != seller.UserID || s.Payment != nil {
		t.Fatalf("the shipment: %+v", s)
	}
	d, err := w.m.Deliver(ctx, buyer, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if fired, err := w.m.Remind(ctx, r.ID, *d.DeliveredAt, 1); err != nil || !fired {
		t.Fatalf("remind: %v %v", fired, err)
	}
	if s := h.last(t); s.Event != market.EventReminder || s.DaysLeft != 1 || s.Buyer != buyer.UserID {
		t.Fatalf("the reminder: %+v", s)
	}
	if got := h.events(); got != "accept paid ship deliver reminder" {
		t.Fatalf("told: %s", got)
	}
}

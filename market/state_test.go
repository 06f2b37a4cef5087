package market

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// allowed is the status machine as the issue and docs/market.md state it, written apart from
// the machine in state.go: "from event actor → to". TestEveryTransition holds every combination of
// status × event × actor against it.
var allowed = strings.TrimSpace(`
pending publish admin → active
pending publish system → active
pending express buyer → pending_payment
active resubmit buyer → pending
active offer_made system → received_offers
received_offers offer_made system → received_offers
in_negotiation offer_made system → received_offers
received_offers offers_gone system → active
in_negotiation offers_gone system → active
received_offers negotiate buyer → in_negotiation
received_offers negotiate seller → in_negotiation
received_offers accept buyer → payment
in_negotiation accept buyer → payment
payment paid system → processing
pending_payment paid system → processing
payment payment_expiry system → expired
pending_payment payment_expiry system → expired
processing ship seller → delivery
delivery deliver seller → delivered
delivery deliver buyer → delivered
delivery deliver system → delivered
delivery confirm buyer → confirming
delivered confirm buyer → confirming
delivered inspected system → confirming
processing released system → completed
delivery released system → completed
delivered released system → completed
confirming released system → completed
disputed released system → completed
pending cancel buyer → cancelled
pending cancel admin → cancelled
active cancel buyer → cancelled
active cancel admin → cancelled
received_offers cancel buyer → cancelled
received_offers cancel admin → cancelled
in_negotiation cancel buyer → cancelled
in_negotiation cancel admin → cancelled
payment cancel buyer → cancelled
payment cancel admin → cancelled
pending_payment cancel buyer → cancelled
pending_payment cancel admin → cancelled
pending expire system → expired
active expire system → expired
received_offers expire system → expired
in_negotiation expire system → expired
processing dispute buyer → disputed
processing dispute seller → disputed
delivery dispute buyer → disputed
delivery dispute seller → disputed
delivered dispute buyer → disputed
delivered dispute seller → disputed
processing refunded system → cancelled
delivery refunded system → cancelled
delivered refunded system → cancelled
confirming refunded system → cancelled
disputed refunded system → cancelled
disputed resume buyer → (back)
disputed resume seller → (back)
disputed resume admin → (back)
disputed replace admin → processing
disputed settled system → completed
`)

var events = []Event{EvPublish, EvExpress, EvResubmit, EvOfferMade, EvOffersGone, EvNegotiate, EvAccept, EvPaid, EvPaymentExpiry,
	EvShip, EvDeliver, EvConfirm, EvInspected, EvReleased, EvCancel, EvExpire, EvDispute, EvRefunded, EvResume, EvReplace, EvSettled}

// TestEveryTransition: for every status × event × actor, Next allows exactly what the table above
// allows, leads where it says, and refuses the rest with ErrNotYours (the actor may never fire the
// event) or ErrIllegalTransition (not from this status).
func TestEveryTransition(t *testing.T) {
	want := map[string]string{}
	for _, line := range strings.Split(allowed, "\n") {
		lhs, to, _ := strings.Cut(line, " → ")
		want[lhs] = to
	}
	if len(machine) != len(events) {
		t.Fatalf("the test knows %d events, the machine has %d", len(events), len(machine))
	}
	n := 0
	for _, from := range Statuses {
		for _, ev := range events {
			for _, a := range Actors {
				n++
				key := fmt.Sprintf("%s %s %s", from, ev, a)
				got, err := Next(from, ev, a, Delivery)
				to, ok := want[key]
				switch {
				case ok && to == "(back)" && (err != nil || got != Delivery):
					t.Errorf("%s: %v %v, want back to delivery", key, got, err)
				case ok && to != "(back)" && (err != nil || string(got) != to):
					t.Errorf("%s: %v %v, want %s", key, got, err, to)
				case !ok && err == nil:
					t.Errorf("%s: allowed (→ %s), the table forbids it", key, got)
				case !ok && !errors.Is(err, ErrNotYours) && !errors.Is(err, ErrIllegalTransition):
					t.Errorf("%s: %v, want a refusal of a known kind", key, err)
				case !ok && errors.Is(err, ErrNotYours) && mayFireSomewhere(want, ev, a):
					t.Errorf("%s: ErrNotYours, but %s may %s from another status", key, a, ev)
				}
			}
		}
	}
	if n != len(Statuses)*len(events)*len(Actors) || n < 900 {
		t.Fatalf("checked %d combinations", n)
	}
}

func mayFireSomewhere(want map[string]string, ev Event, a Actor) bool {
	for k := range want {
		if f := strings.Fields(k); f[1] == string(ev) && f[2] == string(a) {
			return true
		}
	}
	return false
}

// TestResumeGoesOnlyBackToAFundedStep: a dispute resumes to the step it interrupted, never to a
// status where money was not (or no longer) in escrow.
func TestResumeGoesOnlyBackToAFundedStep(t *testing.T) {
	for _, s := range Statuses {
		_, err := Next(Disputed, EvResume, ActorAdmin, s)
		if ok := slices.Contains([]Status{Processing, Delivery, Delivered}, s); ok != (err == nil) {
			t.Errorf("resume to %s: %v", s, err)
		}
	}
}

// TestNoDeadEnds: every status is reachable from where requests start (pending, or
// pending_payment for express checkout), and from every status that is not final some event
// leads on, toward a final status.
func TestNoDeadEnds(t *testing.T) {
	next := func(s Status) []Status {
		var out []Status
		for ev, r := range machine {
			if !slices.Contains(r.from, s) {
				continue
			}
			if ev == EvResume {
				out = append(out, Processing, Delivery, Delivered)
				continue
			}
			out = append(out, r.to)
		}
		return out
	}
	reach := map[Status]bool{Pending: true, PendingPayment: true}
	for changed := true; changed; {
		changed = false
		for s := range reach {
			for _, n := range next(s) {
				if !reach[n] {
					reach[n], changed = true, true
				}
			}
		}
	}
	for _, s := range Statuses {
		if !reach[s] {
			t.Errorf("%s is unreachable", s)
		}
		if !s.Final() && len(next(s)) == 0 {
			t.Errorf("%s is a dead end", s)
		}
		if s.Final() && len(next(s)) > 0 {
			t.Errorf("final %s leads on to %v", s, next(s))
		}
	}
	// From every status a final one is reachable.
	for _, s := range Statuses {
		seen := map[Status]bool{s: true}
		queue := []Status{s}
		final := s.Final()
		for len(queue) > 0 && !final {
			cur := queue[0]
			queue = queue[1:]
			for _, n := range next(cur) {
				if n.Final() {
					final = true
				}
				if !seen[n] {
					seen[n] = true
					queue = append(queue, n)
				}
			}
		}
		if !final {
			t.Errorf("no final status is reachable from %s", s)
		}
	}
}

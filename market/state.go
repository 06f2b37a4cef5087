package market

import (
	"fmt"
	"slices"

	"github.com/amanat/amn/kind"
)

// Status is where a purchase request stands.
type Status string

// The statuses. The values are stored in market_requests.status; never rename them.
const (
	// PendingPayment: an express request (spawned from a template at its fixed price) whose offer
	// was accepted at once (express, from pending in its creating transaction); its payment is
	// awaited. It skips the offer phase.
	PendingPayment Status = "pending_payment"
	// Pending: created, not yet visible to sellers (awaiting moderation when it is on).
	Pending Status = "pending"
	// Active: visible to sellers; no live offer.
	Active Status = "active"
	// ReceivedOffers: at least one live offer.
	ReceivedOffers Status = "received_offers"
	// InNegotiation: the buyer and a seller are talking terms over live offers.
	InNegotiation Status = "in_negotiation"
	// Payment: the buyer accepted an offer; its payment is awaited.
	Payment Status = "payment"
	// Processing: the payment is final (funded); the seller prepares the goods or the service.
	Processing Status = "processing"
	// Delivery: the seller shipped (carrier and tracking) or started delivering online.
	Delivery Status = "delivery"
	// Delivered: the goods or service arrived; the buyer's inspection period runs.
	Delivered Status = "delivered"
	// Confirming: the buyer confirmed (or the inspection period ended); the release is requested.
	Confirming Status = "confirming"
	// Completed: the release (or a dispute's split) is final on chain.
	Completed Status = "completed"
	// Cancelled: withdrawn before payment, or refunded after a dispute.
	Cancelled Status = "cancelled"
	// Expired: nobody's offer was accepted in time, or the payment expired unpaid.
	Expired Status = "expired"
	// Disputed: a party opened a dispute; the escrow is frozen until it is resolved.
	Disputed Status = "disputed"
)

// Statuses lists every status, the offer path first.
var Statuses = []Status{
	Pending, Active, ReceivedOffers, InNegotiation, Payment, PendingPayment, Processing, Delivery,
	Delivered, Confirming, Completed, Cancelled, Expired, Disputed,
}

// Final reports whether nothing more happens to a request.
func (s Status) Final() bool { return s == Completed || s == Cancelled || s == Expired }

// Actor is who fires an event.
type Actor string

// The actors. System is the platform itself: jobs following the payment's chain events, timers.
const (
	ActorBuyer  Actor = "buyer"
	ActorSeller Actor = "seller"
	ActorAdmin  Actor = "admin"
	ActorSystem Actor = "system"
)

// Actors lists every actor.
var Actors = []Actor{ActorBuyer, ActorSeller, ActorAdmin, ActorSystem}

// Event names a transition of a request.
type Event string

// The events.
const (
	EvPublish       Event = "publish"        // moderation passed (or is off): visible to sellers
	EvExpress       Event = "express"        // a template's spawn: its fixed-price offer accepted at creation
	EvResubmit      Event = "resubmit"       // moderation on: the buyer edited what moderation checks; held again
	EvOfferMade     Event = "offer_made"     // a seller made the first live offer
	EvOffersGone    Event = "offers_gone"    // the last live offer was withdrawn, rejected or expired
	EvNegotiate     Event = "negotiate"      // the buyer and a seller start talking terms
	EvAccept        Event = "accept"         // the buyer accepted an offer: its payment is created
	EvPaid          Event = "paid"           // the payment is funded at finality
	EvPaymentExpiry Event = "payment_expiry" // the payment expired unpaid
	EvShip          Event = "ship"           // the seller shipped or started online delivery
	EvDeliver       Event = "deliver"        // the goods or service arrived: the inspection period starts
	EvConfirm       Event = "confirm"        // the buyer confirmed receipt: the release is requested
	EvInspected     Event = "inspected"      // the inspection period ended in silence: the release is requested
	EvReleased      Event = "released"       // the release is final on chain (the chain is never wrong: from any funded step)
	EvCancel        Event = "cancel"         // withdrawn before any money moved
	EvExpire        Event = "expire"         // the request's own deadline passed without an accepted offer (published or not)
	EvDispute       Event = "dispute"        // a party opened a dispute
	EvRefunded      Event = "refunded"       // a refund is final on chain (after a dispute, or an admin's)
	EvResume        Event = "resume"         // the dispute was withdrawn or resolved to continue the deal
	EvReplace       Event = "replace"        // the dispute was resolved by a replacement: the seller delivers again
	EvSettled       Event = "settled"        // a dispute's split (compensation) is final on chain: the deal is over
)

// rule is one row of the machine: from which statuses an event may be fired, by whom, and where
// it leads. A zero to means the event leaves the status where it is (an offer arriving in
// received_offers), or, for EvResume, back to where the dispute found the request.
type rule struct {
	from   []Status
	actors []Actor
	to     Status
}

// Funded is where the money is in escrow (or on its way): what a dispute may interrupt.
var funded = []Status{Processing, Delivery, Delivered, Confirming}

// open is where no money has moved yet.
var open = []Status{Pending, Active, ReceivedOffers, InNegotiation}

// machine is the whole status machine. Each event is fired by exactly one function of Service,
// which writes the request's new status and the event's row in market_events in one transaction.
var machine = map[Event]rule{
	EvPublish:       {from: []Status{Pending}, actors: []Actor{ActorAdmin, ActorSystem}, to: Active},
	EvExpress:       {from: []Status{Pending}, actors: []Actor{ActorBuyer}, to: PendingPayment},
	EvResubmit:      {from: []Status{Active}, actors: []Actor{ActorBuyer}, to: Pending},
	EvOfferMade:     {from: []Status{Active, ReceivedOffers, InNegotiation}, actors: []Actor{ActorSystem}, to: ReceivedOffers},
	EvOffersGone:    {from: []Status{ReceivedOffers, InNegotiation}, actors: []Actor{ActorSystem}, to: Active},
	EvNegotiate:     {from: []Status{ReceivedOffers}, actors: []Actor{ActorBuyer, ActorSeller}, to: InNegotiation},
	EvAccept:        {from: []Status{ReceivedOffers, InNegotiation}, actors: []Actor{ActorBuyer}, to: Payment},
	EvPaid:          {from: []Status{Payment, PendingPayment}, actors: []Actor{ActorSystem}, to: Processing},
	EvPaymentExpiry: {from: []Status{Payment, PendingPayment}, actors: []Actor{ActorSystem}, to: Expired},
	EvShip:          {from: []Status{Processing}, actors: []Actor{ActorSeller}, to: Delivery},
	EvDeliver:       {from: []Status{Delivery}, actors: []Actor{ActorSeller, ActorBuyer, ActorSystem}, to: Delivered},
	EvConfirm:       {from: []Status{Delivery, Delivered}, actors: []Actor{ActorBuyer}, to: Confirming},
	EvInspected:     {from: []Status{Delivered}, actors: []Actor{ActorSystem}, to: Confirming},
	EvReleased:      {from: append(slices.Clone(funded), Disputed), actors: []Actor{ActorSystem}, to: Completed},
	EvCancel:        {from: append(slices.Clone(open), Payment, PendingPayment), actors: []Actor{ActorBuyer, ActorAdmin}, to: Cancelled},
	EvExpire:        {from: slices.Clone(open), actors: []Actor{ActorSystem}, to: Expired},
	EvDispute:       {from: funded[:3], actors: []Actor{ActorBuyer, ActorSeller}, to: Disputed},
	EvRefunded:      {from: append(slices.Clone(funded), Disputed), actors: []Actor{ActorSystem}, to: Cancelled},
	EvResume:        {from: []Status{Disputed}, actors: []Actor{ActorBuyer, ActorSeller, ActorAdmin}},
	EvReplace:       {from: []Status{Disputed}, actors: []Actor{ActorAdmin}, to: Processing},
	// A split is a dispute's outcome only; the seller was paid its part, so the deal completed.
	EvSettled: {from: []Status{Disputed}, actors: []Actor{ActorSystem}, to: Completed},
}

// Errors of the status machine.
var (
	// ErrIllegalTransition: the event cannot happen in the request's status. Nothing was written.
	ErrIllegalTransition = kind.New(kind.Conflict, "not allowed in the request's status")
	// ErrNotYours: the actor may not fire this event (a seller accepting, a buyer shipping).
	ErrNotYours = kind.New(kind.Refused, "not yours to do")
)

// Next says where ev, fired by actor, takes a request in status from; resumeTo is the status a
// dispute interrupted (used by EvResume only). The error is ErrNotYours or ErrIllegalTransition.
func Next(from Status, ev Event, actor Actor, resumeTo Status) (Status, error) {
	r, ok := machine[ev]
	if !ok {
		return "", fmt.Errorf("%w: unknown event %q", ErrIllegalTransition, ev)
	}
	if !slices.Contains(r.actors, actor) {
		return "", fmt.Errorf("%w: %s cannot %s", ErrNotYours, actor, ev)
	}
	if !slices.Contains(r.from, from) {
		return "", fmt.Errorf("%w: cannot %s a request that is %s", ErrIllegalTransition, ev, from)
	}
	if ev == EvResume {
		if !slices.Contains(funded[:3], resumeTo) {
			return "", fmt.Errorf("%w: a dispute cannot resume to %q", ErrIllegalTransition, resumeTo)
		}
		return resumeTo, nil
	}
	return r.to, nil
}

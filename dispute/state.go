package dispute

import (
	"fmt"
	"slices"

	"github.com/amanat/amn/kind"
)

// Status is where a case stands.
type Status string

// The statuses. The values are stored in dispute_cases.status; never rename them.
const (
	// Open: a party opened the case; the other side has Config.AnswerHours to answer.
	Open Status = "open"
	// AwaitingEvidence: an admin asked both sides for evidence, each within Config.AnswerHours.
	AwaitingEvidence Status = "awaiting_evidence"
	// UnderReview: an admin reviews what is in (or the evidence deadline passed).
	UnderReview Status = "under_review"
	// Proposed: an outcome is proposed; the parties may accept it.
	Proposed Status = "proposed"
	// Resolved: a resolution was carried out (money, deal, account).
	Resolved Status = "resolved"
	// Escalated: nobody took the case within Config.EscalateHours.
	Escalated Status = "escalated"
	// Withdrawn: its opener withdrew it; the deal resumed.
	Withdrawn Status = "withdrawn"
)

// Statuses lists every status, the usual path first.
var Statuses = []Status{Open, AwaitingEvidence, UnderReview, Proposed, Resolved, Escalated, Withdrawn}

// Final reports whether nothing more happens to a case.
func (s Status) Final() bool { return s == Resolved || s == Withdrawn }

// live are the statuses in which a case is still handled.
var live = []Status{Open, AwaitingEvidence, UnderReview, Proposed, Escalated}

// Actor is who does something to a case.
type Actor string

// The actors. System is the platform: the deadlines' jobs.
const (
	ActorBuyer  Actor = "buyer"
	ActorSeller Actor = "seller"
	ActorAdmin  Actor = "admin"
	ActorSystem Actor = "system"
)

// Actors lists every actor.
var Actors = []Actor{ActorBuyer, ActorSeller, ActorAdmin, ActorSystem}

// Event names a step of a case; it is also the kind of the timeline entry that records it.
type Event string

// The events.
const (
	EvOpen            Event = "opened"             // a party opened the case
	EvEvidence        Event = "evidence"           // a file or a statement was added
	EvAssign          Event = "assigned"           // an admin took the case, or was given it
	EvRequestEvidence Event = "evidence_requested" // an admin asked both sides for evidence
	EvAnswerMissed    Event = "answer_missed"      // a side let its deadline pass in silence
	EvReview          Event = "review"             // an admin (or the evidence deadline) moved the case to review
	EvEscalate        Event = "escalated"          // nobody took the case in time
	EvPropose         Event = "proposed"           // an outcome was proposed
	EvAccept          Event = "accepted"           // a party accepted the live proposal
	EvAskApproval     Event = "approval_requested" // an admin's resolution waits for a second admin
	EvResolve         Event = "resolved"           // the resolution was carried out
	EvWithdraw        Event = "withdrawn"          // the opener withdrew the case
	EvPaymentFinal    Event = "payment_final"      // the payment ended on chain anyway: the case closes with what the chain shows
)

// rule is one row of the machine: from which statuses an event may happen, by whom, and where it
// leads (zero: the status stays).
type rule struct {
	from   []Status
	actors []Actor
	to     Status
}

// machine is the whole case machine. Opening has no row: it makes the case, in Open.
var machine = map[Event]rule{
	EvEvidence:        {from: live, actors: []Actor{ActorBuyer, ActorSeller, ActorAdmin}},
	EvAssign:          {from: live, actors: []Actor{ActorAdmin}},
	EvRequestEvidence: {from: []Status{Open, UnderReview, Escalated}, actors: []Actor{ActorAdmin}, to: AwaitingEvidence},
	EvAnswerMissed:    {from: live, actors: []Actor{ActorSystem}},
	EvReview:          {from: []Status{Open, AwaitingEvidence, Escalated}, actors: []Actor{ActorAdmin, ActorSystem}, to: UnderReview},
	EvEscalate:        {from: []Status{Open, AwaitingEvidence, UnderReview, Proposed}, actors: []Actor{ActorSystem}, to: Escalated},
	EvPropose:         {from: live, actors: []Actor{ActorBuyer, ActorSeller, ActorAdmin}, to: Proposed},
	EvAccept:          {from: []Status{Proposed, Escalated}, actors: []Actor{ActorBuyer, ActorSeller}}, // a proposed case may escalate
	EvAskApproval:     {from: live, actors: []Actor{ActorAdmin}},
	EvResolve:         {from: live, actors: []Actor{ActorAdmin}, to: Resolved},
	EvWithdraw:        {from: live, actors: []Actor{ActorBuyer, ActorSeller}, to: Withdrawn},
	EvPaymentFinal:    {from: live, actors: []Actor{ActorSystem}, to: Resolved},
}

// Errors of the case machine.
var (
	// ErrIllegalTransition: the step cannot happen in the case's status. Nothing was written.
	ErrIllegalTransition = kind.New(kind.Conflict, "not allowed in the case's status")
	// ErrNotYours: the actor may not take this step (a seller resolving, a buyer assigning).
	ErrNotYours = kind.New(kind.Refused, "not yours to do")
)

// Next says where ev, taken by actor, leads a case in status from.
func Next(from Status, ev Event, actor Actor) (Status, error) {
	r, ok := machine[ev]
	if !ok {
		return "", fmt.Errorf("%w: unknown step %q", ErrIllegalTransition, ev)
	}
	if !slices.Contains(r.actors, actor) {
		return "", fmt.Errorf("%w: %s cannot take the step %s", ErrNotYours, actor, ev)
	}
	if !slices.Contains(r.from, from) {
		return "", fmt.Errorf("%w: %s is not possible in a case that is %s", ErrIllegalTransition, ev, from)
	}
	if r.to == "" {
		return from, nil
	}
	return r.to, nil
}

// Reason is why a party opened a case; which reasons a party may give depends on its side.
type Reason string

// The reasons.
const (
	ReasonNotReceived        Reason = "not_received"
	ReasonNotAsDescribed     Reason = "not_as_described"
	ReasonSellerUnresponsive Reason = "seller_unresponsive"
	ReasonBuyerUnresponsive  Reason = "buyer_unresponsive"
	ReasonPaymentProblem     Reason = "payment_problem"
	ReasonOther              Reason = "other"
)

// reasons are what each side may give.
var reasons = map[Actor][]Reason{
	ActorBuyer:  {ReasonNotReceived, ReasonNotAsDescribed, ReasonSellerUnresponsive, ReasonOther},
	ActorSeller: {ReasonBuyerUnresponsive, ReasonPaymentProblem, ReasonOther},
}

// ReasonsFor lists the reasons side may open a case with.
func ReasonsFor(side Actor) []Reason { return slices.Clone(reasons[side]) }

// Outcome is how a case is resolved.
type Outcome string

// The outcomes (docs/disputes.md § Money rules).
const (
	// OutcomeRefund: everything escrowed back to the buyer.
	OutcomeRefund Outcome = "refund"
	// OutcomeRelease: to the seller, less the commission, as a completed deal.
	OutcomeRelease Outcome = "release"
	// OutcomeCompensation: an exact amount to the buyer, the rest to the seller (the split).
	OutcomeCompensation Outcome = "compensation"
	// OutcomeReplacement: the deal goes back to processing with a new delivery deadline.
	OutcomeReplacement Outcome = "replacement"
	// OutcomeWarnSeller: the seller is warned (recorded, notified); the deal resumes.
	OutcomeWarnSeller Outcome = "warning_seller"
	// OutcomeBanSeller: the seller's account is banned (no sign-in, no offers); the buyer is refunded.
	OutcomeBanSeller Outcome = "ban_seller"
	// OutcomeNoAction: nothing decided; the deal resumes where the dispute found it.
	OutcomeNoAction Outcome = "no_action"
)

// Outcomes lists every outcome.
var Outcomes = []Outcome{OutcomeRefund, OutcomeRelease, OutcomeCompensation, OutcomeReplacement, OutcomeWarnSeller,
	OutcomeBanSeller, OutcomeNoAction}

// partyOutcomes are what the parties themselves may propose: what the money and the deal do.
// Warnings and bans are admins' alone.
var partyOutcomes = []Outcome{OutcomeRefund, OutcomeRelease, OutcomeCompensation, OutcomeReplacement, OutcomeNoAction}

package payment

import (
	"errors"
	"fmt"

	"github.com/amanat/amn/kind"
	"github.com/amanat/amn/ledger"
)

// State is where a payment stands (ARCHITECTURE.md §5).
type State string

// The canonical states. The values are stored in the payment_state enum; never rename them.
const (
	AwaitingPayment State = "awaiting_payment"
	Detected        State = "detected"
	Funded          State = "funded"
	Underpaid       State = "underpaid"
	Overpaid        State = "overpaid"
	Expired         State = "expired"
	Late            State = "late"
	Sweeping        State = "sweeping"
	InEscrow        State = "in_escrow"
	ReleasePending  State = "release_pending"
	Releasing       State = "releasing"
	Released        State = "released"
	RefundPending   State = "refund_pending"
	Refunding       State = "refunding"
	Refunded        State = "refunded"
	Disputed        State = "disputed"
	Reclaimed       State = "reclaimed"      // the buyer took the escrow back on chain (AmnEscrow.reclaim)
	SettlePending   State = "settle_pending" // a dispute was resolved into a split (ResolveSplit); custodians to approve
	Settling        State = "settling"       // the signer submitted AmnEscrow.settle; the three parts are reserved
	Settled         State = "settled"        // the escrow was split on chain between buyer, seller and fee
)

// States lists every state, in the order of the happy path first.
var States = []State{
	AwaitingPayment, Detected, Funded, Sweeping, InEscrow, ReleasePending, Releasing, Released,
	Underpaid, Overpaid, Expired, Late, Disputed, RefundPending, Refunding, Refunded, Reclaimed,
	SettlePending, Settling, Settled,
}

// Final reports whether the payment is closed for good: the escrow paid out, split or was reclaimed.
func (s State) Final() bool { return s == Released || s == Refunded || s == Reclaimed || s == Settled }

// Event names a transition. Each has exactly one function on Service.
type Event string

// The events.
const (
	EvDetect         Event = "detect"          // the indexer saw money arrive (not final yet)
	EvOrphan         Event = "orphan"          // a reorg removed an observation before finality
	EvConfirm        Event = "confirm"         // an observation became final
	EvExpire         Event = "expire"          // nothing arrived before the deadline
	EvStartSweep     Event = "start_sweep"     // the signer took the deposit for sweeping
	EvSwept          Event = "swept"           // the escrow contract's Funded event is final
	EvRequestRelease Event = "request_release" // an admin or a resolution asked for release
	EvStartRelease   Event = "start_release"   // the signer submitted AmnEscrow.release
	EvReleased       Event = "released"        // the Released event is final
	EvRequestRefund  Event = "request_refund"  // an admin or a resolution asked for a refund
	EvStartRefund    Event = "start_refund"    // the signer submitted AmnEscrow.refund
	EvRefunded       Event = "refunded"        // the Refunded event is final
	EvDispute        Event = "dispute"         // a party opened a dispute: frozen
	EvResolve        Event = "resolve"         // the dispute was resolved toward release or refund
	EvReleaseFailed  Event = "release_failed"  // the submitted release reverted or its intent was rejected
	EvRefundFailed   Event = "refund_failed"   // the submitted refund reverted or its intent was rejected
	EvReclaimed      Event = "reclaimed"       // the buyer's AmnEscrow.reclaim is final
	EvFrozen         Event = "frozen"          // the escrow's Frozen event is final: the arbiter froze it
	EvResolveSplit   Event = "resolve_split"   // the dispute was resolved with an exact split (ResolveSplit)
	EvStartSettle    Event = "start_settle"    // the signer submitted AmnEscrow.settle
	EvSettled        Event = "settled"         // the Settled event is final
	EvSettleFailed   Event = "settle_failed"   // the submitted settle reverted or its intent was rejected
)

// transitions is the whole state machine: for each event, the states it may start from and, where
// the event alone decides it, the state it leads to. Detect, Orphan, Confirm and Resolve choose
// their target from the payment's books and are checked against allowedTargets.
//
// The chain is never wrong: an event the chain causes (a detection, a credit, an orphan, the
// escrow's Funded, Released, Refunded, Reclaimed and Frozen, a payout that reverted) lands from
// every state the chain can cause it in, wherever the payment's people and workers have moved it
// meanwhile (TestExploreStateMachine walks every sequence up to a bound to show it; for the split
// of a settled dispute, TestEveryTransition tries every event from every state, and TestNoDeadEnds
// shows that every state can still end). A deposit to
// a payment that no longer takes money is refused and recorded by the indexer as an exception.
var transitions = map[Event][]State{
	EvDetect:         {AwaitingPayment, Expired, Detected, Underpaid},
	EvOrphan:         {Detected},
	EvConfirm:        {Detected},
	EvExpire:         {AwaitingPayment},
	EvStartSweep:     {Funded, Overpaid, Underpaid, Late},
	EvSwept:          {Sweeping, Disputed},
	EvRequestRelease: {InEscrow},
	EvStartRelease:   {ReleasePending},
	EvReleased:       {InEscrow, ReleasePending, Releasing, RefundPending, Refunding, SettlePending, Settling, Disputed},
	EvRequestRefund:  {InEscrow, ReleasePending},
	EvStartRefund:    {RefundPending},
	EvRefunded:       {InEscrow, ReleasePending, Releasing, RefundPending, Refunding, SettlePending, Settling, Disputed},
	EvDispute:        {Funded, Underpaid, Overpaid, Late, Sweeping, InEscrow, ReleasePending, Releasing, RefundPending, Refunding, SettlePending},
	EvResolve:        {Disputed},
	EvReleaseFailed:  {Releasing, Disputed},
	EvRefundFailed:   {Refunding, Disputed},
	EvReclaimed:      {InEscrow, ReleasePending, Releasing, RefundPending, Refunding, SettlePending, Settling, Disputed},
	EvFrozen:         {InEscrow, ReleasePending, Releasing, RefundPending, Refunding, SettlePending, Settling, Disputed},
	EvResolveSplit:   {Disputed},
	EvStartSettle:    {SettlePending},
	EvSettled:        {InEscrow, ReleasePending, Releasing, RefundPending, Refunding, SettlePending, Settling, Disputed},
	EvSettleFailed:   {Settling, Disputed},
}

// allowedTargets lists where each event may lead.
var allowedTargets = map[Event][]State{
	EvDetect:         {Detected},
	EvOrphan:         {Detected, AwaitingPayment, Expired, Underpaid, Funded, Overpaid, Late},
	EvConfirm:        {Detected, Funded, Underpaid, Overpaid, Late},
	EvExpire:         {Expired},
	EvStartSweep:     {Sweeping},
	EvSwept:          {InEscrow, Disputed},
	EvRequestRelease: {ReleasePending},
	EvStartRelease:   {Releasing},
	EvReleased:       {Released},
	EvRequestRefund:  {RefundPending},
	EvStartRefund:    {Refunding},
	EvRefunded:       {Refunded},
	EvDispute:        {Disputed},
	EvResolve:        {ReleasePending, RefundPending, Funded, Underpaid, Overpaid, Late, Sweeping, InEscrow, Releasing, Refunding, SettlePending, Settling},
	EvReleaseFailed:  {InEscrow, Disputed},
	EvRefundFailed:   {InEscrow, Disputed},
	EvReclaimed:      {Reclaimed},
	EvFrozen:         {Disputed, SettlePending, Settling}, // resolved into a split already: recorded, not moved
	EvResolveSplit:   {SettlePending},
	EvStartSettle:    {Settling},
	EvSettled:        {Settled},
	EvSettleFailed:   {SettlePending, Disputed},
}

// CanStart reports whether ev may happen to a payment in state s.
func CanStart(ev Event, s State) bool { return contains(transitions[ev], s) }

func contains(ss []State, s State) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// Errors of the state machine. Test with errors.Is.
var (
	// ErrIllegalTransition: the event cannot happen in the payment's current state. Nothing was
	// written.
	ErrIllegalTransition = kind.New(kind.Conflict, "illegal transition")
	// ErrNotFound: no payment has that id (or deposit address, or reference).
	ErrNotFound = kind.New(kind.NotFound, "payment not found")
	// ErrInvalid: the request is malformed (bad amount, address, chain, deadline …).
	ErrInvalid = kind.New(kind.Invalid, "invalid payment request")
	// ErrDuplicate: the buyer already has a payment for this offer and request on this chain.
	ErrDuplicate = kind.New(kind.Conflict, "payment already exists for this buyer, offer, request and chain")
	// ErrNotFullyPaid: release was asked for a payment that did not receive enough.
	ErrNotFullyPaid = kind.New(kind.Conflict, "payment not fully paid")
	// ErrObservation: an observation does not belong to the payment or is in the wrong state.
	ErrObservation = kind.New(kind.Invalid, "observation does not fit the payment")
	// ErrEscrowMismatch: an AmnEscrow Funded event is not the payment's sweep (another funder,
	// escrow, token, amount, buyer or seller). Nothing was written.
	ErrEscrowMismatch = kind.New(kind.Refused, "escrow funding does not match the payment")
)

// Refused reports whether err is a payment's refusal of an event rather than a failure of the
// database: the state does not allow it, the observation does not fit, the payment does not
// exist, the request is invalid, the ledger refused its transfers, or the event decided on a state
// it may not lead to (a fault of the state machine). A refusal comes back every time the event is
// tried again; the indexer quarantines the payment instead of stopping its chain.
func Refused(err error) bool {
	var te *ledger.TransferError
	var de *decisionError
	return errors.Is(err, ErrIllegalTransition) || errors.Is(err, ErrObservation) || errors.Is(err, ErrNotFound) ||
		errors.Is(err, ErrInvalid) || errors.Is(err, ErrNotFullyPaid) || errors.As(err, &te) || errors.As(err, &de)
}

// decisionError: an event decided on a state allowedTargets does not list for it.
type decisionError struct {
	ev Event
	to State
}

func (e *decisionError) Error() string {
	return fmt.Sprintf("%s decided on %s, which it may not lead to", e.ev, e.to)
}

// TransitionError says which payment refused which event, and from which state.
type TransitionError struct {
	Payment string
	Event   Event
	From    State
}

func (e *TransitionError) Error() string {
	return fmt.Sprintf("payment %s: %s is not allowed in state %s", e.Payment, e.Event, e.From)
}

// Unwrap makes errors.Is(err, ErrIllegalTransition) hold.
func (e *TransitionError) Unwrap() error { return ErrIllegalTransition }

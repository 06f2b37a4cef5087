package payment

import (
	"fmt"
	"slices"
	"strings"
)

// The reference model of the state machine exploration (explore_test.go): what a payment has
// received and may do, written from the rules of docs/payments.md rather than from the code, and
// what the chain allows to happen next. The chain is never wrong: every event it can cause must
// land on the payment (a deposit the payment no longer takes lands as an exception, which the
// indexer records); people and workers may be refused, and the model says when.

// Amounts of the model: what is due, the tolerance, and the three sizes of a deposit.
const (
	mDue        = 1_000_000
	mTolerance  = 10
	mCommission = 20_000
)

var depositSizes = []int64{mDue / 2, mDue, mDue + mDue/2} // below, equal to and above what is due

// act is one kind of event of the exploration.
type act int

const (
	aDeposit         act = iota // chain: money arrives in a block not final yet (Detect)
	aDepositFinal               // chain: money first seen in a final block (DetectConfirmMany)
	aConfirm                    // chain: pending observation i became final (Confirm)
	aOrphan                     // chain: a reorg removed pending observation i (Orphan)
	aExpire                     // clock: the deadline passes; the expiry job runs (Expire)
	aStartSweep                 // worker: the sweep job hands the deposit to the signer (StartSweep)
	aSwept                      // chain: the escrow's Funded event is final (Swept)
	aRequestRelease             // admin: release asked for (RequestRelease)
	aSignRelease                // signer: the release transaction is submitted (no payment call)
	aFollowRelease              // worker: Follow sees the signed release (StartRelease)
	aReleased                   // chain: the Released event is final (Released)
	aReleaseReverted            // chain: the release reverted, its intent is rejected; Follow (ReleaseFailed)
	aRequestRefund              // admin: refund asked for (RequestRefund)
	aSignRefund                 // signer: the refund transaction is submitted
	aFollowRefund               // worker: Follow sees the signed refund (StartRefund)
	aRefunded                   // chain: the Refunded event is final (Refunded)
	aRefundReverted             // chain: the refund reverted, its intent is rejected; Follow (RefundFailed)
	aDispute                    // admin: a dispute is opened (Dispute)
	aResolveRelease             // arbiter: Resolve toward release
	aResolveRefund              // arbiter: Resolve toward refund
	aResolveResume              // arbiter: Resolve, back where it was
	aReclaim                    // chain: the buyer's reclaim is final (Reclaimed)
	aFreeze                     // chain: the arbiter's freeze is final (Frozen)
	aResolveSplit               // arbiter: ResolveSplit, 30% of what was received to the buyer
	aSignSettle                 // signer: the settle transaction is submitted
	aFollowSettle               // worker: Follow sees the signed settle (StartSettle)
	aSettled                    // chain: the Settled event is final (Settled)
	aSettleReverted             // chain: the settle reverted, its intent is rejected; Follow (SettleFailed)
	numActs
)

var actNames = [numActs]string{"deposit", "deposit_final", "confirm", "orphan", "expire", "start_sweep", "swept",
	"request_release", "sign_release", "follow_release", "released", "release_reverted", "request_refund",
	"sign_refund", "follow_refund", "refunded", "refund_reverted", "dispute", "resolve_release", "resolve_refund",
	"resolve_resume", "reclaim", "freeze", "resolve_split", "sign_settle", "follow_settle", "settled", "settle_reverted"}

// chainActs are the events the chain causes: never refused.
var chainActs = map[act]bool{aDeposit: true, aDepositFinal: true, aConfirm: true, aOrphan: true, aSwept: true,
	aReleased: true, aReleaseReverted: true, aRefunded: true, aRefundReverted: true, aReclaim: true, aFreeze: true,
	aSettled: true, aSettleReverted: true}

// action is one event with its argument: the amount of a deposit, the index of an observation.
type action struct {
	a   act
	amt int64
	i   int
}

func (x action) String() string {
	switch x.a {
	case aDeposit, aDepositFinal:
		return fmt.Sprintf("%s(%d)", actNames[x.a], x.amt)
	case aConfirm, aOrphan:
		return fmt.Sprintf("%s(#%d)", actNames[x.a], x.i)
	}
	return actNames[x.a]
}

func pathString(p []action) string {
	s := make([]string, len(p))
	for i, a := range p {
		s[i] = a.String()
	}
	return strings.Join(s, " → ")
}

// obsState is where one observation stands.
type obsState uint8

const (
	oPending   obsState = iota
	oPosted             // credited
	oVoided             // orphaned
	oException          // not the payment's money any more: recorded for an operator
)

type mobs struct {
	amt int64
	st  obsState
}

// escrowState is the escrow contract's view of the payment.
type escrowState uint8

const (
	eNone    escrowState = iota
	eFunding             // the signer's fund is on its way
	eOpen                // funded, neither paid out nor reclaimed
	eClosed              // released, refunded or reclaimed
)

// inflight is the payout transaction the signer submitted and that is not mined yet.
type inflight uint8

const (
	fNone inflight = iota
	fRelease
	fRefund
	fSettle
)

// model is what the payment should be after the events so far.
type model struct {
	obs      []mobs
	expired  bool // the clock is past the deadline
	late     bool // money first seen after the deadline
	state    State
	from     State // where a dispute froze it
	escrow   escrowState
	inflight inflight
	frozen   bool  // the arbiter froze the escrow
	swept    int64 // moved deposit → escrow
	paidOut  int64 // posted out of escrow
	reserved int64 // reserved out of escrow (pending)
	timeline int   // transitions recorded
	job      bool  // a sweep job was asked for
	// withPayoutEnds adds the events of #13 finding 6: reclaim and reverted payouts.
	withPayoutEnds bool
}

func newModel(withPayoutEnds bool) model {
	return model{state: AwaitingPayment, timeline: 1, withPayoutEnds: withPayoutEnds}
}

func (m model) clone() model { m.obs = slices.Clone(m.obs); return m }

func (m *model) sum(st obsState) (total int64, n int) {
	for _, o := range m.obs {
		if o.st == st {
			total += o.amt
			n++
		}
	}
	return
}

func (m *model) received() int64 { r, _ := m.sum(oPosted); return r }
func (m *model) paid() bool      { return m.received()+mTolerance >= mDue }

// settle is where a payment stands once its money is counted (docs/payments.md: funded,
// underpaid, overpaid, late; detected while anything is pending).
func (m *model) settle() State {
	r := m.received()
	switch _, pending := m.sum(oPending); {
	case pending > 0:
		return Detected
	case m.late && r > 0:
		return Late
	case r > mDue:
		return Overpaid
	case r+mTolerance >= mDue:
		return Funded
	}
	return Underpaid
}

func isPaid(s State) bool { return s == Funded || s == Overpaid || s == Late }

// settled records that the payment's books decided its state; becoming paid asks for a sweep.
func (m *model) settled() {
	m.state = m.settle()
	if isPaid(m.state) {
		m.job = true
	}
}

// actions lists the events that can happen next.
func (m *model) actions() []action {
	var out []action
	for _, a := range depositSizes {
		out = append(out, action{a: aDeposit, amt: a}, action{a: aDepositFinal, amt: a})
	}
	for i, o := range m.obs {
		if o.st == oPending {
			out = append(out, action{a: aConfirm, i: i}, action{a: aOrphan, i: i})
		}
	}
	if !m.expired {
		out = append(out, action{a: aExpire})
	}
	for _, a := range []act{aStartSweep, aRequestRelease, aRequestRefund, aDispute, aResolveRelease, aResolveRefund, aResolveResume, aResolveSplit} {
		out = append(out, action{a: a})
	}
	if m.escrow == eFunding {
		out = append(out, action{a: aSwept})
	}
	if m.inflight == fNone && m.escrow == eOpen {
		if m.state == ReleasePending {
			out = append(out, action{a: aSignRelease})
		}
		if m.state == RefundPending {
			out = append(out, action{a: aSignRefund})
		}
		if m.state == SettlePending {
			out = append(out, action{a: aSignSettle})
		}
	}
	switch m.inflight {
	case fRelease:
		if m.state == ReleasePending {
			out = append(out, action{a: aFollowRelease})
		}
		if m.escrow == eOpen {
			out = append(out, action{a: aReleased})
		}
		if m.withPayoutEnds {
			out = append(out, action{a: aReleaseReverted})
		}
	case fRefund:
		if m.state == RefundPending {
			out = append(out, action{a: aFollowRefund})
		}
		if m.escrow == eOpen {
			out = append(out, action{a: aRefunded})
		}
		if m.withPayoutEnds {
			out = append(out, action{a: aRefundReverted})
		}
	case fSettle:
		if m.state == SettlePending {
			out = append(out, action{a: aFollowSettle})
		}
		if m.escrow == eOpen {
			out = append(out, action{a: aSettled})
		}
		if m.withPayoutEnds {
			out = append(out, action{a: aSettleReverted})
		}
	}
	if m.withPayoutEnds && m.escrow == eOpen {
		out = append(out, action{a: aReclaim})
		if !m.frozen {
			out = append(out, action{a: aFreeze})
		}
	}
	return out
}

// outcome is what the model expects of an event.
type outcome uint8

const (
	accepted  outcome = iota // the payment moves (one timeline row per transition)
	refused                  // the payment refuses it; nothing is written
	exception                // a deposit the payment no longer takes: refused as an illegal transition, recorded by the indexer as an exception
	silent                   // nothing asks the payment (the signer's submission; Follow with nothing to do)
)

// apply runs x on the model and says what the payment must answer.
func (m *model) apply(x action) outcome {
	switch x.a {
	case aDeposit, aDepositFinal:
		if !contains([]State{AwaitingPayment, Expired, Detected, Underpaid}, m.state) {
			m.obs = append(m.obs, mobs{amt: x.amt, st: oException})
			return exception
		}
		if m.expired {
			m.late = true
		}
		st := oPending
		if x.a == aDepositFinal {
			st = oPosted
			m.timeline++
		}
		m.obs = append(m.obs, mobs{amt: x.amt, st: st})
		m.state = Detected
		if x.a == aDepositFinal {
			m.settled()
		}
	case aConfirm:
		m.obs[x.i].st = oPosted
		m.settled()
	case aOrphan:
		m.obs[x.i].st = oVoided
		if _, n := m.sum(oPending); n == 0 && m.received() == 0 {
			m.late = false
			m.state = AwaitingPayment
			if m.expired {
				m.state = Expired
			}
		} else {
			m.settled()
		}
	case aExpire:
		m.expired = true
		if m.state != AwaitingPayment {
			return refused
		}
		m.state = Expired
	case aStartSweep:
		if !contains([]State{Funded, Overpaid, Underpaid, Late}, m.state) {
			return refused
		}
		m.state, m.escrow = Sweeping, eFunding
	case aSwept:
		m.escrow, m.swept = eOpen, m.received()
		if m.state == Disputed {
			m.from = InEscrow
		} else {
			m.state = InEscrow
		}
	case aRequestRelease:
		if m.state != InEscrow || !m.paid() {
			return refused
		}
		m.state = ReleasePending
	case aRequestRefund:
		if m.state != InEscrow && m.state != ReleasePending {
			return refused
		}
		m.state = RefundPending
	case aSignRelease:
		m.inflight = fRelease
		return silent
	case aSignRefund:
		m.inflight = fRefund
		return silent
	case aSignSettle:
		m.inflight = fSettle
		return silent
	case aFollowSettle:
		m.state, m.reserved = Settling, m.swept
	case aSettled:
		// The chain split the escrow: buyer, seller and fee together are everything swept.
		m.escrow, m.paidOut, m.reserved, m.from, m.inflight = eClosed, m.swept, 0, "", fNone
		m.state = Settled
	case aSettleReverted:
		m.inflight = fNone
		holds := m.state
		if m.state == Disputed {
			holds = m.from
		}
		if holds != Settling {
			return silent // Follow moves only a payment the failed settle moved
		}
		m.reserved = 0
		if m.state == Disputed {
			m.from = SettlePending
		} else {
			m.state = SettlePending
		}
	case aResolveSplit:
		// docs/signer.md: a split needs the dispute's money in escrow with no payout on its way.
		if m.state != Disputed || !contains([]State{InEscrow, ReleasePending, RefundPending, SettlePending}, m.from) {
			return refused
		}
		m.state, m.from = SettlePending, ""
	case aFollowRelease:
		m.state, m.reserved = Releasing, m.swept
	case aFollowRefund:
		m.state, m.reserved = Refunding, m.swept
	case aReleased, aRefunded, aReclaim:
		// The money left the escrow: whatever was reserved for another payout is released.
		m.escrow, m.paidOut, m.reserved, m.from = eClosed, m.swept, 0, ""
		if x.a != aReclaim {
			m.inflight = fNone
		}
		m.state = map[act]State{aReleased: Released, aRefunded: Refunded, aReclaim: Reclaimed}[x.a]
	case aReleaseReverted, aRefundReverted:
		m.inflight = fNone
		holds := m.state
		if m.state == Disputed {
			holds = m.from
		}
		if (x.a == aReleaseReverted && holds != Releasing) || (x.a == aRefundReverted && holds != Refunding) {
			return silent // Follow moves only a payment the failed payout moved
		}
		m.reserved = 0
		if m.state == Disputed {
			m.from = InEscrow
		} else {
			m.state = InEscrow
		}
	case aFreeze:
		m.frozen = true
		// Resolved into a split already: the dispute's own freeze is recorded, nothing moves.
		if m.state != Disputed && m.state != SettlePending && m.state != Settling {
			m.state, m.from = Disputed, m.state
		}
	case aDispute:
		if !contains([]State{Funded, Underpaid, Overpaid, Late, Sweeping, InEscrow, ReleasePending, Releasing, RefundPending, Refunding, SettlePending}, m.state) {
			return refused
		}
		m.state, m.from = Disputed, m.state
	case aResolveRelease, aResolveRefund, aResolveResume:
		if m.state != Disputed {
			return refused
		}
		held := contains([]State{InEscrow, ReleasePending, RefundPending, SettlePending}, m.from)
		switch {
		case x.a == aResolveResume:
			m.state = m.from
		case x.a == aResolveRelease && held && m.paid():
			m.state = ReleasePending
		case x.a == aResolveRefund && held:
			m.state = RefundPending
		default:
			return refused
		}
		m.from = ""
	default:
		panic(x)
	}
	m.timeline++
	return accepted
}

// seen is what a system shows of one payment after an event: its row and its books.
type seen struct {
	state, from       State
	received, pending int64
	pendingCount      int
	late              bool
	depositPosted     int64 // the deposit account: credits − debits, posted
	depositPending    int64 // … and pending
	escrowIn          int64 // this payment's transfers into escrow, posted
	escrowOut         int64 // … out of escrow, posted
	escrowReserved    int64 // … out of escrow, pending and open
	otherPending      int64 // open pending transfers of any other kind
	timeline          int
	job               bool
}

// expect is what the model says the system must show.
func (m *model) expect() seen {
	pend, n := m.sum(oPending)
	return seen{state: m.state, from: m.from, received: m.received(), pending: pend, pendingCount: n, late: m.late,
		depositPosted: m.received() - m.swept, depositPending: pend, escrowIn: m.swept, escrowOut: m.paidOut,
		escrowReserved: m.reserved, timeline: m.timeline, job: m.job}
}

// diff names the fields that differ.
func (s seen) diff(want seen) string {
	if s == want {
		return ""
	}
	var d []string
	add := func(name string, got, want any) {
		if fmt.Sprint(got) != fmt.Sprint(want) {
			d = append(d, fmt.Sprintf("%s %v (want %v)", name, got, want))
		}
	}
	add("state", s.state, want.state)
	add("disputed_from", s.from, want.from)
	add("received", s.received, want.received)
	add("pending", s.pending, want.pending)
	add("pending_count", s.pendingCount, want.pendingCount)
	add("paid_late", s.late, want.late)
	add("deposit posted", s.depositPosted, want.depositPosted)
	add("deposit pending", s.depositPending, want.depositPending)
	add("escrow in", s.escrowIn, want.escrowIn)
	add("escrow out", s.escrowOut, want.escrowOut)
	add("escrow reserved", s.escrowReserved, want.escrowReserved)
	add("other pending", s.otherPending, want.otherPending)
	add("timeline rows", s.timeline, want.timeline)
	add("sweep job", s.job, want.job)
	return strings.Join(d, ", ")
}

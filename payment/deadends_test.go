package payment

import "testing"

// TestNoDeadEnds reads the state machine as data (transitions, allowedTargets): every state is
// reachable from awaiting_payment, and from every state a final one (released, refunded,
// reclaimed, settled) or expired (the deadline passed unpaid) can still be reached, so no payment
// can get stuck — the split of a settled dispute (settle_pending, settling, settled) included.
func TestNoDeadEnds(t *testing.T) {
	next := map[State][]State{}
	for ev, froms := range transitions {
		for _, from := range froms {
			for _, to := range allowedTargets[ev] {
				if to != from {
					next[from] = append(next[from], to)
				}
			}
		}
	}
	reach := func(start State) map[State]bool {
		seen := map[State]bool{start: true}
		queue := []State{start}
		for len(queue) > 0 {
			s := queue[0]
			queue = queue[1:]
			for _, n := range next[s] {
				if !seen[n] {
					seen[n] = true
					queue = append(queue, n)
				}
			}
		}
		return seen
	}
	fromStart := reach(AwaitingPayment)
	for _, s := range States {
		if !fromStart[s] {
			t.Errorf("%s cannot be reached from %s", s, AwaitingPayment)
		}
		if s.Final() {
			if len(next[s]) != 0 {
				t.Errorf("final state %s has a way out: %v", s, next[s])
			}
			continue
		}
		ends := false
		for r := range reach(s) {
			ends = ends || r.Final() || r == Expired
		}
		if !ends {
			t.Errorf("%s is a dead end: no final state can be reached from it", s)
		}
	}
	// A decided split must end by what the platform does itself: the payout others may make on
	// chain (a release or refund by old approvals, the buyer's reclaim) and a freeze are no way
	// out of it. Only the platform's own events count here: its settle (StartSettle, and the
	// Settled or the failure of that very settle), a dispute and its resolution.
	platform := map[Event]bool{EvStartSettle: true, EvSettled: true, EvSettleFailed: true, EvDispute: true, EvResolve: true, EvResolveSplit: true}
	own := map[State][]State{}
	for ev, froms := range transitions {
		if !platform[ev] {
			continue
		}
		for _, from := range froms {
			for _, to := range allowedTargets[ev] {
				if to != from {
					own[from] = append(own[from], to)
				}
			}
		}
	}
	ownReach := func(start State) map[State]bool {
		seen := map[State]bool{start: true}
		for queue := []State{start}; len(queue) > 0; queue = queue[1:] {
			for _, n := range own[queue[0]] {
				if !seen[n] {
					seen[n] = true
					queue = append(queue, n)
				}
			}
		}
		return seen
	}
	for _, s := range []State{SettlePending, Settling} {
		if !ownReach(s)[Settled] {
			t.Errorf("%s cannot end settled by the platform's own events", s)
		}
	}
	// settle_pending waits for an intent, which the state machine does not show: ResolveSplit,
	// SettleFailed and a resumed dispute ask for it (SettleArgs), and Follow asks again for a
	// payment whose intent was rejected before it was signed (TestSettlePendingIsAskedAgain here,
	// TestSettleRejectedBeforeSigningIsAskedAgain in package intent).
}

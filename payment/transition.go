package payment

import (
	"context"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/amanat/amn/chart"
	"github.com/amanat/amn/ledger"
)

// Observation is one transfer of money to a deposit address seen on chain by the indexer.
type Observation struct {
	ChainID     uint64
	BlockHash   common.Hash
	BlockNumber uint64
	TxHash      common.Hash
	LogIndex    uint64
	Token       common.Address
	Amount      *big.Int
	// From is who paid (the fee proxy's caller, or the transfer's sender), when known. It never
	// becomes the refund address: only the buyer's checkout signature sets that (ProveBuyer).
	From common.Address
	// Incarnation counts the times the observation came back after a reorg had removed it (and
	// its pending transfer was voided): a block can return with the very same hash, and the money
	// in it is then detected again under a fresh transfer id. 0 for the first time it is seen.
	Incarnation uint32
}

// TransferID is the ledger transfer id of the observation: derived from where it was seen (and
// its incarnation), so that indexing the same block again can never credit twice, while a block
// that returns after a reorg voided its deposit gets a pending transfer of its own.
func (o Observation) TransferID() ledger.ID {
	id := ledger.ObservationID(o.ChainID, o.BlockHash, o.TxHash, o.LogIndex)
	if o.Incarnation == 0 {
		return id
	}
	return ledger.DeriveID(fmt.Sprintf("observation/incarnation\x00%s\x00%d", id, o.Incarnation))
}

func (o Observation) ref() string {
	r := fmt.Sprintf("%d:%s:%s:%d", o.ChainID, o.BlockHash.Hex(), o.TxHash.Hex(), o.LogIndex)
	if o.Incarnation > 0 {
		r += fmt.Sprintf("#%d", o.Incarnation)
	}
	return r
}

// step is what a transition decided: the new state (the payment's other fields are changed in
// place) and the ledger transfers to write with it.
type step struct {
	to        State
	transfers []ledger.Transfer
	jobs      []river.JobArgs // follow-up work, enqueued in the same transaction
	reason    string
}

// SweepArgs asks for a paid deposit to be swept into the escrow contract. The jobs wait in the
// SweepQueue, which the worker works: it records each as a sweep intent, which the signer
// verifies itself before signing anything (intent.SweepWorker).
type SweepArgs struct {
	PaymentID string `json:"payment_id" river:"unique"`
}

// SweepQueue holds sweep jobs.
const SweepQueue = "sweeps"

// Kind is the job's stable name.
func (SweepArgs) Kind() string { return "payment_sweep" }

// InsertOpts keep one sweep job per payment.
func (SweepArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: SweepQueue, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// FreezeArgs asks for the escrow of a disputed payment to be frozen on chain (AmnEscrow.freeze,
// by the signer, whose operator key is the contract's arbiter), so that approvals given before
// the dispute cannot pay it out. Dispute enqueues it in its own transaction when the money is in
// escrow or on its way there; the worker turns it into a freeze intent (package intent).
type FreezeArgs struct {
	PaymentID string `json:"payment_id" river:"unique"`
}

// Kind is the job's stable name.
func (FreezeArgs) Kind() string { return "payment_freeze" }

// InsertOpts keep one waiting freeze job per payment, in the signer's queue.
func (FreezeArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: SweepQueue, UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: []rivertype.JobState{
		rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning,
		rivertype.JobStateRetryable, rivertype.JobStateScheduled,
	}}}
}

// UnfreezeArgs asks for the escrow of a payment whose dispute was resumed (OutcomeResume) to be
// unfrozen on chain (AmnEscrow.unfreeze, by the signer as the arbiter), so that ordinary
// approvals pay it out again. Resolve enqueues it in its own transaction; the worker turns it
// into an unfreeze intent once no freeze of the payment is still on its way.
type UnfreezeArgs struct {
	PaymentID string `json:"payment_id" river:"unique"`
}

// Kind is the job's stable name.
func (UnfreezeArgs) Kind() string { return "payment_unfreeze" }

// InsertOpts keep one waiting unfreeze job per payment, in the signer's queue.
func (UnfreezeArgs) InsertOpts() river.InsertOpts { return FreezeArgs{}.InsertOpts() }

// Detect records money seen arriving at the payment's deposit address, not yet final: a pending
// ledger transfer outside → deposit (the payment's own outside account) whose id is the observation's. Seeing it again does nothing.
// Money in another token or on another chain is not this payment's money: record it with
// RecordException instead.
func (s *Service) Detect(ctx context.Context, id ledger.ID, o Observation) (*Payment, error) {
	return s.one(ctx, s.detect(id, o))
}

// Detection is one observation for DetectMany.
type Detection struct {
	Payment ledger.ID
	Obs     Observation
}

// DetectMany is Detect for many observations in few transactions (one per 500): results[i] is
// what Detect would have answered for ds[i]. The error is for failures of the database.
func (s *Service) DetectMany(ctx context.Context, ds []Detection) ([]Result, error) {
	return s.DetectManyRecording(ctx, ds, nil)
}

// Recorded is one item of a batch of detections that a transaction applied, or found applied
// before: its pending transfer exists once the transaction commits.
type Recorded struct {
	Item     int  // its position in the batch
	Credited bool // its transfer is posted as well (DetectConfirmManyRecording)
}

// A Recorder writes what its caller keeps about a batch's detections in the transaction that
// applies them, before it commits: what it writes commits with the ledger transfers or not at
// all. The indexer writes its observation rows this way, so that no crash can leave a pending
// transfer without the row through which a reorg finds and voids it. An error rolls the
// transaction back and fails the batch.
type Recorder func(ctx context.Context, tx pgx.Tx, items []Recorded) error

// DetectManyRecording is DetectMany with rec run in each of its transactions (nil: none).
func (s *Service) DetectManyRecording(ctx context.Context, ds []Detection, rec Recorder) ([]Result, error) {
	cs := make([]change, len(ds))
	for i, d := range ds {
		cs[i] = s.detect(d.Payment, d.Obs)
	}
	var after afterFunc
	if rec != nil {
		after = func(ctx context.Context, tx pgx.Tx, applied []int) error {
			items := make([]Recorded, len(applied))
			for k, pos := range applied {
				items[k] = Recorded{Item: pos}
			}
			return rec(ctx, tx, items)
		}
	}
	return s.applyChangesAfter(ctx, cs, after)
}

func (s *Service) detect(id ledger.ID, o Observation) change {
	return change{id: id, ev: EvDetect, actor: "indexer", done: o.TransferID(), decide: func(p *Payment, _ lookupFunc) (step, error) {
		if o.Amount == nil || o.Amount.Sign() <= 0 {
			return step{}, fmt.Errorf("%w: observed amount must be positive", ErrObservation)
		}
		if o.ChainID != p.ChainID || o.Token != p.Token {
			return step{}, fmt.Errorf("%w: %s on chain %d, want %s on chain %d",
				ErrObservation, o.Token.Hex(), o.ChainID, p.Token.Hex(), p.ChainID)
		}
		if p.State == Expired || s.now().After(p.ExpiresAt) {
			p.PaidLate = true
		}
		p.PendingAmount = new(big.Int).Add(p.PendingAmount, o.Amount)
		p.PendingCount++
		return step{to: Detected, reason: "observed " + o.Amount.String() + " in " + o.TxHash.Hex(), transfers: []ledger.Transfer{{
			ID: o.TransferID(), DebitAccountID: chart.PaymentOutside(p.ID), CreditAccountID: p.DepositAcct,
			Amount: o.Amount, Code: chart.CodeDeposit, Flags: ledger.Pending, PaymentRef: p.ID.String(), ObservationRef: o.ref(),
		}}}, nil
	}}
}

// pendingObservation finds the open deposit transfer of an observation of this payment.
func pendingObservation(look lookupFunc, p *Payment, obs ledger.ID) (ledger.Transfer, error) {
	t, ok := look(obs)
	if !ok {
		return t, fmt.Errorf("%w: transfer %s: %v", ErrObservation, obs, ledger.ErrTransferNotFound)
	}
	if t.PaymentRef != p.ID.String() || t.Flags&ledger.Pending == 0 || t.Code != chart.CodeDeposit {
		return t, fmt.Errorf("%w: transfer %s is not a pending deposit of this payment", ErrObservation, obs)
	}
	return t, nil
}

// settled decides where a payment stands once nothing it received is pending any more.
func (p *Payment) settled() State {
	switch {
	case p.PendingCount > 0:
		return Detected
	case p.PaidLate && p.Received.Sign() > 0:
		return Late
	case p.Received.Cmp(p.Amount) > 0:
		return Overpaid
	case new(big.Int).Add(p.Received, p.Tolerance).Cmp(p.Amount) >= 0:
		return Funded
	default:
		return Underpaid
	}
}

// Confirm credits an observation whose block is final and canonical: its pending transfer is
// posted. Once nothing is pending, the payment is funded, underpaid, overpaid or late.
func (s *Service) Confirm(ctx context.Context, id ledger.ID, obs ledger.ID) (*Payment, error) {
	return s.one(ctx, confirm(id, obs))
}

// Confirmation names an observation's pending transfer for ConfirmMany.
type Confirmation struct {
	Payment ledger.ID
	Obs     ledger.ID // Observation.TransferID
}

// ConfirmMany is Confirm for many observations in few transactions (one per 500): results[i] is
// what Confirm would have answered for cs[i]. The error is for failures of the database.
func (s *Service) ConfirmMany(ctx context.Context, cs []Confirmation) ([]Result, error) {
	return s.ConfirmManyRecording(ctx, cs, nil)
}

// ConfirmManyRecording is ConfirmMany with rec run in each of its transactions (nil: none), with
// the items it posted (Credited), so that the caller's record of a credit commits with it.
func (s *Service) ConfirmManyRecording(ctx context.Context, cs []Confirmation, rec Recorder) ([]Result, error) {
	changes := make([]change, len(cs))
	for i, c := range cs {
		changes[i] = confirm(c.Payment, c.Obs)
	}
	var after afterFunc
	if rec != nil {
		after = func(ctx context.Context, tx pgx.Tx, applied []int) error {
			items := make([]Recorded, len(applied))
			for k, pos := range applied {
				items[k] = Recorded{Item: pos, Credited: true}
			}
			return rec(ctx, tx, items)
		}
	}
	return s.applyChangesAfter(ctx, changes, after)
}

// DetectConfirmMany is DetectMany and then ConfirmMany of the same observations, in the same
// transactions: for observations whose blocks are final and canonical when they are first seen
// (an indexer catching up), the pending transfer is written and posted at once, and each payment
// is locked, read and written once instead of twice. results[i] is what Confirm would have
// answered after Detect, or Detect's refusal if it refused.
func (s *Service) DetectConfirmMany(ctx context.Context, ds []Detection) ([]Result, error) {
	return s.DetectConfirmManyRecording(ctx, ds, nil)
}

// DetectConfirmManyRecording is DetectConfirmMany with rec run in each of its transactions (nil:
// none). An item whose detection a transaction applied is recorded, credited if that transaction
// (or an earlier one) also posted it.
func (s *Service) DetectConfirmManyRecording(ctx context.Context, ds []Detection, rec Recorder) ([]Result, error) {
	cs := make([]change, 0, 2*len(ds))
	for _, d := range ds {
		cs = append(cs, s.detect(d.Payment, d.Obs), confirm(d.Payment, d.Obs.TransferID()))
	}
	var after afterFunc
	if rec != nil {
		// Changes 2i (detect) and 2i+1 (confirm) are item i's.
		after = func(ctx context.Context, tx pgx.Tx, applied []int) error {
			var items []Recorded
			at := map[int]int{}
			for _, pos := range applied {
				i := pos / 2
				k, ok := at[i]
				if !ok {
					k, at[i] = len(items), len(items)
					items = append(items, Recorded{Item: i})
				}
				items[k].Credited = items[k].Credited || pos%2 == 1
			}
			return rec(ctx, tx, items)
		}
	}
	res, err := s.applyChangesAfter(ctx, cs, after)
	if err != nil {
		return nil, err
	}
	out := make([]Result, len(ds))
	for i := range ds {
		out[i] = res[2*i+1]
		if res[2*i].Err != nil {
			out[i] = res[2*i]
		}
	}
	return out, nil
}

func confirm(id ledger.ID, obs ledger.ID) change {
	post := ledger.DeriveID("payment/confirm\x00" + obs.String())
	// A deposit final when first seen was booked posted at once (fusePosts): credited already.
	booked := func(look lookupFunc) bool {
		t, ok := look(obs)
		return ok && t.Flags&ledger.Pending == 0 && t.Code == chart.CodeDeposit && t.PaymentRef == id.String()
	}
	return change{id: id, ev: EvConfirm, actor: "indexer", done: post, needs: []ledger.ID{obs}, replayed: booked, decide: func(p *Payment, look lookupFunc) (step, error) {
		t, err := pendingObservation(look, p, obs)
		if err != nil {
			return step{}, err
		}
		p.PendingAmount = new(big.Int).Sub(p.PendingAmount, t.Amount)
		p.PendingCount--
		p.Received = new(big.Int).Add(p.Received, t.Amount)
		return settle(p, step{reason: "final: " + t.Amount.String(), transfers: []ledger.Transfer{{
			ID: post, PendingID: obs, Flags: ledger.PostPending, PaymentRef: p.ID.String(),
		}}}), nil
	}}
}

// settle completes a step that changed what the payment received or has pending: the payment
// stands where its books say (settled), and once paid in full (or more, or late) the money should
// move into escrow, so a sweep is asked for. An underpaid deposit waits for the rest or for an
// operator.
func settle(p *Payment, st step) step {
	st.to = p.settled()
	if st.to == Funded || st.to == Overpaid || st.to == Late {
		st.jobs = []river.JobArgs{SweepArgs{PaymentID: p.ID.String()}}
	}
	return st
}

// Orphan voids an observation that a reorg removed before it became final.
func (s *Service) Orphan(ctx context.Context, id ledger.ID, obs ledger.ID) (*Payment, error) {
	return s.one(ctx, orphan(s, id, obs))
}

// OrphanRecording is Orphan with rec run in its transaction before it commits, when the void is
// applied or was applied before (not when the payment refuses it): the indexer marks the
// observation orphaned there. Written apart, a crash between the two left the observation pending
// over a voided transfer, and if its block came back with the same hash it was taken for the
// same, still pending deposit and its voided transfer posted at finality, which the ledger
// refuses: money on the final chain never credited.
func (s *Service) OrphanRecording(ctx context.Context, id ledger.ID, obs ledger.ID, rec func(ctx context.Context, tx pgx.Tx) error) (*Payment, error) {
	var after afterFunc
	if rec != nil {
		after = func(ctx context.Context, tx pgx.Tx, _ []int) error { return rec(ctx, tx) }
	}
	return s.oneAfter(ctx, orphan(s, id, obs), after)
}

func orphan(s *Service, id ledger.ID, obs ledger.ID) change {
	void := ledger.DeriveID("payment/orphan\x00" + obs.String())
	return change{id: id, ev: EvOrphan, actor: "indexer", done: void, needs: []ledger.ID{obs}, decide: func(p *Payment, look lookupFunc) (step, error) {
		t, err := pendingObservation(look, p, obs)
		if err != nil {
			return step{}, err
		}
		p.PendingAmount = new(big.Int).Sub(p.PendingAmount, t.Amount)
		p.PendingCount--
		st := step{reason: "reorg removed " + t.Amount.String(), transfers: []ledger.Transfer{{
			ID: void, PendingID: obs, Flags: ledger.VoidPending, PaymentRef: p.ID.String(),
		}}}
		if p.Received.Sign() == 0 && p.PendingCount == 0 {
			p.PaidLate = false
			st.to = AwaitingPayment
			if s.now().After(p.ExpiresAt) {
				st.to = Expired
			}
			return st, nil
		}
		// What was credited before stays: the payment may now be paid (a full payment credited
		// while an extra transfer was pending, #14), and then it is swept like any other.
		return settle(p, st), nil
	}}
}

// Expire marks a payment nobody paid by its deadline. Its address stays watched until WatchUntil,
// so money that still arrives is detected and ends as late, never lost.
func (s *Service) Expire(ctx context.Context, id ledger.ID) (*Payment, error) {
	return s.transition(ctx, id, EvExpire, "expiry", ledger.ID{}, func(p *Payment, look lookupFunc) (step, error) {
		if !s.now().After(p.ExpiresAt) {
			return step{}, fmt.Errorf("%w: expires at %s", ErrIllegalTransition, p.ExpiresAt)
		}
		return step{to: Expired}, nil
	})
}

// Withdraw expires a payment nobody has paid yet, before its deadline: the buyer walked away (the
// marketplace's request was cancelled). It is Expire without the deadline: the same event, the
// same state, and the address stays watched until WatchUntil, so money that still arrives is
// detected and ends as late, never funded. A payment that already saw money is refused
// (ErrIllegalTransition): only awaiting_payment may be withdrawn.
func (s *Service) Withdraw(ctx context.Context, id ledger.ID, actor, reason string) (*Payment, error) {
	return s.one(ctx, withdrawal(id, actor, reason))
}

// WithdrawTx is Withdraw inside the caller's transaction, as CreateTx is Create: the payment's
// expiry commits or rolls back with the caller's own writes (the marketplace cancels a request
// and withdraws its payment at once, under the request's row lock). The payment's row is locked
// in tx until it ends.
func (s *Service) WithdrawTx(ctx context.Context, tx pgx.Tx, id ledger.ID, actor, reason string) (*Payment, error) {
	c := withdrawal(id, actor, reason)
	res, err := s.applyIn(ctx, tx, []change{c}, nil)
	if err == nil {
		err = res[0].Err
	}
	if err != nil {
		return nil, fmt.Errorf("payment %s: %s: %w", id, c.ev, err)
	}
	return res[0].Payment, nil
}

func withdrawal(id ledger.ID, actor, reason string) change {
	return change{id: id, ev: EvExpire, actor: actor, decide: func(*Payment, lookupFunc) (step, error) {
		return step{to: Expired, reason: reason}, nil
	}}
}

// StartSweep marks that the deposit was handed to the signer to move into the escrow contract.
// The worker records it (the signer's database role cannot write payments).
func (s *Service) StartSweep(ctx context.Context, id ledger.ID) (*Payment, error) {
	return s.transition(ctx, id, EvStartSweep, "worker", ledger.ID{}, func(*Payment, lookupFunc) (step, error) {
		return step{to: Sweeping}, nil
	})
}

// Swept records that the deposit reached the escrow contract (its Funded event f is final): the
// whole received amount moves deposit → escrow. Only the payment's own sweep counts: f must be
// funded by the payment's deposit address into the payment's escrow, with the payment's token,
// everything it received, and its buyer and seller; anything else is refused with
// ErrEscrowMismatch and moves nothing.
func (s *Service) Swept(ctx context.Context, id ledger.ID, f EscrowFunded) (*Payment, error) {
	tid := ledger.DeriveID("payment/sweep\x00" + id.String())
	return s.transition(ctx, id, EvSwept, "indexer", tid, func(p *Payment, look lookupFunc) (step, error) {
		if why := f.matches(p); why != "" {
			return step{}, fmt.Errorf("%w: %s", ErrEscrowMismatch, why)
		}
		st := step{to: InEscrow, reason: "funded escrow " + f.EscrowID.Hex(), transfers: []ledger.Transfer{{
			ID: tid, DebitAccountID: p.DepositAcct, CreditAccountID: chart.Escrow(p.Ledger),
			Amount: p.Received, Code: chart.CodeSweep, PaymentRef: p.ID.String(),
		}}}
		if p.State == Disputed {
			// Disputed while the sweep was on its way: the dispute now holds money in escrow.
			if p.DisputedFrom != Sweeping {
				return step{}, fmt.Errorf("%w: swept, but the dispute froze it %s", ErrIllegalTransition, p.DisputedFrom)
			}
			p.DisputedFrom, st.to, st.reason = InEscrow, Disputed, "swept during the dispute"
		}
		return st, nil
	})
}

// RequestRelease asks for the escrowed money to go to the seller. It needs the payment to be
// paid in full (within tolerance); custodians still have to approve it.
func (s *Service) RequestRelease(ctx context.Context, id ledger.ID, actor, reason string) (*Payment, error) {
	return s.transition(ctx, id, EvRequestRelease, actor, ledger.ID{}, func(p *Payment, look lookupFunc) (step, error) {
		if new(big.Int).Add(p.Received, p.Tolerance).Cmp(p.Amount) < 0 {
			return step{}, fmt.Errorf("%w: received %s of %s", ErrNotFullyPaid, p.Received, p.Amount)
		}
		return step{to: ReleasePending, reason: reason}, nil
	})
}

// SellerAmount is what a release pays the seller: everything received less the commission.
func (p *Payment) SellerAmount() *big.Int { return new(big.Int).Sub(p.Received, p.Commission) }

// StartRelease records that the signer submitted the release: the seller's amount and the
// commission are reserved out of escrow (pending), all or nothing.
func (s *Service) StartRelease(ctx context.Context, id ledger.ID) (*Payment, error) {
	return s.one(ctx, change{id: id, ev: EvStartRelease, actor: "worker", doneFor: releaseID, decide: func(p *Payment, look lookupFunc) (step, error) {
		ts := []ledger.Transfer{{
			ID: releaseID(p), DebitAccountID: chart.Escrow(p.Ledger), CreditAccountID: chart.PaymentOutside(p.ID),
			Amount: p.SellerAmount(), Code: chart.CodeRelease, Flags: ledger.Pending, PaymentRef: p.ID.String(),
		}}
		if p.Commission.Sign() > 0 {
			ts = append(ts, ledger.Transfer{
				ID: commissionID(p), DebitAccountID: chart.Escrow(p.Ledger),
				CreditAccountID: chart.PlatformFees(p.Ledger), Amount: p.Commission, Code: chart.CodeCommission,
				Flags: ledger.Pending, PaymentRef: p.ID.String(),
			})
		}
		return step{to: Releasing, transfers: ts}, nil
	}})
}

// Ids of the payout reservations StartRelease and StartRefund make: derived from the payment and
// its payout attempt (the first attempt keeps the ids it always had).
func releaseID(p *Payment) ledger.ID    { return payoutID("payment/release", p) }
func commissionID(p *Payment) ledger.ID { return payoutID("payment/commission", p) }
func refundID(p *Payment) ledger.ID     { return payoutID("payment/refund", p) }

func payoutID(kind string, p *Payment) ledger.ID {
	if p.PayoutAttempt == 0 {
		return ledger.DeriveID(kind + "\x00" + p.ID.String())
	}
	return ledger.DeriveID(fmt.Sprintf("%s\x00%s\x00%d", kind, p.ID, p.PayoutAttempt))
}

// PayoutReservations are the ids of the release and refund reservations of the payment's current
// payout attempt (the signer checks the books before it signs a payout).
func (p *Payment) PayoutReservations() (release, refund ledger.ID) { return releaseID(p), refundID(p) }

// voidID is the id of the transfer that voids a reservation.
func voidID(reservation ledger.ID) ledger.ID {
	return ledger.DeriveID("payment/void\x00" + reservation.String())
}

// escrowHeld are the states in which the escrow contract holds the payment's money: the chain may
// pay it out (release, refund, reclaim) or freeze it from any of them, whatever the payment was
// waiting for, and the books follow.
var escrowHeld = []State{InEscrow, ReleasePending, Releasing, RefundPending, Refunding, SettlePending, Settling}

// holding is the state that says what the payment holds: its own, or where a dispute froze it.
func (p *Payment) holding() State {
	if p.State == Disputed {
		return p.DisputedFrom
	}
	return p.State
}

// escrowOpen reports whether the escrow holds the payment's money.
func escrowOpen(p *Payment) bool { return contains(escrowHeld, p.holding()) }

// payout decides a payout the chain made final (Released, Refunded, Reclaimed, Settled): the reservation
// held for it (reserved: the state that holds it) is posted; any other reservation is voided (that
// payout will revert) and the payout is booked as it happened. A dispute that was open is moot:
// the money left.
func payout(p *Payment, ev Event, reserved, to State, post func() []ledger.Transfer, direct func() []ledger.Transfer) (step, error) {
	if !escrowOpen(p) {
		return step{}, fmt.Errorf("%w: %s, but the escrow does not hold the payment (%s)", ErrIllegalTransition, ev, p.holding())
	}
	st := step{to: to}
	if p.holding() == reserved {
		st.transfers = post()
	} else {
		st.transfers = append(voidReservation(p), direct()...)
	}
	if p.State != reserved {
		st.reason = "paid out on chain while the payment was " + string(p.State)
		if p.State == Disputed {
			st.reason += " (from " + string(p.DisputedFrom) + ")"
		}
	}
	p.DisputedFrom = ""
	return st, nil
}

// voidReservation voids the payout reservation the payment holds, if any.
func voidReservation(p *Payment) []ledger.Transfer {
	var ids []ledger.ID
	switch p.holding() {
	case Releasing:
		ids = []ledger.ID{releaseID(p)}
		if p.Commission.Sign() > 0 {
			ids = append(ids, commissionID(p))
		}
	case Refunding:
		ids = []ledger.ID{refundID(p)}
	case Settling:
		return voidSettle(p)
	}
	ts := make([]ledger.Transfer, len(ids))
	for i, r := range ids {
		ts[i] = ledger.Transfer{ID: voidID(r), PendingID: r, Flags: ledger.VoidPending, PaymentRef: p.ID.String()}
	}
	return ts
}

// Released records that the release is final on chain: the reservations are posted (or, if the
// payment had not moved to releasing, the payout is booked as it happened).
func (s *Service) Released(ctx context.Context, id ledger.ID) (*Payment, error) {
	post, commissioned := ledger.DeriveID("payment/released\x00"+id.String()), ledger.DeriveID("payment/commissioned\x00"+id.String())
	return s.transition(ctx, id, EvReleased, "indexer", post, func(p *Payment, look lookupFunc) (step, error) {
		return payout(p, EvReleased, Releasing, Released, func() []ledger.Transfer {
			ts := []ledger.Transfer{{ID: post, PendingID: releaseID(p), Flags: ledger.PostPending, PaymentRef: p.ID.String()}}
			if p.Commission.Sign() > 0 {
				ts = append(ts, ledger.Transfer{ID: commissioned, PendingID: commissionID(p), Flags: ledger.PostPending,
					PaymentRef: p.ID.String()})
			}
			return ts
		}, func() []ledger.Transfer {
			ts := []ledger.Transfer{{ID: post, DebitAccountID: chart.Escrow(p.Ledger), CreditAccountID: chart.PaymentOutside(p.ID),
				Amount: p.SellerAmount(), Code: chart.CodeRelease, PaymentRef: p.ID.String()}}
			if p.Commission.Sign() > 0 {
				ts = append(ts, ledger.Transfer{ID: commissioned, DebitAccountID: chart.Escrow(p.Ledger),
					CreditAccountID: chart.PlatformFees(p.Ledger), Amount: p.Commission, Code: chart.CodeCommission, PaymentRef: p.ID.String()})
			}
			return ts
		})
	})
}

// RequestRefund asks for the escrowed money to go back to the buyer.
func (s *Service) RequestRefund(ctx context.Context, id ledger.ID, actor, reason string) (*Payment, error) {
	return s.transition(ctx, id, EvRequestRefund, actor, ledger.ID{}, func(*Payment, lookupFunc) (step, error) {
		return step{to: RefundPending, reason: reason}, nil
	})
}

// StartRefund records that the signer submitted the refund: everything received is reserved out
// of escrow.
func (s *Service) StartRefund(ctx context.Context, id ledger.ID) (*Payment, error) {
	return s.one(ctx, change{id: id, ev: EvStartRefund, actor: "worker", doneFor: refundID, decide: func(p *Payment, look lookupFunc) (step, error) {
		return step{to: Refunding, transfers: []ledger.Transfer{{
			ID: refundID(p), DebitAccountID: chart.Escrow(p.Ledger), CreditAccountID: chart.PaymentOutside(p.ID),
			Amount: p.Received, Code: chart.CodeRefund, Flags: ledger.Pending, PaymentRef: p.ID.String(),
		}}}, nil
	}})
}

// Refunded records that the refund is final on chain: the reservation is posted (or, if the
// payment had not moved to refunding, the payout is booked as it happened).
func (s *Service) Refunded(ctx context.Context, id ledger.ID) (*Payment, error) {
	post := ledger.DeriveID("payment/refunded\x00" + id.String())
	return s.transition(ctx, id, EvRefunded, "indexer", post, func(p *Payment, look lookupFunc) (step, error) {
		return payout(p, EvRefunded, Refunding, Refunded, func() []ledger.Transfer {
			return []ledger.Transfer{{ID: post, PendingID: refundID(p), Flags: ledger.PostPending, PaymentRef: p.ID.String()}}
		}, func() []ledger.Transfer {
			return []ledger.Transfer{{ID: post, DebitAccountID: chart.Escrow(p.Ledger), CreditAccountID: chart.PaymentOutside(p.ID),
				Amount: p.Received, Code: chart.CodeRefund, PaymentRef: p.ID.String()}}
		})
	})
}

// Reclaimed records that the buyer took the escrow back on chain (AmnEscrow.reclaim, no signature
// needed once the delay passed): everything escrowed goes back outside, like a refund, and any
// payout reserved is voided (it will revert). The payment ends reclaimed.
func (s *Service) Reclaimed(ctx context.Context, id ledger.ID) (*Payment, error) {
	tid := ledger.DeriveID("payment/reclaimed\x00" + id.String())
	return s.transition(ctx, id, EvReclaimed, "indexer", tid, func(p *Payment, look lookupFunc) (step, error) {
		was := "the buyer reclaimed the escrow while the payment was " + string(p.State)
		if p.State == Disputed {
			was += " (from " + string(p.DisputedFrom) + ")"
		}
		st, err := payout(p, EvReclaimed, "", Reclaimed, nil, func() []ledger.Transfer {
			return []ledger.Transfer{{ID: tid, DebitAccountID: chart.Escrow(p.Ledger), CreditAccountID: chart.PaymentOutside(p.ID),
				Amount: p.Received, Code: chart.CodeReclaim, PaymentRef: p.ID.String()}}
		})
		st.reason = was
		return st, err
	})
}

// ReleaseFailed records that the submitted release will not happen: its transaction reverted (a
// freeze or a reclaim mined first, an expired approval) or its intent was rejected after the
// payment moved to releasing. The reservation is voided and the payment is back in escrow (or,
// disputed meanwhile, the dispute now holds it in escrow); a new release or refund can be asked
// for. The worker's Follow calls it; reason says why (the intent's).
func (s *Service) ReleaseFailed(ctx context.Context, id ledger.ID, reason string) (*Payment, error) {
	return s.one(ctx, payoutFailed(id, EvReleaseFailed, Releasing, reason))
}

// RefundFailed is ReleaseFailed for a refund.
func (s *Service) RefundFailed(ctx context.Context, id ledger.ID, reason string) (*Payment, error) {
	return s.one(ctx, payoutFailed(id, EvRefundFailed, Refunding, reason))
}

func payoutFailed(id ledger.ID, ev Event, reserved State, reason string) change {
	first := func(p *Payment) ledger.ID {
		if reserved == Releasing {
			return voidID(releaseID(p))
		}
		return voidID(refundID(p))
	}
	return change{id: id, ev: ev, actor: "worker", doneFor: first, decide: func(p *Payment, look lookupFunc) (step, error) {
		if p.holding() != reserved {
			return step{}, fmt.Errorf("%w: %s, but the payment holds no such payout (%s from %s)", ErrIllegalTransition, ev, p.State, p.DisputedFrom)
		}
		st := step{to: InEscrow, transfers: voidReservation(p), reason: reason}
		p.PayoutAttempt++
		if p.State == Disputed {
			p.DisputedFrom, st.to = InEscrow, Disputed
		}
		return st, nil
	}}
}

// Frozen records that the arbiter froze the escrow on chain: the payment is disputed (if it was
// not already, a dispute opened on chain). A payout submitted before then reverts unless it
// resolves the dispute. A payment whose dispute was already resolved into a split
// (settle_pending, settling) stays where it is, the freeze recorded on its timeline: that freeze
// is the dispute's own, final after its resolution, and the settle resolves it on chain.
func (s *Service) Frozen(ctx context.Context, id ledger.ID) (*Payment, error) {
	return s.transition(ctx, id, EvFrozen, "indexer", ledger.ID{}, func(p *Payment, look lookupFunc) (step, error) {
		if !escrowOpen(p) {
			return step{}, fmt.Errorf("%w: frozen, but the escrow does not hold the payment (%s)", ErrIllegalTransition, p.holding())
		}
		if p.State == SettlePending || p.State == Settling {
			return step{to: p.State, reason: "the escrow was frozen on chain; the dispute is already resolved into a split, which a settle pays out frozen"}, nil
		}
		if p.State != Disputed {
			p.DisputedFrom = p.State
		}
		return step{to: Disputed, reason: "the escrow was frozen on chain"}, nil
	})
}

// escrowDisputeStates are the states in which a dispute asks for the escrow to be frozen on chain
// (the money is there or on its way), and a resumed one for it to be unfrozen.
var escrowDisputeStates = []State{Sweeping, InEscrow, ReleasePending, RefundPending}

// Dispute freezes a payment: no release or refund until the dispute is resolved. When the money
// is in escrow (or being swept there) it also asks, in the same transaction, for the escrow to be
// frozen on chain (FreezeArgs).
func (s *Service) Dispute(ctx context.Context, id ledger.ID, actor, reason string) (*Payment, error) {
	return s.one(ctx, dispute(id, actor, reason))
}

// DisputeTx is Dispute inside the caller's transaction, as WithdrawTx is Withdraw: the dispute
// case, the request's status and the payment's freeze commit or roll back together.
func (s *Service) DisputeTx(ctx context.Context, tx pgx.Tx, id ledger.ID, actor, reason string) (*Payment, error) {
	return s.oneIn(ctx, tx, dispute(id, actor, reason))
}

func dispute(id ledger.ID, actor, reason string) change {
	return change{id: id, ev: EvDispute, actor: actor, decide: func(p *Payment, look lookupFunc) (step, error) {
		p.DisputedFrom = p.State
		st := step{to: Disputed, reason: reason}
		if contains(escrowDisputeStates, p.State) {
			st.jobs = []river.JobArgs{FreezeArgs{PaymentID: p.ID.String()}}
		}
		return st, nil
	}}
}

// oneIn runs one change in the caller's transaction tx.
func (s *Service) oneIn(ctx context.Context, tx pgx.Tx, c change) (*Payment, error) {
	res, err := s.applyIn(ctx, tx, []change{c}, nil)
	if err == nil {
		err = res[0].Err
	}
	if err != nil {
		return nil, fmt.Errorf("payment %s: %s: %w", c.id, c.ev, err)
	}
	return res[0].Payment, nil
}

// Outcome is how a dispute ends.
type Outcome string

// Outcomes of a dispute.
const (
	OutcomeRelease Outcome = "release" // the seller gets the money
	OutcomeRefund  Outcome = "refund"  // the buyer gets it back
	OutcomeResume  Outcome = "resume"  // nothing decided about the money: back where it was
)

// Resolve ends a dispute. Release and refund need the money in escrow.
func (s *Service) Resolve(ctx context.Context, id ledger.ID, o Outcome, actor, reason string) (*Payment, error) {
	return s.one(ctx, resolve(id, o, actor, reason))
}

// ResolveTx is Resolve inside the caller's transaction: the dispute case's resolution and the
// payment's commit or roll back together.
func (s *Service) ResolveTx(ctx context.Context, tx pgx.Tx, id ledger.ID, o Outcome, actor, reason string) (*Payment, error) {
	return s.oneIn(ctx, tx, resolve(id, o, actor, reason))
}

func resolve(id ledger.ID, o Outcome, actor, reason string) change {
	return change{id: id, ev: EvResolve, actor: actor, decide: func(p *Payment, look lookupFunc) (step, error) {
		inEscrow := contains(escrowSplittable, p.DisputedFrom)
		var to State
		var jobs []river.JobArgs
		switch {
		case o == OutcomeResume:
			to = p.DisputedFrom
			// Dispute asked for a freeze from these states: the escrow may be frozen on chain,
			// where ordinary approvals cannot pay it out. Resuming lifts it.
			if contains(escrowDisputeStates, p.DisputedFrom) {
				jobs = []river.JobArgs{UnfreezeArgs{PaymentID: p.ID.String()}}
			}
			// A decided split resumed: its settle intent was (or will be) rejected while the
			// payment was disputed, so a new one is asked for with it.
			if p.DisputedFrom == SettlePending {
				jobs = []river.JobArgs{SettleArgs{PaymentID: p.ID.String()}}
			}
		case o == OutcomeRelease && inEscrow:
			if new(big.Int).Add(p.Received, p.Tolerance).Cmp(p.Amount) < 0 {
				return step{}, fmt.Errorf("%w: received %s of %s", ErrNotFullyPaid, p.Received, p.Amount)
			}
			to = ReleasePending
		case o == OutcomeRefund && inEscrow:
			to = RefundPending
		case o == OutcomeRelease || o == OutcomeRefund:
			return step{}, fmt.Errorf("%w: %s needs the money in escrow with no payout on its way; it was %s", ErrIllegalTransition, o, p.DisputedFrom)
		default:
			return step{}, fmt.Errorf("%w: unknown outcome %q", ErrInvalid, o)
		}
		p.DisputedFrom = ""
		return step{to: to, reason: string(o) + ": " + reason, jobs: jobs}, nil
	}}
}

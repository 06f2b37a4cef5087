package payment

import (
	"context"
	"fmt"
	"math/big"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/riverqueue/river"

	"github.com/amanat/amn/chart"
	"github.com/amanat/amn/db"
	"github.com/amanat/amn/ledger"
)

// A dispute may end in an exact split of the escrow (issue #19, "compensation"): the buyer gets
// an amount back, the seller the rest, less the platform's commission by the rule below. The
// escrow pays all three parts in one AmnEscrow.settle that the custodians approve like a release.
//
// The commission rule (docs/signer.md, "Split payouts"): the buyer's part carries no fee; the
// platform's commission is taken pro rata from the seller's part, rounded down:
//
//	fee    = floor(commission × (received − buyer) / received)
//	seller = received − buyer − fee
//
// so a split that gives the seller everything charges the full commission (a release), one that
// gives the buyer everything charges none (a refund), and the three parts always add up to what
// the escrow holds, to the base unit. Rounding favours the seller: the fee never exceeds its
// share of the commission.

// Split is how a settled dispute divides the escrow, in base units: Buyer + Seller + Fee equals
// what the payment received (and the escrow holds).
type Split struct {
	Buyer  *big.Int
	Seller *big.Int
	Fee    *big.Int
}

// SplitOf applies the commission rule to an escrow of received with the payment's commission,
// of which buyer goes back to the buyer. buyer must be more than 0 and less than received (all to
// one side is a refund or a release, not a split), and the commission at most received.
func SplitOf(received, commission, buyer *big.Int) (Split, error) {
	switch {
	case received == nil || received.Sign() <= 0:
		return Split{}, fmt.Errorf("%w: a split needs money in escrow", ErrInvalid)
	case commission == nil || commission.Sign() < 0 || commission.Cmp(received) > 0:
		return Split{}, fmt.Errorf("%w: commission %v is not between 0 and the %s received", ErrInvalid, commission, received)
	case buyer == nil || buyer.Sign() <= 0 || buyer.Cmp(received) >= 0:
		return Split{}, fmt.Errorf("%w: the buyer's part %v must be more than 0 and less than the %s received (all to one side is a refund or a release)",
			ErrInvalid, buyer, received)
	}
	gross := new(big.Int).Sub(received, buyer)
	fee := new(big.Int).Mul(commission, gross)
	fee.Quo(fee, received) // both non-negative: Quo is floor
	return Split{Buyer: new(big.Int).Set(buyer), Seller: gross.Sub(gross, fee), Fee: fee}, nil
}

// Split is the payment's decided split (SplitBuyerAmount), by SplitOf.
func (p *Payment) Split() (Split, error) {
	if p.SplitBuyerAmount == nil {
		return Split{}, fmt.Errorf("%w: payment %s has no split decided", ErrInvalid, p.ID)
	}
	return SplitOf(p.Received, p.Commission, p.SplitBuyerAmount)
}

// SettleArgs asks for a settle intent of a payment whose dispute was resolved into a split: the
// worker records it for the custodians to approve (intent.SettleWorker). ResolveSplit enqueues it
// in the transaction that moves the payment to settle_pending, so no decided split goes without
// its intent.
type SettleArgs struct {
	PaymentID string `json:"payment_id" river:"unique"`
}

// Kind is the job's stable name.
func (SettleArgs) Kind() string { return "payment_settle" }

// InsertOpts keep one waiting settle job per payment, in the signer's queue.
func (SettleArgs) InsertOpts() river.InsertOpts { return FreezeArgs{}.InsertOpts() }

// AskSettle asks again for the settle intents of payments waiting in settle_pending with none
// open (SettleArgs, outside any transition): the intent of a decided split was rejected before
// the signer signed it (its approvals expired, a limit, a revert at estimation), and nothing else
// would ask for another. A job already waiting for a payment is kept (River's uniqueness); the
// worker records nothing for a payment no longer settle_pending. The worker's Follow calls it.
func (s *Service) AskSettle(ctx context.Context, ids ...ledger.ID) error {
	if len(ids) == 0 {
		return nil
	}
	params := make([]river.InsertManyParams, len(ids))
	for i, id := range ids {
		params[i] = river.InsertManyParams{Args: SettleArgs{PaymentID: id.String()}}
	}
	if _, err := s.jobs.InsertMany(ctx, params); err != nil {
		return fmt.Errorf("payment: asking for settle intents: %w", err)
	}
	return nil
}

// escrowSplittable are the states a dispute may be resolved into a split from (where it froze the
// payment): the money in escrow and no payout on its way.
var escrowSplittable = []State{InEscrow, ReleasePending, RefundPending, SettlePending}

// ResolveSplit ends a dispute with an exact split: buyerAmount to the buyer, the rest (less the fee by the rule) to the seller.
//
// The payment must be disputed with its money in escrow and no payout on its way, and buyerAmount
// more than 0 and less than what it received (ErrInvalid otherwise; all to one side is Resolve
// with OutcomeRefund or OutcomeRelease). It moves to settle_pending with the split recorded and,
// in the same transaction, asks for the settle intent (SettleArgs); custodians then approve the
// exact parts. Asking again for the same split of a payment already settle_pending returns it.
func (s *Service) ResolveSplit(ctx context.Context, id ledger.ID, buyerAmount *big.Int, actor, reason string) (*Payment, error) {
	if buyerAmount == nil || buyerAmount.Sign() <= 0 {
		return nil, fmt.Errorf("payment %s: %s: %w: the buyer's part must be positive", id, EvResolveSplit, ErrInvalid)
	}
	buyer := new(big.Int).Set(buyerAmount) // the caller's value may change; the decision keeps its own
	// The same decision asked again (a retry) is answered with the payment. (The exploration's
	// in-memory applier has no database to read: it asks the state machine only.)
	if s.applier == nil {
		if p, err := s.Get(ctx, id); err == nil && p.State == SettlePending && sameAmount(p.SplitBuyerAmount, buyer) {
			return p, nil
		}
	}
	return s.one(ctx, resolveSplit(id, buyer, actor, reason))
}

// ResolveSplitTx is ResolveSplit inside the caller's transaction (like ResolveTx): the dispute
// case's resolution, the split and its settle job commit or roll back together.
func (s *Service) ResolveSplitTx(ctx context.Context, tx pgx.Tx, id ledger.ID, buyerAmount *big.Int, actor, reason string) (*Payment, error) {
	if buyerAmount == nil || buyerAmount.Sign() <= 0 {
		return nil, fmt.Errorf("payment %s: %s: %w: the buyer's part must be positive", id, EvResolveSplit, ErrInvalid)
	}
	return s.oneIn(ctx, tx, resolveSplit(id, new(big.Int).Set(buyerAmount), actor, reason))
}

func resolveSplit(id ledger.ID, buyer *big.Int, actor, reason string) change {
	return change{id: id, ev: EvResolveSplit, actor: actor, decide: func(p *Payment, look lookupFunc) (step, error) {
		if !contains(escrowSplittable, p.DisputedFrom) {
			return step{}, fmt.Errorf("%w: a split needs the money in escrow with no payout on its way; it was %s", ErrIllegalTransition, p.DisputedFrom)
		}
		split, err := SplitOf(p.Received, p.Commission, buyer)
		if err != nil {
			return step{}, err
		}
		p.DisputedFrom, p.SplitBuyerAmount = "", buyer
		return step{to: SettlePending, jobs: []river.JobArgs{SettleArgs{PaymentID: p.ID.String()}},
			reason: fmt.Sprintf("split: %s to the buyer, %s to the seller, %s fee: %s", split.Buyer, split.Seller, split.Fee, reason)}, nil
	}}
}

// Ids of the settle reservations StartSettle makes, per payout attempt like a release's.
func settleBuyerID(p *Payment) ledger.ID  { return payoutID("payment/settle-buyer", p) }
func settleSellerID(p *Payment) ledger.ID { return payoutID("payment/settle-seller", p) }
func settleFeeID(p *Payment) ledger.ID    { return payoutID("payment/settle-fee", p) }

// SettleReservation is the id of the buyer's part reserved by the payment's current settle
// attempt (the signer checks the books before it signs a settle).
func (p *Payment) SettleReservation() ledger.ID { return settleBuyerID(p) }

// settleTransfers are the three parts of a split out of escrow: the buyer's back outside (as a
// refund is), the seller's outside (as a release is) and the fee to the platform (as a
// commission is); a part of zero is left out. flags is Pending for a reservation, 0 for a payout
// booked as it happened.
func settleTransfers(p *Payment, sp Split, ids [3]ledger.ID, flags ledger.TransferFlags) []ledger.Transfer {
	parts := []struct {
		amount *big.Int
		to     ledger.ID
		code   uint16
	}{
		{sp.Buyer, chart.PaymentOutside(p.ID), chart.CodeRefund},
		{sp.Seller, chart.PaymentOutside(p.ID), chart.CodeRelease},
		{sp.Fee, chart.PlatformFees(p.Ledger), chart.CodeCommission},
	}
	var ts []ledger.Transfer
	for i, part := range parts {
		if part.amount.Sign() == 0 {
			continue
		}
		ts = append(ts, ledger.Transfer{ID: ids[i], DebitAccountID: chart.Escrow(p.Ledger), CreditAccountID: part.to,
			Amount: part.amount, Code: part.code, Flags: flags, PaymentRef: p.ID.String()})
	}
	return ts
}

// StartSettle records that the signer submitted the settle: the three parts are reserved out of
// escrow (pending), all or nothing.
func (s *Service) StartSettle(ctx context.Context, id ledger.ID) (*Payment, error) {
	return s.one(ctx, change{id: id, ev: EvStartSettle, actor: "worker", doneFor: settleBuyerID, decide: func(p *Payment, look lookupFunc) (step, error) {
		sp, err := p.Split()
		if err != nil {
			return step{}, err
		}
		ids := [3]ledger.ID{settleBuyerID(p), settleSellerID(p), settleFeeID(p)}
		return step{to: Settling, transfers: settleTransfers(p, sp, ids, ledger.Pending)}, nil
	}})
}

// EscrowSettled is AmnEscrow's Settled event of a payment's escrow, as the indexer hands it over
// once final.
type EscrowSettled struct {
	BuyerAmount, SellerAmount, FeeAmount *big.Int
}

// Settled records that the settle is final on chain: the reservations are posted (or, if the
// payment had not moved to settling, the split is booked as the event made it and any other
// reservation voided). The event's parts must add up to what the payment received
// (ErrEscrowMismatch otherwise; nothing is written).
func (s *Service) Settled(ctx context.Context, id ledger.ID, ev EscrowSettled) (*Payment, error) {
	posts := [3]ledger.ID{ledger.DeriveID("payment/settled-buyer\x00" + id.String()),
		ledger.DeriveID("payment/settled-seller\x00" + id.String()), ledger.DeriveID("payment/settled-fee\x00" + id.String())}
	sp := Split{Buyer: orZero(ev.BuyerAmount), Seller: orZero(ev.SellerAmount), Fee: orZero(ev.FeeAmount)}
	// The buyer's part is never zero in a split ResolveSplit decided; a settle made without one
	// may pay the buyer nothing, and the first transfer written is then the seller's.
	done := func(p *Payment) ledger.ID {
		if sp.Buyer.Sign() == 0 {
			return posts[1]
		}
		return posts[0]
	}
	// The reservations of the payment's current attempt are read with it (an attempt that moved
	// on meanwhile finds none: the chain's split is then booked as made, any reservation voided).
	var needs []ledger.ID
	if s.applier == nil {
		if pre, err := s.Get(ctx, id); err == nil {
			needs = []ledger.ID{settleBuyerID(pre), settleSellerID(pre), settleFeeID(pre)}
		}
	}
	return s.one(ctx, change{id: id, ev: EvSettled, actor: "indexer", doneFor: done, needs: needs, decide: func(p *Payment, look lookupFunc) (step, error) {
		total := new(big.Int).Add(sp.Buyer, sp.Seller)
		total.Add(total, sp.Fee)
		if sp.Buyer.Sign() < 0 || sp.Seller.Sign() < 0 || sp.Fee.Sign() < 0 || total.Cmp(p.Received) != 0 {
			return step{}, fmt.Errorf("%w: settled %s + %s + %s, the payment received %s", ErrEscrowMismatch, sp.Buyer, sp.Seller, sp.Fee, p.Received)
		}
		// The reservations are posted only when they are this very split — the amounts the ledger
		// reserved, not the payment's column; a settle reserved for other parts (an older
		// approval the chain took instead) is voided and the split booked as the chain made it.
		reserved := State("")
		if held, ok := reservedSplit(p, look); ok && p.holding() == Settling && sameSplit(held, sp) {
			reserved = Settling
		}
		st, err := payout(p, EvSettled, reserved, Settled, func() []ledger.Transfer {
			ts := settleTransfers(p, sp, [3]ledger.ID{settleBuyerID(p), settleSellerID(p), settleFeeID(p)}, 0)
			for i := range ts {
				ts[i] = ledger.Transfer{ID: postOf(ts[i].ID, p, posts), PendingID: ts[i].ID, Flags: ledger.PostPending, PaymentRef: p.ID.String()}
			}
			return ts
		}, func() []ledger.Transfer {
			return settleTransfers(p, sp, posts, 0)
		})
		if err != nil {
			return step{}, err
		}
		if reserved == "" && p.holding() == Settling {
			st.reason = fmt.Sprintf("settled on chain as %s + %s + %s, not the split reserved", sp.Buyer, sp.Seller, sp.Fee)
		}
		// The split as the chain made it; a buyer's part of 0 too (a settled payment may record
		// it, migration 00060).
		p.SplitBuyerAmount = sp.Buyer
		return st, nil
	}})
}

// reservedSplit is the split the payment's current settle attempt reserved in the ledger (a part
// never reserved is 0); ok is false when it reserved nothing that look finds.
func reservedSplit(p *Payment, look lookupFunc) (Split, bool) {
	parts := [3]*big.Int{}
	ok := false
	for i, id := range [3]ledger.ID{settleBuyerID(p), settleSellerID(p), settleFeeID(p)} {
		parts[i] = new(big.Int)
		if t, found := look(id); found && t.Flags&ledger.Pending != 0 && t.Amount != nil {
			parts[i].Set(t.Amount)
			ok = true
		}
	}
	return Split{Buyer: parts[0], Seller: parts[1], Fee: parts[2]}, ok
}

// postOf maps a settle reservation id to the id of the transfer that posts it.
func postOf(reservation ledger.ID, p *Payment, posts [3]ledger.ID) ledger.ID {
	switch reservation {
	case settleBuyerID(p):
		return posts[0]
	case settleSellerID(p):
		return posts[1]
	}
	return posts[2]
}

func sameSplit(a, b Split) bool {
	return a.Buyer.Cmp(b.Buyer) == 0 && a.Seller.Cmp(b.Seller) == 0 && a.Fee.Cmp(b.Fee) == 0
}

// voidSettle voids the three reservations of the payment's current settle attempt (those that
// exist: a part of zero was never reserved).
func voidSettle(p *Payment) []ledger.Transfer {
	sp, err := p.Split()
	if err != nil {
		return nil
	}
	var ts []ledger.Transfer
	for _, r := range settleTransfers(p, sp, [3]ledger.ID{settleBuyerID(p), settleSellerID(p), settleFeeID(p)}, ledger.Pending) {
		ts = append(ts, ledger.Transfer{ID: voidID(r.ID), PendingID: r.ID, Flags: ledger.VoidPending, PaymentRef: p.ID.String()})
	}
	return ts
}

// SettleFailed records that the submitted settle will not happen: its transaction reverted or its
// intent was rejected after the payment moved to settling. The reservations are voided and the
// payment is back to settle_pending, its split kept, and, in the same transaction, asks for a new
// settle intent (SettleArgs) for the custodians to approve under new transfer ids. (Disputed from
// settling meanwhile, it stays disputed, now from settle_pending.) A split that should not be paid
// at all is disputed again and resolved anew. The worker's Follow calls it; reason says why.
func (s *Service) SettleFailed(ctx context.Context, id ledger.ID, reason string) (*Payment, error) {
	first := func(p *Payment) ledger.ID { return voidID(settleBuyerID(p)) }
	return s.one(ctx, change{id: id, ev: EvSettleFailed, actor: "worker", doneFor: first, decide: func(p *Payment, look lookupFunc) (step, error) {
		if p.holding() != Settling {
			return step{}, fmt.Errorf("%w: %s, but the payment holds no settle (%s from %s)", ErrIllegalTransition, EvSettleFailed, p.State, p.DisputedFrom)
		}
		st := step{to: SettlePending, transfers: voidSettle(p), reason: reason,
			jobs: []river.JobArgs{SettleArgs{PaymentID: p.ID.String()}}}
		p.PayoutAttempt++
		if p.State == Disputed {
			p.DisputedFrom, st.to = SettlePending, Disputed
		}
		return st, nil
	}})
}

func sameAmount(a, b *big.Int) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return a.Cmp(b) == 0
}

// nullAmount scans a nullable NUMERIC(78,0): NULL is nil.
type nullAmount struct{ V *big.Int }

// ScanNumeric implements pgtype.NumericScanner.
func (a *nullAmount) ScanNumeric(n pgtype.Numeric) error {
	if !n.Valid {
		a.V = nil
		return nil
	}
	v, err := db.BigFromNumeric(n)
	a.V = v
	return err
}

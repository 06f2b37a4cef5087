package intent

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/google/uuid"
	"github.com/riverqueue/river"

	"github.com/amanat/amn/ledger"
	"github.com/amanat/amn/payment"
)

// SettleOptions describe a settle request (the split itself is the payment's: ResolveSplit
// decided it).
type SettleOptions struct {
	Actor    string         // who asks (the worker, for the dispute's resolution)
	Contract common.Address // the chain's AmnEscrow
	// FeeRecipient receives the platform's fee; zero means the payment's fee address.
	FeeRecipient common.Address
	// TTL is how long approvals stay valid; zero means DefaultTTL, more than MaxTTL is refused.
	TTL time.Duration
}

// RequestSettle records the settle intent of a payment whose dispute was resolved into a split
// (payment.ResolveSplit: settle_pending), awaiting the custodians' approvals: the buyer's part to
// the buyer's proven refund wallet, the seller's to the seller's signed payout address and the fee
// to the fee recipient, exactly as payment.SplitOf makes them, approved as a dispute's resolution
// (it also works on the frozen escrow). Asking again returns the open intent (created false). An
// open settle intent of another split (the dispute was resolved anew) is refused with
// ErrNotAllowed until the signer has rejected it.
func (s *Store) RequestSettle(ctx context.Context, paymentID ledger.ID, o SettleOptions) (*Intent, bool, error) {
	if o.Contract == (common.Address{}) {
		return nil, false, ErrNoEscrow
	}
	if o.TTL == 0 {
		o.TTL = DefaultTTL
	}
	if o.TTL < 0 || o.TTL > MaxTTL {
		return nil, false, fmt.Errorf("%w: approvals valid for %s; at most %s", ErrNotAllowed, o.TTL, MaxTTL)
	}
	if o.Actor == "" {
		o.Actor = "worker:dispute"
	}
	p, err := s.payments.Get(ctx, paymentID)
	if err != nil {
		return nil, false, err
	}
	if p.State.Final() {
		return nil, false, fmt.Errorf("payment %s is %s: %w", paymentID, p.State, ErrAlreadyClosed)
	}
	if p.State != payment.SettlePending {
		return nil, false, fmt.Errorf("payment %s is %s (a settle needs settle_pending): %w", paymentID, p.State, ErrPaymentState)
	}
	if err := p.VerifyParties(); err != nil {
		return nil, false, fmt.Errorf("%w: %w", ErrNoBuyer, err)
	}
	split, err := p.Split()
	if err != nil {
		return nil, false, err
	}
	in := &Intent{ID: uuid.New(), Kind: Settle, PaymentID: p.ID, EscrowID: p.EscrowID(), ChainID: p.ChainID, Contract: o.Contract,
		Token: p.Token, Buyer: p.BuyerAddress, BuyerAmount: split.Buyer, Seller: p.SellerAddress, SellerAmount: split.Seller,
		FeeRecipient: o.FeeRecipient, FeeAmount: split.Fee, ResolvesDispute: true, Deadline: s.now().Add(o.TTL).Unix(),
		State: AwaitingApprovals, RequestedBy: o.Actor}
	if in.FeeRecipient == (common.Address{}) {
		in.FeeRecipient = p.FeeAddress
	}
	out, created, err := s.insert(ctx, in)
	if err != nil {
		return nil, false, err
	}
	if out.Kind != Settle || !sameParts(out, in) {
		return nil, false, fmt.Errorf("%w: payment %s has an open %s intent %s (%s) for other terms", ErrNotAllowed, paymentID, out.Kind, out.ID, out.State)
	}
	return out, created, nil
}

// sameParts reports whether two settle intents pay the same parties the same parts.
func sameParts(a, b *Intent) bool {
	eq := func(x, y *big.Int) bool { return x != nil && y != nil && x.Cmp(y) == 0 }
	return a.Buyer == b.Buyer && a.Seller == b.Seller && a.FeeRecipient == b.FeeRecipient && a.EscrowID == b.EscrowID &&
		eq(a.BuyerAmount, b.BuyerAmount) && eq(a.SellerAmount, b.SellerAmount) && eq(a.FeeAmount, b.FeeAmount)
}

// SettleWorker works payment_settle jobs (queue payment.SweepQueue, enqueued by
// payment.ResolveSplit in the transaction that decides the split): it records the settle intent
// for the custodians to approve. A payment no longer settle_pending when the job runs needs none;
// one whose older settle intent is still open waits for the signer to reject it.
type SettleWorker struct {
	river.WorkerDefaults[payment.SettleArgs]
	Intents *Store
	// Escrow gives each chain's AmnEscrow contract (the chain registry's Escrow field).
	Escrow func(chainID uint64) common.Address
	// FeeRecipient gives each chain's platform fee recipient; nil or zero: the payment's fee
	// address.
	FeeRecipient func(chainID uint64) common.Address
	Log          *slog.Logger
}

// Work records the intent; repeating it returns the open one.
func (w *SettleWorker) Work(ctx context.Context, job *river.Job[payment.SettleArgs]) error {
	p, contract, err := w.Intents.arbiterJob(ctx, "payment_settle", job.Args.PaymentID, w.Escrow, w.Log)
	if err != nil {
		return err
	}
	if p.State != payment.SettlePending {
		w.Log.Info("settle intent not needed: payment no longer settle_pending", "payment_id", p.ID.String(), "state", p.State)
		return nil
	}
	o := SettleOptions{Actor: "worker:dispute", Contract: contract}
	if w.FeeRecipient != nil {
		o.FeeRecipient = w.FeeRecipient(p.ChainID)
	}
	in, created, err := w.Intents.RequestSettle(ctx, p.ID, o)
	switch {
	case errors.Is(err, ErrNotAllowed):
		w.Log.Info("settle intent waits for the payment's open intent to close", "payment_id", p.ID.String(), "err", err)
		return river.JobSnooze(time.Minute)
	case errors.Is(err, ErrNoBuyer):
		w.Log.Warn("settle intent waits: the payment's parties are not proven", "payment_id", p.ID.String(), "err", err)
		return river.JobSnooze(10 * time.Minute)
	case err != nil:
		return err
	}
	if created {
		w.Log.Info("settle intent recorded", "payment_id", p.ID.String(), "intent_id", in.ID.String(),
			"buyer_amount", in.BuyerAmount.String(), "seller_amount", in.SellerAmount.String(), "fee_amount", in.FeeAmount.String())
	}
	return nil
}

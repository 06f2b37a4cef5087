package custody

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/google/uuid"

	"github.com/amanat/amn/escrow"
	"github.com/amanat/amn/intent"
	"github.com/amanat/amn/payment"
)

// Payout is one transfer an intent makes when it is executed.
type Payout struct {
	Role   string         `json:"role"` // seller, fee, buyer
	To     common.Address `json:"to"`
	Amount *big.Int       `json:"amount"`
}

// Pending is a release, refund or settle waiting for custodian approvals, with what it pays to whom
// (exactly the intent's fields: what the custodians sign).
type Pending struct {
	Intent    *intent.Intent   `json:"intent"`
	Payouts   []Payout         `json:"payouts"`
	Approvals []common.Address `json:"approved_by"`
	// From the payment, for display only: the token's symbol (from its ledger name) and decimals.
	Symbol   string `json:"symbol,omitempty"`
	Decimals *uint8 `json:"decimals,omitempty"`
}

// Payouts lists what in pays to whom. A settle (a dispute's split) lists every part, a part of
// zero included, in the order the contract pays them: the custodian sees the whole split.
func Payouts(in *intent.Intent) []Payout {
	switch in.Kind {
	case intent.Release:
		return []Payout{{"seller", in.Seller, in.SellerAmount}, {"fee", in.FeeRecipient, in.FeeAmount}}
	case intent.Refund:
		return []Payout{{"buyer", in.Buyer, in.Amount}}
	case intent.Settle:
		return []Payout{{"buyer", in.Buyer, in.BuyerAmount}, {"seller", in.Seller, in.SellerAmount}, {"fee", in.FeeRecipient, in.FeeAmount}}
	}
	return nil
}

// Format shows amount in the token's units when decimals are known, in base units otherwise.
func (p *Pending) Format(amount *big.Int) string {
	if amount == nil {
		return "?"
	}
	if p.Decimals == nil {
		return amount.String() + " (base units)"
	}
	s := payment.FormatUnits(amount, *p.Decimals)
	if p.Symbol != "" {
		s += " " + p.Symbol
	}
	return s
}

// Pending returns the release, refund and settle intents awaiting approvals, oldest first.
func (s *Service) Pending(ctx context.Context) ([]Pending, error) {
	ins, err := s.intents.List(ctx, intent.Filter{State: intent.AwaitingApprovals, Limit: 1000})
	if err != nil {
		return nil, fmt.Errorf("custody: pending intents: %w", err)
	}
	slices.Reverse(ins) // List is newest first
	out := make([]Pending, 0, len(ins))
	for _, in := range ins {
		if !in.Kind.Payout() {
			continue
		}
		p, err := s.describe(ctx, in)
		if err != nil {
			return nil, err
		}
		out = append(out, *p)
	}
	return out, nil
}

// Intent returns one intent with its payouts and approvals so far.
func (s *Service) Intent(ctx context.Context, id uuid.UUID) (*Pending, error) {
	in, err := s.intents.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	return s.describe(ctx, in)
}

func (s *Service) describe(ctx context.Context, in *intent.Intent) (*Pending, error) {
	p := &Pending{Intent: in, Payouts: Payouts(in)}
	as, err := s.intents.Approvals(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	for _, a := range as {
		p.Approvals = append(p.Approvals, a.Signer)
	}
	if !in.PaymentID.IsZero() {
		pay, err := s.payments.Get(ctx, in.PaymentID)
		switch {
		case err == nil:
			d := pay.Decimals
			p.Decimals = &d
			if _, sym, ok := strings.Cut(pay.Ledger, ":"); ok {
				p.Symbol = sym
			}
		case !errors.Is(err, payment.ErrNotFound):
			return nil, err
		}
	}
	return p, nil
}

// ApproveOptions say how an approval was made and what it must satisfy.
type ApproveOptions struct {
	// Hardware: the signature was made on a hardware wallet (the command knows what it talked
	// to). RequireHardware (AMN_CUSTODY_REQUIRE_HARDWARE) refuses anything else, and any
	// custodian not enrolled as hardware-held.
	Hardware        bool
	RequireHardware bool
	// OnChain, when read, is checked too: the signer must be in the contract's custodian set
	// (the contract is the authority; the signer checks it again anyway).
	OnChain *OnChain
	// EscrowFrozen is whether the intent's escrow is frozen on chain, when read (with OnChain);
	// an approval that resolves a dispute is refused without it.
	EscrowFrozen *bool
	// Margin: the deadline must be at least this far ahead (the signer needs a minute to land
	// the transaction). Zero means one minute.
	Margin time.Duration
}

// Check says whether approval a of the intent in would be accepted: the intent is open for
// approvals and its deadline ahead (CheckOpen); the signature recovers, under the contract's
// rules, to a.Signer for the intent's digest; the signer may approve (CheckSigner). A refusal
// wraps ErrRefused and says why.
func (s *Service) Check(ctx context.Context, in *intent.Intent, a escrow.Approval, o ApproveOptions) error {
	if err := s.CheckOpen(in, o); err != nil {
		return err
	}
	if err := s.checkDispute(ctx, in, o); err != nil {
		return err
	}
	if o.RequireHardware && !o.Hardware {
		return refused(ErrSoftwareKey, "approve on the custodian's Trezor")
	}
	digest, err := in.Digest()
	if err != nil {
		return refused(ErrNotApprovable, "%v", err)
	}
	signer, err := escrow.Verify(digest, a.Signature)
	if err != nil {
		return refused(ErrWrongSignature, "%v", err)
	}
	if signer != a.Signer {
		return refused(ErrWrongSignature, "for digest %s it recovers to %s, not %s: it was made for other terms", digest.Hex(), signer.Hex(), a.Signer.Hex())
	}
	return s.CheckSigner(ctx, in, signer, o)
}

// checkDispute refuses approvals a dispute would not stop. While the payment is disputed, or its
// escrow is seen frozen on chain, no ordinary approval is given (the resolution asks anew, with
// resolvesDispute): one given then would pay out once the freeze is lifted. An approval that
// resolves a dispute pays out even from a frozen escrow, so it is given only while the escrow is
// frozen on chain, seen by this custodian's own read (EscrowFrozen): given for an ordinary
// payout, it would also pay out past any dispute opened before its deadline.
func (s *Service) checkDispute(ctx context.Context, in *intent.Intent, o ApproveOptions) error {
	if !in.PaymentID.IsZero() {
		p, err := s.payments.Get(ctx, in.PaymentID)
		if err != nil {
			return err
		}
		if p.State == payment.Disputed {
			return refused(ErrNotApprovable, "payment %s is disputed: approvals wait for the dispute's resolution", p.ID)
		}
		if in.Kind == intent.Settle {
			if err := settleCurrent(in, p); err != nil {
				return err
			}
		}
	}
	frozen := o.EscrowFrozen != nil && *o.EscrowFrozen
	switch {
	case !in.ResolvesDispute && frozen:
		return refused(ErrNotApprovable, "the escrow is frozen on chain (a dispute): only an approval that resolves it is given")
	case in.ResolvesDispute && o.EscrowFrozen == nil:
		return refused(ErrNotApprovable, "this %s resolves a dispute: approve it with --rpc-url, so that its escrow is seen frozen on chain", in.Kind)
	case in.ResolvesDispute && !frozen:
		return refused(ErrNotApprovable, "this %s resolves a dispute, but its escrow is not frozen on chain: such an approval would pay out past any later freeze", in.Kind)
	}
	return nil
}

// settleCurrent refuses an approval of a stale settle: one of a split decided before the dispute
// was resolved anew, or of a payment no longer waiting for it. The payment must be
// settle_pending and the intent's three parts exactly its current split (payment.SplitOf of its
// split_buyer_amount).
func settleCurrent(in *intent.Intent, p *payment.Payment) error {
	if p.State != payment.SettlePending {
		return refused(ErrNotApprovable, "payment %s is %s: a settle is approved only while it is %s", p.ID, p.State, payment.SettlePending)
	}
	sp, err := p.Split()
	if err != nil {
		return refused(ErrNotApprovable, "%v", err)
	}
	eq := func(a, b *big.Int) bool { return a != nil && b != nil && a.Cmp(b) == 0 }
	if !eq(in.BuyerAmount, sp.Buyer) || !eq(in.SellerAmount, sp.Seller) || !eq(in.FeeAmount, sp.Fee) {
		return refused(ErrNotApprovable, "this settle pays %v + %v + %v; the payment's split is now %s to the buyer, %s to the seller, %s fee: it is stale",
			in.BuyerAmount, in.SellerAmount, in.FeeAmount, sp.Buyer, sp.Seller, sp.Fee)
	}
	return nil
}

// maxTTLSkew allows for clocks of the requester and the custodian's machine that differ a little.
const maxTTLSkew = 5 * time.Minute

// CheckOpen says whether in takes approvals now: a release, refund or settle, awaiting approvals,
// its deadline at least o.Margin ahead.
func (s *Service) CheckOpen(in *intent.Intent, o ApproveOptions) error {
	if !in.Kind.Payout() {
		return refused(ErrNotApprovable, "a %s intent takes no custodian approvals", in.Kind)
	}
	if in.State != intent.AwaitingApprovals && in.State != intent.Pending {
		reason := ""
		if in.Reason != "" {
			reason = " (" + in.Reason + ")"
		}
		return refused(ErrNotApprovable, "intent %s is %s%s", in.ID, in.State, reason)
	}
	margin := o.Margin
	if margin <= 0 {
		margin = time.Minute
	}
	dl := time.Unix(in.Deadline, 0)
	if !s.now().Add(margin).Before(dl) {
		return refused(ErrExpired, "the intent's approvals were valid until %s; ask for a new release or refund", dl.UTC().Format(time.RFC3339))
	}
	// An approval outlives a rejection of its intent (a dispute, a limit) until its deadline: a
	// custodian never signs one valid longer than intent.MaxTTL, whatever the row says. (The
	// signer relies on it: it lifts a freeze only once every approval given before it expired.)
	if limit := s.now().Add(intent.MaxTTL + maxTTLSkew); dl.After(limit) {
		return refused(ErrNotApprovable, "the intent's approvals would stay valid until %s, more than %s from now; ask for a new release or refund",
			dl.UTC().Format(time.RFC3339), intent.MaxTTL)
	}
	return nil
}

// CheckSigner says whether signer may approve in: an enrolled custodian (hardware-held, when
// o.RequireHardware), and a custodian of the intent's escrow on chain when o.OnChain is given.
func (s *Service) CheckSigner(ctx context.Context, in *intent.Intent, signer common.Address, o ApproveOptions) error {
	if o.RequireHardware && !o.Hardware {
		return refused(ErrSoftwareKey, "approve on the custodian's Trezor")
	}
	c, err := s.Custodian(ctx, signer)
	if errors.Is(err, ErrNotFound) {
		return refused(ErrNotFound, "%s has no enrolment; run `amn custody enroll` first", signer.Hex())
	} else if err != nil {
		return err
	}
	if o.RequireHardware && !c.Hardware {
		return refused(ErrNotHardware, "%s was enrolled with a software key; enrol it with `amn custody enroll --trezor`", signer.Hex())
	}
	if o.OnChain != nil {
		if o.OnChain.ChainID != in.ChainID || o.OnChain.Contract != in.Contract {
			return fmt.Errorf("custody: the custodian set read is of %s on chain %d, the intent's escrow is %s on chain %d",
				o.OnChain.Contract.Hex(), o.OnChain.ChainID, in.Contract.Hex(), in.ChainID)
		}
		if !o.OnChain.Has(signer) {
			return refused(ErrNotCustodian, "%s is not among the %d custodians of %s on chain %d", signer.Hex(), len(o.OnChain.Custodians), in.Contract.Hex(), in.ChainID)
		}
	}
	return nil
}

// Approve reads the intent again, checks the approval (Check) and stores it; the signer takes
// the intent once it has a quorum. A refusal wraps ErrRefused and stores nothing.
func (s *Service) Approve(ctx context.Context, intentID uuid.UUID, a escrow.Approval, o ApproveOptions) (*Pending, error) {
	in, err := s.intents.Get(ctx, intentID)
	if err != nil {
		return nil, err
	}
	if err := s.Check(ctx, in, a, o); err != nil {
		return nil, fmt.Errorf("custody: approval of intent %s by %s %w", intentID, a.Signer.Hex(), err)
	}
	if err := s.intents.AddApproval(ctx, intentID, a); err != nil {
		if errors.Is(err, intent.ErrClosed) || errors.Is(err, intent.ErrNotAllowed) {
			return nil, fmt.Errorf("custody: approval of intent %s by %s %w", intentID, a.Signer.Hex(), refused(ErrNotApprovable, "%v", err))
		}
		return nil, err
	}
	return s.describe(ctx, in)
}

package dispute

import (
	"context"
	"encoding/json"
	"fmt"
	"math/big"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/amanat/amn/db"
	"github.com/amanat/amn/market"
	"github.com/amanat/amn/payment"
)

// Mediation: an admin takes the case, asks for evidence, reviews it, and an outcome is proposed
// (by an admin, or by a party, which counts as that party's acceptance); the parties accept it;
// an admin resolves. One admin suffices only for an outcome both parties accepted on a case whose
// amount at stake is under Config.SecondAdminFrom; otherwise the resolution waits for a second
// admin's approval. Resolving carries the outcome out in the case's transaction (the payment's
// resolution, the deal's resume or replacement), except a compensation, which the payment splits
// first, and a ban, which the accounts record first (each safe to ask again).

// Assign gives case id to adminID (uuid.Nil: to the caller), an admin's step. Assigning another
// admin needs the accounts to say they are one.
func (s *Service) Assign(ctx context.Context, who Caller, id, adminID uuid.UUID) (*Case, error) {
	if adminID == uuid.Nil {
		adminID = who.UserID
	}
	if adminID != who.UserID {
		if s.accounts == nil {
			return nil, fmt.Errorf("%w: assigning another admin needs the accounts", ErrNotConfigured)
		}
		ok, err := s.accounts.IsAdmin(ctx, adminID)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, invalid("%s is not an admin", adminID)
		}
	}
	return s.step(ctx, who, id, func(tx pgx.Tx, c *Case, side Actor) error {
		if _, err := Next(c.Status, EvAssign, side); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, setAssigned, c.ID, adminID, s.clock()); err != nil {
			return err
		}
		body := map[string]any{"admin": adminID}
		if c.AssignedAdmin != nil {
			body["previous"] = *c.AssignedAdmin
		}
		_, err := s.move(ctx, tx, c, EvAssign, side, who.UserID, body)
		return err
	})
}

// RequestEvidence is an admin asking both sides for evidence: each has Config.AnswerHours, and a
// side that stays silent is written on the timeline when its deadline passes.
func (s *Service) RequestEvidence(ctx context.Context, who Caller, id uuid.UUID, note string) (*Case, error) {
	note, err := checkText("note", note, MaxNote, false)
	if err != nil {
		return nil, err
	}
	return s.step(ctx, who, id, func(tx pgx.Tx, c *Case, side Actor) error {
		now := s.clock()
		due := now.Add(time.Duration(s.cfg.AnswerHours) * s.cfg.Hour)
		if _, err := s.move(ctx, tx, c, EvRequestEvidence, side, who.UserID, map[string]any{"note": note, "due": due}); err != nil {
			return err
		}
		return s.scheduleAnswers(ctx, tx, c.ID, now, due, ActorBuyer, ActorSeller)
	})
}

// Review is an admin moving the case to review.
func (s *Service) Review(ctx context.Context, who Caller, id uuid.UUID) (*Case, error) {
	return s.step(ctx, who, id, func(tx pgx.Tx, c *Case, side Actor) error {
		_, err := s.move(ctx, tx, c, EvReview, side, who.UserID, nil)
		return err
	})
}

// checkResolution validates r for case c (an outcome it can have, the amount of a compensation
// strictly between nothing and everything at stake, a replacement's days) and returns it clean.
func checkResolution(c *Case, r Resolution) (Resolution, error) {
	if !slices.Contains(Outcomes, r.Outcome) {
		return r, invalid("unknown outcome %q", r.Outcome)
	}
	note, err := checkText("note", r.Note, MaxNote, false)
	if err != nil {
		return r, err
	}
	out := Resolution{Outcome: r.Outcome, Note: note}
	switch r.Outcome {
	case OutcomeCompensation:
		n, ok := parseAmount(r.BuyerAmount)
		if !ok {
			return r, invalid("a compensation's buyerAmount is a decimal string of base units")
		}
		if n.Sign() <= 0 || n.Cmp(c.Amount) >= 0 {
			return r, invalid("a compensation gives the buyer more than nothing and less than the %s at stake (refund or release otherwise)", c.Amount)
		}
		out.BuyerAmount = n.String()
	case OutcomeReplacement:
		if r.ReplacementDays < 1 || r.ReplacementDays > 60 {
			return r, invalid("a replacement's delivery time is 1 to 60 days")
		}
		out.ReplacementDays = r.ReplacementDays
	default:
		if r.BuyerAmount != "" || r.ReplacementDays != 0 {
			return r, invalid("only a compensation has a buyerAmount and only a replacement replacementDays")
		}
	}
	return out, nil
}

func parseAmount(v string) (*big.Int, bool) {
	if v == "" || len(v) > 78 {
		return nil, false
	}
	for _, r := range v {
		if r < '0' || r > '9' {
			return nil, false
		}
	}
	return new(big.Int).SetString(v, 10)
}

// Propose makes r the case's live proposal (superseding any before it). A party may propose what
// the money and the deal do (not a warning or a ban), and its proposal counts as its own
// acceptance, never the other side's.
func (s *Service) Propose(ctx context.Context, who Caller, id uuid.UUID, r Resolution) (*Case, error) {
	return s.step(ctx, who, id, func(tx pgx.Tx, c *Case, side Actor) error {
		r, err := checkResolution(c, r)
		if err != nil {
			return err
		}
		if side != ActorAdmin && !slices.Contains(partyOutcomes, r.Outcome) {
			return ErrAdminsOnly
		}
		if _, err := Next(c.Status, EvPropose, side); err != nil {
			return err
		}
		now := s.clock()
		var buyerAt, sellerAt *time.Time
		switch side {
		case ActorBuyer:
			buyerAt = &now
		case ActorSeller:
			sellerAt = &now
		}
		if _, err := tx.Exec(ctx, supersede, c.ID, now); err != nil {
			return err
		}
		pid := uuid.New()
		var amount any
		if r.BuyerAmount != "" {
			n, _ := new(big.Int).SetString(r.BuyerAmount, 10)
			amount = db.Numeric(n)
		}
		var days any
		if r.ReplacementDays > 0 {
			days = r.ReplacementDays
		}
		if _, err := tx.Exec(ctx, insertProposal, pid, c.ID, string(r.Outcome), amount, days, r.Note, who.UserID, string(side),
			buyerAt, sellerAt, now); err != nil {
			return err
		}
		_, err = s.move(ctx, tx, c, EvPropose, side, who.UserID, map[string]any{"proposal": pid, "resolution": r})
		return err
	})
}

// Accept is a party accepting the live proposal proposalID. Accepting it twice is ErrAccepted; a
// proposal that is not the live one is ErrNoProposal.
func (s *Service) Accept(ctx context.Context, who Caller, id, proposalID uuid.UUID) (*Case, error) {
	return s.step(ctx, who, id, func(tx pgx.Tx, c *Case, side Actor) error {
		if _, err := Next(c.Status, EvAccept, side); err != nil {
			return err
		}
		p := c.Proposal
		if p == nil || p.ID != proposalID {
			return ErrNoProposal
		}
		stmt, already := acceptBuyer, p.BuyerAcceptedAt != nil
		if side == ActorSeller {
			stmt, already = acceptSeller, p.SellerAcceptedAt != nil
		}
		if already {
			return ErrAccepted
		}
		tag, err := tx.Exec(ctx, stmt, c.ID, p.ID, s.clock())
		if err != nil {
			return err
		}
		if tag.RowsAffected() != 1 {
			return ErrAccepted
		}
		both := (side == ActorBuyer && p.SellerAcceptedAt != nil) || (side == ActorSeller && p.BuyerAcceptedAt != nil)
		_, err = s.move(ctx, tx, c, EvAccept, side, who.UserID, map[string]any{"proposal": p.ID, "both": both})
		return err
	})
}

// needsSecondAdmin says whether resolving c with r needs a second admin: unless both parties
// accepted exactly r as the live proposal and what is at stake is under the threshold.
func (s *Service) needsSecondAdmin(c *Case, r Resolution) bool {
	threshold := new(big.Int).Mul(big.NewInt(s.cfg.SecondAdminFrom), new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(c.Decimals)), nil))
	p := c.Proposal
	agreed := p != nil && p.Accepted() && p.Outcome == r.Outcome && p.BuyerAmount == r.BuyerAmount &&
		p.ReplacementDays == r.ReplacementDays
	return !agreed || c.Amount.Cmp(threshold) >= 0
}

// Resolve is an admin resolving case id with r. When one admin suffices (needsSecondAdmin) it is
// carried out at once; otherwise it waits for Approve by another admin (asking again replaces
// what waits).
func (s *Service) Resolve(ctx context.Context, who Caller, id uuid.UUID, r Resolution) (*Case, error) {
	var carry bool
	c, err := s.step(ctx, who, id, func(tx pgx.Tx, c *Case, side Actor) error {
		r2, err := checkResolution(c, r)
		if err != nil {
			return err
		}
		r = r2
		if _, err := Next(c.Status, EvResolve, side); err != nil {
			return err
		}
		if !s.needsSecondAdmin(c, r) {
			carry = true
			return nil
		}
		b, err := json.Marshal(r)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, setPending, c.ID, b, who.UserID, s.clock()); err != nil {
			return err
		}
		_, err = s.move(ctx, tx, c, EvAskApproval, side, who.UserID, map[string]any{"resolution": r})
		return err
	})
	if err != nil || !carry {
		return c, err
	}
	return s.carryOut(ctx, who, id, r, false)
}

// Approve is a second admin approving the resolution that waits on case id: it is carried out.
func (s *Service) Approve(ctx context.Context, who Caller, id uuid.UUID) (*Case, error) {
	c, err := s.Get(ctx, who, id)
	if err != nil {
		return nil, err
	}
	if c.Pending == nil {
		return nil, ErrNoPending
	}
	return s.carryOut(ctx, who, id, *c.Pending, true)
}

// checkCarry checks, on case c locked for admin who, that r may be carried out now: a live case,
// and either the resolution one admin may carry out, or (approving) the one that waits, asked by
// another admin.
func (s *Service) checkCarry(c *Case, side Actor, who Caller, r Resolution, approving bool) error {
	if _, err := Next(c.Status, EvResolve, side); err != nil {
		return err
	}
	if !approving {
		if s.needsSecondAdmin(c, r) {
			return fmt.Errorf("%w: the case changed; ask again", ErrIllegalTransition)
		}
		return nil
	}
	switch {
	case c.Pending == nil || *c.Pending != r:
		return ErrNoPending
	case c.PendingBy != nil && *c.PendingBy == who.UserID:
		return ErrSameAdmin
	}
	return nil
}

// carryOut carries out r on case id (checkCarry's conditions hold under the case's lock): the
// payment's resolution and the deal's step in one transaction with the case's, then the payout
// intent is asked for. The parties are told in the case's transaction.
func (s *Service) carryOut(ctx context.Context, who Caller, id uuid.UUID, r Resolution, approving bool) (*Case, error) {
	if err := s.beforeCarry(ctx, who, id, r, approving); err != nil {
		return nil, err
	}
	actor := "dispute:" + id.String()
	var detail map[string]any
	c, err := s.step(ctx, who, id, func(tx pgx.Tx, c *Case, side Actor) error {
		if err := s.checkCarry(c, side, who, r, approving); err != nil {
			return err
		}
		var err error
		if detail, err = s.settleTx(ctx, tx, c, r, who, actor); err != nil {
			return err
		}
		detail["resolution"] = r
		if approving {
			detail["askedBy"], detail["approvedBy"] = c.PendingBy, who.UserID
		}
		outcome := string(r.Outcome)
		if _, err := tx.Exec(ctx, setResolved, c.ID, string(Resolved), outcome, s.clock()); err != nil {
			return err
		}
		if _, err = s.move(ctx, tx, c, EvResolve, side, who.UserID, detail); err != nil {
			return err
		}
		return s.tellEnded(ctx, tx, c, &r.Outcome)
	})
	if err != nil {
		return nil, err
	}
	s.afterCarry(ctx, c, r, actor)
	return c, nil
}

// beforeCarry does what cannot share the case's transaction, once the case is known to allow
// r: a compensation's split of the payment, a ban of the seller. Both are safe to ask again.
func (s *Service) beforeCarry(ctx context.Context, who Caller, id uuid.UUID, r Resolution, approving bool) error {
	if r.Outcome != OutcomeCompensation && r.Outcome != OutcomeBanSeller {
		return nil
	}
	var c *Case
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		var side Actor
		var err error
		if c, side, err = s.lock(ctx, tx, who, id); err != nil {
			return err
		}
		return s.checkCarry(c, side, who, r, approving)
	})
	if err != nil {
		return err
	}
	switch r.Outcome {
	case OutcomeCompensation:
		n, _ := new(big.Int).SetString(r.BuyerAmount, 10)
		_, err = s.payments.ResolveSplit(ctx, [16]byte(c.PaymentID), n, "dispute:"+id.String(), "compensation: "+r.Note)
		return err
	default:
		if s.accounts == nil {
			return fmt.Errorf("%w: banning needs the accounts", ErrNotConfigured)
		}
		// The ban comes with a refund: ban only when the refund can follow (the money in escrow).
		p, err := s.payments.Get(ctx, [16]byte(c.PaymentID))
		if err != nil {
			return err
		}
		if p.State != payment.Disputed || !slices.Contains(refundable, p.DisputedFrom) {
			return fmt.Errorf("%w: a ban refunds the buyer, which needs the money in escrow; the payment is %s (from %s)",
				ErrIllegalTransition, p.State, p.DisputedFrom)
		}
		return s.accounts.Ban(ctx, "dispute:"+id.String(), c.SellerID, "dispute "+id.String()+": "+orText(r.Note, "banned by a dispute's resolution"))
	}
}

// refundable are the states a dispute may find a payment in and still refund it (payment.Resolve).
var refundable = []payment.State{payment.InEscrow, payment.ReleasePending, payment.RefundPending}

func orText(s, alt string) string {
	if s == "" {
		return alt
	}
	return s
}

// settleTx carries out r's money and deal steps on locked case c in tx and says what it did.
func (s *Service) settleTx(ctx context.Context, tx pgx.Tx, c *Case, r Resolution, who Caller, actor string) (map[string]any, error) {
	pid := [16]byte(c.PaymentID)
	reason := string(r.Outcome)
	if r.Note != "" {
		reason += ": " + r.Note
	}
	detail := map[string]any{}
	var p *payment.Payment
	var err error
	switch r.Outcome {
	case OutcomeRefund, OutcomeBanSeller:
		p, err = s.payments.ResolveTx(ctx, tx, pid, payment.OutcomeRefund, actor, reason)
	case OutcomeRelease:
		p, err = s.payments.ResolveTx(ctx, tx, pid, payment.OutcomeRelease, actor, reason)
	case OutcomeCompensation:
		p, err = s.payments.Get(ctx, pid) // split before (beforeCarry)
	case OutcomeReplacement:
		if p, err = s.payments.ResolveTx(ctx, tx, pid, payment.OutcomeResume, actor, reason); err == nil {
			var due time.Time
			due, err = s.deals.ReplaceTx(ctx, tx, c.RequestID, who.UserID, r.ReplacementDays)
			detail["deliverBy"] = due
		}
	case OutcomeWarnSeller, OutcomeNoAction:
		if p, err = s.payments.ResolveTx(ctx, tx, pid, payment.OutcomeResume, actor, reason); err == nil {
			var st market.Status
			st, err = s.deals.ResumeTx(ctx, tx, c.RequestID, market.ActorAdmin, who.UserID)
			detail["dealResumedTo"] = st
		}
	}
	if err != nil {
		return nil, err
	}
	detail["paymentState"] = p.State
	return detail, nil
}

// afterCarry asks for the payout intent of a money outcome; the case is resolved whatever it
// answers (an admin can ask for the payout on the payment).
func (s *Service) afterCarry(ctx context.Context, c *Case, r Resolution, actor string) {
	if s.payouts != nil && (r.Outcome == OutcomeRefund || r.Outcome == OutcomeRelease || r.Outcome == OutcomeBanSeller) {
		refund := r.Outcome != OutcomeRelease
		if err := s.payouts.DisputePayout(ctx, c.PaymentID, refund, actor, "dispute "+c.ID.String()+": "+string(r.Outcome)); err != nil {
			s.log.Warn("dispute: asking for the payout intent", "case", c.ID, "payment_id", c.PaymentID, "err", err)
		}
	}
}

// Withdraw is the opener withdrawing case id: the payment and the deal resume where the dispute
// found them.
func (s *Service) Withdraw(ctx context.Context, who Caller, id uuid.UUID, note string) (*Case, error) {
	note, err := checkText("note", note, MaxNote, false)
	if err != nil {
		return nil, err
	}
	c, err := s.step(ctx, who, id, func(tx pgx.Tx, c *Case, side Actor) error {
		if _, err := Next(c.Status, EvWithdraw, side); err != nil {
			return err
		}
		if side != c.Opener {
			return ErrNotOpener
		}
		if _, err := s.payments.ResolveTx(ctx, tx, [16]byte(c.PaymentID), payment.OutcomeResume, "dispute:"+id.String(), "withdrawn"); err != nil {
			return err
		}
		st, err := s.deals.ResumeTx(ctx, tx, c.RequestID, market.Actor(side), who.UserID)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, setResolved, c.ID, string(Withdrawn), nil, s.clock()); err != nil {
			return err
		}
		if _, err = s.move(ctx, tx, c, EvWithdraw, side, who.UserID, map[string]any{"note": note, "dealResumedTo": st}); err != nil {
			return err
		}
		return s.tellEnded(ctx, tx, c, nil)
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

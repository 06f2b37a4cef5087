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
		e, err := s.move(ctx, tx, c, EvRequestEvidence, side, who.UserID, map[string]any{"note": note, "due": due})
		if err != nil {
			return err
		}
		return s.scheduleAnswers(ctx, tx, c.ID, e.Seq, now, due, ActorBuyer, ActorSeller)
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
		// A new proposal changes what a second admin would weigh: a resolution waiting for one
		// is withdrawn (an admin asks again if it still stands).
		body := map[string]any{}
		if c.Pending != nil {
			if _, err := tx.Exec(ctx, setPending, c.ID, nil, nil, now); err != nil {
				return err
			}
			body["pendingWithdrawn"] = c.PendingHash
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
		body["proposal"], body["resolution"] = pid, r
		if c.Status == Escalated && c.AssignedAdmin == nil && side != ActorAdmin {
			// The parties talking does not take the case: it stays escalated until an admin does.
			_, err = s.appendEntry(ctx, tx, c.ID, EvPropose, side, who.UserID, Escalated, body)
			return err
		}
		_, err = s.move(ctx, tx, c, EvPropose, side, who.UserID, body)
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
// carried out at once; otherwise it waits for another admin's approval (ApproveEntry). Asking
// again replaces what waits: an approval of the earlier one is refused (ErrStaleApproval).
func (s *Service) Resolve(ctx context.Context, who Caller, id uuid.UUID, r Resolution) (*Case, error) {
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
			return s.carryTx(ctx, tx, c, side, who, r, false)
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
	return c, err
}

// ApproveEntry is a second admin approving the resolution asked for by the timeline entry
// (approval_requested) whose hash is entryHash: the one the admin reviewed. It is carried out
// only if that is still the resolution that waits (a newer request, or a new proposal, makes it
// stale: ErrStaleApproval), asked by another admin (ErrSameAdmin).
func (s *Service) ApproveEntry(ctx context.Context, who Caller, id uuid.UUID, entryHash string) (*Case, error) {
	if !isHash(entryHash) {
		return nil, invalid("name the approval_requested entry you approve by its hash (64 hex digits)")
	}
	c, err := s.step(ctx, who, id, func(tx pgx.Tx, c *Case, side Actor) error {
		if _, err := Next(c.Status, EvResolve, side); err != nil {
			return err
		}
		switch {
		case c.Pending == nil:
			return ErrNoPending
		case c.PendingHash != entryHash:
			return ErrStaleApproval
		case c.PendingBy != nil && *c.PendingBy == who.UserID:
			return ErrSameAdmin
		}
		return s.carryTx(ctx, tx, c, side, who, *c.Pending, true)
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

func isHash(h string) bool {
	if len(h) != 64 {
		return false
	}
	for _, r := range h {
		if (r < '0' || r > '9') && (r < 'a' || r > 'f') {
			return false
		}
	}
	return true
}

// carryTx carries out r on locked case c in tx: the payment's resolution (a split for a
// compensation), the deal's step, a ban, the payout job and the case's resolved entry all
// commit or roll back together.
func (s *Service) carryTx(ctx context.Context, tx pgx.Tx, c *Case, side Actor, who Caller, r Resolution, approving bool) error {
	actor := "dispute:" + c.ID.String()
	detail, err := s.settleTx(ctx, tx, c, r, who, actor)
	if err != nil {
		return err
	}
	detail["resolution"] = r
	if approving {
		detail["askedBy"], detail["approvedBy"] = c.PendingBy, who.UserID
	}
	if _, err := tx.Exec(ctx, setResolved, c.ID, string(Resolved), string(r.Outcome), s.clock()); err != nil {
		return err
	}
	if _, err = s.move(ctx, tx, c, EvResolve, side, who.UserID, detail); err != nil {
		return err
	}
	return s.tellEnded(ctx, tx, c, &r.Outcome)
}

func orText(s, alt string) string {
	if s == "" {
		return alt
	}
	return s
}

// TxBanner is an Accounts that bans inside the caller's transaction (auth.Service.BanTx): a
// ban_seller resolution bans in the case's transaction. Without it a ban is refused.
type TxBanner interface {
	BanTx(ctx context.Context, tx pgx.Tx, actor string, user uuid.UUID, reason string) error
}

// settleTx carries out r's money, deal and account steps on locked case c in tx and says what it
// did. A refund or a release also queues the payout job (PayoutArgs), so the intent is asked for
// once the resolution commits, and again until it is.
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
	case OutcomeRefund:
		p, err = s.payments.ResolveTx(ctx, tx, pid, payment.OutcomeRefund, actor, reason)
	case OutcomeBanSeller:
		banner, ok := s.accounts.(TxBanner)
		if !ok {
			return nil, fmt.Errorf("%w: banning needs the accounts", ErrNotConfigured)
		}
		// The refund first: it refuses unless the money is in escrow, and then nobody is banned.
		if p, err = s.payments.ResolveTx(ctx, tx, pid, payment.OutcomeRefund, actor, reason); err != nil {
			return nil, err
		}
		err = banner.BanTx(ctx, tx, actor, c.SellerID, "dispute "+c.ID.String()+": "+orText(r.Note, "banned by a dispute's resolution"))
	case OutcomeRelease:
		p, err = s.payments.ResolveTx(ctx, tx, pid, payment.OutcomeRelease, actor, reason)
	case OutcomeCompensation:
		n, _ := new(big.Int).SetString(r.BuyerAmount, 10)
		p, err = s.payments.ResolveSplitTx(ctx, tx, pid, n, actor, "compensation: "+r.Note)
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
	if r.Outcome == OutcomeRefund || r.Outcome == OutcomeRelease || r.Outcome == OutcomeBanSeller {
		if _, err := s.jobs.InsertTx(ctx, tx, PayoutArgs{CaseID: c.ID, PaymentID: c.PaymentID, Refund: r.Outcome != OutcomeRelease}, nil); err != nil {
			return nil, err
		}
	}
	detail["paymentState"] = p.State
	return detail, nil
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

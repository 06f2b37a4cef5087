package api

import (
	"context"
	"encoding/base64"
	"time"

	"github.com/google/uuid"

	"github.com/amanat/amn/api/openapi"
	"github.com/amanat/amn/auth"
	"github.com/amanat/amn/dispute"
	"github.com/amanat/amn/kind"
)

// Disputes (docs/disputes.md): a party opens a case on a funded deal, both add evidence, an
// outcome is proposed and accepted, admins resolve. Each route translates to one call of package
// dispute; a case the caller is not a party of is 404.

var errNoDisputes = kind.New(kind.Unavailable, "disputes are not configured on this server")

// disputeCaller is the signed-in caller of a dispute route.
func (v *v1) disputeCaller(ctx context.Context) (dispute.Caller, error) {
	if v.disputes == nil {
		return dispute.Caller{}, errNoDisputes
	}
	p, err := principal(ctx)
	if err != nil {
		return dispute.Caller{}, err
	}
	return dispute.Caller{UserID: p.UserID, Admin: p.HasRole(auth.RoleAdmin)}, nil
}

// disputeCall runs one call of the disputes for the caller and answers the case.
func (v *v1) disputeCall(ctx context.Context, fn func(dispute.Caller) (*dispute.Case, error)) (openapi.Dispute, error) {
	who, err := v.disputeCaller(ctx)
	if err != nil {
		return openapi.Dispute{}, err
	}
	c, err := fn(who)
	if err != nil {
		return openapi.Dispute{}, err
	}
	return disputeBody(c), nil
}

func (v *v1) OpenDispute(ctx context.Context, req openapi.OpenDisputeRequestObject) (openapi.OpenDisputeResponseObject, error) {
	b, err := v.disputeCall(ctx, func(who dispute.Caller) (*dispute.Case, error) {
		return v.disputes.Open(ctx, who, dispute.OpenInput{RequestID: req.Body.RequestId, Reason: dispute.Reason(req.Body.Reason),
			Statement: req.Body.Statement})
	})
	if err != nil {
		return nil, err
	}
	return openapi.OpenDispute201JSONResponse(b), nil
}

func (v *v1) GetDispute(ctx context.Context, req openapi.GetDisputeRequestObject) (openapi.GetDisputeResponseObject, error) {
	b, err := v.disputeCall(ctx, func(who dispute.Caller) (*dispute.Case, error) { return v.disputes.Get(ctx, who, req.DisputeId) })
	if err != nil {
		return nil, err
	}
	return openapi.GetDispute200JSONResponse(b), nil
}

func (v *v1) ListMyDisputes(ctx context.Context, req openapi.ListMyDisputesRequestObject) (openapi.ListMyDisputesResponseObject, error) {
	page, err := v.disputePage(ctx, false, req.Params.Cursor, req.Params.Limit, req.Params.Status)
	if err != nil {
		return nil, err
	}
	return openapi.ListMyDisputes200JSONResponse(page), nil
}

func (v *v1) AdminListDisputes(ctx context.Context, req openapi.AdminListDisputesRequestObject) (openapi.AdminListDisputesResponseObject, error) {
	page, err := v.disputePage(ctx, true, req.Params.Cursor, req.Params.Limit, req.Params.Status)
	if err != nil {
		return nil, err
	}
	return openapi.AdminListDisputes200JSONResponse(page), nil
}

// disputePage is a page of the caller's cases (all of them for an admin's list).
func (v *v1) disputePage(ctx context.Context, all bool, cursor *string, limit *int, status *openapi.DisputeStatus) (openapi.DisputePage, error) {
	who, err := v.disputeCaller(ctx)
	if err != nil {
		return openapi.DisputePage{}, err
	}
	at, n, err := marketPage(cursor, limit)
	if err != nil {
		return openapi.DisputePage{}, err
	}
	var after *dispute.Cursor
	if at.ID != uuid.Nil {
		after = &dispute.Cursor{CreatedAt: at.At, ID: at.ID}
	}
	cs, err := v.disputes.List(ctx, who, all, dispute.Status(deref(status)), after, n+1)
	if err != nil {
		return openapi.DisputePage{}, err
	}
	cs, next := pageEnd(cs, n, func(c dispute.Case) (time.Time, uuid.UUID) { return c.CreatedAt, c.ID })
	out := openapi.DisputePage{Items: make([]openapi.Dispute, len(cs)), NextCursor: next}
	for i := range cs {
		out.Items[i] = disputeBody(&cs[i])
	}
	return out, nil
}

func (v *v1) AddDisputeEvidence(ctx context.Context, req openapi.AddDisputeEvidenceRequestObject) (openapi.AddDisputeEvidenceResponseObject, error) {
	b, err := v.disputeCall(ctx, func(who dispute.Caller) (*dispute.Case, error) {
		return v.disputes.AddEvidence(ctx, who, req.DisputeId, dispute.EvidenceInput{UploadID: req.Body.UploadId, Statement: deref(req.Body.Statement)})
	})
	if err != nil {
		return nil, err
	}
	return openapi.AddDisputeEvidence200JSONResponse(b), nil
}

// resolutionOf is a resolution as the contract gives it.
func resolutionOf(r openapi.DisputeResolution) dispute.Resolution {
	return dispute.Resolution{Outcome: dispute.Outcome(r.Outcome), BuyerAmount: deref(r.BuyerAmount), ReplacementDays: deref(r.ReplacementDays),
		Note: deref(r.Note)}
}

func (v *v1) ProposeDisputeOutcome(ctx context.Context, req openapi.ProposeDisputeOutcomeRequestObject) (openapi.ProposeDisputeOutcomeResponseObject, error) {
	b, err := v.disputeCall(ctx, func(who dispute.Caller) (*dispute.Case, error) {
		return v.disputes.Propose(ctx, who, req.DisputeId, resolutionOf(*req.Body))
	})
	if err != nil {
		return nil, err
	}
	return openapi.ProposeDisputeOutcome200JSONResponse(b), nil
}

func (v *v1) AcceptDisputeProposal(ctx context.Context, req openapi.AcceptDisputeProposalRequestObject) (openapi.AcceptDisputeProposalResponseObject, error) {
	b, err := v.disputeCall(ctx, func(who dispute.Caller) (*dispute.Case, error) {
		return v.disputes.Accept(ctx, who, req.DisputeId, req.ProposalId)
	})
	if err != nil {
		return nil, err
	}
	return openapi.AcceptDisputeProposal200JSONResponse(b), nil
}

func (v *v1) WithdrawDispute(ctx context.Context, req openapi.WithdrawDisputeRequestObject) (openapi.WithdrawDisputeResponseObject, error) {
	b, err := v.disputeCall(ctx, func(who dispute.Caller) (*dispute.Case, error) {
		var note string
		if req.Body != nil {
			note = deref(req.Body.Note)
		}
		return v.disputes.Withdraw(ctx, who, req.DisputeId, note)
	})
	if err != nil {
		return nil, err
	}
	return openapi.WithdrawDispute200JSONResponse(b), nil
}

func (v *v1) AdminAssignDispute(ctx context.Context, req openapi.AdminAssignDisputeRequestObject) (openapi.AdminAssignDisputeResponseObject, error) {
	b, err := v.disputeCall(ctx, func(who dispute.Caller) (*dispute.Case, error) {
		var to uuid.UUID
		if req.Body != nil {
			to = deref(req.Body.AdminId)
		}
		return v.disputes.Assign(ctx, who, req.DisputeId, to)
	})
	if err != nil {
		return nil, err
	}
	return openapi.AdminAssignDispute200JSONResponse(b), nil
}

func (v *v1) AdminRequestDisputeEvidence(ctx context.Context, req openapi.AdminRequestDisputeEvidenceRequestObject) (openapi.AdminRequestDisputeEvidenceResponseObject, error) {
	b, err := v.disputeCall(ctx, func(who dispute.Caller) (*dispute.Case, error) {
		var note string
		if req.Body != nil {
			note = deref(req.Body.Note)
		}
		return v.disputes.RequestEvidence(ctx, who, req.DisputeId, note)
	})
	if err != nil {
		return nil, err
	}
	return openapi.AdminRequestDisputeEvidence200JSONResponse(b), nil
}

func (v *v1) AdminResolveDispute(ctx context.Context, req openapi.AdminResolveDisputeRequestObject) (openapi.AdminResolveDisputeResponseObject, error) {
	b, err := v.disputeCall(ctx, func(who dispute.Caller) (*dispute.Case, error) {
		return v.disputes.Resolve(ctx, who, req.DisputeId, resolutionOf(*req.Body))
	})
	if err != nil {
		return nil, err
	}
	return openapi.AdminResolveDispute200JSONResponse(b), nil
}

func (v *v1) AdminApproveDispute(ctx context.Context, req openapi.AdminApproveDisputeRequestObject) (openapi.AdminApproveDisputeResponseObject, error) {
	if req.Body == nil {
		return nil, kind.New(kind.Invalid, "name the resolution you approve: approvalHash")
	}
	b, err := v.disputeCall(ctx, func(who dispute.Caller) (*dispute.Case, error) {
		return v.disputes.ApproveEntry(ctx, who, req.DisputeId, req.Body.ApprovalHash)
	})
	if err != nil {
		return nil, err
	}
	return openapi.AdminApproveDispute200JSONResponse(b), nil
}

func (v *v1) ExportDisputeBundle(ctx context.Context, req openapi.ExportDisputeBundleRequestObject) (openapi.ExportDisputeBundleResponseObject, error) {
	who, err := v.disputeCaller(ctx)
	if err != nil {
		return nil, err
	}
	b, err := v.disputes.Export(ctx, who, req.DisputeId)
	if err != nil {
		return nil, err
	}
	c := b.Case
	return openapi.ExportDisputeBundle200JSONResponse{Format: b.Format, ExportedAt: b.ExportedAt, PublicKey: b.PublicKey, Signature: b.Signature,
		Entries: entriesBody(b.Entries), Case: openapi.DisputeBundleCase{Id: c.ID, Request: c.Request, Payment: c.Payment, Buyer: c.Buyer,
			Seller: c.Seller, Opener: openapi.DisputeActor(c.Opener), Reason: openapi.DisputeReason(c.Reason),
			Status: openapi.DisputeStatus(c.Status), Amount: c.Amount, Decimals: c.Decimals, Ledger: c.Ledger, Resolution: optString(c.Resolution),
			OpenedAt: c.OpenedAt, Head: c.Head, Entries: c.Entries}}, nil
}

func (v *v1) GetDisputeBundleKey(ctx context.Context, _ openapi.GetDisputeBundleKeyRequestObject) (openapi.GetDisputeBundleKeyResponseObject, error) {
	if v.disputes == nil {
		return nil, errNoDisputes
	}
	pub := v.disputes.PublicKey()
	if pub == nil {
		return nil, dispute.ErrNoBundleKey
	}
	return openapi.GetDisputeBundleKey200JSONResponse{Algorithm: openapi.Ed25519, PublicKey: base64.StdEncoding.EncodeToString(pub)}, nil
}

// disputeBody is a case as the contract shows it.
func disputeBody(c *dispute.Case) openapi.Dispute {
	out := openapi.Dispute{Id: c.ID, RequestId: c.RequestID, PaymentId: c.PaymentID, BuyerId: c.BuyerID, SellerId: c.SellerID,
		ConversationId: c.ConversationID, Opener: openapi.DisputeActor(c.Opener), Reason: openapi.DisputeReason(c.Reason),
		Status: openapi.DisputeStatus(c.Status), Interrupted: c.Interrupted, AssignedAdmin: c.AssignedAdmin, Amount: c.Amount.String(),
		Decimals: c.Decimals, Ledger: c.Ledger, PendingBy: c.PendingBy, ResolvedAt: c.ResolvedAt, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt,
		PendingHash: optString(c.PendingHash)}
	if c.Resolution != nil {
		o := openapi.DisputeOutcome(*c.Resolution)
		out.Resolution = &o
	}
	if c.Pending != nil {
		r := resolutionBody(*c.Pending)
		out.Pending = &r
	}
	if p := c.Proposal; p != nil {
		out.Proposal = &openapi.DisputeProposal{Id: p.ID, Outcome: openapi.DisputeOutcome(p.Outcome), BuyerAmount: optString(p.BuyerAmount),
			ReplacementDays: optInt(p.ReplacementDays), Note: p.Note, ProposedBy: p.ProposedBy, Proposer: openapi.DisputeActor(p.Proposer),
			BuyerAcceptedAt: p.BuyerAcceptedAt, SellerAcceptedAt: p.SellerAcceptedAt, CreatedAt: p.CreatedAt}
	}
	if c.Entries != nil {
		es := entriesBody(c.Entries)
		out.Entries = &es
	}
	return out
}

func resolutionBody(r dispute.Resolution) openapi.DisputeResolution {
	return openapi.DisputeResolution{Outcome: openapi.DisputeOutcome(r.Outcome), BuyerAmount: optString(r.BuyerAmount),
		ReplacementDays: optInt(r.ReplacementDays), Note: optString(r.Note)}
}

func optInt(n int) *int {
	if n == 0 {
		return nil
	}
	return &n
}

// entriesBody is a timeline as the contract shows it: each body exactly as hashed.
func entriesBody(es []dispute.Entry) []openapi.DisputeEntry {
	out := make([]openapi.DisputeEntry, len(es))
	for i, e := range es {
		out[i] = openapi.DisputeEntry{Seq: e.Seq, Kind: string(e.Kind), Actor: openapi.DisputeActor(e.Actor), ActorId: optString(e.ActorID),
			Status: openapi.DisputeStatus(e.Status), Body: e.Body, At: e.At, Prev: e.Prev, Hash: e.Hash}
	}
	return out
}

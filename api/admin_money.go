package api

import (
	"context"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/google/uuid"

	"github.com/amanat/amn/admin"
	"github.com/amanat/amn/api/openapi"
	"github.com/amanat/amn/auth"
	"github.com/amanat/amn/intent"
	"github.com/amanat/amn/kind"
	"github.com/amanat/amn/ledger"
	"github.com/amanat/amn/payment"
)

// The admin routes over the money (admin role, checked by x-roles; changes audited by
// auditAdmin): each calls package admin once, as `amn admin` does in database mode.

var errAdminUnavailable = kind.New(kind.Unavailable, "the admin operations are not configured on this server")

// actorOf is who an intent's timeline names: the admin user.
func actorOf(ctx context.Context) (string, error) {
	p, err := principal(ctx)
	if err != nil {
		return "", err
	}
	return "admin:" + p.UserID.String(), nil
}

func limitOf(l *int) int {
	if l == nil || *l <= 0 {
		return auth.DefaultPageLimit
	}
	return *l
}

// AdminListPayments pages payments newest first, by state and chain.
func (v *v1) AdminListPayments(ctx context.Context, req openapi.AdminListPaymentsRequestObject) (openapi.AdminListPaymentsResponseObject, error) {
	if v.admin == nil {
		return nil, errAdminUnavailable
	}
	page, err := pageOf(req.Params.Cursor, req.Params.Limit)
	if err != nil {
		return nil, err
	}
	f := payment.ListFilter{Limit: limitOf(req.Params.Limit) + 1}
	if page.After != nil {
		f.BeforeAt, f.BeforeID = page.After.CreatedAt, ledger.ID(page.After.ID)
	}
	if req.Params.State != nil {
		f.State = payment.State(*req.Params.State)
	}
	if req.Params.ChainId != nil {
		f.ChainID = uint64(*req.Params.ChainId)
	}
	ps, err := v.admin.Payments(ctx, f)
	if err != nil {
		return nil, err
	}
	out := openapi.AdminListPayments200JSONResponse{Items: []openapi.AdminPayment{}}
	if len(ps) == f.Limit {
		ps = ps[:len(ps)-1]
		last := ps[len(ps)-1]
		out.NextCursor = encodeCursor(&auth.PageKey{CreatedAt: last.CreatedAt, ID: uuid.UUID(last.ID)})
	}
	for _, p := range ps {
		out.Items = append(out.Items, adminPaymentBody(p))
	}
	return out, nil
}

// AdminGetPayment is one payment with its books, timeline, intents and links.
func (v *v1) AdminGetPayment(ctx context.Context, req openapi.AdminGetPaymentRequestObject) (openapi.AdminGetPaymentResponseObject, error) {
	if v.admin == nil {
		return nil, errAdminUnavailable
	}
	pv, err := v.admin.Payment(ctx, ledger.ID(req.PaymentId))
	if err != nil {
		return nil, err
	}
	out := openapi.AdminGetPayment200JSONResponse{Payment: adminPaymentBody(pv.Payment), Intents: []openapi.AdminIntent{}}
	out.Books.Posted, out.Books.Pending, out.Books.Available = pv.Deposit.Posted.String(), pv.Deposit.Pending.String(), pv.Deposit.Available.String()
	out.Timeline = make([]struct {
		Actor  string    `json:"actor"`
		At     time.Time `json:"at"`
		Event  string    `json:"event"`
		From   *string   `json:"from,omitempty"`
		Reason string    `json:"reason"`
		Seq    int       `json:"seq"`
		To     string    `json:"to"`
	}, len(pv.Timeline))
	for i, t := range pv.Timeline {
		row := &out.Timeline[i]
		row.Actor, row.At, row.Event, row.Reason, row.Seq, row.To = t.Actor, t.At, t.Event, t.Reason, t.Seq, string(t.To)
		if t.From != "" {
			from := string(t.From)
			row.From = &from
		}
	}
	for _, in := range pv.Intents {
		out.Intents = append(out.Intents, intentBody(in))
	}
	out.Links = make([]struct {
		Rel string `json:"rel"`
		Url string `json:"url"`
	}, len(pv.Links))
	for i, l := range pv.Links {
		out.Links[i].Rel, out.Links[i].Url = l.Rel, l.URL
	}
	return out, nil
}

// AdminReleasePayment asks for a release.
func (v *v1) AdminReleasePayment(ctx context.Context, req openapi.AdminReleasePaymentRequestObject) (openapi.AdminReleasePaymentResponseObject, error) {
	rec, err := v.payout(ctx, intent.Release, req.PaymentId, req.Body)
	if err != nil {
		return nil, err
	}
	return openapi.AdminReleasePayment200JSONResponse(rec), nil
}

// AdminRefundPayment asks for a refund (with a reason).
func (v *v1) AdminRefundPayment(ctx context.Context, req openapi.AdminRefundPaymentRequestObject) (openapi.AdminRefundPaymentResponseObject, error) {
	rec, err := v.payout(ctx, intent.Refund, req.PaymentId, req.Body)
	if err != nil {
		return nil, err
	}
	return openapi.AdminRefundPayment200JSONResponse(rec), nil
}

func (v *v1) payout(ctx context.Context, k intent.Kind, id uuid.UUID, body *openapi.AdminPayoutRequest) (openapi.AdminIntentRecorded, error) {
	if v.admin == nil {
		return openapi.AdminIntentRecorded{}, errAdminUnavailable
	}
	actor, err := actorOf(ctx)
	if err != nil {
		return openapi.AdminIntentRecorded{}, err
	}
	r := admin.Request{Actor: actor}
	if body != nil {
		if body.Reason != nil {
			r.Reason = *body.Reason
		}
		if body.FeeRecipient != nil {
			r.FeeRecipient = common.HexToAddress(*body.FeeRecipient)
		}
		if body.TtlSeconds != nil {
			r.TTL = time.Duration(*body.TtlSeconds) * time.Second
		}
		r.ResolvesDispute = body.ResolvesDispute != nil && *body.ResolvesDispute
	}
	iv, created, err := v.admin.RequestPayout(ctx, k, ledger.ID(id), r)
	if err != nil {
		return openapi.AdminIntentRecorded{}, err
	}
	return openapi.AdminIntentRecorded{Intent: intentBody(iv), Created: created}, nil
}

// AdminSweep records sweep intents for the deposits due.
func (v *v1) AdminSweep(ctx context.Context, req openapi.AdminSweepRequestObject) (openapi.AdminSweepResponseObject, error) {
	if v.admin == nil {
		return nil, errAdminUnavailable
	}
	var chainID uint64
	dry := false
	if req.Body != nil {
		if req.Body.ChainId != nil {
			chainID = uint64(*req.Body.ChainId)
		}
		dry = req.Body.DryRun != nil && *req.Body.DryRun
	}
	lines, err := v.admin.SweepDue(ctx, chainID, dry)
	if err != nil {
		return nil, err
	}
	out := openapi.AdminSweep200JSONResponse{Items: make([]openapi.AdminDueSweep, len(lines))}
	for i, l := range lines {
		out.Items[i] = openapi.AdminDueSweep{PaymentId: l.PaymentID, ChainId: int64(l.ChainID), Deposit: l.Deposit, Amount: l.Amount,
			Intent: optString(l.Intent), Error: optString(l.Error)}
	}
	return out, nil
}

// AdminTopup records a gas top-up.
func (v *v1) AdminTopup(ctx context.Context, req openapi.AdminTopupRequestObject) (openapi.AdminTopupResponseObject, error) {
	if v.admin == nil {
		return nil, errAdminUnavailable
	}
	actor, err := actorOf(ctx)
	if err != nil {
		return nil, err
	}
	amount, ok := new(big.Int).SetString(req.Body.Amount, 10)
	if !ok {
		return nil, errInvalidRequest("amount is not an integer", FieldError{Field: "body.amount", Message: "not an integer"})
	}
	iv, created, err := v.admin.RequestTopup(ctx, admin.Topup{ChainID: uint64(req.Body.ChainId), Recipient: common.HexToAddress(req.Body.Recipient),
		Amount: amount, Actor: actor})
	if err != nil {
		return nil, err
	}
	return openapi.AdminTopup200JSONResponse{Intent: intentBody(iv), Created: created}, nil
}

// AdminListIntents pages intents newest first.
func (v *v1) AdminListIntents(ctx context.Context, req openapi.AdminListIntentsRequestObject) (openapi.AdminListIntentsResponseObject, error) {
	if v.admin == nil {
		return nil, errAdminUnavailable
	}
	page, err := pageOf(req.Params.Cursor, req.Params.Limit)
	if err != nil {
		return nil, err
	}
	f := intent.Filter{Limit: limitOf(req.Params.Limit) + 1}
	if page.After != nil {
		f.BeforeAt, f.BeforeID = page.After.CreatedAt, page.After.ID
	}
	if req.Params.State != nil {
		f.State = intent.State(*req.Params.State)
	}
	if req.Params.Kind != nil {
		f.Kind = intent.Kind(*req.Params.Kind)
	}
	if req.Params.PaymentId != nil {
		f.PaymentID = ledger.ID(*req.Params.PaymentId)
	}
	list, err := v.admin.Intents(ctx, f)
	if err != nil {
		return nil, err
	}
	out := openapi.AdminListIntents200JSONResponse{Items: []openapi.AdminIntent{}}
	if len(list) == f.Limit {
		list = list[:len(list)-1]
		last := list[len(list)-1]
		out.NextCursor = encodeCursor(&auth.PageKey{CreatedAt: last.CreatedAt, ID: last.ID})
	}
	for _, iv := range list {
		out.Items = append(out.Items, intentBody(iv))
	}
	return out, nil
}

// AdminGetIntent is one intent; polling it follows it.
func (v *v1) AdminGetIntent(ctx context.Context, req openapi.AdminGetIntentRequestObject) (openapi.AdminGetIntentResponseObject, error) {
	if v.admin == nil {
		return nil, errAdminUnavailable
	}
	iv, err := v.admin.Intent(ctx, req.IntentId)
	if err != nil {
		return nil, err
	}
	return openapi.AdminGetIntent200JSONResponse(intentBody(iv)), nil
}

// AdminListDestinations pages derived deposit addresses in index order.
func (v *v1) AdminListDestinations(ctx context.Context, req openapi.AdminListDestinationsRequestObject) (openapi.AdminListDestinationsResponseObject, error) {
	if v.admin == nil {
		return nil, errAdminUnavailable
	}
	lim := limitOf(req.Params.Limit)
	f := payment.DestinationFilter{Limit: lim + 1}
	if req.Params.ChainId != nil {
		f.ChainID = uint64(*req.Params.ChainId)
	}
	if req.Params.State != nil {
		f.State = payment.State(*req.Params.State)
	}
	if req.Params.FromIndex != nil {
		f.After = uint32(*req.Params.FromIndex)
	}
	ds, err := v.admin.Destinations(ctx, f)
	if err != nil {
		return nil, err
	}
	out := openapi.AdminListDestinations200JSONResponse{Items: []openapi.AdminDestination{}}
	if len(ds) > lim {
		next := int64(ds[lim].Index)
		out.NextIndex = &next
		ds = ds[:lim]
	}
	for _, d := range ds {
		out.Items = append(out.Items, openapi.AdminDestination{Index: int64(d.Index), Address: d.Address.Hex(), PaymentId: d.PaymentID,
			ChainId: int64(d.ChainID), Ledger: d.Ledger, State: openapi.PaymentState(d.State), Sweep: openapi.AdminDestinationSweep(d.Sweep),
			Received: amountString(d.Received), Watched: d.Watched})
	}
	return out, nil
}

// AdminHealth checks the configuration.
func (v *v1) AdminHealth(ctx context.Context, _ openapi.AdminHealthRequestObject) (openapi.AdminHealthResponseObject, error) {
	if v.admin == nil {
		return nil, errAdminUnavailable
	}
	h, err := v.admin.Health(ctx)
	if err != nil {
		return nil, err
	}
	out := openapi.AdminHealth200JSONResponse{XpubValid: h.XpubValid, XpubError: optString(h.XpubError), Chains: h.Chains,
		SignerHealthy: h.SignerHealthy}
	if out.Chains == nil {
		out.Chains = []string{}
	}
	if !h.SignerSeenAt.IsZero() {
		at := h.SignerSeenAt
		out.SignerSeenAt = &at
	}
	return out, nil
}

func adminPaymentBody(p *payment.Payment) openapi.AdminPayment {
	out := openapi.AdminPayment{Id: uuid.UUID(p.ID), State: openapi.PaymentState(p.State), ChainId: int64(p.ChainID), Ledger: p.Ledger,
		Token: p.Token.Hex(), Decimals: int(p.Decimals), Amount: amountString(p.Amount), Fee: amountString(p.Fee),
		Commission: amountString(p.Commission), Received: amountString(p.Received), Pending: amountString(p.PendingAmount),
		Deposit: p.Deposit.Hex(), DepositIndex: int64(p.DepositIndex), Reference: p.Reference.String(), BuyerRef: p.BuyerRef,
		OfferRef: p.OfferRef, Seller: p.SellerAddress.Hex(), ExpiresAt: p.ExpiresAt, WatchUntil: p.WatchUntil,
		CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt}
	if p.BuyerAddress != (common.Address{}) {
		out.Buyer = optString(p.BuyerAddress.Hex())
	}
	return out
}

// intentBody is the contract's form of an intent; package main's apiIntent reads it back.
func intentBody(v admin.IntentView) openapi.AdminIntent {
	in := v.Intent
	out := openapi.AdminIntent{Id: in.ID, Kind: openapi.IntentKind(in.Kind), ChainId: int64(in.ChainID), Contract: in.Contract.Hex(),
		Token: in.Token.Hex(), ResolvesDispute: in.ResolvesDispute, Deadline: in.Deadline, State: openapi.IntentState(in.State),
		Reason: optString(in.Reason), RequestedBy: in.RequestedBy, CreatedAt: in.CreatedAt, UpdatedAt: in.UpdatedAt,
		GasUsed: int64(in.GasUsed), GasCost: optAmount(in.GasCost), Approvals: v.Approvals, QuorumUnknown: optString(v.QuorumUnknown),
		SellerAmount: optAmount(in.SellerAmount), FeeAmount: optAmount(in.FeeAmount), Amount: optAmount(in.Amount), BuyerAmount: optAmount(in.BuyerAmount),
		Seller: optAddress(in.Seller), FeeRecipient: optAddress(in.FeeRecipient), Buyer: optAddress(in.Buyer), Recipient: optAddress(in.Recipient),
		Transactions: make([]openapi.AdminIntentTx, len(v.Txs))}
	if !in.PaymentID.IsZero() {
		pid := uuid.UUID(in.PaymentID)
		out.PaymentId = &pid
	}
	if in.EscrowID != (common.Hash{}) {
		out.EscrowId = optString(in.EscrowID.Hex())
	}
	if v.Digest != nil {
		out.Digest = optString(v.Digest.Hex())
	}
	if p := v.Progress; p != nil {
		out.Quorum = &openapi.AdminQuorum{Gathered: p.Gathered}
		if p.Known() {
			t, c := p.Threshold, p.Custodians
			out.Quorum.Threshold, out.Quorum.Custodians = &t, &c
		}
	}
	for i, t := range v.Txs {
		out.Transactions[i] = openapi.AdminIntentTx{Step: t.Step, Sender: t.Sender, Nonce: int64(t.Nonce), Attempt: t.Attempt, Hash: t.Hash,
			State: t.State, FeeCap: optAmount(t.FeeCap), TipCap: optAmount(t.TipCap), BlockNumber: t.BlockNumber, GasUsed: t.GasUsed, CreatedAt: t.CreatedAt}
	}
	return out
}

func amountString(v *big.Int) string {
	if v == nil {
		return "0"
	}
	return v.String()
}

func optAmount(v *big.Int) *string {
	if v == nil {
		return nil
	}
	return optString(v.String())
}

func optAddress(a common.Address) *string {
	if a == (common.Address{}) {
		return nil
	}
	return optString(a.Hex())
}

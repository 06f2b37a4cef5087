package main

import (
	"context"
	"fmt"
	"math/big"
	"net/url"
	"strconv"

	"github.com/ethereum/go-ethereum/common"
	"github.com/google/uuid"

	"github.com/amanat/amn/admin"
	"github.com/amanat/amn/api/openapi"
	"github.com/amanat/amn/custody"
	"github.com/amanat/amn/intent"
	"github.com/amanat/amn/ledger"
)

// adminBackend is what the admin commands call: package admin on the database (operators), or
// the API's /v1/admin routes with the session of amn login (apiAdmin). Both give the same views,
// so the commands print the same in both modes.
type adminBackend interface {
	RequestPayout(ctx context.Context, k intent.Kind, id ledger.ID, r admin.Request) (admin.IntentView, bool, error)
	RequestTopup(ctx context.Context, t admin.Topup) (admin.IntentView, bool, error)
	SweepDue(ctx context.Context, chainID uint64, dryRun bool) ([]intent.DueSweep, error)
	Intents(ctx context.Context, f intent.Filter) ([]admin.IntentView, error)
	Intent(ctx context.Context, id uuid.UUID) (admin.IntentView, error)
}

var _ adminBackend = (*admin.Service)(nil)

// apiAdmin is adminBackend over the API.
type apiAdmin struct{ c *apiClient }

func (a apiAdmin) RequestPayout(ctx context.Context, k intent.Kind, id ledger.ID, r admin.Request) (admin.IntentView, bool, error) {
	body := openapi.AdminPayoutRequest{}
	if r.Reason != "" {
		body.Reason = &r.Reason
	}
	if r.FeeRecipient != (common.Address{}) {
		fr := r.FeeRecipient.Hex()
		body.FeeRecipient = &fr
	}
	if r.TTL > 0 {
		secs := int(r.TTL.Seconds())
		body.TtlSeconds = &secs
	}
	if r.ResolvesDispute {
		body.ResolvesDispute = &r.ResolvesDispute
	}
	var out openapi.AdminIntentRecorded
	if err := a.c.call(ctx, "POST", "/v1/admin/payments/"+id.String()+"/"+string(k), body, &out); err != nil {
		return admin.IntentView{}, false, err
	}
	v, err := intentFromAPI(out.Intent)
	return v, out.Created, err
}

func (a apiAdmin) RequestTopup(ctx context.Context, t admin.Topup) (admin.IntentView, bool, error) {
	body := openapi.AdminTopupJSONRequestBody{ChainId: int64(t.ChainID), Recipient: t.Recipient.Hex(), Amount: t.Amount.String()}
	var out openapi.AdminIntentRecorded
	if err := a.c.call(ctx, "POST", "/v1/admin/topups", body, &out); err != nil {
		return admin.IntentView{}, false, err
	}
	v, err := intentFromAPI(out.Intent)
	return v, out.Created, err
}

func (a apiAdmin) SweepDue(ctx context.Context, chainID uint64, dryRun bool) ([]intent.DueSweep, error) {
	cid := int64(chainID)
	var out openapi.AdminSweep200JSONResponse
	if err := a.c.call(ctx, "POST", "/v1/admin/sweeps", openapi.AdminSweepJSONRequestBody{ChainId: &cid, DryRun: &dryRun}, &out); err != nil {
		return nil, err
	}
	lines := make([]intent.DueSweep, len(out.Items))
	for i, l := range out.Items {
		lines[i] = intent.DueSweep{PaymentID: l.PaymentId, ChainID: uint64(l.ChainId), Deposit: l.Deposit, Amount: l.Amount, Intent: deref(l.Intent), Error: deref(l.Error)}
	}
	return lines, nil
}

// Intents reads pages of 100 until f.Limit intents (or the last page).
func (a apiAdmin) Intents(ctx context.Context, f intent.Filter) ([]admin.IntentView, error) {
	var out []admin.IntentView
	cursor := ""
	for f.Limit <= 0 || len(out) < f.Limit {
		q := url.Values{"limit": {"100"}}
		if f.Limit > 0 && f.Limit-len(out) < 100 {
			q.Set("limit", strconv.Itoa(f.Limit-len(out)))
		}
		if f.State != "" {
			q.Set("state", string(f.State))
		}
		if f.Kind != "" {
			q.Set("kind", string(f.Kind))
		}
		if !f.PaymentID.IsZero() {
			q.Set("paymentId", f.PaymentID.String())
		}
		if cursor != "" {
			q.Set("cursor", cursor)
		}
		var page openapi.AdminIntentPage
		if err := a.c.call(ctx, "GET", "/v1/admin/intents?"+q.Encode(), nil, &page); err != nil {
			return nil, err
		}
		for _, b := range page.Items {
			v, err := intentFromAPI(b)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		if page.NextCursor == nil {
			break
		}
		cursor = *page.NextCursor
	}
	return out, nil
}

func (a apiAdmin) Intent(ctx context.Context, id uuid.UUID) (admin.IntentView, error) {
	var b openapi.AdminIntent
	if err := a.c.call(ctx, "GET", "/v1/admin/intents/"+id.String(), nil, &b); err != nil {
		return admin.IntentView{}, err
	}
	return intentFromAPI(b)
}

// intentFromAPI reads back what api.intentBody wrote.
func intentFromAPI(b openapi.AdminIntent) (admin.IntentView, error) {
	in := &intent.Intent{ID: b.Id, Kind: intent.Kind(b.Kind), ChainID: uint64(b.ChainId), Contract: common.HexToAddress(b.Contract),
		Token: common.HexToAddress(b.Token), ResolvesDispute: b.ResolvesDispute, Deadline: b.Deadline, State: intent.State(b.State),
		Reason: deref(b.Reason), RequestedBy: b.RequestedBy, CreatedAt: b.CreatedAt, UpdatedAt: b.UpdatedAt, GasUsed: uint64(b.GasUsed),
		Seller: addrOf(b.Seller), FeeRecipient: addrOf(b.FeeRecipient), Buyer: addrOf(b.Buyer), Recipient: addrOf(b.Recipient)}
	var err error
	for _, f := range []struct {
		dst **big.Int
		src *string
	}{{&in.SellerAmount, b.SellerAmount}, {&in.FeeAmount, b.FeeAmount}, {&in.Amount, b.Amount}, {&in.BuyerAmount, b.BuyerAmount}, {&in.GasCost, b.GasCost}} {
		if *f.dst, err = amountOf(f.src); err != nil {
			return admin.IntentView{}, err
		}
	}
	if b.PaymentId != nil {
		in.PaymentID = ledger.ID(*b.PaymentId)
	}
	if b.EscrowId != nil {
		in.EscrowID = common.HexToHash(*b.EscrowId)
	}
	v := admin.IntentView{Intent: in, Approvals: b.Approvals, QuorumUnknown: deref(b.QuorumUnknown), Txs: make([]intent.Tx, len(b.Transactions))}
	if b.Digest != nil {
		d := common.HexToHash(*b.Digest)
		v.Digest = &d
	}
	if q := b.Quorum; q != nil {
		v.Progress = &custody.Progress{Stored: b.Approvals, Gathered: q.Gathered}
		if q.Threshold != nil && q.Custodians != nil {
			v.Progress.Threshold, v.Progress.Custodians = *q.Threshold, *q.Custodians
		}
	}
	for i, t := range b.Transactions {
		v.Txs[i] = intent.Tx{Step: t.Step, Sender: t.Sender, Nonce: uint64(t.Nonce), Attempt: t.Attempt, Hash: t.Hash, State: t.State,
			BlockNumber: t.BlockNumber, GasUsed: t.GasUsed, CreatedAt: t.CreatedAt}
		if v.Txs[i].FeeCap, err = amountOf(t.FeeCap); err != nil {
			return v, err
		}
		if v.Txs[i].TipCap, err = amountOf(t.TipCap); err != nil {
			return v, err
		}
	}
	return v, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func addrOf(s *string) common.Address {
	if s == nil {
		return common.Address{}
	}
	return common.HexToAddress(*s)
}

func amountOf(s *string) (*big.Int, error) {
	if s == nil {
		return nil, nil
	}
	v, ok := new(big.Int).SetString(*s, 10)
	if !ok {
		return nil, fmt.Errorf("the API sent %q as an amount", *s)
	}
	return v, nil
}

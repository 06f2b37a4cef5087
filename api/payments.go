package api

import (
	"context"

	"github.com/google/uuid"

	"github.com/amanat/amn/api/openapi"
	"github.com/amanat/amn/market"
)

// GetPayment is a deal's payment for its parties and admins (market.PaymentView decides who;
// anyone else gets not_found, as for a payment that does not exist). Every amount comes from
// package payment and its ledger.
func (v *v1) GetPayment(ctx context.Context, req openapi.GetPaymentRequestObject) (openapi.GetPaymentResponseObject, error) {
	m, who, err := v.marketFor(ctx)
	if err != nil {
		return nil, err
	}
	pv, err := m.PaymentView(ctx, who, req.PaymentId)
	if err != nil {
		return nil, err
	}
	return openapi.GetPayment200JSONResponse(paymentViewBody(pv)), nil
}

func paymentViewBody(pv *market.PaymentView) openapi.PaymentView {
	p, b := pv.Payment, pv.Books
	out := openapi.PaymentView{Id: uuid.UUID(p.ID), RequestId: uuidPtr(pv.RequestID), State: openapi.PaymentState(p.State),
		ChainId: int64(p.ChainID), Ledger: p.Ledger, Token: p.Token.Hex(), Decimals: int(p.Decimals),
		Amounts: openapi.PaymentAmounts{Amount: amountString(p.Amount), Fee: amountString(p.Fee), Commission: amountString(p.Commission),
			Received: amountString(p.Received), Pending: amountString(p.PendingAmount), Swept: amountString(b.Swept),
			InEscrow: amountString(b.InEscrow), Released: amountString(b.Released), CommissionTaken: amountString(b.Commission),
			Refunded: amountString(b.Refunded)},
		DepositAddress: p.Deposit.Hex(), Reference: p.Reference.String(), BuyerAddress: optAddress(p.BuyerAddress),
		SellerAddress: p.SellerAddress.Hex(), ExpiresAt: p.ExpiresAt, CreatedAt: p.CreatedAt,
		Timeline: make([]openapi.PaymentTransition, len(pv.Timeline)), Deposits: make([]openapi.PaymentDeposit, len(b.Deposits))}
	if p.DisputedFrom != "" {
		out.DisputedFrom = optString(string(p.DisputedFrom))
	}
	for i, t := range pv.Timeline {
		out.Timeline[i] = openapi.PaymentTransition{Seq: t.Seq, To: string(t.To), Event: t.Event, By: t.Actor, Reason: t.Reason, At: t.At,
			From: optString(string(t.From))}
	}
	for i, d := range b.Deposits {
		out.Deposits[i] = openapi.PaymentDeposit{TxHash: d.TxHash.Hex(), Amount: amountString(d.Amount),
			State: openapi.PaymentDepositState(d.State), SeenAt: d.SeenAt}
	}
	out.Links = make([]struct {
		Rel string `json:"rel"`
		Url string `json:"url"`
	}, len(pv.Links))
	for i, l := range pv.Links {
		out.Links[i].Rel, out.Links[i].Url = l.Rel, l.URL
	}
	return out
}

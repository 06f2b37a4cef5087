package api

import (
	"context"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/google/uuid"

	"github.com/amanat/amn/api/openapi"
	"github.com/amanat/amn/market"
	"github.com/amanat/amn/payment"
)

// Offers: the typed data a payout wallet signs, make, revise, withdraw, list; the buyer's
// accept (the payment and its checkout) and checkout signature.

// MarketOfferTypedData is the offer a seller's payout wallet signs, on a request the seller may
// see (an open one, or one it is a party of).
func (v *v1) MarketOfferTypedData(ctx context.Context, req openapi.MarketOfferTypedDataRequestObject) (openapi.MarketOfferTypedDataResponseObject, error) {
	m, who, err := v.marketFor(ctx)
	if err != nil {
		return nil, err
	}
	d, err := m.RequestDetail(ctx, who, req.RequestId)
	if err != nil {
		return nil, err
	}
	price, _ := new(big.Int).SetString(req.Body.Price, 10)
	o, err := m.OfferTerms(d.Request, req.Body.OfferId, price, address(req.Body.PayoutAddress))
	if err != nil {
		return nil, err
	}
	td, err := typedData(o)
	if err != nil {
		return nil, err
	}
	return openapi.MarketOfferTypedData200JSONResponse(td), nil
}

func (v *v1) MakeMarketOffer(ctx context.Context, req openapi.MakeMarketOfferRequestObject) (openapi.MakeMarketOfferResponseObject, error) {
	m, who, err := v.marketFor(ctx)
	if err != nil {
		return nil, err
	}
	b := req.Body
	sig, err := signature("body.payoutSignature", b.PayoutSignature)
	if err != nil {
		return nil, err
	}
	o, err := m.MakeOffer(ctx, who, req.RequestId, market.OfferInput{ID: b.OfferId, Price: b.Price,
		DeliveryDays: b.DeliveryDays, ValidUntil: b.ValidUntil, Notes: deref(b.Notes),
		PayoutAddress: address(b.PayoutAddress), PayoutSignature: sig})
	if err != nil {
		return nil, err
	}
	return openapi.MakeMarketOffer201JSONResponse(offerBody(*o)), nil
}

func (v *v1) ReviseMarketOffer(ctx context.Context, req openapi.ReviseMarketOfferRequestObject) (openapi.ReviseMarketOfferResponseObject, error) {
	m, who, err := v.marketFor(ctx)
	if err != nil {
		return nil, err
	}
	b := req.Body
	in := market.OfferInput{ID: req.OfferId, Price: b.Price, DeliveryDays: b.DeliveryDays, ValidUntil: b.ValidUntil,
		Notes: deref(b.Notes), PayoutAddress: address(b.PayoutAddress)}
	if b.PayoutSignature != nil {
		if in.PayoutSignature, err = signature("body.payoutSignature", *b.PayoutSignature); err != nil {
			return nil, err
		}
	}
	o, err := m.ReviseOffer(ctx, who, req.RequestId, req.OfferId, in)
	if err != nil {
		return nil, err
	}
	return openapi.ReviseMarketOffer200JSONResponse(offerBody(*o)), nil
}

func (v *v1) WithdrawMarketOffer(ctx context.Context, req openapi.WithdrawMarketOfferRequestObject) (openapi.WithdrawMarketOfferResponseObject, error) {
	m, who, err := v.marketFor(ctx)
	if err != nil {
		return nil, err
	}
	o, err := m.WithdrawOffer(ctx, who, req.RequestId, req.OfferId)
	if err != nil {
		return nil, err
	}
	return openapi.WithdrawMarketOffer200JSONResponse(offerBody(*o)), nil
}

func (v *v1) ListMarketOffers(ctx context.Context, req openapi.ListMarketOffersRequestObject) (openapi.ListMarketOffersResponseObject, error) {
	m, who, err := v.marketFor(ctx)
	if err != nil {
		return nil, err
	}
	after, n, err := marketPage(req.Params.Cursor, req.Params.Limit)
	if err != nil {
		return nil, err
	}
	os, err := m.Offers(ctx, who, req.RequestId, after, n+1)
	if err != nil {
		return nil, err
	}
	os, next := pageEnd(os, n, func(o market.Offer) (time.Time, uuid.UUID) { return o.CreatedAt, o.ID })
	return openapi.ListMarketOffers200JSONResponse{Items: offerBodies(os), NextCursor: next}, nil
}

// AcceptMarketOffer is the buyer's accept: the payment, the checkout terms its wallet signs and
// the calls it sends.
func (v *v1) AcceptMarketOffer(ctx context.Context, req openapi.AcceptMarketOfferRequestObject) (openapi.AcceptMarketOfferResponseObject, error) {
	m, who, err := v.marketFor(ctx)
	if err != nil {
		return nil, err
	}
	a, err := m.Accept(ctx, who, req.RequestId, req.OfferId, req.Body.Revision)
	if err != nil {
		return nil, err
	}
	out, err := acceptanceBody(a)
	if err != nil {
		return nil, err
	}
	return openapi.AcceptMarketOffer201JSONResponse(out), nil
}

// SignMarketCheckout records the buyer's checkout signature: the signing wallet is the refund
// address.
func (v *v1) SignMarketCheckout(ctx context.Context, req openapi.SignMarketCheckoutRequestObject) (openapi.SignMarketCheckoutResponseObject, error) {
	m, who, err := v.marketFor(ctx)
	if err != nil {
		return nil, err
	}
	sig, err := signature("body.signature", req.Body.Signature)
	if err != nil {
		return nil, err
	}
	p, err := m.ProveBuyer(ctx, who, req.RequestId, address(req.Body.Wallet), sig)
	if err != nil {
		return nil, err
	}
	return openapi.SignMarketCheckout200JSONResponse(paymentBody(p)), nil
}

func offerBodies(os []market.Offer) []openapi.MarketOffer {
	out := make([]openapi.MarketOffer, len(os))
	for i, o := range os {
		out[i] = offerBody(o)
	}
	return out
}

func offerBody(o market.Offer) openapi.MarketOffer {
	out := openapi.MarketOffer{Id: o.ID, RequestId: o.RequestID, SellerId: o.SellerID, Status: openapi.MarketOfferStatus(o.Status),
		Revision: o.Revision, Price: o.Price.String(), DeliveryDays: o.DeliveryDays, ValidUntil: o.ValidUntil,
		Notes: o.Notes, PayoutAddress: o.PayoutAddress.Hex(), PayoutSignature: hexutil.Encode(o.PayoutSignature),
		CreatedAt: o.CreatedAt, UpdatedAt: o.UpdatedAt}
	if o.Revisions != nil {
		revs := make([]openapi.MarketOfferRevision, len(o.Revisions))
		for i, r := range o.Revisions {
			revs[i] = openapi.MarketOfferRevision{Revision: r.Revision, Price: r.Price.String(), DeliveryDays: r.DeliveryDays,
				ValidUntil: r.ValidUntil, Notes: r.Notes, PayoutAddress: r.PayoutAddress.Hex(), CreatedAt: r.CreatedAt}
		}
		out.Revisions = &revs
	}
	return out
}

func acceptanceBody(a *market.Acceptance) (openapi.MarketAcceptance, error) {
	td, err := typedData(a.Terms)
	if err != nil {
		return openapi.MarketAcceptance{}, err
	}
	return openapi.MarketAcceptance{Request: requestBody(*a.Request), Payment: paymentBody(a.Payment),
		CheckoutTypedData: td, Checkout: checkoutBody(a.Checkout)}, nil
}

// paymentBody is the payment as the request's buyer sees it.
func paymentBody(p *payment.Payment) openapi.MarketPayment {
	out := openapi.MarketPayment{Id: uuid.UUID(p.ID), State: string(p.State), ChainId: int64(p.ChainID),
		Token: p.Token.Hex(), Decimals: int(p.Decimals), Amount: p.Amount.String(), Fee: p.Fee.String(),
		Commission: p.Commission.String(), DepositAddress: p.Deposit.Hex(), SellerAddress: p.SellerAddress.Hex(),
		ExpiresAt: p.ExpiresAt}
	if p.BuyerAddress != ([20]byte{}) {
		b := p.BuyerAddress.Hex()
		out.BuyerAddress = &b
	}
	return out
}

func checkoutBody(c *payment.Checkout) openapi.MarketCheckout {
	out := openapi.MarketCheckout{ChainId: int64(c.ChainID), Native: c.Native, Decimals: int(c.Decimals), Amount: c.Amount,
		Fee: c.Fee, Total: c.Total, DepositAddress: c.DepositAddress.Hex(), PaymentReference: c.Reference.String(),
		FeeProxy: c.FeeProxy.Hex(), FeeAddress: c.FeeAddress.Hex(), Transactions: make([]openapi.MarketCheckoutCall, len(c.Transactions))}
	if c.Token != nil {
		t := c.Token.Hex()
		out.Token = &t
	}
	for i, t := range c.Transactions {
		out.Transactions[i] = openapi.MarketCheckoutCall{Purpose: openapi.MarketCheckoutCallPurpose(t.Purpose), To: t.To.Hex(),
			Data: t.Data.String(), Value: t.Value}
	}
	return out
}

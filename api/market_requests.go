package api

import (
	"context"
	"math/big"
	"time"

	"github.com/google/uuid"

	"github.com/amanat/amn/api/openapi"
	"github.com/amanat/amn/market"
)

// Purchase requests: create, edit, cancel, publish, browse, the buyer's list, the public and the
// party detail.

func (v *v1) CreateMarketRequest(ctx context.Context, req openapi.CreateMarketRequestRequestObject) (openapi.CreateMarketRequestResponseObject, error) {
	m, who, err := v.marketFor(ctx)
	if err != nil {
		return nil, err
	}
	b := req.Body
	in := market.RequestInput{Title: b.Title, Description: deref(b.Description), Category: b.Category,
		ProductType: string(b.ProductType), BudgetMin: b.BudgetMin, BudgetMax: b.BudgetMax, ChainKey: b.Chain,
		TokenSymbol: b.Token, Urgency: string(deref(b.Urgency)), Delivery: deliveryIn(b.Delivery),
		Visibility: string(deref(b.Visibility)), ExpiresAt: b.ExpiresAt}
	r, err := m.CreateRequest(ctx, who, in)
	if err != nil {
		return nil, err
	}
	return openapi.CreateMarketRequest201JSONResponse(requestBody(*r)), nil
}

func (v *v1) EditMarketRequest(ctx context.Context, req openapi.EditMarketRequestRequestObject) (openapi.EditMarketRequestResponseObject, error) {
	m, who, err := v.marketFor(ctx)
	if err != nil {
		return nil, err
	}
	b := req.Body
	in := market.RequestInput{Title: b.Title, Description: deref(b.Description), Category: b.Category,
		BudgetMin: b.BudgetMin, BudgetMax: b.BudgetMax, Urgency: string(deref(b.Urgency)),
		Delivery: deliveryIn(b.Delivery), Visibility: string(deref(b.Visibility)), ExpiresAt: b.ExpiresAt}
	r, err := m.EditRequest(ctx, who, req.RequestId, in)
	if err != nil {
		return nil, err
	}
	return openapi.EditMarketRequest200JSONResponse(requestBody(*r)), nil
}

func (v *v1) CancelMarketRequest(ctx context.Context, req openapi.CancelMarketRequestRequestObject) (openapi.CancelMarketRequestResponseObject, error) {
	m, who, err := v.marketFor(ctx)
	if err != nil {
		return nil, err
	}
	r, err := m.CancelRequest(ctx, who, req.RequestId)
	if err != nil {
		return nil, err
	}
	return openapi.CancelMarketRequest200JSONResponse(requestBody(*r)), nil
}

// PublishMarketRequest is an admin's (x-roles) moderation.
func (v *v1) PublishMarketRequest(ctx context.Context, req openapi.PublishMarketRequestRequestObject) (openapi.PublishMarketRequestResponseObject, error) {
	m, who, err := v.marketFor(ctx)
	if err != nil {
		return nil, err
	}
	r, err := m.Publish(ctx, who, req.RequestId)
	if err != nil {
		return nil, err
	}
	return openapi.PublishMarketRequest200JSONResponse(requestBody(*r)), nil
}

// BrowseMarketRequests is public: open public requests without personal data.
func (v *v1) BrowseMarketRequests(ctx context.Context, req openapi.BrowseMarketRequestsRequestObject) (openapi.BrowseMarketRequestsResponseObject, error) {
	if v.market == nil {
		return nil, errNoMarket
	}
	q := req.Params
	after, n, err := marketPage(q.Cursor, q.Limit)
	if err != nil {
		return nil, err
	}
	b := market.Browse{Category: deref(q.Category), ProductType: string(deref(q.ProductType)), ChainKey: deref(q.Chain), TokenSymbol: deref(q.Token),
		BudgetAtLeast: amountPtr(q.BudgetMin), BudgetAtMost: amountPtr(q.BudgetMax), Q: deref(q.Q), After: after, Limit: n + 1}
	rows, err := v.market.BrowseRequests(ctx, b)
	if err != nil {
		return nil, err
	}
	return openapi.BrowseMarketRequests200JSONResponse(requestPage(rows, n)), nil
}

func (v *v1) ListMyMarketRequests(ctx context.Context, req openapi.ListMyMarketRequestsRequestObject) (openapi.ListMyMarketRequestsResponseObject, error) {
	m, who, err := v.marketFor(ctx)
	if err != nil {
		return nil, err
	}
	after, n, err := marketPage(req.Params.Cursor, req.Params.Limit)
	if err != nil {
		return nil, err
	}
	rows, err := m.MyRequests(ctx, who, after, n+1)
	if err != nil {
		return nil, err
	}
	return openapi.ListMyMarketRequests200JSONResponse(requestPage(rows, n)), nil
}

// GetMarketRequest is public: an open request without personal data.
func (v *v1) GetMarketRequest(ctx context.Context, req openapi.GetMarketRequestRequestObject) (openapi.GetMarketRequestResponseObject, error) {
	if v.market == nil {
		return nil, errNoMarket
	}
	r, err := v.market.PublicRequest(ctx, req.RequestId)
	if err != nil {
		return nil, err
	}
	return openapi.GetMarketRequest200JSONResponse(requestBody(r.Public())), nil
}

func (v *v1) GetMarketRequestDetail(ctx context.Context, req openapi.GetMarketRequestDetailRequestObject) (openapi.GetMarketRequestDetailResponseObject, error) {
	m, who, err := v.marketFor(ctx)
	if err != nil {
		return nil, err
	}
	d, err := m.RequestDetail(ctx, who, req.RequestId)
	if err != nil {
		return nil, err
	}
	r := d.Request
	if !d.Party {
		r = r.Public()
	}
	out := openapi.GetMarketRequestDetail200JSONResponse{Request: requestBody(r), Party: d.Party, Offers: offerBodies(d.Offers)}
	return out, nil
}

func requestPage(rows []market.Request, n int) openapi.MarketRequestPage {
	rows, next := pageEnd(rows, n, func(r market.Request) (time.Time, uuid.UUID) { return r.CreatedAt, r.ID })
	out := openapi.MarketRequestPage{Items: make([]openapi.MarketRequest, len(rows)), NextCursor: next}
	for i, r := range rows {
		out.Items[i] = requestBody(r)
	}
	return out
}

// requestBody is a request as the contract shows it; a public view (market.Request.Public) has
// no buyer, payment, accepted offer, template, delivery address or shipment, and they stay absent.
func requestBody(r market.Request) openapi.MarketRequest {
	return openapi.MarketRequest{Id: r.ID, BuyerId: uuidPtr(r.BuyerID), Title: r.Title, Description: r.Description,
		Category: r.Category, ProductType: openapi.MarketProductType(r.ProductType), Chain: r.ChainKey,
		Token: r.TokenSymbol, BudgetMin: r.BudgetMin.String(), BudgetMax: r.BudgetMax.String(),
		Urgency: openapi.MarketUrgency(r.Urgency), Delivery: deliveryBody(r.Delivery),
		Visibility: openapi.MarketVisibility(r.Visibility), Status: openapi.MarketRequestStatus(r.Status),
		AcceptedOfferId: r.AcceptedOffer, PaymentId: r.PaymentID, TemplateId: r.TemplateID,
		Shipment: shipmentBody(r.Shipment), DeliveredAt: r.DeliveredAt, InspectionDays: &r.InspectionDays,
		InspectionEndsAt: r.InspectionEndsAt, ExpiresAt: r.ExpiresAt, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

func deliveryIn(d openapi.MarketDelivery) market.DeliveryTo {
	out := market.DeliveryTo{Kind: string(d.Kind)}
	if a := d.Address; a != nil {
		out.Address = &market.Address{Recipient: a.Recipient, Line1: a.Line1, Line2: deref(a.Line2), City: a.City,
			Region: deref(a.Region), PostalCode: deref(a.PostalCode), Country: a.Country, Phone: deref(a.Phone)}
	}
	return out
}

func deliveryBody(d market.DeliveryTo) openapi.MarketDelivery {
	out := openapi.MarketDelivery{Kind: openapi.MarketDeliveryKind(d.Kind)}
	if a := d.Address; a != nil {
		out.Address = &openapi.MarketAddress{Recipient: a.Recipient, Line1: a.Line1, Line2: optString(a.Line2),
			City: a.City, Region: optString(a.Region), PostalCode: optString(a.PostalCode), Country: a.Country,
			Phone: optString(a.Phone)}
	}
	return out
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

func optString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// amountPtr reads an amount the document checked (digits only).
func amountPtr(s *string) *big.Int {
	if s == nil {
		return nil
	}
	n, _ := new(big.Int).SetString(*s, 10)
	return n
}

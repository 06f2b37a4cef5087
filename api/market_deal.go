package api

import (
	"context"

	"github.com/amanat/amn/api/openapi"
	"github.com/amanat/amn/market"
)

// The deal after payment: the seller ships, the goods arrive, the buyer confirms. Each answers the
// request as the caller sees it (the seller never sees the buyer's id).

func (v *v1) ShipMarketRequest(ctx context.Context, req openapi.ShipMarketRequestRequestObject) (openapi.ShipMarketRequestResponseObject, error) {
	m, who, err := v.marketFor(ctx)
	if err != nil {
		return nil, err
	}
	b := req.Body
	r, err := m.Ship(ctx, who, req.RequestId, market.ShipInput{Carrier: deref(b.Carrier), Tracking: deref(b.Tracking), Note: deref(b.Note)})
	if err != nil {
		return nil, err
	}
	return openapi.ShipMarketRequest200JSONResponse(requestBody(*r)), nil
}

func (v *v1) MarkMarketRequestDelivered(ctx context.Context, req openapi.MarkMarketRequestDeliveredRequestObject) (openapi.MarkMarketRequestDeliveredResponseObject, error) {
	m, who, err := v.marketFor(ctx)
	if err != nil {
		return nil, err
	}
	r, err := m.Deliver(ctx, who, req.RequestId)
	if err != nil {
		return nil, err
	}
	return openapi.MarkMarketRequestDelivered200JSONResponse(requestBody(*r)), nil
}

func (v *v1) ConfirmMarketRequest(ctx context.Context, req openapi.ConfirmMarketRequestRequestObject) (openapi.ConfirmMarketRequestResponseObject, error) {
	m, who, err := v.marketFor(ctx)
	if err != nil {
		return nil, err
	}
	r, err := m.Confirm(ctx, who, req.RequestId)
	if err != nil {
		return nil, err
	}
	return openapi.ConfirmMarketRequest200JSONResponse(requestBody(*r)), nil
}

// shipmentBody is the seller's shipment as the contract shows it (nil before shipping).
func shipmentBody(s *market.Shipment) *openapi.MarketShipment {
	if s == nil {
		return nil
	}
	return &openapi.MarketShipment{Carrier: optString(s.Carrier), Tracking: optString(s.Tracking), Note: optString(s.Note),
		ShippedAt: s.ShippedAt}
}

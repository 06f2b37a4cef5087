package api

import (
	"context"
	"math/big"
	"time"

	"github.com/google/uuid"

	"github.com/amanat/amn/api/openapi"
	"github.com/amanat/amn/market"
)

// Templates: sellers' fixed-price express requests (the typed data their payout wallet signs
// once, create, the public list, the seller's list, edit, deactivate) and a buyer's spawn.

func (v *v1) MarketTemplateTypedData(ctx context.Context, req openapi.MarketTemplateTypedDataRequestObject) (openapi.MarketTemplateTypedDataResponseObject, error) {
	m, _, err := v.marketFor(ctx)
	if err != nil {
		return nil, err
	}
	b := req.Body
	price, _ := new(big.Int).SetString(b.Price, 10)
	o, err := m.TemplateTerms(b.Chain, b.Token, b.TemplateId, price, address(b.PayoutAddress))
	if err != nil {
		return nil, err
	}
	td, err := typedData(o)
	if err != nil {
		return nil, err
	}
	return openapi.MarketTemplateTypedData200JSONResponse(td), nil
}

func (v *v1) CreateMarketTemplate(ctx context.Context, req openapi.CreateMarketTemplateRequestObject) (openapi.CreateMarketTemplateResponseObject, error) {
	m, who, err := v.marketFor(ctx)
	if err != nil {
		return nil, err
	}
	b := req.Body
	sig, err := signature("body.payoutSignature", b.PayoutSignature)
	if err != nil {
		return nil, err
	}
	t, err := m.CreateTemplate(ctx, who, market.TemplateInput{ID: b.TemplateId, Title: b.Title,
		Description: deref(b.Description), Category: b.Category, ProductType: string(b.ProductType), ChainKey: b.Chain,
		TokenSymbol: b.Token, Price: b.Price, DeliveryDays: b.DeliveryDays, PayoutAddress: address(b.PayoutAddress),
		PayoutSignature: sig})
	if err != nil {
		return nil, err
	}
	return openapi.CreateMarketTemplate201JSONResponse(templateBody(*t, true)), nil
}

// BrowseMarketTemplates is public: active templates without their sellers.
func (v *v1) BrowseMarketTemplates(ctx context.Context, req openapi.BrowseMarketTemplatesRequestObject) (openapi.BrowseMarketTemplatesResponseObject, error) {
	if v.market == nil {
		return nil, errNoMarket
	}
	after, n, err := marketPage(req.Params.Cursor, req.Params.Limit)
	if err != nil {
		return nil, err
	}
	rows, err := v.market.BrowseTemplates(ctx, after, n+1)
	if err != nil {
		return nil, err
	}
	return openapi.BrowseMarketTemplates200JSONResponse(templatePage(rows, n, false)), nil
}

func (v *v1) ListMyMarketTemplates(ctx context.Context, req openapi.ListMyMarketTemplatesRequestObject) (openapi.ListMyMarketTemplatesResponseObject, error) {
	m, who, err := v.marketFor(ctx)
	if err != nil {
		return nil, err
	}
	after, n, err := marketPage(req.Params.Cursor, req.Params.Limit)
	if err != nil {
		return nil, err
	}
	rows, err := m.MyTemplates(ctx, who, after, n+1)
	if err != nil {
		return nil, err
	}
	return openapi.ListMyMarketTemplates200JSONResponse(templatePage(rows, n, true)), nil
}

func (v *v1) EditMarketTemplate(ctx context.Context, req openapi.EditMarketTemplateRequestObject) (openapi.EditMarketTemplateResponseObject, error) {
	m, who, err := v.marketFor(ctx)
	if err != nil {
		return nil, err
	}
	b := req.Body
	in := market.TemplateInput{ID: req.TemplateId, Title: b.Title, Description: deref(b.Description), Price: b.Price,
		DeliveryDays: b.DeliveryDays, PayoutAddress: address(b.PayoutAddress), Active: b.Active}
	if b.PayoutSignature != nil {
		if in.PayoutSignature, err = signature("body.payoutSignature", *b.PayoutSignature); err != nil {
			return nil, err
		}
	}
	t, err := m.EditTemplate(ctx, who, in)
	if err != nil {
		return nil, err
	}
	return openapi.EditMarketTemplate200JSONResponse(templateBody(*t, true)), nil
}

func (v *v1) DeactivateMarketTemplate(ctx context.Context, req openapi.DeactivateMarketTemplateRequestObject) (openapi.DeactivateMarketTemplateResponseObject, error) {
	m, who, err := v.marketFor(ctx)
	if err != nil {
		return nil, err
	}
	t, err := m.DeactivateTemplate(ctx, who, req.TemplateId)
	if err != nil {
		return nil, err
	}
	return openapi.DeactivateMarketTemplate200JSONResponse(templateBody(*t, true)), nil
}

// SpawnMarketTemplate is a buyer's express purchase: the payment and its checkout at once.
func (v *v1) SpawnMarketTemplate(ctx context.Context, req openapi.SpawnMarketTemplateRequestObject) (openapi.SpawnMarketTemplateResponseObject, error) {
	m, who, err := v.marketFor(ctx)
	if err != nil {
		return nil, err
	}
	a, err := m.Spawn(ctx, who, req.TemplateId, deliveryIn(req.Body.Delivery))
	if err != nil {
		return nil, err
	}
	out, err := acceptanceBody(a)
	if err != nil {
		return nil, err
	}
	return openapi.SpawnMarketTemplate201JSONResponse(out), nil
}

func templatePage(rows []market.Template, n int, own bool) openapi.MarketTemplatePage {
	rows, next := pageEnd(rows, n, func(t market.Template) (time.Time, uuid.UUID) { return t.CreatedAt, t.ID })
	out := openapi.MarketTemplatePage{Items: make([]openapi.MarketTemplate, len(rows)), NextCursor: next}
	for i, t := range rows {
		out.Items[i] = templateBody(t, own)
	}
	return out
}

// templateBody is a template as the contract shows it; own adds the seller and payout address
// (the seller's own view).
func templateBody(t market.Template, own bool) openapi.MarketTemplate {
	out := openapi.MarketTemplate{Id: t.ID, Title: t.Title, Description: t.Description, Category: t.Category,
		ProductType: openapi.MarketProductType(t.ProductType), Chain: t.ChainKey, Token: t.TokenSymbol,
		Price: t.Price.String(), DeliveryDays: t.DeliveryDays, Active: t.Active, CreatedAt: t.CreatedAt, UpdatedAt: t.UpdatedAt}
	if own {
		seller, payout := t.SellerID, t.PayoutAddress.Hex()
		out.SellerId, out.PayoutAddress = &seller, &payout
	}
	return out
}

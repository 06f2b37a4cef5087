package api

import (
	"context"
	"encoding/json"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/signer/core/apitypes"
	"github.com/google/uuid"

	"github.com/amanat/amn/api/openapi"
	"github.com/amanat/amn/auth"
	"github.com/amanat/amn/kind"
	"github.com/amanat/amn/market"
	"github.com/amanat/amn/payment"
)

// The marketplace's routes (/v1/marketplace/...) over package market: requests
// (market_requests.go), offers and the accept with its checkout (market_offers.go), templates
// (market_templates.go). Ownership is the domain's: other users' objects are not_found there.

var errNoMarket = kind.New(kind.Unavailable, "the marketplace is not configured on this server")

// marketFor is the market service and the signed-in caller as the market sees it.
func (v *v1) marketFor(ctx context.Context) (*market.Service, market.Caller, error) {
	if v.market == nil {
		return nil, market.Caller{}, errNoMarket
	}
	p, err := principal(ctx)
	if err != nil {
		return nil, market.Caller{}, err
	}
	return v.market, market.Caller{UserID: p.UserID, Admin: p.HasRole(auth.RoleAdmin)}, nil
}

// marketPage turns a list's cursor and limit into the market's position and the number of rows
// to read: one more than the page, to know whether another follows.
func marketPage(cursor *string, limit *int) (market.Cursor, int, error) {
	p, err := pageOf(cursor, limit)
	if err != nil {
		return market.Cursor{}, 0, err
	}
	n := p.Limit
	if n == 0 {
		n = auth.DefaultPageLimit
	}
	var c market.Cursor
	if p.After != nil {
		c = market.Cursor{At: p.After.CreatedAt, ID: p.After.ID}
	}
	return c, n, nil
}

// pageEnd trims a list read with one row too many and gives the next page's cursor.
func pageEnd[T any](rows []T, n int, key func(T) (time.Time, uuid.UUID)) ([]T, *string) {
	if len(rows) <= n {
		return rows, nil
	}
	rows = rows[:n]
	at, id := key(rows[n-1])
	return rows, encodeCursor(&auth.PageKey{CreatedAt: at, ID: id})
}

// typedData is eth_signTypedData_v4's JSON of a payment message.
func typedData(m interface{ TypedData() apitypes.TypedData }) (openapi.TypedData, error) {
	raw, err := payment.SigningRequest(m.TypedData())
	if err != nil {
		return nil, err
	}
	var out openapi.TypedData
	return out, json.Unmarshal(raw, &out)
}

// signature reads a 65-byte signature the document already checked for form (0x + 130 hex).
func signature(field, s string) ([]byte, error) {
	b, err := payment.ParseSignature(s)
	if err != nil {
		return nil, errInvalidRequest("bad signature", FieldError{Field: field, Message: err.Error()})
	}
	return b, nil
}

func address(s string) common.Address { return common.HexToAddress(s) }

func uuidPtr(id uuid.UUID) *uuid.UUID {
	if id == uuid.Nil {
		return nil
	}
	return &id
}

package market

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/amanat/amn/market/internal/marketdb"
)

// The browse query is built here rather than by sqlc: one fixed SQL text per combination of the
// filters a call uses, instead of one query whose every filter reads "$n IS NULL OR ...". Each
// text is a prepared statement of its own in pgx's statement cache, whose plan PostgreSQL can
// keep (a generic plan) instead of planning nine parameters again on every call (0.2-0.6 ms of
// planning a call, bench/api): the `IS NULL OR` form's generic plan is useless (it sorts every
// open request), so every call paid for a custom one. Only the values are parameters: no text of
// a caller's ever goes into the SQL.

// browseColumns are marketdb.MarketRequest's columns in its field order (the rows are scanned by
// position; TestBrowseColumnsMatchTheModel checks the two agree).
const browseColumns = `id, buyer_id, title, description, category, product_type, chain_key, token_symbol, budget_min,
	budget_max, urgency, delivery, visibility, status, resume_to, accepted_offer, payment_id, template_id, shipment,
	delivered_at, inspection_days, expires_at, created_at, updated_at, legacy`

// browseSQL is the query of b (already checked) and its arguments.
//
// A full-text search with no filter but a category (and a cursor) finds its page in
// market_request_search alone (migration 00069 keeps there whether each request is listed, its
// category and creation time): the page's ids, newest first, from its own indexes (a walk of the
// newest listed rows checking the words, or the GIN index and a top-N sort, as the words' counts
// decide), and only those rows are read from market_requests. Any other filter with the words
// (product type, chain, token, budget: columns of market_requests alone) keeps the semi-join of
// the words with the request's filters.
func browseSQL(b Browse) (string, []any) {
	var sql strings.Builder
	sql.WriteString("SELECT " + browseColumns + " FROM market_requests\n" +
		"WHERE status IN ('active', 'received_offers', 'in_negotiation') AND visibility = 'public'")
	var args []any
	arg := func(cond string, v any) int {
		args = append(args, v)
		fmt.Fprintf(&sql, "\n  AND "+cond, len(args))
		return len(args)
	}
	category, others := 0, false
	for _, f := range []struct{ col, v string }{{"category", b.Category}, {"product_type", b.ProductType},
		{"chain_key", b.ChainKey}, {"token_symbol", b.TokenSymbol}} {
		if v := opt(f.v); v != nil {
			if n := arg(f.col+" = $%d", *v); f.col == "category" {
				category = n
			} else {
				others = true
			}
		}
	}
	if b.BudgetAtLeast != nil {
		arg("budget_max >= $%d", optNum(b.BudgetAtLeast))
		others = true
	}
	if b.BudgetAtMost != nil {
		arg("budget_min <= $%d", optNum(b.BudgetAtMost))
		others = true
	}
	words := 0
	if q := opt(b.Q); q != nil {
		args = append(args, *q)
		words = len(args)
	}
	after := 0
	if at, id := b.After.args(); at != nil {
		args = append(args, *at, id.UUID)
		after = len(args) - 1
		fmt.Fprintf(&sql, "\n  AND (created_at, id) < ($%d, $%d)", after, after+1)
	}
	args = append(args, limit(b.Limit))
	lim := len(args)
	switch {
	case words > 0 && !others:
		fmt.Fprintf(&sql, "\n  AND id IN (SELECT request_id FROM market_request_search WHERE listed AND search @@ plainto_tsquery('simple', $%d)", words)
		if category > 0 {
			fmt.Fprintf(&sql, " AND category = $%d", category)
		}
		if after > 0 {
			fmt.Fprintf(&sql, " AND (created_at, request_id) < ($%d, $%d)", after, after+1)
		}
		fmt.Fprintf(&sql, "\n    ORDER BY created_at DESC, request_id DESC LIMIT $%d)", lim)
	case words > 0:
		// market_request_search (migration 00042): the stored vector and its GIN index.
		fmt.Fprintf(&sql, "\n  AND id IN (SELECT request_id FROM market_request_search WHERE search @@ plainto_tsquery('simple', $%d))", words)
	}
	fmt.Fprintf(&sql, "\nORDER BY created_at DESC, id DESC\nLIMIT $%d", lim)
	return sql.String(), args
}

// browse runs b's query. A full-text search is planned for its words every time (an unnamed
// statement): how many requests a word matches decides the plan (a rare word: its few rows
// through the GIN index; a common one: the newest requests, checked one by one), and a kept plan
// would serve one of the two badly. It goes in one round trip (QueryExecModeExec: parameter types
// from the Go values, text results) rather than describing the statement first in another.
func (s *Service) browse(ctx context.Context, b Browse) ([]marketdb.MarketRequest, error) {
	sql, args := browseSQL(b)
	if opt(b.Q) != nil {
		args = append([]any{pgx.QueryExecModeExec}, args...)
	}
	rows, err := s.pool.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[marketdb.MarketRequest])
}

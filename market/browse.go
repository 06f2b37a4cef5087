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
func browseSQL(b Browse) (string, []any) {
	var sql strings.Builder
	sql.WriteString("SELECT " + browseColumns + " FROM market_requests\n" +
		"WHERE status IN ('active', 'received_offers', 'in_negotiation') AND visibility = 'public'")
	var args []any
	arg := func(cond string, v any) {
		args = append(args, v)
		fmt.Fprintf(&sql, "\n  AND "+cond, len(args))
	}
	for _, f := range []struct{ col, v string }{{"category", b.Category}, {"product_type", b.ProductType},
		{"chain_key", b.ChainKey}, {"token_symbol", b.TokenSymbol}} {
		if v := opt(f.v); v != nil {
			arg(f.col+" = $%d", *v)
		}
	}
	if b.BudgetAtLeast != nil {
		arg("budget_max >= $%d", optNum(b.BudgetAtLeast))
	}
	if b.BudgetAtMost != nil {
		arg("budget_min <= $%d", optNum(b.BudgetAtMost))
	}
	if q := opt(b.Q); q != nil {
		// market_request_search (migration 00042): the stored vector and its GIN index.
		arg("id IN (SELECT request_id FROM market_request_search WHERE search @@ plainto_tsquery('simple', $%d))", *q)
	}
	if at, id := b.After.args(); at != nil {
		args = append(args, *at, id.UUID)
		fmt.Fprintf(&sql, "\n  AND (created_at, id) < ($%d, $%d)", len(args)-1, len(args))
	}
	args = append(args, limit(b.Limit))
	fmt.Fprintf(&sql, "\nORDER BY created_at DESC, id DESC\nLIMIT $%d", len(args))
	return sql.String(), args
}

// browse runs b's query. A full-text search is planned for its words every time (an unnamed
// statement): how many requests a word matches decides the plan (a rare word: its few rows
// through the GIN index; a common one: the newest requests, checked one by one), and a kept plan
// would serve one of the two badly.
func (s *Service) browse(ctx context.Context, b Browse) ([]marketdb.MarketRequest, error) {
	sql, args := browseSQL(b)
	if opt(b.Q) != nil {
		args = append([]any{pgx.QueryExecModeDescribeExec}, args...)
	}
	rows, err := s.pool.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[marketdb.MarketRequest])
}

package ledger

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/amanat/amn/db"
)

// Violation is the first broken invariant Check found.
type Violation struct {
	Table   string // e.g. "ledger_accounts"
	Row     string // e.g. "id=…", "account_id=…, seq=3", "ledger=bsc:USDT"
	Problem string
}

func (v *Violation) Error() string { return fmt.Sprintf("%s %s: %s", v.Table, v.Row, v.Problem) }

// invariant is one query that returns (row, problem) for the first row breaking it, or nothing.
type invariant struct {
	name  string
	table string
	sql   string
}

// invariants run in this order, so that a corrupted balance is named at its account before it
// shows up as an unbalanced ledger.
var invariants = []invariant{
	{"account limits", "ledger_accounts", `
		SELECT 'id=' || id, CASE
			WHEN least(debits_pending, debits_posted, credits_pending, credits_posted) < 0 THEN 'a balance is negative'
			WHEN debits_must_not_exceed_credits AND credits_must_not_exceed_debits THEN 'both limit flags are set'
			WHEN debits_must_not_exceed_credits AND debits_pending + debits_posted > credits_posted THEN
				format('debits_must_not_exceed_credits broken: debits %s pending + %s posted > %s credits posted',
					debits_pending, debits_posted, credits_posted)
			ELSE format('credits_must_not_exceed_debits broken: credits %s pending + %s posted > %s debits posted',
					credits_pending, credits_posted, debits_posted)
		END
		FROM ledger_accounts
		WHERE least(debits_pending, debits_posted, credits_pending, credits_posted) < 0
			OR (debits_must_not_exceed_credits AND (credits_must_not_exceed_debits OR debits_pending + debits_posted > credits_posted))
			OR (credits_must_not_exceed_debits AND credits_pending + credits_posted > debits_posted)
		ORDER BY id LIMIT 1`},
	{"accounts equal their entries", "ledger_accounts", `
		WITH s AS (
			SELECT account_id, count(*) AS n, max(seq) AS last_seq,
				coalesce(sum(amount) FILTER (WHERE field = 1), 0) AS dp,
				coalesce(sum(amount) FILTER (WHERE field = 2), 0) AS dpo,
				coalesce(sum(amount) FILTER (WHERE field = 3), 0) AS cp,
				coalesce(sum(amount) FILTER (WHERE field = 4), 0) AS cpo
			FROM ledger_entries GROUP BY account_id),
		last AS (
			SELECT DISTINCT ON (account_id, field) account_id, field, balance_after
			FROM ledger_entries ORDER BY account_id, field, seq DESC),
		l AS (
			SELECT account_id,
				coalesce(max(balance_after) FILTER (WHERE field = 1), 0) AS dp,
				coalesce(max(balance_after) FILTER (WHERE field = 2), 0) AS dpo,
				coalesce(max(balance_after) FILTER (WHERE field = 3), 0) AS cp,
				coalesce(max(balance_after) FILTER (WHERE field = 4), 0) AS cpo
			FROM last GROUP BY account_id)
		SELECT row, problem FROM (
			SELECT a.id, 'id=' || a.id AS row, CASE
				WHEN a.entry_seq <> coalesce(s.n, 0) OR a.entry_seq <> coalesce(s.last_seq, 0) THEN
					format('entry_seq is %s but the account has %s entries up to seq %s', a.entry_seq, coalesce(s.n, 0), coalesce(s.last_seq, 0))
				WHEN a.debits_pending <> coalesce(s.dp, 0) THEN format('debits_pending is %s but its entries sum to %s', a.debits_pending, coalesce(s.dp, 0))
				WHEN a.debits_posted <> coalesce(s.dpo, 0) THEN format('debits_posted is %s but its entries sum to %s', a.debits_posted, coalesce(s.dpo, 0))
				WHEN a.credits_pending <> coalesce(s.cp, 0) THEN format('credits_pending is %s but its entries sum to %s', a.credits_pending, coalesce(s.cp, 0))
				WHEN a.credits_posted <> coalesce(s.cpo, 0) THEN format('credits_posted is %s but its entries sum to %s', a.credits_posted, coalesce(s.cpo, 0))
				WHEN a.debits_pending <> coalesce(l.dp, 0) THEN format('debits_pending is %s but its last entry ends at %s', a.debits_pending, coalesce(l.dp, 0))
				WHEN a.debits_posted <> coalesce(l.dpo, 0) THEN format('debits_posted is %s but its last entry ends at %s', a.debits_posted, coalesce(l.dpo, 0))
				WHEN a.credits_pending <> coalesce(l.cp, 0) THEN format('credits_pending is %s but its last entry ends at %s', a.credits_pending, coalesce(l.cp, 0))
				WHEN a.credits_posted <> coalesce(l.cpo, 0) THEN format('credits_posted is %s but its last entry ends at %s', a.credits_posted, coalesce(l.cpo, 0))
			END AS problem
			FROM ledger_accounts a LEFT JOIN s ON s.account_id = a.id LEFT JOIN l ON l.account_id = a.id) x
		WHERE problem IS NOT NULL ORDER BY id LIMIT 1`},
	{"entries belong to an account", "ledger_entries", `
		SELECT format('account_id=%s, seq=%s', account_id, seq), 'the account does not exist'
		FROM ledger_entries e WHERE NOT EXISTS (SELECT 1 FROM ledger_accounts a WHERE a.id = e.account_id)
		ORDER BY account_id, seq LIMIT 1`},
	{"entry chains", "ledger_entries", `
		SELECT format('account_id=%s, seq=%s', account_id, seq), CASE
			WHEN seq <> n THEN format('seq %s is entry number %s of the account', seq, n)
			WHEN balance_after <> balance_before + amount THEN
				format('balance_after %s is not balance_before %s + amount %s', balance_after, balance_before, amount)
			ELSE format('%s balance_before is %s but the previous entry ended at %s',
				(ARRAY['debits_pending', 'debits_posted', 'credits_pending', 'credits_posted'])[field], balance_before, coalesce(prev, 0))
		END
		FROM (SELECT e.*, row_number() OVER (PARTITION BY account_id ORDER BY seq) AS n,
				lag(balance_after) OVER (PARTITION BY account_id, field ORDER BY seq) AS prev
			FROM ledger_entries e) x
		WHERE seq <> n OR balance_after <> balance_before + amount OR balance_before <> coalesce(prev, 0)
		ORDER BY account_id, seq LIMIT 1`},
	{"entries belong to a transfer", "ledger_entries", `
		SELECT format('account_id=%s, seq=%s', account_id, seq), format('transfer %s does not exist', transfer_id)
		FROM ledger_entries e WHERE NOT EXISTS (SELECT 1 FROM ledger_transfers t WHERE t.id = e.transfer_id)
		ORDER BY account_id, seq LIMIT 1`},
	{"transfers equal their entries", "ledger_transfers", `
		WITH s AS (
			SELECT t.id, t.amount, t.pending, t.post_pending, t.void_pending, t.pending_id, count(e.transfer_id) AS n,
				coalesce(sum(e.amount) FILTER (WHERE e.account_id = t.debit_account_id AND e.field = 1), 0) AS dp,
				coalesce(sum(e.amount) FILTER (WHERE e.account_id = t.debit_account_id AND e.field = 2), 0) AS dpo,
				coalesce(sum(e.amount) FILTER (WHERE e.account_id = t.credit_account_id AND e.field = 3), 0) AS cp,
				coalesce(sum(e.amount) FILTER (WHERE e.account_id = t.credit_account_id AND e.field = 4), 0) AS cpo
			FROM ledger_transfers t LEFT JOIN ledger_entries e ON e.transfer_id = t.id GROUP BY t.id),
		w AS (
			SELECT s.*,
				CASE WHEN s.pending THEN s.amount WHEN s.post_pending OR s.void_pending THEN -p.amount ELSE 0 END AS want_pending,
				CASE WHEN s.pending OR s.void_pending THEN 0 ELSE s.amount END AS want_posted
			FROM s LEFT JOIN ledger_transfers p ON p.id = s.pending_id)
		SELECT 'id=' || id, format('its %s entries move debits %s pending, %s posted and credits %s pending, %s posted; the transfer moves %s pending and %s posted',
			n, dp, dpo, cp, cpo, coalesce(want_pending::text, '?'), want_posted)
		FROM w
		WHERE dp IS DISTINCT FROM want_pending OR cp IS DISTINCT FROM want_pending OR dpo <> want_posted OR cpo <> want_posted
			OR n <> 2 * ((want_pending <> 0)::int + (want_posted <> 0)::int)
		ORDER BY id LIMIT 1`},
	{"pending transfers have a state", "ledger_transfers", `
		SELECT 'id=' || id, 'pending transfer without a ledger_pending row'
		FROM ledger_transfers t WHERE t.pending AND NOT EXISTS (SELECT 1 FROM ledger_pending p WHERE p.transfer_id = t.id)
		ORDER BY id LIMIT 1`},
	{"pending states", "ledger_pending", `
		SELECT row, problem FROM (
			SELECT p.transfer_id, 'transfer_id=' || p.transfer_id AS row, CASE
				WHEN NOT t.pending THEN 'the transfer is not pending'
				WHEN p.expires_at IS DISTINCT FROM t.expires_at THEN 'expires_at differs from the transfer''s'
				WHEN p.state = 'open' AND r.id IS NOT NULL THEN format('open, but transfer %s resolves it', r.id)
				WHEN p.state <> 'open' AND r.id IS NULL THEN format('%s, but no transfer resolves it', p.state)
				WHEN p.state <> 'open' AND r.id <> p.resolved_by THEN format('resolved_by %s, but transfer %s resolves it', p.resolved_by, r.id)
				WHEN p.state = 'posted' AND NOT r.post_pending THEN format('posted by transfer %s, which is not a post', r.id)
				WHEN p.state IN ('voided', 'expired') AND NOT r.void_pending THEN format('%s by transfer %s, which is not a void', p.state, r.id)
			END AS problem
			FROM ledger_pending p JOIN ledger_transfers t ON t.id = p.transfer_id
				LEFT JOIN ledger_transfers r ON r.pending_id = p.transfer_id) x
		WHERE problem IS NOT NULL ORDER BY transfer_id LIMIT 1`},
	{"ledgers sum to zero", "ledger_accounts", `
		SELECT 'ledger=' || ledger, CASE WHEN dpo <> cpo
			THEN format('posted debits %s ≠ posted credits %s', dpo, cpo)
			ELSE format('pending debits %s ≠ pending credits %s', dp, cp) END
		FROM (SELECT ledger, sum(debits_pending) AS dp, sum(debits_posted) AS dpo, sum(credits_pending) AS cp,
				sum(credits_posted) AS cpo FROM ledger_accounts GROUP BY ledger) x
		WHERE dpo <> cpo OR dp <> cp ORDER BY ledger LIMIT 1`},
}

// Check verifies the ledger's invariants and returns the first violation, or nil when the books
// are sound: every ledger sums to zero; each account's entries chain (every balance_before is
// the previous balance_after, seqs run 1, 2, 3 …) and add up to the account's totals, the last
// entry ending at the account's balance; every transfer has exactly the entries it implies; every
// pending transfer's state matches the transfer that resolved it; no limit flag is broken.
//
// On a pool it reads one repeatable-read snapshot, so it may run while transfers are written.
// It reads every row of the ledger tables.
func Check(ctx context.Context, b db.Beginner) (*Violation, error) {
	var (
		tx  pgx.Tx
		err error
	)
	if tb, ok := b.(interface {
		BeginTx(context.Context, pgx.TxOptions) (pgx.Tx, error)
	}); ok {
		tx, err = tb.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	} else {
		tx, err = b.Begin(ctx) // a caller's transaction: its snapshot
	}
	if err != nil {
		return nil, fmt.Errorf("ledger check: %w", err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // read-only
	for _, inv := range invariants {
		var row, problem string
		err := tx.QueryRow(ctx, inv.sql).Scan(&row, &problem)
		if errors.Is(err, pgx.ErrNoRows) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("ledger check %q: %w", inv.name, err)
		}
		return &Violation{Table: inv.table, Row: row, Problem: problem}, nil
	}
	return nil, nil
}

package ledger

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/amanat/amn/db"
)

// A batch takes two round trips whatever its size: one to lock its accounts (in id order) and read
// the transfers it names, one to write transfers, entries, pending rows and balances with
// unnest() over arrays. On a pool the BEGIN travels with the first and the COMMIT with the second.
// A single transfer on a pool whose accounts the Ledger remembers takes one: BEGIN, singleSQL and
// COMMIT in one pipeline (Ledger.oneRoundTrip).

const accountColumns = `id, ledger, code, owner_ref, debits_must_not_exceed_credits, credits_must_not_exceed_debits,
	debits_pending, debits_posted, credits_pending, credits_posted, entry_seq, created_at`

const lockedAccountColumns = `a.id, a.ledger, a.code, a.owner_ref, a.debits_must_not_exceed_credits,
	a.credits_must_not_exceed_debits, a.debits_pending, a.debits_posted, a.credits_pending, a.credits_posted,
	a.entry_seq, a.created_at`

// lockAccountsSQL locks the accounts named by the batch. ORDER BY with FOR UPDATE locks rows in
// the sorted order, so two batches can never wait on each other in a cycle. The ids come in as a
// join rather than "id = ANY($1)": a row another batch has just updated is re-checked against
// the query's condition, and ANY over a 1,000-element array made that re-check cost 0.1 ms per row.
const lockAccountsSQL = `SELECT ` + lockedAccountColumns + `
	FROM unnest($1::uuid[]) AS u(id) JOIN ledger_accounts a ON a.id = u.id
	ORDER BY a.id FOR UPDATE OF a`

// lockAccountsPendingSQL also locks the accounts of the pending transfers the batch resolves.
const lockAccountsPendingSQL = `SELECT ` + lockedAccountColumns + `
	FROM (SELECT unnest($1::uuid[])
		UNION SELECT debit_account_id FROM ledger_transfers WHERE id = ANY($2::uuid[])
		UNION SELECT credit_account_id FROM ledger_transfers WHERE id = ANY($2::uuid[])) AS u(id)
	JOIN ledger_accounts a ON a.id = u.id
	ORDER BY a.id FOR UPDATE OF a`

const transferColumns = `t.id, t.ledger, t.debit_account_id, t.credit_account_id, t.amount, t.pending_id, t.code,
	t.pending, t.post_pending, t.void_pending, t.linked, t.timeout_ms, t.expires_at,
	coalesce(t.payment_ref, ''), coalesce(t.observation_ref, ''), t.created_at, p.state::text`

// selectTransfersSQL runs after the lock, so it sees every transfer committed on these accounts.
const selectTransfersSQL = `SELECT ` + transferColumns + `
	FROM ledger_transfers t LEFT JOIN ledger_pending p ON p.transfer_id = t.id
	WHERE t.id = ANY($1::uuid[])`

// writeSQL records a batch in one statement: transfers, entries, new and resolved pending rows
// and account balances, each from arrays. It fails, and so writes nothing, unless it resolved
// every pending row it had to (only open ones move) and updated every account it had to (only
// rows whose entry_seq is still the one the batch read). (Batches past copyThreshold send
// transfers and entries by COPY first and pass empty arrays for them here.)
const writeSQL = `WITH
	transfers AS (
		INSERT INTO ledger_transfers (id, ledger, debit_account_id, credit_account_id, amount, pending_id, code,
			pending, post_pending, void_pending, linked, timeout_ms, expires_at, payment_ref, observation_ref, created_at)
		SELECT u.id, u.ledger, u.dr, u.cr, u.amount, u.pending_id, u.code,
			u.flags & 2 <> 0, u.flags & 4 <> 0, u.flags & 8 <> 0, u.flags & 1 <> 0,
			u.timeout_ms, u.expires_at, NULLIF(u.payment_ref, ''), NULLIF(u.observation_ref, ''), $13
		FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::uuid[], $5::numeric[], $6::uuid[], $7::int[], $8::int[],
			$9::bigint[], $10::timestamptz[], $11::text[], $12::text[])
			AS u(id, ledger, dr, cr, amount, pending_id, code, flags, timeout_ms, expires_at, payment_ref, observation_ref)),
	entries AS (
		INSERT INTO ledger_entries (account_id, seq, transfer_id, field, amount, balance_before, balance_after)
		SELECT * FROM unnest($14::uuid[], $15::bigint[], $16::uuid[], $17::smallint[], $18::numeric[], $19::numeric[], $20::numeric[])),
	new_pending AS (
		INSERT INTO ledger_pending (transfer_id, expires_at, state, resolved_by)
		SELECT u.id, u.expires_at, u.state::ledger_pending_state, u.resolved_by
		FROM unnest($21::uuid[], $22::timestamptz[], $23::text[], $24::uuid[]) AS u(id, expires_at, state, resolved_by)),
	resolved AS (
		UPDATE ledger_pending p SET state = u.state::ledger_pending_state, resolved_by = u.resolved_by
		FROM unnest($25::uuid[], $26::text[], $27::uuid[]) AS u(id, state, resolved_by)
		WHERE p.transfer_id = u.id AND p.state = 'open'
		RETURNING 1),
	accounts AS (
		UPDATE ledger_accounts a SET debits_pending = u.dp, debits_posted = u.dpo,
			credits_pending = u.cp, credits_posted = u.cpo, entry_seq = u.seq
		FROM unnest($28::uuid[], $29::numeric[], $30::numeric[], $31::numeric[], $32::numeric[], $33::bigint[], $34::bigint[])
			AS u(id, dp, dpo, cp, cpo, seq, seq0)
		WHERE a.id = u.id AND a.entry_seq = u.seq0
		RETURNING 1)
	SELECT ledger_expect_rows('pending transfers resolved', (SELECT count(*) FROM resolved), $35),
		ledger_expect_rows('accounts updated', (SELECT count(*) FROM accounts), $36)`

// singleSQL records one transfer that posts at once: the transfer, its two entries and its two
// accounts, each account only if its entry_seq is still the one the call read. Scalar parameters
// give the statement a plan PostgreSQL keeps; the array form of writeSQL is planned again on every
// call, which cost as much as running it. The accounts are updated in id order, the order the
// locking path takes, so that two calls never wait on each other in a cycle: "hi" runs only after
// "lo" moved. singlePendingSQL does the same for a transfer that reserves, and adds its pending row.
const (
	singleSQL        = singleAccountsSQL + singleTransferSQL + singleExpectSQL
	singlePendingSQL = singleAccountsSQL + singleTransferSQL + `,
	pending AS (
		INSERT INTO ledger_pending (transfer_id, expires_at, state) VALUES ($15::uuid, $24::timestamptz, 'open'))` +
		singleExpectSQL

	singleAccountsSQL = `WITH
	lo AS (
		UPDATE ledger_accounts SET debits_pending = $2::numeric, debits_posted = $3::numeric,
			credits_pending = $4::numeric, credits_posted = $5::numeric, entry_seq = $6::bigint
		WHERE id = $1::uuid AND entry_seq = $7::bigint
		RETURNING 1),
	hi AS (
		UPDATE ledger_accounts SET debits_pending = $9::numeric, debits_posted = $10::numeric,
			credits_pending = $11::numeric, credits_posted = $12::numeric, entry_seq = $13::bigint
		WHERE id = $8::uuid AND entry_seq = $14::bigint AND EXISTS (SELECT FROM lo)
		RETURNING 1),`
	singleTransferSQL = `
	transfer AS (
		INSERT INTO ledger_transfers (id, ledger, debit_account_id, credit_account_id, amount, pending_id, code,
			pending, post_pending, void_pending, linked, timeout_ms, expires_at, payment_ref, observation_ref, created_at)
		VALUES ($15::uuid, $16::text, $17::uuid, $18::uuid, $19::numeric, NULL, $20::int, $21::bool, false, false,
			$22::bool, $23::bigint, $24::timestamptz, NULLIF($25::text, ''), NULLIF($26::text, ''), $27::timestamptz)),
	entries AS (
		INSERT INTO ledger_entries (account_id, seq, transfer_id, field, amount, balance_before, balance_after)
		VALUES ($28::uuid, $29::bigint, $15::uuid, $30::smallint, $31::numeric, $32::numeric, $33::numeric),
			($34::uuid, $35::bigint, $15::uuid, $36::smallint, $37::numeric, $38::numeric, $39::numeric))`
	singleExpectSQL = `
	SELECT ledger_expect_rows('accounts updated', (SELECT count(*) FROM hi), 1)`
)

// copyThreshold is the batch size from which transfers and entries go in by COPY: two more round
// trips, but PostgreSQL then writes many rows per heap page and WAL record.
const copyThreshold = 64

var (
	transferCopyColumns = []string{"id", "ledger", "debit_account_id", "credit_account_id", "amount", "pending_id",
		"code", "pending", "post_pending", "void_pending", "linked", "timeout_ms", "expires_at", "payment_ref",
		"observation_ref", "created_at"}
	entryCopyColumns = []string{"account_id", "seq", "transfer_id", "field", "amount", "balance_before", "balance_after"}
)

func optText(s string) pgtype.Text { return pgtype.Text{String: s, Valid: s != ""} }

// copyRows writes transfers and entries by COPY.
func (e *engine) copyRows(ctx context.Context, q querier) error {
	rows := make([][]any, len(e.transfers))
	for i, t := range e.transfers {
		rows[i] = []any{t.ID, t.Ledger, t.DebitAccountID, t.CreditAccountID, db.Numeric(t.Amount), optUUID(t.PendingID),
			int32(t.Code), t.Flags&Pending != 0, t.Flags&PostPending != 0, t.Flags&VoidPending != 0, t.Flags&Linked != 0,
			t.Timeout.Milliseconds(), optTime(t.ExpiresAt), optText(t.PaymentRef), optText(t.ObservationRef), e.now}
	}
	if _, err := q.CopyFrom(ctx, pgx.Identifier{"ledger_transfers"}, transferCopyColumns, pgx.CopyFromRows(rows)); err != nil {
		return err
	}
	rows = make([][]any, len(e.entries))
	for i, en := range e.entries {
		rows[i] = []any{en.AccountID, en.Seq, en.TransferID, int16(en.Field), db.Numeric(en.Amount),
			db.Numeric(en.Before), db.Numeric(en.After)}
	}
	_, err := q.CopyFrom(ctx, pgx.Identifier{"ledger_entries"}, entryCopyColumns, pgx.CopyFromRows(rows))
	return err
}

// load locks the batch's accounts and reads the transfers it names (its own ids, for
// idempotency, and the pending transfers it resolves), in one round trip.
func (e *engine) load(ctx context.Context, q querier, ts []Transfer, begin bool) error {
	accountIDs := make([]ID, 0, 2*len(ts))
	transferIDs := make([]ID, 0, len(ts))
	var pendingIDs []ID
	seen := make(map[ID]struct{}, 2*len(ts))
	for _, t := range ts {
		for _, a := range [2]ID{t.DebitAccountID, t.CreditAccountID} {
			if _, dup := seen[a]; !dup && !a.IsZero() {
				seen[a] = struct{}{}
				accountIDs = append(accountIDs, a)
			}
		}
		transferIDs = append(transferIDs, t.ID)
		if t.Flags.resolves() && !t.PendingID.IsZero() {
			pendingIDs = append(pendingIDs, t.PendingID)
			transferIDs = append(transferIDs, t.PendingID)
		}
	}
	b := &pgx.Batch{}
	if begin {
		b.Queue("BEGIN")
	}
	if len(pendingIDs) == 0 {
		b.Queue(lockAccountsSQL, accountIDs)
	} else {
		b.Queue(lockAccountsPendingSQL, accountIDs, pendingIDs)
	}
	b.Queue(selectTransfersSQL, transferIDs)
	br := q.SendBatch(ctx, b)
	defer br.Close()
	if begin {
		if _, err := br.Exec(); err != nil {
			return err
		}
	}
	rows, err := br.Query()
	if err != nil {
		return fmt.Errorf("ledger: locking accounts: %w", err)
	}
	for rows.Next() {
		a, err := scanAccount(rows)
		if err != nil {
			rows.Close()
			return err
		}
		e.accounts[a.ID] = &acctState{id: a.ID, ledger: a.Ledger, flags: a.Flags, seq: a.seq, seq0: a.seq,
			bal: [5]*big.Int{nil, a.DebitsPending, a.DebitsPosted, a.CreditsPending, a.CreditsPosted}}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("ledger: locking accounts: %w", err)
	}

	isPendingRef := make(map[ID]bool, len(pendingIDs))
	for _, id := range pendingIDs {
		isPendingRef[id] = true
	}
	rows, err = br.Query()
	if err != nil {
		return fmt.Errorf("ledger: reading transfers: %w", err)
	}
	for rows.Next() {
		t, err := scanTransfer(rows)
		if err != nil {
			rows.Close()
			return err
		}
		e.existing[t.ID] = t
		if isPendingRef[t.ID] && t.Flags&Pending != 0 {
			e.pending[t.ID] = &pendingRec{t: t, state: t.State}
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("ledger: reading transfers: %w", err)
	}
	return br.Close()
}

// store writes what the engine recorded in one round trip (three for batches sent by COPY):
// opening the transaction first if begin is set, committing it if commit is.
func (e *engine) store(ctx context.Context, q querier, begin, commit bool) error {
	b := &pgx.Batch{}
	if len(e.transfers) > 0 {
		var args []any
		switch {
		case e.single():
			sql := singleSQL
			if e.transfers[0].Flags&Pending != 0 {
				sql = singlePendingSQL
			}
			if err := prepare(ctx, q, sql); err != nil {
				return err
			}
			if begin {
				b.Queue("BEGIN")
			}
			b.Queue(sql, e.singleArgs()...)
		case len(e.transfers) >= copyThreshold:
			if begin {
				if _, err := q.Exec(ctx, "BEGIN"); err != nil {
					return err
				}
			}
			if err := e.copyRows(ctx, q); err != nil {
				return err
			}
			args = make([]any, 0, 36)
			for range 12 {
				args = append(args, []string{}) // typed by the casts in the SQL; empty
			}
			args = append(args, e.now)
			for range 7 {
				args = append(args, []string{})
			}
			b.Queue(writeSQL, e.pendingAndAccountArgs(args)...)
		default:
			if begin {
				b.Queue("BEGIN")
			}
			b.Queue(writeSQL, e.pendingAndAccountArgs(e.rowArgs(make([]any, 0, 36)))...)
		}
	}
	if commit {
		b.Queue("COMMIT").Exec(func(tag pgconn.CommandTag) error {
			if tag.String() != "COMMIT" {
				return fmt.Errorf("commit answered %q", tag.String())
			}
			return nil
		})
	}
	if b.Len() == 0 {
		return nil
	}
	return q.SendBatch(ctx, b).Close()
}

// prepare makes sqls prepared statements of q's connection, once per connection. pgx's own cache
// forgets every statement of a pipeline that failed, and PostgreSQL then plans the statement
// afresh for its next five runs; singleSQL fails whenever a remembered account was stale, so it
// is kept out of that cache.
func prepare(ctx context.Context, q querier, sqls ...string) error {
	var c *pgx.Conn
	switch q := q.(type) {
	case *pgx.Conn:
		c = q
	case pgx.Tx:
		c = q.Conn()
	default:
		return nil
	}
	for _, sql := range sqls {
		if _, err := c.Prepare(ctx, sql, sql); err != nil {
			return err
		}
	}
	return nil
}

// single reports whether the batch fits singleSQL or singlePendingSQL: one transfer that posts or
// reserves.
func (e *engine) single() bool {
	if len(e.transfers) != 1 || len(e.entries) != 2 || e.transfers[0].Flags.resolves() {
		return false
	}
	dirty := 0
	for _, a := range e.accounts {
		if a.dirty {
			dirty++
		}
	}
	return dirty == 2 && e.entries[0].AccountID != e.entries[1].AccountID
}

// singleArgs are the parameters of singleSQL and singlePendingSQL.
func (e *engine) singleArgs() []any {
	t := e.transfers[0]
	lo, hi := e.accounts[t.DebitAccountID], e.accounts[t.CreditAccountID]
	if bytes.Compare(hi.id[:], lo.id[:]) < 0 {
		lo, hi = hi, lo
	}
	args := make([]any, 0, 39)
	for _, a := range [2]*acctState{lo, hi} {
		args = append(args, a.id, db.Numeric(a.bal[FieldDebitsPending]), db.Numeric(a.bal[FieldDebitsPosted]),
			db.Numeric(a.bal[FieldCreditsPending]), db.Numeric(a.bal[FieldCreditsPosted]), a.seq, a.seq0)
	}
	args = append(args, t.ID, t.Ledger, t.DebitAccountID, t.CreditAccountID, db.Numeric(t.Amount), int32(t.Code),
		t.Flags&Pending != 0, t.Flags&Linked != 0, t.Timeout.Milliseconds(), optTime(t.ExpiresAt), t.PaymentRef,
		t.ObservationRef, e.now)
	for _, en := range e.entries {
		args = append(args, en.AccountID, en.Seq, int16(en.Field), db.Numeric(en.Amount), db.Numeric(en.Before),
			db.Numeric(en.After))
	}
	return args
}

// rowArgs appends the arrays of transfers and entries ($1–$20 of writeSQL).
func (e *engine) rowArgs(args []any) []any {
	n := len(e.transfers)
	var (
		ids, drs, crs   = make([]ID, n), make([]ID, n), make([]ID, n)
		ledgers         = make([]string, n)
		amounts         = make([]pgtype.Numeric, n)
		pendingIDs      = make([]pgtype.UUID, n)
		codes, flags    = make([]int32, n), make([]int32, n)
		timeouts        = make([]int64, n)
		expires         = make([]pgtype.Timestamptz, n)
		payRefs, obsRef = make([]string, n), make([]string, n)
	)
	for i, t := range e.transfers {
		ids[i], drs[i], crs[i], ledgers[i] = t.ID, t.DebitAccountID, t.CreditAccountID, t.Ledger
		amounts[i] = db.Numeric(t.Amount)
		pendingIDs[i] = optUUID(t.PendingID)
		codes[i], flags[i] = int32(t.Code), int32(t.Flags)
		timeouts[i] = t.Timeout.Milliseconds()
		expires[i] = optTime(t.ExpiresAt)
		payRefs[i], obsRef[i] = t.PaymentRef, t.ObservationRef
	}
	args = append(args, ids, ledgers, drs, crs, amounts, pendingIDs, codes, flags, timeouts, expires, payRefs, obsRef, e.now)

	m := len(e.entries)
	var (
		eAcct, eTransfer     = make([]ID, m), make([]ID, m)
		eSeq                 = make([]int64, m)
		eField               = make([]int16, m)
		eAmount, eBef, eAftr = make([]pgtype.Numeric, m), make([]pgtype.Numeric, m), make([]pgtype.Numeric, m)
	)
	for i, en := range e.entries {
		eAcct[i], eSeq[i], eTransfer[i], eField[i] = en.AccountID, en.Seq, en.TransferID, int16(en.Field)
		eAmount[i], eBef[i], eAftr[i] = db.Numeric(en.Amount), db.Numeric(en.Before), db.Numeric(en.After)
	}
	return append(args, eAcct, eSeq, eTransfer, eField, eAmount, eBef, eAftr)
}

// pendingAndAccountArgs appends the arrays of pending rows and accounts and the number of
// pending rows to resolve and of accounts to update ($21–$36 of writeSQL).
func (e *engine) pendingAndAccountArgs(args []any) []any {
	var (
		pNew, pRes           = []ID{}, []ID{}
		pNewBy, pResBy       = []pgtype.UUID{}, []ID{}
		pNewExp              = []pgtype.Timestamptz{}
		pNewState, pResState = []string{}, []string{}
		aID                  = []ID{}
		aDP, aDPo, aCP, aCPo []pgtype.Numeric
		aSeq, aSeq0          []int64
	)
	for id, p := range e.pending {
		switch {
		case p.created:
			pNew, pNewExp, pNewState = append(pNew, id), append(pNewExp, optTime(p.t.ExpiresAt)), append(pNewState, string(p.state))
			pNewBy = append(pNewBy, optUUID(p.resolvedBy))
		case p.changed:
			pRes, pResState, pResBy = append(pRes, id), append(pResState, string(p.state)), append(pResBy, p.resolvedBy)
		}
	}
	for id, a := range e.accounts {
		if !a.dirty {
			continue
		}
		aID, aSeq, aSeq0 = append(aID, id), append(aSeq, a.seq), append(aSeq0, a.seq0)
		aDP, aDPo = append(aDP, db.Numeric(a.bal[FieldDebitsPending])), append(aDPo, db.Numeric(a.bal[FieldDebitsPosted]))
		aCP, aCPo = append(aCP, db.Numeric(a.bal[FieldCreditsPending])), append(aCPo, db.Numeric(a.bal[FieldCreditsPosted]))
	}
	return append(args, pNew, pNewExp, pNewState, pNewBy, pRes, pResState, pResBy, aID, aDP, aDPo, aCP, aCPo, aSeq, aSeq0,
		int64(len(pRes)), int64(len(aID)))
}

func optTime(t time.Time) pgtype.Timestamptz { return pgtype.Timestamptz{Time: t, Valid: !t.IsZero()} }

// accountRow is an Account plus its entry counter.
type accountRow struct {
	Account
	seq int64
}

func scanAccount(row pgx.Row) (accountRow, error) {
	var (
		a          accountRow
		code       int32
		dmnc, cmnd bool
		dp, dpo    db.Amount
		cp, cpo    db.Amount
	)
	if err := row.Scan(&a.ID, &a.Ledger, &code, &a.Owner, &dmnc, &cmnd, &dp, &dpo, &cp, &cpo, &a.seq, &a.CreatedAt); err != nil {
		return a, fmt.Errorf("ledger: reading account: %w", err)
	}
	a.Code = AccountCode(code)
	if dmnc {
		a.Flags |= DebitsMustNotExceedCredits
	}
	if cmnd {
		a.Flags |= CreditsMustNotExceedDebits
	}
	a.DebitsPending, a.DebitsPosted, a.CreditsPending, a.CreditsPosted = dp.V, dpo.V, cp.V, cpo.V
	return a, nil
}

func scanTransfer(row pgx.Row) (Transfer, error) {
	var (
		t                         Transfer
		amount                    db.Amount
		pendingID                 pgtype.UUID
		code                      int32
		pending, post, void, link bool
		timeoutMS                 int64
		expires                   pgtype.Timestamptz
		state                     pgtype.Text
	)
	err := row.Scan(&t.ID, &t.Ledger, &t.DebitAccountID, &t.CreditAccountID, &amount, &pendingID, &code,
		&pending, &post, &void, &link, &timeoutMS, &expires, &t.PaymentRef, &t.ObservationRef, &t.CreatedAt, &state)
	if err != nil {
		return t, fmt.Errorf("ledger: reading transfer: %w", err)
	}
	t.Amount = amount.V
	if pendingID.Valid {
		t.PendingID = pendingID.Bytes
	}
	t.Code = uint16(code)
	for _, f := range []struct {
		on   bool
		flag TransferFlags
	}{{link, Linked}, {pending, Pending}, {post, PostPending}, {void, VoidPending}} {
		if f.on {
			t.Flags |= f.flag
		}
	}
	t.Timeout = time.Duration(timeoutMS) * time.Millisecond
	if expires.Valid {
		t.ExpiresAt = expires.Time
	}
	t.State = PendingState(state.String)
	return t, nil
}

func isNoRows(err error) bool { return errors.Is(err, pgx.ErrNoRows) }

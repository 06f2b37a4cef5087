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
// COMMIT in one pipeline (Ledger.fromMemory); a batch from memory skips the lock.

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

// lockChangedAccountsSQL locks the same way but returns only the accounts whose entry_seq is not
// the one the Ledger remembers ($2; -1 for an account it does not remember). MATERIALIZED keeps
// that filter above the lock: pushed down, it would leave the other accounts unlocked.
const lockChangedAccountsSQL = `WITH locked AS MATERIALIZED (
		SELECT a.*, u.seq0 FROM unnest($1::uuid[], $2::bigint[]) AS u(id, seq0) JOIN ledger_accounts a ON a.id = u.id
		ORDER BY a.id FOR UPDATE OF a)
	SELECT ` + lockedAccountColumns + ` FROM locked a WHERE a.entry_seq <> a.seq0`

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

// selectPaymentTransfersSQL reads one payment's transfers (index ledger_transfers_payment_ref_idx),
// oldest first, at most $2 of them.
const selectPaymentTransfersSQL = `SELECT ` + transferColumns + `
	FROM ledger_transfers t LEFT JOIN ledger_pending p ON p.transfer_id = t.id
	WHERE t.payment_ref = $1 ORDER BY t.created_at, t.id LIMIT $2`

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

const noLockWaitSQL = "SET LOCAL lock_timeout = '1ms'"

// load locks the batch's accounts and reads the transfers it names (its own ids, for
// idempotency, and the pending transfers it resolves), in one round trip.
//
// With known, the committed states the Ledger remembers of some of the batch's accounts, only the
// accounts whose entry_seq differs (or that are not remembered) are read, and the batch's own ids
// are not looked up, which was most of a large batch's first round trip: an id recorded before
// fails the insert on the primary key instead, and the caller runs the batch again without known.
// It takes known only for a batch that resolves no pending transfer.
func (e *engine) load(ctx context.Context, q querier, ts []Transfer, begin bool, known map[ID]acctState) error {
	accountIDs := accountsOf(ts)
	transferIDs := make([]ID, 0, len(ts))
	var pendingIDs []ID
	for _, t := range ts {
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
	switch {
	case known != nil:
		seqs := make([]int64, len(accountIDs))
		for i, id := range accountIDs {
			seqs[i] = -1
			if a, ok := known[id]; ok {
				seqs[i] = a.seq
			}
		}
		b.Queue(lockChangedAccountsSQL, accountIDs, seqs)
	case len(pendingIDs) == 0:
		b.Queue(lockAccountsSQL, accountIDs)
	default:
		b.Queue(lockAccountsPendingSQL, accountIDs, pendingIDs)
	}
	if known == nil {
		b.Queue(selectTransfersSQL, transferIDs)
	}
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
	if known != nil {
		// The rest are locked now, and still as remembered.
		for _, id := range accountIDs {
			if a, ok := known[id]; ok && e.accounts[id] == nil {
				e.accounts[id] = &a
			}
		}
		return br.Close()
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
// opening the transaction first if begin is set, committing it if commit is. begin is set only
// when writing from memory (Ledger.fromMemory), without the lock: a write of more than a single
// transfer then does not wait for row locks.
//
// noLockWaitSQL makes such a write fail with lock_not_available instead of waiting for a row
// another transaction holds. That transaction is changing the account, so the remembered state
// is stale and the write would fail after the wait anyway; and as the write's row locks are not
// taken in id order, waiting could close a cycle that only the deadlock detector (one second)
// would break. 1 ms is the smallest lock_timeout there is (0 turns it off).
func (e *engine) store(ctx context.Context, q querier, begin, commit bool) error {
	c := connOf(q)
	switch {
	case c == nil:
		return errors.New("ledger: writing needs a *pgx.Conn or a pgx.Tx")
	case len(e.transfers) == 0:
		if commit {
			_, err := q.Exec(ctx, "COMMIT")
			return err
		}
		return nil
	case e.single():
		return e.storeSingle(ctx, c, begin, commit)
	}
	sd, err := c.Prepare(ctx, writeSQL, writeSQL)
	if err != nil {
		return err
	}
	bulk := len(e.transfers) >= copyThreshold
	if bulk {
		if begin {
			if _, err := c.Exec(ctx, "BEGIN; "+noLockWaitSQL); err != nil {
				return err
			}
			begin = false
		}
		if err := e.copyRows(ctx, c); err != nil {
			return err
		}
	}
	// The parameters go in binary, encoded here (wire.go), at the pgconn level, so that pgx does
	// not encode them again.
	params := e.writeParams(!bulk)
	formats := make([]int16, len(params))
	for i := range formats {
		formats[i] = 1
	}
	b := &pgconn.Batch{}
	if begin {
		b.ExecParams("BEGIN", nil, nil, nil, nil)
		b.ExecParams(noLockWaitSQL, nil, nil, nil, nil)
	}
	b.ExecPrepared(sd.Name, params, formats, nil)
	if commit {
		b.ExecParams("COMMIT", nil, nil, nil, nil)
	}
	results, err := c.PgConn().ExecBatch(ctx, b).ReadAll()
	if err != nil {
		return err
	}
	if last := results[len(results)-1].CommandTag.String(); commit && last != "COMMIT" {
		return fmt.Errorf("commit answered %q", last)
	}
	return nil
}

// storeSingle writes a batch that fits singleSQL or singlePendingSQL. The statement is a
// prepared statement of the connection, outside pgx's statement cache: pgx forgets every
// statement of a pipeline that failed, and PostgreSQL then plans the statement afresh for its
// next five runs; singleSQL fails whenever a remembered account was stale. (writeSQL is prepared
// the same way, to be run at the pgconn level.)
func (e *engine) storeSingle(ctx context.Context, c *pgx.Conn, begin, commit bool) error {
	sql := singleSQL
	if e.transfers[0].Flags&Pending != 0 {
		sql = singlePendingSQL
	}
	if _, err := c.Prepare(ctx, sql, sql); err != nil {
		return err
	}
	b := &pgx.Batch{}
	if begin {
		b.Queue("BEGIN")
	}
	b.Queue(sql, e.singleArgs()...)
	if commit {
		b.Queue("COMMIT").Exec(func(tag pgconn.CommandTag) error {
			if tag.String() != "COMMIT" {
				return fmt.Errorf("commit answered %q", tag.String())
			}
			return nil
		})
	}
	return c.SendBatch(ctx, b).Close()
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

// writeParams are the parameters of writeSQL, in binary; without rows, the arrays of transfers
// and entries are empty (they went in by COPY).
func (e *engine) writeParams(rows bool) [][]byte {
	ts, es := e.transfers, e.entries
	if !rows {
		ts, es = nil, nil
	}
	p := make([][]byte, 0, 36)
	p = append(p,
		binaryArray(oidUUID, len(ts), 16, func(b []byte, i int) []byte { return appendUUID(b, ts[i].ID) }),
		binaryArray(oidText, len(ts), 12, func(b []byte, i int) []byte { return appendText(b, ts[i].Ledger) }),
		binaryArray(oidUUID, len(ts), 16, func(b []byte, i int) []byte { return appendUUID(b, ts[i].DebitAccountID) }),
		binaryArray(oidUUID, len(ts), 16, func(b []byte, i int) []byte { return appendUUID(b, ts[i].CreditAccountID) }),
		binaryArray(oidNumeric, len(ts), 16, func(b []byte, i int) []byte { return appendNumericField(b, ts[i].Amount) }),
		binaryArray(oidUUID, len(ts), 16, func(b []byte, i int) []byte { return appendOptUUID(b, ts[i].PendingID) }),
		binaryArray(oidInt4, len(ts), 4, func(b []byte, i int) []byte { return appendInt32(b, int32(ts[i].Code)) }),
		binaryArray(oidInt4, len(ts), 4, func(b []byte, i int) []byte { return appendInt32(b, int32(ts[i].Flags)) }),
		binaryArray(oidInt8, len(ts), 8, func(b []byte, i int) []byte { return appendInt64(b, ts[i].Timeout.Milliseconds()) }),
		binaryArray(oidTimestamptz, len(ts), 8, func(b []byte, i int) []byte { return appendOptTime(b, ts[i].ExpiresAt) }),
		binaryArray(oidText, len(ts), 8, func(b []byte, i int) []byte { return appendText(b, ts[i].PaymentRef) }),
		binaryArray(oidText, len(ts), 8, func(b []byte, i int) []byte { return appendText(b, ts[i].ObservationRef) }),
		appendTime(nil, e.now)[4:],
		binaryArray(oidUUID, len(es), 16, func(b []byte, i int) []byte { return appendUUID(b, es[i].AccountID) }),
		binaryArray(oidInt8, len(es), 8, func(b []byte, i int) []byte { return appendInt64(b, es[i].Seq) }),
		binaryArray(oidUUID, len(es), 16, func(b []byte, i int) []byte { return appendUUID(b, es[i].TransferID) }),
		binaryArray(oidInt2, len(es), 2, func(b []byte, i int) []byte { return appendInt16(b, int16(es[i].Field)) }),
		binaryArray(oidNumeric, len(es), 16, func(b []byte, i int) []byte { return appendNumericField(b, es[i].Amount) }),
		binaryArray(oidNumeric, len(es), 24, func(b []byte, i int) []byte { return appendNumericField(b, es[i].Before) }),
		binaryArray(oidNumeric, len(es), 24, func(b []byte, i int) []byte { return appendNumericField(b, es[i].After) }),
	)

	var created, resolved []*pendingRec
	for _, r := range e.pending {
		switch {
		case r.created:
			created = append(created, r)
		case r.changed:
			resolved = append(resolved, r)
		}
	}
	p = append(p,
		binaryArray(oidUUID, len(created), 16, func(b []byte, i int) []byte { return appendUUID(b, created[i].t.ID) }),
		binaryArray(oidTimestamptz, len(created), 8, func(b []byte, i int) []byte { return appendOptTime(b, created[i].t.ExpiresAt) }),
		binaryArray(oidText, len(created), 8, func(b []byte, i int) []byte { return appendText(b, string(created[i].state)) }),
		binaryArray(oidUUID, len(created), 16, func(b []byte, i int) []byte { return appendOptUUID(b, created[i].resolvedBy) }),
		binaryArray(oidUUID, len(resolved), 16, func(b []byte, i int) []byte { return appendUUID(b, resolved[i].t.ID) }),
		binaryArray(oidText, len(resolved), 8, func(b []byte, i int) []byte { return appendText(b, string(resolved[i].state)) }),
		binaryArray(oidUUID, len(resolved), 16, func(b []byte, i int) []byte { return appendUUID(b, resolved[i].resolvedBy) }),
	)

	var accts []*acctState
	for _, a := range e.accounts {
		if a.dirty {
			accts = append(accts, a)
		}
	}
	bal := func(f Field) []byte {
		return binaryArray(oidNumeric, len(accts), 24, func(b []byte, i int) []byte { return appendNumericField(b, accts[i].bal[f]) })
	}
	return append(p,
		binaryArray(oidUUID, len(accts), 16, func(b []byte, i int) []byte { return appendUUID(b, accts[i].id) }),
		bal(FieldDebitsPending), bal(FieldDebitsPosted), bal(FieldCreditsPending), bal(FieldCreditsPosted),
		binaryArray(oidInt8, len(accts), 8, func(b []byte, i int) []byte { return appendInt64(b, accts[i].seq) }),
		binaryArray(oidInt8, len(accts), 8, func(b []byte, i int) []byte { return appendInt64(b, accts[i].seq0) }),
		appendInt64(nil, int64(len(resolved)))[4:],
		appendInt64(nil, int64(len(accts)))[4:],
	)
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

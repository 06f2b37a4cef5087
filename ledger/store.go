package ledger

import (
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
// and account balances, each from arrays. It returns how many pending rows it resolved and how
// many accounts it updated. (Batches past copyThreshold send transfers and entries by COPY first
// and pass empty arrays for them here.)
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
	-- Only rows still open move; the caller checks that all of them did.
	resolved AS (
		UPDATE ledger_pending p SET state = u.state::ledger_pending_state, resolved_by = u.resolved_by
		FROM unnest($25::uuid[], $26::text[], $27::uuid[]) AS u(id, state, resolved_by)
		WHERE p.transfer_id = u.id AND p.state = 'open'
		RETURNING 1),
	accounts AS (
		UPDATE ledger_accounts a SET debits_pending = u.dp, debits_posted = u.dpo,
			credits_pending = u.cp, credits_posted = u.cpo, entry_seq = u.seq
		FROM unnest($28::uuid[], $29::numeric[], $30::numeric[], $31::numeric[], $32::numeric[], $33::bigint[])
			AS u(id, dp, dpo, cp, cpo, seq)
		WHERE a.id = u.id
		RETURNING 1)
	SELECT (SELECT count(*) FROM resolved), (SELECT count(*) FROM accounts)`

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
		e.accounts[a.ID] = &acctState{id: a.ID, ledger: a.Ledger, flags: a.Flags, seq: a.seq,
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

// store writes what the engine recorded in one round trip (three for batches sent by COPY), and
// commits if asked to.
func (e *engine) store(ctx context.Context, q querier, commit bool) error {
	b := &pgx.Batch{}
	if len(e.transfers) > 0 {
		args := make([]any, 0, 33)
		if len(e.transfers) >= copyThreshold {
			if err := e.copyRows(ctx, q); err != nil {
				return err
			}
			args = append(args, make([]any, 12)...)
			for i := range 12 {
				args[i] = []string{} // typed by the casts in the SQL; empty
			}
			args = append(args, e.now)
			for range 7 {
				args = append(args, []string{})
			}
		} else {
			args = e.rowArgs(args)
		}
		args, nRes, nAcct := e.pendingAndAccountArgs(args)
		b.Queue(writeSQL, args...).QueryRow(func(row pgx.Row) error {
			var resolved, updated int64
			if err := row.Scan(&resolved, &updated); err != nil {
				return err
			}
			if resolved != int64(nRes) {
				// The account locks make this impossible; if it happens, write nothing.
				return errors.New("a pending transfer was resolved concurrently")
			}
			if updated != int64(nAcct) {
				return fmt.Errorf("updated %d accounts, want %d", updated, nAcct)
			}
			return nil
		})
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

// pendingAndAccountArgs appends the arrays of pending rows and accounts ($21–$33 of writeSQL) and
// says how many pending rows must be resolved and accounts updated.
func (e *engine) pendingAndAccountArgs(args []any) (_ []any, resolved, accounts int) {
	var (
		pNew, pRes           = []ID{}, []ID{}
		pNewBy, pResBy       = []pgtype.UUID{}, []ID{}
		pNewExp              = []pgtype.Timestamptz{}
		pNewState, pResState = []string{}, []string{}
		aID                  = []ID{}
		aDP, aDPo, aCP, aCPo []pgtype.Numeric
		aSeq                 []int64
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
		aID, aSeq = append(aID, id), append(aSeq, a.seq)
		aDP, aDPo = append(aDP, db.Numeric(a.bal[FieldDebitsPending])), append(aDPo, db.Numeric(a.bal[FieldDebitsPosted]))
		aCP, aCPo = append(aCP, db.Numeric(a.bal[FieldCreditsPending])), append(aCPo, db.Numeric(a.bal[FieldCreditsPosted]))
	}
	args = append(args, pNew, pNewExp, pNewState, pNewBy, pRes, pResState, pResBy, aID, aDP, aDPo, aCP, aCPo, aSeq)
	return args, len(pRes), len(aID)
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

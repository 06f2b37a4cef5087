package ledger

import (
	"context"
	"fmt"
	"math"
	"math/big"

	"github.com/amanat/amn/db"
)

// insertAccountsSQL skips an account whose id exists. No arbiter is named: two transactions racing
// to create the same account would otherwise collide on the (id, ledger) key, which ON CONFLICT
// (id) does not cover (points' racing grants found it); CreateAccounts then compares what is stored.
const insertAccountsSQL = `INSERT INTO ledger_accounts (id, ledger, code, owner_ref,
		debits_must_not_exceed_credits, credits_must_not_exceed_debits)
	SELECT * FROM unnest($1::uuid[], $2::text[], $3::int[], $4::text[], $5::bool[], $6::bool[])
	ON CONFLICT DO NOTHING`

// CreateAccounts creates the accounts that do not exist yet and returns all of them as stored.
// It is idempotent: an account whose id exists with the same ledger, code, owner and flags is
// returned as it is; with different ones it is an *AccountError wrapping ErrIDReused, and nothing
// is created. Balances given in as are ignored: they start at zero.
func (l *Ledger) CreateAccounts(ctx context.Context, as ...Account) ([]Account, error) {
	if len(as) == 0 {
		return nil, nil
	}
	n := len(as)
	ids, ledgers, owners := make([]ID, n), make([]string, n), make([]string, n)
	codes := make([]int32, n)
	dmnc, cmnd := make([]bool, n), make([]bool, n)
	for i, a := range as {
		var err error
		switch {
		case a.ID.IsZero():
			err = invalid("zero account id")
		case !ValidLedger(a.Ledger):
			err = invalid("ledger %q: want chain:TOKEN", a.Ledger)
		case a.Code == 0:
			err = invalid("zero account code")
		case a.Flags&^(DebitsMustNotExceedCredits|CreditsMustNotExceedDebits) != 0:
			err = invalid("unknown account flags %#x", uint16(a.Flags))
		case a.Flags == DebitsMustNotExceedCredits|CreditsMustNotExceedDebits:
			err = invalid("an account takes at most one of the two limits")
		}
		if err != nil {
			return nil, &AccountError{Index: i, ID: a.ID, Err: err}
		}
		ids[i], ledgers[i], codes[i], owners[i] = a.ID, a.Ledger, int32(a.Code), a.Owner
		dmnc[i], cmnd[i] = a.Flags&DebitsMustNotExceedCredits != 0, a.Flags&CreditsMustNotExceedDebits != 0
	}
	out := make([]Account, n)
	err := l.write(ctx, func(q querier) error {
		if _, err := q.Exec(ctx, insertAccountsSQL, ids, ledgers, codes, owners, dmnc, cmnd); err != nil {
			return fmt.Errorf("ledger: creating accounts: %w", err)
		}
		stored, err := selectAccounts(ctx, q, ids)
		if err != nil {
			return err
		}
		for i, a := range as {
			s, ok := stored[a.ID]
			if !ok {
				return fmt.Errorf("ledger: account %s vanished after insert", a.ID)
			}
			if s.Ledger != a.Ledger || s.Code != a.Code || s.Owner != a.Owner || s.Flags != a.Flags {
				return &AccountError{Index: i, ID: a.ID, Err: ErrIDReused}
			}
			out[i] = s
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func selectAccounts(ctx context.Context, q querier, ids []ID) (map[ID]Account, error) {
	rows, err := q.Query(ctx, `SELECT `+accountColumns+` FROM ledger_accounts WHERE id = ANY($1::uuid[])`, ids)
	if err != nil {
		return nil, fmt.Errorf("ledger: reading accounts: %w", err)
	}
	defer rows.Close()
	out := make(map[ID]Account, len(ids))
	for rows.Next() {
		a, err := scanAccount(rows)
		if err != nil {
			return nil, err
		}
		out[a.ID] = a.Account
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("ledger: reading accounts: %w", err)
	}
	return out, nil
}

// Account returns an account with its balances; see Account.Balance for pending, posted and
// available.
func (l *Ledger) Account(ctx context.Context, id ID) (Account, error) {
	var a Account
	err := l.read(ctx, func(q querier) error {
		m, err := selectAccounts(ctx, q, []ID{id})
		if err != nil {
			return err
		}
		var ok bool
		if a, ok = m[id]; !ok {
			return fmt.Errorf("ledger: account %s: %w", id, ErrAccountNotFound)
		}
		return nil
	})
	return a, err
}

// Accounts returns the accounts that exist among ids, keyed by id.
func (l *Ledger) Accounts(ctx context.Context, ids ...ID) (map[ID]Account, error) {
	var m map[ID]Account
	err := l.read(ctx, func(q querier) error {
		var err error
		m, err = selectAccounts(ctx, q, ids)
		return err
	})
	return m, err
}

// LookupTransfer returns a recorded transfer; for a pending one, State says where it stands.
func (l *Ledger) LookupTransfer(ctx context.Context, id ID) (Transfer, error) {
	m, err := l.LookupTransfers(ctx, id)
	if err != nil {
		return Transfer{}, err
	}
	t, ok := m[id]
	if !ok {
		return Transfer{}, fmt.Errorf("ledger: transfer %s: %w", id, ErrTransferNotFound)
	}
	return t, nil
}

// Entries returns up to limit entries of an account with Seq > afterSeq, in Seq order: pass the
// last Seq of a page to get the next one (0 for the first).
func (l *Ledger) Entries(ctx context.Context, account ID, afterSeq int64, limit int) ([]Entry, error) {
	if limit <= 0 || limit > 10000 {
		limit = 1000
	}
	return l.entries(ctx, entriesAfterSQL, account, afterSeq, limit)
}

// EntriesBefore returns up to limit entries of an account with Seq < beforeSeq, newest first:
// pass the last Seq of a page to get the next one (0 for the newest).
func (l *Ledger) EntriesBefore(ctx context.Context, account ID, beforeSeq int64, limit int) ([]Entry, error) {
	if limit <= 0 || limit > 10000 {
		limit = 1000
	}
	if beforeSeq <= 0 {
		beforeSeq = math.MaxInt64
	}
	return l.entries(ctx, entriesBeforeSQL, account, beforeSeq, limit)
}

const (
	entriesAfterSQL = `SELECT account_id, seq, transfer_id, field, amount, balance_before, balance_after
		FROM ledger_entries WHERE account_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`
	entriesBeforeSQL = `SELECT account_id, seq, transfer_id, field, amount, balance_before, balance_after
		FROM ledger_entries WHERE account_id = $1 AND seq < $2 ORDER BY seq DESC LIMIT $3`
)

func (l *Ledger) entries(ctx context.Context, sql string, account ID, seq int64, limit int) ([]Entry, error) {
	var out []Entry
	err := l.read(ctx, func(q querier) error {
		rows, err := q.Query(ctx, sql, account, seq, limit)
		if err != nil {
			return fmt.Errorf("ledger: reading entries: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var (
				en            Entry
				field         int16
				amt, bef, aft db.Amount
			)
			if err := rows.Scan(&en.AccountID, &en.Seq, &en.TransferID, &field, &amt, &bef, &aft); err != nil {
				return fmt.Errorf("ledger: reading entries: %w", err)
			}
			en.Field = Field(field)
			en.Amount, en.Before, en.After = amt.V, bef.V, aft.V
			out = append(out, en)
		}
		return rows.Err()
	})
	return out, err
}

// TrialBalance sums the accounts of one ledger by account code.
func (l *Ledger) TrialBalance(ctx context.Context, ledger string) (TrialBalance, error) {
	tb := TrialBalance{Ledger: ledger, Total: TrialLine{DebitsPending: new(big.Int), DebitsPosted: new(big.Int),
		CreditsPending: new(big.Int), CreditsPosted: new(big.Int)}}
	err := l.read(ctx, func(q querier) error {
		rows, err := q.Query(ctx, `SELECT code, count(*), sum(debits_pending), sum(debits_posted), sum(credits_pending), sum(credits_posted)
			FROM ledger_accounts WHERE ledger = $1 GROUP BY code ORDER BY code`, ledger)
		if err != nil {
			return fmt.Errorf("ledger: trial balance: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var (
				code             int32
				line             TrialLine
				dp, dpo, cp, cpo db.Amount
			)
			if err := rows.Scan(&code, &line.Accounts, &dp, &dpo, &cp, &cpo); err != nil {
				return fmt.Errorf("ledger: trial balance: %w", err)
			}
			line.Code = AccountCode(code)
			line.DebitsPending, line.DebitsPosted, line.CreditsPending, line.CreditsPosted = dp.V, dpo.V, cp.V, cpo.V
			tb.Lines = append(tb.Lines, line)
			tb.Total.Accounts += line.Accounts
			tb.Total.DebitsPending.Add(tb.Total.DebitsPending, dp.V)
			tb.Total.DebitsPosted.Add(tb.Total.DebitsPosted, dpo.V)
			tb.Total.CreditsPending.Add(tb.Total.CreditsPending, cp.V)
			tb.Total.CreditsPosted.Add(tb.Total.CreditsPosted, cpo.V)
		}
		return rows.Err()
	})
	return tb, err
}

// LookupTransfers returns the recorded transfers among ids, keyed by id; ids not recorded are
// absent. One query, however many ids.
func (l *Ledger) LookupTransfers(ctx context.Context, ids ...ID) (map[ID]Transfer, error) {
	out := make(map[ID]Transfer, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	err := l.read(ctx, func(q querier) error {
		rows, err := q.Query(ctx, selectTransfersSQL, ids)
		if err != nil {
			return fmt.Errorf("ledger: reading transfers: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			t, err := scanTransfer(rows)
			if err != nil {
				return err
			}
			out[t.ID] = t
		}
		return rows.Err()
	})
	return out, err
}

// PaymentTransfersMax is the most transfers PaymentTransfers returns: far more than one payment
// makes (a deposit or a few, a sweep, a payout and its posts or voids per attempt).
const PaymentTransfersMax = 1000

// PaymentTransfers returns the transfers recorded with PaymentRef ref, oldest first (at most
// PaymentTransfersMax); for a pending one, State says where it stands.
func (l *Ledger) PaymentTransfers(ctx context.Context, ref string) ([]Transfer, error) {
	var out []Transfer
	err := l.read(ctx, func(q querier) error {
		rows, err := q.Query(ctx, selectPaymentTransfersSQL, ref, PaymentTransfersMax)
		if err != nil {
			return fmt.Errorf("ledger: reading a payment's transfers: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			t, err := scanTransfer(rows)
			if err != nil {
				return err
			}
			out = append(out, t)
		}
		return rows.Err()
	})
	return out, err
}

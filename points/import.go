package points

import (
	"context"
	"fmt"
	"math/big"
	"regexp"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/amanat/amn/chart"
	"github.com/amanat/amn/kind"
	"github.com/amanat/amn/ledger"
)

// The legacy MongoDB import's entry points (package migrate/mongo calls them, each in its
// per-document transaction): a legacy account's points become an opening balance on the books,
// its old PointTransaction history is kept as history, its referral code and referrer as they were.

// ErrImportInvalid: imported points data breaks a rule of points.
var ErrImportInvalid = kind.New(kind.Invalid, "imported points invalid")

// OpeningID is the n-th opening transfer of the legacy account oldID (an ObjectId in hex): 0 is
// the opening balance; a later import that finds another balance books the difference as 1, 2, …
// Derived, so a rerun or a resumed run finds its transfer booked and books nothing.
func OpeningID(oldID string, n int) ledger.ID {
	return ledger.DeriveID("points/opening\x00" + oldID + "\x00" + strconv.Itoa(n))
}

const (
	openingMemosSQL   = `SELECT transfer_id FROM points_memos WHERE user_id = $1 AND kind = 'opening' ORDER BY created_at, transfer_id`
	allOpeningMemoSQL = `SELECT transfer_id FROM points_memos WHERE kind = 'opening'`
	importHistorySQL  = `INSERT INTO points_legacy_history (id, user_id, amount, kind, reason, created_at) VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (id) DO UPDATE SET user_id = excluded.user_id, amount = excluded.amount, kind = excluded.kind,
		reason = excluded.reason, created_at = excluded.created_at`
	historyTotalsSQL   = `SELECT count(*), coalesce(sum(amount), 0)::bigint FROM points_legacy_history WHERE id = ANY($1::uuid[])`
	importCodeSQL      = `INSERT INTO points_codes (user_id, code, created_at) VALUES ($1, $2, $3) ON CONFLICT (user_id) DO UPDATE SET code = excluded.code`
	importReferralSQL  = `INSERT INTO points_referrals (referred_id, referrer_id, status, created_at) VALUES ($1, $2, 'legacy', $3) ON CONFLICT (referred_id) DO NOTHING`
	openingMemoKind    = "opening"
	openingMemoReasonF = "legacy balance %d"
)

var codeForm = regexp.MustCompile(`^[0-9A-Z]{8}$`)

// ImportOpening makes user's points to use equal balance, the legacy account oldID's points: the
// first import books one transfer from issuance (OpeningID(oldID, 0)); a later one that finds a
// different balance books the difference (either way) as the next OpeningID. Negative balances
// are ErrImportInvalid.
func (s *Service) ImportOpening(ctx context.Context, tx pgx.Tx, user uuid.UUID, oldID string, balance int64, at time.Time) error {
	if balance < 0 {
		return fmt.Errorf("%w: negative balance %d", ErrImportInvalid, balance)
	}
	books := s.books.WithTx(tx)
	booked, n, err := s.openingBooked(ctx, tx, books, user)
	if err != nil {
		return err
	}
	diff := balance - booked
	if diff == 0 {
		return nil
	}
	if err := s.openAccounts(ctx, books, user); err != nil {
		return err
	}
	t := ledger.Transfer{ID: OpeningID(oldID, n), Ledger: chart.PointsLedger, DebitAccountID: chart.PointsIssuance(),
		CreditAccountID: chart.PointsUser(user), Amount: big.NewInt(diff), Code: chart.CodePointsOpening}
	if diff < 0 {
		t.DebitAccountID, t.CreditAccountID, t.Amount = chart.PointsUser(user), chart.PointsIssuance(), big.NewInt(-diff)
	}
	if _, err := books.Transfer(ctx, t); err != nil {
		return fmt.Errorf("points: opening of %s: %w", user, err)
	}
	_, err = tx.Exec(ctx, insertMemoSQL, t.ID, user, openingMemoKind, nil, fmt.Sprintf(openingMemoReasonF, balance), at.UTC())
	return err
}

// openingBooked is what user's opening transfers add up to, and how many there are.
func (s *Service) openingBooked(ctx context.Context, tx pgx.Tx, books *ledger.Ledger, user uuid.UUID) (int64, int, error) {
	rows, err := tx.Query(ctx, openingMemosSQL, user)
	if err != nil {
		return 0, 0, err
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[ledger.ID])
	if err != nil {
		return 0, 0, err
	}
	sum, err := openingSum(ctx, books, ids)
	return sum, len(ids), err
}

// openingSum adds up opening transfers: into a user's account counts up, out of it down.
func openingSum(ctx context.Context, books *ledger.Ledger, ids []ledger.ID) (int64, error) {
	got, err := books.LookupTransfers(ctx, ids...)
	if err != nil {
		return 0, err
	}
	var sum int64
	for _, t := range got {
		if t.DebitAccountID == chart.PointsIssuance() {
			sum += t.Amount.Int64()
		} else {
			sum -= t.Amount.Int64()
		}
	}
	return sum, nil
}

// OpeningTotal is what every opening transfer adds up to: the import's verification compares it
// with the legacy store's sum of balances.
func (s *Service) OpeningTotal(ctx context.Context, tx pgx.Tx) (int64, error) {
	rows, err := tx.Query(ctx, allOpeningMemoSQL)
	if err != nil {
		return 0, err
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[ledger.ID])
	if err != nil {
		return 0, err
	}
	return openingSum(ctx, s.books.WithTx(tx), ids)
}

// LegacyEntry is one line of a legacy account's old points history.
type LegacyEntry struct {
	ID        uuid.UUID // derived by the importer from the old _id
	User      uuid.UUID
	Amount    int64 // signed: earned > 0, spent < 0
	Kind      string
	Reason    string
	CreatedAt time.Time
}

// ImportHistory keeps one line of the old history (not a movement: the balance is the opening).
func ImportHistory(ctx context.Context, tx pgx.Tx, e LegacyEntry) error {
	if e.Kind == "" || len(e.Kind) > 64 || e.CreatedAt.IsZero() {
		return fmt.Errorf("%w: history line without type or time", ErrImportInvalid)
	}
	if len([]rune(e.Reason)) > 500 {
		e.Reason = string([]rune(e.Reason)[:500])
	}
	_, err := tx.Exec(ctx, importHistorySQL, e.ID, e.User, e.Amount, e.Kind, e.Reason, e.CreatedAt.UTC())
	return err
}

// HistoryTotals counts the history lines among ids and adds up their amounts.
func HistoryTotals(ctx context.Context, tx pgx.Tx, ids []uuid.UUID) (count, sum int64, err error) {
	err = tx.QueryRow(ctx, historyTotalsSQL, ids).Scan(&count, &sum)
	return count, sum, err
}

// ImportReferral keeps a legacy account's referral code (when it has the form codes have here)
// and who referred it, as a 'legacy' referral that is never rewarded again (its reward, if the old
// backend paid one, is in the referrer's opening balance). A code that another user holds is a
// unique violation: the importer reports the document.
func ImportReferral(ctx context.Context, tx pgx.Tx, user uuid.UUID, code string, referrer uuid.NullUUID, at time.Time) error {
	if code != "" {
		if !codeForm.MatchString(code) {
			return fmt.Errorf("%w: referral code %.20q is not 8 capitals or digits", ErrImportInvalid, code)
		}
		if _, err := tx.Exec(ctx, importCodeSQL, user, code, at.UTC()); err != nil {
			return err
		}
	}
	if referrer.Valid && referrer.UUID != user {
		if _, err := tx.Exec(ctx, importReferralSQL, user, referrer.UUID, at.UTC()); err != nil {
			return err
		}
	}
	return nil
}

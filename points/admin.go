package points

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/amanat/amn/chart"
	"github.com/amanat/amn/db"
	"github.com/amanat/amn/ledger"
)

// MaxAdminGrant bounds one admin grant, so that a typo cannot mint a fortune.
const MaxAdminGrant = 1_000_000

// Adjustment is an admin's grant or reversal: recorded by the API, booked by the worker.
type Adjustment struct {
	ID        uuid.UUID // a grant's idempotency id (the admin's); a reversal's is derived from its target
	Kind      string    // grant or reversal
	User      uuid.UUID
	Points    int64      // a grant's
	Target    *ledger.ID // a reversal's: the grant it takes back
	Reason    string
	Admin     uuid.UUID
	CreatedAt time.Time
	BookedAt  *time.Time // nil until the worker booked it
	Refused   *string    // why the books refused it
}

// RequestGrant records an admin's grant of points to user, with a reason, for the worker to book
// (its job is queued in the same transaction). id is the admin's idempotency id: the same grant
// again answers the grant recorded; another grant under that id is ErrIDReused.
func (s *Service) RequestGrant(ctx context.Context, admin, user, id uuid.UUID, pts int64, reason string) (Adjustment, error) {
	reason = strings.TrimSpace(reason)
	switch {
	case id == uuid.Nil:
		return Adjustment{}, fmt.Errorf("%w: a grant needs an id", ErrInvalid)
	case pts <= 0 || pts > MaxAdminGrant:
		return Adjustment{}, fmt.Errorf("%w: points must be in [1, %d]", ErrInvalid, MaxAdminGrant)
	case !validReason(reason):
		return Adjustment{}, fmt.Errorf("%w: a reason of 3 to 500 characters", ErrInvalid)
	}
	a := Adjustment{ID: id, Kind: "grant", User: user, Points: pts, Reason: reason, Admin: admin}
	got, _, err := s.record(ctx, a)
	if err != nil {
		return Adjustment{}, err
	}
	if got.Kind != a.Kind || got.User != user || got.Points != pts || got.Reason != reason {
		return Adjustment{}, ErrIDReused
	}
	return got, nil
}

// RequestReversal records an admin's reversal of a grant (a deal's, a referral's or an admin's),
// with a reason, for the worker to book. A grant is reversed once, whoever asks: a second
// reversal, or one of a grant a refund reversed already, is ErrAlreadyReversed.
func (s *Service) RequestReversal(ctx context.Context, admin uuid.UUID, transfer ledger.ID, reason string) (Adjustment, error) {
	reason = strings.TrimSpace(reason)
	if !validReason(reason) {
		return Adjustment{}, fmt.Errorf("%w: a reason of 3 to 500 characters", ErrInvalid)
	}
	got, err := s.books.LookupTransfers(ctx, transfer, ReversalID(transfer))
	if err != nil {
		return Adjustment{}, err
	}
	g, ok := got[transfer]
	if !ok || g.Ledger != chart.PointsLedger {
		return Adjustment{}, ErrNotFound
	}
	if !reversible(g.Code) {
		return Adjustment{}, ErrNotReversible
	}
	if _, done := got[ReversalID(transfer)]; done {
		return Adjustment{}, ErrAlreadyReversed
	}
	ms, err := s.memos(ctx, s.pool, []ledger.ID{transfer})
	if err != nil {
		return Adjustment{}, err
	}
	m, ok := ms[transfer]
	if !ok {
		return Adjustment{}, ErrNotFound
	}
	a := Adjustment{ID: uuid.UUID(ReversalID(transfer)), Kind: "reversal", User: m.user, Target: &transfer, Reason: reason, Admin: admin}
	rec, inserted, err := s.record(ctx, a)
	if errors.Is(err, errNoRows) || (err == nil && !inserted) {
		return Adjustment{}, ErrAlreadyReversed
	}
	return rec, err
}

func reversible(code uint16) bool {
	return code == chart.CodePointsDeal || code == chart.CodePointsReferral || code == chart.CodePointsAdminGrant
}

func validReason(r string) bool {
	n := utf8.RuneCountInString(r)
	return n >= 3 && n <= 500 && utf8.ValidString(r) && !strings.ContainsRune(r, 0)
}

// record inserts a (if its id and target are new) with its booking job, in one transaction, and
// returns the adjustment recorded under a's id and whether it is a (errNoRows: another id holds
// a's target).
func (s *Service) record(ctx context.Context, a Adjustment) (Adjustment, bool, error) {
	a.CreatedAt = s.clock()
	var (
		out      Adjustment
		inserted bool
	)
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		var amount *int64
		if a.Kind == "grant" {
			amount = &a.Points
		}
		tag, err := tx.Exec(ctx, insertAdjustmentSQL, a.ID, a.Kind, a.User, amount, a.Target, a.Reason, a.Admin, a.CreatedAt)
		if isForeignKey(err) {
			return ErrUserNotFound
		}
		if err != nil {
			return fmt.Errorf("points: adjustment: %w", err)
		}
		inserted = tag.RowsAffected() == 1
		if inserted {
			if _, err := s.jobs.InsertTx(ctx, tx, AdjustArgs{}, nil); err != nil {
				return fmt.Errorf("points: queue the adjustment: %w", err)
			}
		}
		out, err = scanAdjustment(tx.QueryRow(ctx, adjustmentSQL, a.ID))
		return err
	})
	return out, inserted, err
}

func scanAdjustment(row pgx.Row) (Adjustment, error) {
	var (
		a      Adjustment
		amount *int64
		target *ledger.ID
	)
	err := row.Scan(&a.ID, &a.Kind, &a.User, &amount, &target, &a.Reason, &a.Admin, &a.CreatedAt, &a.BookedAt, &a.Refused)
	if err != nil {
		return Adjustment{}, err
	}
	if amount != nil {
		a.Points = *amount
	}
	a.Target = target
	return a, nil
}

// Adjustment reads an adjustment.
func (s *Service) Adjustment(ctx context.Context, id uuid.UUID) (Adjustment, error) {
	a, err := scanAdjustment(s.pool.QueryRow(ctx, adjustmentSQL, id))
	if isNoRows(err) {
		return Adjustment{}, ErrNotFound
	}
	return a, err
}

// BookAdjustments books the adjustments admins recorded, up to limit, each in its own
// transaction under its row lock: a grant as a transfer from issuance, a reversal as the grant's
// reversal (nothing more if a refund reversed it first). One the books refuse is marked refused.
func (s *Service) BookAdjustments(ctx context.Context, limit int) (int, error) {
	rows, err := s.pool.Query(ctx, dueAdjustmentsSQL, limit)
	if err != nil {
		return 0, fmt.Errorf("points: due adjustments: %w", err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[uuid.UUID])
	if err != nil {
		return 0, fmt.Errorf("points: due adjustments: %w", err)
	}
	n := 0
	for _, id := range ids {
		booked := false
		err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
			a, err := scanAdjustment(tx.QueryRow(ctx, lockDueSQL, id))
			if isNoRows(err) {
				booked = false
				return nil // booked meanwhile
			}
			if err != nil {
				return err
			}
			booked = true
			return s.book(ctx, tx, a)
		})
		if err != nil {
			return n, fmt.Errorf("points: adjustment %s: %w", id, err)
		}
		if booked {
			n++
		}
	}
	return n, nil
}

// book books one locked adjustment. The row is the API's word (its database login writes the
// table), so the grant's bound is checked again here: a row beyond it is refused, never booked.
func (s *Service) book(ctx context.Context, tx pgx.Tx, a Adjustment) error {
	if a.Kind == "grant" && (a.Points <= 0 || a.Points > MaxAdminGrant) {
		_, err := tx.Exec(ctx, refuseAdjustmentSQL, a.ID, fmt.Sprintf("%d points is outside [1, %d]", a.Points, MaxAdminGrant))
		return err
	}
	var err error
	if a.Kind == "grant" {
		err = s.grant(ctx, tx, grant{id: AdminGrantID(a.ID), user: a.User, points: a.Points, code: chart.CodePointsAdminGrant,
			memo: memo{kind: "admin_grant", reason: a.Reason}})
	} else {
		err = s.reverseIfGranted(ctx, tx, *a.Target, memo{user: a.User, kind: "reversal", reason: a.Reason})
	}
	if refusal(err) {
		_, err = tx.Exec(ctx, refuseAdjustmentSQL, a.ID, err.Error())
		return err
	}
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, bookAdjustmentSQL, a.ID, s.clock())
	return err
}

func isForeignKey(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23503"
}

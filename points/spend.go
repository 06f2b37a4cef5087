package points

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"regexp"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/amanat/amn/chart"
	"github.com/amanat/amn/db"
	"github.com/amanat/amn/kind"
	"github.com/amanat/amn/ledger"
)

// MaxSpend bounds one spend: more than any user could hold is a mistake, not a purchase.
const MaxSpend = 1_000_000_000

// The spends' errors.
var (
	ErrInsufficient  = kind.New(kind.Conflict, "not enough points available")
	ErrKeyReused     = kind.New(kind.Conflict, "this idempotency key names another spend")
	ErrSpendNotFound = kind.New(kind.NotFound, "no such spend")
)

// keyRE is an idempotency key: 1 to 100 printable ASCII characters, no spaces.
var keyRE = regexp.MustCompile(`^[\x21-\x7e]{1,100}$`)

// Spend is a user's spend of points on a purpose. The API records it (holding its points at
// once); the worker books it as one transfer from the user's points to their used points.
type Spend struct {
	ID        uuid.UUID // SpendID(user, key): also its transfer's id
	User      uuid.UUID
	Key       string // the client's idempotency key
	Points    int64
	Purpose   string
	CreatedAt time.Time
	BookedAt  *time.Time // nil until the worker booked it
	Refused   *string    // why the books refused it (its points are no longer held)
}

// State is pending, booked or refused.
func (sp Spend) State() string {
	switch {
	case sp.Refused != nil:
		return "refused"
	case sp.BookedAt != nil:
		return "booked"
	}
	return "pending"
}

// Spend records user's spend of pts on purpose under the client's idempotency key, and queues
// its booking in the same transaction. The same spend again (same key, points and purpose)
// answers the one recorded, and replayed is true; another under that key is ErrKeyReused. A
// spend beyond what the user has (available, less the points their unbooked spends hold) is
// ErrInsufficient: spends of one user are serialised (lockPoints), so racing ones never hold
// more than there is.
func (s *Service) Spend(ctx context.Context, user uuid.UUID, key string, pts int64, purpose string) (sp Spend, replayed bool, err error) {
	switch {
	case !keyRE.MatchString(key):
		return Spend{}, false, fmt.Errorf("%w: the idempotency key must be 1 to 100 printable ASCII characters", ErrInvalid)
	case pts <= 0 || pts > MaxSpend:
		return Spend{}, false, fmt.Errorf("%w: points must be in [1, %d]", ErrInvalid, MaxSpend)
	case !s.cfg.Spendable(purpose):
		return Spend{}, false, fmt.Errorf("%w: points cannot be spent on %q (purposes: %v)", ErrInvalid, purpose, s.cfg.SpendPurposes)
	}
	id := uuid.UUID(SpendID(user, key))
	err = db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		if err := lockPoints(ctx, tx, chart.PointsUser(user)); err != nil {
			return err
		}
		got, err := scanSpend(tx.QueryRow(ctx, spendSQL, id))
		if err == nil {
			if got.User != user || got.Key != key || got.Points != pts || got.Purpose != purpose {
				return ErrKeyReused
			}
			sp, replayed = got, true
			return nil
		}
		if !isNoRows(err) {
			return fmt.Errorf("points: spend: %w", err)
		}
		left, err := s.spendable(ctx, tx, user)
		if err != nil {
			return err
		}
		if left < pts {
			return fmt.Errorf("%w: %d points available, %d asked", ErrInsufficient, max(left, 0), pts)
		}
		sp = Spend{ID: id, User: user, Key: key, Points: pts, Purpose: purpose, CreatedAt: s.clock()}
		if _, err := tx.Exec(ctx, insertSpendSQL, sp.ID, user, key, pts, purpose, sp.CreatedAt); err != nil {
			if isForeignKey(err) {
				return ErrUserNotFound
			}
			return fmt.Errorf("points: spend: %w", err)
		}
		if _, err := s.jobs.InsertTx(ctx, tx, SpendArgs{}, nil); err != nil {
			return fmt.Errorf("points: queue the spend: %w", err)
		}
		return nil
	})
	return sp, replayed, err
}

// SpendOf reads one of user's spends; another user's is ErrSpendNotFound, as an unknown one. It
// is booked only if the books hold its transfer (SpendID, its points from the user's points to
// their used points): a row's booked_at alone is not the books' word.
func (s *Service) SpendOf(ctx context.Context, user, id uuid.UUID) (Spend, error) {
	sp, err := scanSpend(s.pool.QueryRow(ctx, spendSQL, id))
	if isNoRows(err) || (err == nil && sp.User != user) {
		return Spend{}, ErrSpendNotFound
	}
	if err != nil {
		return Spend{}, fmt.Errorf("points: spend: %w", err)
	}
	if sp.BookedAt != nil {
		id := ledger.ID(SpendID(sp.User, sp.Key))
		ts, err := s.books.LookupTransfers(ctx, id)
		if err != nil {
			return Spend{}, err
		}
		t, ok := ts[id]
		if !ok || sp.ID != uuid.UUID(id) || t.Ledger != chart.PointsLedger || t.Code != chart.CodePointsSpend ||
			t.DebitAccountID != chart.PointsUser(sp.User) || t.CreditAccountID != chart.PointsUsed(sp.User) ||
			t.Amount.Cmp(big.NewInt(sp.Points)) != 0 {
			sp.BookedAt = nil // not in the books: a forged row, shown as not booked
		}
	}
	return sp, nil
}

func scanSpend(row pgx.Row) (Spend, error) {
	var sp Spend
	err := row.Scan(&sp.ID, &sp.User, &sp.Key, &sp.Points, &sp.Purpose, &sp.CreatedAt, &sp.BookedAt, &sp.Refused)
	return sp, err
}

// BookSpends books the spends the API recorded, up to limit, each in its own transaction under
// the user's lock and the row's: a transfer of SpendID from the user's points to their used
// points. One the books refuse (a row the API's login forged beyond the balance) is marked
// refused, and its points are no longer held. It returns how many it booked or refused.
func (s *Service) BookSpends(ctx context.Context, limit int) (int, error) {
	rows, err := s.pool.Query(ctx, dueSpendsSQL, limit)
	if err != nil {
		return 0, fmt.Errorf("points: due spends: %w", err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[uuid.UUID])
	if err != nil {
		return 0, fmt.Errorf("points: due spends: %w", err)
	}
	n := 0
	for _, id := range ids {
		done := false
		err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
			var user uuid.UUID
			if err := tx.QueryRow(ctx, spendUserSQL, id).Scan(&user); err != nil {
				return err
			}
			if err := lockPoints(ctx, tx, chart.PointsUser(user)); err != nil {
				return err
			}
			sp, err := scanSpend(tx.QueryRow(ctx, lockDueSpendSQL, id))
			if isNoRows(err) {
				done = false
				return nil // booked meanwhile
			}
			if err != nil {
				return err
			}
			done = true
			return s.bookSpend(ctx, tx, sp)
		})
		if err != nil {
			return n, fmt.Errorf("points: spend %s: %w", id, err)
		}
		if done {
			n++
		}
	}
	return n, nil
}

// bookSpend books one locked spend. Its id is checked against its user and key again: the row is
// the API login's word, and a transfer id must name what it stands for.
func (s *Service) bookSpend(ctx context.Context, tx pgx.Tx, sp Spend) error {
	refuse := func(why string) error {
		_, err := tx.Exec(ctx, refuseSpendSQL, sp.ID, why)
		return err
	}
	if sp.ID != uuid.UUID(SpendID(sp.User, sp.Key)) || sp.Points <= 0 || sp.Points > MaxSpend {
		return refuse("the spend's id, key or points do not hold")
	}
	books := s.books.WithTx(tx)
	if err := s.openAccounts(ctx, books, sp.User); err != nil {
		return err
	}
	id := ledger.ID(sp.ID)
	_, err := books.Transfer(ctx, ledger.Transfer{ID: id, Ledger: chart.PointsLedger, DebitAccountID: chart.PointsUser(sp.User),
		CreditAccountID: chart.PointsUsed(sp.User), Amount: big.NewInt(sp.Points), Code: chart.CodePointsSpend})
	var te *ledger.TransferError
	if errors.As(err, &te) {
		return refuse(err.Error())
	}
	if err != nil {
		return err
	}
	if err := s.writeMemo(ctx, tx, id, memo{user: sp.User, kind: "spend", reason: sp.Purpose}); err != nil {
		return err
	}
	_, err = tx.Exec(ctx, bookSpendSQL, sp.ID, s.clock())
	return err
}

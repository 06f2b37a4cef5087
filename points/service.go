package points

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/amanat/amn/chart"
	"github.com/amanat/amn/kind"
	"github.com/amanat/amn/ledger"
)

// The package's errors.
var (
	ErrInvalid         = kind.New(kind.Invalid, "invalid points request")
	ErrNotFound        = kind.New(kind.NotFound, "no such points transfer")
	ErrUserNotFound    = kind.New(kind.NotFound, "no such user")
	ErrNotReversible   = kind.New(kind.Conflict, "only a grant of points can be reversed")
	ErrAlreadyReversed = kind.New(kind.Conflict, "this grant is reversed already")
	ErrIDReused        = kind.New(kind.Conflict, "this grant id names another grant")
)

// Service keeps points and referrals. The API's service records referrals, codes and admins'
// adjustments and reads balances; the worker's books deals, rewards and adjustments.
type Service struct {
	pool  *pgxpool.Pool
	books *ledger.Ledger
	jobs  *river.Client[pgx.Tx] // inserts points_adjust jobs; the worker works them
	cfg   Config
	now   func() time.Time
}

// New returns a service on pool with the rules of cfg.
func New(pool *pgxpool.Pool, cfg Config) (*Service, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	jobs, err := river.NewClient(riverpgxv5.New(pool), &river.Config{})
	if err != nil {
		return nil, fmt.Errorf("points: an insert-only River client: %w", err)
	}
	return &Service{pool: pool, books: ledger.New(pool), jobs: jobs, cfg: cfg, now: time.Now}, nil
}

// WithClock makes the service (and the books it writes) read the time from now: tests move it
// past a grant's lifetime. It returns s.
func (s *Service) WithClock(now func() time.Time) *Service {
	s.now = now
	s.books = ledger.New(s.pool, ledger.WithClock(now))
	return s
}

func (s *Service) clock() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

// Config is the service's rules.
func (s *Service) Config() Config { return s.cfg }

// Balance is a user's points: Available to use, Used (spent, spends not yet booked included),
// Expired (unspent past their lifetime), Total earned (all three: what the level is measured by,
// so expiry never lowers a level), Pending referral rewards (not yet earned), and the level.
type Balance struct {
	Total, Available, Used, Expired, Pending int64
	Level                                    Level
	Next                                     *Level // nil at the top
	ToNext                                   int64  // points still needed for Next
}

// Balance reads a user's points from the books. A user who never earned any has zero. A spend the
// worker has not booked yet counts as used already: its points are held.
func (s *Service) Balance(ctx context.Context, user uuid.UUID) (b Balance, err error) {
	// One snapshot: a spend booked between reading the books and the held points is counted once.
	err = pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		b, err = s.balance(ctx, tx, user)
		return err
	})
	return b, err
}

func (s *Service) balance(ctx context.Context, tx pgx.Tx, user uuid.UUID) (Balance, error) {
	accts, err := s.books.WithTx(tx).Accounts(ctx, chart.PointsUser(user), chart.PointsUsed(user), chart.PointsExpired(user))
	if err != nil {
		return Balance{}, err
	}
	var b Balance
	if a, ok := accts[chart.PointsUser(user)]; ok {
		b.Available = points(a.Balance().Posted)
	}
	if a, ok := accts[chart.PointsUsed(user)]; ok {
		b.Used = points(a.Balance().Posted)
	}
	if a, ok := accts[chart.PointsExpired(user)]; ok {
		b.Expired = points(a.Balance().Posted)
	}
	held, err := s.held(ctx, tx, user)
	if err != nil {
		return Balance{}, err
	}
	b.Available -= held
	b.Used += held
	b.Total = b.Available + b.Used + b.Expired
	var n int64
	if err := tx.QueryRow(ctx, pendingRewardsSQL, user).Scan(&n); err != nil {
		return Balance{}, fmt.Errorf("points: pending rewards: %w", err)
	}
	b.Pending = n * s.cfg.ReferralReward
	b.Level, b.Next = s.cfg.Levels.At(b.Total)
	if b.Next != nil {
		b.ToNext = b.Next.Threshold - b.Total
	}
	return b, nil
}

// points reads a balance of the points ledger; it never exceeds an int64 (every grant is one).
func points(v *big.Int) int64 {
	if !v.IsInt64() {
		panic("points: a balance beyond int64") // grants are int64 and finite in number
	}
	return v.Int64()
}

// Entry is one line of a user's history: a transfer into or out of their points.
type Entry struct {
	Seq      int64 // the cursor: pass the last one to read further back
	Transfer ledger.ID
	Kind     string     // deal, referral, admin_grant, reversal, spend, expiry, opening (a legacy balance)
	Points   int64      // signed: + earned, − taken back or spent
	Request  *uuid.UUID // the deal, if any
	Reason   string     // an admin's reason, why a grant was reversed, a spend's purpose
	At       time.Time
}

// History lists a user's points entries, newest first, before seq (0: from the newest): up to
// limit (at most 101, a page of 100 and one to tell whether more follow).
func (s *Service) History(ctx context.Context, user uuid.UUID, beforeSeq int64, limit int) ([]Entry, error) {
	if limit <= 0 || limit > 101 {
		return nil, fmt.Errorf("%w: limit %d", ErrInvalid, limit)
	}
	es, err := s.books.EntriesBefore(ctx, chart.PointsUser(user), beforeSeq, limit)
	if err != nil || len(es) == 0 {
		return []Entry{}, err
	}
	ids := make([]ledger.ID, len(es))
	for i, e := range es {
		ids[i] = e.TransferID
	}
	ts, err := s.books.LookupTransfers(ctx, ids...)
	if err != nil {
		return nil, err
	}
	memos, err := s.memos(ctx, s.pool, ids)
	if err != nil {
		return nil, err
	}
	out := make([]Entry, len(es))
	for i, e := range es {
		v := points(e.Amount)
		if e.Field == ledger.FieldDebitsPosted {
			v = -v
		}
		m := memos[e.TransferID]
		out[i] = Entry{Seq: e.Seq, Transfer: e.TransferID, Kind: m.kind, Points: v,
			Request: m.request, Reason: m.reason, At: ts[e.TransferID].CreatedAt}
	}
	return out, nil
}

type memo struct {
	user    uuid.UUID
	kind    string
	request *uuid.UUID
	reason  string
}

func (s *Service) memos(ctx context.Context, q querier, ids []ledger.ID) (map[ledger.ID]memo, error) {
	rows, err := q.Query(ctx, memosSQL, ids)
	if err != nil {
		return nil, fmt.Errorf("points: memos: %w", err)
	}
	defer rows.Close()
	out := map[ledger.ID]memo{}
	for rows.Next() {
		var (
			id ledger.ID
			m  memo
		)
		if err := rows.Scan(&id, &m.user, &m.kind, &m.request, &m.reason); err != nil {
			return nil, fmt.Errorf("points: memos: %w", err)
		}
		out[id] = m
	}
	return out, rows.Err()
}

// querier is a pool or a transaction.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// held is the points of the user's spends not booked yet: not available any more.
func (s *Service) held(ctx context.Context, q querier, user uuid.UUID) (int64, error) {
	var n int64
	if err := q.QueryRow(ctx, heldSQL, user).Scan(&n); err != nil {
		return 0, fmt.Errorf("points: held points: %w", err)
	}
	return n, nil
}

// lockAll takes, in tx, the points locks of every one of users (uuid.Nil and repeats skipped) in
// the order of their accounts' ids: a transaction that takes more than one user's lock takes them
// all this way, before any ledger write, so no two transactions wait for each other in a circle.
// Taking one again later (lockPoints) is a no-op: the lock is the transaction's already.
func lockAll(ctx context.Context, tx pgx.Tx, users ...uuid.UUID) error {
	var accts []ledger.ID
	for _, u := range users {
		if a := chart.PointsUser(u); u != uuid.Nil && !slices.Contains(accts, a) {
			accts = append(accts, a)
		}
	}
	slices.SortFunc(accts, func(a, b ledger.ID) int { return bytes.Compare(a[:], b[:]) })
	for _, a := range accts {
		if err := lockPoints(ctx, tx, a); err != nil {
			return err
		}
	}
	return nil
}

// lockPoints serialises, in tx, everything that takes points out of a user's account (the
// account's id names the lock): the API's spends (which hold points before the worker books
// them), bookings, reversals and expiry. Each then reads a balance no other one is changing.
func lockPoints(ctx context.Context, tx pgx.Tx, account ledger.ID) error {
	if _, err := tx.Exec(ctx, lockPointsSQL, account); err != nil {
		return fmt.Errorf("points: lock: %w", err)
	}
	return nil
}

var errNoRows = pgx.ErrNoRows

func isNoRows(err error) bool { return errors.Is(err, errNoRows) }

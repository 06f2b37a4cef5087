package points

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/amanat/amn/chart"
	"github.com/amanat/amn/db"
	"github.com/amanat/amn/ledger"
)

// Expiry. A grant's points last Config.Expiry from the grant (its memo's time); spends use the
// oldest grants' points first (FIFO). So at any time the points due to expire are
//
//	due = Σ (grant − its reversal) over the grants past their lifetime − spent − expired
//
// where spent is the user's used points in the books (the booked spends' transfers) and the points
// their unbooked spends hold (never a spend row's booked_at: the books say what was booked), and
// expired every expiry so far. A
// positive due moves from the user's points to their expired points as one transfer, whose id
// (ExpiryID) is derived from the user and the expired total it reaches: a replay, or a second run
// finding the same, books nothing more. A reversal takes back a grant of its own (not the oldest):
// it lowers that grant, never the others'. Everything that takes points out of the account holds
// its lock (lockPoints), so due is read from books nobody else is changing, and it never exceeds
// the available points less those held (the oldest grants' remainder is part of them).

// expiryCursor is the row of points_expiry that says how far a complete run has looked.
var expiryCursor = uuid.Nil

// ExpireDue books the expiry of every user's points that came due by now, limit users a page, and
// returns how many users it looked at. With Config.ExpiryDays 0 points never expire.
func (s *Service) ExpireDue(ctx context.Context, limit int) (int, error) {
	if s.cfg.ExpiryDays == 0 {
		return 0, nil
	}
	now := s.clock()
	cutoff := now.Add(-s.cfg.Expiry())
	var since *time.Time
	if err := s.pool.QueryRow(ctx, expiryCursorSQL).Scan(&since); err != nil && !isNoRows(err) {
		return 0, fmt.Errorf("points: expiry cursor: %w", err)
	}
	n := 0
	var failed []error
	after := uuid.Nil // users come in order: a page starts after the last one, done or failed
	for {
		rows, err := s.pool.Query(ctx, dueGranteesSQL, cutoff, since, limit, after)
		if err != nil {
			return n, fmt.Errorf("points: due grants: %w", err)
		}
		type grantee struct {
			user    uuid.UUID
			through time.Time
		}
		users, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (grantee, error) {
			var g grantee
			return g, r.Scan(&g.user, &g.through)
		})
		if err != nil {
			return n, fmt.Errorf("points: due grants: %w", err)
		}
		for _, g := range users {
			after = g.user
			// One user's failure (a row that makes no sense) stops nobody else's expiry; the run
			// reports it, and the next one looks at that user again (the cursor stays).
			if err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error { return s.expire(ctx, tx, g.user, cutoff, g.through) }); err != nil {
				if ctx.Err() != nil {
					return n, ctx.Err()
				}
				failed = append(failed, fmt.Errorf("points: expiry of %s: %w", g.user, err))
				continue
			}
			n++
		}
		if len(users) < limit {
			break
		}
	}
	if len(failed) > 0 {
		return n, errors.Join(failed...)
	}
	// Every grant due by cutoff is looked at: the next run starts there.
	if _, err := s.pool.Exec(ctx, saveExpirySQL, expiryCursor, cutoff, now); err != nil {
		return n, fmt.Errorf("points: expiry cursor: %w", err)
	}
	return n, nil
}

// expire books, in tx, the user's points due by cutoff (see above), and records that their
// grants up to through are looked at.
func (s *Service) expire(ctx context.Context, tx pgx.Tx, user uuid.UUID, cutoff, through time.Time) error {
	if err := lockPoints(ctx, tx, chart.PointsUser(user)); err != nil {
		return err
	}
	due, expired, err := s.dueExpiry(ctx, tx, user, cutoff)
	if err != nil {
		return err
	}
	if left, err := s.spendable(ctx, tx, user); err != nil {
		return err
	} else if due > left {
		due = left // never more than is there (only a forged spend row could make it so)
	}
	if due > 0 {
		books := s.books.WithTx(tx)
		if err := s.openAccounts(ctx, books, user); err != nil {
			return err
		}
		id := ExpiryID(user, expired+due)
		_, err := books.Transfer(ctx, ledger.Transfer{ID: id, Ledger: chart.PointsLedger, DebitAccountID: chart.PointsUser(user),
			CreditAccountID: chart.PointsExpired(user), Amount: big.NewInt(due), Code: chart.CodePointsExpiry})
		if err != nil {
			return err
		}
		reason := fmt.Sprintf("points granted before %s expired unspent", cutoff.Format(time.DateOnly))
		if err := s.writeMemo(ctx, tx, id, memo{user: user, kind: "expiry", reason: reason}); err != nil {
			return err
		}
	}
	_, err = tx.Exec(ctx, saveExpirySQL, user, through, s.clock())
	return err
}

// dueExpiry is the user's points due to expire by cutoff, and their points expired so far.
func (s *Service) dueExpiry(ctx context.Context, tx pgx.Tx, user uuid.UUID, cutoff time.Time) (due, expired int64, _ error) {
	f, err := s.fifo(ctx, tx, user)
	if err != nil {
		return 0, 0, err
	}
	var grantsDue int64
	for _, g := range f.grants {
		if !g.at.After(cutoff) {
			grantsDue += g.net
		}
	}
	return max(grantsDue-f.spent-f.expired, 0), f.expired, nil
}

// fifoBooks is a user's grants, oldest first, each net of its reversal, with what has left them:
// spent (the used account, and what unbooked spends hold) and expired.
type fifoBooks struct {
	grants         []fifoGrant
	spent, expired int64
}

type fifoGrant struct {
	id  ledger.ID
	at  time.Time
	net int64 // the grant less its reversal
}

// fifo reads the user's grants, spends and expiries in tx (under lockPoints).
func (s *Service) fifo(ctx context.Context, tx pgx.Tx, user uuid.UUID) (fifoBooks, error) {
	var f fifoBooks
	rows, err := tx.Query(ctx, userGrantsSQL, user)
	if err != nil {
		return f, fmt.Errorf("points: grants: %w", err)
	}
	type line struct {
		id   ledger.ID
		kind string
		at   time.Time
	}
	lines, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (line, error) {
		var l line
		return l, r.Scan(&l.id, &l.kind, &l.at)
	})
	if err != nil {
		return f, fmt.Errorf("points: grants: %w", err)
	}
	var ids []ledger.ID
	for _, l := range lines {
		ids = append(ids, l.id)
		if l.kind != "expiry" {
			ids = append(ids, ReversalID(l.id))
		}
	}
	books := s.books.WithTx(tx)
	ts, err := books.LookupTransfers(ctx, ids...)
	if err != nil {
		return f, err
	}
	amount := func(id ledger.ID) int64 {
		if t, ok := ts[id]; ok {
			return points(t.Amount)
		}
		return 0
	}
	for _, l := range lines {
		if l.kind == "expiry" {
			f.expired += amount(l.id)
		} else {
			f.grants = append(f.grants, fifoGrant{id: l.id, at: l.at, net: amount(l.id) - amount(ReversalID(l.id))})
		}
	}
	if f.spent, err = s.held(ctx, tx, user); err != nil {
		return f, err
	}
	accts, err := books.Accounts(ctx, chart.PointsUsed(user))
	if err != nil {
		return f, err
	}
	if a, ok := accts[chart.PointsUsed(user)]; ok {
		f.spent += points(a.Balance().Posted)
	}
	return f, nil
}

// left is what remains of grant id's points: what spends and expiries took comes out of the
// oldest grants first, so a grant keeps what the grants before it and it hold beyond that, at
// most its own (net) points. A grant not among them has nothing left.
func (f fifoBooks) left(id ledger.ID) int64 {
	gone := f.spent + f.expired
	var through int64
	for _, g := range f.grants {
		through += g.net
		if g.id == id {
			return min(max(through-gone, 0), max(g.net, 0))
		}
	}
	return 0
}

// Package ledger owns the books: double-entry accounts and transfers on PostgreSQL, in
// TigerBeetle's model (accounts per chain × token ledger with pending and posted debits and
// credits; transfers with a caller-chosen id that are posted, pending, or resolve a pending one;
// linked chains that commit all or nothing), and the invariant check `amn ledger check` runs.
//
// It must never change a balance except by a balanced transfer, never use a float for money, and
// never hold a lock on anything but the rows of the accounts (in id order) a batch touches. It
// knows nothing of payments or chains beyond the references it stores.
package ledger

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/amanat/amn/db"
)

// Ledger records transfers and answers balance queries. Create it with New on a pool (each call
// runs in a transaction of its own) and call WithTx to run inside a caller's transaction.
type Ledger struct {
	b   db.Beginner
	tx  pgx.Tx // set by WithTx: run in the caller's transaction, which the caller commits
	now func() time.Time
}

// Option configures a Ledger.
type Option func(*Ledger)

// WithClock replaces time.Now: it stamps transfers and decides whether a pending transfer has
// timed out.
func WithClock(now func() time.Time) Option { return func(l *Ledger) { l.now = now } }

// New returns a ledger on b: usually the pool; a pgx.Tx also works (each call then runs in a
// savepoint).
func New(b db.Beginner, opts ...Option) *Ledger {
	l := &Ledger{b: b, now: time.Now}
	for _, o := range opts {
		o(l)
	}
	return l
}

// WithTx returns a ledger whose calls run in tx, so that a caller's state change and its
// transfers commit together. Nothing is retried then: on a serialization failure or deadlock the
// caller retries its whole transaction (db.InTx does). A refused transfer writes nothing, so the
// transaction stays usable after an ErrInsufficientFunds and the like.
func (l *Ledger) WithTx(tx pgx.Tx) *Ledger {
	c := *l
	c.tx = tx
	return &c
}

func (l *Ledger) clock() time.Time { return l.now().Truncate(time.Microsecond) }

// querier is what the SQL here needs; pgx.Tx, *pgx.Conn and *pgxpool.Pool have it.
type querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults
	CopyFrom(ctx context.Context, table pgx.Identifier, columns []string, rows pgx.CopyFromSource) (int64, error)
}

// write runs fn in a transaction: the caller's, or a new one, retried when retryable says so.
func (l *Ledger) write(ctx context.Context, fn func(q querier) error) error {
	if l.tx != nil {
		return fn(l.tx)
	}
	return l.retry(ctx, func() error { return db.InTx(ctx, l.b, func(tx pgx.Tx) error { return fn(tx) }) })
}

// read runs fn outside any transaction when it can.
func (l *Ledger) read(ctx context.Context, fn func(q querier) error) error {
	if l.tx != nil {
		return fn(l.tx)
	}
	if q, ok := l.b.(querier); ok {
		return fn(q)
	}
	return db.InTx(ctx, l.b, func(tx pgx.Tx) error { return fn(tx) })
}

// Transfer records ts all or nothing, in order, and returns them as recorded (defaults filled
// in). A transfer whose id is already recorded with the same content is returned as it was
// recorded the first time and changes nothing, so a retried call is harmless. The first refusal
// is returned as a *TransferError wrapping one of the Err… kinds, and nothing is written.
func (l *Ledger) Transfer(ctx context.Context, ts ...Transfer) ([]Transfer, error) {
	res, err := l.submit(ctx, ts, true, time.Time{})
	if err != nil {
		return nil, err
	}
	out := make([]Transfer, len(res))
	for i, r := range res {
		out[i] = r.Transfer
	}
	return out, nil
}

// CreateTransfers records ts with TigerBeetle's batch semantics: each transfer not flagged
// Linked succeeds or fails on its own; a chain of Linked transfers (ended by the first one
// without the flag) succeeds or fails as a whole. The batch is one database transaction. The
// error is for failures of the database, not refusals, which are in the results.
func (l *Ledger) CreateTransfers(ctx context.Context, ts []Transfer) ([]Result, error) {
	return l.submit(ctx, ts, false, time.Time{})
}

func (l *Ledger) submit(ctx context.Context, ts []Transfer, atomic bool, expireBy time.Time) ([]Result, error) {
	if len(ts) == 0 {
		return nil, nil
	}
	var results []Result
	// once runs the batch on q; begin and commit ask it to open and close the transaction in its
	// two round trips.
	once := func(q querier, begin, commit bool) error {
		e := newEngine(l.clock())
		e.expireBy = expireBy
		if err := e.load(ctx, q, ts, begin); err != nil {
			return err
		}
		res, err := e.run(ts, atomic)
		if err != nil {
			return err
		}
		if err := e.store(ctx, q, commit); err != nil {
			return fmt.Errorf("ledger: writing transfers: %w", err)
		}
		results = res
		return nil
	}
	var err error
	if pool, ok := l.b.(*pgxpool.Pool); ok && l.tx == nil {
		err = l.retry(ctx, func() error { return onConn(ctx, pool, once) })
	} else {
		err = l.write(ctx, func(q querier) error { return once(q, false, false) })
	}
	return results, err
}

// onConn runs fn on a pooled connection in a transaction fn opens and commits itself, and rolls
// back whatever fn left open.
func onConn(ctx context.Context, pool *pgxpool.Pool, fn func(q querier, begin, commit bool) error) error {
	c, err := pool.Acquire(ctx)
	if err != nil {
		return err
	}
	defer c.Release() // the pool drops a connection left inside a transaction
	err = fn(c.Conn(), true, true)
	if err != nil && c.Conn().PgConn().TxStatus() != 'I' {
		_, _ = c.Exec(context.WithoutCancel(ctx), "ROLLBACK")
	}
	return err
}

// retryable reports whether a whole batch may be run again: deadlock, serialization failure, or
// two batches recording the same transfer id on disjoint accounts (the retry finds it recorded).
func retryable(err error) bool {
	return db.Retryable(err) || db.IsUniqueViolation(err, "ledger_transfers_pkey") ||
		db.IsUniqueViolation(err, "ledger_transfers_pending_id_key")
}

func (l *Ledger) retry(ctx context.Context, fn func() error) error {
	const attempts = 5
	var err error
	for i := range attempts {
		if err = fn(); !retryable(err) {
			return err
		}
		select { // a short, growing pause lets the other side finish
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Duration(i+1) * 2 * time.Millisecond):
		}
	}
	return err
}

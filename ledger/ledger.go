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
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/amanat/amn/db"
)

// Ledger records transfers and answers balance queries. Create it with New on a pool (each call
// runs in a transaction of its own) and call WithTx to run inside a caller's transaction.
type Ledger struct {
	b     db.Beginner
	pool  *pgxpool.Pool // b, when it is a pool: calls then run in transactions of their own
	tx    pgx.Tx        // set by WithTx: run in the caller's transaction, which the caller commits
	now   func() time.Time
	cache *accountCache // nil when disabled; used only on a pool and outside WithTx
	stats *stats
}

// Option configures a Ledger.
type Option func(*Ledger)

// WithClock replaces time.Now: it stamps transfers and decides whether a pending transfer has
// timed out.
func WithClock(now func() time.Time) Option { return func(l *Ledger) { l.now = now } }

// WithAccountCache sets how many accounts the Ledger remembers (DefaultAccountCache unless set) to
// write calls without locking and reading their accounts first; 0 turns that off, and every call
// locks its accounts first.
func WithAccountCache(accounts int) Option {
	return func(l *Ledger) { l.cache = newAccountCache(accounts) }
}

// New returns a ledger on b: usually the pool; a pgx.Tx also works (each call then runs in a
// savepoint).
func New(b db.Beginner, opts ...Option) *Ledger {
	l := &Ledger{b: b, now: time.Now, cache: newAccountCache(DefaultAccountCache), stats: &stats{}}
	l.pool, _ = b.(*pgxpool.Pool)
	for _, o := range opts {
		o(l)
	}
	if l.pool == nil {
		l.cache = nil // in a transaction the caller owns, what it reads may yet be rolled back
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
	if l.pool == nil || l.tx != nil {
		var results []Result
		err := l.write(ctx, func(q querier) error {
			e := newEngine(l.clock())
			e.expireBy = expireBy
			res, err := e.runLocked(ctx, q, ts, atomic, false, false, nil, nil)
			results = res
			return err
		})
		return results, err
	}
	if l.cache != nil && expireBy.IsZero() {
		if res, ok, err := l.fromMemory(ctx, ts, atomic); ok || err != nil {
			return res, err
		}
	}
	l.stats.locked.Add(1)
	// With remembered accounts, the lock reads only those that changed and the batch's ids are
	// not looked up (see load), unless the batch resolves pending transfers or names a recorded
	// one (then the retry reads everything).
	assisted := l.cache != nil && !slices.ContainsFunc(ts, func(t Transfer) bool { return t.Flags.resolves() })
	var results []Result
	err := l.retry(ctx, func() error {
		return onConn(ctx, l.pool, func(q querier) error {
			e := newEngine(l.clock())
			e.expireBy = expireBy
			var known map[ID]acctState
			if assisted {
				known = l.cache.snapshot(ts)
			}
			res, err := e.runLocked(ctx, q, ts, atomic, true, true, l.cache, known)
			if known != nil && (recordedID(err) || errors.Is(err, errIDsUnread)) {
				assisted = false
			}
			results = res
			return err
		})
	})
	return results, err
}

// runLocked runs the batch on q the locking way: lock and read its accounts and the transfers it
// names, apply it, write it; begin and commit open and close the transaction in those two round
// trips. With a cache (on a pool, in a transaction of its own) it remembers the accounts as read
// (committed rows, read under the lock before anything was written) and, once COMMIT answered,
// as written; known is passed on to load.
func (e *engine) runLocked(ctx context.Context, q querier, ts []Transfer, atomic, begin, commit bool, cache *accountCache,
	known map[ID]acctState) ([]Result, error) {
	// When every account is remembered, the batch is applied to the remembered states while the
	// lock is on its way; if the lock finds them all unchanged, that is the batch's outcome.
	var (
		spec     *engine
		specRes  []Result
		specErr  error
		specDone chan struct{}
	)
	if known != nil && len(ts) >= copyThreshold && rememberedAll(ts, known) {
		spec = newEngine(e.now)
		spec.expireBy = e.expireBy
		for id, a := range known {
			spec.accounts[id] = &a
		}
		specDone = make(chan struct{})
		go func() {
			defer close(specDone)
			specRes, specErr = spec.run(ts, atomic)
		}()
	}
	err := e.load(ctx, q, ts, begin, known)
	if spec != nil {
		<-specDone
	}
	if err != nil {
		return nil, err
	}
	if cache != nil {
		cache.remember(e.states()...)
	}
	var res []Result
	if spec != nil && unchanged(e.accounts, known) {
		e, res, err = spec, specRes, specErr
	} else {
		res, err = e.run(ts, atomic)
	}
	if known != nil && (err != nil || slices.ContainsFunc(res, func(r Result) bool { return r.Err != nil })) {
		return nil, errIDsUnread
	}
	if err != nil {
		return nil, err
	}
	if err := e.store(ctx, q, false, commit); err != nil {
		return nil, fmt.Errorf("ledger: writing transfers: %w", err)
	}
	if cache != nil && commit {
		cache.remember(e.states()...)
	}
	return res, nil
}

// rememberedAll reports whether known has every account ts names.
func rememberedAll(ts []Transfer, known map[ID]acctState) bool {
	for _, t := range ts {
		if _, ok := known[t.DebitAccountID]; !ok {
			return false
		}
		if _, ok := known[t.CreditAccountID]; !ok {
			return false
		}
	}
	return true
}

// unchanged reports whether every account read is as remembered.
func unchanged(read map[ID]*acctState, known map[ID]acctState) bool {
	for id, a := range read {
		if k, ok := known[id]; !ok || k.seq != a.seq {
			return false
		}
	}
	return true
}

// fromMemory writes a call whose transfers post or reserve (none resolves a pending one) from the
// account states the Ledger remembers, without locking or reading anything first. A single
// transfer takes one round trip (BEGIN, singleSQL and COMMIT in one pipeline); a batch takes the
// locking path's write without its lock (BEGIN, the COPYs of a large batch, writeSQL and COMMIT).
// Every write updates an account only if its entry_seq is still the remembered one and otherwise
// fails, so a stale state writes nothing; a recorded id fails on the primary key.
//
// A single transfer updates its two accounts in id order, the order the locking path takes. A
// batch's update takes its row locks in whatever order PostgreSQL joins them, so it does not wait
// for a row another transaction holds (see store): that transaction is changing the account,
// which makes the remembered state stale anyway, and not waiting means no cycle with it.
//
// ok is false when the call is not for this path (an account not remembered or contended, a
// refusal the locking path must confirm) or the database refused it: the caller then runs it by
// locking, which stays the authority. err is set only when the context ended.
func (l *Ledger) fromMemory(ctx context.Context, ts []Transfer, atomic bool) (_ []Result, ok bool, _ error) {
	if slices.ContainsFunc(ts, func(t Transfer) bool { return t.Flags.resolves() }) {
		return nil, false, nil
	}
	e := newEngine(l.clock())
	ids := accountsOf(ts)
	if !l.cache.fill(e, ids) {
		return nil, false, nil
	}
	res, err := e.run(ts, atomic)
	if err != nil || slices.ContainsFunc(res, func(r Result) bool { return r.Err != nil || r.Existed }) {
		return nil, false, nil
	}
	err = onConn(ctx, l.pool, func(q querier) error { return e.store(ctx, q, true, true) })
	if err != nil {
		if ctx.Err() != nil {
			return nil, false, ctx.Err()
		}
		// A conflict, a recorded id, or a reply lost after COMMIT: the locking path finds out
		// which (a committed transfer is then found by its id) and remembers the accounts afresh.
		l.stats.conflicts.Add(1)
		l.cache.settled(ids, true)
		return nil, false, nil
	}
	l.stats.fromMemory.Add(1)
	l.cache.remember(e.states()...)
	l.cache.settled(ids, false)
	return res, true, nil
}

// accountsOf returns the distinct accounts ts names (a post or void may leave them zero: they are
// then its pending transfer's).
func accountsOf(ts []Transfer) []ID {
	ids := make([]ID, 0, 2*len(ts))
	seen := make(map[ID]struct{}, 2*len(ts))
	for _, t := range ts {
		for _, a := range [2]ID{t.DebitAccountID, t.CreditAccountID} {
			if _, dup := seen[a]; !dup && !a.IsZero() {
				seen[a] = struct{}{}
				ids = append(ids, a)
			}
		}
	}
	return ids
}

// states returns the batch's accounts as they stand in it.
func (e *engine) states() []*acctState {
	out := make([]*acctState, 0, len(e.accounts))
	for _, a := range e.accounts {
		out = append(out, a)
	}
	return out
}

// onConn runs fn on a pooled connection in a transaction fn opens and commits itself, and rolls
// back whatever fn left open.
func onConn(ctx context.Context, pool *pgxpool.Pool, fn func(q querier) error) error {
	c, err := pool.Acquire(ctx)
	if err != nil {
		return err
	}
	defer c.Release() // the pool drops a connection left inside a transaction
	err = fn(c.Conn())
	if err != nil && c.Conn().PgConn().TxStatus() != 'I' {
		_, _ = c.Exec(context.WithoutCancel(ctx), "ROLLBACK")
	}
	return err
}

// retryable reports whether a whole batch may be run again: deadlock, serialization failure, or
// an id recorded meanwhile (by a batch on other accounts) or not looked up (see load): the retry
// finds it recorded.
func retryable(err error) bool {
	return db.Retryable(err) || recordedID(err) || db.IsUniqueViolation(err, "ledger_transfers_pending_id_key") ||
		errors.Is(err, errIDsUnread)
}

// errIDsUnread: a batch run without looking up its ids (see load) refused a transfer. The
// transfer may be recorded already, and its answer is then the record, not the refusal: the batch
// runs again, reading its ids.
var errIDsUnread = errors.New("ledger: a refusal without the batch's ids read")

// recordedID reports whether err says that a transfer id of the batch is recorded already (its
// transfer or its pending row).
func recordedID(err error) bool {
	return db.IsUniqueViolation(err, "ledger_transfers_pkey") || db.IsUniqueViolation(err, "ledger_pending_pkey")
}

func (l *Ledger) retry(ctx context.Context, fn func() error) error {
	const attempts = 5
	var err error
	for i := range attempts {
		if err = fn(); !retryable(err) {
			return err
		}
		if !db.Retryable(err) {
			continue // the retry reads the ids: nothing to wait for
		}
		select { // a short, growing pause lets the other side finish
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Duration(i+1) * 2 * time.Millisecond):
		}
	}
	return err
}

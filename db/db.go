// Package db owns the connection to PostgreSQL, the system of record: the pgx pool, the embedded
// schema migrations (ours through goose, River's through rivermigrate), the transaction helper,
// and the database roles the processes work as with the one table of what each may do (Grants,
// docs/security.md), which every process's readiness check holds the database to.
//
// It knows nothing of the domain's rules: packages such as ledger keep their own SQL and take a
// pool or a transaction from here. It must never log a connection string with its password, and
// never hand a process a pool of more than its role.
package db

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/amanat/amn/kind"
)

// ErrBadURL reports a database URL that cannot be parsed; it is a configuration error.
var ErrBadURL = kind.New(kind.Invalid, "malformed database URL")

// ParseURL checks that raw is a PostgreSQL connection URL pgx understands and returns its config.
// The error never contains the URL itself, which may carry a password.
func ParseURL(raw string) (*pgxpool.Config, error) {
	if raw == "" {
		return nil, fmt.Errorf("%w: empty", ErrBadURL)
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return nil, fmt.Errorf("%w: want postgres://user@host:port/dbname", ErrBadURL)
	}
	cfg, err := pgxpool.ParseConfig(raw)
	if err != nil {
		return nil, fmt.Errorf("%w: %s", ErrBadURL, scrub(err.Error(), u))
	}
	if _, set := cfg.ConnConfig.RuntimeParams["random_page_cost"]; !set {
		cfg.ConnConfig.RuntimeParams["random_page_cost"] = randomPageCost
	}
	return cfg, nil
}

// randomPageCost is the random_page_cost every connection starts with unless its URL sets one.
// PostgreSQL's default (4) prices a random page read as if it came from a spinning disk. Our
// working set (the rows of accounts, payments and pending transfers a batch touches) is in memory,
// on SSD at worst, and at 4 the planner answers a batch's key lookups ("unnest($1) JOIN
// ledger_accounts", "UPDATE … FROM unnest(…)") by reading the whole table into a hash: with 100,000
// accounts, a batch of 1,000 transfers locked its accounts in 29 ms instead of 11 ms, and the cost
// grew with the table, not the batch. 1.1 is the usual value for SSDs.
const randomPageCost = "1.1"

// Open connects a pool and pings the server once, so that an unreachable database is reported at
// start rather than on first use.
func Open(ctx context.Context, rawURL string) (*pgxpool.Pool, error) {
	cfg, err := ParseURL(rawURL)
	if err != nil {
		return nil, err
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	pingCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := pool.Ping(pingCtx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres at %s unreachable: %s", Redact(rawURL), shortPgErr(err))
	}
	return pool, nil
}

// Redact returns the URL with any password replaced, for messages and logs.
func Redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparseable URL)"
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

func scrub(msg string, u *url.URL) string {
	if p, has := u.User.Password(); has && p != "" {
		msg = strings.ReplaceAll(msg, p, "xxxxx")
	}
	return msg
}

// shortPgErr keeps a connection failure to one line: pgx joins one error per address it tried,
// and they are usually the same.
func shortPgErr(err error) string {
	var lines []string
	seen := map[string]bool{}
	for _, l := range strings.Split(err.Error(), "\n") {
		if l = strings.TrimSpace(l); l != "" && !seen[l] {
			seen[l] = true
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, "; ")
}

// Beginner is satisfied by *pgxpool.Pool, *pgx.Conn and pgx.Tx (a nested transaction becomes a
// savepoint), so code written against it runs alone or inside a caller's transaction.
type Beginner interface {
	Begin(ctx context.Context) (pgx.Tx, error)
}

// InTx runs fn in a transaction and commits it when fn returns nil. Serialization failures and
// deadlocks are retried a few times with the whole of fn, so fn must be safe to run again: it
// must do all its writes through tx.
func InTx(ctx context.Context, b Beginner, fn func(pgx.Tx) error) error {
	const attempts = 5
	var err error
	for i := range attempts {
		err = inTxOnce(ctx, b, fn)
		if !Retryable(err) {
			return err
		}
		// A short, growing pause lets the other side of a deadlock finish.
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Duration(i+1) * 5 * time.Millisecond):
		}
	}
	return err
}

func inTxOnce(ctx context.Context, b Beginner, fn func(pgx.Tx) error) error {
	tx, err := b.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx) //nolint:errcheck // a no-op after Commit
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

// Retryable reports whether err is a serialization failure or a deadlock, after which the whole
// transaction can be run again.
func Retryable(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "40001" || pe.Code == "40P01")
}

// IsUniqueViolation reports whether err is a unique-constraint violation, optionally of the named
// constraint.
func IsUniqueViolation(err error, constraint string) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505" && (constraint == "" || pe.ConstraintName == constraint)
}

// ErrInvalidText is text Postgres cannot store: a NUL character or invalid UTF-8 in text
// (SQLSTATE 22021), or \u0000 in jsonb (22P05). Such text comes from whoever sent it, so it is
// Invalid: the API answers 400, never 500.
var ErrInvalidText = kind.New(kind.Invalid, "the request holds text that cannot be stored (a NUL character or invalid UTF-8)")

// IsInvalidText reports whether err is Postgres refusing text it cannot store (ErrInvalidText's
// SQLSTATEs: invalid byte sequence, untranslatable character).
func IsInvalidText(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "22021" || pe.Code == "22P05")
}

// CreateDatabaseIfMissing creates the database rawURL names when it does not exist, connecting to
// the server's "postgres" database with the same login. For local stacks (`amn dev`): a
// deployment's database is made by its operator.
func CreateDatabaseIfMissing(ctx context.Context, rawURL string) error {
	cfg, err := ParseURL(rawURL)
	if err != nil {
		return err
	}
	name := cfg.ConnConfig.Database
	u, err := url.Parse(rawURL)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrBadURL, err)
	}
	u.Path = "/postgres"
	conn, err := pgx.Connect(ctx, u.String())
	if err != nil {
		return fmt.Errorf("postgres at %s unreachable: %s", Redact(rawURL), shortPgErr(err))
	}
	defer conn.Close(ctx)
	var exists bool
	if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
		return err
	}
	if exists {
		return nil
	}
	_, err = conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize())
	if err != nil && !strings.Contains(err.Error(), "already exists") {
		return err
	}
	return nil
}

// OpenScratch creates a database of its own on the server rawURL names (prefix plus a random
// suffix), migrates it and opens a pool of at most maxConns on it; cleanup closes the pool and
// drops the database. For benchmarks that must not touch a real database (tests use dbtest).
func OpenScratch(ctx context.Context, rawURL, prefix string, maxConns int32) (_ *pgxpool.Pool, cleanup func(), err error) {
	var rb [4]byte
	_, _ = rand.Read(rb[:])
	name := prefix + hex.EncodeToString(rb[:])
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %v", ErrBadURL, err)
	}
	admin, err := pgx.Connect(ctx, rawURL)
	if err != nil {
		return nil, nil, fmt.Errorf("postgres at %s unreachable: %s", Redact(rawURL), shortPgErr(err))
	}
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		admin.Close(ctx)
		return nil, nil, err
	}
	drop := func() {
		_, _ = admin.Exec(context.Background(), "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)")
		admin.Close(context.Background())
	}
	u.Path = "/" + name
	cfg, err := ParseURL(u.String())
	if err != nil {
		drop()
		return nil, nil, err
	}
	cfg.MaxConns = maxConns
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		drop()
		return nil, nil, err
	}
	m, err := NewMigrator(pool)
	if err == nil {
		_, err = m.Up(ctx)
	}
	if err != nil {
		pool.Close()
		drop()
		return nil, nil, err
	}
	return pool, func() { pool.Close(); drop() }, nil
}

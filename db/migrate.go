package db

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"
)

// migrationFS holds our schema, one numbered goose SQL file per step. Domain packages add their
// tables here (not in folders of their own) so that there is one ordered history.
//
//go:embed migrations/*.sql
var migrationFS embed.FS

// Migrations returns the embedded migration files.
func Migrations() fs.FS {
	sub, err := fs.Sub(migrationFS, "migrations")
	if err != nil {
		panic(err) // the embed pattern above guarantees the folder exists
	}
	return sub
}

// migrateLockKey is the advisory lock that serialises migration runs of any process.
const migrateLockKey = 0x616d6e6d6967 // "amnmig"

// MigrationStatus is one row of `amn migrate status`.
type MigrationStatus struct {
	Set     string // "river" (the job queue's own schema) or "amn"
	Version int64
	Name    string
	Applied bool
}

// Migrator applies River's migrations and then ours, in that order, so that our migrations may
// refer to River's tables.
type Migrator struct {
	pool  *pgxpool.Pool
	goose *goose.Provider
	river *rivermigrate.Migrator[pgx.Tx]
}

// NewMigrator prepares both migration sets against pool.
func NewMigrator(pool *pgxpool.Pool) (*Migrator, error) {
	gp, err := goose.NewProvider(goose.DialectPostgres, stdlib.OpenDBFromPool(pool), Migrations(),
		goose.WithDisableGlobalRegistry(true))
	if err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	rm, err := rivermigrate.New(riverpgxv5.New(pool), nil)
	if err != nil {
		return nil, fmt.Errorf("river migrations: %w", err)
	}
	return &Migrator{pool: pool, goose: gp, river: rm}, nil
}

// Applied is one migration that a call to Up or Down ran.
type Applied struct {
	Set  string
	Name string
}

// Up applies every pending migration, River's first. Concurrent callers (two processes starting
// at once) are serialised by an advisory lock; the second finds nothing to do.
func (m *Migrator) Up(ctx context.Context) ([]Applied, error) {
	var applied []Applied
	err := m.locked(ctx, func() error {
		res, err := m.river.Migrate(ctx, rivermigrate.DirectionUp, nil)
		if err != nil {
			return fmt.Errorf("river migrations: %w", err)
		}
		for _, v := range res.Versions {
			applied = append(applied, Applied{Set: "river", Name: fmt.Sprintf("%03d_%s", v.Version, v.Name)})
		}
		results, err := m.goose.Up(ctx)
		if err != nil {
			return fmt.Errorf("migrations: %w", err)
		}
		for _, r := range results {
			applied = append(applied, Applied{Set: "amn", Name: baseName(r.Source.Path)})
		}
		return nil
	})
	return applied, err
}

// Down rolls back our most recent migration. River's schema is left in place: it is shared
// infrastructure and its removal is a deliberate, separate act.
func (m *Migrator) Down(ctx context.Context) (*Applied, error) {
	var applied *Applied
	err := m.locked(ctx, func() error {
		r, err := m.goose.Down(ctx)
		if err != nil {
			return fmt.Errorf("migrations: %w", err)
		}
		applied = &Applied{Set: "amn", Name: baseName(r.Source.Path)}
		return nil
	})
	return applied, err
}

// Status lists River's migrations and ours with whether each is applied.
func (m *Migrator) Status(ctx context.Context) ([]MigrationStatus, error) {
	var out []MigrationStatus
	existing, err := m.river.ExistingVersions(ctx)
	if err != nil && !strings.Contains(err.Error(), "does not exist") {
		return nil, fmt.Errorf("river migrations: %w", err)
	}
	done := map[int]bool{}
	for _, v := range existing {
		done[v.Version] = true
	}
	for _, v := range m.river.AllVersions() {
		out = append(out, MigrationStatus{Set: "river", Version: int64(v.Version), Name: v.Name, Applied: done[v.Version]})
	}
	st, err := m.goose.Status(ctx)
	if err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	for _, s := range st {
		out = append(out, MigrationStatus{Set: "amn", Version: s.Source.Version, Name: baseName(s.Source.Path),
			Applied: s.State == goose.StateApplied})
	}
	return out, nil
}

// Pending reports how many migrations are not yet applied; readiness checks use it. It only reads
// the version tables (it never creates goose's, as Status does), so a process's restricted role
// can run it: an empty database has every migration pending.
func (m *Migrator) Pending(ctx context.Context) (int, error) {
	existing, err := m.river.ExistingVersions(ctx)
	if err != nil {
		return 0, fmt.Errorf("river migrations: %w", err)
	}
	n := len(m.river.AllVersions()) - len(existing)
	applied := map[int64]bool{}
	var versions []int64
	err = m.pool.QueryRow(ctx, `SELECT coalesce(array_agg(DISTINCT version_id), '{}') FROM goose_db_version`).Scan(&versions)
	var pe *pgconn.PgError
	switch {
	case errors.As(err, &pe) && pe.Code == "42P01": // undefined_table: nothing applied yet
	case err != nil:
		return 0, fmt.Errorf("migrations: %w", err)
	}
	for _, v := range versions {
		applied[v] = true
	}
	for _, s := range m.goose.ListSources() {
		if !applied[s.Version] {
			n++
		}
	}
	return n, nil
}

func (m *Migrator) locked(ctx context.Context, fn func() error) error {
	conn, err := m.pool.Acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", int64(migrateLockKey)); err != nil {
		return err
	}
	defer conn.Exec(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", int64(migrateLockKey)) //nolint:errcheck // the lock dies with the session anyway
	return fn()
}

func baseName(path string) string {
	if i := strings.LastIndexByte(path, '/'); i >= 0 {
		return path[i+1:]
	}
	return path
}

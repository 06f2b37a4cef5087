// Package dbtest gives each test package a database of its own on the local PostgreSQL server.
//
// The first package to need one builds a template database (all migrations applied) named after a
// hash of the migrations, so later packages and later runs copy it in milliseconds with
// CREATE DATABASE … TEMPLATE. Each package's database is dropped when its tests end. Tests never
// share rows, so packages run in parallel (go test ./... does) without seeing each other.
//
// Wire it in a package with
//
//	func TestMain(m *testing.M) { dbtest.Main(m) }
//
// and take the pool with dbtest.Pool(t); a test that must not share even its package's rows (to
// run in parallel with the others) takes a database of its own with dbtest.Isolated(t).
package dbtest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/amanat/amn/db"
)

// EnvAdminURL names the variable that points the tests at a server; the default is the local one.
const EnvAdminURL = "AMN_TEST_DATABASE_URL"

const defaultAdminURL = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// templateLockKey serialises template builds across test processes.
const templateLockKey = 0x616d6e74706c // "amntpl"

var (
	once    sync.Once
	pool    *pgxpool.Pool
	dbName  string
	dbURL   string
	initErr error
	mainRan bool
)

// Main runs the package's tests and then drops the package database. Call it from TestMain.
func Main(m *testing.M) {
	mainRan = true
	code := m.Run()
	if pool != nil {
		pool.Close()
		if err := drop(context.Background(), dbName); err != nil {
			fmt.Fprintf(os.Stderr, "dbtest: dropping %s: %v\n", dbName, err)
		}
	}
	os.Exit(code)
}

// Pool returns a pool on this package's database, creating the database on first use.
func Pool(t testing.TB) *pgxpool.Pool {
	t.Helper()
	ensure(t)
	return pool
}

// URL returns the connection URL of this package's database, for tests that start the binary.
func URL(t testing.TB) string {
	t.Helper()
	ensure(t)
	return dbURL
}

// Name returns the name of this package's database.
func Name(t testing.TB) string {
	t.Helper()
	ensure(t)
	return dbName
}

func ensure(t testing.TB) {
	if !mainRan {
		t.Fatal("dbtest: add `func TestMain(m *testing.M) { dbtest.Main(m) }` to this package so its database is dropped afterwards")
	}
	once.Do(func() { initErr = setup() })
	if initErr != nil {
		t.Fatalf("dbtest: %v", initErr)
	}
}

// AdminURL returns the URL of the maintenance database tests create databases from.
func AdminURL() string {
	if u := os.Getenv(EnvAdminURL); u != "" {
		return u
	}
	return defaultAdminURL
}

func setup() error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	tpl, err := ensureTemplate(ctx)
	if err != nil {
		return err
	}
	dbName = packageDBName()
	admin, err := pgx.Connect(ctx, AdminURL())
	if err != nil {
		return fmt.Errorf("connecting to %s: %w", db.Redact(AdminURL()), err)
	}
	defer admin.Close(ctx)
	if _, err := admin.Exec(ctx, fmt.Sprintf("CREATE DATABASE %s TEMPLATE %s", quote(dbName), quote(tpl))); err != nil {
		return fmt.Errorf("creating %s from %s: %w", dbName, tpl, err)
	}
	if err := stamp(ctx, admin, dbName); err != nil {
		return err
	}
	dbURL = withDatabase(AdminURL(), dbName)
	pool, err = db.Open(ctx, dbURL)
	return err
}

// ensureTemplate builds the migrated template once per set of migrations.
func ensureTemplate(ctx context.Context) (string, error) {
	name, err := templateName()
	if err != nil {
		return "", err
	}
	admin, err := pgx.Connect(ctx, AdminURL())
	if err != nil {
		return "", fmt.Errorf("connecting to %s: %w", db.Redact(AdminURL()), err)
	}
	defer admin.Close(ctx)
	if _, err := admin.Exec(ctx, "SELECT pg_advisory_lock($1)", int64(templateLockKey)); err != nil {
		return "", err
	}
	defer admin.Exec(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", int64(templateLockKey)) //nolint:errcheck // released with the session anyway

	var exists bool
	if err := admin.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
		return "", err
	}
	if exists {
		return name, nil
	}
	if err := dropStale(ctx, admin); err != nil {
		return "", err
	}
	building := name + "_building"
	if _, err := admin.Exec(ctx, fmt.Sprintf("DROP DATABASE IF EXISTS %s WITH (FORCE)", quote(building))); err != nil {
		return "", err
	}
	if _, err := admin.Exec(ctx, fmt.Sprintf("CREATE DATABASE %s", quote(building))); err != nil {
		return "", err
	}
	if err := migrate(ctx, withDatabase(AdminURL(), building)); err != nil {
		return "", fmt.Errorf("migrating template: %w", err)
	}
	// Renaming last means a half-built template is never used.
	if _, err := admin.Exec(ctx, fmt.Sprintf("ALTER DATABASE %s RENAME TO %s", quote(building), quote(name))); err != nil {
		return "", err
	}
	return name, stamp(ctx, admin, name)
}

// stamp records when a test database or template was made, in its comment, so that stale ones
// can be told from ones another checkout (another migration set) or a running test still uses.
func stamp(ctx context.Context, admin *pgx.Conn, name string) error {
	_, err := admin.Exec(ctx, fmt.Sprintf("COMMENT ON DATABASE %s IS %s", quote(name),
		quoteLiteral(stampPrefix+time.Now().UTC().Format(time.RFC3339))))
	return err
}

const stampPrefix = "amn test database made "

// Ages after which a template of another migration set, and a package database left behind by a
// killed run, are dropped. A template is used by every package of a run, and other checkouts on
// the same server may be testing other migration sets right now: only old ones go.
const (
	staleTemplateAge = 24 * time.Hour
	staleDatabaseAge = 6 * time.Hour
)

// dropStale drops templates and package databases older than their age limit (or with no stamp,
// made before stamps existed).
func dropStale(ctx context.Context, admin *pgx.Conn) error {
	rows, err := admin.Query(ctx, `SELECT d.datname, coalesce(shobj_description(d.oid, 'pg_database'), '')
		FROM pg_database d WHERE d.datname LIKE 'amn\_tpl\_%' OR d.datname LIKE 'amn\_test\_%'`)
	if err != nil {
		return err
	}
	type dbRow struct{ name, comment string }
	all, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (dbRow, error) {
		var d dbRow
		return d, r.Scan(&d.name, &d.comment)
	})
	if err != nil {
		return err
	}
	for _, d := range all {
		limit := staleDatabaseAge
		if strings.HasPrefix(d.name, "amn_tpl_") {
			limit = staleTemplateAge
		}
		made, err := time.Parse(time.RFC3339, strings.TrimPrefix(d.comment, stampPrefix))
		if err == nil && time.Since(made) < limit {
			continue
		}
		if _, err := admin.Exec(ctx, fmt.Sprintf("DROP DATABASE IF EXISTS %s WITH (FORCE)", quote(d.name))); err != nil {
			return err
		}
	}
	return nil
}

func migrate(ctx context.Context, url string) error {
	p, err := db.Open(ctx, url)
	if err != nil {
		return err
	}
	defer p.Close()
	m, err := db.NewMigrator(p)
	if err != nil {
		return err
	}
	_, err = m.Up(ctx)
	return err
}

// templateName fingerprints the embedded migrations so that a changed migration gets a new template.
func templateName() (string, error) {
	h := sha256.New()
	err := fs.WalkDir(db.Migrations(), ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(db.Migrations(), path)
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s\x00%d\x00", path, len(b))
		h.Write(b)
		return nil
	})
	if err != nil {
		return "", err
	}
	return "amn_tpl_" + hex.EncodeToString(h.Sum(nil))[:16], nil
}

// packageDBName names the database after the test binary's package, plus randomness so that two
// runs of the same package never collide.
func packageDBName() string {
	base := strings.TrimSuffix(filepath.Base(os.Args[0]), ".test")
	base = strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			return r
		}
		return '_'
	}, strings.ToLower(base))
	if len(base) > 30 {
		base = base[:30]
	}
	var b [4]byte
	_, _ = rand.Read(b[:])
	return fmt.Sprintf("amn_test_%s_%s", base, hex.EncodeToString(b[:]))
}

func drop(ctx context.Context, name string) error {
	admin, err := pgx.Connect(ctx, AdminURL())
	if err != nil {
		return err
	}
	defer admin.Close(ctx)
	_, err = admin.Exec(ctx, fmt.Sprintf("DROP DATABASE IF EXISTS %s WITH (FORCE)", quote(name)))
	return err
}

func withDatabase(raw, name string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	u.Path = "/" + name
	return u.String()
}

func quote(ident string) string { return pgx.Identifier{ident}.Sanitize() }

func quoteLiteral(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// Isolated gives the test a database of its own, copied from the migrated template (CREATE
// DATABASE … TEMPLATE) and dropped when the test ends, and returns the owner's pool on it and its
// URL. A test on one shares no rows with any other, so it may run in parallel (t.Parallel) with
// tests that would otherwise see its rows: a signer's queue, a leader lock, daily limits.
func Isolated(t testing.TB) (*pgxpool.Pool, string) {
	t.Helper()
	ensure(t)
	ctx := context.Background()
	tpl, err := templateName()
	if err != nil {
		t.Fatalf("dbtest: %v", err)
	}
	name := packageDBName()
	admin, err := pgx.Connect(ctx, AdminURL())
	if err != nil {
		t.Fatalf("dbtest: connecting to %s: %v", db.Redact(AdminURL()), err)
	}
	defer admin.Close(ctx)
	if _, err := admin.Exec(ctx, fmt.Sprintf("CREATE DATABASE %s TEMPLATE %s", quote(name), quote(tpl))); err != nil {
		t.Fatalf("dbtest: creating %s from %s: %v", name, tpl, err)
	}
	t.Cleanup(func() {
		if err := drop(context.Background(), name); err != nil {
			t.Errorf("dbtest: dropping %s: %v", name, err)
		}
	})
	if err := stamp(ctx, admin, name); err != nil {
		t.Fatalf("dbtest: %v", err)
	}
	u := withDatabase(AdminURL(), name)
	p, err := db.Open(ctx, u)
	if err != nil {
		t.Fatalf("dbtest: %v", err)
	}
	t.Cleanup(p.Close) // before the database is dropped
	return p, u
}

// Own is Isolated's pool alone.
func Own(t testing.TB) *pgxpool.Pool {
	t.Helper()
	p, _ := Isolated(t)
	return p
}

// Empty creates an empty database for one test (no migrations applied) and drops it when the test
// ends. Tests of the migrations themselves use it.
func Empty(t testing.TB) string {
	t.Helper()
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, AdminURL())
	if err != nil {
		t.Fatalf("dbtest: connecting to %s: %v", db.Redact(AdminURL()), err)
	}
	defer admin.Close(ctx)
	name := packageDBName() + "_empty"
	if _, err := admin.Exec(ctx, fmt.Sprintf("CREATE DATABASE %s", quote(name))); err != nil {
		t.Fatalf("dbtest: %v", err)
	}
	if err := stamp(ctx, admin, name); err != nil {
		t.Fatalf("dbtest: %v", err)
	}
	t.Cleanup(func() {
		if err := drop(context.Background(), name); err != nil {
			t.Errorf("dbtest: dropping %s: %v", name, err)
		}
	})
	return withDatabase(AdminURL(), name)
}

// Login creates a LOGIN user that is a member of role and of nothing else, as production's logins
// are (docs/security.md), and returns rawURL logging in as it. The user is dropped when the test
// ends.
func Login(t testing.TB, rawURL, role string) string {
	t.Helper()
	ctx := context.Background()
	var b [4]byte
	_, _ = rand.Read(b[:])
	name := fmt.Sprintf("amn_test_login_%s_%s", strings.TrimPrefix(role, "amn_"), hex.EncodeToString(b[:]))
	admin, err := pgx.Connect(ctx, AdminURL())
	if err != nil {
		t.Fatalf("dbtest: connecting to %s: %v", db.Redact(AdminURL()), err)
	}
	defer admin.Close(ctx)
	if _, err := admin.Exec(ctx, fmt.Sprintf("CREATE ROLE %s LOGIN IN ROLE %s", quote(name), quote(role))); err != nil {
		t.Fatalf("dbtest: creating a login of %s: %v", role, err)
	}
	t.Cleanup(func() {
		c, err := pgx.Connect(context.Background(), AdminURL())
		if err != nil {
			t.Errorf("dbtest: dropping login %s: %v", name, err)
			return
		}
		defer c.Close(context.Background())
		if _, err := c.Exec(context.Background(), "DROP ROLE IF EXISTS "+quote(name)); err != nil {
			t.Errorf("dbtest: dropping login %s: %v", name, err)
		}
	})
	u, err := url.Parse(rawURL)
	if err != nil {
		t.Fatalf("dbtest: %v", err)
	}
	u.User = url.User(name)
	return u.String()
}

// PoolAs returns a pool on this package's database that works as role (db.OpenAs), logged in as
// a user of its own that is a member of role only (Login). It is closed when the test ends.
func PoolAs(t testing.TB, role string) *pgxpool.Pool {
	t.Helper()
	return poolAs(t, URL(t), role)
}

// PoolLike is PoolAs on the database owner is connected to.
func PoolLike(t testing.TB, owner *pgxpool.Pool, role string) *pgxpool.Pool {
	t.Helper()
	return poolAs(t, owner.Config().ConnString(), role)
}

func poolAs(t testing.TB, rawURL, role string) *pgxpool.Pool {
	login := Login(t, rawURL, role)
	p, err := db.OpenAs(context.Background(), login, role)
	if err != nil {
		t.Fatalf("dbtest: %v", err)
	}
	t.Cleanup(p.Close) // before the login is dropped
	return p
}

package dbtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// Child processes of TestParallelPackagesAreIsolated run isolationChild instead of the tests.
const envChild = "AMN_DBTEST_ISOLATION_CHILD"

func TestMain(m *testing.M) {
	if role := os.Getenv(envChild); role != "" {
		os.Exit(isolationChild(role))
	}
	Main(m)
}

// TestParallelPackagesAreIsolated starts two test processes at once (as go test ./... does with
// two packages). Each writes a row, waits until the other has written too, and checks that it sees
// only its own row; afterwards both databases are gone.
func TestParallelPackagesAreIsolated(t *testing.T) {
	dir := t.TempDir()
	roles := []string{"alpha", "beta"}
	outs := make([]bytes.Buffer, len(roles))
	errs := make([]error, len(roles))
	var wg sync.WaitGroup
	for i, role := range roles {
		wg.Go(func() {
			cmd := exec.Command(os.Args[0])
			cmd.Env = append(os.Environ(), envChild+"="+role, "AMN_DBTEST_SYNC_DIR="+dir)
			cmd.Stdout, cmd.Stderr = &outs[i], &outs[i]
			errs[i] = cmd.Run()
		})
	}
	wg.Wait()
	names := map[string]bool{}
	for i, role := range roles {
		if errs[i] != nil {
			t.Fatalf("%s: %v\n%s", role, errs[i], outs[i].String())
		}
		name := strings.TrimSpace(outs[i].String())
		if !strings.HasPrefix(name, "amn_test_") {
			t.Fatalf("%s printed %q, want its database name", role, name)
		}
		names[name] = true
	}
	if len(names) != 2 {
		t.Fatalf("both processes used the same database: %v", names)
	}

	ctx := context.Background()
	admin, err := pgx.Connect(ctx, AdminURL())
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	for name := range names {
		var exists bool
		if err := admin.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
			t.Fatal(err)
		}
		if exists {
			t.Errorf("database %s was not dropped", name)
		}
	}
}

func isolationChild(role string) int {
	fail := func(err error) int { fmt.Fprintln(os.Stderr, role+":", err); return 1 }
	if err := setup(); err != nil {
		return fail(err)
	}
	defer func() { pool.Close(); _ = drop(context.Background(), dbName) }()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	_, err := pool.Exec(ctx, `INSERT INTO process_heartbeat (role, instance, version, started_at, seen_at)
		VALUES ($1, 'isolation', 'test', now(), now())`, role)
	if err != nil {
		return fail(err)
	}
	dir := os.Getenv("AMN_DBTEST_SYNC_DIR")
	if err := os.WriteFile(filepath.Join(dir, role), nil, 0o600); err != nil {
		return fail(err)
	}
	// Wait until the other process has written its row, so both databases hold data at once.
	for {
		entries, err := os.ReadDir(dir)
		if err != nil {
			return fail(err)
		}
		if len(entries) >= 2 {
			break
		}
		select {
		case <-ctx.Done():
			return fail(errors.New("the other process never wrote its row"))
		case <-time.After(20 * time.Millisecond):
		}
	}
	rows, err := pool.Query(ctx, "SELECT role FROM process_heartbeat")
	if err != nil {
		return fail(err)
	}
	seen, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return fail(err)
	}
	if len(seen) != 1 || seen[0] != role {
		return fail(fmt.Errorf("saw rows %v, want only %q", seen, role))
	}
	fmt.Println(dbName)
	return 0
}

// Another checkout on the same server tests another migration set: its fresh template survives a
// build of ours, while a template from a killed run long ago (no stamp, or an old one) is dropped.
func TestStaleTemplatesOnlyAreDropped(t *testing.T) {
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, AdminURL())
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	suffix := fmt.Sprintf("%d", time.Now().UnixNano())
	fresh, unstamped, old := "amn_tpl_fresh_"+suffix, "amn_tpl_unstamped_"+suffix, "amn_test_old_"+suffix
	for _, n := range []string{fresh, unstamped, old} {
		if _, err := admin.Exec(ctx, "CREATE DATABASE "+quote(n)); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = drop(context.Background(), n) })
	}
	if err := stamp(ctx, admin, fresh); err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Exec(ctx, "COMMENT ON DATABASE "+quote(old)+" IS "+
		quoteLiteral(stampPrefix+time.Now().Add(-staleDatabaseAge-time.Minute).UTC().Format(time.RFC3339))); err != nil {
		t.Fatal(err)
	}
	if err := dropStale(ctx, admin); err != nil {
		t.Fatal(err)
	}
	for n, want := range map[string]bool{fresh: true, unstamped: false, old: false, Name(t): true} {
		var exists bool
		if err := admin.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", n).Scan(&exists); err != nil {
			t.Fatal(err)
		}
		if exists != want {
			t.Errorf("%s exists = %v, want %v", n, exists, want)
		}
	}
}

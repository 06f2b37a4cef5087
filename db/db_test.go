package db_test

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/amanat/amn/db"
	"github.com/amanat/amn/db/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

func TestMigrateUpTwiceThenStatusAndDown(t *testing.T) {
	ctx := context.Background()
	pool, err := db.Open(ctx, dbtest.Empty(t))
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	m, err := db.NewMigrator(pool)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := m.Pending(ctx); err != nil || n == 0 {
		t.Fatalf("pending on an empty database = %d, %v; want > 0", n, err)
	}
	first, err := m.Up(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var sets = map[string]int{}
	for _, a := range first {
		sets[a.Set]++
	}
	if sets["river"] == 0 || sets["amn"] == 0 {
		t.Fatalf("first run applied %v; want both River's and ours", first)
	}
	second, err := m.Up(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(second) != 0 {
		t.Fatalf("second run applied %v; want nothing", second)
	}
	st, err := m.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(st) != len(first) {
		t.Fatalf("status lists %d migrations, the first run applied %d", len(st), len(first))
	}
	for _, s := range st {
		if !s.Applied {
			t.Errorf("%s %s not applied", s.Set, s.Name)
		}
	}
	if n, _ := m.Pending(ctx); n != 0 {
		t.Fatalf("pending after up = %d", n)
	}

	down, err := m.Down(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := m.Pending(ctx); n != 1 {
		t.Fatalf("pending after rolling back %s = %d, want 1", down.Name, n)
	}
}

func TestParseURLRejectsMalformed(t *testing.T) {
	for _, raw := range []string{"", "mysql://root@localhost/x", "postgres://u:secret@host:notaport/db", "::::"} {
		_, err := db.ParseURL(raw)
		if !errors.Is(err, db.ErrBadURL) {
			t.Errorf("ParseURL(%q) = %v, want ErrBadURL", raw, err)
		}
		if err != nil && strings.Contains(err.Error(), "secret") {
			t.Errorf("error leaks the password: %v", err)
		}
	}
}

func TestOpenUnreachableNamesTheServerWithoutPassword(t *testing.T) {
	_, err := db.Open(context.Background(), "postgres://amn:hunter2@127.0.0.1:1/amn?connect_timeout=2")
	if err == nil {
		t.Fatal("want an error")
	}
	if !strings.Contains(err.Error(), "unreachable") || strings.Contains(err.Error(), "hunter2") {
		t.Fatalf("error = %q", err)
	}
}

func TestInTxRetriesSerializationFailures(t *testing.T) {
	ctx := context.Background()
	pool := dbtest.Pool(t)
	var calls atomic.Int32
	err := db.InTx(ctx, pool, func(tx pgx.Tx) error {
		if calls.Add(1) == 1 {
			_, err := tx.Exec(ctx, `DO $$ BEGIN RAISE EXCEPTION 'conflict' USING ERRCODE = '40001'; END $$`)
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO process_heartbeat VALUES ('t', 'retry', 'v', now(), now())`)
		return err
	})
	if err != nil || calls.Load() != 2 {
		t.Fatalf("err = %v after %d calls; want success on the second", err, calls.Load())
	}
	var n int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM process_heartbeat WHERE instance = 'retry'`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("rows = %d, %v; want exactly 1", n, err)
	}
}

func TestInTxRollsBackOnError(t *testing.T) {
	ctx := context.Background()
	pool := dbtest.Pool(t)
	boom := errors.New("boom")
	err := db.InTx(ctx, pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO process_heartbeat VALUES ('t', 'rollback', 'v', now(), now())`); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
	var n int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM process_heartbeat WHERE instance = 'rollback'`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("rows = %d, %v; want the insert rolled back", n, err)
	}
}

// TestSessionsPriceRandomReadsForSSD: every connection starts with random_page_cost 1.1 (see
// randomPageCost) unless its URL says otherwise.
func TestSessionsPriceRandomReadsForSSD(t *testing.T) {
	var got string
	if err := dbtest.Pool(t).QueryRow(context.Background(), "SHOW random_page_cost").Scan(&got); err != nil {
		t.Fatal(err)
	}
	if got != "1.1" {
		t.Errorf("random_page_cost = %s, want 1.1", got)
	}
	cfg, err := db.ParseURL("postgres://u@localhost/x?random_page_cost=2")
	if err != nil {
		t.Fatal(err)
	}
	if v := cfg.ConnConfig.RuntimeParams["random_page_cost"]; v != "2" {
		t.Errorf("a URL's own random_page_cost became %q", v)
	}
}

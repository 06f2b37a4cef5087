package main

import (
	"context"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/amanat/amn/db/dbtest"
)

// amn dev forgets the chain state a previous run left (its chains are gone), so it must refuse a
// database that a real role has used, before it starts anything.
func TestDevRefusesADatabaseAnotherRoleUsed(t *testing.T) {
	url := dbtest.Empty(t)
	if code, out, errs := run(t, []string{"AMN_DATABASE_URL=" + url}, "migrate", "up"); code != 0 {
		t.Fatalf("migrate up: exit %d: %s%s", code, out, errs)
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `INSERT INTO process_heartbeat (role, instance, version, started_at, seen_at)
		VALUES ('indexer', 'host:1', 'v', now(), now())`); err != nil {
		t.Fatal(err)
	}
	code, out, errs := run(t, []string{"AMN_DATABASE_URL=" + url}, "dev", "--listen", "127.0.0.1:0", "--anvil-base-port", "1")
	if code != 2 || !strings.Contains(errs, "`amn indexer` has used this database") || strings.Contains(out, "anvil pid") {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %s", code, out, errs)
	}
}

package dbtest

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// TestOwnDatabasesAreMigratedApartAndDropped: two parallel tests each take a database of their
// own, migrated like the package's; rows written in one are seen neither in the other nor in the
// package's, and each is dropped when its test ends.
func TestOwnDatabasesAreMigratedApartAndDropped(t *testing.T) {
	ctx := context.Background()
	names := make([]string, 2)
	t.Run("group", func(t *testing.T) {
		for i := range names {
			t.Run("own", func(t *testing.T) {
				t.Parallel()
				p := Own(t)
				if err := p.QueryRow(ctx, "SELECT current_database()").Scan(&names[i]); err != nil {
					t.Fatal(err)
				}
				// Migrated: the payments' sequence is there; setting it is seen here only.
				if _, err := p.Exec(ctx, "SELECT setval('deposit_index_seq', $1)", 7000+i); err != nil {
					t.Fatal(err)
				}
				if got := lastValue(t, p); got != int64(7000+i) {
					t.Errorf("own database %d: deposit_index_seq at %d, want %d", i, got, 7000+i)
				}
			})
		}
	})
	if names[0] == "" || names[0] == names[1] || names[0] == Name(t) || names[1] == Name(t) {
		t.Fatalf("databases %v, package's %s: want two of their own", names, Name(t))
	}
	if got := lastValue(t, Pool(t)); got >= 7000 {
		t.Errorf("the package's deposit_index_seq is at %d: an own database's write reached it", got)
	}
	admin, err := pgx.Connect(ctx, AdminURL())
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	for _, name := range names {
		var exists bool
		if err := admin.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
			t.Fatal(err)
		}
		if exists {
			t.Errorf("own database %s was not dropped when its test ended", name)
		}
	}
}

func lastValue(t *testing.T, p *pgxpool.Pool) int64 {
	t.Helper()
	var v int64
	if err := p.QueryRow(context.Background(), "SELECT last_value FROM deposit_index_seq").Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

package notify_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/amanat/amn/db"
	"github.com/amanat/amn/db/dbtest"
	"github.com/amanat/amn/notify"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// testKey signs the tests' unsubscribe links (public test data).
var testKey = []byte("notify-test-key-0123456789abcdef-0123456789")

// world is the notifications as the API (amn_api) and as the worker (amn_worker), with the owner's
// pool to make users and read tables directly.
type world struct {
	api, worker *notify.Service
	apiPool     *pgxpool.Pool
	workerPool  *pgxpool.Pool
	owner       *pgxpool.Pool
}

func newWorld(t *testing.T) *world {
	t.Helper()
	w := &world{apiPool: dbtest.PoolAs(t, db.RoleAPI), workerPool: dbtest.PoolAs(t, db.RoleWorker), owner: dbtest.Pool(t)}
	cfg := notify.Config{UnsubscribeKey: testKey, APIURL: "http://127.0.0.1:8080", AppURL: "https://app.amn.test"}
	var err error
	if w.api, err = notify.New(w.apiPool, cfg); err != nil {
		t.Fatal(err)
	}
	if w.worker, err = notify.New(w.workerPool, cfg); err != nil {
		t.Fatal(err)
	}
	return w
}

// user makes a user with a verified address (none when email is "") in locale.
func (w *world) user(t *testing.T, locale string, verified bool) (uuid.UUID, string) {
	t.Helper()
	id := uuid.New()
	email := id.String() + "@example.com"
	if _, err := w.owner.Exec(context.Background(), `INSERT INTO users (id, email, email_verified_at, roles, locale)
		VALUES ($1, $2, CASE WHEN $3 THEN now() END, '{buyer,seller}', $4)`, id, email, verified, locale); err != nil {
		t.Fatal(err)
	}
	return id, email
}

// notifyIn writes n in a transaction of pool's that commits, or rolls back when rollback is set.
func notifyIn(t *testing.T, s *notify.Service, pool *pgxpool.Pool, n notify.Note, rollback bool) *notify.Notification {
	t.Helper()
	var out *notify.Notification
	errRollback := errors.New("roll back")
	err := db.InTx(context.Background(), pool, func(tx pgx.Tx) error {
		var err error
		if out, err = s.Notify(context.Background(), tx, n); err != nil {
			return err
		}
		if rollback {
			return errRollback
		}
		return nil
	})
	if rollback && errors.Is(err, errRollback) {
		return out
	}
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// count is one number the owner reads.
func (w *world) count(t *testing.T, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := w.owner.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// jobs counts user's notify_email jobs of kind.
func (w *world) jobs(t *testing.T, user uuid.UUID, k notify.Kind) int {
	return w.count(t, `SELECT count(*) FROM river_job WHERE kind = 'notify_email' AND args->>'user' = $1 AND args->>'kind' = $2`,
		user.String(), string(k))
}

// roomEvents lists a user's room's stored events as "seq:kind".
func (w *world) roomEvents(t *testing.T, user uuid.UUID) string {
	t.Helper()
	rows, err := w.owner.Query(context.Background(), `SELECT seq || ':' || kind FROM realtime_events WHERE room = $1 ORDER BY seq`, "user-"+user.String())
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return strings.Join(out, " ")
}

func wantErr(t *testing.T, what string, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("%s: err = %v, want %v", what, err, want)
	}
}

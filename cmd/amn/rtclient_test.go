package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/amanat/amn/auth"
	"github.com/amanat/amn/db"
	"github.com/amanat/amn/db/dbtest"
	"github.com/amanat/amn/realtime"
)

// TestRealtimeClient runs the TypeScript-facing real-time client's tests (clients/realtime/test,
// Node's test runner) against a real `amn api`, and type-checks the client against the OpenAPI
// document's generated types. Node gets the API's URL and a helper of this test that signs users
// in (with short-lived access tokens when asked) and publishes events as a domain package does.
func TestRealtimeClient(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	t.Run("types", func(t *testing.T) {
		tsc := exec.Command(filepath.Join(root, "node_modules/.bin/tsc"), "-p", "clients/realtime/tsconfig.json")
		tsc.Dir = root
		if out, err := tsc.CombinedOutput(); err != nil {
			t.Fatalf("tsc: %v\n%s", err, out)
		}
	})
	env := []string{"AMN_DATABASE_URL=" + dbtest.Login(t, dbtest.URL(t), db.RoleAPI), "AMN_REDIS_URL=" + redisURL}
	_, logs, base := startRole(t, env, "api", "--rate-global", "100000/1m")
	helper := httptest.NewServer(rtHelper(t, dbtest.PoolAs(t, db.RoleAPI)))
	defer helper.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	node := exec.CommandContext(ctx, "node", "--test", "--experimental-websocket", "--no-warnings", "clients/realtime/test/")
	node.Dir = root
	node.Env = append(os.Environ(), "AMN_RT_API="+base, "AMN_RT_HELPER="+helper.URL)
	out, err := node.CombinedOutput()
	t.Logf("node --test:\n%s", out)
	if err != nil {
		t.Fatalf("node --test: %v\namn api:\n%s", err, logs.String())
	}
}

// rtHelper serves what the Node tests cannot do through the API: POST /session makes a buyer and
// signs it in (accessTTL, if given, bounds its access token: the token signed with the keys every
// test `amn api` uses); POST /publish publishes count events into a room, one transaction each.
func rtHelper(t *testing.T, pool *pgxpool.Pool) http.Handler {
	pem, err := os.ReadFile(testAuthKeysFile)
	if err != nil {
		t.Fatal(err)
	}
	keys, err := auth.ParseKeys(pem)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /session", func(w http.ResponseWriter, r *http.Request) {
		var in struct{ AccessTTL string }
		_ = json.NewDecoder(r.Body).Decode(&in)
		ttl, _ := time.ParseDuration(in.AccessTTL)
		svc, err := auth.New(pool, auth.Config{Issuer: "amn", Audience: "amn-api", Keys: keys, AccessTTL: ttl})
		if err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		u, err := svc.CreateUser(r.Context(), auth.NewUser{Email: uuid.NewString() + "@example.com", EmailVerified: true, Roles: []auth.Role{auth.RoleBuyer}})
		if err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		s, err := svc.StartSession(r.Context(), u.ID, auth.MethodPassword, auth.Client{UserAgent: "node test"})
		if err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"user": u.ID, "accessToken": s.AccessToken, "refreshToken": s.RefreshToken})
	})
	mux.HandleFunc("POST /publish", func(w http.ResponseWriter, r *http.Request) {
		var in struct {
			Room  realtime.Room
			Count int
		}
		if err := json.NewDecoder(r.Body).Decode(&in); err != nil || in.Count < 1 || in.Count > 1000 {
			http.Error(w, "want {room, count 1..1000}", 400)
			return
		}
		var last int64
		for i := range in.Count {
			err := db.InTx(r.Context(), pool, func(tx pgx.Tx) (err error) {
				last, err = realtime.Publish(r.Context(), tx, in.Room, "test.event", map[string]any{"i": i})
				return err
			})
			if err != nil {
				http.Error(w, err.Error(), 500)
				return
			}
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"last": last})
	})
	return mux
}

package main

import (
	"context"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/amanat/amn/db"
	"github.com/amanat/amn/db/dbtest"
)

// TestEveryDatabaseCommandHasARole: every command that takes --database-url works as a role
// written down in commandRoles (and config print shows it), and commandRoles names no command
// that does not exist.
func TestEveryDatabaseCommandHasARole(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range databaseCommands(newRootCmd()) {
		role, err := roleOf(c)
		if err != nil {
			t.Errorf("%v", err)
			continue
		}
		if role != db.Owner && !slices.Contains(db.Roles, role) {
			t.Errorf("%s works as %q, which is not a role of db.Roles", c.CommandPath(), role)
		}
		seen[c.CommandPath()] = true
	}
	for path := range commandRoles {
		if !seen[path] {
			t.Errorf("commandRoles names %q, which is not a command that opens the database", path)
		}
	}
}

// TestConfigPrintShowsEachCommandsRole: `amn config print` lists the role of the processes and
// of the operators' commands.
func TestConfigPrintShowsEachCommandsRole(t *testing.T) {
	code, out, errs := run(t, nil, "config", "print")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{
		`amn api\s+amn_api`, `amn indexer\s+amn_indexer`, `amn worker\s+amn_worker`, `amn signer\s+amn_signer`,
		`amn migrate up\s+owner`, `amn payments create\s+amn_api`, `amn admin sweep\s+amn_worker`,
		`amn indexer requeue\s+amn_indexer`, `amn import mongo\s+amn_import`, `amn dev\s+owner .*api amn_api, indexers amn_indexer, worker amn_worker, signer amn_signer`,
	} {
		if !regexp.MustCompile(`(?m)^` + want + `$|(?m)^` + want + `\s`).MatchString(out) {
			t.Errorf("config print lacks %q:\n%s", want, out)
		}
	}
}

// TestProcessRefusesALoginOutsideItsRole: a process whose login is not a member of its role
// does not start: exit 2, one line naming the role.
func TestProcessRefusesALoginOutsideItsRole(t *testing.T) {
	url := dbtest.URL(t)
	for _, tc := range []struct {
		args  []string
		login string // the role the login is a member of instead
		role  string
	}{
		{[]string{"api", "--redis-url", redisURL}, db.RoleIndexer, db.RoleAPI},
		{[]string{"worker", "--redis-url", redisURL}, db.RoleAPI, db.RoleWorker},
		{[]string{"indexer", "--chain", "bsc", "--rpc-url", "http://127.0.0.1:1"}, db.RoleWorker, db.RoleIndexer},
		{[]string{"signer"}, db.RoleAPI, db.RoleSigner},
		{[]string{"payments", "list"}, db.RoleWorker, db.RoleAPI},
		{[]string{"import", "mongo", "--uri", "mongodb://127.0.0.1:1", "--database", "legacy"}, db.RoleAPI, db.RoleImport},
	} {
		t.Run(tc.args[0], func(t *testing.T) {
			env := []string{"AMN_DATABASE_URL=" + dbtest.Login(t, url, tc.login)}
			args := append(slices.Clone(tc.args), "--listen", "127.0.0.1:0")
			if tc.args[0] == "payments" || tc.args[0] == "import" {
				args = tc.args
			}
			code, stdout, stderr := run(t, env, args...)
			lines := strings.Split(strings.TrimSpace(stderr), "\n")
			if code != 2 || len(lines) != 1 || !strings.Contains(lines[0], "cannot work as the database role "+tc.role) ||
				!strings.Contains(lines[0], "make the login a member of "+tc.role) {
				t.Fatalf("exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
			}
			if strings.Contains(stdout+stderr, `"msg":"started"`) {
				t.Fatalf("something started:\n%s%s", stdout, stderr)
			}
		})
	}
}

// TestReadyzFailsForAnOverPrivilegedRole: with the API's role given one privilege more than
// docs/security.md (UPDATE on every column of payments), `amn api` works but is not ready, and
// /readyz names the privilege; revoked, it is ready again. Run on a database of its own: the
// grant would widen the package's database for the other tests.
func TestReadyzFailsForAnOverPrivilegedRole(t *testing.T) {
	url := dbtest.Empty(t)
	if code, out, errs := run(t, []string{"AMN_DATABASE_URL=" + url}, "migrate", "up"); code != 0 {
		t.Fatalf("migrate up: exit %d: %s%s", code, out, errs)
	}
	ctx := context.Background()
	owner, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer owner.Close(ctx)
	env := []string{"AMN_DATABASE_URL=" + dbtest.Login(t, url, db.RoleAPI), "AMN_REDIS_URL=" + redisURL}
	_, logs, base := startRole(t, env, "api")
	if code, body := get(t, base+"/readyz"); code != http.StatusOK || !strings.Contains(body, `"postgres_role":{"ok":true,"detail":"amn_api"`) {
		t.Fatalf("/readyz before the grant = %d %s\n%s", code, body, logs)
	}
	if _, err := owner.Exec(ctx, `GRANT UPDATE ON payments TO amn_api`); err != nil {
		t.Fatal(err)
	}
	code, body := get(t, base+"/readyz")
	if code != http.StatusServiceUnavailable || !strings.Contains(body, `"postgres_role":{"ok":false,"detail":"amn_api"`) ||
		!strings.Contains(body, "role amn_api can do more than docs/security.md grants it: UPDATE on payments") {
		t.Fatalf("/readyz with UPDATE on payments granted = %d %s", code, body)
	}
	if _, err := owner.Exec(ctx, `REVOKE UPDATE ON payments FROM amn_api`); err != nil {
		t.Fatal(err)
	}
	// The revoke took the role's own column grants too: give them back as migrations do.
	if _, err := owner.Exec(ctx, `GRANT UPDATE (state, disputed_from, updated_at, buyer_address, buyer_signature, payout_attempt, split_buyer_amount) ON payments TO amn_api`); err != nil {
		t.Fatal(err)
	}
	if code, body := get(t, base+"/readyz"); code != http.StatusOK {
		t.Fatalf("/readyz after the revoke = %d %s", code, body)
	}
}

// TestProcessWarnsOfALoginThatCanDoMore: a process whose login can do more than its role (here
// the tests' superuser, which a RESET ROLE would give back) works as its role but says so at
// start, naming what the login can do.
func TestProcessWarnsOfALoginThatCanDoMore(t *testing.T) {
	_, logs, base := startRole(t, []string{"AMN_DATABASE_URL=" + dbtest.URL(t)}, "signer")
	if code, body := get(t, base+"/readyz"); code != http.StatusOK || !strings.Contains(body, `"postgres_role":{"ok":true,"detail":"amn_signer"`) {
		t.Fatalf("/readyz = %d %s", code, body)
	}
	if !regexp.MustCompile(`"level":"WARN","msg":"the database login can do more than its role[^"]*","role":"signer","db_role":"amn_signer","login":"login \w+ is a superuser"`).MatchString(logs.String()) {
		t.Fatalf("no warning names the superuser login:\n%s", logs)
	}
}

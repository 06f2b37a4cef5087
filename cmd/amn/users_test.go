package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/amanat/amn/db/dbtest"
)

// TestUsersCommands: create-admin from a password file (a weak one refused), list with filters
// and as JSON, ban (reason required) and unban, add and remove roles — each audited as cli:<os user>.
func TestUsersCommands(t *testing.T) {
	// A database of its own: the test counts the admins (the last one is kept), and other tests of
	// the package make admins of their own.
	env := []string{"AMN_DATABASE_URL=" + dbtest.Empty(t)}
	if code, out, errs := run(t, env, "migrate", "up"); code != 0 {
		t.Fatalf("migrate: exit %d %s %s", code, out, errs)
	}
	dir := t.TempDir()
	weak, strong := filepath.Join(dir, "weak"), filepath.Join(dir, "strong")
	if err := os.WriteFile(weak, []byte("password123\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(strong, []byte("a long admin password\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := run(t, env, "users", "create-admin", "--email", "root@example.com", "--password-file", weak); code != 2 || !strings.Contains(errs, "too weak") {
		t.Fatalf("weak password: exit %d %s", code, errs)
	}
	code, out, errs := run(t, env, "users", "create-admin", "--email", "Root@Example.com", "--password-file", strong)
	if code != 0 || !strings.Contains(out, "created admin") {
		t.Fatalf("create-admin: exit %d %s %s", code, out, errs)
	}
	id := strings.Fields(out)[2]
	if code, _, _ := run(t, env, "users", "create-admin", "--email", "root@example.com", "--password-file", strong); code != 2 {
		t.Fatalf("a second admin on the same email: exit %d", code)
	}
	code, out, errs = run(t, env, "users", "list", "--role", "admin", "--json")
	var page struct {
		Items []struct {
			ID     string
			Email  string
			Roles  []string
			Status string
		}
	}
	if code != 0 || json.Unmarshal([]byte(out), &page) != nil || len(page.Items) != 1 || page.Items[0].ID != id || page.Items[0].Email != "root@example.com" {
		t.Fatalf("list: exit %d %s %s", code, out, errs)
	}
	// The only admin cannot be banned: the platform would have none.
	if code, _, errs := run(t, env, "users", "ban", id, "--reason", "test"); code != 2 || !strings.Contains(errs, "last active admin") {
		t.Fatalf("ban the last admin: exit %d %s", code, errs)
	}
	code, out, errs = run(t, env, "users", "create-admin", "--email", "second@example.com", "--password-file", strong)
	if code != 0 {
		t.Fatalf("second admin: exit %d %s %s", code, out, errs)
	}
	second := strings.Fields(out)[2]
	if code, _, errs := run(t, env, "users", "ban", id); code != 2 || !strings.Contains(errs, "--reason") {
		t.Fatalf("ban without reason: exit %d %s", code, errs)
	}
	if code, out, errs := run(t, env, "users", "ban", id, "--reason", "test"); code != 0 || !strings.Contains(out, "banned") {
		t.Fatalf("ban: exit %d %s %s", code, out, errs)
	}
	if code, out, _ := run(t, env, "users", "list", "--status", "banned"); code != 0 || !strings.Contains(out, id) {
		t.Fatalf("list banned: %s", out)
	}
	if code, out, errs := run(t, env, "users", "unban", id, "--reason", "test over"); code != 0 || !strings.Contains(out, "active") {
		t.Fatalf("unban: exit %d %s %s", code, out, errs)
	}
	if code, out, errs := run(t, env, "users", "role", id, "--add", "seller", "--remove", "admin"); code != 0 || !strings.Contains(out, "[seller]") {
		t.Fatalf("role: exit %d %s %s", code, out, errs)
	}
	if code, _, errs := run(t, env, "users", "role", second, "--remove", "admin"); code != 2 || !strings.Contains(errs, "last active admin") {
		t.Fatalf("demote the last admin: exit %d %s", code, errs)
	}
	if code, _, _ := run(t, env, "users", "role", id, "--add", "god"); code == 0 {
		t.Fatal("an unknown role was accepted")
	}
	if code, _, _ := run(t, env, "users", "ban", "not-a-uuid", "--reason", "x"); code != 2 {
		t.Fatalf("a malformed id: exit %d", code)
	}
}

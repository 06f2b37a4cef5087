package auth

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/google/uuid"
)

// TestAdminChangesAreAuditedAndBansEndSessions: a ban revokes every session (its token stops at
// once) and unban needs a reason; roles are replaced; each change leaves an audit row; list
// filters and pages.
func TestAdminChangesAreAuditedAndBansEndSessions(t *testing.T) {
	s, ctx := testService(t), context.Background()
	admin, err := s.CreateAdmin(ctx, "cli:test", "root@example.com", "a long admin password")
	if err != nil || !admin.HasRole(RoleAdmin) || !admin.EmailVerified {
		t.Fatalf("create admin: %+v %v", admin, err)
	}
	if _, err := s.CreateAdmin(ctx, "cli:test", "weak@example.com", "password123"); !errors.Is(err, ErrWeakPassword) {
		t.Fatalf("weak admin password: %v", err)
	}
	u, err := s.CreateUser(ctx, NewUser{Email: "user@example.com", EmailVerified: true, Roles: []Role{RoleBuyer}})
	if err != nil {
		t.Fatal(err)
	}
	sess, err := s.StartSession(ctx, u.ID, MethodPassword, Client{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetStatus(ctx, "cli:test", u.ID, StatusBanned, ""); !errors.Is(err, ErrReasonMissing) {
		t.Fatalf("ban without reason: %v", err)
	}
	if _, err := s.SetStatus(ctx, "cli:test", uuid.New(), StatusBanned, "spam"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("ban of nobody: %v", err)
	}
	banned, err := s.SetStatus(ctx, "cli:test", u.ID, StatusBanned, "spam")
	if err != nil || banned.Status != StatusBanned {
		t.Fatalf("ban: %+v %v", banned, err)
	}
	if _, err := s.Authenticate(ctx, sess.AccessToken); err == nil {
		t.Fatal("a banned user's token still works")
	}
	if _, err := s.SetStatus(ctx, "cli:test", u.ID, StatusActive, "appeal upheld"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Authenticate(ctx, sess.AccessToken); err == nil {
		t.Fatal("unban brought a revoked session back")
	}
	got, err := s.SetRoles(ctx, "user:"+admin.ID.String(), u.ID, []Role{RoleSeller, RoleBuyer, RoleSeller})
	if err != nil || len(got.Roles) != 2 {
		t.Fatalf("roles: %+v %v", got.Roles, err)
	}
	var actions []string
	rows, err := s.pool.Query(ctx, "SELECT action || ':' || actor || ':' || reason FROM auth_audit WHERE user_id = $1 ORDER BY id", u.ID)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var a string
		if err := rows.Scan(&a); err != nil {
			t.Fatal(err)
		}
		actions = append(actions, a)
	}
	want := []string{"ban:cli:test:spam", "unban:cli:test:appeal upheld", "roles:user:" + admin.ID.String() + ":"}
	if len(actions) != 3 || actions[0] != want[0] || actions[1] != want[1] || actions[2] != want[2] {
		t.Fatalf("audit %v, want %v", actions, want)
	}
	sellers, _, err := s.ListUsers(ctx, UserFilter{Role: RoleSeller}, Page{Limit: MaxPageLimit})
	if err != nil || !slices.ContainsFunc(sellers, func(x User) bool { return x.ID == u.ID }) ||
		slices.ContainsFunc(sellers, func(x User) bool { return !x.HasRole(RoleSeller) }) {
		t.Fatalf("sellers: %v %v", sellers, err)
	}
	first, next, err := s.ListUsers(ctx, UserFilter{}, Page{Limit: 1})
	if err != nil || len(first) != 1 || next == nil {
		t.Fatalf("page 1: %v %v %v", first, next, err)
	}
	second, _, err := s.ListUsers(ctx, UserFilter{}, Page{Limit: 1, After: next})
	if err != nil || len(second) != 1 || second[0].ID == first[0].ID {
		t.Fatalf("page 2: %v %v", second, err)
	}
}

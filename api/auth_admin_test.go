package api

import (
	"context"
	"slices"
	"testing"

	"github.com/google/uuid"

	"github.com/amanat/amn/api/openapi"
	"github.com/amanat/amn/auth"
	"github.com/amanat/amn/db/dbtest"
)

func ban(t *testing.T, a *testAPI, adminToken string, userID uuid.UUID, status int) openapi.User {
	t.Helper()
	rec := a.do("PUT", "/v1/admin/users/"+userID.String()+"/status", map[string]string{"status": "banned", "reason": "fraud report #12"}, adminToken)
	if status != 200 {
		errorOf(t, rec, status)
		return openapi.User{}
	}
	return decode[openapi.User](t, rec, 200)
}

// A ban revokes every session of the user at once (their access tokens stop), is audited with
// the admin as actor and the reason; an unban lets them sign in again (their old sessions stay
// revoked).
func TestAdminBanRevokesEverySessionAndIsAudited(t *testing.T) {
	a := newTestAPI(t)
	admin := a.user(email("admin"), auth.RoleAdmin)
	victim := a.user(email("victim"), auth.RoleSeller)
	second, err := a.auth.StartSession(context.Background(), victim.User.ID, auth.MethodGoogle, auth.Client{})
	if err != nil {
		t.Fatal(err)
	}
	if u := ban(t, a, admin.AccessToken, victim.User.ID, 200); u.Status != "banned" {
		t.Fatalf("status %s", u.Status)
	}
	for _, tok := range []string{victim.AccessToken, second.AccessToken} {
		errorOf(t, a.do("GET", "/v1/me", nil, tok), 401)
	}
	if _, err := a.auth.StartSession(context.Background(), victim.User.ID, auth.MethodPassword, auth.Client{}); err != auth.ErrBanned {
		t.Fatalf("a banned user signed in: %v", err)
	}
	var actor, action, reason string
	var revoked int
	owner := dbtest.Pool(t)
	if err := owner.QueryRow(context.Background(), `SELECT actor, action, reason FROM auth_audit WHERE user_id = $1`, victim.User.ID).Scan(&actor, &action, &reason); err != nil {
		t.Fatal(err)
	}
	if actor != "user:"+admin.User.ID.String() || action != "ban" || reason != "fraud report #12" {
		t.Fatalf("audit %q %q %q", actor, action, reason)
	}
	if err := owner.QueryRow(context.Background(), `SELECT count(*) FROM auth_sessions WHERE user_id = $1 AND revoked_reason = 'banned'`, victim.User.ID).Scan(&revoked); err != nil || revoked != 2 {
		t.Fatalf("%d sessions revoked as banned (%v)", revoked, err)
	}

	rec := a.do("PUT", "/v1/admin/users/"+victim.User.ID.String()+"/status", map[string]string{"status": "active", "reason": "appeal accepted"}, admin.AccessToken)
	if u := decode[openapi.User](t, rec, 200); u.Status != "active" {
		t.Fatalf("unban: %s", u.Status)
	}
	if _, err := a.auth.StartSession(context.Background(), victim.User.ID, auth.MethodPassword, auth.Client{}); err != nil {
		t.Fatalf("unbanned user cannot sign in: %v", err)
	}
	errorOf(t, a.do("GET", "/v1/me", nil, victim.AccessToken), 401) // the old session stays revoked

	// A reason is required; an unknown user is not found; a non-admin is forbidden.
	wantCode(t, a.do("PUT", "/v1/admin/users/"+victim.User.ID.String()+"/status", map[string]string{"status": "banned", "reason": ""}, admin.AccessToken), 400, "invalid_request")
	wantCode(t, a.do("PUT", "/v1/admin/users/"+victim.User.ID.String()+"/status", map[string]string{"status": "banned", "reason": "   "}, admin.AccessToken), 400, "invalid")
	wantCode(t, a.do("PUT", "/v1/admin/users/"+uuid.NewString()+"/status", map[string]string{"status": "banned", "reason": "x"}, admin.AccessToken), 404, "not_found")
	other := a.user(email("seller"), auth.RoleSeller)
	wantCode(t, a.do("PUT", "/v1/admin/users/"+victim.User.ID.String()+"/status", map[string]string{"status": "banned", "reason": "x"}, other.AccessToken), 403, "forbidden")
}

// An admin cannot ban or demote themselves, and the last active admin cannot be banned or demoted
// by anyone.
func TestAdminCannotRemoveThemselvesOrTheLastAdmin(t *testing.T) {
	a := newTestAPI(t)
	owner := dbtest.Pool(t)
	ctx := context.Background()
	// The package's tests share a database: set the other tests' admins aside for this one.
	var others []uuid.UUID
	rows, err := owner.Query(ctx, `UPDATE users SET status = 'banned' WHERE 'admin' = ANY (roles) AND status = 'active' RETURNING id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id uuid.UUID
		_ = rows.Scan(&id)
		others = append(others, id)
	}
	t.Cleanup(func() { _, _ = owner.Exec(ctx, `UPDATE users SET status = 'active' WHERE id = ANY ($1)`, others) })

	root := a.user(email("root"), auth.RoleAdmin)
	wantCode(t, a.do("PUT", "/v1/admin/users/"+root.User.ID.String()+"/status", map[string]string{"status": "banned", "reason": "oops"}, root.AccessToken), 403, "refused")
	wantCode(t, a.do("PUT", "/v1/admin/users/"+root.User.ID.String()+"/roles", map[string]any{"roles": []string{"buyer"}}, root.AccessToken), 403, "refused")
	// Keeping admin while adding a role is allowed.
	if u := decode[openapi.User](t, a.do("PUT", "/v1/admin/users/"+root.User.ID.String()+"/roles", map[string]any{"roles": []string{"admin", "seller"}}, root.AccessToken), 200); !slices.Equal(u.Roles, []openapi.Role{"admin", "seller"}) {
		t.Fatalf("roles %v", u.Roles)
	}

	// A second admin, made by root; root may demote them, but then the second cannot demote root
	// (root is the last) — and the audit names both changes.
	deputy := a.user(email("deputy"), auth.RoleBuyer)
	if u := decode[openapi.User](t, a.do("PUT", "/v1/admin/users/"+deputy.User.ID.String()+"/roles", map[string]any{"roles": []string{"admin"}}, root.AccessToken), 200); !slices.Equal(u.Roles, []openapi.Role{"admin"}) {
		t.Fatalf("deputy roles %v", u.Roles)
	}
	if _, err := a.auth.SetRoles(ctx, "cli:test", root.User.ID, []auth.Role{auth.RoleBuyer}); err != nil {
		t.Fatalf("with two admins, one can be demoted: %v", err)
	}
	if _, err := a.auth.SetStatus(ctx, "cli:test", deputy.User.ID, auth.StatusBanned, "last one"); err != auth.ErrLastAdmin {
		t.Fatalf("the last admin was banned: %v", err)
	}
	if _, err := a.auth.SetRoles(ctx, "cli:test", deputy.User.ID, nil); err != auth.ErrLastAdmin {
		t.Fatalf("the last admin was demoted: %v", err)
	}
	var n int
	if err := owner.QueryRow(ctx, `SELECT count(*) FROM auth_audit WHERE action = 'roles' AND user_id = ANY ($1)`, []uuid.UUID{root.User.ID, deputy.User.ID}).Scan(&n); err != nil || n != 3 {
		t.Fatalf("%d role changes audited (%v)", n, err)
	}
}

// Users list newest first with filters and the one pagination; a buyer cannot list.
func TestAdminListUsers(t *testing.T) {
	a := newTestAPI(t)
	admin := a.user(email("lister"), auth.RoleAdmin)
	tag := uuid.NewString()[:6]
	var made []string
	for i := range 3 {
		e := "sellerlist" + tag + string(rune('a'+i)) + "@example.com"
		a.user(e, auth.RoleSeller)
		made = append(made, e)
	}
	byEmail := decode[openapi.UserPage](t, a.do("GET", "/v1/admin/users?email="+made[1], nil, admin.AccessToken), 200)
	if len(byEmail.Items) != 1 || *byEmail.Items[0].Email != made[1] || byEmail.NextCursor != nil {
		t.Fatalf("by email: %+v", byEmail)
	}
	upper := decode[openapi.UserPage](t, a.do("GET", "/v1/admin/users?email=SELLERLIST"+tag+"A@EXAMPLE.COM", nil, admin.AccessToken), 200)
	if len(upper.Items) != 1 {
		t.Fatalf("email filter is case-sensitive: %+v", upper)
	}
	var sellers []string
	cursor := ""
	for {
		path := "/v1/admin/users?role=seller&status=active&limit=1"
		if cursor != "" {
			path += "&cursor=" + cursor
		}
		p := decode[openapi.UserPage](t, a.do("GET", path, nil, admin.AccessToken), 200)
		for _, u := range p.Items {
			if !slices.Contains(u.Roles, "seller") || u.Status != "active" {
				t.Fatalf("filter let through %+v", u)
			}
			sellers = append(sellers, *u.Email)
		}
		if p.NextCursor == nil {
			break
		}
		cursor = *p.NextCursor
	}
	// Newest first: the three made last come first, in reverse order of making.
	if len(sellers) < 3 || !slices.Equal(sellers[:3], []string{made[2], made[1], made[0]}) {
		t.Fatalf("sellers %v", sellers)
	}
	banned := decode[openapi.UserPage](t, a.do("GET", "/v1/admin/users?status=banned&email="+made[0], nil, admin.AccessToken), 200)
	if len(banned.Items) != 0 {
		t.Fatalf("an active user listed as banned")
	}
	errorOf(t, a.do("GET", "/v1/admin/users?role=root", nil, admin.AccessToken), 400)
}

// GetMe and UpdateMe: profile, locale and the buyer and seller roles; admin cannot be taken.
func TestMe(t *testing.T) {
	a := newTestAPI(t)
	s := a.user(email("me"), auth.RoleBuyer)
	me := decode[openapi.User](t, a.do("GET", "/v1/me", nil, s.AccessToken), 200)
	if me.Id != s.User.ID || !slices.Equal(me.Roles, []openapi.Role{"buyer"}) || me.Locale != "en" {
		t.Fatalf("me %+v", me)
	}
	up := decode[openapi.User](t, a.do("PATCH", "/v1/me", map[string]any{
		"displayName": "Aigerim", "bio": "I sell felt.", "locale": "pt-BR", "roles": []string{"buyer", "seller"},
	}, s.AccessToken), 200)
	if up.DisplayName != "Aigerim" || *up.Bio != "I sell felt." || up.Locale != "pt-BR" || !slices.Equal(up.Roles, []openapi.Role{"buyer", "seller"}) {
		t.Fatalf("updated %+v", up)
	}
	// Fields not sent stay.
	up = decode[openapi.User](t, a.do("PATCH", "/v1/me", map[string]any{"locale": "kk"}, s.AccessToken), 200)
	if up.DisplayName != "Aigerim" || up.Locale != "kk" {
		t.Fatalf("partial %+v", up)
	}
	for _, body := range []any{
		map[string]any{"roles": []string{"admin"}},
		map[string]any{"roles": []string{"seller", "admin"}},
		map[string]any{"roles": []string{}},
		map[string]any{"status": "active"},
		map[string]any{"locale": "english"},
		map[string]any{},
		`{"displayName": ""}`,
	} {
		wantCode(t, a.do("PATCH", "/v1/me", body, s.AccessToken), 400, "invalid_request")
	}
	if me := decode[openapi.User](t, a.do("GET", "/v1/me", nil, s.AccessToken), 200); slices.Contains(me.Roles, "admin") {
		t.Fatal("a user took admin")
	}
	// An admin who takes seller keeps admin; the domain refuses admin even past the document.
	adm := a.user(email("selfadmin"), auth.RoleAdmin)
	if u := decode[openapi.User](t, a.do("PATCH", "/v1/me", map[string]any{"roles": []string{"seller"}}, adm.AccessToken), 200); !slices.Equal(u.Roles, []openapi.Role{"admin", "seller"}) {
		t.Fatalf("admin's roles %v", u.Roles)
	}
	if _, err := a.auth.UpdateProfile(context.Background(), s.User.ID, auth.ProfileUpdate{Roles: []auth.Role{auth.RoleAdmin}}); err != auth.ErrRoleNotSelfService {
		t.Fatalf("domain let admin be taken: %v", err)
	}
	errorOf(t, a.do("GET", "/v1/me", nil, ""), 401)
}

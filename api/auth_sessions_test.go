package api

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/amanat/amn/api/openapi"
	"github.com/amanat/amn/auth"
	"github.com/amanat/amn/db/dbtest"
)

func decode[T any](t *testing.T, rec *httptest.ResponseRecorder, status int) T {
	t.Helper()
	var v T
	if rec.Code != status {
		t.Fatalf("want %d, got %d %s", status, rec.Code, rec.Body.String())
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil {
		t.Fatalf("%v: %s", err, rec.Body.String())
	}
	return v
}

func (a *testAPI) refresh(token string) *httptest.ResponseRecorder {
	a.t.Helper()
	return a.do("POST", "/v1/auth/refresh", map[string]string{"refreshToken": token}, "")
}

func wantCode(t *testing.T, rec *httptest.ResponseRecorder, status int, code string) {
	t.Helper()
	if b := errorOf(t, rec, status); b.Error.Code != code {
		t.Fatalf("want code %q, got %q (%s)", code, b.Error.Code, b.Error.Message)
	}
}

// A refresh token works once: its use gives new tokens that work, and the old access token of the
// same session keeps working until it expires.
func TestRefreshRotates(t *testing.T) {
	a := newTestAPI(t)
	s := a.user(email("rotate"), auth.RoleBuyer)
	a.now = a.now.Add(time.Minute)
	next := decode[openapi.Session](t, a.refresh(s.RefreshToken), 200)
	if next.SessionId != s.ID || next.RefreshToken == s.RefreshToken || next.AccessToken == s.AccessToken {
		t.Fatalf("rotation gave %+v", next)
	}
	if rec := a.do("GET", "/v1/me", nil, next.AccessToken); rec.Code != 200 {
		t.Fatalf("new access token: %d %s", rec.Code, rec.Body.String())
	}
	if next2 := decode[openapi.Session](t, a.refresh(next.RefreshToken), 200); next2.SessionId != s.ID {
		t.Fatalf("second rotation %+v", next2)
	}
	// last_used_at moved with the refresh.
	list := decode[openapi.SessionPage](t, a.do("GET", "/v1/auth/sessions", nil, next.AccessToken), 200)
	if len(list.Items) != 1 || !list.Items[0].LastUsedAt.After(list.Items[0].CreatedAt) {
		t.Fatalf("sessions %+v", list.Items)
	}
}

// Reuse: a used refresh token presented again revokes its whole session — the tokens issued from
// its first use stop working too, refresh and access alike.
func TestRefreshReuseRevokesTheSession(t *testing.T) {
	a := newTestAPI(t)
	s := a.user(email("reuse"), auth.RoleBuyer)
	next := decode[openapi.Session](t, a.refresh(s.RefreshToken), 200)
	wantCode(t, a.refresh(s.RefreshToken), 401, "refresh_token_invalid")
	wantCode(t, a.refresh(next.RefreshToken), 401, "refresh_token_invalid")
	wantCode(t, a.do("GET", "/v1/me", nil, next.AccessToken), 401, "unauthenticated")
	wantCode(t, a.do("GET", "/v1/me", nil, s.AccessToken), 401, "unauthenticated")
}

// Two requests race with the same refresh token: exactly one gets new tokens.
func TestRefreshConcurrentDoubleUse(t *testing.T) {
	a := newTestAPI(t)
	for i := range 5 {
		s := a.user(email("race"), auth.RoleBuyer)
		var wg sync.WaitGroup
		codes := make([]int, 2)
		for j := range codes {
			wg.Go(func() { codes[j] = a.refresh(s.RefreshToken).Code })
		}
		wg.Wait()
		ok := 0
		for _, c := range codes {
			if c == 200 {
				ok++
			} else if c != 401 {
				t.Fatalf("codes %v", codes)
			}
		}
		if ok != 1 {
			t.Fatalf("round %d: %d of 2 concurrent uses succeeded (%v)", i, ok, codes)
		}
	}
}

func TestRefreshRefused(t *testing.T) {
	a := newTestAPI(t)
	t.Run("unknown", func(t *testing.T) {
		wantCode(t, a.refresh("amnrt_"+base64.RawURLEncoding.EncodeToString(make([]byte, 32))), 401, "refresh_token_invalid")
		wantCode(t, a.refresh("not even a token"), 401, "refresh_token_invalid")
	})
	t.Run("an access token instead", func(t *testing.T) {
		s := a.user(email("swap"), auth.RoleBuyer)
		errorOf(t, a.refresh(s.AccessToken), 400) // longer than a refresh token: the document refuses it
	})
	t.Run("expired", func(t *testing.T) {
		s := a.user(email("expired"), auth.RoleBuyer)
		saved := a.now
		a.now = a.now.Add(auth.DefaultRefreshTTL + time.Minute)
		defer func() { a.now = saved }()
		wantCode(t, a.refresh(s.RefreshToken), 401, "refresh_token_invalid")
	})
	t.Run("revoked session", func(t *testing.T) {
		s := a.user(email("revoked"), auth.RoleBuyer)
		if rec := a.do("POST", "/v1/auth/logout", nil, s.AccessToken); rec.Code != 204 {
			t.Fatalf("logout %d", rec.Code)
		}
		wantCode(t, a.refresh(s.RefreshToken), 401, "refresh_token_invalid")
	})
	t.Run("banned user", func(t *testing.T) {
		s := a.user(email("banned"), auth.RoleBuyer)
		admin := a.user(email("admin"), auth.RoleAdmin)
		ban(t, a, admin.AccessToken, s.User.ID, 200)
		wantCode(t, a.refresh(s.RefreshToken), 401, "refresh_token_invalid") // the ban revoked the session
	})
}

// The refresh of an account banned behind the API's back (no session revocation) is refused as banned.
func TestRefreshOfBannedUserWithLiveSession(t *testing.T) {
	a := newTestAPI(t)
	s := a.user(email("quietban"), auth.RoleBuyer)
	ctx := context.Background()
	pool := dbtest.Pool(t)
	if _, err := pool.Exec(ctx, "UPDATE users SET status = 'banned' WHERE id = $1", s.User.ID); err != nil {
		t.Fatal(err)
	}
	wantCode(t, a.refresh(s.RefreshToken), 403, "account_banned")
}

// A revoked session's access token stops at once, not when it expires.
func TestLogoutStopsTheAccessToken(t *testing.T) {
	a := newTestAPI(t)
	s := a.user(email("logout"), auth.RoleBuyer)
	if rec := a.do("GET", "/v1/me", nil, s.AccessToken); rec.Code != 200 {
		t.Fatalf("before: %d", rec.Code)
	}
	if rec := a.do("POST", "/v1/auth/logout", nil, s.AccessToken); rec.Code != 204 {
		t.Fatalf("logout %d %s", rec.Code, rec.Body.String())
	}
	wantCode(t, a.do("GET", "/v1/me", nil, s.AccessToken), 401, "unauthenticated")
	wantCode(t, a.do("POST", "/v1/auth/logout", nil, s.AccessToken), 401, "unauthenticated")
}

func TestLogoutAllRevokesEverySessionOfTheAccountOnly(t *testing.T) {
	a := newTestAPI(t)
	s1 := a.user(email("all"), auth.RoleBuyer)
	s2, err := a.auth.StartSession(context.Background(), s1.User.ID, auth.MethodPasskey, auth.Client{})
	if err != nil {
		t.Fatal(err)
	}
	bystander := a.user(email("bystander"), auth.RoleBuyer)
	if rec := a.do("POST", "/v1/auth/logout-all", nil, s1.AccessToken); rec.Code != 204 {
		t.Fatalf("logout-all %d", rec.Code)
	}
	for _, tok := range []string{s1.AccessToken, s2.AccessToken} {
		wantCode(t, a.do("GET", "/v1/me", nil, tok), 401, "unauthenticated")
	}
	wantCode(t, a.refresh(s2.RefreshToken), 401, "refresh_token_invalid")
	if rec := a.do("GET", "/v1/me", nil, bystander.AccessToken); rec.Code != 200 {
		t.Fatalf("another account was signed out: %d", rec.Code)
	}
}

// Sessions list in pages, newest first, the current one marked; one can be revoked, but never
// another account's (not found, and it stays live).
func TestListAndRevokeSessions(t *testing.T) {
	a := newTestAPI(t)
	first := a.user(email("many"), auth.RoleBuyer)
	ids := []uuid.UUID{first.ID}
	for range 4 {
		s, err := a.auth.StartSession(context.Background(), first.User.ID, auth.MethodPassword, auth.Client{UserAgent: "ua", IP: "192.0.2.1"})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, s.ID)
	}
	var seen []openapi.SessionInfo
	cursor := ""
	for pages := 0; ; pages++ {
		path := "/v1/auth/sessions?limit=2"
		if cursor != "" {
			path += "&cursor=" + cursor
		}
		p := decode[openapi.SessionPage](t, a.do("GET", path, nil, first.AccessToken), 200)
		seen = append(seen, p.Items...)
		if p.NextCursor == nil {
			if pages != 2 || len(p.Items) != 1 {
				t.Fatalf("last page %d has %d items", pages, len(p.Items))
			}
			break
		}
		cursor = *p.NextCursor
	}
	if len(seen) != 5 {
		t.Fatalf("saw %d sessions", len(seen))
	}
	current := 0
	for i, s := range seen {
		if s.Current {
			current++
			if s.Id != first.ID {
				t.Fatalf("current is %s", s.Id)
			}
		}
		if i > 0 && s.CreatedAt.After(seen[i-1].CreatedAt) {
			t.Fatalf("not newest first: %v", seen)
		}
	}
	if current != 1 {
		t.Fatalf("%d current sessions", current)
	}
	// nextCursor is null (not absent) on the last page.
	rec := a.do("GET", "/v1/auth/sessions", nil, first.AccessToken)
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(rec.Body.Bytes(), &raw); err != nil || string(raw["nextCursor"]) != "null" {
		t.Fatalf("nextCursor %q", raw["nextCursor"])
	}

	if rec := a.do("DELETE", "/v1/auth/sessions/"+ids[2].String(), nil, first.AccessToken); rec.Code != 204 {
		t.Fatalf("revoke %d %s", rec.Code, rec.Body.String())
	}
	if p := decode[openapi.SessionPage](t, a.do("GET", "/v1/auth/sessions", nil, first.AccessToken), 200); len(p.Items) != 4 {
		t.Fatalf("%d after revoking one", len(p.Items))
	}
	wantCode(t, a.do("DELETE", "/v1/auth/sessions/"+ids[2].String(), nil, first.AccessToken), 404, "not_found")

	// Another user cannot revoke (or learn of) first's sessions.
	mallory := a.user(email("mallory"), auth.RoleBuyer)
	wantCode(t, a.do("DELETE", "/v1/auth/sessions/"+ids[3].String(), nil, mallory.AccessToken), 404, "not_found")
	wantCode(t, a.do("DELETE", "/v1/auth/sessions/"+uuid.NewString(), nil, mallory.AccessToken), 404, "not_found")
	if p := decode[openapi.SessionPage](t, a.do("GET", "/v1/auth/sessions", nil, mallory.AccessToken), 200); len(p.Items) != 1 || p.Items[0].Id != mallory.ID {
		t.Fatalf("mallory sees %+v", p.Items)
	}
	if p := decode[openapi.SessionPage](t, a.do("GET", "/v1/auth/sessions", nil, first.AccessToken), 200); len(p.Items) != 4 {
		t.Fatalf("mallory revoked a session of another account")
	}
	errorOf(t, a.do("DELETE", "/v1/auth/sessions/not-a-uuid", nil, first.AccessToken), 400)
}

// Malformed cursors are 400 invalid_request naming query.cursor (never a 500).
func TestMalformedCursor(t *testing.T) {
	a := newTestAPI(t)
	s := a.user(email("cursor"), auth.RoleAdmin)
	for _, c := range []string{"***", "YQ", "bm90IGEgY3Vyc29y", base64.RawURLEncoding.EncodeToString([]byte("2020-01-01T00:00:00Z|nope")),
		base64.RawURLEncoding.EncodeToString([]byte("yesterday|" + uuid.NewString()))} {
		for _, path := range []string{"/v1/auth/sessions?cursor=", "/v1/admin/users?cursor="} {
			b := errorOf(t, a.do("GET", path+c, nil, s.AccessToken), 400)
			if b.Error.Code != "invalid_request" || len(b.Error.Fields) != 1 || b.Error.Fields[0].Field != "query.cursor" {
				t.Fatalf("%s%s: %+v", path, c, b.Error)
			}
		}
	}
}

func FuzzDecodeCursor(f *testing.F) {
	f.Add(*encodeCursor(&auth.PageKey{CreatedAt: time.Now(), ID: uuid.New()}))
	f.Add("")
	f.Add("MjAyMC0wMS0wMVQwMDowMDowMFp8")
	f.Fuzz(func(t *testing.T, s string) {
		k, err := decodeCursor(s)
		if err != nil {
			return
		}
		// What decodes re-encodes to a cursor that decodes to the same key.
		k2, err := decodeCursor(*encodeCursor(&k))
		if err != nil || !k2.CreatedAt.Equal(k.CreatedAt) || k2.ID != k.ID {
			t.Fatalf("%q: %v %v %v", s, k, k2, err)
		}
	})
}

// email is an address no other test of the package uses (they share one database).
func email(name string) string { return name + "-" + uuid.NewString()[:8] + "@example.com" }

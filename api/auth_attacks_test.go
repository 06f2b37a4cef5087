package api

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/descope/virtualwebauthn"

	"github.com/amanat/amn/api/openapi"
	"github.com/amanat/amn/auth"
	"github.com/amanat/amn/db"
	"github.com/amanat/amn/db/dbtest"
)

// Attacks found by the review of #16, over HTTP against the real router and Postgres (and Redis
// where limits are concerned). auth/attacks_test.go has the checks that need auth's insides.

// TestControlCharactersAreRefusedNever500: a NUL or another control character in a display name
// (sign-up and profile), a bio, a passkey's name, a ban's reason or an email is 400, never a 500;
// and sign-up answers the same for a new and a taken email, so such a name tells nothing.
func TestControlCharactersAreRefusedNever500(t *testing.T) {
	a := newTestAPI(t)
	a.user("taken-cc@example.com", auth.RoleBuyer)
	for _, email := range []string{"new-cc@example.com", "taken-cc@example.com"} {
		for _, name := range []string{"nul\u0000", "bell\u0007", "two\nlines", "del\u007f"} {
			wantError(t, a, "POST", "/v1/auth/register", map[string]any{"email": email, "password": "long enough pw", "displayName": name}, "", 400, "invalid_request")
		}
	}
	wantError(t, a, "POST", "/v1/auth/login", map[string]any{"email": "nul\u0000@example.com", "password": "long enough pw"}, "", 400, "invalid_request")
	wantError(t, a, "POST", "/v1/auth/password/forgot", map[string]any{"email": "esc\u001b@example.com"}, "", 400, "invalid_request")

	me := a.user("me-cc@example.com", auth.RoleBuyer)
	for _, body := range []map[string]any{{"displayName": "a\u0000"}, {"displayName": "a\u001b[31m"}, {"bio": "a\u0000b"}, {"bio": "\u007f"}} {
		wantError(t, a, "PATCH", "/v1/me", body, me.AccessToken, 400, "invalid_request")
	}
	if rec := a.do("PATCH", "/v1/me", map[string]any{"bio": "two\nlines\r\nand\ta tab"}, me.AccessToken); rec.Code != 200 {
		t.Fatalf("a bio with line feeds and tabs: %d %s", rec.Code, rec.Body)
	}

	// A passkey's name: refused before the ceremony is spent, so the same response then works.
	d := newPasskeyDevice()
	id, opts := a.beginRegistration(me.AccessToken)
	att := virtualwebauthn.CreateAttestationResponse(testRP, d.auth, d.cred, *opts)
	finish := func(name string) *http.Response {
		rec := a.do("POST", "/v1/auth/passkeys/register/finish", map[string]any{"ceremonyId": id, "name": name, "credential": json.RawMessage(att)}, me.AccessToken)
		return rec.Result()
	}
	if r := finish("key\u0000"); r.StatusCode != 400 {
		t.Fatalf("a passkey named with a NUL: %d", r.StatusCode)
	}
	if r := finish("my key"); r.StatusCode != http.StatusCreated {
		t.Fatalf("the passkey after the refused name: %d", r.StatusCode)
	}

	admin := a.user("admin-cc@example.com", auth.RoleAdmin)
	target := a.user("target-cc@example.com", auth.RoleBuyer)
	wantError(t, a, "PUT", "/v1/admin/users/"+target.User.ID.String()+"/status", map[string]any{"status": "banned", "reason": "spam\u0000"}, admin.AccessToken, 400, "invalid_request")
	wantError(t, a, "GET", "/v1/admin/users?email=a%00b@example.com", nil, admin.AccessToken, 400, "invalid_request")
}

// TestTelegramNamesAreCleaned: a Telegram profile (signed by Telegram, so not refused) with control
// characters in its names signs up with the characters dropped, never a 500.
func TestTelegramNamesAreCleaned(t *testing.T) {
	a := newTestAPI(t)
	at := strconv.FormatInt(a.now.Unix(), 10)
	fields := map[string]string{"id": "7007", "first_name": "Gr\u0000ace", "last_name": "Hop\u001bper", "auth_date": at}
	key := sha256.Sum256([]byte(testTelegramBotToken))
	body := map[string]any{"id": 7007, "first_name": fields["first_name"], "last_name": fields["last_name"], "auth_date": a.now.Unix(), "hash": telegramHash(key[:], fields)}
	s := sessionOf(t, a.do("POST", "/v1/auth/telegram", map[string]any{"widget": body}, ""))
	if s.User.DisplayName != "Grace Hopper" {
		t.Fatalf("display name %q", s.User.DisplayName)
	}
}

// TestTextPostgresCannotStoreIsInvalid: wherever a NUL or \u0000 in jsonb reaches Postgres (a
// query no check guards), the error table answers 400 invalid, not 500.
func TestTextPostgresCannotStoreIsInvalid(t *testing.T) {
	pool := dbtest.PoolAs(t, db.RoleAPI)
	for _, q := range []string{`SELECT $1::text`, `SELECT $1::jsonb`} {
		arg := "a\x00b"
		if q == `SELECT $1::jsonb` {
			arg = `{"a":"\u0000"}`
		}
		var out string
		err := pool.QueryRow(context.Background(), q, arg).Scan(&out)
		if !db.IsInvalidText(err) {
			t.Fatalf("%s: %v", q, err)
		}
		if status, code, _ := classify(err); status != 400 || code != "invalid" {
			t.Fatalf("%s: %d %s", q, status, code)
		}
	}
}

// TestAnyUserAgentSignsIn: a User-Agent with invalid UTF-8, a control character, or a multibyte
// character across byte 300 (where the session's copy is cut) signs in like any other, and the
// session keeps valid text.
func TestAnyUserAgentSignsIn(t *testing.T) {
	a := newTestAPI(t)
	for i, ua := range []string{"\xff", "Mozilla/5.0 \x00\x01", "a" + strings.Repeat("é", 200), strings.Repeat("日本", 120)} {
		body, _ := json.Marshal(map[string]any{"widget": loginWidget(testTelegramBotToken, int64(8000+i), a.now)})
		rec := send(a.h, "POST", "/v1/auth/telegram", string(body), "198.51.100.40", map[string]string{"User-Agent": ua})
		s := sessionOf(t, rec)
		rec = a.do("GET", "/v1/auth/sessions", nil, s.AccessToken)
		var page openapi.SessionPage
		if err := json.Unmarshal(rec.Body.Bytes(), &page); err != nil || len(page.Items) != 1 || page.Items[0].UserAgent == nil {
			t.Fatalf("sessions: %d %s", rec.Code, rec.Body)
		}
		got := *page.Items[0].UserAgent
		if !utf8.ValidString(got) || len(got) > 300 || strings.ContainsAny(got, "\x00\x01") {
			t.Fatalf("user agent %q kept as %q", ua, got)
		}
	}
}

// TestPreRegistrationTakeover: an attacker registers the victim's address with a password of
// theirs. Whichever way the victim then proves the address (resend and verify; or register
// themselves, with the attacker registering again in between), the attacker's password does not
// work on the verified account. The victim's own flow (register, verify with the password) keeps
// theirs.
func TestPreRegistrationTakeover(t *testing.T) {
	a := newMailAPI(t)
	const attackerPW, victimPW = "the attacker's password", "the victim's own password"
	register := func(email, pw string) {
		t.Helper()
		if rec := a.do("POST", "/v1/auth/register", map[string]any{"email": email, "password": pw, "displayName": "Mallory"}, ""); rec.Code != http.StatusAccepted {
			t.Fatalf("register: %d %s", rec.Code, rec.Body)
		}
	}
	verify := func(email, code, pw string) openapi.Session {
		t.Helper()
		body := map[string]any{"email": email, "code": code}
		if pw != "" {
			body["password"] = pw
		}
		return sessionOf(t, a.do("POST", "/v1/auth/email/verify", body, ""))
	}
	attackerSignsIn := func(email string) {
		t.Helper()
		wantError(t, a.testAPI, "POST", "/v1/auth/login", map[string]any{"email": email, "password": attackerPW}, "", 401, "invalid_credentials")
	}

	// 1. The victim asks for a code (resend) and verifies without a password.
	v1 := "victim-resend@example.com"
	register(v1, attackerPW)
	first := a.code(v1, "verification code")
	a.do("POST", "/v1/auth/email/resend", map[string]any{"email": v1}, "")
	s := verify(v1, a.code(v1, "verification code", first), "")
	if s.User.HasPassword || !s.User.EmailVerified {
		t.Fatalf("after the owner's verification: %+v", s.User)
	}
	attackerSignsIn(v1)

	// 2. The victim registers; the attacker registers again before the victim verifies, so the
	// newest code in the victim's mailbox came with the attacker's password.
	v2 := "victim-race@example.com"
	register(v2, attackerPW)
	c1 := a.code(v2, "verification code")
	register(v2, victimPW)
	c2 := a.code(v2, "verification code", c1)
	wantError(t, a.testAPI, "POST", "/v1/auth/login", map[string]any{"email": v2, "password": attackerPW}, "", 401, "invalid_credentials") // replaced
	register(v2, attackerPW)
	c3 := a.code(v2, "verification code", c1, c2)
	wantError(t, a.testAPI, "POST", "/v1/auth/email/verify", map[string]any{"email": v2, "code": c2, "password": victimPW}, "", 400, "code_invalid") // replaced
	s = verify(v2, c3, victimPW)
	if s.User.HasPassword {
		t.Fatalf("the attacker's password survived a verification that did not show it: %+v", s.User)
	}
	attackerSignsIn(v2)

	// 3. The owner's own flow: register over the attacker's, verify with the password: it stays,
	// and the attacker's is gone.
	v3 := "victim-own@example.com"
	register(v3, attackerPW)
	c1 = a.code(v3, "verification code")
	register(v3, victimPW)
	s = verify(v3, a.code(v3, "verification code", c1), victimPW)
	if !s.User.HasPassword {
		t.Fatalf("the owner's password was dropped: %+v", s.User)
	}
	attackerSignsIn(v3)
	sessionOf(t, a.do("POST", "/v1/auth/login", map[string]any{"email": v3, "password": victimPW}, ""))
}

// TestConcurrentSignUpsNeverFail: several sign-ups for one email at once all answer 202 (one
// account is made; the others find it), never a 500 from a transaction broken by the unique
// index.
func TestConcurrentSignUpsNeverFail(t *testing.T) {
	a := newTestAPI(t)
	const n = 6
	codes := make(chan int, n)
	start := make(chan struct{})
	for i := range n {
		go func() {
			<-start
			body := `{"email":"race-signup@example.com","password":"racing password ` + strconv.Itoa(i) + `"}`
			rec := send(a.h, "POST", "/v1/auth/register", body, "198.51.100.50", nil)
			codes <- rec.Code
		}()
	}
	close(start)
	for range n {
		if c := <-codes; c != http.StatusAccepted {
			t.Fatalf("a concurrent sign-up answered %d", c)
		}
	}
	users, _, err := a.auth.ListUsers(context.Background(), auth.UserFilter{Email: "race-signup@example.com"}, auth.Page{})
	if err != nil || len(users) != 1 {
		t.Fatalf("%d accounts, %v", len(users), err)
	}
}

// TestStolenTokenCannotAddAWayIn: a thief with a session's tokens (the refresh token keeps giving
// access tokens) cannot make the access last: past RecentSignIn from the sign-in, setting a first
// password, adding a passkey, linking Google, Telegram or a wallet are refused with
// recent_sign_in_required. The owner, signing in again, can.
func TestStolenTokenCannotAddAWayIn(t *testing.T) {
	a := newTestAPI(t)
	stolen := a.user("stolen@example.com", auth.RoleBuyer) // no password: a Google or Telegram account
	a.now = a.now.Add(auth.RecentSignIn + time.Minute)
	rec := a.do("POST", "/v1/auth/refresh", map[string]any{"refreshToken": stolen.RefreshToken}, "")
	thief := sessionOf(t, rec).AccessToken
	for _, c := range []struct {
		path string
		body any
	}{
		{"/v1/auth/password/change", map[string]any{"newPassword": "the thief's password"}},
		{"/v1/auth/passkeys/register/begin", nil},
		{"/v1/auth/google/link", map[string]any{"idToken": "a.b.c"}},
		{"/v1/auth/telegram/link", map[string]any{"initData": miniAppInitData(testTelegramBotToken, 9009, a.now)}},
		{"/v1/wallets", map[string]any{"message": "a message", "signature": "0x" + strings.Repeat("ab", 65)}},
	} {
		wantError(t, a, "POST", c.path, c.body, thief, 403, "recent_sign_in_required")
	}
	// The session still reads (the rule is about adding a way in, not about the session).
	if rec := a.do("GET", "/v1/me", nil, thief); rec.Code != 200 {
		t.Fatalf("me: %d", rec.Code)
	}
	// The owner signs in again: a fresh session may.
	fresh, err := a.auth.StartSession(context.Background(), stolen.User.ID, auth.MethodTelegram, auth.Client{})
	if err != nil {
		t.Fatal(err)
	}
	if rec := a.do("POST", "/v1/auth/telegram/link", map[string]any{"initData": miniAppInitData(testTelegramBotToken, 9009, a.now)}, fresh.AccessToken); rec.Code != http.StatusNoContent {
		t.Fatalf("link with a fresh sign-in: %d %s", rec.Code, rec.Body)
	}
	if rec := a.do("POST", "/v1/auth/password/change", map[string]any{"newPassword": "the owner's password"}, fresh.AccessToken); rec.Code != http.StatusNoContent {
		t.Fatalf("first password with a fresh sign-in: %d %s", rec.Code, rec.Body)
	}
	ceremonyOf(t, a.do("POST", "/v1/auth/passkeys/register/begin", nil, fresh.AccessToken))
}

// TestPasskeysRequireUserVerification: the options ask the authenticator to verify the user, and
// an authenticator that only sees presence (UV flag unset) can neither register a passkey nor sign
// in with one.
func TestPasskeysRequireUserVerification(t *testing.T) {
	a := newTestAPI(t)
	s := a.user("uv@example.com", auth.RoleBuyer)
	_, raw := ceremonyOf(t, a.do("POST", "/v1/auth/passkeys/register/begin", nil, s.AccessToken))
	_, rawLogin := ceremonyOf(t, a.do("POST", "/v1/auth/passkeys/login/begin", nil, ""))
	if !strings.Contains(raw, `"userVerification":"required"`) || !strings.Contains(rawLogin, `"userVerification":"required"`) {
		t.Fatalf("options do not require user verification:\n%s\n%s", raw, rawLogin)
	}

	unverified := newPasskeyDevice()
	unverified.auth.Options.UserNotVerified = true
	id, opts := a.beginRegistration(s.AccessToken)
	wantCode(t, a.finishRegistration(s.AccessToken, id, virtualwebauthn.CreateAttestationResponse(testRP, unverified.auth, unverified.cred, *opts)), 401, "passkey_invalid")

	d := newPasskeyDevice()
	a.registerPasskey(s.AccessToken, d)
	d.auth.Options.UserNotVerified = true
	wantCode(t, a.passkeyLogin(d), 401, "passkey_invalid")
	d.auth.Options.UserNotVerified = false
	sessionOf(t, a.passkeyLogin(d))
}

// TestTelegramDataWorksOnce: Telegram data (initData or widget) that signed in once is refused
// when sent again within its age, for a sign-in and for a link; data signed anew works.
func TestTelegramDataWorksOnce(t *testing.T) {
	a := newTestAPI(t)
	initData := map[string]any{"initData": miniAppInitData(testTelegramBotToken, 6006, a.now)}
	widget := map[string]any{"widget": loginWidget(testTelegramBotToken, 6007, a.now)}
	for _, data := range []map[string]any{initData, widget} {
		sessionOf(t, a.do("POST", "/v1/auth/telegram", data, ""))
		wantError(t, a, "POST", "/v1/auth/telegram", data, "", 401, "telegram_invalid")
		a.now = a.now.Add(30 * time.Minute) // still within both forms' age
		wantError(t, a, "POST", "/v1/auth/telegram", data, "", 401, "telegram_invalid")
	}
	someone := a.user("tg-replay@example.com", auth.RoleBuyer)
	wantError(t, a, "POST", "/v1/auth/telegram/link", initData, someone.AccessToken, 401, "telegram_invalid")
	sessionOf(t, a.do("POST", "/v1/auth/telegram", map[string]any{"initData": miniAppInitData(testTelegramBotToken, 6006, a.now)}, ""))
	if strings.Contains(a.logs.String(), "hash") {
		t.Fatal("a hash in the log")
	}
}

// TestClientsCannotChooseTheRequestID: a client's X-Request-Id is not the request's id (it could
// name another request's, or a line to forge): the answer carries an id of ours, the same in its
// error body and log line, new for every request; the client's is logged apart.
func TestClientsCannotChooseTheRequestID(t *testing.T) {
	a := newTestAPI(t)
	var ids []string
	for range 2 {
		rec := send(a.h, "POST", "/v1/auth/login", `{"email":"rid@example.com","password":"a wrong password"}`, "198.51.100.60",
			map[string]string{"X-Request-Id": "victims-request-42"})
		b := errorOf(t, rec, 401) // checks the body's id is the header's
		if b.Error.RequestID == "victims-request-42" || len(b.Error.RequestID) < 20 {
			t.Fatalf("request id %q", b.Error.RequestID)
		}
		ids = append(ids, b.Error.RequestID)
		if !strings.Contains(a.logs.String(), `"request_id":"`+b.Error.RequestID+`"`) {
			t.Fatalf("no log line with the request id %s:\n%s", b.Error.RequestID, a.logs)
		}
	}
	if ids[0] == ids[1] {
		t.Fatal("two requests share an id")
	}
	if !strings.Contains(a.logs.String(), `"client_request_id":"victims-request-42"`) {
		t.Fatalf("the client's id is not logged apart:\n%s", a.logs)
	}
	if got := clientRequestID(httptest.NewRequest("GET", "/", nil)); got != "" {
		t.Fatalf("no header: %q", got)
	}
	r := httptest.NewRequest("GET", "/", nil)
	r.Header.Set("X-Request-Id", "a\x00b c\n"+strings.Repeat("x", 100))
	if got := clientRequestID(r); got != "abc"+strings.Repeat("x", 61) {
		t.Fatalf("cleaned %q", got)
	}
}

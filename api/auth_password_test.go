package api

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/amanat/amn/api/openapi"
	"github.com/amanat/amn/auth"
	"github.com/amanat/amn/db"
	"github.com/amanat/amn/db/dbtest"
)

// mailAPI is the test API with the worker's side of sign-in mail: a River client working as
// amn_worker on the same database that works auth_email jobs, sending them to a real SMTP server.
type mailAPI struct {
	*testAPI
	smtp  *smtpServer
	river *river.Client[pgx.Tx]
}

func newMailAPI(t *testing.T) *mailAPI {
	t.Helper()
	a := &mailAPI{testAPI: newTestAPI(t), smtp: newSMTPServer(t)}
	mailer, err := auth.NewMailer(auth.MailConfig{SMTPURL: a.smtp.url(), From: "Amn <no-reply@amn.test>"})
	if err != nil {
		t.Fatal(err)
	}
	workers := river.NewWorkers()
	river.AddWorker(workers, &auth.EmailWorker{Mailer: mailer})
	river.AddWorker(workers, &auth.PurgeMailWorker{})
	a.river, err = river.NewClient(riverpgxv5.New(dbtest.PoolAs(t, db.RoleWorker)), &river.Config{
		Queues: map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: 2}}, Workers: workers,
		FetchPollInterval: 200 * time.Millisecond, ReindexerSchedule: river.NeverSchedule(),
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	if err := a.river.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stop, done := context.WithTimeout(context.Background(), 10*time.Second)
		defer done()
		_ = a.river.Stop(stop)
		cancel()
	})
	return a
}

var sixDigits = regexp.MustCompile(`\b[0-9]{6}\b`)

// code waits for a mail to rcpt whose subject contains want and returns the code in its body.
func (a *mailAPI) code(rcpt, want string, not ...string) string {
	a.t.Helper()
	m := a.smtp.waitFor(a.t, rcpt, func(m sentMail) bool {
		c := sixDigits.FindString(m.Body)
		return strings.Contains(m.Subject, want) && c != "" && !slices.Contains(not, c)
	})
	c := sixDigits.FindString(m.Body)
	if !strings.Contains(m.Subject, c) || m.Header.Get("To") == "" || !strings.Contains(m.Header.Get("To"), rcpt) {
		a.t.Fatalf("mail to %s: To %q, subject %q", rcpt, m.Header.Get("To"), m.Subject)
	}
	return c
}

func wantError(t *testing.T, a *testAPI, method, path string, body any, token string, status int, code string) {
	t.Helper()
	if b := errorOf(t, a.do(method, path, body, token), status); string(b.Error.Code) != code {
		t.Fatalf("%s %s: code %q, want %q (%s)", method, path, b.Error.Code, code, b.Error.Message)
	}
}

// TestPasswordSignUpEndToEnd: register → the worker mails the code over SMTP → verify signs in →
// login; a used code, a wrong one and an unverified login are refused; five wrong reset codes
// kill the code; a reset revokes every session; a change revokes the others.
func TestPasswordSignUpEndToEnd(t *testing.T) {
	a := newMailAPI(t)
	const email, pw = "alice@example.com", "correct horse battery"
	if rec := a.do("POST", "/v1/auth/register", map[string]any{"email": "Alice@Example.com", "password": pw, "displayName": "Alice", "roles": []string{"buyer", "seller"}}, ""); rec.Code != http.StatusAccepted {
		t.Fatalf("register: %d %s", rec.Code, rec.Body)
	}
	code := a.code(email, "verification code")
	wantError(t, a.testAPI, "POST", "/v1/auth/login", map[string]any{"email": email, "password": pw}, "", 403, "email_unverified")
	wantError(t, a.testAPI, "POST", "/v1/auth/login", map[string]any{"email": email, "password": pw + "x"}, "", 401, "invalid_credentials")
	wrong := "000000"
	if code == wrong {
		wrong = "000001"
	}
	wantError(t, a.testAPI, "POST", "/v1/auth/email/verify", map[string]any{"email": email, "code": wrong}, "", 400, "code_invalid")

	rec := a.do("POST", "/v1/auth/email/verify", map[string]any{"email": email, "code": code, "password": pw}, "")
	if rec.Code != 200 {
		t.Fatalf("verify: %d %s", rec.Code, rec.Body)
	}
	first := sessionOf(t, rec)
	if !first.User.EmailVerified || !first.User.HasPassword || first.User.DisplayName != "Alice" || len(first.User.Roles) != 2 {
		t.Fatalf("user after verify: %+v", first.User)
	}
	p, err := a.auth.Authenticate(context.Background(), first.AccessToken)
	if err != nil || p.UserID != first.User.Id || !p.HasRole(auth.RoleSeller) {
		t.Fatalf("verify's token: %+v %v", p, err)
	}
	wantError(t, a.testAPI, "POST", "/v1/auth/email/verify", map[string]any{"email": email, "code": code}, "", 400, "code_invalid") // used

	rec = a.do("POST", "/v1/auth/login", map[string]any{"email": "ALICE@example.com", "password": pw}, "")
	if rec.Code != 200 {
		t.Fatalf("login: %d %s", rec.Code, rec.Body)
	}
	second := sessionOf(t, rec)

	// Five wrong reset codes kill the code: the right one fails after them.
	a.do("POST", "/v1/auth/password/forgot", map[string]any{"email": email}, "")
	reset := a.code(email, "password reset code")
	for i := range auth.CodeMaxAttempts {
		bad := []string{"111111", "222222", "333333", "444444", "555555", "666666"}[i]
		if bad == reset {
			bad = "999999"
		}
		wantError(t, a.testAPI, "POST", "/v1/auth/password/reset", map[string]any{"email": email, "code": bad, "newPassword": "a new password 1"}, "", 400, "code_invalid")
	}
	wantError(t, a.testAPI, "POST", "/v1/auth/password/reset", map[string]any{"email": email, "code": reset, "newPassword": "a new password 1"}, "", 400, "code_invalid")

	// A new code works; a weak password is refused without using it.
	a.do("POST", "/v1/auth/password/forgot", map[string]any{"email": email}, "")
	reset = a.code(email, "password reset code", reset)
	wantError(t, a.testAPI, "POST", "/v1/auth/password/reset", map[string]any{"email": email, "code": reset, "newPassword": "password123"}, "", 400, "weak_password")
	if rec := a.do("POST", "/v1/auth/password/reset", map[string]any{"email": email, "code": reset, "newPassword": "a new password 1"}, ""); rec.Code != http.StatusNoContent {
		t.Fatalf("reset: %d %s", rec.Code, rec.Body)
	}
	for _, s := range []openapi.Session{first, second} {
		if _, err := a.auth.Authenticate(context.Background(), s.AccessToken); !errors.Is(err, auth.ErrUnauthenticated) {
			t.Fatalf("a session from before the reset still works: %v", err)
		}
	}
	wantError(t, a.testAPI, "POST", "/v1/auth/login", map[string]any{"email": email, "password": pw}, "", 401, "invalid_credentials")

	// Change: the current password is required; the caller's session stays, the others end.
	login := func() openapi.Session {
		rec := a.do("POST", "/v1/auth/login", map[string]any{"email": email, "password": "a new password 1"}, "")
		if rec.Code != 200 {
			t.Fatalf("login: %d %s", rec.Code, rec.Body)
		}
		return sessionOf(t, rec)
	}
	me, other := login(), login()
	wantError(t, a.testAPI, "POST", "/v1/auth/password/change", map[string]any{"newPassword": "third password!"}, me.AccessToken, 401, "invalid_credentials")
	wantError(t, a.testAPI, "POST", "/v1/auth/password/change", map[string]any{"currentPassword": "wrong one", "newPassword": "third password!"}, me.AccessToken, 401, "invalid_credentials")
	wantError(t, a.testAPI, "POST", "/v1/auth/password/change", map[string]any{"newPassword": "third password!"}, "", 401, "unauthenticated")
	if rec := a.do("POST", "/v1/auth/password/change", map[string]any{"currentPassword": "a new password 1", "newPassword": "third password!"}, me.AccessToken); rec.Code != http.StatusNoContent {
		t.Fatalf("change: %d %s", rec.Code, rec.Body)
	}
	if _, err := a.auth.Authenticate(context.Background(), me.AccessToken); err != nil {
		t.Fatalf("the caller's session ended: %v", err)
	}
	if _, err := a.auth.Authenticate(context.Background(), other.AccessToken); !errors.Is(err, auth.ErrUnauthenticated) {
		t.Fatalf("another session survived the change: %v", err)
	}
}

// TestRegisterTellsNobodyWhoHasAnAccount: a taken email gets 202 like a new one, and its owner
// gets a notice (in the owner's language) instead of a code; resend and forgot for an unknown
// address answer 202 and send nothing.
func TestRegisterTellsNobodyWhoHasAnAccount(t *testing.T) {
	a := newMailAPI(t)
	a.user("owner-tn@example.com", auth.RoleBuyer)
	rec := a.do("POST", "/v1/auth/register", map[string]any{"email": "owner-tn@example.com", "password": "someone else's pw"}, "")
	if rec.Code != http.StatusAccepted || !strings.Contains(rec.Body.String(), `"accepted"`) {
		t.Fatalf("register on a taken email: %d %s", rec.Code, rec.Body)
	}
	m := a.smtp.waitFor(t, "owner-tn@example.com", func(sentMail) bool { return true })
	if !strings.Contains(m.Subject, "Someone tried to register") || sixDigits.MatchString(m.Body) {
		t.Fatalf("notice: %q %q", m.Subject, m.Body)
	}
	for _, path := range []string{"/v1/auth/email/resend", "/v1/auth/password/forgot"} {
		if rec := a.do("POST", path, map[string]any{"email": "nobody-tn@example.com"}, ""); rec.Code != http.StatusAccepted {
			t.Fatalf("%s for an unknown email: %d", path, rec.Code)
		}
	}
	// Resend to a verified account sends nothing either; forgot does.
	a.do("POST", "/v1/auth/email/resend", map[string]any{"email": "owner-tn@example.com"}, "")
	a.do("POST", "/v1/auth/password/forgot", map[string]any{"email": "owner-tn@example.com"}, "")
	a.smtp.waitFor(t, "owner-tn@example.com", func(m sentMail) bool { return strings.Contains(m.Subject, "reset") })
	res, err := a.river.JobList(context.Background(), river.NewJobListParams().Kinds("auth_email").First(100))
	if err != nil {
		t.Fatal(err)
	}
	var to []string
	for _, j := range res.Jobs {
		var args auth.EmailArgs
		if err := json.Unmarshal(j.EncodedArgs, &args); err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(args.To, "-tn@example.com") { // the package's database is shared
			to = append(to, args.To+" "+string(args.Template))
		}
	}
	sort.Strings(to)
	want := []string{"owner-tn@example.com register_notice", "owner-tn@example.com reset_password"}
	if !slices.Equal(to, want) {
		t.Fatalf("mail jobs %v, want %v", to, want)
	}
}

// TestEmailCodesAreBoundExpiringAndReplaced: a code works only for its own account and purpose,
// stops at its expiry, and a new one replaces the old; the mail comes in the account's language.
func TestEmailCodesAreBoundExpiringAndReplaced(t *testing.T) {
	a := newMailAPI(t)
	for _, e := range []string{"bob@example.com", "eve@example.com"} {
		a.do("POST", "/v1/auth/register", map[string]any{"email": e, "password": "long enough pw", "locale": "ru"}, "")
	}
	bob, eve := a.code("bob@example.com", "Код подтверждения"), a.code("eve@example.com", "Код подтверждения")
	if bob != eve {
		wantError(t, a.testAPI, "POST", "/v1/auth/email/verify", map[string]any{"email": "bob@example.com", "code": eve}, "", 400, "code_invalid")
	}
	// A verification code is no reset code.
	wantError(t, a.testAPI, "POST", "/v1/auth/password/reset", map[string]any{"email": "bob@example.com", "code": bob, "newPassword": "long enough pw2"}, "", 400, "code_invalid")
	// Resend replaces the old code.
	a.do("POST", "/v1/auth/email/resend", map[string]any{"email": "bob@example.com"}, "")
	bob2 := a.code("bob@example.com", "Код подтверждения", bob)
	wantError(t, a.testAPI, "POST", "/v1/auth/email/verify", map[string]any{"email": "bob@example.com", "code": bob}, "", 400, "code_invalid")
	// Past its 15 minutes the new one is dead too.
	a.now = a.now.Add(auth.CodeTTL + time.Second)
	wantError(t, a.testAPI, "POST", "/v1/auth/email/verify", map[string]any{"email": "bob@example.com", "code": bob2}, "", 400, "code_invalid")
	a.now = a.now.Add(-auth.CodeTTL - time.Second)
	if rec := a.do("POST", "/v1/auth/email/verify", map[string]any{"email": "eve@example.com", "code": eve}, ""); rec.Code != 200 {
		t.Fatalf("eve's own code: %d %s", rec.Code, rec.Body)
	}
	// Unknown email, malformed and oversized codes.
	wantError(t, a.testAPI, "POST", "/v1/auth/email/verify", map[string]any{"email": "nobody@example.com", "code": "123456"}, "", 400, "code_invalid")
	wantError(t, a.testAPI, "POST", "/v1/auth/email/verify", map[string]any{"email": "eve@example.com", "code": "1234567"}, "", 400, "invalid_request")
	wantError(t, a.testAPI, "POST", "/v1/auth/login", map[string]any{"email": "eve@example.com", "password": strings.Repeat("p", 257)}, "", 400, "invalid_request")
}

// TestLoginTimingDoesNotTellWhoHasAnAccount: an unknown email and a wrong password take about
// as long (medians of a few runs; a generous bound, the machine is shared). The exact check,
// that both do one argon2 computation, is auth's TestUnknownEmailCostsAPasswordCheck.
func TestLoginTimingDoesNotTellWhoHasAnAccount(t *testing.T) {
	// The production cost, which the stored hash below has too (the other tests' cheaper one would
	// make the known account's check, at the stored cost, the slower).
	a := newTestAPI(t, func(c *auth.Config) { c.Password.Argon = auth.DefaultArgon })
	hash, err := auth.HashPassword("the real password")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.auth.CreateUser(context.Background(), auth.NewUser{Email: "known@example.com", EmailVerified: true, PasswordHash: hash}); err != nil {
		t.Fatal(err)
	}
	// The two kinds of login take turns (the order alternating), so that a burst of load on the
	// shared machine slows both alike rather than one set of runs.
	login := func(email string) time.Duration {
		start := time.Now()
		wantError(t, a, "POST", "/v1/auth/login", map[string]any{"email": email, "password": "a wrong password"}, "", 401, "invalid_credentials")
		return time.Since(start)
	}
	var ks, us []time.Duration
	for i := range 7 {
		if i%2 == 0 {
			ks, us = append(ks, login("known@example.com")), append(us, login("unknown@example.com"))
		} else {
			us, ks = append(us, login("unknown@example.com")), append(ks, login("known@example.com"))
		}
	}
	slices.Sort(ks)
	slices.Sort(us)
	known, unknown := ks[3], us[3]
	t.Logf("median login: known %v, unknown %v", known, unknown)
	if unknown < known/2 || known < unknown/2 {
		t.Fatalf("login with an unknown email takes %v, with a wrong password %v", unknown, known)
	}
}

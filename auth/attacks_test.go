package auth

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"golang.org/x/crypto/bcrypt"

	"github.com/amanat/amn/auth/internal/authdb"
)

// Attacks found by the review of #16, each fixed in package auth; the HTTP side of each is in
// api/auth_attacks_test.go.

// issueTestCode makes a live code for a user, as a sign-up or a forgot-password request would.
func issueTestCode(t *testing.T, s *Service, userID uuid.UUID, purpose CodePurpose) string {
	t.Helper()
	var code string
	err := pgx.BeginFunc(context.Background(), s.pool, func(tx pgx.Tx) error {
		var err error
		code, _, err = s.issueCode(context.Background(), s.q.WithTx(tx), userID, purpose)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return code
}

// otherCode is a six-digit code that is not c.
func otherCode(c string) string {
	if c == "000000" {
		return "000001"
	}
	return "000000"
}

// TestResetRefusalsCostNoArgon2: a password reset with an unknown email, and one with a wrong
// code for a known email, are both refused before any argon2 work (the new password is hashed
// only once the code matched), so the time of a refusal tells nobody whether the account exists.
func TestResetRefusalsCostNoArgon2(t *testing.T) {
	s, ctx := testService(t), context.Background()
	u, err := s.CreateUser(ctx, NewUser{Email: "reset-timing@example.com", EmailVerified: true})
	if err != nil {
		t.Fatal(err)
	}
	code := issueTestCode(t, s, u.ID, CodeResetPassword)
	for _, c := range []struct{ email, code string }{
		{"reset-timing@example.com", otherCode(code)},
		{"nobody-reset-timing@example.com", code},
	} {
		before := s.pw.hasher.runs.Load()
		if err := s.ResetPassword(ctx, c.email, c.code, "a brand new password"); !errors.Is(err, ErrCodeInvalid) {
			t.Fatalf("%s: %v", c.email, err)
		}
		if n := s.pw.hasher.runs.Load() - before; n != 0 {
			t.Fatalf("%s: a refused reset ran argon2 %d times", c.email, n)
		}
	}
	before := s.pw.hasher.runs.Load()
	if err := s.ResetPassword(ctx, "reset-timing@example.com", code, "a brand new password"); err != nil {
		t.Fatal(err)
	}
	if n := s.pw.hasher.runs.Load() - before; n != 1 {
		t.Fatalf("the reset that worked ran argon2 %d times, want 1", n)
	}
}

// TestFailedChecksCostAnArgon2Run: a wrong password costs at least one argon2 run with the
// current parameters whatever the stored hash: bcrypt (imported), a password past bcrypt's 72
// bytes (refused without reading the hash), older argon2 parameters, an unreadable hash. Signing
// in to a bcrypt account with a wrong password costs what an unknown email does.
func TestFailedChecksCostAnArgon2Run(t *testing.T) {
	current := ArgonParams{Memory: 16 * 1024, Time: 1, Threads: 1}
	h, err := newHasher(current)
	if err != nil {
		t.Fatal(err)
	}
	bh, err := bcrypt.GenerateFromPassword([]byte("an old password"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	older, _ := (&hasher{params: ArgonParams{Memory: 8 * 1024, Time: 1, Threads: 1}}).hash("an old password")
	fresh, _ := h.hash("an old password")
	for _, c := range []struct {
		name, stored, password string
		runs                   int64
	}{
		{"bcrypt, wrong password", string(bh), "an old passworD", 1},
		{"bcrypt, over 72 bytes", string(bh), "an old password" + strings.Repeat("x", 72), 1},
		{"older argon2 parameters", older, "an old passworD", 2},
		{"unreadable hash", "$argon2id$garbage", "an old password", 1},
		{"current argon2", fresh, "an old passworD", 1},
	} {
		before := h.runs.Load()
		if ok, _ := h.verify(c.stored, c.password); ok {
			t.Fatalf("%s: verified", c.name)
		}
		if n := h.runs.Load() - before; n != c.runs {
			t.Errorf("%s: %d argon2 runs, want %d", c.name, n, c.runs)
		}
	}
	// The right password of a bcrypt hash needs no dummy (the sign-in rehashes it with argon2).
	before := h.runs.Load()
	if ok, rehash := h.verify(string(bh), "an old password"); !ok || !rehash || h.runs.Load() != before {
		t.Fatalf("bcrypt's right password: %v %v, %d runs", ok, rehash, h.runs.Load()-before)
	}

	s, ctx := testService(t), context.Background()
	if _, err := s.CreateUser(ctx, NewUser{Email: "bcrypt-timing@example.com", EmailVerified: true, PasswordHash: string(bh)}); err != nil {
		t.Fatal(err)
	}
	for _, pw := range []string{"an old passworD", strings.Repeat("y", 100)} {
		before := s.pw.hasher.runs.Load()
		if _, err := s.Login(ctx, "bcrypt-timing@example.com", pw, Client{}); !errors.Is(err, ErrInvalidCredentials) {
			t.Fatal(err)
		}
		if n := s.pw.hasher.runs.Load() - before; n != 1 {
			t.Fatalf("a failed sign-in to a bcrypt account (%d-byte password) ran argon2 %d times, want 1", len(pw), n)
		}
	}
}

// TestControlCharactersAreRefused: past the contract's patterns, auth itself refuses control
// characters in what people type (a sign-up's display name for a new and a taken email alike, a
// profile, a passkey's name, a ban's reason), so nothing reaches Postgres that it cannot store.
func TestControlCharactersAreRefused(t *testing.T) {
	s, ctx := testService(t), context.Background()
	owner, err := s.CreateUser(ctx, NewUser{Email: "taken-ctl@example.com", EmailVerified: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, email := range []string{"taken-ctl@example.com", "new-ctl@example.com"} {
		err := s.Register(ctx, Registration{Email: email, Password: "long enough pw", DisplayName: "nul\x00"})
		if !errors.Is(err, ErrProfileInvalid) {
			t.Fatalf("register %s: %v", email, err)
		}
	}
	bad, bio := "a\x00b", "bell\a"
	if _, err := s.UpdateProfile(ctx, owner.ID, ProfileUpdate{DisplayName: &bad}); !errors.Is(err, ErrProfileInvalid) {
		t.Fatalf("display name: %v", err)
	}
	if _, err := s.UpdateProfile(ctx, owner.ID, ProfileUpdate{Bio: &bio}); !errors.Is(err, ErrProfileInvalid) {
		t.Fatalf("bio: %v", err)
	}
	if _, err := s.FinishPasskeyRegistration(ctx, Principal{UserID: owner.ID}, uuid.New(), "key\x00", []byte(`{}`)); !errors.Is(err, ErrTextInvalid) {
		t.Fatalf("passkey name: %v", err)
	}
	if _, err := s.SetStatus(ctx, "cli:test", owner.ID, StatusBanned, "spam\x00"); !errors.Is(err, ErrTextInvalid) {
		t.Fatalf("ban reason: %v", err)
	}
	if got := cleanText("Gr\x00ace\u0085 \xff"); got != "Grace \uFFFD" {
		t.Fatalf("cleanText: %q", got)
	}
}

// TestClientTextIsValidAndCutWhole: what a session keeps of a User-Agent is valid UTF-8 without
// control characters, at most n bytes, and no character is cut in half.
func TestClientTextIsValidAndCutWhole(t *testing.T) {
	for _, c := range []struct {
		in   string
		n    int
		want string
	}{
		{"\xff", 300, "\uFFFD"},
		{"ok\x00\x1b[0m", 300, "ok[0m"},
		{"a" + strings.Repeat("é", 200), 300, "a" + strings.Repeat("é", 149)},
		{"€€", 4, "€"},
		{"plain", 3, "pla"},
	} {
		if got := clientText(c.in, c.n); got != c.want {
			t.Errorf("clientText(%q, %d) = %q, want %q", c.in, c.n, got, c.want)
		}
	}
}

// TestFirstVerificationRevokesEarlierSessions: a session opened on an account before its email
// was proved ends when the owner proves it, and a password the verifier does not show is removed;
// a later verification (a verified account) changes neither.
func TestFirstVerificationRevokesEarlierSessions(t *testing.T) {
	s, ctx := testService(t), context.Background()
	hash, _ := s.pw.hasher.hash("someone's password")
	u, err := s.CreateUser(ctx, NewUser{Email: "first-verify@example.com", PasswordHash: hash})
	if err != nil {
		t.Fatal(err)
	}
	early, err := s.StartSession(ctx, u.ID, MethodPassword, Client{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.VerifyEmail(ctx, "first-verify@example.com", issueTestCode(t, s, u.ID, CodeVerifyEmail), "", Client{}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Authenticate(ctx, early.AccessToken); !errors.Is(err, ErrUnauthenticated) {
		t.Fatalf("a session from before the first verification survived it: %v", err)
	}
	after, err := s.User(ctx, u.ID)
	if err != nil || after.HasPassword {
		t.Fatalf("the password nobody showed is still there: %+v %v", after, err)
	}
	kept, err := s.StartSession(ctx, u.ID, MethodPassword, Client{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.VerifyEmail(ctx, "first-verify@example.com", issueTestCode(t, s, u.ID, CodeVerifyEmail), "", Client{}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Authenticate(ctx, kept.AccessToken); err != nil {
		t.Fatalf("a second verification revoked a session: %v", err)
	}
}

// TestCodesAreCappedPerUser: a user is given at most CodeMaxPerHour codes of a purpose an hour
// (more requests mail nothing, and say so to nobody), and once their codes had
// CodeMaxFailuresPerDay wrong tries in a day even the right code is refused until the day has
// passed: asking for code after code does not make a six-digit code guessable.
func TestCodesAreCappedPerUser(t *testing.T) {
	s, now := newTestService(t)
	ctx := context.Background()
	u, err := s.CreateUser(ctx, NewUser{Email: "capped@example.com", EmailVerified: true})
	if err != nil {
		t.Fatal(err)
	}
	for i := range CodeMaxPerHour + 2 {
		if err := s.ForgotPassword(ctx, "capped@example.com"); err != nil {
			t.Fatalf("forgot %d: %v", i, err)
		}
	}
	if n, err := s.q.CodesIssuedSince(ctx, authdb.CodesIssuedSinceParams{UserID: u.ID, Purpose: string(CodeResetPassword), Since: now.Add(-time.Hour)}); err != nil || n != CodeMaxPerHour {
		t.Fatalf("%d codes given in an hour (%v), want %d", n, err, CodeMaxPerHour)
	}
	if _, _, err := pgxIssue(s, u.ID, CodeResetPassword); !errors.Is(err, errCodesCapped) {
		t.Fatalf("a code past the cap: %v", err)
	}

	// An hour on: four codes, each tried five times wrongly, make twenty failures.
	*now = now.Add(time.Hour + time.Second)
	for range CodeMaxFailuresPerDay / CodeMaxAttempts {
		code := issueTestCode(t, s, u.ID, CodeVerifyEmail)
		for range CodeMaxAttempts {
			if _, err := s.VerifyEmail(ctx, "capped@example.com", otherCode(code), "", Client{}); !errors.Is(err, ErrCodeInvalid) {
				t.Fatal(err)
			}
		}
	}
	code := issueTestCode(t, s, u.ID, CodeResetPassword)
	if err := s.ResetPassword(ctx, "capped@example.com", code, "a brand new password"); !errors.Is(err, ErrCodeInvalid) {
		t.Fatalf("the right code after %d failures in a day: %v", CodeMaxFailuresPerDay, err)
	}
	*now = now.Add(24*time.Hour + time.Second)
	code = issueTestCode(t, s, u.ID, CodeResetPassword)
	if err := s.ResetPassword(ctx, "capped@example.com", code, "a brand new password"); err != nil {
		t.Fatalf("a day later: %v", err)
	}
}

// TestOnlyTheNewestCodeWorks: a new code replaces the earlier ones of its purpose (they stay in
// the table for the caps, but match nothing).
func TestOnlyTheNewestCodeWorks(t *testing.T) {
	s, ctx := testService(t), context.Background()
	u, err := s.CreateUser(ctx, NewUser{Email: "newest@example.com", EmailVerified: true})
	if err != nil {
		t.Fatal(err)
	}
	old := issueTestCode(t, s, u.ID, CodeResetPassword)
	newer := issueTestCode(t, s, u.ID, CodeResetPassword)
	if old != newer {
		if err := s.ResetPassword(ctx, "newest@example.com", old, "a brand new password"); !errors.Is(err, ErrCodeInvalid) {
			t.Fatalf("a replaced code: %v", err)
		}
	}
	if err := s.ResetPassword(ctx, "newest@example.com", newer, "a brand new password"); err != nil {
		t.Fatal(err)
	}
}

func pgxIssue(s *Service, userID uuid.UUID, purpose CodePurpose) (code string, exp time.Time, err error) {
	err = pgx.BeginFunc(context.Background(), s.pool, func(tx pgx.Tx) error {
		code, exp, err = s.issueCode(context.Background(), s.q.WithTx(tx), userID, purpose)
		return err
	})
	return code, exp, err
}

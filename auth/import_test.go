package auth

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"golang.org/x/crypto/bcrypt"

	"github.com/amanat/amn/db/dbtest"
)

// Review of #21: an account imported with an email nobody proved may carry passkeys and a
// Telegram link chosen by whoever registered the address on the old backend.

// unprovenAccount writes, as the owner login (what the importer of an earlier version wrote), an
// account with an unverified email, a passkey, a Telegram and a Google identity.
func unprovenAccount(t *testing.T, email string) uuid.UUID {
	t.Helper()
	ctx, owner := context.Background(), dbtest.Pool(t)
	id := uuid.New()
	if _, err := owner.Exec(ctx, `INSERT INTO users (id, email, password_hash, roles) VALUES ($1, $2, 'x', '{buyer}')`, id, email); err != nil {
		t.Fatal(err)
	}
	if _, err := owner.Exec(ctx, `INSERT INTO auth_passkeys (id, user_id, credential_id, credential, legacy_user_handle)
		VALUES ($1, $2, $3, '{}', 'old-handle')`, uuid.New(), id, []byte("cred-"+id.String())); err != nil {
		t.Fatal(err)
	}
	if _, err := owner.Exec(ctx, `INSERT INTO auth_identities (provider, subject, user_id) VALUES
		('telegram', $1, $2), ('google', $1, $2)`, id.String()[:8], id); err != nil {
		t.Fatal(err)
	}
	return id
}

func waysIn(t *testing.T, id uuid.UUID) (passkeys, identities int) {
	t.Helper()
	if err := dbtest.Pool(t).QueryRow(context.Background(), `SELECT
		(SELECT count(*) FROM auth_passkeys WHERE user_id = $1), (SELECT count(*) FROM auth_identities WHERE user_id = $1)`,
		id).Scan(&passkeys, &identities); err != nil {
		t.Fatal(err)
	}
	return passkeys, identities
}

// TestFirstVerificationRemovesOtherWaysIn: proving the address for the first time — by the
// verification code or by a password reset — removes the passkeys and the Telegram and Google
// identities set up before the proof, so that whoever set them up cannot sign in to the owner's
// account. A later verification removes nothing the owner added.
func TestFirstVerificationRemovesOtherWaysIn(t *testing.T) {
	s, ctx := testService(t), context.Background()

	verified := unprovenAccount(t, "imported-verify@example.com")
	if _, err := s.VerifyEmail(ctx, "imported-verify@example.com", issueTestCode(t, s, verified, CodeVerifyEmail), "", Client{}); err != nil {
		t.Fatal(err)
	}
	if p, i := waysIn(t, verified); p != 0 || i != 0 {
		t.Fatalf("after the first verification: %d passkeys, %d identities left", p, i)
	}
	if _, err := s.q.TelegramIdentityUser(ctx, verified.String()[:8]); err == nil {
		t.Fatal("the Telegram account still signs in")
	}

	reset := unprovenAccount(t, "imported-reset@example.com")
	if err := s.ResetPassword(ctx, "imported-reset@example.com", issueTestCode(t, s, reset, CodeResetPassword), "a brand new passphrase 42"); err != nil {
		t.Fatal(err)
	}
	if p, i := waysIn(t, reset); p != 0 || i != 0 {
		t.Fatalf("after a reset that proved the address: %d passkeys, %d identities left", p, i)
	}

	// Once proved, the owner's own ways in stay through a second verification.
	if _, err := dbtest.Pool(t).Exec(ctx, `INSERT INTO auth_identities (provider, subject, user_id) VALUES ('telegram', 'owners', $1)`, verified); err != nil {
		t.Fatal(err)
	}
	if _, err := s.VerifyEmail(ctx, "imported-verify@example.com", issueTestCode(t, s, verified, CodeVerifyEmail), "", Client{}); err != nil {
		t.Fatal(err)
	}
	if _, i := waysIn(t, verified); i != 1 {
		t.Fatalf("a second verification removed the owner's identity (%d left)", i)
	}
}

// TestImportRefusesWaysInOnAnUnprovenEmail: ImportUser does not attach passkeys or a Telegram id
// to an account whose email is not verified (the importer leaves them out and reports it).
func TestImportRefusesWaysInOnAnUnprovenEmail(t *testing.T) {
	email := "unproven@example.com"
	u := ImportedUser{ID: uuid.New(), Email: &email, TelegramID: 42, CreatedAt: time.Now()}
	if err := CheckImportedUser(u); !errors.Is(err, ErrImportInvalid) {
		t.Fatalf("a Telegram id on an unverified email: %v", err)
	}
	u.EmailVerified = true
	if err := CheckImportedUser(u); err != nil {
		t.Fatalf("on a verified email: %v", err)
	}
	u.EmailVerified, u.Email = false, nil
	if err := CheckImportedUser(u); err != nil {
		t.Fatalf("a Telegram-only account: %v", err)
	}
}

// TestHashUpgradeNeverOverwritesANewPassword: Login replaces an imported bcrypt hash only if the
// account still has it. A password set between the check and the upgrade (a reset committing
// meanwhile) stays, and the sign-in with the old password is refused.
func TestHashUpgradeNeverOverwritesANewPassword(t *testing.T) {
	s, ctx := testService(t), context.Background()
	old, err := bcrypt.GenerateFromPassword([]byte("the old backend's password"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	email := "upgrade-race@example.com"
	id := uuid.New()
	if _, err := dbtest.Pool(t).Exec(ctx, `INSERT INTO users (id, email, email_verified_at, password_hash, roles) VALUES ($1, $2, now(), $3, '{buyer}')`,
		id, email, string(old)); err != nil {
		t.Fatal(err)
	}
	reset, err := s.pw.hasher.hash("the new password after a reset")
	if err != nil {
		t.Fatal(err)
	}
	s.pw.afterVerify = func() {
		if _, err := dbtest.Pool(t).Exec(ctx, `UPDATE users SET password_hash = $2 WHERE id = $1`, id, reset); err != nil {
			t.Error(err)
		}
	}
	if _, err := s.Login(ctx, email, "the old backend's password", Client{}); !errors.Is(err, ErrInvalidCredentials) {
		t.Fatalf("a sign-in with the password replaced meanwhile: %v, want ErrInvalidCredentials", err)
	}
	var hash string
	if err := dbtest.Pool(t).QueryRow(ctx, `SELECT password_hash FROM users WHERE id = $1`, id).Scan(&hash); err != nil || hash != reset {
		t.Fatalf("the new password was overwritten: %.12s… %v", hash, err)
	}
	var sessions int
	if err := dbtest.Pool(t).QueryRow(ctx, `SELECT count(*) FROM auth_sessions WHERE user_id = $1`, id).Scan(&sessions); err != nil || sessions != 0 {
		t.Fatalf("a session was opened: %d %v", sessions, err)
	}
	// Without a change in between, the old hash is upgraded and the sign-in succeeds.
	s.pw.afterVerify = nil
	if _, err := dbtest.Pool(t).Exec(ctx, `UPDATE users SET password_hash = $2 WHERE id = $1`, id, string(old)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Login(ctx, email, "the old backend's password", Client{}); err != nil {
		t.Fatal(err)
	}
	if err := dbtest.Pool(t).QueryRow(ctx, `SELECT password_hash FROM users WHERE id = $1`, id).Scan(&hash); err != nil || !strings.HasPrefix(hash, "$argon2id$") {
		t.Fatalf("the old hash was not upgraded: %.12s… %v", hash, err)
	}
}

// TestFailedChecksCostOneBcryptRun: every failed password check costs one bcrypt comparison (and
// at least one argon2 run, TestFailedChecksCostAnArgon2Run): an imported account's (bcrypt), one
// of this backend's (argon2) and an unknown email alike, so the time of a failed sign-in does not
// tell that an email belongs to an imported account.
func TestFailedChecksCostOneBcryptRun(t *testing.T) {
	s, ctx := testService(t), context.Background()
	bh, err := bcrypt.GenerateFromPassword([]byte("an old password"), bcrypt.DefaultCost)
	if err != nil {
		t.Fatal(err)
	}
	ah, err := s.pw.hasher.hash("a current password")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateUser(ctx, NewUser{Email: "imported-timing@example.com", EmailVerified: true, PasswordHash: string(bh)}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateUser(ctx, NewUser{Email: "native-timing@example.com", EmailVerified: true, PasswordHash: ah}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ email, password string }{
		{"imported-timing@example.com", "an old passworD"},
		{"imported-timing@example.com", strings.Repeat("y", 100)},
		{"native-timing@example.com", "a current passworD"},
		{"nobody-timing@example.com", "whatever it is"},
		{"nobody-timing@example.com", strings.Repeat("z", 100)},
	} {
		bBefore, aBefore := s.pw.hasher.bcryptRuns.Load(), s.pw.hasher.runs.Load()
		if _, err := s.Login(ctx, c.email, c.password, Client{}); !errors.Is(err, ErrInvalidCredentials) {
			t.Fatalf("%s: %v", c.email, err)
		}
		if b, a := s.pw.hasher.bcryptRuns.Load()-bBefore, s.pw.hasher.runs.Load()-aBefore; b != 1 || a != 1 {
			t.Errorf("%s (%d-byte password): %d bcrypt and %d argon2 runs, want 1 and 1", c.email, len(c.password), b, a)
		}
	}
}

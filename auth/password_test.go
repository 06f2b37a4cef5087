package auth

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/amanat/amn/db"
	"github.com/amanat/amn/db/dbtest"
)

func testService(t *testing.T) *Service {
	t.Helper()
	keys, err := GenerateKeys()
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(dbtest.PoolAs(t, db.RoleAPI), Config{Issuer: "t", Audience: "t", Keys: keys})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

var phcForm = regexp.MustCompile(`^\$argon2id\$v=19\$m=65536,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$`)

// TestArgon2idHashes: the stored form is PHC with the default parameters and a fresh salt; it
// verifies the password and nothing else; older parameters ask for a rehash.
func TestArgon2idHashes(t *testing.T) {
	h, err := newHasher(ArgonParams{})
	if err != nil {
		t.Fatal(err)
	}
	a, _ := h.hash("correct horse battery")
	b, _ := h.hash("correct horse battery")
	if !phcForm.MatchString(a) || a == b {
		t.Fatalf("hashes %q %q", a, b)
	}
	if ok, rehash := h.verify(a, "correct horse battery"); !ok || rehash {
		t.Fatalf("verify: %v %v", ok, rehash)
	}
	if ok, _ := h.verify(a, "correct horse batterY"); ok {
		t.Fatal("a wrong password verified")
	}
	cheap := &hasher{params: ArgonParams{Memory: 8 * 1024, Time: 1, Threads: 1}}
	old, _ := cheap.hash("correct horse battery")
	if ok, rehash := h.verify(old, "correct horse battery"); !ok || !rehash {
		t.Fatalf("old parameters: %v %v", ok, rehash)
	}
	for _, bad := range []string{"", "plain", strings.Replace(a, "argon2id", "argon2i", 1), strings.Replace(a, "v=19", "v=16", 1), a[:len(a)-2]} {
		if ok, _ := h.verify(bad, "correct horse battery"); ok {
			t.Fatalf("%q verified", bad)
		}
	}
}

// TestBcryptIsVerifiedAndUpgradedAtSignIn: an imported bcrypt hash signs in and is replaced by
// argon2id; a password over bcrypt's 72 bytes never reaches bcrypt (which would compare only its
// first 72 bytes).
func TestBcryptIsVerifiedAndUpgradedAtSignIn(t *testing.T) {
	s, ctx := testService(t), context.Background()
	long := strings.Repeat("x", 72)
	for _, c := range []struct{ email, pw string }{{"old@example.com", "an old password"}, {"long@example.com", long}} {
		bh, err := bcrypt.GenerateFromPassword([]byte(c.pw), bcrypt.MinCost)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.CreateUser(ctx, NewUser{Email: c.email, EmailVerified: true, PasswordHash: string(bh)}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Login(ctx, "long@example.com", long+"tail", Client{}); !errors.Is(err, ErrInvalidCredentials) {
		t.Fatalf("a password past 72 bytes matched on its first 72: %v", err)
	}
	if _, err := s.Login(ctx, "old@example.com", "an old passworD", Client{}); !errors.Is(err, ErrInvalidCredentials) {
		t.Fatalf("wrong password: %v", err)
	}
	if _, err := s.Login(ctx, "old@example.com", "an old password", Client{}); err != nil {
		t.Fatal(err)
	}
	u, err := s.q.UserByEmail(ctx, "old@example.com")
	if err != nil || !phcForm.MatchString(*u.PasswordHash) {
		t.Fatalf("the bcrypt hash was not upgraded: %v %v", u.PasswordHash, err)
	}
	if _, err := s.Login(ctx, "old@example.com", "an old password", Client{}); err != nil {
		t.Fatalf("sign-in after the upgrade: %v", err)
	}
}

// TestUnknownEmailCostsAPasswordCheck: an unknown email, an account without a password and a
// wrong password each run argon2 exactly once, and give the same error.
func TestUnknownEmailCostsAPasswordCheck(t *testing.T) {
	s, ctx := testService(t), context.Background()
	hash, _ := s.pw.hasher.hash("the right password")
	if _, err := s.CreateUser(ctx, NewUser{Email: "known@example.com", EmailVerified: true, PasswordHash: hash}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateUser(ctx, NewUser{Email: "nopw@example.com", EmailVerified: true}); err != nil {
		t.Fatal(err)
	}
	for _, email := range []string{"known@example.com", "unknown@example.com", "nopw@example.com"} {
		before := s.pw.hasher.runs.Load()
		_, err := s.Login(ctx, email, "a wrong password", Client{})
		if !errors.Is(err, ErrInvalidCredentials) {
			t.Fatalf("%s: %v", email, err)
		}
		if n := s.pw.hasher.runs.Load() - before; n != 1 {
			t.Fatalf("%s: %d argon2 runs, want 1", email, n)
		}
	}
}

func TestPasswordStrength(t *testing.T) {
	for pw, ok := range map[string]bool{
		"short1!": false, "123456789": false, "password123": false, "PassWord123": false,
		"mary.smith@example.com": false, "mary.smith": false, "ünïcödé✓✓✓": true,
		"correct horse battery": true, "0123456789": false, "a-fine-password": true,
		"\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8\xf7\xf6": false,
	} {
		err := CheckPasswordStrength(pw, "Mary.Smith@example.com")
		if (err == nil) != ok || (err != nil && !errors.Is(err, ErrWeakPassword)) {
			t.Errorf("%q: %v", pw, err)
		}
	}
	if len(commonPasswords) < 100 {
		t.Fatalf("only %d common passwords", len(commonPasswords))
	}
}

// TestCodesAreSixUniformDigits: every code is six digits, and each digit position is roughly
// uniform (a modulo bias or a fixed digit would show).
func TestCodesAreSixUniformDigits(t *testing.T) {
	var counts [6][10]int
	const n = 20000
	for range n {
		c, err := newCode()
		if err != nil || len(c) != 6 || strings.Trim(c, "0123456789") != "" {
			t.Fatalf("code %q %v", c, err)
		}
		for i, d := range c {
			counts[i][d-'0']++
		}
	}
	for i := range counts {
		for d, k := range counts[i] {
			if k < n/10*8/10 || k > n/10*12/10 {
				t.Fatalf("digit %d at %d appears %d times of %d", d, i, k, n)
			}
		}
	}
}

// TestCodeHashIsBoundToKeyUserAndPurpose: a stored code hash is good for one key, user and
// purpose only.
func TestCodeHashIsBoundToKeyUserAndPurpose(t *testing.T) {
	s1, s2 := testService(t), testService(t)
	u := [16]byte{1}
	h := s1.codeHash(u, CodeVerifyEmail, "123456")
	for _, other := range [][]byte{
		s2.codeHash(u, CodeVerifyEmail, "123456"), s1.codeHash([16]byte{2}, CodeVerifyEmail, "123456"),
		s1.codeHash(u, CodeResetPassword, "123456"), s1.codeHash(u, CodeVerifyEmail, "123457"),
	} {
		if string(other) == string(h) {
			t.Fatal("two different codes hash alike")
		}
	}
}

func FuzzParsePHC(f *testing.F) {
	h := &hasher{params: ArgonParams{Memory: 8 * 1024, Time: 1, Threads: 1}}
	good, _ := h.hash("seed password")
	for _, s := range []string{good, "", "$argon2id$v=19$m=1,t=1,p=1$$", "$argon2id$v=19$p=1,t=1,m=65536$c2FsdHNhbHQ$a2V5a2V5a2V5a2V5a2V5a2V5", "$2b$10$abc"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := parsePHC(s)
		if err != nil {
			return
		}
		if p.params.Memory > 1<<20 || p.params.Time > 10 || p.params.Threads > 16 || p.params.Threads < 1 || len(p.salt) < 8 || len(p.key) < 16 {
			t.Fatalf("%q parsed to out-of-bounds %+v", s, p.params)
		}
	})
}

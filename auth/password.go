package auth

import (
	"bufio"
	"crypto/rand"
	"crypto/subtle"
	_ "embed"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/bcrypt"
)

// ArgonParams are argon2id's cost parameters: memory in KiB, passes, lanes.
type ArgonParams struct {
	Memory  uint32
	Time    uint32
	Threads uint8
}

// DefaultArgon is sized for an API server: 64 MiB, two passes, one lane. One hash took about
// 170 ms on the 2-core build machine (280 ms under the race detector); the memory is what makes
// guessing on GPUs expensive, and the sign-in rate limits bound how many run at once.
var DefaultArgon = ArgonParams{Memory: 64 * 1024, Time: 2, Threads: 1}

const (
	argonSaltLen = 16
	argonKeyLen  = 32
	// bcryptMaxBytes is bcrypt's input limit: it ignores every byte past the 72nd. Longer
	// passwords are never given to bcrypt (they do not match a bcrypt hash; docs/auth.md).
	bcryptMaxBytes = 72
	// MinPasswordLength is the fewest characters (not bytes) a new password may have.
	MinPasswordLength = 10
)

// hasher hashes and verifies passwords with one set of argon2id parameters and counts its
// argon2 computations (so a test can see that an unknown email costs what a wrong password does).
type hasher struct {
	params ArgonParams
	dummy  string // a hash of a random password, verified when there is no account to verify
	runs   atomic.Int64
	// bcryptRuns counts bcrypt comparisons (real or dummy).
	bcryptRuns atomic.Int64
}

// dummyBcrypt is the bcrypt hash (cost 10, bcrypt.DefaultCost, as the legacy backend's) of a
// random password nobody knows: compared when a failed verification ran no bcrypt of its own.
const dummyBcrypt = "$2a$10$qr3bMI0OI8C1m0w8LqdkP.CyvegW.XvWKoFxD6U2l/KZrXjksUrh."

func newHasher(p ArgonParams) (*hasher, error) {
	if p == (ArgonParams{}) {
		p = DefaultArgon
	}
	if p.Memory < 8*1024 || p.Time < 1 || p.Threads < 1 {
		return nil, errors.New("auth: argon2id parameters below m=8MiB t=1 p=1")
	}
	h := &hasher{params: p}
	var pw [24]byte
	if _, err := rand.Read(pw[:]); err != nil {
		return nil, err
	}
	dummy, err := h.hash(base64.RawStdEncoding.EncodeToString(pw[:]))
	if err != nil {
		return nil, err
	}
	h.dummy = dummy
	return h, nil
}

// HashPassword hashes a password with the default parameters into its stored (PHC) form.
func HashPassword(password string) (string, error) {
	h := &hasher{params: DefaultArgon}
	return h.hash(password)
}

// hash returns password's argon2id hash in PHC form: $argon2id$v=19$m=…,t=…,p=…$salt$hash.
func (h *hasher) hash(password string) (string, error) {
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	h.runs.Add(1)
	key := argon2.IDKey([]byte(password), salt, h.params.Time, h.params.Memory, h.params.Threads, argonKeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version,
		h.params.Memory, h.params.Time, h.params.Threads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key)), nil
}

// verify says whether password matches stored (argon2id or bcrypt), and whether stored should be
// replaced by a fresh hash with the current parameters (bcrypt, or older argon2id parameters).
// A stored form it cannot read matches nothing.
//
// A verification that fails costs at least one argon2 run with the current parameters, whatever
// the stored form: a bcrypt hash (whose cost is not argon2's), a password past bcrypt's 72 bytes
// (which is refused without work), older argon2 parameters or an unreadable hash each add a run
// of the dummy, so that a wrong password takes at least as long as for an unknown email. It
// costs one bcrypt comparison too, whatever the stored form (a dummy one when the stored hash is
// not bcrypt, or the password is past its 72 bytes): an imported account's wrong password (bcrypt
// and argon2), an account of this backend's (argon2) and an unknown email (verifyDummy) all take
// the same work, so the time does not tell an imported account from the others.
func (h *hasher) verify(stored, password string) (ok, rehash bool) {
	ok, rehash, costed := h.check(stored, password)
	if !ok && !costed {
		h.check(h.dummy, password)
	}
	if !ok && (!isBcrypt(stored) || len(password) > bcryptMaxBytes) {
		h.bcryptDummy(password)
	}
	return ok, rehash
}

func isBcrypt(s string) bool {
	return strings.HasPrefix(s, "$2a$") || strings.HasPrefix(s, "$2b$") || strings.HasPrefix(s, "$2y$")
}

// bcryptDummy does the work of a bcrypt comparison that fails.
func (h *hasher) bcryptDummy(password string) {
	h.bcryptRuns.Add(1)
	_ = bcrypt.CompareHashAndPassword([]byte(dummyBcrypt), []byte(password[:min(len(password), bcryptMaxBytes)]))
}

// check is verify without the dummy run; costed says whether it ran argon2 with the current
// parameters.
func (h *hasher) check(stored, password string) (ok, rehash, costed bool) {
	if isBcrypt(stored) {
		if len(password) > bcryptMaxBytes {
			return false, false, false
		}
		h.bcryptRuns.Add(1)
		return bcrypt.CompareHashAndPassword([]byte(stored), []byte(password)) == nil, true, false
	}
	phc, err := parsePHC(stored)
	if err != nil {
		return false, false, false
	}
	h.runs.Add(1)
	key := argon2.IDKey([]byte(password), phc.salt, phc.params.Time, phc.params.Memory, phc.params.Threads, uint32(len(phc.key)))
	ok = subtle.ConstantTimeCompare(key, phc.key) == 1
	current := phc.params == h.params
	return ok, ok && !current, current
}

// verifyDummy does the work of a verification that fails: for an email nobody has, or an
// account without a password, so that answering takes as long as for a wrong password.
func (h *hasher) verifyDummy(password string) {
	h.check(h.dummy, password)
	h.bcryptDummy(password)
}

// phc is a parsed argon2id hash.
type phc struct {
	params    ArgonParams
	salt, key []byte
}

// parsePHC reads $argon2id$v=19$m=M,t=T,p=P$salt$key (unpadded standard base64), with bounds
// that keep a hostile stored value from costing more than a few times the default.
func parsePHC(s string) (phc, error) {
	bad := errors.New("auth: not an argon2id hash")
	parts := strings.Split(s, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" || parts[2] != "v=19" {
		return phc{}, bad
	}
	var out phc
	for i, kv := range strings.Split(parts[3], ",") {
		name, val, ok := strings.Cut(kv, "=")
		n, err := strconv.ParseUint(val, 10, 32)
		if !ok || err != nil || i > 2 || name != "mtp"[i:i+1] {
			return phc{}, bad
		}
		switch name {
		case "m":
			out.params.Memory = uint32(n)
		case "t":
			out.params.Time = uint32(n)
		case "p":
			if n > 255 {
				return phc{}, bad
			}
			out.params.Threads = uint8(n)
		}
	}
	p := out.params
	if p.Memory < 8 || p.Memory > 1<<20 || p.Time < 1 || p.Time > 10 || p.Threads < 1 || p.Threads > 16 {
		return phc{}, bad
	}
	var err1, err2 error
	out.salt, err1 = base64.RawStdEncoding.Strict().DecodeString(parts[4])
	out.key, err2 = base64.RawStdEncoding.Strict().DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(out.salt) < 8 || len(out.salt) > 64 || len(out.key) < 16 || len(out.key) > 64 {
		return phc{}, bad
	}
	return out, nil
}

//go:embed common_passwords.txt
var commonPasswordsFile string

// commonPasswords is the embedded list, lower-cased.
var commonPasswords = func() map[string]bool {
	m := map[string]bool{}
	sc := bufio.NewScanner(strings.NewReader(commonPasswordsFile))
	for sc.Scan() {
		if w := strings.TrimSpace(sc.Text()); w != "" && !strings.HasPrefix(w, "#") {
			m[strings.ToLower(w)] = true
		}
	}
	return m
}()

// CheckPasswordStrength refuses (ErrWeakPassword) a password shorter than MinPasswordLength
// characters, one on the common-password list (case-insensitively), or one equal to the email or
// its local part.
func CheckPasswordStrength(password, email string) error {
	if utf8.RuneCountInString(password) < MinPasswordLength || !utf8.ValidString(password) {
		return ErrWeakPassword
	}
	lower := strings.ToLower(password)
	if commonPasswords[lower] {
		return ErrWeakPassword
	}
	email = strings.ToLower(strings.TrimSpace(email))
	local, _, _ := strings.Cut(email, "@")
	if email != "" && (lower == email || lower == local) {
		return ErrWeakPassword
	}
	return nil
}

package auth

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/amanat/amn/auth/internal/authdb"
)

// PasswordConfig is email + password sign-in's settings.
type PasswordConfig struct {
	// CodeKey is the HMAC key that email codes are stored under (at least MinCodeKeyLen bytes; a
	// secret). Empty makes a random one, which is right only for tests and amn dev: codes issued
	// before a restart stop working.
	CodeKey []byte
	// Argon is the cost of new password hashes; zero is DefaultArgon.
	Argon ArgonParams
}

// passwordState is what the service keeps for passwords and codes.
type passwordState struct {
	hasher  *hasher
	codeKey []byte
	jobs    *river.Client[pgx.Tx] // inserts auth_email jobs; the worker works them
	// afterVerify, in tests, runs in Login between the password check and its transaction.
	afterVerify func()
}

func (s *Service) initPassword() error {
	c := s.cfg.Password
	if len(c.CodeKey) == 0 {
		c.CodeKey = make([]byte, MinCodeKeyLen)
		if _, err := rand.Read(c.CodeKey); err != nil {
			return err
		}
	}
	if len(c.CodeKey) < MinCodeKeyLen {
		return fmt.Errorf("auth: the code key has %d bytes, fewer than %d", len(c.CodeKey), MinCodeKeyLen)
	}
	h, err := newHasher(c.Argon)
	if err != nil {
		return err
	}
	jobs, err := river.NewClient(riverpgxv5.New(s.pool), &river.Config{})
	if err != nil {
		return fmt.Errorf("auth: an insert-only River client: %w", err)
	}
	s.pw = passwordState{hasher: h, codeKey: c.CodeKey, jobs: jobs}
	return nil
}

// Registration is a sign-up with email and password.
type Registration struct {
	Email, Password, DisplayName, Locale string
	Roles                                []Role // buyer and/or seller; none is buyer
	Referral                             string // the referral code the sign-up came with, if any (Config.SignedUp)
}

// Register creates an unverified account and mails it a verification code. An email that is
// taken gets a notice instead, and the caller learns nothing: the answer and the work (one
// password hash, one queued email) are the same. Only a weak password or a bad name is refused.
//
// An account whose email nobody has proved yet is anybody's: a sign-up over it replaces what the
// earlier one chose (password, name, locale, roles) and mails a new code, so that whoever
// registered the address first cannot keep a password on the account of its owner (and
// VerifyEmail keeps a password only when the verifier shows it). Two sign-ups at once for one
// email never fail: the later insert finds the earlier's account.
func (s *Service) Register(ctx context.Context, r Registration) error {
	email := normEmail(r.Email)
	if err := CheckPasswordStrength(r.Password, email); err != nil {
		return err
	}
	for _, role := range r.Roles {
		if role != RoleBuyer && role != RoleSeller {
			return ErrForbidden
		}
	}
	if len(r.Roles) == 0 {
		r.Roles = []Role{RoleBuyer}
	}
	if r.Locale == "" {
		r.Locale = "en"
	}
	// Checked before anything is read, so that a bad name is refused alike for a new and a taken
	// email (a database error on one path only would tell them apart).
	if !validDisplayName(r.DisplayName) || !localeRE.MatchString(r.Locale) {
		return ErrProfileInvalid
	}
	hash, err := s.pw.hasher.hash(r.Password)
	if err != nil {
		return err
	}
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		q := s.q.WithTx(tx)
		u, err := q.CreateUserIfNew(ctx, authdb.CreateUserIfNewParams{
			ID: uuid.New(), Email: &email, PasswordHash: &hash, Roles: roleStrings(r.Roles),
			DisplayName: r.DisplayName, Locale: r.Locale,
		})
		if errors.Is(err, pgx.ErrNoRows) {
			u, err = s.registerOver(ctx, tx, q, email, hash, r)
		} else if err != nil {
			err = wrapDB("create user", err)
		} else if s.cfg.SignedUp != nil {
			err = s.cfg.SignedUp(ctx, tx, u.ID, r.Referral)
		}
		if err != nil || u.ID == uuid.Nil {
			return err
		}
		return s.mailCode(ctx, tx, q, u.ID, email, u.Locale, CodeVerifyEmail)
	})
}

// registerOver is a sign-up for a taken email, in q's transaction: a verified account's owner is
// mailed a notice (and the zero user returned); an unverified account takes the new sign-up's
// password, name, locale and roles (an admin role it was given stays) and is returned, for a code.
func (s *Service) registerOver(ctx context.Context, tx pgx.Tx, q *authdb.Queries, email, hash string, r Registration) (authdb.User, error) {
	taken, err := q.UserByEmailForUpdate(ctx, email)
	if err != nil {
		return authdb.User{}, wrapDB("read user", err)
	}
	if taken.EmailVerifiedAt != nil {
		return authdb.User{}, s.queueMail(ctx, tx, EmailArgs{To: email, Locale: taken.Locale, Template: MailRegisterNotice})
	}
	rs := r.Roles
	if slices.Contains(taken.Roles, string(RoleAdmin)) {
		rs = append(slices.Clone(rs), RoleAdmin)
	}
	u, err := q.ReplaceRegistration(ctx, authdb.ReplaceRegistrationParams{
		PasswordHash: &hash, DisplayName: r.DisplayName, Locale: r.Locale, Roles: roleStrings(rs),
		Now: s.now(), ID: taken.ID,
	})
	if err != nil {
		return authdb.User{}, wrapDB("replace registration", err)
	}
	return u, nil
}

// mailCode issues a code and queues its email, in tx; past CodeMaxPerHour it does nothing.
func (s *Service) mailCode(ctx context.Context, tx pgx.Tx, q *authdb.Queries, userID uuid.UUID, email, locale string, purpose CodePurpose) error {
	code, exp, err := s.issueCode(ctx, q, userID, purpose)
	if errors.Is(err, errCodesCapped) {
		return nil // mails nothing; the answer is as always (it must not tell the account exists)
	}
	if err != nil {
		return err
	}
	tmpl := MailVerifyEmail
	if purpose == CodeResetPassword {
		tmpl = MailResetPassword
	}
	return s.queueMail(ctx, tx, EmailArgs{To: email, Locale: locale, Template: tmpl, Code: code, ExpiresAt: exp})
}

func (s *Service) queueMail(ctx context.Context, tx pgx.Tx, a EmailArgs) error {
	if _, err := s.pw.jobs.InsertTx(ctx, tx, a, nil); err != nil {
		return fmt.Errorf("auth: queue email: %w", err)
	}
	return nil
}

// ResendVerification mails a new verification code to an account that has not verified its
// email yet; for any other address it does nothing, and says nothing either way.
func (s *Service) ResendVerification(ctx context.Context, email string) error {
	return s.mailCodeIf(ctx, email, CodeVerifyEmail, func(u authdb.User) bool {
		return u.EmailVerifiedAt == nil && u.Status == string(StatusActive)
	})
}

// ForgotPassword mails a password-reset code to an active account with this email; for any
// other address it does nothing, and says nothing either way.
func (s *Service) ForgotPassword(ctx context.Context, email string) error {
	return s.mailCodeIf(ctx, email, CodeResetPassword, func(u authdb.User) bool {
		return u.Status == string(StatusActive)
	})
}

func (s *Service) mailCodeIf(ctx context.Context, email string, purpose CodePurpose, ok func(authdb.User) bool) error {
	email = normEmail(email)
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		q := s.q.WithTx(tx)
		u, err := q.UserByEmail(ctx, email)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		if err != nil {
			return wrapDB("read user", err)
		}
		if !ok(u) {
			return nil
		}
		return s.mailCode(ctx, tx, q, u.ID, email, u.Locale, purpose)
	})
}

// VerifyEmail checks a verification code, marks the email verified and signs the user in
// (method email_code). A wrong, expired, used or exhausted code, or an unknown email, is
// ErrCodeInvalid. password is what the verifier says the account's password is ("" for nothing);
// it matters only on the first verification (firstVerification).
func (s *Service) VerifyEmail(ctx context.Context, email, code, password string, c Client) (Session, error) {
	u, err := s.q.UserByEmail(ctx, normEmail(email))
	if errors.Is(err, pgx.ErrNoRows) {
		return Session{}, ErrCodeInvalid
	}
	if err != nil {
		return Session{}, wrapDB("read user", err)
	}
	var out Session
	err = s.useCode(ctx, u.ID, CodeVerifyEmail, code, func(q *authdb.Queries) error {
		if err := s.firstVerification(ctx, q, u.ID, password); err != nil {
			return err
		}
		if err := q.MarkEmailVerified(ctx, authdb.MarkEmailVerifiedParams{ID: u.ID, VerifiedAt: ptr(s.now())}); err != nil {
			return wrapDB("mark email verified", err)
		}
		out, err = s.startSession(ctx, q, u.ID, MethodEmailCode, c)
		return err
	})
	return out, err
}

// firstVerification is what proving an address for the first time does to its account, in the
// code's transaction (nothing when the address was proved before). Until then the account is
// anybody's: whoever registered the address first chose its password, and its owner, who proves
// it now with a code mailed to them (perhaps asked for with resend), may never have seen that
// password. So the password is kept only when the verifier sends it and it matches; otherwise it
// is removed, and the owner, signed in by the code, sets one. Every other way in set up before
// the proof is removed too — passkeys and external identities (Telegram, Google): an account
// imported from the legacy store may come with them, chosen by whoever registered the address
// there — and any session from before is revoked (reason email_verified). Checked only after the
// code matched: no argon2 work for a wrong code. A password reset proves the address as well and
// does the same (ResetPassword).
func (s *Service) firstVerification(ctx context.Context, q *authdb.Queries, userID uuid.UUID, password string) error {
	u, err := q.UserForUpdate(ctx, userID)
	if err != nil {
		return wrapDB("read user", err)
	}
	if u.EmailVerifiedAt != nil {
		return nil
	}
	if u.PasswordHash != nil {
		if ok := password != "" && s.checkPassword(*u.PasswordHash, password); !ok {
			if err := q.SetPasswordHash(ctx, authdb.SetPasswordHashParams{ID: userID, PasswordHash: nil}); err != nil {
				return wrapDB("remove password", err)
			}
		}
	}
	if _, err := q.DeletePasskeysOfUser(ctx, userID); err != nil {
		return wrapDB("remove passkeys", err)
	}
	if _, err := q.DeleteIdentitiesOfUser(ctx, userID); err != nil {
		return wrapDB("remove identities", err)
	}
	if _, err := q.RevokeUserSessions(ctx, authdb.RevokeUserSessionsParams{
		Now: s.now(), Reason: revokedEmailVerified, UserID: userID, Keep: uuid.Nil,
	}); err != nil {
		return wrapDB("revoke sessions", err)
	}
	return nil
}

// Login signs in with email and password. A wrong password and an unknown email (or an account
// without a password) are the same ErrInvalidCredentials after the same argon2 and bcrypt work
// (hasher.verify: an imported bcrypt account is not told apart by time); the right
// password of an unverified account is ErrEmailUnverified, of a banned one ErrBanned. An old
// hash (bcrypt, or weaker argon2id parameters) is replaced by a current one.
func (s *Service) Login(ctx context.Context, email, password string, c Client) (Session, error) {
	u, err := s.q.UserByEmail(ctx, normEmail(email))
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return Session{}, wrapDB("read user", err)
	}
	if err != nil || u.PasswordHash == nil {
		s.pw.hasher.verifyDummy(password)
		return Session{}, ErrInvalidCredentials
	}
	ok, rehash := s.pw.hasher.verify(*u.PasswordHash, password)
	if !ok {
		return Session{}, ErrInvalidCredentials
	}
	if u.EmailVerifiedAt == nil {
		return Session{}, ErrEmailUnverified
	}
	var newHash string
	if rehash {
		if newHash, err = s.pw.hasher.hash(password); err != nil {
			return Session{}, err
		}
	}
	if s.pw.afterVerify != nil {
		s.pw.afterVerify()
	}
	var out Session
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		q := s.q.WithTx(tx)
		if newHash != "" {
			// Only over the hash just verified: a password set since (a reset that committed
			// between the check and now) stays, and this sign-in with the old one is refused.
			n, err := q.UpgradePasswordHash(ctx, authdb.UpgradePasswordHashParams{ID: u.ID, NewHash: &newHash, OldHash: u.PasswordHash})
			if err != nil {
				return wrapDB("upgrade password hash", err)
			}
			if n == 0 {
				return ErrInvalidCredentials
			}
		}
		out, err = s.startSession(ctx, q, u.ID, MethodPassword, c)
		return err
	})
	return out, err
}

// ResetPassword sets a new password with a reset code and revokes every session of the user
// (reason password_changed). The code also proves the email, so it is marked verified.
func (s *Service) ResetPassword(ctx context.Context, email, code, newPassword string) error {
	email = normEmail(email)
	if err := CheckPasswordStrength(newPassword, email); err != nil {
		return err
	}
	u, err := s.q.UserByEmail(ctx, email)
	if errors.Is(err, pgx.ErrNoRows) {
		return ErrCodeInvalid
	}
	if err != nil {
		return wrapDB("read user", err)
	}
	return s.useCode(ctx, u.ID, CodeResetPassword, code, func(q *authdb.Queries) error {
		// The new password is hashed only once the code has matched: a refusal costs no argon2
		// run, for an unknown email as for a known one, so its timing tells nobody which it was.
		// The code's row stays locked meanwhile; a second try of it waits (and finds it used).
		hash, err := s.pw.hasher.hash(newPassword)
		if err != nil {
			return err
		}
		// The reset code proves the address: a first proof removes what was set up before it.
		if err := s.firstVerification(ctx, q, u.ID, ""); err != nil {
			return err
		}
		if err := q.MarkEmailVerified(ctx, authdb.MarkEmailVerifiedParams{ID: u.ID, VerifiedAt: ptr(s.now())}); err != nil {
			return wrapDB("mark email verified", err)
		}
		return s.setPassword(ctx, q, u.ID, hash, uuid.Nil)
	})
}

// ChangePassword sets the signed-in user's password; the current one is required when the
// account has one (wrong: ErrInvalidCredentials), and a recent sign-in when it has none (a first
// password is a new way in: ErrRecentSignInRequired). Every other session of the user is revoked.
func (s *Service) ChangePassword(ctx context.Context, p Principal, current *string, newPassword string) error {
	u, err := s.q.UserByID(ctx, p.UserID)
	if err != nil {
		return wrapDB("read user", err)
	}
	if u.PasswordHash == nil {
		if err := s.requireRecentSignIn(p); err != nil {
			return err
		}
	} else {
		if current == nil {
			return ErrInvalidCredentials
		}
		if ok, _ := s.pw.hasher.verify(*u.PasswordHash, *current); !ok {
			return ErrInvalidCredentials
		}
	}
	email := ""
	if u.Email != nil {
		email = *u.Email
	}
	if err := CheckPasswordStrength(newPassword, email); err != nil {
		return err
	}
	hash, err := s.pw.hasher.hash(newPassword)
	if err != nil {
		return err
	}
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		return s.setPassword(ctx, s.q.WithTx(tx), u.ID, hash, p.SessionID)
	})
}

// setPassword stores a new hash and revokes the user's sessions but keep.
func (s *Service) setPassword(ctx context.Context, q *authdb.Queries, userID uuid.UUID, hash string, keep uuid.UUID) error {
	if err := q.SetPasswordHash(ctx, authdb.SetPasswordHashParams{ID: userID, PasswordHash: &hash}); err != nil {
		return wrapDB("set password", err)
	}
	if _, err := q.RevokeUserSessions(ctx, authdb.RevokeUserSessionsParams{
		Now: s.now(), Reason: "password_changed", UserID: userID, Keep: keep,
	}); err != nil {
		return wrapDB("revoke sessions", err)
	}
	return nil
}

// checkPassword says whether password matches a stored hash (a failure costs an argon2 run).
func (s *Service) checkPassword(stored, password string) bool {
	ok, _ := s.pw.hasher.verify(stored, password)
	return ok
}

func normEmail(e string) string { return strings.ToLower(strings.TrimSpace(e)) }

package auth

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/amanat/amn/auth/internal/authdb"
)

// CodePurpose is what an email code is for.
type CodePurpose string

// The purposes of email codes.
const (
	CodeVerifyEmail   CodePurpose = "verify_email"
	CodeResetPassword CodePurpose = "reset_password"
)

const (
	// CodeTTL is how long an email code works.
	CodeTTL = 15 * time.Minute
	// CodeMaxAttempts is how many tries a code allows; the last wrong one kills it.
	CodeMaxAttempts = 5
	// CodeMaxPerHour is how many codes of one purpose a user is given in an hour; past it a
	// request for one (sign-up, resend, forgot) mails nothing, and answers as always.
	CodeMaxPerHour = 5
	// CodeMaxFailuresPerDay is how many wrong tries of a user's codes (any purpose, the codes given
	// in the last 24 hours) are allowed; past it every try, the right code's too, is
	// ErrCodeInvalid. With CodeMaxAttempts alone, asking for code after code would let a guesser
	// try without end; this bounds a guess to 20 in a million a day.
	CodeMaxFailuresPerDay = 20
	// MinCodeKeyLen is the fewest bytes of the key that codes are stored under.
	MinCodeKeyLen = 32
)

// newCode draws a 6-digit code uniformly from 000000..999999 (crypto/rand; rand.Int rejects
// rather than reduces modulo, so every code is equally likely).
func newCode() (string, error) {
	n, err := rand.Int(rand.Reader, big.NewInt(1_000_000))
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%06d", n.Int64()), nil
}

// codeHash is the stored form of a code: HMAC-SHA256 under the server's key, over the purpose,
// the user and the code, so that a stored hash works for nothing else and a copy of the table
// without the key cannot be searched through the million codes.
func (s *Service) codeHash(userID uuid.UUID, purpose CodePurpose, code string) []byte {
	m := hmac.New(sha256.New, s.pw.codeKey)
	m.Write([]byte(purpose))
	m.Write([]byte{0})
	m.Write(userID[:])
	m.Write([]byte(code))
	return m.Sum(nil)
}

// errCodesCapped: the user was given CodeMaxPerHour codes of the purpose in the last hour.
var errCodesCapped = errors.New("auth: codes capped")

// issueCode makes a new code for a user in q's transaction, which replaces their earlier ones of
// the same purpose (only the newest can be used), and returns it (to be mailed) with its expiry;
// errCodesCapped past CodeMaxPerHour. Codes older than a day are forgotten on the way.
func (s *Service) issueCode(ctx context.Context, q *authdb.Queries, userID uuid.UUID, purpose CodePurpose) (string, time.Time, error) {
	now := s.now()
	if err := q.DeleteOldCodes(ctx, authdb.DeleteOldCodesParams{UserID: userID, Before: now.Add(-24 * time.Hour)}); err != nil {
		return "", time.Time{}, wrapDB("delete old codes", err)
	}
	n, err := q.CodesIssuedSince(ctx, authdb.CodesIssuedSinceParams{UserID: userID, Purpose: string(purpose), Since: now.Add(-time.Hour)})
	if err != nil {
		return "", time.Time{}, wrapDB("count codes", err)
	}
	if n >= CodeMaxPerHour {
		return "", time.Time{}, errCodesCapped
	}
	code, err := newCode()
	if err != nil {
		return "", time.Time{}, err
	}
	exp := now.Add(CodeTTL)
	if err := q.CreateCode(ctx, authdb.CreateCodeParams{
		UserID: userID, Purpose: string(purpose), CodeHash: s.codeHash(userID, purpose, code), ExpiresAt: exp, CreatedAt: now,
	}); err != nil {
		return "", time.Time{}, wrapDB("create code", err)
	}
	return code, exp, nil
}

// useCode checks code against the user's newest code of purpose and, when it matches, marks it
// used and runs then in the same transaction. Every try counts, also a wrong one (its count is
// committed); a code replaced by a newer one, past its expiry, used, or tried CodeMaxAttempts
// times matches nothing, and nothing matches once the user's codes had CodeMaxFailuresPerDay
// wrong tries. A failure of then rolls back the whole try.
func (s *Service) useCode(ctx context.Context, userID uuid.UUID, purpose CodePurpose, code string, then func(q *authdb.Queries) error) error {
	matched := false
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		q := s.q.WithTx(tx)
		now := s.now()
		row, err := q.NewestCodeForUpdate(ctx, authdb.NewestCodeForUpdateParams{UserID: userID, Purpose: string(purpose)})
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		if err != nil {
			return wrapDB("read code", err)
		}
		if row.UsedAt != nil || !row.ExpiresAt.After(now) || row.Attempts >= CodeMaxAttempts {
			return nil
		}
		failed, err := q.FailedCodeTriesSince(ctx, authdb.FailedCodeTriesSinceParams{UserID: userID, Since: now.Add(-24 * time.Hour)})
		if err != nil {
			return wrapDB("count failed code tries", err)
		}
		if failed >= CodeMaxFailuresPerDay {
			return nil
		}
		matched = hmac.Equal(row.CodeHash, s.codeHash(userID, purpose, code))
		var usedAt *time.Time
		if matched {
			usedAt = &now
		}
		if err := q.CountCodeAttempt(ctx, authdb.CountCodeAttemptParams{ID: row.ID, UsedAt: usedAt}); err != nil {
			return wrapDB("count code attempt", err)
		}
		if !matched {
			return nil
		}
		return then(q)
	})
	if err != nil {
		return err
	}
	if !matched {
		return ErrCodeInvalid
	}
	return nil
}

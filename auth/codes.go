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

// issueCode makes a new code for a user in q's transaction, replacing their unused ones of the
// same purpose, and returns it (to be mailed) with its expiry.
func (s *Service) issueCode(ctx context.Context, q *authdb.Queries, userID uuid.UUID, purpose CodePurpose) (string, time.Time, error) {
	code, err := newCode()
	if err != nil {
		return "", time.Time{}, err
	}
	if err := q.DeleteUnusedCodes(ctx, authdb.DeleteUnusedCodesParams{UserID: userID, Purpose: string(purpose)}); err != nil {
		return "", time.Time{}, wrapDB("delete codes", err)
	}
	exp := s.now().Add(CodeTTL)
	if err := q.CreateCode(ctx, authdb.CreateCodeParams{
		UserID: userID, Purpose: string(purpose), CodeHash: s.codeHash(userID, purpose, code), ExpiresAt: exp,
	}); err != nil {
		return "", time.Time{}, wrapDB("create code", err)
	}
	return code, exp, nil
}

// useCode checks code against the user's live code of purpose and, when it matches, marks it
// used and runs then in the same transaction. Every try counts, also a wrong one (its count is
// committed); a code past its expiry, used, or tried CodeMaxAttempts times matches nothing. A
// failure of then rolls back the whole try.
func (s *Service) useCode(ctx context.Context, userID uuid.UUID, purpose CodePurpose, code string, then func(q *authdb.Queries) error) error {
	matched := false
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		q := s.q.WithTx(tx)
		now := s.now()
		row, err := q.LiveCodeForUpdate(ctx, authdb.LiveCodeForUpdateParams{
			UserID: userID, Purpose: string(purpose), Now: now, MaxAttempts: CodeMaxAttempts,
		})
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		if err != nil {
			return wrapDB("read code", err)
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

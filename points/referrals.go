package points

import (
	"context"
	"crypto/rand"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/amanat/amn/db"
)

// codeAlphabet is Crockford's base 32: no I, L, O or U to misread. 8 characters: 2⁴⁰ codes.
const codeAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

var codeRE = regexp.MustCompile(`^[0-9A-Z]{8}$`)

// NormalizeCode is a code as stored (upper case, trimmed), and whether it is well formed.
func NormalizeCode(code string) (string, bool) {
	c := strings.ToUpper(strings.TrimSpace(code))
	return c, codeRE.MatchString(c)
}

// Code is the user's referral code, made the first time it is asked for.
func (s *Service) Code(ctx context.Context, user uuid.UUID) (string, error) {
	for range 5 {
		var code string
		err := s.pool.QueryRow(ctx, codeOfUserSQL, user).Scan(&code)
		if err == nil {
			return code, nil
		}
		if !isNoRows(err) {
			return "", fmt.Errorf("points: code: %w", err)
		}
		_, err = s.pool.Exec(ctx, insertCodeSQL, user, newCode(), s.clock())
		switch {
		case db.IsUniqueViolation(err, "points_codes_code_key"): // another user's code: draw again
		case isForeignKey(err):
			return "", ErrUserNotFound
		case err != nil:
			return "", fmt.Errorf("points: code: %w", err)
		}
	}
	return "", fmt.Errorf("points: no free referral code after 5 draws")
}

func newCode() string {
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	for i := range b {
		b[i] = codeAlphabet[b[i]%32]
	}
	return string(b)
}

// Referrer is the user whose code this is; ok is false for a malformed or unknown code.
func (s *Service) Referrer(ctx context.Context, code string) (uuid.UUID, bool, error) {
	c, ok := NormalizeCode(code)
	if !ok {
		return uuid.Nil, false, nil
	}
	var u uuid.UUID
	err := s.pool.QueryRow(ctx, userOfCodeSQL, c).Scan(&u)
	if isNoRows(err) {
		return uuid.Nil, false, nil
	}
	if err != nil {
		return uuid.Nil, false, fmt.Errorf("points: code: %w", err)
	}
	return u, true, nil
}

// RecordReferral records, in the sign-up's transaction tx, that the new user came with code. A
// malformed or unknown code, the user's own, or a user referred before records nothing, and
// sign-up goes on. Past the referrer's daily limit the referral is recorded as over_limit: it
// will never earn. The reward itself waits for the new user's first completed deal.
func (s *Service) RecordReferral(ctx context.Context, tx pgx.Tx, referred uuid.UUID, code string) error {
	c, ok := NormalizeCode(code)
	if !ok {
		return nil
	}
	var referrer uuid.UUID
	err := tx.QueryRow(ctx, userOfCodeSQL, c).Scan(&referrer)
	if isNoRows(err) || referrer == referred {
		return nil
	}
	if err != nil {
		return fmt.Errorf("points: referral: %w", err)
	}
	if _, err := tx.Exec(ctx, lockReferrerSQL, referrer); err != nil {
		return fmt.Errorf("points: referral: %w", err)
	}
	now := s.clock()
	var today int
	if err := tx.QueryRow(ctx, referralsSinceSQL, referrer, now.Truncate(24*time.Hour)).Scan(&today); err != nil {
		return fmt.Errorf("points: referral: %w", err)
	}
	status := "pending"
	if today >= s.cfg.ReferralsPerDay {
		status = "over_limit"
	}
	if _, err := tx.Exec(ctx, insertReferralSQL, referred, referrer, status, now); err != nil {
		return fmt.Errorf("points: referral: %w", err)
	}
	return nil
}

// Referral is a user someone referred.
type Referral struct {
	User       uuid.UUID
	Status     string // pending (no completed deal yet), rewarded, over_limit (past the daily limit)
	CreatedAt  time.Time
	RewardedAt *time.Time
}

// ReferralPage is where a list of referrals resumes: after the last one read.
type ReferralPage struct {
	Limit int
	After *Referral
}

// Referrals lists the users referrer referred, newest first.
func (s *Service) Referrals(ctx context.Context, referrer uuid.UUID, p ReferralPage) ([]Referral, error) {
	if p.Limit <= 0 || p.Limit > 101 {
		return nil, fmt.Errorf("%w: limit %d", ErrInvalid, p.Limit)
	}
	var at *time.Time
	var id uuid.UUID
	if p.After != nil {
		at, id = &p.After.CreatedAt, p.After.User
	}
	rows, err := s.pool.Query(ctx, referralsOfSQL, referrer, at, id, p.Limit)
	if err != nil {
		return nil, fmt.Errorf("points: referrals: %w", err)
	}
	defer rows.Close()
	out := []Referral{}
	for rows.Next() {
		var r Referral
		if err := rows.Scan(&r.User, &r.Status, &r.CreatedAt, &r.RewardedAt); err != nil {
			return nil, fmt.Errorf("points: referrals: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

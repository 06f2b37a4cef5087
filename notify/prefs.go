package notify

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/url"
	"strings"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/amanat/amn/db"
)

// Pref is whether a user gets one kind by email. An essential kind is always on.
type Pref struct {
	Kind      Kind
	Email     bool
	Essential bool
}

// Preferences lists user's email preference for every kind that goes by email.
func (s *Service) Preferences(ctx context.Context, user uuid.UUID) ([]Pref, error) {
	rows, err := s.pool.Query(ctx, userPrefs, user)
	if err != nil {
		return nil, err
	}
	off := map[Kind]bool{}
	for rows.Next() {
		var k string
		var email bool
		if err := rows.Scan(&k, &email); err != nil {
			rows.Close()
			return nil, err
		}
		off[Kind(k)] = !email
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]Pref, 0, len(EmailKinds()))
	for _, k := range EmailKinds() {
		out = append(out, Pref{Kind: k, Essential: k.Essential(), Email: k.Essential() || !off[k]})
	}
	return out, nil
}

// SetPreferences records user's choices (kind → by email or not) in one transaction. An unknown
// kind, or one that does not go by email, is ErrInvalid; turning an essential kind off is
// ErrEssential (turning it on is accepted and changes nothing).
func (s *Service) SetPreferences(ctx context.Context, user uuid.UUID, email map[Kind]bool) ([]Pref, error) {
	for k, on := range email {
		if !k.Emailed() {
			return nil, fmt.Errorf("%w: %q does not go by email", ErrInvalid, k)
		}
		if k.Essential() && !on {
			return nil, fmt.Errorf("%w (%s)", ErrEssential, k)
		}
	}
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		for k, on := range email {
			if k.Essential() {
				continue
			}
			if _, err := tx.Exec(ctx, setPref, user, string(k), on, s.clock()); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.Preferences(ctx, user)
}

// Unsubscribe turns the kind a one-click unsubscribe token names off by email for the user it
// names (RFC 8058: no sign-in, the token is the proof). A forged, tampered or malformed token is
// ErrBadToken; running it again changes nothing.
func (s *Service) Unsubscribe(ctx context.Context, token string) (uuid.UUID, Kind, error) {
	user, k, err := s.checkToken(token)
	if err != nil {
		return uuid.Nil, "", err
	}
	_, err = s.pool.Exec(ctx, setPref, user, string(k), false, s.clock())
	return user, k, err
}

// CheckUnsubscribe says which kind a token would turn off, changing nothing (the page a person
// opening the link sees). A bad token is ErrBadToken.
func (s *Service) CheckUnsubscribe(token string) (Kind, error) {
	_, k, err := s.checkToken(token)
	return k, err
}

// tokenContext separates these MACs from any other use of the key.
const tokenContext = "amn-notify-unsubscribe\x00"

// MaxToken bounds an unsubscribe token's length.
const MaxToken = 200

// b64 is strict: one token has one spelling (no variants in the last character's unused bits).
var b64 = base64.RawURLEncoding.Strict()

// UnsubscribeToken is the token that turns kind off by email for user: base64url(user ‖ kind),
// a dot, and base64url(HMAC-SHA256(key, context ‖ user ‖ kind)). Only a non-essential kind that
// goes by email has one.
func (s *Service) UnsubscribeToken(user uuid.UUID, k Kind) (string, error) {
	if len(s.cfg.UnsubscribeKey) == 0 {
		return "", ErrNoUnsubKey
	}
	if !k.Emailed() || k.Essential() {
		return "", fmt.Errorf("%w: %s cannot be unsubscribed from", ErrInvalid, k)
	}
	payload := append(user[:], k...)
	return b64.EncodeToString(payload) + "." + b64.EncodeToString(s.mac(payload)), nil
}

// UnsubscribeURL is the link a mail's List-Unsubscribe header carries.
func (s *Service) UnsubscribeURL(user uuid.UUID, k Kind) (string, error) {
	t, err := s.UnsubscribeToken(user, k)
	if err != nil {
		return "", err
	}
	return strings.TrimRight(s.cfg.APIURL, "/") + "/v1/notifications/unsubscribe?token=" + url.QueryEscape(t), nil
}

func (s *Service) mac(payload []byte) []byte {
	m := hmac.New(sha256.New, s.cfg.UnsubscribeKey)
	m.Write([]byte(tokenContext))
	m.Write(payload)
	return m.Sum(nil)
}

// checkToken reads and verifies a token made by UnsubscribeToken.
func (s *Service) checkToken(token string) (uuid.UUID, Kind, error) {
	if len(s.cfg.UnsubscribeKey) == 0 {
		return uuid.Nil, "", ErrNoUnsubKey
	}
	if len(token) > MaxToken {
		return uuid.Nil, "", ErrBadToken
	}
	p, m, ok := strings.Cut(token, ".")
	if !ok {
		return uuid.Nil, "", ErrBadToken
	}
	payload, err1 := b64.DecodeString(p)
	sum, err2 := b64.DecodeString(m)
	// One spelling per token: Go's base64 decoders skip \r and \n, so a token is taken only
	// as it encodes again (fuzzing found a newline inside an accepted token).
	if err1 != nil || err2 != nil || b64.EncodeToString(payload) != p || b64.EncodeToString(sum) != m {
		return uuid.Nil, "", ErrBadToken
	}
	if len(payload) <= 16 || !hmac.Equal(sum, s.mac(payload)) {
		return uuid.Nil, "", ErrBadToken
	}
	user, k := uuid.UUID(payload[:16]), Kind(payload[16:])
	if !k.Emailed() || k.Essential() {
		return uuid.Nil, "", ErrBadToken // signed by us, yet never issued: refuse it all the same
	}
	return user, k, nil
}

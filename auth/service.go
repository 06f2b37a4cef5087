package auth

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/go-webauthn/webauthn/webauthn"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/amanat/amn/auth/internal/authdb"
)

// Config is what the auth service needs besides its database.
type Config struct {
	// Issuer and Audience go into every access token and are checked on every request.
	Issuer, Audience string
	// Keys sign and verify access tokens.
	Keys *KeySet
	// AccessTTL bounds how long an access token works (and so how long a revoked session's token
	// could work if the session check were skipped); RefreshTTL bounds a session without use.
	AccessTTL, RefreshTTL time.Duration
	// Telegram is Telegram sign-in's settings (telegram.go).
	Telegram TelegramConfig
	// SIWE is what linking a wallet checks (wallets.go).
	SIWE SIWEConfig
	// Now is the clock (tests move it); nil is time.Now.
	Now func() time.Time
	// Passkeys is the WebAuthn relying party (passkeys.go).
	Passkeys PasskeyConfig
	// Google is the Google sign-in client (google.go).
	Google GoogleConfig
	// Password is email + password sign-in's settings (password.go).
	Password PasswordConfig
	// SignedUp, if set, runs in the sign-up's transaction for each account Register creates, with
	// the referral code the sign-up came with ("" for none): package points records the referral
	// there. An error rolls the sign-up back.
	SignedUp func(ctx context.Context, tx pgx.Tx, user uuid.UUID, referral string) error
}

// Defaults for the token lifetimes.
const (
	DefaultAccessTTL  = 10 * time.Minute
	DefaultRefreshTTL = 30 * 24 * time.Hour
)

// Service signs people in and checks who they are.
type Service struct {
	pool *pgxpool.Pool
	q    *authdb.Queries
	cfg  Config

	webauthn *webauthn.WebAuthn // passkeys.go
	google   *googleVerifier    // google.go
	pw       passwordState      // password.go
}

// New returns the service; pool works as the amn_api role.
func New(pool *pgxpool.Pool, cfg Config) (*Service, error) {
	if cfg.Keys == nil {
		return nil, errors.New("auth: no signing keys")
	}
	if cfg.Issuer == "" || cfg.Audience == "" {
		return nil, errors.New("auth: issuer and audience are required")
	}
	if cfg.AccessTTL <= 0 {
		cfg.AccessTTL = DefaultAccessTTL
	}
	if cfg.RefreshTTL <= 0 {
		cfg.RefreshTTL = DefaultRefreshTTL
	}
	cfg.SIWE.defaults()
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	s := &Service{pool: pool, q: authdb.New(pool), cfg: cfg}
	var err error
	if s.webauthn, err = newWebAuthn(cfg.Passkeys); err != nil {
		return nil, err
	}
	if s.google, err = newGoogleVerifier(cfg.Google, s.now); err != nil {
		return nil, err
	}
	if err := s.initPassword(); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *Service) now() time.Time { return s.cfg.Now().UTC() }

// JWKS is the public keys that verify access tokens.
func (s *Service) JWKS() any { return s.cfg.Keys.JWKS() }

func wrapDB(op string, err error) error { return fmt.Errorf("auth: %s: %w", op, err) }

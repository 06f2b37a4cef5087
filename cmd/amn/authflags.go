package main

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/spf13/pflag"

	"github.com/amanat/amn/auth"
	"github.com/amanat/amn/config"
)

// authOptions are the API's sign-in settings. Each sign-in method adds its own settings here.
type authOptions struct {
	KeysFile  string
	Issuer    string
	Audience  string
	AccessTTL time.Duration
	Telegram  auth.TelegramConfig
	SIWE      auth.SIWEConfig

	// Passkeys: the WebAuthn relying party.
	WebAuthnRPID    string
	WebAuthnRPName  string
	WebAuthnOrigins []string
	// Google sign-in: the client ids whose ID tokens are accepted (none: off) and Google's keys.
	GoogleClientIDs []string
	GoogleJWKSURL   string
	CodeKey         string // --auth-code-key: the key email codes are stored under (a secret)
}

func (o *authOptions) addFlags(fs *pflag.FlagSet) {
	fs.StringVar(&o.KeysFile, "auth-keys-file", "", "PEM file of the P-256 keys that sign access tokens, the signing key first (rotation: put a new key first, keep the old one until its tokens expire)")
	fs.StringVar(&o.Issuer, "auth-issuer", "amn", "the access tokens' issuer (iss)")
	fs.StringVar(&o.Audience, "auth-audience", "amn-api", "the access tokens' audience (aud)")
	fs.DurationVar(&o.AccessTTL, "auth-access-ttl", auth.DefaultAccessTTL, "how long an access token works")
	fs.StringVar(&o.Telegram.BotToken, "telegram-bot-token", "", "the Telegram bot's token, which checks Mini App initData and Login Widget data (secret; empty turns Telegram sign-in off)")
	fs.DurationVar(&o.Telegram.InitDataMaxAge, "telegram-initdata-max-age", auth.DefaultTelegramInitDataMaxAge, "how old a Mini App's initData may be (its auth_date)")
	fs.StringVar(&o.SIWE.Domain, "siwe-domain", auth.DefaultSIWEDomain, "the domain a Sign-In with Ethereum message must name to link a wallet (the frontend's host)")
	fs.StringVar(&o.SIWE.URI, "siwe-uri", auth.DefaultSIWEURI, "the URI a Sign-In with Ethereum message must name (the frontend's origin)")
	fs.Int64SliceVar(&o.SIWE.ChainIDs, "siwe-chain-ids", nil, "the chain ids a Sign-In with Ethereum message may name (default: the built-in chains 1, 56, 137)")
	fs.DurationVar(&o.Telegram.WidgetMaxAge, "telegram-widget-max-age", auth.DefaultTelegramWidgetMaxAge, "how old Login Widget data may be (its auth_date)")
	fs.StringVar(&o.WebAuthnRPID, "webauthn-rp-id", auth.DefaultPasskeyRPID, "passkeys' relying party id: the site's domain (each origin's host or a parent of it)")
	fs.StringVar(&o.WebAuthnRPName, "webauthn-rp-name", auth.DefaultPasskeyRPName, "passkeys' relying party name, shown by authenticators")
	fs.StringSliceVar(&o.WebAuthnOrigins, "webauthn-origins", auth.DefaultPasskeyOrigins, "web origins allowed to use passkeys, comma-separated (https://amn.example)")
	fs.StringSliceVar(&o.GoogleClientIDs, "google-client-ids", nil, "OAuth client ids whose Google ID tokens are accepted, comma-separated; none turns Google sign-in off")
	fs.StringVar(&o.GoogleJWKSURL, "google-jwks-url", auth.DefaultGoogleJWKSURL, "where Google's ID-token signing keys are served")
	fs.StringVar(&o.CodeKey, "auth-code-key", "", "secret key (at least 32 bytes, e.g. from openssl rand -hex 32) that email codes are stored under (HMAC)")
}

func (o *authOptions) Validate() error {
	if o.KeysFile == "" {
		return fmt.Errorf("%w: --auth-keys-file (%s) is required (make one with `openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256`)", config.ErrInvalid, config.Env("auth-keys-file"))
	}
	if len(o.CodeKey) < auth.MinCodeKeyLen {
		return fmt.Errorf("%w: --auth-code-key (%s) must have at least %d bytes (`openssl rand -hex 32`)", config.ErrInvalid, config.Env("auth-code-key"), auth.MinCodeKeyLen)
	}
	if o.AccessTTL < time.Minute || o.AccessTTL > time.Hour {
		return fmt.Errorf("%w: --auth-access-ttl (%s) must be between 1m and 1h", config.ErrInvalid, config.Env("auth-access-ttl"))
	}
	if o.Telegram.InitDataMaxAge <= 0 || o.Telegram.WidgetMaxAge <= 0 {
		return fmt.Errorf("%w: --telegram-initdata-max-age and --telegram-widget-max-age must be positive", config.ErrInvalid)
	}
	return o.validatePasskeys()
}

// validatePasskeys checks that every origin is a web origin whose host is the RP ID or under it
// (browsers refuse a ceremony otherwise, so a typo would break every passkey).
func (o *authOptions) validatePasskeys() error {
	for _, origin := range o.WebAuthnOrigins {
		u, err := url.Parse(origin)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.Path != "" {
			return fmt.Errorf("%w: --webauthn-origins (%s): %q is not an origin like https://amn.example", config.ErrInvalid, config.Env("webauthn-origins"), origin)
		}
		if h := u.Hostname(); h != o.WebAuthnRPID && !strings.HasSuffix(h, "."+o.WebAuthnRPID) {
			return fmt.Errorf("%w: --webauthn-rp-id (%s) %q is not %s's host or a parent of it", config.ErrInvalid, config.Env("webauthn-rp-id"), o.WebAuthnRPID, origin)
		}
	}
	return nil
}

// config reads the keys file and returns the service's configuration.
func (o *authOptions) config() (auth.Config, error) {
	pem, err := os.ReadFile(o.KeysFile)
	if err != nil {
		return auth.Config{}, fmt.Errorf("%w: --auth-keys-file: %v", config.ErrInvalid, err)
	}
	keys, err := auth.ParseKeys(pem)
	if err != nil {
		return auth.Config{}, fmt.Errorf("%w: --auth-keys-file: %v", config.ErrInvalid, err)
	}
	return auth.Config{
		Issuer: o.Issuer, Audience: o.Audience, Keys: keys, AccessTTL: o.AccessTTL,
		Telegram: o.Telegram, SIWE: o.SIWE,
		Passkeys: auth.PasskeyConfig{RPID: o.WebAuthnRPID, RPDisplayName: o.WebAuthnRPName, Origins: o.WebAuthnOrigins},
		Google:   auth.GoogleConfig{ClientIDs: o.GoogleClientIDs, JWKSURL: o.GoogleJWKSURL},
		Password: auth.PasswordConfig{CodeKey: []byte(o.CodeKey)},
	}, nil
}

// newAuth builds the sign-in service on the API's pool; signedUp (points.RecordReferral) records
// each sign-up's referral code in its transaction.
func (o *authOptions) newAuth(pool *pgxpool.Pool, signedUp func(context.Context, pgx.Tx, uuid.UUID, string) error) (*auth.Service, error) {
	cfg, err := o.config()
	if err != nil {
		return nil, err
	}
	cfg.SignedUp = signedUp
	return auth.New(pool, cfg)
}

// mailOptions are the worker's settings for sign-in email (auth_email jobs).
type mailOptions struct {
	SMTPURL  string
	MailFrom string
}

func (o *mailOptions) addFlags(fs *pflag.FlagSet) {
	fs.StringVar(&o.SMTPURL, "smtp-url", "", "SMTP server for sign-in email: smtp://user:pass@host:587 (STARTTLS) or smtps://user:pass@host:465; empty leaves auth_email jobs retrying")
	fs.StringVar(&o.MailFrom, "mail-from", "Amn <no-reply@localhost>", "sender of sign-in email")
}

// mailer is the worker's mailer, or nil without --smtp-url.
func (o *mailOptions) mailer() (*auth.Mailer, error) {
	if o.SMTPURL == "" {
		return nil, nil
	}
	m, err := auth.NewMailer(auth.MailConfig{SMTPURL: o.SMTPURL, From: o.MailFrom})
	if err != nil {
		return nil, fmt.Errorf("%w: --smtp-url/--mail-from: %v", config.ErrInvalid, err)
	}
	return m, nil
}

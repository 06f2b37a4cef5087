package main

import (
	"fmt"
	"os"
	"time"

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
	CodeKey   string // --auth-code-key: the key email codes are stored under (a secret)
}

func (o *authOptions) addFlags(fs *pflag.FlagSet) {
	fs.StringVar(&o.KeysFile, "auth-keys-file", "", "PEM file of the P-256 keys that sign access tokens, the signing key first (rotation: put a new key first, keep the old one until its tokens expire)")
	fs.StringVar(&o.Issuer, "auth-issuer", "amn", "the access tokens' issuer (iss)")
	fs.StringVar(&o.Audience, "auth-audience", "amn-api", "the access tokens' audience (aud)")
	fs.DurationVar(&o.AccessTTL, "auth-access-ttl", auth.DefaultAccessTTL, "how long an access token works")
	fs.StringVar(&o.CodeKey, "auth-code-key", "", "secret key (at least 32 bytes, e.g. `openssl rand -hex 32`) that email codes are stored under (HMAC)")
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
	return auth.Config{Issuer: o.Issuer, Audience: o.Audience, Keys: keys, AccessTTL: o.AccessTTL,
		Password: auth.PasswordConfig{CodeKey: []byte(o.CodeKey)}}, nil
}

// newAuth builds the sign-in service on the API's pool.
func (o *authOptions) newAuth(pool *pgxpool.Pool) (*auth.Service, error) {
	cfg, err := o.config()
	if err != nil {
		return nil, err
	}
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

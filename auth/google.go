package auth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/amanat/amn/auth/internal/authdb"
	"github.com/amanat/amn/kind"
)

// GoogleConfig is the Google sign-in client.
type GoogleConfig struct {
	// ClientIDs are the OAuth client ids whose ID tokens are accepted (the token's `aud`). Empty
	// turns Google sign-in off (ErrGoogleOff).
	ClientIDs []string
	// JWKSURL serves Google's signing keys. Empty is DefaultGoogleJWKSURL.
	JWKSURL string
	// HTTPClient fetches the keys; nil is a client with a 10-second timeout.
	HTTPClient *http.Client
}

// DefaultGoogleJWKSURL is where Google publishes the keys that sign its ID tokens.
const DefaultGoogleJWKSURL = "https://www.googleapis.com/oauth2/v3/certs"

// googleIssuer is the ID tokens' issuer; go-oidc also accepts "accounts.google.com", which
// Google uses too.
const googleIssuer = "https://accounts.google.com"

// maxGoogleToken bounds an ID token (real ones are about 1 KiB).
const maxGoogleToken = 4096

// ErrGoogleOff: no Google client id is configured.
var ErrGoogleOff = kind.New(kind.Unavailable, "Google sign-in is not configured")

// GoogleIdentity is what a verified ID token says of its Google account.
type GoogleIdentity struct {
	Subject       string
	Email         string // lower case; "" if the token has none
	EmailVerified bool
	Name, Picture string
}

// googleVerifier checks ID tokens: RS256 signature by a key of the JWKS, issuer, expiry, and an
// audience among the client ids.
type googleVerifier struct {
	clientIDs []string
	v         *oidc.IDTokenVerifier
}

func newGoogleVerifier(c GoogleConfig, now func() time.Time) (*googleVerifier, error) {
	if len(c.ClientIDs) == 0 {
		return &googleVerifier{}, nil
	}
	jwks := c.JWKSURL
	if jwks == "" {
		jwks = DefaultGoogleJWKSURL
	}
	if u, err := url.Parse(jwks); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, fmt.Errorf("auth: Google JWKS URL %q is not an http(s) URL", jwks)
	}
	client := c.HTTPClient
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	keys := oidc.NewRemoteKeySet(oidc.ClientContext(context.Background(), client), jwks)
	return &googleVerifier{
		clientIDs: slices.Clone(c.ClientIDs),
		v: oidc.NewVerifier(googleIssuer, keys, &oidc.Config{
			SkipClientIDCheck:    true, // checked against the list below
			SupportedSigningAlgs: []string{oidc.RS256},
			Now:                  now,
		}),
	}, nil
}

// googleClaims are the ID token's claims we read. email_verified is a boolean, or in some older
// tokens the string "true".
type googleClaims struct {
	Email         string          `json:"email"`
	EmailVerified json.RawMessage `json:"email_verified"`
	Name          string          `json:"name"`
	Picture       string          `json:"picture"`
}

// verify checks an ID token and returns its identity; any failure is ErrGoogleToken (the reason
// stays out of the answer).
func (g *googleVerifier) verify(ctx context.Context, raw string) (GoogleIdentity, error) {
	if g.v == nil {
		return GoogleIdentity{}, ErrGoogleOff
	}
	if raw == "" || len(raw) > maxGoogleToken {
		return GoogleIdentity{}, ErrGoogleToken
	}
	tok, err := g.v.Verify(ctx, raw)
	if err != nil {
		return GoogleIdentity{}, ErrGoogleToken
	}
	if !slices.ContainsFunc(tok.Audience, func(a string) bool { return slices.Contains(g.clientIDs, a) }) {
		return GoogleIdentity{}, ErrGoogleToken
	}
	if tok.Subject == "" || len(tok.Subject) > 255 {
		return GoogleIdentity{}, ErrGoogleToken
	}
	var c googleClaims
	if err := tok.Claims(&c); err != nil {
		return GoogleIdentity{}, ErrGoogleToken
	}
	verified := string(c.EmailVerified) == "true" || string(c.EmailVerified) == `"true"`
	if !plainText(c.Email, false) {
		c.Email = "" // no address of ours holds control characters: none is named
	}
	return GoogleIdentity{
		Subject: tok.Subject, Email: strings.ToLower(strings.TrimSpace(c.Email)),
		EmailVerified: verified, Name: c.Name, Picture: c.Picture,
	}, nil
}

// VerifyGoogleToken checks a Google ID token without signing anyone in.
func (s *Service) VerifyGoogleToken(ctx context.Context, idToken string) (GoogleIdentity, error) {
	return s.google.verify(ctx, idToken)
}

// SignInWithGoogle signs in with a Google ID token. The account is the one the Google account is
// linked to; else the account with the token's email, which is linked now, only if the token
// says the email is verified (and the account's email is verified too, else ErrEmailUnverified:
// someone who registered the address without proving it must not gain a Google sign-in); else a
// new account with the verified email and no password. A token without a verified email signs in
// only to an account it is already linked to.
func (s *Service) SignInWithGoogle(ctx context.Context, idToken string, c Client) (Session, error) {
	id, err := s.google.verify(ctx, idToken)
	if err != nil {
		return Session{}, err
	}
	var out Session
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		q := s.q.WithTx(tx)
		userID, err := q.GoogleIdentityOwner(ctx, id.Subject)
		if errors.Is(err, pgx.ErrNoRows) {
			userID, err = s.googleAccount(ctx, q, id)
		}
		if err != nil {
			return wrapIfDB("read Google identity", err)
		}
		out, err = s.startSession(ctx, q, userID, MethodGoogle, c)
		return err
	})
	return out, err
}

// googleAccount finds or makes the account for a Google account not linked yet, and links it.
func (s *Service) googleAccount(ctx context.Context, q *authdb.Queries, id GoogleIdentity) (uuid.UUID, error) {
	if id.Email == "" || !id.EmailVerified {
		return uuid.Nil, ErrGoogleToken
	}
	var userID uuid.UUID
	row, err := q.UserByEmail(ctx, id.Email)
	switch {
	case err == nil && row.EmailVerifiedAt == nil:
		return uuid.Nil, ErrEmailUnverified
	case err == nil:
		userID = row.ID
	case errors.Is(err, pgx.ErrNoRows):
		u, err := s.createUser(ctx, q, NewUser{
			Email: id.Email, EmailVerified: true, Roles: []Role{RoleBuyer},
			DisplayName: truncateRunes(cleanText(id.Name), 80),
		})
		if err != nil {
			return uuid.Nil, err
		}
		userID = u.ID
	default:
		return uuid.Nil, wrapDB("read user", err)
	}
	return userID, s.linkGoogle(ctx, q, userID, id)
}

// LinkGoogle links a Google account to a signed-in user (signed in recently:
// ErrRecentSignInRequired); one linked to another user is ErrIdentityTaken. Linking needs no
// verified email: the caller has proved both accounts.
func (s *Service) LinkGoogle(ctx context.Context, p Principal, idToken string) error {
	if err := s.requireRecentSignIn(p); err != nil {
		return err
	}
	id, err := s.google.verify(ctx, idToken)
	if err != nil {
		return err
	}
	return s.linkGoogle(ctx, s.q, p.UserID, id)
}

func (s *Service) linkGoogle(ctx context.Context, q *authdb.Queries, userID uuid.UUID, id GoogleIdentity) error {
	profile, err := json.Marshal(map[string]string{"name": cleanText(id.Name), "picture": cleanText(id.Picture)})
	if err != nil {
		return err
	}
	var email *string
	if id.Email != "" {
		email = &id.Email
	}
	_, err = q.LinkGoogleIdentity(ctx, authdb.LinkGoogleIdentityParams{
		Subject: id.Subject, UserID: userID, Email: email, Profile: profile,
	})
	if errors.Is(err, pgx.ErrNoRows) { // linked before: to this user is fine
		owner, err := q.GoogleIdentityOwner(ctx, id.Subject)
		if err != nil {
			return wrapDB("read Google identity", err)
		}
		if owner != userID {
			return ErrIdentityTaken
		}
		return nil
	}
	if err != nil {
		return wrapDB("link Google identity", err)
	}
	return nil
}

// wrapIfDB wraps err as a database error unless it is one of the domain's (kind) errors.
func wrapIfDB(op string, err error) error {
	if kind.Of(err) != "" {
		return err
	}
	return wrapDB(op, err)
}

// truncateRunes cuts s to at most n characters (not bytes, so UTF-8 stays whole).
func truncateRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n])
}

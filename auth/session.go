package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"slices"
	"time"
	"unicode/utf8"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/amanat/amn/auth/internal/authdb"
	"github.com/amanat/amn/kind"
)

// Client is what the API knows of the device that signs in, kept on its session.
type Client struct {
	UserAgent, IP string
}

// Session is a signed-in session's tokens and its user.
type Session struct {
	ID                    uuid.UUID
	AccessToken           string
	AccessTokenExpiresAt  time.Time
	RefreshToken          string
	RefreshTokenExpiresAt time.Time
	User                  User
}

// Principal is who an authenticated request speaks for, as the database says now (not as the
// token said when it was issued).
type Principal struct {
	UserID    uuid.UUID
	SessionID uuid.UUID
	Roles     []Role
	// SignedInAt is when the session was signed in (refreshing it does not move it).
	SignedInAt time.Time
	// ExpiresAt is when the access token stops working (a WebSocket closes then).
	ExpiresAt time.Time
}

// HasRole says whether p has role r.
func (p Principal) HasRole(r Role) bool { return slices.Contains(p.Roles, r) }

// claims are an access token's: the standard ones and the session id.
type claims struct {
	jwt.RegisteredClaims
	SessionID string `json:"sid"`
}

// StartSession opens a session for a user who has just proved who they are by method, and issues
// its first tokens. Every sign-in method ends here. A banned user gets ErrBanned.
func (s *Service) StartSession(ctx context.Context, userID uuid.UUID, method Method, c Client) (Session, error) {
	var out Session
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var err error
		out, err = s.startSession(ctx, s.q.WithTx(tx), userID, method, c)
		return err
	})
	return out, err
}

// startSession is StartSession in the caller's transaction.
func (s *Service) startSession(ctx context.Context, q *authdb.Queries, userID uuid.UUID, method Method, c Client) (Session, error) {
	u, err := s.user(ctx, q, userID)
	if err != nil {
		return Session{}, err
	}
	if u.Status != StatusActive {
		return Session{}, ErrBanned
	}
	id := uuid.New()
	now := s.now()
	if err := q.CreateSession(ctx, authdb.CreateSessionParams{
		ID: id, UserID: userID, Method: string(method), SignedInAt: now,
		UserAgent: clientText(c.UserAgent, 300), Ip: clientText(c.IP, 64), ExpiresAt: now.Add(s.cfg.RefreshTTL),
	}); err != nil {
		return Session{}, wrapDB("create session", err)
	}
	out := Session{ID: id, User: u}
	if err := s.issue(ctx, q, &out, now); err != nil {
		return Session{}, err
	}
	return out, nil
}

// issue fills in a new access token and a new refresh token for session out.ID.
func (s *Service) issue(ctx context.Context, q *authdb.Queries, out *Session, now time.Time) error {
	refresh, hash, err := newRefreshToken()
	if err != nil {
		return err
	}
	out.RefreshToken, out.RefreshTokenExpiresAt = refresh, now.Add(s.cfg.RefreshTTL)
	if err := q.CreateRefreshToken(ctx, authdb.CreateRefreshTokenParams{
		TokenHash: hash, SessionID: out.ID, ExpiresAt: out.RefreshTokenExpiresAt,
	}); err != nil {
		return wrapDB("create refresh token", err)
	}
	out.AccessToken, out.AccessTokenExpiresAt, err = s.accessToken(out.User.ID, out.ID, now)
	return err
}

// accessToken signs an access token for a user's session.
func (s *Service) accessToken(userID, sessionID uuid.UUID, now time.Time) (string, time.Time, error) {
	exp := now.Add(s.cfg.AccessTTL)
	k := s.cfg.Keys.signer()
	t := jwt.NewWithClaims(jwt.SigningMethodES256, claims{
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer: s.cfg.Issuer, Audience: jwt.ClaimStrings{s.cfg.Audience}, Subject: userID.String(),
			IssuedAt: jwt.NewNumericDate(now), NotBefore: jwt.NewNumericDate(now), ExpiresAt: jwt.NewNumericDate(exp),
			ID: uuid.NewString(),
		},
		SessionID: sessionID.String(),
	})
	t.Header["kid"] = k.id
	signed, err := t.SignedString(k.key)
	return signed, exp, err
}

// refreshTokenPrefix marks our refresh tokens, so a leaked one is recognisable in a secret scan.
const refreshTokenPrefix = "amnrt_"

func newRefreshToken() (token string, hash []byte, err error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", nil, err
	}
	token = refreshTokenPrefix + base64.RawURLEncoding.EncodeToString(b[:])
	return token, hashToken(token), nil
}

func hashToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// Authenticate checks an access token: its signature (by kid), issuer, audience and lifetime, and
// then that its session is live and its user active, so that a revoked session or a ban stops the
// token at once rather than when it expires.
func (s *Service) Authenticate(ctx context.Context, token string) (Principal, error) {
	var c claims
	_, err := jwt.ParseWithClaims(token, &c, s.verificationKey,
		jwt.WithValidMethods([]string{jwt.SigningMethodES256.Alg()}),
		jwt.WithIssuer(s.cfg.Issuer), jwt.WithAudience(s.cfg.Audience),
		jwt.WithExpirationRequired(), jwt.WithTimeFunc(s.now), jwt.WithLeeway(5*time.Second))
	if errors.Is(err, jwt.ErrTokenExpired) {
		return Principal{}, ErrTokenExpired
	}
	if err != nil {
		return Principal{}, ErrUnauthenticated
	}
	userID, err1 := uuid.Parse(c.Subject)
	sessionID, err2 := uuid.Parse(c.SessionID)
	if err1 != nil || err2 != nil {
		return Principal{}, ErrUnauthenticated
	}
	row, err := s.q.SessionForAccess(ctx, sessionID)
	if errors.Is(err, pgx.ErrNoRows) {
		return Principal{}, ErrUnauthenticated
	}
	if err != nil {
		return Principal{}, wrapDB("read session", err)
	}
	switch {
	case row.UserID != userID, row.RevokedAt != nil, !row.ExpiresAt.After(s.now()):
		return Principal{}, ErrUnauthenticated
	case row.Status != string(StatusActive):
		return Principal{}, ErrBanned
	}
	return Principal{UserID: userID, SessionID: sessionID, Roles: roles(row.Roles), SignedInAt: row.CreatedAt,
		ExpiresAt: c.ExpiresAt.Time}, nil
}

// RecentSignIn is how old a session's sign-in may be for what adds a way into the account or
// moves its money: a passkey, a linked Google or Telegram account or wallet, a first password.
// A stolen access token (or refresh token) alone then cannot make its access last.
const RecentSignIn = 10 * time.Minute

// ErrRecentSignInRequired: the operation needs a sign-in under RecentSignIn old; sign in again.
var ErrRecentSignInRequired = kind.New(kind.Refused, "sign in again to do this: it needs a sign-in less than 10 minutes old")

// requireRecentSignIn refuses p unless its session was signed in under RecentSignIn ago.
func (s *Service) requireRecentSignIn(p Principal) error {
	if p.SignedInAt.IsZero() || s.now().Sub(p.SignedInAt) > RecentSignIn {
		return ErrRecentSignInRequired
	}
	return nil
}

func (s *Service) verificationKey(t *jwt.Token) (any, error) {
	kid, _ := t.Header["kid"].(string)
	k, ok := s.cfg.Keys.public(kid)
	if !ok {
		return nil, errors.New("unknown kid")
	}
	return k, nil
}

// clientText is what a session keeps of a header the client wrote (its User-Agent): valid UTF-8
// without control characters (cleanText), at most n bytes, cut at a character's start so that
// no character is left half.
func clientText(s string, n int) string {
	s = cleanText(s)
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

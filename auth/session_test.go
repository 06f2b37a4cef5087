package auth

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"
)

func signedIn(t testing.TB, s *Service, email string, roles ...Role) Session {
	t.Helper()
	ctx := context.Background()
	u, err := s.CreateUser(ctx, NewUser{Email: email, EmailVerified: true, Roles: roles})
	if err != nil {
		t.Fatal(err)
	}
	sess, err := s.StartSession(ctx, u.ID, MethodPassword, Client{UserAgent: "test", IP: "127.0.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	return sess
}

// TestAuthenticateRefusesForgedTokens is the attacker's list: every way to make a token we did not
// issue, or to use one we did beyond what it says, is refused.
func TestAuthenticateRefusesForgedTokens(t *testing.T) {
	ctx := context.Background()
	s, now := newTestService(t)
	sess := signedIn(t, s, "victim@example.com", RoleBuyer)
	other := signedIn(t, s, "other@example.com", RoleBuyer)

	p, err := s.Authenticate(ctx, sess.AccessToken)
	if err != nil || p.UserID != sess.User.ID || p.SessionID != sess.ID || !p.HasRole(RoleBuyer) {
		t.Fatalf("the real token: %+v %v", p, err)
	}

	claimsFor := func(sub, sid string) claims {
		return claims{RegisteredClaims: jwt.RegisteredClaims{
			Issuer: "amn-test", Audience: jwt.ClaimStrings{"amn-api-test"}, Subject: sub,
			IssuedAt: jwt.NewNumericDate(*now), ExpiresAt: jwt.NewNumericDate(now.Add(time.Minute)),
		}, SessionID: sid}
	}
	sign := func(m jwt.SigningMethod, key any, c claims, kid string) string {
		tok := jwt.NewWithClaims(m, c)
		if kid != "" {
			tok.Header["kid"] = kid
		}
		out, err := tok.SignedString(key)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	k := s.cfg.Keys.signer()
	stranger, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	pubDER := []byte(k.key.X.String()) // any bytes an attacker might use as an HMAC key
	good := claimsFor(sess.User.ID.String(), sess.ID.String())
	wrongAud := good
	wrongAud.Audience = jwt.ClaimStrings{"someone-else"}
	wrongIss := good
	wrongIss.Issuer = "evil"
	noExp := good
	noExp.ExpiresAt = nil
	notYet := good
	notYet.NotBefore = jwt.NewNumericDate(now.Add(time.Hour))
	none, _ := jwt.NewWithClaims(jwt.SigningMethodNone, good).SignedString(jwt.UnsafeAllowNoneSignatureType)

	for name, tok := range map[string]string{
		"empty":                         "",
		"garbage":                       "not.a.token",
		"alg none":                      none,
		"HS256 keyed with public bytes": sign(jwt.SigningMethodHS256, pubDER, good, k.id),
		"another key, our kid":          sign(jwt.SigningMethodES256, stranger, good, k.id),
		"unknown kid":                   sign(jwt.SigningMethodES256, k.key, good, "nope"),
		"no kid":                        sign(jwt.SigningMethodES256, k.key, good, ""),
		"wrong audience":                sign(jwt.SigningMethodES256, k.key, wrongAud, k.id),
		"wrong issuer":                  sign(jwt.SigningMethodES256, k.key, wrongIss, k.id),
		"no expiry":                     sign(jwt.SigningMethodES256, k.key, noExp, k.id),
		"not yet valid":                 sign(jwt.SigningMethodES256, k.key, notYet, k.id),
		"someone else's session":        sign(jwt.SigningMethodES256, k.key, claimsFor(sess.User.ID.String(), other.ID.String()), k.id),
		"unknown session":               sign(jwt.SigningMethodES256, k.key, claimsFor(sess.User.ID.String(), uuid.NewString()), k.id),
		"session id not a uuid":         sign(jwt.SigningMethodES256, k.key, claimsFor(sess.User.ID.String(), "1 OR 1=1"), k.id),
		"tampered payload":              tamper(sess.AccessToken),
	} {
		if _, err := s.Authenticate(ctx, tok); !errors.Is(err, ErrUnauthenticated) {
			t.Errorf("%s: %v, want ErrUnauthenticated", name, err)
		}
	}

	*now = now.Add(DefaultAccessTTL + time.Minute)
	if _, err := s.Authenticate(ctx, sess.AccessToken); !errors.Is(err, ErrTokenExpired) {
		t.Errorf("expired: %v", err)
	}
}

// tamper changes one character of a token's payload, keeping its signature.
func tamper(tok string) string {
	parts := strings.Split(tok, ".")
	b := []byte(parts[1])
	if b[5] == 'A' {
		b[5] = 'B'
	} else {
		b[5] = 'A'
	}
	parts[1] = string(b)
	return strings.Join(parts, ".")
}

// TestKeyRotation: tokens signed by the previous key keep working while it is in the set; the
// JWKS lists both; new tokens are signed by the new key.
func TestKeyRotation(t *testing.T) {
	ctx := context.Background()
	old, err := GenerateKeys()
	if err != nil {
		t.Fatal(err)
	}
	s, _ := newTestService(t, withKeys(old))
	before := signedIn(t, s, "rotate@example.com", RoleSeller)

	fresh, _ := GenerateKeys()
	both := append(mustPEM(t, fresh), mustPEM(t, old)...)
	rotated, err := ParseKeys(both)
	if err != nil {
		t.Fatal(err)
	}
	s.cfg.Keys = rotated
	if _, err := s.Authenticate(ctx, before.AccessToken); err != nil {
		t.Fatalf("a token of the old key after rotation: %v", err)
	}
	if n := len(rotated.JWKS().Keys); n != 2 {
		t.Fatalf("jwks has %d keys", n)
	}
	after, err := s.StartSession(ctx, before.User.ID, MethodPassword, Client{})
	if err != nil {
		t.Fatal(err)
	}
	tok, _, _ := jwt.NewParser().ParseUnverified(after.AccessToken, &claims{})
	if tok.Header["kid"] != fresh.signer().id {
		t.Fatalf("new tokens signed by %v, want the new key %s", tok.Header["kid"], fresh.signer().id)
	}

	s.cfg.Keys = fresh // the old key retired
	if _, err := s.Authenticate(ctx, before.AccessToken); !errors.Is(err, ErrUnauthenticated) {
		t.Fatalf("a token of a retired key: %v", err)
	}
}

func mustPEM(t *testing.T, ks *KeySet) []byte {
	t.Helper()
	b, err := ks.MarshalPEM()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// FuzzAuthenticate: no string is taken for an access token but the ones we issued, and none
// makes Authenticate panic.
func FuzzAuthenticate(f *testing.F) {
	s, _ := newTestService(f)
	sess := signedIn(f, s, "fuzz@example.com", RoleBuyer)
	f.Add(sess.AccessToken)
	f.Add(tamper(sess.AccessToken))
	f.Add("eyJhbGciOiJub25lIn0.e30.")
	f.Add(strings.Repeat("a.", 1000))
	f.Fuzz(func(t *testing.T, tok string) {
		p, err := s.Authenticate(context.Background(), tok)
		if err == nil && tok != sess.AccessToken {
			t.Fatalf("accepted a token we did not issue: %q → %+v", tok, p)
		}
	})
}

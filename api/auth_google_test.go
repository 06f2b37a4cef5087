package api

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/google/uuid"

	"github.com/amanat/amn/auth"
	"github.com/amanat/amn/db"
	"github.com/amanat/amn/db/dbtest"
)

// fakeGoogle stands for Google's side of sign-in: its signing keys, served as a JWKS over HTTP as
// https://www.googleapis.com/oauth2/v3/certs serves them, and the ID tokens it signs.
type fakeGoogle struct {
	t     *testing.T
	key   *rsa.PrivateKey
	kid   string
	jwks  *httptest.Server
	now   func() time.Time
	fetch int // JWKS requests served
}

func newFakeGoogle(t *testing.T, now func() time.Time) *fakeGoogle {
	t.Helper()
	g := &fakeGoogle{t: t, key: newRSAKey(t), kid: "google-key-1", now: now}
	g.jwks = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		g.fetch++
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{
			{Key: &g.key.PublicKey, KeyID: g.kid, Algorithm: "RS256", Use: "sig"},
		}})
	}))
	t.Cleanup(g.jwks.Close)
	return g
}

func newRSAKey(t *testing.T) *rsa.PrivateKey {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// config points the auth service at this Google, accepting two client ids.
func (g *fakeGoogle) config(c *auth.Config) {
	c.Google = auth.GoogleConfig{ClientIDs: []string{"client-web", "client-app"}, JWKSURL: g.jwks.URL}
}

// claims are an ID token's claims for a Google account: issued now by Google for client-web.
func (g *fakeGoogle) claims(sub, email string, verified bool) map[string]any {
	now := g.now()
	return map[string]any{
		"iss": "https://accounts.google.com", "aud": "client-web", "azp": "client-web",
		"sub": sub, "email": email, "email_verified": verified, "name": "Gülnara Ş.",
		"iat": now.Unix(), "exp": now.Add(time.Hour).Unix(),
	}
}

// sign signs claims with key under kid, as Google does (RS256).
func (g *fakeGoogle) sign(claims map[string]any, key *rsa.PrivateKey, kid string) string {
	g.t.Helper()
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: jose.JSONWebKey{Key: key, KeyID: kid}},
		(&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		g.t.Fatal(err)
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		g.t.Fatal(err)
	}
	jws, err := signer.Sign(payload)
	if err != nil {
		g.t.Fatal(err)
	}
	tok, err := jws.CompactSerialize()
	if err != nil {
		g.t.Fatal(err)
	}
	return tok
}

// token is a good ID token for a Google account.
func (g *fakeGoogle) token(sub, email string, verified bool) string {
	return g.sign(g.claims(sub, email, verified), g.key, g.kid)
}

// unsigned builds a token with any header and an arbitrary signature (alg none, HS256...).
func unsigned(t *testing.T, header, claims map[string]any, sign func(input string) []byte) string {
	t.Helper()
	enc := func(v any) string {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return base64.RawURLEncoding.EncodeToString(b)
	}
	input := enc(header) + "." + enc(claims)
	return input + "." + base64.RawURLEncoding.EncodeToString(sign(input))
}

func (a *testAPI) google(idToken string) *httptest.ResponseRecorder {
	a.t.Helper()
	return a.do("POST", "/v1/auth/google", map[string]any{"idToken": idToken}, "")
}

func (a *testAPI) linkGoogle(token, idToken string) *httptest.ResponseRecorder {
	a.t.Helper()
	return a.do("POST", "/v1/auth/google/link", map[string]any{"idToken": idToken}, token)
}

// TestGoogleSignIn: a token signed by Google's key makes a new account (verified email, no
// password) on first use and signs into it afterwards; a verified email links an existing
// account whose email is verified; both issuer spellings and every configured client id pass;
// a linked Google account signs in whatever its email says now.
func TestGoogleSignIn(t *testing.T) {
	var a *testAPI
	g := newFakeGoogle(t, func() time.Time { return a.now })
	a = newTestAPI(t, g.config)

	email := testEmail("new-google")
	s := sessionOf(t, a.google(g.token("sub-new", email, true)))
	if s.User.Email == nil || *s.User.Email != email || !s.User.EmailVerified || s.User.HasPassword ||
		s.User.GoogleLinked == nil || !*s.User.GoogleLinked || s.User.DisplayName != "Gülnara Ş." {
		t.Fatalf("new account %+v", s.User)
	}
	if got := a.passkeys(s.AccessToken); len(got) != 0 { // the session works
		t.Fatalf("%+v", got)
	}
	again := g.claims("sub-new", "changed@example.com", false)
	again["iss"] = "accounts.google.com"
	again["aud"] = "client-app"
	if s2 := sessionOf(t, a.google(g.sign(again, g.key, g.kid))); s2.User.Id != s.User.Id || s2.SessionId == s.SessionId {
		t.Fatalf("second sign-in: user %s session %s, want user %s in a new session", s2.User.Id, s2.SessionId, s.User.Id)
	}

	existing := a.user(testEmail("has-account"), auth.RoleSeller)
	linked := sessionOf(t, a.google(g.token("sub-existing", *existing.User.Email, true)))
	if linked.User.Id != existing.User.ID || !*linked.User.GoogleLinked {
		t.Fatalf("verified email did not link the existing account: %+v", linked.User)
	}
}

// TestGoogleSignInRefused: tokens that are not Google's, not for us, stale, or whose email is
// not verified where the email is what links them, are refused and change nothing.
func TestGoogleSignInRefused(t *testing.T) {
	var a *testAPI
	g := newFakeGoogle(t, func() time.Time { return a.now })
	a = newTestAPI(t, g.config)
	victim := a.user(testEmail("victim"), auth.RoleBuyer)
	pubDER, err := x509.MarshalPKIXPublicKey(&g.key.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	pubPEM := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pubDER})
	with := func(k string, v any) map[string]any {
		c := g.claims("sub-attacker", *victim.User.Email, true)
		c[k] = v
		return c
	}
	hs256 := func(key []byte) func(string) []byte {
		return func(in string) []byte {
			m := hmac.New(sha256.New, key)
			m.Write([]byte(in))
			return m.Sum(nil)
		}
	}
	for _, c := range []struct{ name, token string }{
		{"wrong audience", g.sign(with("aud", "someone-elses-client"), g.key, g.kid)},
		{"expired", g.sign(with("exp", a.now.Add(-time.Minute).Unix()), g.key, g.kid)},
		{"wrong issuer", g.sign(with("iss", "https://accounts.evil.example"), g.key, g.kid)},
		{"unverified email for linking", g.sign(with("email_verified", false), g.key, g.kid)},
		{"unknown key id", g.sign(with("sub", "sub-attacker"), newRSAKey(t), "not-googles")},
		{"another key under Google's key id", g.sign(with("sub", "sub-attacker"), newRSAKey(t), g.kid)},
		{"alg none", unsigned(t, map[string]any{"alg": "none", "typ": "JWT", "kid": g.kid}, with("sub", "sub-attacker"), func(string) []byte { return nil })},
		{"HS256 keyed with the public key (PEM)", unsigned(t, map[string]any{"alg": "HS256", "typ": "JWT", "kid": g.kid}, with("sub", "sub-attacker"), hs256(pubPEM))},
		{"HS256 keyed with the public key (DER)", unsigned(t, map[string]any{"alg": "HS256", "typ": "JWT", "kid": g.kid}, with("sub", "sub-attacker"), hs256(pubDER))},
		{"garbage", "not.a.token"},
	} {
		t.Run(c.name, func(t *testing.T) {
			refusedAs(t, a.google(c.token), http.StatusUnauthorized, "google_token_invalid")
		})
	}
	u, err := a.auth.User(t.Context(), victim.User.ID)
	if err != nil || u.GoogleLinked {
		t.Fatalf("the victim's account got a Google identity (%v)", err)
	}

	t.Run("unverified email for a new account", func(t *testing.T) {
		refusedAs(t, a.google(g.token("sub-unverified", testEmail("nobody"), false)), http.StatusUnauthorized, "google_token_invalid")
	})
	t.Run("account whose own email is unverified", func(t *testing.T) {
		// Someone registered the address without proving it: a Google sign-in must not join them.
		squatted, err := a.auth.CreateUser(t.Context(), auth.NewUser{Email: testEmail("squatted")})
		if err != nil {
			t.Fatal(err)
		}
		refusedAs(t, a.google(g.token("sub-real-owner", *squatted.Email, true)), http.StatusForbidden, "email_unverified")
	})
	t.Run("banned account", func(t *testing.T) {
		s := sessionOf(t, a.google(g.token("sub-banned", testEmail("banned"), true)))
		banUser(t, s.User.Id)
		refusedAs(t, a.google(g.token("sub-banned", "", false)), http.StatusForbidden, "account_banned")
	})
	t.Run("not configured", func(t *testing.T) {
		off := newTestAPI(t)
		refusedAs(t, off.google(g.token("sub-x", testEmail("x"), true)), http.StatusServiceUnavailable, "unavailable")
	})
}

// banUser bans a user as the admin commands will (as the API's role).
func banUser(t *testing.T, id uuid.UUID) {
	t.Helper()
	if _, err := dbtest.PoolAs(t, db.RoleAPI).Exec(t.Context(), `UPDATE users SET status = 'banned' WHERE id = $1`, id); err != nil {
		t.Fatal(err)
	}
}

// TestLinkGoogle: a signed-in user links a Google account (again is fine) and can then sign in
// with it; another user cannot link the same Google account; linking needs a session.
func TestLinkGoogle(t *testing.T) {
	var a *testAPI
	g := newFakeGoogle(t, func() time.Time { return a.now })
	a = newTestAPI(t, g.config)
	alice := a.user(testEmail("alice-g"), auth.RoleBuyer)
	mallory := a.user(testEmail("mallory-g"), auth.RoleBuyer)
	tok := g.token("sub-alice", "alice.other@gmail.example", false) // linking needs no verified email

	for range 2 {
		if rec := a.linkGoogle(alice.AccessToken, tok); rec.Code != http.StatusNoContent {
			t.Fatalf("link: %d %s", rec.Code, rec.Body.String())
		}
	}
	if s := sessionOf(t, a.google(tok)); s.User.Id != alice.User.ID {
		t.Fatalf("signed in as %s, want alice", s.User.Id)
	}
	refusedAs(t, a.linkGoogle(mallory.AccessToken, tok), http.StatusConflict, "identity_taken")
	refusedAs(t, a.linkGoogle("", tok), http.StatusUnauthorized, "unauthenticated")
	refusedAs(t, a.linkGoogle(mallory.AccessToken, g.sign(g.claims("sub-m", "", true), newRSAKey(t), g.kid)), http.StatusUnauthorized, "google_token_invalid")
	if s := sessionOf(t, a.google(tok)); s.User.Id != alice.User.ID {
		t.Fatal("the identity moved")
	}
}

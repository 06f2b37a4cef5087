package auth

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
)

// FuzzVerifyGoogleToken: whatever string arrives as an ID token, verifying it never panics, and
// anything but the token our fake Google signed is ErrGoogleToken. No database: it is the parser
// and verifier alone, against a local JWKS.
func FuzzVerifyGoogleToken(f *testing.F) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		f.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_ = json.NewEncoder(w).Encode(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &key.PublicKey, KeyID: "k1", Algorithm: "RS256", Use: "sig"}}})
	}))
	f.Cleanup(srv.Close)
	now := time.Now()
	g, err := newGoogleVerifier(GoogleConfig{ClientIDs: []string{"client"}, JWKSURL: srv.URL}, func() time.Time { return now })
	if err != nil {
		f.Fatal(err)
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: jose.JSONWebKey{Key: key, KeyID: "k1"}}, nil)
	if err != nil {
		f.Fatal(err)
	}
	payload, _ := json.Marshal(map[string]any{
		"iss": googleIssuer, "aud": "client", "sub": "1", "email": "a@b.example", "email_verified": "true",
		"exp": now.Add(time.Hour).Unix(), "iat": now.Unix(),
	})
	jws, err := signer.Sign(payload)
	if err != nil {
		f.Fatal(err)
	}
	good, err := jws.CompactSerialize()
	if err != nil {
		f.Fatal(err)
	}
	if id, err := g.verify(f.Context(), good); err != nil || id.Subject != "1" || !id.EmailVerified {
		f.Fatalf("the good token does not verify: %+v %v", id, err)
	}
	f.Add(good)
	f.Add(good[:len(good)-2])
	f.Add("eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.")
	f.Add("...")
	f.Add("")
	f.Fuzz(func(t *testing.T, tok string) {
		id, err := g.verify(t.Context(), tok)
		switch {
		case err == nil && (id.Subject != "1" || id.Email != "a@b.example"):
			// Only the good token (or an encoding of it that decodes to the same bytes) verifies.
			t.Fatalf("a token nobody signed verified: %q %+v", tok, id)
		case err != nil && !errors.Is(err, ErrGoogleToken):
			t.Fatalf("error %v is not ErrGoogleToken", err)
		}
	})
}

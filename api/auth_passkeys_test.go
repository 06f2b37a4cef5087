package api

import (
	"encoding/base64"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/descope/virtualwebauthn"
	"github.com/google/uuid"

	"github.com/amanat/amn/api/openapi"
	"github.com/amanat/amn/auth"
	"github.com/amanat/amn/db"
	"github.com/amanat/amn/db/dbtest"
	"github.com/amanat/amn/ops"
)

// The relying party the test API runs as (auth's defaults, as amn dev's): a virtual
// authenticator that speaks WebAuthn as a browser on this origin would.
var testRP = virtualwebauthn.RelyingParty{Name: "Amn", ID: auth.DefaultPasskeyRPID, Origin: auth.DefaultPasskeyOrigins[0]}

// passkeyDevice is a software authenticator holding one credential.
type passkeyDevice struct {
	auth virtualwebauthn.Authenticator
	cred virtualwebauthn.Credential
}

func newPasskeyDevice() *passkeyDevice {
	return &passkeyDevice{auth: virtualwebauthn.NewAuthenticator(), cred: virtualwebauthn.NewCredential(virtualwebauthn.KeyTypeEC2)}
}

// ceremonyOf decodes a begin answer: the ceremony id and the options as JSON.
func ceremonyOf(t testing.TB, rec *httptest.ResponseRecorder) (uuid.UUID, string) {
	t.Helper()
	if rec.Code != http.StatusOK {
		t.Fatalf("begin: %d %s", rec.Code, rec.Body.String())
	}
	var c openapi.WebAuthnCeremony
	if err := json.Unmarshal(rec.Body.Bytes(), &c); err != nil {
		t.Fatal(err)
	}
	opts, err := json.Marshal(c.Options)
	if err != nil {
		t.Fatal(err)
	}
	return c.CeremonyId, string(opts)
}

// beginRegistration starts adding a passkey for the token's user.
func (a *testAPI) beginRegistration(token string) (uuid.UUID, *virtualwebauthn.AttestationOptions) {
	a.t.Helper()
	id, raw := ceremonyOf(a.t, a.do("POST", "/v1/auth/passkeys/register/begin", nil, token))
	opts, err := virtualwebauthn.ParseAttestationOptions(raw)
	if err != nil {
		a.t.Fatal(err)
	}
	return id, opts
}

// finishRegistration sends an attestation response.
func (a *testAPI) finishRegistration(token string, id uuid.UUID, attestation string) *httptest.ResponseRecorder {
	a.t.Helper()
	return a.do("POST", "/v1/auth/passkeys/register/finish", map[string]any{
		"ceremonyId": id, "name": "laptop", "credential": json.RawMessage(attestation),
	}, token)
}

// registerPasskey adds d's credential to the token's user and checks it worked; the device then
// answers sign-ins with the user handle the server gave it.
func (a *testAPI) registerPasskey(token string, d *passkeyDevice) openapi.Passkey {
	a.t.Helper()
	id, opts := a.beginRegistration(token)
	rec := a.finishRegistration(token, id, virtualwebauthn.CreateAttestationResponse(testRP, d.auth, d.cred, *opts))
	if rec.Code != http.StatusCreated {
		a.t.Fatalf("register: %d %s", rec.Code, rec.Body.String())
	}
	d.auth.Options.UserHandle = []byte(opts.UserID)
	d.auth.AddCredential(d.cred)
	var p openapi.Passkey
	if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
		a.t.Fatal(err)
	}
	return p
}

// beginLogin starts a discoverable sign-in.
func (a *testAPI) beginLogin() (uuid.UUID, *virtualwebauthn.AssertionOptions) {
	a.t.Helper()
	id, raw := ceremonyOf(a.t, a.do("POST", "/v1/auth/passkeys/login/begin", nil, ""))
	opts, err := virtualwebauthn.ParseAssertionOptions(raw)
	if err != nil {
		a.t.Fatal(err)
	}
	return id, opts
}

// finishLogin sends an assertion response.
func (a *testAPI) finishLogin(id uuid.UUID, assertion string) *httptest.ResponseRecorder {
	a.t.Helper()
	return a.do("POST", "/v1/auth/passkeys/login/finish", map[string]any{
		"ceremonyId": id, "credential": json.RawMessage(assertion),
	}, "")
}

// passkeyLogin signs in with d (a fresh ceremony) and returns the answer.
func (a *testAPI) passkeyLogin(d *passkeyDevice) *httptest.ResponseRecorder {
	a.t.Helper()
	id, opts := a.beginLogin()
	return a.finishLogin(id, virtualwebauthn.CreateAssertionResponse(testRP, d.auth, d.cred, *opts))
}

func sessionOf(t *testing.T, rec *httptest.ResponseRecorder) openapi.Session {
	t.Helper()
	if rec.Code != http.StatusOK {
		t.Fatalf("sign-in: %d %s", rec.Code, rec.Body.String())
	}
	var s openapi.Session
	if err := json.Unmarshal(rec.Body.Bytes(), &s); err != nil {
		t.Fatal(err)
	}
	return s
}

func (a *testAPI) passkeys(token string) []openapi.Passkey {
	a.t.Helper()
	rec := a.do("GET", "/v1/auth/passkeys", nil, token)
	if rec.Code != http.StatusOK {
		a.t.Fatalf("list: %d %s", rec.Code, rec.Body.String())
	}
	var out struct{ Items []openapi.Passkey }
	if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
		a.t.Fatal(err)
	}
	return out.Items
}

// testEmail is an address no other test (or run: tests share their package's database) uses.
func testEmail(name string) string { return name + "-" + uuid.NewString()[:8] + "@example.com" }

// refusedAs checks an error answer's status and code.
func refusedAs(t *testing.T, rec *httptest.ResponseRecorder, status int, code string) {
	t.Helper()
	if b := errorOf(t, rec, status); b.Error.Code != code {
		t.Fatalf("code %q (%s), want %q", b.Error.Code, b.Error.Message, code)
	}
}

// TestPasskeyRegisterListSignInRemove: a user adds two passkeys, lists them, signs in with one
// without naming the account (the user handle names it) and gets a working session, removes it,
// and can no longer sign in with it while the other still works.
func TestPasskeyRegisterListSignInRemove(t *testing.T) {
	a := newTestAPI(t)
	u := a.user(testEmail("pk"), auth.RoleBuyer)
	phone, laptop := newPasskeyDevice(), newPasskeyDevice()
	p1 := a.registerPasskey(u.AccessToken, phone)
	p2 := a.registerPasskey(u.AccessToken, laptop)
	if string(phone.auth.Options.UserHandle) != string(u.User.ID[:]) {
		t.Fatalf("the WebAuthn user id is not the user's id bytes")
	}
	byID := func(token string) map[uuid.UUID]openapi.Passkey {
		out := map[uuid.UUID]openapi.Passkey{}
		for _, p := range a.passkeys(token) {
			out[p.Id] = p
		}
		return out
	}
	if got := byID(u.AccessToken); len(got) != 2 || got[p1.Id].Name != "laptop" || got[p2.Id].LastUsedAt != nil {
		t.Fatalf("passkeys %+v", got)
	}

	s := sessionOf(t, a.passkeyLogin(phone))
	if s.User.Id != u.User.ID || s.AccessToken == "" || s.RefreshToken == "" {
		t.Fatalf("session %+v", s)
	}
	got := byID(s.AccessToken) // the new session's token works
	if got[p1.Id].LastUsedAt == nil || got[p2.Id].LastUsedAt != nil {
		t.Fatalf("last use not recorded on the right passkey: %+v", got)
	}

	if rec := a.do("DELETE", "/v1/auth/passkeys/"+p1.Id.String(), nil, s.AccessToken); rec.Code != http.StatusNoContent {
		t.Fatalf("delete: %d %s", rec.Code, rec.Body.String())
	}
	if got := a.passkeys(u.AccessToken); len(got) != 1 || got[0].Id == p1.Id {
		t.Fatalf("after delete %+v", got)
	}
	refusedAs(t, a.passkeyLogin(phone), http.StatusUnauthorized, "passkey_invalid")
	sessionOf(t, a.passkeyLogin(laptop))
}

// TestPasskeyRegistrationRefused: registering needs a session, the caller's own unspent ceremony,
// the right origin and RP ID, and a credential nobody has registered.
func TestPasskeyRegistrationRefused(t *testing.T) {
	a := newTestAPI(t)
	alice := a.user(testEmail("alice-pk"), auth.RoleBuyer)
	mallory := a.user(testEmail("mallory-pk"), auth.RoleBuyer)

	refusedAs(t, a.do("POST", "/v1/auth/passkeys/register/begin", nil, ""), http.StatusUnauthorized, "unauthenticated")

	t.Run("another user's ceremony", func(t *testing.T) {
		id, opts := a.beginRegistration(alice.AccessToken)
		d := newPasskeyDevice()
		att := virtualwebauthn.CreateAttestationResponse(testRP, d.auth, d.cred, *opts)
		refusedAs(t, a.finishRegistration(mallory.AccessToken, id, att), http.StatusUnauthorized, "passkey_invalid")
		if n := len(a.passkeys(alice.AccessToken)) + len(a.passkeys(mallory.AccessToken)); n != 0 {
			t.Fatalf("%d passkeys stored", n)
		}
	})
	t.Run("ceremony used twice", func(t *testing.T) {
		id, opts := a.beginRegistration(mallory.AccessToken)
		d := newPasskeyDevice()
		att := virtualwebauthn.CreateAttestationResponse(testRP, d.auth, d.cred, *opts)
		if rec := a.finishRegistration(mallory.AccessToken, id, att); rec.Code != http.StatusCreated {
			t.Fatalf("%d %s", rec.Code, rec.Body.String())
		}
		d2 := newPasskeyDevice()
		att2 := virtualwebauthn.CreateAttestationResponse(testRP, d2.auth, d2.cred, *opts)
		refusedAs(t, a.finishRegistration(mallory.AccessToken, id, att2), http.StatusUnauthorized, "passkey_invalid")
	})
	t.Run("another user's credential", func(t *testing.T) {
		d := newPasskeyDevice()
		a.registerPasskey(alice.AccessToken, d)
		id, opts := a.beginRegistration(mallory.AccessToken)
		att := virtualwebauthn.CreateAttestationResponse(testRP, d.auth, d.cred, *opts)
		refusedAs(t, a.finishRegistration(mallory.AccessToken, id, att), http.StatusUnauthorized, "passkey_invalid")
	})
	for _, c := range []struct {
		name string
		rp   virtualwebauthn.RelyingParty
	}{
		{"wrong origin", virtualwebauthn.RelyingParty{Name: "Amn", ID: testRP.ID, Origin: "https://evil.example"}},
		{"wrong RP ID", virtualwebauthn.RelyingParty{Name: "Amn", ID: "evil.example", Origin: testRP.Origin}},
	} {
		t.Run(c.name, func(t *testing.T) {
			id, opts := a.beginRegistration(alice.AccessToken)
			d := newPasskeyDevice()
			att := virtualwebauthn.CreateAttestationResponse(c.rp, d.auth, d.cred, *opts)
			refusedAs(t, a.finishRegistration(alice.AccessToken, id, att), http.StatusUnauthorized, "passkey_invalid")
		})
	}
	t.Run("expired ceremony", func(t *testing.T) {
		id, opts := a.beginRegistration(alice.AccessToken)
		a.now = a.now.Add(6 * time.Minute)
		defer func() { a.now = a.now.Add(-6 * time.Minute) }()
		d := newPasskeyDevice()
		att := virtualwebauthn.CreateAttestationResponse(testRP, d.auth, d.cred, *opts)
		refusedAs(t, a.finishRegistration(alice.AccessToken, id, att), http.StatusUnauthorized, "passkey_invalid")
	})
	t.Run("malformed and oversized", func(t *testing.T) {
		id, _ := a.beginRegistration(alice.AccessToken)
		refusedAs(t, a.finishRegistration(alice.AccessToken, id, `{"id":"x","type":"public-key"}`), http.StatusUnauthorized, "passkey_invalid")
		id, _ = a.beginRegistration(alice.AccessToken)
		big := `{"id":"` + strings.Repeat("A", 40<<10) + `"}`
		refusedAs(t, a.finishRegistration(alice.AccessToken, id, big), http.StatusUnauthorized, "passkey_invalid")
		rec := a.do("POST", "/v1/auth/passkeys/register/finish", map[string]any{"ceremonyId": "not-a-uuid", "credential": map[string]any{}}, alice.AccessToken)
		refusedAs(t, rec, http.StatusBadRequest, "invalid_request")
	})
}

// TestPasskeySignInRefused: an assertion is refused when replayed, answered at another origin or
// for another RP ID, answering another ceremony's challenge, naming another user, badly signed,
// after its ceremony expired, or with a sign count that does not go forward.
func TestPasskeySignInRefused(t *testing.T) {
	a := newTestAPI(t)
	alice := a.user(testEmail("alice-login"), auth.RoleBuyer)
	bob := a.user(testEmail("bob-login"), auth.RoleSeller)
	d := newPasskeyDevice()
	a.registerPasskey(alice.AccessToken, d)
	bobs := newPasskeyDevice()
	a.registerPasskey(bob.AccessToken, bobs)

	t.Run("replayed assertion", func(t *testing.T) {
		id, opts := a.beginLogin()
		asr := virtualwebauthn.CreateAssertionResponse(testRP, d.auth, d.cred, *opts)
		sessionOf(t, a.finishLogin(id, asr))
		refusedAs(t, a.finishLogin(id, asr), http.StatusUnauthorized, "passkey_invalid")
	})
	t.Run("challenge of another ceremony", func(t *testing.T) {
		idA, optsA := a.beginLogin()
		idB, _ := a.beginLogin()
		asr := virtualwebauthn.CreateAssertionResponse(testRP, d.auth, d.cred, *optsA)
		refusedAs(t, a.finishLogin(idB, asr), http.StatusUnauthorized, "passkey_invalid")
		sessionOf(t, a.finishLogin(idA, asr)) // its own ceremony accepts it
	})
	t.Run("registration ceremony used to sign in", func(t *testing.T) {
		id, _ := a.beginRegistration(alice.AccessToken)
		_, opts := a.beginLogin()
		asr := virtualwebauthn.CreateAssertionResponse(testRP, d.auth, d.cred, *opts)
		refusedAs(t, a.finishLogin(id, asr), http.StatusUnauthorized, "passkey_invalid")
	})
	for _, c := range []struct {
		name string
		rp   virtualwebauthn.RelyingParty
	}{
		{"wrong origin", virtualwebauthn.RelyingParty{Name: "Amn", ID: testRP.ID, Origin: "https://evil.example"}},
		{"wrong RP ID", virtualwebauthn.RelyingParty{Name: "Amn", ID: "evil.example", Origin: testRP.Origin}},
	} {
		t.Run(c.name, func(t *testing.T) {
			id, opts := a.beginLogin()
			refusedAs(t, a.finishLogin(id, virtualwebauthn.CreateAssertionResponse(c.rp, d.auth, d.cred, *opts)), http.StatusUnauthorized, "passkey_invalid")
		})
	}
	t.Run("user handle of another user", func(t *testing.T) {
		// Alice's credential, claiming to be Bob's account: Bob has no such credential.
		forged := *d
		forged.auth.Options.UserHandle = bob.User.ID[:]
		refusedAs(t, a.passkeyLogin(&forged), http.StatusUnauthorized, "passkey_invalid")
		// Bob's credential claiming Alice's account likewise.
		forged = *bobs
		forged.auth.Options.UserHandle = alice.User.ID[:]
		refusedAs(t, a.passkeyLogin(&forged), http.StatusUnauthorized, "passkey_invalid")
	})
	t.Run("tampered signature", func(t *testing.T) {
		id, opts := a.beginLogin()
		refusedAs(t, a.finishLogin(id, tamperSignature(t, virtualwebauthn.CreateAssertionResponse(testRP, d.auth, d.cred, *opts))), http.StatusUnauthorized, "passkey_invalid")
	})
	t.Run("another key with the same credential id", func(t *testing.T) {
		forged := *d
		forged.cred = virtualwebauthn.NewCredential(virtualwebauthn.KeyTypeEC2)
		forged.cred.ID = d.cred.ID
		refusedAs(t, a.passkeyLogin(&forged), http.StatusUnauthorized, "passkey_invalid")
	})
	t.Run("expired ceremony", func(t *testing.T) {
		id, opts := a.beginLogin()
		a.now = a.now.Add(6 * time.Minute)
		refusedAs(t, a.finishLogin(id, virtualwebauthn.CreateAssertionResponse(testRP, d.auth, d.cred, *opts)), http.StatusUnauthorized, "passkey_invalid")
	})
	t.Run("malformed", func(t *testing.T) {
		id, _ := a.beginLogin()
		refusedAs(t, a.finishLogin(id, `{"id":"AAAA","rawId":"AAAA","type":"public-key","response":{}}`), http.StatusUnauthorized, "passkey_invalid")
		refusedAs(t, a.finishLogin(uuid.New(), `{}`), http.StatusUnauthorized, "passkey_invalid")
	})
	// Last: it moves the counter of Alice's device.
	t.Run("sign count going back", func(t *testing.T) {
		d.cred.Counter = 5
		sessionOf(t, a.passkeyLogin(d))
		d.cred.Counter = 5 // the same count again: a clone
		refusedAs(t, a.passkeyLogin(d), http.StatusUnauthorized, "passkey_invalid")
		d.cred.Counter = 3
		refusedAs(t, a.passkeyLogin(d), http.StatusUnauthorized, "passkey_invalid")
		d.cred.Counter = 6
		sessionOf(t, a.passkeyLogin(d))
	})
}

// tamperSignature flips a bit of an assertion's signature.
func tamperSignature(t *testing.T, assertion string) string {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal([]byte(assertion), &v); err != nil {
		t.Fatal(err)
	}
	resp := v["response"].(map[string]any)
	sig, err := base64.RawURLEncoding.DecodeString(resp["signature"].(string))
	if err != nil {
		t.Fatal(err)
	}
	sig[len(sig)/2] ^= 1
	resp["signature"] = base64.RawURLEncoding.EncodeToString(sig)
	out, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// TestPasskeyDeleteRefused: nobody removes another user's passkey, and removing one that is gone
// is not_found.
func TestPasskeyDeleteRefused(t *testing.T) {
	a := newTestAPI(t)
	alice := a.user(testEmail("alice-del"), auth.RoleBuyer)
	mallory := a.user(testEmail("mallory-del"), auth.RoleBuyer)
	p := a.registerPasskey(alice.AccessToken, newPasskeyDevice())
	refusedAs(t, a.do("DELETE", "/v1/auth/passkeys/"+p.Id.String(), nil, mallory.AccessToken), http.StatusNotFound, "not_found")
	refusedAs(t, a.do("DELETE", "/v1/auth/passkeys/"+p.Id.String(), nil, ""), http.StatusUnauthorized, "unauthenticated")
	if got := a.passkeys(alice.AccessToken); len(got) != 1 {
		t.Fatalf("alice's passkey is gone: %+v", got)
	}
	if len(a.passkeys(mallory.AccessToken)) != 0 {
		t.Fatal("mallory sees passkeys")
	}
	refusedAs(t, a.do("DELETE", "/v1/auth/passkeys/"+uuid.NewString(), nil, alice.AccessToken), http.StatusNotFound, "not_found")
}

// FuzzFinishPasskeyLogin: whatever a client sends as the assertion of a real ceremony, the
// answer is a refusal (400 or 401), never a panic or a 500.
func FuzzFinishPasskeyLogin(f *testing.F) {
	pool := dbtest.PoolAs(f, db.RoleAPI)
	keys, err := auth.GenerateKeys()
	if err != nil {
		f.Fatal(err)
	}
	svc, err := auth.New(pool, auth.Config{Issuer: "amn-test", Audience: "amn-test", Keys: keys})
	if err != nil {
		f.Fatal(err)
	}
	h := NewRouter(Deps{Log: slog.New(slog.DiscardHandler), Registry: ops.NewRegistry(), Auth: svc})
	post := func(path, body string) *httptest.ResponseRecorder {
		req := httptest.NewRequest("POST", path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	f.Add(`{}`)
	f.Add(`{"id":"AAAA","rawId":"AAAA","type":"public-key","response":{"authenticatorData":"AAAA","clientDataJSON":"e30","signature":"AAAA","userHandle":"AAAA"}}`)
	f.Add(`{"id":"","type":"public-key","response":{"clientDataJSON":"eyJ0eXBlIjoid2ViYXV0aG4uZ2V0In0","userHandle":"` + base64.RawURLEncoding.EncodeToString(make([]byte, 16)) + `"}}`)
	f.Add(`[1,2]`)
	f.Fuzz(func(t *testing.T, credential string) {
		var c openapi.WebAuthnCeremony
		if err := json.Unmarshal(post("/v1/auth/passkeys/login/begin", "").Body.Bytes(), &c); err != nil {
			t.Fatal(err)
		}
		rec := post("/v1/auth/passkeys/login/finish", `{"ceremonyId":"`+c.CeremonyId.String()+`","credential":`+credential+`}`)
		if rec.Code != http.StatusBadRequest && rec.Code != http.StatusUnauthorized {
			t.Fatalf("%d %s", rec.Code, rec.Body.String())
		}
	})
}

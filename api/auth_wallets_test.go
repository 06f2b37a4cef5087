package api

import (
	"crypto/ecdsa"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/amanat/amn/api/openapi"
	"github.com/amanat/amn/auth"
)

// siweMsg is the fields of an EIP-4361 message a test writes.
type siweMsg struct {
	domain, address, uri, nonce string
	chainID                     int64
	issuedAt                    time.Time
	expires                     *time.Time
}

func (m siweMsg) String() string {
	s := fmt.Sprintf("%s wants you to sign in with your Ethereum account:\n%s\n\nLink this wallet to your Amn account.\n\nURI: %s\nVersion: 1\nChain ID: %d\nNonce: %s\nIssued At: %s",
		m.domain, m.address, m.uri, m.chainID, m.nonce, m.issuedAt.Format(time.RFC3339))
	if m.expires != nil {
		s += "\nExpiration Time: " + m.expires.Format(time.RFC3339)
	}
	return s
}

// personalSign signs msg as a wallet's personal_sign does (EIP-191, v = 27/28).
func personalSign(t *testing.T, key *ecdsa.PrivateKey, msg string) string {
	t.Helper()
	sig, err := crypto.Sign(accounts.TextHash([]byte(msg)), key)
	if err != nil {
		t.Fatal(err)
	}
	sig[64] += 27
	return hexutil.Encode(sig)
}

// wallet is a test's key and a signed-in user who asks for nonces.
type walletFixture struct {
	a    *testAPI
	t    *testing.T
	key  *ecdsa.PrivateKey
	addr common.Address
}

func newWallet(t *testing.T, a *testAPI) walletFixture {
	key, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	return walletFixture{a: a, t: t, key: key, addr: crypto.PubkeyToAddress(key.PublicKey)}
}

func (w walletFixture) nonce(token string) openapi.WalletNonce {
	w.t.Helper()
	rec := w.a.do("POST", "/v1/wallets/nonce", nil, token)
	var n openapi.WalletNonce
	if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &n) != nil {
		w.t.Fatalf("nonce: %d %s", rec.Code, rec.Body)
	}
	return n
}

// message is a valid message for this wallet with nonce n.
func (w walletFixture) message(n openapi.WalletNonce) siweMsg {
	return siweMsg{domain: n.Domain, address: w.addr.Hex(), uri: n.Uri, nonce: n.Nonce, chainID: 56, issuedAt: w.a.now}
}

func (w walletFixture) link(token string, m siweMsg, key *ecdsa.PrivateKey) *httptest.ResponseRecorder {
	msg := m.String()
	return w.a.do("POST", "/v1/wallets", map[string]any{"message": msg, "signature": personalSign(w.t, key, msg)}, token)
}

// TestWalletLinkListUnlink: a signed message with our nonce links the wallet; the list shows it;
// WalletOwner and WalletsOf name it; unlinking removes it; another user cannot unlink it.
func TestWalletLinkListUnlink(t *testing.T) {
	a := newTestAPI(t)
	alice := a.user("w-alice@example.com", auth.RoleBuyer)
	w := newWallet(t, a)
	n := w.nonce(alice.AccessToken)
	if n.Domain != "localhost:3000" || n.Uri != "http://localhost:3000" || len(n.ChainIds) != 3 || !n.ExpiresAt.After(a.now) {
		t.Fatalf("nonce %+v", n)
	}
	r := w.link(alice.AccessToken, w.message(n), w.key)
	var got openapi.Wallet
	if r.Code != http.StatusCreated || json.Unmarshal(r.Body.Bytes(), &got) != nil || got.Address != w.addr.Hex() || got.ChainId != 56 {
		t.Fatalf("link: %d %s", r.Code, r.Body)
	}
	rec := a.do("GET", "/v1/wallets", nil, alice.AccessToken)
	var list struct{ Items []openapi.Wallet }
	if json.Unmarshal(rec.Body.Bytes(), &list) != nil || len(list.Items) != 1 || list.Items[0].Address != w.addr.Hex() {
		t.Fatalf("list: %s", rec.Body)
	}
	if owner, err := a.auth.WalletOwner(t.Context(), w.addr); err != nil || owner != alice.User.ID {
		t.Fatalf("WalletOwner: %s %v", owner, err)
	}
	if ws, err := a.auth.WalletsOf(t.Context(), alice.User.ID); err != nil || len(ws) != 1 || ws[0].Address != w.addr {
		t.Fatalf("WalletsOf: %v %v", ws, err)
	}
	bob := a.user("w-bob@example.com", auth.RoleSeller)
	if b := errorOf(t, a.do("DELETE", "/v1/wallets/"+w.addr.Hex(), nil, bob.AccessToken), http.StatusNotFound); b.Error.Code != "not_found" {
		t.Fatalf("bob unlinks alice's wallet: %q", b.Error.Code)
	}
	if owner, _ := a.auth.WalletOwner(t.Context(), w.addr); owner != alice.User.ID {
		t.Fatal("bob's unlink removed alice's wallet")
	}
	if rec := a.do("DELETE", "/v1/wallets/"+strings.ToLower(w.addr.Hex()), nil, alice.AccessToken); rec.Code != http.StatusNoContent {
		t.Fatalf("unlink: %d %s", rec.Code, rec.Body)
	}
	if _, err := a.auth.WalletOwner(t.Context(), w.addr); err != auth.ErrNotFound {
		t.Fatalf("after unlink WalletOwner: %v", err)
	}
	if ws, _ := a.auth.WalletsOf(t.Context(), alice.User.ID); len(ws) != 0 {
		t.Fatalf("after unlink WalletsOf: %v", ws)
	}
}

// TestWalletLinkRefused: every way a message or its signature can be wrong gets 401 siwe_invalid
// and links nothing; a wallet of another user is identity_taken.
func TestWalletLinkRefused(t *testing.T) {
	a := newTestAPI(t)
	alice := a.user("wr-alice@example.com", auth.RoleBuyer)
	bob := a.user("wr-bob@example.com", auth.RoleBuyer)
	w := newWallet(t, a)
	other := newWallet(t, a)
	past := a.now.Add(-time.Minute)
	cases := []struct {
		name  string
		token string
		edit  func(m *siweMsg, n openapi.WalletNonce)
		key   func() *ecdsa.PrivateKey
	}{
		{"wrong nonce", alice.AccessToken, func(m *siweMsg, _ openapi.WalletNonce) { m.nonce = "0123456789abcdef0123456789abcdef" }, nil},
		{"nonce of another user", alice.AccessToken, func(m *siweMsg, _ openapi.WalletNonce) { m.nonce = w.nonce(bob.AccessToken).Nonce }, nil},
		{"wrong domain", alice.AccessToken, func(m *siweMsg, _ openapi.WalletNonce) { m.domain = "evil.example" }, nil},
		{"wrong URI", alice.AccessToken, func(m *siweMsg, _ openapi.WalletNonce) { m.uri = "https://evil.example" }, nil},
		{"wrong chain", alice.AccessToken, func(m *siweMsg, _ openapi.WalletNonce) { m.chainID = 10 }, nil},
		{"expired", alice.AccessToken, func(m *siweMsg, _ openapi.WalletNonce) { m.expires = &past }, nil},
		{"issued in the future", alice.AccessToken, func(m *siweMsg, _ openapi.WalletNonce) { m.issuedAt = a.now.Add(time.Hour) }, nil},
		{"signed by another key", alice.AccessToken, func(*siweMsg, openapi.WalletNonce) {}, func() *ecdsa.PrivateKey { return other.key }},
		{"another key's address", alice.AccessToken, func(m *siweMsg, _ openapi.WalletNonce) { m.address = other.addr.Hex() }, nil},
		{"non-checksummed address", alice.AccessToken, func(m *siweMsg, _ openapi.WalletNonce) { m.address = strings.ToLower(w.addr.Hex()) }, nil},
		{"malformed message", alice.AccessToken, func(m *siweMsg, _ openapi.WalletNonce) { m.domain = "localhost:3000 wants\n" }, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			n := w.nonce(alice.AccessToken)
			m := w.message(n)
			c.edit(&m, n)
			key := w.key
			if c.key != nil {
				key = c.key()
			}
			r := w.link(c.token, m, key)
			b := errorOf(t, r, http.StatusUnauthorized)
			if b.Error.Code != "siwe_invalid" {
				t.Fatalf("code %q", b.Error.Code)
			}
		})
	}
	if ws, _ := a.auth.WalletsOf(t.Context(), alice.User.ID); len(ws) != 0 {
		t.Fatalf("refused messages linked %v", ws)
	}

	// Replay: the same signed message twice; the second finds its nonce used.
	n := w.nonce(alice.AccessToken)
	m := w.message(n)
	if r := w.link(alice.AccessToken, m, w.key); r.Code != http.StatusCreated {
		t.Fatalf("link: %d %s", r.Code, r.Body)
	}
	if b := errorOf(t, w.link(alice.AccessToken, m, w.key), http.StatusUnauthorized); b.Error.Code != "siwe_invalid" {
		t.Fatalf("replay: code %q", b.Error.Code)
	}
	// Bob signs alice's wallet's message with a nonce of his own: the address is alice's.
	bm := w.message(w.nonce(bob.AccessToken))
	r := w.link(bob.AccessToken, bm, w.key)
	if r.Code != http.StatusConflict || !strings.Contains(r.Body.String(), "identity_taken") {
		t.Fatalf("taken: %d %s", r.Code, r.Body)
	}
	if owner, _ := a.auth.WalletOwner(t.Context(), w.addr); owner != alice.User.ID {
		t.Fatal("the wallet moved to bob")
	}
	// Stale nonce: issued more than ten minutes ago (the caller signs in again, so that only the
	// nonce is old).
	old := other.nonce(alice.AccessToken)
	a.now = a.now.Add(11 * time.Minute)
	again, err := a.auth.StartSession(t.Context(), alice.User.ID, auth.MethodPassword, auth.Client{})
	if err != nil {
		t.Fatal(err)
	}
	om := other.message(old)
	om.issuedAt = a.now
	if b := errorOf(t, other.link(again.AccessToken, om, other.key), http.StatusUnauthorized); b.Error.Code != "siwe_invalid" {
		t.Fatalf("expired nonce: code %q", b.Error.Code)
	}
	if b := errorOf(t, a.do("POST", "/v1/wallets/nonce", nil, ""), http.StatusUnauthorized); b.Error.Code != "unauthenticated" {
		t.Fatalf("nonce without a token: %q", b.Error.Code)
	}
}

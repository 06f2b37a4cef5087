package main

import (
	"context"
	"fmt"
	"log/slog"
	"math/big"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/amanat/amn/admin"
	"github.com/amanat/amn/api"
	"github.com/amanat/amn/auth"
	"github.com/amanat/amn/chain"
	"github.com/amanat/amn/db"
	"github.com/amanat/amn/db/dbtest"
	"github.com/amanat/amn/hd"
	"github.com/amanat/amn/intent"
	"github.com/amanat/amn/ops"
	"github.com/amanat/amn/payment"
	"github.com/amanat/amn/payment/paymenttest"
	"github.com/amanat/amn/signer"
)

const (
	adminTestEscrow = "0x00000000000000000000000000000000000e5c40"
	adminTestRPC    = "http://127.0.0.1:1" // no node: both modes show the quorum as unknown, for the same reason
)

// adminAPIServer serves the real router, with the admin service, on the test database over
// httptest; it returns the URL and the auth service to make users with.
func adminAPIServer(t *testing.T) (string, *auth.Service) {
	t.Helper()
	pool := dbtest.PoolLike(t, dbtest.Pool(t), db.RoleAPI)
	keys, err := auth.GenerateKeys()
	if err != nil {
		t.Fatal(err)
	}
	authSvc, err := auth.New(pool, auth.Config{Issuer: "amn-test", Audience: "amn-test", Keys: keys})
	if err != nil {
		t.Fatal(err)
	}
	reg := chain.DefaultRegistry()
	if err := reg.Merge([]byte(`{"chains":[{"key":"bsc","escrow":"` + adminTestEscrow + `"}]}`)); err != nil {
		t.Fatal(err)
	}
	adm := admin.New(pool, admin.Config{Registry: reg, RPCURL: adminTestRPC, SignerTxs: signer.TxRecord{}, SweepByJob: true})
	srv := httptest.NewServer(api.NewRouter(api.Deps{Log: slog.New(slog.DiscardHandler), Registry: ops.NewRegistry(), Auth: authSvc, Admin: adm}))
	t.Cleanup(srv.Close)
	return srv.URL, authSvc
}

// signedIn makes a user with roles and a password, and runs amn login for it in a config
// directory of its own; it returns the environment that finds the session.
func signedIn(t *testing.T, authSvc *auth.Service, url, email string, roles ...auth.Role) []string {
	t.Helper()
	hash, err := auth.HashPassword("correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := authSvc.CreateUser(context.Background(), auth.NewUser{Email: email, EmailVerified: true, PasswordHash: hash, Roles: roles}); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	pw := filepath.Join(dir, "pw")
	if err := os.WriteFile(pw, []byte("correct horse battery staple\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := []string{"XDG_CONFIG_HOME=" + filepath.Join(dir, "config")}
	code, out, errs := run(t, env, "login", "--api-url", url, "--email", email, "--password-file", pw)
	if code != 0 || !strings.Contains(out, "signed in to "+url+" as "+email) {
		t.Fatalf("login: exit %d: %s%s", code, out, errs)
	}
	st, err := os.Stat(filepath.Join(dir, "config", "amn", "session.json"))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("session file: %v %v", err, st)
	}
	return env
}

// inEscrowPayment makes a payment proven, paid and swept into escrow, on the test database.
func inEscrowPayment(t *testing.T) *payment.Payment {
	t.Helper()
	ctx := context.Background()
	d, err := hd.ParseXpub(anvilXpub)
	if err != nil {
		t.Fatal(err)
	}
	s := payment.New(dbtest.Pool(t), d)
	usdt := common.HexToAddress("0x55d398326f99059fF775485246999027B3197955")
	n := time.Now().UnixNano()
	p, err := s.Create(ctx, paymenttest.Offer(payment.NewPayment{BuyerRef: "b", OfferRef: fmt.Sprint("o", n),
		ChainID: 56, ChainKey: "bsc", Token: usdt, TokenSymbol: "USDT", Decimals: 18,
		Amount: big.NewInt(1000), Fee: big.NewInt(0), FeeAddress: common.HexToAddress("0xfe"), Commission: big.NewInt(10),
		RequestID: fmt.Sprint("r", n), Salt: "s", TTL: time.Hour}, paymenttest.Seller()))
	if err != nil {
		t.Fatal(err)
	}
	p = paymenttest.ProveBuyer(t, s, p, paymenttest.Buyer())
	o := payment.Observation{ChainID: 56, BlockHash: common.BytesToHash(p.ID[:]), BlockNumber: 1, TxHash: common.BytesToHash(p.ID[:]),
		Token: usdt, Amount: big.NewInt(1000)}
	if _, err := s.Detect(ctx, p.ID, o); err != nil {
		t.Fatal(err)
	}
	if p, err = s.Confirm(ctx, p.ID, o.TransferID()); err != nil {
		t.Fatal(err)
	}
	if _, err := s.StartSweep(ctx, p.ID); err != nil {
		t.Fatal(err)
	}
	if p, err = s.Swept(ctx, p.ID, paymenttest.OwnSweep(p)); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestAdminOverTheAPIPrintsWhatTheDatabaseModePrints: release, refund and the intents list print
// the same in both modes on the same state (the database mode records, the API mode finds the
// intent open); API errors exit as the database mode's do (2 for the caller's mistakes); a
// seller's session is refused.
func TestAdminOverTheAPIPrintsWhatTheDatabaseModePrints(t *testing.T) {
	url, authSvc := adminAPIServer(t)
	apiEnv := signedIn(t, authSvc, url, "admin-cli@example.com", auth.RoleAdmin)
	dbEnv := []string{"AMN_DATABASE_URL=" + dbtest.URL(t)}
	dbFlags := []string{"--escrow", adminTestEscrow, "--rpc-url", adminTestRPC}
	apiFlags := []string{"--api-url", url}

	for _, c := range []struct{ verb, flag string }{{"release", "--reason=delivered"}, {"refund", "--reason=never shipped"}} {
		p := inEscrowPayment(t)
		args := []string{"admin", c.verb, p.ID.String(), c.flag}
		code, dbOut, errs := run(t, dbEnv, append(args, dbFlags...)...)
		if code != 0 || !strings.Contains(dbOut, "recorded for payment "+p.ID.String()) || !strings.Contains(dbOut, "EIP-712 digest 0x") {
			t.Fatalf("%s in database mode: exit %d: %s%s", c.verb, code, dbOut, errs)
		}
		code, apiOut, errs := run(t, apiEnv, append(args, apiFlags...)...)
		if code != 0 {
			t.Fatalf("%s over the API: exit %d: %s%s", c.verb, code, apiOut, errs)
		}
		if want := strings.Replace(dbOut, " recorded for payment ", " already open for payment ", 1); apiOut != want {
			t.Fatalf("%s: the API mode printed\n%s\nthe database mode\n%s", c.verb, apiOut, dbOut)
		}

		list := []string{"admin", "intents", "--payment", p.ID.String()}
		code, dbList, dbNotes := run(t, dbEnv, append(list, dbFlags...)...)
		code2, apiList, apiNotes := run(t, apiEnv, append(list, apiFlags...)...)
		if code != 0 || code2 != 0 || dbList != apiList || dbNotes != apiNotes || !strings.Contains(apiList, " "+c.verb+" ") ||
			!strings.Contains(apiList, "0/?") || !strings.Contains(apiNotes, "threshold of 56/") {
			t.Fatalf("intents: database mode exit %d\n%s%s\nAPI mode exit %d\n%s%s", code, dbList, dbNotes, code2, apiList, apiNotes)
		}
	}

	// Errors map to the same exit codes: an unknown payment (not found) and a refund of a payment
	// whose release is open (refused) are the caller's: 2.
	p := inEscrowPayment(t)
	if code, _, errs := run(t, apiEnv, "admin", "release", "00000000-0000-0000-0000-000000000001", "--api-url", url); code != 2 || !strings.Contains(errs, "not found") {
		t.Fatalf("unknown payment over the API: exit %d: %s", code, errs)
	}
	if code, _, errs := run(t, apiEnv, "admin", "release", p.ID.String(), "--api-url", url); code != 0 {
		t.Fatalf("release: exit %d: %s", code, errs)
	}
	if code, _, errs := run(t, apiEnv, "admin", "refund", p.ID.String(), "--reason", "x", "--api-url", url); code != 2 || !strings.Contains(errs, "open release intent") {
		t.Fatalf("refund while a release is open: exit %d: %s", code, errs)
	}
	if code, _, errs := run(t, apiEnv, "admin", "release", p.ID.String(), "--api-url", url, "--escrow", adminTestEscrow); code != 2 || !strings.Contains(errs, "database mode") {
		t.Fatalf("--escrow over the API: exit %d: %s", code, errs)
	}

	// A seller's session reaches no admin route.
	sellerEnv := signedIn(t, authSvc, url, "seller-cli@example.com", auth.RoleSeller)
	if code, _, errs := run(t, sellerEnv, "admin", "intents", "--api-url", url); code != 2 || !strings.Contains(errs, "forbidden") {
		t.Fatalf("seller over the API: exit %d: %s", code, errs)
	}
	// Without a session: one line saying to sign in.
	if code, _, errs := run(t, []string{"XDG_CONFIG_HOME=" + t.TempDir()}, "admin", "intents", "--api-url", url); code != 2 || !strings.Contains(errs, "amn login") {
		t.Fatalf("no session: exit %d: %s", code, errs)
	}
}

// TestLoginRefusesBadCredentialsAndRefreshesAnExpiredToken: a wrong password exits 2 and keeps no
// session; an expired access token is refreshed with the refresh token and the new session kept.
func TestLoginRefusesBadCredentialsAndRefreshesAnExpiredToken(t *testing.T) {
	url, authSvc := adminAPIServer(t)
	env := signedIn(t, authSvc, url, "admin-refresh@example.com", auth.RoleAdmin)
	xdg := strings.TrimPrefix(env[0], "XDG_CONFIG_HOME=")
	path := filepath.Join(xdg, "amn", "session.json")
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// Age the access token as a clock would: the stored expiry passes.
	aged := strings.Replace(string(raw), `"accessTokenExpiresAt": "`, `"accessTokenExpiresAt": "2000-01-01T00:00:00Z", "x": "`, 1)
	if err := os.WriteFile(path, []byte(aged), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, out, errs := run(t, env, "admin", "intents", "--api-url", url); code != 0 || !strings.Contains(out, "INTENT") {
		t.Fatalf("intents with an expired token: exit %d: %s%s", code, out, errs)
	}
	after, _ := os.ReadFile(path)
	if strings.Contains(string(after), "2000-01-01") || string(after) == string(raw) {
		t.Fatalf("the session was not refreshed:\n%s", after)
	}

	dir := t.TempDir()
	pw := filepath.Join(dir, "pw")
	if err := os.WriteFile(pw, []byte("wrong password\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	badEnv := []string{"XDG_CONFIG_HOME=" + filepath.Join(dir, "config")}
	code, _, errs := run(t, badEnv, "login", "--api-url", url, "--email", "admin-refresh@example.com", "--password-file", pw)
	if code != 2 || !strings.Contains(errs, "invalid_credentials") {
		t.Fatalf("wrong password: exit %d: %s", code, errs)
	}
	if _, err := os.Stat(filepath.Join(dir, "config", "amn", "session.json")); !os.IsNotExist(err) {
		t.Fatalf("a session kept after a failed login: %v", err)
	}
	if code, _, errs := run(t, nil, "login", "--api-url", "ftp://x", "--email", "a@b.co", "--password-file", pw); code != 2 || !strings.Contains(errs, "--api-url") {
		t.Fatalf("bad --api-url: exit %d: %s", code, errs)
	}
}

// TestConcurrentRefreshesKeepTheSession: several amn runs finding the same expired access token at
// once refresh it one at a time (a lock on the session file; each re-reads it after the lock):
// one trades the refresh token, the others use what it kept. Without the lock they would each
// present the same refresh token, and the API, taking the second use for theft, revokes the
// session.
func TestConcurrentRefreshesKeepTheSession(t *testing.T) {
	url, authSvc := adminAPIServer(t)
	env := signedIn(t, authSvc, url, "admin-concurrent@example.com", auth.RoleAdmin)
	xdg := strings.TrimPrefix(env[0], "XDG_CONFIG_HOME=")
	t.Setenv("XDG_CONFIG_HOME", xdg)
	path := filepath.Join(xdg, "amn", "session.json")
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	aged := strings.Replace(string(raw), `"accessTokenExpiresAt": "`, `"accessTokenExpiresAt": "2000-01-01T00:00:00Z", "x": "`, 1)
	if err := os.WriteFile(path, []byte(aged), 0o600); err != nil {
		t.Fatal(err)
	}
	const runs = 8
	clients := make([]*apiClient, runs)
	for i := range clients {
		if clients[i], err = newSessionClient(url); err != nil { // each read the aged file, as a new process does
			t.Fatal(err)
		}
	}
	start := make(chan struct{})
	errs := make(chan error, runs)
	for _, c := range clients {
		go func() {
			<-start
			_, err := apiAdmin{c}.Intents(context.Background(), intent.Filter{Limit: 1})
			errs <- err
		}()
	}
	close(start)
	for range runs {
		if err := <-errs; err != nil {
			t.Errorf("a concurrent run: %v", err)
		}
	}
	// The session survived: a later run still works on the file's tokens.
	if code, out, errs := run(t, env, "admin", "intents", "--api-url", url); code != 0 || !strings.Contains(out, "INTENT") {
		t.Fatalf("after concurrent refreshes: exit %d: %s%s", code, out, errs)
	}
}

package api

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-redis/redis_rate/v10"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"

	"github.com/amanat/amn/auth"
	"github.com/amanat/amn/chain"
	"github.com/amanat/amn/db/dbtest"
	"github.com/amanat/amn/devnet"
	"github.com/amanat/amn/hd"
	"github.com/amanat/amn/market"
	"github.com/amanat/amn/ops"
	"github.com/amanat/amn/payment"
)

// edgeRouter is another "API process": a router of its own (own registry) on a's database and
// auth, with edge settings, sharing whatever Redis e names.
func edgeRouter(a *testAPI, e Edge) (http.Handler, *prometheus.Registry) {
	reg := ops.NewRegistry()
	return NewRouter(Deps{Log: slog.New(slog.NewJSONHandler(a.logs, nil)), Registry: reg, Auth: a.auth, Edge: e}), reg
}

// realRedis is the machine's Redis, with a key prefix of the test's own.
func realRedis(t *testing.T) (*redis.Client, string) {
	t.Helper()
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:6379"})
	if err := rdb.Ping(context.Background()).Err(); err != nil {
		t.Fatalf("redis at 127.0.0.1:6379: %v", err)
	}
	t.Cleanup(func() { _ = rdb.Close() })
	return rdb, "amn:test:" + t.Name() + ":" + uuid.NewString()[:8] + ":"
}

// send is a request from ip (the connection's peer) with extra headers.
func send(h http.Handler, method, path, body, ip string, hdr map[string]string) *httptest.ResponseRecorder {
	var req *http.Request
	if body != "" {
		req = httptest.NewRequest(method, path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
	} else {
		req = httptest.NewRequest(method, path, nil)
	}
	req.RemoteAddr = ip + ":40000"
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func login(email string) string {
	return `{"email":"` + email + `","password":"wrong password"}`
}

// Acceptance 3: the 11th sign-in attempt in 15 minutes gets 429 with Retry-After — per IP (any
// emails), and per account (one email from many IPs: the 11th failed attempt; only failed ones
// count, so that strangers cannot lock the owner out of everything, TestStrangersCannotLockAnOwnerOut).
func TestEleventhSignInAttemptIsRateLimited(t *testing.T) {
	a := newTestAPI(t)
	rdb, prefix := realRedis(t)
	h, _ := edgeRouter(a, Edge{Redis: rdb, RateKeyPrefix: prefix})
	for i := range 10 {
		if rec := send(h, "POST", "/v1/auth/login", login(email("ip")), "198.51.100.1", nil); rec.Code == 429 {
			t.Fatalf("attempt %d limited", i+1)
		}
	}
	rec := send(h, "POST", "/v1/auth/login", login(email("ip")), "198.51.100.1", nil)
	wantCode(t, rec, 429, "rate_limited")
	if ra, err := strconv.Atoi(rec.Header().Get("Retry-After")); err != nil || ra < 1 || ra > 15*60 {
		t.Fatalf("Retry-After %q", rec.Header().Get("Retry-After"))
	}
	// Another IP is not held back by the first one's attempts.
	if rec := send(h, "POST", "/v1/auth/login", login(email("ip")), "198.51.100.2", nil); rec.Code == 429 {
		t.Fatal("another IP was limited")
	}

	victim := email("Account")
	for i := range 10 {
		if rec := send(h, "POST", "/v1/auth/login", login(victim), "203.0.113."+strconv.Itoa(i+1), nil); rec.Code == 429 {
			t.Fatalf("account attempt %d limited", i+1)
		}
	}
	// The same account, another case and a new IP: still the same account.
	wantCode(t, send(h, "POST", "/v1/auth/login", login(strings.ToUpper(victim)), "203.0.113.99", nil), 429, "rate_limited")
	// The failed sign-ins do not hold back a reset code for the owner.
	if rec := send(h, "POST", "/v1/auth/password/forgot", `{"email":"`+victim+`"}`, "203.0.113.100", nil); rec.Code != http.StatusAccepted {
		t.Fatalf("forgot after failed sign-ins: %d %s", rec.Code, rec.Body)
	}
	// No email in Redis: keys hash the account.
	keys, err := rdb.Keys(context.Background(), "*"+prefix+"*").Result()
	if err != nil || len(keys) == 0 {
		t.Fatalf("keys %v %v", keys, err)
	}
	for _, k := range keys {
		if strings.Contains(strings.ToLower(k), "example.com") {
			t.Fatalf("an email in a Redis key: %s", k)
		}
	}
}

// Acceptance 3: two API processes sharing Redis share the limit.
func TestRateLimitIsSharedAcrossProcesses(t *testing.T) {
	a := newTestAPI(t)
	rdb, prefix := realRedis(t)
	one, _ := edgeRouter(a, Edge{Redis: rdb, RateKeyPrefix: prefix})
	two, _ := edgeRouter(a, Edge{Redis: redis.NewClient(&redis.Options{Addr: "127.0.0.1:6379"}), RateKeyPrefix: prefix})
	for i := range 10 {
		h := one
		if i%2 == 1 {
			h = two
		}
		if rec := send(h, "POST", "/v1/auth/login", login(email("shared")), "198.51.100.7", nil); rec.Code == 429 {
			t.Fatalf("attempt %d limited", i+1)
		}
	}
	wantCode(t, send(one, "POST", "/v1/auth/login", login(email("shared")), "198.51.100.7", nil), 429, "rate_limited")
	wantCode(t, send(two, "POST", "/v1/auth/login", login(email("shared")), "198.51.100.7", nil), 429, "rate_limited")
}

// Redis down: sign-in fails closed (503), reads fail open, each counted.
func TestRateLimitWithRedisDown(t *testing.T) {
	a := newTestAPI(t)
	down := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", MaxRetries: -1, DialTimeout: 200 * time.Millisecond})
	t.Cleanup(func() { _ = down.Close() })
	h, reg := edgeRouter(a, Edge{Redis: down})
	s := a.user(email("down"), auth.RoleBuyer)
	b := errorOf(t, send(h, "POST", "/v1/auth/login", login(email("down")), "198.51.100.9", nil), 503)
	if b.Error.Code != "unavailable" || strings.Contains(b.Error.Message, "127.0.0.1") {
		t.Fatalf("%+v", b.Error)
	}
	if rec := send(h, "GET", "/v1/me", "", "198.51.100.9", map[string]string{"Authorization": "Bearer " + s.AccessToken}); rec.Code != 200 {
		t.Fatalf("a read failed closed: %d %s", rec.Code, rec.Body.String())
	}
	// A write outside sign-in fails closed too.
	errorOf(t, send(h, "PATCH", "/v1/me", `{"locale":"kk"}`, "198.51.100.9", map[string]string{"Authorization": "Bearer " + s.AccessToken}), 503)
	got := map[string]float64{"closed": counter(t, reg, "amn_ratelimit_redis_errors_total", "closed"),
		"open": counter(t, reg, "amn_ratelimit_redis_errors_total", "open")}
	if got["closed"] != 2 || got["open"] != 1 {
		t.Fatalf("redis error metric %v", got)
	}
}

// The global per-IP limit covers every /v1 route but the webhook and the JWKS; the operator's
// routes are not limited.
func TestGlobalLimitAndExemptions(t *testing.T) {
	a := newTestAPI(t)
	rdb, prefix := realRedis(t)
	rules := RateRules(DefaultAuthLimit, DefaultPaymentsLimit, redis_rate.Limit{Rate: 3, Burst: 3, Period: time.Minute})
	h, reg := edgeRouter(a, Edge{Redis: rdb, RateKeyPrefix: prefix, RateRules: rules})
	s := a.user(email("global"), auth.RoleBuyer)
	bearer := map[string]string{"Authorization": "Bearer " + s.AccessToken}
	for range 3 {
		if rec := send(h, "GET", "/v1/me", "", "198.51.100.20", bearer); rec.Code != 200 {
			t.Fatalf("%d", rec.Code)
		}
	}
	wantCode(t, send(h, "GET", "/v1/me", "", "198.51.100.20", bearer), 429, "rate_limited")
	if v := counter(t, reg, "amn_ratelimit_rejected_total", "global"); v != 1 {
		t.Fatalf("rejected metric %v", v)
	}
	for range 20 {
		if rec := send(h, "POST", "/v1/webhooks/request-network", `{}`, "198.51.100.20", nil); rec.Code == 429 {
			t.Fatal("the webhook is rate limited")
		}
		if rec := send(h, "GET", "/v1/auth/jwks.json", "", "198.51.100.20", nil); rec.Code != 200 {
			t.Fatalf("jwks %d", rec.Code)
		}
		if rec := send(h, "GET", "/healthz", "", "198.51.100.20", nil); rec.Code == 429 {
			t.Fatal("healthz is rate limited")
		}
	}
}

// counter reads a counter of reg by its one label's value.
func counter(t *testing.T, reg *prometheus.Registry, name, label string) float64 {
	t.Helper()
	m, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range m {
		for _, x := range f.GetMetric() {
			if f.GetName() == name && x.GetLabel()[0].GetValue() == label {
				return x.GetCounter().GetValue()
			}
		}
	}
	return 0
}

// X-Forwarded-For is believed only from a trusted proxy: a client cannot escape its limit by
// sending one, and clients behind a trusted proxy are told apart.
func TestClientIPFromTrustedProxiesOnly(t *testing.T) {
	a := newTestAPI(t)
	rdb, prefix := realRedis(t)
	rules := RateRules(DefaultAuthLimit, DefaultPaymentsLimit, redis_rate.Limit{Rate: 2, Burst: 2, Period: time.Minute})
	trusted := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
	h, _ := edgeRouter(a, Edge{Redis: rdb, RateKeyPrefix: prefix, RateRules: rules, TrustedProxies: trusted})
	for i := range 3 {
		xff := map[string]string{"X-Forwarded-For": "192.0.2." + strconv.Itoa(i+1)}
		rec := send(h, "GET", "/v1/openapi.json", "", "198.51.100.30", xff) // not a proxy: XFF ignored
		if (i < 2) != (rec.Code != 429) {
			t.Fatalf("spoofed XFF request %d: %d", i, rec.Code)
		}
	}
	for i := range 5 {
		xff := map[string]string{"X-Forwarded-For": "192.0.2.50, 203.0.113." + strconv.Itoa(i+1) + ", 10.1.1.1"}
		if rec := send(h, "GET", "/v1/openapi.json", "", "10.0.0.2", xff); rec.Code == 429 {
			t.Fatalf("client %d behind the proxy was limited by the others", i)
		}
	}

	for _, c := range []struct{ remote, xff, want string }{
		{"198.51.100.1", "1.2.3.4", "198.51.100.1"},
		{"10.0.0.1", "1.2.3.4", "1.2.3.4"},
		{"10.0.0.1", "1.2.3.4, 10.9.9.9", "1.2.3.4"},
		{"10.0.0.1", "5.6.7.8, 1.2.3.4", "1.2.3.4"},
		{"10.0.0.1", "garbage, 10.2.2.2", "10.2.2.2"},
		{"10.0.0.1", "", "10.0.0.1"},
		{"[::ffff:10.0.0.1]", "2001:db8::1", "2001:db8::1"},
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = c.remote + ":1"
		if c.xff != "" {
			r.Header.Set("X-Forwarded-For", c.xff)
		}
		if got := clientIP(r, trusted); got != c.want {
			t.Errorf("%s via %q: %s, want %s", c.remote, c.xff, got, c.want)
		}
	}
}

func TestParseLimit(t *testing.T) {
	if l, err := ParseLimit("10/15m"); err != nil || l.Rate != 10 || l.Burst != 10 || l.Period != 15*time.Minute {
		t.Fatalf("%v %v", l, err)
	}
	for _, bad := range []string{"", "10", "0/1m", "-1/1m", "10/0s", "x/1m", "10/forever", "10/1ms"} {
		if _, err := ParseLimit(bad); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
}

func FuzzClientIP(f *testing.F) {
	f.Add("10.0.0.1:1", "1.2.3.4, 10.0.0.2")
	f.Add("[::1]:80", "::ffff:1.2.3.4,,")
	f.Add("garbage", "")
	trusted := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("::1/128")}
	f.Fuzz(func(t *testing.T, remote, xff string) {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = remote
		r.Header["X-Forwarded-For"] = []string{xff}
		got := clientIP(r, trusted)
		// A peer that is not a trusted proxy is the client, whatever the header says.
		if host, _, err := net.SplitHostPort(remote); err == nil {
			if a, err := netip.ParseAddr(host); err == nil && !isTrusted(a.Unmap(), trusted) && got != a.Unmap().String() {
				t.Fatalf("untrusted peer %q named %q", remote, got)
			}
		}
	})
}

func FuzzEmailOf(f *testing.F) {
	f.Add([]byte(`{"email":"A@B.co","password":"x"}`))
	f.Add([]byte(`{"email":1}`))
	f.Add([]byte(`[`))
	f.Fuzz(func(t *testing.T, b []byte) {
		e := emailOf(b)
		if e != "" && (e != strings.ToLower(e) || !strings.HasPrefix(e, "email:")) {
			t.Fatalf("%q", e)
		}
	})
}

// TestStrangersCannotLockAnOwnerOut: strangers failing to sign in as the owner from many
// addresses lock the account's password sign-in (that is the per-account limit's job), but not
// the owner's way back: a reset code is mailed and works, the reset clears the failures, and the
// owner signs in with the new password. Requests that are no failed attempt (malformed, or the
// right password of an unverified account) do not count; a successful sign-in clears the count.
func TestStrangersCannotLockAnOwnerOut(t *testing.T) {
	m := newMailAPI(t)
	rdb, prefix := realRedis(t)
	h, _ := edgeRouter(m.testAPI, Edge{Redis: rdb, RateKeyPrefix: prefix})
	owner := email("owner")
	hash, err := auth.HashPassword("the owner's password")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.auth.CreateUser(context.Background(), auth.NewUser{Email: owner, EmailVerified: true, PasswordHash: hash}); err != nil {
		t.Fatal(err)
	}
	for i := range 10 {
		wantCode(t, send(h, "POST", "/v1/auth/login", login(owner), "203.0.113."+strconv.Itoa(i+1), nil), 401, "invalid_credentials")
	}
	const home = "198.51.100.77"
	right := `{"email":"` + owner + `","password":"the owner's password"}`
	wantCode(t, send(h, "POST", "/v1/auth/login", right, home, nil), 429, "rate_limited")

	if rec := send(h, "POST", "/v1/auth/password/forgot", `{"email":"`+owner+`"}`, home, nil); rec.Code != http.StatusAccepted {
		t.Fatalf("forgot: %d %s", rec.Code, rec.Body)
	}
	code := m.code(owner, "password reset code")
	reset := `{"email":"` + owner + `","code":"` + code + `","newPassword":"the owner's new password"}`
	if rec := send(h, "POST", "/v1/auth/password/reset", reset, home, nil); rec.Code != http.StatusNoContent {
		t.Fatalf("reset: %d %s", rec.Code, rec.Body)
	}
	newPW := `{"email":"` + owner + `","password":"the owner's new password"}`
	if rec := send(h, "POST", "/v1/auth/login", newPW, home, nil); rec.Code != http.StatusOK {
		t.Fatalf("sign-in after the reset: %d %s", rec.Code, rec.Body)
	}

	// Nine failures, then what is no failed attempt, from many addresses: none of it counts.
	other := email("counted")
	ip := 0
	next := func() string { ip++; return "192.0.2." + strconv.Itoa(ip) }
	for range 9 {
		wantCode(t, send(h, "POST", "/v1/auth/login", login(other), next(), nil), 401, "invalid_credentials")
	}
	for range 5 {
		wantCode(t, send(h, "POST", "/v1/auth/login", `{"email":"`+other+`"}`, next(), nil), 400, "invalid_request")
	}
	wantCode(t, send(h, "POST", "/v1/auth/login", login(other), next(), nil), 401, "invalid_credentials") // the 10th failure
	wantCode(t, send(h, "POST", "/v1/auth/login", login(other), next(), nil), 429, "rate_limited")

	// A successful sign-in clears the owner's failures.
	for range 9 {
		wantCode(t, send(h, "POST", "/v1/auth/login", login(owner), next(), nil), 401, "invalid_credentials")
	}
	if rec := send(h, "POST", "/v1/auth/login", newPW, home, nil); rec.Code != http.StatusOK {
		t.Fatalf("sign-in: %d", rec.Code)
	}
	for range 10 {
		wantCode(t, send(h, "POST", "/v1/auth/login", login(owner), next(), nil), 401, "invalid_credentials")
	}
}

// TestIPv6ClientsAreLimitedByTheirSlash64: the addresses of one /64 share a per-IP limit (a
// client picks any of them), another /64 has its own.
func TestIPv6ClientsAreLimitedByTheirSlash64(t *testing.T) {
	a := newTestAPI(t)
	rdb, prefix := realRedis(t)
	rules := RateRules(DefaultAuthLimit, DefaultPaymentsLimit, redis_rate.Limit{Rate: 2, Burst: 2, Period: time.Minute})
	h, _ := edgeRouter(a, Edge{Redis: rdb, RateKeyPrefix: prefix, RateRules: rules})
	for i, addr := range []string{"[2001:db8:1:2::1]", "[2001:db8:1:2:ffff:ffff:ffff:fffe]"} {
		if rec := send(h, "GET", "/v1/openapi.json", "", addr, nil); rec.Code != 200 {
			t.Fatalf("request %d: %d", i, rec.Code)
		}
	}
	wantCode(t, send(h, "GET", "/v1/openapi.json", "", "[2001:db8:1:2:abcd::9]", nil), 429, "rate_limited")
	if rec := send(h, "GET", "/v1/openapi.json", "", "[2001:db8:1:3::1]", nil); rec.Code != 200 {
		t.Fatalf("another /64 was limited: %d", rec.Code)
	}
	for in, want := range map[string]string{
		"2001:db8:1:2:3:4:5:6": "2001:db8:1:2::/64", "198.51.100.1": "198.51.100.1", "not an address": "not an address",
	} {
		if got := rateIP(in); got != want {
			t.Errorf("rateIP(%q) = %q, want %q", in, got, want)
		}
	}
}

// The marketplace's writes are limited per user (not per IP): a user past the limit on new
// requests, or on offers, is refused 429 rate_limited while another user from the same address
// goes on; reads and other routes are not counted.
func TestMarketWritesAreLimitedPerUser(t *testing.T) {
	d, err := hd.ParseXpub(anvilXpub)
	if err != nil {
		t.Fatal(err)
	}
	rdb, prefix := realRedis(t)
	two := redis_rate.Limit{Rate: 2, Burst: 2, Period: time.Minute}
	high := redis_rate.Limit{Rate: 1_000_000, Burst: 1_000_000, Period: time.Minute}
	a := &marketAPI{testAPI: buildTestAPI(t, func(pool *pgxpool.Pool, deps *Deps) {
		c := market.DefaultConfig()
		c.FeeAddress = devnet.AnvilAccount(9).Address
		deps.Market = market.New(pool, payment.New(pool, d), chain.DefaultRegistry(), c)
		deps.Edge = Edge{Redis: rdb, RateKeyPrefix: prefix, RateRules: RateRulesWith(high, high, high, MarketLimits{two, two, two, two})}
	}), owner: dbtest.Pool(t)}
	buyer, other := a.someone(auth.RoleBuyer), a.someone(auth.RoleBuyer)
	r := a.createRequest(buyer)
	a.createRequest(buyer)
	wantCode(t, a.do("POST", "/v1/marketplace/requests", requestBodyJSON(), buyer.AccessToken), 429, "rate_limited")
	a.call("GET", "/v1/marketplace/mine/requests", nil, buyer.AccessToken, 200, nil)
	a.call("PUT", "/v1/marketplace/requests/"+r.ID, editBodyJSON(), buyer.AccessToken, 200, nil)
	a.createRequest(other) // the same address, another user

	seller := a.someone(auth.RoleSeller)
	bad := map[string]any{"offerId": uuid.NewString(), "price": "1", "deliveryDays": 1, "validUntil": time.Now().Add(time.Hour),
		"payoutAddress": devnet.AnvilAccount(7).Address.Hex(), "payoutSignature": "0x" + strings.Repeat("11", 64) + "1b"}
	for range 2 {
		wantCode(t, a.do("POST", "/v1/marketplace/requests/"+r.ID+"/offers", bad, seller.AccessToken), 400, "invalid")
	}
	wantCode(t, a.do("POST", "/v1/marketplace/requests/"+r.ID+"/offers", bad, seller.AccessToken), 429, "rate_limited")
	a.offer(r.ID, a.someone(auth.RoleSeller), devnet.AnvilAccount(2), "150")
}

func TestRateRulePaths(t *testing.T) {
	rule := RateRule{Prefix: "/v1/", Method: "POST", Paths: []string{"/v1/marketplace/requests", "/v1/marketplace/requests/{id}/offers"}}
	for path, want := range map[string]bool{
		"/v1/marketplace/requests":                       true,
		"/v1/marketplace/requests/abc/offers":            true,
		"/v1/marketplace/requests/abc":                   false,
		"/v1/marketplace/requests//offers":               false,
		"/v1/marketplace/requests/abc/offers/def/accept": false,
		"/v1/marketplace/requests/abc/offers/typed-data": false,
		"/v1/marketplace/templates":                      false,
	} {
		if got := rule.matches(httptest.NewRequest("POST", path, nil)); got != want {
			t.Errorf("%s: matches %v, want %v", path, got, want)
		}
	}
	if rule.matches(httptest.NewRequest("GET", "/v1/marketplace/requests", nil)) {
		t.Error("a GET matches a POST rule")
	}
}

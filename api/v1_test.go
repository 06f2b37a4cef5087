package api

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-redis/redis_rate/v10"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/redis/go-redis/v9"

	"github.com/amanat/amn/admin"
	"github.com/amanat/amn/api/openapi"
	"github.com/amanat/amn/auth"
	"github.com/amanat/amn/db"
	"github.com/amanat/amn/db/dbtest"
	"github.com/amanat/amn/ops"
	"github.com/amanat/amn/payment"
)

// testAPI is the real router on a database of its own, working as amn_api, for tests that speak
// HTTP to the contract's routes.
type testAPI struct {
	t    testing.TB
	h    http.Handler
	auth *auth.Service
	logs *bytes.Buffer
	now  time.Time // the auth clock; tests move it
	edge Edge      // the rate limiter every request goes through
}

func newTestAPI(t testing.TB, opts ...func(*auth.Config)) *testAPI {
	t.Helper()
	return buildTestAPIOn(t, dbtest.PoolAs(t, db.RoleAPI), nil, opts...)
}

// newTestAPIOn is newTestAPI on a given amn_api pool, with the admin service when adm is set.
func newTestAPIOn(t testing.TB, pool *pgxpool.Pool, adm *admin.Service, opts ...func(*auth.Config)) *testAPI {
	t.Helper()
	return buildTestAPIOn(t, pool, func(_ *pgxpool.Pool, d *Deps) { d.Admin = adm }, opts...)
}

// buildTestAPI is newTestAPI with more dependencies: deps adds them (the market's service, on the
// same amn_api pool).
func buildTestAPI(t testing.TB, deps func(*pgxpool.Pool, *Deps), opts ...func(*auth.Config)) *testAPI {
	t.Helper()
	return buildTestAPIOn(t, dbtest.PoolAs(t, db.RoleAPI), deps, opts...)
}

func buildTestAPIOn(t testing.TB, pool *pgxpool.Pool, deps func(*pgxpool.Pool, *Deps), opts ...func(*auth.Config)) *testAPI {
	t.Helper()
	keys, err := auth.GenerateKeys()
	if err != nil {
		t.Fatal(err)
	}
	a := &testAPI{t: t, logs: &bytes.Buffer{}, now: time.Now().UTC()}
	cfg := auth.Config{
		Issuer: "amn-test", Audience: "amn-test", Keys: keys, Now: func() time.Time { return a.now },
		Telegram: auth.TelegramConfig{BotToken: testTelegramBotToken},
		// The cheapest argon2id the hasher accepts: the API's tests sign in hundreds of times under
		// -race, where the default 64 MiB × 2 passes dominated their run time. auth's own tests
		// keep the default parameters.
		Password: auth.PasswordConfig{Argon: auth.ArgonParams{Memory: 8 * 1024, Time: 1, Threads: 1}},
	}
	for _, o := range opts {
		o(&cfg)
	}
	a.auth, err = auth.New(pool, cfg)
	if err != nil {
		t.Fatal(err)
	}
	wh, err := payment.NewWebhooks(pool, []byte("whsec-api-test"))
	if err != nil {
		t.Fatal(err)
	}
	d := Deps{
		Log: slog.New(slog.NewJSONHandler(a.logs, nil)), Registry: ops.NewRegistry(),
		Webhooks: wh, Auth: a.auth, DocsDir: "../" + DefaultDocsDir, Edge: testEdge(t),
	}
	if deps != nil {
		deps(pool, &d)
	}
	a.edge = d.Edge
	a.h = NewRouter(d)
	return a
}

// do sends a request with an optional JSON body and bearer token.
func (a *testAPI) do(method, path string, body any, token string) *httptest.ResponseRecorder {
	a.t.Helper()
	var r io.Reader
	if body != nil {
		raw, ok := body.(string)
		if !ok {
			b, err := json.Marshal(body)
			if err != nil {
				a.t.Fatal(err)
			}
			raw = string(b)
		}
		r = strings.NewReader(raw)
	}
	req := httptest.NewRequest(method, path, r)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	a.h.ServeHTTP(rec, req)
	return rec
}

// user makes an active, verified user with roles and signs it in.
func (a *testAPI) user(email string, roles ...auth.Role) auth.Session {
	a.t.Helper()
	ctx := context.Background()
	u, err := a.auth.CreateUser(ctx, auth.NewUser{Email: email, EmailVerified: true, Roles: roles})
	if err != nil {
		a.t.Fatal(err)
	}
	s, err := a.auth.StartSession(ctx, u.ID, auth.MethodPassword, auth.Client{UserAgent: "test"})
	if err != nil {
		a.t.Fatal(err)
	}
	return s
}

// errorOf decodes an error body and checks its status.
func errorOf(t testing.TB, rec *httptest.ResponseRecorder, status int) ErrorBody {
	t.Helper()
	var b ErrorBody
	if err := json.Unmarshal(rec.Body.Bytes(), &b); err != nil || rec.Code != status {
		t.Fatalf("want %d with an error body, got %d %s", status, rec.Code, rec.Body.String())
	}
	if b.Error.RequestID == "" || b.Error.RequestID != rec.Header().Get("X-Request-Id") {
		t.Fatalf("error body's request id %q is not the response's %q", b.Error.RequestID, rec.Header().Get("X-Request-Id"))
	}
	return b
}

// TestEveryRouteIsInTheDocumentAndBack: the router serves exactly the document's operations under
// /v1 and /r (the operator's /healthz, /readyz and /metrics are not part of the contract).
func TestEveryRouteIsInTheDocumentAndBack(t *testing.T) {
	a := newTestAPI(t)
	doc, err := openapi.Load()
	if err != nil {
		t.Fatal(err)
	}
	var inDoc []string
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			inDoc = append(inDoc, method+" "+path)
		}
	}
	var routed []string
	err = chi.Walk(a.h.(chi.Routes), func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		if strings.HasPrefix(route, "/v1/") || strings.HasPrefix(route, "/r/") { // /r/{code}: referral links
			routed = append(routed, method+" "+route)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(inDoc)
	slices.Sort(routed)
	for _, r := range routed {
		if !slices.Contains(inDoc, r) {
			t.Errorf("%s is routed but not in the document", r)
		}
	}
	for _, d := range inDoc {
		if !slices.Contains(routed, d) {
			t.Errorf("%s is in the document but not routed", d)
		}
	}
	if len(inDoc) < 30 {
		t.Fatalf("only %d operations in the document", len(inDoc))
	}
}

// TestRequestsAreValidatedAgainstTheDocument: bad input gets 400 invalid_request naming each bad
// field, never a 500, and the handler does not run.
func TestRequestsAreValidatedAgainstTheDocument(t *testing.T) {
	a := newTestAPI(t)
	for _, c := range []struct {
		name, method, path string
		body               any
		fields             []string
	}{
		{"bad email, no password", "POST", "/v1/auth/login", map[string]any{"email": "not-an-email"}, []string{"body.email", "body.password"}},
		{"unknown property", "POST", "/v1/auth/refresh", map[string]any{"refreshToken": "x", "admin": true}, []string{"body"}},
		{"not JSON", "POST", "/v1/auth/refresh", `{"refreshToken":`, []string{"body"}},
		{"wrong type", "POST", "/v1/auth/email/verify", map[string]any{"email": "a@b.co", "code": 123456}, []string{"body.code"}},
		{"code pattern", "POST", "/v1/auth/email/verify", map[string]any{"email": "a@b.co", "code": "12345x"}, []string{"body.code"}},
		{"oversized string", "POST", "/v1/auth/google", map[string]any{"idToken": strings.Repeat("a", 5000)}, []string{"body.idToken"}},
		{"limit out of range", "GET", "/v1/auth/sessions?limit=1000", nil, []string{"query.limit"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			token := ""
			if c.method == "GET" {
				token = a.user(strings.ReplaceAll(c.name, " ", "")+"@example.com", auth.RoleBuyer).AccessToken
			}
			b := errorOf(t, a.do(c.method, c.path, c.body, token), http.StatusBadRequest)
			if b.Error.Code != "invalid_request" {
				t.Fatalf("code %q", b.Error.Code)
			}
			var got []string
			for _, f := range b.Error.Fields {
				got = append(got, f.Field)
			}
			for _, want := range c.fields {
				if !slices.Contains(got, want) {
					t.Errorf("fields %v lack %q (%s)", got, want, b.Error.Message)
				}
			}
		})
	}
}

// TestSecuredOperationsCheckTheTokenAndRoles: no token, a forged or foreign-audience token, an
// expired one, a revoked session's and a banned user's are refused with distinct codes; a buyer
// cannot call an admin operation.
func TestSecuredOperationsCheckTheTokenAndRoles(t *testing.T) {
	a := newTestAPI(t)
	buyer := a.user("buyer@example.com", auth.RoleBuyer)

	if b := errorOf(t, a.do("GET", "/v1/admin/users", nil, ""), 401); b.Error.Code != "unauthenticated" {
		t.Fatalf("no token: %q", b.Error.Code)
	}
	forged := buyer.AccessToken[:len(buyer.AccessToken)-4] + "AAAA"
	if b := errorOf(t, a.do("GET", "/v1/admin/users", nil, forged), 401); b.Error.Code != "unauthenticated" {
		t.Fatalf("forged token: %q", b.Error.Code)
	}
	if b := errorOf(t, a.do("GET", "/v1/admin/users", nil, buyer.AccessToken), 403); b.Error.Code != "forbidden" {
		t.Fatalf("buyer on an admin route: %q", b.Error.Code)
	}

	// A token signed by another key set (another deployment) is refused.
	other := newTestAPI(t)
	stranger := other.user("stranger@example.com", auth.RoleAdmin)
	if b := errorOf(t, a.do("GET", "/v1/admin/users", nil, stranger.AccessToken), 401); b.Error.Code != "unauthenticated" {
		t.Fatalf("another deployment's token: %q", b.Error.Code)
	}

	// Public operations ignore a stale Authorization header.
	if rec := a.do("GET", "/v1/auth/jwks.json", nil, forged); rec.Code != 200 {
		t.Fatalf("jwks with a bad token: %d", rec.Code)
	}

	a.now = a.now.Add(auth.DefaultAccessTTL + time.Minute)
	if b := errorOf(t, a.do("GET", "/v1/admin/users", nil, buyer.AccessToken), 401); b.Error.Code != "token_expired" {
		t.Fatalf("expired token: %q", b.Error.Code)
	}
}

// TestJWKSVerifiesTheAccessTokens: the published keys name the key that signed a token.
func TestJWKSVerifiesTheAccessTokens(t *testing.T) {
	a := newTestAPI(t)
	s := a.user("jwks@example.com", auth.RoleSeller)
	rec := a.do("GET", "/v1/auth/jwks.json", nil, "")
	var set struct {
		Keys []struct{ Kid, Kty, Alg, Crv string }
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &set); err != nil || len(set.Keys) != 1 {
		t.Fatalf("jwks %d %s", rec.Code, rec.Body.String())
	}
	header, _, _ := strings.Cut(s.AccessToken, ".")
	if set.Keys[0].Kty != "EC" || set.Keys[0].Alg != "ES256" || set.Keys[0].Crv != "P-256" ||
		!strings.Contains(decodeSegment(t, header), `"kid":"`+set.Keys[0].Kid+`"`) {
		t.Fatalf("jwks %+v, token header %s", set.Keys, decodeSegment(t, header))
	}
}

func TestOpenAPIDocumentIsServed(t *testing.T) {
	a := newTestAPI(t)
	rec := a.do("GET", "/v1/openapi.json", nil, "")
	var doc struct {
		OpenAPI string         `json:"openapi"`
		Paths   map[string]any `json:"paths"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil || doc.OpenAPI != "3.0.3" || doc.Paths["/v1/auth/login"] == nil {
		t.Fatalf("%d %.200s", rec.Code, rec.Body.String())
	}
}

func decodeSegment(t *testing.T, seg string) string {
	t.Helper()
	b, err := base64.RawURLEncoding.DecodeString(seg)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestReferencePageIsServedFromOurOwnFiles: /v1/docs loads its renderer from this server only, and
// only the listed file is served from the renderer's directory.
func TestReferencePageIsServedFromOurOwnFiles(t *testing.T) {
	a := newTestAPI(t)
	rec := a.do("GET", "/v1/docs", nil, "")
	page := rec.Body.String()
	if rec.Code != 200 || !strings.Contains(page, `<script src="/v1/docs/redoc.standalone.js">`) ||
		!strings.Contains(page, `spec-url="/v1/openapi.json"`) || strings.Contains(page, "://") {
		t.Fatalf("docs page %d:\n%s", rec.Code, page)
	}
	rec = a.do("GET", "/v1/docs/redoc.standalone.js", nil, "")
	if rec.Code != 200 || rec.Header().Get("Content-Type") != "application/javascript" || rec.Body.Len() < 100_000 {
		t.Fatalf("renderer: %d %s, %d bytes", rec.Code, rec.Header().Get("Content-Type"), rec.Body.Len())
	}
	for _, p := range []string{"/v1/docs/redoc.standalone.js.map", "/v1/docs/..%2F..%2Fpackage.json", "/v1/docs/LICENSE"} {
		if rec := a.do("GET", p, nil, ""); rec.Code != 404 {
			t.Errorf("%s: %d", p, rec.Code)
		}
	}
}

// testEdge is the real rate limiter on the real Redis, as `amn api` runs it, under a key prefix of
// the test's own and with limits no test reaches: every test's requests go through it (the
// limits themselves are tested in ratelimit_test.go).
func testEdge(t testing.TB) Edge {
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:6379"})
	t.Cleanup(func() { _ = rdb.Close() })
	var b [6]byte
	_, _ = rand.Read(b[:])
	// A million at once, then one every 10 s: no test comes near it, and each key lives about 10 s
	// per call (one per 60 µs let it expire before a test could see it, one per second before a
	// slow sign-in under -race had answered).
	high := redis_rate.Limit{Rate: 1_000_000, Burst: 1_000_000, Period: 10_000_000 * time.Second}
	return Edge{Redis: rdb, RateKeyPrefix: "amn:test:" + hex.EncodeToString(b[:]) + ":", RateRules: RateRulesWith(high, high, high, MarketLimits{high, high, high, high})}
}

// TestTheAPITestsGoThroughTheRateLimiter: the sign-in tests run against the router with the real
// limiter on the real Redis (issue #16: "against the real router, Postgres and Redis").
func TestTheAPITestsGoThroughTheRateLimiter(t *testing.T) {
	a := newTestAPI(t)
	if rec := a.do("POST", "/v1/auth/login", map[string]string{"email": "nobody-limiter@example.com", "password": "not the password"}, ""); rec.Code != http.StatusUnauthorized {
		t.Fatalf("login: %d %s", rec.Code, rec.Body)
	}
	keys, err := a.edge.Redis.Keys(context.Background(), "*"+a.edge.RateKeyPrefix+"*").Result() // redis_rate adds its own prefix
	if err != nil || len(keys) == 0 {
		t.Fatalf("no rate-limit keys under %q: %v %v", a.edge.RateKeyPrefix, keys, err)
	}
}

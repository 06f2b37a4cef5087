package api

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/amanat/amn/api/openapi"
	"github.com/amanat/amn/auth"
)

// FuzzRequestBodies sends arbitrary bodies (and query strings) to every operation of the contract
// that takes one: the answer is never a 500, and what is refused gets the stable error body. An
// operation the document secures gets a valid access token (of a user with every role), so that
// its body is read, not only its missing token refused; sign-out operations go without one (they
// take no body, and would end the session).
func FuzzRequestBodies(f *testing.F) {
	doc, err := openapi.Load()
	if err != nil {
		f.Fatal(err)
	}
	type op struct {
		method, path string
		secured      bool
	}
	var ops []op
	for path, item := range doc.Paths.Map() {
		for method, o := range item.Operations() {
			p := strings.NewReplacer("{sessionId}", "7d3c7a5e-52a6-4b0e-9c59-3f3f0d6f1c11", "{passkeyId}", "7d3c7a5e-52a6-4b0e-9c59-3f3f0d6f1c11",
				"{userId}", "7d3c7a5e-52a6-4b0e-9c59-3f3f0d6f1c11", "{address}", "0x00000000000000000000000000000000000000aa", "{asset}", "x.js",
				"{requestId}", "7d3c7a5e-52a6-4b0e-9c59-3f3f0d6f1c11", "{offerId}", "7d3c7a5e-52a6-4b0e-9c59-3f3f0d6f1c11",
				"{templateId}", "7d3c7a5e-52a6-4b0e-9c59-3f3f0d6f1c11", "{paymentId}", "7d3c7a5e-52a6-4b0e-9c59-3f3f0d6f1c11",
				"{intentId}", "7d3c7a5e-52a6-4b0e-9c59-3f3f0d6f1c11").Replace(path)
			secured := (o.Security == nil && len(doc.Security) > 0) || (o.Security != nil && len(*o.Security) > 0)
			signsOut := o.OperationID == "logout" || o.OperationID == "logoutAll"
			ops = append(ops, op{method, p, secured && !signsOut})
		}
	}
	slices.SortFunc(ops, func(a, b op) int { return strings.Compare(a.method+a.path, b.method+b.path) })
	for i, seed := range []string{
		`{}`, `{"email":"a@b.co","password":"correct horse battery"}`, `{"refreshToken":"amnrt_x"}`, `[]`, `null`,
		`{"email":{"$gt":""}}`, `{"idToken":"` + strings.Repeat("a", 3000) + `"}`, `{"initData":"user=%7B%7D&hash=00"}`,
		`{"message":"x","signature":"0x` + strings.Repeat("ab", 65) + `"}`, "\x00\xff", `{"a":` + strings.Repeat("[", 500) + `}`,
		`{"title":"abc","category":"x","productType":"service","budgetMin":"0","budgetMax":"1","chain":"bsc","token":"USDT","delivery":{"kind":"online"}}`,
		`{"offerId":"7d3c7a5e-52a6-4b0e-9c59-3f3f0d6f1c11","price":"1","payoutAddress":"0x00000000000000000000000000000000000000aa"}`,
		`{"price":"` + strings.Repeat("9", 78) + `","deliveryDays":1,"validUntil":"2030-01-01T00:00:00Z","payoutAddress":"0x00000000000000000000000000000000000000aa"}`,
		`{"wallet":"0x00000000000000000000000000000000000000aa","signature":"0x` + strings.Repeat("00", 65) + `"}`,
	} {
		f.Add(uint8(i), seed, "limit=5&cursor=abc")
	}
	a := newMarketAPI(f, nil).testAPI
	token := a.user("fuzz@example.com", auth.RoleAdmin, auth.RoleBuyer, auth.RoleSeller).AccessToken
	f.Fuzz(func(t *testing.T, which uint8, body, query string) {
		o := ops[int(which)%len(ops)]
		target := o.path
		if query != "" {
			target += "?" + query
		}
		if _, err := url.ParseRequestURI(target); err != nil || strings.ContainsAny(target, " #") {
			return // not a request line a client can send
		}
		a.t = t
		bearer := ""
		if o.secured {
			bearer = token
		}
		rec := a.do(o.method, target, body, bearer)
		if rec.Code == http.StatusInternalServerError {
			t.Fatalf("%s %s with %q: 500 %s", o.method, target, body, rec.Body.String())
		}
		if rec.Code >= 400 && !strings.HasPrefix(o.path, "/v1/docs") {
			b := errorOf(t, rec, rec.Code)
			if o.secured && (b.Error.Code == "unauthenticated" || b.Error.Code == "token_expired" || b.Error.Code == "forbidden") {
				t.Fatalf("%s %s: the token was refused (%s), so the body was not fuzzed", o.method, target, b.Error.Code)
			}
		}
	})
}

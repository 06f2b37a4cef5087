package api

import (
	"context"
	"maps"
	"net/http/httptest"
	"regexp"
	"testing"

	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/go-chi/chi/v5"

	"github.com/amanat/amn/api/openapi"
)

// The validator finds every operation that the contract's routes serve of the document from chi's match by a lookup (never
// falling back to the library's router for a route of the contract), and finds what the
// library's router finds: the same path template, method, operation and path parameters.
func TestValidatorFindsWhatTheLibraryRouterFinds(t *testing.T) {
	doc, err := openapi.Load()
	if err != nil {
		t.Fatal(err)
	}
	doc.Servers = nil
	slow, err := gorillamux.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	fast := &chiRoutes{byKey: operationRoutes(doc), slow: slow}
	mux := chi.NewRouter()
	mux.Group(func(g chi.Router) {
		openapi.HandlerWithOptions(openapi.NewStrictHandler(&v1{}, nil), openapi.ChiServerOptions{BaseRouter: g})
	})
	param := regexp.MustCompile(`\{[^}]+\}`)
	n := 0
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			n++
			url := param.ReplaceAllString(path, "0b6a3c1e-1f2a-4c3d-9e8f-0123456789ab")
			rctx := chi.NewRouteContext()
			if !mux.Match(rctx, method, url) {
				continue // served outside the contract's routes (the blog's XML, uploads): never validated
			}
			if _, ok := fast.byKey[method+" "+rctx.RoutePattern()]; !ok {
				t.Fatalf("%s %s: chi's pattern %q is not a key of the lookup", method, url, rctx.RoutePattern())
			}
			req := httptest.NewRequest(method, url, nil)
			req = req.WithContext(context.WithValue(req.Context(), chi.RouteCtxKey, rctx))
			got, gotParams, err := fast.FindRoute(req)
			if err != nil {
				t.Fatal(err)
			}
			want, wantParams, err := slow.FindRoute(req)
			if err != nil {
				t.Fatal(err)
			}
			if got.Path != want.Path || got.Method != want.Method || got.Operation != want.Operation || got.PathItem != want.PathItem ||
				got.Spec != want.Spec || !maps.Equal(gotParams, wantParams) {
				t.Fatalf("%s %s: lookup %s %s %v, library %s %s %v", method, url, got.Method, got.Path, gotParams, want.Method, want.Path, wantParams)
			}
		}
	}
	if n < 50 {
		t.Fatalf("only %d operations", n)
	}
}

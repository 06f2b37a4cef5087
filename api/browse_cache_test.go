package api

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// The browse list's pages are served again for the TTL, per exact query string; other routes,
// other methods and answers other than 200 never are, and a flood of distinct queries cannot grow
// the cache past its bound.
func TestBrowseCacheServesAPageAgainForItsTTL(t *testing.T) {
	now := time.Unix(1_000_000, 0)
	c := &browseCache{ttl: 2 * time.Second, now: func() time.Time { return now }, pages: map[string]cachedPage{}}
	calls := 0
	h := c.middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls++
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Query().Get("bad") != "" {
			w.WriteHeader(http.StatusBadRequest)
		}
		fmt.Fprintf(w, `{"call":%d}`, calls)
	}))
	get := func(method, target string) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(method, target, nil))
		return rec
	}
	step := func(name, method, target string, wantCalls int, wantBody string) *httptest.ResponseRecorder {
		t.Helper()
		rec := get(method, target)
		if calls != wantCalls || rec.Body.String() != wantBody {
			t.Fatalf("%s: %d calls, body %s; want %d, %s", name, calls, rec.Body.String(), wantCalls, wantBody)
		}
		return rec
	}
	step("first", "GET", "/v1/marketplace/requests?category=photo", 1, `{"call":1}`)
	now = now.Add(1500 * time.Millisecond)
	rec := step("again", "GET", "/v1/marketplace/requests?category=photo", 1, `{"call":1}`)
	if rec.Header().Get("Cache-Control") != "public, max-age=2" || rec.Header().Get("Age") != "1" || rec.Header().Get("Content-Type") != "application/json" {
		t.Fatalf("cached answer's headers: %v", rec.Header())
	}
	step("another query", "GET", "/v1/marketplace/requests?category=music", 2, `{"call":2}`)
	step("no query", "GET", "/v1/marketplace/requests", 3, `{"call":3}`)
	now = now.Add(time.Second)
	step("past the TTL", "GET", "/v1/marketplace/requests?category=photo", 4, `{"call":4}`)
	step("a request's page", "GET", "/v1/marketplace/requests/x", 5, `{"call":5}`)
	step("its page again", "GET", "/v1/marketplace/requests/x", 6, `{"call":6}`)
	step("POST", "POST", "/v1/marketplace/requests", 7, `{"call":7}`)
	if rec := step("400", "GET", "/v1/marketplace/requests?bad=1", 8, `{"call":8}`); rec.Code != http.StatusBadRequest {
		t.Fatalf("400 answered %d", rec.Code)
	}
	step("400 again", "GET", "/v1/marketplace/requests?bad=1", 9, `{"call":9}`)
	for i := range browseCacheEntries + 10 {
		get("GET", fmt.Sprintf("/v1/marketplace/requests?q=w%d", i))
	}
	if len(c.pages) > browseCacheEntries {
		t.Fatalf("%d pages kept, bound %d", len(c.pages), browseCacheEntries)
	}
	now = now.Add(3 * time.Second)
	get("GET", "/v1/marketplace/requests?q=new")
	if _, ok := c.pages["q=new"]; !ok || len(c.pages) > browseCacheEntries {
		t.Fatalf("a full cache of stale pages did not make room: %d pages", len(c.pages))
	}
}

// Off (TTL 0, the default of Deps) the handler runs every time.
func TestBrowseCacheOff(t *testing.T) {
	calls := 0
	h := cacheBrowse(0)(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { calls++ }))
	for range 3 {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/v1/marketplace/requests", nil))
	}
	if calls != 3 {
		t.Fatalf("%d calls, want 3", calls)
	}
}

package api

import (
	"maps"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// The public browse list (GET /v1/marketplace/requests) is the same for every caller: it names
// no one and reads only open public requests. Most calls ask for the same few pages (the first
// page, a category's first page), so the API keeps each page's answer for Edge.BrowseCache (5 s
// by default, `amn api --browse-cache`) and serves it again to whoever asks for the same query
// string meanwhile: no validation, handler, database or JSON encoding for those calls. A new or
// closed request shows in (or leaves) the list at most that much later; the request's own page
// (GET /v1/marketplace/requests/{id}) is never cached. The answer says so: Cache-Control public,
// max-age of the TTL, and Age. It carries no ETag (a page lives a second). Only 200 answers are
// kept, by the exact query string, at most browseCacheEntries at a time; the rate limits run
// before the cache, so a cached answer still counts.
const (
	browseListPath     = "/v1/marketplace/requests"
	browseCacheEntries = 4096
)

type cachedPage struct {
	header http.Header
	body   []byte
	at     time.Time
}

type browseCache struct {
	ttl   time.Duration
	now   func() time.Time
	mu    sync.Mutex
	pages map[string]cachedPage
}

// cacheBrowse serves the browse list from a cache of ttl; ttl 0 turns it off.
func cacheBrowse(ttl time.Duration) func(http.Handler) http.Handler {
	if ttl <= 0 {
		return func(next http.Handler) http.Handler { return next }
	}
	c := &browseCache{ttl: ttl, now: time.Now, pages: map[string]cachedPage{}}
	return c.middleware
}

func (c *browseCache) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet || r.URL.Path != browseListPath {
			next.ServeHTTP(w, r)
			return
		}
		key, now := r.URL.RawQuery, c.now()
		if p, ok := c.get(key, now); ok {
			c.write(w, p, now)
			return
		}
		b := &bufferedResponse{header: http.Header{}}
		next.ServeHTTP(b, r)
		if b.status == 0 {
			b.status = http.StatusOK
		}
		if b.status != http.StatusOK {
			maps.Copy(w.Header(), b.header)
			w.WriteHeader(b.status)
			_, _ = w.Write(b.body.Bytes())
			return
		}
		p := cachedPage{header: b.header, body: b.body.Bytes(), at: now}
		c.put(key, p)
		c.write(w, p, now)
	})
}

func (c *browseCache) get(key string, now time.Time) (cachedPage, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	p, ok := c.pages[key]
	if !ok || now.Sub(p.at) >= c.ttl {
		return cachedPage{}, false
	}
	return p, true
}

// put keeps p; when the cache is full it first forgets the pages past their time, and if none
// are, does not keep p (a flood of distinct queries cannot grow it).
func (c *browseCache) put(key string, p cachedPage) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.pages) >= browseCacheEntries {
		for k, old := range c.pages {
			if p.at.Sub(old.at) >= c.ttl {
				delete(c.pages, k)
			}
		}
	}
	if len(c.pages) < browseCacheEntries {
		c.pages[key] = p
	}
}

func (c *browseCache) write(w http.ResponseWriter, p cachedPage, now time.Time) {
	h := w.Header()
	maps.Copy(h, p.header.Clone()) // other middleware may append to a value: each answer has its own
	h.Set("Cache-Control", "public, max-age="+strconv.Itoa(max(int(c.ttl/time.Second), 1)))
	h.Set("Age", strconv.Itoa(int(now.Sub(p.at)/time.Second)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(p.body)
}

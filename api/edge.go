package api

import (
	"bytes"
	"io"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/go-chi/cors"
	"github.com/redis/go-redis/v9"
)

// Edge is the settings of the HTTP edge: rate limits, CORS, the proxies trusted to name the
// client, body limits (docs/api.md).
type Edge struct {
	// Redis holds the rate limits, shared by every API process; nil serves without limits.
	Redis *redis.Client
	// RateKeyPrefix starts every rate-limit key ("amn:rl:" when empty).
	RateKeyPrefix string
	// RateRules are the limits; nil is DefaultRateRules().
	RateRules []RateRule
	// CORSOrigins are the frontend origins allowed to call the API from a browser; none allows no
	// cross-origin call.
	CORSOrigins []string
	// TrustedProxies are the proxies whose X-Forwarded-For names the client; none trusts nobody
	// (the client is the connection's peer).
	TrustedProxies []netip.Prefix
	// BrowseCache is how long the public browse list's pages are served again from memory
	// (browse_cache.go); 0 turns the cache off.
	BrowseCache time.Duration
}

// Body limits: sign-in bodies are small (the largest is a passkey's attestation), everything else
// at most a megabyte.
const (
	authBodyLimit    = 64 << 10
	defaultBodyLimit = 1 << 20
)

// securityHeaders go on every response. HSTS is sent always (not only behind TLS): a browser
// ignores it over plain HTTP, and the TLS terminator in front of the API need not add it.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Content-Security-Policy", "frame-ancestors 'none'")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		next.ServeHTTP(w, r)
	})
}

// corsHandler allows the configured frontend origins only, with bearer tokens (no cookies).
func corsHandler(origins []string) func(http.Handler) http.Handler {
	return cors.Handler(cors.Options{
		AllowedOrigins: origins,
		AllowedMethods: []string{"GET", "POST", "PUT", "PATCH", "DELETE"},
		AllowedHeaders: []string{"Authorization", "Content-Type"},
		ExposedHeaders: []string{"X-Request-Id", "Retry-After"},
		MaxAge:         600,
	})
}

// bodyLimit reads the request body up to its limit (64 KiB under /v1/auth/, 1 MiB elsewhere)
// and answers 413 body_too_large beyond it; the handler gets the body from memory. An upload's
// body is streamed instead, under the upload limit (POST /v1/uploads, uploads.go).
func bodyLimit(errs errorWriter) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodPost && r.URL.Path == "/v1/uploads" {
				next.ServeHTTP(w, r) // streamed: the upload handler bounds it (uploads.go)
				return
			}
			limit := int64(defaultBodyLimit)
			if strings.HasPrefix(r.URL.Path, "/v1/auth/") {
				limit = authBodyLimit
			}
			if r.ContentLength > limit {
				errs.write(w, r, errBodyTooLarge)
				return
			}
			if r.Body != nil && r.Body != http.NoBody {
				b, err := io.ReadAll(io.LimitReader(r.Body, limit+1))
				_ = r.Body.Close()
				if int64(len(b)) > limit {
					errs.write(w, r, errBodyTooLarge)
					return
				}
				if err != nil {
					errs.write(w, r, errInvalidRequest("the request body could not be read", FieldError{Field: "body", Message: "unreadable"}))
					return
				}
				r.Body = io.NopCloser(bytes.NewReader(b))
			}
			next.ServeHTTP(w, r)
		})
	}
}

// clientIP is the address a request came from: the connection's peer, unless that peer is a
// trusted proxy, in which case X-Forwarded-For is read from the right, skipping trusted proxies,
// and the first address that is not one is the client. A malformed entry ends the walk at the last
// address known good.
func clientIP(r *http.Request, trusted []netip.Prefix) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	addr, err := netip.ParseAddr(host)
	if err != nil {
		return host
	}
	addr = addr.Unmap()
	if !isTrusted(addr, trusted) {
		return addr.String()
	}
	hops := forwardedFor(r.Header.Values("X-Forwarded-For"))
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(hops[i])
		if err != nil {
			break
		}
		addr = a.Unmap()
		if !isTrusted(addr, trusted) {
			break
		}
	}
	return addr.String()
}

// forwardedFor splits X-Forwarded-For headers (several, each a comma-separated list) into hops.
func forwardedFor(values []string) []string {
	var out []string
	for _, v := range values {
		for _, h := range strings.Split(v, ",") {
			out = append(out, strings.TrimSpace(h))
		}
	}
	return out
}

func isTrusted(a netip.Addr, trusted []netip.Prefix) bool {
	for _, p := range trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// edgeMiddleware is the edge in order: security headers on everything, CORS (preflights end
// there), the body limit, then the rate limits (which may read a sign-in body's email).
func edgeMiddleware(d Deps, errs errorWriter) []func(http.Handler) http.Handler {
	mw := []func(http.Handler) http.Handler{securityHeaders}
	if len(d.Edge.CORSOrigins) > 0 { // go-chi/cors allows every origin when given none
		mw = append(mw, corsHandler(d.Edge.CORSOrigins))
	}
	return append(mw, bodyLimit(errs), rateLimit(d.Edge, d.Auth, newRateMetrics(d.Registry), errs))
}

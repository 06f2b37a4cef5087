package api

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5/middleware"
	"github.com/go-redis/redis_rate/v10"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/amanat/amn/auth"
	"github.com/amanat/amn/kind"
)

// RateRule limits the requests under a path prefix, per client IP (an IPv6 client by its /64)
// and, for PerAccount, per account too (the email a sign-in body names, or the access token's
// user; emailRoutes says which of a sign-in route's requests count). The rules are data: a new
// group of routes gets a row, not code.
type RateRule struct {
	Name   string
	Prefix string // a path prefix under /v1/
	// Method and Paths, when set, narrow the rule to requests of that method whose path is one of
	// Paths, a segment written {name} matching any one segment ("/v1/x/{id}/offers").
	Method string
	Paths  []string
	Limit  redis_rate.Limit
	// PerAccount adds a limit per account to the one per IP.
	PerAccount bool
	// FailClosed refuses the rule's requests (503 unavailable) when Redis cannot be asked. Without
	// it reads pass (fail open) and other methods are refused.
	FailClosed bool
	// AccountOnly counts the account alone, not the client IP (the global rule limits IPs): users
	// behind one NAT do not share a per-user limit. A request without a valid token is not counted
	// (the route refuses it).
	AccountOnly bool
	// PerSegment, with Paths, makes the rule a limit per value of the path segment written
	// {PerSegment} (a chat's messages: per chat, whoever of its parties sends). The middleware does
	// not charge it: the handler does (chargeSegment), once it has checked that the caller may act
	// on that object, and with the object's canonical id (one object, one key, however its id is
	// spelled in the path). So nobody who is not a party can use up a conversation's allowance.
	// Only a request with a valid token counts.
	PerSegment string
}

// deferredLimit is a PerSegment rule a request matched, left by the middleware for its handler.
type deferredLimit struct {
	l    *rateLimiter
	rule RateRule
	r    *http.Request
}

type deferredKey struct{}

// chargeSegment charges the PerSegment rules of segment that the request of ctx matched, under
// the object's canonical id value (a uuid's String()). The handler calls it after its
// authorization check. Over a limit it is an *errRateLimited (429 with Retry-After); a Redis
// failure refuses a write (503). Without Redis, or without a matching rule, it does nothing.
func chargeSegment(ctx context.Context, segment, value string) error {
	ds, _ := ctx.Value(deferredKey{}).([]deferredLimit)
	for _, d := range ds {
		if d.rule.PerSegment != segment {
			continue
		}
		if err := d.l.check(d.r, d.rule, []string{segment + ":" + value}); err != nil {
			var rl *errRateLimited
			if errors.As(err, &rl) {
				d.l.m.rejected.WithLabelValues(d.rule.Name).Inc()
			} else {
				d.l.errs.log.Warn("rate limiter unavailable", "rule", d.rule.Name, "err", err)
				err = errUnavailableLimits
			}
			return err
		}
	}
	return nil
}

// matches reports whether the rule applies to r.
func (rule RateRule) matches(r *http.Request) bool {
	if !strings.HasPrefix(r.URL.Path, rule.Prefix) || (rule.Method != "" && r.Method != rule.Method) {
		return false
	}
	if len(rule.Paths) == 0 {
		return true
	}
	got := strings.Split(r.URL.Path, "/")
	for _, p := range rule.Paths {
		want := strings.Split(p, "/")
		if len(want) == len(got) && segmentsMatch(want, got) {
			return true
		}
	}
	return false
}

// segmentsMatch compares a pattern's segments with a path's (of the same number): a {name}
// segment matches any non-empty one.
func segmentsMatch(want, got []string) bool {
	for i, w := range want {
		if strings.HasPrefix(w, "{") {
			if got[i] == "" {
				return false
			}
		} else if w != got[i] {
			return false
		}
	}
	return true
}

// The default limits (issue #16): sign-in 10 per 15 minutes per IP and per account, payments 30
// per 15 minutes, 100 per minute per IP on every route; per user, 20 new purchase requests (and
// template purchases), 60 offers, 20 reviews and 60 uploads an hour.
var (
	DefaultAuthLimit     = redis_rate.Limit{Rate: 10, Burst: 10, Period: 15 * time.Minute}
	DefaultPaymentsLimit = redis_rate.Limit{Rate: 30, Burst: 30, Period: 15 * time.Minute}
	DefaultGlobalLimit   = redis_rate.Limit{Rate: 100, Burst: 100, Period: time.Minute}
	DefaultMarketLimits  = MarketLimits{
		Requests: redis_rate.Limit{Rate: 20, Burst: 20, Period: time.Hour},
		Offers:   redis_rate.Limit{Rate: 60, Burst: 60, Period: time.Hour},
		Reviews:  redis_rate.Limit{Rate: 20, Burst: 20, Period: time.Hour},
		Uploads:  redis_rate.Limit{Rate: 60, Burst: 60, Period: time.Hour},
	}
)

// MarketLimits are the per-user limits on what each user creates: the marketplace's requests,
// offers and reviews, and uploaded files (each decoded, resized and stored: the costliest write).
type MarketLimits struct{ Requests, Offers, Reviews, Uploads redis_rate.Limit }

// ChatLimits are the limits on sending chat messages: per user (across all their conversations)
// and per conversation (both parties together).
type ChatLimits struct{ PerUser, PerChat redis_rate.Limit }

// DefaultChatLimits: 30 messages a minute per user, 40 per conversation.
var DefaultChatLimits = ChatLimits{
	PerUser: redis_rate.Limit{Rate: 30, Burst: 30, Period: time.Minute},
	PerChat: redis_rate.Limit{Rate: 40, Burst: 40, Period: time.Minute},
}

// RateRules builds the rule table from the three limits, with the default marketplace limits.
func RateRules(authL, payments, global redis_rate.Limit) []RateRule {
	return RateRulesWith(authL, payments, global, DefaultMarketLimits)
}

// RateRulesWith is RateRules with the marketplace's per-user limits m.
func RateRulesWith(authL, payments, global redis_rate.Limit, m MarketLimits) []RateRule {
	return RateRulesFor(authL, payments, global, m, DefaultChatLimits)
}

// RateRulesFor is RateRulesWith with the chat's limits c.
func RateRulesFor(authL, payments, global redis_rate.Limit, m MarketLimits, c ChatLimits) []RateRule {
	const reqs = "/v1/marketplace/requests"
	const messages = "/v1/chats/{chatId}/messages"
	const message = messages + "/{messageId}"
	return []RateRule{
		{Name: "auth", Prefix: "/v1/auth/", Limit: authL, PerAccount: true, FailClosed: true},
		{Name: "payments", Prefix: "/v1/payments", Limit: payments, PerAccount: true, FailClosed: true},
		{Name: "market-requests", Method: http.MethodPost, Paths: []string{reqs, "/v1/marketplace/templates/{templateId}/spawn"},
			Limit: m.Requests, PerAccount: true, AccountOnly: true},
		{Name: "market-offers", Method: http.MethodPost, Paths: []string{reqs + "/{requestId}/offers"},
			Limit: m.Offers, PerAccount: true, AccountOnly: true},
		{Name: "market-reviews", Method: http.MethodPost, Paths: []string{reqs + "/{requestId}/reviews"},
			Limit: m.Reviews, PerAccount: true, AccountOnly: true},
		{Name: "uploads", Method: http.MethodPost, Paths: []string{"/v1/uploads"}, Limit: m.Uploads, PerAccount: true, AccountOnly: true},
		// A message sent or edited (each is an event every party's sockets get): one bucket per
		// user and one per conversation, shared by the two methods (the rows share their names).
		{Name: "chat-user", Method: http.MethodPost, Paths: []string{messages}, Limit: c.PerUser, PerAccount: true, AccountOnly: true},
		{Name: "chat-user", Method: http.MethodPatch, Paths: []string{message}, Limit: c.PerUser, PerAccount: true, AccountOnly: true},
		{Name: "chat-room", Method: http.MethodPost, Paths: []string{messages}, Limit: c.PerChat, PerAccount: true, AccountOnly: true,
			PerSegment: "chatId"},
		{Name: "chat-room", Method: http.MethodPatch, Paths: []string{message}, Limit: c.PerChat, PerAccount: true, AccountOnly: true,
			PerSegment: "chatId"},
		{Name: "global", Prefix: "/v1/", Limit: global},
	}
}

// DefaultRateRules are RateRules of the default limits.
func DefaultRateRules() []RateRule {
	return RateRules(DefaultAuthLimit, DefaultPaymentsLimit, DefaultGlobalLimit)
}

// ParseLimit reads a limit written "N/duration" ("10/15m", "100/1m").
func ParseLimit(s string) (redis_rate.Limit, error) {
	n, d, ok := strings.Cut(s, "/")
	rate, err1 := strconv.Atoi(n)
	period, err2 := time.ParseDuration(d)
	if !ok || err1 != nil || err2 != nil || rate < 1 || period < time.Second {
		return redis_rate.Limit{}, fmt.Errorf("limit %q: want N/duration, like 10/15m", s)
	}
	return redis_rate.Limit{Rate: rate, Burst: rate, Period: period}, nil
}

// Routes no limit applies to: webhooks (the payment processor retries and signs them) and the
// public keys (fetched by every verifier, cacheable, no attempt at anything).
var rateExempt = []string{"/v1/webhooks/", "/v1/auth/jwks.json"}

// accountCount is how a request counts against the limit of the account it names.
type accountCount int

const (
	countNone   accountCount = iota
	countEvery               // every request counts
	countFailed              // only a failed attempt counts (401); one that succeeds clears the count
)

// emailRoute is how a sign-in route whose body names an account (by email) counts against it.
// Counting every password guess would let anyone lock an owner out by guessing wrong in their
// name; so a sign-in counts only when it fails, and a success (a sign-in, a verification, a
// reset: each proves the account) clears the failures. The routes that mail a code or a notice
// count every request (each sends a mail). Verify and reset are not limited per account here:
// the database caps failed code tries per user (auth.CodeMaxFailuresPerDay), and the owner must
// be able to use the code a flood of requests in their name mailed them.
type emailRoute struct {
	count          accountCount
	clearsFailures bool
}

var emailRoutes = map[string]emailRoute{
	"/v1/auth/login":           {count: countFailed, clearsFailures: true},
	"/v1/auth/email/verify":    {clearsFailures: true},
	"/v1/auth/password/reset":  {clearsFailures: true},
	"/v1/auth/register":        {count: countEvery},
	"/v1/auth/email/resend":    {count: countEvery},
	"/v1/auth/password/forgot": {count: countEvery},
}

var errUnavailableLimits = kind.New(kind.Unavailable, "the rate limiter is unavailable; try again shortly")

// errRateLimited is a request over a limit; retryAfter goes into Retry-After.
type errRateLimited struct{ retryAfter time.Duration }

func (e *errRateLimited) Error() string {
	return fmt.Sprintf("too many requests; retry in %s", e.retryAfter.Round(time.Second))
}

type rateMetrics struct {
	redisErrors *prometheus.CounterVec
	rejected    *prometheus.CounterVec
}

func newRateMetrics(reg prometheus.Registerer) *rateMetrics {
	m := &rateMetrics{
		redisErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "amn_ratelimit_redis_errors_total",
			Help: "Rate-limit checks Redis could not answer, by outcome: closed (refused 503) or open (let through).",
		}, []string{"outcome"}),
		rejected: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "amn_ratelimit_rejected_total", Help: "Requests refused with 429, by rule.",
		}, []string{"rule"}),
	}
	reg.MustRegister(m.redisErrors, m.rejected)
	m.redisErrors.WithLabelValues("closed")
	m.redisErrors.WithLabelValues("open")
	return m
}

type rateLimiter struct {
	rl     *redis_rate.Limiter
	prefix string
	rules  []RateRule
	edge   Edge
	auth   *auth.Service
	m      *rateMetrics
	errs   errorWriter
}

// rateLimit limits /v1 requests by the edge's rules; without Redis it lets everything through.
func rateLimit(e Edge, svc *auth.Service, m *rateMetrics, errs errorWriter) func(http.Handler) http.Handler {
	if e.Redis == nil {
		return func(next http.Handler) http.Handler { return next }
	}
	l := &rateLimiter{rl: redis_rate.NewLimiter(e.Redis), prefix: e.RateKeyPrefix, rules: e.RateRules,
		edge: e, auth: svc, m: m, errs: errs}
	if l.prefix == "" {
		l.prefix = "amn:rl:"
	}
	if l.rules == nil {
		l.rules = DefaultRateRules()
	}
	return l.middleware
}

func (l *rateLimiter) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, "/v1/") || r.Method == http.MethodOptions || exempt(r.URL.Path) {
			next.ServeHTTP(w, r)
			return
		}
		ip := rateIP(clientIP(r, l.edge.TrustedProxies))
		var acct *requestAccount
		var settle []func(status int)
		var deferred []deferredLimit
		for _, rule := range l.rules {
			if !rule.matches(r) {
				continue
			}
			if rule.PerAccount && acct == nil {
				acct = l.account(r)
			}
			if rule.PerSegment != "" {
				// Per object (a conversation), for a signed-in caller only: charged by the handler
				// once the caller may act on it (chargeSegment).
				if acct != nil && acct.name != "" {
					deferred = append(deferred, deferredLimit{l: l, rule: rule, r: r})
				}
				continue
			}
			var keys []string
			if !rule.AccountOnly {
				keys = append(keys, "ip:"+ip)
			}
			if rule.PerAccount && acct.name != "" && acct.count == countEvery {
				keys = append(keys, "acct:"+acct.name)
			}
			if rule.PerAccount && acct.name != "" && acct.count == countFailed {
				keys = append(keys, "acct-failed:"+acct.name) // reserved now, settled by the answer
			}
			if err := l.check(r, rule, keys); err != nil {
				l.refuse(w, r, rule, err)
				return
			}
			if rule.PerAccount && acct.name != "" && (acct.count == countFailed || acct.clearsFailures) {
				settle = append(settle, l.settler(r, rule, acct))
			}
		}
		if len(deferred) > 0 {
			r = r.WithContext(context.WithValue(r.Context(), deferredKey{}, deferred))
		}
		if len(settle) == 0 {
			next.ServeHTTP(w, r)
			return
		}
		ww := middleware.NewWrapResponseWriter(w, r.ProtoMajor)
		next.ServeHTTP(ww, r)
		for _, s := range settle {
			s(ww.Status())
		}
	})
}

// settler settles an account's failed-attempts count by the answer: a failed attempt (401) keeps
// the count its request reserved, a success of a route that proves the account clears the count,
// and anything else (a malformed request, an unverified account's right password) gives the
// reservation back (exactly, but for a bucket that was empty before it: there the unit stays until
// it drains, period/limit later). A Redis failure here is logged: the request has been answered.
func (l *rateLimiter) settler(r *http.Request, rule RateRule, acct *requestAccount) func(status int) {
	key := l.prefix + rule.Name + ":acct-failed:" + acct.name
	return func(status int) {
		var err error
		switch {
		case status == 0 || (status >= 200 && status < 300):
			if acct.clearsFailures {
				err = l.rl.Reset(r.Context(), key)
			} else if acct.count == countFailed {
				_, err = l.rl.AllowN(r.Context(), key, rule.Limit, -1)
			}
		case status == http.StatusUnauthorized && acct.count == countFailed:
			return
		case acct.count == countFailed:
			// GCRA with a negative cost moves the bucket back by one request.
			_, err = l.rl.AllowN(r.Context(), key, rule.Limit, -1)
		}
		if err != nil {
			l.errs.log.Warn("rate limiter: settling a sign-in's count", "rule", rule.Name, "err", err)
		}
	}
}

// check asks Redis about each key of a rule; a Redis failure fails open for reads of a rule that
// does not say FailClosed, and closed otherwise.
func (l *rateLimiter) check(r *http.Request, rule RateRule, keys []string) error {
	for _, k := range keys {
		res, err := l.rl.Allow(r.Context(), l.prefix+rule.Name+":"+k, rule.Limit)
		if err != nil {
			if rule.FailClosed || !isRead(r) {
				l.m.redisErrors.WithLabelValues("closed").Inc()
				return fmt.Errorf("rate limit %s: %w: %v", rule.Name, errUnavailableLimits, err)
			}
			l.m.redisErrors.WithLabelValues("open").Inc()
			continue
		}
		if res.Allowed == 0 {
			return &errRateLimited{retryAfter: res.RetryAfter}
		}
	}
	return nil
}

func (l *rateLimiter) refuse(w http.ResponseWriter, r *http.Request, rule RateRule, err error) {
	var rl *errRateLimited
	if !errors.As(err, &rl) {
		// The cause (Redis's error) goes to the log, not to the client.
		l.errs.log.Warn("rate limiter unavailable", "rule", rule.Name, "err", err)
		l.errs.write(w, r, errUnavailableLimits)
		return
	}
	l.m.rejected.WithLabelValues(rule.Name).Inc()
	w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(max(rl.retryAfter.Seconds(), 1)))))
	l.errs.writeCode(w, r, http.StatusTooManyRequests, "rate_limited", rl.Error())
}

// requestAccount is the account a request is about, hashed (no email goes into Redis), and how
// the request counts against it.
type requestAccount struct {
	name string // "" for none
	emailRoute
}

// account names the account a request is about: the email of a sign-in body (counted as
// emailRoutes says), else the user of a validly signed access token (every request counts), else
// none.
func (l *rateLimiter) account(r *http.Request) *requestAccount {
	var name string
	route, isEmailRoute := emailRoutes[r.URL.Path]
	if r.Method == http.MethodPost && isEmailRoute {
		name = bodyEmail(r)
	}
	if name == "" {
		route = emailRoute{count: countEvery}
	}
	if name == "" && l.auth != nil {
		if tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
			if id, ok := l.auth.Subject(tok); ok {
				name = "user:" + id.String()
			}
		}
	}
	if name == "" {
		return &requestAccount{}
	}
	h := sha256.Sum256([]byte(name))
	return &requestAccount{name: hex.EncodeToString(h[:16]), emailRoute: route}
}

// rateIP is the client address a per-IP limit counts: an IPv6 address by its /64 (one subscriber
// gets a whole /64 and picks addresses in it freely), an IPv4 address as it is.
func rateIP(ip string) string {
	a, err := netip.ParseAddr(ip)
	if err != nil || !a.Is6() || a.Is4In6() {
		return ip
	}
	p, err := a.Prefix(64)
	if err != nil {
		return ip
	}
	return p.String()
}

// bodyEmail reads the "email" of a JSON body (already in memory: bodyLimit ran first) and puts
// the body back for the handler.
func bodyEmail(r *http.Request) string {
	if r.Body == nil {
		return ""
	}
	b, err := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(b))
	if err != nil {
		return ""
	}
	return emailOf(b)
}

// emailOf is the normalised "email" member of a JSON object, or "".
func emailOf(body []byte) string {
	var v struct {
		Email string `json:"email"`
	}
	if json.Unmarshal(body, &v) != nil {
		return ""
	}
	e := strings.ToLower(strings.TrimSpace(v.Email))
	if e == "" {
		return ""
	}
	return "email:" + e
}

func exempt(path string) bool {
	for _, p := range rateExempt {
		if strings.HasPrefix(path, p) {
			return true
		}
	}
	return false
}

func isRead(r *http.Request) bool { return r.Method == http.MethodGet || r.Method == http.MethodHead }

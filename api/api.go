// Package api is the HTTP face of Amn: the chi router, its middleware (request ids, structured
// access logs, panic recovery, metrics) and the one table that turns errors into statuses and a
// stable JSON body. Handlers only translate HTTP to calls on domain packages.
//
// It never holds a private key, and a bad request never gets a 500 or a half-written state.
package api

import (
	"context"
	"crypto/rand"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/amanat/amn/admin"
	"github.com/amanat/amn/auth"
	"github.com/amanat/amn/blog"
	"github.com/amanat/amn/chat"
	"github.com/amanat/amn/dispute"
	"github.com/amanat/amn/market"
	"github.com/amanat/amn/notify"
	"github.com/amanat/amn/ops"
	"github.com/amanat/amn/points"
	"github.com/amanat/amn/realtime"
	"github.com/amanat/amn/upload"
)

// Deps are what the router needs; constructors take their dependencies explicitly.
type Deps struct {
	Log      *slog.Logger
	Registry *prometheus.Registry
	Checks   []ops.Check // readiness of Postgres, Redis, chains
	// Webhooks receives Request Network deliveries; nil leaves the endpoint unmounted.
	Webhooks WebhookReceiver
	// Auth signs users in and checks access tokens; nil leaves the contract's routes (all of
	// /v1 but the document, its reference page and the webhook) unmounted.
	Auth *auth.Service
	// Market runs the marketplace (/v1/marketplace/...); nil answers its routes 503 unavailable.
	Market *market.Service
	// DocsDir holds the reference page's renderer (DefaultDocsDir when empty).
	DocsDir string
	// Edge is the rate limits, CORS origins and trusted proxies (edge.go).
	Edge Edge
	// Admin is what admins do to the money and the audit of it (/v1/admin/payments, intents,
	// sweeps, top-ups, destinations, health, audit); nil answers those routes unavailable.
	Admin *admin.Service
	// Realtime is the WebSocket hub (/v1/ws; built with RealtimeAccess); nil answers unavailable.
	Realtime *realtime.Hub
	// Uploads takes and serves files (/v1/uploads); Blog runs the blog (/v1/blog, /v1/admin/blog).
	// nil answers their routes unavailable.
	Uploads *upload.Service
	Blog    *blog.Service
	// Chat runs the offers' conversations (/v1/chats/..., and the rights of chat-{id} rooms, given
	// to RealtimeAccess); nil answers its routes unavailable.
	Chat *chat.Service
	// Disputes runs the dispute cases (/v1/disputes/..., /v1/admin/disputes/...); nil answers
	// them unavailable.
	Disputes *dispute.Service
	// Notify keeps users' notifications (/v1/notifications/...); nil answers its routes
	// unavailable.
	Notify *notify.Service
	// Points keeps loyalty points and referrals (/v1/points/..., /r/{code}, the admin's grants and
	// reversals); nil answers them unavailable. SignupURL is the frontend's sign-up page that
	// /r/{code} redirects to; PublicURL this API's public base, for the referral links it shows.
	Points               *points.Service
	SignupURL, PublicURL string
}

type metrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	errors   *prometheus.CounterVec
	webhooks *prometheus.CounterVec
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "amn_http_requests_total", Help: "HTTP requests by route pattern, method and status.",
		}, []string{"route", "method", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "amn_http_request_duration_seconds", Help: "HTTP request latency by route pattern.",
			Buckets: prometheus.DefBuckets,
		}, []string{"route"}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "amn_http_errors_total", Help: "Error responses by stable error code.",
		}, []string{"code"}),
	}
	m.webhooks = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "amn_webhook_deliveries_total", Help: "Webhook deliveries by outcome (accepted, rejected) and event or error code.",
	}, []string{"outcome", "kind"})
	reg.MustRegister(m.requests, m.duration, m.errors, m.webhooks)
	return m
}

// NewRouter builds the API's handler.
func NewRouter(d Deps) http.Handler {
	m := newMetrics(d.Registry)
	r := chi.NewRouter()
	errs := errorWriter{m: m, log: d.Log}
	r.Use(requestID, accessLog(d.Log, m), recoverer(d.Log, m))
	r.Use(edgeMiddleware(d, errs)...)
	r.NotFound(func(w http.ResponseWriter, r *http.Request) {
		errs.writeCode(w, r, http.StatusNotFound, "not_found", "no such endpoint")
	})
	r.MethodNotAllowed(func(w http.ResponseWriter, r *http.Request) {
		errs.writeCode(w, r, http.StatusMethodNotAllowed, "method_not_allowed", "method not allowed on this endpoint")
	})
	ops.Handlers(r, d.Registry, d.Checks)
	if d.Webhooks != nil {
		r.Post("/v1/webhooks/request-network", requestNetworkWebhook(d.Webhooks, m, d.Log))
	}
	mountDocs(r, d.DocsDir, errs)
	mountRealtime(r, d.Realtime, errs)
	if d.Auth != nil {
		mountV1(r, d, m)
	}
	return r
}

// requestID gives every request an id of our own: the response's X-Request-Id, the request_id of
// every log line and error body (middleware.GetReqID reads it). A client's X-Request-Id is never
// the id (chi's RequestID would take it): a client could then give its requests another's id, and
// confuse whoever reads the logs. It is logged apart, as client_request_id.
func requestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := rand.Text()
		w.Header().Set("X-Request-Id", id)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), middleware.RequestIDKey, id)))
	})
}

// clientRequestID is the client's own X-Request-Id as the access log keeps it: at most 64 bytes of
// printable ASCII, the rest dropped.
func clientRequestID(r *http.Request) string {
	v := r.Header.Get("X-Request-Id")
	out := make([]byte, 0, min(len(v), 64))
	for i := 0; i < len(v) && len(out) < 64; i++ {
		if v[i] > ' ' && v[i] < 0x7f {
			out = append(out, v[i])
		}
	}
	return string(out)
}

func accessLog(log *slog.Logger, m *metrics) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ww := middleware.NewWrapResponseWriter(w, r.ProtoMajor)
			start := time.Now()
			next.ServeHTTP(ww, r)
			took := time.Since(start)
			route := chi.RouteContext(r.Context()).RoutePattern()
			if route == "" {
				route = "unmatched"
			}
			status := ww.Status()
			if status == 0 {
				status = http.StatusOK
			}
			m.requests.WithLabelValues(route, r.Method, strconv.Itoa(status)).Inc()
			m.duration.WithLabelValues(route).Observe(took.Seconds())
			attrs := []slog.Attr{slog.String("request_id", middleware.GetReqID(r.Context())),
				slog.String("method", r.Method), slog.String("route", route),
				slog.Int("status", status), slog.Duration("took", took)}
			if c := clientRequestID(r); c != "" {
				attrs = append(attrs, slog.String("client_request_id", c))
			}
			log.LogAttrs(r.Context(), slog.LevelInfo, "http", attrs...)
		})
	}
}

func recoverer(log *slog.Logger, m *metrics) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			defer func() {
				if p := recover(); p != nil {
					if p == http.ErrAbortHandler {
						panic(p)
					}
					log.Error("handler panic", "request_id", middleware.GetReqID(r.Context()), "panic", p)
					errorWriter{m: m, log: log}.writeCode(w, r, http.StatusInternalServerError, "internal", "internal error; quote the request id when reporting it")
				}
			}()
			next.ServeHTTP(w, r)
		})
	}
}

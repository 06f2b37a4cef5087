// Package ops gives every long-running process the same operational surface: /healthz (alive),
// /readyz (JSON state of each dependency), /metrics (Prometheus, with the Go and process
// collectors and amn_build_info), a graceful HTTP server and a heartbeat row in Postgres.
//
// It holds no business logic and must never expose secrets: readiness reports say which
// dependency failed, not with which credentials.
package ops

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"sort"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Version and Commit are set at link time (-ldflags "-X github.com/amanat/amn/ops.Version=…").
var (
	Version = "dev"
	Commit  = "unknown"
)

// NewRegistry returns a registry with the Go and process collectors and amn_build_info.
func NewRegistry() *prometheus.Registry {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	info := prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "amn_build_info",
		Help: "Build of the running binary; always 1.",
	}, []string{"version", "commit"})
	info.WithLabelValues(Version, Commit).Set(1)
	reg.MustRegister(info)
	return reg
}

// Check is one dependency whose state /readyz reports.
type Check struct {
	Name string
	// Detail is shown with the result whatever it is, e.g. the database role a pool works as.
	// Never a secret.
	Detail string
	Fn     func(ctx context.Context) error
}

// CheckResult is the state of one dependency in the /readyz body.
type CheckResult struct {
	OK     bool   `json:"ok"`
	Detail string `json:"detail,omitempty"`
	Error  string `json:"error,omitempty"`
	Took   string `json:"took"`
}

// Readiness is the /readyz body.
type Readiness struct {
	Ready  bool                   `json:"ready"`
	Checks map[string]CheckResult `json:"checks"`
}

// Probe runs all checks concurrently, each with the given timeout.
func Probe(ctx context.Context, checks []Check, timeout time.Duration) Readiness {
	r := Readiness{Ready: true, Checks: make(map[string]CheckResult, len(checks))}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, c := range checks {
		wg.Go(func() {
			cctx, cancel := context.WithTimeout(ctx, timeout)
			defer cancel()
			start := time.Now()
			err := c.Fn(cctx)
			res := CheckResult{OK: err == nil, Detail: c.Detail, Took: time.Since(start).Round(time.Millisecond).String()}
			if err != nil {
				res.Error = MaskURLs(err.Error()) // a chain check's error names its endpoint
			}
			mu.Lock()
			defer mu.Unlock()
			r.Checks[c.Name] = res
			if err != nil {
				r.Ready = false
			}
		})
	}
	wg.Wait()
	return r
}

// Handlers mounts /healthz, /readyz and /metrics on mux.
func Handlers(mux interface {
	Handle(pattern string, h http.Handler)
}, reg *prometheus.Registry, checks []Check) {
	mux.Handle("/healthz", http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok\n"))
	}))
	mux.Handle("/readyz", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		res := Probe(r.Context(), checks, 3*time.Second)
		w.Header().Set("Content-Type", "application/json")
		if !res.Ready {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
		_ = json.NewEncoder(w).Encode(res)
	}))
	mux.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{Registry: reg}))
}

// CheckNames lists the checks' names, sorted, for start-up logs.
func CheckNames(checks []Check) []string {
	names := make([]string, len(checks))
	for i, c := range checks {
		names[i] = c.Name
	}
	sort.Strings(names)
	return names
}

// Server is an HTTP server bound before it is started, so that a port already in use is reported
// at start, and stopped gracefully when its context ends.
type Server struct {
	srv *http.Server
	ln  net.Listener
	log *slog.Logger
}

// Timeouts bound how long one client may hold a connection: to send its headers (ReadHeader),
// its whole request with the body (Read), to take the answer (Write), and to idle between
// requests (Idle). Without Read, a client that sends its body a byte at a time holds a connection
// and a goroutine for as long as it likes.
type Timeouts struct {
	ReadHeader, Read, Write, Idle time.Duration
}

// DefaultTimeouts are every server's (the API, and every role's ops endpoints): requests are small
// (webhooks are a few hundred bytes, Request Network gives up after 5 s) and answers quick
// (/readyz waits at most 3 s for its checks).
func DefaultTimeouts() Timeouts {
	return Timeouts{ReadHeader: 10 * time.Second, Read: 30 * time.Second, Write: 30 * time.Second, Idle: 2 * time.Minute}
}

// Listen binds addr with the default timeouts. It fails at once when the address is taken or
// invalid.
func Listen(addr string, h http.Handler, log *slog.Logger) (*Server, error) {
	return ListenWith(addr, h, log, DefaultTimeouts())
}

// ListenWith binds addr with the given timeouts.
func ListenWith(addr string, h http.Handler, log *slog.Logger, t Timeouts) (*Server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	return &Server{
		srv: &http.Server{Handler: h, ReadHeaderTimeout: t.ReadHeader, ReadTimeout: t.Read,
			WriteTimeout: t.Write, IdleTimeout: t.Idle},
		ln:  ln,
		log: log,
	}, nil
}

// Addr is the bound address (useful when the port was 0).
func (s *Server) Addr() string { return s.ln.Addr().String() }

// Serve serves until ctx ends, then shuts down, giving in-flight requests up to grace to finish.
func (s *Server) Serve(ctx context.Context, grace time.Duration) error {
	errc := make(chan error, 1)
	go func() { errc <- s.srv.Serve(s.ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), grace)
	defer cancel()
	err := s.srv.Shutdown(sctx)
	if serr := <-errc; serr != nil && !errors.Is(serr, http.ErrServerClosed) {
		return serr
	}
	return err
}

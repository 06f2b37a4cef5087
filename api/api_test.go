package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/amanat/amn/ops"
)

func newTestRouter(t *testing.T, checks []ops.Check) (http.Handler, *bytes.Buffer) {
	t.Helper()
	var logs bytes.Buffer
	return NewRouter(Deps{
		Log:      slog.New(slog.NewJSONHandler(&logs, nil)),
		Registry: ops.NewRegistry(),
		Checks:   checks,
	}), &logs
}

func TestReadyzReportsEachDependency(t *testing.T) {
	up := ops.Check{Name: "postgres", Fn: func(context.Context) error { return nil }}
	down := ops.Check{Name: "redis", Fn: func(context.Context) error { return errors.New("connection refused") }}

	h, _ := newTestRouter(t, []ops.Check{up})
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/readyz", nil))
	if rec.Code != 200 {
		t.Fatalf("all up: status %d", rec.Code)
	}

	h, _ = newTestRouter(t, []ops.Check{up, down})
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/readyz", nil))
	var body ops.Readiness
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
		t.Fatal(err)
	}
	if rec.Code != http.StatusServiceUnavailable || body.Ready || !body.Checks["postgres"].OK ||
		body.Checks["redis"].OK || body.Checks["redis"].Error != "connection refused" {
		t.Fatalf("redis down: status %d body %+v", rec.Code, body)
	}
}

func TestMetricsHaveBuildInfoAndRequestCounts(t *testing.T) {
	h, _ := newTestRouter(t, nil)
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/healthz", nil))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	out := rec.Body.String()
	for _, want := range []string{
		`amn_build_info{commit="unknown",version="dev"} 1`,
		`amn_http_requests_total{method="GET",route="/healthz",status="200"} 1`,
		"go_goroutines", "process_cpu_seconds_total",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
}

func TestUnknownRouteGetsJSONErrorAndRequestIDIsLogged(t *testing.T) {
	h, logs := newTestRouter(t, nil)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/nope", nil))
	var body ErrorBody
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || rec.Code != 404 || body.Error.Code != "not_found" {
		t.Fatalf("status %d body %q", rec.Code, rec.Body.String())
	}
	id := rec.Header().Get("X-Request-Id")
	if id == "" || !strings.Contains(logs.String(), `"request_id":"`+id+`"`) {
		t.Fatalf("request id %q not in logs %s", id, logs.String())
	}
}

func TestPanicBecomesJSON500(t *testing.T) {
	var logs bytes.Buffer
	m := newMetrics(prometheus.NewRegistry())
	h := recoverer(slog.New(slog.NewJSONHandler(&logs, nil)), m)(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		panic("boom")
	}))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	if rec.Code != 500 || !strings.Contains(rec.Body.String(), `"code":"internal"`) || !strings.Contains(logs.String(), "boom") {
		t.Fatalf("status %d body %s logs %s", rec.Code, rec.Body.String(), logs.String())
	}
}

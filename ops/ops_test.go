package ops_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/amanat/amn/db/dbtest"
	"github.com/amanat/amn/ops"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

func TestProbeRunsChecksConcurrentlyWithTimeout(t *testing.T) {
	slow := ops.Check{Name: "slow", Fn: func(ctx context.Context) error { <-ctx.Done(); return ctx.Err() }}
	fine := ops.Check{Name: "fine", Fn: func(context.Context) error { return nil }}
	start := time.Now()
	r := ops.Probe(context.Background(), []ops.Check{slow, fine, slow}, 100*time.Millisecond)
	if r.Ready || r.Checks["slow"].OK || !r.Checks["fine"].OK || !strings.Contains(r.Checks["slow"].Error, "deadline") {
		t.Fatalf("probe = %+v", r)
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Fatalf("checks ran one after another: %s", took)
	}
}

// TestServerDrainsInFlightRequestsOnShutdown: a request in flight when the context ends is
// answered; the server then stops.
func TestServerDrainsInFlightRequestsOnShutdown(t *testing.T) {
	entered := make(chan struct{})
	release := make(chan struct{})
	h := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		close(entered)
		<-release
		_, _ = w.Write([]byte("done"))
	})
	srv, err := ops.Listen("127.0.0.1:0", h, quiet)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ctx, 5*time.Second) }()

	got := make(chan string, 1)
	go func() {
		resp, err := http.Get("http://" + srv.Addr())
		if err != nil {
			got <- err.Error()
			return
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		got <- string(b)
	}()
	<-entered
	cancel()
	close(release)
	if body := <-got; body != "done" {
		t.Fatalf("in-flight request got %q", body)
	}
	if err := <-served; err != nil {
		t.Fatalf("Serve: %v", err)
	}
	if _, err := http.Get("http://" + srv.Addr()); err == nil {
		t.Fatal("server still answers after shutdown")
	}
}

func TestListenReportsBusyPort(t *testing.T) {
	a, err := ops.Listen("127.0.0.1:0", http.NotFoundHandler(), quiet)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ops.Listen(a.Addr(), http.NotFoundHandler(), quiet); err == nil || !strings.Contains(err.Error(), "in use") {
		t.Fatalf("second listen on %s: %v", a.Addr(), err)
	}
}

func TestHeartbeatWritesAndRefreshes(t *testing.T) {
	pool := dbtest.Pool(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { ops.Heartbeat(ctx, pool, "signer", 20*time.Millisecond, quiet); close(done) }()
	var first, later time.Time
	deadline := time.Now().Add(10 * time.Second)
	for later.IsZero() || !later.After(first) {
		err := pool.QueryRow(context.Background(), `SELECT seen_at FROM process_heartbeat WHERE role = 'signer'`).Scan(&later)
		if err == nil && first.IsZero() {
			first = later
		}
		if time.Now().After(deadline) {
			t.Fatalf("heartbeat never refreshed (first %v, last %v, err %v)", first, later, err)
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	<-done
}

// LastSeen finds the freshest heartbeat of the roles asked for, and nothing for a role that never
// ran.
func TestLastSeen(t *testing.T) {
	pool := dbtest.Pool(t)
	ctx := context.Background()
	if _, found, err := ops.LastSeen(ctx, pool, "never-ran"); err != nil || found {
		t.Fatalf("a role that never ran: found %v, %v", found, err)
	}
	hctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { ops.Heartbeat(hctx, pool, "worker", time.Hour, quiet); close(done) }()
	defer func() { cancel(); <-done }()
	deadline := time.Now().Add(10 * time.Second)
	for {
		s, found, err := ops.LastSeen(ctx, pool, "never-ran", "worker")
		if err != nil {
			t.Fatal(err)
		}
		if found {
			if s.Role != "worker" || s.Version != ops.Version || time.Since(s.At) > time.Minute {
				t.Fatalf("seen %+v", s)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("the worker's heartbeat is not seen")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestRegistryHasBuildInfo(t *testing.T) {
	mfs, err := ops.NewRegistry().Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() == "amn_build_info" {
			if l := mf.GetMetric()[0].GetLabel(); len(l) != 2 || mf.GetMetric()[0].GetGauge().GetValue() != 1 {
				t.Fatalf("amn_build_info = %v", mf)
			}
			return
		}
	}
	t.Fatal(errors.New("no amn_build_info"))
}

// A client that sends its body a byte at a time is cut off once the read timeout passes: the
// handler's read fails and the connection is closed, instead of being held for as long as the
// client likes (issue #13 finding 12).
func TestSlowBodyIsCutOff(t *testing.T) {
	bodyErr := make(chan error, 1)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, err := io.ReadAll(r.Body)
		bodyErr <- err
	})
	srv, err := ops.ListenWith("127.0.0.1:0", h, quiet, ops.Timeouts{ReadHeader: time.Second, Read: 500 * time.Millisecond,
		Write: time.Second, Idle: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ctx, time.Second) }()
	defer func() { cancel(); <-served }()
	conn, err := net.Dial("tcp", srv.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := fmt.Fprintf(conn, "POST /webhook HTTP/1.1\r\nHost: amn\r\nContent-Length: 1000\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	tick := time.NewTicker(50 * time.Millisecond) // the whole body would take 50 s
	defer tick.Stop()
	for {
		select {
		case err := <-bodyErr:
			if err == nil {
				t.Fatal("the slow body was read to the end")
			}
			if took := time.Since(start); took > 5*time.Second {
				t.Fatalf("cut off only after %s", took)
			}
			if err := conn.SetReadDeadline(time.Now().Add(5 * time.Second)); err != nil {
				t.Fatal(err)
			}
			// Closed: an EOF, or a reset (the server closed with our bytes unread).
			if _, err := io.ReadAll(conn); err != nil && !errors.Is(err, syscall.ECONNRESET) {
				t.Fatalf("the server did not close the connection: %v", err)
			}
			return
		case <-tick.C:
			if time.Since(start) > 10*time.Second {
				t.Fatal("a client sending a byte every 50 ms held the connection for 10 s")
			}
			_, _ = conn.Write([]byte("x")) // fails once the server has closed it
		}
	}
}

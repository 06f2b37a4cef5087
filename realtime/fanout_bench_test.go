package realtime

import (
	"bufio"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/google/uuid"
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
)

// BenchmarkFanOut measures the hub's fan-out path in process, without sockets: one room, 1,000
// subscribers, 100 events per op (as bench/realtime's broadcast), from the dispatcher handing the
// events over to coder/websocket writing the frames into a connection that discards them. So it
// counts the hub's own work per delivery (queues, goroutines, coalescing, framing) and none of
// the kernel's. "one-by-one" hands the events over one dispatch each (one publish transaction
// each: the notifications arrive one at a time); "one-dispatch" all in one (one transaction).
// "1ms-apart" hands them over one each millisecond (publishers committing one a millisecond: the
// room is busy, the connections' writes coalesce what comes within cfg.Coalesce; "coalesce=off"
// writes each at once); "10ms-apart" is a quiet room (each event a write of its own).
// It reports the process's CPU time per delivery, the wall time per delivery, and the connection
// writes per delivery (what a socket would cost: each is a system call).
func BenchmarkFanOut(b *testing.B) {
	for _, bc := range []struct {
		name        string
		subs, evs   int
		perDispatch int
		apart       time.Duration
		coalesce    time.Duration
	}{
		{"subs=1000/events=100/one-by-one", 1000, 100, 1, 0, 0},
		{"subs=1000/events=100/1ms-apart", 1000, 100, 1, time.Millisecond, 0},
		{"subs=1000/events=100/1ms-apart/coalesce=off", 1000, 100, 1, time.Millisecond, -1},
		{"subs=1000/events=100/10ms-apart", 1000, 100, 1, 10 * time.Millisecond, 0},
		{"subs=1000/events=100/one-dispatch", 1000, 100, 100, 0, 0},
	} {
		b.Run(bc.name, func(b *testing.B) {
			h := New(nil, Config{Coalesce: bc.coalesce}, nil, nil, slog.New(slog.DiscardHandler), prometheus.NewRegistry())
			defer h.stop()
			name := RequestRoom(uuid.New())
			r := &room{subs: map[*sub]struct{}{}, users: map[uuid.UUID]int{}}
			h.rooms[name] = r
			var writes atomic.Int64
			for range bc.subs {
				ws := discardWebSocket(b, &writes)
				c := h.newConn(ws)
				s := &sub{c: c, room: name, user: uuid.New()}
				r.subs[s] = struct{}{}
				b.Cleanup(func() { c.kill() })
			}
			payload := []byte(`{"i":1,"text":"` + strings.Repeat("x", 100) + `"}`) // bench/realtime's
			seq := int64(0)
			want := 0.0
			b.ResetTimer()
			w0, cpu0 := writes.Load(), cpuTime()
			for range b.N {
				next := time.Now()
				for i := 0; i < bc.evs; i += bc.perDispatch {
					if d := time.Until(next); d > 0 {
						time.Sleep(d) // the load's pace, not a synchronisation
					}
					next = next.Add(bc.apart)
					evs := make([]event, 0, bc.perDispatch)
					for range min(bc.perDispatch, bc.evs-i) {
						seq++
						at := time.Now()
						evs = append(evs, event{seq: seq, at: at, it: item{b: eventFrame(name, seq, "chat.message", payload, at), n: 1}})
					}
					h.fanOut(r, evs)
				}
				want += float64(bc.subs * bc.evs)
				waitDeliveries(b, h, want)
			}
			b.StopTimer()
			cpu := cpuTime() - cpu0
			n := float64(b.N * bc.subs * bc.evs)
			b.ReportMetric(float64(cpu.Nanoseconds())/n, "cpu-ns/delivery")
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/n, "ns/delivery")
			b.ReportMetric(float64(writes.Load()-w0)/n, "writes/delivery")
			b.ReportMetric(n/b.Elapsed().Seconds(), "deliveries/s")
		})
	}
}

// cpuTime is the process's user and system time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// waitDeliveries polls the hub's deliveries counter until it reaches want (a minute at most).
func waitDeliveries(b *testing.B, h *Hub, want float64) {
	deadline := time.Now().Add(time.Minute)
	for {
		var m dto.Metric
		if err := h.m.deliveries.Write(&m); err != nil {
			b.Fatal(err)
		}
		got := m.GetCounter().GetValue()
		if got >= want {
			return
		}
		if time.Now().After(deadline) {
			b.Fatalf("%v deliveries of %v after a minute", got, want)
		}
		time.Sleep(50 * time.Microsecond)
	}
}

// discardWebSocket is a server-side coder/websocket connection whose peer reads nothing and
// discards what is written (counting the writes); reads block until it is closed.
func discardWebSocket(b *testing.B, writes *atomic.Int64) *websocket.Conn {
	nc := &discardConn{closed: make(chan struct{}), writes: writes}
	req := httptest.NewRequest(http.MethodGet, "http://amn.test/v1/ws", nil)
	req.Header.Set("Connection", "Upgrade")
	req.Header.Set("Upgrade", "websocket")
	req.Header.Set("Sec-WebSocket-Version", "13")
	req.Header.Set("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
	ws, err := websocket.Accept(&hijackable{header: http.Header{}, nc: nc}, req, nil)
	if err != nil {
		b.Fatal(err)
	}
	return ws
}

type hijackable struct {
	header http.Header
	nc     net.Conn
}

func (h *hijackable) Header() http.Header         { return h.header }
func (h *hijackable) Write(p []byte) (int, error) { return len(p), nil }
func (h *hijackable) WriteHeader(int)             {}
func (h *hijackable) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	return h.nc, bufio.NewReadWriter(bufio.NewReader(h.nc), bufio.NewWriter(h.nc)), nil
}

type discardConn struct {
	closed chan struct{}
	once   sync.Once
	writes *atomic.Int64
}

func (d *discardConn) Read([]byte) (int, error) { <-d.closed; return 0, io.EOF }
func (d *discardConn) Write(p []byte) (int, error) {
	select {
	case <-d.closed:
		return 0, net.ErrClosed
	default:
	}
	d.writes.Add(1)
	return len(p), nil
}
func (d *discardConn) Close() error                     { d.once.Do(func() { close(d.closed) }); return nil }
func (d *discardConn) LocalAddr() net.Addr              { return &net.TCPAddr{} }
func (d *discardConn) RemoteAddr() net.Addr             { return &net.TCPAddr{} }
func (d *discardConn) SetDeadline(time.Time) error      { return nil }
func (d *discardConn) SetReadDeadline(time.Time) error  { return nil }
func (d *discardConn) SetWriteDeadline(time.Time) error { return nil }

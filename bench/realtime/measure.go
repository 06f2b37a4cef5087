package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"

	"github.com/amanat/amn/bench/internal/benchkit"
)

// receiver counts one broadcast's deliveries across all subscribers.
type receiver struct {
	want      int64
	got       atomic.Int64
	last      atomic.Int64 // UnixNano of the latest frame received
	all       chan struct{}
	mu        sync.Mutex
	latencies []time.Duration

	outOfOrder atomic.Int64 // events whose seq was not the one after the connection's last
	malformed  atomic.Int64 // messages scanEvents could not read (the connection is dropped)
}

// read takes c's event frames until the connection ends. It checks that the connection's events
// come in sequence (each seq one more than the last: nothing missed, nothing twice) and takes each
// one's latency. Frames are scanned, not decoded (scanEvents): the clients share the machine's
// two cores with the api, and encoding/json's 4 µs a delivery made them, not the hub, the limit.
func (r *receiver) read(c *websocket.Conn) {
	var lat []time.Duration
	defer func() { r.mu.Lock(); r.latencies = append(r.latencies, lat...); r.mu.Unlock() }()
	last := int64(-1)
	for {
		_, data, err := c.Read(context.Background())
		if err != nil {
			return
		}
		now := time.Now()
		n := int64(0)
		err = scanEvents(data, func(seq int64, at time.Time) {
			if last >= 0 && seq != last+1 {
				r.outOfOrder.Add(1)
			}
			last = seq
			n++
			lat = append(lat, now.Sub(at))
		})
		if err != nil {
			r.malformed.Add(1)
			return
		}
		if n == 0 {
			continue
		}
		for old := r.last.Load(); now.UnixNano() > old && !r.last.CompareAndSwap(old, now.UnixNano()); old = r.last.Load() {
		}
		if r.got.Add(n) == r.want {
			close(r.all)
		}
	}
}

var (
	eventStart = []byte(`{"type":"event",`)
	seqKey     = []byte(`"seq":`)
	atKey      = []byte(`"at":"`)
)

// scanEvents calls f with the seq and time of each event frame in data, a JSON array of frames
// as realtime writes them (fields in protocol.go's order: type, room, seq, kind, data, at). It
// relies on the bench's own payloads, which hold no "at" key, and on frames of other types
// (presence) carrying no "seq"; anything it cannot read is an error.
func scanEvents(data []byte, f func(seq int64, at time.Time)) error {
	for {
		i := bytes.Index(data, eventStart)
		if i < 0 {
			return nil
		}
		data = data[i+len(eventStart):]
		j := bytes.Index(data, seqKey)
		if j < 0 {
			return fmt.Errorf("an event without seq")
		}
		data = data[j+len(seqKey):]
		k := bytes.IndexAny(data, ",}")
		if k < 0 {
			return fmt.Errorf("an event's seq is cut")
		}
		seq, err := strconv.ParseInt(string(data[:k]), 10, 64)
		if err != nil {
			return err
		}
		j = bytes.Index(data, atKey)
		if j < 0 {
			return fmt.Errorf("an event without at")
		}
		data = data[j+len(atKey):]
		k = bytes.IndexByte(data, '"')
		if k < 0 {
			return fmt.Errorf("an event's at is cut")
		}
		at, err := time.Parse(time.RFC3339Nano, string(data[:k]))
		if err != nil {
			return err
		}
		f(seq, at)
		data = data[k:]
	}
}

// broadcast: o.subscribers join one room, o.messages events are published into it; deliveries/s
// from the first publish to the last frame received, latency from each event's insert time.
func (b *bench) broadcast(ctx context.Context) error {
	room, err := b.createRoom(ctx)
	if err != nil {
		return err
	}
	t0 := time.Now()
	conns, err := b.dialAll(ctx, b.o.subscribers, func(int) string { return string(room) })
	if err != nil {
		return err
	}
	fmt.Fprintf(b.w, "broadcast: %d subscribers (%d users) of %s joined in %s\n", len(conns), len(b.users), room, time.Since(t0).Round(time.Millisecond))
	r := &receiver{want: int64(b.o.subscribers * b.o.messages), all: make(chan struct{})}
	var readers sync.WaitGroup
	for _, c := range conns {
		readers.Go(func() { r.read(c) })
	}
	time.Sleep(500 * time.Millisecond) // the joins' presence frames go out before the clock starts
	pid := b.srv.Pid()
	writes0 := b.metric(ctx, "amn_realtime_writes_total")
	apiCPU, selfCPU0, start := benchkit.ProcCPU(pid), benchkit.SelfCPU(), time.Now()
	if err := publish(ctx, b.pool, room, b.o.messages, b.o.payload, b.o.burst, b.o.asyncCommit); err != nil {
		closeAll(conns)
		return err
	}
	published := time.Since(start)
	select {
	case <-r.all:
	case <-time.After(2 * time.Minute):
	case <-ctx.Done():
	}
	took := time.Unix(0, r.last.Load()).Sub(start)
	apiCPU, selfUsed := benchkit.ProcCPU(pid)-apiCPU, benchkit.SelfCPU()-selfCPU0
	writes := b.metric(ctx, "amn_realtime_writes_total") - writes0
	closeAll(conns)
	readers.Wait()
	got := r.got.Load()
	sortDurations(r.latencies)
	mode := "one transaction each"
	if b.o.asyncCommit {
		mode += ", synchronous_commit off"
	}
	if b.o.burst {
		mode = "in one transaction"
	}
	fmt.Fprintf(b.w, "broadcast: deliveries=%d of %d messages=%d published (%s) in %s, last delivery after %s: %.0f deliveries/s\n",
		got, r.want, b.o.messages, mode, published.Round(time.Millisecond), took.Round(time.Millisecond), float64(got)/took.Seconds())
	fmt.Fprintf(b.w, "broadcast: latency p50=%s p90=%s p99=%s max=%s (event insert to client)\n",
		percentile(r.latencies, .5).Round(time.Microsecond), percentile(r.latencies, .9).Round(time.Microsecond),
		percentile(r.latencies, .99).Round(time.Microsecond), percentile(r.latencies, 1).Round(time.Microsecond))
	fmt.Fprintf(b.w, "broadcast: cpu api %s (%.2f µs/delivery), clients %s (%.2f µs/delivery)\n",
		apiCPU, perDelivery(apiCPU, got), selfUsed.Round(time.Millisecond), perDelivery(selfUsed, got))
	// What the api's CPU per delivery allows when it has the machine's cores to itself (the clients
	// elsewhere, nothing else running): the figure a loaded machine's wall clock cannot give.
	// /proc counts CPU time in 10 ms ticks: a short run's figure is coarse.
	fmt.Fprintf(b.w, "broadcast: api wrote %.0f messages (%.1f deliveries per write)\n", writes, float64(got)/max(writes, 1))
	if us := perDelivery(apiCPU, got); us > 0 {
		fmt.Fprintf(b.w, "broadcast: at that api cpu, %d idle cores deliver %.0f/s\n", runtime.NumCPU(), float64(runtime.NumCPU())*1e6/us)
	}
	if got != r.want || r.outOfOrder.Load() != 0 || r.malformed.Load() != 0 {
		return fmt.Errorf("broadcast: %d deliveries of %d, %d out of sequence, %d unreadable messages", got, r.want, r.outOfOrder.Load(), r.malformed.Load())
	}
	return nil
}

func perDelivery(d time.Duration, n int64) float64 {
	return float64(d.Microseconds()) / float64(max(n, 1))
}

// holdIdle opens o.idle connections (each signed in and subscribed to its user's room) and
// reports the api process's memory with them held.
func (b *bench) holdIdle(ctx context.Context) error {
	pid := b.srv.Pid()
	before := benchkit.ProcMemKB(pid, "VmRSS")
	t0 := time.Now()
	conns, err := b.dialAll(ctx, b.o.idle, func(i int) string { return "user-" + b.users[i%len(b.users)].User.ID.String() })
	if err != nil {
		return err
	}
	defer closeAll(conns)
	var readers sync.WaitGroup
	for _, c := range conns {
		readers.Go(func() { // answers the server's pings
			for {
				if _, _, err := c.Read(context.Background()); err != nil {
					return
				}
			}
		})
	}
	opened := time.Since(t0)
	time.Sleep(2 * time.Second)
	rss, hwm := benchkit.ProcMemKB(pid, "VmRSS"), benchkit.ProcMemKB(pid, "VmHWM")
	fmt.Fprintf(b.w, "idle: connections=%d opened in %s; api rss %d MB before, %d MB held (%.1f KB/connection), peak %d MB\n",
		len(conns), opened.Round(time.Millisecond), before/1024, rss/1024, float64(rss-before)/float64(len(conns)), hwm/1024)
	closeAll(conns)
	readers.Wait()
	return nil
}

// metric reads a counter of the api's /metrics (0 when it cannot).
func (b *bench) metric(ctx context.Context, name string) float64 {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, b.srv.Base+"/metrics", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), name+" "); ok {
			f, _ := strconv.ParseFloat(v, 64)
			return f
		}
	}
	return 0
}

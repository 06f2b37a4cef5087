package realtime

import (
	"bufio"
	"context"
	"encoding/binary"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/amanat/amn/db"
)

// rawDial connects with the token in the Authorization header and reads nothing by itself: the
// test reads whole messages (each a JSON array of frames), or never reads (a dead peer).
func rawDial(t *testing.T, s *server, token string) *websocket.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	ws, _, err := websocket.Dial(ctx, s.url, &websocket.DialOptions{HTTPHeader: http.Header{"Authorization": {"Bearer " + token}}})
	if err != nil {
		t.Fatal(err)
	}
	ws.SetReadLimit(16 << 20)
	t.Cleanup(func() { _ = ws.CloseNow() })
	return ws
}

// readMessage reads one message and decodes its frames (10 s at most).
func readMessage(t *testing.T, ws *websocket.Conn) []frame {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, b, err := ws.Read(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var fs []frame
	if err := json.Unmarshal(b, &fs); err != nil {
		t.Fatalf("message %q: %v", b, err)
	}
	return fs
}

// eventMessages reads messages until it has n events of room, checks they are seqs from+1 …
// from+n in order, and says how many messages carried them.
func eventMessages(t *testing.T, ws *websocket.Conn, room Room, from int64, n int) int {
	t.Helper()
	got, msgs := 0, 0
	for got < n {
		carried := false
		for _, f := range readMessage(t, ws) {
			if f.Type != "event" {
				continue
			}
			if f.Room != room || f.Seq == nil || *f.Seq != from+int64(got)+1 {
				t.Fatalf("event %d of %d: got %+v, want seq %d of %s", got+1, n, f, from+int64(got)+1, room)
			}
			got, carried = got+1, true
		}
		if carried {
			msgs++
		}
	}
	return msgs
}

// rawSubscribe subscribes ws to room and reads up to the subscribed frame.
func rawSubscribe(t *testing.T, ws *websocket.Conn, room Room) {
	t.Helper()
	b, _ := json.Marshal(map[string]any{"type": "subscribe", "room": room})
	if err := ws.Write(context.Background(), websocket.MessageText, b); err != nil {
		t.Fatal(err)
	}
	for {
		for _, f := range readMessage(t, ws) {
			switch f.Type {
			case "subscribed":
				return
			case "error":
				t.Fatalf("subscribing: %+v", f)
			}
		}
	}
}

// Events published together (one transaction) reach a subscriber in one message, encoded once;
// events of a busy room published one by one go out several to a message (a connection writes at
// most once per Coalesce while busy), still all of them, in order.
func TestEventsAreCoalescedIntoFewWrites(t *testing.T) {
	w := newWorld(t)
	s := w.start(Config{Coalesce: 2 * time.Second})
	u, tok := w.user()
	room := ChatRoom(uuid.New())
	w.own.allow(room, u)
	ws := rawDial(t, s, tok)
	rawSubscribe(t, ws, room)
	err := db.InTx(context.Background(), w.pool, func(tx pgx.Tx) error {
		for i := range 100 {
			if _, err := Publish(context.Background(), tx, room, "chat.message", map[string]any{"i": i}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if msgs := eventMessages(t, ws, room, 0, 100); msgs != 1 {
		t.Fatalf("100 events of one transaction came in %d messages, want 1", msgs)
	}
	// The room is busy now (a write just went out): the next events, one transaction each, wait
	// for the rest of the Coalesce interval and leave together.
	for i := range 5 {
		w.publish(room, "chat.message", map[string]any{"i": 100 + i})
	}
	if msgs := eventMessages(t, ws, room, 100, 5); msgs >= 5 {
		t.Fatalf("5 events published within the coalescing interval came in %d messages", msgs)
	}
}

// With coalescing off (a negative Coalesce) every frame goes out at once, the first included.
func TestCoalescingOffWritesAtOnce(t *testing.T) {
	w := newWorld(t)
	s := w.start(Config{Coalesce: -time.Millisecond})
	u, tok := w.user()
	room := ChatRoom(uuid.New())
	w.own.allow(room, u)
	c := dialReady(t, s, tok)
	c.subscribe(room, nil)
	for i := range 3 {
		w.publish(room, "chat.message", map[string]any{"i": i})
	}
	c.expectEvents(room, 0, 3)
}

// A connection's writer runs only while there is something to write: once the queue stays empty
// it ends (an idle connection holds no writer goroutine and no queue), and the next event starts
// one again.
func TestIdleConnectionHoldsNoWriter(t *testing.T) {
	w := newWorld(t)
	s := w.start(Config{Coalesce: 10 * time.Millisecond})
	u, tok := w.user()
	room := ChatRoom(uuid.New())
	w.own.allow(room, u)
	c := dialReady(t, s, tok)
	c.subscribe(room, nil)
	for round := range 3 {
		w.publish(room, "chat.message", map[string]any{"round": round})
		c.expectEvents(room, int64(round), 1)
		deadline := time.Now().Add(10 * time.Second)
		for !idleWriters(s.hub) {
			if time.Now().After(deadline) {
				t.Fatalf("round %d: a writer still runs (or holds a queue) with nothing to write", round)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
}

// idleWriters reports whether no connection of h has a writer running or a queue allocated.
func idleWriters(h *Hub) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	for c := range h.conns {
		c.qmu.Lock()
		busy := c.writing || c.queue != nil || c.wake != nil
		c.qmu.Unlock()
		if busy {
			return false
		}
	}
	return len(h.conns) > 0
}

// A peer that stops answering pings is dropped (the pings come from a timer per connection, not
// a goroutine); one that reads on stays connected through many pings and gets its events.
func TestDeadPeerIsDroppedByPingsLiveOneStays(t *testing.T) {
	w := newWorld(t)
	s := w.start(Config{PingInterval: 50 * time.Millisecond, PongTimeout: 300 * time.Millisecond})
	u, tok := w.user()
	room := ChatRoom(uuid.New())
	w.own.allow(room, u)
	live := dialReady(t, s, tok)
	live.subscribe(room, nil)
	_ = rawDial(t, s, tok) // never reads: pings go unanswered
	deadline := time.Now().Add(20 * time.Second)
	for gaugeValue(t, s, "amn_realtime_connections") != 1 {
		if time.Now().After(deadline) {
			t.Fatalf("the peer that answers no ping is still connected: %v connections", gaugeValue(t, s, "amn_realtime_connections"))
		}
		time.Sleep(10 * time.Millisecond)
	}
	w.publish(room, "chat.message", map[string]any{"i": 1})
	live.expectEvents(room, 0, 1)
}

func gaugeValue(t *testing.T, s *server, name string) float64 {
	t.Helper()
	mfs, err := s.reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() == name {
			return mf.GetMetric()[0].GetGauge().GetValue()
		}
	}
	t.Fatalf("no metric %s", name)
	return 0
}

// A client may send its first message right behind the upgrade request, in the same TCP segment:
// what net/http read ahead of it is handed on to the WebSocket (the hub's own, smaller, read
// buffer must not lose it).
func TestFirstMessageReadAheadWithTheUpgrade(t *testing.T) {
	w := newWorld(t)
	s := w.start(Config{})
	_, tok := w.user()
	u, _ := url.Parse(s.url)
	nc, err := net.DialTimeout("tcp", u.Host, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	_ = nc.SetDeadline(time.Now().Add(20 * time.Second))
	auth, _ := json.Marshal(map[string]any{"type": "auth", "token": tok})
	req := "GET / HTTP/1.1\r\nHost: " + u.Host + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
		"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
	if _, err := nc.Write(append([]byte(req), clientFrame(auth)...)); err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(nc)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusSwitchingProtocols {
		t.Fatalf("upgrade answered %s", resp.Status)
	}
	var hdr [2]byte
	if _, err := io.ReadFull(br, hdr[:]); err != nil {
		t.Fatal(err)
	}
	n := int(hdr[1] & 0x7f)
	if n == 126 {
		var ext [2]byte
		if _, err := io.ReadFull(br, ext[:]); err != nil {
			t.Fatal(err)
		}
		n = int(binary.BigEndian.Uint16(ext[:]))
	}
	payload := make([]byte, n)
	if _, err := io.ReadFull(br, payload); err != nil {
		t.Fatal(err)
	}
	if hdr[0] != 0x81 || !strings.Contains(string(payload), `"type":"ready"`) {
		t.Fatalf("first frame %x %q, want a text message with ready", hdr, payload)
	}
}

// clientFrame is p as one masked text frame (a client's frames are masked).
func clientFrame(p []byte) []byte {
	key := [4]byte{1, 2, 3, 4}
	f := []byte{0x81}
	if len(p) < 126 {
		f = append(f, 0x80|byte(len(p)))
	} else {
		f = append(f, 0x80|126, byte(len(p)>>8), byte(len(p)))
	}
	f = append(f, key[:]...)
	for i, b := range p {
		f = append(f, b^key[i%4])
	}
	return f
}

package realtime

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/amanat/amn/db"
	"github.com/amanat/amn/db/dbtest"
)

// expectEvents reads n events of room and checks they are seqs from+1 … from+n, in order.
func (c *client) expectEvents(room Room, from int64, n int) {
	c.t.Helper()
	for i := range n {
		f := c.nextSkipping()
		want := from + int64(i) + 1
		if f.Type != "event" || f.Room != room || f.Seq == nil || *f.Seq != want {
			c.t.Fatalf("event %d of %d: got %+v, want seq %d of %s", i+1, n, f, want, room)
		}
	}
}

// A rolled-back publish stores nothing and tells nobody; committed ones get 1, 2, … in order, and
// a subscriber sees only the committed ones.
func TestPublishSpeaksOnlyOnCommit(t *testing.T) {
	w := newWorld(t)
	s := w.start(Config{})
	u, tok := w.user()
	room := RequestRoom(uuid.New())
	w.own.allow(room, u)
	c := dialReady(t, s, tok)
	if seq := c.subscribe(room, nil); seq != 0 {
		t.Fatalf("a new room's seq is %d", seq)
	}
	ctx := context.Background()
	rolledBack := errors.New("roll back")
	err := db.InTx(ctx, w.pool, func(tx pgx.Tx) error {
		if _, err := Publish(ctx, tx, room, "request.status", map[string]any{"n": "never"}); err != nil {
			return err
		}
		return rolledBack
	})
	if !errors.Is(err, rolledBack) {
		t.Fatal(err)
	}
	if seq := w.publish(room, "request.status", map[string]any{"n": 1}); seq != 1 {
		t.Fatalf("the first committed event has seq %d (a rolled-back one took a number)", seq)
	}
	w.publish(room, "request.status", map[string]any{"n": 2})
	f := c.nextSkipping()
	if f.Type != "event" || *f.Seq != 1 || string(f.Data) != `{"n":1}` || f.Kind != "request.status" {
		t.Fatalf("first frame %+v (data %s)", f, f.Data)
	}
	c.expectEvents(room, 1, 1)
	// Bad input never reaches the database.
	for _, bad := range []struct {
		room Room
		kind string
		p    any
	}{
		{"request-not-a-uuid", "k", map[string]any{}},
		{Room("request-" + strings.ToUpper(uuid.NewString())), "k", map[string]any{}},
		{room, "Bad Kind", map[string]any{}},
		{room, "k", []int{1}},
		{room, "k", map[string]any{"big": strings.Repeat("x", MaxPayload)}},
	} {
		err := db.InTx(ctx, w.pool, func(tx pgx.Tx) error { _, err := Publish(ctx, tx, bad.room, bad.kind, bad.p); return err })
		if !errors.Is(err, ErrInvalid) {
			t.Errorf("Publish(%.40q, %q) = %v, want ErrInvalid", bad.room, bad.kind, err)
		}
	}
}

// Every subscription is checked against the caller's rights: another buyer's room is refused
// (and says nothing about the room), a malformed room is invalid, and the socket stays usable.
func TestSubscribeChecksRights(t *testing.T) {
	w := newWorld(t)
	s := w.start(Config{})
	alice, aliceTok := w.user()
	bob, _ := w.user()
	aliceRoom, bobRoom := RequestRoom(uuid.New()), RequestRoom(uuid.New())
	w.own.allow(aliceRoom, alice)
	w.own.allow(bobRoom, bob)
	c := dialReady(t, s, aliceTok)
	c.send(map[string]any{"type": "subscribe", "room": bobRoom, "since": 0})
	if f := c.next(); f.Type != "error" || f.Code != "forbidden" || f.Room != bobRoom {
		t.Fatalf("joining another buyer's room: %+v", f)
	}
	w.publish(bobRoom, "request.status", map[string]any{"secret": true})
	for _, bad := range []string{"request-x", "../etc", strings.Repeat("a", 5000)} {
		c.send(map[string]any{"type": "subscribe", "room": bad})
		if f := c.next(); f.Type != "error" || f.Code != "invalid" {
			t.Fatalf("subscribing to %.20q: %+v", bad, f)
		}
	}
	c.send(map[string]any{"type": "presence", "room": bobRoom})
	if f := c.next(); f.Type != "error" || f.Code != "not_subscribed" {
		t.Fatalf("presence of a room not joined: %+v", f)
	}
	c.subscribe(aliceRoom, nil)
	w.publish(aliceRoom, "request.status", map[string]any{})
	if f := c.nextSkipping(); f.Room != aliceRoom {
		t.Fatalf("alice got %+v", f)
	}
}

// A client offline while 50 events are published gets all 50, in order, when it resubscribes
// from its last seq, then the live ones, with nothing twice.
func TestReplayAfterReconnect(t *testing.T) {
	w := newWorld(t)
	s := w.start(Config{})
	u, tok := w.user()
	room := RequestRoom(uuid.New())
	w.own.allow(room, u)
	w.publish(room, "chat.message", map[string]any{"i": 0})
	c := dialReady(t, s, tok)
	last := c.subscribe(room, ptr(int64(0)))
	c.expectEvents(room, 0, 1)
	_ = c.ws.Close(websocket.StatusNormalClosure, "going offline")
	for i := range 50 {
		w.publish(room, "chat.message", map[string]any{"i": i + 1})
	}
	c = dialReady(t, s, tok)
	if seq := c.subscribe(room, &last); seq != 51 {
		t.Fatalf("subscribed at %d, want 51", seq)
	}
	c.expectEvents(room, 1, 50)
	w.publish(room, "chat.message", map[string]any{"i": 51})
	c.expectEvents(room, 51, 1)
	if got := histogramCount(t, s, "amn_realtime_replay_events"); got < 2 {
		t.Fatalf("replays counted %d", got)
	}
}

// A client asking from before the retention (events pruned) or further behind than MaxReplay gets
// a reset with the room's seq, then the live events after it.
func TestResetPastRetentionOrReplayLimit(t *testing.T) {
	w := newWorld(t)
	s := w.start(Config{MaxReplay: 10})
	u, tok := w.user()
	old, far := RequestRoom(uuid.New()), RequestRoom(uuid.New())
	w.own.allow(old, u)
	w.own.allow(far, u)
	for i := range 5 {
		w.publish(old, "request.status", map[string]any{"i": i})
	}
	owner := dbtest.Pool(t)
	if _, err := owner.Exec(context.Background(), `UPDATE realtime_events SET created_at = now() - interval '8 days' WHERE room = $1`, string(old)); err != nil {
		t.Fatal(err)
	}
	if n, err := s.hub.Prune(context.Background(), 7*24*time.Hour); err != nil || n < 5 {
		t.Fatalf("Prune = %d, %v", n, err)
	}
	for i := range 11 {
		w.publish(far, "request.status", map[string]any{"i": i})
	}
	c := dialReady(t, s, tok)
	for _, tc := range []struct {
		room  Room
		since int64
		last  int64
	}{{old, 1, 5}, {far, 0, 11}, {old, 99, 5}} {
		c.subscribe(tc.room, &tc.since)
		if f := c.nextSkipping(); f.Type != "reset" || f.Room != tc.room || *f.Seq != tc.last {
			t.Fatalf("from %d in %s: %+v, want a reset at %d", tc.since, tc.room, f, tc.last)
		}
		c.send(map[string]any{"type": "unsubscribe", "room": tc.room})
		if f := c.nextSkipping(); f.Type != "unsubscribed" {
			t.Fatalf("unsubscribing: %+v", f)
		}
	}
	// Within the limit, far replays.
	c.subscribe(far, ptr(int64(1)))
	c.expectEvents(far, 1, 10)
	w.publish(far, "request.status", map[string]any{})
	c.expectEvents(far, 11, 1)
}

// Two hubs on one database stand for two API processes: an event published anywhere reaches the
// clients of both, and a client that moves from one to the other while events keep coming misses
// nothing and gets nothing twice.
func TestFanOutAcrossProcessesAndMovingClient(t *testing.T) {
	w := newWorld(t)
	a, b := w.start(Config{}), w.start(Config{})
	u, tok := w.user()
	room := RequestRoom(uuid.New())
	w.own.allow(room, u)
	ca, cb := dialReady(t, a, tok), dialReady(t, b, tok)
	ca.subscribe(room, nil)
	cb.subscribe(room, nil)
	w.publish(room, "chat.message", map[string]any{})
	ca.expectEvents(room, 0, 1)
	cb.expectEvents(room, 0, 1)

	const total = 200
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range total {
			w.publish(room, "chat.message", map[string]any{"i": i})
		}
	}()
	// Move mid-stream: read some on a, leave, resubscribe on b from the last seq read.
	last := int64(1)
	for range 20 {
		f := ca.nextSkipping()
		if *f.Seq != last+1 {
			t.Fatalf("on a: seq %d after %d", *f.Seq, last)
		}
		last = *f.Seq
	}
	_ = ca.ws.Close(websocket.StatusNormalClosure, "moving")
	moved := dialReady(t, b, tok)
	moved.subscribe(room, &last)
	moved.expectEvents(room, last, total+1-int(last))
	cb.expectEvents(room, 1, total)
	<-done
}

// A client that does not read is closed with CloseTooSlow once its queue is full, while a fast
// client in the same room gets every event.
func TestSlowClientIsDroppedWithoutDelayingOthers(t *testing.T) {
	w := newWorld(t)
	s := w.start(Config{QueueSize: 8, WriteTimeout: 30 * time.Second})
	u, tok := w.user()
	room := RequestRoom(uuid.New())
	w.own.allow(room, u)
	fast := dialReady(t, s, tok)
	fast.subscribe(room, nil)
	slow := dialReady(t, s, tok)
	slow.subscribe(room, nil)
	slow.stall()
	big := strings.Repeat("x", 7000)
	const n = 600 // 4 MB: more than the socket buffers hold
	for i := range n {
		w.publish(room, "chat.message", map[string]any{"i": i, "pad": big})
	}
	fast.expectEvents(room, 0, n)
	slow.resume()
	if code := slow.closed(); code != CloseTooSlow {
		t.Fatalf("the slow client was closed with %d, want %d", code, CloseTooSlow)
	}
	if v := counterValue(t, s, "amn_realtime_slow_clients_total"); v != 1 {
		t.Fatalf("slow clients counted: %v", v)
	}
}

// The connection closes with CloseTokenExpired when the token expires, unless a fresh token of
// the same user came before; no token, a wrong one or another user's closes with
// CloseUnauthenticated.
func TestTokenExpiryAndBadTokens(t *testing.T) {
	w := newWorld(t)
	// Generous enough for a loaded CI machine under -race (300 ms was not): a first auth message
	// later than that, or a token expiring before the handshake ends, would fail the test.
	s := w.start(Config{AuthTimeout: 2 * time.Second})
	u := uuid.New()
	short := w.tk.issue(Client{UserID: u, Expires: time.Now().Add(1500 * time.Millisecond)})
	// The hub's timer runs on the real clock: these tests wait for real expiries of a second or two.
	c := dial(t, s, short, true)
	c.expect("ready")
	if code := c.closed(); code != CloseTokenExpired {
		t.Fatalf("expiry closed with %d", code)
	}
	if code := dial(t, s, short, true).closed(); code != CloseTokenExpired {
		t.Fatalf("an expired token closed with %d", code)
	}
	firstExpiry := time.Now().Add(1500 * time.Millisecond)
	renewed := dialReady(t, s, w.tk.issue(Client{UserID: u, Expires: firstExpiry}))
	renewed.send(map[string]any{"type": "auth", "token": w.tk.issue(Client{UserID: u, Expires: time.Now().Add(time.Hour)})})
	renewed.expect("ready")
	room := UserRoom(u)
	w.own.allow(room, u)
	renewed.subscribe(room, nil)
	time.Sleep(time.Until(firstExpiry) + 300*time.Millisecond) // past the first token's expiry: still open
	w.publish(room, "notification.new", map[string]any{})
	renewed.expectEvents(room, 0, 1)

	_, other := w.user()
	renewed.send(map[string]any{"type": "auth", "token": other})
	if code := renewed.closed(); code != CloseUnauthenticated {
		t.Fatalf("switching user closed with %d", code)
	}
	if code := dial(t, s, "", false).closed(); code != CloseUnauthenticated {
		t.Fatalf("no token closed with %d", code)
	}
	if code := dial(t, s, "forged", true).closed(); code != CloseUnauthenticated {
		t.Fatalf("a forged token closed with %d", code)
	}
	c = dial(t, s, "", false)
	c.send(map[string]any{"type": "subscribe", "room": room})
	if code := c.closed(); code != CloseUnauthenticated {
		t.Fatalf("subscribing before auth closed with %d", code)
	}
	c = dialReady(t, s, w.tk.issue(Client{UserID: u, Expires: time.Now().Add(time.Hour)}))
	if err := c.ws.Write(context.Background(), websocket.MessageText, []byte("{not json")); err != nil {
		t.Fatal(err)
	}
	if code := c.closed(); code != websocket.StatusUnsupportedData {
		t.Fatalf("malformed JSON closed with %d", code)
	}
	c = dialReady(t, s, w.tk.issue(Client{UserID: u, Expires: time.Now().Add(time.Hour)}))
	if err := c.ws.Write(context.Background(), websocket.MessageText, []byte(`{"type":"x","pad":"`+strings.Repeat("a", maxClientMessage)+`"}`)); err != nil {
		t.Fatal(err)
	}
	if code := c.closed(); code != websocket.StatusMessageTooBig {
		t.Fatalf("an oversized message closed with %d", code)
	}
}

// Presence is merged across processes: a user on one hub is seen joining by a client of the
// other, and when a process dies (stops beating) its users are announced gone after the TTL.
func TestPresenceAcrossProcessesExpiresWhenOneDies(t *testing.T) {
	w := newWorld(t)
	cfg := Config{PresenceTTL: 1500 * time.Millisecond}
	a, b := w.start(cfg), w.start(cfg)
	alice, aliceTok := w.user()
	bob, bobTok := w.user()
	room := RoomOf(KindChat, uuid.New())
	w.own.allow(room, alice, bob)
	ca := dialReady(t, a, aliceTok)
	ca.subscribe(room, nil)
	cb := dialReady(t, b, bobTok)
	cb.subscribe(room, nil)
	if f := ca.waitPresence("join", bob); *f.Count != 2 {
		t.Fatalf("alice saw bob join with count %d", *f.Count)
	}
	cb.send(map[string]any{"type": "presence", "room": room})
	if f := cb.waitPresence("", uuid.Nil); *f.Count != 2 || len(f.Users) != 2 {
		t.Fatalf("presence on b: %+v", f)
	}
	// Typing is ephemeral: it reaches the other process's client and is never stored.
	cb.send(map[string]any{"type": "typing", "room": room})
	for f := ca.next(); f.Type != "typing"; f = ca.next() {
	}

	// A third process that dies: it joined carol, then stops beating without saying goodbye.
	carol, carolTok := w.user()
	w.own.allow(room, carol)
	dead := w.start(Config{PresenceTTL: time.Hour}) // beats rarely: as good as dead after cfg's TTL
	cd := dialReady(t, dead, carolTok)
	cd.subscribe(room, nil)
	ca.waitPresence("join", carol)
	if f := ca.waitPresence("leave", carol); *f.Count != 2 {
		t.Fatalf("after carol's process died the count is %d", *f.Count)
	}
	_ = cb.ws.Close(websocket.StatusNormalClosure, "bye")
	if f := ca.waitPresence("leave", bob); *f.Count != 1 {
		t.Fatalf("after bob left the count is %d", *f.Count)
	}
}

// waitPresence reads frames until a presence frame of event ev about user (ev "": a listing).
func (c *client) waitPresence(ev string, user uuid.UUID) frame {
	c.t.Helper()
	for {
		f := c.next()
		if f.Type == "presence" && f.Event == ev && (ev == "" || (f.User != nil && *f.User == user)) {
			return f
		}
	}
}

// stall stops reading from the socket (the TCP buffers fill); resume reads again.
func (c *client) stall() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gate = make(chan struct{})
}

func (c *client) resume() {
	c.mu.Lock()
	defer c.mu.Unlock()
	close(c.gate)
	c.gate = nil
}

func counterValue(t *testing.T, s *server, name string) float64 {
	t.Helper()
	mfs, err := s.reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() == name {
			return mf.GetMetric()[0].GetCounter().GetValue()
		}
	}
	t.Fatalf("no metric %s", name)
	return 0
}

func histogramCount(t *testing.T, s *server, name string) uint64 {
	t.Helper()
	mfs, err := s.reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() == name {
			return mf.GetMetric()[0].GetHistogram().GetSampleCount()
		}
	}
	t.Fatalf("no metric %s", name)
	return 0
}

// Any database login can NOTIFY the ephemeral channel: a forged event frame, a typing frame
// naming a user in a request's room, or one with fields the hub never sends reaches no client
// (each is counted); the hub's own typing frame after them does.
func TestForgedEphemeralNotifyReachesNoClient(t *testing.T) {
	w := newWorld(t)
	s := w.start(Config{})
	u, tok := w.user()
	chat, req := RoomOf(KindChat, uuid.New()), RequestRoom(uuid.New())
	w.own.allow(chat, u)
	w.own.allow(req, u)
	c := dialReady(t, s, tok)
	c.subscribe(chat, nil)
	c.subscribe(req, nil)
	forged := []string{
		string(chat) + ` {"type":"event","room":"` + string(chat) + `","seq":1,"kind":"request.status","data":{"to":"completed"}}`,
		string(req) + ` {"type":"typing","room":"` + string(req) + `","user":"` + u.String() + `"}`,
		string(chat) + ` {"type":"typing","room":"` + string(chat) + `","user":"` + u.String() + `","data":{"x":1}}`,
		string(chat) + ` {"type":"typing","room":"` + string(req) + `","user":"` + u.String() + `"}`,
		string(chat) + ` not json`,
	}
	ctx := context.Background()
	for _, p := range forged {
		if _, err := w.pool.Exec(ctx, `SELECT pg_notify('amn_realtime_e', $1)`, p); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := w.pool.Exec(ctx, `SELECT pg_notify('amn_realtime_e', $1)`,
		string(chat)+` {"type":"typing","room":"`+string(chat)+`","user":"`+u.String()+`"}`); err != nil {
		t.Fatal(err)
	}
	for {
		f := c.next()
		if f.Type == "presence" {
			continue
		}
		if f.Type != "typing" || f.Room != chat || f.User == nil || *f.User != u || f.Data != nil {
			t.Fatalf("a forged frame reached the client: %+v", f)
		}
		break
	}
	if n := counterValue(t, s, "amn_realtime_ephemeral_dropped_total"); n != float64(len(forged)) {
		t.Fatalf("%v dropped, want %d", n, len(forged))
	}
}

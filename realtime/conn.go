package realtime

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/coder/websocket"
	"github.com/google/uuid"

	"github.com/amanat/amn/kind"
)

// maxClientMessage bounds what a client sends (an auth message with its token is the largest).
const maxClientMessage = 8 << 10

// maxWrite is where a coalesced write stops taking more waiting frames.
const maxWrite = 256 << 10

// item is one queued piece of a write: one or more encoded frames (comma-separated), n of them.
type item struct {
	b []byte
	n int
}

// conn is one WebSocket connection: its reader (a goroutine of its own) runs the protocol; a
// writer goroutine drains the bounded queue while there is something to write (it is started by
// offer and ends once the queue stays empty, so an idle connection has none); a timer (no
// goroutine) pings the peer.
type conn struct {
	h      *Hub
	ws     *websocket.Conn
	ctx    context.Context // ends with the connection
	cancel context.CancelFunc
	done   chan struct{}
	once   sync.Once

	qmu     sync.Mutex    // guards queue, writing, wake and wrote
	queue   []item        // waiting to be written (at most cfg.QueueSize)
	writing bool          // a writeLoop runs
	wake    chan struct{} // the running writeLoop's: ends its wait (to coalesce: half a queue; idle: any item)
	idle    bool          // the writeLoop waits for something to write
	wrote   time.Time     // the last write's end

	mu     sync.Mutex // guards client, expiry and ping
	client Client
	authed bool
	expiry *time.Timer
	ping   *time.Timer

	subs   map[Room]*sub // the reader's only
	typing map[Room]time.Time
}

// sub is one connection's subscription to one room, with its place in the room's sequence.
type sub struct {
	c    *conn
	room Room
	user uuid.UUID

	mu        sync.Mutex
	last      int64   // the last seq queued for the client
	replaying bool    // live events wait in pending until the replay is queued
	pending   []event // live events that came during the replay
}

// Handler serves the WebSocket endpoint (GET /v1/ws): the upgrade, then the protocol until either
// side ends it, on a goroutine of its own (the handler returns once the connection is upgraded,
// so net/http's request, response and handler stack do not stay with every idle connection).
// The request's Authorization header's bearer token, if any, signs the connection in; without
// one the client's first message must be an auth message.
func (h *Hub) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ws, err := websocket.Accept(smallBuffers{w}, r, &websocket.AcceptOptions{OriginPatterns: h.cfg.Origins})
		if err != nil {
			return // Accept answered the request
		}
		c := h.newConn(ws)
		token, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		go c.serve(token)
	})
}

// A connection's read and write buffers, held for its lifetime by coder/websocket (net/http's are
// 4 KiB each: 80 MB for 10,000 idle connections). Clients send small JSON messages; a message to
// a client larger than writeBuffer goes out in two write system calls instead of one (a single
// event's frame is a few hundred bytes).
const (
	readBuffer  = 512
	writeBuffer = 1024
)

// smallBuffers hands websocket.Accept the hijacked connection behind smaller buffers, holding
// what net/http had already read of it.
type smallBuffers struct{ http.ResponseWriter }

func (w smallBuffers) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	nc, brw, err := http.NewResponseController(w.ResponseWriter).Hijack()
	if err != nil {
		return nil, nil, err
	}
	n := brw.Reader.Buffered()
	ahead, _ := brw.Reader.Peek(n)
	r := bufio.NewReaderSize(io.MultiReader(bytes.NewReader(bytes.Clone(ahead)), nc), max(readBuffer, n))
	if _, err := r.Peek(n); err != nil { // buffered again: Accept keeps what is buffered
		_ = nc.Close()
		return nil, nil, err
	}
	return nc, bufio.NewReadWriter(r, bufio.NewWriterSize(nc, writeBuffer)), nil
}

// newConn is the hub's state for an accepted WebSocket.
func (h *Hub) newConn(ws *websocket.Conn) *conn {
	ctx, cancel := context.WithCancel(h.ctx)
	return &conn{h: h, ws: ws, ctx: ctx, cancel: cancel, done: make(chan struct{}),
		subs: map[Room]*sub{}, typing: map[Room]time.Time{}}
}

func (c *conn) serve(token string) {
	if !c.h.track(c, true) {
		_ = c.ws.Close(websocket.StatusGoingAway, "server stopping: reconnect")
		return
	}
	defer c.h.track(c, false)
	defer c.cleanup()
	c.ws.SetReadLimit(maxClientMessage)
	c.mu.Lock()
	c.ping = time.AfterFunc(c.h.cfg.PingInterval, c.pingPeer)
	c.mu.Unlock()
	if token != "" {
		if !apart(func() bool { return c.authenticate(token) }) {
			return
		}
	} else {
		wait := time.AfterFunc(c.h.cfg.AuthTimeout, func() {
			c.mu.Lock()
			authed := c.authed
			c.mu.Unlock()
			if !authed {
				c.fail(CloseUnauthenticated, "no auth message in time")
			}
		})
		defer wait.Stop()
	}
	for {
		typ, b, err := c.ws.Read(context.Background())
		if err != nil {
			return
		}
		if !apart(func() bool { return c.message(typ, b) }) {
			return
		}
	}
}

// apart runs f on a goroutine of its own and waits for it. The reader of a connection lives as
// long as the connection, and a goroutine's stack keeps the size its deepest call needed (the
// database calls of auth, rights and presence need many times what a read does): the reader
// runs the messages apart so that its stack stays what a read needs.
func apart(f func() bool) bool {
	ok := make(chan bool, 1)
	go func() { ok <- f() }()
	return <-ok
}

// message runs one message from the client; false ends the connection.
func (c *conn) message(typ websocket.MessageType, b []byte) bool {
	var m clientMsg
	if typ != websocket.MessageText || json.Unmarshal(b, &m) != nil {
		c.fail(websocket.StatusUnsupportedData, "send JSON objects as text messages")
		return false
	}
	return c.handle(m)
}

// handle runs one client message; false ends the connection.
func (c *conn) handle(m clientMsg) bool {
	c.mu.Lock()
	authed := c.authed
	c.mu.Unlock()
	if m.Type == "auth" {
		return c.authenticate(m.Token)
	}
	if !authed {
		c.fail(CloseUnauthenticated, "the first message must be an auth message")
		return false
	}
	switch m.Type {
	case "subscribe":
		c.subscribe(m.Room, m.Since)
	case "unsubscribe":
		c.unsubscribe(m.Room)
	case "presence":
		c.presence(m.Room)
	case "typing":
		c.typingIn(m.Room)
	default:
		c.reply(errorFrame("", "invalid", "unknown message type"))
	}
	return true
}

// authenticate checks a token (the first, or a fresh one before the current expires: the same
// user only) and sets the connection's expiry to the token's.
func (c *conn) authenticate(token string) bool {
	cl, err := c.h.verify(c.ctx, token)
	switch {
	case errors.Is(err, ErrTokenExpired):
		c.fail(CloseTokenExpired, "access token expired: refresh it and reconnect")
		return false
	case errors.Is(err, ErrUnauthenticated):
		c.fail(CloseUnauthenticated, "invalid access token")
		return false
	case err != nil:
		c.fail(websocket.StatusInternalError, "could not check the token: reconnect")
		return false
	}
	c.mu.Lock()
	if c.authed && cl.UserID != c.client.UserID {
		c.mu.Unlock()
		c.fail(CloseUnauthenticated, "a connection speaks for one user")
		return false
	}
	c.client, c.authed = cl, true
	if c.expiry == nil {
		c.expiry = time.AfterFunc(time.Until(cl.Expires), func() {
			c.fail(CloseTokenExpired, "access token expired: refresh it and reconnect")
		})
	} else {
		c.expiry.Reset(time.Until(cl.Expires))
	}
	c.mu.Unlock()
	exp := cl.Expires
	c.reply(encode(frame{Type: "ready", User: &cl.UserID, ExpiresAt: &exp}))
	return true
}

func (c *conn) who() Client {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.client
}

// subscribe checks the caller's right to room, joins it, queues the reply and the replay from
// since (or a reset), then lets the live events through.
func (c *conn) subscribe(name Room, since *int64) {
	if _, _, err := name.Parse(); err != nil {
		c.reply(errorFrame(name, "invalid", err.Error()))
		return
	}
	switch {
	case c.subs[name] != nil:
		c.reply(errorFrame(name, "invalid", "already subscribed: unsubscribe first"))
		return
	case len(c.subs) >= c.h.cfg.MaxSubscriptions:
		c.reply(errorFrame(name, "too_many", "too many subscriptions on one connection"))
		return
	}
	who := c.who()
	if err := c.h.rights(c.ctx, who, name); err != nil {
		if kind.ByClient(err) {
			c.reply(errorFrame(name, "forbidden", "you may not join this room"))
		} else { // the rights could not be read (a database down): not a refusal
			c.reply(errorFrame(name, "unavailable", "could not check your rights: try again"))
		}
		return
	}
	s := &sub{c: c, room: name, user: who.UserID, replaying: true}
	first, err := c.h.join(c.ctx, s)
	if err != nil {
		c.reply(errorFrame(name, "unavailable", "could not join: try again"))
		return
	}
	c.subs[name] = s
	c.h.m.subscriptions.Inc()
	if err := c.replay(s, since); err != nil {
		// Nothing was said to the client yet (replay answers only once it has read): take s out
		// quietly; its join was never announced.
		delete(c.subs, name)
		c.h.m.subscriptions.Dec()
		c.h.leave(s)
		c.reply(errorFrame(name, "unavailable", "could not read the room: try again"))
		return
	}
	if first {
		c.h.presenceJoin(c.ctx, name, who.UserID)
	}
}

// replay queues "subscribed" and what the client missed after since (or a reset), then releases
// the live events that came meanwhile. The room's last seq is read after s joined: every event up
// to it is in the database, every later one reaches s live. It reads everything before it answers,
// so an error leaves the client told nothing.
func (c *conn) replay(s *sub, since *int64) error {
	last, err := c.h.lastSeq(c.ctx, s.room)
	if err != nil {
		return err
	}
	var evs []event
	reset := false
	if since != nil && *since != last {
		reset = *since < 0 || *since > last
		if !reset {
			if evs, err = c.h.events(c.ctx, s.room, *since, last, c.h.cfg.MaxReplay+1); err != nil {
				return err
			}
			reset = len(evs) == 0 || len(evs) > c.h.cfg.MaxReplay || evs[0].seq != *since+1
		}
	}
	c.reply(encode(frame{Type: "subscribed", Room: s.room, Seq: &last}))
	s.last = last
	if since != nil && *since != last {
		if reset {
			c.h.m.resets.Inc()
			c.reply(encode(frame{Type: "reset", Room: s.room, Seq: &last}))
		} else {
			c.h.m.replay.Observe(float64(len(evs)))
			c.offer(batch(evs))
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, ev := range s.pending {
		s.push(ev)
	}
	s.pending, s.replaying = nil, false
	return nil
}

// batch joins events' frames into one queued item.
func batch(evs []event) item {
	n := 0
	for _, ev := range evs {
		n += len(ev.it.b) + 1
	}
	b := make([]byte, 0, n)
	for i, ev := range evs {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, ev.it.b...)
	}
	return item{b: b, n: len(evs)}
}

// deliver hands s live events, in seq order (the dispatcher, never blocking). all, when set, is
// evs (consecutive seqs) as one queued item, encoded once for every subscriber: a subscriber that
// has everything before them queues it whole.
func (s *sub) deliver(evs []event, all *item) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.replaying {
		if len(s.pending)+len(evs) > s.c.h.cfg.QueueSize {
			s.c.tooSlow()
			return
		}
		s.pending = append(s.pending, evs...)
		return
	}
	if all != nil && evs[0].seq == s.last+1 {
		s.last = evs[len(evs)-1].seq
		s.c.offer(*all)
		return
	}
	for _, ev := range evs {
		s.push(ev)
	}
}

// push queues ev unless the client has it; a gap (never expected) ends the connection, so the
// client resubscribes from its last seq rather than miss an event. s.mu is held.
func (s *sub) push(ev event) {
	switch {
	case ev.seq <= s.last:
	case ev.seq != s.last+1:
		s.c.h.log.Error("realtime: gap in a room's events", "room", s.room, "have", s.last, "got", ev.seq)
		s.c.fail(CloseTooSlow, "resubscribe from your last seq")
	default:
		s.last = ev.seq
		s.c.offer(ev.it)
	}
}

func (c *conn) unsubscribe(name Room) {
	s := c.subs[name]
	if s == nil {
		c.reply(errorFrame(name, "not_subscribed", "not subscribed to this room"))
		return
	}
	delete(c.subs, name)
	c.h.m.subscriptions.Dec()
	if c.h.leave(s) {
		c.h.presenceLeave(c.ctx, name, s.user)
	}
	c.reply(encode(frame{Type: "unsubscribed", Room: name}))
}

// presence answers who is in a room the client is subscribed to, across processes: how many, and
// who where the room names its users (Room.Names).
func (c *conn) presence(name Room) {
	if c.subs[name] == nil {
		c.reply(errorFrame(name, "not_subscribed", "subscribe to a room to see who is in it"))
		return
	}
	users, err := c.h.present(c.ctx, name)
	if err != nil {
		c.reply(errorFrame(name, "unavailable", "could not read presence: try again"))
		return
	}
	n := len(users)
	f := frame{Type: "presence", Room: name, Count: &n}
	if name.Names() {
		f.Users = users
	}
	c.reply(encode(f))
}

// typingIn tells a room's other clients the user (someone, in a room that names nobody) is typing: ephemeral (no seq, never stored), at
// most once a second per room.
func (c *conn) typingIn(name Room) {
	if c.subs[name] == nil {
		c.reply(errorFrame(name, "not_subscribed", "subscribe to a room to type in it"))
		return
	}
	if time.Since(c.typing[name]) < time.Second {
		return
	}
	c.typing[name] = time.Now()
	f := frame{Type: "typing", Room: name}
	if name.Names() {
		u := c.who().UserID
		f.User = &u
	}
	_ = c.h.notify(c.ctx, name, encode(f))
}

// reply queues a frame for this client.
func (c *conn) reply(f []byte) { c.offer(item{b: f, n: 1}) }

// offer queues it without blocking, and starts the writer if none runs; a full queue closes the
// connection as too slow.
func (c *conn) offer(it item) bool {
	c.qmu.Lock()
	select {
	case <-c.done:
		c.qmu.Unlock()
		return false
	default:
	}
	if len(c.queue) >= c.h.cfg.QueueSize {
		c.qmu.Unlock()
		c.tooSlow()
		return false
	}
	c.queue = append(c.queue, it)
	start := !c.writing
	c.writing = true
	if c.wake != nil && (c.idle || len(c.queue) >= (c.h.cfg.QueueSize+1)/2) {
		select {
		case c.wake <- struct{}{}:
		default:
		}
	}
	c.qmu.Unlock()
	if start {
		go c.writeLoop()
	}
	return true
}

func (c *conn) tooSlow() {
	c.fail(CloseTooSlow, "too slow: reconnect and resubscribe from your last seq")
}

// writeBufs are the writers' message buffers: a writer holds one only while it writes.
var writeBufs = sync.Pool{New: func() any { b := make([]byte, 0, 4096); return &b }}

// writerIdle is how long a writer goroutine waits for more after its queue emptied before it ends:
// a connection that receives every few hundred milliseconds keeps one (a goroutine started anew
// for every write would cost more than the write), an idle one holds none.
const writerIdle = time.Second

// writeLoop writes what is queued, everything waiting in one message (a JSON array of frames, up
// to maxWrite). A write comes at least cfg.Coalesce after the connection's previous one, so that
// a busy connection writes at most once per Coalesce with whatever came meanwhile; a frame for a
// connection that has not written for that long goes out at once, and a queue half full cuts the
// wait short. It ends once nothing came for writerIdle: an idle connection holds no writer, no
// queue and no buffer.
func (c *conn) writeLoop() {
	var spare []item
	// wait is the loop's one timer (coalescing, idling); stuck drops a peer that does not take a
	// write within cfg.WriteTimeout (armed per write: a timer reset, cheaper than a context with a
	// deadline for every write).
	wait := time.NewTimer(time.Hour)
	stuck := time.AfterFunc(c.h.cfg.WriteTimeout, c.kill)
	stuck.Stop()
	defer func() {
		stuck.Stop()
		wait.Stop()
	}()
	wake := make(chan struct{}, 1)
	pause := func(d time.Duration) {
		wait.Reset(d)
		select {
		case <-c.done:
		case <-wait.C:
		case <-wake:
		}
	}
	c.qmu.Lock()
	c.wake = wake
	c.qmu.Unlock()
	for {
		c.qmu.Lock()
		items := c.queue
		closed := false
		select {
		case <-c.done:
			closed = true
		default:
		}
		idle := time.Since(c.wrote)
		if closed || (len(items) == 0 && idle >= writerIdle) {
			c.queue, c.writing, c.wake, c.idle = nil, false, nil, false
			c.qmu.Unlock()
			return
		}
		if len(items) == 0 {
			c.idle = true // offer wakes the loop with the next item
			c.qmu.Unlock()
			pause(writerIdle - idle)
			c.qmu.Lock()
			c.idle = false
			c.qmu.Unlock()
			continue
		}
		if idle < c.h.cfg.Coalesce && len(items) < (c.h.cfg.QueueSize+1)/2 {
			c.qmu.Unlock()
			pause(c.h.cfg.Coalesce - idle)
			continue
		}
		c.queue = spare[:0]
		c.qmu.Unlock()
		ok := c.write(items, stuck)
		c.qmu.Lock()
		c.wrote = time.Now()
		c.qmu.Unlock()
		if !ok {
			c.kill()
			c.qmu.Lock()
			c.queue, c.writing, c.wake, c.idle = nil, false, nil, false
			c.qmu.Unlock()
			return
		}
		clear(items)
		spare = items
	}
}

// write sends items as few messages as maxWrite allows; false when the peer is gone or stuck.
func (c *conn) write(items []item, stuck *time.Timer) bool {
	bp := writeBufs.Get().(*[]byte)
	defer writeBufs.Put(bp)
	for len(items) > 0 {
		buf := append((*bp)[:0], '[')
		n := 0
		for len(items) > 0 && (n == 0 || len(buf)+len(items[0].b) < maxWrite) {
			if n > 0 {
				buf = append(buf, ',')
			}
			buf = append(buf, items[0].b...)
			n += items[0].n
			items = items[1:]
		}
		buf = append(buf, ']')
		*bp = buf
		stuck.Reset(c.h.cfg.WriteTimeout)
		err := c.ws.Write(context.Background(), websocket.MessageText, buf)
		stuck.Stop()
		if err != nil {
			return false
		}
		c.h.m.deliveries.Add(float64(n))
		c.h.m.writes.Inc()
	}
	return true
}

// pingPeer (a timer's function, every cfg.PingInterval) pings the peer: no pong within
// cfg.PongTimeout drops the connection.
func (c *conn) pingPeer() {
	ctx, cancel := context.WithTimeout(c.ctx, c.h.cfg.PongTimeout)
	err := c.ws.Ping(ctx)
	cancel()
	if err != nil {
		c.kill()
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	select {
	case <-c.done:
	default:
		c.ping.Reset(c.h.cfg.PingInterval)
	}
}

// fail closes the connection with code (the close handshake runs apart: never blocks the caller).
func (c *conn) fail(code websocket.StatusCode, reason string) {
	c.once.Do(func() {
		close(c.done)
		c.h.m.closes.WithLabelValues(strconv.Itoa(int(code))).Inc()
		if code == CloseTooSlow {
			c.h.m.slow.Inc()
		}
		go func() { _ = c.ws.Close(code, reason) }()
	})
}

// kill drops a connection whose peer is gone (no close handshake).
func (c *conn) kill() {
	c.once.Do(func() {
		close(c.done)
		go func() { _ = c.ws.CloseNow() }()
	})
}

// cleanup leaves every room and stops the timers once the reader is done.
func (c *conn) cleanup() {
	c.kill()
	c.mu.Lock()
	if c.expiry != nil {
		c.expiry.Stop()
	}
	if c.ping != nil {
		c.ping.Stop()
	}
	c.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.WithoutCancel(c.ctx), 5*time.Second)
	defer cancel()
	for name, s := range c.subs {
		c.h.m.subscriptions.Dec()
		if c.h.leave(s) {
			c.h.presenceLeave(ctx, name, s.user)
		}
	}
	c.cancel()
}

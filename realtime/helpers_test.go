package realtime

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/amanat/amn/db"
	"github.com/amanat/amn/db/dbtest"
	"github.com/amanat/amn/kind"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// tokens is the tests' Verifier: a token names its client. The API's Verifier checks real access
// tokens through auth (api's tests); the hub's contract is only what a Verifier returns.
type tokens struct {
	mu sync.Mutex
	m  map[string]Client
}

func (tk *tokens) issue(c Client) string {
	tk.mu.Lock()
	defer tk.mu.Unlock()
	if tk.m == nil {
		tk.m = map[string]Client{}
	}
	t := uuid.NewString()
	tk.m[t] = c
	return t
}

func (tk *tokens) verify(_ context.Context, token string) (Client, error) {
	tk.mu.Lock()
	defer tk.mu.Unlock()
	c, ok := tk.m[token]
	switch {
	case !ok:
		return Client{}, ErrUnauthenticated
	case !c.Expires.After(time.Now()):
		return Client{}, ErrTokenExpired
	}
	return c, nil
}

// owners is the tests' Rights: a room may be joined by the users listed for it.
type owners struct {
	mu sync.Mutex
	m  map[Room][]uuid.UUID
}

func (o *owners) allow(r Room, users ...uuid.UUID) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.m == nil {
		o.m = map[Room][]uuid.UUID{}
	}
	o.m[r] = append(o.m[r], users...)
}

func (o *owners) rights(_ context.Context, c Client, r Room) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, u := range o.m[r] {
		if u == c.UserID {
			return nil
		}
	}
	return kind.New(kind.Refused, "not yours")
}

// world is what a test's hubs share: the database (as amn_api), the tokens and the rights.
type world struct {
	t    *testing.T
	pool *pgxpool.Pool
	tk   *tokens
	own  *owners
}

func newWorld(t *testing.T) *world {
	return &world{t: t, pool: dbtest.PoolAs(t, db.RoleAPI), tk: &tokens{}, own: &owners{}}
}

// server is one hub (one "process") serving over a real socket.
type server struct {
	hub *Hub
	url string
	reg *prometheus.Registry
}

// start runs a hub with cfg on the world's database and waits until it listens.
func (w *world) start(cfg Config) *server {
	w.t.Helper()
	reg := prometheus.NewRegistry()
	h := New(w.pool, cfg, w.tk.verify, w.own.rights, slog.New(slog.DiscardHandler), reg)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { h.Run(ctx); close(done) }()
	srv := httptest.NewServer(h.Handler())
	w.t.Cleanup(func() { cancel(); <-done; srv.Close() })
	select {
	case <-h.Ready():
	case <-time.After(10 * time.Second):
		w.t.Fatal("the hub never listened")
	}
	return &server{hub: h, url: "ws" + strings.TrimPrefix(srv.URL, "http"), reg: reg}
}

// user makes a user with a token valid for an hour.
func (w *world) user() (uuid.UUID, string) {
	id := uuid.New()
	return id, w.tk.issue(Client{UserID: id, Expires: time.Now().Add(time.Hour)})
}

// publish publishes one event in its own transaction.
func (w *world) publish(room Room, kind string, payload any) int64 {
	w.t.Helper()
	var seq int64
	err := db.InTx(context.Background(), w.pool, func(tx pgx.Tx) error {
		var err error
		seq, err = Publish(context.Background(), tx, room, kind, payload)
		return err
	})
	if err != nil {
		w.t.Fatal(err)
	}
	return seq
}

// client is a test's WebSocket client: it reads frames in order.
type client struct {
	t      *testing.T
	ws     *websocket.Conn
	frames chan frame
	err    chan error // the read error that ended the connection

	mu   sync.Mutex
	gate chan struct{} // non-nil: the reader waits for it to close before reading on (stall)
}

// dial connects, with the token in the first message (header false) or the Authorization header.
func dial(t *testing.T, s *server, token string, header bool) *client {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	opts := &websocket.DialOptions{}
	if header {
		opts.HTTPHeader = map[string][]string{"Authorization": {"Bearer " + token}}
	}
	ws, _, err := websocket.Dial(ctx, s.url, opts)
	if err != nil {
		t.Fatal(err)
	}
	ws.SetReadLimit(16 << 20)
	c := &client{t: t, ws: ws, frames: make(chan frame, 100_000), err: make(chan error, 1)}
	t.Cleanup(func() { _ = ws.CloseNow() })
	go c.readLoop()
	if !header && token != "" {
		c.send(map[string]any{"type": "auth", "token": token})
	}
	return c
}

// dialReady connects with the token in the first message and waits for the server's ready.
func dialReady(t *testing.T, s *server, token string) *client {
	t.Helper()
	c := dial(t, s, token, false)
	c.expect("ready")
	return c
}

func (c *client) readLoop() {
	for {
		c.mu.Lock()
		gate := c.gate
		c.mu.Unlock()
		if gate != nil {
			<-gate
		}
		_, b, err := c.ws.Read(context.Background())
		if err != nil {
			c.err <- err
			close(c.frames)
			return
		}
		var fs []frame
		if err := json.Unmarshal(b, &fs); err != nil {
			c.err <- err
			close(c.frames)
			return
		}
		for _, f := range fs {
			c.frames <- f
		}
	}
}

func (c *client) send(m any) {
	c.t.Helper()
	b, _ := json.Marshal(m)
	if err := c.ws.Write(context.Background(), websocket.MessageText, b); err != nil {
		c.t.Fatal(err)
	}
}

// next is the next frame, failing the test after 10 s or when the connection ended.
func (c *client) next() frame {
	c.t.Helper()
	select {
	case f, ok := <-c.frames:
		if !ok {
			c.t.Fatalf("the connection ended: %v", <-c.err)
		}
		return f
	case <-time.After(10 * time.Second):
		c.t.Fatal("no frame within 10 s")
	}
	return frame{}
}

// expect is the next frame, which must be of type typ.
func (c *client) expect(typ string) frame {
	c.t.Helper()
	f := c.next()
	if f.Type != typ {
		c.t.Fatalf("got a %s frame %+v, want %s", f.Type, f, typ)
	}
	return f
}

// nextSkipping is the next frame that is not presence or typing (ephemeral frames come at their
// own pace).
func (c *client) nextSkipping() frame {
	c.t.Helper()
	for {
		if f := c.next(); f.Type != "presence" && f.Type != "typing" {
			return f
		}
	}
}

// subscribe subscribes to room from since (nil: from now) and returns the room's seq then.
func (c *client) subscribe(room Room, since *int64) int64 {
	c.t.Helper()
	m := map[string]any{"type": "subscribe", "room": room}
	if since != nil {
		m["since"] = *since
	}
	c.send(m)
	f := c.nextSkipping()
	if f.Type != "subscribed" || f.Room != room || f.Seq == nil {
		c.t.Fatalf("subscribing to %s: got %+v", room, f)
	}
	return *f.Seq
}

// closed waits for the connection's end and returns its close code (-1: not a close frame).
func (c *client) closed() websocket.StatusCode {
	c.t.Helper()
	deadline := time.After(20 * time.Second)
	for {
		select {
		case _, ok := <-c.frames:
			if !ok {
				return websocket.CloseStatus(<-c.err)
			}
		case <-deadline:
			c.t.Fatal("the connection did not end within 20 s")
		}
	}
}

func ptr[T any](v T) *T { return &v }

package realtime

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/amanat/amn/kind"
)

// Config is the hub's settings; zero fields take the defaults of DefaultConfig.
type Config struct {
	// QueueSize is how many writes may wait for a connection before it is closed as too slow
	// (CloseTooSlow). Frames waiting together go out in one write.
	QueueSize int
	// Coalesce is how long a busy connection waits after a write before the next, so that what
	// comes meanwhile goes out in one message: at most one write per Coalesce while a room is
	// busy; a frame for a connection that has not written for that long goes out at once.
	// Negative: write at once, always.
	Coalesce time.Duration
	// MaxReplay is the most events a subscription replays; a client further behind gets a reset.
	MaxReplay int
	// Retention is how long events are kept for replay; PruneEvery how often older ones go.
	Retention, PruneEvery time.Duration
	// PingInterval and PongTimeout find dead peers; AuthTimeout bounds the wait for a first auth
	// message; WriteTimeout a write to a client that does not read.
	PingInterval, PongTimeout, AuthTimeout, WriteTimeout time.Duration
	// MaxSubscriptions is the most rooms one connection may be in.
	MaxSubscriptions int
	// PresenceTTL is how long a silent process's presence rows count (it beats every third of it).
	PresenceTTL time.Duration
	// Origins are the browser origins (host patterns, as websocket.AcceptOptions.OriginPatterns)
	// allowed besides the API's own host.
	Origins []string
}

// DefaultConfig is the production settings.
func DefaultConfig() Config {
	return Config{QueueSize: 256, Coalesce: 20 * time.Millisecond, MaxReplay: 500, Retention: 7 * 24 * time.Hour, PruneEvery: time.Hour,
		PingInterval: 25 * time.Second, PongTimeout: 15 * time.Second, AuthTimeout: 10 * time.Second,
		WriteTimeout: 15 * time.Second, MaxSubscriptions: 200, PresenceTTL: 30 * time.Second}
}

func (c Config) withDefaults() Config {
	d := DefaultConfig()
	set := func(v *time.Duration, def time.Duration) {
		if *v <= 0 {
			*v = def
		}
	}
	set(&c.Retention, d.Retention)
	set(&c.PruneEvery, d.PruneEvery)
	set(&c.PingInterval, d.PingInterval)
	set(&c.PongTimeout, d.PongTimeout)
	set(&c.AuthTimeout, d.AuthTimeout)
	set(&c.WriteTimeout, d.WriteTimeout)
	set(&c.PresenceTTL, d.PresenceTTL)
	if c.Coalesce == 0 {
		c.Coalesce = d.Coalesce
	}
	if c.QueueSize <= 0 {
		c.QueueSize = d.QueueSize
	}
	if c.MaxReplay <= 0 {
		c.MaxReplay = d.MaxReplay
	}
	if c.MaxSubscriptions <= 0 {
		c.MaxSubscriptions = d.MaxSubscriptions
	}
	return c
}

// Client is who a connection speaks for, from its access token.
type Client struct {
	UserID  uuid.UUID
	Admin   bool
	Expires time.Time // the token's expiry: the connection closes then (CloseTokenExpired)
}

// What a Verifier returns for a token that is not (or no longer) good.
var (
	ErrTokenExpired    = kind.New(kind.Refused, "the access token expired: refresh it")
	ErrUnauthenticated = kind.New(kind.Refused, "no valid access token")
)

// Verifier checks an access token (through auth: the hub never reads one itself).
type Verifier func(ctx context.Context, token string) (Client, error)

// Rights says whether c may join room: nil, or an error. An error of a kind the client can act on
// (kind.ByClient: refused, not found…) is a refusal, told as "forbidden" (never whether the
// room's object exists); any other error means the rights could not be read, told as
// "unavailable" so that the client tries again.
type Rights func(ctx context.Context, c Client, room Room) error

// Hub is one process's rooms and connections. Run it; serve its Handler.
type Hub struct {
	pool   *pgxpool.Pool
	cfg    Config
	log    *slog.Logger
	m      *metrics
	node   uuid.UUID
	verify Verifier
	rights Rights
	ready  chan struct{}
	once   sync.Once
	ctx    context.Context // connections' work; ends with Run
	stop   context.CancelFunc

	mu    sync.Mutex
	rooms map[Room]*room
	conns map[*conn]struct{}
}

// room is a room this process has subscribers of.
type room struct {
	last  int64 // the last seq handed to the subscribers (the dispatcher reads from after it)
	subs  map[*sub]struct{}
	users map[uuid.UUID]int // subscriptions per user: presence on this process
}

// event is a stored event, encoded once for every subscriber.
type event struct {
	seq int64
	at  time.Time
	it  item
}

// New returns a hub on pool (the API's), checking tokens with verify and subscriptions with
// rights.
func New(pool *pgxpool.Pool, cfg Config, verify Verifier, rights Rights, log *slog.Logger, reg prometheus.Registerer) *Hub {
	ctx, stop := context.WithCancel(context.Background())
	return &Hub{pool: pool, cfg: cfg.withDefaults(), log: log, m: newMetrics(reg), node: uuid.New(),
		verify: verify, rights: rights, ready: make(chan struct{}), ctx: ctx, stop: stop,
		rooms: map[Room]*room{}, conns: map[*conn]struct{}{}}
}

// Ready is closed once the hub listens (events published from then on reach its subscribers).
func (h *Hub) Ready() <-chan struct{} { return h.ready }

// Run listens for events and fans them out, beats this process's presence and prunes old events,
// until ctx ends; then it closes every connection (1001 going away) and takes its presence away.
func (h *Hub) Run(ctx context.Context) {
	if err := h.beat(ctx); err != nil && ctx.Err() == nil {
		h.log.Warn("realtime: first presence heartbeat failed", "err", err)
	}
	var wg sync.WaitGroup
	wg.Go(func() { h.listenLoop(ctx) })
	wg.Go(func() { h.housekeeping(ctx) })
	wg.Wait()
	h.shutdown()
}

func (h *Hub) shutdown() {
	h.stop()
	h.mu.Lock()
	conns := make([]*conn, 0, len(h.conns))
	for c := range h.conns {
		conns = append(conns, c)
	}
	h.mu.Unlock()
	for _, c := range conns {
		c.fail(1001, "server stopping: reconnect")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := h.sweep(ctx, true); err != nil {
		h.log.Warn("realtime: taking presence away failed", "err", err)
	}
}

func (h *Hub) listenLoop(ctx context.Context) {
	backoff := 100 * time.Millisecond
	for ctx.Err() == nil {
		err := h.listen(ctx)
		if ctx.Err() != nil {
			return
		}
		h.log.Warn("realtime: listening for events failed; retrying", "err", err, "in", backoff)
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, 5*time.Second)
	}
}

// listen holds one connection that LISTENs (taken from the pool for good), catches up every room
// (notifications sent while it was not listening are lost: the rooms are read from their last seq),
// then dispatches each notification.
func (h *Hub) listen(ctx context.Context) error {
	pc, err := h.pool.Acquire(ctx)
	if err != nil {
		return err
	}
	c := pc.Hijack()
	defer c.Close(context.WithoutCancel(ctx))
	for _, ch := range []string{channelEvents, channelEphemeral} {
		if _, err := c.Exec(ctx, "LISTEN "+ch); err != nil {
			return err
		}
	}
	if err := h.catchUp(ctx); err != nil {
		return err
	}
	h.once.Do(func() { close(h.ready) })
	for {
		n, err := c.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		h.handle(ctx, n)
	}
}

func (h *Hub) catchUp(ctx context.Context) error {
	h.mu.Lock()
	names := make([]Room, 0, len(h.rooms))
	for name := range h.rooms {
		names = append(names, name)
	}
	h.mu.Unlock()
	for _, name := range names {
		if err := h.dispatch(ctx, name, math.MaxInt64); err != nil {
			return err
		}
	}
	return nil
}

func (h *Hub) handle(ctx context.Context, n *pgconn.Notification) {
	name, rest, ok := strings.Cut(n.Payload, " ")
	if !ok {
		return
	}
	switch n.Channel {
	case channelEvents:
		seq, err := strconv.ParseInt(rest, 10, 64)
		if err != nil {
			return
		}
		if err := h.dispatch(ctx, Room(name), seq); err != nil && ctx.Err() == nil {
			// The room's last seq did not move: the next notification reads from it again.
			h.log.Warn("realtime: reading an event failed", "room", name, "seq", seq, "err", err)
		}
	case channelEphemeral:
		b, err := ephemeral(Room(name), rest)
		if err != nil {
			h.m.dropped.Inc()
			h.log.Warn("realtime: an ephemeral notification dropped", "room", fmt.Sprintf("%.80q", name), "err", err)
			return
		}
		h.fanOutEphemeral(Room(name), item{b: b, n: 1})
	}
}

// dispatch reads room's events after the last one handed out (at least up to seq: every one
// committed by then, so that the notifications of a burst of events, which arrive together,
// cost one read), once for this process, and hands them to the room's subscribers.
func (h *Hub) dispatch(ctx context.Context, name Room, seq int64) error {
	h.mu.Lock()
	r := h.rooms[name]
	if r == nil || seq <= r.last {
		h.mu.Unlock()
		return nil
	}
	from := r.last
	h.mu.Unlock()
	evs, err := h.events(ctx, name, from, math.MaxInt64, math.MaxInt32)
	if err != nil || len(evs) == 0 {
		return err
	}
	h.fanOut(r, evs)
	return nil
}

// fanOut hands evs (in seq order, read and encoded once for this process) to r's subscribers:
// several consecutive ones as one queued item, built once for all of them.
func (h *Hub) fanOut(r *room, evs []event) {
	h.mu.Lock()
	r.last = max(r.last, evs[len(evs)-1].seq)
	subs := make([]*sub, 0, len(r.subs))
	for s := range r.subs {
		subs = append(subs, s)
	}
	h.mu.Unlock()
	var all *item
	if len(evs) > 1 && evs[len(evs)-1].seq-evs[0].seq == int64(len(evs)-1) {
		it := batch(evs)
		all = &it
	}
	for _, s := range subs {
		s.deliver(evs, all)
	}
	for _, ev := range evs {
		h.m.lag.Observe(time.Since(ev.at).Seconds())
	}
}

func (h *Hub) fanOutEphemeral(name Room, it item) {
	h.mu.Lock()
	var conns []*conn
	if r := h.rooms[name]; r != nil {
		conns = make([]*conn, 0, len(r.subs))
		for s := range r.subs {
			conns = append(conns, s.c)
		}
	}
	h.mu.Unlock()
	for _, c := range conns {
		c.offer(it)
	}
}

// events reads room's events in (after, upTo], at most limit, in order.
func (h *Hub) events(ctx context.Context, name Room, after, upTo int64, limit int) ([]event, error) {
	rows, err := h.pool.Query(ctx, eventsSQL, string(name), after, upTo, limit)
	if err != nil {
		return nil, err
	}
	var out []event
	var (
		seq  int64
		k    string
		data []byte
		at   time.Time
	)
	_, err = pgx.ForEachRow(rows, []any{&seq, &k, &data, &at}, func() error {
		out = append(out, event{seq: seq, at: at, it: item{b: eventFrame(name, seq, k, data, at), n: 1}})
		return nil
	})
	return out, err
}

func (h *Hub) lastSeq(ctx context.Context, name Room) (int64, error) {
	var last int64
	err := h.pool.QueryRow(ctx, lastSeqSQL, string(name)).Scan(&last)
	return last, err
}

// join adds s to its room (made at the room's last seq when this process had no subscriber of
// it). first says s's user was not in the room on this process before.
func (h *Hub) join(ctx context.Context, s *sub) (first bool, err error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	r := h.rooms[s.room]
	if r == nil {
		// Events after last that this process skipped (it had no room) are read by s's replay or
		// by the next dispatch, which reads from last on. The lock is let go for the read and the
		// room looked up again after it; it is held from that lookup to the insert below, so a
		// leave cannot delete the room in between (s would be in a room nothing dispatches to).
		h.mu.Unlock()
		last, err := h.lastSeq(ctx, s.room)
		h.mu.Lock()
		if err != nil {
			return false, err
		}
		if r = h.rooms[s.room]; r == nil {
			r = &room{last: last, subs: map[*sub]struct{}{}, users: map[uuid.UUID]int{}}
			h.rooms[s.room] = r
		}
	}
	r.subs[s] = struct{}{}
	first = r.users[s.user] == 0
	r.users[s.user]++
	return first, nil
}

// leave takes s out of its room; last says its user has no other subscription to it here.
func (h *Hub) leave(s *sub) (last bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	r := h.rooms[s.room]
	if r == nil {
		return false
	}
	if _, ok := r.subs[s]; !ok {
		return false
	}
	delete(r.subs, s)
	if r.users[s.user]--; r.users[s.user] <= 0 {
		delete(r.users, s.user)
		last = true
	}
	if len(r.subs) == 0 {
		delete(h.rooms, s.room)
	}
	return last
}

func (h *Hub) track(c *conn, add bool) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if add {
		if h.ctx.Err() != nil {
			return false
		}
		h.conns[c] = struct{}{}
		h.m.connections.Inc()
		return true
	}
	delete(h.conns, c)
	h.m.connections.Dec()
	return true
}

func (h *Hub) housekeeping(ctx context.Context) {
	beat := time.NewTicker(h.cfg.PresenceTTL / 3)
	defer beat.Stop()
	prune := time.NewTicker(h.cfg.PruneEvery)
	defer prune.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-beat.C:
			err := errors.Join(h.beat(ctx), h.sweep(ctx, false))
			if err != nil && ctx.Err() == nil {
				h.log.Warn("realtime: presence heartbeat failed", "err", err)
			}
		case <-prune.C:
			if _, err := h.Prune(ctx, h.cfg.Retention); err != nil && ctx.Err() == nil {
				h.log.Warn("realtime: pruning old events failed", "err", err)
			}
		}
	}
}

// Prune deletes the events older than olderThan (a client asking from before them gets a reset)
// and says how many.
func (h *Hub) Prune(ctx context.Context, olderThan time.Duration) (int64, error) {
	var total int64
	for {
		tag, err := h.pool.Exec(ctx, pruneSQL, olderThan.Seconds(), 10_000)
		if err != nil {
			return total, err
		}
		total += tag.RowsAffected()
		if tag.RowsAffected() < 10_000 {
			return total, nil
		}
	}
}

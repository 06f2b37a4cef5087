package api

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/amanat/amn/auth"
	"github.com/amanat/amn/chain"
	"github.com/amanat/amn/chat"
	"github.com/amanat/amn/db/dbtest"
	"github.com/amanat/amn/devnet"
	"github.com/amanat/amn/hd"
	"github.com/amanat/amn/market"
	"github.com/amanat/amn/payment"
	"github.com/amanat/amn/realtime"
)

// realtimeAPI is the router with the marketplace and the hub, served on a real socket.
type realtimeAPI struct {
	*marketAPI
	ws string // ws://…/v1/ws
}

func newRealtimeAPI(t *testing.T) *realtimeAPI {
	t.Helper()
	d, err := hd.ParseXpub(anvilXpub)
	if err != nil {
		t.Fatal(err)
	}
	c := market.DefaultConfig()
	c.FeeAddress = devnet.AnvilAccount(9).Address
	var hub *realtime.Hub
	a := buildTestAPI(t, func(pool *pgxpool.Pool, deps *Deps) {
		deps.Market = market.New(pool, payment.New(pool, d), chain.DefaultRegistry(), c)
		deps.Chat = chat.New(pool, deps.Market, nil)
		verify, rights := RealtimeAccess(deps.Auth, deps.Market, deps.Chat)
		hub = realtime.New(pool, realtime.Config{}, verify, rights, slog.New(slog.DiscardHandler), deps.Registry)
		deps.Realtime = hub
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { hub.Run(ctx); close(done) }()
	srv := httptest.NewServer(a.h)
	t.Cleanup(func() { cancel(); <-done; srv.Close() })
	<-hub.Ready()
	return &realtimeAPI{marketAPI: &marketAPI{testAPI: a, owner: dbtest.Pool(t)}, ws: "ws" + strings.TrimPrefix(srv.URL, "http") + "/v1/ws"}
}

type wsFrame struct {
	Type, Room, Kind, Code string
	Seq                    *int64
	Data                   map[string]any
	Event                  string   // presence: join, leave, or "" for a listing
	User                   *string  // presence, typing: whom it is about
	Users                  []string // presence listing
	Count                  *int
}

// wsClient is a connection that reads frames in order.
type wsClient struct {
	t      *testing.T
	c      *websocket.Conn
	frames chan wsFrame
	end    chan error
}

func (a *realtimeAPI) dial(token string) *wsClient {
	a.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, _, err := websocket.Dial(ctx, a.ws, &websocket.DialOptions{HTTPHeader: map[string][]string{"Authorization": {"Bearer " + token}}})
	if err != nil {
		a.t.Fatal(err)
	}
	w := &wsClient{t: a.t.(*testing.T), c: c, frames: make(chan wsFrame, 1000), end: make(chan error, 1)}
	a.t.Cleanup(func() { _ = c.CloseNow() })
	go func() {
		for {
			_, b, err := c.Read(context.Background())
			var fs []wsFrame
			if err == nil {
				err = json.Unmarshal(b, &fs)
			}
			if err != nil {
				w.end <- err
				close(w.frames)
				return
			}
			for _, f := range fs {
				w.frames <- f
			}
		}
	}()
	return w
}

// next is the next frame that is not presence.
func (w *wsClient) next() wsFrame {
	w.t.Helper()
	for {
		select {
		case f, ok := <-w.frames:
			if !ok {
				w.t.Fatalf("the connection ended: %v", <-w.end)
			}
			if f.Type != "presence" {
				return f
			}
		case <-time.After(10 * time.Second):
			w.t.Fatal("no frame within 10 s")
		}
	}
}

func (w *wsClient) send(m map[string]any) {
	w.t.Helper()
	b, _ := json.Marshal(m)
	if err := w.c.Write(context.Background(), websocket.MessageText, b); err != nil {
		w.t.Fatal(err)
	}
}

// subscribe sends a subscribe and returns the answer (subscribed, or an error frame).
func (w *wsClient) subscribe(room string, since *int64) wsFrame {
	w.t.Helper()
	m := map[string]any{"type": "subscribe", "room": room}
	if since != nil {
		m["since"] = *since
	}
	w.send(m)
	return w.next()
}

// The API's hub checks real access tokens through auth and rooms against the market: a request's
// room is its buyer's, its offering sellers' and admins', and nobody else's; a user room is its
// user's. Every status change the market makes reaches the room, in order, from its transaction.
func TestRealtimeRightsAndMarketEvents(t *testing.T) {
	a := newRealtimeAPI(t)
	buyer, seller, other := a.someone(auth.RoleBuyer), a.someone(auth.RoleSeller), a.someone(auth.RoleBuyer, auth.RoleSeller)
	admin := a.someone(auth.RoleAdmin)
	r := a.createRequest(buyer)
	room := "request-" + r.ID
	b := a.dial(buyer.AccessToken)
	if f := b.next(); f.Type != "ready" {
		t.Fatalf("first frame %+v", f)
	}
	if f := b.subscribe(room, new(int64)); f.Type != "subscribed" || f.Seq == nil || *f.Seq < 1 {
		t.Fatalf("the buyer's subscription: %+v", f)
	}
	var last int64
	for range 2 { // create, then publish (no moderation)
		f := b.next()
		if f.Type != "event" || f.Kind != "request.status" || *f.Seq != last+1 {
			t.Fatalf("replayed %+v after %d", f, last)
		}
		last = *f.Seq
	}
	if f := b.subscribe("user-"+buyer.User.ID.String(), nil); f.Type != "subscribed" {
		t.Fatalf("own user room: %+v", f)
	}

	o := a.dial(other.AccessToken)
	o.next()
	for _, refused := range []string{room, "user-" + buyer.User.ID.String(), "chat-" + r.ID} {
		if f := o.subscribe(refused, nil); f.Type != "error" || f.Code != "forbidden" {
			t.Fatalf("another user joining %s: %+v", refused, f)
		}
	}
	ad := a.dial(admin.AccessToken)
	ad.next()
	if f := ad.subscribe(room, nil); f.Type != "subscribed" {
		t.Fatalf("an admin joining: %+v", f)
	}

	offer := a.offer(r.ID, seller, devnet.AnvilAccount(2), "150")
	s := a.dial(seller.AccessToken)
	s.next()
	if f := s.subscribe(room, &last); f.Type != "subscribed" {
		t.Fatalf("the offering seller joining: %+v", f)
	}
	for _, w := range []*wsClient{b, s} {
		if f := w.next(); f.Type != "event" || *f.Seq != last+1 || f.Data["event"] != "offer_made" || f.Data["to"] != "received_offers" {
			t.Fatalf("the offer's event: %+v", f)
		} else if raw, _ := json.Marshal(f.Data); strings.Contains(string(raw), seller.User.ID.String()) {
			t.Fatalf("the room learns who offered: %s", raw) // other sellers may be in it
		}
	}
	if f := ad.next(); f.Data["event"] != "offer_made" {
		t.Fatalf("the admin saw %+v", f)
	}
	a.accept(buyer, r.ID, offer.ID)
	for _, w := range []*wsClient{b, s, ad} {
		if f := w.next(); f.Type != "event" || *f.Seq != last+2 || f.Data["event"] != "accept" || f.Data["to"] != "payment" {
			t.Fatalf("the acceptance's event: %+v", f)
		}
	}
}

// A request's room gathers the buyer and rival sellers who must not learn each other's ids:
// presence (joins, the listing) carries counts only and typing no user. Only the buyer, admins,
// the accepted offer's seller and sellers with a pending offer may be in it: a seller who
// withdrew, or whose offer was rejected when the buyer accepted another, is refused.
func TestRealtimeRequestRoomNamesNobody(t *testing.T) {
	a := newRealtimeAPI(t)
	buyer := a.someone(auth.RoleBuyer)
	s1, s2, s3 := a.someone(auth.RoleSeller), a.someone(auth.RoleSeller), a.someone(auth.RoleSeller)
	r := a.createRequest(buyer)
	room := "request-" + r.ID
	o1 := a.offer(r.ID, s1, devnet.AnvilAccount(2), "150")
	o2 := a.offer(r.ID, s2, devnet.AnvilAccount(3), "140")
	a.offer(r.ID, s3, devnet.AnvilAccount(4), "130")
	rival := a.joined(s1, room)
	b := a.joined(buyer, room)
	other := a.joined(s2, room)
	b.send(map[string]any{"type": "typing", "room": room})
	other.send(map[string]any{"type": "typing", "room": room})
	rival.send(map[string]any{"type": "presence", "room": room})
	joins, typing, listed := 0, 0, false
	deadline := time.Now().Add(10 * time.Second)
	for joins < 2 || typing < 2 || !listed {
		if time.Now().After(deadline) {
			t.Fatalf("after 10 s: %d joins, %d typing, listed %v", joins, typing, listed)
		}
		f := rival.any()
		if f.User != nil || len(f.Users) > 0 {
			t.Fatalf("a rival seller learns a user id: %+v", f)
		}
		switch {
		case f.Type == "typing":
			typing++
		case f.Type == "presence" && f.Event == "join":
			joins++
		case f.Type == "presence" && f.Event == "" && f.Count != nil && *f.Count == 3:
			listed = true
		case f.Type == "presence" && f.Event == "":
			// Asked before every join was recorded (presence is written as each subscribe
			// lands): ask again.
			time.Sleep(50 * time.Millisecond)
			rival.send(map[string]any{"type": "presence", "room": room})
		}
	}

	a.call("POST", "/v1/marketplace/requests/"+r.ID+"/offers/"+o2.ID+"/withdraw", nil, s2.AccessToken, 200, nil)
	a.accept(buyer, r.ID, o1.ID) // s3's pending offer is rejected
	for _, who := range []auth.Session{s2, s3} {
		c := a.dial(who.AccessToken)
		c.next()
		if f := c.subscribe(room, nil); f.Type != "error" || f.Code != "forbidden" {
			t.Fatalf("a seller out of the deal joining: %+v", f)
		}
	}
	a.joined(s1, room) // the accepted offer's seller stays
}

// joined dials as who and subscribes to room.
func (a *realtimeAPI) joined(who auth.Session, room string) *wsClient {
	a.t.Helper()
	c := a.dial(who.AccessToken)
	if f := c.next(); f.Type != "ready" {
		a.t.Fatalf("first frame %+v", f)
	}
	if f := c.subscribe(room, nil); f.Type != "subscribed" {
		a.t.Fatalf("joining %s: %+v", room, f)
	}
	return c
}

// any is the next frame, presence included.
func (w *wsClient) any() wsFrame {
	w.t.Helper()
	select {
	case f, ok := <-w.frames:
		if !ok {
			w.t.Fatalf("the connection ended: %v", <-w.end)
		}
		return f
	case <-time.After(10 * time.Second):
		w.t.Fatal("no frame within 10 s")
	}
	return wsFrame{}
}

// A real access token's expiry closes the socket with 4001; a revoked session's token is refused
// with 4003.
func TestRealtimeTokenExpiryCloses(t *testing.T) {
	a := newRealtimeAPI(t)
	a.now = time.Now().Add(-auth.DefaultAccessTTL + 1500*time.Millisecond) // a token with 1.5 s left
	short := a.someone(auth.RoleBuyer)
	a.now = time.Now()
	w := a.dial(short.AccessToken)
	if f := w.next(); f.Type != "ready" {
		t.Fatalf("first frame %+v", f)
	}
	select {
	case <-w.frames:
	case <-time.After(15 * time.Second):
		t.Fatal("not closed at expiry")
	}
	if code := websocket.CloseStatus(<-w.end); code != realtime.CloseTokenExpired {
		t.Fatalf("closed with %d, want %d", code, realtime.CloseTokenExpired)
	}
	revoked := a.someone(auth.RoleBuyer)
	a.call("POST", "/v1/auth/logout", nil, revoked.AccessToken, 204, nil)
	w = a.dial(revoked.AccessToken)
	for range w.frames {
	}
	if code := websocket.CloseStatus(<-w.end); code != realtime.CloseUnauthenticated {
		t.Fatalf("a revoked session's token closed with %d", code)
	}
}

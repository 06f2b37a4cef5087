package api

import (
	"context"
	"testing"

	"github.com/google/uuid"

	"github.com/amanat/amn/auth"
	"github.com/amanat/amn/chain"
	"github.com/amanat/amn/chat"
	"github.com/amanat/amn/db"
	"github.com/amanat/amn/db/dbtest"
	"github.com/amanat/amn/devnet"
	"github.com/amanat/amn/ledger"
	"github.com/amanat/amn/market"
	"github.com/amanat/amn/payment"
	"github.com/amanat/amn/payment/paymenttest"
)

type chatJSON struct {
	ID, RequestID, OfferID string
	LastRead               int64
	Unread                 int
}

type chatMessageJSON struct {
	ID, Kind, Body string
	Seq            int64
	System         *struct {
		Event      string
		PaymentSeq int
	}
}

// followDeals runs the worker's following of payments once, writing the deals' payment steps into
// their chats, as jobs wires it.
func followDeals(t *testing.T) {
	t.Helper()
	pool := dbtest.PoolAs(t, db.RoleWorker)
	pays := payment.New(pool, nil)
	m := market.New(pool, pays, chain.DefaultRegistry(), market.DefaultConfig()).WithWatcher(&chat.Steps{Payments: pays})
	if res, err := m.Follow(context.Background(), 100); err != nil || len(res.Refused) != 0 {
		t.Fatalf("follow: %+v, %v", res, err)
	}
}

// A deal's chat over HTTP and the socket: the parties write, the payment's steps arrive as system
// messages in order, a client that drops and comes back with its last seq gets exactly what it
// missed (nothing twice), and the history says the same. Nobody else may open, read or join it.
func TestChatDealOverHTTPAndSocket(t *testing.T) {
	a := newRealtimeAPI(t)
	ctx := context.Background()
	buyer, seller, other := a.someone(auth.RoleBuyer), a.someone(auth.RoleSeller), a.someone(auth.RoleBuyer, auth.RoleSeller)
	r := a.createRequest(buyer)
	o := a.offer(r.ID, seller, devnet.AnvilAccount(2), "150")
	acc := a.accept(buyer, r.ID, o.ID)
	var c chatJSON
	a.call("POST", "/v1/marketplace/offers/"+o.ID+"/chat", nil, buyer.AccessToken, 200, &c)
	var again chatJSON
	a.call("POST", "/v1/marketplace/offers/"+o.ID+"/chat", nil, seller.AccessToken, 200, &again)
	if c.ID == "" || again.ID != c.ID || c.OfferID != o.ID {
		t.Fatalf("chats: %+v %+v", c, again)
	}
	a.call("POST", "/v1/marketplace/offers/"+o.ID+"/chat", nil, other.AccessToken, 404, nil)
	a.call("GET", "/v1/chats/"+c.ID+"/messages", nil, other.AccessToken, 404, nil)
	a.call("POST", "/v1/chats/"+c.ID+"/messages", map[string]any{"text": "mine now"}, other.AccessToken, 404, nil)
	a.call("POST", "/v1/chats/"+c.ID+"/messages", map[string]any{"text": "x", "extra": 1}, buyer.AccessToken, 400, nil)
	room := "chat-" + c.ID
	oc := a.dial(other.AccessToken)
	oc.next()
	if f := oc.subscribe(room, nil); f.Type != "error" || f.Code != "forbidden" {
		t.Fatalf("another user joining the chat: %+v", f)
	}

	s := a.dial(seller.AccessToken)
	s.next()
	if f := s.subscribe(room, new(int64)); f.Type != "subscribed" {
		t.Fatalf("the seller joining: %+v", f)
	}
	a.call("POST", "/v1/chats/"+c.ID+"/messages", map[string]any{"text": "paying now"}, buyer.AccessToken, 201, nil)
	var last int64
	if f := s.next(); f.Kind != "chat.message" || f.Data["body"] != "paying now" {
		t.Fatalf("the buyer's message: %+v", f)
	} else {
		last = *f.Seq
	}
	_ = s.c.CloseNow() // the seller drops; the deal goes on

	pid := ledger.ID(uuid.MustParse(acc.Payment.ID))
	p, err := payment.New(a.owner, nil).Get(ctx, pid)
	if err != nil {
		t.Fatal(err)
	}
	paymenttest.ProveBuyer(t, payment.New(a.owner, nil), p, paymenttest.Buyer())
	fund(t, a.marketAPI, acc.Payment.ID)
	followDeals(t)
	followDeals(t)
	worker, indexer := payment.New(dbtest.PoolAs(t, db.RoleWorker), nil), payment.New(dbtest.PoolAs(t, db.RoleIndexer), nil)
	if _, err := worker.StartSweep(ctx, pid); err != nil {
		t.Fatal(err)
	}
	if p, err = indexer.Get(ctx, pid); err != nil {
		t.Fatal(err)
	}
	if _, err := indexer.Swept(ctx, pid, paymenttest.OwnSweep(p)); err != nil {
		t.Fatal(err)
	}
	if _, err := indexer.Released(ctx, pid); err != nil {
		t.Fatal(err)
	}
	followDeals(t)
	followDeals(t)

	s = a.dial(seller.AccessToken)
	s.next()
	if f := s.subscribe(room, &last); f.Type != "subscribed" || *f.Seq != last+4 {
		t.Fatalf("the seller back: %+v (had %d)", f, last)
	}
	want := []string{"payment.seen", "payment.credited", "payment.in_escrow", "payment.released"}
	for i, ev := range want {
		f := s.next()
		sys, _ := f.Data["system"].(map[string]any)
		if f.Type != "event" || *f.Seq != last+1+int64(i) || f.Kind != "chat.message" || sys["event"] != ev {
			t.Fatalf("replayed step %d: %+v", i, f)
		}
	}
	a.call("POST", "/v1/chats/"+c.ID+"/messages", map[string]any{"text": "thanks"}, buyer.AccessToken, 201, nil)
	if f := s.next(); *f.Seq != last+5 || f.Data["body"] != "thanks" {
		t.Fatalf("after the replay: %+v", f) // nothing replayed twice, nothing between
	}

	var page struct {
		Items     []chatMessageJSON
		NextAfter *int64
	}
	a.call("GET", "/v1/chats/"+c.ID+"/messages?after=0&limit=100", nil, seller.AccessToken, 200, &page)
	if len(page.Items) != 6 || page.NextAfter != nil {
		t.Fatalf("history: %+v", page)
	}
	for i, ev := range want {
		if m := page.Items[1+i]; m.Kind != "system" || m.System == nil || m.System.Event != ev {
			t.Fatalf("history step %d: %+v", i, m)
		}
	}
	var rc struct {
		LastRead int64
		Unread   int
	}
	a.call("POST", "/v1/chats/"+c.ID+"/read", map[string]any{"seq": page.Items[5].Seq}, seller.AccessToken, 200, &rc)
	if rc.LastRead != page.Items[5].Seq || rc.Unread != 0 {
		t.Fatalf("receipt: %+v", rc)
	}
	a.call("GET", "/v1/chats/"+c.ID, nil, buyer.AccessToken, 200, &again)
	if again.Unread != 4 || again.LastRead != 0 {
		t.Fatalf("the buyer's chat: %+v", again) // the four steps; the buyer's own messages are not unread
	}
}

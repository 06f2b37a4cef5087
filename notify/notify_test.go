package notify_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/amanat/amn/db"
	"github.com/amanat/amn/notify"
)

var b64 = base64.RawURLEncoding

// A notification is written with the transaction that calls Notify: rolled back, there is no row,
// no event in the user's room and no mail job; committed, all three (the job only for a kind that
// goes by email). The worker's role notifies too (the market follows payments as amn_worker).
func TestNotifyCommitsAndRollsBackWithTheCaller(t *testing.T) {
	w := newWorld(t)
	u, _ := w.user(t, "en", true)
	data := map[string]any{"request": uuid.New(), "title": "Lens", "role": "seller"}

	notifyIn(t, w.api, w.apiPool, notify.Note{User: u, Kind: notify.OfferAccepted, Data: data}, true)
	notifyIn(t, w.worker, w.workerPool, notify.Note{User: u, Kind: notify.PaymentCredited, Data: data}, true)
	if n := w.count(t, `SELECT count(*) FROM notifications WHERE user_id = $1`, u); n != 0 {
		t.Fatalf("rolled back: %d rows", n)
	}
	if ev := w.roomEvents(t, u); ev != "" || w.jobs(t, u, notify.OfferAccepted)+w.jobs(t, u, notify.PaymentCredited) != 0 {
		t.Fatalf("a rolled-back notification spoke: events %q", ev)
	}

	a := notifyIn(t, w.api, w.apiPool, notify.Note{User: u, Kind: notify.OfferAccepted, Data: data}, false)
	notifyIn(t, w.worker, w.workerPool, notify.Note{User: u, Kind: notify.PaymentCredited, Data: data}, false)
	notifyIn(t, w.worker, w.workerPool, notify.Note{User: u, Kind: notify.DealDelivered, Data: data}, false)
	if ev := w.roomEvents(t, u); ev != "1:notification 2:notification 3:notification" {
		t.Fatalf("room: %q", ev)
	}
	if w.jobs(t, u, notify.OfferAccepted) != 1 || w.jobs(t, u, notify.PaymentCredited) != 1 || w.jobs(t, u, notify.DealDelivered) != 0 {
		t.Fatal("want one mail job each for offer.accepted and payment.credited, none for the in-app-only deal.delivered")
	}
	var payload map[string]any
	if err := w.owner.QueryRow(context.Background(), `SELECT payload FROM realtime_events WHERE room = $1 AND seq = 1`,
		"user-"+u.String()).Scan(&payload); err != nil {
		t.Fatal(err)
	}
	if payload["id"] != a.ID.String() || payload["kind"] != "offer.accepted" || payload["unread"] != float64(1) {
		t.Fatalf("the room's event: %v", payload)
	}
}

// Malformed notes are refused before anything is written.
func TestNotifyRefusesMalformedNotes(t *testing.T) {
	w := newWorld(t)
	u, _ := w.user(t, "en", true)
	for name, n := range map[string]notify.Note{
		"unknown kind": {User: u, Kind: "offer.hacked"},
		"no recipient": {Kind: notify.OfferAccepted},
		"a bad key":    {User: u, Kind: notify.OfferAccepted, Data: map[string]any{"a b": 1}},
		"too large":    {User: u, Kind: notify.OfferAccepted, Data: map[string]any{"title": strings.Repeat("x", notify.MaxData)}},
	} {
		err := db.InTx(context.Background(), w.apiPool, func(tx pgx.Tx) error {
			_, err := w.api.Notify(context.Background(), tx, n)
			return err
		})
		wantErr(t, name, err, notify.ErrInvalid)
	}
	if n := w.count(t, `SELECT count(*) FROM notifications WHERE user_id = $1`, u); n != 0 {
		t.Fatalf("%d rows written", n)
	}
}

// A user lists, counts and marks their own notifications only: another user's id is not found
// and stays unread; pages follow the cursor, newest first, without overlap.
func TestListAndMarkReadOnlyYourOwn(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	me, _ := w.user(t, "en", true)
	other, _ := w.user(t, "en", true)
	var mine []uuid.UUID
	for i := range 5 {
		n := notifyIn(t, w.api, w.apiPool, notify.Note{User: me, Kind: notify.DealDelivered, Data: map[string]any{"daysLeft": i}}, false)
		mine = append(mine, n.ID)
	}
	theirs := notifyIn(t, w.api, w.apiPool, notify.Note{User: other, Kind: notify.DealDelivered}, false)

	var seen []uuid.UUID
	var after *notify.Cursor
	for range 3 {
		page, next, err := w.api.List(ctx, me, after, 2)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range page {
			if n.UserID != me {
				t.Fatalf("another user's notification in my list: %+v", n)
			}
			seen = append(seen, n.ID)
		}
		if after = next; after == nil {
			break
		}
	}
	if len(seen) != 5 || seen[0] != mine[4] || seen[4] != mine[0] {
		t.Fatalf("pages: %v, want %v newest first", seen, mine)
	}
	if n, _ := w.api.Unread(ctx, me); n != 5 {
		t.Fatalf("unread: %d", n)
	}

	_, _, err := w.api.MarkRead(ctx, me, theirs.ID)
	wantErr(t, "marking another user's notification", err, notify.ErrNotFound)
	if n, _ := w.api.Unread(ctx, other); n != 1 {
		t.Fatalf("the other's notification was marked: unread %d", n)
	}
	got, unread, err := w.api.MarkRead(ctx, me, mine[2])
	if err != nil || got.ReadAt == nil || unread != 4 {
		t.Fatalf("mark: %+v, %d, %v", got, unread, err)
	}
	again, _, err := w.api.MarkRead(ctx, me, mine[2])
	if err != nil || !again.ReadAt.Equal(*got.ReadAt) {
		t.Fatalf("a second mark moved the time: %+v, %v", again, err)
	}
	if n, err := w.api.MarkAllRead(ctx, me); err != nil || n != 4 {
		t.Fatalf("mark all: %d, %v", n, err)
	}
	if n, _ := w.api.Unread(ctx, other); n != 1 {
		t.Fatalf("mark all reached another user: unread %d", n)
	}
	// Each mark tells the user's room (another tab's badge follows); never the other's.
	if ev := w.roomEvents(t, me); !strings.HasSuffix(ev, "6:notification.read 7:notification.read 8:notification.read") {
		t.Fatalf("my room: %q", ev)
	}
	if ev := w.roomEvents(t, other); ev != "1:notification" {
		t.Fatalf("the other's room: %q", ev)
	}
	_, _, err = w.api.List(ctx, me, nil, notify.MaxPage+1)
	wantErr(t, "a page too large", err, notify.ErrInvalid)
}

// Preferences: a non-essential kind turned off queues no mail; an essential one cannot be turned
// off and keeps going; unknown kinds are refused.
func TestPreferences(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	u, _ := w.user(t, "en", true)
	_, err := w.api.SetPreferences(ctx, u, map[notify.Kind]bool{notify.PaymentCredited: false})
	wantErr(t, "turning an essential kind off", err, notify.ErrEssential)
	_, err = w.api.SetPreferences(ctx, u, map[notify.Kind]bool{notify.DealDelivered: false})
	wantErr(t, "a kind that is not mailed", err, notify.ErrInvalid)
	_, err = w.api.SetPreferences(ctx, u, map[notify.Kind]bool{"spam.more": true})
	wantErr(t, "an unknown kind", err, notify.ErrInvalid)
	prefs, err := w.api.SetPreferences(ctx, u, map[notify.Kind]bool{notify.OfferAccepted: false, notify.PaymentCredited: true})
	if err != nil {
		t.Fatal(err)
	}
	got := map[notify.Kind]notify.Pref{}
	for _, p := range prefs {
		got[p.Kind] = p
	}
	if got[notify.OfferAccepted].Email || !got[notify.DealShipped].Email || !got[notify.PaymentCredited].Email || !got[notify.PaymentCredited].Essential {
		t.Fatalf("prefs: %+v", prefs)
	}
	notifyIn(t, w.api, w.apiPool, notify.Note{User: u, Kind: notify.OfferAccepted}, false)
	notifyIn(t, w.worker, w.workerPool, notify.Note{User: u, Kind: notify.PaymentCredited}, false)
	if w.jobs(t, u, notify.OfferAccepted) != 0 || w.jobs(t, u, notify.PaymentCredited) != 1 {
		t.Fatal("want no offer.accepted mail (off) and the essential payment.credited mail")
	}
	if n := w.count(t, `SELECT count(*) FROM notifications WHERE user_id = $1`, u); n != 2 {
		t.Fatalf("in-app notifications are kept whatever the mail preference: %d", n)
	}
}

// Unsubscribe tokens name one user and one non-essential kind; anything forged, tampered with,
// signed with another key or naming an essential kind is refused and changes nothing.
func TestUnsubscribeTokens(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	u, _ := w.user(t, "en", true)
	victim, _ := w.user(t, "en", true)
	tok, err := w.worker.UnsubscribeToken(u, notify.DealShipped)
	if err != nil {
		t.Fatal(err)
	}
	_, err = w.worker.UnsubscribeToken(u, notify.PaymentCredited)
	wantErr(t, "a token for an essential kind", err, notify.ErrInvalid)

	other, _ := notify.New(w.apiPool, notify.Config{UnsubscribeKey: []byte("another-key-another-key-another-key-!!")})
	forgedByOtherKey, _ := other.UnsubscribeToken(victim, notify.DealShipped)
	payload, mac, _ := strings.Cut(tok, ".")
	raw, _ := b64.DecodeString(payload)
	swapped := append(append([]byte{}, victim[:]...), raw[16:]...) // the victim's id under my MAC
	essential := append(append([]byte{}, u[:]...), "payment.credited"...)
	flipped := []byte(mac)
	flipped[3] ^= 1
	for name, bad := range map[string]string{
		"another key":          forgedByOtherKey,
		"the victim's id":      b64.EncodeToString(swapped) + "." + mac,
		"an essential kind":    b64.EncodeToString(essential) + "." + mac,
		"a flipped MAC":        payload + "." + string(flipped),
		"no MAC":               payload,
		"an empty MAC":         payload + ".",
		"garbage":              "%%%.***",
		"too long":             strings.Repeat("A", notify.MaxToken+1),
		"the user's id alone":  b64.EncodeToString(u[:]) + "." + mac,
		"the MAC and the kind": mac + "." + payload,
	} {
		_, _, err := w.api.Unsubscribe(ctx, bad)
		wantErr(t, name, err, notify.ErrBadToken)
	}
	if n := w.count(t, `SELECT count(*) FROM notification_prefs WHERE user_id IN ($1, $2)`, u, victim); n != 0 {
		t.Fatalf("a refused token wrote %d preferences", n)
	}
	for range 2 {
		who, k, err := w.api.Unsubscribe(ctx, tok)
		if err != nil || who != u || k != notify.DealShipped {
			t.Fatalf("unsubscribe: %v %v %v", who, k, err)
		}
	}
	prefs, _ := w.api.Preferences(ctx, u)
	for _, p := range prefs {
		if p.Email == (p.Kind == notify.DealShipped) {
			t.Fatalf("after unsubscribing from deal.shipped: %+v", prefs)
		}
	}
	if k, err := w.api.CheckUnsubscribe(tok); err != nil || k != notify.DealShipped {
		t.Fatalf("check: %v %v", k, err)
	}
	noKey, _ := notify.New(w.apiPool, notify.Config{})
	_, _, err = noKey.Unsubscribe(ctx, tok)
	wantErr(t, "a server without a key", err, notify.ErrNoUnsubKey)
}

// The notification's data is an object the API returns as is.
func TestDataIsStoredAsGiven(t *testing.T) {
	w := newWorld(t)
	u, _ := w.user(t, "en", true)
	req := uuid.New()
	n := notifyIn(t, w.api, w.apiPool, notify.Note{User: u, Kind: notify.DealShipped, Data: map[string]any{"request": req, "title": "Lens"}}, false)
	page, _, err := w.api.List(context.Background(), u, nil, 10)
	if err != nil || len(page) != 1 {
		t.Fatal(page, err)
	}
	var d map[string]any
	if err := json.Unmarshal(page[0].Data, &d); err != nil || d["request"] != req.String() || page[0].ID != n.ID || page[0].Kind != notify.DealShipped {
		t.Fatalf("%+v %v", page[0], err)
	}
}

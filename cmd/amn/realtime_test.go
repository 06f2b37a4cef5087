package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/amanat/amn/auth"
	"github.com/amanat/amn/db"
	"github.com/amanat/amn/db/dbtest"
	"github.com/amanat/amn/realtime"
)

// rtFrame is a frame of /v1/ws as the tests read it.
type rtFrame struct {
	Type, Room, Event string
	Seq               *int64
	User              *uuid.UUID
	Count             *int
	Data              map[string]any
}

// rtClient is a WebSocket client of one `amn api`.
type rtClient struct {
	t      *testing.T
	c      *websocket.Conn
	frames chan rtFrame
}

func rtDial(t *testing.T, base, token string) *rtClient {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(base, "http")+"/v1/ws", nil)
	if err != nil {
		t.Fatal(err)
	}
	r := &rtClient{t: t, c: c, frames: make(chan rtFrame, 10_000)}
	t.Cleanup(func() { _ = c.CloseNow() })
	go func() {
		defer close(r.frames)
		for {
			_, b, err := c.Read(context.Background())
			var fs []rtFrame
			if err != nil || json.Unmarshal(b, &fs) != nil {
				return
			}
			for _, f := range fs {
				r.frames <- f
			}
		}
	}()
	r.send(map[string]any{"type": "auth", "token": token})
	if f := r.next(false); f.Type != "ready" {
		t.Fatalf("first frame %+v", f)
	}
	return r
}

func (r *rtClient) send(m map[string]any) {
	r.t.Helper()
	b, _ := json.Marshal(m)
	if err := r.c.Write(context.Background(), websocket.MessageText, b); err != nil {
		r.t.Fatal(err)
	}
}

// next is the next frame (presence frames too when presence is true).
func (r *rtClient) next(presence bool) rtFrame {
	r.t.Helper()
	for {
		select {
		case f, ok := <-r.frames:
			if !ok {
				r.t.Fatal("the connection ended")
			}
			if presence || f.Type != "presence" {
				return f
			}
		case <-time.After(15 * time.Second):
			r.t.Fatal("no frame within 15 s")
		}
	}
}

func (r *rtClient) subscribe(room string, since *int64) {
	r.t.Helper()
	m := map[string]any{"type": "subscribe", "room": room}
	if since != nil {
		m["since"] = *since
	}
	r.send(m)
	if f := r.next(false); f.Type != "subscribed" {
		r.t.Fatalf("subscribing to %s: %+v", room, f)
	}
}

// events reads n events of room and checks their seqs follow from.
func (r *rtClient) events(room string, from int64, n int) int64 {
	r.t.Helper()
	for i := range n {
		f := r.next(false)
		if f.Type != "event" || f.Room != room || *f.Seq != from+int64(i)+1 {
			r.t.Fatalf("event %d of %d: %+v, want seq %d", i+1, n, f, from+int64(i)+1)
		}
	}
	return from + int64(n)
}

// TestRealtimeAcrossTwoAPIProcesses (issue #18, acceptance 1): two `amn api` processes on one
// database. A status change made through one reaches a client of the other; a client that moves
// from one to the other while events keep coming misses nothing and gets nothing twice; presence
// is merged across them, and a process killed without a goodbye has its users announced gone.
func TestRealtimeAcrossTwoAPIProcesses(t *testing.T) {
	env := []string{"AMN_DATABASE_URL=" + dbtest.Login(t, dbtest.URL(t), db.RoleAPI), "AMN_REDIS_URL=" + redisURL}
	procA, _, a := startRole(t, env, "api", "--realtime-presence-ttl", "1500ms", "--rate-global", "10000/1m")
	_, _, b := startRole(t, env, "api", "--realtime-presence-ttl", "1500ms", "--rate-global", "10000/1m")
	pool := dbtest.PoolAs(t, db.RoleAPI)
	buyer, admin := rtSession(t, pool, auth.RoleBuyer), rtSession(t, pool, auth.RoleAdmin)

	// A request created through A: B's client replays its events, then sees its cancellation,
	// made through A, live.
	var req struct{ ID string }
	rtCall(t, a, "/v1/marketplace/requests", buyer.AccessToken, `{"title":"A lens","description":"50mm","category":"photo",
		"productType":"physical_product","budgetMin":"1","budgetMax":"2","chain":"bsc","token":"USDT","delivery":{"kind":"online"}}`, 201, &req)
	room := "request-" + req.ID
	onB := rtDial(t, b, buyer.AccessToken)
	onB.subscribe(room, new(int64))
	last := onB.events(room, 0, 2) // create, publish
	rtCall(t, a, "/v1/marketplace/requests/"+req.ID+"/cancel", buyer.AccessToken, ``, 200, nil)
	if f := onB.next(false); f.Type != "event" || *f.Seq != last+1 || f.Data["to"] != "cancelled" {
		t.Fatalf("the cancellation made through A, on B: %+v", f)
	}
	last++

	// A client moves from A to B while events keep coming (published as the worker would).
	user := "user-" + buyer.User.ID.String()
	mover := rtDial(t, a, buyer.AccessToken)
	mover.subscribe(user, nil)
	const total = 100
	done := make(chan error, 1)
	go func() {
		var err error
		for i := 0; i < total && err == nil; i++ {
			err = db.InTx(context.Background(), pool, func(tx pgx.Tx) error {
				_, err := realtime.Publish(context.Background(), tx, realtime.Room(user), "notification.new", map[string]any{"i": i})
				return err
			})
		}
		done <- err
	}()
	seen := mover.events(user, 0, 30)
	_ = mover.c.Close(websocket.StatusNormalClosure, "moving to B")
	moved := rtDial(t, b, buyer.AccessToken)
	moved.subscribe(user, &seen)
	moved.events(user, seen, total-int(seen))
	if err := <-done; err != nil {
		t.Fatal(err)
	}

	// Presence across processes, and a process that dies. The buyer leaves B first (its presence
	// there goes once B has cleaned the connection up: polled).
	_ = onB.c.Close(websocket.StatusNormalClosure, "leaving B")
	adminOnB := rtDial(t, b, admin.AccessToken)
	adminOnB.subscribe(room, nil)
	for deadline := time.Now().Add(15 * time.Second); ; {
		adminOnB.send(map[string]any{"type": "presence", "room": room})
		f := adminOnB.next(true)
		for f.Type != "presence" || f.Event != "" {
			f = adminOnB.next(true)
		}
		if *f.Count == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the buyer is still present after leaving B: %+v", f)
		}
		time.Sleep(50 * time.Millisecond)
	}
	buyerOnA := rtDial(t, a, buyer.AccessToken)
	buyerOnA.subscribe(room, &last)
	rtPresence(t, adminOnB, "join", 2)
	if err := procA.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	rtPresence(t, adminOnB, "leave", 1)
}

// rtPresence waits for a presence event of a request room with the room's count: a request room
// names nobody (a seller in it must not learn the buyer's or other sellers' ids).
func rtPresence(t *testing.T, c *rtClient, ev string, count int) {
	t.Helper()
	for {
		f := c.next(true)
		if f.Type == "presence" && f.Event == ev {
			if f.User != nil {
				t.Fatalf("a request room's %s names user %s", ev, *f.User)
			}
			if *f.Count == count {
				return
			}
			// an earlier join or leave of the room (it names nobody): wait for ours
		}
	}
}

// rtSession makes a user with role and signs it in, its token signed with the keys every test
// `amn api` uses.
func rtSession(t *testing.T, pool *pgxpool.Pool, role auth.Role) auth.Session {
	t.Helper()
	pem, err := os.ReadFile(testAuthKeysFile)
	if err != nil {
		t.Fatal(err)
	}
	keys, err := auth.ParseKeys(pem)
	if err != nil {
		t.Fatal(err)
	}
	svc, err := auth.New(pool, auth.Config{Issuer: "amn", Audience: "amn-api", Keys: keys})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	u, err := svc.CreateUser(ctx, auth.NewUser{Email: uuid.NewString() + "@example.com", EmailVerified: true, Roles: []auth.Role{role}})
	if err != nil {
		t.Fatal(err)
	}
	s, err := svc.StartSession(ctx, u.ID, auth.MethodPassword, auth.Client{UserAgent: "test"})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// rtCall POSTs body (JSON) with a bearer token and decodes the answer into out.
func rtCall(t *testing.T, base, path, token, body string, want int, out any) {
	t.Helper()
	req, _ := http.NewRequest("POST", base+path, bytes.NewReader([]byte(body)))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var raw json.RawMessage
	_ = json.NewDecoder(resp.Body).Decode(&raw)
	if resp.StatusCode != want {
		t.Fatalf("POST %s: %d, want %d: %s", path, resp.StatusCode, want, raw)
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			t.Fatal(err)
		}
	}
}

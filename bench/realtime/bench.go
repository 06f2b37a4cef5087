package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/amanat/amn/auth"
	"github.com/amanat/amn/bench/internal/benchkit"
	"github.com/amanat/amn/db"
	"github.com/amanat/amn/realtime"
)

type bench struct {
	o     options
	srv   *benchkit.API
	pool  *pgxpool.Pool
	svc   *auth.Service
	users []auth.Session // admins: they may join any request's room
	w     io.Writer
}

// signIn makes n admin users and signs each in.
func signIn(ctx context.Context, svc *auth.Service, n int) ([]auth.Session, error) {
	out := make([]auth.Session, n)
	for i := range out {
		u, err := svc.CreateUser(ctx, auth.NewUser{Email: uuid.NewString() + "@bench.example", EmailVerified: true, Roles: []auth.Role{auth.RoleAdmin}})
		if err != nil {
			return nil, err
		}
		if out[i], err = svc.StartSession(ctx, u.ID, auth.MethodPassword, auth.Client{UserAgent: "bench"}); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// frame is what the bench reads of the server's frames.
type frame struct {
	Type string    `json:"type"`
	Seq  int64     `json:"seq"`
	At   time.Time `json:"at"`
}

// dial opens one connection signed in with token and subscribed to room (no replay).
func (b *bench) dial(ctx context.Context, token, room string) (*websocket.Conn, error) {
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	h := http.Header{"Authorization": {"Bearer " + token}}
	c, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(b.srv.Base, "http")+"/v1/ws", &websocket.DialOptions{HTTPHeader: h})
	if err != nil {
		return nil, err
	}
	c.SetReadLimit(4 << 20) // the server coalesces up to 256 KiB of frames into one message
	msg, _ := json.Marshal(map[string]string{"type": "subscribe", "room": room})
	if err := c.Write(ctx, websocket.MessageText, msg); err != nil {
		c.CloseNow()
		return nil, err
	}
	for {
		_, data, err := c.Read(ctx)
		if err != nil {
			c.CloseNow()
			return nil, fmt.Errorf("subscribing: %w", err)
		}
		var fs []frame
		if err := json.Unmarshal(data, &fs); err != nil {
			c.CloseNow()
			return nil, err
		}
		for _, f := range fs {
			switch f.Type {
			case "subscribed":
				return c, nil
			case "error":
				c.CloseNow()
				return nil, fmt.Errorf("subscribing to %s: %s", room, data)
			}
		}
	}
}

// dialAll opens n connections, o.dialers at a time; room(i) and the user i%users.
func (b *bench) dialAll(ctx context.Context, n int, room func(i int) string) ([]*websocket.Conn, error) {
	conns := make([]*websocket.Conn, n)
	var next atomic.Int64
	var firstErr error
	var once sync.Once
	var wg sync.WaitGroup
	for range min(b.o.dialers, n) {
		wg.Go(func() {
			for i := int(next.Add(1)) - 1; i < n; i = int(next.Add(1)) - 1 {
				c, err := b.dial(ctx, b.users[i%len(b.users)].AccessToken, room(i))
				if err != nil {
					once.Do(func() { firstErr = fmt.Errorf("connection %d: %w", i, err) })
					return
				}
				conns[i] = c
			}
		})
	}
	wg.Wait()
	if firstErr != nil {
		closeAll(conns)
		return nil, firstErr
	}
	return conns, nil
}

func closeAll(conns []*websocket.Conn) {
	for _, c := range conns {
		if c != nil {
			_ = c.CloseNow()
		}
	}
}

// createRoom makes a purchase request through the API (its buyer is a new user) and answers its
// room, which every admin may join.
func (b *bench) createRoom(ctx context.Context) (realtime.Room, error) {
	svc := b.svc
	u, err := svc.CreateUser(ctx, auth.NewUser{Email: uuid.NewString() + "@bench.example", EmailVerified: true, Roles: []auth.Role{auth.RoleBuyer}})
	if err != nil {
		return "", err
	}
	s, err := svc.StartSession(ctx, u.ID, auth.MethodPassword, auth.Client{UserAgent: "bench"})
	if err != nil {
		return "", err
	}
	body := `{"title":"A lens","description":"50mm","category":"photo","productType":"physical_product",
		"budgetMin":"1","budgetMax":"2","chain":"bsc","token":"USDT","delivery":{"kind":"online"}}`
	req, _ := http.NewRequestWithContext(ctx, "POST", b.srv.Base+"/v1/marketplace/requests", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+s.AccessToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var out struct{ ID string }
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != http.StatusCreated {
		return "", fmt.Errorf("creating the request: %d %v", resp.StatusCode, err)
	}
	return realtime.Room("request-" + out.ID), nil
}

// publish publishes n events into room as a domain package does: one transaction each, or all in
// one transaction (burst: they reach the hub together, as when many rooms' writers commit at once).
// asyncCommit publishes with synchronous_commit off (bench only): the room's transactions are
// serialized by its sequence row, so one each is bound by the disk's flush at every commit.
func publish(ctx context.Context, pool *pgxpool.Pool, room realtime.Room, n, size int, burst, asyncCommit bool) error {
	text := strings.Repeat("x", size)
	for i := 0; i < n; {
		err := db.InTx(ctx, pool, func(tx pgx.Tx) error {
			if asyncCommit {
				if _, err := tx.Exec(ctx, "SET LOCAL synchronous_commit = off"); err != nil {
					return err
				}
			}
			for j := i; j < n && (burst || j == i); j++ {
				if _, err := realtime.Publish(ctx, tx, room, "chat.message", map[string]any{"i": j, "text": text}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		if i++; burst {
			i = n
		}
	}
	return nil
}

// percentile of sorted durations (nearest rank).
func percentile(d []time.Duration, p float64) time.Duration {
	if len(d) == 0 {
		return 0
	}
	return d[min(len(d)-1, int(float64(len(d))*p))]
}

func sortDurations(d []time.Duration) { slices.Sort(d) }

package devdeal

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/coder/websocket"
	"github.com/google/uuid"

	"github.com/amanat/amn/clients/go/amnclient"
)

// The first deal's chat, as the buyer's app follows it on the real-time socket (issue #18,
// acceptance 2): the buyer opens the offer's conversation and subscribes to its room from seq 0
// before paying; the socket drops once the payment is credited (the buyer goes offline), and the
// buyer comes back once the payment is released, resubscribing from the last seq it has. Every
// payment step the worker's market writes into the chat arrives as a system message, and is
// printed as it does; the history API must then say the same.

// ChatStep is a payment step as a system message of the deal's chat reached the buyer's socket.
type ChatStep struct {
	Seq        int64  // the message's seq (its room's)
	Event      string // payment.seen, payment.credited, payment.in_escrow, payment.released, …
	PaymentSeq int    // the payment timeline row it tells of
	Replayed   bool   // it came in a resubscription's replay (sent while the buyer was away)
}

// ChatLog is what the buyer's socket got of the deal's chat, as it came (nothing is dropped or
// merged by seq on this side: a step sent twice would be here twice).
type ChatLog struct {
	Chat  uuid.UUID
	Steps []ChatStep
	// Resumed is the seq the buyer resubscribed from after its socket dropped.
	Resumed int64
}

// socketPath is the real-time socket's route.
const socketPath = "/v1/ws"

// socketFrame is one item of a message the server sends on /v1/ws (amnclient.RealtimeFrame, with
// the event's data kept raw to be read as the message it is).
type socketFrame struct {
	Type    string          `json:"type"`
	Room    string          `json:"room"`
	Seq     *int64          `json:"seq"`
	Kind    string          `json:"kind"`
	Data    json.RawMessage `json:"data"`
	Code    string          `json:"code"`
	Message string          `json:"message"`
}

// chatMessage is a chat.message event's data: the message.
type chatMessage struct {
	Kind   string                `json:"kind"`
	Body   string                `json:"body"`
	System *amnclient.ChatSystem `json:"system"`
}

// chatSocket is the buyer's socket on one conversation's room. Its reader goroutine records what
// comes; the deal's goroutine waits on it (never longer than the scene's step timeout).
type chatSocket struct {
	p       *printer
	who     *party
	url     string
	room    string
	timeout time.Duration
	dropOn  string // the step after which the first connection drops

	mu         sync.Mutex
	changed    chan struct{} // closed and replaced on every change
	log        ChatLog
	last       int64  // the last seq the socket delivered
	since      int64  // what the current subscription asked to replay after
	subscribed *int64 // the current subscription's seq, once answered
	conn       *websocket.Conn
	closing    bool  // the current connection is being closed on purpose
	dropped    bool  // the first connection was dropped (the buyer went offline)
	err        error // what ended a connection that should not have ended
}

// followChat opens the offer's conversation as the buyer and subscribes to its room from seq 0;
// the first connection drops after the step dropOn.
func (s *Scene) followChat(ctx context.Context, p *printer, buyer *party, offer uuid.UUID, dropOn string) (*chatSocket, error) {
	res, err := buyer.api.OpenChatWithResponse(ctx, offer)
	if err != nil {
		return nil, err
	}
	if res.JSON200 == nil {
		return nil, answerError("opening the offer's chat", res.HTTPResponse, res.Body)
	}
	id := res.JSON200.Id
	c := &chatSocket{p: p, who: buyer, url: "ws" + strings.TrimPrefix(s.BaseURL, "http") + socketPath, room: "chat-" + id.String(),
		timeout: s.StepTimeout, dropOn: dropOn, changed: make(chan struct{}), log: ChatLog{Chat: id}}
	return c, c.connect(ctx, 0)
}

// connect dials /v1/ws with the buyer's access token, subscribes to the room from since, and
// waits for the answer.
func (c *chatSocket) connect(ctx context.Context, since int64) error {
	began := time.Now()
	dctx, cancel := context.WithTimeout(ctx, c.timeout)
	conn, resp, err := websocket.Dial(dctx, c.url, &websocket.DialOptions{HTTPHeader: http.Header{"Authorization": {"Bearer " + c.who.token}}})
	cancel()
	if err != nil {
		return fmt.Errorf("the buyer's socket: %w", err)
	}
	c.p.printf("http", "%-6s %-6s %s → %d (%s)", c.who.name, http.MethodGet, socketPath, resp.StatusCode,
		time.Since(began).Round(time.Millisecond))
	c.mu.Lock()
	c.conn, c.closing, c.since, c.subscribed = conn, false, since, nil
	c.mu.Unlock()
	go c.read(ctx, conn)
	sub, err := json.Marshal(amnclient.RealtimeClientMessage{Type: "subscribe", Room: &c.room, Since: &since})
	if err == nil {
		err = conn.Write(ctx, websocket.MessageText, sub)
	}
	if err != nil {
		c.close()
		return fmt.Errorf("subscribing to %s: %w", c.room, err)
	}
	return c.await(ctx, "the subscription to "+c.room, func() bool { return c.subscribed != nil })
}

// read records what conn brings until it ends.
func (c *chatSocket) read(ctx context.Context, conn *websocket.Conn) {
	for {
		_, msg, err := conn.Read(ctx)
		var frames []socketFrame
		if err == nil {
			if err = json.Unmarshal(msg, &frames); err != nil {
				err = fmt.Errorf("a message that is no array of frames: %w", err)
			}
		}
		c.mu.Lock()
		if err == nil {
			err = c.take(frames)
		}
		if err != nil || c.closing { // nothing is read past a close of ours
			if err != nil && !c.closing && c.err == nil {
				c.err = fmt.Errorf("the buyer's socket on %s: %w", c.room, err)
			}
			if c.conn == conn {
				c.conn = nil
			}
			c.notify()
			c.mu.Unlock()
			_ = conn.CloseNow()
			return
		}
		c.mu.Unlock()
	}
}

// take records one message's frames (under c.mu), prints each payment step, and drops the first
// connection once the step dropOn came. An error frame, or a reset (the missed events are gone:
// never so in the demo), is an error.
func (c *chatSocket) take(frames []socketFrame) error {
	dropNow := false
	for _, f := range frames {
		switch f.Type {
		case "subscribed":
			if f.Seq == nil {
				return errors.New("subscribed without a seq")
			}
			c.subscribed = f.Seq
			c.p.printf("chat", "buyer subscribed to %s at seq %d, from seq %d [%s]", f.Room, *f.Seq, c.since, c.p.since())
		case "event":
			if f.Room != c.room || f.Seq == nil {
				return fmt.Errorf("an event of room %q (seq %v) on %s's socket", f.Room, f.Seq, c.room)
			}
			step, err := c.event(f)
			if err != nil {
				return err
			}
			if step != nil && step.Event == c.dropOn && !c.dropped {
				dropNow = true
			}
		case "reset", "error":
			return fmt.Errorf("%s frame: %s %s", f.Type, f.Code, f.Message)
		}
	}
	c.notify()
	if dropNow { // read ends here: nothing more is taken from this connection
		c.dropped, c.closing = true, true
		c.p.printf("chat", "buyer's socket dropped after seq %d: the buyer goes offline [%s]", c.last, c.p.since())
	}
	return nil
}

// event records an event of the room: a system message is a payment step.
func (c *chatSocket) event(f socketFrame) (*ChatStep, error) {
	seq := *f.Seq
	replayed := c.subscribed != nil && seq <= *c.subscribed
	c.last = max(c.last, seq)
	if f.Kind != "chat.message" {
		return nil, nil
	}
	var m chatMessage
	if err := json.Unmarshal(f.Data, &m); err != nil {
		return nil, fmt.Errorf("chat.message %d: %w", seq, err)
	}
	if m.Kind != "system" || m.System == nil {
		return nil, nil
	}
	c.log.Steps = append(c.log.Steps, ChatStep{Seq: seq, Event: string(m.System.Event), PaymentSeq: m.System.PaymentSeq, Replayed: replayed})
	how := "live"
	if replayed {
		how = "replayed"
	}
	c.p.printf("chat", "seq %d %s: %q (payment row %d, %s) [%s]", seq, m.System.Event, m.Body, m.System.PaymentSeq, how, c.p.since())
	return &c.log.Steps[len(c.log.Steps)-1], nil
}

// notify wakes the waiters (under c.mu).
func (c *chatSocket) notify() {
	close(c.changed)
	c.changed = make(chan struct{})
}

// await waits until done (called under c.mu) holds, the socket failed, or the step timeout ends.
func (c *chatSocket) await(ctx context.Context, what string, done func() bool) error {
	deadline := time.NewTimer(c.timeout)
	defer deadline.Stop()
	for {
		c.mu.Lock()
		ok, err, changed := done(), c.err, c.changed
		c.mu.Unlock()
		switch {
		case err != nil:
			return err
		case ok:
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-deadline.C:
			return fmt.Errorf("no %s on the buyer's socket after %s", what, c.timeout)
		case <-changed:
		}
	}
}

// resume brings the buyer back: once the first connection is gone, it resubscribes from the last
// seq the socket delivered; the server replays what was sent meanwhile, then goes on live.
func (c *chatSocket) resume(ctx context.Context) error {
	if err := c.await(ctx, "drop after "+c.dropOn, func() bool { return c.dropped && c.conn == nil }); err != nil {
		return err
	}
	c.mu.Lock()
	since := c.last
	c.log.Resumed = since
	c.mu.Unlock()
	c.p.printf("chat", "buyer back online: resubscribing to %s from seq %d [%s]", c.room, since, c.p.since())
	return c.connect(ctx, since)
}

// awaitStep waits until the step event came.
func (c *chatSocket) awaitStep(ctx context.Context, event string) error {
	return c.await(ctx, event+" step", func() bool {
		return slices.ContainsFunc(c.log.Steps, func(s ChatStep) bool { return s.Event == event })
	})
}

// close ends the current connection, if any.
func (c *chatSocket) close() {
	c.mu.Lock()
	conn := c.conn
	c.closing = true
	c.mu.Unlock()
	if conn != nil {
		_ = conn.Close(websocket.StatusNormalClosure, "the deal is done")
	}
}

// result is what the socket got.
func (c *chatSocket) result() *ChatLog {
	c.mu.Lock()
	defer c.mu.Unlock()
	l := c.log
	l.Steps = slices.Clone(l.Steps)
	return &l
}

// checkHistory reads the conversation's history as the buyer (GET /v1/chats/{id}/messages) and
// fails unless its system messages are the steps the socket got, in the same order with the same
// seqs.
func (c *chatSocket) checkHistory(ctx context.Context) error {
	var history []ChatStep
	after := int64(0)
	for {
		limit := 100
		res, err := c.who.api.ListChatMessagesWithResponse(ctx, c.log.Chat, &amnclient.ListChatMessagesParams{After: &after, Limit: &limit})
		if err != nil {
			return err
		}
		if res.JSON200 == nil {
			return answerError("the chat's history", res.HTTPResponse, res.Body)
		}
		for _, m := range res.JSON200.Items {
			if m.Kind == "system" && m.System != nil {
				history = append(history, ChatStep{Seq: m.Seq, Event: string(m.System.Event), PaymentSeq: m.System.PaymentSeq})
			}
		}
		if res.JSON200.NextAfter == nil {
			break
		}
		after = *res.JSON200.NextAfter
	}
	got := c.result()
	socket := make([]string, len(got.Steps))
	for i, s := range got.Steps {
		socket[i] = s.String()
	}
	hist := make([]string, len(history))
	for i, s := range history {
		hist[i] = s.String()
	}
	if !slices.Equal(socket, hist) {
		return fmt.Errorf("chat %s: the socket got steps %v, the history says %v", got.Chat, socket, hist)
	}
	c.p.printf("chat", "the history of chat %s has the same %d steps", got.Chat, len(hist))
	return nil
}

// String is the step as the demo prints it: seq:event@payment row.
func (s ChatStep) String() string { return fmt.Sprintf("%d:%s@%d", s.Seq, s.Event, s.PaymentSeq) }

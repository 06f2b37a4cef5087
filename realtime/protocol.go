package realtime

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/coder/websocket"
	"github.com/google/uuid"
)

// The wire protocol (docs/realtime.md; the OpenAPI document's Realtime* schemas). A client sends
// one JSON object per message; the server sends a JSON array of one or more frames per message
// (frames waiting for a connection are coalesced into one write).

// Close codes the server ends a connection with. Each tells the client what to do.
const (
	// CloseTokenExpired: the access token expired. Refresh it, reconnect, and resubscribe from
	// each room's last seq.
	CloseTokenExpired websocket.StatusCode = 4001
	// CloseUnauthenticated: no valid access token (missing, wrong, revoked, banned, or none within
	// the auth timeout). Sign in again.
	CloseUnauthenticated websocket.StatusCode = 4003
	// CloseTooSlow: the client fell too far behind. Reconnect and resubscribe from each room's
	// last seq: nothing is lost.
	CloseTooSlow websocket.StatusCode = 4008
)

// clientMsg is a message from a client: type is auth, subscribe, unsubscribe, presence or typing.
type clientMsg struct {
	Type  string `json:"type"`
	Token string `json:"token,omitempty"`
	Room  Room   `json:"room,omitempty"`
	// Since is the last seq the client has of Room; absent: only what comes from now on.
	Since *int64 `json:"since,omitempty"`
}

// frame is what the server sends (one of the array's items). Fields are set by type.
type frame struct {
	Type      string          `json:"type"`
	Room      Room            `json:"room,omitempty"`
	Seq       *int64          `json:"seq,omitempty"`
	Kind      string          `json:"kind,omitempty"`
	Data      json.RawMessage `json:"data,omitempty"`
	At        *time.Time      `json:"at,omitempty"`
	User      *uuid.UUID      `json:"user,omitempty"`
	ExpiresAt *time.Time      `json:"expiresAt,omitempty"`
	Event     string          `json:"event,omitempty"` // presence: join or leave
	Count     *int            `json:"count,omitempty"` // presence: users in the room
	Users     []uuid.UUID     `json:"users,omitempty"` // presence: who (at most presenceList)
	Code      string          `json:"code,omitempty"`  // error
	Message   string          `json:"message,omitempty"`
}

func encode(f frame) []byte {
	b, err := json.Marshal(f)
	if err != nil {
		panic("realtime: a frame does not encode: " + err.Error()) // only our own types: a bug
	}
	return b
}

func eventFrame(room Room, seq int64, kind string, data json.RawMessage, at time.Time) []byte {
	return encode(frame{Type: "event", Room: room, Seq: &seq, Kind: kind, Data: data, At: &at})
}

func errorFrame(room Room, code, msg string) []byte {
	return encode(frame{Type: "error", Room: room, Code: code, Message: msg})
}

// ephemeral checks an ephemeral notification's payload for room and re-encodes it. Any database
// login can NOTIFY the channel, so only what the hub itself sends passes: a typing frame, or a
// presence join or leave with its count, of that room, naming a user only where the room names
// its users (Room.Names); never anything else (an event, a reset, an error…).
func ephemeral(room Room, payload string) ([]byte, error) {
	if _, _, err := room.Parse(); err != nil {
		return nil, err
	}
	var f frame
	d := json.NewDecoder(strings.NewReader(payload))
	d.DisallowUnknownFields()
	if err := d.Decode(&f); err != nil || d.More() {
		return nil, fmt.Errorf("%w: ephemeral payload is not one frame", ErrInvalid)
	}
	if f.Room != room || (f.User != nil) != room.Names() {
		return nil, fmt.Errorf("%w: ephemeral frame of another room, or naming whom it must not", ErrInvalid)
	}
	out := frame{Type: f.Type, Room: room, User: f.User}
	switch {
	case f.Type == "typing" && f.Event == "" && f.Count == nil:
	case f.Type == "presence" && (f.Event == "join" || f.Event == "leave") && f.Count != nil && *f.Count >= 0:
		out.Event, out.Count = f.Event, f.Count
	default:
		return nil, fmt.Errorf("%w: ephemeral frames are typing or presence join/leave", ErrInvalid)
	}
	if f.Seq != nil || f.Kind != "" || f.Data != nil || f.At != nil || f.ExpiresAt != nil || f.Users != nil || f.Code != "" || f.Message != "" {
		return nil, fmt.Errorf("%w: ephemeral frame with fields it never has", ErrInvalid)
	}
	return encode(out), nil
}

package realtime

import (
	"encoding/json"
	"testing"

	"github.com/google/uuid"
)

// FuzzRoomParse: any string either parses to a kind and id that print back as the same room, or
// is ErrInvalid; never a panic.
func FuzzRoomParse(f *testing.F) {
	for _, s := range []string{"request-3f2a6c1e-9b7d-4c1a-8e2f-0a1b2c3d4e5f", "user-", "-", "chat-3F2A6C1E-9B7D-4C1A-8E2F-0A1B2C3D4E5F", "a-{3f2a6c1e-9b7d-4c1a-8e2f-0a1b2c3d4e5f}"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		k, id, err := Room(s).Parse()
		if err != nil {
			if k != "" || id != uuid.Nil {
				t.Fatalf("%q: an error with a result", s)
			}
			return
		}
		if RoomOf(k, id) != Room(s) {
			t.Fatalf("%q parsed to %s %s, which prints as %s", s, k, id, RoomOf(k, id))
		}
	})
}

// FuzzClientMessage: whatever a client sends decodes into a message or is refused; a decoded
// subscribe's room is checked by Parse before any use.
func FuzzClientMessage(f *testing.F) {
	f.Add([]byte(`{"type":"subscribe","room":"request-3f2a6c1e-9b7d-4c1a-8e2f-0a1b2c3d4e5f","since":3}`))
	f.Add([]byte(`{"type":"auth","token":"x"}`))
	f.Add([]byte(`{"type":"subscribe","since":-1}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var m clientMsg
		if json.Unmarshal(b, &m) != nil {
			return
		}
		if _, _, err := m.Room.Parse(); err == nil && len(m.Room) > 53 {
			t.Fatalf("a room of %d bytes parsed", len(m.Room))
		}
	})
}

// FuzzEphemeral: whatever arrives on the ephemeral channel is refused, or re-encodes to a typing
// or presence join/leave frame of that room; never a panic.
func FuzzEphemeral(f *testing.F) {
	room := RoomOf(KindChat, uuid.MustParse("3f2a6c1e-9b7d-4c1a-8e2f-0a1b2c3d4e5f"))
	for _, s := range []string{`{"type":"typing","room":"` + string(room) + `","user":"3f2a6c1e-9b7d-4c1a-8e2f-0a1b2c3d4e5f"}`,
		`{"type":"presence","room":"` + string(room) + `","event":"join","count":2,"user":"3f2a6c1e-9b7d-4c1a-8e2f-0a1b2c3d4e5f"}`,
		`{"type":"event","room":"` + string(room) + `","seq":1}`, `{}`, `[]`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b, err := ephemeral(room, s)
		if err != nil {
			return
		}
		var out frame
		if err := json.Unmarshal(b, &out); err != nil || out.Room != room || (out.Type != "typing" && out.Type != "presence") ||
			out.Seq != nil || out.Data != nil || out.Users != nil {
			t.Fatalf("%q passed as %s", s, b)
		}
	})
}

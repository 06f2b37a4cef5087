package realtime

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/google/uuid"

	"github.com/amanat/amn/kind"
)

// Room is where events go and subscribers listen: "{kind}-{uuid}", e.g. "request-3f2a…".
type Room string

// The kinds of room. Who may join which is the API's Rights.
const (
	KindUser    = "user"    // a user's own notifications; only that user
	KindRequest = "request" // a purchase request's deal: its buyer, sellers with an offer, admins
	KindChat    = "chat"    // a conversation: its participants
)

// ErrInvalid is a malformed room, event kind or payload.
var ErrInvalid = kind.New(kind.Invalid, "invalid realtime event")

var roomKind = regexp.MustCompile(`^[a-z]{1,16}$`)

// RoomOf is the room of kind for id.
func RoomOf(k string, id uuid.UUID) Room { return Room(k + "-" + id.String()) }

// UserRoom is a user's own room.
func UserRoom(id uuid.UUID) Room { return RoomOf(KindUser, id) }

// RequestRoom is a purchase request's room.
func RequestRoom(id uuid.UUID) Room { return RoomOf(KindRequest, id) }

// ChatRoom is a conversation's room.
func ChatRoom(id uuid.UUID) Room { return RoomOf(KindChat, id) }

// Parse splits a room into its kind and id. Only the canonical form is accepted (lower-case hex
// uuid with dashes), so one room has one name.
func (r Room) Parse() (string, uuid.UUID, error) {
	k, rest, ok := strings.Cut(string(r), "-")
	if !ok || !roomKind.MatchString(k) || len(rest) != 36 {
		return "", uuid.Nil, fmt.Errorf("%w: room %.80q is not {kind}-{uuid}", ErrInvalid, string(r))
	}
	id, err := uuid.Parse(rest)
	if err != nil || id.String() != rest {
		return "", uuid.Nil, fmt.Errorf("%w: room %.80q is not {kind}-{uuid}", ErrInvalid, string(r))
	}
	return k, id, nil
}

// Names reports whether frames of the room may name its users (presence, typing). A request's
// room gathers its buyer and sellers who must not learn each other's ids: there presence carries
// counts only and typing no user. User and chat rooms hold people who know each other.
func (r Room) Names() bool {
	k, _, err := r.Parse()
	return err == nil && k != KindRequest
}

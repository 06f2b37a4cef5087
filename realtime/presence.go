package realtime

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// Presence: each process keeps a row per (room, user) it has subscribers of, under its node id,
// and beats its node row every third of the TTL. Who is in a room is the users of live nodes'
// rows, merged across processes; a process that dies stops beating, and the first other process to
// sweep after the TTL deletes its rows and tells each room who left. Join and leave frames are
// ephemeral: they go through NOTIFY to every process, never stored.

// presenceList bounds the users a presence answer lists.
const presenceList = 1000

func (h *Hub) ttl() float64 { return h.cfg.PresenceTTL.Seconds() }

// presenceJoin records that user is in room on this process, and announces a join when no other
// live process had them. Presence is advisory: a failure is logged, the subscription stands.
func (h *Hub) presenceJoin(ctx context.Context, room Room, user uuid.UUID) {
	var elsewhere bool
	if err := h.pool.QueryRow(ctx, joinSQL, string(room), user, h.node, h.ttl()).Scan(&elsewhere); err != nil {
		h.log.Warn("realtime: recording presence failed", "room", room, "err", err)
		return
	}
	if !elsewhere {
		h.announce(ctx, room, "join", user)
	}
}

// presenceLeave is presenceJoin's reverse: a leave when no other live process has the user.
func (h *Hub) presenceLeave(ctx context.Context, room Room, user uuid.UUID) {
	var elsewhere bool
	if err := h.pool.QueryRow(ctx, leaveSQL, string(room), user, h.node, h.ttl()).Scan(&elsewhere); err != nil {
		h.log.Warn("realtime: removing presence failed", "room", room, "err", err)
		return
	}
	if !elsewhere {
		h.announce(ctx, room, "leave", user)
	}
}

// announce tells every process's subscribers of room that user joined or left, with the count
// (and who, where the room names its users: Room.Names).
func (h *Hub) announce(ctx context.Context, room Room, ev string, user uuid.UUID) {
	users, err := h.present(ctx, room)
	if err != nil {
		h.log.Warn("realtime: reading presence failed", "room", room, "err", err)
		return
	}
	n := len(users)
	f := frame{Type: "presence", Room: room, Event: ev, Count: &n}
	if room.Names() {
		f.User = &user
	}
	if err := h.notify(ctx, room, encode(f)); err != nil {
		h.log.Warn("realtime: announcing presence failed", "room", room, "err", err)
	}
}

// present lists who is in room on live processes.
func (h *Hub) present(ctx context.Context, room Room) ([]uuid.UUID, error) {
	rows, err := h.pool.Query(ctx, presentSQL, string(room), h.ttl(), presenceList)
	if err != nil {
		return nil, err
	}
	users, err := pgx.CollectRows(rows, pgx.RowTo[uuid.UUID])
	if users == nil {
		users = []uuid.UUID{}
	}
	return users, err
}

// notify sends an ephemeral frame to room's subscribers on every process.
func (h *Hub) notify(ctx context.Context, room Room, f []byte) error {
	payload := string(room) + " " + string(f)
	if len(payload) > 7900 { // NOTIFY's limit is 8000 bytes
		return fmt.Errorf("realtime: ephemeral frame of %d bytes is too large", len(payload))
	}
	_, err := h.pool.Exec(ctx, notifySQL, payload)
	return err
}

// beat marks this node alive. When its row was missing (first beat, or swept after a stall) the
// node's presence rows are written again.
func (h *Hub) beat(ctx context.Context) error {
	var inserted bool
	if err := h.pool.QueryRow(ctx, heartbeatSQL, h.node).Scan(&inserted); err != nil {
		return err
	}
	if !inserted {
		return nil
	}
	type key struct {
		room Room
		user uuid.UUID
	}
	var here []key
	h.mu.Lock()
	for name, r := range h.rooms {
		for u := range r.users {
			here = append(here, key{name, u})
		}
	}
	h.mu.Unlock()
	for _, k := range here {
		var elsewhere bool
		if err := h.pool.QueryRow(ctx, joinSQL, string(k.room), k.user, h.node, h.ttl()).Scan(&elsewhere); err != nil {
			return err
		}
	}
	return nil
}

// sweep deletes dead nodes' presence (and this node's, when stopping) and announces who left.
func (h *Hub) sweep(ctx context.Context, self bool) error {
	own := uuid.Nil
	if self {
		own = h.node
	}
	rows, err := h.pool.Query(ctx, sweepSQL, h.ttl(), own)
	if err != nil {
		return err
	}
	type gone struct {
		Room string
		User uuid.UUID
	}
	left, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (gone, error) {
		var g gone
		return g, r.Scan(&g.Room, &g.User)
	})
	if err != nil {
		return err
	}
	for _, g := range left {
		h.announce(ctx, Room(g.Room), "leave", g.User)
	}
	return nil
}

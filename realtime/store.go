package realtime

// The statements of package realtime, on its own tables (migration 00034). No other package's SQL
// names these tables.

// Notification channels: persisted events carry "room seq" (the payload is read from
// realtime_events, once per process); ephemeral ones carry "room frame" and are never stored.
const (
	channelEvents    = "amn_realtime"
	channelEphemeral = "amn_realtime_e"
)

// publishSQL takes the room's next seq under its row lock (the lock, held to commit, makes a room's
// events commit in seq order, without gaps), stores the event and notifies on commit. $1 room, $2
// kind, $3 payload.
const publishSQL = `
WITH r AS (
    INSERT INTO realtime_rooms AS rr (room, last_seq) VALUES ($1, 1)
    ON CONFLICT (room) DO UPDATE SET last_seq = rr.last_seq + 1
    RETURNING last_seq
), e AS (
    INSERT INTO realtime_events (room, seq, kind, payload)
    SELECT $1, last_seq, $2, $3 FROM r
)
SELECT last_seq FROM r WHERE pg_notify('` + channelEvents + `', $1 || ' ' || last_seq)::text = ''`

// notifySQL sends an ephemeral frame (typing, presence), delivered on commit (at once outside a
// transaction).
const notifySQL = `SELECT pg_notify('` + channelEphemeral + `', $1)::text`

// lastSeqSQL is a room's last seq (no row: 0, nothing published yet).
const lastSeqSQL = `SELECT coalesce((SELECT last_seq FROM realtime_rooms WHERE room = $1), 0)`

// eventsSQL reads a room's events after seq $2, up to seq $3, at most $4 of them, in order.
const eventsSQL = `
SELECT seq, kind, payload, created_at FROM realtime_events
WHERE room = $1 AND seq > $2 AND seq <= $3
ORDER BY seq LIMIT $4`

// pruneSQL deletes up to $2 events older than $1 seconds (a batch; the caller repeats).
const pruneSQL = `
DELETE FROM realtime_events WHERE (room, seq) IN (
    SELECT room, seq FROM realtime_events WHERE created_at < now() - make_interval(secs => $1) LIMIT $2)`

// heartbeatSQL marks this node alive; inserted is true when its row was missing (a first beat, or
// another node swept it as dead: its presence rows must be written again).
const heartbeatSQL = `
INSERT INTO realtime_nodes AS n (id, seen_at) VALUES ($1, now())
ON CONFLICT (id) DO UPDATE SET seen_at = now()
RETURNING (xmax = 0) AS inserted`

// sweepSQL deletes nodes silent for $1 seconds (or node $2: this one, stopping) with their presence
// rows, and returns who is no longer anywhere in each room as a result.
const sweepSQL = `
WITH dead AS (
    DELETE FROM realtime_nodes WHERE seen_at < now() - make_interval(secs => $1) OR id = $2 RETURNING id
), gone AS (
    DELETE FROM realtime_presence p USING dead WHERE p.node = dead.id RETURNING p.room, p.user_id
)
SELECT DISTINCT g.room, g.user_id FROM gone g
WHERE NOT EXISTS (
    SELECT 1 FROM realtime_presence q JOIN realtime_nodes n ON n.id = q.node
    WHERE q.room = g.room AND q.user_id = g.user_id AND q.node <> $2
      AND n.seen_at >= now() - make_interval(secs => $1))`

// joinSQL records that user $2 is in room $1 on node $3; elsewhere says whether a live node other
// than this one had them already.
const joinSQL = `
WITH ins AS (
    INSERT INTO realtime_presence (room, user_id, node) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING
)
SELECT EXISTS (
    SELECT 1 FROM realtime_presence q JOIN realtime_nodes n ON n.id = q.node
    WHERE q.room = $1 AND q.user_id = $2 AND q.node <> $3 AND n.seen_at >= now() - make_interval(secs => $4))`

// leaveSQL removes user $2 from room $1 on node $3; elsewhere as joinSQL.
const leaveSQL = `
WITH del AS (
    DELETE FROM realtime_presence WHERE room = $1 AND user_id = $2 AND node = $3
)
SELECT EXISTS (
    SELECT 1 FROM realtime_presence q JOIN realtime_nodes n ON n.id = q.node
    WHERE q.room = $1 AND q.user_id = $2 AND q.node <> $3 AND n.seen_at >= now() - make_interval(secs => $4))`

// presentSQL lists who is in room $1 on a live node (at most $3), after the expiry $2 seconds.
const presentSQL = `
SELECT DISTINCT q.user_id FROM realtime_presence q JOIN realtime_nodes n ON n.id = q.node
WHERE q.room = $1 AND n.seen_at >= now() - make_interval(secs => $2)
ORDER BY 1 LIMIT $3`

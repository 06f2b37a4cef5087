-- +goose Up
-- Real time (package realtime owns every table here; docs/realtime.md). A domain package publishes
-- an event into a room inside its own transaction: the room's counter gives it the next sequence
-- number under the room row's lock, the event is stored, and a NOTIFY (delivered on commit only)
-- tells every API process. A rolled-back change neither stores nor notifies anything.

-- A room's last sequence number. Its row lock orders a room's publishers: events commit in seq
-- order, without gaps.
CREATE TABLE realtime_rooms (
    room     text PRIMARY KEY CHECK (room ~ '^[a-z]{1,16}-[0-9a-f-]{36}$'),
    last_seq bigint NOT NULL CHECK (last_seq >= 1)
);

-- The events clients replay from after a reconnect, kept for the retention (the API prunes older
-- ones; a client asking from before them gets a reset).
CREATE TABLE realtime_events (
    room       text NOT NULL,
    seq        bigint NOT NULL CHECK (seq >= 1),
    kind       text NOT NULL CHECK (kind ~ '^[a-z_.]{1,64}$'),
    payload    jsonb NOT NULL,
    created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (room, seq)
);
CREATE INDEX realtime_events_created ON realtime_events (created_at);

-- Presence: each API process (a node) heartbeats its row; who is online in a room is the users of
-- live nodes' rows. A node that stops heartbeating is swept, with its rows, by any other.
CREATE TABLE realtime_nodes (
    id      uuid PRIMARY KEY,
    seen_at timestamptz NOT NULL
);
CREATE TABLE realtime_presence (
    room    text NOT NULL,
    user_id uuid NOT NULL,
    node    uuid NOT NULL,
    PRIMARY KEY (room, user_id, node)
);
CREATE INDEX realtime_presence_node ON realtime_presence (node);

-- The API serves the sockets (replay, presence, pruning) and publishes; the worker publishes (the
-- market's timers and payment following).
GRANT SELECT, INSERT, UPDATE (last_seq) ON realtime_rooms TO amn_api;
GRANT SELECT, INSERT, DELETE ON realtime_events TO amn_api;
GRANT SELECT, INSERT, UPDATE (seen_at), DELETE ON realtime_nodes TO amn_api;
GRANT SELECT, INSERT, DELETE ON realtime_presence TO amn_api;
GRANT SELECT, INSERT, UPDATE (last_seq) ON realtime_rooms TO amn_worker;
GRANT INSERT ON realtime_events TO amn_worker;

-- +goose Down
DROP TABLE realtime_presence, realtime_nodes, realtime_events, realtime_rooms;

-- +goose Up
-- Liveness of each long-running process, written by the process itself. The payments issue's
-- config health check reads it to tell whether the signer is reachable.
CREATE TABLE process_heartbeat (
    role        text        NOT NULL,
    instance    text        NOT NULL,
    version     text        NOT NULL,
    started_at  timestamptz NOT NULL,
    seen_at     timestamptz NOT NULL,
    PRIMARY KEY (role, instance)
);

-- +goose Down
DROP TABLE process_heartbeat;

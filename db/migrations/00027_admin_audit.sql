-- +goose Up
-- What admins did over the API (package admin): who, what operation on which target, when, from
-- where, and the outcome, refused calls included. Append-only: the API may insert and read, never
-- update or delete; there is no column to correct a row with.
CREATE TABLE admin_audit (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at         timestamptz NOT NULL DEFAULT now(),
    user_id    uuid,                         -- the caller; NULL when no valid token came
    operation  text NOT NULL CHECK (length(operation) BETWEEN 1 AND 100),
    target     text NOT NULL DEFAULT '' CHECK (length(target) <= 300),
    client_ip  text NOT NULL DEFAULT '' CHECK (length(client_ip) <= 64),
    user_agent text NOT NULL DEFAULT '' CHECK (length(user_agent) <= 300),
    status     integer NOT NULL CHECK (status BETWEEN 100 AND 599),
    outcome    text NOT NULL CHECK (length(outcome) BETWEEN 1 AND 64), -- "ok" or the error code
    request_id text NOT NULL DEFAULT '' CHECK (length(request_id) <= 100)
);
CREATE INDEX admin_audit_at ON admin_audit (at DESC, id DESC);

GRANT SELECT, INSERT ON admin_audit TO amn_api;

-- +goose Down
DROP TABLE admin_audit;

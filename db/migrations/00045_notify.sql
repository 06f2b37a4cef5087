-- +goose Up
-- Notifications (package notify owns every table here; docs/notify.md). A domain package tells a
-- user something inside its own transaction: the notification row, its realtime event in the room
-- user-{id} and, for the kinds that go by email, the notify_email job are written together, so a
-- committed change is never silent and a rolled-back one never speaks.

-- A user's in-app notification: what happened (kind) and its facts (data, a small JSON object the
-- client words in the reader's language). read_at is set once, by its user.
CREATE TABLE notifications (
    id         uuid PRIMARY KEY,
    user_id    uuid NOT NULL REFERENCES users (id),
    kind       text NOT NULL CHECK (kind ~ '^[a-z_.]{1,64}$'),
    data       jsonb NOT NULL CHECK (jsonb_typeof(data) = 'object' AND length(data::text) <= 4096),
    created_at timestamptz NOT NULL,
    read_at    timestamptz
);
-- A user's list, newest first (the cursor is (created_at, id)), and the unread count.
CREATE INDEX notifications_user ON notifications (user_id, created_at DESC, id DESC);
CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL;

-- Which kinds a user wants by email. No row: the kind's default (on). Essential kinds are sent
-- whatever a row says (notify.Essential); only non-essential ones may be turned off.
CREATE TABLE notification_prefs (
    user_id    uuid NOT NULL REFERENCES users (id),
    kind       text NOT NULL CHECK (kind ~ '^[a-z_.]{1,64}$'),
    email      boolean NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (user_id, kind)
);

-- The API lists, counts and marks its callers' notifications and keeps their preferences (and an
-- unsubscribe link's); both the API and the worker notify (the worker as the market follows
-- payments: a new notification's event carries the unread count) and read preferences (the worker
-- again when it sends, so a later unsubscribe holds).
GRANT SELECT, INSERT, UPDATE (read_at) ON notifications TO amn_api;
GRANT SELECT, INSERT, UPDATE (email, updated_at) ON notification_prefs TO amn_api;
GRANT SELECT, INSERT ON notifications TO amn_worker;
GRANT SELECT ON notification_prefs TO amn_worker;
-- The worker mails the notifications: it reads a recipient's address, locale and standing through
-- package auth (auth.Contacts), and nothing else of the users table.
GRANT SELECT (id, email, email_verified_at, status, locale) ON users TO amn_worker;

-- +goose Down
REVOKE SELECT (id, email, email_verified_at, status, locale) ON users FROM amn_worker;
DROP TABLE notification_prefs;
DROP TABLE notifications;

-- +goose Up
-- Chat (package chat owns every table here; docs/chat.md). A conversation is one offer's: the
-- purchase request's buyer and that offer's seller (admins may read it). Every message and every
-- change to one (edit, delete, read receipt) is published into the room chat-{id} by
-- realtime.Publish in the transaction that writes it; a message's seq is its room's seq.

CREATE TABLE chat_conversations (
    id         uuid PRIMARY KEY,
    request_id uuid NOT NULL,
    offer_id   uuid NOT NULL UNIQUE,
    buyer_id   uuid NOT NULL REFERENCES users (id),
    seller_id  uuid NOT NULL REFERENCES users (id),
    created_at timestamptz NOT NULL,
    CHECK (buyer_id <> seller_id)
);
CREATE INDEX chat_conversations_buyer ON chat_conversations (buyer_id);
CREATE INDEX chat_conversations_seller ON chat_conversations (seller_id);

-- Messages: a party's text (with attachments, uploads attached to the conversation) or a system
-- message. system_key is a system message's idempotency key (a payment transition:
-- 'payment:{payment id}:{timeline seq}'): written once however often its writer retries.
CREATE TABLE chat_messages (
    id              uuid PRIMARY KEY,
    conversation_id uuid NOT NULL REFERENCES chat_conversations (id),
    seq             bigint NOT NULL CHECK (seq >= 1),
    sender_id       uuid REFERENCES users (id),
    kind            text NOT NULL CHECK (kind IN ('text', 'system')),
    body            text NOT NULL CHECK (length(body) <= 1000),
    attachments     uuid[] NOT NULL DEFAULT '{}' CHECK (cardinality(attachments) <= 5),
    system_key      text CHECK (length(system_key) <= 200),
    -- A system message's what and links: {"event", "state", "links": [{"rel", "url"}]}.
    system          jsonb,
    created_at      timestamptz NOT NULL,
    edited_at       timestamptz,
    deleted_at      timestamptz,
    UNIQUE (conversation_id, seq),
    UNIQUE (conversation_id, system_key),
    CHECK ((kind = 'system') = (sender_id IS NULL) AND (kind = 'system') = (system_key IS NOT NULL))
);

-- Read receipts: the last seq each party has read.
CREATE TABLE chat_reads (
    conversation_id uuid NOT NULL REFERENCES chat_conversations (id),
    user_id         uuid NOT NULL REFERENCES users (id),
    last_read_seq   bigint NOT NULL CHECK (last_read_seq >= 0),
    updated_at      timestamptz NOT NULL,
    PRIMARY KEY (conversation_id, user_id)
);

-- Chat attachments are uploads attached to the conversation (its parties may read them).
ALTER TABLE uploads DROP CONSTRAINT uploads_attached_kind_check;
ALTER TABLE uploads ADD CONSTRAINT uploads_attached_kind_check
    CHECK (attached_kind IN ('', 'blog_cover', 'dispute_evidence', 'chat_attachment'));

GRANT SELECT, INSERT ON chat_conversations TO amn_api;
GRANT SELECT, INSERT, UPDATE (body, attachments, edited_at, deleted_at) ON chat_messages TO amn_api;
GRANT SELECT, INSERT, UPDATE (last_read_seq, updated_at) ON chat_reads TO amn_api;
-- The worker writes the payment's system messages as the market follows the payment.
GRANT SELECT, INSERT ON chat_conversations TO amn_worker;
GRANT SELECT, INSERT ON chat_messages TO amn_worker;

-- +goose Down
UPDATE uploads SET attached_kind = '', attached_id = '', attached_at = NULL WHERE attached_kind = 'chat_attachment';
ALTER TABLE uploads DROP CONSTRAINT uploads_attached_kind_check;
ALTER TABLE uploads ADD CONSTRAINT uploads_attached_kind_check
    CHECK (attached_kind IN ('', 'blog_cover', 'dispute_evidence'));
DROP TABLE chat_reads;
DROP TABLE chat_messages;
DROP TABLE chat_conversations;

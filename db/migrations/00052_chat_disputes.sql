-- +goose Up
-- A dispute's three-way conversation (package chat; docs/chat.md): its buyer, its seller and
-- admins, who may write in it. An offer keeps one conversation of its own; a dispute of it gets
-- another, named by dispute_id.
ALTER TABLE chat_conversations ADD COLUMN dispute_id uuid UNIQUE;
ALTER TABLE chat_conversations DROP CONSTRAINT chat_conversations_offer_id_key;
CREATE UNIQUE INDEX chat_conversations_offer ON chat_conversations (offer_id) WHERE dispute_id IS NULL;

-- +goose Down
DELETE FROM chat_reads WHERE conversation_id IN (SELECT id FROM chat_conversations WHERE dispute_id IS NOT NULL);
DELETE FROM chat_messages WHERE conversation_id IN (SELECT id FROM chat_conversations WHERE dispute_id IS NOT NULL);
DELETE FROM chat_conversations WHERE dispute_id IS NOT NULL;
DROP INDEX chat_conversations_offer;
ALTER TABLE chat_conversations ADD CONSTRAINT chat_conversations_offer_id_key UNIQUE (offer_id);
ALTER TABLE chat_conversations DROP COLUMN dispute_id;

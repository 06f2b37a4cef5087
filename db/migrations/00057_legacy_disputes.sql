-- +goose Up
-- dispute: a case imported from the legacy backend (dispute.ImportCase, docs/import.md) is
-- "legacy": history of a deal whose money was the old backend's. It has no offer or three-way
-- conversation here when the old dispute named none, no deadlines, and no step may be taken on
-- it (package dispute refuses them): nothing follows it. Its timeline is hash-chained like any.
ALTER TABLE dispute_cases ADD COLUMN legacy boolean NOT NULL DEFAULT false,
    ALTER COLUMN offer_id DROP NOT NULL, ALTER COLUMN conversation_id DROP NOT NULL,
    ADD CONSTRAINT dispute_cases_legacy_refs CHECK (legacy OR (offer_id IS NOT NULL AND conversation_id IS NOT NULL));

-- +goose Down
-- Fails while legacy cases exist (their timelines are append-only): an imported database is not
-- rolled back past its import.
ALTER TABLE dispute_cases DROP CONSTRAINT dispute_cases_legacy_refs,
    ALTER COLUMN offer_id SET NOT NULL, ALTER COLUMN conversation_id SET NOT NULL, DROP COLUMN legacy;

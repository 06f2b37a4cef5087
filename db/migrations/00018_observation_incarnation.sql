-- +goose Up
-- A block a reorg removed can come back with the very same hash (docs/indexer.md, "A block that
-- returns"): its observation's key is the same, but its pending transfer was voided. The
-- observation is then detected again as its next incarnation, with a transfer id derived from the
-- key and the incarnation (payment.Observation.TransferID), so the money is credited, not lost.
ALTER TABLE indexer_observations ADD COLUMN incarnation integer NOT NULL DEFAULT 0 CHECK (incarnation >= 0);

-- The indexer writes an orphaned observation's row anew when its block returns: the new
-- incarnation and its transfer. (Its table grants cover SELECT and INSERT of new columns.)
GRANT UPDATE (transfer_id, incarnation) ON indexer_observations TO amn_indexer;

-- Observations by height: a reorg looks up those above its common ancestor, and each fetch those
-- of its heights (a step that ended before moving the checkpoint may have recorded some in blocks
-- a reorg replaced meanwhile, docs/indexer.md "Crash safety").
CREATE INDEX indexer_observations_height ON indexer_observations (chain_id, block_number);

-- +goose Down
DROP INDEX indexer_observations_height;
REVOKE UPDATE (incarnation) ON indexer_observations FROM amn_indexer; -- transfer_id stays: 00017 grants it
ALTER TABLE indexer_observations DROP COLUMN incarnation;

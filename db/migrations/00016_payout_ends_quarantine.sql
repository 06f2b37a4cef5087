-- +goose NO TRANSACTION
-- +goose Up
-- Every on-chain ending has a booked ending (#13 finding 6, docs/payments.md): the buyer's
-- reclaim of an escrow moves the payment to 'reclaimed'. ALTER TYPE … ADD VALUE may not run in a
-- transaction block before PostgreSQL 12, and a value added in a transaction cannot be used in
-- it: this migration runs outside one, each statement idempotent.
ALTER TYPE payment_state ADD VALUE IF NOT EXISTS 'reclaimed' AFTER 'refunded';

-- A release or refund that reverts returns the payment to in_escrow; the next one reserves the
-- payout under new transfer ids, numbered by this attempt (0: the ids of the first payout).
ALTER TABLE payments ADD COLUMN IF NOT EXISTS payout_attempt integer NOT NULL DEFAULT 0
    CHECK (payout_attempt >= 0);

-- Every role that moves payments writes the whole row of the payments it moves (payment.Service).
GRANT SELECT (payout_attempt), UPDATE (payout_attempt) ON payments TO amn_api, amn_indexer, amn_worker;
GRANT SELECT (payout_attempt) ON payments TO amn_signer;

-- One payment never stops a chain (#14, docs/indexer.md): an observation whose payment refuses it
-- (or whose row the database refuses) is quarantined with the error in its note and what to
-- retry (detect, credit, confirm, orphan, escrow), while the chain goes on; `amn indexer requeue`
-- retries it. The partial index keeps the per-chain count (amn_indexer_quarantined) cheap.
ALTER TYPE observation_state ADD VALUE IF NOT EXISTS 'quarantined';
ALTER TABLE indexer_observations ADD COLUMN IF NOT EXISTS quarantine_op text NOT NULL DEFAULT '';
CREATE INDEX IF NOT EXISTS indexer_observations_quarantined ON indexer_observations (chain_id, payment_id)
    WHERE state = 'quarantined';
GRANT SELECT (quarantine_op), INSERT (quarantine_op), UPDATE (quarantine_op) ON indexer_observations TO amn_indexer;

-- +goose Down
-- Enum values cannot be dropped: 'reclaimed' and 'quarantined' stay.
DROP INDEX IF EXISTS indexer_observations_quarantined;
ALTER TABLE indexer_observations DROP COLUMN IF EXISTS quarantine_op;
ALTER TABLE payments DROP COLUMN IF EXISTS payout_attempt;

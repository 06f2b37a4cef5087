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

-- +goose Down
-- An enum value cannot be dropped; 'reclaimed' stays (no payment is in it once the column is gone
-- and the code that books reclaims with it).
ALTER TABLE payments DROP COLUMN IF EXISTS payout_attempt;

-- +goose Up
-- Escrows belong to their funder (issue #13, finding 5): AmnEscrow keys an escrow by
-- escrowId(funder, ref) = keccak256(abi.encode(funder, ref)), with the payment's deposit address as
-- the funder and its left-padded id as the reference (package payment: EscrowID). An escrow id no
-- longer contains the payment id, so the ids are written down where they are needed.

-- payments.escrow_id: written by payment.Create; the indexer maps the contract's events to payments
-- with it (payment.EscrowPayments). PostgreSQL has no keccak256, so payments made before this
-- migration keep NULL and package payment computes theirs from their deposit address; the partial
-- index keeps that to those payments.
ALTER TABLE payments ADD COLUMN escrow_id text CHECK (escrow_id ~ '^0x[0-9a-f]{64}$');
CREATE UNIQUE INDEX payments_escrow_id ON payments (escrow_id);
CREATE INDEX payments_without_escrow_id ON payments (id) WHERE escrow_id IS NULL;

-- signer_intents.escrow_id: the escrow a sweep opens, a release or refund pays out; release and
-- refund approvals sign it (the Release/Refund paymentId field). The signer checks it against the
-- payment before it signs anything.
ALTER TABLE signer_intents ADD COLUMN escrow_id text CHECK (escrow_id ~ '^0x[0-9a-f]{64}$');

-- indexer_observations.escrow_event: the decoded AmnEscrow event of an escrow_* observation (escrow
-- id, token, amount, buyer, seller, funder and reference), so that the Funded event can be checked
-- against its payment when it is final (payment.Swept).
ALTER TABLE indexer_observations ADD COLUMN escrow_event jsonb;

-- Grants for the new columns (column grants add to whatever table grants 00011 gives).
GRANT SELECT (escrow_id), INSERT (escrow_id) ON payments TO amn_api;
GRANT SELECT (escrow_id) ON payments TO amn_indexer, amn_worker;
GRANT SELECT (escrow_id), INSERT (escrow_id) ON signer_intents TO amn_api, amn_worker;
GRANT SELECT (escrow_event), INSERT (escrow_event) ON indexer_observations TO amn_indexer;
-- amn_signer reads payments and signer_intents whole (00005).

-- +goose Down
REVOKE SELECT (escrow_event), INSERT (escrow_event) ON indexer_observations FROM amn_indexer;
REVOKE SELECT (escrow_id), INSERT (escrow_id) ON signer_intents FROM amn_api, amn_worker;
REVOKE SELECT (escrow_id) ON payments FROM amn_indexer, amn_worker;
REVOKE SELECT (escrow_id), INSERT (escrow_id) ON payments FROM amn_api;
ALTER TABLE indexer_observations DROP COLUMN escrow_event;
ALTER TABLE signer_intents DROP COLUMN escrow_id;
DROP INDEX payments_without_escrow_id;
DROP INDEX payments_escrow_id;
ALTER TABLE payments DROP COLUMN escrow_id;

-- +goose Up
-- Sweeps batched with EIP-7702 (package signer; docs/signer.md, "Sweeps batched with EIP-7702").
--
-- One transaction of the gas tank sweeps many deposits: signer_txs keeps one row per attempt of
-- it (its hash and (chain, sender, nonce, attempt) are unique), whose intent_id is the batch's
-- carrier, the first member. This table says which sweep intents the batch at (chain, sender,
-- nonce) carries: the carrier too. The signer writes it in the transaction that stores the
-- batch's first attempt, fenced by its epoch like its other tables (migration 00013); an intent is
-- in at most one batch. Each member's drive loads the batch's attempts through it; the worker
-- reads it to book the batch's gas once, split over its members (intent.BatchGasShare).
CREATE TABLE signer_batch_members (
    chain_id     bigint      NOT NULL,
    sender       text        NOT NULL CHECK (sender ~ '^0x[0-9a-f]{40}$'),  -- the gas tank
    nonce        bigint      NOT NULL CHECK (nonce >= 0),
    intent_id    uuid        NOT NULL UNIQUE REFERENCES signer_intents (id),
    created_at   timestamptz NOT NULL DEFAULT now(),
    signer_epoch bigint,
    PRIMARY KEY (chain_id, sender, nonce, intent_id)
);
CREATE TRIGGER signer_batch_members_fence BEFORE INSERT OR UPDATE ON signer_batch_members
    FOR EACH ROW EXECUTE FUNCTION signer_fence();

GRANT SELECT, INSERT ON signer_batch_members TO amn_signer;
GRANT SELECT ON signer_batch_members TO amn_api, amn_worker;

-- +goose Down
REVOKE ALL ON signer_batch_members FROM amn_signer, amn_api, amn_worker;
DROP TABLE signer_batch_members;

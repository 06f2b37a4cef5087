-- +goose Up
-- The chain indexer's state (package indexer; see docs/indexer.md): where each chain's indexer
-- stands, the recent blocks it followed (to detect reorgs by parent hash), and every matched
-- event (observation) with where it was seen and where it stands.

-- One row per chain: the last block processed (all its events matched and stored) and whether
-- crediting is halted because a reorg reached a credited observation.
CREATE TABLE indexer_checkpoints (
    chain_id        bigint      PRIMARY KEY CHECK (chain_id > 0),
    processed       bigint      NOT NULL CHECK (processed >= 0),
    processed_hash  text        NOT NULL,
    halted          boolean     NOT NULL DEFAULT false,
    halt_reason     text        NOT NULL DEFAULT '',
    halted_at       timestamptz,
    -- What the running indexer last saw (head, finalized, lag, watch set, endpoints' health), for
    -- `amn indexer status`; written every few seconds.
    status          jsonb       NOT NULL DEFAULT '{}',
    updated_at      timestamptz NOT NULL DEFAULT now()
);

-- The canonical chain as the indexer followed it, for a window of recent blocks: a new block whose
-- parent hash differs from the stored hash of its parent means a reorg.
CREATE TABLE indexer_blocks (
    chain_id     bigint NOT NULL,
    number       bigint NOT NULL CHECK (number >= 0),
    hash         text   NOT NULL,
    parent_hash  text   NOT NULL,
    PRIMARY KEY (chain_id, number)
);

CREATE TYPE observation_state AS ENUM (
    'pending',    -- detected: a pending ledger transfer waits for finality
    'credited',   -- final and canonical: the pending transfer is posted
    'orphaned',   -- a reorg removed the block before finality: the pending transfer is voided
    'exception',  -- money the payment did not ask for (wrong token): kept in deposit_exceptions
    'applied',    -- an escrow contract event applied to its payment at finality
    'rejected');  -- an event that could not be applied (see note)

-- Every matched event, keyed by where it was seen. The ledger transfer id of a deposit is derived
-- from the same key (ledger.ObservationID), so seeing it again can never credit twice.
CREATE TABLE indexer_observations (
    chain_id      bigint            NOT NULL,
    block_hash    text              NOT NULL,
    tx_hash       text              NOT NULL,
    log_index     bigint            NOT NULL,
    block_number  bigint            NOT NULL,
    kind          text              NOT NULL, -- fee_proxy, native_fee_proxy, transfer, native, escrow_funded, …
    payment_id    uuid              REFERENCES payments (id),
    token_address text              NOT NULL DEFAULT '',
    amount        numeric(78,0)     NOT NULL DEFAULT 0,
    state         observation_state NOT NULL,
    transfer_id   uuid,             -- the pending deposit transfer, when there is one
    note          text              NOT NULL DEFAULT '',
    created_at    timestamptz       NOT NULL DEFAULT now(),
    updated_at    timestamptz       NOT NULL DEFAULT now(),
    PRIMARY KEY (chain_id, block_hash, tx_hash, log_index)
);
CREATE INDEX indexer_observations_open ON indexer_observations (chain_id, block_number) WHERE state = 'pending';

-- Payments whose chain should be looked at again (a Request Network webhook hint, an operator):
-- the payment_check job writes them, the chain's indexer works them.
CREATE TABLE indexer_rescans (
    payment_id    uuid        NOT NULL REFERENCES payments (id),
    chain_id      bigint      NOT NULL,
    why           text        NOT NULL DEFAULT '',
    requested_at  timestamptz NOT NULL DEFAULT now(),
    done_at       timestamptz,
    PRIMARY KEY (payment_id, requested_at)
);
CREATE INDEX indexer_rescans_open ON indexer_rescans (chain_id) WHERE done_at IS NULL;

-- +goose Down
DROP TABLE indexer_rescans;
DROP TABLE indexer_observations;
DROP TYPE observation_state;
DROP TABLE indexer_blocks;
DROP TABLE indexer_checkpoints;

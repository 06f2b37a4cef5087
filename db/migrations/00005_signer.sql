-- +goose Up
-- The custody signer's tables (package signer; see docs/signer.md) and its restricted role.
--
-- The signer takes work only from signer_intents. Intents are created by the privileged side
-- (worker jobs, admin commands, later the API), approvals are written by the custody flow; the
-- signer, connected as amn_signer, can read them, read payments and the ledger, move an intent's
-- state, and write its own tables (nonces, transaction attempts, audit log). Nothing else: it
-- cannot create intents, add approvals, or touch payments, the ledger or the job queue.

CREATE TYPE signer_intent_kind AS ENUM ('sweep', 'release', 'refund', 'gas_topup');
CREATE TYPE signer_intent_state AS ENUM (
    'pending',             -- ready for the signer to verify
    'awaiting_approvals',  -- release/refund waiting for custodian approvals
    'approved',            -- the signer verified everything
    'signing',             -- transactions are being signed and broadcast
    'broadcast',           -- the last transaction is out, waiting for finality
    'confirmed',           -- final on chain
    'done',                -- the signer has finished with it
    'rejected');           -- a check failed (reason says which); nothing was signed for it

CREATE TABLE signer_intents (
    id               uuid                PRIMARY KEY,
    kind             signer_intent_kind  NOT NULL,
    payment_id       uuid                REFERENCES payments (id),
    chain_id         bigint              NOT NULL CHECK (chain_id > 0),
    contract         text                NOT NULL CHECK (contract ~ '^0x[0-9a-f]{40}$'), -- AmnEscrow
    token            text                NOT NULL CHECK (token ~ '^0x[0-9a-f]{40}$'),
    -- What the intent pays where (release: seller + fee recipient; refund: buyer; sweep: buyer and
    -- seller recorded in the escrow, amount funded; gas_topup: recipient gets amount wei).
    seller           text                CHECK (seller ~ '^0x[0-9a-f]{40}$'),
    seller_amount    numeric(78,0)       CHECK (seller_amount >= 0),
    fee_recipient    text                CHECK (fee_recipient ~ '^0x[0-9a-f]{40}$'),
    fee_amount       numeric(78,0)       CHECK (fee_amount >= 0),
    buyer            text                CHECK (buyer ~ '^0x[0-9a-f]{40}$'),
    amount           numeric(78,0)       CHECK (amount >= 0),
    resolves_dispute boolean             NOT NULL DEFAULT false,
    deadline         bigint              NOT NULL DEFAULT 0 CHECK (deadline >= 0), -- unix seconds (approvals)
    state            signer_intent_state NOT NULL,
    reason           text                NOT NULL DEFAULT '',
    requested_by     text                NOT NULL DEFAULT '',
    created_at       timestamptz         NOT NULL DEFAULT now(),
    updated_at       timestamptz         NOT NULL DEFAULT now(),
    signed_at        timestamptz,        -- when the first transaction was signed (daily limits)
    gas_used         bigint              NOT NULL DEFAULT 0 CHECK (gas_used >= 0),
    gas_cost         numeric(78,0)       NOT NULL DEFAULT 0 CHECK (gas_cost >= 0), -- wei
    CONSTRAINT signer_intents_rejected_reason CHECK (state <> 'rejected' OR reason <> '')
);
-- At most one open money-moving intent per payment: a hundred concurrent release requests make
-- one intent, and a payment cannot be released and refunded at once.
CREATE UNIQUE INDEX signer_intents_one_open ON signer_intents (payment_id)
    WHERE kind IN ('sweep', 'release', 'refund') AND state NOT IN ('done', 'rejected');
CREATE INDEX signer_intents_open ON signer_intents (state, created_at) WHERE state NOT IN ('done', 'rejected');

-- Custodian keys known to the platform; hardware = enrolled as held on a hardware wallet (the
-- custody enrolment flow sets it). With AMN_CUSTODY_REQUIRE_HARDWARE=true the signer counts
-- approvals only from hardware = true rows. The on-chain custodian set stays the authority on who
-- is a custodian at all.
CREATE TABLE custodians (
    address      text        PRIMARY KEY CHECK (address ~ '^0x[0-9a-f]{40}$'),
    label        text        NOT NULL DEFAULT '',
    hardware     boolean     NOT NULL DEFAULT false,
    enrolled_at  timestamptz NOT NULL DEFAULT now()
);

-- One custodian signature over an intent's EIP-712 Release/Refund digest.
CREATE TABLE custody_approvals (
    intent_id   uuid        NOT NULL REFERENCES signer_intents (id),
    signer      text        NOT NULL CHECK (signer ~ '^0x[0-9a-f]{40}$'),
    signature   bytea       NOT NULL CHECK (length(signature) = 65),
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (intent_id, signer)
);

-- The next nonce the signer will use per (chain, sender): reserved in the same transaction that
-- stores the signed transaction, so nonces survive restarts and never leave gaps.
CREATE TABLE signer_nonces (
    chain_id    bigint NOT NULL,
    sender      text   NOT NULL CHECK (sender ~ '^0x[0-9a-f]{40}$'),
    next_nonce  bigint NOT NULL CHECK (next_nonce >= 0),
    PRIMARY KEY (chain_id, sender)
);

CREATE TYPE signer_tx_state AS ENUM ('signed', 'broadcast', 'replaced', 'mined', 'confirmed', 'failed');

-- Every transaction attempt. Attempts of one (chain, sender, nonce) carry the same payload
-- (to, value, data, gas); only their fees differ.
CREATE TABLE signer_txs (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    intent_id     uuid            NOT NULL REFERENCES signer_intents (id),
    step          text            NOT NULL,   -- gas_topup, approve, fund, release, refund
    chain_id      bigint          NOT NULL,
    sender        text            NOT NULL CHECK (sender ~ '^0x[0-9a-f]{40}$'),
    nonce         bigint          NOT NULL CHECK (nonce >= 0),
    attempt       integer         NOT NULL CHECK (attempt >= 1),
    to_address    text            NOT NULL CHECK (to_address ~ '^0x[0-9a-f]{40}$'),
    value         numeric(78,0)   NOT NULL CHECK (value >= 0),
    data          bytea           NOT NULL,
    gas           bigint          NOT NULL CHECK (gas > 0),
    tip_cap       numeric(78,0)   NOT NULL,
    fee_cap       numeric(78,0)   NOT NULL,
    hash          text            NOT NULL UNIQUE CHECK (hash ~ '^0x[0-9a-f]{64}$'),
    raw           bytea           NOT NULL,
    state         signer_tx_state NOT NULL,
    block_number  bigint,
    gas_used      bigint,
    effective_gas_price numeric(78,0),
    created_at    timestamptz     NOT NULL DEFAULT now(),
    updated_at    timestamptz     NOT NULL DEFAULT now(),
    UNIQUE (chain_id, sender, nonce, attempt)
);
CREATE INDEX signer_txs_intent ON signer_txs (intent_id, id);

-- A nonce is never reused for another payload: every attempt of (chain, sender, nonce) must carry
-- the first attempt's intent, recipient, value, data and gas (only fees may change).
-- +goose StatementBegin
CREATE FUNCTION signer_txs_same_payload() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM signer_txs t WHERE t.chain_id = NEW.chain_id AND t.sender = NEW.sender AND t.nonce = NEW.nonce
               AND (t.intent_id, t.to_address, t.value, t.data, t.gas) IS DISTINCT FROM
                   (NEW.intent_id, NEW.to_address, NEW.value, NEW.data, NEW.gas)) THEN
        RAISE EXCEPTION 'nonce % of % on chain % is already used for another payload', NEW.nonce, NEW.sender, NEW.chain_id
            USING ERRCODE = 'unique_violation', CONSTRAINT = 'signer_txs_same_payload';
    END IF;
    RETURN NEW;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER signer_txs_same_payload BEFORE INSERT OR UPDATE OF chain_id, sender, nonce, intent_id, to_address, value, data, gas
    ON signer_txs FOR EACH ROW EXECUTE FUNCTION signer_txs_same_payload();
CREATE INDEX signer_txs_open ON signer_txs (state) WHERE state IN ('signed', 'broadcast', 'mined');

-- Hash-chained audit log: hash = sha256(prev_hash ‖ seq ‖ event ‖ intent ‖ detail ‖ at). Only
-- ever appended (amn_signer may insert and read, never update or delete).
CREATE TABLE signer_audit (
    seq        bigint      PRIMARY KEY CHECK (seq >= 1),
    prev_hash  bytea       NOT NULL CHECK (length(prev_hash) = 32),
    hash       bytea       NOT NULL UNIQUE CHECK (length(hash) = 32),
    event      text        NOT NULL,
    intent_id  uuid,
    detail     text        NOT NULL DEFAULT '',
    at         timestamptz NOT NULL
);

-- The role. Roles are cluster-wide: create it once, tolerate a concurrent creator (test databases
-- migrate in parallel). NOLOGIN: a login user is made a member of it (see docs/signer.md), and the
-- signer runs SET ROLE amn_signer on every connection.
-- +goose StatementBegin
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'amn_signer') THEN
        BEGIN
            CREATE ROLE amn_signer NOLOGIN;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
        END;
    END IF;
END
$$;
-- +goose StatementEnd

GRANT USAGE ON SCHEMA public TO amn_signer;
GRANT SELECT ON signer_intents, custody_approvals, custodians, payments, payment_timeline,
    ledger_accounts, ledger_transfers, ledger_pending, ledger_entries TO amn_signer;
GRANT UPDATE (state, reason, updated_at, signed_at, gas_used, gas_cost) ON signer_intents TO amn_signer;
GRANT SELECT, INSERT, UPDATE ON signer_nonces, signer_txs TO amn_signer;
GRANT SELECT, INSERT ON signer_audit TO amn_signer;
GRANT SELECT, INSERT, UPDATE ON process_heartbeat TO amn_signer; -- its heartbeat

-- +goose Down
REVOKE ALL ON signer_intents, custody_approvals, custodians, payments, payment_timeline,
    ledger_accounts, ledger_transfers, ledger_pending, ledger_entries, signer_nonces, signer_txs,
    signer_audit, process_heartbeat FROM amn_signer;
REVOKE USAGE ON SCHEMA public FROM amn_signer;
DROP TABLE signer_audit;
DROP TABLE signer_txs;
DROP FUNCTION signer_txs_same_payload();
DROP TYPE signer_tx_state;
DROP TABLE signer_nonces;
DROP TABLE custody_approvals;
DROP TABLE custodians;
DROP TABLE signer_intents;
DROP TYPE signer_intent_state;
DROP TYPE signer_intent_kind;

-- +goose Up
-- The double-entry funds ledger (package ledger; see docs/ledger.md). TigerBeetle's model: every
-- movement is a transfer from one account to another of the same ledger (chain × token), and each
-- account keeps four running totals. Only package ledger writes these tables; the constraints
-- below are a second line behind its code, not a substitute for it.

CREATE TYPE ledger_pending_state AS ENUM ('open', 'posted', 'voided', 'expired');

CREATE TABLE ledger_accounts (
    id              uuid          PRIMARY KEY,
    ledger          text          NOT NULL CHECK (ledger ~ '^[a-z0-9_-]{1,32}:[A-Za-z0-9._-]{1,32}$'),
    code            integer       NOT NULL CHECK (code BETWEEN 1 AND 65535),
    owner_ref       text          NOT NULL DEFAULT '',
    debits_must_not_exceed_credits boolean NOT NULL DEFAULT false,
    credits_must_not_exceed_debits boolean NOT NULL DEFAULT false,
    debits_pending  numeric(78,0) NOT NULL DEFAULT 0 CHECK (debits_pending >= 0),
    debits_posted   numeric(78,0) NOT NULL DEFAULT 0 CHECK (debits_posted >= 0),
    credits_pending numeric(78,0) NOT NULL DEFAULT 0 CHECK (credits_pending >= 0),
    credits_posted  numeric(78,0) NOT NULL DEFAULT 0 CHECK (credits_posted >= 0),
    -- The number of entries written for this account: the Seq of its last entry.
    entry_seq       bigint        NOT NULL DEFAULT 0 CHECK (entry_seq >= 0),
    created_at      timestamptz   NOT NULL DEFAULT now(),
    -- Lets transfers reference (account, ledger) so that both sides of a transfer share a ledger.
    CONSTRAINT ledger_accounts_id_ledger_key UNIQUE (id, ledger),
    CONSTRAINT ledger_accounts_one_limit CHECK (NOT (debits_must_not_exceed_credits AND credits_must_not_exceed_debits)),
    CONSTRAINT ledger_accounts_debits_within_credits CHECK (
        NOT debits_must_not_exceed_credits OR debits_pending + debits_posted <= credits_posted),
    CONSTRAINT ledger_accounts_credits_within_debits CHECK (
        NOT credits_must_not_exceed_debits OR credits_pending + credits_posted <= debits_posted)
) WITH (fillfactor = 70); -- room for HOT updates: only the balances change

-- Transfers are immutable once written.
CREATE TABLE ledger_transfers (
    id                uuid          PRIMARY KEY,  -- the caller's idempotency key
    ledger            text          NOT NULL,
    debit_account_id  uuid          NOT NULL,
    credit_account_id uuid          NOT NULL,
    amount            numeric(78,0) NOT NULL CONSTRAINT ledger_transfers_amount_positive CHECK (amount > 0),
    pending_id        uuid,         -- checked by ledger_transfers_check
    code              integer       NOT NULL CHECK (code BETWEEN 1 AND 65535),
    pending           boolean       NOT NULL,
    post_pending      boolean       NOT NULL,
    void_pending      boolean       NOT NULL,
    linked            boolean       NOT NULL,
    timeout_ms        bigint        NOT NULL DEFAULT 0 CHECK (timeout_ms >= 0),
    expires_at        timestamptz,
    payment_ref       text,
    observation_ref   text,
    created_at        timestamptz   NOT NULL,
    CONSTRAINT ledger_transfers_distinct_accounts CHECK (debit_account_id <> credit_account_id),
    CONSTRAINT ledger_transfers_one_kind CHECK (pending::int + post_pending::int + void_pending::int <= 1),
    CONSTRAINT ledger_transfers_resolves_pending CHECK ((post_pending OR void_pending) = (pending_id IS NOT NULL)),
    CONSTRAINT ledger_transfers_timeout CHECK ((timeout_ms > 0) = (expires_at IS NOT NULL) AND (timeout_ms = 0 OR pending))
);
-- The foreign keys of a transfer, checked once per INSERT statement over all its rows rather than
-- by a row trigger per key (which cost a third of a batch's time): both accounts exist in the
-- transfer's ledger, and a post or void names a pending transfer between the same accounts for at
-- least its amount. The correlated subqueries are index lookups whatever the table sizes.
-- +goose StatementBegin
CREATE FUNCTION ledger_transfers_check() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    bad record;
BEGIN
    SELECT n.id, n.ledger INTO bad FROM ledger_new_transfers n
    WHERE (SELECT a.ledger FROM ledger_accounts a WHERE a.id = n.debit_account_id) IS DISTINCT FROM n.ledger
       OR (SELECT a.ledger FROM ledger_accounts a WHERE a.id = n.credit_account_id) IS DISTINCT FROM n.ledger
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'ledger transfer %: an account is missing or not in ledger %', bad.id, bad.ledger
            USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'ledger_transfers_same_ledger';
    END IF;
    SELECT n.id INTO bad FROM ledger_new_transfers n
    WHERE n.pending_id IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM ledger_transfers p
        WHERE p.id = n.pending_id AND p.pending AND p.ledger = n.ledger AND p.amount >= n.amount
          AND p.debit_account_id = n.debit_account_id AND p.credit_account_id = n.credit_account_id)
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'ledger transfer %: pending_id names no pending transfer it can resolve', bad.id
            USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'ledger_transfers_pending_id';
    END IF;
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER ledger_transfers_check AFTER INSERT ON ledger_transfers
    REFERENCING NEW TABLE AS ledger_new_transfers FOR EACH STATEMENT EXECUTE FUNCTION ledger_transfers_check();

-- Accounts are never deleted, and their id and ledger never change, so the check above holds.
-- +goose StatementBegin
CREATE FUNCTION ledger_accounts_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'ledger account %: accounts are never deleted and never change ledger', OLD.id
        USING ERRCODE = 'restrict_violation';
END $$;
-- +goose StatementEnd
CREATE TRIGGER ledger_accounts_immutable BEFORE DELETE OR UPDATE OF id, ledger ON ledger_accounts
    FOR EACH ROW EXECUTE FUNCTION ledger_accounts_immutable();

-- A pending transfer is resolved at most once.
CREATE UNIQUE INDEX ledger_transfers_pending_id_key ON ledger_transfers (pending_id) WHERE pending_id IS NOT NULL;
CREATE INDEX ledger_transfers_payment_ref_idx ON ledger_transfers (payment_ref) WHERE payment_ref IS NOT NULL;

-- Where each pending transfer stands; the one mutable fact about a transfer.
CREATE TABLE ledger_pending (
    transfer_id uuid                 PRIMARY KEY REFERENCES ledger_transfers (id),
    expires_at  timestamptz,
    state       ledger_pending_state NOT NULL,
    resolved_by uuid                 REFERENCES ledger_transfers (id),
    CONSTRAINT ledger_pending_resolved CHECK ((state = 'open') = (resolved_by IS NULL))
);
CREATE INDEX ledger_pending_expiry_idx ON ledger_pending (expires_at) WHERE state = 'open' AND expires_at IS NOT NULL;

-- One row per change of one balance of one account. An account's entries in seq order replay its
-- balances from zero. No foreign keys here, for write speed: ledger.Check verifies that every
-- entry belongs to a transfer and an account and that the chains add up.
CREATE TABLE ledger_entries (
    account_id     uuid           NOT NULL,
    seq            bigint         NOT NULL CHECK (seq > 0),
    transfer_id    uuid           NOT NULL,
    -- Which balance: 1 debits_pending, 2 debits_posted, 3 credits_pending, 4 credits_posted
    -- (ledger.Field). A smallint rather than an enum so that batches can be written with COPY.
    field          smallint       NOT NULL CHECK (field BETWEEN 1 AND 4),
    amount         numeric(78,0)  NOT NULL CHECK (amount <> 0),
    balance_before numeric(78,0)  NOT NULL CHECK (balance_before >= 0),
    balance_after  numeric(78,0)  NOT NULL CHECK (balance_after >= 0),
    PRIMARY KEY (account_id, seq),
    CONSTRAINT ledger_entries_adds_up CHECK (balance_after = balance_before + amount)
);

-- +goose Down
DROP TABLE ledger_entries;
DROP TABLE ledger_pending;
DROP TABLE ledger_transfers;
DROP TABLE ledger_accounts;
DROP FUNCTION ledger_transfers_check();
DROP FUNCTION ledger_accounts_immutable();
DROP TYPE ledger_pending_state;

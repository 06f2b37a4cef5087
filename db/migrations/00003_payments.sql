-- +goose Up
-- Payments: what a buyer owes for an accepted offer, where it must be paid, and where it stands
-- (package payment; see docs/payments.md). Amounts are token base units.

-- One sequence for every chain, so that a deposit address (derived from the platform xpub at this
-- index) belongs to exactly one payment anywhere: money sent on the wrong chain or in the wrong
-- token still lands on an address that names its payment.
CREATE SEQUENCE deposit_index_seq AS bigint MINVALUE 0 START 0 MAXVALUE 2147483647 NO CYCLE;

CREATE TYPE payment_state AS ENUM (
    'awaiting_payment', 'detected', 'funded', 'underpaid', 'overpaid', 'expired', 'late',
    'sweeping', 'in_escrow', 'release_pending', 'releasing', 'released',
    'refund_pending', 'refunding', 'refunded', 'disputed');

CREATE TABLE payments (
    id               uuid          PRIMARY KEY,
    buyer_ref        text          NOT NULL CHECK (buyer_ref <> ''),
    offer_ref        text          NOT NULL CHECK (offer_ref <> ''),
    seller_address   text          NOT NULL CHECK (seller_address ~ '^0x[0-9a-f]{40}$'),
    buyer_address    text          CHECK (buyer_address ~ '^0x[0-9a-f]{40}$'),
    chain_id         bigint        NOT NULL CHECK (chain_id > 0),
    ledger           text          NOT NULL,                 -- e.g. bsc:USDT
    token_address    text          NOT NULL CHECK (token_address ~ '^0x[0-9a-f]{40}$'),
    token_decimals   smallint      NOT NULL CHECK (token_decimals BETWEEN 0 AND 36),
    amount           numeric(78,0) NOT NULL CHECK (amount > 0),       -- due at the deposit address
    fee              numeric(78,0) NOT NULL DEFAULT 0 CHECK (fee >= 0),  -- RN fee, paid to fee_address beside it
    fee_address      text          NOT NULL CHECK (fee_address ~ '^0x[0-9a-f]{40}$'),
    commission       numeric(78,0) NOT NULL DEFAULT 0 CHECK (commission >= 0), -- taken from escrow on release
    tolerance        numeric(78,0) NOT NULL DEFAULT 0 CHECK (tolerance >= 0),  -- accepted underpayment
    received         numeric(78,0) NOT NULL DEFAULT 0 CHECK (received >= 0),   -- confirmed at finality
    pending_amount   numeric(78,0) NOT NULL DEFAULT 0 CHECK (pending_amount >= 0), -- seen, not final yet
    pending_count    integer       NOT NULL DEFAULT 0 CHECK (pending_count >= 0),
    paid_late        boolean       NOT NULL DEFAULT false,   -- money first seen after expires_at
    deposit_index    bigint        NOT NULL UNIQUE CHECK (deposit_index BETWEEN 0 AND 2147483647),
    deposit_address  text          NOT NULL UNIQUE CHECK (deposit_address ~ '^0x[0-9a-f]{40}$'),
    request_id       text          NOT NULL,
    salt             text          NOT NULL,
    reference        bytea         NOT NULL CHECK (length(reference) = 8),
    state            payment_state NOT NULL DEFAULT 'awaiting_payment',
    disputed_from    payment_state,          -- where a dispute froze it
    expires_at       timestamptz   NOT NULL,
    watch_until      timestamptz   NOT NULL, -- late payments are still watched until then
    -- Ledger accounts of this payment (package ledger).
    deposit_account  uuid          NOT NULL REFERENCES ledger_accounts (id),
    created_at       timestamptz   NOT NULL DEFAULT now(),
    updated_at       timestamptz   NOT NULL DEFAULT now(),
    CONSTRAINT payments_one_per_buyer_offer_chain UNIQUE (buyer_ref, offer_ref, chain_id),
    CONSTRAINT payments_reference_per_chain UNIQUE (chain_id, reference),
    CONSTRAINT payments_watch_after_expiry CHECK (watch_until >= expires_at),
    CONSTRAINT payments_disputed_from CHECK ((state = 'disputed') = (disputed_from IS NOT NULL))
);
CREATE INDEX payments_state_expires ON payments (state, expires_at);
CREATE INDEX payments_watch ON payments (chain_id, watch_until);

-- Every transition of a payment, in order: who or what moved it, from where to where, and why.
CREATE TABLE payment_timeline (
    payment_id  uuid          NOT NULL REFERENCES payments (id),
    seq         integer       NOT NULL,
    from_state  payment_state,
    to_state    payment_state NOT NULL,
    event       text          NOT NULL,
    actor       text          NOT NULL,
    reason      text          NOT NULL DEFAULT '',
    at          timestamptz   NOT NULL DEFAULT now(),
    PRIMARY KEY (payment_id, seq)
);

-- Money that reached a deposit address in a way its payment did not ask for (another chain, another
-- token): kept for recovery, never lost and never credited as the payment.
CREATE TABLE deposit_exceptions (
    id              bigserial     PRIMARY KEY,
    payment_id      uuid          NOT NULL REFERENCES payments (id),
    chain_id        bigint        NOT NULL,
    token_address   text          NOT NULL,  -- '' for the native currency
    amount          numeric(78,0) NOT NULL CHECK (amount > 0),
    tx_hash         text          NOT NULL,
    log_index       bigint        NOT NULL,
    reason          text          NOT NULL,
    resolved_at     timestamptz,
    created_at      timestamptz   NOT NULL DEFAULT now(),
    UNIQUE (chain_id, tx_hash, log_index)
);

-- Request Network webhook deliveries already taken, by their delivery id (the idempotency key).
CREATE TABLE webhook_deliveries (
    delivery_id  text          PRIMARY KEY,
    event        text          NOT NULL,
    payment_ref  text          NOT NULL DEFAULT '',
    received_at  timestamptz   NOT NULL DEFAULT now()
);

-- +goose Down
DROP TABLE webhook_deliveries;
DROP TABLE deposit_exceptions;
DROP TABLE payment_timeline;
DROP TABLE payments;
DROP TYPE payment_state;
DROP SEQUENCE deposit_index_seq;

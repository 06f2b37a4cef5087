-- +goose Up
-- What the legacy MongoDB import writes into the packages' own tables, each owned by its package
-- and written only through that package's Import* entry points (docs/import.md).

-- market: an imported request or offer is "legacy": a deal of the old backend whose payment is a
-- history record (payment_legacy), not a payment here. Such a request may be in a paid status
-- without a payment_id (the worker follows only requests with one), and a legacy offer or
-- template has no signed payout address (none was ever signed; a legacy offer is never
-- acceptable, a legacy template never active).
ALTER TABLE market_requests ADD COLUMN legacy boolean NOT NULL DEFAULT false;
ALTER TABLE market_requests DROP CONSTRAINT market_requests_check2;
ALTER TABLE market_requests ADD CONSTRAINT market_requests_paid_has_payment
    CHECK (legacy OR status NOT IN ('payment', 'pending_payment', 'processing', 'delivery', 'delivered', 'confirming', 'completed') OR payment_id IS NOT NULL);
ALTER TABLE market_offers ADD COLUMN legacy boolean NOT NULL DEFAULT false,
    ALTER COLUMN payout_address DROP NOT NULL, ALTER COLUMN payout_signature DROP NOT NULL,
    ADD CONSTRAINT market_offers_payout CHECK ((payout_address IS NOT NULL AND payout_signature IS NOT NULL) OR (legacy AND status <> 'pending'));
ALTER TABLE market_templates ADD COLUMN legacy boolean NOT NULL DEFAULT false,
    ALTER COLUMN payout_address DROP NOT NULL, ALTER COLUMN payout_signature DROP NOT NULL,
    ADD CONSTRAINT market_templates_payout CHECK ((payout_address IS NOT NULL AND payout_signature IS NOT NULL) OR (legacy AND NOT active));

-- payment: the old backend's payments, as history. Nothing here moves money or is followed on
-- chain; an open one (funds held) is listed for an operator by the import, never guessed at.
CREATE TABLE payment_legacy (
    id           uuid PRIMARY KEY,
    request_id   uuid,
    buyer_id     uuid REFERENCES users (id),
    seller_id    uuid REFERENCES users (id),
    amount       numeric(78, 0) NOT NULL CHECK (amount >= 0),
    token_symbol text NOT NULL CHECK (token_symbol ~ '^[A-Za-z0-9]{1,16}$'),
    chain_key    text NOT NULL CHECK (chain_key ~ '^[a-z0-9_-]{1,32}$'),
    old_status   text NOT NULL CHECK (length(old_status) BETWEEN 1 AND 64),
    state        text NOT NULL CHECK (state IN ('unpaid', 'held', 'released', 'refunded', 'failed', 'cancelled')),
    provider     text NOT NULL DEFAULT '' CHECK (length(provider) <= 64),
    provider_ids jsonb NOT NULL DEFAULT '{}',
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL
);
CREATE INDEX payment_legacy_request ON payment_legacy (request_id);

-- points: the old PointTransaction history (the balance itself is the opening transfer in the
-- ledger); an imported referral is 'legacy' (its reward, if any, is in the opening balance and is
-- never paid again).
CREATE TABLE points_legacy_history (
    id         uuid PRIMARY KEY,
    user_id    uuid NOT NULL REFERENCES users (id),
    amount     bigint NOT NULL,
    kind       text NOT NULL CHECK (length(kind) BETWEEN 1 AND 64),
    reason     text NOT NULL DEFAULT '' CHECK (length(reason) <= 500),
    created_at timestamptz NOT NULL
);
CREATE INDEX points_legacy_history_user ON points_legacy_history (user_id, created_at DESC, id DESC);
ALTER TABLE points_memos DROP CONSTRAINT points_memos_kind_check,
    ADD CONSTRAINT points_memos_kind_check CHECK (kind IN ('deal', 'referral', 'admin_grant', 'reversal', 'spend', 'expiry', 'opening'));
ALTER TABLE points_referrals DROP CONSTRAINT points_referrals_status_check,
    ADD CONSTRAINT points_referrals_status_check CHECK (status IN ('pending', 'rewarded', 'over_limit', 'reversed', 'legacy'));

-- auth: a passkey registered with the old backend names its user with the old user handle (the
-- old user id's bytes), which is kept so a sign-in with it finds its user.
ALTER TABLE auth_passkeys ADD COLUMN legacy_user_handle bytea CHECK (length(legacy_user_handle) BETWEEN 1 AND 64);

-- +goose Down
ALTER TABLE auth_passkeys DROP COLUMN legacy_user_handle;
DELETE FROM points_referrals WHERE status = 'legacy';
ALTER TABLE points_referrals DROP CONSTRAINT points_referrals_status_check,
    ADD CONSTRAINT points_referrals_status_check CHECK (status IN ('pending', 'rewarded', 'over_limit', 'reversed'));
DELETE FROM points_memos WHERE kind = 'opening';
ALTER TABLE points_memos DROP CONSTRAINT points_memos_kind_check,
    ADD CONSTRAINT points_memos_kind_check CHECK (kind IN ('deal', 'referral', 'admin_grant', 'reversal', 'spend', 'expiry'));
DROP TABLE points_legacy_history, payment_legacy;
-- Fails while legacy rows exist: an imported database is not rolled back past its import.
ALTER TABLE market_templates DROP CONSTRAINT market_templates_payout, DROP COLUMN legacy,
    ALTER COLUMN payout_address SET NOT NULL, ALTER COLUMN payout_signature SET NOT NULL;
ALTER TABLE market_offers DROP CONSTRAINT market_offers_payout, DROP COLUMN legacy,
    ALTER COLUMN payout_address SET NOT NULL, ALTER COLUMN payout_signature SET NOT NULL;
ALTER TABLE market_requests DROP CONSTRAINT market_requests_paid_has_payment, DROP COLUMN legacy;
ALTER TABLE market_requests ADD CONSTRAINT market_requests_check2
    CHECK (status NOT IN ('payment', 'pending_payment', 'processing', 'delivery', 'delivered', 'confirming', 'completed') OR payment_id IS NOT NULL);

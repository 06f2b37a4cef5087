-- +goose Up
-- Points and referrals (package points owns every points_ table; docs/points.md). Balances are not
-- here: they are accounts of the ledger "amn:POINTS" (ledger_accounts), moved only by transfers
-- with derived ids. These tables hold what the books cannot: referral codes and who referred whom,
-- admins' adjustments awaiting the worker, what each points transfer was for, and how far the
-- worker followed the market's settled deals.

-- Each user's referral code, made the first time it is asked for.
CREATE TABLE points_codes (
    user_id    uuid PRIMARY KEY REFERENCES users (id),
    code       text NOT NULL UNIQUE CHECK (code ~ '^[0-9A-Z]{8}$'),
    created_at timestamptz NOT NULL DEFAULT now()
);

-- Who referred whom, recorded at sign-up. The referrer's reward is pending until the referred
-- user's first deal completes on chain (then rewarded, with the reward's ledger transfer); a
-- referral past the referrer's daily limit is recorded as over_limit and never rewarded.
CREATE TABLE points_referrals (
    referred_id     uuid PRIMARY KEY REFERENCES users (id),
    referrer_id     uuid NOT NULL REFERENCES users (id),
    status          text NOT NULL CHECK (status IN ('pending', 'rewarded', 'over_limit')),
    created_at      timestamptz NOT NULL DEFAULT now(),
    rewarded_at     timestamptz,
    reward_transfer uuid,
    CHECK (referred_id <> referrer_id),
    CHECK ((status = 'rewarded') = (reward_transfer IS NOT NULL AND rewarded_at IS NOT NULL))
);
CREATE INDEX points_referrals_referrer ON points_referrals (referrer_id, created_at DESC, referred_id DESC);

-- Admins' grants and reversals, with their reason: the API records them (it never writes the
-- books), the worker books them. A grant's id is the admin's idempotency id; a transfer is
-- reversed at most once, whoever asks.
CREATE TABLE points_adjustments (
    id         uuid PRIMARY KEY,
    kind       text NOT NULL CHECK (kind IN ('grant', 'reversal')),
    user_id    uuid NOT NULL REFERENCES users (id),
    amount     bigint CHECK (amount > 0),
    target     uuid UNIQUE,
    reason     text NOT NULL CHECK (length(reason) BETWEEN 3 AND 500),
    admin_id   uuid NOT NULL REFERENCES users (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    booked_at  timestamptz,
    refused    text CHECK (length(refused) <= 500),
    CHECK ((kind = 'grant') = (amount IS NOT NULL AND target IS NULL))
);
CREATE INDEX points_adjustments_due ON points_adjustments (created_at, id) WHERE booked_at IS NULL AND refused IS NULL;

-- What each points transfer was for: the words of a user's history (the amounts are the ledger's).
CREATE TABLE points_memos (
    transfer_id uuid PRIMARY KEY,
    user_id     uuid NOT NULL,
    kind        text NOT NULL CHECK (kind IN ('deal', 'referral', 'admin_grant', 'reversal', 'spend')),
    request_id  uuid,
    reason      text NOT NULL DEFAULT '' CHECK (length(reason) <= 500),
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- How far the worker followed the market's settled deals (market.SettledCursor).
CREATE TABLE points_cursor (
    name       text PRIMARY KEY,
    tx         bigint NOT NULL,
    request_id uuid NOT NULL,
    seq        int NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- The market's settled deals, in commit order (package market owns the column): tx is the id of
-- the transaction that wrote the event. A reader takes only events of transactions older than
-- every one still running (pg_snapshot_xmin), so a cursor over (tx, request_id, seq) never skips
-- an event that commits late.
ALTER TABLE market_events ADD COLUMN tx bigint NOT NULL DEFAULT (pg_current_xact_id()::text::bigint);
CREATE INDEX market_events_settled ON market_events (tx, request_id, seq) WHERE event IN ('released', 'refunded');

GRANT SELECT, INSERT ON points_codes TO amn_api;
GRANT SELECT, INSERT ON points_referrals TO amn_api;
GRANT SELECT, INSERT ON points_adjustments TO amn_api;
GRANT SELECT ON points_memos TO amn_api;
-- The worker books deals, referral rewards and admins' adjustments.
GRANT SELECT, UPDATE (status, rewarded_at, reward_transfer) ON points_referrals TO amn_worker;
GRANT SELECT, UPDATE (booked_at, refused) ON points_adjustments TO amn_worker;
GRANT SELECT, INSERT ON points_memos TO amn_worker;
GRANT SELECT, INSERT, UPDATE (tx, request_id, seq, updated_at) ON points_cursor TO amn_worker;

-- +goose Down
DROP INDEX market_events_settled;
ALTER TABLE market_events DROP COLUMN tx;
DROP TABLE points_cursor, points_memos, points_adjustments, points_referrals, points_codes;

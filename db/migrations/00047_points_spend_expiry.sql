-- +goose Up
-- Points spending and expiry, and referral rewards taken back (package points, docs/points.md).

-- A user's spends, recorded by the API (which never writes the books) under the user's idempotency
-- key and booked by the worker as one transfer (id, derived from user and key) from the user's
-- points to their used points. A spend not yet booked holds its points: the API refuses a spend
-- beyond the available points less the held ones, under an advisory lock on the user that the
-- worker's bookings, reversals and expiries take too.
CREATE TABLE points_spends (
    id         uuid PRIMARY KEY,
    user_id    uuid NOT NULL REFERENCES users (id),
    key        text NOT NULL CHECK (key ~ '^[\x21-\x7e]{1,100}$'),
    amount     bigint NOT NULL CHECK (amount > 0),
    purpose    text NOT NULL CHECK (purpose ~ '^[a-z][a-z0-9_]{0,39}$'),
    created_at timestamptz NOT NULL,
    booked_at  timestamptz,
    refused    text CHECK (length(refused) <= 500),
    UNIQUE (user_id, key),
    CHECK (booked_at IS NULL OR refused IS NULL)
);
CREATE INDEX points_spends_due ON points_spends (created_at, id) WHERE booked_at IS NULL AND refused IS NULL;
CREATE INDEX points_spends_held ON points_spends (user_id) WHERE booked_at IS NULL AND refused IS NULL;

-- Expiry: how far each user's grants have been looked at (the newest grant's time that was due).
CREATE TABLE points_expiry (
    user_id    uuid PRIMARY KEY,
    through    timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
);
-- Grants by time, for the expiry's scan of grants that came due.
CREATE INDEX points_memos_grants ON points_memos (created_at, user_id) WHERE kind IN ('deal', 'referral', 'admin_grant');
CREATE INDEX points_memos_user ON points_memos (user_id);

ALTER TABLE points_memos DROP CONSTRAINT points_memos_kind_check;
ALTER TABLE points_memos ADD CONSTRAINT points_memos_kind_check
    CHECK (kind IN ('deal', 'referral', 'admin_grant', 'reversal', 'spend', 'expiry'));

-- A referral whose reward was taken back (the deal that earned it was refunded): reversed, never
-- rewarded again (its transfer id is one per referred user, ever).
ALTER TABLE points_referrals DROP CONSTRAINT points_referrals_status_check;
ALTER TABLE points_referrals DROP CONSTRAINT points_referrals_check1;
ALTER TABLE points_referrals ADD CONSTRAINT points_referrals_status_check
    CHECK (status IN ('pending', 'rewarded', 'over_limit', 'reversed'));
ALTER TABLE points_referrals ADD CONSTRAINT points_referrals_rewarded_check
    CHECK ((status IN ('rewarded', 'reversed')) = (reward_transfer IS NOT NULL AND rewarded_at IS NOT NULL));

GRANT SELECT, INSERT ON points_spends TO amn_api;
GRANT SELECT, UPDATE (booked_at, refused) ON points_spends TO amn_worker;
GRANT SELECT, INSERT, UPDATE (through, updated_at) ON points_expiry TO amn_worker;

-- +goose Down
ALTER TABLE points_referrals DROP CONSTRAINT points_referrals_rewarded_check;
ALTER TABLE points_referrals DROP CONSTRAINT points_referrals_status_check;
UPDATE points_referrals SET status = 'rewarded' WHERE status = 'reversed';
ALTER TABLE points_referrals ADD CONSTRAINT points_referrals_status_check CHECK (status IN ('pending', 'rewarded', 'over_limit'));
ALTER TABLE points_referrals ADD CONSTRAINT points_referrals_check1
    CHECK ((status = 'rewarded') = (reward_transfer IS NOT NULL AND rewarded_at IS NOT NULL));
ALTER TABLE points_memos DROP CONSTRAINT points_memos_kind_check;
DELETE FROM points_memos WHERE kind = 'expiry';
ALTER TABLE points_memos ADD CONSTRAINT points_memos_kind_check
    CHECK (kind IN ('deal', 'referral', 'admin_grant', 'reversal', 'spend'));
DROP INDEX points_memos_user;
DROP INDEX points_memos_grants;
DROP TABLE points_expiry, points_spends;

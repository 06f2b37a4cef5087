-- +goose Up
-- Points spends the API's login cannot forge as booked or refused (package points, docs/points.md):
-- it may insert only what a spend is (id, user, key, amount, purpose, time); booked_at and refused
-- are the worker's. An amount is one spend's (1 to points.MaxSpend): a row beyond it could only be
-- forged. Rows written before this migration are not checked (NOT VALID): the worker refuses an
-- unbooked one out of range, and the expiry's sums are numeric.
REVOKE INSERT ON points_spends FROM amn_api;
GRANT INSERT (id, user_id, key, amount, purpose, created_at) ON points_spends TO amn_api;
ALTER TABLE points_spends ADD CONSTRAINT points_spends_amount_range
    CHECK (amount BETWEEN 1 AND 1000000000) NOT VALID;

-- +goose Down
ALTER TABLE points_spends DROP CONSTRAINT points_spends_amount_range;
REVOKE INSERT (id, user_id, key, amount, purpose, created_at) ON points_spends FROM amn_api;
GRANT INSERT ON points_spends TO amn_api;

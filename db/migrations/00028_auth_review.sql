-- +goose Up
-- Fixes from the review of #16 (docs/auth.md). Package auth owns these tables.

-- A session from before an account's email was first proved is revoked when it is
-- (auth.firstVerification).
ALTER TABLE auth_sessions DROP CONSTRAINT auth_sessions_revoked_reason_check,
    ADD CONSTRAINT auth_sessions_revoked_reason_check
    CHECK (revoked_reason IN ('logout', 'logout_all', 'revoked', 'reuse', 'password_changed', 'banned', 'email_verified'));

-- Telegram sign-in data accepted once: `nonce` holds the SHA-256 of its hash until the data
-- would be too old to accept anyway (expires_at), so a replay within its age is refused.
ALTER TABLE auth_ceremonies DROP CONSTRAINT auth_ceremonies_purpose_check,
    ADD CONSTRAINT auth_ceremonies_purpose_check
    CHECK (purpose IN ('passkey_register', 'passkey_login', 'siwe', 'telegram'));

-- +goose Down
DELETE FROM auth_ceremonies WHERE purpose = 'telegram';
ALTER TABLE auth_ceremonies DROP CONSTRAINT auth_ceremonies_purpose_check,
    ADD CONSTRAINT auth_ceremonies_purpose_check CHECK (purpose IN ('passkey_register', 'passkey_login', 'siwe'));
UPDATE auth_sessions SET revoked_reason = 'revoked' WHERE revoked_reason = 'email_verified';
ALTER TABLE auth_sessions DROP CONSTRAINT auth_sessions_revoked_reason_check,
    ADD CONSTRAINT auth_sessions_revoked_reason_check
    CHECK (revoked_reason IN ('logout', 'logout_all', 'revoked', 'reuse', 'password_changed', 'banned'));

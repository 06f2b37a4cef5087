-- Telegram identities (sqlc; see ../doc.go). The subject of a Telegram identity is the Telegram
-- user id in decimal.

-- name: TelegramIdentityUser :one
-- The user a Telegram account signs in.
SELECT user_id FROM auth_identities WHERE provider = 'telegram' AND subject = $1;

-- name: CreateTelegramIdentity :execrows
-- Links a Telegram account to a user; 0 rows when the account is linked already (to anyone).
INSERT INTO auth_identities (provider, subject, user_id, profile)
VALUES ('telegram', $1, $2, $3)
ON CONFLICT (provider, subject) DO NOTHING;

-- name: TelegramIdentityOfUser :one
-- The Telegram account linked to a user, if any (a user has at most one).
SELECT subject FROM auth_identities WHERE provider = 'telegram' AND user_id = $1;

-- name: SetUserAvatar :exec
-- Sets the avatar of a user made by a Telegram sign-up (from Telegram's photo_url).
UPDATE users SET avatar_url = $2, updated_at = now() WHERE id = $1;

-- name: UseTelegramData :execrows
-- Records a piece of Telegram data as used (nonce: the SHA-256 of its hash) until it is too old to
-- be accepted anyway; 0 rows when it was used before: a replay.
INSERT INTO auth_ceremonies (id, purpose, nonce, expires_at, created_at)
VALUES (@id, 'telegram', @nonce, @expires_at, @now)
ON CONFLICT (nonce) DO NOTHING;

-- name: DeleteExpiredTelegramData :exec
-- Forgets used Telegram data that is too old to be accepted anyway.
DELETE FROM auth_ceremonies WHERE purpose = 'telegram' AND expires_at < @now;

-- name: DeleteIdentitiesOfUser :execrows
-- Unlinks every external identity (Telegram, Google) of a user (the first verification of an
-- email: see firstVerification).
DELETE FROM auth_identities WHERE user_id = $1;

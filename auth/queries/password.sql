-- Email + password sign-in and email codes (sqlc; see ../doc.go).

-- name: SetPasswordHash :exec
-- Replaces a user's password hash (a new password, or the upgrade of an old hash).
UPDATE users SET password_hash = @password_hash, updated_at = now() WHERE id = @id;

-- name: UpgradePasswordHash :execrows
-- Replaces an old hash with a current one of the same password, only if the account still has the
-- old hash: a password set meanwhile (a reset, a change) is never overwritten (0 rows).
UPDATE users SET password_hash = @new_hash, updated_at = now() WHERE id = @id AND password_hash = @old_hash;

-- name: MarkEmailVerified :exec
-- Records that the user proved the email is theirs (a code sent to it came back).
UPDATE users SET email_verified_at = coalesce(email_verified_at, @verified_at), updated_at = now() WHERE id = @id;

-- name: DeleteOldCodes :exec
-- Forgets a user's codes made before @before (kept a day: the caps below count them).
DELETE FROM auth_codes WHERE user_id = @user_id AND created_at < @before;

-- name: CreateCode :exec
INSERT INTO auth_codes (user_id, purpose, code_hash, expires_at, created_at)
VALUES (@user_id, @purpose, @code_hash, @expires_at, @created_at);

-- name: CodesIssuedSince :one
-- How many codes of a purpose a user was given since @since (the cap on codes mailed).
SELECT count(*) FROM auth_codes WHERE user_id = @user_id AND purpose = @purpose AND created_at >= @since;

-- name: FailedCodeTriesSince :one
-- How many wrong tries were made of a user's codes given since @since, any purpose: a code's
-- tries are its attempts, less the one that matched (used_at is set only by a match).
SELECT (coalesce(sum(attempts), 0) - count(used_at))::bigint FROM auth_codes
WHERE user_id = @user_id AND created_at >= @since;

-- name: NewestCodeForUpdate :one
-- The user's newest code of a purpose, locked while it is tried. Only the newest may be used:
-- a new code replaces the ones before it (which stay, unused, for the caps).
SELECT id, code_hash, attempts, expires_at, used_at FROM auth_codes
WHERE user_id = @user_id AND purpose = @purpose
ORDER BY created_at DESC, id DESC LIMIT 1
FOR UPDATE;

-- name: CountCodeAttempt :exec
-- One more try of a code; used_at is set when the try matched.
UPDATE auth_codes SET attempts = attempts + 1, used_at = @used_at WHERE id = @id;

-- name: RevokeUserSessions :execrows
-- Revokes every live session of a user but one (keep; the nil uuid keeps none).
UPDATE auth_sessions SET revoked_at = @now::timestamptz, revoked_reason = @reason::text
WHERE user_id = @user_id AND revoked_at IS NULL AND id <> @keep;

-- name: CreateUserIfNew :one
-- A sign-up's account, unverified; no row when the email is taken (also by a sign-up that commits
-- meanwhile: the insert waits for it), so that two sign-ups at once never break the transaction.
INSERT INTO users (id, email, password_hash, roles, display_name, locale)
VALUES (@id, @email, @password_hash, @roles, @display_name, @locale)
ON CONFLICT DO NOTHING
RETURNING *;

-- name: UserByEmailForUpdate :one
-- A user by email, locked until the transaction ends.
SELECT * FROM users WHERE email = lower(@email::text) FOR UPDATE;

-- name: ReplaceRegistration :one
-- A new sign-up over an account whose email nobody has proved yet replaces what the earlier one
-- chose: its password, name, locale and roles.
UPDATE users
SET password_hash = @password_hash, display_name = @display_name, locale = @locale, roles = @roles,
    updated_at = @now::timestamptz
WHERE id = @id AND email_verified_at IS NULL
RETURNING *;

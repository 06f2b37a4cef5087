-- The legacy MongoDB import's writes (sqlc; see ../import.go). Each runs in the importer's
-- per-document transaction; a rerun updates the rows it wrote before instead of adding rows.

-- name: ImportUser :exec
-- An account of the old backend, under the id the importer derived from its old _id; a rerun
-- (the document changed in the old store) overwrites what the old store says.
INSERT INTO users (id, email, email_verified_at, password_hash, roles, status, display_name, created_at, updated_at)
VALUES (@id, @email, @email_verified_at, @password_hash, @roles, @status, @display_name, @created_at, @updated_at)
ON CONFLICT (id) DO UPDATE SET
    email = EXCLUDED.email, email_verified_at = EXCLUDED.email_verified_at, password_hash = EXCLUDED.password_hash,
    roles = EXCLUDED.roles, status = EXCLUDED.status, display_name = EXCLUDED.display_name, updated_at = EXCLUDED.updated_at;

-- name: ImportTelegramIdentity :execrows
-- Links the old account's Telegram id (its profile marks it imported); 0 rows when it is linked to
-- another user.
INSERT INTO auth_identities (provider, subject, user_id, profile, created_at)
VALUES ('telegram', @subject, @user_id, '{"legacy": true}', @created_at)
ON CONFLICT (provider, subject) DO UPDATE SET user_id = EXCLUDED.user_id
WHERE auth_identities.user_id = EXCLUDED.user_id;

-- name: DeleteLegacyTelegramExcept :execrows
-- A rerun: unlinks the user's imported Telegram identity unless it is the one the old store still
-- names (keep; '' for none). An imported identity's profile is {"legacy": true} (or {}, as the
-- first version of the import wrote it); one linked here by a Telegram sign-in is never touched.
DELETE FROM auth_identities
WHERE provider = 'telegram' AND user_id = @user_id AND subject <> @keep::text
  AND (profile = '{}'::jsonb OR profile->>'legacy' = 'true');

-- name: DeleteLegacyPasskeysExcept :execrows
-- A rerun: removes the user's imported passkeys (legacy_user_handle set) that the old store no
-- longer lists (keep: the credential ids it lists); one registered here is never touched.
DELETE FROM auth_passkeys
WHERE user_id = @user_id AND legacy_user_handle IS NOT NULL AND NOT (credential_id = ANY(@keep::bytea[]));

-- name: ImportPasskey :execrows
-- A passkey registered with the old backend, kept with the old user handle; 0 rows when its
-- credential id is another user's. The sign count never moves back.
INSERT INTO auth_passkeys (id, user_id, credential_id, credential, sign_count, name, created_at, legacy_user_handle)
VALUES (@id, @user_id, @credential_id, @credential, @sign_count, @name, @created_at, @legacy_user_handle)
ON CONFLICT (credential_id) DO UPDATE SET
    credential = CASE WHEN auth_passkeys.sign_count > EXCLUDED.sign_count THEN auth_passkeys.credential ELSE EXCLUDED.credential END,
    sign_count = GREATEST(auth_passkeys.sign_count, EXCLUDED.sign_count),
    name = EXCLUDED.name, legacy_user_handle = EXCLUDED.legacy_user_handle
WHERE auth_passkeys.user_id = EXCLUDED.user_id;

-- name: LegacyPasskeyUser :one
-- The user of an imported passkey whose sign-in names the old user handle.
SELECT user_id FROM auth_passkeys WHERE credential_id = @credential_id AND legacy_user_handle = @user_handle::bytea;

-- name: CountUsersAmong :one
-- How many of ids are accounts (the import's verification).
SELECT count(*)::bigint FROM users WHERE id = ANY(@ids::uuid[]);

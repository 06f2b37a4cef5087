-- Passkeys (WebAuthn credentials) and their ceremonies (sqlc; see ../doc.go and passkeys.go).

-- name: PasskeysOfUser :many
-- A user's passkeys, oldest first (what the list shows and what a ceremony checks against).
SELECT * FROM auth_passkeys WHERE user_id = $1 ORDER BY created_at, id;

-- name: CountPasskeysOfUser :one
SELECT count(*) FROM auth_passkeys WHERE user_id = $1;

-- name: CreatePasskey :one
-- A new passkey; a credential id registered before (on any account) breaks the unique index.
INSERT INTO auth_passkeys (id, user_id, credential_id, credential, sign_count, name, created_at)
VALUES ($1, $2, $3, $4, $5, $6, $7)
RETURNING *;

-- name: DeletePasskeyOfUser :execrows
-- Removes a passkey only if it is the user's.
DELETE FROM auth_passkeys WHERE id = $1 AND user_id = $2;

-- name: UsePasskey :one
-- Records a sign-in with a passkey. The stored sign count must go forward (or both stay 0, for
-- authenticators that do not count): a count that does not is a cloned authenticator, or a
-- concurrent use of the same count, and matches no row.
UPDATE auth_passkeys
SET credential = @credential, sign_count = @sign_count, last_used_at = @used_at::timestamptz
WHERE credential_id = @credential_id AND user_id = @user_id
  AND (sign_count < @sign_count OR (sign_count = 0 AND @sign_count::bigint = 0))
RETURNING id;

-- name: CreatePasskeyCeremony :exec
-- The server's half of a WebAuthn ceremony between its begin and finish requests.
INSERT INTO auth_ceremonies (id, purpose, user_id, data, expires_at, created_at)
VALUES ($1, $2, $3, $4, $5, $6);

-- name: UsePasskeyCeremony :one
-- Takes a ceremony once: it must be of the purpose, unused, unexpired and (for a registration)
-- the caller's. Whether the response then verifies or not, the ceremony is spent.
UPDATE auth_ceremonies
SET used_at = @now::timestamptz
WHERE id = @id AND purpose = @purpose AND used_at IS NULL AND expires_at > @now::timestamptz
  AND user_id IS NOT DISTINCT FROM @user_id
RETURNING data;

-- name: DeleteStalePasskeyCeremonies :exec
-- Forgets passkey ceremonies that expired before @before.
DELETE FROM auth_ceremonies
WHERE purpose IN ('passkey_register', 'passkey_login') AND expires_at < @before;

-- name: DeletePasskeysOfUser :execrows
-- Removes every passkey of a user (the first verification of an email: see firstVerification).
DELETE FROM auth_passkeys WHERE user_id = $1;

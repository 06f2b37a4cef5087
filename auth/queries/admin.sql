-- What admins do to accounts: list, ban and unban, set roles, each ban, unban and role change
-- audited in auth_audit (sqlc; see ../doc.go). `amn users` and /v1/admin/users share these.

-- name: ListUsers :many
-- Users newest first, filtered (NULL = any), after a keyset cursor (created_at, id), a page plus one.
SELECT * FROM users
WHERE (sqlc.narg(role)::text IS NULL OR sqlc.narg(role)::text = ANY (roles))
  AND (sqlc.narg(status)::text IS NULL OR status = sqlc.narg(status)::text)
  AND (sqlc.narg(email)::text IS NULL OR email = lower(sqlc.narg(email)::text))
  AND (created_at, id) < (@before_created::timestamptz, @before_id::uuid)
ORDER BY created_at DESC, id DESC
LIMIT @lim;

-- name: IdentityProvidersOfUsers :many
-- The identities linked to a page of users.
SELECT user_id, provider FROM auth_identities WHERE user_id = ANY (@ids::uuid[]) ORDER BY user_id, provider;

-- name: UserForUpdate :one
-- A user, locked until the transaction ends.
SELECT * FROM users WHERE id = $1 FOR UPDATE;

-- name: LockActiveAdmins :many
-- The active admins, locked: the last one cannot be banned or demoted, even by two admins at once.
SELECT id FROM users WHERE 'admin' = ANY (roles) AND status = 'active' ORDER BY id FOR UPDATE;

-- name: SetUserStatus :one
UPDATE users SET status = @status::text, updated_at = @now::timestamptz WHERE id = @id RETURNING *;

-- name: SetUserRoles :one
UPDATE users SET roles = @roles::text[], updated_at = @now::timestamptz WHERE id = @id RETURNING *;

-- name: InsertAudit :exec
INSERT INTO auth_audit (actor, user_id, action, detail, reason) VALUES ($1, $2, $3, $4, $5);

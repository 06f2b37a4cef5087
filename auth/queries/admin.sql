-- Account administration: status, roles, the user list and the audit trail (sqlc; see ../doc.go).

-- name: SetUserStatus :one
UPDATE users SET status = @status, updated_at = now() WHERE id = @id RETURNING *;

-- name: SetUserRoles :one
UPDATE users SET roles = @roles, updated_at = now() WHERE id = @id RETURNING *;

-- name: AddAudit :exec
-- Records what an admin (or `amn users`, actor cli:<os user>) did to an account.
INSERT INTO auth_audit (actor, user_id, action, detail, reason) VALUES (@actor, @user_id, @action, @detail, @reason);

-- name: ListUsers :many
-- Users newest first, optionally of one role and status, after a (created_at, id) cursor.
SELECT * FROM users
WHERE (sqlc.narg(role)::text IS NULL OR sqlc.narg(role)::text = ANY (roles))
  AND (sqlc.narg(status)::text IS NULL OR status = sqlc.narg(status)::text)
  AND (sqlc.narg(before_created)::timestamptz IS NULL OR (created_at, id) < (sqlc.narg(before_created)::timestamptz, sqlc.narg(before_id)::uuid))
ORDER BY created_at DESC, id DESC
LIMIT @max_rows;

-- Refresh rotation and the account's sessions (sqlc; see ../doc.go). Times come from the
-- service's clock (a parameter), not now(), so that tests can move it.

-- name: RefreshTokenForUpdate :one
-- A refresh token with its session and user, its row locked until the transaction ends: of two
-- concurrent uses, the second waits and then sees the first one's used_at.
SELECT rt.session_id, rt.expires_at, rt.used_at,
       s.user_id, s.expires_at AS session_expires_at, s.revoked_at, u.status
FROM auth_refresh_tokens rt
JOIN auth_sessions s ON s.id = rt.session_id
JOIN users u ON u.id = s.user_id
WHERE rt.token_hash = $1
FOR UPDATE OF rt;

-- name: MarkRefreshTokenUsed :exec
UPDATE auth_refresh_tokens SET used_at = @now::timestamptz WHERE token_hash = $1;

-- name: TouchSession :exec
UPDATE auth_sessions SET last_used_at = @now::timestamptz WHERE id = $1;

-- name: RevokeSession :execrows
-- Revokes one live session of one user; 0 rows when it is not theirs, unknown or already revoked.
UPDATE auth_sessions SET revoked_at = @now::timestamptz, revoked_reason = @reason::text
WHERE id = @id AND user_id = @user_id AND revoked_at IS NULL;

-- name: ListLiveSessions :many
-- A user's live sessions, newest first, after a keyset cursor (created_at, id), one page plus one.
SELECT id, method, user_agent, ip, created_at, last_used_at
FROM auth_sessions
WHERE user_id = @user_id AND revoked_at IS NULL AND expires_at > @now::timestamptz
  AND (created_at, id) < (@before_created::timestamptz, @before_id::uuid)
ORDER BY created_at DESC, id DESC
LIMIT @lim;

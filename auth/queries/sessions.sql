-- Sessions and refresh tokens (sqlc; see ../doc.go).

-- name: CreateSession :exec
-- A new sign-in; created_at is when it happened (what RequireRecentSignIn measures).
INSERT INTO auth_sessions (id, user_id, method, user_agent, ip, expires_at, created_at, last_used_at)
VALUES (@id, @user_id, @method, @user_agent, @ip, @expires_at, @signed_in_at, @signed_in_at);

-- name: CreateRefreshToken :exec
INSERT INTO auth_refresh_tokens (token_hash, session_id, expires_at) VALUES ($1, $2, $3);

-- name: SessionForAccess :one
-- What an access token's holder is now: its session must be live and its user active.
SELECT s.id, s.user_id, s.revoked_at, s.expires_at, s.created_at, u.status, u.roles
FROM auth_sessions s JOIN users u ON u.id = s.user_id
WHERE s.id = $1;

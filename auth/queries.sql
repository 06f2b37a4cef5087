-- Package auth's SQL, compiled by sqlc into auth/internal/authdb (make generate). Each query's
-- name says what it does; auth is the only package that reads or writes these tables.

-- name: CreateUser :one
INSERT INTO users (id, email, email_verified_at, password_hash, roles, display_name, locale)
VALUES ($1, $2, $3, $4, $5, $6, $7)
RETURNING *;

-- name: UserByID :one
SELECT * FROM users WHERE id = $1;

-- name: UserByEmail :one
SELECT * FROM users WHERE email = lower(@email::text);

-- name: CreateSession :exec
INSERT INTO auth_sessions (id, user_id, method, user_agent, ip, expires_at)
VALUES ($1, $2, $3, $4, $5, $6);

-- name: CreateRefreshToken :exec
INSERT INTO auth_refresh_tokens (token_hash, session_id, expires_at) VALUES ($1, $2, $3);

-- name: SessionForAccess :one
-- What an access token's holder is now: its session must be live and its user active.
SELECT s.id, s.user_id, s.revoked_at, s.expires_at, u.status, u.roles
FROM auth_sessions s JOIN users u ON u.id = s.user_id
WHERE s.id = $1;

-- name: IdentityProvidersOfUser :many
SELECT provider FROM auth_identities WHERE user_id = $1 ORDER BY provider;

-- Users (sqlc). Package auth's SQL is the .sql files of this directory, one per area, compiled by
-- sqlc into auth/internal/authdb (make generate); auth is the only package that reads or writes
-- these tables.

-- name: CreateUser :one
INSERT INTO users (id, email, email_verified_at, password_hash, roles, display_name, locale)
VALUES ($1, $2, $3, $4, $5, $6, $7)
RETURNING *;

-- name: UserByID :one
SELECT * FROM users WHERE id = $1;

-- name: UserByEmail :one
SELECT * FROM users WHERE email = lower(@email::text);

-- name: IdentityProvidersOfUser :many
SELECT provider FROM auth_identities WHERE user_id = $1 ORDER BY provider;

-- name: UserContact :one
-- Where and how to write to a user: only the columns amn_worker may read (migration 00045).
SELECT id, email, email_verified_at, status, locale FROM users WHERE id = $1;

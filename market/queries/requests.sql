-- Purchase requests (sqlc). Package market's SQL is the .sql files of this directory, one per
-- area, compiled by sqlc into market/internal/marketdb (make generate); market is the only package
-- that reads or writes these tables.

-- name: RequestByID :one
SELECT * FROM market_requests WHERE id = $1;

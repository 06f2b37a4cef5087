-- Sellers' express-checkout templates (sqlc).

-- name: InsertTemplate :exec
INSERT INTO market_templates (id, seller_id, title, description, category, product_type, chain_key, token_symbol,
    price, delivery_days, payout_address, payout_signature, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13);

-- name: TemplateByID :one
SELECT * FROM market_templates WHERE id = $1;

-- name: SellerTemplates :many
SELECT * FROM market_templates
WHERE seller_id = sqlc.arg(seller_id)
  AND (sqlc.narg(after_at)::timestamptz IS NULL OR (created_at, id) < (sqlc.narg(after_at), sqlc.narg(after_id)::uuid))
ORDER BY created_at DESC, id DESC
LIMIT sqlc.arg(lim);

-- name: EditTemplate :exec
UPDATE market_templates SET title = $2, description = $3, price = $4, delivery_days = $5, payout_address = $6,
    payout_signature = $7, active = $8, updated_at = $9
WHERE id = $1;

-- name: ActiveTemplates :many
SELECT * FROM market_templates
WHERE active
  AND (sqlc.narg(after_at)::timestamptz IS NULL OR (created_at, id) < (sqlc.narg(after_at), sqlc.narg(after_id)::uuid))
ORDER BY created_at DESC, id DESC
LIMIT sqlc.arg(lim);

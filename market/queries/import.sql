-- The legacy MongoDB import's writes (sqlc; see ../import.go), each in the importer's
-- per-document transaction. Imported rows are legacy: a rerun overwrites them from the old store,
-- and never a row this backend made (the WHERE of each upsert).

-- name: ImportRequest :execrows
INSERT INTO market_requests (id, buyer_id, title, description, category, product_type, chain_key, token_symbol,
    budget_min, budget_max, urgency, delivery, visibility, status, resume_to, template_id, delivered_at,
    inspection_days, expires_at, created_at, updated_at, legacy)
VALUES (@id, @buyer_id, @title, @description, @category, @product_type, @chain_key, @token_symbol,
    @budget_min, @budget_max, @urgency, @delivery, @visibility, @status, @resume_to, @template_id, @delivered_at,
    @inspection_days, @expires_at, @created_at, @updated_at, true)
ON CONFLICT (id) DO UPDATE SET
    buyer_id = EXCLUDED.buyer_id, title = EXCLUDED.title, description = EXCLUDED.description, category = EXCLUDED.category,
    product_type = EXCLUDED.product_type, chain_key = EXCLUDED.chain_key, token_symbol = EXCLUDED.token_symbol,
    budget_min = EXCLUDED.budget_min, budget_max = EXCLUDED.budget_max, urgency = EXCLUDED.urgency,
    delivery = EXCLUDED.delivery, visibility = EXCLUDED.visibility, status = EXCLUDED.status,
    resume_to = EXCLUDED.resume_to, template_id = EXCLUDED.template_id, delivered_at = EXCLUDED.delivered_at,
    inspection_days = EXCLUDED.inspection_days, expires_at = EXCLUDED.expires_at, updated_at = EXCLUDED.updated_at
WHERE market_requests.legacy;

-- name: ImportOffer :execrows
INSERT INTO market_offers (id, request_id, seller_id, status, price, delivery_days, valid_until, notes, created_at, updated_at, legacy)
VALUES (@id, @request_id, @seller_id, @status, @price, @delivery_days, @valid_until, @notes, @created_at, @updated_at, true)
ON CONFLICT (id) DO UPDATE SET
    request_id = EXCLUDED.request_id, seller_id = EXCLUDED.seller_id, status = EXCLUDED.status, price = EXCLUDED.price,
    delivery_days = EXCLUDED.delivery_days, valid_until = EXCLUDED.valid_until, notes = EXCLUDED.notes, updated_at = EXCLUDED.updated_at
WHERE market_offers.legacy;

-- name: ImportAcceptedOffer :execrows
-- The request's accepted offer, once that offer is imported (offers come after requests).
UPDATE market_requests SET accepted_offer = @offer_id WHERE id = @id AND legacy;

-- name: ImportTemplate :execrows
INSERT INTO market_templates (id, seller_id, title, description, category, product_type, chain_key, token_symbol,
    price, delivery_days, active, created_at, updated_at, legacy)
VALUES (@id, @seller_id, @title, @description, @category, @product_type, @chain_key, @token_symbol,
    @price, @delivery_days, false, @created_at, @updated_at, true)
ON CONFLICT (id) DO UPDATE SET
    seller_id = EXCLUDED.seller_id, title = EXCLUDED.title, description = EXCLUDED.description, category = EXCLUDED.category,
    product_type = EXCLUDED.product_type, chain_key = EXCLUDED.chain_key, token_symbol = EXCLUDED.token_symbol,
    price = EXCLUDED.price, delivery_days = EXCLUDED.delivery_days, updated_at = EXCLUDED.updated_at
WHERE market_templates.legacy;

-- name: ImportedRequestTotals :one
-- How many of ids are legacy requests, and their budgets' sum (the import's verification).
SELECT count(*)::bigint AS n, coalesce(sum(budget_max), 0)::numeric AS budget FROM market_requests WHERE id = ANY(@ids::uuid[]) AND legacy;

-- name: ImportedOfferTotals :one
SELECT count(*)::bigint AS n, coalesce(sum(price), 0)::numeric AS price FROM market_offers WHERE id = ANY(@ids::uuid[]) AND legacy;

-- name: ImportedTemplateTotals :one
SELECT count(*)::bigint AS n, coalesce(sum(price), 0)::numeric AS price FROM market_templates WHERE id = ANY(@ids::uuid[]) AND legacy;

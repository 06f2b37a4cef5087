-- Purchase requests (sqlc). Package market's SQL is the .sql files of this directory, one per
-- area, compiled by sqlc into market/internal/marketdb (make generate); market is the only package
-- that reads or writes these tables.

-- name: RequestByID :one
SELECT * FROM market_requests WHERE id = $1;

-- name: InsertRequest :exec
INSERT INTO market_requests (id, buyer_id, title, description, category, product_type, chain_key, token_symbol,
    budget_min, budget_max, urgency, delivery, visibility, status, expires_at, template_id, created_at, updated_at, payment_id,
    inspection_days)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17, $18, $19);

-- name: LockRequest :one
SELECT * FROM market_requests WHERE id = $1 FOR UPDATE;

-- name: SetRequestStatus :exec
-- Leaving disputed forgets where the dispute found the request (resume_to is set only while
-- disputed: the table checks it).
UPDATE market_requests SET status = $2, updated_at = $3,
    resume_to = CASE WHEN $2 = 'disputed' THEN resume_to END
WHERE id = $1;

-- name: SetDisputed :exec
-- A dispute interrupts the deal: resume_to keeps the step it found (where a resumed dispute
-- returns the request).
UPDATE market_requests SET status = 'disputed', resume_to = $2, updated_at = $3 WHERE id = $1;

-- name: SetRequestAccepted :exec
UPDATE market_requests SET status = $2, payment_id = $3, accepted_offer = $4, updated_at = $5 WHERE id = $1;

-- name: SetShipment :exec
-- The seller's shipment (carrier and tracking, or a delivery note), written with the ship event.
UPDATE market_requests SET shipment = $2, updated_at = $3 WHERE id = $1;

-- name: SetDelivered :exec
-- When the goods arrived: the inspection period runs from here (written with the deliver event).
UPDATE market_requests SET delivered_at = $2, updated_at = $2 WHERE id = $1;

-- name: EditRequest :exec
UPDATE market_requests SET title = $2, description = $3, category = $4, urgency = $5, delivery = $6,
    visibility = $7, budget_min = $8, budget_max = $9, expires_at = $10, updated_at = $11
WHERE id = $1;

-- name: InsertEvent :exec
-- The caller holds the request's row lock: seq is the previous max + 1.
INSERT INTO market_events (request_id, seq, event, actor, actor_id, from_status, to_status, detail, created_at)
SELECT sqlc.arg(request_id), coalesce(max(seq), 0) + 1, sqlc.arg(event), sqlc.arg(actor), sqlc.narg(actor_id),
    sqlc.narg(from_status), sqlc.arg(to_status), sqlc.arg(detail), sqlc.arg(created_at)
FROM market_events WHERE request_id = sqlc.arg(request_id);

-- name: HasEvent :one
-- Whether the request's timeline already holds an event whose detail contains the given JSON (a
-- reminder sent once per deadline and offset).
SELECT EXISTS (SELECT 1 FROM market_events WHERE request_id = $1 AND event = $2 AND detail @> sqlc.arg(detail)::jsonb);

-- name: RequestEvents :many
SELECT * FROM market_events WHERE request_id = $1 ORDER BY seq;

-- The public browse list is built in browse.go (one SQL text per set of filters).

-- name: BuyerRequests :many
SELECT * FROM market_requests
WHERE buyer_id = sqlc.arg(buyer_id)
  AND (sqlc.narg(after_at)::timestamptz IS NULL OR (created_at, id) < (sqlc.narg(after_at), sqlc.narg(after_id)::uuid))
ORDER BY created_at DESC, id DESC
LIMIT sqlc.arg(lim);

-- name: DueRequests :many
-- Requests past their expiry that nobody's offer was accepted on: pending (never published by
-- moderation) or open.
SELECT id FROM market_requests
WHERE status IN ('pending', 'active', 'received_offers', 'in_negotiation') AND expires_at <= $1
ORDER BY expires_at LIMIT $2;

-- name: FollowingRequests :many
-- Requests whose payment the worker follows (index market_requests_following), a page after the
-- cursor id.
SELECT id, payment_id FROM market_requests
WHERE status IN ('payment', 'pending_payment', 'processing', 'delivery', 'delivered', 'confirming', 'disputed')
  AND payment_id IS NOT NULL AND id > sqlc.arg(after_id)
ORDER BY id LIMIT sqlc.arg(lim);

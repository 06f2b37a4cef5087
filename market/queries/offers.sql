-- Sellers' offers and their revisions (sqlc).

-- name: InsertOffer :exec
INSERT INTO market_offers (id, request_id, seller_id, status, revision, price, delivery_days, valid_until, notes,
    payout_address, payout_signature, created_at, updated_at)
VALUES ($1, $2, $3, 'pending', 1, $4, $5, $6, $7, $8, $9, $10, $10);

-- name: InsertRevision :exec
INSERT INTO market_offer_revisions (offer_id, revision, price, delivery_days, valid_until, notes, payout_address,
    payout_signature, created_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9);

-- name: OfferByID :one
SELECT * FROM market_offers WHERE id = $1;

-- name: ReviseOffer :exec
UPDATE market_offers SET revision = $2, price = $3, delivery_days = $4, valid_until = $5, notes = $6,
    payout_address = $7, payout_signature = $8, updated_at = $9
WHERE id = $1;

-- name: SetOfferStatus :exec
UPDATE market_offers SET status = $2, updated_at = $3 WHERE id = $1;

-- name: RequestOffers :many
-- A request's offers, newest first, a page after the cursor (created_at, id) (index
-- market_offers_request).
SELECT * FROM market_offers
WHERE request_id = sqlc.arg(request_id)
  AND (sqlc.narg(after_at)::timestamptz IS NULL OR (created_at, id) < (sqlc.narg(after_at), sqlc.narg(after_id)::uuid))
ORDER BY created_at DESC, id DESC
LIMIT sqlc.arg(lim);

-- name: SellerOffersOn :many
SELECT * FROM market_offers
WHERE request_id = sqlc.arg(request_id) AND seller_id = sqlc.arg(seller_id)
  AND (sqlc.narg(after_at)::timestamptz IS NULL OR (created_at, id) < (sqlc.narg(after_at), sqlc.narg(after_id)::uuid))
ORDER BY created_at DESC, id DESC
LIMIT sqlc.arg(lim);

-- name: HasOffered :one
SELECT EXISTS (SELECT 1 FROM market_offers WHERE request_id = $1 AND seller_id = $2);

-- name: HasLiveOffer :one
-- Whether the seller's offer on the request is still in play: pending, or the accepted one.
SELECT EXISTS (SELECT 1 FROM market_offers WHERE request_id = $1 AND seller_id = $2 AND status IN ('pending', 'accepted'));

-- name: LiveOffers :one
SELECT count(*) FROM market_offers WHERE request_id = $1 AND status = 'pending';

-- name: RejectOthers :many
UPDATE market_offers SET status = 'rejected', updated_at = $3
WHERE request_id = $1 AND id <> $2 AND status = 'pending'
RETURNING id, seller_id;

-- name: OfferRevisions :many
-- The revisions of a page of offers, in one read.
SELECT * FROM market_offer_revisions WHERE offer_id = ANY(@offer_ids::uuid[]) ORDER BY offer_id, revision;

-- name: DueOffers :many
SELECT id, request_id FROM market_offers WHERE status = 'pending' AND valid_until <= $1 ORDER BY valid_until LIMIT $2;

-- name: ExpireLive :exec
UPDATE market_offers SET status = 'expired', updated_at = $2 WHERE request_id = $1 AND status = 'pending';

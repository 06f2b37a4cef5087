-- Reviews (sqlc): one per side per finished deal, and the ratings they make.

-- name: EndedAfterDispute :one
-- A cancelled request that a refund ended while it was disputed: its deal may be reviewed.
SELECT EXISTS (SELECT 1 FROM market_events WHERE request_id = $1 AND event = 'refunded' AND from_status = 'disputed');

-- name: AcceptedSeller :one
SELECT seller_id FROM market_offers WHERE id = $1 AND status = 'accepted';

-- name: InsertReview :execrows
-- A second review by the same author of the same request inserts nothing (the primary key).
INSERT INTO market_reviews (request_id, author_id, subject_id, rating, body, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $6)
ON CONFLICT (request_id, author_id) DO NOTHING;

-- name: LockReview :one
SELECT * FROM market_reviews WHERE request_id = $1 AND author_id = $2 FOR UPDATE;

-- name: UpdateReview :exec
UPDATE market_reviews SET rating = $3, body = $4, updated_at = $5 WHERE request_id = $1 AND author_id = $2;

-- name: RequestReviews :many
SELECT * FROM market_reviews WHERE request_id = $1 ORDER BY created_at, author_id;

-- name: SubjectRatings :many
-- The subject's ratings by the side it was reviewed on: as the seller (the author was the
-- request's buyer) or as the buyer. Integers only: the average is the caller's division.
SELECT (r.author_id = q.buyer_id)::bool AS as_seller, count(*)::bigint AS reviews, coalesce(sum(r.rating), 0)::bigint AS total
FROM market_reviews r JOIN market_requests q ON q.id = r.request_id
WHERE r.subject_id = $1
GROUP BY 1;

-- name: SubjectReviews :many
-- Reviews of a subject, newest first, after the cursor (created_at, author_id: never the request,
-- which a public cursor would reveal): index
-- market_reviews_subject.
SELECT r.request_id, r.author_id, r.rating, r.body, r.created_at, r.updated_at, (r.author_id = q.buyer_id)::bool AS as_seller
FROM market_reviews r JOIN market_requests q ON q.id = r.request_id
WHERE r.subject_id = sqlc.arg(subject_id)
  AND (sqlc.narg(after_at)::timestamptz IS NULL OR (r.created_at, r.author_id) < (sqlc.narg(after_at), sqlc.narg(after_id)::uuid))
ORDER BY r.created_at DESC, r.author_id DESC
LIMIT sqlc.arg(lim);

-- name: PaymentParties :one
-- The request holding a payment (index market_requests_payment), its buyer and the seller of
-- its accepted offer while it is accepted (a cancelled deal's offer is rejected: its seller is out).
SELECT q.id, q.buyer_id, q.chain_key, o.seller_id
FROM market_requests q LEFT JOIN market_offers o ON o.id = q.accepted_offer AND o.status = 'accepted'
WHERE q.payment_id = $1;

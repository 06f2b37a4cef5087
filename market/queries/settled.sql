-- Settled deals (sqlc): the requests whose release or refund became final on chain, in the order
-- their transactions committed, for readers that follow them with a cursor (package points,
-- through Service.Settled). Only events of transactions older than every one still running are
-- read (pg_snapshot_xmin), so an event that commits late is never behind a cursor.

-- name: SettledAfter :many
SELECT e.tx, e.request_id, e.seq, e.event, e.created_at, r.buyer_id, r.payment_id, o.seller_id
FROM market_events e
JOIN market_requests r ON r.id = e.request_id
LEFT JOIN market_offers o ON o.id = r.accepted_offer
WHERE e.event IN ('released', 'refunded')
  AND (e.tx, e.request_id, e.seq) > (sqlc.arg(after_tx)::bigint, sqlc.arg(after_request)::uuid, sqlc.arg(after_seq)::int)
  AND e.tx < pg_snapshot_xmin(pg_current_snapshot())::text::bigint
ORDER BY e.tx, e.request_id, e.seq
LIMIT sqlc.arg(lim);

-- +goose Up
-- A payment pays one request (package market, docs/market.md): GET /v1/payments/{id} finds the
-- request holding a payment, and so its parties (the buyer, the accepted offer's seller), by this
-- index; unique, so that no second request can ever claim a payment and its view.
CREATE UNIQUE INDEX market_requests_payment ON market_requests (payment_id) WHERE payment_id IS NOT NULL;

-- +goose Down
DROP INDEX market_requests_payment;

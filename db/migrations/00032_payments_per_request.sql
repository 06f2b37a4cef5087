-- +goose Up
-- A payment is unique per buyer, offer, chain AND Request Network request id (package payment;
-- docs/market.md "Templates"). A template's seller signs one offer, `template:<id>`, for every
-- buyer and every purchase: each spawn is a new marketplace request with its own request id
-- (amn-<request id>) and so its own payment under the same signed offer. Accepting one ordinary
-- offer twice stays impossible: the marketplace accepts an offer once, under its request's row
-- lock, and a retry of the same request id is still refused here.
ALTER TABLE payments DROP CONSTRAINT payments_one_per_buyer_offer_chain,
    ADD CONSTRAINT payments_one_per_buyer_offer_chain UNIQUE (buyer_ref, offer_ref, chain_id, request_id);

-- +goose Down
ALTER TABLE payments DROP CONSTRAINT payments_one_per_buyer_offer_chain,
    ADD CONSTRAINT payments_one_per_buyer_offer_chain UNIQUE (buyer_ref, offer_ref, chain_id);

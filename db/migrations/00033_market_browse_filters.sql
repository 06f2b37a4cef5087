-- +goose Up
-- Sellers browse open requests by category, chain and product type together (the chain they can
-- be paid on, the kind of thing they sell). With only market_requests_browse (category) such a
-- page walked the category's newest requests and fetched each row to check the chain, product
-- type and budget: about 900 rows for the 21 of a page (bench/api, 100,000 requests; EXPLAIN
-- ANALYZE: 683-934 buffers, 54-100 ms on the loaded machine). This index finds them directly
-- (88-99 buffers, 2-8 ms); its prefixes also serve category + chain.
CREATE INDEX market_requests_browse_filters ON market_requests (category, chain_key, product_type, created_at DESC, id DESC)
    WHERE status IN ('active', 'received_offers', 'in_negotiation') AND visibility = 'public';

-- +goose Down
DROP INDEX market_requests_browse_filters;

-- +goose Up
-- The browse search's own walk (bench/api, issue 17 acceptance 6). With only the vector here, a
-- search walked the newest open requests of market_requests (683-byte rows) and probed this
-- table for each; a word matching about 1 % of the requests walked thousands of rows, in parallel
-- workers: "rare drum" 105 ms, "cheap audit" 160 ms of CPU on three processes (100,000 requests).
-- Keeping here what the public list filters and orders by (whether the request is listed, its
-- category, its creation time) lets a search without other filters find its page in this table
-- alone, newest first (or through the GIN index, then a top-N sort), and read only the page's
-- rows of market_requests: "rare drum" 2.7 ms, "cheap audit" 1.3 ms.
--
-- listed is exactly the public list's condition (market.browseSQL): status open and visibility
-- public. The triggers keep all three in step in the transaction that writes the request,
-- whoever writes it (the API, the worker's status changes, Seed's COPY).
ALTER TABLE market_request_search
    ADD COLUMN created_at timestamptz,
    ADD COLUMN category text,
    ADD COLUMN listed boolean;
UPDATE market_request_search s
SET created_at = r.created_at, category = r.category,
    listed = (r.status IN ('active', 'received_offers', 'in_negotiation') AND r.visibility = 'public')
FROM market_requests r WHERE r.id = s.request_id;
ALTER TABLE market_request_search
    ALTER COLUMN created_at SET NOT NULL,
    ALTER COLUMN category SET NOT NULL,
    ALTER COLUMN listed SET NOT NULL;
CREATE INDEX market_request_search_newest ON market_request_search (created_at DESC, request_id DESC) WHERE listed;
CREATE INDEX market_request_search_category ON market_request_search (category, created_at DESC, request_id DESC) WHERE listed;

-- Each change writes only the columns it touches (a worker's status change: listed alone; the
-- vector is computed again only when the text changed).
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION market_request_search_write() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    is_listed boolean := NEW.status IN ('active', 'received_offers', 'in_negotiation') AND NEW.visibility = 'public';
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO market_request_search (request_id, search, created_at, category, listed)
        VALUES (NEW.id, to_tsvector('simple', NEW.title || ' ' || NEW.description), NEW.created_at, NEW.category, is_listed);
        RETURN NULL;
    END IF;
    IF OLD.title IS DISTINCT FROM NEW.title OR OLD.description IS DISTINCT FROM NEW.description THEN
        UPDATE market_request_search SET search = to_tsvector('simple', NEW.title || ' ' || NEW.description)
        WHERE request_id = NEW.id;
    END IF;
    IF OLD.category IS DISTINCT FROM NEW.category THEN
        UPDATE market_request_search SET category = NEW.category WHERE request_id = NEW.id;
    END IF;
    IF (OLD.status IN ('active', 'received_offers', 'in_negotiation') AND OLD.visibility = 'public') IS DISTINCT FROM is_listed THEN
        UPDATE market_request_search SET listed = is_listed WHERE request_id = NEW.id;
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
DROP TRIGGER market_request_search_update ON market_requests;
CREATE TRIGGER market_request_search_update AFTER UPDATE OF title, description, category, status, visibility ON market_requests
    FOR EACH ROW WHEN (OLD.title IS DISTINCT FROM NEW.title OR OLD.description IS DISTINCT FROM NEW.description
        OR OLD.category IS DISTINCT FROM NEW.category OR OLD.status IS DISTINCT FROM NEW.status
        OR OLD.visibility IS DISTINCT FROM NEW.visibility)
    EXECUTE FUNCTION market_request_search_write();

-- The API writes requests (their text, category, status and visibility); the worker their status.
REVOKE UPDATE (search) ON market_request_search FROM amn_api;
GRANT UPDATE (search, category, listed) ON market_request_search TO amn_api;
GRANT SELECT (request_id), UPDATE (listed) ON market_request_search TO amn_worker;

-- +goose Down
REVOKE SELECT (request_id), UPDATE (listed) ON market_request_search FROM amn_worker;
REVOKE UPDATE (search, category, listed) ON market_request_search FROM amn_api;
GRANT UPDATE (search) ON market_request_search TO amn_api;
DROP TRIGGER market_request_search_update ON market_requests;
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION market_request_search_write() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO market_request_search (request_id, search)
        VALUES (NEW.id, to_tsvector('simple', NEW.title || ' ' || NEW.description));
    ELSE
        UPDATE market_request_search SET search = to_tsvector('simple', NEW.title || ' ' || NEW.description)
        WHERE request_id = NEW.id;
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER market_request_search_update AFTER UPDATE OF title, description ON market_requests
    FOR EACH ROW WHEN (OLD.title IS DISTINCT FROM NEW.title OR OLD.description IS DISTINCT FROM NEW.description)
    EXECUTE FUNCTION market_request_search_write();
DROP INDEX market_request_search_category;
DROP INDEX market_request_search_newest;
ALTER TABLE market_request_search DROP COLUMN listed, DROP COLUMN category, DROP COLUMN created_at;

-- +goose Up
-- Full-text search of purchase requests from a stored tsvector. The expression index
-- market_requests_search (00025) let the planner find a rare word's rows by the GIN index, but a
-- plan that walked the newest open requests instead recomputed to_tsvector(title || ' ' ||
-- description) for every row it looked at (about 110 µs a row: 50-76 ms for a rarer word on
-- 100,000 requests, bench/api). The vector is kept here, in a table of its own, so that no other
-- read of a request carries it (market_requests rows stay as narrow as before). Triggers keep it
-- in step with the request's title and description, whoever writes them (the API, Seed's COPY).
CREATE TABLE market_request_search (
    request_id uuid PRIMARY KEY REFERENCES market_requests (id),
    search     tsvector NOT NULL
);
CREATE INDEX market_request_search_words ON market_request_search USING gin (search) WITH (fastupdate = off);

-- +goose StatementBegin
CREATE FUNCTION market_request_search_write() RETURNS trigger LANGUAGE plpgsql AS $$
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
CREATE TRIGGER market_request_search_insert AFTER INSERT ON market_requests
    FOR EACH ROW EXECUTE FUNCTION market_request_search_write();
CREATE TRIGGER market_request_search_update AFTER UPDATE OF title, description ON market_requests
    FOR EACH ROW WHEN (OLD.title IS DISTINCT FROM NEW.title OR OLD.description IS DISTINCT FROM NEW.description)
    EXECUTE FUNCTION market_request_search_write();

INSERT INTO market_request_search (request_id, search)
SELECT id, to_tsvector('simple', title || ' ' || description) FROM market_requests;
DROP INDEX market_requests_search;

-- The API writes requests (the triggers run as it) and searches them.
GRANT SELECT, INSERT, UPDATE (search) ON market_request_search TO amn_api;

-- +goose Down
DROP TRIGGER market_request_search_update ON market_requests;
DROP TRIGGER market_request_search_insert ON market_requests;
CREATE INDEX market_requests_search ON market_requests USING gin (to_tsvector('simple', title || ' ' || description));
DROP TABLE market_request_search;
DROP FUNCTION market_request_search_write();

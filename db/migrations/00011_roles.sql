-- +goose Up
-- One database role per process (docs/security.md): amn_api, amn_indexer, amn_worker, beside
-- amn_signer (00005). The owner (the login that runs `amn migrate`) is used by nothing else.
-- Roles are cluster-wide: create each once, tolerate a concurrent creator (test databases migrate
-- in parallel). NOLOGIN: a login user is made a member of one of them, and the process runs
-- SET ROLE on every connection. Grants are below and in each later migration for what it adds.
-- +goose StatementBegin
DO $$
DECLARE r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['amn_api', 'amn_indexer', 'amn_worker'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
            BEGIN
                EXECUTE format('CREATE ROLE %I NOLOGIN', r);
            EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
            END;
        END IF;
    END LOOP;
END
$$;
-- +goose StatementEnd
GRANT USAGE ON SCHEMA public TO amn_api, amn_indexer, amn_worker;

-- +goose Down
REVOKE USAGE ON SCHEMA public FROM amn_api, amn_indexer, amn_worker;

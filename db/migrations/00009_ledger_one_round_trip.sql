-- +goose Up
-- Faster ledger writes with the same guarantees (see docs/ledger.md, "How it works", and
-- docs/benchmarks.md for the measurements).

-- The write statements check on the server what they changed. A single transfer may be written in
-- one round trip from account states the ledger remembers instead of locking and reading them
-- first: its account updates then only apply where entry_seq still has the value it read, and
-- ledger_expect_rows aborts the statement, so that nothing of it is written, when fewer rows moved
-- than should have.
-- +goose StatementBegin
CREATE FUNCTION ledger_expect_rows(what text, got bigint, want bigint) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF got IS DISTINCT FROM want THEN
        RAISE EXCEPTION 'ledger: % %, want %: changed concurrently', what, got, want
            USING ERRCODE = 'serialization_failure';
    END IF;
END $$;
-- +goose StatementEnd

-- The ledger name is checked when an account is inserted, by a trigger, rather than by a CHECK
-- constraint: PostgreSQL re-checks every CHECK constraint on every UPDATE, and this one (2.8 µs a
-- row for the bounded repetitions) was half the cost of updating a balance. The name can never
-- change afterwards (ledger_accounts_immutable), so every row still has a well-formed name.
ALTER TABLE ledger_accounts DROP CONSTRAINT ledger_accounts_ledger_check;
-- +goose StatementBegin
CREATE FUNCTION ledger_accounts_ledger_name() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.ledger IS NULL OR NEW.ledger !~ '^[a-z0-9_-]{1,32}:[A-Za-z0-9._-]{1,32}$' THEN
        RAISE EXCEPTION 'ledger account %: ledger % is not chain:TOKEN', NEW.id, NEW.ledger
            USING ERRCODE = 'check_violation', CONSTRAINT = 'ledger_accounts_ledger_check';
    END IF;
    RETURN NEW;
END $$;
-- +goose StatementEnd
CREATE TRIGGER ledger_accounts_ledger_name BEFORE INSERT ON ledger_accounts
    FOR EACH ROW EXECUTE FUNCTION ledger_accounts_ledger_name();

-- The transfers check (00002), cheaper at both ends. A statement of up to 64 transfers (a single
-- transfer's, above all) runs one query instead of two: each query's start-up was a good part of
-- its cost. A larger one (COPY of a batch) anti-joins the accounts instead of looking each one up
-- from a correlated subquery, which let PostgreSQL hash them: 1.7 ms instead of 4.2 ms for 1,000
-- transfers. PL/pgSQL keeps each query's plan from its first run, so each size class has its own
-- query. Either way a missing account or a ledger mismatch is reported before a bad pending_id.
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION ledger_transfers_check() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    bad record;
BEGIN
    IF (SELECT count(*) FROM ledger_new_transfers) <= 64 THEN
        SELECT n.id, n.ledger,
            (SELECT a.ledger FROM ledger_accounts a WHERE a.id = n.debit_account_id) IS DISTINCT FROM n.ledger
                OR (SELECT a.ledger FROM ledger_accounts a WHERE a.id = n.credit_account_id) IS DISTINCT FROM n.ledger
                AS wrong_ledger
        INTO bad FROM ledger_new_transfers n
        WHERE (SELECT a.ledger FROM ledger_accounts a WHERE a.id = n.debit_account_id) IS DISTINCT FROM n.ledger
           OR (SELECT a.ledger FROM ledger_accounts a WHERE a.id = n.credit_account_id) IS DISTINCT FROM n.ledger
           OR (n.pending_id IS NOT NULL AND NOT EXISTS (
                SELECT 1 FROM ledger_transfers p
                WHERE p.id = n.pending_id AND p.pending AND p.ledger = n.ledger AND p.amount >= n.amount
                  AND p.debit_account_id = n.debit_account_id AND p.credit_account_id = n.credit_account_id))
        ORDER BY 3 DESC
        LIMIT 1;
    ELSE
        -- No LIMIT: it would make the planner expect an early hit and look each account up.
        SELECT x.id, x.ledger, true AS wrong_ledger INTO bad FROM (
            SELECT n.id, n.ledger, n.debit_account_id AS account_id FROM ledger_new_transfers n
            UNION ALL SELECT n.id, n.ledger, n.credit_account_id FROM ledger_new_transfers n) x
        WHERE NOT EXISTS (SELECT FROM ledger_accounts a WHERE a.id = x.account_id AND a.ledger = x.ledger);
        IF NOT FOUND THEN
            SELECT n.id, n.ledger, false AS wrong_ledger INTO bad FROM ledger_new_transfers n
            WHERE n.pending_id IS NOT NULL AND NOT EXISTS (
                SELECT 1 FROM ledger_transfers p
                WHERE p.id = n.pending_id AND p.pending AND p.ledger = n.ledger AND p.amount >= n.amount
                  AND p.debit_account_id = n.debit_account_id AND p.credit_account_id = n.credit_account_id);
        END IF;
    END IF;
    IF FOUND AND bad.wrong_ledger THEN
        RAISE EXCEPTION 'ledger transfer %: an account is missing or not in ledger %', bad.id, bad.ledger
            USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'ledger_transfers_same_ledger';
    ELSIF FOUND THEN
        RAISE EXCEPTION 'ledger transfer %: pending_id names no pending transfer it can resolve', bad.id
            USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'ledger_transfers_pending_id';
    END IF;
    RETURN NULL;
END $$;
-- +goose StatementEnd

-- +goose Down
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION ledger_transfers_check() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    bad record;
BEGIN
    SELECT n.id, n.ledger INTO bad FROM ledger_new_transfers n
    WHERE (SELECT a.ledger FROM ledger_accounts a WHERE a.id = n.debit_account_id) IS DISTINCT FROM n.ledger
       OR (SELECT a.ledger FROM ledger_accounts a WHERE a.id = n.credit_account_id) IS DISTINCT FROM n.ledger
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'ledger transfer %: an account is missing or not in ledger %', bad.id, bad.ledger
            USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'ledger_transfers_same_ledger';
    END IF;
    SELECT n.id INTO bad FROM ledger_new_transfers n
    WHERE n.pending_id IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM ledger_transfers p
        WHERE p.id = n.pending_id AND p.pending AND p.ledger = n.ledger AND p.amount >= n.amount
          AND p.debit_account_id = n.debit_account_id AND p.credit_account_id = n.credit_account_id)
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'ledger transfer %: pending_id names no pending transfer it can resolve', bad.id
            USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'ledger_transfers_pending_id';
    END IF;
    RETURN NULL;
END $$;
-- +goose StatementEnd
DROP TRIGGER ledger_accounts_ledger_name ON ledger_accounts;
DROP FUNCTION ledger_accounts_ledger_name();
ALTER TABLE ledger_accounts ADD CONSTRAINT ledger_accounts_ledger_check CHECK (
    ledger ~ '^[a-z0-9_-]{1,32}:[A-Za-z0-9._-]{1,32}$');
DROP FUNCTION ledger_expect_rows(text, bigint, bigint);

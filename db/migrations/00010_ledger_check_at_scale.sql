-- +goose Up
-- The transfers check (00009) for large statements anti-joined the new transfers' accounts with
-- ledger_accounts, which PostgreSQL does by reading the whole accounts table into a hash: 1.7 ms a
-- batch of 1,000 over 1,000 accounts, but 15 ms over 100,000, growing with the table rather than
-- the batch. Now it looks each account up in the primary key once the table has more than 32 rows
-- per transfer of the statement (the point where the lookups, about 2 µs each, cost less than
-- hashing the table, about 0.15 µs a row). The OFFSET 0 keeps the lookup a correlated subquery,
-- whatever the planner estimates. reltuples is the table's size as of its last ANALYZE (-1 before
-- the first one: small).
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION ledger_transfers_check() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    bad record;
    n bigint;
BEGIN
    n := (SELECT count(*) FROM ledger_new_transfers);
    IF n <= 64 THEN
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
        IF (SELECT c.reltuples FROM pg_class c WHERE c.oid = 'ledger_accounts'::regclass) > 32 * n THEN
            SELECT x.id, x.ledger, true AS wrong_ledger INTO bad FROM (
                SELECT n.id, n.ledger, n.debit_account_id AS account_id FROM ledger_new_transfers n
                UNION ALL SELECT n.id, n.ledger, n.credit_account_id FROM ledger_new_transfers n) x
            WHERE NOT EXISTS (SELECT FROM ledger_accounts a WHERE a.id = x.account_id AND a.ledger = x.ledger OFFSET 0);
        ELSE
            -- No LIMIT: it would make the planner expect an early hit and look each account up.
            SELECT x.id, x.ledger, true AS wrong_ledger INTO bad FROM (
                SELECT n.id, n.ledger, n.debit_account_id AS account_id FROM ledger_new_transfers n
                UNION ALL SELECT n.id, n.ledger, n.credit_account_id FROM ledger_new_transfers n) x
            WHERE NOT EXISTS (SELECT FROM ledger_accounts a WHERE a.id = x.account_id AND a.ledger = x.ledger);
        END IF;
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
-- 00009's version.
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

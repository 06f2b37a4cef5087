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

-- What each role may do: exactly db.Grants (db/roles.go), the table docs/security.md shows; every
-- process's /readyz refuses a role that may do more. Column lists are deliberate: no role but the
-- owner may change a payment's parties (seller_address, buyer_address), deposit_index,
-- deposit_address or chain_id, write an amount it did not observe, or touch the signer's tables.

-- Every process: its heartbeat, and the migration versions its /readyz compares.
GRANT SELECT ON goose_db_version, river_migration TO amn_api, amn_indexer, amn_worker, amn_signer;
GRANT SELECT, INSERT ON process_heartbeat TO amn_api, amn_indexer, amn_worker;
GRANT UPDATE (seen_at, version) ON process_heartbeat TO amn_api, amn_indexer, amn_worker;
GRANT SELECT ON payments, payment_timeline, ledger_accounts, ledger_transfers, ledger_entries, ledger_pending
    TO amn_api, amn_indexer, amn_worker;
GRANT INSERT ON payment_timeline TO amn_api, amn_indexer, amn_worker;

-- amn_api: creates payments (state and amounts take their defaults) and their ledger accounts
-- (balances start at zero), asks for transitions (below), takes webhooks, enqueues payment checks,
-- records intents for the signer and custody enrolments and approvals.
GRANT INSERT (id, buyer_ref, offer_ref, seller_address, buyer_address, chain_id, ledger, token_address,
    token_decimals, amount, fee, fee_address, commission, tolerance, deposit_index, deposit_address, request_id,
    salt, reference, expires_at, watch_until, deposit_account, created_at, updated_at) ON payments TO amn_api;
GRANT UPDATE (state, disputed_from, updated_at) ON payments TO amn_api;
GRANT USAGE ON SEQUENCE deposit_index_seq TO amn_api;
GRANT INSERT (id, ledger, code, owner_ref, debits_must_not_exceed_credits, credits_must_not_exceed_debits)
    ON ledger_accounts TO amn_api, amn_worker;
GRANT SELECT, INSERT ON webhook_deliveries TO amn_api;
GRANT SELECT ON signer_intents, signer_txs TO amn_api, amn_worker;
GRANT SELECT ON signer_audit TO amn_api;
GRANT INSERT (id, kind, payment_id, chain_id, contract, token, seller, seller_amount, fee_recipient, fee_amount,
    buyer, amount, recipient, resolves_dispute, deadline, state, requested_by) ON signer_intents TO amn_api, amn_worker;
GRANT SELECT, INSERT ON custodians, custody_challenges, custody_approvals TO amn_api;
GRANT UPDATE (label, hardware, enrolled_at, chain_id, contract, path, device, challenge, proof, updated_at) ON custodians TO amn_api;
GRANT UPDATE (used_at) ON custody_challenges TO amn_api;
GRANT UPDATE (signature, created_at) ON custody_approvals TO amn_api;

-- amn_indexer: its own tables, and payments and the books moved as the chain moves them.
GRANT UPDATE (state, received, pending_amount, pending_count, paid_late, updated_at) ON payments TO amn_indexer;
GRANT SELECT, INSERT ON deposit_exceptions TO amn_indexer;
GRANT USAGE ON SEQUENCE deposit_exceptions_id_seq TO amn_indexer;
GRANT SELECT, INSERT ON indexer_checkpoints, indexer_blocks, indexer_observations TO amn_indexer;
GRANT UPDATE (processed, processed_hash, halted, halt_reason, halted_at, status, updated_at) ON indexer_checkpoints TO amn_indexer;
GRANT UPDATE (hash, parent_hash), DELETE ON indexer_blocks TO amn_indexer;
GRANT UPDATE (state, note, updated_at) ON indexer_observations TO amn_indexer;
GRANT SELECT, UPDATE (done_at) ON indexer_rescans TO amn_indexer;

-- amn_indexer and amn_worker write ledger transfers (through package ledger only: entries and
-- balances in the same statement).
GRANT INSERT ON ledger_transfers, ledger_entries, ledger_pending TO amn_indexer, amn_worker;
GRANT UPDATE (state, resolved_by) ON ledger_pending TO amn_indexer, amn_worker;
GRANT UPDATE (debits_pending, debits_posted, credits_pending, credits_posted, entry_seq) ON ledger_accounts TO amn_indexer, amn_worker;

-- amn_worker: expiry and the signer's follow-ups move payments; gas booking marks intents booked.
GRANT UPDATE (state, updated_at) ON payments TO amn_worker;
GRANT SELECT, INSERT ON indexer_rescans TO amn_worker;
GRANT UPDATE (gas_booked_at) ON signer_intents TO amn_worker;

-- The job queue: the API and the indexer only insert jobs (a unique job's conflict "updates" its
-- kind to return the row); the worker works them. River's own tables, created by its migrations
-- before ours. River's periodic REINDEX needs the owner: the worker does not run it (jobs package).
GRANT SELECT, INSERT, UPDATE (kind) ON river_job TO amn_api, amn_indexer;
GRANT SELECT, INSERT, UPDATE, DELETE ON river_job, river_leader, river_queue TO amn_worker;
GRANT USAGE ON SEQUENCE river_job_id_seq TO amn_api, amn_indexer, amn_worker;

-- Intent state past pending is written by the signer alone: the others have no UPDATE of state
-- (above), and may insert an intent only as pending or awaiting_approvals. The owner is not bound
-- by these policies (and must not be used by any process).
ALTER TABLE signer_intents ENABLE ROW LEVEL SECURITY;
CREATE POLICY signer_intents_read ON signer_intents FOR SELECT USING (true);
CREATE POLICY signer_intents_update ON signer_intents FOR UPDATE USING (true) WITH CHECK (true);
CREATE POLICY signer_intents_new ON signer_intents FOR INSERT WITH CHECK (state IN ('pending', 'awaiting_approvals'));

-- amn_api only asks: of the payment state machine (payment/state.go) it may make the requesters'
-- events and nothing else (a second line behind package payment: the chain's events are the
-- indexer's, the signer's follow-ups the worker's). It applies to amn_api and to every login that
-- holds its privileges; not to superusers or the owner.
-- +goose StatementBegin
CREATE FUNCTION payments_requested_transitions() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (NEW.state, NEW.disputed_from) IS NOT DISTINCT FROM (OLD.state, OLD.disputed_from)
       OR NOT pg_has_role(current_user, 'amn_api', 'USAGE')
       OR (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        RETURN NEW;
    END IF;
    IF (NEW.disputed_from IS NULL AND (
            (OLD.state = 'in_escrow' AND NEW.state = 'release_pending')                        -- request_release
         OR (OLD.state IN ('in_escrow', 'release_pending') AND NEW.state = 'refund_pending')   -- request_refund
         OR (OLD.state = 'disputed' AND (NEW.state = OLD.disputed_from                          -- resolve
                OR (NEW.state IN ('release_pending', 'refund_pending')
                    AND OLD.disputed_from IN ('in_escrow', 'release_pending', 'refund_pending'))))))
       OR (NEW.state = 'disputed' AND NEW.disputed_from = OLD.state                             -- dispute
           AND OLD.state IN ('funded', 'underpaid', 'overpaid', 'late', 'sweeping', 'in_escrow', 'release_pending', 'refund_pending')) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'payment %: % → % is not a transition % may make (only the chain moves money state)',
        OLD.id, OLD.state, NEW.state, current_user USING ERRCODE = 'insufficient_privilege';
END
$$;
-- +goose StatementEnd
CREATE TRIGGER payments_requested_transitions BEFORE UPDATE OF state, disputed_from ON payments
    FOR EACH ROW EXECUTE FUNCTION payments_requested_transitions();

-- amn_signer: its readiness reads the migration versions too (its other grants are 00005's).

-- +goose Down
DROP TRIGGER payments_requested_transitions ON payments;
DROP FUNCTION payments_requested_transitions();
DROP POLICY signer_intents_new ON signer_intents;
DROP POLICY signer_intents_update ON signer_intents;
DROP POLICY signer_intents_read ON signer_intents;
ALTER TABLE signer_intents DISABLE ROW LEVEL SECURITY;
REVOKE ALL ON goose_db_version, river_migration FROM amn_signer;
REVOKE ALL ON goose_db_version, river_migration, process_heartbeat, payments, payment_timeline, ledger_accounts,
    ledger_transfers, ledger_entries, ledger_pending, webhook_deliveries, deposit_exceptions, signer_intents, signer_txs,
    signer_audit, custodians, custody_challenges, custody_approvals, indexer_checkpoints, indexer_blocks,
    indexer_observations, indexer_rescans, river_job, river_leader, river_queue
    FROM amn_api, amn_indexer, amn_worker;
REVOKE ALL ON SEQUENCE deposit_index_seq, deposit_exceptions_id_seq, river_job_id_seq FROM amn_api, amn_indexer, amn_worker;
REVOKE USAGE ON SCHEMA public FROM amn_api, amn_indexer, amn_worker;

-- +goose Up
-- The processes and commands work as their roles (#13, docs/security.md "Roles and logins");
-- running their code paths as those roles showed what 00011 and later left out, and what they
-- gave too widely.

-- `amn payments show` (amn_api) lists a payment's quarantined observations: chain facts the API
-- shows, never writes.
GRANT SELECT ON indexer_observations TO amn_api;

-- amn_indexer books the escrow's final Frozen event: the payment becomes disputed, remembering
-- the state it was frozen from (payment.Service.Frozen). And `amn indexer requeue` links a
-- requeued observation to the transfer it finally made.
GRANT UPDATE (disputed_from) ON payments TO amn_indexer;
GRANT UPDATE (transfer_id) ON indexer_observations TO amn_indexer;

-- Custodians are enrolled by `amn custody enroll` alone, as amn_custody: whether a custodian is
-- hardware-held is the enrolling command's word (it knows what device it talked to) and the
-- signer's --custody-require-hardware counts approvals by it, so a compromised API host must not
-- be able to enrol a custodian or mark one hardware-held. amn_api keeps reading custodians (to
-- check and store approvals); enrolment challenges are amn_custody's only.
-- +goose StatementBegin
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'amn_custody') THEN
        BEGIN
            CREATE ROLE amn_custody NOLOGIN;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
        END;
    END IF;
END
$$;
-- +goose StatementEnd
GRANT USAGE ON SCHEMA public TO amn_custody;
GRANT SELECT, INSERT ON custodians, custody_challenges TO amn_custody;
GRANT UPDATE (label, hardware, enrolled_at, chain_id, contract, path, device, challenge, proof, updated_at) ON custodians TO amn_custody;
GRANT UPDATE (used_at) ON custody_challenges TO amn_custody;
REVOKE INSERT, UPDATE ON custodians FROM amn_api;
REVOKE ALL ON custody_challenges FROM amn_api;

-- +goose Down
REVOKE ALL ON custodians, custody_challenges FROM amn_custody;
REVOKE USAGE ON SCHEMA public FROM amn_custody;
GRANT SELECT, INSERT ON custodians, custody_challenges TO amn_api;
GRANT UPDATE (label, hardware, enrolled_at, chain_id, contract, path, device, challenge, proof, updated_at) ON custodians TO amn_api;
GRANT UPDATE (used_at) ON custody_challenges TO amn_api;
REVOKE UPDATE (transfer_id) ON indexer_observations FROM amn_indexer;
REVOKE UPDATE (disputed_from) ON payments FROM amn_indexer;
REVOKE SELECT ON indexer_observations FROM amn_api;

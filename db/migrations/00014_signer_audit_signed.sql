-- +goose Up
-- The signer's audit log becomes keyed and append-only (issue #13 finding 7; docs/signer.md).
--
-- signature: the operator key's EIP-191 signature (65 bytes, v 27/28) of the row's hash. Only the
-- signer holds that key, so the database owner can no longer rewrite rows and recompute the
-- chain: the signatures would not recover to the operator address. Rows written before this
-- migration have none (amn signer audit verify --signed-from names where signing starts).
ALTER TABLE signer_audit ADD COLUMN signature bytea CHECK (signature IS NULL OR length(signature) = 65);
-- amn_signer keeps SELECT, INSERT (00005), which covers the new column. No role may change or
-- remove a row, nor hang a trigger on the table that would; only the owner (amn migrate) can.
REVOKE UPDATE, DELETE, TRUNCATE, TRIGGER ON signer_audit FROM PUBLIC, amn_signer, amn_api, amn_indexer, amn_worker;

-- +goose Down
ALTER TABLE signer_audit DROP COLUMN signature;

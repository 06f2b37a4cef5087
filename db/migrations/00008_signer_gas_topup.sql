-- +goose Up
-- Standalone gas top-ups (docs/signer.md, "Gas top-ups"): native currency from the gas tank to an
-- address the signer's policy allows. recipient is where it goes; amount is in wei.
ALTER TABLE signer_intents ADD COLUMN recipient text CHECK (recipient ~ '^0x[0-9a-f]{40}$');
-- NOT VALID: earlier gas_topup rows (refused by the signer before this) are left as they are.
ALTER TABLE signer_intents ADD CONSTRAINT signer_intents_gas_topup CHECK (
    kind <> 'gas_topup' OR (recipient IS NOT NULL AND amount > 0 AND payment_id IS NULL)) NOT VALID;
-- One open top-up per recipient and chain: asking twice while the first is under way does not
-- send twice.
CREATE UNIQUE INDEX signer_intents_one_open_topup ON signer_intents (chain_id, recipient)
    WHERE kind = 'gas_topup' AND state NOT IN ('done', 'rejected');

-- +goose Down
DROP INDEX signer_intents_one_open_topup;
ALTER TABLE signer_intents DROP CONSTRAINT signer_intents_gas_topup;
ALTER TABLE signer_intents DROP COLUMN recipient;

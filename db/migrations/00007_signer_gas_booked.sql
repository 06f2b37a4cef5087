-- +goose Up
-- Gas in the books (package signer/intent, BookGas; see docs/signer.md, "Gas in the books").
--
-- The signer cannot write the ledger, so the worker books what its transactions cost in the
-- chain's native-currency ledger once an intent is finished. gas_booked_at marks an intent whose
-- gas the worker has booked, in the same transaction as the ledger transfers (whose ids are
-- derived from the intent, so booking again would write nothing anyway). amn_signer cannot set it:
-- its UPDATE grant names its own columns only.
ALTER TABLE signer_intents ADD COLUMN gas_booked_at timestamptz;
CREATE INDEX signer_intents_gas_unbooked ON signer_intents (updated_at)
    WHERE gas_booked_at IS NULL AND state IN ('done', 'rejected');

-- +goose Down
DROP INDEX signer_intents_gas_unbooked;
ALTER TABLE signer_intents DROP COLUMN gas_booked_at;

-- +goose NO TRANSACTION
-- +goose Up
-- A 'settle' intent asks the signer for AmnEscrow.settle (#19): the buyer's part (buyer_amount, to
-- buyer), the seller's (seller_amount, to seller) and the platform's fee (fee_amount, to
-- fee_recipient), approved by the custodians like a release. It moves money out of escrow, so it
-- counts as one of the payment's open money-moving intents: at most one of sweep, release, refund
-- and settle is open per payment. The value cannot be used in the transaction that adds it: this
-- migration runs outside one.
ALTER TYPE signer_intent_kind ADD VALUE IF NOT EXISTS 'settle';

ALTER TABLE signer_intents ADD COLUMN IF NOT EXISTS buyer_amount numeric(78,0) CHECK (buyer_amount >= 0);
GRANT INSERT (buyer_amount) ON signer_intents TO amn_api, amn_worker;

CREATE UNIQUE INDEX IF NOT EXISTS signer_intents_one_open_payout ON signer_intents (payment_id)
    WHERE kind IN ('sweep', 'release', 'refund', 'settle') AND state NOT IN ('done', 'rejected');
DROP INDEX IF EXISTS signer_intents_one_open;
ALTER INDEX signer_intents_one_open_payout RENAME TO signer_intents_one_open;

-- +goose Down
-- An enum value cannot be dropped: 'settle' stays in signer_intent_kind.
CREATE UNIQUE INDEX IF NOT EXISTS signer_intents_one_open_old ON signer_intents (payment_id)
    WHERE kind IN ('sweep', 'release', 'refund') AND state NOT IN ('done', 'rejected');
DROP INDEX IF EXISTS signer_intents_one_open;
ALTER INDEX signer_intents_one_open_old RENAME TO signer_intents_one_open;
ALTER TABLE signer_intents DROP COLUMN IF EXISTS buyer_amount;

-- +goose Up
-- A resumed dispute (payment.OutcomeResume) asks the signer to lift the escrow's freeze
-- (AmnEscrow.unfreeze, the operator being the arbiter): an 'unfreeze' intent. The signer lifts it
-- only once every approval given before the freeze has expired (docs/signer.md, "Disputes freeze
-- the escrow"). One open unfreeze per payment is kept by intent.Store.RequestUnfreeze.
ALTER TYPE signer_intent_kind ADD VALUE IF NOT EXISTS 'unfreeze';

-- +goose Down
-- An enum value cannot be dropped: 'unfreeze' stays in signer_intent_kind.
SELECT 1;

-- +goose NO TRANSACTION
-- +goose Up
-- A dispute settled by an exact split (#19, payment.ResolveSplit, AmnEscrow.settle): the payment
-- goes disputed → settle_pending (the split decided, custodians to approve) → settling (the signer
-- submitted AmnEscrow.settle; the ledger reserves the three parts) → settled (the Settled event is
-- final). split_buyer_amount is the buyer's part in base units; the seller's part and the
-- platform's fee follow from it by the rule in docs/signer.md (payment.SplitOf). A value added to
-- an enum cannot be used in the transaction that adds it: this migration runs outside one, each
-- statement idempotent.
ALTER TYPE payment_state ADD VALUE IF NOT EXISTS 'settle_pending' AFTER 'reclaimed';
ALTER TYPE payment_state ADD VALUE IF NOT EXISTS 'settling' AFTER 'settle_pending';
ALTER TYPE payment_state ADD VALUE IF NOT EXISTS 'settled' AFTER 'settling';

ALTER TABLE payments ADD COLUMN IF NOT EXISTS split_buyer_amount numeric(78,0)
    CHECK (split_buyer_amount > 0);
ALTER TABLE payments DROP CONSTRAINT IF EXISTS payments_split_decided;
ALTER TABLE payments ADD CONSTRAINT payments_split_decided
    CHECK (state NOT IN ('settle_pending', 'settling', 'settled') OR split_buyer_amount IS NOT NULL);

-- Every role that moves payments reads the whole row; the API decides a split (ResolveSplit), the
-- indexer books one the chain made without it (Settled).
GRANT SELECT (split_buyer_amount) ON payments TO amn_api, amn_indexer, amn_worker, amn_signer;
GRANT UPDATE (split_buyer_amount) ON payments TO amn_api, amn_indexer;

-- amn_api only asks (00011, 00026): it may now also resolve a dispute into a split, and dispute a
-- split not yet submitted (settle_pending) again.
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION payments_requested_transitions() RETURNS trigger LANGUAGE plpgsql AS $$
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
                OR (NEW.state IN ('release_pending', 'refund_pending', 'settle_pending')       -- resolve, resolve_split
                    AND OLD.disputed_from IN ('in_escrow', 'release_pending', 'refund_pending', 'settle_pending'))))))
       OR (OLD.state = 'awaiting_payment' AND NEW.state = 'expired' AND NEW.disputed_from IS NULL)  -- withdraw: the buyer cancelled before paying
       OR (NEW.state = 'disputed' AND NEW.disputed_from = OLD.state                             -- dispute
           AND OLD.state IN ('funded', 'underpaid', 'overpaid', 'late', 'sweeping', 'in_escrow', 'release_pending', 'refund_pending', 'settle_pending')) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'payment %: % → % is not a transition % may make (only the chain moves money state)',
        OLD.id, OLD.state, NEW.state, current_user USING ERRCODE = 'insufficient_privilege';
END
$$;
-- +goose StatementEnd

-- +goose Down
-- Enum values cannot be dropped: 'settle_pending', 'settling' and 'settled' stay.
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION payments_requested_transitions() RETURNS trigger LANGUAGE plpgsql AS $$
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
       OR (OLD.state = 'awaiting_payment' AND NEW.state = 'expired' AND NEW.disputed_from IS NULL)  -- withdraw: the buyer cancelled before paying
       OR (NEW.state = 'disputed' AND NEW.disputed_from = OLD.state                             -- dispute
           AND OLD.state IN ('funded', 'underpaid', 'overpaid', 'late', 'sweeping', 'in_escrow', 'release_pending', 'refund_pending')) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'payment %: % → % is not a transition % may make (only the chain moves money state)',
        OLD.id, OLD.state, NEW.state, current_user USING ERRCODE = 'insufficient_privilege';
END
$$;
-- +goose StatementEnd
ALTER TABLE payments DROP CONSTRAINT IF EXISTS payments_split_decided;
ALTER TABLE payments DROP COLUMN IF EXISTS split_buyer_amount;

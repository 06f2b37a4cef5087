-- +goose Up
-- Parties proven by their wallets (package payment, parties.go; docs/payments.md "Parties"). A
-- payment's seller_address comes with the seller's EIP-712 Offer signature (over offer_ref,
-- chain_id, token_address, amount and the payout address), given at creation; its buyer_address
-- (the refund address) comes with the buyer's EIP-712 Checkout signature (over the payment id,
-- deposit_address, token_address, amount and seller_address), given once at checkout and fixed
-- from then on. The signer recovers both before it records them in the escrow; the database only
-- keeps them together and fixed (PostgreSQL cannot recover a signature).
ALTER TABLE payments
    ADD COLUMN seller_signature bytea CHECK (length(seller_signature) = 65),
    ADD COLUMN buyer_signature  bytea CHECK (length(buyer_signature) = 65);

-- Payments created before this migration have no proofs: they are left as they are, and the signer
-- refuses to sweep them. The trigger checks what a statement writes: a new payment carries the
-- seller's proof; the buyer's address and proof are written together, once, and never changed.
-- +goose StatementBegin
CREATE FUNCTION payments_parties_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.seller_signature IS NULL THEN
            RAISE EXCEPTION 'payment %: seller address % needs the seller''s offer signature', NEW.id, NEW.seller_address
                USING ERRCODE = 'check_violation', CONSTRAINT = 'payments_parties_fixed';
        END IF;
        IF (NEW.buyer_address IS NULL) <> (NEW.buyer_signature IS NULL) THEN
            RAISE EXCEPTION 'payment %: a buyer address needs the buyer''s checkout signature', NEW.id
                USING ERRCODE = 'check_violation', CONSTRAINT = 'payments_parties_fixed';
        END IF;
        RETURN NEW;
    END IF;
    IF (NEW.seller_address, NEW.seller_signature) IS DISTINCT FROM (OLD.seller_address, OLD.seller_signature) THEN
        RAISE EXCEPTION 'payment %: the seller''s payout address and offer signature are fixed at creation', OLD.id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'payments_parties_fixed';
    END IF;
    IF (NEW.buyer_address, NEW.buyer_signature) IS DISTINCT FROM (OLD.buyer_address, OLD.buyer_signature)
       AND (OLD.buyer_address IS NOT NULL OR OLD.buyer_signature IS NOT NULL OR NEW.buyer_address IS NULL OR NEW.buyer_signature IS NULL) THEN
        RAISE EXCEPTION 'payment %: the buyer''s refund address is set once, with the buyer''s checkout signature, and never changed', OLD.id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'payments_parties_fixed';
    END IF;
    RETURN NEW;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER payments_parties_fixed BEFORE INSERT OR UPDATE OF seller_address, seller_signature, buyer_address, buyer_signature
    ON payments FOR EACH ROW EXECUTE FUNCTION payments_parties_fixed();

-- The API records the seller's proof when it creates a payment and the buyer's at checkout; every
-- role that reads payments reads the proofs (the signer verifies them before a sweep).
GRANT SELECT (seller_signature, buyer_signature) ON payments TO amn_api, amn_indexer, amn_worker, amn_signer;
GRANT INSERT (seller_signature) ON payments TO amn_api;
GRANT UPDATE (buyer_address, buyer_signature, updated_at) ON payments TO amn_api;

-- +goose Down
REVOKE UPDATE (buyer_address, buyer_signature, updated_at) ON payments FROM amn_api;
REVOKE INSERT (seller_signature) ON payments FROM amn_api;
REVOKE SELECT (seller_signature, buyer_signature) ON payments FROM amn_api, amn_indexer, amn_worker, amn_signer;
DROP TRIGGER payments_parties_fixed ON payments;
DROP FUNCTION payments_parties_fixed();
ALTER TABLE payments DROP COLUMN buyer_signature, DROP COLUMN seller_signature;

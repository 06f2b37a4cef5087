-- +goose Up
-- Split payouts, review of #19 (payment.Settled, payment.ResolveSplit):
-- 1. A final Settled that paid the buyer nothing is booked: the chain is never wrong. A settled
--    payment may record a buyer's part of 0; a decided split (settle_pending, settling) still
--    needs one above 0.
ALTER TABLE payments DROP CONSTRAINT IF EXISTS payments_split_buyer_amount_check;
ALTER TABLE payments ADD CONSTRAINT payments_split_buyer_amount_check
    CHECK (split_buyer_amount > 0 OR (split_buyer_amount = 0 AND state = 'settled'));

-- 2. split_buyer_amount changes only with the transitions that decide or book a split: a dispute
--    resolved into one (disputed → settle_pending, the API's ResolveSplit) and the chain's Settled
--    (→ settled, the indexer). Column grants say which role may write it (00049); this says when,
--    so that no role rewrites a decided split under a settle on its way. (A superuser, repairing
--    by hand, is not held.)
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION payments_split_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.split_buyer_amount IS NOT DISTINCT FROM OLD.split_buyer_amount
       OR (OLD.state = 'disputed' AND NEW.state = 'settle_pending')
       OR (OLD.state <> 'settled' AND NEW.state = 'settled')
       OR (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'payment %: the split changes only when a dispute is resolved into one or the chain settles it (% → %, by %)',
        OLD.id, OLD.state, NEW.state, current_user USING ERRCODE = 'insufficient_privilege';
END
$$;
-- +goose StatementEnd
DROP TRIGGER IF EXISTS payments_split_guard ON payments;
CREATE TRIGGER payments_split_guard BEFORE UPDATE ON payments
    FOR EACH ROW EXECUTE FUNCTION payments_split_guard();

-- +goose Down
DROP TRIGGER IF EXISTS payments_split_guard ON payments;
DROP FUNCTION IF EXISTS payments_split_guard();
ALTER TABLE payments DROP CONSTRAINT IF EXISTS payments_split_buyer_amount_check;
ALTER TABLE payments ADD CONSTRAINT payments_split_buyer_amount_check CHECK (split_buyer_amount > 0) NOT VALID;

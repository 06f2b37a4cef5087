-- +goose Up
-- The marketplace's cancel (package market, docs/market.md): a buyer who cancels a request whose
-- offer was accepted withdraws its unpaid payment at once (payment.Withdraw), so that money that
-- still arrives ends late (refundable), never funded. amn_api may therefore make one more
-- requester's transition: awaiting_payment → expired. It moves no money and only ever makes a
-- payment refuse to be funded; everything else stays the chain's (migration 00011).
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

-- +goose Down
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
       OR (NEW.state = 'disputed' AND NEW.disputed_from = OLD.state                             -- dispute
           AND OLD.state IN ('funded', 'underpaid', 'overpaid', 'late', 'sweeping', 'in_escrow', 'release_pending', 'refund_pending')) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'payment %: % → % is not a transition % may make (only the chain moves money state)',
        OLD.id, OLD.state, NEW.state, current_user USING ERRCODE = 'insufficient_privilege';
END
$$;
-- +goose StatementEnd

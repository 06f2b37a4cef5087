-- +goose Up
-- The signer's leader epoch and the on-chain freeze (package signer; docs/signer.md, "One signer
-- at a time" and "Disputes freeze the escrow").
--
-- Fencing. The signer that holds the leader lock (a session advisory lock on a connection of its
-- own) takes a new epoch in signer_leader when it becomes the leader. Every transaction in which a
-- signer writes signer_txs, signer_nonces or signer_intents first names its epoch
-- (set_config('amn.signer_epoch', …, true)); the triggers below refuse the write unless it is the
-- current one. A signer that lost its lock without noticing (its connection cut, a pause) can then
-- neither store a signature, nor reserve a nonce, nor move an intent: the new leader's epoch is
-- higher. The check takes a share lock on signer_leader, so a new leader's epoch increment waits
-- for the old leader's transaction in flight and every later write of the old one is refused.
-- Writes by the owner (migrations, repairs) and superusers are not fenced; no other role may write
-- these tables at all.
CREATE TABLE signer_leader (
    id        boolean     PRIMARY KEY DEFAULT true CHECK (id),  -- one row
    epoch     bigint      NOT NULL CHECK (epoch >= 0),
    holder    text        NOT NULL DEFAULT '',                  -- operator address and process of the leader
    taken_at  timestamptz
);
INSERT INTO signer_leader (epoch) VALUES (0);

-- The epoch each row was last written under (set by the trigger, for the record).
ALTER TABLE signer_txs ADD COLUMN signer_epoch bigint;
ALTER TABLE signer_nonces ADD COLUMN signer_epoch bigint;
ALTER TABLE signer_intents ADD COLUMN signer_epoch bigint;

-- Whether the current role's writes are the signer's: amn_signer itself or a login inheriting it,
-- not a superuser.
-- +goose StatementBegin
CREATE FUNCTION signer_fenced_writer() RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT NOT r.rolsuper AND pg_has_role(current_user, 'amn_signer', 'USAGE')
    FROM pg_roles r WHERE r.rolname = current_user
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION signer_fence() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    claimed bigint := nullif(current_setting('amn.signer_epoch', true), '')::bigint;
    leader  bigint;
BEGIN
    IF NOT coalesce(signer_fenced_writer(), false) THEN
        RETURN NEW;
    END IF;
    SELECT epoch INTO leader FROM signer_leader FOR SHARE;
    IF claimed IS NULL OR leader IS NULL OR leader = 0 OR claimed <> leader THEN
        RAISE EXCEPTION 'signer epoch % is not the leader''s epoch %: another signer leads', coalesce(claimed::text, '(none)'), leader
            USING ERRCODE = 'SF001', CONSTRAINT = 'signer_fence';
    END IF;
    NEW.signer_epoch := claimed;
    RETURN NEW;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER signer_txs_fence BEFORE INSERT OR UPDATE ON signer_txs FOR EACH ROW EXECUTE FUNCTION signer_fence();
CREATE TRIGGER signer_nonces_fence BEFORE INSERT OR UPDATE ON signer_nonces FOR EACH ROW EXECUTE FUNCTION signer_fence();
CREATE TRIGGER signer_intents_fence BEFORE UPDATE ON signer_intents FOR EACH ROW EXECUTE FUNCTION signer_fence();

-- Taking the lead is an UPDATE of the one row; the share lock of the check needs UPDATE too.
GRANT SELECT, UPDATE (epoch, holder, taken_at) ON signer_leader TO amn_signer;

-- Opening a dispute asks the signer to freeze the escrow on chain (AmnEscrow.freeze, the signer's
-- operator key being the contract's arbiter): approvals of the frozen escrow then work only if they
-- resolve the dispute. PostgreSQL cannot use a new enum value in the transaction that adds it, so
-- nothing below names it; one open freeze per payment is kept by intent.Store.RequestFreeze.
ALTER TYPE signer_intent_kind ADD VALUE IF NOT EXISTS 'freeze';

-- +goose Down
-- An enum value cannot be dropped: 'freeze' stays in signer_intent_kind.
REVOKE ALL ON signer_leader FROM amn_signer;
DROP TRIGGER signer_intents_fence ON signer_intents;
DROP TRIGGER signer_nonces_fence ON signer_nonces;
DROP TRIGGER signer_txs_fence ON signer_txs;
DROP FUNCTION signer_fence();
DROP FUNCTION signer_fenced_writer();
ALTER TABLE signer_intents DROP COLUMN signer_epoch;
ALTER TABLE signer_nonces DROP COLUMN signer_epoch;
ALTER TABLE signer_txs DROP COLUMN signer_epoch;
DROP TABLE signer_leader;

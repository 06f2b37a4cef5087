-- +goose Up
-- Disputes (package dispute owns every table here; docs/disputes.md). A case is one dispute of a
-- funded deal: its parties, why it was opened, where it stands (dispute/state.go), who handles
-- it, and how it ended. Its timeline is append-only and hash-chained: each entry carries the hash
-- of the one before (the trigger below refuses an entry that does not link to its predecessor,
-- and any UPDATE, DELETE or TRUNCATE), and the signed export bundle lets anyone check the chain.

CREATE TABLE dispute_cases (
    id              uuid PRIMARY KEY,
    request_id      uuid NOT NULL,
    payment_id      uuid NOT NULL,
    offer_id        uuid NOT NULL,
    buyer_id        uuid NOT NULL REFERENCES users (id),
    seller_id       uuid NOT NULL REFERENCES users (id),
    opened_by       uuid NOT NULL REFERENCES users (id),
    opener          text NOT NULL CHECK (opener IN ('buyer', 'seller')),
    reason          text NOT NULL CHECK (reason IN ('not_received', 'not_as_described', 'seller_unresponsive',
                        'buyer_unresponsive', 'payment_problem', 'other')),
    status          text NOT NULL CHECK (status IN ('open', 'awaiting_evidence', 'under_review', 'proposed', 'resolved',
                        'escalated', 'withdrawn')),
    -- The market status the dispute found the request in.
    interrupted     text NOT NULL CHECK (length(interrupted) <= 40),
    assigned_admin  uuid REFERENCES users (id),
    conversation_id uuid NOT NULL,
    -- What is at stake: the payment's received amount at opening (base units) and its token.
    amount          numeric(78,0) NOT NULL CHECK (amount >= 0),
    decimals        int NOT NULL CHECK (decimals BETWEEN 0 AND 36),
    ledger          text NOT NULL CHECK (length(ledger) <= 60),
    -- A resolution one admin asked for that waits for a second admin's approval:
    -- {"outcome", "buyerAmount", "replacementDays", "note"}; pending_by is the asking admin.
    pending         jsonb,
    pending_by      uuid REFERENCES users (id),
    resolution      text CHECK (resolution IN ('refund', 'release', 'compensation', 'replacement', 'warning_seller',
                        'ban_seller', 'no_action')),
    resolved_at     timestamptz,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    CHECK (buyer_id <> seller_id),
    CHECK ((pending IS NULL) = (pending_by IS NULL)),
    CHECK ((status = 'resolved') = (resolution IS NOT NULL) AND (status IN ('resolved', 'withdrawn')) = (resolved_at IS NOT NULL))
);
-- One live case per request.
CREATE UNIQUE INDEX dispute_cases_live ON dispute_cases (request_id) WHERE status NOT IN ('resolved', 'withdrawn');
CREATE INDEX dispute_cases_buyer ON dispute_cases (buyer_id, created_at DESC, id DESC);
CREATE INDEX dispute_cases_seller ON dispute_cases (seller_id, created_at DESC, id DESC);
CREATE INDEX dispute_cases_all ON dispute_cases (created_at DESC, id DESC);

-- The timeline. body is the exact JSON text that was hashed (jsonb would reorder it); hash is
-- hex SHA-256 of the entry's canonical form (dispute/timeline.go), prev_hash the previous entry's
-- (64 zeros for the first).
CREATE TABLE dispute_entries (
    case_id    uuid NOT NULL REFERENCES dispute_cases (id),
    seq        int NOT NULL CHECK (seq >= 1),
    kind       text NOT NULL CHECK (kind ~ '^[a-z_]{1,40}$'),
    actor      text NOT NULL CHECK (actor IN ('buyer', 'seller', 'admin', 'system')),
    actor_id   uuid REFERENCES users (id),
    status     text NOT NULL CHECK (length(status) <= 40),
    body       text NOT NULL CHECK (length(body) <= 20000),
    prev_hash  text NOT NULL CHECK (prev_hash ~ '^[0-9a-f]{64}$'),
    hash       text NOT NULL UNIQUE CHECK (hash ~ '^[0-9a-f]{64}$'),
    created_at timestamptz NOT NULL,
    PRIMARY KEY (case_id, seq)
);

-- +goose StatementBegin
CREATE FUNCTION dispute_entries_chain() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    last_seq  int;
    last_hash text;
BEGIN
    IF TG_OP <> 'INSERT' THEN
        RAISE EXCEPTION 'dispute_entries is append-only (%)', TG_OP USING ERRCODE = 'insufficient_privilege';
    END IF;
    SELECT seq, hash INTO last_seq, last_hash FROM dispute_entries WHERE case_id = NEW.case_id ORDER BY seq DESC LIMIT 1;
    IF NEW.seq <> coalesce(last_seq, 0) + 1 OR NEW.prev_hash <> coalesce(last_hash, repeat('0', 64)) THEN
        RAISE EXCEPTION 'dispute entry %/% does not link to the previous entry', NEW.case_id, NEW.seq
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER dispute_entries_chain BEFORE INSERT OR UPDATE OR DELETE ON dispute_entries
    FOR EACH ROW EXECUTE FUNCTION dispute_entries_chain();
CREATE TRIGGER dispute_entries_no_truncate BEFORE TRUNCATE ON dispute_entries
    FOR EACH STATEMENT EXECUTE FUNCTION dispute_entries_chain();

-- Proposed outcomes. The live one (not superseded) is what the parties accept; a new proposal
-- supersedes it.
CREATE TABLE dispute_proposals (
    id                 uuid PRIMARY KEY,
    case_id            uuid NOT NULL REFERENCES dispute_cases (id),
    outcome            text NOT NULL CHECK (outcome IN ('refund', 'release', 'compensation', 'replacement', 'warning_seller',
                           'ban_seller', 'no_action')),
    buyer_amount       numeric(78,0) CHECK (buyer_amount >= 0),
    replacement_days   int CHECK (replacement_days BETWEEN 1 AND 60),
    note               text NOT NULL CHECK (length(note) <= 4000),
    proposed_by        uuid NOT NULL REFERENCES users (id),
    proposer           text NOT NULL CHECK (proposer IN ('buyer', 'seller', 'admin')),
    buyer_accepted_at  timestamptz,
    seller_accepted_at timestamptz,
    superseded_at      timestamptz,
    created_at         timestamptz NOT NULL,
    CHECK ((outcome = 'compensation') = (buyer_amount IS NOT NULL)),
    CHECK ((outcome = 'replacement') = (replacement_days IS NOT NULL))
);
CREATE UNIQUE INDEX dispute_proposals_live ON dispute_proposals (case_id) WHERE superseded_at IS NULL;

GRANT SELECT, INSERT, UPDATE (status, assigned_admin, pending, pending_by, resolution, resolved_at, updated_at) ON dispute_cases TO amn_api;
GRANT SELECT, INSERT ON dispute_entries TO amn_api;
GRANT SELECT, INSERT, UPDATE (buyer_accepted_at, seller_accepted_at, superseded_at) ON dispute_proposals TO amn_api;
-- The worker runs the deadlines: a missing answer is written, a silent case moves to review, an
-- unassigned one escalates.
GRANT SELECT, UPDATE (status, updated_at) ON dispute_cases TO amn_worker;
GRANT SELECT, INSERT ON dispute_entries TO amn_worker;

-- +goose Down
DROP TABLE dispute_proposals;
DROP TABLE dispute_entries;
DROP FUNCTION dispute_entries_chain();
DROP TABLE dispute_cases;

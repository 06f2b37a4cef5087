-- +goose Up
-- Custody enrolment (package custody; see docs/hwwallet.md, "Custody workflow").
--
-- Before a custodian address is recorded as hardware-held, its custodian signs a server challenge
-- on the device. Challenges are random, bound to one address and one escrow, expire, and are
-- consumed by the first enrolment attempt that names them, whether its proof verifies or not.
-- The signer (amn_signer) never reads them: it only sees custodians.hardware.
CREATE TABLE custody_challenges (
    challenge   bytea       PRIMARY KEY CHECK (length(challenge) = 32),
    custodian   text        NOT NULL CHECK (custodian ~ '^0x[0-9a-f]{40}$'),
    chain_id    bigint      NOT NULL CHECK (chain_id > 0),
    contract    text        NOT NULL CHECK (contract ~ '^0x[0-9a-f]{40}$'), -- AmnEscrow
    issued_at   timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz,
    CHECK (expires_at > issued_at)
);
CREATE INDEX custody_challenges_expiry ON custody_challenges (expires_at) WHERE used_at IS NULL;

-- What the last enrolment of a custodian proved, and with what: the escrow the proof names, the
-- derivation path and device it was made with, the challenge and the signature (so the proof can
-- be checked again later with hwwallet.VerifyEnrollment).
ALTER TABLE custodians
    ADD COLUMN chain_id   bigint CHECK (chain_id > 0),
    ADD COLUMN contract   text CHECK (contract ~ '^0x[0-9a-f]{40}$'),
    ADD COLUMN path       text NOT NULL DEFAULT '',
    ADD COLUMN device     text NOT NULL DEFAULT '',
    ADD COLUMN challenge  bytea REFERENCES custody_challenges (challenge),
    ADD COLUMN proof      bytea CHECK (length(proof) = 65),
    ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();

-- +goose Down
ALTER TABLE custodians
    DROP COLUMN updated_at,
    DROP COLUMN proof,
    DROP COLUMN challenge,
    DROP COLUMN device,
    DROP COLUMN path,
    DROP COLUMN contract,
    DROP COLUMN chain_id;
DROP TABLE custody_challenges;

-- +goose Up
-- Enrolment challenges are dropped a day after they expire (custody.Service.IssueChallenge does
-- it as it issues a new one): a used challenge's proof is kept on its custodian's row, an unused
-- one is worthless once expired. Only the custody role enrols, so only it deletes them.
GRANT DELETE ON custody_challenges TO amn_custody;

-- +goose Down
REVOKE DELETE ON custody_challenges FROM amn_custody;

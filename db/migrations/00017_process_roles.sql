-- +goose Up
-- The processes and commands work as their roles (#13, docs/security.md "Roles and logins");
-- running their code paths as those roles showed what 00011 and later left out.

-- `amn payments show` (amn_api) lists a payment's quarantined observations: chain facts the API
-- shows, never writes.
GRANT SELECT ON indexer_observations TO amn_api;

-- +goose Down
REVOKE SELECT ON indexer_observations FROM amn_api;

-- +goose Up
-- The first verification of an email removes the external identities (Telegram, Google) someone
-- else may have linked to the account before its owner proved the address (auth.firstVerification):
-- amn_api may delete them.
GRANT DELETE ON auth_identities TO amn_api;

-- +goose Down
REVOKE DELETE ON auth_identities FROM amn_api;

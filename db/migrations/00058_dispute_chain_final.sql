-- +goose Up
-- A live dispute whose payment ended on chain anyway (released, refunded, reclaimed, settled) is
-- closed by the worker (dispute_close_final): it writes the outcome the chain shows.
GRANT UPDATE (pending, pending_by, resolution, resolved_at) ON dispute_cases TO amn_worker;

-- +goose Down
REVOKE UPDATE (pending, pending_by, resolution, resolved_at) ON dispute_cases FROM amn_worker;

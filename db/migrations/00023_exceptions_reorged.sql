-- +goose Up
-- An exception (money a payment did not ask for, deposit_exceptions) seen in a block that a reorg
-- then removed never arrived: the indexer drops its row in the transaction that marks its
-- observation orphaned (payment.Service.DropExceptions; an exception an operator resolved stays).
-- Only the indexer follows reorgs, so only it deletes them.
GRANT DELETE ON deposit_exceptions TO amn_indexer;

-- +goose Down
REVOKE DELETE ON deposit_exceptions FROM amn_indexer;

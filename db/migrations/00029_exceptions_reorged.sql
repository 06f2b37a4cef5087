-- +goose Up
-- An exception (money a payment did not ask for, deposit_exceptions) seen in a block that a reorg
-- then removed never arrived: the indexer drops its row in the transaction that marks its
-- observation orphaned (payment.Service.DropExceptions; an exception an operator resolved stays).
-- Only the indexer follows reorgs, so only it deletes them.
GRANT DELETE ON deposit_exceptions TO amn_indexer;

-- Before dropping one, the indexer looks whether the same log is a live exception in another
-- block (the transaction mined again): by transaction, among the few exception rows.
CREATE INDEX indexer_observations_exceptions ON indexer_observations (chain_id, tx_hash, log_index)
    WHERE state = 'exception';

-- +goose Down
DROP INDEX indexer_observations_exceptions;
REVOKE DELETE ON deposit_exceptions FROM amn_indexer;

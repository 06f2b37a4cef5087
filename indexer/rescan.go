package indexer

import "context"

// rescans works the chain's open rescan requests (see RequestRescan). The watch set already
// covers every open payment from the checkpoint on, so a rescan only has to make sure the indexer
// is not stuck: it is marked done once the checkpoint has moved past the request.
func (ix *Indexer) rescans(ctx context.Context, cp Checkpoint) error {
	_, err := ix.store.pool.Exec(ctx, `UPDATE indexer_rescans SET done_at = now()
		WHERE chain_id = $1 AND done_at IS NULL AND requested_at < $2`, ix.cfg.ID, cp.UpdatedAt)
	return err
}

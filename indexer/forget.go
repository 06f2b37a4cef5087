package indexer

import (
	"context"

	"github.com/jackc/pgx/v5"
)

// ForgetChains drops what the indexer follows of the given chains (followed blocks and
// checkpoints), in tx, so that their indexers start afresh. Observations, payments and the books
// stay. For local chains that were replaced by new ones with the same ids (`amn dev` restarted):
// on a real chain this would re-read it from the start block.
func ForgetChains(ctx context.Context, tx pgx.Tx, chainIDs []uint64) error {
	for _, q := range []string{
		`DELETE FROM indexer_blocks WHERE chain_id = ANY($1)`,
		`DELETE FROM indexer_checkpoints WHERE chain_id = ANY($1)`,
	} {
		if _, err := tx.Exec(ctx, q, chainIDs); err != nil {
			return err
		}
	}
	return nil
}

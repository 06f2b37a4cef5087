package intent

import (
	"context"

	"github.com/jackc/pgx/v5"
)

// RejectOpenOnChains closes every open intent of the given chains as rejected with reason, in tx.
// For local chains that were replaced by new ones (`amn dev` restarted): their intents can never
// complete. Only the owner login may do it (intent states past pending are the signer's).
func RejectOpenOnChains(ctx context.Context, tx pgx.Tx, chainIDs []uint64, reason string) error {
	_, err := tx.Exec(ctx, `UPDATE signer_intents SET state = 'rejected', reason = $2, updated_at = now()
		WHERE chain_id = ANY($1) AND state NOT IN ('done', 'rejected')`, chainIDs, reason)
	return err
}

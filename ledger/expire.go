package ledger

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// expireBatch bounds one transaction of ExpirePending.
const expireBatch = 500

// ExpirePending voids every open pending transfer whose timeout passed by now and returns how many
// it voided. Each void has an id derived from the pending transfer's, so two runs racing each
// other (or a run racing a post) resolve each pending transfer once: the loser finds it resolved
// and moves on. The worker runs this periodically; running it again is harmless.
func (l *Ledger) ExpirePending(ctx context.Context, now time.Time) (int, error) {
	total := 0
	for {
		var ids []ID
		err := l.read(ctx, func(q querier) error {
			rows, err := q.Query(ctx, `SELECT transfer_id FROM ledger_pending
				WHERE state = 'open' AND expires_at <= $1 ORDER BY expires_at, transfer_id LIMIT $2`, now, expireBatch)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var id ID
				if err := rows.Scan(&id); err != nil {
					return err
				}
				ids = append(ids, id)
			}
			return rows.Err()
		})
		if err != nil {
			return total, fmt.Errorf("ledger: finding expired transfers: %w", err)
		}
		if len(ids) == 0 {
			return total, nil
		}
		voids := make([]Transfer, len(ids))
		for i, id := range ids {
			voids[i] = Transfer{ID: ExpiryID(id), PendingID: id, Flags: VoidPending}
		}
		res, err := l.submit(ctx, voids, false, now)
		if err != nil {
			return total, err
		}
		progress := 0
		for _, r := range res {
			switch {
			case r.Err == nil && !r.Existed:
				total++
				progress++
			case r.Err == nil, errors.Is(r.Err, ErrAlreadyResolved), errors.Is(r.Err, ErrPendingExpired):
				progress++ // someone else resolved it in the meantime
			default:
				return total, r.Err
			}
		}
		// Under WithTx the caller's transaction sees its own voids, so the loop ends; a batch that
		// made no progress would only repeat itself.
		if len(ids) < expireBatch || progress == 0 {
			return total, nil
		}
	}
}

// ExpiryID is the id of the void that expires pending transfer id.
func ExpiryID(pending ID) ID { return DeriveID("expire\x00" + string(pending[:])) }

package intent

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/amanat/amn/ledger"
	"github.com/amanat/amn/payment"
)

// Follow keeps the payments and the books in step with the signer: the signer cannot write
// payments or the ledger, so once it has verified a release or refund and started signing, this
// moves the payment to releasing / refunding (StartRelease / StartRefund: the ledger reserves the
// payout); the indexer then posts it (Released / Refunded) when the contract's event is final.
// Then it books the gas of finished intents (BookGas). It returns how many payments it moved.
// Safe to run concurrently and again.
func (s *Store) Follow(ctx context.Context) (int, error) {
	n, err := s.followPayments(ctx)
	if err != nil {
		return n, err
	}
	_, err = s.BookGas(ctx, 0)
	return n, err
}

func (s *Store) followPayments(ctx context.Context) (int, error) {
	rows, err := s.pool.Query(ctx, `SELECT i.kind, i.payment_id FROM signer_intents i JOIN payments p ON p.id = i.payment_id
		WHERE i.kind IN ('release', 'refund') AND i.state IN ('signing', 'broadcast', 'confirmed', 'done')
		AND ((i.kind = 'release' AND p.state = 'release_pending') OR (i.kind = 'refund' AND p.state = 'refund_pending'))
		LIMIT 500`)
	if err != nil {
		return 0, err
	}
	type todo struct {
		kind Kind
		id   ledger.ID
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (todo, error) {
		var t todo
		err := r.Scan(&t.kind, &t.id)
		return t, err
	})
	if err != nil {
		return 0, err
	}
	n := 0
	for _, t := range list {
		var err error
		if t.kind == Release {
			_, err = s.payments.StartRelease(ctx, t.id)
		} else {
			_, err = s.payments.StartRefund(ctx, t.id)
		}
		switch {
		case err == nil:
			n++
		case errors.Is(err, payment.ErrIllegalTransition):
			// moved by a concurrent run
		default:
			return n, fmt.Errorf("intent follow: payment %s: %w", t.id, err)
		}
	}
	return n, nil
}

// FollowArgs is the periodic job that runs Follow.
type FollowArgs struct{}

// Kind is the job's stable name.
func (FollowArgs) Kind() string { return "signer_follow" }

// InsertOpts keep one such job waiting or running.
func (FollowArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: []rivertype.JobState{
		rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning,
		rivertype.JobStateRetryable, rivertype.JobStateScheduled,
	}}}
}

// FollowWorker runs Follow in the worker role.
type FollowWorker struct {
	river.WorkerDefaults[FollowArgs]
	Intents *Store
}

// Work runs one pass.
func (w *FollowWorker) Work(ctx context.Context, _ *river.Job[FollowArgs]) error {
	_, err := w.Intents.Follow(ctx)
	return err
}

// Timeout keeps a pass short.
func (w *FollowWorker) Timeout(*river.Job[FollowArgs]) time.Duration { return 30 * time.Second }

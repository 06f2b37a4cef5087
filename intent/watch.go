package intent

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/amanat/amn/escrow"
)

// Progress is an intent as it stands: its row, the approvals gathered and the transactions made.
type Progress struct {
	Intent    *Intent
	Approvals []escrow.Approval
	Txs       []Tx
}

// Watch reads the intent's progress every interval and hands each reading to seen, until the
// intent is closed (done or rejected) or ctx ends; it returns the last complete reading (with
// ctx's error when it ended first). It only reads: the signer moves intents, the worker their
// payments.
func (s *Store) Watch(ctx context.Context, id uuid.UUID, every time.Duration, seen func(Progress)) (Progress, error) {
	var last Progress
	for {
		p, err := s.progress(ctx, id)
		if err != nil {
			if ctx.Err() != nil {
				return last, ctx.Err()
			}
			return last, err
		}
		last = p
		seen(p)
		if !p.Intent.State.Open() {
			return p, nil
		}
		select {
		case <-ctx.Done():
			return last, ctx.Err()
		case <-time.After(every):
		}
	}
}

func (s *Store) progress(ctx context.Context, id uuid.UUID) (Progress, error) {
	var p Progress
	var err error
	if p.Intent, err = s.Get(ctx, id); err != nil {
		return p, err
	}
	if p.Approvals, err = s.Approvals(ctx, id); err != nil {
		return p, err
	}
	p.Txs, err = s.Txs(ctx, id)
	return p, err
}

package indexer

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/rpc"
)

// FollowNewHeads subscribes to newHeads on the first WebSocket endpoint (ws:// or wss://) and
// wakes the indexer on every new block, so live detection does not wait for the next poll. With
// no WebSocket endpoint it returns at once and the indexer polls. A dropped subscription is
// re-established with backoff; polling goes on meanwhile. Headers from the subscription are only a
// signal: the indexer reads blocks through the pool as always.
func FollowNewHeads(ctx context.Context, endpoints []string, wake chan<- struct{}, log *slog.Logger) {
	url := ""
	for _, e := range endpoints {
		if strings.HasPrefix(e, "ws://") || strings.HasPrefix(e, "wss://") {
			url = e
			break
		}
	}
	if url == "" {
		return
	}
	backoff := time.Second
	for ctx.Err() == nil {
		err := subscribeOnce(ctx, url, wake)
		if ctx.Err() != nil {
			return
		}
		log.Warn("newHeads subscription ended; polling until it is back", "err", err, "retry_in", backoff)
		t := time.NewTimer(backoff)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
		backoff = min(2*backoff, time.Minute)
	}
}

func subscribeOnce(ctx context.Context, url string, wake chan<- struct{}) error {
	c, err := rpc.DialContext(ctx, url)
	if err != nil {
		return err
	}
	defer c.Close()
	ch := make(chan *types.Header, 16)
	sub, err := c.EthSubscribe(ctx, ch, "newHeads")
	if err != nil {
		return err
	}
	defer sub.Unsubscribe()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case err := <-sub.Err():
			if err == nil {
				err = errors.New("subscription closed")
			}
			return err
		case <-ch:
			select {
			case wake <- struct{}{}:
			default: // a wake-up is already pending
			}
		}
	}
}

// ReconcileEvery reconciles the books with the chain every d until ctx ends, logging mismatches
// (the metric amn_reconcile_difference carries the totals).
func (ix *Indexer) ReconcileEvery(ctx context.Context, d time.Duration) {
	t := time.NewTicker(d)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		r, err := ix.Reconcile(ctx)
		switch {
		case errors.Is(err, ErrNotReconcilable):
			ix.log.Debug("reconciliation skipped", "err", err)
		case err != nil && ctx.Err() == nil:
			ix.log.Warn("reconciliation failed", "err", err)
		default:
			for _, m := range r.Mismatches {
				ix.log.Error("books and chain disagree", "block", r.Block, "token", m.Token, "what", m.What, "address", m.Address,
					"payment_id", m.PaymentID, "on_chain", m.OnChain.String(), "ledger", m.Ledger.String(), "diff", m.Diff.String())
			}
		}
	}
}

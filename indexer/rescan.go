package indexer

import (
	"context"
	"errors"
	"fmt"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"

	"github.com/amanat/amn/ledger"
	"github.com/amanat/amn/payment"
)

// RequestRescan asks the indexer of the payment's chain to look at the payment's deposit address
// and reference again (a Request Network webhook said it was paid, an operator asked). Any
// process may call it; the chain's indexer works the request on its next step. The payment (and
// its chain) is read through payments; an unknown one is payment.ErrNotFound.
func RequestRescan(ctx context.Context, pool *pgxpool.Pool, payments *payment.Service, id ledger.ID, why string) error {
	p, err := payments.Get(ctx, id)
	if err != nil {
		return fmt.Errorf("indexer: rescan of %s: %w", id, err)
	}
	if _, err := pool.Exec(ctx, `INSERT INTO indexer_rescans (payment_id, chain_id, why) VALUES ($1, $2, $3)`, p.ID, p.ChainID, why); err != nil {
		return fmt.Errorf("indexer: requesting a rescan of %s: %w", id, err)
	}
	return nil
}

// CheckWorker works payment.CheckArgs jobs (queue payment.CheckQueue) by turning each into a
// rescan request for the payment's chain's indexer: the worker needs no RPC endpoint, and each
// chain's indexer takes only its own requests.
type CheckWorker struct {
	river.WorkerDefaults[payment.CheckArgs]
	Pool     *pgxpool.Pool
	Payments *payment.Service // on Pool
}

// Work records the rescan request; a job for a payment that does not exist is cancelled.
func (w *CheckWorker) Work(ctx context.Context, job *river.Job[payment.CheckArgs]) error {
	id, err := ledger.ParseID(job.Args.PaymentID)
	if err != nil {
		return river.JobCancel(fmt.Errorf("payment id %q: %w", job.Args.PaymentID, err))
	}
	err = RequestRescan(ctx, w.Pool, w.Payments, id, job.Args.Why)
	if errors.Is(err, payment.ErrNotFound) {
		return river.JobCancel(err)
	}
	return err
}

// rescans works the chain's open rescan requests: for each payment, the fee proxies' events with
// its reference and the token Transfers to its deposit address are fetched again over the kept
// window of followed blocks (up to the checkpoint) and recorded like any match — which does nothing
// for what was already seen. Native transfers are found only by the regular scan (they need every
// block's transactions).
func (ix *Indexer) rescans(ctx context.Context, cp Checkpoint) error {
	rows, err := ix.store.pool.Query(ctx, `SELECT DISTINCT payment_id FROM indexer_rescans WHERE chain_id = $1 AND done_at IS NULL`, ix.cfg.ID)
	if err != nil {
		return err
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[ledger.ID])
	if err != nil || len(ids) == 0 {
		return err
	}
	lowest, ok, err := ix.store.lowestBlock(ctx, ix.cfg.ID)
	if err != nil || !ok {
		return err
	}
	from := max(lowest, cp.Processed-min(cp.Processed, ix.o.Window))
	hashes, err := ix.store.blockHashes(ctx, ix.cfg.ID, from, cp.Processed)
	if err != nil {
		return err
	}
	hashAt := func(n uint64) common.Hash { return hashes[n] }
	for _, id := range ids {
		p, err := ix.payments.Get(ctx, id)
		if err != nil {
			return err
		}
		w := NewWatchSet([]WatchEntry{{PaymentID: p.ID, Deposit: p.Deposit, Reference: p.Reference}})
		logs, err := ix.fetchLogs(ctx, w, from, cp.Processed, hashAt)
		if err != nil {
			return err
		}
		// The escrow contract's events are the regular scan's.
		var own []types.Log
		for _, l := range logs {
			if l.Address != ix.cfg.Escrow {
				own = append(own, l)
			}
		}
		ms := match(matchInput{chainID: ix.cfg.ID, logs: own, proxies: ix.proxies, tokens: ix.tokens}, w)
		if err := ix.record(ctx, ms, nil, 0); err != nil {
			return err
		}
		ix.log.Info("rescanned payment", "payment_id", id, "from", from, "to", cp.Processed, "matches", len(ms))
		if _, err := ix.store.pool.Exec(ctx, `UPDATE indexer_rescans SET done_at = now() WHERE payment_id = $1 AND done_at IS NULL`, id); err != nil {
			return err
		}
	}
	return nil
}

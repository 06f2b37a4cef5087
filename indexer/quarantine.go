package indexer

import (
	"context"
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/amanat/amn/ledger"
	"github.com/amanat/amn/payment"
)

// Quarantine: one payment never stops a chain (#14). When a payment refuses an event for a reason
// retrying will not fix (payment.Refused, or the database refuses its row), the indexer records
// the observation as quarantined — the error in its note, what to retry in quarantine_op — counts
// it in amn_indexer_quarantined, logs a CRITICAL line naming the payment, and goes on with every
// other payment. `amn payments show` lists a payment's quarantined observations; after a fix,
// `amn indexer requeue PAYMENT` (Requeue) retries them.

// QuarantinedObservation is one observation a payment refused.
type QuarantinedObservation struct {
	ChainID     uint64    `json:"chain_id"`
	BlockNumber uint64    `json:"block_number"`
	BlockHash   string    `json:"block_hash"`
	TxHash      string    `json:"tx_hash"`
	LogIndex    uint64    `json:"log_index"`
	Kind        string    `json:"kind"`
	Incarnation uint32    `json:"incarnation,omitempty"` // the times its block came back after a reorg
	Amount      string    `json:"amount"`
	Op          string    `json:"op"`    // what is retried: detect, credit, confirm, orphan, escrow
	Error       string    `json:"error"` // why the payment refused it
	At          time.Time `json:"at"`
}

// Quarantined lists a payment's quarantined observations, oldest block first.
func Quarantined(ctx context.Context, pool *pgxpool.Pool, paymentID ledger.ID) ([]QuarantinedObservation, error) {
	rows, err := pool.Query(ctx, `SELECT chain_id, block_number, block_hash, tx_hash, log_index, kind, incarnation, amount::text, quarantine_op,
		note, updated_at FROM indexer_observations WHERE payment_id = $1 AND state = 'quarantined' ORDER BY chain_id, block_number, log_index`,
		paymentID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (QuarantinedObservation, error) {
		var q QuarantinedObservation
		err := r.Scan(&q.ChainID, &q.BlockNumber, &q.BlockHash, &q.TxHash, &q.LogIndex, &q.Kind, &q.Incarnation, &q.Amount, &q.Op, &q.Error, &q.At)
		return q, err
	})
}

// Requeued is what became of one quarantined observation on Requeue.
type Requeued struct {
	QuarantinedObservation
	Outcome string `json:"outcome"` // the observation's state now (pending, credited, orphaned, applied, quarantined)
}

// Requeue retries a payment's quarantined observations, after an operator fixed what made the
// payment refuse them. A deposit is detected again (and credited, if it was first seen final); a
// credit or an escrow event goes back to pending, for the chain's indexer to apply at finality
// with its usual checks that the block is still the followed and canonical one; an orphan is
// voided now (its block is gone). What the payment still refuses stays quarantined, with the new
// error.
func Requeue(ctx context.Context, pool *pgxpool.Pool, payments *payment.Service, paymentID ledger.ID) ([]Requeued, error) {
	qs, err := Quarantined(ctx, pool, paymentID)
	if err != nil {
		return nil, err
	}
	s := store{pool}
	out := make([]Requeued, 0, len(qs))
	for _, q := range qs {
		amount, ok := new(big.Int).SetString(q.Amount, 10)
		if !ok {
			return out, fmt.Errorf("quarantined observation %s/%d: amount %q", q.TxHash, q.LogIndex, q.Amount)
		}
		p, err := payments.Get(ctx, paymentID)
		if err != nil {
			return out, err
		}
		o := payment.Observation{ChainID: q.ChainID, BlockHash: common.HexToHash(q.BlockHash), BlockNumber: q.BlockNumber,
			TxHash: common.HexToHash(q.TxHash), LogIndex: q.LogIndex, Token: p.Token, Amount: amount, Incarnation: q.Incarnation}
		state, transfer := StatePending, ledger.ID{}
		requeued := func(ctx context.Context, q execer) error {
			_, err := q.Exec(ctx, `UPDATE indexer_observations SET state = $5::observation_state, quarantine_op = '',
				note = 'requeued after: ' || note, transfer_id = coalesce($6, transfer_id), updated_at = now()
				WHERE chain_id = $1 AND block_hash = $2 AND tx_hash = $3 AND log_index = $4 AND state = 'quarantined'`,
				o.ChainID, hexHash(o.BlockHash), hexHash(o.TxHash), o.LogIndex, state, optID(transfer))
			return err
		}
		var cause error
		switch q.Op {
		case OpDetect:
			_, cause = payments.Detect(ctx, paymentID, o)
			transfer = o.TransferID()
		case OpCredit:
			var res []payment.Result
			if res, cause = payments.DetectConfirmMany(ctx, []payment.Detection{{Payment: paymentID, Obs: o}}); cause == nil {
				cause = res[0].Err
			}
			state, transfer = StateCredited, o.TransferID()
		case OpOrphan:
			// The row is orphaned in the void's transaction (see Indexer.voidDeposit).
			state = StateOrphaned
			_, cause = payments.OrphanRecording(ctx, paymentID, o.TransferID(), func(ctx context.Context, tx pgx.Tx) error {
				return requeued(ctx, tx)
			})
		case OpConfirm, OpEscrow:
			// back to pending: the indexer applies it at finality
		default:
			return out, fmt.Errorf("quarantined observation %s/%d: unknown operation %q", q.TxHash, q.LogIndex, q.Op)
		}
		r := Requeued{QuarantinedObservation: q, Outcome: state}
		switch {
		case cause != nil && !poisoned(cause):
			return out, cause
		case cause != nil:
			r.Outcome, r.Error = StateQuarantined, cause.Error()
			if err := s.quarantine(ctx, o, q.Op, cause.Error()); err != nil {
				return out, err
			}
		case q.Op == OpOrphan:
			// its row was written in the void's transaction
		default:
			if err := requeued(ctx, pool); err != nil {
				return out, err
			}
		}
		out = append(out, r)
	}
	return out, nil
}

func optID(id ledger.ID) any {
	if id.IsZero() {
		return nil
	}
	return id
}

package indexer

import (
	"context"
	"encoding/json"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/amanat/amn/chain"
)

// Status is what `amn indexer status` shows of one chain.
type Status struct {
	Chain        string                 `json:"chain"`
	ChainID      uint64                 `json:"chain_id"`
	Head         uint64                 `json:"head"`
	Finalized    uint64                 `json:"finalized"`
	FinalizedAge float64                `json:"finalized_age_seconds"`
	Safe         uint64                 `json:"safe"`
	Processed    uint64                 `json:"processed"`
	Lag          int64                  `json:"lag"`
	Watched      int                    `json:"watched_payments"`
	BlocksPerSec float64                `json:"blocks_per_second"`
	ETASeconds   float64                `json:"eta_seconds,omitempty"`
	Halted       bool                   `json:"halted"`
	HaltReason   string                 `json:"halt_reason,omitempty"`
	Quarantined  int                    `json:"quarantined"`          // observations quarantined (amn_indexer_quarantined)
	LastError    string                 `json:"last_error,omitempty"` // the last failed step's error, until a step succeeds
	LastErrorAt  *time.Time             `json:"last_error_at,omitempty"`
	Endpoints    []chain.EndpointStatus `json:"endpoints,omitempty"`
	At           time.Time              `json:"at"`
}

// statusSource is implemented by *chain.Pool.
type statusSource interface{ Status() []chain.EndpointStatus }

// progress measures blocks/s over the last interval.
type progress struct {
	at     time.Time
	blocks uint64
	rate   float64
}

func (ix *Indexer) status(h Heads, cp Checkpoint) Status {
	s := Status{Chain: ix.cfg.Key, ChainID: ix.cfg.ID, Head: h.Latest, Finalized: h.Finalized, Safe: ix.SafeBlock(h),
		Processed: cp.Processed, Lag: int64(h.Latest) - int64(cp.Processed), Watched: ix.watchN, Halted: cp.Halted,
		HaltReason: cp.HaltReason, At: ix.o.Now(), Quarantined: ix.quarantinedN, LastError: ix.lastErr}
	if ix.lastErr != "" {
		at := ix.lastErrAt
		s.LastErrorAt = &at
	}
	if !h.FinalizedAt.IsZero() {
		s.FinalizedAge = ix.o.Now().Sub(h.FinalizedAt).Seconds()
	}
	if src, ok := ix.rpc.(statusSource); ok {
		s.Endpoints = src.Status()
	}
	s.BlocksPerSec = ix.prog.rate
	if s.BlocksPerSec > 0 && s.Lag > 0 {
		s.ETASeconds = float64(s.Lag) / s.BlocksPerSec
	}
	return s
}

// report updates the blocks/s estimate, and every few seconds writes the status for
// `amn indexer status` and, while backfilling, logs progress (blocks/s, ETA).
func (ix *Indexer) report(ctx context.Context, h Heads, cp Checkpoint) error {
	now := ix.o.Now()
	if ix.prog.at.IsZero() {
		ix.prog = progress{at: now, blocks: cp.Processed}
		return nil
	}
	if now.Sub(ix.prog.at) < 3*time.Second {
		return nil
	}
	ix.prog.rate = float64(cp.Processed-min(cp.Processed, ix.prog.blocks)) / now.Sub(ix.prog.at).Seconds()
	if err := ix.countQuarantined(ctx); err != nil {
		return err
	}
	ix.prog.at, ix.prog.blocks = now, cp.Processed
	s := ix.status(h, cp)
	if s.Lag > int64(ix.o.BatchBlocks) {
		ix.log.Info("backfill", "processed", s.Processed, "head", s.Head, "blocks_per_second", int(s.BlocksPerSec),
			"eta", time.Duration(s.ETASeconds*float64(time.Second)).Round(time.Second).String())
	}
	b, err := json.Marshal(s)
	if err != nil {
		return err
	}
	_, err = ix.store.pool.Exec(ctx, `UPDATE indexer_checkpoints SET status = $2 WHERE chain_id = $1`, ix.cfg.ID, b)
	return err
}

// LoadStatuses reads every chain's last written status, with the checkpoint's own fields (which
// are current even when no indexer runs).
func LoadStatuses(ctx context.Context, pool *pgxpool.Pool) ([]Status, error) {
	rows, err := pool.Query(ctx, `SELECT chain_id, processed, halted, halt_reason, status FROM indexer_checkpoints ORDER BY chain_id`)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Status, error) {
		var (
			s       Status
			id      uint64
			proc    uint64
			halted  bool
			reason  string
			payload []byte
		)
		if err := r.Scan(&id, &proc, &halted, &reason, &payload); err != nil {
			return s, err
		}
		_ = json.Unmarshal(payload, &s)
		s.ChainID, s.Processed, s.Halted, s.HaltReason = id, proc, halted, reason
		if s.Head > 0 {
			s.Lag = int64(s.Head) - int64(proc)
		}
		return s, nil
	})
}

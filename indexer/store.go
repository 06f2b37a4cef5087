package indexer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/amanat/amn/chain"
	"github.com/amanat/amn/db"
	"github.com/amanat/amn/kind"
	"github.com/amanat/amn/ledger"
	"github.com/amanat/amn/payment"
)

// Checkpoint is where a chain's indexer stands.
type Checkpoint struct {
	ChainID       uint64
	Processed     uint64      // every event up to this block is matched and stored
	ProcessedHash common.Hash // the block's hash as followed
	Halted        bool
	HaltReason    string
	UpdatedAt     time.Time
}

// ErrCheckpointMoved is returned when another process moved the checkpoint under us: two indexers
// on one chain.
var ErrCheckpointMoved = kind.New(kind.Conflict, "indexer checkpoint moved by another process")

// Observation states (the observation_state enum).
const (
	StatePending   = "pending"
	StateCredited  = "credited"
	StateOrphaned  = "orphaned"
	StateException = "exception"
	StateApplied   = "applied"
	StateRejected  = "rejected"
	// StateQuarantined: the payment refused the event (or the database refused its row) for a
	// reason retrying will not fix; the chain went on. The note holds the error, quarantine_op
	// what `amn indexer requeue` retries.
	StateQuarantined = "quarantined"
)

// What a quarantined observation waits for (indexer_observations.quarantine_op).
const (
	OpDetect  = "detect"  // Detect: a deposit seen before finality
	OpCredit  = "credit"  // Detect and Confirm: a deposit first seen final
	OpConfirm = "confirm" // Confirm at finality
	OpOrphan  = "orphan"  // Orphan: a reorg removed its block
	OpEscrow  = "escrow"  // an AmnEscrow event applied at finality
)

// store is the indexer's SQL.
type store struct{ pool *pgxpool.Pool }

func hexHash(h common.Hash) string { return h.Hex() }

// LoadCheckpoint reads a chain's checkpoint; found is false before the first run.
func LoadCheckpoint(ctx context.Context, pool *pgxpool.Pool, chainID uint64) (cp Checkpoint, found bool, err error) {
	var h string
	err = pool.QueryRow(ctx, `SELECT processed, processed_hash, halted, halt_reason, updated_at FROM indexer_checkpoints WHERE chain_id = $1`,
		chainID).Scan(&cp.Processed, &h, &cp.Halted, &cp.HaltReason, &cp.UpdatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return cp, false, nil
	}
	cp.ChainID, cp.ProcessedHash = chainID, common.HexToHash(h)
	return cp, err == nil, err
}

func (s store) initCheckpoint(ctx context.Context, chainID, n uint64, hash, parent common.Hash) error {
	return db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO indexer_checkpoints (chain_id, processed, processed_hash) VALUES ($1, $2, $3)
			ON CONFLICT (chain_id) DO NOTHING`, chainID, n, hexHash(hash)); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO indexer_blocks (chain_id, number, hash, parent_hash) VALUES ($1, $2, $3, $4)
			ON CONFLICT (chain_id, number) DO NOTHING`, chainID, n, hexHash(hash), hexHash(parent))
		return err
	})
}

// advance stores the processed blocks and moves the checkpoint to the last, if it still stands
// where this step started.
func (s store) advance(ctx context.Context, chainID, from uint64, blocks []chain.Block) error {
	if len(blocks) == 0 {
		return nil
	}
	last := blocks[len(blocks)-1]
	return db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		nums := make([]int64, len(blocks))
		hashes := make([]string, len(blocks))
		parents := make([]string, len(blocks))
		for i, b := range blocks {
			nums[i], hashes[i], parents[i] = int64(b.Number), hexHash(b.Hash), hexHash(b.ParentHash)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO indexer_blocks (chain_id, number, hash, parent_hash)
			SELECT $1, n, h, p FROM unnest($2::bigint[], $3::text[], $4::text[]) AS u(n, h, p)
			ON CONFLICT (chain_id, number) DO UPDATE SET hash = EXCLUDED.hash, parent_hash = EXCLUDED.parent_hash`,
			chainID, nums, hashes, parents); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `UPDATE indexer_checkpoints SET processed = $2, processed_hash = $3, updated_at = now()
			WHERE chain_id = $1 AND processed = $4 AND NOT halted`, chainID, last.Number, hexHash(last.Hash), from)
		if err != nil {
			return err
		}
		if tag.RowsAffected() != 1 {
			return ErrCheckpointMoved
		}
		return nil
	})
}

func (s store) blockHashes(ctx context.Context, chainID, from, to uint64) (map[uint64]common.Hash, error) {
	rows, err := s.pool.Query(ctx, `SELECT number, hash FROM indexer_blocks WHERE chain_id = $1 AND number BETWEEN $2 AND $3`, chainID, from, to)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[uint64]common.Hash{}
	for rows.Next() {
		var n uint64
		var h string
		if err := rows.Scan(&n, &h); err != nil {
			return nil, err
		}
		out[n] = common.HexToHash(h)
	}
	return out, rows.Err()
}

func (s store) lowestBlock(ctx context.Context, chainID uint64) (uint64, bool, error) {
	var n *int64
	err := s.pool.QueryRow(ctx, `SELECT min(number) FROM indexer_blocks WHERE chain_id = $1`, chainID).Scan(&n)
	if err != nil || n == nil {
		return 0, false, err
	}
	return uint64(*n), true, nil
}

// rewind drops the followed blocks above the common ancestor and moves the checkpoint back to it.
func (s store) rewind(ctx context.Context, chainID, from, ancestor uint64, hash common.Hash) error {
	return db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM indexer_blocks WHERE chain_id = $1 AND number > $2`, chainID, ancestor); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `UPDATE indexer_checkpoints SET processed = $2, processed_hash = $3, updated_at = now()
			WHERE chain_id = $1 AND processed = $4`, chainID, ancestor, hexHash(hash), from)
		if err != nil {
			return err
		}
		if tag.RowsAffected() != 1 {
			return ErrCheckpointMoved
		}
		return nil
	})
}

// prune drops the followed blocks below below, but none at or above a pending observation's or a
// quarantined one's (a requeued credit is checked against the followed block at finality).
func (s store) prune(ctx context.Context, chainID, below uint64) error {
	_, err := s.pool.Exec(ctx, `DELETE FROM indexer_blocks WHERE chain_id = $1 AND number < $2
		AND number < coalesce((SELECT min(block_number) FROM indexer_observations WHERE chain_id = $1 AND state = 'pending'), $2)
		AND number < coalesce((SELECT min(block_number) FROM indexer_observations WHERE chain_id = $1 AND state = 'quarantined'), $2)`,
		chainID, below)
	return err
}

func (s store) halt(ctx context.Context, chainID uint64, reason string) error {
	_, err := s.pool.Exec(ctx, `UPDATE indexer_checkpoints SET halted = true, halt_reason = $2, halted_at = now(), updated_at = now()
		WHERE chain_id = $1`, chainID, reason)
	return err
}

// Resume clears a chain's halt after an operator has dealt with its cause.
func Resume(ctx context.Context, pool *pgxpool.Pool, chainID uint64) error {
	_, err := pool.Exec(ctx, `UPDATE indexer_checkpoints SET halted = false, halt_reason = '', halted_at = NULL, updated_at = now()
		WHERE chain_id = $1`, chainID)
	return err
}

// observation is a stored observation.
type observation struct {
	Match
	State string
	Note  string
}

// obsRow is a match as stored: its state, its pending transfer (deposits), a note and, when
// quarantined, what to retry.
type obsRow struct {
	Match
	state    string
	transfer ledger.ID
	note     string
	op       string
}

// execer is a pool or a transaction.
type execer interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

// putObservations stores rows in one statement (through q: the pool, or the transaction of the
// detections they record). A row stored already stays as it is, unless
//   - it was orphaned: its block is back (the same hash, after a second reorg) and the row is
//     written anew, with its next incarnation;
//   - it is pending and the new row says what became of it since: credited (it was first recorded
//     by a step that crashed before moving the checkpoint, and is final now) or quarantined;
//   - its orphaning was refused (quarantined, op orphan: its pending transfer stands) and its
//     block is back: it is pending (or credited) again, and there is nothing left to requeue.
func (s store) putObservations(ctx context.Context, q execer, rows []obsRow) error {
	if len(rows) == 0 {
		return nil
	}
	n := len(rows)
	var (
		chainIDs, logIdx, blockNums = make([]int64, n), make([]int64, n), make([]int64, n)
		blockHashes, txHashes       = make([]string, n), make([]string, n)
		kinds, tokens, states       = make([]string, n), make([]string, n), make([]string, n)
		notes, ops                  = make([]string, n), make([]string, n)
		paymentIDs, transferIDs     = make([]pgtype.UUID, n), make([]pgtype.UUID, n)
		amounts                     = make([]pgtype.Numeric, n)
		events                      = make([]*string, n)
		incarnations                = make([]int64, n)
	)
	for i, r := range rows {
		chainIDs[i], logIdx[i], blockNums[i] = int64(r.Obs.ChainID), int64(r.Obs.LogIndex), int64(r.Obs.BlockNumber)
		blockHashes[i], txHashes[i] = hexHash(r.Obs.BlockHash), hexHash(r.Obs.TxHash)
		kinds[i], states[i], notes[i], ops[i] = r.Kind, r.state, r.note, r.op
		incarnations[i] = int64(r.Obs.Incarnation)
		if r.Obs.Token != (common.Address{}) {
			tokens[i] = hexAddr(r.Obs.Token)
		}
		paymentIDs[i] = pgtype.UUID{Bytes: r.PaymentID, Valid: !r.PaymentID.IsZero()}
		transferIDs[i] = pgtype.UUID{Bytes: r.transfer, Valid: !r.transfer.IsZero()}
		amounts[i] = db.Numeric(r.Obs.Amount)
		if r.Escrow != nil {
			b, err := json.Marshal(r.Escrow)
			if err != nil {
				return fmt.Errorf("indexer: escrow event of %s: %w", r.Obs.TxHash.Hex(), err)
			}
			events[i] = new(string(b))
		}
	}
	_, err := q.Exec(ctx, `INSERT INTO indexer_observations AS o (chain_id, block_hash, tx_hash, log_index, block_number, kind,
		payment_id, token_address, amount, state, transfer_id, note, escrow_event, quarantine_op, incarnation)
		SELECT u.chain_id, u.block_hash, u.tx_hash, u.log_index, u.block_number, u.kind, u.payment_id, u.token, u.amount,
			u.state::observation_state, u.transfer_id, u.note, u.escrow_event::jsonb, u.op, u.incarnation
		FROM unnest($1::bigint[], $2::text[], $3::text[], $4::bigint[], $5::bigint[], $6::text[], $7::uuid[], $8::text[],
			$9::numeric[], $10::text[], $11::uuid[], $12::text[], $13::text[], $14::text[], $15::int[])
			AS u(chain_id, block_hash, tx_hash, log_index, block_number, kind, payment_id, token, amount, state, transfer_id, note,
				escrow_event, op, incarnation)
		ON CONFLICT (chain_id, block_hash, tx_hash, log_index) DO UPDATE SET state = EXCLUDED.state, note = EXCLUDED.note,
			quarantine_op = EXCLUDED.quarantine_op, transfer_id = coalesce(EXCLUDED.transfer_id, o.transfer_id),
			incarnation = EXCLUDED.incarnation, updated_at = now()
		WHERE (o.state = 'orphaned' AND EXCLUDED.incarnation > o.incarnation)
			OR (o.state = 'pending' AND EXCLUDED.state IN ('credited', 'quarantined') AND EXCLUDED.incarnation = o.incarnation)
			OR (o.state = 'quarantined' AND o.quarantine_op = 'orphan' AND EXCLUDED.state IN ('pending', 'credited')
				AND EXCLUDED.incarnation = o.incarnation)`,
		chainIDs, blockHashes, txHashes, logIdx, blockNums, kinds, paymentIDs, tokens, amounts, states, transferIDs, notes, events, ops,
		incarnations)
	return err
}

// obsKey is where an observation was seen.
type obsKey struct {
	block, tx common.Hash
	log       uint64
}

// seenBefore is what is stored of an observation seen again.
type seenBefore struct {
	state       string
	incarnation uint32
}

// seen reads the stored state and incarnation of those of obs already stored, in one query.
func (s store) seen(ctx context.Context, chainID uint64, obs []payment.Observation) (map[obsKey]seenBefore, error) {
	if len(obs) == 0 {
		return nil, nil
	}
	blockHashes, txHashes, logIdx := make([]string, len(obs)), make([]string, len(obs)), make([]int64, len(obs))
	for i, o := range obs {
		blockHashes[i], txHashes[i], logIdx[i] = hexHash(o.BlockHash), hexHash(o.TxHash), int64(o.LogIndex)
	}
	rows, err := s.pool.Query(ctx, `SELECT o.block_hash, o.tx_hash, o.log_index, o.state::text, o.incarnation
		FROM unnest($2::text[], $3::text[], $4::bigint[]) AS u(block_hash, tx_hash, log_index)
		JOIN indexer_observations o ON o.chain_id = $1 AND o.block_hash = u.block_hash AND o.tx_hash = u.tx_hash AND o.log_index = u.log_index`,
		chainID, blockHashes, txHashes, logIdx)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[obsKey]seenBefore{}
	for rows.Next() {
		var (
			bh, th string
			li     uint64
			sb     seenBefore
		)
		if err := rows.Scan(&bh, &th, &li, &sb.state, &sb.incarnation); err != nil {
			return nil, err
		}
		out[obsKey{common.HexToHash(bh), common.HexToHash(th), li}] = sb
	}
	return out, rows.Err()
}

// setStates moves observations to state in one statement (through q: the pool or a
// transaction), with note unless it is empty.
func (s store) setStates(ctx context.Context, q execer, obs []observation, state, note string) error {
	n := len(obs)
	chainIDs, logIdx := make([]int64, n), make([]int64, n)
	blockHashes, txHashes := make([]string, n), make([]string, n)
	for i, o := range obs {
		chainIDs[i], logIdx[i] = int64(o.Obs.ChainID), int64(o.Obs.LogIndex)
		blockHashes[i], txHashes[i] = hexHash(o.Obs.BlockHash), hexHash(o.Obs.TxHash)
	}
	_, err := q.Exec(ctx, `UPDATE indexer_observations o SET state = $5::observation_state,
		note = CASE WHEN $6 = '' THEN o.note ELSE $6 END, updated_at = now()
		FROM unnest($1::bigint[], $2::text[], $3::text[], $4::bigint[]) AS u(chain_id, block_hash, tx_hash, log_index)
		WHERE o.chain_id = u.chain_id AND o.block_hash = u.block_hash AND o.tx_hash = u.tx_hash AND o.log_index = u.log_index`,
		chainIDs, blockHashes, txHashes, logIdx, state, note)
	return err
}

// txLog is one log (or native transfer) of one transaction, in whichever block.
type txLog struct {
	tx  common.Hash
	log uint64
}

// exceptionsElsewhere returns which of the logs of obs are stored as exceptions in blocks other
// than obs's own.
func (s store) exceptionsElsewhere(ctx context.Context, chainID uint64, obs []observation) (map[txLog]bool, error) {
	n := len(obs)
	blockHashes, txHashes, logIdx := make([]string, n), make([]string, n), make([]int64, n)
	own := make(map[obsKey]bool, n)
	for i, o := range obs {
		blockHashes[i], txHashes[i], logIdx[i] = hexHash(o.Obs.BlockHash), hexHash(o.Obs.TxHash), int64(o.Obs.LogIndex)
		own[keyOf(o.Obs)] = true
	}
	rows, err := s.pool.Query(ctx, `SELECT o.block_hash, o.tx_hash, o.log_index FROM indexer_observations o
		JOIN unnest($2::text[], $3::text[], $4::bigint[]) AS u(block_hash, tx_hash, log_index)
			ON o.tx_hash = u.tx_hash AND o.log_index = u.log_index AND o.block_hash <> u.block_hash
		WHERE o.chain_id = $1 AND o.state = 'exception'`, chainID, blockHashes, txHashes, logIdx)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[txLog]bool{}
	for rows.Next() {
		var bh, th string
		var li uint64
		if err := rows.Scan(&bh, &th, &li); err != nil {
			return nil, err
		}
		k := obsKey{common.HexToHash(bh), common.HexToHash(th), li}
		if !own[k] { // one of those being orphaned with them
			out[txLog{k.tx, k.log}] = true
		}
	}
	return out, rows.Err()
}

func (s store) setState(ctx context.Context, o payment.Observation, state, note string) error {
	return s.setStateIn(ctx, s.pool, o, state, note)
}

// setStateIn is setState through q: the pool, or a transaction.
func (s store) setStateIn(ctx context.Context, q execer, o payment.Observation, state, note string) error {
	_, err := q.Exec(ctx, `UPDATE indexer_observations SET state = $5, note = CASE WHEN $6 = '' THEN note ELSE $6 END, updated_at = now()
		WHERE chain_id = $1 AND block_hash = $2 AND tx_hash = $3 AND log_index = $4`,
		o.ChainID, hexHash(o.BlockHash), hexHash(o.TxHash), o.LogIndex, state, note)
	return err
}

// quarantine marks a stored observation quarantined, with the error and what to retry.
func (s store) quarantine(ctx context.Context, o payment.Observation, op, note string) error {
	_, err := s.pool.Exec(ctx, `UPDATE indexer_observations SET state = 'quarantined', quarantine_op = $5, note = $6, updated_at = now()
		WHERE chain_id = $1 AND block_hash = $2 AND tx_hash = $3 AND log_index = $4`,
		o.ChainID, hexHash(o.BlockHash), hexHash(o.TxHash), o.LogIndex, op, note)
	return err
}

// countQuarantined counts a chain's quarantined observations.
func (s store) countQuarantined(ctx context.Context, chainID uint64) (int, error) {
	var n int
	err := s.pool.QueryRow(ctx, `SELECT count(*) FROM indexer_observations WHERE chain_id = $1 AND state = 'quarantined'`, chainID).Scan(&n)
	return n, err
}

// observations lists a chain's observations in state (any when empty) between blocks from and to.
func (s store) observations(ctx context.Context, chainID, from, to uint64, states ...string) ([]observation, error) {
	rows, err := s.pool.Query(ctx, `SELECT block_hash, tx_hash, log_index, block_number, kind, coalesce(payment_id::text, ''),
		token_address, amount, state::text, note, escrow_event::text, incarnation FROM indexer_observations
		WHERE chain_id = $1 AND block_number BETWEEN $2 AND $3 AND state::text = ANY($4)
		ORDER BY block_number, log_index`, chainID, from, to, states)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (observation, error) {
		var (
			o                     observation
			bh, th, pid, token    string
			amount                db.Amount
			logIndex, blockNumber uint64
			event                 *string
			incarnation           uint32
		)
		if err := r.Scan(&bh, &th, &logIndex, &blockNumber, &o.Kind, &pid, &token, &amount, &o.State, &o.Note, &event, &incarnation); err != nil {
			return o, err
		}
		if event != nil {
			o.Escrow = new(EscrowEvent)
			if err := json.Unmarshal([]byte(*event), o.Escrow); err != nil {
				return o, fmt.Errorf("indexer: stored escrow event of %s: %w", th, err)
			}
		}
		if pid != "" {
			id, err := ledger.ParseID(pid)
			if err != nil {
				return o, err
			}
			o.PaymentID = id
		}
		o.Obs = payment.Observation{ChainID: chainID, BlockHash: common.HexToHash(bh), BlockNumber: blockNumber,
			TxHash: common.HexToHash(th), LogIndex: logIndex, Token: common.HexToAddress(token), Amount: amount.V, Incarnation: incarnation}
		if o.Obs.Amount == nil {
			o.Obs.Amount = new(big.Int)
		}
		return o, nil
	})
}

func hexAddr(a common.Address) string {
	b := []byte(a.Hex())
	for i, c := range b {
		if c >= 'A' && c <= 'F' {
			b[i] = c + 32
		}
	}
	return string(b)
}

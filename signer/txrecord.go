package signer

import (
	"context"
	"errors"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/amanat/amn/db"
	"github.com/amanat/amn/intent"
)

// TxRecord is the signer's record of its transaction attempts (signer_txs) as other processes read
// it: the worker books their gas, the commands show them (intent.SignerTxs). The table is the
// signer's and only the signer writes it; each read runs through the caller's pool or
// transaction, so as the caller's database role, which may only read it.
type TxRecord struct{}

var _ intent.SignerTxs = TxRecord{}

// attemptsSQL selects an intent's attempts, oldest first, for display: with those of the sweep
// batch it is a member of (stored under the batch's carrier), as the signer loads them.
const attemptsSQL = `SELECT id, step, sender, nonce, attempt, hash, state, fee_cap, tip_cap, block_number,
	gas_used, created_at FROM signer_txs WHERE intent_id = $1
	UNION ALL
	SELECT t.id, t.step, t.sender, t.nonce, t.attempt, t.hash, t.state, t.fee_cap, t.tip_cap, t.block_number,
	t.gas_used, t.created_at FROM signer_batch_members m
	JOIN signer_txs t ON (t.chain_id, t.sender, t.nonce) = (m.chain_id, m.sender, m.nonce)
	WHERE m.intent_id = $1 AND t.intent_id <> $1
	ORDER BY id`

// Attempts returns every transaction attempt of an intent, oldest first.
func (TxRecord) Attempts(ctx context.Context, q intent.Querier, intentID uuid.UUID) ([]intent.Tx, error) {
	rows, err := q.Query(ctx, attemptsSQL, intentID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (intent.Tx, error) {
		var t intent.Tx
		var feeCap, tip db.Amount
		var id int64
		err := r.Scan(&id, &t.Step, &t.Sender, &t.Nonce, &t.Attempt, &t.Hash, &t.State, &feeCap, &tip, &t.BlockNumber, &t.GasUsed, &t.CreatedAt)
		t.FeeCap, t.TipCap = feeCap.V, tip.V
		return t, err
	})
}

// minedSQL selects an intent's mined attempts (confirmed or failed), oldest first, with their
// receipts' gas; not a sweep batch's, stored under its carrier (batchSQL: the batch's gas is
// every member's).
const minedSQL = `SELECT step, sender, to_address, value, hash, state, gas_used, effective_gas_price
	FROM signer_txs WHERE intent_id = $1 AND state IN ('confirmed', 'failed') AND step <> 'sweep_batch' ORDER BY id`

// Mined returns the attempts of an intent that were mined, confirmed or failed, oldest first,
// each with its cost (gas used × effective gas price).
func (TxRecord) Mined(ctx context.Context, q intent.Querier, intentID uuid.UUID) ([]intent.MinedTx, error) {
	rows, err := q.Query(ctx, minedSQL, intentID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (intent.MinedTx, error) {
		var t intent.MinedTx
		var sender, to, hash, state string
		var value, price db.Amount
		var used int64
		err := r.Scan(&t.Step, &sender, &to, &value, &hash, &state, &used, &price)
		t.Sender, t.To, t.Hash = common.HexToAddress(sender), common.HexToAddress(to), common.HexToHash(hash)
		t.Value, t.OK = value.V, state == "confirmed"
		if err == nil {
			t.Cost = new(big.Int).Mul(big.NewInt(used), price.V)
		}
		return t, err
	})
}

// batchSQL selects the sweep batch intent $1 is a member of: its mined attempt (confirmed or
// failed; NULLs while none is) and its members (signer_batch_members), in one row.
const batchSQL = `SELECT t.sender, t.hash, t.state, t.gas_used, t.effective_gas_price, t.intent_id,
	(SELECT array_agg(o.intent_id ORDER BY o.intent_id) FROM signer_batch_members o
		WHERE (o.chain_id, o.sender, o.nonce) = (m.chain_id, m.sender, m.nonce))
	FROM signer_batch_members m LEFT JOIN signer_txs t ON (t.chain_id, t.sender, t.nonce) = (m.chain_id, m.sender, m.nonce)
		AND t.step = 'sweep_batch' AND t.state IN ('confirmed', 'failed')
	WHERE m.intent_id = $1`

// Batch returns the mined transaction of the sweep batch intentID is a member of; nil when it is
// in none; Pending when its batch is not mined yet.
func (TxRecord) Batch(ctx context.Context, q intent.Querier, intentID uuid.UUID) (*intent.MinedBatch, error) {
	var (
		b                   intent.MinedBatch
		sender, hash, state *string
		used                *int64
		price               pgtype.Numeric // NULL while the batch is not mined
		carrier             *uuid.UUID
	)
	err := q.QueryRow(ctx, batchSQL, intentID).Scan(&sender, &hash, &state, &used, &price, &carrier, &b.Members)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if hash == nil {
		return &intent.MinedBatch{Pending: true}, nil
	}
	cost, err := db.BigFromNumeric(price)
	if sender == nil || state == nil || used == nil || carrier == nil || err != nil {
		return nil, fmt.Errorf("sweep batch %s of intent %s: a mined attempt without its receipt (%v)", *hash, intentID, err)
	}
	b.Carrier = *carrier
	b.Sender, b.Hash, b.OK = common.HexToAddress(*sender), common.HexToHash(*hash), *state == "confirmed"
	b.Cost = new(big.Int).Mul(big.NewInt(*used), cost)
	return &b, nil
}

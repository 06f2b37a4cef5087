package payment

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/jackc/pgx/v5"

	"github.com/amanat/amn/db"
	"github.com/amanat/amn/ledger"
	"github.com/amanat/amn/ops"
)

// ExpireDue moves every payment still awaiting payment after its deadline to expired, at most
// limit of them, and returns how many it moved. The expiry job runs it periodically; two runs at
// once are safe (each payment is expired under its row lock, once).
func (s *Service) ExpireDue(ctx context.Context, limit int) (int, error) {
	rows, err := s.pool.Query(ctx, `SELECT id FROM payments WHERE state = 'awaiting_payment' AND expires_at < $1
		ORDER BY expires_at LIMIT $2`, s.now(), limit)
	if err != nil {
		return 0, err
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[ledger.ID])
	if err != nil {
		return 0, err
	}
	n := 0
	for _, id := range ids {
		_, err := s.Expire(ctx, id)
		switch {
		case err == nil:
			n++
		case errors.Is(err, ErrIllegalTransition):
			// paid or expired by someone else meanwhile
		default:
			return n, err
		}
	}
	return n, nil
}

// Destination is one derived deposit address and what it is for.
type Destination struct {
	Index     uint32         `json:"index"`
	Address   common.Address `json:"address"`
	PaymentID string         `json:"payment_id"`
	ChainID   uint64         `json:"chain_id"`
	Ledger    string         `json:"ledger"`
	State     State          `json:"state"`
	Sweep     string         `json:"sweep"` // not_due, due, sweeping, swept
	Received  *big.Int       `json:"received"`
	Watched   bool           `json:"watched"` // money may still arrive
}

// SweepStatus says where a payment's deposit stands with respect to sweeping.
func SweepStatus(s State) string {
	switch s {
	case Funded, Underpaid, Overpaid, Late:
		return "due"
	case Sweeping:
		return "sweeping"
	case InEscrow, ReleasePending, Releasing, Released, RefundPending, Refunding, Refunded, Reclaimed:
		return "swept"
	default:
		return "not_due"
	}
}

// DestinationFilter narrows ListDestinations; zero values match everything.
type DestinationFilter struct {
	ChainID uint64
	State   State
	After   uint32 // keyset: indices greater than this (use the last index of the previous page + 1)
	Limit   int
}

// ListDestinations lists derived deposit addresses with their payment, chain, state and sweep
// status, in index order.
func (s *Service) ListDestinations(ctx context.Context, f DestinationFilter) ([]Destination, error) {
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 100
	}
	rows, err := s.pool.Query(ctx, `SELECT deposit_index, deposit_address, id::text, chain_id, ledger, state::text, received, watch_until
		FROM payments WHERE ($1 = 0 OR chain_id = $1) AND ($2 = '' OR state::text = $2) AND deposit_index >= $3
		ORDER BY deposit_index LIMIT $4`, f.ChainID, string(f.State), f.After, f.Limit)
	if err != nil {
		return nil, err
	}
	now := s.now()
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Destination, error) {
		var (
			d      Destination
			idx    int64
			addr   string
			recv   db.Amount
			watchU time.Time
		)
		err := r.Scan(&idx, &addr, &d.PaymentID, &d.ChainID, &d.Ledger, &d.State, &recv, &watchU)
		d.Index, d.Address, d.Received = uint32(idx), common.HexToAddress(addr), recv.V
		d.Sweep = SweepStatus(d.State)
		d.Watched = now.Before(watchU) && !d.State.Final()
		return d, err
	})
}

// Exception is money that reached a deposit address in a way its payment did not ask for.
type Exception struct {
	PaymentID string
	ChainID   uint64
	Token     common.Address // zero for the native currency
	Amount    *big.Int
	TxHash    common.Hash
	LogIndex  uint64
	Reason    string
}

// RecordException keeps a deposit on the wrong chain or in the wrong token for recovery: it is
// never credited as the payment, and never lost. Recording the same one twice is a no-op.
func (s *Service) RecordException(ctx context.Context, e Exception) error {
	if e.Amount == nil || e.Amount.Sign() <= 0 {
		return fmt.Errorf("%w: exception amount must be positive", ErrInvalid)
	}
	token := ""
	if e.Token != (common.Address{}) {
		token = hexAddr(e.Token)
	}
	_, err := s.pool.Exec(ctx, `INSERT INTO deposit_exceptions (payment_id, chain_id, token_address, amount, tx_hash, log_index, reason)
		VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (chain_id, tx_hash, log_index) DO NOTHING`,
		e.PaymentID, e.ChainID, token, db.Numeric(e.Amount), e.TxHash.Hex(), e.LogIndex, e.Reason)
	return err
}

// ExceptionKey names a recorded exception by where its money was seen: the chain, the
// transaction and the log index, as RecordException was given them.
type ExceptionKey struct {
	ChainID  uint64
	TxHash   common.Hash
	LogIndex uint64
}

// dropExceptionsSQL deletes the unresolved exceptions among the keys ($1 chain ids, $2 tx hashes,
// $3 log indices).
const dropExceptionsSQL = `DELETE FROM deposit_exceptions e
	USING unnest($1::bigint[], $2::text[], $3::bigint[]) AS u(chain_id, tx_hash, log_index)
	WHERE e.chain_id = u.chain_id AND e.tx_hash = u.tx_hash AND e.log_index = u.log_index AND e.resolved_at IS NULL`

// DropExceptions forgets the exceptions a reorg took away: the block that showed their money is
// no longer on the chain, so the money never arrived and there is nothing to recover (if the
// transaction is mined again, the indexer records it again). An exception an operator already
// resolved stays, with what was done about it. within (nil: nothing) runs in the same
// transaction, after the rows are gone: the indexer marks its observations orphaned there, so
// that both happen or neither. It returns how many exceptions it dropped.
func (s *Service) DropExceptions(ctx context.Context, keys []ExceptionKey, within func(context.Context, pgx.Tx) error) (int64, error) {
	chains, txs, logs := make([]int64, len(keys)), make([]string, len(keys)), make([]int64, len(keys))
	for i, k := range keys {
		chains[i], txs[i], logs[i] = int64(k.ChainID), k.TxHash.Hex(), int64(k.LogIndex)
	}
	var dropped int64
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, dropExceptionsSQL, chains, txs, logs)
		if err != nil {
			return err
		}
		dropped = tag.RowsAffected()
		if within == nil {
			return nil
		}
		return within(ctx, tx)
	})
	if err != nil {
		return 0, fmt.Errorf("payment: dropping %d exceptions: %w", len(keys), err)
	}
	return dropped, nil
}

// Health is the configuration health check operators look at.
type Health struct {
	XpubValid     bool      `json:"xpub_valid"`
	XpubError     string    `json:"xpub_error,omitempty"`
	Chains        []string  `json:"chains"`
	SignerSeenAt  time.Time `json:"signer_seen_at,omitzero"`
	SignerHealthy bool      `json:"signer_healthy"`
}

// CheckHealth reports whether the xpub parses, which chains are configured, and whether a signer
// process has written its heartbeat within maxAge.
func (s *Service) CheckHealth(ctx context.Context, parseXpub func(string) error, xpub string, chains []string, maxAge time.Duration) (Health, error) {
	h := Health{Chains: chains}
	if err := parseXpub(xpub); err != nil {
		h.XpubError = err.Error()
	} else {
		h.XpubValid = true
	}
	seen, ran, err := ops.LastSeen(ctx, s.pool, "signer")
	if err != nil {
		return h, err
	}
	if ran {
		h.SignerSeenAt = seen.At
	}
	h.SignerHealthy = !h.SignerSeenAt.IsZero() && s.now().Sub(h.SignerSeenAt) <= maxAge
	return h, nil
}

// ListFilter narrows List; zero values match everything.
type ListFilter struct {
	State   State
	ChainID uint64
	// Before is the keyset of the previous page's last payment (newest first): created_at and id.
	BeforeAt time.Time
	BeforeID ledger.ID
	Limit    int // 1–1000; 0 is 20
}

// List returns payments newest first (created_at, then id, descending), at most f.Limit.
func (s *Service) List(ctx context.Context, f ListFilter) ([]*Payment, error) {
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 20
	}
	var at any
	if !f.BeforeAt.IsZero() {
		at = f.BeforeAt
	}
	rows, err := s.pool.Query(ctx, `SELECT `+paymentColumns+` FROM payments
		WHERE ($1 = '' OR state::text = $1) AND ($2 = 0 OR chain_id = $2)
		AND ($3::timestamptz IS NULL OR (created_at, id) < ($3, $4))
		ORDER BY created_at DESC, id DESC LIMIT $5`, string(f.State), f.ChainID, at, f.BeforeID, f.Limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Payment
	for rows.Next() {
		p, err := scanPayment(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

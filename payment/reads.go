package payment

import (
	"context"
	"fmt"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/jackc/pgx/v5"

	"github.com/amanat/amn/ledger"
)

// The reads of payments that other packages' processes follow them by: the indexer's watch set
// and reconciliation, the worker's follow-up of payouts. Each is one statement on payments alone,
// run with the caller's pool (its own database role); what the caller owns (observations, ledger
// balances, intents) it reads itself.

// Watched is one payment that can still receive money: where it is paid and the reference it is
// paid with.
type Watched struct {
	PaymentID ledger.ID
	Deposit   common.Address
	Reference Reference
	ChainID   uint64
	Token     common.Address // chain.NativeToken for a payment in the chain's own currency
}

// watchedSQL selects the payments that can still receive money: watched until after $1, not
// paid out, created at or after $2.
const watchedSQL = `SELECT id, deposit_address, reference, chain_id, token_address FROM payments
	WHERE watch_until > $1 AND state NOT IN ('released', 'refunded', 'reclaimed') AND created_at >= $2`

// Watched returns the payments that can still receive money, on every chain: a deposit address
// is one payment's anywhere, so money sent on the wrong chain is still seen (and kept as an
// exception). With createdSince set, only payments created since then are read.
func (s *Service) Watched(ctx context.Context, now, createdSince time.Time) ([]Watched, error) {
	rows, err := s.pool.Query(ctx, watchedSQL, now, createdSince)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Watched, error) {
		var (
			w           Watched
			addr, token string
			ref         []byte
		)
		err := r.Scan(&w.PaymentID, &addr, &ref, &w.ChainID, &token)
		w.Deposit = common.HexToAddress(addr)
		w.Token = common.HexToAddress(token)
		copy(w.Reference[:], ref)
		return w, err
	})
}

// Deposit is one payment's deposit as the books know it: the address, its ledger and token, the
// ledger account its money is credited to, and whether the address is still watched.
type Deposit struct {
	PaymentID ledger.ID
	Address   common.Address
	Ledger    string
	Token     common.Address
	Account   ledger.ID
	Watched   bool // watch_until is still ahead (the database's clock)
}

// creditedOrWatchedSQL selects the payments of chain $1 that were ever credited (received only
// grows, in the transaction that posts a deposit to the deposit account) or are still watched,
// with their deposits, in deposit index order. An expired payment never paid is not read.
const creditedOrWatchedSQL = `SELECT id, deposit_address, ledger, token_address, deposit_account, watch_until > now()
	FROM payments WHERE chain_id = $1 AND (received > 0 OR watch_until > now()) ORDER BY deposit_index`

// CreditedOrWatched returns the deposits of the chain's payments that were ever credited or are
// still watched — those whose address may hold money the books know of, or may receive some —
// in deposit index order. Reconciliation compares them with the chain.
func (s *Service) CreditedOrWatched(ctx context.Context, chainID uint64) ([]Deposit, error) {
	rows, err := s.pool.Query(ctx, creditedOrWatchedSQL, chainID)
	if err != nil {
		return nil, fmt.Errorf("payment: deposits of chain %d: %w", chainID, err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Deposit, error) {
		var (
			d         Deposit
			addr, tok string
		)
		err := r.Scan(&d.PaymentID, &addr, &d.Ledger, &tok, &d.Account, &d.Watched)
		d.Address, d.Token = common.HexToAddress(addr), common.HexToAddress(tok)
		return d, err
	})
}

// ledgersSQL selects the ledgers of chain $1's payments.
const ledgersSQL = `SELECT DISTINCT ledger FROM payments WHERE chain_id = $1 ORDER BY 1`

// Ledgers returns the names of the ledgers the chain's payments are booked in, sorted.
func (s *Service) Ledgers(ctx context.Context, chainID uint64) ([]string, error) {
	rows, err := s.pool.Query(ctx, ledgersSQL, chainID)
	if err != nil {
		return nil, fmt.Errorf("payment: ledgers of chain %d: %w", chainID, err)
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}

// escrowMayBeOpen are the states in which a payment's escrow may be open on chain: from the
// sweep that funds it until its payout is final (a disputed payment when it was disputed from one
// of them).
var escrowMayBeOpen = []string{string(Sweeping), string(InEscrow), string(ReleasePending), string(Releasing),
	string(RefundPending), string(Refunding), string(SettlePending), string(Settling)}

// mayHoldEscrowSQL selects the payments of chain $1 whose escrow may be open, in deposit index order.
const mayHoldEscrowSQL = `SELECT id, deposit_address, ledger, token_address FROM payments
	WHERE chain_id = $1 AND (state = ANY($2) OR (state = 'disputed' AND disputed_from = ANY($2)))
	ORDER BY deposit_index`

// MayHoldEscrow returns the deposit of each payment on the chain whose escrow may be open on chain
// (sweeping, in escrow, asked or being paid out, or disputed from one of those), in deposit index
// order. Deposit.Account and Deposit.Watched are not set.
func (s *Service) MayHoldEscrow(ctx context.Context, chainID uint64) ([]Deposit, error) {
	rows, err := s.pool.Query(ctx, mayHoldEscrowSQL, chainID, escrowMayBeOpen)
	if err != nil {
		return nil, fmt.Errorf("payment: escrows of chain %d: %w", chainID, err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Deposit, error) {
		var (
			d         Deposit
			addr, tok string
		)
		err := r.Scan(&d.PaymentID, &addr, &d.Ledger, &tok)
		d.Address, d.Token = common.HexToAddress(addr), common.HexToAddress(tok)
		return d, err
	})
}

// Standing is where a payment stands: its state and, while it is disputed, the state the dispute
// froze.
type Standing struct {
	PaymentID    ledger.ID
	State        State
	DisputedFrom State // set only while State is Disputed
}

// Holds is the state that says what the payment holds: its own, or where a dispute froze it.
func (s Standing) Holds() State {
	if s.State == Disputed {
		return s.DisputedFrom
	}
	return s.State
}

// holdingSQL selects, in id order, up to $3 payments after id $2 that are in one of the states $1
// or disputed from one of them.
const holdingSQL = `SELECT id, state::text, coalesce(disputed_from::text, '') FROM payments
	WHERE (state = ANY($1) OR (state = 'disputed' AND disputed_from = ANY($1))) AND id > $2
	ORDER BY id LIMIT $3`

// HoldingMax is the most payments one call of Holding returns.
const HoldingMax = 1000

// Holding returns, in id order, up to limit (at most HoldingMax; 0 or less: HoldingMax) of the
// payments that hold one of states — in it, or disputed from it (Holds says which) — whose id
// comes after after (the zero id: from the first). A page shorter than limit is the last; the
// next page starts after the last id returned. The worker follows payouts by it, a page per pass:
// the payments asked to be paid out, or being paid out, however many wait for approvals.
func (s *Service) Holding(ctx context.Context, after ledger.ID, limit int, states ...State) ([]Standing, error) {
	if limit <= 0 || limit > HoldingMax {
		limit = HoldingMax
	}
	names := make([]string, len(states))
	for i, st := range states {
		names[i] = string(st)
	}
	rows, err := s.pool.Query(ctx, holdingSQL, names, after, limit)
	if err != nil {
		return nil, fmt.Errorf("payment: payments holding %v: %w", states, err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Standing, error) {
		var st Standing
		err := r.Scan(&st.PaymentID, &st.State, &st.DisputedFrom)
		return st, err
	})
}

package payment

import (
	"context"
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
}

// watchedSQL selects the payments that can still receive money: watched until after $1, not
// paid out, created at or after $2.
const watchedSQL = `SELECT id, deposit_address, reference FROM payments
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
			w    Watched
			addr string
			ref  []byte
		)
		err := r.Scan(&w.PaymentID, &addr, &ref)
		w.Deposit = common.HexToAddress(addr)
		copy(w.Reference[:], ref)
		return w, err
	})
}

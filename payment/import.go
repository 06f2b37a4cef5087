package payment

import (
	"context"
	"encoding/json"
	"fmt"
	"math/big"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/amanat/amn/db"
	"github.com/amanat/amn/kind"
)

// The legacy MongoDB import's entry point (package migrate/mongo calls it in its per-document
// transaction): the old backend's payments become history records (payment_legacy), linked to
// their requests. They move no money, are never followed on chain and never touch the ledger.
// One whose funds the old backend still holds is LegacyHeld: the importer lists it, with its
// provider ids, for an operator to settle on the old provider (never guessed at here).

// LegacyState is where an old payment ended, as history.
type LegacyState string

// The legacy states.
const (
	LegacyUnpaid    LegacyState = "unpaid"
	LegacyHeld      LegacyState = "held" // open: funds held by the old backend
	LegacyReleased  LegacyState = "released"
	LegacyRefunded  LegacyState = "refunded"
	LegacyFailed    LegacyState = "failed"
	LegacyCancelled LegacyState = "cancelled"
)

// LegacyPaymentStatus maps every status of the old Payment model to its legacy state. Values
// missing from it are reported by the importer, never guessed at.
var LegacyPaymentStatus = map[string]LegacyState{
	"pending":   LegacyUnpaid,
	"created":   LegacyUnpaid,
	"paid":      LegacyHeld,
	"held":      LegacyHeld,
	"escrow":    LegacyHeld,
	"disputed":  LegacyHeld,
	"released":  LegacyReleased,
	"completed": LegacyReleased,
	"refunded":  LegacyRefunded,
	"failed":    LegacyFailed,
	"cancelled": LegacyCancelled,
	"canceled":  LegacyCancelled,
	"expired":   LegacyCancelled,
}

// ErrLegacyInvalid: an old payment breaks a rule of the history records.
var ErrLegacyInvalid = kind.New(kind.Invalid, "imported payment invalid")

// LegacyPayment is a payment of the legacy store, its references resolved.
type LegacyPayment struct {
	ID                   uuid.UUID
	Request              uuid.NullUUID
	Buyer, Seller        uuid.NullUUID
	Amount               *big.Int // base units of the token
	TokenSymbol          string
	ChainKey             string
	OldStatus            string
	State                LegacyState
	Provider             string
	ProviderIDs          map[string]string // the provider's request id, payment reference, transaction hashes
	CreatedAt, UpdatedAt time.Time
}

const (
	importLegacySQL = `INSERT INTO payment_legacy (id, request_id, buyer_id, seller_id, amount, token_symbol, chain_key, old_status, state,
		provider, provider_ids, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
		ON CONFLICT (id) DO UPDATE SET request_id = excluded.request_id, buyer_id = excluded.buyer_id, seller_id = excluded.seller_id,
		amount = excluded.amount, token_symbol = excluded.token_symbol, chain_key = excluded.chain_key, old_status = excluded.old_status,
		state = excluded.state, provider = excluded.provider, provider_ids = excluded.provider_ids, updated_at = excluded.updated_at`
	legacyTotalsSQL = `SELECT count(*), coalesce(sum(amount), 0)::text FROM payment_legacy WHERE id = ANY($1::uuid[])`
)

// ImportLegacy writes (or on a rerun overwrites) an old payment as a history record.
func ImportLegacy(ctx context.Context, tx pgx.Tx, p LegacyPayment) error {
	if p.Amount == nil || p.Amount.Sign() < 0 {
		return fmt.Errorf("%w: amount missing or negative", ErrLegacyInvalid)
	}
	ids := p.ProviderIDs
	if ids == nil {
		ids = map[string]string{}
	}
	raw, err := json.Marshal(ids)
	if err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, importLegacySQL, p.ID, p.Request, p.Buyer, p.Seller, db.Numeric(p.Amount), p.TokenSymbol,
		p.ChainKey, p.OldStatus, string(p.State), p.Provider, raw, p.CreatedAt.UTC(), p.UpdatedAt.UTC()); err != nil {
		return fmt.Errorf("payment: import legacy payment: %w", err)
	}
	return nil
}

// LegacyTotals counts the history records among ids and adds up their amounts (the import's
// verification).
func LegacyTotals(ctx context.Context, tx pgx.Tx, ids []uuid.UUID) (int64, *big.Int, error) {
	var n int64
	var sum string
	if err := tx.QueryRow(ctx, legacyTotalsSQL, ids).Scan(&n, &sum); err != nil {
		return 0, nil, err
	}
	v, ok := new(big.Int).SetString(sum, 10)
	if !ok {
		return 0, nil, fmt.Errorf("payment: legacy sum %q", sum)
	}
	return n, v, nil
}

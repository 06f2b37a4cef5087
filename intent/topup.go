package intent

import (
	"context"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/amanat/amn/chain"
	"github.com/amanat/amn/db"
)

// GasTopupRequest asks the signer to send native currency from the gas tank to an address (a
// deposit that needs gas outside a sweep, another platform address). The signer sends it only to
// destinations its policy lists, within its limits.
type GasTopupRequest struct {
	ChainID   uint64
	Contract  common.Address // the chain's AmnEscrow: the signer acts only on intents naming its own
	Recipient common.Address
	Amount    *big.Int // wei
	Actor     string   // who asks
}

// RequestGasTopup records a pending gas_topup intent. While a top-up of the same recipient on the
// same chain is open, asking again for the same amount returns it (created = false) and asking
// for another amount is refused: two requests never send twice.
func (s *Store) RequestGasTopup(ctx context.Context, r GasTopupRequest) (*Intent, bool, error) {
	switch {
	case r.Contract == (common.Address{}):
		return nil, false, ErrNoEscrow
	case r.ChainID == 0:
		return nil, false, fmt.Errorf("%w: a gas top-up needs a chain", ErrNotAllowed)
	case r.Recipient == (common.Address{}):
		return nil, false, fmt.Errorf("%w: a gas top-up needs a recipient", ErrNotAllowed)
	case r.Amount == nil || r.Amount.Sign() <= 0:
		return nil, false, fmt.Errorf("%w: a gas top-up needs a positive amount", ErrNotAllowed)
	}
	if r.Actor == "" {
		r.Actor = "admin"
	}
	in := &Intent{ID: uuid.New(), Kind: GasTopup, ChainID: r.ChainID, Contract: r.Contract, Token: chain.NativeToken,
		Recipient: r.Recipient, Amount: r.Amount, State: Pending, RequestedBy: r.Actor}
	var created bool
	var out *Intent
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `INSERT INTO signer_intents (id, kind, chain_id, contract, token, recipient, amount, state, requested_by)
			VALUES ($1, 'gas_topup', $2, $3, $4, $5, $6, 'pending', $7)
			ON CONFLICT (chain_id, recipient) WHERE kind = 'gas_topup' AND state NOT IN ('done', 'rejected') DO NOTHING`,
			in.ID, in.ChainID, hexAddr(in.Contract), hexAddr(in.Token), hexAddr(in.Recipient), db.Numeric(in.Amount), in.RequestedBy)
		if err != nil {
			return err
		}
		created = tag.RowsAffected() == 1
		out, err = Scan(tx.QueryRow(ctx, `SELECT `+Columns+` FROM signer_intents WHERE chain_id = $1 AND recipient = $2
			AND kind = 'gas_topup' AND state NOT IN ('done', 'rejected')`, in.ChainID, hexAddr(in.Recipient)))
		return err
	})
	if err != nil {
		return nil, false, fmt.Errorf("intent: recording a gas top-up of %s: %w", r.Recipient.Hex(), err)
	}
	if !created && out.Amount.Cmp(r.Amount) != 0 {
		return nil, false, fmt.Errorf("%w: gas top-up %s of %s wei to %s is still open (%s); wait for it before asking for %s wei",
			ErrNotAllowed, out.ID, out.Amount, out.Recipient.Hex(), out.State, r.Amount)
	}
	return out, created, nil
}

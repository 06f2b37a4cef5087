package intent

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"strings"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/amanat/amn/chart"
	"github.com/amanat/amn/kind"
	"github.com/amanat/amn/ledger"
)

// The gas tank's funding. The tank (the signer's operator address) spends on gas and top-ups,
// which BookGas books; it is filled by operators, outside the platform. An operator who funds it
// books the funding with the funding transaction's hash (`amn admin gas fund --tx HASH`): the
// transaction is read from the chain, never from the asker, and booked once it is final, outside →
// tank, under an id derived from the ledger and the hash. Then the tank's account in the books is
// what the tank should hold: its on-chain balance at a final block, less the gas and top-ups of
// intents not booked yet, can be compared with it. Money the books cannot tie to a funding
// transaction of the tank — a transfer from a contract (an internal transfer), a block reward, a
// balance set by hand on a devnet — is never booked: a tank whose chain balance exceeds its books
// says exactly that.

// Errors of BookTankFunding.
var (
	// ErrNotFunding: the transaction is not a final, successful transfer of native currency to the
	// tank by someone else. The wrapped message says which.
	ErrNotFunding = kind.New(kind.Invalid, "not a funding of the gas tank")
	// ErrFundingNotFinal: the transaction is pending, or mined in a block not final yet: book it
	// again later.
	ErrFundingNotFinal = kind.New(kind.Unavailable, "the funding transaction is not final yet")
	// ErrFundingUnknown: the chain's node does not know the transaction.
	ErrFundingUnknown = kind.New(kind.NotFound, "no such transaction on the chain")
)

// ChainReader is what BookTankFunding reads of the funded chain; *ethclient.Client has it.
type ChainReader interface {
	ChainID(ctx context.Context) (*big.Int, error)
	TransactionByHash(ctx context.Context, hash common.Hash) (*types.Transaction, bool, error)
	TransactionReceipt(ctx context.Context, hash common.Hash) (*types.Receipt, error)
	HeaderByNumber(ctx context.Context, number *big.Int) (*types.Header, error)
}

// TankFunding names a funding transaction of a chain's gas tank.
type TankFunding struct {
	ChainID    uint64
	Ledger     string         // the chain's native-currency ledger (chain.Chain.NativeLedger)
	Tank       common.Address // the signer's operator address
	Tx         common.Hash
	DepthFloor uint64 // the chain's depth floor: final is at or below min(finalized, head − floor)
	DepthOnly  bool   // the chain's finality ignores the finalized tag (chain.FinalityDepth): head − floor
}

// BookedFunding is a funding as it was booked.
type BookedFunding struct {
	Tank     common.Address `json:"tank"`
	From     common.Address `json:"from"`
	Amount   *big.Int       `json:"amount"` // wei
	Block    uint64         `json:"block"`
	Transfer ledger.ID      `json:"transfer"`
	Created  bool           `json:"created"` // false when it was booked before
}

// FundingTransferID is the ledger transfer of a funding transaction: one per ledger and hash.
func FundingTransferID(nativeLedger string, tx common.Hash) ledger.ID {
	return ledger.DeriveID("gas/funding\x00" + nativeLedger + "\x00" + strings.ToLower(tx.Hex()))
}

// BookTankFunding books a transaction that funded the gas tank: outside → the tank's account
// (chart.CodeGasFunding), for the value the chain says it carried. It refuses what is not such a
// transaction (ErrNotFunding: another recipient, the tank's own, no value, reverted), one not
// final yet (ErrFundingNotFinal), and one the node does not know (ErrFundingUnknown). Booking it
// again changes nothing (Created false).
func (s *Store) BookTankFunding(ctx context.Context, r ChainReader, f TankFunding) (*BookedFunding, error) {
	if f.Ledger == "" || f.Tank == (common.Address{}) {
		return nil, fmt.Errorf("%w: a funding needs the chain's native ledger and the tank", ErrNotFunding)
	}
	b, err := readFunding(ctx, r, f)
	if err != nil {
		return nil, fmt.Errorf("transaction %s: %w", f.Tx.Hex(), err)
	}
	b.Transfer = FundingTransferID(f.Ledger, f.Tx)
	books := ledger.New(s.pool)
	if _, err := books.CreateAccounts(ctx,
		ledger.Account{ID: chart.GasOutside(f.Ledger), Ledger: f.Ledger, Code: ledger.CodeWorld, Owner: "gas"},
		ledger.Account{ID: chart.GasTank(f.Ledger, f.Tank), Ledger: f.Ledger, Code: ledger.CodeGas, Owner: hexAddr(f.Tank)}); err != nil {
		return nil, err
	}
	res, err := books.CreateTransfers(ctx, []ledger.Transfer{{ID: b.Transfer, DebitAccountID: chart.GasOutside(f.Ledger),
		CreditAccountID: chart.GasTank(f.Ledger, f.Tank), Amount: b.Amount, Code: chart.CodeGasFunding,
		ObservationRef: strings.ToLower(f.Tx.Hex())}})
	if err == nil && res[0].Err != nil {
		err = res[0].Err
	}
	if err != nil {
		return nil, fmt.Errorf("booking the funding %s: %w", f.Tx.Hex(), err)
	}
	b.Created = !res[0].Existed
	return b, nil
}

// readFunding reads the transaction and checks that it is a final, successful transfer of native
// currency to the tank from another address.
func readFunding(ctx context.Context, r ChainReader, f TankFunding) (*BookedFunding, error) {
	if id, err := r.ChainID(ctx); err != nil {
		return nil, err
	} else if !id.IsUint64() || id.Uint64() != f.ChainID {
		return nil, fmt.Errorf("%w: the node serves chain %s, not %d", ErrNotFunding, id, f.ChainID)
	}
	tx, pending, err := r.TransactionByHash(ctx, f.Tx)
	switch {
	case errors.Is(err, ethereum.NotFound):
		return nil, ErrFundingUnknown
	case err != nil:
		return nil, err
	case pending:
		return nil, fmt.Errorf("%w: it is pending", ErrFundingNotFinal)
	}
	from, err := types.Sender(types.LatestSignerForChainID(new(big.Int).SetUint64(f.ChainID)), tx)
	switch {
	case err != nil:
		return nil, fmt.Errorf("%w: its sender cannot be recovered for chain %d: %v", ErrNotFunding, f.ChainID, err)
	case tx.To() == nil || *tx.To() != f.Tank:
		return nil, fmt.Errorf("%w: it is not sent to the tank %s", ErrNotFunding, f.Tank.Hex())
	case from == f.Tank:
		return nil, fmt.Errorf("%w: the tank sent it", ErrNotFunding)
	case tx.Value().Sign() <= 0:
		return nil, fmt.Errorf("%w: it carries no value", ErrNotFunding)
	}
	rcpt, err := r.TransactionReceipt(ctx, f.Tx)
	if errors.Is(err, ethereum.NotFound) {
		return nil, fmt.Errorf("%w: it is not mined", ErrFundingNotFinal)
	} else if err != nil {
		return nil, err
	}
	if rcpt.Status != types.ReceiptStatusSuccessful {
		return nil, fmt.Errorf("%w: it reverted", ErrNotFunding)
	}
	if err := final(ctx, r, rcpt, f.DepthFloor, f.DepthOnly); err != nil {
		return nil, err
	}
	return &BookedFunding{Tank: f.Tank, From: from, Amount: new(big.Int).Set(tx.Value()), Block: rcpt.BlockNumber.Uint64()}, nil
}

// final checks that the receipt's block is final — at or below min(finalized, head − floor), or
// head − floor alone with depthOnly — and still the chain's block at its height.
func final(ctx context.Context, r ChainReader, rcpt *types.Receipt, floor uint64, depthOnly bool) error {
	head, err := r.HeaderByNumber(ctx, nil)
	if err != nil {
		return err
	}
	limit := uint64(0)
	if h := head.Number.Uint64(); h >= floor {
		limit = h - floor
	}
	if !depthOnly {
		fin, err := r.HeaderByNumber(ctx, big.NewInt(int64(rpc.FinalizedBlockNumber)))
		if err != nil {
			return err
		}
		limit = min(limit, fin.Number.Uint64())
	}
	if n := rcpt.BlockNumber.Uint64(); n > limit {
		return fmt.Errorf("%w: block %d, final is %d", ErrFundingNotFinal, n, limit)
	}
	canon, err := r.HeaderByNumber(ctx, rcpt.BlockNumber)
	if err != nil {
		return err
	}
	if canon.Hash() != rcpt.BlockHash {
		return fmt.Errorf("%w: its block %d was reorged away", ErrNotFunding, rcpt.BlockNumber)
	}
	return nil
}

// TankBalance is the gas tank's balance in the books (wei): fundings booked less what the tank
// spent on the intents booked so far; negative while fundings are not booked.
func (s *Store) TankBalance(ctx context.Context, nativeLedger string, tank common.Address) (*big.Int, error) {
	a, err := ledger.New(s.pool).Account(ctx, chart.GasTank(nativeLedger, tank))
	if errors.Is(err, ledger.ErrAccountNotFound) {
		return new(big.Int), nil
	}
	if err != nil {
		return nil, err
	}
	return a.Balance().Posted, nil
}

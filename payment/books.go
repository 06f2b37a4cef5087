package payment

import (
	"context"
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/amanat/amn/chart"
	"github.com/amanat/amn/ledger"
)

// Books is one payment as the ledger holds it, summed from the payment's own transfers (every
// transfer a transition writes carries the payment's id as its PaymentRef): what reached the
// escrow, what left it and to whom, and the deposits the chain showed. Amounts are base units
// and only ever final (posted) movements: a payout on its way still counts as in escrow.
type Books struct {
	Deposited  *big.Int // deposits posted at finality: the same as Payment.Received
	Swept      *big.Int // moved from the deposit address into the escrow
	InEscrow   *big.Int // swept, less what left the escrow since (released, commission, refunded)
	Released   *big.Int // paid out to the seller
	Commission *big.Int // the platform's commission, taken from the escrow on release
	Refunded   *big.Int // paid back to the buyer: a refund, or the buyer's reclaim on chain
	Deposits   []DepositSeen
}

// DepositState is where a deposit's credit stands.
type DepositState string

// The deposit states, from the deposit's pending transfer.
const (
	DepositPending  DepositState = "pending"  // seen, its block not final yet
	DepositFinal    DepositState = "final"    // credited
	DepositOrphaned DepositState = "orphaned" // a reorg removed its block: never credited
)

// DepositSeen is one deposit the indexer saw on the payment's address.
type DepositSeen struct {
	ChainID uint64
	Block   common.Hash
	TxHash  common.Hash
	Amount  *big.Int
	State   DepositState
	SeenAt  time.Time
}

// Books reads the payment's transfers from the ledger and sums them; a payment without any (or
// no payment at all) has empty books.
func (s *Service) Books(ctx context.Context, id ledger.ID) (Books, error) {
	ts, err := ledger.New(s.pool).PaymentTransfers(ctx, id.String())
	if err != nil {
		return Books{}, err
	}
	return booksOf(ts)
}

// booksOf sums a payment's transfers. A movement counts once it is final: a transfer made
// posted, or the post of a reservation (which carries its reservation's code and amount).
func booksOf(ts []ledger.Transfer) (Books, error) {
	b := Books{Deposited: new(big.Int), Swept: new(big.Int), InEscrow: new(big.Int), Released: new(big.Int),
		Commission: new(big.Int), Refunded: new(big.Int), Deposits: []DepositSeen{}}
	for _, t := range ts {
		// A deposit is its pending transfer, or one posted transfer when it was final when first
		// seen (a post of a pending deposit is not another deposit).
		if t.Code == chart.CodeDeposit && t.Flags&(ledger.PostPending|ledger.VoidPending) == 0 {
			d, err := depositOf(t)
			if err != nil {
				return b, err
			}
			b.Deposits = append(b.Deposits, d)
		}
		if t.Flags&(ledger.Pending|ledger.VoidPending) != 0 {
			continue
		}
		var sum *big.Int
		switch t.Code {
		case chart.CodeDeposit:
			sum = b.Deposited
		case chart.CodeSweep:
			sum = b.Swept
		case chart.CodeRelease:
			sum = b.Released
		case chart.CodeCommission:
			sum = b.Commission
		case chart.CodeRefund, chart.CodeReclaim:
			sum = b.Refunded
		default:
			continue
		}
		sum.Add(sum, t.Amount)
	}
	b.InEscrow.Sub(b.Swept, b.Released).Sub(b.InEscrow, b.Commission).Sub(b.InEscrow, b.Refunded)
	return b, nil
}

// depositOf reads a deposit's transfer (pending, or posted at once): its observation reference
// (chain:block:tx:log[#incarnation], Observation.ref) and where it stands.
func depositOf(t ledger.Transfer) (DepositSeen, error) {
	parts := strings.Split(t.ObservationRef, ":")
	if len(parts) != 4 {
		return DepositSeen{}, fmt.Errorf("payment: deposit transfer %s has observation %q", t.ID, t.ObservationRef)
	}
	chainID, err := strconv.ParseUint(parts[0], 10, 64)
	if err != nil {
		return DepositSeen{}, fmt.Errorf("payment: deposit transfer %s has observation %q", t.ID, t.ObservationRef)
	}
	d := DepositSeen{ChainID: chainID, Block: common.HexToHash(parts[1]), TxHash: common.HexToHash(parts[2]),
		Amount: t.Amount, State: DepositPending, SeenAt: t.CreatedAt}
	switch {
	case t.Flags&ledger.Pending == 0, t.State == ledger.StatePosted:
		d.State = DepositFinal
	case t.State == ledger.StateVoided, t.State == ledger.StateExpired:
		d.State = DepositOrphaned
	}
	return d, nil
}

package signer

import (
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/amanat/amn/chart"
	"github.com/amanat/amn/devnet"
	"github.com/amanat/amn/intent"
	"github.com/amanat/amn/kind"
	"github.com/amanat/amn/ledger"
)

// The gas tank can be reconciled: a tank that holds nothing but what operators sent it by
// transactions booked with BookTankFunding (`amn admin gas fund --tx`) holds on chain exactly
// what the books say, after a sweep (its top-up and gas) and a release (its gas) are booked too.
// Only a final transfer to the tank from someone else is booked, once; everything else is
// refused with its kind.
func TestTankFundingBookedAndReconciled(t *testing.T) {
	t.Parallel() // a world of its own: anvil and database
	w := newWorld(t, nil)
	ctx, f := w.ctx, w.f
	op := w.keys.OperatorAddress()
	tankOp := devnet.Account{Address: op, Key: w.keys.Operator}
	eth := func(n int64) *big.Int { return new(big.Int).Mul(big.NewInt(n), big.NewInt(1e18)) }
	funding := func(tx common.Hash) intent.TankFunding {
		return intent.TankFunding{ChainID: f.ChainID, Ledger: nativeLedger, Tank: op, Tx: tx, DepthFloor: 2}
	}
	book := func(tx common.Hash) (*intent.BookedFunding, error) {
		return w.intents.BookTankFunding(ctx, f.Client, funding(tx))
	}
	// The harness gave the tank 100 ETH by hand (anvil_setBalance): no transaction, nothing to
	// book. Start it empty, then fund it as an operator does, from another wallet.
	if err := f.SetBalance(ctx, op, new(big.Int)); err != nil {
		t.Fatal(err)
	}

	// Mined but not final yet (no block on top): refused for now, and nothing booked.
	w.paused.Store(true)
	rcpt, err := f.Send(ctx, f.Deployer, op, nil, eth(3))
	if err != nil {
		t.Fatal(err)
	}
	fund := rcpt.TxHash
	if _, err := book(fund); !errors.Is(err, intent.ErrFundingNotFinal) || kind.Of(err) != kind.Unavailable {
		t.Fatalf("a funding not final yet: %v (kind %q)", err, kind.Of(err))
	}
	if b, err := w.intents.TankBalance(ctx, nativeLedger, op); err != nil || b.Sign() != 0 {
		t.Fatalf("the tank's books hold %s (%v) before any funding is booked", b, err)
	}
	w.paused.Store(false)
	var booked *intent.BookedFunding
	for deadline := time.Now().Add(10 * time.Second); ; {
		if booked, err = book(fund); err == nil {
			break
		}
		if !errors.Is(err, intent.ErrFundingNotFinal) || time.Now().After(deadline) {
			t.Fatal(err)
		}
		time.Sleep(20 * time.Millisecond) // a poll interval: blocks come from the ticker
	}
	if !booked.Created || booked.Amount.Cmp(eth(3)) != 0 || booked.From != f.Deployer.Address || booked.Tank != op ||
		booked.Transfer != intent.FundingTransferID(nativeLedger, fund) {
		t.Fatalf("booked %+v", booked)
	}
	// Booking it again changes nothing.
	if again, err := book(fund); err != nil || again.Created || again.Transfer != booked.Transfer {
		t.Fatalf("booking again: %+v %v", again, err)
	}
	tr, err := ledger.New(w.admin).LookupTransfer(ctx, booked.Transfer)
	if err != nil || tr.Code != chart.CodeGasFunding || tr.DebitAccountID != chart.GasOutside(nativeLedger) ||
		tr.CreditAccountID != chart.GasTank(nativeLedger, op) || tr.Amount.Cmp(eth(3)) != 0 {
		t.Fatalf("the funding's transfer %+v (%v)", tr, err)
	}

	// What is not a funding of the tank is refused, and books nothing.
	toOther, err := f.Send(ctx, f.Deployer, f.Seller.Address, nil, eth(1))
	if err != nil {
		t.Fatal(err)
	}
	own, err := f.Send(ctx, tankOp, op, nil, eth(1)) // the tank to itself: moves nothing
	if err != nil {
		t.Fatal(err)
	}
	empty, err := f.Send(ctx, f.Deployer, op, nil, nil) // no value
	if err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]struct {
		f    intent.TankFunding
		want error
	}{
		"a transfer to someone else":  {funding(toOther.TxHash), intent.ErrNotFunding},
		"the tank's own transfer":     {funding(own.TxHash), intent.ErrNotFunding},
		"a transaction with no value": {funding(empty.TxHash), intent.ErrNotFunding},
		"an unknown transaction":      {funding(crypto.Keccak256Hash([]byte("no such tx"))), intent.ErrFundingUnknown},
		"another chain's id":          {intent.TankFunding{ChainID: 1, Ledger: "eth:ETH", Tank: op, Tx: fund}, intent.ErrNotFunding},
		"a funding of another tank":   {intent.TankFunding{ChainID: f.ChainID, Ledger: nativeLedger, Tank: f.Seller.Address, Tx: fund}, intent.ErrNotFunding},
	} {
		if _, err := w.intents.BookTankFunding(ctx, f.Client, c.f); !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", name, err, c.want)
		}
	}
	if b, _ := w.intents.TankBalance(ctx, nativeLedger, op); b.Cmp(eth(3)) != 0 {
		t.Fatalf("the tank's books hold %s after refusals, want the one funding", b)
	}

	// The tank pays a sweep's top-up and gas and a release's gas; the worker books them.
	p, _ := w.inEscrow(41_000_000)
	in, _, err := w.intents.RequestRelease(ctx, p.ID, intent.RequestOptions{Contract: f.Addresses.Escrow})
	if err != nil {
		t.Fatal(err)
	}
	w.approve(in, f.Custodians[0], f.Custodians[1])
	w.until(in.ID, intent.Done)
	if _, err := w.intents.Follow(ctx); err != nil {
		t.Fatal(err)
	}
	books, err := w.intents.TankBalance(ctx, nativeLedger, op)
	if err != nil {
		t.Fatal(err)
	}
	// Everything it did is booked: books and chain agree to the wei (the self-transfer cost gas,
	// which nothing books: the tank's key signed outside the signer, as a thief's would).
	onChain := w.native(op)
	gasOfOwn := new(big.Int).Mul(new(big.Int).SetUint64(own.GasUsed), own.EffectiveGasPrice)
	if diff := new(big.Int).Sub(books, onChain); diff.Cmp(gasOfOwn) != 0 {
		t.Fatalf("the tank's books hold %s, the chain %s: %s apart, want exactly the gas of the transfer the signer did not make (%s)",
			books, onChain, diff, gasOfOwn)
	}
	if v, err := ledger.Check(ctx, w.admin); err != nil || v != nil {
		t.Fatalf("ledger check: %v %v", v, err)
	}
}

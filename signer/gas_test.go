package signer

import (
	"errors"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/amanat/amn/chart"
	"github.com/amanat/amn/ledger"
)

// nativeLedger is where the worker books gas on this package's chain (id 56: bsc).
const nativeLedger = "bsc:BNB"

// native is a's balance of the chain's own currency.
func (w *world) native(a common.Address) *big.Int {
	w.t.Helper()
	b, err := w.f.Client.BalanceAt(w.ctx, a, nil)
	if err != nil {
		w.t.Fatal(err)
	}
	return b
}

// posted is an account's posted balance; zero for an account not opened yet.
func (w *world) posted(id ledger.ID) *big.Int {
	w.t.Helper()
	a, err := ledger.New(w.admin).Account(w.ctx, id)
	if errors.Is(err, ledger.ErrAccountNotFound) {
		return new(big.Int)
	}
	if err != nil {
		w.t.Fatal(err)
	}
	return a.Balance().Posted
}

// After a real sweep, the worker's follow pass books its gas in bsc:BNB: the deposit's gas account
// holds exactly the dust left on the deposit address, the tank's account was debited exactly what
// the tank spent, the network fees grew by the sweep's gas; booking again writes nothing.
func TestSweepGasBookedInNativeLedger(t *testing.T) {
	t.Parallel() // a world of its own: anvil and database
	w := newWorld(t, nil)
	books := ledger.New(w.admin)
	op := w.keys.OperatorAddress()
	feesBefore := w.posted(chart.NetworkFees(nativeLedger))
	p := w.paid(25_000_000)
	tankBefore := w.native(op)
	in := w.sweep(p) // runs the follow pass until the intent is done, which books it

	dust := w.native(p.Deposit)
	if dust.Sign() <= 0 {
		t.Fatalf("deposit %s keeps %s wei after the sweep: expected some dust", p.Deposit.Hex(), dust)
	}
	if held := w.posted(chart.GasHeld(nativeLedger, p.Deposit)); held.Cmp(dust) != 0 {
		t.Fatalf("ledger: deposit gas account holds %s; on chain the deposit keeps %s", held, dust)
	}
	spent := new(big.Int).Sub(tankBefore, w.native(op))
	if got := new(big.Int).Neg(w.posted(chart.GasTank(nativeLedger, op))); got.Cmp(spent) != 0 {
		t.Fatalf("ledger: the tank's account was debited %s; on chain the tank spent %s", got, spent)
	}
	fees := new(big.Int).Sub(w.posted(chart.NetworkFees(nativeLedger)), feesBefore)
	if fees.Cmp(in.GasCost) != 0 {
		t.Fatalf("network fees grew by %s; the sweep's transactions cost %s", fees, in.GasCost)
	}
	// Tank spend = top-up + the top-up's own gas; dust = top-up − the deposit's gas.
	t.Logf("sweep: %d gas, %s wei; tank spent %s wei, dust left %s wei", in.GasUsed, in.GasCost, spent, dust)

	// The follow pass again: nothing left to book. And with the mark cleared (as if it were
	// lost), booking again finds every transfer recorded and changes no balance.
	if n, err := w.intents.BookGas(w.ctx, 0); err != nil || n != 0 {
		t.Fatalf("second pass booked %d (%v), want 0", n, err)
	}
	entries := func() int {
		var n int
		if err := w.admin.QueryRow(w.ctx, `SELECT count(*) FROM ledger_entries`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := entries()
	if _, err := w.admin.Exec(w.ctx, `UPDATE signer_intents SET gas_booked_at = NULL WHERE id = $1`, in.ID); err != nil {
		t.Fatal(err)
	}
	if n, err := w.intents.BookGas(w.ctx, 0); err != nil || n != 1 {
		t.Fatalf("re-booking: %d (%v)", n, err)
	}
	if after := entries(); after != before {
		t.Fatalf("booking twice wrote %d ledger entries", after-before)
	}
	if got := w.posted(chart.GasHeld(nativeLedger, p.Deposit)); got.Cmp(dust) != 0 {
		t.Fatalf("after re-booking the deposit gas account holds %s", got)
	}
	if v, err := ledger.Check(w.ctx, w.admin); err != nil || v != nil {
		t.Fatalf("ledger check: %v %v", v, err)
	}
	tb, err := books.TrialBalance(w.ctx, nativeLedger)
	if err != nil || !tb.Balanced() {
		t.Fatalf("trial balance of %s: %+v %v", nativeLedger, tb, err)
	}
}

package indexer

import (
	"context"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/amanat/amn/chain"
	"github.com/amanat/amn/chart"
	"github.com/amanat/amn/ledger"
)

// A native deposit keeps the dust of its sweep's gas top-up; once the worker has booked it (the
// deposit's gas account in the chain's native ledger), reconciliation counts it as the books'.
func TestReconcileCountsGasLeftAtNativeDeposits(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t, 14) // a chain of its own: reconciliation looks at every payment on it
	pay, pool := newPaymentService(t)
	e := newEnv(t, f, pay, pool, devConfig(f, 3), Options{})
	p := e.newPayment(14, chain.NativeToken, 5_000_000_000)
	e.sendNative(p.Deposit, 0, 5_000_000_000)
	mine(t, f, 5)
	e.catchUp()
	if rec, err := e.ix.Reconcile(ctx); err != nil || len(rec.Mismatches) != 0 {
		t.Fatalf("reconcile of a credited native payment: %+v, %v", rec, err)
	}
	// Gas left at the deposit by a top-up (set directly: no transaction for the indexer to see).
	const dust = 777_000
	if err := f.SetBalance(ctx, p.Deposit, big.NewInt(5_000_000_000+dust)); err != nil {
		t.Fatal(err)
	}
	mine(t, f, 5)
	e.catchUp()
	rec, err := e.ix.Reconcile(ctx)
	if err != nil || len(rec.Mismatches) != 1 || rec.Mismatches[0].Diff.Int64() != dust {
		t.Fatalf("reconcile before the dust is booked: %+v, %v; want one mismatch of %d", rec, err, dust)
	}
	// The worker's booking: gas tank → the deposit's gas account.
	name := e.cfg.NativeLedger()
	tank := common.HexToAddress("0x00000000000000000000000000000000000007a4")
	books := ledger.New(pool)
	if _, err := books.CreateAccounts(ctx,
		ledger.Account{ID: chart.GasTank(name, tank), Ledger: name, Code: ledger.CodeGas},
		ledger.Account{ID: chart.GasHeld(name, p.Deposit), Ledger: name, Code: ledger.CodeGasHeld, Flags: ledger.DebitsMustNotExceedCredits},
	); err != nil {
		t.Fatal(err)
	}
	if _, err := books.Transfer(ctx, ledger.Transfer{ID: ledger.NewID(), DebitAccountID: chart.GasTank(name, tank),
		CreditAccountID: chart.GasHeld(name, p.Deposit), Amount: big.NewInt(dust), Code: chart.CodeGasTopup}); err != nil {
		t.Fatal(err)
	}
	if rec, err := e.ix.Reconcile(ctx); err != nil || len(rec.Mismatches) != 0 {
		t.Fatalf("reconcile after the dust is booked: %+v, %v", rec, err)
	}
}

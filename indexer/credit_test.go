package indexer

import (
	"context"
	"testing"

	"github.com/amanat/amn/payment"
)

// TestFinalDepositsCreditedAsSeen: catching up over blocks that are final already, a deposit is
// detected and credited in one transaction (payment.DetectConfirmMany) and stored as credited;
// one in a block that is not final yet is only detected.
func TestFinalDepositsCreditedAsSeen(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t, 17) // a chain of its own: reconciliation elsewhere looks at every payment on a chain
	pay, pool := newPaymentService(t)
	e := newEnv(t, f, pay, pool, devConfig(f, 3), Options{})
	old := e.newPayment(17, f.Addresses.USDT, 1_000_000)
	txOld := e.transfer(f.Addresses.USDT, old.Deposit, 0, 1_000_000)
	mine(t, f, 10)
	fresh := e.newPayment(17, f.Addresses.USDT, 2_000_000)
	txFresh := e.transfer(f.Addresses.USDT, fresh.Deposit, 1, 2_000_000)
	e.catchUp()

	if obs := obsOf(t, e, txOld); len(obs) != 1 || obs[0].State != StateCredited {
		t.Fatalf("deposit in a final block: %+v, want credited", obs)
	}
	tl, err := pay.Timeline(ctx, old.ID)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(tl); n < 3 || tl[n-2].Event != string(payment.EvDetect) || tl[n-1].Event != string(payment.EvConfirm) || !tl[n-2].At.Equal(tl[n-1].At) {
		t.Errorf("timeline %+v: want detect and confirm in one transaction", tl)
	}
	if s := e.state(old); s != payment.Funded {
		t.Errorf("old payment: %s, want funded", s)
	}
	if obs := obsOf(t, e, txFresh); len(obs) != 1 || obs[0].State != StatePending {
		t.Errorf("deposit in the head block: %+v, want pending", obs)
	}
	if s := e.state(fresh); s != payment.Detected {
		t.Errorf("fresh payment: %s, want detected", s)
	}
}

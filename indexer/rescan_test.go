package indexer

import (
	"context"
	"errors"
	"testing"

	"github.com/riverqueue/river"

	"github.com/amanat/amn/ledger"
	"github.com/amanat/amn/payment"
)

// TestCheckJobRescansAPaymentTheWatchSetMissed pays a payment that is no longer watched (its
// late window is over): the regular scan ignores it; a payment_check job (as the Request Network
// webhook inserts) makes the indexer look again, find it and credit it (late).
func TestCheckJobRescansAPaymentTheWatchSetMissed(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t, 97)
	pay, pool := newPaymentService(t)
	e := newEnv(t, f, pay, pool, devConfig(f, 2), Options{})
	p := e.newPayment(97, f.Addresses.USDT, 700_000)
	if _, err := pool.Exec(ctx, `UPDATE payments SET expires_at = now() - interval '2 days', watch_until = now() - interval '1 day' WHERE id = $1`, p.ID); err != nil {
		t.Fatal(err)
	}
	tx := e.payViaProxy(p, 0, 700_000)
	mine(t, f, 4)
	e.catchUp()
	if s := e.state(p); s != payment.AwaitingPayment || len(obsOf(t, e, tx)) != 0 {
		t.Fatalf("unwatched payment was seen by the regular scan: %s", s)
	}
	w := &CheckWorker{Pool: pool, Payments: pay}
	if err := w.Work(ctx, &river.Job[payment.CheckArgs]{Args: payment.CheckArgs{PaymentID: p.ID.String(), Why: "webhook payment.confirmed"}}); err != nil {
		t.Fatal(err)
	}
	e.catchUp()
	got, err := pay.Get(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.State != payment.Late || got.Received.Int64() != 700_000 {
		t.Fatalf("after the rescan: %s received %s, want late 700000", got.State, got.Received)
	}
	var open int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM indexer_rescans WHERE payment_id = $1 AND done_at IS NULL`, p.ID).Scan(&open); err != nil || open != 0 {
		t.Errorf("open rescans %d, %v", open, err)
	}
	// A job for a payment that does not exist is cancelled, not retried.
	err = w.Work(ctx, &river.Job[payment.CheckArgs]{Args: payment.CheckArgs{PaymentID: ledger.NewID().String()}})
	var cancel *river.JobCancelError
	if !errors.As(err, &cancel) {
		t.Errorf("job for an unknown payment: %v, want cancelled", err)
	}
}

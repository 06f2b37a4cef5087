package payment_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/amanat/amn/db/dbtest"
	"github.com/amanat/amn/payment"
	"github.com/amanat/amn/payment/paymenttest"
)

const racers = 50

// race runs f from racers goroutines released at once and returns their errors.
func race(f func() error) []error {
	errs := make([]error, racers)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range racers {
		wg.Go(func() { <-start; errs[i] = f() })
	}
	close(start)
	wg.Wait()
	return errs
}

// TestRaceOneTransition: 50 concurrent attempts at a transition without ledger effects give one
// success and 49 ErrIllegalTransition; 50 at one with ledger effects give one transition and one
// set of transfers, the other 49 finding it done.
func TestRaceOneTransition(t *testing.T) {
	ctx := context.Background()
	poolFor = dbtest.Pool(t)
	s, c := newService(t)
	p := create(t, s)
	var err error
	for _, st := range pathTo[payment.InEscrow] {
		if p, err = st.run(ctx, s, c, p); err != nil {
			t.Fatal(err)
		}
	}

	errs := race(func() error { _, err := s.RequestRelease(ctx, p.ID, "admin", "race"); return err })
	ok, illegal := 0, 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case errors.Is(err, payment.ErrIllegalTransition):
			illegal++
		default:
			t.Fatalf("unexpected error: %v", err)
		}
	}
	if ok != 1 || illegal != racers-1 {
		t.Fatalf("request_release: %d succeeded, %d refused; want 1 and %d", ok, illegal, racers-1)
	}

	transfers, timeline := counts(ctx, t, p)
	for _, err := range race(func() error { _, err := s.StartRelease(ctx, p.ID); return err }) {
		if err != nil {
			t.Fatalf("start_release: %v", err)
		}
	}
	after, afterTimeline := counts(ctx, t, p)
	if after-transfers != 2 || afterTimeline-timeline != 1 {
		t.Fatalf("50 racing start_release wrote %d transfers and %d timeline rows; want 2 and 1", after-transfers, afterTimeline-timeline)
	}
	got, err := s.Get(ctx, p.ID)
	if err != nil || got.State != payment.Releasing {
		t.Fatalf("state %v, %v", got.State, err)
	}
}

// TestDepositIndicesNeverRepeat: concurrent creations get distinct indices and addresses; the
// same buyer, offer and chain twice is refused; an index is not reused after a failure.
func TestDepositIndicesNeverRepeat(t *testing.T) {
	ctx := context.Background()
	poolFor = dbtest.Pool(t)
	s, _ := newService(t)
	var mu sync.Mutex
	seen := map[uint32]bool{}
	addrs := map[string]bool{}
	for _, err := range race(func() error {
		p, err := tryCreate(s)
		if err != nil {
			return err
		}
		mu.Lock()
		defer mu.Unlock()
		if seen[p.DepositIndex] || addrs[p.Deposit.Hex()] {
			return fmt.Errorf("index %d / address %s handed out twice", p.DepositIndex, p.Deposit.Hex())
		}
		seen[p.DepositIndex], addrs[p.Deposit.Hex()] = true, true
		return nil
	}) {
		if err != nil {
			t.Fatal(err)
		}
	}

	same := paymenttest.Offer(payment.NewPayment{
		BuyerRef: "buyer-dup", OfferRef: "offer-dup", ChainID: 56, ChainKey: "bsc",
		Token: usdt, TokenSymbol: "USDT", Decimals: 18, Amount: amount(5), RequestID: "r", Salt: "s", TTL: time.Hour,
	}, paymenttest.Seller())
	created, dup := 0, 0
	for _, err := range race(func() error { _, err := s.Create(ctx, same); return err }) {
		switch {
		case err == nil:
			created++
		case errors.Is(err, payment.ErrDuplicate):
			dup++
		default:
			t.Fatalf("unexpected: %v", err)
		}
	}
	if created != 1 || dup != racers-1 {
		t.Fatalf("same offer: %d created, %d duplicates", created, dup)
	}
	// The failed attempts consumed indices that nobody will get again.
	next := create(t, s)
	if seen[next.DepositIndex] || int(next.DepositIndex) < racers+racers {
		t.Fatalf("next index %d reuses or precedes indices handed out before", next.DepositIndex)
	}
}

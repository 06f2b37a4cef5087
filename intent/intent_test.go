package intent_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/amanat/amn/db/dbtest"
	"github.com/amanat/amn/hd"
	"github.com/amanat/amn/intent"
	"github.com/amanat/amn/jobs"
	"github.com/amanat/amn/payment"
	"github.com/amanat/amn/payment/paymenttest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// anvilXpub: the account xpub of the public test mnemonic (test data).
const anvilXpub = "xpub6Ce9NcJvTk36xtLSrJLZqE7wtgA5deCeYs7rSQtreh4cj6ByPtrg9sD7V2FNFLPnf8heNP3FGkeV9qwfzvZNSd54JoNXVsXFYSYwHsnJxqP"

var (
	usdt   = common.HexToAddress("0x55d398326f99059fF775485246999027B3197955")
	escrow = common.HexToAddress("0x00000000000000000000000000000000000e5c40")
)

func funded(t *testing.T, s *payment.Service, buyer bool) *payment.Payment {
	t.Helper()
	ctx := context.Background()
	p, err := s.Create(ctx, paymenttest.Offer(payment.NewPayment{BuyerRef: "b", OfferRef: fmt.Sprint("o", time.Now().UnixNano()),
		ChainID: 56, ChainKey: "bsc", Token: usdt, TokenSymbol: "USDT", Decimals: 18,
		Amount: big.NewInt(1000), Fee: big.NewInt(0), FeeAddress: common.HexToAddress("0xfe"), Commission: big.NewInt(10),
		RequestID: fmt.Sprint("r", time.Now().UnixNano()), Salt: "s", TTL: time.Hour}, paymenttest.Seller()))
	if err != nil {
		t.Fatal(err)
	}
	if buyer {
		p = paymenttest.ProveBuyer(t, s, p, paymenttest.Buyer())
	}
	o := payment.Observation{ChainID: 56, BlockHash: common.BytesToHash(p.ID[:]), BlockNumber: 1, TxHash: common.BytesToHash(p.ID[:]),
		Token: usdt, Amount: big.NewInt(1000)}
	if _, err := s.Detect(ctx, p.ID, o); err != nil {
		t.Fatal(err)
	}
	if p, err = s.Confirm(ctx, p.ID, o.TransferID()); err != nil {
		t.Fatal(err)
	}
	return p
}

// The worker role works payment_sweep jobs into sweep intents (jobs.Config.Escrow set).
func TestSweepJobRecordsIntent(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	pool := dbtest.Pool(t)
	d, _ := hd.ParseXpub(anvilXpub)
	s := payment.New(pool, d)
	p := funded(t, s, true) // Confirm enqueued payment_sweep
	client, err := jobs.NewClient(jobs.Config{Pool: pool, Log: slog.New(slog.DiscardHandler), Registry: prometheus.NewRegistry(),
		Escrow: func(uint64) common.Address { return escrow }})
	if err != nil {
		t.Fatal(err)
	}
	if err := client.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = client.Stop(context.Background()) }()
	store := intent.NewStore(pool, s, nil)
	for {
		in, err := store.OpenFor(ctx, p.ID)
		if err == nil {
			if in.Kind != intent.Sweep || in.State != intent.Pending || in.Amount.Cmp(big.NewInt(1000)) != 0 || in.Contract != escrow {
				t.Fatalf("intent %+v", in)
			}
			break
		}
		if !errors.Is(err, intent.ErrNotFound) {
			t.Fatal(err)
		}
		select {
		case <-ctx.Done():
			t.Fatal("no sweep intent recorded")
		case <-time.After(50 * time.Millisecond):
		}
	}
	got, _ := s.Get(ctx, p.ID)
	if got.State != payment.Sweeping {
		t.Fatalf("payment %s", got.State)
	}
	// Again: the same intent, no second one.
	in2, created, err := store.CreateSweep(ctx, p.ID, escrow)
	if err != nil || created {
		t.Fatalf("second sweep: %v created=%v", err, created)
	}
	_ = in2
}

// Refusals an admin sees.
func TestRequestRefusals(t *testing.T) {
	ctx := context.Background()
	pool := dbtest.Pool(t)
	d, _ := hd.ParseXpub(anvilXpub)
	s := payment.New(pool, d)
	store := intent.NewStore(pool, s, nil)
	p := funded(t, s, false)
	o := intent.RequestOptions{Contract: escrow}
	if _, _, err := store.RequestRelease(ctx, p.ID, o); !errors.Is(err, intent.ErrPaymentState) {
		t.Fatalf("release of a funded (unswept) payment: %v", err)
	}
	if _, _, err := store.CreateSweep(ctx, p.ID, escrow); !errors.Is(err, intent.ErrNoBuyer) {
		t.Fatalf("sweep without a buyer address: %v", err)
	}
	if _, _, err := store.RequestRelease(ctx, [16]byte{1}, o); !errors.Is(err, payment.ErrNotFound) {
		t.Fatalf("unknown payment: %v", err)
	}
	if _, _, err := store.RequestRelease(ctx, p.ID, intent.RequestOptions{}); !errors.Is(err, intent.ErrNoEscrow) {
		t.Fatalf("no contract: %v", err)
	}
}

// Approvals expire in hours: a release asked with a longer validity is refused; the default
// deadline is DefaultTTL away.
func TestApprovalTTLIsCapped(t *testing.T) {
	ctx := context.Background()
	pool := dbtest.Pool(t)
	d, _ := hd.ParseXpub(anvilXpub)
	s := payment.New(pool, d)
	store := intent.NewStore(pool, s, nil)
	p := funded(t, s, false)
	if _, _, err := store.RequestRelease(ctx, p.ID, intent.RequestOptions{Contract: escrow, TTL: 72 * time.Hour}); !errors.Is(err, intent.ErrNotAllowed) {
		t.Fatalf("approvals valid for 72 h: %v", err)
	}
	if intent.DefaultTTL > intent.MaxTTL || intent.MaxTTL > 24*time.Hour {
		t.Fatalf("default %s, max %s", intent.DefaultTTL, intent.MaxTTL)
	}
}

// A dispute of a payment whose money is on its way into escrow enqueues payment_freeze in its own
// transaction; the worker role turns it into one freeze intent.
func TestDisputeEnqueuesAFreeze(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	pool := dbtest.Pool(t)
	d, _ := hd.ParseXpub(anvilXpub)
	s := payment.New(pool, d)
	store := intent.NewStore(pool, s, nil)
	p := funded(t, s, true)
	if _, _, err := store.CreateSweep(ctx, p.ID, escrow); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Dispute(ctx, p.ID, "buyer", "not as described"); err != nil {
		t.Fatal(err)
	}
	client, err := jobs.NewClient(jobs.Config{Pool: pool, Log: slog.New(slog.DiscardHandler), Registry: prometheus.NewRegistry(),
		Escrow: func(uint64) common.Address { return escrow }})
	if err != nil {
		t.Fatal(err)
	}
	if err := client.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = client.Stop(context.Background()) }()
	for {
		list, err := store.List(ctx, intent.Filter{Kind: intent.Freeze, PaymentID: p.ID})
		if err != nil {
			t.Fatal(err)
		}
		if len(list) == 1 {
			if in := list[0]; in.State != intent.Pending || in.Contract != escrow || in.Token != usdt {
				t.Fatalf("freeze intent %+v", in)
			}
			break
		}
		select {
		case <-ctx.Done():
			t.Fatal("no freeze intent recorded")
		case <-time.After(50 * time.Millisecond): // poll interval
		}
	}
	// Asking again while it is open: the same intent.
	list, _ := store.List(ctx, intent.Filter{Kind: intent.Freeze, PaymentID: p.ID})
	again, created, err := store.RequestFreeze(ctx, p.ID, escrow, "")
	if err != nil || created || again.ID != list[0].ID {
		t.Fatalf("second freeze request: %v created=%v", err, created)
	}
}

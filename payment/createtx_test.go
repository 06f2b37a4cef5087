package payment_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/amanat/amn/db/dbtest"
	"github.com/amanat/amn/payment"
	"github.com/amanat/amn/payment/paymenttest"
)

func newPaymentFor(offer string) payment.NewPayment {
	return paymenttest.Offer(payment.NewPayment{
		BuyerRef: "buyer-tx", OfferRef: offer, ChainID: 56, ChainKey: "bsc", Token: usdt, TokenSymbol: "USDT",
		Decimals: 18, Amount: amount(1_000_000), Fee: amount(1_000), FeeAddress: feeAddr, Commission: amount(20_000),
		RequestID: "01847474747474", Salt: "8d03ea7", TTL: time.Hour,
	}, paymenttest.Seller())
}

// A payment created in the caller's transaction vanishes with it when the caller rolls back:
// no payment, no ledger account, no timeline row; the deposit index is not given back.
func TestCreateTxRolledBackLeavesNoPayment(t *testing.T) {
	poolFor = dbtest.Pool(t)
	s, _ := newService(t)
	ctx := context.Background()
	pool := poolFor
	offer := fmt.Sprintf("tx-offer-%d", offerSeq.Add(1))
	var created *payment.Payment
	errCaller := errors.New("the caller's own write failed")
	err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		p, err := s.CreateTx(ctx, tx, newPaymentFor(offer))
		if err != nil {
			return err
		}
		created = p
		return errCaller
	})
	if !errors.Is(err, errCaller) || created == nil {
		t.Fatalf("err = %v, created = %v", err, created)
	}
	if created.State != payment.AwaitingPayment || created.Deposit == (payment.Payment{}).Deposit {
		t.Fatalf("CreateTx returned %+v", created)
	}
	if _, err := s.Get(ctx, created.ID); !errors.Is(err, payment.ErrNotFound) {
		t.Fatalf("after rollback Get = %v, want ErrNotFound", err)
	}
	var n int
	if err := pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM payments WHERE offer_ref = $1)
		+ (SELECT count(*) FROM ledger_accounts WHERE owner_ref = $2)
		+ (SELECT count(*) FROM payment_timeline WHERE payment_id = $3)`,
		offer, "payment:"+created.ID.String(), created.ID).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Fatalf("%d rows of the rolled-back payment remain", n)
	}
	// The same offer can then be created for real, at a new deposit index.
	p, err := s.Create(ctx, newPaymentFor(offer))
	if err != nil {
		t.Fatal(err)
	}
	if p.DepositIndex == created.DepositIndex {
		t.Fatalf("deposit index %d handed out twice", p.DepositIndex)
	}
}

// A committed CreateTx is a payment like Create's, and refuses what Create refuses.
func TestCreateTxCommits(t *testing.T) {
	poolFor = dbtest.Pool(t)
	s, _ := newService(t)
	ctx := context.Background()
	pool := poolFor
	offer := fmt.Sprintf("tx-offer-%d", offerSeq.Add(1))
	var id payment.Payment
	if err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		p, err := s.CreateTx(ctx, tx, newPaymentFor(offer))
		if err == nil {
			id = *p
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	got, err := s.Get(ctx, id.ID)
	if err != nil || got.Deposit != id.Deposit || got.OfferRef != offer {
		t.Fatalf("Get = %+v, %v", got, err)
	}
	forged := newPaymentFor(offer + "-forged")
	forged.Amount = amount(2_000_000) // the seller signed 1_000_000
	err = pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error { _, err := s.CreateTx(ctx, tx, forged); return err })
	if !errors.Is(err, payment.ErrInvalid) {
		t.Fatalf("forged offer: %v, want ErrInvalid", err)
	}
	err = pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error { _, err := s.CreateTx(ctx, tx, newPaymentFor(offer)); return err })
	if !errors.Is(err, payment.ErrDuplicate) {
		t.Fatalf("second payment of one offer: %v, want ErrDuplicate", err)
	}
}

// A withdrawn payment (the buyer cancelled before paying) is expired at once; money that still
// arrives ends late, never funded. A payment that saw money cannot be withdrawn.
func TestWithdrawThenLateDeposit(t *testing.T) {
	poolFor = dbtest.Pool(t)
	s, _ := newService(t)
	ctx := context.Background()
	p := create(t, s)
	p, err := s.Withdraw(ctx, p.ID, "market", "request cancelled")
	if err != nil || p.State != payment.Expired {
		t.Fatalf("Withdraw = %v, %v", p, err)
	}
	if p, err = detect(1_000_000)(ctx, s, nil, p); err != nil {
		t.Fatal(err)
	}
	if p, err = confirmAll(ctx, s, nil, p); err != nil || p.State != payment.Late {
		t.Fatalf("late deposit: %v, %v; want late", p, err)
	}
	q := create(t, s)
	if _, err := detect(1_000_000)(ctx, s, nil, q); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Withdraw(ctx, q.ID, "market", "request cancelled"); !errors.Is(err, payment.ErrIllegalTransition) {
		t.Fatalf("withdrawing a detected payment: %v, want ErrIllegalTransition", err)
	}
}

// WithdrawTx expires an unpaid payment in the caller's transaction: rolled back with the caller,
// the payment awaits payment still; committed, it is expired with its timeline row; a payment
// that is no longer awaiting payment is refused (ErrIllegalTransition).
func TestWithdrawTxFollowsTheCallersTransaction(t *testing.T) {
	poolFor = dbtest.Pool(t)
	s, _ := newService(t)
	ctx := context.Background()
	pool := poolFor
	p, err := s.Create(ctx, newPaymentFor(fmt.Sprintf("tx-offer-%d", offerSeq.Add(1))))
	if err != nil {
		t.Fatal(err)
	}
	errCaller := errors.New("the caller's own write failed")
	err = pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		w, err := s.WithdrawTx(ctx, tx, p.ID, "market", "cancelled")
		if err != nil || w.State != payment.Expired {
			t.Errorf("WithdrawTx = %v, %v", w, err)
		}
		return errCaller
	})
	if !errors.Is(err, errCaller) {
		t.Fatal(err)
	}
	if got, _ := s.Get(ctx, p.ID); got.State != payment.AwaitingPayment {
		t.Fatalf("after rollback: %s, want awaiting_payment", got.State)
	}
	if err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		_, err := s.WithdrawTx(ctx, tx, p.ID, "market", "cancelled")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM payment_timeline WHERE payment_id = $1 AND to_state = 'expired'`, p.ID).Scan(&n); err != nil || n != 1 {
		t.Fatalf("expired timeline rows %d, %v", n, err)
	}
	err = pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		_, err := s.WithdrawTx(ctx, tx, p.ID, "market", "cancelled")
		return err
	})
	if !errors.Is(err, payment.ErrIllegalTransition) {
		t.Fatalf("withdrawing an expired payment: %v", err)
	}
}

package payment_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/amanat/amn/db/dbtest"
	"github.com/amanat/amn/ledger"
	"github.com/amanat/amn/payment"
	"github.com/amanat/amn/payment/paymenttest"
)

// TestCreditedOrWatchedSkipsExpiredNeverPaid: reconciliation reads the deposits that were ever
// credited or are still watched, and no others: an expired payment never paid is not read, nor is
// one whose only deposit is still pending (not credited), nor a payment of another chain.
func TestCreditedOrWatchedSkipsExpiredNeverPaid(t *testing.T) {
	ctx := context.Background()
	poolFor = dbtest.Pool(t)
	s, c := newService(t)
	const chainID = 4242 // a chain of its own: the read lists every payment of its chain
	create := func(chainID uint64) *payment.Payment {
		t.Helper()
		p, err := s.Create(ctx, paymenttest.Offer(payment.NewPayment{
			BuyerRef: "buyer-1", OfferRef: fmt.Sprintf("offer-%d", offerSeq.Add(1)), SellerAddress: seller,
			ChainID: chainID, ChainKey: fmt.Sprintf("dev%d", chainID), Token: usdt, TokenSymbol: "USDT", Decimals: 18,
			Amount: amount(1_000_000), Fee: amount(1_000), FeeAddress: feeAddr, Commission: amount(20_000),
			Tolerance: amount(10), RequestID: "01847474747474", Salt: "8d03ea7", TTL: time.Hour,
		}, paymenttest.Seller()))
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	detectOn := func(p *payment.Payment) {
		t.Helper()
		o := obs(400_000, nextObs.Add(1))
		o.ChainID = p.ChainID
		if _, err := s.Detect(ctx, p.ID, o); err != nil {
			t.Fatal(err)
		}
	}
	paid, watched, expired, pending := create(chainID), create(chainID), create(chainID), create(chainID)
	elsewhere := create(chainID + 1)
	detectOn(paid)
	if _, err := confirmAll(ctx, s, c, paid); err != nil {
		t.Fatal(err)
	}
	detectOn(pending)
	detectOn(elsewhere)
	if _, err := confirmAll(ctx, s, c, elsewhere); err != nil {
		t.Fatal(err)
	}
	// The database's clock decides what is watched: all but one watch window ended an hour ago.
	if _, err := poolFor.Exec(ctx, `UPDATE payments SET watch_until = CASE WHEN id = $2 THEN now() + interval '1 hour'
		ELSE now() - interval '1 hour' END WHERE chain_id = ANY($1)`, []int64{chainID, chainID + 1}, watched.ID); err != nil {
		t.Fatal(err)
	}
	got, err := s.CreditedOrWatched(ctx, chainID)
	if err != nil {
		t.Fatal(err)
	}
	want := map[ledger.ID]bool{paid.ID: false, watched.ID: true} // id → watched
	if len(got) != len(want) {
		t.Fatalf("read %d deposits %+v, want the paid and the watched one only (not %s expired, %s pending)", len(got), got, expired.ID, pending.ID)
	}
	for i, d := range got {
		w, ok := want[d.PaymentID]
		if !ok || d.Watched != w {
			t.Fatalf("deposit %d: %+v; want one of %v (id → watched)", i, d, want)
		}
		p := paid
		if d.PaymentID == watched.ID {
			p = watched
		}
		if d.Address != p.Deposit || d.Account != p.DepositAcct || d.Ledger != p.Ledger || d.Token != p.Token {
			t.Errorf("deposit %+v does not describe payment %s (deposit %s, account %s, ledger %s)", d, p.ID, p.Deposit.Hex(), p.DepositAcct, p.Ledger)
		}
	}
	if got[0].PaymentID != paid.ID {
		t.Errorf("deposits not in deposit index order: %s first, want %s", got[0].PaymentID, paid.ID)
	}
}

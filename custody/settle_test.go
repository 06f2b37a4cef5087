package custody_test

import (
	"errors"
	"fmt"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/amanat/amn/custody"
	"github.com/amanat/amn/hd"
	"github.com/amanat/amn/hwwallet"
	"github.com/amanat/amn/hwwallet/testdevice"
	"github.com/amanat/amn/intent"
	"github.com/amanat/amn/payment"
	"github.com/amanat/amn/payment/paymenttest"
)

const anvilXpub = "xpub6Ce9NcJvTk36xtLSrJLZqE7wtgA5deCeYs7rSQtreh4cj6ByPtrg9sD7V2FNFLPnf8heNP3FGkeV9qwfzvZNSd54JoNXVsXFYSYwHsnJxqP"

// A settle intent of an old decision is not approved: once the dispute is opened again and
// resolved into another split, the open intent's parts are not the payment's split; while the
// payment is not settle_pending (disputed, or resolved as a refund) no settle is approved at all.
// The current split's intent is.
func TestApproveRefusesStaleSettle(t *testing.T) {
	ctx := testContext(t)
	pool, svc := fresh(t)
	hw, _ := hwwallet.NewSoftwareSigner(testdevice.AllAll, "")
	enrol(t, svc, hw, true)
	d, _ := hd.ParseXpub(anvilXpub)
	s := payment.New(pool, d)
	store := intent.NewStore(pool, s, nil)
	usdt := common.HexToAddress("0x55d398326f99059ff775485246999027b3197955")
	p, err := s.Create(ctx, paymenttest.Offer(payment.NewPayment{BuyerRef: "b", OfferRef: fmt.Sprint("o", time.Now().UnixNano()),
		ChainID: dom.ChainID, ChainKey: "bsc", Token: usdt, TokenSymbol: "USDT", Decimals: 18,
		Amount: big.NewInt(1000), Fee: big.NewInt(0), FeeAddress: common.HexToAddress("0xfe"), Commission: big.NewInt(10),
		RequestID: fmt.Sprint("r", time.Now().UnixNano()), Salt: "s", TTL: time.Hour}, paymenttest.Seller()))
	if err != nil {
		t.Fatal(err)
	}
	p = paymenttest.ProveBuyer(t, s, p, paymenttest.Buyer())
	o := payment.Observation{ChainID: dom.ChainID, BlockHash: common.BytesToHash(p.ID[:]), BlockNumber: 1, TxHash: common.BytesToHash(p.ID[:]),
		Token: usdt, Amount: big.NewInt(1000)}
	step := func(_ *payment.Payment, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	step(s.Detect(ctx, p.ID, o))
	if p, err = s.Confirm(ctx, p.ID, o.TransferID()); err != nil {
		t.Fatal(err)
	}
	step(s.StartSweep(ctx, p.ID))
	step(s.Swept(ctx, p.ID, paymenttest.OwnSweep(p)))
	step(s.Dispute(ctx, p.ID, "buyer", "damaged"))
	step(s.ResolveSplit(ctx, p.ID, big.NewInt(300), "admin:alice", "30%"))
	old, _, err := store.RequestSettle(ctx, p.ID, intent.SettleOptions{Contract: dom.Contract})
	if err != nil {
		t.Fatal(err)
	}
	frozen := true
	approve := func(in *intent.Intent) error {
		m, _ := in.Message()
		a, err := hw.SignApproval(ctx, hwwallet.DefaultPath, in.Domain(), m)
		if err != nil {
			t.Fatal(err)
		}
		_, err = svc.Approve(ctx, in.ID, a, custody.ApproveOptions{Hardware: true, EscrowFrozen: &frozen})
		return err
	}
	refusedSaying := func(err error, says string) {
		t.Helper()
		if !errors.Is(err, custody.ErrNotApprovable) || !strings.Contains(err.Error(), says) {
			t.Fatalf("approval of a stale settle: %v; want ErrNotApprovable saying %q", err, says)
		}
	}
	if err := approve(old); err != nil {
		t.Fatalf("the current split's settle: %v", err)
	}

	// Disputed again: no settle is approved.
	step(s.Dispute(ctx, p.ID, "seller", "the buyer kept it all"))
	refusedSaying(approve(old), "disputed")
	// Resolved into another split: the old intent (still open, the signer not having rejected it
	// yet) pays parts that are no longer the payment's.
	step(s.ResolveSplit(ctx, p.ID, big.NewInt(100), "admin:bob", "10%"))
	refusedSaying(approve(old), "it is stale")
	// Disputed and resolved as a refund: the payment is not settle_pending.
	step(s.Dispute(ctx, p.ID, "buyer", "no"))
	step(s.Resolve(ctx, p.ID, payment.OutcomeRefund, "admin:bob", "refund"))
	refusedSaying(approve(old), "refund_pending")
}

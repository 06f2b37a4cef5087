package market_test

import (
	"context"
	"math/big"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/google/uuid"

	"github.com/amanat/amn/chain"
	"github.com/amanat/amn/db"
	"github.com/amanat/amn/db/dbtest"
	"github.com/amanat/amn/hd"
	"github.com/amanat/amn/kind"
	"github.com/amanat/amn/market"
	"github.com/amanat/amn/payment"
)

// withExplorer is the world's market on a registry whose bsc has a block explorer.
func (w *world) withExplorer(t *testing.T) *market.Service {
	t.Helper()
	reg := chain.DefaultRegistry()
	if err := reg.Merge([]byte(`{"chains": [{"key": "bsc", "explorer": "https://bscscan.com/"}]}`)); err != nil {
		t.Fatal(err)
	}
	d, err := hd.ParseXpub(anvilXpub)
	if err != nil {
		t.Fatal(err)
	}
	api := dbtest.PoolAs(t, db.RoleAPI)
	c := market.DefaultConfig()
	c.FeeAddress = feeAddr
	return market.New(api, payment.New(api, d), reg, c)
}

func amount(t *testing.T, what string, got, want *big.Int) {
	t.Helper()
	if got == nil || want == nil || got.Cmp(want) != 0 {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

// The payment's view goes to its buyer, the accepted offer's seller and admins; anyone else (a
// third user, the seller whose offer was rejected, nobody signed in) gets not found, as for a
// payment that does not exist. Its amounts are payment's own reads and its ledger's.
func TestPaymentViewForTheParties(t *testing.T) {
	w := newWorld(t, nil)
	ctx := context.Background()
	m := w.withExplorer(t)
	d := w.deal(t)
	id := uuid.UUID(d.p.ID)
	admin := market.Caller{UserID: w.user(t).UserID, Admin: true}
	for name, who := range map[string]market.Caller{"a third user": w.user(t), "the rejected seller": d.loser, "anonymous": {}} {
		_, err := m.PaymentView(ctx, who, id)
		wantKind(t, name, err, market.ErrPaymentNF)
	}
	_, err := m.PaymentView(ctx, admin, uuid.New())
	wantKind(t, "an unknown payment", err, kind.NotFound)
	for _, who := range []market.Caller{d.buyer, d.seller, admin} {
		v, err := m.PaymentView(ctx, who, id)
		if err != nil || v.RequestID != d.r.ID || v.Payment.ID != d.p.ID || v.Payment.State != payment.AwaitingPayment {
			t.Fatalf("the view as %v: %+v, %v", who, v, err)
		}
	}
	// The seller of the accepted offer follows it from the request's detail.
	if det, err := m.RequestDetail(ctx, d.seller, d.r.ID); err != nil || det.Request.PaymentID == nil || *det.Request.PaymentID != id {
		t.Fatalf("the seller's detail: %+v, %v", det, err)
	}
	if det, err := m.RequestDetail(ctx, d.loser, d.r.ID); err != nil || det.Request.PaymentID != nil {
		t.Fatalf("the rejected seller's detail: %+v, %v", det, err)
	}

	// A deposit the reorg took away, then the real one; swept, released.
	c := roles(t)
	orphan := payment.Observation{ChainID: d.p.ChainID, BlockHash: common.HexToHash("0xbad"), BlockNumber: 5,
		TxHash: common.HexToHash("0x0a"), Token: d.p.Token, Amount: big.NewInt(dealPrice)}
	if _, err := c.indexer.Detect(ctx, d.p.ID, orphan); err != nil {
		t.Fatal(err)
	}
	if _, err := c.indexer.Orphan(ctx, d.p.ID, orphan.TransferID()); err != nil {
		t.Fatal(err)
	}
	c.deposit(t, d.p, dealPrice, payment.Funded)
	c.escrow(t, d.p)
	mid, err := m.PaymentView(ctx, d.buyer, id)
	if err != nil {
		t.Fatal(err)
	}
	p, err := w.payments.Get(ctx, d.p.ID)
	if err != nil {
		t.Fatal(err)
	}
	amount(t, "deposited", mid.Books.Deposited, p.Received)
	amount(t, "swept", mid.Books.Swept, p.Received)
	amount(t, "in escrow", mid.Books.InEscrow, p.Received)
	amount(t, "released", mid.Books.Released, big.NewInt(0))
	if _, err := c.indexer.Released(ctx, d.p.ID); err != nil {
		t.Fatal(err)
	}
	v, err := m.PaymentView(ctx, d.seller, id)
	if err != nil {
		t.Fatal(err)
	}
	if p, err = w.payments.Get(ctx, d.p.ID); err != nil {
		t.Fatal(err)
	}
	if v.Payment.State != payment.Released || p.Received.Int64() != dealPrice {
		t.Fatalf("state %s, received %s", v.Payment.State, p.Received)
	}
	amount(t, "in escrow", v.Books.InEscrow, big.NewInt(0))
	amount(t, "released", v.Books.Released, p.SellerAmount())
	amount(t, "commission", v.Books.Commission, p.Commission)
	amount(t, "refunded", v.Books.Refunded, big.NewInt(0))
	if len(v.Books.Deposits) != 2 || v.Books.Deposits[0].State != payment.DepositOrphaned || v.Books.Deposits[1].State != payment.DepositFinal ||
		v.Books.Deposits[0].TxHash != orphan.TxHash || v.Books.Deposits[1].Amount.Int64() != dealPrice {
		t.Fatalf("deposits %+v", v.Books.Deposits)
	}
	// The timeline is payment's own, without which admin or worker instance acted.
	tl, err := w.payments.Timeline(ctx, d.p.ID)
	if err != nil || len(v.Timeline) != len(tl) || v.Timeline[len(tl)-1].To != payment.Released {
		t.Fatalf("timeline %+v, payment's %+v, %v", v.Timeline, tl, err)
	}
	for _, r := range v.Timeline {
		if strings.Contains(r.Actor, ":") {
			t.Fatalf("a timeline actor names someone: %q", r.Actor)
		}
	}
	want := []market.Link{{Rel: "deposit", URL: "https://bscscan.com/address/" + p.Deposit.Hex()},
		{Rel: "deposit tx", URL: "https://bscscan.com/tx/" + orphan.TxHash.Hex()},
		{Rel: "deposit tx", URL: "https://bscscan.com/tx/" + v.Books.Deposits[1].TxHash.Hex()}}
	if len(v.Links) != len(want) {
		t.Fatalf("links %+v", v.Links)
	}
	for i := range want {
		if v.Links[i] != want[i] {
			t.Errorf("link %d: %+v, want %+v", i, v.Links[i], want[i])
		}
	}
	// Without an explorer in the chain config there are no links.
	if v, err := w.m.PaymentView(ctx, d.buyer, id); err != nil || len(v.Links) != 0 || v.Explorer != "" {
		t.Fatalf("no explorer: %+v, %v", v, err)
	}
}

// A refunded payment's books show the refund and an empty escrow.
func TestPaymentViewOfARefund(t *testing.T) {
	w := newWorld(t, nil)
	ctx := context.Background()
	d, c := w.deal(t), roles(t)
	c.deposit(t, d.p, dealPrice, payment.Funded)
	c.escrow(t, d.p)
	if _, err := c.indexer.Refunded(ctx, d.p.ID); err != nil {
		t.Fatal(err)
	}
	v, err := w.m.PaymentView(ctx, d.buyer, uuid.UUID(d.p.ID))
	if err != nil {
		t.Fatal(err)
	}
	amount(t, "refunded", v.Books.Refunded, big.NewInt(dealPrice))
	amount(t, "in escrow", v.Books.InEscrow, big.NewInt(0))
	amount(t, "released", v.Books.Released, big.NewInt(0))
	amount(t, "commission", v.Books.Commission, big.NewInt(0))
}

package market_test

import (
	"context"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/jackc/pgx/v5"

	"github.com/amanat/amn/db"
	"github.com/amanat/amn/db/dbtest"
	"github.com/amanat/amn/market"
	"github.com/amanat/amn/payment"
	"github.com/amanat/amn/payment/paymenttest"
)

// chainRoles are the payment's other sides in the follow tests: the indexer (deposits, the
// escrow's events) and the worker (sweeps, expiry), each as its own database role.
type chainRoles struct{ indexer, worker *payment.Service }

func roles(t *testing.T) chainRoles {
	return chainRoles{indexer: payment.New(dbtest.PoolAs(t, db.RoleIndexer), nil), worker: payment.New(dbtest.PoolAs(t, db.RoleWorker), nil)}
}

// follower is the market service of the worker (amn_worker), as jobs builds it.
func follower(t *testing.T) *market.Service {
	pool := dbtest.PoolAs(t, db.RoleWorker)
	return market.New(pool, payment.New(pool, nil), nil, market.DefaultConfig())
}

// accepted is a request whose offer at price the buyer accepted, with the buyer's checkout signed.
func (w *world) accepted(t *testing.T, price int64) (*market.Request, *payment.Payment) {
	t.Helper()
	buyer, seller := w.user(t), w.user(t)
	r := w.request(t, buyer)
	o := w.offer(t, r, seller, price)
	a, err := w.m.Accept(context.Background(), buyer, r.ID, o.ID, o.Revision)
	if err != nil {
		t.Fatal(err)
	}
	paymenttest.ProveBuyer(t, w.payments, a.Payment, paymenttest.Buyer())
	return a.Request, a.Payment
}

// deposit has the indexer see amount arrive on p's deposit address and become final.
func (c chainRoles) deposit(t *testing.T, p *payment.Payment, amount int64, want payment.State) {
	t.Helper()
	ctx := context.Background()
	ob := payment.Observation{ChainID: p.ChainID, BlockHash: common.BigToHash(big.NewInt(7)), BlockNumber: 7,
		TxHash: common.BigToHash(big.NewInt(time.Now().UnixNano())), Token: p.Token, Amount: big.NewInt(amount)}
	if _, err := c.indexer.Detect(ctx, p.ID, ob); err != nil {
		t.Fatal(err)
	}
	if got, err := c.indexer.Confirm(ctx, p.ID, ob.TransferID()); err != nil || got.State != want {
		t.Fatalf("deposit of %d: %v, %v; want %s", amount, got, err, want)
	}
}

// escrow sweeps p's funded deposit into the escrow (the worker starts it, the indexer sees it final).
func (c chainRoles) escrow(t *testing.T, p *payment.Payment) {
	t.Helper()
	ctx := context.Background()
	if _, err := c.worker.StartSweep(ctx, p.ID); err != nil {
		t.Fatal(err)
	}
	got, err := c.indexer.Get(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got, err = c.indexer.Swept(ctx, p.ID, paymenttest.OwnSweep(got)); err != nil || got.State != payment.InEscrow {
		t.Fatalf("swept: %v, %v", got, err)
	}
}

func (w *world) status(t *testing.T, r *market.Request) market.Status {
	t.Helper()
	var s string
	if err := w.owner.QueryRow(context.Background(), `SELECT status FROM market_requests WHERE id = $1`, r.ID).Scan(&s); err != nil {
		t.Fatal(err)
	}
	return market.Status(s)
}

func follow(t *testing.T, m *market.Service, limit, wantFired int) {
	t.Helper()
	res, err := m.Follow(context.Background(), limit)
	if err != nil || res.Fired != wantFired || len(res.Refused) != 0 {
		t.Fatalf("follow: %+v, %v; want %d fired, none refused", res, err, wantFired)
	}
}

const opening = "create:buyer:>pending publish:system:pending>active offer_made:system:active>received_offers accept:buyer:received_offers>payment"

// A payment that does not move leaves its request; funded, it makes the request processing;
// released on chain, completed. Each step once: following again changes nothing.
func TestFollowPaidThenReleased(t *testing.T) {
	w, c, f := newWorld(t, nil), roles(t), follower(t)
	r, p := w.accepted(t, 1_000_000)
	follow(t, f, 10, 0)
	if s := w.status(t, r); s != market.Payment {
		t.Fatalf("unpaid: %s", s)
	}
	c.deposit(t, p, 1_000_000, payment.Funded)
	follow(t, f, 10, 1)
	follow(t, f, 10, 0)
	if s := w.status(t, r); s != market.Processing {
		t.Fatalf("funded: %s", s)
	}
	c.escrow(t, p)
	follow(t, f, 10, 0) // in escrow: still processing
	if _, err := c.indexer.Released(context.Background(), p.ID); err != nil {
		t.Fatal(err)
	}
	follow(t, f, 10, 1)
	follow(t, f, 10, 0)
	want := opening + " paid:system:payment>processing released:system:processing>completed"
	if got := w.events(t, r.ID); got != want {
		t.Fatalf("events:\n got %s\nwant %s", got, want)
	}
}

// Refunded and reclaimed payments cancel their requests; a request that missed the funding hears
// paid first, in order, in the same run. Pages of one request still reach every request.
func TestFollowRefundedAndReclaimed(t *testing.T) {
	w, c, f := newWorld(t, nil), roles(t), follower(t)
	ctx := context.Background()
	r1, p1 := w.accepted(t, 1_000_000)
	r2, p2 := w.accepted(t, 2_000_000)
	c.deposit(t, p1, 1_000_000, payment.Funded)
	c.deposit(t, p2, 2_100_000, payment.Overpaid)
	c.escrow(t, p1)
	c.escrow(t, p2)
	if _, err := c.indexer.Refunded(ctx, p1.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.indexer.Reclaimed(ctx, p2.ID); err != nil {
		t.Fatal(err)
	}
	follow(t, f, 1, 4)
	follow(t, f, 1, 0)
	want := opening + " paid:system:payment>processing refunded:system:processing>cancelled"
	for _, r := range []*market.Request{r1, r2} {
		if got := w.events(t, r.ID); got != want {
			t.Fatalf("events of %s:\n got %s\nwant %s", r.ID, got, want)
		}
	}
}

// A payment expired unpaid, or paid only after it expired (late, even once swept into the escrow
// for its refund), expires its request; an underpaid one leaves it awaiting the rest.
func TestFollowPaymentExpiry(t *testing.T) {
	w, c, f := newWorld(t, nil), roles(t), follower(t)
	ctx := context.Background()
	expired, _ := w.accepted(t, 1_000_000)
	lateReq, lateP := w.accepted(t, 1_000_000)
	sweptReq, sweptP := w.accepted(t, 1_000_000)
	under, underP := w.accepted(t, 1_000_000)
	c.deposit(t, underP, 400_000, payment.Underpaid)
	later := c.worker.WithClock(func() time.Time { return time.Now().Add(30 * 24 * time.Hour) })
	if n, err := later.ExpireDue(ctx, 100); err != nil || n != 3 {
		t.Fatalf("payments expired %d, %v; want 3", n, err)
	}
	c.deposit(t, lateP, 1_000_000, payment.Late)
	c.deposit(t, sweptP, 1_000_000, payment.Late)
	c.escrow(t, sweptP)
	follow(t, f, 10, 3)
	follow(t, f, 10, 0)
	want := opening + " payment_expiry:system:payment>expired"
	for _, r := range []*market.Request{expired, lateReq, sweptReq} {
		if got := w.events(t, r.ID); got != want {
			t.Fatalf("events of %s:\n got %s\nwant %s", r.ID, got, want)
		}
	}
	if s := w.status(t, under); s != market.Payment {
		t.Fatalf("underpaid: %s", s)
	}
}

// A dispute's split final on chain (the payment settled) completes the disputed request, once;
// while the split waits for its settle the request stays disputed.
func TestFollowSettledCompletesADisputedDeal(t *testing.T) {
	w, c, f := newWorld(t, nil), roles(t), follower(t)
	ctx := context.Background()
	r, p := w.accepted(t, 1_000_000)
	c.deposit(t, p, 1_000_000, payment.Funded)
	follow(t, f, 10, 1)
	c.escrow(t, p)
	if err := db.InTx(ctx, dbtest.PoolAs(t, db.RoleAPI), func(tx pgx.Tx) error {
		if _, err := w.m.DisputeTx(ctx, tx, market.Caller{UserID: r.BuyerID}, r.ID); err != nil {
			return err
		}
		_, err := w.payments.DisputeTx(ctx, tx, p.ID, "dispute:test", "not_as_described")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	split, err := w.payments.ResolveSplit(ctx, p.ID, big.NewInt(300_000), "dispute:test", "30/70")
	if err != nil {
		t.Fatal(err)
	}
	follow(t, f, 10, 0) // the split waits for its settle: still disputed
	if s := w.status(t, r); s != market.Disputed {
		t.Fatalf("split decided: %s", s)
	}
	sp, err := split.Split()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.indexer.Settled(ctx, p.ID, payment.EscrowSettled{BuyerAmount: sp.Buyer, SellerAmount: sp.Seller, FeeAmount: sp.Fee}); err != nil {
		t.Fatal(err)
	}
	follow(t, f, 10, 1)
	follow(t, f, 10, 0)
	want := opening + " paid:system:payment>processing dispute:buyer:processing>disputed settled:system:disputed>completed"
	if got := w.events(t, r.ID); got != want {
		t.Fatalf("events:\n got %s\nwant %s", got, want)
	}
}

package jobs

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/google/uuid"

	"github.com/amanat/amn/db"
	"github.com/amanat/amn/db/dbtest"
	"github.com/amanat/amn/hd"
	"github.com/amanat/amn/intent"
	"github.com/amanat/amn/payment"
	"github.com/amanat/amn/payment/paymenttest"
	"github.com/amanat/amn/signer"
)

// anvilXpub: the account xpub of the public test mnemonic (test data).
const anvilXpub = "xpub6Ce9NcJvTk36xtLSrJLZqE7wtgA5deCeYs7rSQtreh4cj6ByPtrg9sD7V2FNFLPnf8heNP3FGkeV9qwfzvZNSd54JoNXVsXFYSYwHsnJxqP"

// inEscrow makes a payment with proven parties, funded and swept into the escrow: as the API
// creates it, the indexer credits it and sees the sweep, and the worker starts the sweep.
func inEscrow(t *testing.T) *payment.Payment {
	t.Helper()
	ctx := context.Background()
	d, err := hd.ParseXpub(anvilXpub)
	if err != nil {
		t.Fatal(err)
	}
	api := payment.New(dbtest.PoolAs(t, db.RoleAPI), d)
	indexer := payment.New(dbtest.PoolAs(t, db.RoleIndexer), nil)
	worker := payment.New(dbtest.PoolAs(t, db.RoleWorker), nil)
	usdt := common.HexToAddress("0x55d398326f99059fF775485246999027B3197955")
	p, err := api.Create(ctx, paymenttest.Offer(payment.NewPayment{BuyerRef: "b", OfferRef: fmt.Sprint("o", time.Now().UnixNano()),
		ChainID: 56, ChainKey: "bsc", Token: usdt, TokenSymbol: "USDT", Decimals: 18,
		Amount: big.NewInt(1000), Fee: big.NewInt(0), FeeAddress: common.HexToAddress("0xfe"), Commission: big.NewInt(10),
		RequestID: fmt.Sprint("r", time.Now().UnixNano()), Salt: "s", TTL: time.Hour}, paymenttest.Seller()))
	if err != nil {
		t.Fatal(err)
	}
	p = paymenttest.ProveBuyer(t, api, p, paymenttest.Buyer())
	o := payment.Observation{ChainID: 56, BlockHash: common.BytesToHash(p.ID[:]), BlockNumber: 1, TxHash: common.BytesToHash(p.ID[:]),
		Token: usdt, Amount: big.NewInt(1000)}
	if _, err := indexer.Detect(ctx, p.ID, o); err != nil {
		t.Fatal(err)
	}
	if _, err := indexer.Confirm(ctx, p.ID, o.TransferID()); err != nil {
		t.Fatal(err)
	}
	if _, err := worker.StartSweep(ctx, p.ID); err != nil {
		t.Fatal(err)
	}
	if p, err = indexer.Get(ctx, p.ID); err != nil {
		t.Fatal(err)
	}
	if p, err = indexer.Swept(ctx, p.ID, paymenttest.OwnSweep(p)); err != nil || p.State != payment.InEscrow {
		t.Fatalf("swept: %v, %v", p, err)
	}
	return p
}

// The market's release job asks through the worker's adapter over intent.Store, as amn_worker:
// an escrowed payment moves to release_pending with one release intent awaiting approvals, on
// the chain's escrow contract, requested by the market's actor; asking again (a retried job)
// returns it, and a chain without an escrow contract is refused before anything moves.
func TestMarketReleaserRequestsTheRelease(t *testing.T) {
	ctx := context.Background()
	p := inEscrow(t)
	pool := dbtest.PoolAs(t, db.RoleWorker)
	payments := payment.New(pool, nil)
	store := intent.NewStore(pool, payments, signer.TxRecord{})
	contract := common.HexToAddress("0x00000000000000000000000000000000000e5c40")

	none := releaser{intents: store, escrow: func(uint64) common.Address { return common.Address{} }}
	if err := none.RequestRelease(ctx, p, "market:x"); !errors.Is(err, intent.ErrNoEscrow) {
		t.Fatalf("without an escrow contract: %v", err)
	}
	r := releaser{intents: store, escrow: func(id uint64) common.Address {
		if id != 56 {
			return common.Address{}
		}
		return contract
	}}
	if open, err := r.HasOpenRelease(ctx, uuid.UUID(p.ID)); err != nil || open {
		t.Fatalf("open release before any request: %v, %v", open, err)
	}
	for range 2 {
		if err := r.RequestRelease(ctx, p, "market:x"); err != nil {
			t.Fatal(err)
		}
	}
	if open, err := r.HasOpenRelease(ctx, uuid.UUID(p.ID)); err != nil || !open {
		t.Fatalf("open release after the request: %v, %v", open, err)
	}
	got, err := payments.Get(ctx, p.ID)
	if err != nil || got.State != payment.ReleasePending {
		t.Fatalf("payment after the release request: %v, %v", got, err)
	}
	in, err := store.OpenFor(ctx, p.ID)
	if err != nil || in.Kind != intent.Release || in.Contract != contract || in.RequestedBy != "market:x" ||
		in.State != intent.AwaitingApprovals || in.Seller != paymenttest.Seller().Address {
		t.Fatalf("release intent: %+v, %v", in, err)
	}
	var n int
	if err := dbtest.Pool(t).QueryRow(ctx, `SELECT count(*) FROM signer_intents WHERE payment_id = $1 AND kind = 'release'`, p.ID).Scan(&n); err != nil || n != 1 {
		t.Fatalf("%d release intents, %v; want 1", n, err)
	}
	// The custodians let it expire: the signer rejects it, the payment stays release_pending and
	// market_follow must see no open release.
	if _, err := dbtest.Pool(t).Exec(ctx, `UPDATE signer_intents SET state = 'rejected', reason = 'approvals expired' WHERE id = $1`, in.ID); err != nil {
		t.Fatal(err)
	}
	if open, err := r.HasOpenRelease(ctx, uuid.UUID(p.ID)); err != nil || open {
		t.Fatalf("open release after its intent was rejected: %v, %v", open, err)
	}
}

package db_test

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/amanat/amn/db"
	"github.com/amanat/amn/db/dbtest"
	"github.com/amanat/amn/hd"
	"github.com/amanat/amn/intent"
	"github.com/amanat/amn/ledger"
	"github.com/amanat/amn/payment"
	"github.com/amanat/amn/payment/paymenttest"
	"github.com/amanat/amn/signer"
)

// A dispute settled by a split (#19), each step as the database role that makes it: amn_api
// resolves the dispute into a split (and may not move the payment on itself), amn_worker records
// the settle intent and follows the signer (reserving the parts, or clearing a split whose settle
// failed), amn_indexer books the Settled event. Migrations 00049 and 00050 grant exactly that.
func TestRolesRunTheSettle(t *testing.T) {
	ctx := context.Background()
	api, ix, wk, sg := dbtest.PoolAs(t, db.RoleAPI), dbtest.PoolAs(t, db.RoleIndexer), dbtest.PoolAs(t, db.RoleWorker), dbtest.PoolAs(t, db.RoleSigner)
	d, err := hd.ParseXpub(anvilXpub)
	if err != nil {
		t.Fatal(err)
	}
	apiPay, ixPay, wkPay := payment.New(api, d), payment.New(ix, nil), payment.New(wk, nil)
	wkStore := intent.NewStore(wk, wkPay, signer.TxRecord{}).WithNativeLedgers(func(uint64) (string, bool) { return "bsc:BNB", true })
	usdt := common.HexToAddress("0x55d398326f99059fF775485246999027B3197955")
	esc := common.HexToAddress("0x00000000000000000000000000000000000e5c71")
	step := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	disputed := func(n int) *payment.Payment {
		t.Helper()
		p, err := apiPay.Create(ctx, paymenttest.Offer(payment.NewPayment{BuyerRef: "buyer", OfferRef: fmt.Sprintf("offer-settle-%d", n),
			ChainID: 56, ChainKey: "bsc", Token: usdt, TokenSymbol: "USDT", Decimals: 6, Amount: big.NewInt(1_000_000),
			Commission: big.NewInt(10_000), RequestID: fmt.Sprintf("req-settle-%d", n), Salt: "5a17", TTL: time.Hour}, paymenttest.Seller()))
		step("amn_api creates a payment", err)
		p = paymenttest.ProveBuyer(t, apiPay, p, paymenttest.Buyer())
		o := payment.Observation{ChainID: 56, BlockHash: common.BigToHash(big.NewInt(int64(900 + n))), BlockNumber: 10,
			TxHash: common.BigToHash(big.NewInt(int64(800 + n))), Token: usdt, Amount: big.NewInt(1_000_000)}
		_, err = ixPay.Detect(ctx, p.ID, o)
		step("amn_indexer detects", err)
		_, err = ixPay.Confirm(ctx, p.ID, o.TransferID())
		step("amn_indexer confirms", err)
		sweep, _, err := wkStore.CreateSweep(ctx, p.ID, esc)
		step("amn_worker records the sweep", err)
		signerMoves(t, sg, sweep.ID.String(), "done")
		cur, err := ixPay.Get(ctx, p.ID)
		step("reading the payment", err)
		_, err = ixPay.Swept(ctx, p.ID, paymenttest.OwnSweep(cur))
		step("amn_indexer books the sweep", err)
		_, err = apiPay.Dispute(ctx, p.ID, "test", "damaged")
		step("amn_api opens a dispute", err)
		return p
	}
	wantState := func(id ledger.ID, want payment.State) {
		t.Helper()
		p, err := apiPay.Get(ctx, id)
		step("reading the payment", err)
		if p.State != want {
			t.Fatalf("payment is %s, want %s", p.State, want)
		}
	}

	p := disputed(1)
	_, err = apiPay.ResolveSplit(ctx, p.ID, big.NewInt(300_000), "admin:alice", "30%")
	step("amn_api resolves the dispute into a split", err)
	wantState(p.ID, payment.SettlePending)
	// amn_api asks; it does not move money state: reserving the settle is the worker's.
	if _, err := apiPay.StartSettle(ctx, p.ID); err == nil {
		t.Fatal("amn_api moved a payment to settling")
	}
	in, _, err := wkStore.RequestSettle(ctx, p.ID, intent.SettleOptions{Contract: esc})
	step("amn_worker records the settle intent", err)
	signerMoves(t, sg, in.ID.String(), "signing")
	_, err = wkStore.Follow(ctx)
	step("amn_worker follows the signer", err)
	wantState(p.ID, payment.Settling)
	_, err = ixPay.Settled(ctx, p.ID, payment.EscrowSettled{BuyerAmount: big.NewInt(300_000), SellerAmount: big.NewInt(693_000), FeeAmount: big.NewInt(7_000)})
	step("amn_indexer books the settle", err)
	wantState(p.ID, payment.Settled)

	// A settle that fails after the worker reserved it: the worker voids the reservations and the
	// payment waits for a new settle intent, its split kept.
	q := disputed(2)
	_, err = apiPay.ResolveSplit(ctx, q.ID, big.NewInt(500_000), "admin:alice", "half")
	step("amn_api resolves the second dispute", err)
	in2, _, err := wkStore.RequestSettle(ctx, q.ID, intent.SettleOptions{Contract: esc})
	step("amn_worker records the second settle intent", err)
	signerMoves(t, sg, in2.ID.String(), "signing")
	_, err = wkStore.Follow(ctx)
	step("amn_worker follows the signer", err)
	signerWrites(t, sg, "amn_signer rejects the settle", `UPDATE signer_intents SET state = 'rejected', reason = 'reverted', updated_at = now() WHERE id = $1`, in2.ID)
	_, err = wkStore.Follow(ctx)
	step("amn_worker follows the rejection", err)
	got, err := apiPay.Get(ctx, q.ID)
	step("reading the payment", err)
	if got.State != payment.SettlePending || got.PayoutAttempt != 1 || got.SplitBuyerAmount.Cmp(big.NewInt(500_000)) != 0 {
		t.Fatalf("after the failed settle: %s, attempt %d, split %v", got.State, got.PayoutAttempt, got.SplitBuyerAmount)
	}
	_, _, err = wkStore.RequestSettle(ctx, q.ID, intent.SettleOptions{Contract: esc})
	step("amn_worker records the settle intent again", err)
	// amn_api may not forge a split onto a payment in another state.
	var pgErr *pgconn.PgError
	if _, err := api.Exec(ctx, `UPDATE payments SET state = 'settled', split_buyer_amount = 1 WHERE id = $1`, q.ID); !errors.As(err, &pgErr) || pgErr.Code != "42501" {
		t.Fatalf("amn_api wrote a settled payment: %v", err)
	}
}

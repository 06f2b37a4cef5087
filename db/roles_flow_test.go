package db_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/amanat/amn/db"
	"github.com/amanat/amn/db/dbtest"
	"github.com/amanat/amn/escrow"
	"github.com/amanat/amn/hd"
	"github.com/amanat/amn/intent"
	"github.com/amanat/amn/ledger"
	"github.com/amanat/amn/payment"
	"github.com/amanat/amn/payment/paymenttest"
	"github.com/amanat/amn/signer"
)

const anvilXpub = "xpub6Ce9NcJvTk36xtLSrJLZqE7wtgA5deCeYs7rSQtreh4cj6ByPtrg9sD7V2FNFLPnf8heNP3FGkeV9qwfzvZNSd54JoNXVsXFYSYwHsnJxqP"

// TestRolesRunTheMoneyPath: the writes each process really makes work through its own role: a
// payment from checkout to released (created and released on request by the API, credited,
// swept and paid out by the indexer, handed to the signer and kept in step by the worker, its
// gas booked), with each step's code running as the role of the process that runs it. Only the
// signer's part is played by hand, as amn_signer (the signer's own tests run it for real).
func TestRolesRunTheMoneyPath(t *testing.T) {
	ctx := context.Background()
	api, ix, wk, sg := dbtest.PoolAs(t, db.RoleAPI), dbtest.PoolAs(t, db.RoleIndexer), dbtest.PoolAs(t, db.RoleWorker), dbtest.PoolAs(t, db.RoleSigner)
	d, err := hd.ParseXpub(anvilXpub)
	if err != nil {
		t.Fatal(err)
	}
	apiPay, ixPay, wkPay := payment.New(api, d), payment.New(ix, nil), payment.New(wk, nil)
	native := func(uint64) (string, bool) { return "bsc:BNB", true }
	apiStore := intent.NewStore(api, apiPay, nil)
	wkStore := intent.NewStore(wk, wkPay, signer.TxRecord{}).WithNativeLedgers(native)
	usdt := common.HexToAddress("0x55d398326f99059fF775485246999027B3197955")
	esc := common.HexToAddress("0x00000000000000000000000000000000000e5c70")
	buyer := common.HexToAddress("0x00000000000000000000000000000000000000b1")
	step := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	wantState := func(id ledger.ID, want payment.State) {
		t.Helper()
		p, err := apiPay.Get(ctx, id)
		step("reading the payment", err)
		if p.State != want {
			t.Fatalf("payment is %s, want %s", p.State, want)
		}
	}

	// amn_api: checkout.
	p, err := apiPay.Create(ctx, paymenttest.Offer(payment.NewPayment{BuyerRef: "buyer", OfferRef: "offer-roles",
		ChainID: 56, ChainKey: "bsc", Token: usdt, TokenSymbol: "USDT", Decimals: 6,
		Amount: big.NewInt(1_000_000), Commission: big.NewInt(10_000), RequestID: "req-roles", Salt: "5a17", TTL: time.Hour}, paymenttest.Seller()))
	step("amn_api creates a payment", err)
	p = paymenttest.ProveBuyer(t, apiPay, p, paymenttest.Buyer())

	// amn_indexer: the deposit is seen and final; a sweep job is enqueued.
	o := payment.Observation{ChainID: 56, BlockHash: common.HexToHash("0xb1"), BlockNumber: 10, TxHash: common.HexToHash("0x71"),
		Token: usdt, Amount: big.NewInt(1_000_000), From: common.HexToAddress("0x00000000000000000000000000000000000000f0")}
	_, err = ixPay.Detect(ctx, p.ID, o)
	step("amn_indexer detects", err)
	_, err = ixPay.Confirm(ctx, p.ID, o.TransferID())
	step("amn_indexer confirms", err)
	wantState(p.ID, payment.Funded)
	var jobs int
	step("counting sweep jobs", api.QueryRow(ctx, `SELECT count(*) FROM river_job WHERE kind = 'payment_sweep' AND args->>'payment_id' = $1`,
		p.ID.String()).Scan(&jobs))
	if jobs != 1 {
		t.Fatalf("%d sweep jobs, want 1", jobs)
	}

	// amn_worker: the sweep job's work: the payment to sweeping, a pending sweep intent.
	sweep, _, err := wkStore.CreateSweep(ctx, p.ID, esc)
	step("amn_worker records the sweep", err)
	wantState(p.ID, payment.Sweeping)
	signerMoves(t, sg, sweep.ID.String(), "done")
	cur, err := ixPay.Get(ctx, p.ID)
	step("reading the payment", err)
	_, err = ixPay.Swept(ctx, p.ID, paymenttest.OwnSweep(cur))
	step("amn_indexer books the sweep", err)

	// amn_api: a release is asked for and approved; a dispute opens and is resumed.
	rel, _, err := apiStore.RequestRelease(ctx, p.ID, intent.RequestOptions{Actor: "test", Contract: esc})
	step("amn_api asks for the release", err)
	if rel.State != intent.AwaitingApprovals {
		t.Fatalf("release intent is %s", rel.State)
	}
	step("amn_api stores an approval", apiStore.AddApproval(ctx, rel.ID, escrow.Approval{Signer: buyer, Signature: make([]byte, 65)}))
	_, err = apiPay.Dispute(ctx, p.ID, "test", "a dispute")
	step("amn_api opens a dispute", err)
	// The dispute's payment_freeze job, as the worker's FreezeWorker does it.
	frz, _, err := wkStore.RequestFreeze(ctx, p.ID, esc, "worker:dispute")
	step("amn_worker asks the signer to freeze the escrow", err)
	if frz.Kind != intent.Freeze || frz.State != intent.Pending {
		t.Fatalf("freeze intent: %s %s", frz.Kind, frz.State)
	}
	_, err = apiPay.Resolve(ctx, p.ID, payment.OutcomeResume, "test", "resumed")
	step("amn_api resolves it", err)
	// The resume's payment_unfreeze job, as the worker's UnfreezeWorker does it.
	unf, _, err := wkStore.RequestUnfreeze(ctx, p.ID, esc, "worker:resume")
	step("amn_worker asks the signer to lift the freeze", err)
	if unf.Kind != intent.Unfreeze || unf.State != intent.Pending {
		t.Fatalf("unfreeze intent: %s %s", unf.Kind, unf.State)
	}
	wantState(p.ID, payment.ReleasePending)

	// The signer signs; amn_worker keeps the payment in step; amn_indexer sees the release final.
	signerMoves(t, sg, rel.ID.String(), "signing")
	n, err := wkStore.Follow(ctx)
	step("amn_worker follows the signer", err)
	if n != 1 {
		t.Fatalf("follow moved %d payments, want 1", n)
	}
	wantState(p.ID, payment.Releasing)
	_, err = ixPay.Released(ctx, p.ID)
	step("amn_indexer books the release", err)
	wantState(p.ID, payment.Released)

	// The signer's transaction, mined; amn_worker books its gas.
	signerMoves(t, sg, rel.ID.String(), "done")
	op := crypto.PubkeyToAddress(mustKey(t).PublicKey)
	signerWrites(t, sg, "amn_signer records its transaction", `INSERT INTO signer_txs (intent_id, step, chain_id, sender, nonce, attempt, to_address, value, data, gas,
		tip_cap, fee_cap, hash, raw, state, block_number, gas_used, effective_gas_price)
		VALUES ($1, 'release', 56, $2, 0, 1, $3, 0, '\x', 100000, 1, 10, $4, '\x01', 'confirmed', 11, 50000, 5)`,
		rel.ID, lower(op), lower(esc), crypto.Keccak256Hash([]byte("roles-release")).Hex())
	booked, err := wkStore.BookGas(ctx, 0)
	step("amn_worker books gas", err)
	if booked < 1 {
		t.Fatalf("booked gas of %d intents", booked)
	}

	// amn_api: a gas top-up asked for; a webhook taken. amn_worker: expiry of an unpaid payment,
	// of overdue reservations.
	_, _, err = apiStore.RequestGasTopup(ctx, intent.GasTopupRequest{ChainID: 56, Contract: esc, Recipient: op, Amount: big.NewInt(1), Actor: "test"})
	step("amn_api asks for a top-up", err)
	secret := []byte("webhook-secret")
	wh, err := payment.NewWebhooks(api, secret)
	step("webhooks", err)
	body := []byte(fmt.Sprintf(`{"event":"payment.confirmed","requestId":"req-roles","paymentReference":"%s","timestamp":"%s"}`,
		p.Reference, time.Now().UTC().Format(time.RFC3339)))
	mac := hmac.New(sha256.New, secret)
	mac.Write(body)
	_, err = wh.Receive(ctx, "delivery-roles", hex.EncodeToString(mac.Sum(nil)), body)
	step("amn_api takes a webhook", err)
	late, err := payment.New(api, d).WithClock(func() time.Time { return time.Now().Add(-2 * time.Hour) }).Create(ctx, paymenttest.Offer(payment.NewPayment{
		BuyerRef: "buyer", OfferRef: "offer-roles-unpaid", ChainID: 56, ChainKey: "bsc",
		Token: usdt, TokenSymbol: "USDT", Decimals: 6, Amount: big.NewInt(5), RequestID: "req-roles-2", Salt: "5a17", TTL: time.Hour}, paymenttest.Seller()))
	step("amn_api creates an unpaid payment", err)
	_, err = wkPay.ExpireDue(ctx, 100)
	step("amn_worker expires", err)
	wantState(late.ID, payment.Expired)
	_, err = ledger.New(wk).ExpirePending(ctx, time.Now())
	step("amn_worker voids overdue reservations", err)

	// And the books still add up, read by the API's role.
	v, err := ledger.Check(ctx, api)
	step("ledger check", err)
	if v != nil {
		t.Fatalf("ledger check: %s", v)
	}
}

// signerMoves moves an intent as the signer does, through amn_signer.
func signerMoves(t *testing.T, sg *pgxpool.Pool, id, state string) {
	t.Helper()
	signerWrites(t, sg, "amn_signer moves intent "+id+" to "+state, `UPDATE signer_intents SET state = $2, updated_at = now() WHERE id = $1`, id, state)
}

// signerWrites runs q as amn_signer would: as the leader, under its epoch.
func signerWrites(t *testing.T, sg *pgxpool.Pool, what, q string, args ...any) {
	t.Helper()
	ctx := context.Background()
	// The signer's writes carry the epoch of the leader it is (migration 00013).
	tx, err := sg.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // committed below
	for _, q := range []string{
		`UPDATE signer_leader SET epoch = epoch + 1, holder = 'roles flow test', taken_at = now()`,
		`SELECT set_config('amn.signer_epoch', (SELECT epoch::text FROM signer_leader), true)`,
	} {
		if _, err := tx.Exec(ctx, q); err != nil {
			t.Fatalf("amn_signer takes the lead: %v", err)
		}
	}
	if _, err := tx.Exec(ctx, q, args...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
}

func mustKey(t *testing.T) *ecdsa.PrivateKey {
	t.Helper()
	k, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func lower(a common.Address) string { return "0x" + common.Bytes2Hex(a[:]) }

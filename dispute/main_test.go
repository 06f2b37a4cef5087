package dispute_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/amanat/amn/auth"
	"github.com/amanat/amn/chain"
	"github.com/amanat/amn/db"
	"github.com/amanat/amn/db/dbtest"
	"github.com/amanat/amn/dispute"
	"github.com/amanat/amn/hd"
	"github.com/amanat/amn/intent"
	"github.com/amanat/amn/ledger"
	"github.com/amanat/amn/market"
	"github.com/amanat/amn/payment"
	"github.com/amanat/amn/payment/paymenttest"
	"github.com/amanat/amn/upload"
	"github.com/amanat/amn/upload/uploadtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// anvilXpub is the account xpub of anvil's public test mnemonic (public test data).
const anvilXpub = "xpub6Ce9NcJvTk36xtLSrJLZqE7wtgA5deCeYs7rSQtreh4cj6ByPtrg9sD7V2FNFLPnf8heNP3FGkeV9qwfzvZNSd54JoNXVsXFYSYwHsnJxqP"

// escrowContract is the contract the payout intents name (no chain runs here: the intents wait
// for the custodians' approvals).
var escrowContract = common.HexToAddress("0x00000000000000000000000000000000000e5c70")

// world is the disputes as the API runs them (amn_api), with the worker's deadlines (amn_worker),
// the chain's side of payments (amn_indexer, amn_worker), real accounts, uploads and payout
// intents, and the owner's pool for reading tables.
type world struct {
	owner            *pgxpool.Pool
	pays             *payment.Service
	mkt              *market.Service
	follower         *market.Service
	indexer, chainWk *payment.Service
	auth             *auth.Service
	files            *upload.Service
	d                *dispute.Service
	deadlines        *dispute.Service
	payouts          *dispute.Service
	key              ed25519.PrivateKey
}

func newWorld(t *testing.T, cfg func(*dispute.Config)) *world {
	t.Helper()
	api := dbtest.PoolAs(t, db.RoleAPI)
	worker := dbtest.PoolAs(t, db.RoleWorker)
	deriver, err := hd.ParseXpub(anvilXpub)
	if err != nil {
		t.Fatal(err)
	}
	keys, err := auth.GenerateKeys()
	if err != nil {
		t.Fatal(err)
	}
	w := &world{owner: dbtest.Pool(t), pays: payment.New(api, deriver), indexer: payment.New(dbtest.PoolAs(t, db.RoleIndexer), nil),
		chainWk: payment.New(worker, nil)}
	mc := market.DefaultConfig()
	mc.FeeAddress = common.HexToAddress("0x00000000000000000000000000000000000000fe")
	w.mkt = market.New(api, w.pays, chain.DefaultRegistry(), mc)
	w.follower = market.New(worker, payment.New(worker, nil), nil, market.DefaultConfig())
	if w.auth, err = auth.New(api, auth.Config{Issuer: "amn-test", Audience: "amn-test", Keys: keys}); err != nil {
		t.Fatal(err)
	}
	w.files = upload.New(api, upload.Disk{Root: t.TempDir()}, upload.DefaultConfig())
	_, w.key, err = ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	c := dispute.DefaultConfig()
	c.BundleKey = w.key
	if cfg != nil {
		cfg(&c)
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	w.d = dispute.New(api, c, w.mkt, w.pays).WithFiles(w.files).WithAccounts(w.auth)
	w.deadlines = dispute.New(worker, c, nil, nil)
	w.payouts = dispute.New(worker, c, nil, nil).WithPayouts(workerPayouts{intent.NewStore(worker, payment.New(worker, nil), nil)})
	return w
}

// user makes an active user with roles.
func (w *world) user(t *testing.T, roles ...auth.Role) dispute.Caller {
	t.Helper()
	u, err := w.auth.CreateUser(context.Background(), auth.NewUser{Email: uuid.NewString() + "@example.com", EmailVerified: true, Roles: roles})
	if err != nil {
		t.Fatal(err)
	}
	return dispute.Caller{UserID: u.ID, Admin: len(roles) == 1 && roles[0] == auth.RoleAdmin}
}

func (w *world) admin(t *testing.T) dispute.Caller { return w.user(t, auth.RoleAdmin) }

// deal is a funded request: processing (or further, by the seller's steps), its money in escrow.
type deal struct {
	buyer, seller dispute.Caller
	request       uuid.UUID
	payment       *payment.Payment
}

const price = 1_000_000

// deal makes a deal whose payment is in escrow and whose request is processing; delivered also
// ships it and has it arrive (the inspection period runs).
func (w *world) deal(t *testing.T, delivered bool) deal {
	t.Helper()
	return w.dealUntil(t, delivered, true)
}

// dealUntil is deal, stopping at a funded payment whose sweep has not started unless swept (the
// request is processing either way).
func (w *world) dealUntil(t *testing.T, delivered, swept bool) deal {
	t.Helper()
	ctx := context.Background()
	d := deal{buyer: w.user(t, auth.RoleBuyer), seller: w.user(t, auth.RoleSeller)}
	r, err := w.mkt.CreateRequest(ctx, market.Caller{UserID: d.buyer.UserID}, market.RequestInput{Title: "Vintage camera lens",
		Description: "A 50mm f/1.4 lens in good condition", Category: "photo", ProductType: "physical_product",
		BudgetMin: "1000000", BudgetMax: "2000000", ChainKey: "bsc", TokenSymbol: "USDT",
		Delivery: market.DeliveryTo{Kind: "physical", Address: &market.Address{Recipient: "A. Buyer", Line1: "1 Main St", City: "Almaty", Country: "KZ"}}})
	if err != nil {
		t.Fatal(err)
	}
	d.request = r.ID
	c, err := chain.DefaultRegistry().Get("bsc")
	if err != nil {
		t.Fatal(err)
	}
	var token common.Address
	for _, tk := range c.Tokens {
		if tk.Symbol == "USDT" {
			token = tk.Address
		}
	}
	oid := uuid.New()
	signed := paymenttest.Offer(payment.NewPayment{OfferRef: oid.String(), ChainID: c.ID, Token: token, Amount: big.NewInt(price)}, paymenttest.Seller())
	o, err := w.mkt.MakeOffer(ctx, market.Caller{UserID: d.seller.UserID}, r.ID, market.OfferInput{ID: oid, Price: fmt.Sprint(price),
		DeliveryDays: 5, ValidUntil: time.Now().Add(72 * time.Hour), PayoutAddress: paymenttest.Seller().Address,
		PayoutSignature: signed.SellerSignature})
	if err != nil {
		t.Fatal(err)
	}
	a, err := w.mkt.Accept(ctx, market.Caller{UserID: d.buyer.UserID}, r.ID, o.ID, o.Revision)
	if err != nil {
		t.Fatal(err)
	}
	p := paymenttest.ProveBuyer(t, w.pays, a.Payment, paymenttest.Buyer())
	ob := payment.Observation{ChainID: p.ChainID, BlockHash: common.BigToHash(big.NewInt(7)), BlockNumber: 7,
		TxHash: common.BigToHash(big.NewInt(time.Now().UnixNano())), Token: p.Token, Amount: big.NewInt(price)}
	if _, err := w.indexer.Detect(ctx, p.ID, ob); err != nil {
		t.Fatal(err)
	}
	if _, err := w.indexer.Confirm(ctx, p.ID, ob.TransferID()); err != nil {
		t.Fatal(err)
	}
	if _, err := w.follower.Follow(ctx, 100); err != nil {
		t.Fatal(err)
	}
	if !swept {
		if d.payment, err = w.indexer.Get(ctx, p.ID); err != nil {
			t.Fatal(err)
		}
		return d
	}
	if _, err := w.chainWk.StartSweep(ctx, p.ID); err != nil {
		t.Fatal(err)
	}
	if p, err = w.indexer.Get(ctx, p.ID); err != nil {
		t.Fatal(err)
	}
	if d.payment, err = w.indexer.Swept(ctx, p.ID, paymenttest.OwnSweep(p)); err != nil || d.payment.State != payment.InEscrow {
		t.Fatalf("swept: %v, %v", d.payment, err)
	}
	if delivered {
		seller := market.Caller{UserID: d.seller.UserID}
		if _, err := w.mkt.Ship(ctx, seller, r.ID, market.ShipInput{Carrier: "DHL", Tracking: "JD0001"}); err != nil {
			t.Fatal(err)
		}
		if _, err := w.mkt.Deliver(ctx, seller, r.ID); err != nil {
			t.Fatal(err)
		}
	}
	return d
}

// open has the buyer open a case about d.
func (w *world) open(t *testing.T, d deal) *dispute.Case {
	t.Helper()
	c, err := w.d.Open(context.Background(), d.buyer, dispute.OpenInput{RequestID: d.request, Reason: dispute.ReasonNotReceived,
		Statement: "Nothing arrived, and the tracking number is unknown to the carrier."})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// requestStatus is the request's status and resume_to as stored.
func (w *world) requestStatus(t *testing.T, id uuid.UUID) (string, string) {
	t.Helper()
	var s string
	var resume *string
	if err := w.owner.QueryRow(context.Background(), `SELECT status, resume_to FROM market_requests WHERE id = $1`, id).Scan(&s, &resume); err != nil {
		t.Fatal(err)
	}
	if resume == nil {
		return s, ""
	}
	return s, *resume
}

func (w *world) paymentState(t *testing.T, d deal) payment.State {
	t.Helper()
	p, err := w.pays.Get(context.Background(), d.payment.ID)
	if err != nil {
		t.Fatal(err)
	}
	return p.State
}

// job is one row of river_job.
type job struct {
	ID    int64
	Kind  string
	Args  []byte
	Sched time.Time
}

// jobs lists the jobs whose arguments have key = value, oldest first.
func (w *world) jobs(t *testing.T, key, value string) []job {
	t.Helper()
	rows, err := w.owner.Query(context.Background(), `SELECT id, kind, args, scheduled_at FROM river_job WHERE args->>$1 = $2 ORDER BY id`, key, value)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []job
	for rows.Next() {
		var j job
		if err := rows.Scan(&j.ID, &j.Kind, &j.Args, &j.Sched); err != nil {
			t.Fatal(err)
		}
		out = append(out, j)
	}
	return out
}

// workerPayouts asks for payout intents as the worker does (jobs' disputePayouts).
type workerPayouts struct{ intents *intent.Store }

func (p workerPayouts) DisputePayout(ctx context.Context, paymentID uuid.UUID, refund bool, actor, reason string) error {
	o := intent.RequestOptions{Actor: actor, Reason: reason, Contract: escrowContract, ResolvesDispute: true}
	var err error
	if refund {
		_, _, err = p.intents.RequestRefund(ctx, ledger.ID(paymentID), o)
	} else {
		_, _, err = p.intents.RequestRelease(ctx, ledger.ID(paymentID), o)
	}
	return err
}

// payout works the payout jobs of case id (as the worker does once the resolution commits) and
// says how many there were.
func (w *world) payout(t *testing.T, id uuid.UUID) int {
	t.Helper()
	js := ofKind(w.jobs(t, "case_id", id.String()), "dispute_payout")
	for _, j := range js {
		work[dispute.PayoutArgs](t, &dispute.PayoutWorker{Disputes: w.payouts}, j)
		work[dispute.PayoutArgs](t, &dispute.PayoutWorker{Disputes: w.payouts}, j) // River may run one twice
	}
	return len(js)
}

// ofKind keeps the jobs of kind k.
func ofKind(jobs []job, k string) []job {
	var out []job
	for _, j := range jobs {
		if j.Kind == k {
			out = append(out, j)
		}
	}
	return out
}

// work runs worker wk on job row j, as River would when its time comes.
func work[T river.JobArgs](t *testing.T, wk river.Worker[T], j job) {
	t.Helper()
	var args T
	if err := json.Unmarshal(j.Args, &args); err != nil {
		t.Fatal(err)
	}
	if err := wk.Work(context.Background(), &river.Job[T]{JobRow: &rivertype.JobRow{ID: j.ID, Kind: j.Kind, EncodedArgs: j.Args}, Args: args}); err != nil {
		t.Fatalf("%s: %v", j.Kind, err)
	}
}

// kinds is the case's timeline as "kind:actor" words.
func kinds(c *dispute.Case) string {
	var b bytes.Buffer
	for i, e := range c.Entries {
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%s:%s", e.Kind, e.Actor)
	}
	return b.String()
}

func wantErr(t *testing.T, what string, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("%s: err = %v, want %v", what, err, want)
	}
}

// png is a small image as uploaded.
func png(t *testing.T) []byte { return uploadtest.PNG(t, uploadtest.Image(40, 30)) }

var quiet = slog.New(slog.DiscardHandler)

// dbtestPoolAsWorker is a pool of the package database as amn_worker.
func dbtestPoolAsWorker(t *testing.T) *pgxpool.Pool { return dbtest.PoolAs(t, db.RoleWorker) }

// dbtestPoolAsAPI is a pool of the package database as amn_api.
func dbtestPoolAsAPI(t *testing.T) *pgxpool.Pool { return dbtest.PoolAs(t, db.RoleAPI) }

package market_test

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/amanat/amn/chain"
	"github.com/amanat/amn/db"
	"github.com/amanat/amn/db/dbtest"
	"github.com/amanat/amn/devnet"
	"github.com/amanat/amn/hd"
	"github.com/amanat/amn/kind"
	"github.com/amanat/amn/market"
	"github.com/amanat/amn/payment"
	"github.com/amanat/amn/payment/paymenttest"
)

// anvilXpub is the account xpub of anvil's public test mnemonic (public test data).
const anvilXpub = "xpub6Ce9NcJvTk36xtLSrJLZqE7wtgA5deCeYs7rSQtreh4cj6ByPtrg9sD7V2FNFLPnf8heNP3FGkeV9qwfzvZNSd54JoNXVsXFYSYwHsnJxqP"

func TestMain(m *testing.M) { dbtest.Main(m) }

var feeAddr = common.HexToAddress("0x00000000000000000000000000000000000000fe")

// world is a market service working as amn_api over a test database, with the owner's pool for
// making users and reading tables directly.
type world struct {
	m        *market.Service
	payments *payment.Service
	owner    *pgxpool.Pool
	now      time.Time
}

func newWorld(t *testing.T, cfg func(*market.Config)) *world {
	t.Helper()
	return newWorldOn(t, chain.DefaultRegistry(), cfg)
}

// newWorldOn is newWorld on the chains of reg.
func newWorldOn(t *testing.T, reg *chain.Registry, cfg func(*market.Config)) *world {
	t.Helper()
	d, err := hd.ParseXpub(anvilXpub)
	if err != nil {
		t.Fatal(err)
	}
	api := dbtest.PoolAs(t, db.RoleAPI)
	c := market.DefaultConfig()
	c.FeeAddress = feeAddr
	if cfg != nil {
		cfg(&c)
	}
	pays := payment.New(api, d)
	return &world{m: market.New(api, pays, reg, c), payments: pays, owner: dbtest.Pool(t), now: time.Now()}
}

func (w *world) user(t *testing.T) market.Caller {
	t.Helper()
	id := uuid.New()
	if _, err := w.owner.Exec(context.Background(), `INSERT INTO users (id, email, roles) VALUES ($1, $2, '{buyer,seller}')`,
		id, id.String()+"@example.com"); err != nil {
		t.Fatal(err)
	}
	return market.Caller{UserID: id}
}

func input() market.RequestInput {
	return market.RequestInput{Title: "Vintage camera lens", Description: "A 50mm f/1.4 lens in good condition",
		Category: "photo", ProductType: "physical_product", BudgetMin: "100000000000000000000", BudgetMax: "200000000000000000000",
		ChainKey: "bsc", TokenSymbol: "USDT", Delivery: market.DeliveryTo{Kind: "physical", Address: &market.Address{
			Recipient: "A. Buyer", Line1: "1 Main St", City: "Almaty", Country: "KZ"}}}
}

func (w *world) request(t *testing.T, buyer market.Caller) *market.Request {
	t.Helper()
	r, err := w.m.CreateRequest(context.Background(), buyer, input())
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// offerInput is seller's offer at price, signed by the payout wallet (anvil's seller account).
func offerInput(t *testing.T, r *market.Request, price int64, payout devnet.Account) market.OfferInput {
	t.Helper()
	id := uuid.New()
	return market.OfferInput{ID: id, Price: fmt.Sprint(price), DeliveryDays: 5, ValidUntil: time.Now().Add(72 * time.Hour),
		Notes: "ships tomorrow", PayoutAddress: payout.Address, PayoutSignature: sign(t, r, id, big.NewInt(price), payout)}
}

func sign(t *testing.T, r *market.Request, id uuid.UUID, price *big.Int, payout devnet.Account) []byte {
	t.Helper()
	c, err := chain.DefaultRegistry().Get(r.ChainKey)
	if err != nil {
		t.Fatal(err)
	}
	var token common.Address
	for _, tk := range c.Tokens {
		if tk.Symbol == r.TokenSymbol {
			token = tk.Address
		}
	}
	n := paymenttest.Offer(payment.NewPayment{OfferRef: id.String(), ChainID: c.ID, Token: token, Amount: price}, payout)
	return n.SellerSignature
}

func (w *world) offer(t *testing.T, r *market.Request, seller market.Caller, price int64) *market.Offer {
	t.Helper()
	o, err := w.m.MakeOffer(context.Background(), seller, r.ID, offerInput(t, r, price, paymenttest.Seller()))
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func wantKind(t *testing.T, what string, err error, k error) {
	t.Helper()
	if !errors.Is(err, k) {
		t.Fatalf("%s: err = %v, want kind %v", what, err, k)
	}
}

func (w *world) events(t *testing.T, id uuid.UUID) string {
	t.Helper()
	rows, err := w.owner.Query(context.Background(), `SELECT event || ':' || actor || ':' || coalesce(from_status, '') || '>' || to_status
		FROM market_events WHERE request_id = $1 ORDER BY seq`, id)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return strings.Join(out, " ")
}

func TestCreateRequestPublishedWithoutModeration(t *testing.T) {
	w := newWorld(t, nil)
	buyer := w.user(t)
	r := w.request(t, buyer)
	if r.Status != market.Active || r.BuyerID != buyer.UserID || r.BudgetMax.String() != "200000000000000000000" {
		t.Fatalf("request = %+v", r)
	}
	if time.Until(r.ExpiresAt) < 29*24*time.Hour {
		t.Fatalf("expires at %s, want ~30 days", r.ExpiresAt)
	}
	if got := w.events(t, r.ID); got != "create:buyer:>pending publish:system:pending>active" {
		t.Fatalf("events = %s", got)
	}
}

func TestModerationHoldsRequestsForAnAdmin(t *testing.T) {
	w := newWorld(t, func(c *market.Config) { c.Moderation = true })
	buyer, admin := w.user(t), w.user(t)
	admin.Admin = true
	r := w.request(t, buyer)
	if r.Status != market.Pending {
		t.Fatalf("status %s, want pending", r.Status)
	}
	if _, err := w.m.PublicRequest(context.Background(), r.ID); !errors.Is(err, market.ErrNotFound) {
		t.Fatalf("a pending request is public: %v", err)
	}
	_, err := w.m.Publish(context.Background(), buyer, r.ID)
	wantKind(t, "the buyer publishing", err, kind.NotFound)
	if r, err = w.m.Publish(context.Background(), admin, r.ID); err != nil || r.Status != market.Active {
		t.Fatalf("admin publish: %v, %v", r, err)
	}
}

// A request moderation never published expires at its deadline like an open one.
func TestPendingRequestsExpire(t *testing.T) {
	w := newWorld(t, func(c *market.Config) { c.Moderation = true })
	ctx := context.Background()
	buyer := w.user(t)
	r := w.request(t, buyer)
	worker := market.New(dbtest.PoolAs(t, db.RoleWorker), nil, nil, market.DefaultConfig())
	later := worker.WithClock(func() time.Time { return r.ExpiresAt.Add(time.Minute) })
	if _, n, err := later.ExpireDue(ctx, 1000); err != nil || n < 1 {
		t.Fatalf("requests expired %d, %v", n, err)
	}
	d, err := w.m.RequestDetail(ctx, buyer, r.ID)
	if err != nil || d.Request.Status != market.Expired {
		t.Fatalf("a pending request past its deadline: %v, %v; want expired", d, err)
	}
	if got := w.events(t, r.ID); got != "create:buyer:>pending expire:system:pending>expired" {
		t.Fatalf("events = %s", got)
	}
}

// With moderation on, what moderation approved cannot be changed behind its back: an edit of the
// title, description or category sends a published request back to pending (hidden from sellers
// until an admin publishes it again), and is refused once sellers have offered on it; other
// edits (the budget) keep it where it is.
func TestModeratedEditsAreModeratedAgain(t *testing.T) {
	w := newWorld(t, func(c *market.Config) { c.Moderation = true })
	ctx := context.Background()
	buyer, admin, seller := w.user(t), w.user(t), w.user(t)
	admin.Admin = true
	r := w.request(t, buyer)
	if _, err := w.m.Publish(ctx, admin, r.ID); err != nil {
		t.Fatal(err)
	}
	in := input()
	in.BudgetMax = "300000000000000000000"
	if got, err := w.m.EditRequest(ctx, buyer, r.ID, in); err != nil || got.Status != market.Active {
		t.Fatalf("a budget edit: %v, %v; want active", got, err)
	}
	in.Title = "Something else entirely"
	got, err := w.m.EditRequest(ctx, buyer, r.ID, in)
	if err != nil || got.Status != market.Pending || got.Title != in.Title {
		t.Fatalf("a title edit: %v, %v; want pending", got, err)
	}
	if _, err := w.m.PublicRequest(ctx, r.ID); !errors.Is(err, market.ErrNotFound) {
		t.Fatalf("the edited request is public before moderation: %v", err)
	}
	if _, err := w.m.Publish(ctx, admin, r.ID); err != nil {
		t.Fatal(err)
	}
	w.offer(t, r, seller, 150)
	in.Description = "Now with a different description"
	_, err = w.m.EditRequest(ctx, buyer, r.ID, in)
	wantKind(t, "a description edit under live offers", err, kind.Conflict)
	in.Description, in.BudgetMin = input().Description, "1"
	if got, err := w.m.EditRequest(ctx, buyer, r.ID, in); err != nil || got.Status != market.ReceivedOffers {
		t.Fatalf("a budget edit under live offers: %v, %v", got, err)
	}
	want := "create:buyer:>pending publish:admin:pending>active resubmit:buyer:active>pending publish:admin:pending>active offer_made:system:active>received_offers"
	if got := w.events(t, r.ID); got != want {
		t.Fatalf("events = %s\nwant     %s", got, want)
	}
}

func TestCreateRequestRefusesBadInput(t *testing.T) {
	w := newWorld(t, nil)
	buyer := w.user(t)
	past := time.Now().Add(-time.Hour)
	for name, mutate := range map[string]func(*market.RequestInput){
		"unknown token":         func(in *market.RequestInput) { in.TokenSymbol = "DOGE" },
		"unknown chain":         func(in *market.RequestInput) { in.ChainKey = "solana" },
		"fractional budget":     func(in *market.RequestInput) { in.BudgetMax = "1.5" },
		"negative budget":       func(in *market.RequestInput) { in.BudgetMin = "-1" },
		"min above max":         func(in *market.RequestInput) { in.BudgetMin, in.BudgetMax = "10", "9" },
		"oversized budget":      func(in *market.RequestInput) { in.BudgetMax = strings.Repeat("9", 79) },
		"short title":           func(in *market.RequestInput) { in.Title = "ab" },
		"oversized description": func(in *market.RequestInput) { in.Description = strings.Repeat("x", 20001) },
		"bad category":          func(in *market.RequestInput) { in.Category = "Photo; DROP TABLE" },
		"bad product type":      func(in *market.RequestInput) { in.ProductType = "car" },
		"physical, no address":  func(in *market.RequestInput) { in.Delivery.Address = nil },
		"expiry in the past":    func(in *market.RequestInput) { in.ExpiresAt = &past },
	} {
		in := input()
		mutate(&in)
		_, err := w.m.CreateRequest(context.Background(), buyer, in)
		wantKind(t, name, err, kind.Invalid)
	}
}

func TestPublicViewsHideTheBuyer(t *testing.T) {
	w := newWorld(t, nil)
	ctx := context.Background()
	buyer, seller, stranger := w.user(t), w.user(t), w.user(t)
	r := w.request(t, buyer)
	in := input()
	in.Visibility = "private"
	hidden, err := w.m.CreateRequest(ctx, buyer, in)
	if err != nil {
		t.Fatal(err)
	}
	list, err := w.m.BrowseRequests(ctx, market.Browse{Q: "lens", Category: "photo", ChainKey: "bsc"})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, x := range list {
		if x.ID == hidden.ID {
			t.Fatal("a private request is listed")
		}
		if x.BuyerID != uuid.Nil || x.Delivery.Address != nil {
			t.Fatalf("browse leaks personal data: %+v", x)
		}
		found = found || x.ID == r.ID
	}
	if !found {
		t.Fatal("the public request is not found by q=lens")
	}
	if list, _ := w.m.BrowseRequests(ctx, market.Browse{Q: "bicycle"}); len(list) != 0 {
		t.Fatalf("q=bicycle found %d", len(list))
	}
	if list, err := w.m.BrowseRequests(ctx, market.Browse{ChainKey: "bsc", TokenSymbol: "USDT", BudgetAtLeast: new(big.Int).Lsh(big.NewInt(1), 100)}); err != nil || len(list) != 0 {
		t.Fatalf("a budget filter above every budget found %d, %v", len(list), err)
	}
	d, err := w.m.RequestDetail(ctx, stranger, r.ID)
	if err != nil || d.Party || d.Request.BuyerID != uuid.Nil || d.Request.Delivery.Address != nil || d.Offers != nil {
		t.Fatalf("a stranger's detail = %+v, %v", d, err)
	}
	o := w.offer(t, r, seller, 150)
	other := w.user(t)
	w.offer(t, r, other, 160)
	d, err = w.m.RequestDetail(ctx, seller, r.ID)
	if err != nil || !d.Party || len(d.Offers) != 1 || d.Offers[0].ID != o.ID {
		t.Fatalf("a seller's detail = %+v, %v: wants its own offer only", d, err)
	}
	// An offer, even a withdrawn one, does not buy the buyer's identity or address: only the
	// accepted seller gets the address, once the payment is final.
	if d.Request.BuyerID != uuid.Nil || d.Request.Delivery.Address != nil || d.Request.PaymentID != nil {
		t.Fatalf("a seller with an offer sees the buyer's data: %+v", d.Request)
	}
	if _, err := w.m.WithdrawOffer(ctx, other, r.ID, w.offerOf(t, r, other)); err != nil {
		t.Fatal(err)
	}
	if d, err := w.m.RequestDetail(ctx, other, r.ID); err != nil || d.Request.BuyerID != uuid.Nil || d.Request.Delivery.Address != nil {
		t.Fatalf("a seller who withdrew sees %+v, %v", d, err)
	}
	d, err = w.m.RequestDetail(ctx, buyer, r.ID)
	if err != nil || !d.Party || len(d.Offers) != 2 || d.Request.Delivery.Address == nil {
		t.Fatalf("the buyer's detail = %+v, %v", d, err)
	}
	_, err = w.m.Offers(ctx, stranger, r.ID, market.Cursor{}, market.MaxPage)
	wantKind(t, "a stranger listing offers", err, kind.NotFound)
	mine, err := w.m.MyRequests(ctx, buyer, market.Cursor{}, 1)
	if err != nil || len(mine) != 1 || mine[0].ID != hidden.ID {
		t.Fatalf("my first page = %v, %v", mine, err)
	}
	mine, err = w.m.MyRequests(ctx, buyer, market.Cursor{At: mine[0].CreatedAt, ID: mine[0].ID}, 10)
	if err != nil || len(mine) != 1 || mine[0].ID != r.ID {
		t.Fatalf("my second page = %v, %v", mine, err)
	}
	if theirs, _ := w.m.MyRequests(ctx, stranger, market.Cursor{}, 10); len(theirs) != 0 {
		t.Fatalf("a stranger lists %d of the buyer's requests", len(theirs))
	}
}

// Budgets compare in one token's base units: a budget filter needs chain and token, and finds
// only requests priced in them (100 USDT on eth is 10^8 base units; on bsc 10^20).
func TestBudgetFilterIsPerToken(t *testing.T) {
	w := newWorld(t, nil)
	ctx := context.Background()
	buyer := w.user(t)
	in := input()
	in.Title = "Budget filter " + uuid.NewString()[:8]
	in.ChainKey, in.BudgetMin, in.BudgetMax = "eth", "100000000", "200000000" // 100–200 USDT, 6 decimals
	six, err := w.m.CreateRequest(ctx, buyer, in)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range []market.Browse{
		{BudgetAtLeast: big.NewInt(1)},
		{ChainKey: "eth", BudgetAtMost: big.NewInt(1)},
		{TokenSymbol: "USDT", BudgetAtLeast: big.NewInt(1)},
	} {
		_, err := w.m.BrowseRequests(ctx, b)
		wantKind(t, fmt.Sprintf("budget filter %+v", b), err, kind.Invalid)
	}
	// 150 USDT in bsc's 18 decimals is far above the eth request's budget in 6: asked in eth's
	// USDT it is not found, asked for 150 eth USDT it is.
	found := func(b market.Browse) bool {
		t.Helper()
		b.Limit = market.MaxPage
		list, err := w.m.BrowseRequests(ctx, b)
		if err != nil {
			t.Fatal(err)
		}
		return slices.ContainsFunc(list, func(r market.Request) bool { return r.ID == six.ID })
	}
	q := in.Title
	if found(market.Browse{Q: q, ChainKey: "eth", TokenSymbol: "USDT", BudgetAtLeast: new(big.Int).Mul(big.NewInt(150), big.NewInt(1e18))}) {
		t.Fatal("an 18-decimal amount matched a 6-decimal budget")
	}
	if !found(market.Browse{Q: q, ChainKey: "eth", TokenSymbol: "USDT", BudgetAtLeast: big.NewInt(150_000_000)}) {
		t.Fatal("150 USDT (6 decimals) did not find a 100–200 USDT request")
	}
	if found(market.Browse{Q: q, ChainKey: "bsc", TokenSymbol: "USDT", BudgetAtLeast: big.NewInt(150_000_000)}) {
		t.Fatal("a bsc filter found an eth request")
	}
}

func TestOffers(t *testing.T) {
	w := newWorld(t, nil)
	ctx := context.Background()
	buyer, seller := w.user(t), w.user(t)
	r := w.request(t, buyer)
	_, err := w.m.MakeOffer(ctx, buyer, r.ID, offerInput(t, r, 100, paymenttest.Seller()))
	wantKind(t, "an offer on one's own request", err, kind.Refused)
	forged := offerInput(t, r, 100, paymenttest.Seller())
	forged.Price = "1000" // signed for 100
	_, err = w.m.MakeOffer(ctx, seller, r.ID, forged)
	wantKind(t, "a price the payout wallet did not sign", err, kind.Invalid)
	other := offerInput(t, r, 100, paymenttest.Seller())
	other.PayoutAddress = paymenttest.Buyer().Address // signed by the seller's wallet
	_, err = w.m.MakeOffer(ctx, seller, r.ID, other)
	wantKind(t, "a payout address that did not sign", err, kind.Invalid)

	o := w.offer(t, r, seller, 150)
	_, err = w.m.MakeOffer(ctx, seller, r.ID, offerInput(t, r, 140, paymenttest.Seller()))
	wantKind(t, "a second live offer", err, kind.Conflict)

	// A revision without a new signature keeps the terms signed; a new price needs one.
	in := offerInput(t, r, 150, paymenttest.Seller())
	in.ID, in.PayoutSignature, in.Notes, in.DeliveryDays = o.ID, nil, "ships today", 2
	if o, err = w.m.ReviseOffer(ctx, seller, r.ID, o.ID, in); err != nil || o.Revision != 2 || o.Notes != "ships today" {
		t.Fatalf("revise: %+v, %v", o, err)
	}
	in.Price = "120"
	_, err = w.m.ReviseOffer(ctx, seller, r.ID, o.ID, in)
	wantKind(t, "a new price with the old signature", err, kind.Invalid)
	in.PayoutSignature = sign(t, r, o.ID, big.NewInt(120), paymenttest.Seller())
	if o, err = w.m.ReviseOffer(ctx, seller, r.ID, o.ID, in); err != nil || o.Revision != 3 || o.Price.Int64() != 120 {
		t.Fatalf("revise with a new signature: %+v, %v", o, err)
	}
	stranger := w.user(t)
	_, err = w.m.ReviseOffer(ctx, stranger, r.ID, o.ID, in)
	wantKind(t, "another seller revising", err, kind.NotFound)
	_, err = w.m.WithdrawOffer(ctx, stranger, r.ID, o.ID)
	wantKind(t, "another seller withdrawing", err, kind.NotFound)
	offers, err := w.m.Offers(ctx, buyer, r.ID, market.Cursor{}, market.MaxPage)
	if err != nil || len(offers) != 1 || len(offers[0].Revisions) != 3 || offers[0].Revisions[0].Price.Int64() != 150 {
		t.Fatalf("the buyer's offers = %+v, %v", offers, err)
	}
	if _, err := w.m.WithdrawOffer(ctx, seller, r.ID, o.ID); err != nil {
		t.Fatal(err)
	}
	want := "create:buyer:>pending publish:system:pending>active offer_made:system:active>received_offers offers_gone:system:received_offers>active"
	if got := w.events(t, r.ID); got != want {
		t.Fatalf("events = %s\nwant     %s", got, want)
	}
	// Withdrawn, the seller may offer again.
	w.offer(t, r, seller, 130)
}

func TestAcceptCreatesThePaymentInOneTransaction(t *testing.T) {
	w := newWorld(t, nil)
	ctx := context.Background()
	buyer, s1, s2 := w.user(t), w.user(t), w.user(t)
	r := w.request(t, buyer)
	o1, o2 := w.offer(t, r, s1, 1_000_000), w.offer(t, r, s2, 900_000)
	_, err := w.m.Accept(ctx, s1, r.ID, o1.ID, 1)
	wantKind(t, "a seller accepting", err, kind.NotFound)
	a, err := w.m.Accept(ctx, buyer, r.ID, o1.ID, 1)
	if err != nil {
		t.Fatal(err)
	}
	p := a.Payment
	if a.Request.Status != market.Payment || a.Request.PaymentID == nil || *a.Request.PaymentID != uuid.UUID(p.ID) ||
		p.BuyerRef != buyer.UserID.String() || p.OfferRef != o1.ID.String() || p.SellerAddress != paymenttest.Seller().Address ||
		p.Amount.Int64() != 1_000_000 || p.Fee.Int64() != 10_000 || p.Commission.Int64() != 20_000 || p.FeeAddress != feeAddr ||
		p.Ledger != "bsc:USDT" || p.State != payment.AwaitingPayment {
		t.Fatalf("acceptance = %+v, payment %+v", a.Request, p)
	}
	if len(a.Checkout.Transactions) != 2 || a.Checkout.Transactions[0].Purpose != payment.PurposeApprove ||
		a.Checkout.DepositAddress != p.Deposit || a.Terms.Deposit != p.Deposit {
		t.Fatalf("checkout = %+v", a.Checkout)
	}
	offers, _ := w.m.Offers(ctx, buyer, r.ID, market.Cursor{}, market.MaxPage)
	for _, o := range offers {
		want := market.OfferRejected
		if o.ID == o1.ID {
			want = market.OfferAccepted
		}
		if o.Status != want {
			t.Fatalf("offer %s is %s, want %s", o.ID, o.Status, want)
		}
	}
	_, err = w.m.Accept(ctx, buyer, r.ID, o2.ID, 1)
	wantKind(t, "a second accept", err, kind.Conflict)
	// The buyer's wallet signs the checkout; nobody else can record it.
	sig := paymenttest.CheckoutSignature(t, p, paymenttest.Buyer())
	_, err = w.m.ProveBuyer(ctx, s1, r.ID, paymenttest.Buyer().Address, sig)
	wantKind(t, "a seller proving the buyer", err, kind.NotFound)
	if p, err = w.m.ProveBuyer(ctx, buyer, r.ID, paymenttest.Buyer().Address, sig); err != nil || p.BuyerAddress != paymenttest.Buyer().Address {
		t.Fatalf("prove buyer: %v, %v", p, err)
	}
}

// A failure after the payment is written rolls the payment back with the acceptance: an offer
// whose stored signature no longer proves its payout leaves no payment and the request open.
func TestAcceptRollsBackThePayment(t *testing.T) {
	w := newWorld(t, nil)
	ctx := context.Background()
	buyer, seller := w.user(t), w.user(t)
	r := w.request(t, buyer)
	o := w.offer(t, r, seller, 1_000_000)
	if _, err := w.owner.Exec(ctx, `UPDATE market_offers SET price = 2000000 WHERE id = $1`, o.ID); err != nil {
		t.Fatal(err)
	}
	_, err := w.m.Accept(ctx, buyer, r.ID, o.ID, 1)
	wantKind(t, "a tampered offer", err, kind.Invalid)
	var n int
	if err := w.owner.QueryRow(ctx, `SELECT count(*) FROM payments WHERE offer_ref = $1`, o.ID.String()).Scan(&n); err != nil || n != 0 {
		t.Fatalf("%d payments, %v", n, err)
	}
	got, _ := w.m.RequestDetail(ctx, buyer, r.ID)
	if got.Request.Status != market.ReceivedOffers || got.Offers[0].Status != market.OfferPending {
		t.Fatalf("after a failed accept: %+v", got)
	}
}

// A seller's revision racing the buyer's accept never makes the buyer pay terms it did not see:
// the accept names the revision it accepts, and a different one is ErrOfferChanged (nothing
// written); accepting the current revision pays its price.
func TestAcceptRefusesARevisedOffer(t *testing.T) {
	w := newWorld(t, nil)
	ctx := context.Background()
	buyer, seller := w.user(t), w.user(t)
	r := w.request(t, buyer)
	o := w.offer(t, r, seller, 1_000_000)
	in := offerInput(t, r, 2_000_000, paymenttest.Seller())
	in.ID, in.PayoutSignature = o.ID, sign(t, r, o.ID, big.NewInt(2_000_000), paymenttest.Seller())
	if _, err := w.m.ReviseOffer(ctx, seller, r.ID, o.ID, in); err != nil {
		t.Fatal(err)
	}
	for _, rev := range []int{1, 3, 0, -1} {
		_, err := w.m.Accept(ctx, buyer, r.ID, o.ID, rev)
		if !errors.Is(err, market.ErrOfferChanged) || !errors.Is(err, kind.Conflict) {
			t.Fatalf("accept of revision %d of an offer at 2: %v, want ErrOfferChanged", rev, err)
		}
	}
	var n int
	if err := w.owner.QueryRow(ctx, `SELECT count(*) FROM payments WHERE buyer_ref = $1`, buyer.UserID.String()).Scan(&n); err != nil || n != 0 {
		t.Fatalf("%d payments after refused accepts, %v", n, err)
	}
	a, err := w.m.Accept(ctx, buyer, r.ID, o.ID, 2)
	if err != nil || a.Payment.Amount.Int64() != 2_000_000 {
		t.Fatalf("accept of the current revision: %v, %v", a, err)
	}
}

// Everything the accept answers is built before its transaction commits: a checkout that cannot
// be built (the chain has no ERC20FeeProxy) is the unavailable kind and leaves no payment behind,
// the request still taking offers.
func TestAcceptBuildsTheCheckoutBeforeCommitting(t *testing.T) {
	reg := chain.DefaultRegistry()
	bsc, err := reg.Get("bsc")
	if err != nil {
		t.Fatal(err)
	}
	var native []chain.Proxy
	for _, p := range bsc.FeeProxies {
		if p.Native {
			native = append(native, p)
		}
	}
	bsc.FeeProxies = native
	if err := reg.Add(bsc); err != nil {
		t.Fatal(err)
	}
	w := newWorldOn(t, reg, nil)
	ctx := context.Background()
	buyer, seller := w.user(t), w.user(t)
	r := w.request(t, buyer)
	o := w.offer(t, r, seller, 1_000_000)
	_, err = w.m.Accept(ctx, buyer, r.ID, o.ID, 1)
	wantKind(t, "an accept whose checkout cannot be built", err, kind.Unavailable)
	var n int
	if err := w.owner.QueryRow(ctx, `SELECT count(*) FROM payments WHERE buyer_ref = $1`, buyer.UserID.String()).Scan(&n); err != nil || n != 0 {
		t.Fatalf("%d payments after a failed accept, %v", n, err)
	}
	got, _ := w.m.RequestDetail(ctx, buyer, r.ID)
	if got.Request.Status != market.ReceivedOffers || got.Request.PaymentID != nil || got.Offers[0].Status != market.OfferPending {
		t.Fatalf("after a failed accept: %+v", got.Request)
	}
	noPayments := market.New(dbtest.PoolAs(t, db.RoleAPI), nil, nil, market.DefaultConfig())
	_, err = noPayments.Accept(ctx, buyer, r.ID, o.ID, 1)
	wantKind(t, "a service without payments", err, kind.Unavailable)
}

// Acceptance 4: 100 concurrent accepts on one request, over several offers and the same one,
// end with exactly one accepted offer and one payment.
func TestConcurrentAccepts(t *testing.T) {
	w := newWorld(t, nil)
	ctx := context.Background()
	buyer := w.user(t)
	r := w.request(t, buyer)
	var offers []*market.Offer
	for range 5 {
		offers = append(offers, w.offer(t, r, w.user(t), 1_000_000))
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	wins := 0
	for i := range 100 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := w.m.Accept(ctx, buyer, r.ID, offers[i%len(offers)].ID, 1)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				wins++
			case !errors.Is(err, kind.Conflict):
				t.Errorf("accept %d: %v", i, err)
			}
		}()
	}
	wg.Wait()
	var accepted, payments int
	if err := w.owner.QueryRow(ctx, `SELECT (SELECT count(*) FROM market_offers WHERE request_id = $1 AND status = 'accepted'),
		(SELECT count(*) FROM payments WHERE buyer_ref = $2)`, r.ID, buyer.UserID.String()).Scan(&accepted, &payments); err != nil {
		t.Fatal(err)
	}
	if wins != 1 || accepted != 1 || payments != 1 {
		t.Fatalf("wins %d, accepted offers %d, payments %d; want 1 each", wins, accepted, payments)
	}
}

// Cancelling a request whose payment awaits money withdraws the payment: a deposit that still
// arrives ends late, never funded. A stranger cannot cancel.
func TestCancelWithdrawsTheUnpaidPayment(t *testing.T) {
	w := newWorld(t, nil)
	ctx := context.Background()
	buyer, seller, stranger := w.user(t), w.user(t), w.user(t)
	r := w.request(t, buyer)
	o := w.offer(t, r, seller, 1_000_000)
	a, err := w.m.Accept(ctx, buyer, r.ID, o.ID, 1)
	if err != nil {
		t.Fatal(err)
	}
	_, err = w.m.CancelRequest(ctx, stranger, r.ID)
	wantKind(t, "a stranger cancelling", err, kind.NotFound)
	got, err := w.m.CancelRequest(ctx, buyer, r.ID)
	if err != nil || got.Status != market.Cancelled {
		t.Fatalf("cancel: %v, %v", got, err)
	}
	p, err := w.payments.Get(ctx, a.Payment.ID)
	if err != nil || p.State != payment.Expired {
		t.Fatalf("payment after cancel: %v, %v", p, err)
	}
	offers, err := w.m.Offers(ctx, buyer, r.ID, market.Cursor{}, market.MaxPage)
	if err != nil || len(offers) != 1 || offers[0].Status != market.OfferRejected {
		t.Fatalf("the accepted offer after cancel: %+v, %v; want rejected", offers, err)
	}
	late(t, w, p)
}

// The cancel and its payment's withdrawal are one transaction: a cancel that fails after the
// withdrawal (here the database refuses its event row) leaves the payment awaiting payment and
// the request where it was, never a live request with a dead payment or the reverse.
func TestCancelWithdrawsInItsOwnTransaction(t *testing.T) {
	w := newWorld(t, nil)
	ctx := context.Background()
	buyer, seller := w.user(t), w.user(t)
	r := w.request(t, buyer)
	o := w.offer(t, r, seller, 1_000_000)
	a, err := w.m.Accept(ctx, buyer, r.ID, o.ID, 1)
	if err != nil {
		t.Fatal(err)
	}
	fn := "refuse_cancel_" + strings.ReplaceAll(r.ID.String(), "-", "")
	for _, q := range []string{
		`CREATE FUNCTION ` + fn + `() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$`,
		`CREATE TRIGGER ` + fn + ` BEFORE INSERT ON market_events FOR EACH ROW
			WHEN (NEW.request_id = '` + r.ID.String() + `' AND NEW.event = 'cancel') EXECUTE FUNCTION ` + fn + `()`,
	} {
		if _, err := w.owner.Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() {
		_, _ = w.owner.Exec(context.Background(), `DROP TRIGGER `+fn+` ON market_events; DROP FUNCTION `+fn+`()`)
	})
	if _, err := w.m.CancelRequest(ctx, buyer, r.ID); err == nil {
		t.Fatal("the cancel succeeded without its event row")
	}
	p, err := w.payments.Get(ctx, a.Payment.ID)
	if err != nil || p.State != payment.AwaitingPayment {
		t.Fatalf("payment after a failed cancel: %v, %v; want awaiting_payment", p.State, err)
	}
	d, _ := w.m.RequestDetail(ctx, buyer, r.ID)
	if d.Request.Status != market.Payment {
		t.Fatalf("request after a failed cancel: %s", d.Request.Status)
	}
}

// late has the indexer's view of a full deposit land on payment id (detected, then final).
func late(t *testing.T, w *world, p *payment.Payment) {
	t.Helper()
	ctx := context.Background()
	id := p.ID
	chainSide := payment.New(dbtest.PoolAs(t, db.RoleIndexer), nil)
	ob := payment.Observation{ChainID: p.ChainID, BlockHash: common.BigToHash(big.NewInt(9)), BlockNumber: 9,
		TxHash: common.BigToHash(big.NewInt(int64(time.Now().UnixNano()))), Token: p.Token, Amount: p.Amount}
	if _, err := chainSide.Detect(ctx, id, ob); err != nil {
		t.Fatal(err)
	}
	p, err := chainSide.Confirm(ctx, id, ob.TransferID())
	if err != nil || p.State != payment.Late {
		t.Fatalf("a deposit after cancel: %v, %v; want late", p, err)
	}
}

func TestTimersExpireOffersAndRequests(t *testing.T) {
	w := newWorld(t, nil)
	ctx := context.Background()
	buyer, seller := w.user(t), w.user(t)
	r := w.request(t, buyer)
	w.offer(t, r, seller, 100)
	// The timers run in the worker, as amn_worker.
	worker := market.New(dbtest.PoolAs(t, db.RoleWorker), nil, nil, market.DefaultConfig())
	later := worker.WithClock(func() time.Time { return time.Now().Add(80 * time.Hour) })
	if n, _, err := later.ExpireDue(ctx, 100); err != nil || n < 1 {
		t.Fatalf("offers expired %d, %v", n, err)
	}
	d, _ := w.m.RequestDetail(ctx, buyer, r.ID)
	if d.Request.Status != market.Active || d.Offers[0].Status != market.OfferExpired {
		t.Fatalf("after the offer timer: %s, %s", d.Request.Status, d.Offers[0].Status)
	}
	muchLater := worker.WithClock(func() time.Time { return time.Now().Add(31 * 24 * time.Hour) })
	if _, n, err := muchLater.ExpireDue(ctx, 100); err != nil || n < 1 {
		t.Fatalf("requests expired %d, %v", n, err)
	}
	d, _ = w.m.RequestDetail(ctx, buyer, r.ID)
	if d.Request.Status != market.Expired {
		t.Fatalf("after the request timer: %s", d.Request.Status)
	}
}

func TestTemplatesSpawnAPendingPaymentRequest(t *testing.T) {
	w := newWorld(t, nil)
	ctx := context.Background()
	seller, buyer, other := w.user(t), w.user(t), w.user(t)
	id := uuid.New()
	in := market.TemplateInput{ID: id, Title: "Logo design", Description: "Three concepts, two revisions", Category: "design",
		ProductType: "service", ChainKey: "bsc", TokenSymbol: "USDT", Price: "5000000", DeliveryDays: 7,
		PayoutAddress: paymenttest.Seller().Address}
	o, err := w.m.TemplateTerms("bsc", "USDT", id, big.NewInt(5_000_000), paymenttest.Seller().Address)
	if err != nil {
		t.Fatal(err)
	}
	in.PayoutSignature = paymenttest.Offer(payment.NewPayment{OfferRef: o.Ref, ChainID: o.ChainID, Token: o.Token, Amount: o.Amount},
		paymenttest.Seller()).SellerSignature
	forged := in
	forged.Price = "1"
	_, err = w.m.CreateTemplate(ctx, seller, forged)
	wantKind(t, "a template price the wallet did not sign", err, kind.Invalid)
	tpl, err := w.m.CreateTemplate(ctx, seller, in)
	if err != nil || !tpl.Active {
		t.Fatalf("create template: %+v, %v", tpl, err)
	}
	_, err = w.m.EditTemplate(ctx, other, market.TemplateInput{ID: id, Title: "mine now"})
	wantKind(t, "another seller's edit", err, kind.NotFound)
	_, err = w.m.Spawn(ctx, seller, id, market.DeliveryTo{Kind: "online"})
	wantKind(t, "a seller buying its own template", err, kind.Refused)
	a, err := w.m.Spawn(ctx, buyer, id, market.DeliveryTo{Kind: "online"})
	if err != nil {
		t.Fatal(err)
	}
	if a.Request.Status != market.PendingPayment || a.Payment.Amount.Int64() != 5_000_000 || a.Payment.State != payment.AwaitingPayment ||
		a.Request.TemplateID == nil || *a.Request.TemplateID != id {
		t.Fatalf("spawned %+v, payment %+v", a.Request, a.Payment)
	}
	if got := w.events(t, a.Request.ID); got != "create:buyer:>pending express:buyer:pending>pending_payment" {
		t.Fatalf("events = %s", got)
	}
	// A second purchase by the same buyer is a deal of its own: its own request and payment
	// (deposit address, reference) under the one signature the seller gave the template.
	again, err := w.m.Spawn(ctx, buyer, id, market.DeliveryTo{Kind: "online"})
	if err != nil {
		t.Fatalf("a second spawn by the same buyer: %v", err)
	}
	if again.Request.ID == a.Request.ID || again.Payment.ID == a.Payment.ID || again.Payment.Deposit == a.Payment.Deposit ||
		again.Payment.OfferRef != a.Payment.OfferRef || again.Payment.SellerAddress != paymenttest.Seller().Address {
		t.Fatalf("second spawn %+v / %+v, first %+v / %+v", again.Request, again.Payment, a.Request, a.Payment)
	}
	in.Active = false
	in.PayoutSignature = nil
	if tpl, err = w.m.EditTemplate(ctx, seller, in); err != nil || tpl.Active {
		t.Fatalf("deactivate: %+v, %v", tpl, err)
	}
	_, err = w.m.Spawn(ctx, other, id, market.DeliveryTo{Kind: "online"})
	wantKind(t, "spawning an inactive template", err, kind.NotFound)
	// The cancelled express deal withdraws its payment.
	if _, err := w.m.CancelRequest(ctx, buyer, a.Request.ID); err != nil {
		t.Fatal(err)
	}
}

// A template's signature pays out that template only: it cannot make another template (another
// id, another seller's), and a template row forged to carry another template's signature, or a
// payout its signature does not name, spawns nothing (payment.CreateTx proves it again).
func TestTemplateSignaturesPayOutTheirTemplateOnly(t *testing.T) {
	w := newWorld(t, nil)
	ctx := context.Background()
	seller, thief, buyer := w.user(t), w.user(t), w.user(t)
	tplA := w.template(t, seller, 5_000_000)
	a, err := w.m.Spawn(ctx, buyer, tplA.ID, market.DeliveryTo{Kind: "online"})
	if err != nil || a.Payment.OfferRef != "template:"+tplA.ID.String() {
		t.Fatalf("spawn of A: %+v, %v", a, err)
	}
	var sigA []byte
	if err := w.owner.QueryRow(ctx, `SELECT payout_signature FROM market_templates WHERE id = $1`, tplA.ID).Scan(&sigA); err != nil {
		t.Fatal(err)
	}
	// A's signature over another template id, by its seller or another, proves nothing.
	for _, who := range []market.Caller{seller, thief} {
		in := templateInput(uuid.New(), 5_000_000)
		in.PayoutSignature = sigA
		_, err := w.m.CreateTemplate(ctx, who, in)
		wantKind(t, "a template made with another template's signature", err, kind.Invalid)
	}
	// A forged row: the thief's template B carries A's signature and payout, or its own signature
	// with another payout.
	tplB := w.template(t, thief, 5_000_000)
	for name, forge := range map[string]string{
		"A's signature on B": `UPDATE market_templates SET payout_signature = $2 WHERE id = $1`,
		"another payout":     `UPDATE market_templates SET payout_address = decode('00000000000000000000000000000000000000b0', 'hex') WHERE id = $1 AND $2::bytea IS NOT NULL`,
	} {
		snap := w.snapshot(t, tplB.ID)
		if _, err := w.owner.Exec(ctx, forge, tplB.ID, sigA); err != nil {
			t.Fatal(err)
		}
		_, err := w.m.Spawn(ctx, buyer, tplB.ID, market.DeliveryTo{Kind: "online"})
		wantKind(t, name, err, kind.Invalid)
		var n int
		if err := w.owner.QueryRow(ctx, `SELECT count(*) FROM payments WHERE offer_ref = $1`, "template:"+tplB.ID.String()).Scan(&n); err != nil || n != 0 {
			t.Fatalf("%s: %d payments of B, %v", name, n, err)
		}
		snap.restore(t, w)
	}
}

// template makes seller's active template at price, signed by the seller's payout wallet.
func (w *world) template(t *testing.T, seller market.Caller, price int64) *market.Template {
	t.Helper()
	tpl, err := w.m.CreateTemplate(context.Background(), seller, signedTemplate(t, w, uuid.New(), price))
	if err != nil {
		t.Fatal(err)
	}
	return tpl
}

func templateInput(id uuid.UUID, price int64) market.TemplateInput {
	return market.TemplateInput{ID: id, Title: "Logo design", Description: "Three concepts", Category: "design",
		ProductType: "service", ChainKey: "bsc", TokenSymbol: "USDT", Price: fmt.Sprint(price), DeliveryDays: 7,
		PayoutAddress: paymenttest.Seller().Address}
}

func signedTemplate(t *testing.T, w *world, id uuid.UUID, price int64) market.TemplateInput {
	t.Helper()
	in := templateInput(id, price)
	o, err := w.m.TemplateTerms("bsc", "USDT", id, big.NewInt(price), in.PayoutAddress)
	if err != nil {
		t.Fatal(err)
	}
	in.PayoutSignature = paymenttest.Offer(payment.NewPayment{OfferRef: o.Ref, ChainID: o.ChainID, Token: o.Token, Amount: o.Amount},
		paymenttest.Seller()).SellerSignature
	return in
}

// templateRow is a template's payout terms as stored, to put back after a forgery.
type templateRow struct {
	id          uuid.UUID
	sig, payout []byte
}

func (w *world) snapshot(t *testing.T, id uuid.UUID) templateRow {
	t.Helper()
	r := templateRow{id: id}
	if err := w.owner.QueryRow(context.Background(), `SELECT payout_signature, payout_address FROM market_templates WHERE id = $1`, id).Scan(&r.sig, &r.payout); err != nil {
		t.Fatal(err)
	}
	return r
}

func (r templateRow) restore(t *testing.T, w *world) {
	t.Helper()
	if _, err := w.owner.Exec(context.Background(), `UPDATE market_templates SET payout_signature = $2, payout_address = $3 WHERE id = $1`, r.id, r.sig, r.payout); err != nil {
		t.Fatal(err)
	}
}

// offerOf is the id of seller's offer on r.
func (w *world) offerOf(t *testing.T, r *market.Request, seller market.Caller) uuid.UUID {
	t.Helper()
	offers, err := w.m.Offers(context.Background(), seller, r.ID, market.Cursor{}, market.MaxPage)
	if err != nil || len(offers) == 0 {
		t.Fatalf("offers of %v: %v %v", seller.UserID, offers, err)
	}
	return offers[0].ID
}

package api

import (
	"context"
	"encoding/json"
	"math/big"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/signer/core/apitypes"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/amanat/amn/admin"
	"github.com/amanat/amn/auth"
	"github.com/amanat/amn/chain"
	"github.com/amanat/amn/db"
	"github.com/amanat/amn/db/dbtest"
	"github.com/amanat/amn/devnet"
	"github.com/amanat/amn/hd"
	"github.com/amanat/amn/ledger"
	"github.com/amanat/amn/market"
	"github.com/amanat/amn/payment"
)

// anvilXpub is the account xpub of anvil's public test mnemonic (public test data): the test
// deriver of deposit addresses.
const anvilXpub = "xpub6Ce9NcJvTk36xtLSrJLZqE7wtgA5deCeYs7rSQtreh4cj6ByPtrg9sD7V2FNFLPnf8heNP3FGkeV9qwfzvZNSd54JoNXVsXFYSYwHsnJxqP"

// marketAPI is the router with the marketplace on the built-in chain registry and a test deriver,
// and the owner's pool to look at tables directly.
type marketAPI struct {
	*testAPI
	owner *pgxpool.Pool
}

func newMarketAPI(t testing.TB, cfg func(*market.Config)) *marketAPI {
	t.Helper()
	d, err := hd.ParseXpub(anvilXpub)
	if err != nil {
		t.Fatal(err)
	}
	c := market.DefaultConfig()
	c.FeeAddress = devnet.AnvilAccount(9).Address
	if cfg != nil {
		cfg(&c)
	}
	a := buildTestAPI(t, func(pool *pgxpool.Pool, deps *Deps) {
		deps.Market = market.New(pool, payment.New(pool, d), chain.DefaultRegistry(), c)
	})
	return &marketAPI{testAPI: a, owner: dbtest.Pool(t)}
}

// someone makes a signed-in user with roles, under a fresh email.
func (a *marketAPI) someone(roles ...auth.Role) auth.Session {
	a.t.Helper()
	return a.user(uuid.NewString()+"@example.com", roles...)
}

// call sends a request and decodes a 2xx answer into out (when given); it fails on another status.
func (a *marketAPI) call(method, path string, body any, token string, want int, out any) *httptest.ResponseRecorder {
	a.t.Helper()
	rec := a.do(method, path, body, token)
	if rec.Code != want {
		a.t.Fatalf("%s %s: %d, want %d: %s", method, path, rec.Code, want, rec.Body.String())
	}
	if out != nil {
		if err := json.Unmarshal(rec.Body.Bytes(), out); err != nil {
			a.t.Fatalf("%s %s: %v", method, path, err)
		}
	}
	return rec
}

type requestJSON struct {
	ID, BuyerID, Status, PaymentID, AcceptedOfferID string
	Delivery                                        struct {
		Kind    string
		Address *struct{ Recipient string }
	}
}

type offerJSON struct{ ID, Status, SellerID, Price string }

type acceptanceJSON struct {
	Request           requestJSON
	Payment           struct{ ID, Amount, Fee, DepositAddress, SellerAddress, BuyerAddress string }
	CheckoutTypedData json.RawMessage
	Checkout          struct {
		Total        string
		Transactions []struct{ Purpose, To, Data string }
	}
}

func requestBodyJSON() map[string]any {
	return map[string]any{"title": "Vintage camera lens", "description": "A 50mm f/1.4 lens", "category": "photo",
		"productType": "physical_product", "budgetMin": "100000000000000000000", "budgetMax": "200000000000000000000",
		"chain": "bsc", "token": "USDT", "delivery": map[string]any{"kind": "physical", "address": map[string]any{
			"recipient": "Secret Recipient", "line1": "1 Hidden St", "city": "Almaty", "country": "KZ"}}}
}

// editBodyJSON is requestBodyJSON as an edit (chain, token and product type stay).
func editBodyJSON() map[string]any {
	b := requestBodyJSON()
	delete(b, "chain")
	delete(b, "token")
	delete(b, "productType")
	b["title"] = "Vintage camera lens, edited"
	return b
}

// fund has the indexer's view of a full deposit land on the payment: it is funded.
func fund(t testing.TB, a *marketAPI, id string) {
	t.Helper()
	ctx := context.Background()
	pid := ledger.ID(uuid.MustParse(id))
	p, err := payment.New(a.owner, nil).Get(ctx, pid)
	if err != nil {
		t.Fatal(err)
	}
	chainSide := payment.New(dbtest.PoolAs(t, db.RoleIndexer), nil)
	ob := payment.Observation{ChainID: p.ChainID, BlockHash: common.BigToHash(big.NewInt(9)), BlockNumber: 9,
		TxHash: common.BigToHash(big.NewInt(time.Now().UnixNano())), Token: p.Token, Amount: p.Amount}
	if _, err := chainSide.Detect(ctx, pid, ob); err != nil {
		t.Fatal(err)
	}
	if p, err = chainSide.Confirm(ctx, pid, ob.TransferID()); err != nil || p.State != payment.Funded {
		t.Fatalf("funding: %v, %v", p, err)
	}
}

// createRequest posts the buyer's request.
func (a *marketAPI) createRequest(buyer auth.Session) requestJSON {
	a.t.Helper()
	var r requestJSON
	a.call("POST", "/v1/marketplace/requests", requestBodyJSON(), buyer.AccessToken, 201, &r)
	return r
}

// signTypedData signs eth_signTypedData_v4 JSON with key, as a wallet does.
func signTypedData(t testing.TB, raw []byte, acct devnet.Account) string {
	t.Helper()
	var td apitypes.TypedData
	if err := json.Unmarshal(raw, &td); err != nil {
		t.Fatalf("typed data %s: %v", raw, err)
	}
	hash, _, err := apitypes.TypedDataAndHash(td)
	if err != nil {
		t.Fatal(err)
	}
	sig, err := crypto.Sign(hash, acct.Key)
	if err != nil {
		t.Fatal(err)
	}
	sig[64] += 27
	return hexutil.Encode(sig)
}

// offer has seller's payout wallet sign the typed data the API gives and makes the offer.
func (a *marketAPI) offer(requestID string, seller auth.Session, payout devnet.Account, price string) offerJSON {
	a.t.Helper()
	id := uuid.New().String()
	terms := map[string]any{"offerId": id, "price": price, "payoutAddress": payout.Address.Hex()}
	rec := a.call("POST", "/v1/marketplace/requests/"+requestID+"/offers/typed-data", terms, seller.AccessToken, 200, nil)
	body := map[string]any{"offerId": id, "price": price, "deliveryDays": 5, "validUntil": time.Now().Add(72 * time.Hour),
		"notes": "ships tomorrow", "payoutAddress": payout.Address.Hex(), "payoutSignature": signTypedData(a.t, rec.Body.Bytes(), payout)}
	var o offerJSON
	a.call("POST", "/v1/marketplace/requests/"+requestID+"/offers", body, seller.AccessToken, 201, &o)
	return o
}

// rev1 is an accept of an offer's first revision.
var rev1 = map[string]any{"revision": 1}

func (a *marketAPI) accept(buyer auth.Session, requestID, offerID string) acceptanceJSON {
	a.t.Helper()
	var acc acceptanceJSON
	a.call("POST", "/v1/marketplace/requests/"+requestID+"/offers/"+offerID+"/accept", rev1, buyer.AccessToken, 201, &acc)
	return acc
}

// The whole deal over HTTP: a buyer's request, two sellers' offers signed by their payout wallets
// from the typed data the API gives, the buyer accepts one and gets its payment and checkout, and
// its wallet signs the checkout; the other offer is rejected.
func TestMarketDealOverHTTP(t *testing.T) {
	a := newMarketAPI(t, nil)
	buyer := a.someone(auth.RoleBuyer)
	s1, s2 := a.someone(auth.RoleSeller), a.someone(auth.RoleSeller)
	r := a.createRequest(buyer)
	if r.Status != "active" || r.BuyerID != buyer.User.ID.String() {
		t.Fatalf("request %+v", r)
	}
	o1 := a.offer(r.ID, s1, devnet.AnvilAccount(2), "150000000000000000000")
	o2 := a.offer(r.ID, s2, devnet.AnvilAccount(3), "140000000000000000000")

	acc := a.accept(buyer, r.ID, o1.ID)
	if acc.Request.Status != "payment" || acc.Payment.Amount != "150000000000000000000" ||
		acc.Payment.Fee != "1500000000000000000" || acc.Payment.SellerAddress != devnet.AnvilAccount(2).Address.Hex() {
		t.Fatalf("acceptance %+v", acc)
	}
	if len(acc.Checkout.Transactions) != 2 || acc.Checkout.Transactions[0].Purpose != "approve" ||
		acc.Checkout.Transactions[1].Purpose != "pay" || acc.Checkout.Total != "151500000000000000000" {
		t.Fatalf("checkout %+v", acc.Checkout)
	}

	wallet := devnet.AnvilAccount(4)
	sig := signTypedData(t, acc.CheckoutTypedData, wallet)
	// Another wallet's claim over this signature, and another buyer, are refused.
	bad := map[string]any{"wallet": devnet.AnvilAccount(5).Address.Hex(), "signature": sig}
	wantCode(t, a.do("POST", "/v1/marketplace/requests/"+r.ID+"/checkout-signature", bad, buyer.AccessToken), 400, "invalid")
	other := a.someone(auth.RoleBuyer)
	good := map[string]any{"wallet": wallet.Address.Hex(), "signature": sig}
	wantCode(t, a.do("POST", "/v1/marketplace/requests/"+r.ID+"/checkout-signature", good, other.AccessToken), 404, "not_found")
	var p struct{ BuyerAddress string }
	a.call("POST", "/v1/marketplace/requests/"+r.ID+"/checkout-signature", good, buyer.AccessToken, 200, &p)
	if p.BuyerAddress != wallet.Address.Hex() {
		t.Fatalf("refund address %q, want %s", p.BuyerAddress, wallet.Address.Hex())
	}

	var offers struct{ Items []offerJSON }
	a.call("GET", "/v1/marketplace/requests/"+r.ID+"/offers", nil, buyer.AccessToken, 200, &offers)
	status := map[string]string{}
	for _, o := range offers.Items {
		status[o.ID] = o.Status
	}
	if status[o1.ID] != "accepted" || status[o2.ID] != "rejected" || len(status) != 2 {
		t.Fatalf("offers after accept: %v", status)
	}
}

// A hundred concurrent accepts over HTTP (on both offers) make one payment: one 201, the rest a
// stable illegal_transition.
func TestMarketConcurrentAcceptsMakeOnePayment(t *testing.T) {
	a := newMarketAPI(t, nil)
	buyer := a.someone(auth.RoleBuyer)
	s1, s2 := a.someone(auth.RoleSeller), a.someone(auth.RoleSeller)
	r := a.createRequest(buyer)
	offers := []string{a.offer(r.ID, s1, devnet.AnvilAccount(2), "150").ID, a.offer(r.ID, s2, devnet.AnvilAccount(3), "140").ID}
	codes := make(chan *httptest.ResponseRecorder, 100)
	start := make(chan struct{})
	for i := range 100 {
		go func() {
			<-start
			codes <- a.do("POST", "/v1/marketplace/requests/"+r.ID+"/offers/"+offers[i%2]+"/accept", rev1, buyer.AccessToken)
		}()
	}
	close(start)
	wins := 0
	for range 100 {
		rec := <-codes
		switch rec.Code {
		case 201:
			wins++
		case 409:
			var b ErrorBody
			if err := json.Unmarshal(rec.Body.Bytes(), &b); err != nil || (b.Error.Code != "illegal_transition" && b.Error.Code != "conflict") {
				t.Errorf("a losing accept: %s", rec.Body.String())
			}
		default:
			t.Errorf("accept: %d %s", rec.Code, rec.Body.String())
		}
	}
	var payments, accepted int
	if err := a.owner.QueryRow(context.Background(), `SELECT count(*) FROM payments WHERE buyer_ref = $1`, buyer.User.ID.String()).Scan(&payments); err != nil {
		t.Fatal(err)
	}
	if err := a.owner.QueryRow(context.Background(), `SELECT count(*) FROM market_offers WHERE request_id = $1 AND status = 'accepted'`, r.ID).Scan(&accepted); err != nil {
		t.Fatal(err)
	}
	if wins != 1 || payments != 1 || accepted != 1 {
		t.Fatalf("wins %d, payments %d, accepted offers %d; want 1 each", wins, payments, accepted)
	}
}

// Illegal transitions answer a stable code, and change nothing.
func TestMarketIllegalTransitionsAnswerStableCodes(t *testing.T) {
	a := newMarketAPI(t, nil)
	buyer := a.someone(auth.RoleBuyer, auth.RoleSeller)
	seller := a.someone(auth.RoleSeller)
	r := a.createRequest(buyer)

	// Offer on one's own request.
	id := uuid.New().String()
	payout := devnet.AnvilAccount(2)
	rec := a.call("POST", "/v1/marketplace/requests/"+r.ID+"/offers/typed-data",
		map[string]any{"offerId": id, "price": "150", "payoutAddress": payout.Address.Hex()}, buyer.AccessToken, 200, nil)
	own := map[string]any{"offerId": id, "price": "150", "deliveryDays": 5, "validUntil": time.Now().Add(time.Hour),
		"payoutAddress": payout.Address.Hex(), "payoutSignature": signTypedData(t, rec.Body.Bytes(), payout)}
	wantCode(t, a.do("POST", "/v1/marketplace/requests/"+r.ID+"/offers", own, buyer.AccessToken), 403, "own_request")

	o := a.offer(r.ID, seller, payout, "150")
	// An accept names the revision it saw: none is a malformed request, another is offer_changed.
	accept := "/v1/marketplace/requests/" + r.ID + "/offers/" + o.ID + "/accept"
	wantCode(t, a.do("POST", accept, nil, buyer.AccessToken), 400, "invalid_request")
	wantCode(t, a.do("POST", accept, map[string]any{"revision": 2}, buyer.AccessToken), 409, "offer_changed")
	acc := a.accept(buyer, r.ID, o.ID)
	// Accept twice, and edit after accepting.
	wantCode(t, a.do("POST", "/v1/marketplace/requests/"+r.ID+"/offers/"+o.ID+"/accept", rev1, buyer.AccessToken), 409, "illegal_transition")
	wantCode(t, a.do("PUT", "/v1/marketplace/requests/"+r.ID, editBodyJSON(), buyer.AccessToken), 409, "illegal_transition")

	// Cancel after the payment was funded (the indexer's view of a full deposit).
	fund(t, a, acc.Payment.ID)
	wantCode(t, a.do("POST", "/v1/marketplace/requests/"+r.ID+"/cancel", nil, buyer.AccessToken), 409, "illegal_transition")
	var got requestJSON
	a.call("GET", "/v1/marketplace/requests/"+r.ID+"/detail", nil, buyer.AccessToken, 200, &struct{ Request *requestJSON }{&got})
	if got.Status != "payment" {
		t.Fatalf("status after refused cancel: %s", got.Status)
	}
}

// Malformed, oversized and forged input is refused before anything is written: the document's
// checks (invalid_request, naming the field) and the domain's (a payout signature by another
// wallet, an offer replayed under a taken id).
func TestMarketBadInputIsRefused(t *testing.T) {
	a := newMarketAPI(t, func(c *market.Config) { c.Moderation = true })
	buyer, seller, admin := a.someone(auth.RoleBuyer), a.someone(auth.RoleSeller), a.someone(auth.RoleAdmin)
	for name, mutate := range map[string]func(map[string]any){
		"body.budgetMax": func(b map[string]any) { b["budgetMax"] = "1.5" },
		"body.title":     func(b map[string]any) { b["title"] = strings.Repeat("x", 201) },
		"body.delivery":  func(b map[string]any) { b["delivery"] = map[string]any{"kind": "teleport"} },
		"body":           func(b map[string]any) { b["buyerId"] = uuid.NewString() },
	} {
		b := requestBodyJSON()
		mutate(b)
		rec := a.do("POST", "/v1/marketplace/requests", b, buyer.AccessToken)
		if e := errorOf(t, rec, 400); e.Error.Code != "invalid_request" || len(e.Error.Fields) == 0 || !strings.HasPrefix(e.Error.Fields[0].Field, name) {
			t.Errorf("%s: %+v", name, e.Error)
		}
	}
	// Moderation holds the request from sellers until an admin publishes it.
	r := a.createRequest(buyer)
	if r.Status != "pending" {
		t.Fatalf("status %s, want pending", r.Status)
	}
	wantCode(t, a.do("GET", "/v1/marketplace/requests/"+r.ID, nil, ""), 404, "not_found")
	a.call("POST", "/v1/marketplace/requests/"+r.ID+"/publish", nil, admin.AccessToken, 200, nil)

	// A payout signature by another wallet than the payout address.
	id := uuid.NewString()
	payout, thief := devnet.AnvilAccount(2), devnet.AnvilAccount(6)
	rec := a.call("POST", "/v1/marketplace/requests/"+r.ID+"/offers/typed-data",
		map[string]any{"offerId": id, "price": "150", "payoutAddress": payout.Address.Hex()}, seller.AccessToken, 200, nil)
	offer := map[string]any{"offerId": id, "price": "150", "deliveryDays": 5, "validUntil": time.Now().Add(time.Hour),
		"payoutAddress": payout.Address.Hex(), "payoutSignature": signTypedData(t, rec.Body.Bytes(), thief)}
	wantCode(t, a.do("POST", "/v1/marketplace/requests/"+r.ID+"/offers", offer, seller.AccessToken), 400, "invalid")
	// The right signature over another price.
	offer["payoutSignature"], offer["price"] = signTypedData(t, rec.Body.Bytes(), payout), "1"
	wantCode(t, a.do("POST", "/v1/marketplace/requests/"+r.ID+"/offers", offer, seller.AccessToken), 400, "invalid")
	// The signed offer, then the same offer again (a replay): one offer.
	offer["price"] = "150"
	a.call("POST", "/v1/marketplace/requests/"+r.ID+"/offers", offer, seller.AccessToken, 201, nil)
	if rec := a.do("POST", "/v1/marketplace/requests/"+r.ID+"/offers", offer, seller.AccessToken); rec.Code != 409 && rec.Code != 400 {
		t.Fatalf("a replayed offer: %d %s", rec.Code, rec.Body.String())
	}
	var offers struct{ Items []offerJSON }
	a.call("GET", "/v1/marketplace/requests/"+r.ID+"/offers", nil, buyer.AccessToken, 200, &offers)
	if len(offers.Items) != 1 {
		t.Fatalf("offers %+v", offers)
	}
}

// The deal after payment over HTTP: the seller of the accepted offer ships (its answer never
// shows the buyer), the buyer says it arrived and sees when the inspection ends, and confirms;
// the wrong party is refused, a second shipment is an illegal transition, a malformed one invalid.
func TestMarketShipDeliverConfirmOverHTTP(t *testing.T) {
	a := newMarketAPI(t, func(c *market.Config) { c.InspectionDays = map[string]int{"photo": 3} })
	buyer, seller := a.someone(auth.RoleBuyer), a.someone(auth.RoleSeller)
	r := a.createRequest(buyer)
	o := a.offer(r.ID, seller, devnet.AnvilAccount(2), "150")
	acc := a.accept(buyer, r.ID, o.ID)
	fund(t, a, acc.Payment.ID)
	follower := market.New(a.owner, payment.New(a.owner, nil), nil, market.DefaultConfig())
	if _, err := follower.Follow(context.Background(), 100); err != nil {
		t.Fatal(err)
	}
	path := "/v1/marketplace/requests/" + r.ID
	wantCode(t, a.do("POST", path+"/ship", map[string]any{"carrier": "DHL"}, seller.AccessToken), 400, "invalid")
	wantCode(t, a.do("POST", path+"/ship", map[string]any{"carrier": "DHL", "tracking": strings.Repeat("9", 101)}, seller.AccessToken), 400, "invalid_request")
	wantCode(t, a.do("POST", path+"/ship", map[string]any{"carrier": "DHL", "tracking": "1", "buyerId": uuid.NewString()}, seller.AccessToken), 400, "invalid_request")
	wantCode(t, a.do("POST", path+"/ship", map[string]any{"carrier": "DHL", "tracking": "1"}, buyer.AccessToken), 403, "refused")

	type dealJSON struct {
		requestJSON
		Shipment         *struct{ Carrier, Tracking string }
		DeliveredAt      *time.Time
		InspectionEndsAt *time.Time
		InspectionDays   int
	}
	var shipped dealJSON
	a.call("POST", path+"/ship", map[string]any{"carrier": "DHL", "tracking": "JD0146000033"}, seller.AccessToken, 200, &shipped)
	if shipped.Status != "delivery" || shipped.Shipment == nil || shipped.Shipment.Tracking != "JD0146000033" || shipped.BuyerID != "" {
		t.Fatalf("shipped, as the seller sees it: %+v", shipped)
	}
	wantCode(t, a.do("POST", path+"/ship", map[string]any{"carrier": "DHL", "tracking": "1"}, seller.AccessToken), 409, "illegal_transition")

	var delivered dealJSON
	a.call("POST", path+"/delivered", nil, buyer.AccessToken, 200, &delivered)
	if delivered.Status != "delivered" || delivered.DeliveredAt == nil || delivered.InspectionEndsAt == nil ||
		delivered.InspectionEndsAt.Sub(*delivered.DeliveredAt) != 72*time.Hour || delivered.InspectionDays != 3 {
		t.Fatalf("delivered: %+v", delivered)
	}
	var d struct{ Request dealJSON }
	a.call("GET", path+"/detail", nil, seller.AccessToken, 200, &d)
	if d.Request.Shipment == nil || d.Request.InspectionEndsAt == nil || d.Request.BuyerID != "" {
		t.Fatalf("the seller's detail: %+v", d.Request)
	}
	wantCode(t, a.do("POST", path+"/confirm", nil, seller.AccessToken), 403, "refused")
	var confirmed dealJSON
	a.call("POST", path+"/confirm", nil, buyer.AccessToken, 200, &confirmed)
	if confirmed.Status != "confirming" || confirmed.BuyerID != buyer.User.ID.String() {
		t.Fatalf("confirmed: %+v", confirmed)
	}
	var jobs int
	if err := a.owner.QueryRow(context.Background(), `SELECT count(*) FROM river_job WHERE kind = 'market_release' AND args->>'request_id' = $1`, r.ID).Scan(&jobs); err != nil || jobs != 1 {
		t.Fatalf("release jobs: %d, %v", jobs, err)
	}
}

// A request's offers come a page at a time (limit, cursor: the convention of every list); the
// pages together hold each offer once, newest first; a malformed cursor is a 400. A budget filter
// without chain and token is refused: amounts of different tokens do not compare.
func TestMarketOffersListPages(t *testing.T) {
	a := newMarketAPI(t, nil)
	buyer := a.someone(auth.RoleBuyer)
	r := a.createRequest(buyer)
	made := map[string]bool{}
	for i := range 3 {
		o := a.offer(r.ID, a.someone(auth.RoleSeller), devnet.AnvilAccount(2+i), "150")
		made[o.ID] = true
	}
	seen := map[string]bool{}
	cursor := ""
	for pages := 0; ; pages++ {
		if pages > 3 {
			t.Fatal("more pages than offers")
		}
		path := "/v1/marketplace/requests/" + r.ID + "/offers?limit=2"
		if cursor != "" {
			path += "&cursor=" + cursor
		}
		var page struct {
			Items      []offerJSON
			NextCursor *string
		}
		a.call("GET", path, nil, buyer.AccessToken, 200, &page)
		if len(page.Items) == 0 || len(page.Items) > 2 {
			t.Fatalf("page %d has %d offers", pages, len(page.Items))
		}
		for _, o := range page.Items {
			if seen[o.ID] || !made[o.ID] {
				t.Fatalf("offer %s repeated or unknown", o.ID)
			}
			seen[o.ID] = true
		}
		if page.NextCursor == nil {
			break
		}
		cursor = *page.NextCursor
	}
	if len(seen) != 3 {
		t.Fatalf("the pages held %d offers, want 3", len(seen))
	}
	wantCode(t, a.do("GET", "/v1/marketplace/requests/"+r.ID+"/offers?cursor=bogus", nil, buyer.AccessToken), 400, "invalid_request")
	wantCode(t, a.do("GET", "/v1/marketplace/requests?budgetMin=1", nil, ""), 400, "invalid")
	wantCode(t, a.do("GET", "/v1/marketplace/requests?budgetMin=1&chain=bsc", nil, ""), 400, "invalid")
	a.call("GET", "/v1/marketplace/requests?budgetMin=1&chain=bsc&token=USDT", nil, "", 200, nil)
}

// auditedMarketAPI is the marketplace (moderation on) with the admin audit written through
// auditPool's role.
func auditedMarketAPI(t *testing.T, auditPool func(api *pgxpool.Pool) *pgxpool.Pool) *marketAPI {
	t.Helper()
	d, err := hd.ParseXpub(anvilXpub)
	if err != nil {
		t.Fatal(err)
	}
	c := market.DefaultConfig()
	c.FeeAddress, c.Moderation = devnet.AnvilAccount(9).Address, true
	a := buildTestAPI(t, func(pool *pgxpool.Pool, deps *Deps) {
		deps.Market = market.New(pool, payment.New(pool, d), chain.DefaultRegistry(), c)
		deps.Admin = admin.New(auditPool(pool), admin.Config{})
	})
	return &marketAPI{testAPI: a, owner: dbtest.Pool(t)}
}

// auditRows are the admin audit's rows about target, oldest first: "operation user status outcome".
func (a *marketAPI) auditRows(target string) []string {
	a.t.Helper()
	rows, err := a.owner.Query(context.Background(), `SELECT operation || ' ' || coalesce(user_id::text, '-') || ' ' || status || ' ' || outcome
		FROM admin_audit WHERE target = $1 ORDER BY id`, target)
	if err != nil {
		a.t.Fatal(err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		a.t.Fatal(err)
	}
	return out
}

// What an admin does through the marketplace's routes is audited like /v1/admin: publishing and
// an admin's cancel each leave a "started" row before they run and their outcome's row before the
// answer; a buyer's own writes are not admin actions and leave none.
func TestMarketAdminActionsAreAudited(t *testing.T) {
	a := auditedMarketAPI(t, func(api *pgxpool.Pool) *pgxpool.Pool { return api })
	buyer, adm := a.someone(auth.RoleBuyer), a.someone(auth.RoleAdmin)
	r := a.createRequest(buyer)
	a.call("POST", "/v1/marketplace/requests/"+r.ID+"/publish", nil, adm.AccessToken, 200, nil)
	a.call("POST", "/v1/marketplace/requests/"+r.ID+"/cancel", nil, adm.AccessToken, 200, nil)
	wantCode(t, a.do("POST", "/v1/marketplace/requests/"+r.ID+"/cancel", nil, adm.AccessToken), 409, "illegal_transition")
	id := adm.User.ID.String()
	want := []string{
		"publishMarketRequest " + id + " 102 started", "publishMarketRequest " + id + " 200 ok",
		"cancelMarketRequest " + id + " 102 started", "cancelMarketRequest " + id + " 200 ok",
		"cancelMarketRequest " + id + " 102 started", "cancelMarketRequest " + id + " 409 illegal_transition",
	}
	if got := a.auditRows("requestId=" + r.ID); !slices.Equal(got, want) {
		t.Fatalf("audit rows:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	mine := a.createRequest(buyer)
	a.call("POST", "/v1/marketplace/requests/"+mine.ID+"/cancel", nil, buyer.AccessToken, 200, nil)
	if got := a.auditRows("requestId=" + mine.ID); len(got) != 0 {
		t.Fatalf("a buyer's own cancel is audited: %v", got)
	}
}

// An admin action cannot succeed without its audit row: when the audit cannot be written (here
// its role may not insert), the call is refused (503 unavailable) before it runs.
func TestMarketAdminActionsNeedTheirAuditRow(t *testing.T) {
	a := auditedMarketAPI(t, func(*pgxpool.Pool) *pgxpool.Pool { return dbtest.PoolAs(t, db.RoleWorker) })
	buyer, adm := a.someone(auth.RoleBuyer), a.someone(auth.RoleAdmin)
	r := a.createRequest(buyer)
	wantCode(t, a.do("POST", "/v1/marketplace/requests/"+r.ID+"/publish", nil, adm.AccessToken), 503, "unavailable")
	var got requestJSON
	a.call("GET", "/v1/marketplace/requests/"+r.ID+"/detail", nil, buyer.AccessToken, 200, &struct{ Request *requestJSON }{&got})
	if got.Status != "pending" {
		t.Fatalf("an unaudited publish ran: the request is %s", got.Status)
	}
}

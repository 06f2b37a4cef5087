package api

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/amanat/amn/auth"
	"github.com/amanat/amn/chain"
	"github.com/amanat/amn/db"
	"github.com/amanat/amn/db/dbtest"
	"github.com/amanat/amn/devnet"
	"github.com/amanat/amn/dispute"
	"github.com/amanat/amn/hd"
	"github.com/amanat/amn/ledger"
	"github.com/amanat/amn/market"
	"github.com/amanat/amn/payment"
	"github.com/amanat/amn/payment/paymenttest"
	"github.com/amanat/amn/upload"
	"github.com/amanat/amn/upload/uploadtest"
)

// disputeAPI is the router with the marketplace, uploads and disputes on one amn_api pool.
type disputeAPI struct {
	*marketAPI
	files *upload.Service
}

func newDisputeAPI(t *testing.T) *disputeAPI {
	t.Helper()
	d, err := hd.ParseXpub(anvilXpub)
	if err != nil {
		t.Fatal(err)
	}
	_, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	out := &disputeAPI{}
	a := buildTestAPI(t, func(pool *pgxpool.Pool, deps *Deps) {
		c := market.DefaultConfig()
		c.FeeAddress = devnet.AnvilAccount(9).Address
		pays := payment.New(pool, d)
		deps.Market = market.New(pool, pays, chain.DefaultRegistry(), c)
		out.files = upload.New(pool, upload.Disk{Root: t.TempDir()}, upload.DefaultConfig())
		deps.Uploads = out.files
		cfg := dispute.DefaultConfig()
		cfg.BundleKey = key
		deps.Disputes = dispute.New(pool, cfg, deps.Market, pays).WithFiles(out.files).WithAccounts(deps.Auth)
		out.files.WithRule(upload.KindEvidence, deps.Disputes.EvidenceRule)
	})
	out.marketAPI = &marketAPI{testAPI: a, owner: dbtest.Pool(t)}
	return out
}

// dealInEscrow is a paid deal whose money is in escrow: its request is processing.
func (a *disputeAPI) dealInEscrow(buyer, seller auth.Session) (requestID string, paymentID ledger.ID) {
	a.t.Helper()
	ctx := context.Background()
	r := a.createRequest(buyer)
	o := a.offer(r.ID, seller, devnet.AnvilAccount(2), "150")
	acc := a.accept(buyer, r.ID, o.ID)
	pid := ledger.ID(uuid.MustParse(acc.Payment.ID))
	p, err := payment.New(a.owner, nil).Get(ctx, pid)
	if err != nil {
		a.t.Fatal(err)
	}
	paymenttest.ProveBuyer(a.t, payment.New(dbtest.PoolAs(a.t, db.RoleAPI), nil), p, paymenttest.Buyer())
	fund(a.t, a.marketAPI, acc.Payment.ID)
	if _, err := market.New(a.owner, payment.New(a.owner, nil), nil, market.DefaultConfig()).Follow(ctx, 100); err != nil {
		a.t.Fatal(err)
	}
	if _, err := payment.New(dbtest.PoolAs(a.t, db.RoleWorker), nil).StartSweep(ctx, pid); err != nil {
		a.t.Fatal(err)
	}
	indexer := payment.New(dbtest.PoolAs(a.t, db.RoleIndexer), nil)
	if p, err = indexer.Get(ctx, pid); err != nil {
		a.t.Fatal(err)
	}
	if p, err = indexer.Swept(ctx, pid, paymenttest.OwnSweep(p)); err != nil || p.State != payment.InEscrow {
		a.t.Fatalf("swept: %v %v", p, err)
	}
	return r.ID, pid
}

type disputeJSON struct {
	ID, Status, Opener, Reason, Amount, ConversationID, PendingHash string
	Resolution                                                      *string
	Pending                                                         *struct{ Outcome string }
	Proposal                                                        *struct {
		ID                                string
		Outcome                           string
		BuyerAcceptedAt, SellerAcceptedAt *string
	}
	Entries []struct {
		Seq        int
		Kind, Hash string
	}
}

// TestDisputeOverHTTP: a buyer opens a case, a stranger can neither read nor act on it, the
// seller cannot attach the buyer's upload, the seller's proposal is the seller's acceptance only
// and accepting twice is refused, the buyer accepts, an admin resolves (one suffices: both agreed
// on a small amount), the payment awaits its refund, and the exported bundle verifies with the
// served key.
func TestDisputeOverHTTP(t *testing.T) {
	a := newDisputeAPI(t)
	buyer, seller := a.someone(auth.RoleBuyer), a.someone(auth.RoleSeller)
	stranger, adm := a.someone(auth.RoleBuyer, auth.RoleSeller), a.someone(auth.RoleAdmin)
	requestID, pid := a.dealInEscrow(buyer, seller)

	open := map[string]any{"requestId": requestID, "reason": "not_received", "statement": "Nothing arrived."}
	wantCode(t, a.do("POST", "/v1/disputes", open, stranger.AccessToken), 404, "not_found")
	wantCode(t, a.do("POST", "/v1/disputes", map[string]any{"requestId": requestID, "reason": "payment_problem", "statement": "x"},
		buyer.AccessToken), 400, "invalid")
	wantCode(t, a.do("POST", "/v1/disputes", map[string]any{"requestId": requestID, "reason": "not_received"}, buyer.AccessToken), 400, "invalid_request")
	var c disputeJSON
	a.call("POST", "/v1/disputes", open, buyer.AccessToken, 201, &c)
	if c.Status != "open" || c.Opener != "buyer" || c.Amount != "150" || len(c.Entries) != 1 || c.Entries[0].Kind != "opened" {
		t.Fatalf("opened: %+v", c)
	}
	path := "/v1/disputes/" + c.ID

	// A stranger: 404 everywhere; a party on an admin route: 403.
	wantCode(t, a.do("GET", path, nil, stranger.AccessToken), 404, "not_found")
	wantCode(t, a.do("POST", path+"/evidence", map[string]any{"statement": "me"}, stranger.AccessToken), 404, "not_found")
	wantCode(t, a.do("POST", path+"/proposals", map[string]any{"outcome": "refund"}, stranger.AccessToken), 404, "not_found")
	wantCode(t, a.do("GET", path+"/bundle", nil, stranger.AccessToken), 404, "not_found")
	wantCode(t, a.do("POST", "/v1/admin/disputes/"+c.ID+"/resolve", map[string]any{"outcome": "refund"}, buyer.AccessToken), 403, "forbidden")
	var mine struct{ Items []disputeJSON }
	a.call("GET", "/v1/disputes", nil, stranger.AccessToken, 200, &mine)
	if len(mine.Items) != 0 {
		t.Fatalf("a stranger lists %d disputes", len(mine.Items))
	}

	// Evidence: the buyer's own upload; the seller cannot attach it.
	u, err := a.files.Put(context.Background(), upload.Caller{UserID: buyer.User.ID}, bytes.NewReader(uploadtest.PNG(t, uploadtest.Image(20, 20))))
	if err != nil {
		t.Fatal(err)
	}
	wantCode(t, a.do("POST", path+"/evidence", map[string]any{"uploadId": u.ID}, seller.AccessToken), 404, "not_found")
	a.call("POST", path+"/evidence", map[string]any{"uploadId": u.ID}, buyer.AccessToken, 200, &c)
	if _, err := a.files.Get(context.Background(), upload.Caller{UserID: seller.User.ID}, u.ID); err != nil {
		t.Fatalf("the seller cannot read the evidence: %v", err)
	}
	if _, err := a.files.Get(context.Background(), upload.Caller{UserID: stranger.User.ID}, u.ID); err == nil {
		t.Fatal("a stranger reads the evidence")
	}

	// The seller proposes a refund: its own acceptance only.
	a.call("POST", path+"/proposals", map[string]any{"outcome": "refund", "note": "fine"}, seller.AccessToken, 200, &c)
	if c.Status != "proposed" || c.Proposal == nil || c.Proposal.SellerAcceptedAt == nil || c.Proposal.BuyerAcceptedAt != nil {
		t.Fatalf("proposed: %+v", c.Proposal)
	}
	accept := path + "/proposals/" + c.Proposal.ID + "/accept"
	wantCode(t, a.do("POST", accept, nil, seller.AccessToken), 409, "conflict")
	wantCode(t, a.do("POST", accept, nil, stranger.AccessToken), 404, "not_found")
	a.call("POST", accept, nil, buyer.AccessToken, 200, &c)
	wantCode(t, a.do("POST", accept, nil, buyer.AccessToken), 409, "conflict")

	a.call("POST", "/v1/admin/disputes/"+c.ID+"/resolve", map[string]any{"outcome": "refund", "note": "fine"}, adm.AccessToken, 200, &c)
	if c.Status != "resolved" || c.Resolution == nil || *c.Resolution != "refund" {
		t.Fatalf("resolved: %+v", c)
	}
	if p, err := payment.New(a.owner, nil).Get(context.Background(), pid); err != nil || p.State != payment.RefundPending {
		t.Fatalf("payment: %v %v", p, err)
	}
	wantCode(t, a.do("POST", path+"/evidence", map[string]any{"statement": "late"}, buyer.AccessToken), 409, "illegal_transition")

	// The bundle, checked with the key the API serves.
	var key struct{ Algorithm, PublicKey string }
	a.call("GET", "/v1/dispute-bundle-key", nil, "", 200, &key)
	pub, err := base64.StdEncoding.DecodeString(key.PublicKey)
	if err != nil || key.Algorithm != "Ed25519" {
		t.Fatal(key, err)
	}
	rec := a.call("GET", path+"/bundle", nil, seller.AccessToken, 200, nil)
	v, err := dispute.VerifyBundle(rec.Body.Bytes(), pub)
	if err != nil || v.Case.Entries != len(c.Entries) || v.Case.Head != c.Entries[len(c.Entries)-1].Hash {
		t.Fatalf("bundle: %+v %v", v, err)
	}
	a.call("GET", "/v1/disputes", nil, buyer.AccessToken, 200, &mine)
	if len(mine.Items) != 1 || mine.Items[0].ID != c.ID {
		t.Fatalf("the buyer's disputes: %+v", mine.Items)
	}
	var all struct{ Items []disputeJSON }
	a.call("GET", "/v1/admin/disputes?status=resolved", nil, adm.AccessToken, 200, &all)
	if len(all.Items) != 1 || all.Items[0].ID != c.ID {
		t.Fatalf("the admin's list: %+v", all.Items)
	}
	a.call("GET", "/v1/admin/disputes?status=open", nil, adm.AccessToken, 200, &all)
	if len(all.Items) != 0 {
		t.Fatalf("open disputes: %+v", all.Items)
	}
	wantCode(t, a.do("GET", "/v1/admin/disputes", nil, buyer.AccessToken), 403, "forbidden")
}

// TestBannedSellerIsRefusedOverHTTP: ban_seller asked by one admin and approved by another; the
// seller's token is then refused, offers included, and no new session starts.
func TestBannedSellerIsRefusedOverHTTP(t *testing.T) {
	a := newDisputeAPI(t)
	buyer, seller := a.someone(auth.RoleBuyer), a.someone(auth.RoleSeller)
	a1, a2 := a.someone(auth.RoleAdmin), a.someone(auth.RoleAdmin)
	requestID, _ := a.dealInEscrow(buyer, seller)
	var c disputeJSON
	a.call("POST", "/v1/disputes", map[string]any{"requestId": requestID, "reason": "not_as_described", "statement": "A fake."}, buyer.AccessToken, 201, &c)
	wantCode(t, a.do("POST", "/v1/disputes/"+c.ID+"/proposals", map[string]any{"outcome": "ban_seller"}, buyer.AccessToken), 403, "refused")
	a.call("POST", "/v1/admin/disputes/"+c.ID+"/resolve", map[string]any{"outcome": "ban_seller", "note": "counterfeit"}, a1.AccessToken, 200, &c)
	if c.Status == "resolved" || c.Pending == nil {
		t.Fatalf("one admin banned: %+v", c)
	}
	approve := "/v1/admin/disputes/" + c.ID + "/approve"
	asked := c.PendingHash
	if len(asked) != 64 {
		t.Fatalf("no pendingHash to approve: %+v", c)
	}
	wantCode(t, a.do("POST", approve, nil, a2.AccessToken), 400, "invalid_request")
	wantCode(t, a.do("POST", approve, map[string]any{"approvalHash": asked}, a1.AccessToken), 403, "refused")
	// a1 asks again (the same ban, another note): the one a2 reviewed is stale, 409.
	a.call("POST", "/v1/admin/disputes/"+c.ID+"/resolve", map[string]any{"outcome": "ban_seller", "note": "counterfeit, twice"}, a1.AccessToken, 200, &c)
	wantCode(t, a.do("POST", approve, map[string]any{"approvalHash": asked}, a2.AccessToken), 409, "conflict")
	a.call("POST", approve, map[string]any{"approvalHash": c.PendingHash}, a2.AccessToken, 200, &c)
	if c.Status != "resolved" || c.Resolution == nil || *c.Resolution != "ban_seller" {
		t.Fatalf("approved: %+v", c)
	}
	other := a.createRequest(buyer)
	// The ban revoked the seller's sessions: its token no longer signs anything in, offers included.
	wantCode(t, a.do("GET", "/v1/disputes", nil, seller.AccessToken), 401, "unauthenticated")
	wantCode(t, a.do("POST", "/v1/marketplace/requests/"+other.ID+"/offers", map[string]any{"offerId": uuid.NewString()}, seller.AccessToken),
		401, "unauthenticated")
	if _, err := a.auth.StartSession(context.Background(), seller.User.ID, auth.MethodPassword, auth.Client{}); !errors.Is(err, auth.ErrBanned) {
		t.Fatalf("the banned seller signs in: %v", err)
	}
}

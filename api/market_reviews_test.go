package api

import (
	"context"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/amanat/amn/api/openapi"
	"github.com/amanat/amn/auth"
	"github.com/amanat/amn/db"
	"github.com/amanat/amn/db/dbtest"
	"github.com/amanat/amn/devnet"
	"github.com/amanat/amn/ledger"
	"github.com/amanat/amn/market"
	"github.com/amanat/amn/payment"
	"github.com/amanat/amn/payment/paymenttest"
)

// finishedDeal is a deal played over HTTP to its end: a buyer's request, the seller's offer
// accepted over the loser's, the checkout signed, then (as the chain side would) funded, swept
// into the escrow, released, and followed by the worker: completed.
type finishedDeal struct {
	buyer, seller, loser auth.Session
	request              requestJSON
	paymentID            string
}

func (a *marketAPI) finishedDeal() finishedDeal {
	a.t.Helper()
	t, ctx := a.t, context.Background()
	d := finishedDeal{buyer: a.someone(auth.RoleBuyer), seller: a.someone(auth.RoleSeller), loser: a.someone(auth.RoleSeller)}
	d.request = a.createRequest(d.buyer)
	o := a.offer(d.request.ID, d.seller, devnet.AnvilAccount(2), "150000000")
	a.offer(d.request.ID, d.loser, devnet.AnvilAccount(3), "140000000")
	acc := a.accept(d.buyer, d.request.ID, o.ID)
	d.paymentID = acc.Payment.ID
	wallet := devnet.AnvilAccount(4)
	a.call("POST", "/v1/marketplace/requests/"+d.request.ID+"/checkout-signature",
		map[string]any{"wallet": wallet.Address.Hex(), "signature": signTypedData(t, acc.CheckoutTypedData, wallet)}, d.buyer.AccessToken, 200, nil)
	fund(t, a, d.paymentID)
	pid := ledger.ID(uuid.MustParse(d.paymentID))
	indexer, worker := payment.New(dbtest.PoolAs(t, db.RoleIndexer), nil), dbtest.PoolAs(t, db.RoleWorker)
	if _, err := payment.New(worker, nil).StartSweep(ctx, pid); err != nil {
		t.Fatal(err)
	}
	p, err := indexer.Get(ctx, pid)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := indexer.Swept(ctx, pid, paymenttest.OwnSweep(p)); err != nil {
		t.Fatal(err)
	}
	if _, err := indexer.Released(ctx, pid); err != nil {
		t.Fatal(err)
	}
	if _, err := market.New(worker, payment.New(worker, nil), nil, market.DefaultConfig()).Follow(ctx, 500); err != nil {
		t.Fatal(err)
	}
	var got struct{ Request requestJSON }
	a.call("GET", "/v1/marketplace/requests/"+d.request.ID+"/detail", nil, d.buyer.AccessToken, 200, &got)
	if got.Request.Status != "completed" {
		t.Fatalf("the deal ended %s", got.Request.Status)
	}
	return d
}

// Both parties review a completed deal once over HTTP; the profile shows the seller's rating to
// anyone without personal data; the other seller, a third user and an anonymous caller can
// neither write, edit nor read the deal's reviews; bad ratings and text are refused.
func TestMarketReviewsOverHTTP(t *testing.T) {
	a := newMarketAPI(t, nil)
	d := a.finishedDeal()
	third, admin := a.someone(auth.RoleBuyer), a.someone(auth.RoleAdmin)
	reviews := "/v1/marketplace/requests/" + d.request.ID + "/reviews"

	// Before anything is written: bad input is refused by the document.
	for name, body := range map[string]map[string]any{
		"rating 0": {"rating": 0}, "rating 6": {"rating": 6}, "no rating": {"text": "hi"},
		"2001 characters": {"rating": 5, "text": strings.Repeat("ж", 2001)}, "an extra field": {"rating": 5, "subjectId": uuid.NewString()},
	} {
		if e := errorOf(t, a.do("POST", reviews, body, d.buyer.AccessToken), 400); e.Error.Code != "invalid_request" {
			t.Errorf("%s: %+v", name, e.Error)
		}
	}

	var mine openapi.MarketReview
	a.call("POST", reviews, map[string]any{"rating": 4, "text": "Good lens"}, d.buyer.AccessToken, 201, &mine)
	if mine.SubjectId != d.seller.User.ID || mine.SubjectSide != openapi.ReviewSide("seller") || mine.Rating != 4 {
		t.Fatalf("the buyer's review %+v", mine)
	}
	wantCode(t, a.do("POST", reviews, map[string]any{"rating": 1}, d.buyer.AccessToken), 409, "review_exists")
	a.call("POST", reviews, map[string]any{"rating": 5, "text": "Paid at once"}, d.seller.AccessToken, 201, nil)
	a.call("PUT", reviews+"/mine", map[string]any{"rating": 5, "text": "Great lens"}, d.buyer.AccessToken, 200, &mine)
	if mine.Rating != 5 || mine.Text != "Great lens" {
		t.Fatalf("the edited review %+v", mine)
	}

	for _, who := range []struct {
		name, token string
		status      int
	}{{"the rejected seller", d.loser.AccessToken, 404}, {"a third user", third.AccessToken, 404}, {"anonymous", "", 401}} {
		for _, c := range []struct{ method, path string }{{"POST", reviews}, {"PUT", reviews + "/mine"}, {"GET", reviews}} {
			rec := a.do(c.method, c.path, map[string]any{"rating": 1, "text": "forged"}, who.token)
			if c.method == "GET" {
				rec = a.do(c.method, c.path, nil, who.token)
			}
			if e := errorOf(t, rec, who.status); strings.Contains(rec.Body.String(), "Great lens") || e.Error.Code == "" {
				t.Errorf("%s %s as %s: %s", c.method, c.path, who.name, rec.Body.String())
			}
		}
	}
	for _, who := range []auth.Session{d.buyer, d.seller, admin} {
		var list openapi.MarketReviewList
		a.call("GET", reviews, nil, who.AccessToken, 200, &list)
		if len(list.Items) != 2 || list.Items[0].Rating+list.Items[1].Rating != 10 {
			t.Fatalf("the reviews as %s: %+v", who.User.ID, list)
		}
	}

	// 14 days on, the review is fixed: review_locked, and it stays.
	if _, err := a.owner.Exec(context.Background(), `UPDATE market_reviews SET created_at = created_at - interval '14 days 1 minute'
		WHERE request_id = $1 AND author_id = $2`, d.request.ID, d.buyer.User.ID); err != nil {
		t.Fatal(err)
	}
	wantCode(t, a.do("PUT", reviews+"/mine", map[string]any{"rating": 1, "text": "changed my mind"}, d.buyer.AccessToken), 403, "review_locked")

	// The public profile: ratings in tenths, the reviews, no email; paged.
	var prof openapi.UserProfile
	a.call("GET", "/v1/users/"+d.seller.User.ID.String()+"/profile?limit=1", nil, "", 200, &prof)
	if prof.Id != d.seller.User.ID || prof.SellerRating.Reviews != 1 || prof.SellerRating.Tenths != 50 ||
		prof.SellerRating.Average == nil || *prof.SellerRating.Average != "5.0" || prof.BuyerRating.Reviews != 0 ||
		prof.BuyerRating.Average != nil || len(prof.Reviews) != 1 || prof.Reviews[0].Text != "Great lens" || prof.NextCursor != nil {
		t.Fatalf("the seller's profile %+v", prof)
	}
	rec := a.do("GET", "/v1/users/"+d.buyer.User.ID.String()+"/profile", nil, "")
	body := strings.ToLower(rec.Body.String())
	for _, secret := range []string{"@example.com", "secret recipient", "hidden st", d.request.ID, d.paymentID, "email", "roles"} {
		if strings.Contains(body, strings.ToLower(secret)) {
			t.Errorf("the profile leaks %q: %s", secret, rec.Body.String())
		}
	}
	if !strings.Contains(rec.Body.String(), `"tenths":50`) {
		t.Errorf("the buyer's profile lacks their rating: %s", rec.Body.String())
	}
	wantCode(t, a.do("GET", "/v1/users/"+uuid.NewString()+"/profile", nil, ""), 404, "not_found")
	wantCode(t, a.do("GET", "/v1/users/"+d.seller.User.ID.String()+"/profile?cursor=bogus", nil, ""), 400, "invalid_request")
}

// A deal that is not finished cannot be reviewed: not_reviewable.
func TestMarketReviewOfAnUnfinishedDeal(t *testing.T) {
	a := newMarketAPI(t, nil)
	s := newMarketScene(a)
	wantCode(t, a.do("POST", "/v1/marketplace/requests/"+s.accepted.ID+"/reviews", map[string]any{"rating": 5}, s.buyer.AccessToken), 409, "not_reviewable")
	wantCode(t, a.do("POST", "/v1/marketplace/requests/"+s.accepted.ID+"/reviews", map[string]any{"rating": 5}, s.seller.AccessToken), 409, "not_reviewable")
	wantCode(t, a.do("POST", "/v1/marketplace/requests/"+s.open.ID+"/reviews", map[string]any{"rating": 5}, s.buyer.AccessToken), 409, "not_reviewable")
	wantCode(t, a.do("PUT", "/v1/marketplace/requests/"+s.accepted.ID+"/reviews/mine", map[string]any{"rating": 5}, s.buyer.AccessToken), 404, "not_found")
}

// GET /v1/payments/{id}: the parties and admins read it, with amounts equal to payment's own
// reads; anyone else gets not_found, like an unknown id.
func TestPaymentViewOverHTTP(t *testing.T) {
	a := newMarketAPI(t, nil)
	d := a.finishedDeal()
	third, admin := a.someone(auth.RoleBuyer), a.someone(auth.RoleAdmin)
	path := "/v1/payments/" + d.paymentID
	p, err := payment.New(a.owner, nil).Get(context.Background(), ledger.ID(uuid.MustParse(d.paymentID)))
	if err != nil {
		t.Fatal(err)
	}
	for _, who := range []auth.Session{d.buyer, d.seller, admin} {
		var v openapi.PaymentView
		a.call("GET", path, nil, who.AccessToken, 200, &v)
		am := v.Amounts
		if v.State != "released" || v.RequestId == nil || v.RequestId.String() != d.request.ID || am.Amount != p.Amount.String() ||
			am.Fee != p.Fee.String() || am.Commission != p.Commission.String() || am.Received != p.Received.String() ||
			am.Swept != p.Received.String() || am.InEscrow != "0" || am.Released != p.SellerAmount().String() ||
			am.CommissionTaken != p.Commission.String() || am.Refunded != "0" || am.Pending != "0" {
			t.Fatalf("the payment as %s: %+v", who.User.ID, v)
		}
		if v.DepositAddress != p.Deposit.Hex() || v.Reference != p.Reference.String() || v.SellerAddress != devnet.AnvilAccount(2).Address.Hex() ||
			v.BuyerAddress == nil || *v.BuyerAddress != devnet.AnvilAccount(4).Address.Hex() || len(v.Deposits) != 1 ||
			v.Deposits[0].State != "final" || len(v.Timeline) < 5 || v.Timeline[len(v.Timeline)-1].To != "released" {
			t.Fatalf("the payment as %s: %+v", who.User.ID, v)
		}
	}
	var det struct{ Request requestJSON }
	a.call("GET", "/v1/marketplace/requests/"+d.request.ID+"/detail", nil, d.seller.AccessToken, 200, &det)
	if det.Request.PaymentID != d.paymentID {
		t.Fatalf("the seller's detail lacks the payment: %+v", det)
	}
	for _, who := range []struct {
		name, token string
		status      int
		code        string
	}{{"the rejected seller", d.loser.AccessToken, 404, "not_found"}, {"a third user", third.AccessToken, 404, "not_found"},
		{"anonymous", "", 401, "unauthenticated"}} {
		wantCode(t, a.do("GET", path, nil, who.token), who.status, who.code)
	}
	wantCode(t, a.do("GET", "/v1/payments/"+uuid.NewString(), nil, d.buyer.AccessToken), 404, "not_found")
	wantCode(t, a.do("GET", "/v1/payments/"+uuid.NewString(), nil, admin.AccessToken), 404, "not_found")
	wantCode(t, a.do("GET", "/v1/payments/not-a-uuid", nil, d.buyer.AccessToken), 400, "invalid_request")
}

// A cancelled deal's seller is out of it: after the buyer cancels (the accepted offer becomes
// rejected, the request keeps its accepted_offer and payment), the ex-seller gets not_found on
// the payment, like anyone else; the buyer still reads it.
func TestCancelledDealSellerCannotReadThePayment(t *testing.T) {
	a := newMarketAPI(t, nil)
	buyer, seller := a.someone(auth.RoleBuyer), a.someone(auth.RoleSeller)
	r := a.createRequest(buyer)
	o := a.offer(r.ID, seller, devnet.AnvilAccount(2), "150")
	acc := a.accept(buyer, r.ID, o.ID)
	path := "/v1/payments/" + acc.Payment.ID
	a.call("GET", path, nil, seller.AccessToken, 200, nil)
	a.call("POST", "/v1/marketplace/requests/"+r.ID+"/cancel", nil, buyer.AccessToken, 200, nil)
	wantCode(t, a.do("GET", path, nil, seller.AccessToken), 404, "not_found")
	a.call("GET", path, nil, buyer.AccessToken, 200, nil)
}

// The public profile's review cursor reveals no request: it decodes to a time and the author
// (shown anyway), and the next page follows from it.
func TestProfileReviewCursorNamesNoRequest(t *testing.T) {
	a := newMarketAPI(t, nil)
	d1, d2 := a.finishedDeal(), a.finishedDeal()
	subject := d1.seller.User.ID
	for i, d := range []finishedDeal{d1, d2} {
		if _, err := a.owner.Exec(context.Background(), `INSERT INTO market_reviews (request_id, author_id, subject_id, rating, body, created_at, updated_at)
			VALUES ($1, $2, $3, 5, 'fine', now() - make_interval(mins => $4), now())`, d.request.ID, d.buyer.User.ID, subject, i); err != nil {
			t.Fatal(err)
		}
	}
	var first, second openapi.UserProfile
	a.call("GET", "/v1/users/"+subject.String()+"/profile?limit=1", nil, "", 200, &first)
	if len(first.Reviews) != 1 || first.NextCursor == nil || first.Reviews[0].AuthorId != d1.buyer.User.ID {
		t.Fatalf("first page %+v", first)
	}
	raw, err := base64.RawURLEncoding.DecodeString(*first.NextCursor)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{d1.request.ID, d2.request.ID} {
		if strings.Contains(string(raw), id) {
			t.Fatalf("the cursor %q names request %s", raw, id)
		}
	}
	a.call("GET", "/v1/users/"+subject.String()+"/profile?limit=1&cursor="+*first.NextCursor, nil, "", 200, &second)
	if len(second.Reviews) != 1 || second.Reviews[0].AuthorId != d2.buyer.User.ID || second.NextCursor != nil {
		t.Fatalf("second page %+v", second)
	}
}

package api

import (
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/amanat/amn/auth"
	"github.com/amanat/amn/devnet"
)

// marketScene is one buyer's open request with a seller's live offer, another request of theirs
// accepted (its payment awaiting money), and that seller's template: what other users must not
// reach or see.
type marketScene struct {
	buyer, seller        auth.Session
	open, accepted       requestJSON
	offer, acceptedOffer offerJSON
	paymentID, template  string
}

func newMarketScene(a *marketAPI) marketScene {
	a.t.Helper()
	s := marketScene{buyer: a.someone(auth.RoleBuyer), seller: a.someone(auth.RoleSeller)}
	payout := devnet.AnvilAccount(2)
	s.open = a.createRequest(s.buyer)
	s.offer = a.offer(s.open.ID, s.seller, payout, "150")
	s.accepted = a.createRequest(s.buyer)
	s.acceptedOffer = a.offer(s.accepted.ID, s.seller, payout, "160")
	s.paymentID = a.accept(s.buyer, s.accepted.ID, s.acceptedOffer.ID).Payment.ID
	s.template = a.template(s.seller, payout, "500")
	return s
}

// template creates seller's template, its terms signed by the payout wallet.
func (a *marketAPI) template(seller auth.Session, payout devnet.Account, price string) string {
	a.t.Helper()
	id := uuid.NewString()
	terms := map[string]any{"templateId": id, "chain": "bsc", "token": "USDT", "price": price, "payoutAddress": payout.Address.Hex()}
	rec := a.call("POST", "/v1/marketplace/templates/typed-data", terms, seller.AccessToken, 200, nil)
	body := map[string]any{"templateId": id, "title": "Logo design", "category": "design", "productType": "service",
		"chain": "bsc", "token": "USDT", "price": price, "deliveryDays": 3, "payoutAddress": payout.Address.Hex(),
		"payoutSignature": signTypedData(a.t, rec.Body.Bytes(), payout)}
	a.call("POST", "/v1/marketplace/templates", body, seller.AccessToken, 201, nil)
	return id
}

// secrets is what no one but the parties may read: the buyer and seller, the delivery address,
// the payout wallet and the payment.
func (s marketScene) secrets() []string {
	return []string{s.buyer.User.ID.String(), s.seller.User.ID.String(), "Secret Recipient", "Hidden St",
		strings.ToLower(devnet.AnvilAccount(2).Address.Hex()), s.paymentID}
}

// For every marketplace route, another buyer, another seller and an anonymous caller are refused
// (not_found for someone else's object, forbidden for a role, unauthenticated without a token), or
// on public routes and their own lists see nothing personal; refusals change nothing.
func TestMarketRoutesRefuseOtherUsers(t *testing.T) {
	a := newMarketAPI(t, nil)
	s := newMarketScene(a)
	otherBuyer, otherSeller := a.someone(auth.RoleBuyer), a.someone(auth.RoleSeller)
	r, o, tpl := "/v1/marketplace/requests/"+s.open.ID, "/offers/"+s.offer.ID, "/v1/marketplace/templates/"+s.template
	revise := map[string]any{"price": "1", "deliveryDays": 1, "validUntil": time.Now().Add(time.Hour), "payoutAddress": devnet.AnvilAccount(7).Address.Hex()}
	editTpl := map[string]any{"title": "Stolen template", "price": "1", "deliveryDays": 1, "payoutAddress": devnet.AnvilAccount(7).Address.Hex(), "active": true}
	checkout := map[string]any{"wallet": devnet.AnvilAccount(7).Address.Hex(), "signature": "0x" + strings.Repeat("11", 64) + "1b"}
	makeOffer := map[string]any{"offerId": uuid.NewString(), "price": "1", "deliveryDays": 1, "validUntil": time.Now().Add(time.Hour),
		"payoutAddress": devnet.AnvilAccount(7).Address.Hex(), "payoutSignature": checkout["signature"]}
	const skip = 0 // the caller may legitimately do this (a seller offering, a buyer buying)
	for _, c := range []struct {
		method, path string
		body         any
		buyer        int // other buyer's status
		seller       int // other seller's status
		anon         int
	}{
		{"POST", "/v1/marketplace/requests", requestBodyJSON(), skip, 403, 401},
		{"GET", "/v1/marketplace/requests", nil, 200, 200, 200},
		{"GET", "/v1/marketplace/mine/requests", nil, 200, 200, 401},
		{"GET", r, nil, 200, 200, 200},
		{"PUT", r, editBodyJSON(), 404, 404, 401},
		{"GET", r + "/detail", nil, 200, 200, 401},
		{"GET", "/v1/marketplace/requests/" + s.accepted.ID + "/detail", nil, 404, 404, 401},
		{"GET", "/v1/marketplace/requests/" + s.accepted.ID, nil, 404, 404, 404},
		{"POST", r + "/cancel", nil, 404, 404, 401},
		{"POST", r + "/publish", nil, 403, 403, 401},
		{"GET", r + "/offers", nil, 404, 404, 401},
		{"POST", r + "/offers", makeOffer, 403, skip, 401},
		{"POST", r + "/offers/typed-data", map[string]any{"offerId": uuid.NewString(), "price": "1", "payoutAddress": devnet.AnvilAccount(7).Address.Hex()}, 403, skip, 401},
		{"PUT", r + o, revise, 404, 404, 401},
		{"POST", r + o + "/withdraw", nil, 404, 404, 401},
		{"POST", r + o + "/accept", map[string]any{"revision": 1}, 404, 404, 401},
		{"POST", "/v1/marketplace/requests/" + s.accepted.ID + "/checkout-signature", checkout, 404, 404, 401},
		{"POST", "/v1/marketplace/requests/" + s.accepted.ID + "/ship", map[string]any{"carrier": "DHL", "tracking": "1"}, 404, 404, 401},
		{"POST", "/v1/marketplace/requests/" + s.accepted.ID + "/delivered", nil, 404, 404, 401},
		{"POST", "/v1/marketplace/requests/" + s.accepted.ID + "/confirm", nil, 404, 404, 401},
		{"GET", "/v1/marketplace/templates", nil, 200, 200, 200},
		{"POST", "/v1/marketplace/templates", map[string]any{}, 403, skip, 401},
		{"POST", "/v1/marketplace/templates/typed-data", map[string]any{"templateId": uuid.NewString(), "chain": "bsc", "token": "USDT", "price": "1", "payoutAddress": devnet.AnvilAccount(7).Address.Hex()}, 403, skip, 401},
		{"GET", "/v1/marketplace/mine/templates", nil, 200, 200, 401},
		{"PUT", tpl, editTpl, 404, 404, 401},
		{"POST", tpl + "/deactivate", nil, 404, 404, 401},
		{"POST", tpl + "/spawn", map[string]any{"delivery": map[string]any{"kind": "online"}}, skip, 403, 401},
		{"GET", "/v1/payments/" + s.paymentID, nil, 404, 404, 401},
		{"POST", "/v1/marketplace/requests/" + s.accepted.ID + "/reviews", map[string]any{"rating": 1, "text": "forged"}, 404, 404, 401},
		{"PUT", "/v1/marketplace/requests/" + s.accepted.ID + "/reviews/mine", map[string]any{"rating": 1, "text": "forged"}, 404, 404, 401},
		{"GET", "/v1/marketplace/requests/" + s.accepted.ID + "/reviews", nil, 404, 404, 401},
	} {
		for _, who := range []struct {
			name   string
			token  string
			status int
		}{{"another buyer", otherBuyer.AccessToken, c.buyer}, {"another seller", otherSeller.AccessToken, c.seller}, {"anonymous", "", c.anon}} {
			if who.status == skip {
				continue
			}
			rec := a.do(c.method, c.path, c.body, who.token)
			if rec.Code != who.status {
				t.Errorf("%s %s as %s: %d, want %d: %s", c.method, c.path, who.name, rec.Code, who.status, rec.Body.String())
				continue
			}
			if rec.Code >= 400 {
				errorOf(t, rec, rec.Code)
			}
			body := strings.ToLower(rec.Body.String())
			for _, secret := range s.secrets() {
				if strings.Contains(body, strings.ToLower(secret)) {
					t.Errorf("%s %s as %s leaks %q: %s", c.method, c.path, who.name, secret, rec.Body.String())
				}
			}
		}
	}
	// The public routes do show the open request and the template, without their people.
	for path, want := range map[string]string{"/v1/marketplace/requests": s.open.ID, r: "Vintage camera lens", "/v1/marketplace/templates": s.template} {
		if rec := a.do("GET", path, nil, ""); !strings.Contains(rec.Body.String(), want) {
			t.Errorf("public %s lacks %s: %s", path, want, rec.Body.String())
		}
	}
	// Nothing moved: the open request still has its live offer, the template still sells.
	var d struct {
		Request requestJSON
		Offers  []offerJSON
	}
	a.call("GET", r+"/detail", nil, s.buyer.AccessToken, 200, &d)
	if d.Request.Status != "received_offers" || len(d.Offers) != 1 || d.Offers[0].Status != "pending" || d.Offers[0].Price != "150" ||
		d.Request.Delivery.Address == nil || d.Request.Delivery.Address.Recipient != "Secret Recipient" {
		t.Fatalf("after the attempts: %+v", d)
	}
	var mine struct {
		Items []struct {
			ID, Title string
			Active    bool
		}
	}
	a.call("GET", "/v1/marketplace/mine/templates", nil, s.seller.AccessToken, 200, &mine)
	if len(mine.Items) != 1 || !mine.Items[0].Active || mine.Items[0].Title != "Logo design" {
		t.Fatalf("the seller's templates after the attempts: %+v", mine)
	}
}

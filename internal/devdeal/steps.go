package devdeal

import (
	"context"
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/google/uuid"

	"github.com/amanat/amn/clients/go/amnclient"
	"github.com/amanat/amn/devnet"
	"github.com/amanat/amn/payment"
)

// postRequest has the buyer post a purchase request priced in USDT on the scene's chain.
func (s *Scene) postRequest(ctx context.Context, p *printer, buyer *party, silent bool) (uuid.UUID, error) {
	title, desc, category := "Mechanical keyboard, 75% layout", "Hot-swappable, ISO layout, shipped to Berlin.", "electronics"
	if silent {
		title, desc, category = "Logo design for a tea shop", "Three concepts, vector files, two rounds of changes.", "design"
	}
	return s.postRequestOf(ctx, p, buyer, title, desc, category, !silent)
}

// postRequestOf has the buyer post a request of physical goods (shipped to Berlin) or of a
// service.
func (s *Scene) postRequestOf(ctx context.Context, p *printer, buyer *party, title, desc, category string, physical bool) (uuid.UUID, error) {
	kind := amnclient.MarketDeliveryKind("online")
	var addr *amnclient.MarketAddress
	product := amnclient.MarketProductType("service")
	if physical {
		kind, product = "physical", "physical_product"
		addr = &amnclient.MarketAddress{Recipient: "Dev Buyer", Line1: "Torstraße 1", City: "Berlin", Country: "DE"}
	}
	res, err := buyer.api.CreateMarketRequestWithResponse(ctx, amnclient.MarketRequestInput{
		Title: title, Description: &desc, Category: category, ProductType: product,
		Chain: s.ChainKey, Token: "USDT", BudgetMin: "100000000", BudgetMax: "150000000",
		Delivery: amnclient.MarketDelivery{Kind: kind, Address: addr}})
	if err != nil {
		return uuid.Nil, err
	}
	if res.JSON201 == nil {
		return uuid.Nil, answerError("posting the request", res.HTTPResponse, res.Body)
	}
	r := res.JSON201
	p.printf("request", "%s %q: %s, budget 100–150 USDT on %s", r.Id, r.Title, r.Status, r.Chain)
	return r.Id, nil
}

// offer has a seller's payout wallet sign the offer's terms (EIP-712 Offer) and makes the offer.
func (s *Scene) offer(ctx context.Context, p *printer, seller *party, payout devnet.Account, req uuid.UUID, price string) (*amnclient.MarketOffer, error) {
	id := uuid.New()
	td, err := seller.api.MarketOfferTypedDataWithResponse(ctx, req, amnclient.MarketOfferTermsInput{
		OfferId: id, PayoutAddress: payout.Address.Hex(), Price: price})
	if err != nil {
		return nil, err
	}
	if td.JSON200 == nil {
		return nil, answerError("the offer's typed data", td.HTTPResponse, td.Body)
	}
	sig, digest, err := signTypedData(td.JSON200, payout)
	if err != nil {
		return nil, err
	}
	p.printf(seller.name, "payout wallet %s signed the offer (EIP-712 Offer, digest %s)", payout.Address.Hex(), digest)
	res, err := seller.api.MakeMarketOfferWithResponse(ctx, req, amnclient.MarketOfferInput{OfferId: id, Price: price,
		DeliveryDays: 3, ValidUntil: time.Now().Add(24 * time.Hour).UTC(), PayoutAddress: payout.Address.Hex(), PayoutSignature: sig})
	if err != nil {
		return nil, err
	}
	if res.JSON201 == nil {
		return nil, answerError("making the offer", res.HTTPResponse, res.Body)
	}
	o := res.JSON201
	p.printf("offer", "%s by %s: %s USDT in %d days (%s, revision %d)", id, seller.name, usdt(price), o.DeliveryDays, o.Status, o.Revision)
	return o, nil
}

// accept has the buyer accept the offer: the answer is the payment and its checkout.
// It names the offer's revision it saw: a seller's later revision makes the accept fail.
func (s *Scene) accept(ctx context.Context, p *printer, buyer *party, req uuid.UUID, offer *amnclient.MarketOffer) (*amnclient.MarketAcceptance, error) {
	res, err := buyer.api.AcceptMarketOfferWithResponse(ctx, req, offer.Id, amnclient.MarketAccept{Revision: offer.Revision})
	if err != nil {
		return nil, err
	}
	if res.JSON201 == nil {
		return nil, answerError("accepting the offer", res.HTTPResponse, res.Body)
	}
	a := res.JSON201
	p.printf("payment", "%s created: deposit %s, reference %s, %s USDT + fee %s, commission %s",
		a.Payment.Id, a.Payment.DepositAddress, a.Checkout.PaymentReference, usdt(a.Payment.Amount), usdt(a.Payment.Fee), usdt(a.Payment.Commission))
	return a, nil
}

// pay has the buyer's wallet sign the checkout (its refund address) and send the checkout's
// transactions as they are: approve, then the fee proxy's transferFromWithReferenceAndFee.
func (s *Scene) pay(ctx context.Context, p *printer, buyer *party, wallet devnet.Account, req uuid.UUID, a *amnclient.MarketAcceptance) error {
	sig, digest, err := signTypedData(a.CheckoutTypedData, wallet)
	if err != nil {
		return err
	}
	res, err := buyer.api.SignMarketCheckoutWithResponse(ctx, req, amnclient.MarketCheckoutSignature{Wallet: wallet.Address.Hex(), Signature: sig})
	if err != nil {
		return err
	}
	if res.JSON200 == nil {
		return answerError("the checkout signature", res.HTTPResponse, res.Body)
	}
	p.printf("buyer", "wallet %s signed the checkout (EIP-712 Checkout, digest %s): refunds go there", wallet.Address.Hex(), digest)
	for _, c := range a.Checkout.Transactions {
		value, ok := new(big.Int).SetString(c.Value, 10)
		if !ok {
			return fmt.Errorf("checkout %s: value %q", c.Purpose, c.Value)
		}
		data, err := hexutil.Decode(c.Data)
		if err != nil {
			return fmt.Errorf("checkout %s: %w", c.Purpose, err)
		}
		r, err := s.Fixture.Send(ctx, wallet, common.HexToAddress(c.To), data, value)
		if err != nil {
			return fmt.Errorf("the buyer's %s: %w", c.Purpose, err)
		}
		p.printf("buyer", "%-8s tx %s (block %d, gas %d)", c.Purpose, r.TxHash.Hex(), r.BlockNumber, r.GasUsed)
	}
	return nil
}

// usdt formats base units of a 6-decimal token.
func usdt(v string) string {
	n, ok := new(big.Int).SetString(v, 10)
	if !ok {
		return v
	}
	return payment.FormatUnits(n, 6)
}

// deliver has the seller ship (a carrier and tracking number for goods, a note for a service) and
// say it arrived. The buyer then confirms receipt, or, in the silent deal, says nothing: the
// inspection period's job asks for the release when it ends.
func (s *Scene) deliver(ctx context.Context, p *printer, pl *players, req uuid.UUID, silent bool) error {
	if err := s.shipAndArrive(ctx, p, pl, req, !silent); err != nil {
		return err
	}
	if silent {
		p.printf("buyer", "stays silent: the inspection job will ask for the release")
		return nil
	}
	c, err := pl.buyer.api.ConfirmMarketRequestWithResponse(ctx, req)
	if err != nil {
		return err
	}
	if c.JSON200 == nil {
		return answerError("confirming receipt", c.HTTPResponse, c.Body)
	}
	p.printf("buyer", "confirmed receipt: request %s, the release is requested", c.JSON200.Status)
	return nil
}

// shipAndArrive has the seller ship (goods by carrier, or a service by a note) and say it arrived.
func (s *Scene) shipAndArrive(ctx context.Context, p *printer, pl *players, req uuid.UUID, physical bool) error {
	in := amnclient.MarketShipInput{Carrier: ptr("DHL"), Tracking: ptr("JD014600006281234567")}
	if !physical {
		in = amnclient.MarketShipInput{Note: ptr("Concepts sent as a shared folder link by email.")}
	}
	ship, err := pl.seller.api.ShipMarketRequestWithResponse(ctx, req, in)
	if err != nil {
		return err
	}
	if ship.JSON200 == nil {
		return answerError("shipping", ship.HTTPResponse, ship.Body)
	}
	p.printf("seller", "shipped: request %s", ship.JSON200.Status)
	got, err := pl.seller.api.MarkMarketRequestDeliveredWithResponse(ctx, req)
	if err != nil {
		return err
	}
	if got.JSON200 == nil {
		return answerError("marking delivered", got.HTTPResponse, got.Body)
	}
	ends := ""
	if got.JSON200.InspectionEndsAt != nil {
		ends = ", the inspection period ends " + got.JSON200.InspectionEndsAt.Format(time.TimeOnly)
	}
	p.printf("seller", "delivered: request %s%s", got.JSON200.Status, ends)
	return nil
}

func ptr[T any](v T) *T { return &v }

// review has both parties review each other, and reads the seller's public profile with its
// rating.
func (s *Scene) review(ctx context.Context, p *printer, pl *players, req uuid.UUID, sellerID uuid.UUID) error {
	for _, r := range []struct {
		by     *party
		rating int
		text   string
	}{{pl.buyer, 5, "Exactly as described, quick and careful."}, {pl.seller, 5, "Paid promptly, clear requirements."}} {
		res, err := r.by.api.CreateMarketReviewWithResponse(ctx, req, amnclient.MarketReviewInput{Rating: r.rating, Text: ptr(r.text)})
		if err != nil {
			return err
		}
		if res.JSON201 == nil {
			return answerError(r.by.name+"'s review", res.HTTPResponse, res.Body)
		}
		p.printf(r.by.name, "reviewed the %s: %d stars", res.JSON201.SubjectSide, res.JSON201.Rating)
	}
	prof, err := pl.buyer.api.GetUserProfileWithResponse(ctx, sellerID, nil)
	if err != nil {
		return err
	}
	if prof.JSON200 == nil {
		return answerError("the seller's profile", prof.HTTPResponse, prof.Body)
	}
	r := prof.JSON200.SellerRating
	avg := "none"
	if r.Average != nil {
		avg = *r.Average
	}
	p.printf("profile", "seller %s: rating %s from %d reviews", prof.JSON200.DisplayName, avg, r.Reviews)
	return nil
}

// showPayment prints the payment as its buyer sees it: every amount from the payment and its
// ledger.
func (s *Scene) showPayment(ctx context.Context, p *printer, buyer *party, id uuid.UUID) error {
	res, err := buyer.api.GetPaymentWithResponse(ctx, id)
	if err != nil {
		return err
	}
	if res.JSON200 == nil {
		return answerError("the payment", res.HTTPResponse, res.Body)
	}
	a := res.JSON200.Amounts
	p.printf("payment", "%s is %s: received %s USDT, swept %s, released %s to the seller, commission %s, in escrow %s",
		id, res.JSON200.State, usdt(a.Received), usdt(a.Swept), usdt(a.Released), usdt(a.CommissionTaken), usdt(a.InEscrow))
	return nil
}

// awaitPoints waits until the party's points show one deal grant per deal played now (the
// worker's points_follow books a deal once its release is final; grants from earlier runs on the
// same database are older than the printer's start) and prints the balance.
func (s *Scene) awaitPoints(ctx context.Context, p *printer, who *party, deals int) error {
	deadline := time.Now().Add(s.StepTimeout)
	for {
		h, err := who.api.GetMyPointsHistoryWithResponse(ctx, nil)
		if err != nil {
			return err
		}
		if h.JSON200 == nil {
			return answerError("the points history", h.HTTPResponse, h.Body)
		}
		granted := 0
		for _, e := range h.JSON200.Items {
			if e.Kind == amnclient.PointsEntryKindDeal && e.At.After(p.start) {
				granted++
			}
		}
		if granted >= deals {
			b, err := who.api.GetMyPointsWithResponse(ctx)
			if err != nil {
				return err
			}
			if b.JSON200 == nil {
				return answerError("the points balance", b.HTTPResponse, b.Body)
			}
			p.printf("points", "%s: %d deal grants, %d available, level %s", who.name, granted, b.JSON200.Available, b.JSON200.Level)
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s has %d deal grants of points after %s, want %d", who.name, granted, s.StepTimeout, deals)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(500 * time.Millisecond):
		}
	}
}

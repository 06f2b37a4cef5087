package devdeal

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math/big"
	"mime/multipart"
	"strings"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/google/uuid"

	"github.com/amanat/amn/bindings"
	"github.com/amanat/amn/clients/go/amnclient"
	"github.com/amanat/amn/devnet"
	"github.com/amanat/amn/dispute"
)

// The disputed deal (issue #19): paid and swept like the others, shipped and delivered; the buyer
// then opens a dispute (not as described), both sides add evidence (the buyer a photo, the seller
// a statement), an admin proposes that the buyer gets back exactly splitPercent of the escrow,
// both parties accept, the admin resolves (one admin suffices: both accepted, and the amount is
// under the second admin's threshold), the custodians approve the settle intent, the signer
// settles, and the request completes when the Settled event is final. The case's signed bundle is
// exported and verified.

// splitPercent is the buyer's share of the escrow in the demo's split.
const splitPercent = 30

// playDisputed plays the disputed deal, paid by wallet.
func (s *Scene) playDisputed(ctx context.Context, p *printer, pl *players, wallet devnet.Account) (Deal, error) {
	req, err := s.postRequestOf(ctx, p, pl.buyer, "Vintage film camera, tested", "A 35 mm rangefinder, shutter and light meter tested.",
		"photo", true)
	if err != nil {
		return Deal{}, err
	}
	var d Deal
	offer, err := s.offer(ctx, p, pl.seller, pl.sellerPayout, req, price)
	if err != nil {
		return d, err
	}
	acc, err := s.accept(ctx, p, pl.buyer, req, offer)
	if err != nil {
		return d, err
	}
	d.Payment = acc.Payment.Id
	before, err := s.usdtBalance(ctx, wallet)
	if err != nil {
		return d, err
	}
	if err := s.pay(ctx, p, pl.buyer, wallet, req, acc); err != nil {
		return d, err
	}
	w := &watch{s: s, p: p, admin: pl.admin, buyer: pl.buyer, request: req, payment: d.Payment, intents: map[uuid.UUID]string{}, txs: map[string]string{}}
	if err := w.until(ctx, "processing", "the indexer's credit at finality, the worker's sweep intent and the signer's sweep"); err != nil {
		return d, err
	}
	// The buyer disputes once the money is in the escrow, which the dispute freezes on chain (a
	// deposit not yet swept has no escrow to freeze, nor to split); the seller ships after it, so
	// that the dispute comes within the inspection period (seven of --market-day).
	if err := w.untilPayment(ctx, "in_escrow", "the signer's sweep into the escrow"); err != nil {
		return d, err
	}
	if err := s.shipAndArrive(ctx, p, pl, req, true); err != nil {
		return d, err
	}
	c, err := s.openDispute(ctx, p, pl, req)
	if err != nil {
		return d, err
	}
	d.Dispute = c.Id
	// The case goes on once the escrow's freeze is final and booked: a Frozen event booked after
	// the resolution would dispute the settling payment again (and the custodians refuse to
	// approve a disputed payment's payout).
	if err := w.until(ctx, "disputed", "the dispute"); err != nil {
		return d, err
	}
	if err := w.untilEvent(ctx, "frozen", "the signer's freeze of the escrow, final on chain"); err != nil {
		return d, err
	}
	if err := s.evidence(ctx, p, pl, c.Id); err != nil {
		return d, err
	}
	if err := s.mediate(ctx, p, pl, c); err != nil {
		return d, err
	}
	if err := w.approvePayout(ctx, amnclient.IntentKindSettle); err != nil {
		return d, err
	}
	if err := w.until(ctx, "completed", "the signer's settle and the Settled event at finality"); err != nil {
		return d, err
	}
	if err := s.showPayment(ctx, p, pl.buyer, d.Payment); err != nil {
		return d, err
	}
	after, err := s.usdtBalance(ctx, wallet)
	if err != nil {
		return d, err
	}
	p.printf("dispute", "buyer wallet %s: %s USDT before the deal, %s after (paid %s, got back %s)", wallet.Address.Hex(),
		usdt(before.String()), usdt(after.String()), usdt(paid(acc).String()), usdt(new(big.Int).Sub(after, new(big.Int).Sub(before, paid(acc))).String()))
	return d, s.verifyBundle(ctx, p, pl.buyer, c.Id)
}

// paid is what the buyer's checkout pays: the amount and the payment network's fee.
func paid(a *amnclient.MarketAcceptance) *big.Int {
	n, _ := new(big.Int).SetString(a.Payment.Amount, 10)
	f, _ := new(big.Int).SetString(a.Payment.Fee, 10)
	if n == nil || f == nil {
		return new(big.Int)
	}
	return n.Add(n, f)
}

// usdtBalance is the wallet's USDT balance on the scene's chain, in base units.
func (s *Scene) usdtBalance(ctx context.Context, wallet devnet.Account) (*big.Int, error) {
	tok, err := bindings.NewERC20(s.Fixture.Addresses.USDT, s.Fixture.Client)
	if err != nil {
		return nil, err
	}
	return tok.BalanceOf(&bind.CallOpts{Context: ctx}, wallet.Address)
}

// openDispute has the buyer open the case: the goods are not as described.
func (s *Scene) openDispute(ctx context.Context, p *printer, pl *players, req uuid.UUID) (*amnclient.Dispute, error) {
	res, err := pl.buyer.api.OpenDisputeWithResponse(ctx, amnclient.DisputeOpenInput{RequestId: req, Reason: amnclient.NotAsDescribed,
		Statement: "The light meter does not react and the lens has a scratch the listing did not mention."})
	if err != nil {
		return nil, err
	}
	if res.JSON201 == nil {
		return nil, answerError("opening the dispute", res.HTTPResponse, res.Body)
	}
	c := res.JSON201
	p.printf("dispute", "%s opened by the %s (%s): %s, %s USDT at stake, conversation %s", c.Id, c.Opener, c.Reason, c.Status,
		usdt(c.Amount), c.ConversationId)
	return c, nil
}

// evidence has the buyer upload a photo and attach it, and the seller add a statement.
func (s *Scene) evidence(ctx context.Context, p *printer, pl *players, id uuid.UUID) error {
	up, err := upload(ctx, pl.buyer)
	if err != nil {
		return err
	}
	p.printf("buyer", "uploaded %s (%s, %d bytes, sha256 %s)", up.Id, up.ContentType, up.Size, up.Sha256)
	for _, e := range []struct {
		by *party
		in amnclient.DisputeEvidenceInput
	}{
		{pl.buyer, amnclient.DisputeEvidenceInput{UploadId: &up.Id}},
		{pl.seller, amnclient.DisputeEvidenceInput{Statement: ptr("The camera was tested before shipping; the scratch is on the filter, not the lens.")}},
	} {
		res, err := e.by.api.AddDisputeEvidenceWithResponse(ctx, id, e.in)
		if err != nil {
			return err
		}
		if res.JSON200 == nil || res.JSON200.Entries == nil || len(*res.JSON200.Entries) == 0 {
			return answerError(e.by.name+"'s evidence", res.HTTPResponse, res.Body)
		}
		last := (*res.JSON200.Entries)[len(*res.JSON200.Entries)-1]
		p.printf("dispute", "evidence by the %s: entry %d, hash %s", last.Actor, last.Seq, last.Hash)
	}
	return nil
}

// upload has who upload a small PNG (a photo of the goods) through POST /v1/uploads.
func upload(ctx context.Context, who *party) (*amnclient.Upload, error) {
	img := image.NewRGBA(image.Rect(0, 0, 64, 48))
	for x := range 64 {
		for y := range 48 {
			img.Set(x, y, color.RGBA{R: uint8(4 * x), G: uint8(5 * y), B: 128, A: 255})
		}
	}
	var file bytes.Buffer
	if err := png.Encode(&file, img); err != nil {
		return nil, err
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	part, err := mw.CreateFormFile("file", "camera.png")
	if err != nil {
		return nil, err
	}
	if _, err := part.Write(file.Bytes()); err != nil {
		return nil, err
	}
	if err := mw.Close(); err != nil {
		return nil, err
	}
	res, err := who.api.CreateUploadWithBodyWithResponse(ctx, mw.FormDataContentType(), &body)
	if err != nil {
		return nil, err
	}
	if res.JSON201 == nil {
		return nil, answerError("the upload", res.HTTPResponse, res.Body)
	}
	return res.JSON201, nil
}

// mediate has the admin propose that the buyer gets splitPercent of the escrow back, both parties
// accept, and the admin resolve.
func (s *Scene) mediate(ctx context.Context, p *printer, pl *players, c *amnclient.Dispute) error {
	stake, ok := new(big.Int).SetString(c.Amount, 10)
	if !ok {
		return fmt.Errorf("dispute %s: amount %q", c.Id, c.Amount)
	}
	buyerAmount := new(big.Int).Mul(stake, big.NewInt(splitPercent))
	buyerAmount.Quo(buyerAmount, big.NewInt(100))
	r := amnclient.DisputeResolution{Outcome: amnclient.DisputeOutcomeCompensation, BuyerAmount: ptr(buyerAmount.String()),
		Note: ptr(fmt.Sprintf("%d %% back to the buyer for the undisclosed scratch", splitPercent))}
	prop, err := pl.admin.api.ProposeDisputeOutcomeWithResponse(ctx, c.Id, r)
	if err != nil {
		return err
	}
	if prop.JSON200 == nil || prop.JSON200.Proposal == nil {
		return answerError("the admin's proposal", prop.HTTPResponse, prop.Body)
	}
	pid := prop.JSON200.Proposal.Id
	p.printf("dispute", "admin proposed %s: %s USDT of %s back to the buyer (proposal %s)", r.Outcome, usdt(buyerAmount.String()), usdt(c.Amount), pid)
	for _, who := range []*party{pl.buyer, pl.seller} {
		res, err := who.api.AcceptDisputeProposalWithResponse(ctx, c.Id, pid)
		if err != nil {
			return err
		}
		if res.JSON200 == nil {
			return answerError(who.name+" accepting the proposal", res.HTTPResponse, res.Body)
		}
		p.printf("dispute", "%s accepted the proposal", who.name)
	}
	res, err := pl.admin.api.AdminResolveDisputeWithResponse(ctx, c.Id, r)
	if err != nil {
		return err
	}
	if res.JSON200 == nil {
		return answerError("resolving the dispute", res.HTTPResponse, res.Body)
	}
	if res.JSON200.Status != amnclient.DisputeStatusResolved {
		return fmt.Errorf("dispute %s is %s after the resolution, want resolved (a second admin needed?)", c.Id, res.JSON200.Status)
	}
	p.printf("dispute", "%s resolved by one admin (both parties accepted; under the second admin's threshold): %s", c.Id, *res.JSON200.Resolution)
	return nil
}

// verifyBundle exports the case's signed bundle as its buyer and checks it offline against the
// platform's published key (dispute.VerifyBundle, as `amn dispute verify` does).
func (s *Scene) verifyBundle(ctx context.Context, p *printer, who *party, id uuid.UUID) error {
	key, err := who.api.GetDisputeBundleKeyWithResponse(ctx)
	if err != nil {
		return err
	}
	if key.JSON200 == nil {
		return answerError("the bundle key", key.HTTPResponse, key.Body)
	}
	pub, err := dispute.ParsePublicKey(key.JSON200.PublicKey)
	if err != nil {
		return err
	}
	res, err := who.api.ExportDisputeBundleWithResponse(ctx, id)
	if err != nil {
		return err
	}
	if res.JSON200 == nil {
		return answerError("the bundle", res.HTTPResponse, res.Body)
	}
	v, err := dispute.VerifyBundle(res.Body, pub)
	if err != nil {
		return fmt.Errorf("the bundle of dispute %s: %w", id, err)
	}
	var kinds []string
	for _, e := range res.JSON200.Entries {
		kinds = append(kinds, e.Kind+":"+string(e.Actor))
	}
	p.printf("dispute", "%s timeline: %s", id, strings.Join(kinds, " "))
	p.printf("bundle", "dispute %s: %d entries, head %s, %s: verified against the published key", id, v.Case.Entries, v.Case.Head,
		v.Case.Resolution)
	return nil
}

// Package devdeal plays the local stack's demo deals through the API, as the frontend and the
// parties' wallets would: sign in, post a purchase request, two sellers offer (their payout wallets
// sign the offers), the buyer accepts one, signs the checkout and pays through Request Network's fee
// proxy on the local chain, the seller ships, the buyer confirms (or stays silent until the
// inspection period ends), the custodians approve the release, and both parties review. A third
// deal is disputed and settled 30/70 (dispute.go). In the first, the buyer also follows the deal's
// chat on the real-time socket, across a dropped connection, and checks its history (chat.go).
// Every HTTP call is printed. `amn dev` runs it; its test reads what it prints.
//
// It owns no tables and holds no key but the local chains' public test keys; it must never call a
// domain package to move a deal along: what it does, a client of the API can do (the custodians'
// approvals go through the custody service, as `amn custody approve` does).
package devdeal

import (
	"context"
	"crypto/ecdsa"
	"crypto/rand"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/ethereum/go-ethereum/crypto"
	"github.com/google/uuid"

	"github.com/amanat/amn/devnet"
)

// Account is a seeded account of the local stack.
type Account struct{ Email, Password string }

// Scene is what the deals need: the API, the chain the deals are paid on, the accounts, and the
// custodians' approval (the custody service's, with the devnet's software keys).
type Scene struct {
	BaseURL  string
	Out      io.Writer
	Fixture  *devnet.Fixture
	ChainKey string // the chain the requests are priced on (its token USDT)
	// Admin, Buyer, Seller and Seller2 sign in with their passwords.
	Admin, Buyer, Seller, Seller2 Account
	// Approve has the custodians approve a release intent (as `amn custody approve` does).
	Approve func(ctx context.Context, intent uuid.UUID) error
	// Nudge, when set, runs on every poll while a release is on its way (the worker's
	// signer_follow pass, which the deal may run early: see cmd/amn's dev deal).
	Nudge func(ctx context.Context) error
	// StepTimeout bounds each wait (a minute by default).
	StepTimeout time.Duration
}

// Deal is what one played deal left: its payment.
type Deal struct {
	Payment uuid.UUID
	Silent  bool // the buyer never confirmed: the inspection period ended
	// Dispute is the case of the disputed deal (the buyer opened it; the escrow was split).
	Dispute uuid.UUID
	// Chat is what the buyer's socket got of the deal's chat (the first deal's; nil for the
	// others): every payment step, as it came, across a drop and a resubscription (chat.go).
	Chat *ChatLog
}

// The prices offered, in USDT's base units (6 decimals): the winning seller's and its rival's.
const (
	price      = "125000000" // 125 USDT
	priceRival = "130000000" // 130 USDT
)

// players are the deal's signed-in parties and their wallets.
type players struct {
	buyer, seller, seller2, admin *party
	sellerPayout, seller2Payout   devnet.Account
}

// Play signs the parties in and plays three deals: one the buyer confirms, one where the buyer
// stays silent and the inspection period's job asks for the release, and one the buyer disputes
// and an admin's split, accepted by both parties, settles (dispute.go). It returns them.
func (s *Scene) Play(ctx context.Context) ([]Deal, error) {
	if s.StepTimeout == 0 {
		s.StepTimeout = time.Minute
	}
	p := &printer{out: s.Out, start: time.Now()}
	if err := s.awaitReady(ctx); err != nil {
		return nil, err
	}
	pl, err := s.signIn(ctx, p)
	if err != nil {
		return nil, err
	}
	var deals []Deal
	for i, silent := range []bool{false, true} {
		d, err := s.playOne(ctx, p, pl, s.Fixture.Buyers[i], silent)
		if err != nil {
			return deals, err
		}
		deals = append(deals, d)
	}
	// The fixture has two buyer wallets: the first pays the disputed deal too.
	d, err := s.playDisputed(ctx, p, pl, s.Fixture.Buyers[0])
	if err != nil {
		return deals, err
	}
	deals = append(deals, d)
	for _, who := range []*party{pl.buyer, pl.seller} {
		// Points follow released deals (a split earns none).
		if err := s.awaitPoints(ctx, p, who, len(deals)-1); err != nil {
			return deals, err
		}
	}
	return deals, nil
}

func (s *Scene) signIn(ctx context.Context, p *printer) (*players, error) {
	var pl players
	for _, a := range []struct {
		to   **party
		name string
		acct Account
	}{{&pl.admin, "admin", s.Admin}, {&pl.buyer, "buyer", s.Buyer}, {&pl.seller, "seller", s.Seller}, {&pl.seller2, "seller2", s.Seller2}} {
		var err error
		if *a.to, err = signIn(ctx, p, s.BaseURL, a.name, a.acct.Email, a.acct.Password); err != nil {
			return nil, err
		}
	}
	pl.sellerPayout = s.Fixture.Seller
	key, err := ecdsa.GenerateKey(crypto.S256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	pl.seller2Payout = devnet.Account{Address: crypto.PubkeyToAddress(key.PublicKey), Key: key}
	return &pl, nil
}

// playOne plays one deal from the request to both reviews. In the first (not silent) deal the
// buyer follows the deal's chat on the socket (chat.go).
func (s *Scene) playOne(ctx context.Context, p *printer, pl *players, buyerWallet devnet.Account, silent bool) (Deal, error) {
	req, err := s.postRequest(ctx, p, pl.buyer, silent)
	if err != nil {
		return Deal{}, err
	}
	d := Deal{Silent: silent}
	offer, err := s.offer(ctx, p, pl.seller, pl.sellerPayout, req, price)
	if err != nil {
		return d, err
	}
	if !silent { // the first deal shows two sellers competing
		if _, err := s.offer(ctx, p, pl.seller2, pl.seller2Payout, req, priceRival); err != nil {
			return d, err
		}
	}
	acc, err := s.accept(ctx, p, pl.buyer, req, offer)
	if err != nil {
		return d, err
	}
	d.Payment = acc.Payment.Id
	w := &watch{s: s, p: p, admin: pl.admin, buyer: pl.buyer, request: req, payment: d.Payment, intents: map[uuid.UUID]string{}, txs: map[string]string{}}
	var chat *chatSocket
	if !silent {
		// The buyer's socket drops once the payment is credited and comes back once the release
		// is on its way (releasing, or released if the watch missed that): in escrow then comes
		// in the replay, released (nearly always) live.
		if chat, err = s.followChat(ctx, p, pl.buyer, offer.Id, "payment.credited"); err != nil {
			return d, err
		}
		defer chat.close()
		resumed := false
		w.onPayment = func(ctx context.Context, state string) error {
			if resumed || state != "releasing" && state != "released" {
				return nil
			}
			resumed = true
			return chat.resume(ctx)
		}
	}
	if err := s.pay(ctx, p, pl.buyer, buyerWallet, req, acc); err != nil {
		return d, err
	}
	if err := w.until(ctx, "processing", "the indexer's credit at finality, the worker's sweep intent and the signer's sweep"); err != nil {
		return d, err
	}
	if err := s.deliver(ctx, p, pl, req, silent); err != nil {
		return d, err
	}
	if err := w.until(ctx, "confirming", "the release request"); err != nil {
		return d, err
	}
	if err := w.approveRelease(ctx); err != nil {
		return d, err
	}
	if err := w.until(ctx, "completed", "the signer's release and the Released event at finality"); err != nil {
		return d, err
	}
	if chat != nil {
		if err := chat.awaitStep(ctx, "payment.released"); err != nil {
			return d, err
		}
		chat.close()
		if err := chat.checkHistory(ctx); err != nil {
			return d, err
		}
		d.Chat = chat.result()
	}
	if err := s.showPayment(ctx, p, pl.buyer, d.Payment); err != nil {
		return d, err
	}
	return d, s.review(ctx, p, pl, req, offer.SellerId)
}

// awaitReady waits until the API answers /readyz with 200 (the stack starts it beside the deal).
func (s *Scene) awaitReady(ctx context.Context) error {
	deadline := time.Now().Add(s.StepTimeout)
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.BaseURL+"/readyz", nil)
		if err != nil {
			return err
		}
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("the API at %s is not ready after %s", s.BaseURL, s.StepTimeout)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

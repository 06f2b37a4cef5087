package market

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/amanat/amn/chain"
	"github.com/amanat/amn/market/internal/marketdb"
	"github.com/amanat/amn/payment"
)

// Acceptance is what the buyer gets on accepting an offer: the payment, the checkout terms its
// wallet signs (payment.ProveBuyer: the refund address) and the calls its wallet sends.
type Acceptance struct {
	Request  *Request
	Payment  *payment.Payment
	Terms    payment.CheckoutTerms
	Checkout *payment.Checkout
}

var errOfferGone = ErrOfferNotLive

// Accept is the buyer's acceptance of one offer at the revision the buyer saw, in ONE
// transaction: the request locked, the status moved by accept (Next), the offer (pending, still
// valid, still at that revision: else ErrOfferChanged) accepted, every other live offer rejected,
// and the payment created (payment.CreateTx) and linked to the request. The revision check runs
// under the request's row lock, which ReviseOffer takes too: a revision lands wholly before the
// accept (and is refused by it) or after it (and finds the offer no longer pending). Of any
// number of concurrent accepts on one request exactly one wins; the others see its status.
func (s *Service) Accept(ctx context.Context, buyer Caller, requestID, offerID uuid.UUID, revision int) (*Acceptance, error) {
	if s.payments == nil {
		return nil, ErrNoPayments
	}
	var a *Acceptance
	err := s.inTx(ctx, func(tx pgx.Tx, q *marketdb.Queries) error {
		m, err := lockRequest(ctx, q, requestID)
		if err != nil {
			return err
		}
		if m.BuyerID != buyer.UserID {
			return ErrNotFound
		}
		if _, err := Next(Status(m.Status), EvAccept, ActorBuyer, ""); err != nil {
			return err
		}
		o, err := q.OfferByID(ctx, offerID)
		if errors.Is(err, pgx.ErrNoRows) || (err == nil && o.RequestID != requestID) {
			return ErrOfferNotFound
		}
		if err != nil {
			return err
		}
		if OfferStatus(o.Status) != OfferPending || !o.ValidUntil.After(s.clock()) {
			return errOfferGone
		}
		if int(o.Revision) != revision {
			return fmt.Errorf("%w (you accepted revision %d; it is at %d)", ErrOfferChanged, revision, o.Revision)
		}
		p, err := s.acceptIn(ctx, tx, q, &m, o, buyer, nil)
		if err != nil {
			return err
		}
		a, err = s.acceptance(ctx, q, requestID, p)
		return err
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}

// acceptIn accepts a locked pending offer and creates its payment in tx.
// pre, when set, is the payment already created (an express request is born with it).
func (s *Service) acceptIn(ctx context.Context, tx pgx.Tx, q *marketdb.Queries, m *marketdb.MarketRequest,
	o marketdb.MarketOffer, buyer Caller, pre *payment.Payment) (*payment.Payment, error) {
	now := s.clock()
	if err := q.SetOfferStatus(ctx, marketdb.SetOfferStatusParams{ID: o.ID, Status: string(OfferAccepted), UpdatedAt: now}); err != nil {
		return nil, err
	}
	lost, err := q.RejectOthers(ctx, marketdb.RejectOthersParams{RequestID: m.ID, ID: o.ID, UpdatedAt: now})
	if err != nil {
		return nil, err
	}
	rejected, losers := make([]uuid.UUID, len(lost)), make([]uuid.UUID, len(lost))
	for i, r := range lost {
		rejected[i], losers[i] = r.ID, r.SellerID
	}
	ref := o.ID.String()
	if m.TemplateID.Valid {
		ref = templateRef(m.TemplateID.UUID) // what the seller signed once for every spawn
	}
	p := pre
	if p == nil {
		var err error
		if p, err = s.createPayment(ctx, tx, m, o, ref, buyer); err != nil {
			return nil, err
		}
	}
	from, ev := Status(m.Status), EvAccept
	if m.TemplateID.Valid {
		ev = EvExpress // a template's spawn: its offer is accepted in the transaction that creates it
	}
	to, err := Next(from, ev, ActorBuyer, "")
	if err != nil {
		return nil, err
	}
	err = q.SetRequestAccepted(ctx, marketdb.SetRequestAcceptedParams{ID: m.ID, Status: string(to),
		PaymentID: uuid.NullUUID{UUID: uuid.UUID(p.ID), Valid: true}, AcceptedOffer: uuid.NullUUID{UUID: o.ID, Valid: true}, UpdatedAt: now})
	if err != nil {
		return nil, err
	}
	m.Status = string(to)
	err = s.event(ctx, q, m.ID, string(ev), ActorBuyer, buyer.UserID, &from, to,
		map[string]any{"offer": o.ID, "payment": uuid.UUID(p.ID), "rejected": rejected})
	if err != nil || s.notifier == nil {
		return p, err
	}
	return p, s.notifier.DealStep(ctx, tx, DealStep{Event: ev, Request: m.ID, Title: m.Title, Buyer: m.BuyerID,
		Seller: o.SellerID, Offer: o.ID, Rejected: losers, Payment: p})
}

// createPayment makes the accepted offer's payment: the buyer's user id, the offer's id, price
// and proven payout, the chain and token from the registry, fee and commission from the config.
func (s *Service) createPayment(ctx context.Context, tx pgx.Tx, m *marketdb.MarketRequest, o marketdb.MarketOffer,
	ref string, buyer Caller) (*payment.Payment, error) {
	c, t, err := s.token(m.ChainKey, m.TokenSymbol)
	if err != nil {
		return nil, err
	}
	salt := make([]byte, 8)
	if _, err := rand.Read(salt); err != nil {
		return nil, err
	}
	price := bigOf(o.Price)
	bps := func(n int64) *big.Int {
		return new(big.Int).Div(new(big.Int).Mul(price, big.NewInt(n)), big.NewInt(10_000))
	}
	return s.payments.CreateTx(ctx, tx, payment.NewPayment{
		BuyerRef: buyer.UserID.String(), OfferRef: ref,
		SellerAddress: [20]byte(o.PayoutAddress), SellerSignature: o.PayoutSignature,
		ChainID: c.ID, ChainKey: c.Key, Token: t.Address, TokenSymbol: t.Symbol, Decimals: t.Decimals,
		Amount: price, Fee: bps(s.cfg.FeeBps), FeeAddress: s.cfg.FeeAddress, Commission: bps(s.cfg.CommissionBps),
		RequestID: "amn-" + m.ID.String(), Salt: hex.EncodeToString(salt), TTL: s.cfg.PaymentTTL,
	})
}

// acceptance is the answer to an accept or a spawn, built in its transaction (q) before the
// commit: whatever can fail here rolls the payment back, and a committed payment always has
// its answer.
func (s *Service) acceptance(ctx context.Context, q *marketdb.Queries, requestID uuid.UUID, p *payment.Payment) (*Acceptance, error) {
	m, err := q.RequestByID(ctx, requestID)
	if err != nil {
		return nil, err
	}
	co, err := s.Checkout(p)
	if err != nil {
		return nil, err
	}
	r := s.requestOf(m)
	return &Acceptance{Request: &r, Payment: p, Terms: p.CheckoutTerms(), Checkout: co}, nil
}

// Checkout is the block the buyer's wallet plays for p: approve, then the ERC20FeeProxy's
// transferFromWithReferenceAndFee (payment.NewCheckout, as amn dev's deal plays it).
func (s *Service) Checkout(p *payment.Payment) (*payment.Checkout, error) {
	c, err := s.chains.Get(ledgerChain(p.Ledger))
	if err != nil {
		return nil, err
	}
	proxy, ok := erc20Proxy(c)
	if !ok {
		return nil, ErrNoFeeProxy
	}
	return payment.NewCheckout(payment.CheckoutRequest{ChainID: p.ChainID, Token: p.Token, Decimals: p.Decimals,
		Amount: p.Amount, Fee: p.Fee, Deposit: p.Deposit, Reference: p.Reference, FeeProxy: proxy, FeeAddress: p.FeeAddress})
}

func ledgerChain(l string) string {
	for i := range l {
		if l[i] == ':' {
			return l[:i]
		}
	}
	return l
}

// erc20Proxy is the chain's first (newest) ERC20FeeProxy.
func erc20Proxy(c chain.Config) ([20]byte, bool) {
	for _, p := range c.FeeProxies {
		if !p.Native {
			return p.Address, true
		}
	}
	return [20]byte{}, false
}

// ProveBuyer records the buyer's checkout signature (payment.ProveBuyer): the signing wallet
// becomes the refund address. Only the request's buyer may.
func (s *Service) ProveBuyer(ctx context.Context, buyer Caller, requestID uuid.UUID, wallet [20]byte, sig []byte) (*payment.Payment, error) {
	r, err := s.getRequest(ctx, requestID)
	if err != nil {
		return nil, err
	}
	if r.BuyerID != buyer.UserID || r.PaymentID == nil {
		return nil, ErrNotFound
	}
	if s.payments == nil {
		return nil, ErrNoPayments
	}
	return s.payments.ProveBuyer(ctx, [16]byte(*r.PaymentID), wallet, sig)
}

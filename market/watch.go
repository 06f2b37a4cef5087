package market

import (
	"context"
	"strconv"
	"strings"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/amanat/amn/payment"
)

// Parties are who an offer is between: the request's buyer and the offer's seller.
type Parties struct {
	RequestID, OfferID, BuyerID, SellerID uuid.UUID
}

// OfferParties says whose an offer is (package chat ties a conversation to it). It decides no
// rights: the caller checks who asks against the parties. An unknown offer is ErrOfferNotFound.
func (s *Service) OfferParties(ctx context.Context, offerID uuid.UUID) (Parties, error) {
	o, err := s.offer(ctx, offerID)
	if err != nil {
		return Parties{}, err
	}
	r, err := s.getRequest(ctx, o.RequestID)
	if err != nil {
		return Parties{}, err
	}
	return Parties{RequestID: r.ID, OfferID: o.ID, BuyerID: r.BuyerID, SellerID: o.SellerID}, nil
}

// FollowedDeal is a deal whose payment the market is following: its parties (the accepted
// offer's) and the chain explorer's base URL ("" when none is configured).
type FollowedDeal struct {
	Parties
	Explorer string
}

// PaymentWatcher hears, in the transaction of each request's following of its payment and under
// the request's row lock, that the deal's payment was looked at (package chat writes the
// payment's steps into the deal's conversation). Whatever it writes commits or rolls back with
// the request's events.
type PaymentWatcher interface {
	PaymentFollowed(ctx context.Context, tx pgx.Tx, d FollowedDeal, p *payment.Payment) error
}

// WithWatcher returns a copy of s whose Follow tells w of every deal it follows.
func (s *Service) WithWatcher(w PaymentWatcher) *Service { c := *s; c.watcher = w; return &c }

// watch tells the watcher, if any, of request r's deal and its payment p in tx.
func (s *Service) watch(ctx context.Context, tx pgx.Tx, buyer uuid.UUID, requestID uuid.UUID, offer uuid.NullUUID,
	sellerOf func(uuid.UUID) (uuid.UUID, error), p *payment.Payment) error {
	if s.watcher == nil || !offer.Valid {
		return nil
	}
	seller, err := sellerOf(offer.UUID)
	if err != nil {
		return err
	}
	d := FollowedDeal{Parties: Parties{RequestID: requestID, OfferID: offer.UUID, BuyerID: buyer, SellerID: seller}}
	if s.chains != nil {
		if c, err := s.chains.Get(strconv.FormatUint(p.ChainID, 10)); err == nil {
			d.Explorer = strings.TrimRight(c.Explorer, "/")
		}
	}
	return s.watcher.PaymentFollowed(ctx, tx, d, p)
}

package market

import (
	"context"
	"errors"
	"math/big"
	"slices"
	"time"
	"unicode/utf8"

	"github.com/ethereum/go-ethereum/common"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/amanat/amn/db"
	"github.com/amanat/amn/market/internal/marketdb"
	"github.com/amanat/amn/payment"
)

// OfferStatus is where an offer stands.
type OfferStatus string

// The offer statuses (market_offers.status).
const (
	OfferPending   OfferStatus = "pending" // live
	OfferAccepted  OfferStatus = "accepted"
	OfferRejected  OfferStatus = "rejected"
	OfferWithdrawn OfferStatus = "withdrawn"
	OfferExpired   OfferStatus = "expired"
)

// Offer is a seller's offer at its latest revision, with its history when listed.
type Offer struct {
	ID              uuid.UUID
	RequestID       uuid.UUID
	SellerID        uuid.UUID
	Status          OfferStatus
	Revision        int
	Price           *big.Int
	DeliveryDays    int
	ValidUntil      time.Time
	Notes           string
	PayoutAddress   common.Address
	PayoutSignature []byte
	CreatedAt       time.Time
	UpdatedAt       time.Time
	Revisions       []Revision
}

// Revision is one version of an offer's terms.
type Revision struct {
	Revision      int
	Price         *big.Int
	DeliveryDays  int
	ValidUntil    time.Time
	Notes         string
	PayoutAddress common.Address
	CreatedAt     time.Time
}

func offerOf(m marketdb.MarketOffer) Offer {
	return Offer{ID: m.ID, RequestID: m.RequestID, SellerID: m.SellerID, Status: OfferStatus(m.Status),
		Revision: int(m.Revision), Price: bigOf(m.Price), DeliveryDays: int(m.DeliveryDays), ValidUntil: m.ValidUntil,
		Notes: m.Notes, PayoutAddress: common.BytesToAddress(m.PayoutAddress), PayoutSignature: m.PayoutSignature,
		CreatedAt: m.CreatedAt, UpdatedAt: m.UpdatedAt}
}

// OfferInput is a seller's terms: the price in the request's token's base units, and the payout
// wallet's EIP-712 signature of payment.Offer (offer id, chain id, token, price, payout).
type OfferInput struct {
	ID              uuid.UUID // chosen by the client (uuid v4): the signed offer names it
	Price           string
	DeliveryDays    int
	ValidUntil      time.Time
	Notes           string
	PayoutAddress   common.Address
	PayoutSignature []byte // nil on a revision that keeps price and payout: the last one stands
}

const maxOfferLife = 90 * 24 * time.Hour

func checkOffer(in OfferInput, now time.Time) (*big.Int, error) {
	price, err := parseAmount("price", in.Price, true)
	switch {
	case err != nil:
		return nil, err
	case in.DeliveryDays < 0 || in.DeliveryDays > 365:
		return nil, invalid("deliveryDays must be 0 to 365")
	case !in.ValidUntil.After(now) || in.ValidUntil.Sub(now) > maxOfferLife:
		return nil, invalid("validUntil must be in the future and within 90 days")
	case utf8.RuneCountInString(in.Notes) > 5000:
		return nil, invalid("notes must be at most 5000 characters")
	case in.PayoutAddress == (common.Address{}):
		return nil, invalid("payoutAddress is required")
	}
	return price, nil
}

// OfferTerms is what a seller's payout wallet signs for an offer on request r: the client picks
// the offer id (uuid v4), the price and the payout address.
func (s *Service) OfferTerms(r Request, offer uuid.UUID, price *big.Int, payout common.Address) (payment.Offer, error) {
	c, t, err := s.token(r.ChainKey, r.TokenSymbol)
	if err != nil {
		return payment.Offer{}, err
	}
	if offer.Version() != 4 || offer.Variant() != uuid.RFC4122 {
		return payment.Offer{}, invalid("the offer id must be a uuid v4")
	}
	return payment.Offer{Ref: offer.String(), ChainID: c.ID, Token: t.Address, Amount: price, Payout: payout}, nil
}

// proveOffer checks the payout wallet signed exactly these terms; it returns the signature as
// stored (65 bytes).
func (s *Service) proveOffer(m marketdb.MarketRequest, id uuid.UUID, price *big.Int, payout common.Address, sig []byte) ([]byte, error) {
	o, err := s.OfferTerms(s.requestOf(m), id, price, payout)
	if err != nil {
		return nil, err
	}
	if len(sig) != 65 {
		return nil, invalid("payoutSignature must be a 65-byte EIP-712 signature")
	}
	signer, err := o.Signer(sig)
	if err != nil || signer != payout {
		return nil, invalid("payoutSignature is not the payout wallet's signature of these terms")
	}
	out := slices.Clone(sig)
	if out[64] < 27 {
		out[64] += 27
	}
	return out, nil
}

// MakeOffer records a seller's offer on an open request (not its own), one live offer per seller
// per request; the request hears offer_made.
func (s *Service) MakeOffer(ctx context.Context, seller Caller, requestID uuid.UUID, in OfferInput) (*Offer, error) {
	now := s.clock()
	price, err := checkOffer(in, now)
	if err != nil {
		return nil, err
	}
	in.ValidUntil = in.ValidUntil.UTC().Truncate(time.Microsecond)
	err = s.inTx(ctx, func(tx pgx.Tx, q *marketdb.Queries) error {
		m, err := lockRequest(ctx, q, requestID)
		if err != nil {
			return err
		}
		if m.BuyerID == seller.UserID {
			return ErrOwnRequest
		}
		if !slices.Contains(open, Status(m.Status)) || Status(m.Status) == Pending {
			return ErrNotFound // not visible to sellers
		}
		sig, err := s.proveOffer(m, in.ID, price, in.PayoutAddress, in.PayoutSignature)
		if err != nil {
			return err
		}
		err = q.InsertOffer(ctx, marketdb.InsertOfferParams{ID: in.ID, RequestID: requestID, SellerID: seller.UserID,
			Price: db.Numeric(price), DeliveryDays: int32(in.DeliveryDays), ValidUntil: in.ValidUntil, Notes: in.Notes,
			PayoutAddress: in.PayoutAddress.Bytes(), PayoutSignature: sig, CreatedAt: now})
		switch {
		case db.IsUniqueViolation(err, "market_offers_one_live"):
			return ErrOfferExists
		case db.IsUniqueViolation(err, "market_offers_pkey"):
			return invalid("this offer id is taken: choose a new one and sign again")
		case err != nil:
			return err
		}
		if err := s.revision(ctx, q, in.ID, 1, price, in, sig, now); err != nil {
			return err
		}
		return s.fire(ctx, q, &m, EvOfferMade, ActorSystem, uuid.Nil, map[string]any{"offer": in.ID, "seller": seller.UserID})
	})
	if err != nil {
		return nil, err
	}
	return s.offer(ctx, in.ID)
}

func (s *Service) revision(ctx context.Context, q *marketdb.Queries, id uuid.UUID, n int32, price *big.Int,
	in OfferInput, sig []byte, now time.Time) error {
	return q.InsertRevision(ctx, marketdb.InsertRevisionParams{OfferID: id, Revision: n, Price: db.Numeric(price),
		DeliveryDays: int32(in.DeliveryDays), ValidUntil: in.ValidUntil, Notes: in.Notes,
		PayoutAddress: in.PayoutAddress.Bytes(), PayoutSignature: sig, CreatedAt: now})
}

func (s *Service) offer(ctx context.Context, id uuid.UUID) (*Offer, error) {
	m, err := s.q.OfferByID(ctx, id)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, ErrOfferNotFound
	}
	if err != nil {
		return nil, err
	}
	o := offerOf(m)
	return &o, nil
}

// lockedOffer locks the offer's request and finds the seller's own live offer on it.
func (s *Service) lockedOffer(ctx context.Context, q *marketdb.Queries, seller Caller, requestID, offerID uuid.UUID) (marketdb.MarketRequest, marketdb.MarketOffer, error) {
	m, err := lockRequest(ctx, q, requestID)
	if err != nil {
		return m, marketdb.MarketOffer{}, err
	}
	o, err := q.OfferByID(ctx, offerID)
	if errors.Is(err, pgx.ErrNoRows) || (err == nil && (o.SellerID != seller.UserID || o.RequestID != requestID)) {
		return m, o, ErrOfferNotFound
	}
	if err != nil {
		return m, o, err
	}
	if OfferStatus(o.Status) != OfferPending {
		return m, o, ErrOfferNotLive
	}
	return m, o, nil
}

// ReviseOffer writes new terms as a new revision (the history is kept). A new price or payout
// needs a new signature; other changes keep the last one.
func (s *Service) ReviseOffer(ctx context.Context, seller Caller, requestID, offerID uuid.UUID, in OfferInput) (*Offer, error) {
	now := s.clock()
	price, err := checkOffer(in, now)
	if err != nil {
		return nil, err
	}
	in.ValidUntil = in.ValidUntil.UTC().Truncate(time.Microsecond)
	err = s.inTx(ctx, func(tx pgx.Tx, q *marketdb.Queries) error {
		m, o, err := s.lockedOffer(ctx, q, seller, requestID, offerID)
		if err != nil {
			return err
		}
		sig := in.PayoutSignature
		if sig == nil {
			sig = o.PayoutSignature
		}
		if sig, err = s.proveOffer(m, offerID, price, in.PayoutAddress, sig); err != nil {
			return err
		}
		n := o.Revision + 1
		err = q.ReviseOffer(ctx, marketdb.ReviseOfferParams{ID: offerID, Revision: n, Price: db.Numeric(price),
			DeliveryDays: int32(in.DeliveryDays), ValidUntil: in.ValidUntil, Notes: in.Notes,
			PayoutAddress: in.PayoutAddress.Bytes(), PayoutSignature: sig, UpdatedAt: now})
		if err != nil {
			return err
		}
		return s.revision(ctx, q, offerID, n, price, in, sig, now)
	})
	if err != nil {
		return nil, err
	}
	return s.offer(ctx, offerID)
}

// WithdrawOffer takes a seller's live offer back; the last live offer gone is offers_gone.
func (s *Service) WithdrawOffer(ctx context.Context, seller Caller, requestID, offerID uuid.UUID) (*Offer, error) {
	err := s.inTx(ctx, func(tx pgx.Tx, q *marketdb.Queries) error {
		m, _, err := s.lockedOffer(ctx, q, seller, requestID, offerID)
		if err != nil {
			return err
		}
		if err := q.SetOfferStatus(ctx, marketdb.SetOfferStatusParams{ID: offerID, Status: string(OfferWithdrawn), UpdatedAt: s.clock()}); err != nil {
			return err
		}
		return s.offersGone(ctx, q, &m, map[string]any{"offer": offerID, "why": "withdrawn"})
	})
	if err != nil {
		return nil, err
	}
	return s.offer(ctx, offerID)
}

// offersGone fires offers_gone when a locked request has no live offer left and is where that
// event applies.
func (s *Service) offersGone(ctx context.Context, q *marketdb.Queries, m *marketdb.MarketRequest, detail map[string]any) error {
	n, err := q.LiveOffers(ctx, m.ID)
	if err != nil || n > 0 {
		return err
	}
	if _, err := Next(Status(m.Status), EvOffersGone, ActorSystem, ""); err != nil {
		return nil // an open request without offers (active) or one already past offers
	}
	return s.fire(ctx, q, m, EvOffersGone, ActorSystem, uuid.Nil, detail)
}

// rejectLive rejects every live offer of a locked request but keep; it returns nothing to fire:
// the caller's own event follows.
func (s *Service) rejectLive(ctx context.Context, q *marketdb.Queries, requestID, keep uuid.UUID) error {
	_, err := q.RejectOthers(ctx, marketdb.RejectOthersParams{RequestID: requestID, ID: keep, UpdatedAt: s.clock()})
	return err
}

// Offers lists a request's offers as the caller may see them, newest first, n after the cursor:
// its buyer (and an admin) all of them with their history, a seller its own; anyone else
// nothing (ErrNotFound).
func (s *Service) Offers(ctx context.Context, who Caller, requestID uuid.UUID, after Cursor, n int) ([]Offer, error) {
	m, err := s.q.RequestByID(ctx, requestID)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	all := m.BuyerID == who.UserID || who.Admin
	out, err := s.offersOf(ctx, requestID, all, who, after, n)
	if err != nil || all || len(out) > 0 {
		return out, err
	}
	// An empty page of a seller's own offers: not found unless it did offer (a later page).
	offered, err := s.q.HasOffered(ctx, marketdb.HasOfferedParams{RequestID: requestID, SellerID: who.UserID})
	if err == nil && !offered {
		return nil, ErrNotFound
	}
	return out, err
}

// offersOf reads a page of a request's offers, all of them or the caller's own, with their
// revisions (one read for the page), for a caller already known to be allowed.
func (s *Service) offersOf(ctx context.Context, requestID uuid.UUID, all bool, who Caller, after Cursor, n int) ([]Offer, error) {
	var rows []marketdb.MarketOffer
	var err error
	at, id := after.args()
	if all {
		rows, err = s.q.RequestOffers(ctx, marketdb.RequestOffersParams{RequestID: requestID, AfterAt: at, AfterID: id, Lim: limit(n)})
	} else {
		rows, err = s.q.SellerOffersOn(ctx, marketdb.SellerOffersOnParams{RequestID: requestID, SellerID: who.UserID,
			AfterAt: at, AfterID: id, Lim: limit(n)})
	}
	if err != nil || len(rows) == 0 {
		return []Offer{}, err
	}
	ids := make([]uuid.UUID, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	revs, err := s.q.OfferRevisions(ctx, ids)
	if err != nil {
		return nil, err
	}
	byOffer := map[uuid.UUID][]Revision{}
	for _, v := range revs {
		byOffer[v.OfferID] = append(byOffer[v.OfferID], Revision{Revision: int(v.Revision), Price: bigOf(v.Price),
			DeliveryDays: int(v.DeliveryDays), ValidUntil: v.ValidUntil, Notes: v.Notes,
			PayoutAddress: common.BytesToAddress(v.PayoutAddress), CreatedAt: v.CreatedAt})
	}
	out := make([]Offer, 0, len(rows))
	for _, r := range rows {
		o := offerOf(r)
		o.Revisions = byOffer[r.ID]
		out = append(out, o)
	}
	return out, nil
}

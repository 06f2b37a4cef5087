package market

import (
	"context"
	"math/big"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/amanat/amn/db"
	"github.com/amanat/amn/market/internal/marketdb"
)

// Cursor is a position in a list: the last row's (created_at, id). Zero: the first page.
type Cursor struct {
	At time.Time
	ID uuid.UUID
}

func (c Cursor) args() (*time.Time, uuid.NullUUID) {
	if c.At.IsZero() {
		return nil, uuid.NullUUID{}
	}
	at := c.At
	return &at, uuid.NullUUID{UUID: c.ID, Valid: true}
}

// MaxPage is the most rows a page holds. A list may be asked for one more row than that, to learn
// whether another page follows.
const MaxPage = 100

func limit(n int) int32 {
	if n <= 0 || n > MaxPage+1 {
		return MaxPage
	}
	return int32(n)
}

// Browse is the public search: open public requests, newest first. Every filter is optional.
type Browse struct {
	Category, ProductType, ChainKey, TokenSymbol string
	// BudgetAtLeast and BudgetAtMost keep the requests whose [budgetMin, budgetMax] overlaps them,
	// in base units of one token: a budget filter needs ChainKey and TokenSymbol (18-decimal DAI
	// and 6-decimal USDT amounts are not comparable).
	BudgetAtLeast, BudgetAtMost *big.Int
	Q                           string // full text over title and description
	After                       Cursor
	Limit                       int
}

func opt(s string) *string {
	if s = strings.TrimSpace(s); s == "" {
		return nil
	}
	return &s
}

func optNum(v *big.Int) pgtype.Numeric {
	if v == nil {
		return pgtype.Numeric{}
	}
	return db.Numeric(v)
}

// BrowseRequests lists open public requests without personal data (Request.Public).
func (s *Service) BrowseRequests(ctx context.Context, b Browse) ([]Request, error) {
	if len(b.Q) > 200 {
		return nil, invalid("q must be at most 200 characters")
	}
	if (b.BudgetAtLeast != nil || b.BudgetAtMost != nil) && (opt(b.ChainKey) == nil || opt(b.TokenSymbol) == nil) {
		return nil, invalid("a budget filter needs chain and token: budgets compare in one token's base units")
	}
	rows, err := s.browse(ctx, b)
	if err != nil {
		return nil, err
	}
	out := make([]Request, len(rows))
	for i, r := range rows {
		out[i] = s.requestOf(r).Public()
	}
	return out, nil
}

// MyRequests lists the buyer's own requests, every status, newest first.
func (s *Service) MyRequests(ctx context.Context, buyer Caller, after Cursor, n int) ([]Request, error) {
	at, id := after.args()
	rows, err := s.q.BuyerRequests(ctx, marketdb.BuyerRequestsParams{BuyerID: buyer.UserID, AfterAt: at, AfterID: id, Lim: limit(n)})
	if err != nil {
		return nil, err
	}
	out := make([]Request, len(rows))
	for i, r := range rows {
		out[i] = s.requestOf(r)
	}
	return out, nil
}

// Detail is a request as one caller may see it.
type Detail struct {
	Request Request
	Party   bool    // the buyer, a seller with an offer, or an admin: the full request
	Offers  []Offer // the buyer's and an admin's: all; a seller's: its own; the public: none (the first MaxPage; Offers pages)
}

// PublicRequest is a request anyone may read: an open one (public or unlisted), without
// personal data. Others are ErrNotFound.
func (s *Service) PublicRequest(ctx context.Context, id uuid.UUID) (*Request, error) {
	r, err := s.getRequest(ctx, id)
	if err != nil {
		return nil, err
	}
	if !r.Open() || r.Status == Pending {
		return nil, ErrNotFound
	}
	p := r.Public()
	return &p, nil
}

// MayWatch reports whether who may follow the request live (its real-time room): its buyer,
// admins, the seller of its accepted offer and sellers whose offer is pending. A seller whose
// offers were all rejected or withdrawn is no longer in the deal and may not; nor anyone else.
func (s *Service) MayWatch(ctx context.Context, who Caller, id uuid.UUID) (bool, error) {
	r, err := s.getRequest(ctx, id)
	if err != nil {
		return false, err
	}
	if who.Admin || (who.UserID != uuid.Nil && r.BuyerID == who.UserID) {
		return true, nil
	}
	if who.UserID == uuid.Nil {
		return false, nil
	}
	return s.q.HasLiveOffer(ctx, marketdb.HasLiveOfferParams{RequestID: id, SellerID: who.UserID})
}

// RequestDetail is the request as the caller sees it. Its buyer and admins see it whole. A seller
// who offered on it is a party too, but sees the public view with its own offers only; the
// payment goes to the seller whose offer was accepted, and the delivery address too once the
// payment is final (processing on); to nobody else. Anyone else sees the public view while the
// request is open, else ErrNotFound.
func (s *Service) RequestDetail(ctx context.Context, who Caller, id uuid.UUID) (*Detail, error) {
	r, err := s.getRequest(ctx, id)
	if err != nil {
		return nil, err
	}
	if r.BuyerID == who.UserID || who.Admin {
		offers, err := s.offersOf(ctx, id, true, who, Cursor{}, MaxPage)
		if err != nil {
			return nil, err
		}
		return &Detail{Request: *r, Party: true, Offers: offers}, nil
	}
	offered := false
	if who.UserID != uuid.Nil {
		if offered, err = s.q.HasOffered(ctx, marketdb.HasOfferedParams{RequestID: id, SellerID: who.UserID}); err != nil {
			return nil, err
		}
	}
	if !offered {
		p, err := s.PublicRequest(ctx, id)
		if err != nil {
			return nil, err
		}
		return &Detail{Request: *p}, nil
	}
	offers, err := s.offersOf(ctx, id, false, who, Cursor{}, MaxPage) // the seller's own
	if err != nil {
		return nil, err
	}
	view := r.Public()
	if accepted := slices.ContainsFunc(offers, func(o Offer) bool { return o.Status == OfferAccepted }); accepted {
		view.PaymentID, view.AcceptedOffer = r.PaymentID, r.AcceptedOffer // the seller follows the payment (GET /v1/payments/{id})
		if paidFor(r.Status) {
			view.Delivery = r.Delivery
			view.Shipment, view.DeliveredAt, view.InspectionEndsAt = r.Shipment, r.DeliveredAt, r.InspectionEndsAt
		}
	}
	return &Detail{Request: view, Party: true, Offers: offers}, nil
}

// paidFor reports whether the request's payment is final: the seller may ship.
func paidFor(s Status) bool {
	return s == Processing || s == Delivery || s == Delivered || s == Confirming || s == Completed || s == Disputed
}

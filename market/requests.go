package market

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/amanat/amn/db"
	"github.com/amanat/amn/market/internal/marketdb"
	"github.com/amanat/amn/payment"
)

// DeliveryTo is where the goods or service go: online, or a physical address (private: only the
// request's parties ever see it).
type DeliveryTo struct {
	Kind    string   `json:"kind"` // "online" or "physical"
	Address *Address `json:"address,omitempty"`
}

// Address is a physical delivery address.
type Address struct {
	Recipient  string `json:"recipient"`
	Line1      string `json:"line1"`
	Line2      string `json:"line2,omitempty"`
	City       string `json:"city"`
	Region     string `json:"region,omitempty"`
	PostalCode string `json:"postalCode,omitempty"`
	Country    string `json:"country"` // ISO 3166-1 alpha-2
	Phone      string `json:"phone,omitempty"`
}

// Request is a purchase request as its parties see it. Public views clear BuyerID and the
// delivery address (Public).
type Request struct {
	ID            uuid.UUID
	BuyerID       uuid.UUID
	Title         string
	Description   string
	Category      string
	ProductType   string
	ChainKey      string
	TokenSymbol   string
	BudgetMin     *big.Int
	BudgetMax     *big.Int
	Urgency       string
	Delivery      DeliveryTo
	Visibility    string
	Status        Status
	AcceptedOffer *uuid.UUID
	PaymentID     *uuid.UUID
	TemplateID    *uuid.UUID
	// Shipment is what the seller said on shipping (nil before).
	Shipment *Shipment
	// DeliveredAt is when the goods arrived; the inspection period (InspectionDays days of
	// Config.Day) then runs until InspectionEndsAt.
	DeliveredAt      *time.Time
	InspectionDays   int
	InspectionEndsAt *time.Time
	ExpiresAt        time.Time
	CreatedAt        time.Time
	UpdatedAt        time.Time
}

// Public is the request without personal data: no buyer, no delivery address, no payment, no
// shipment.
func (r Request) Public() Request {
	r.BuyerID, r.PaymentID, r.AcceptedOffer, r.TemplateID = uuid.Nil, nil, nil, nil
	r.Delivery.Address, r.Shipment, r.DeliveredAt, r.InspectionEndsAt = nil, nil, nil, nil
	return r
}

// Open reports whether the request still takes offers and edits.
func (r Request) Open() bool { return slices.Contains(open, r.Status) }

func nullable(n uuid.NullUUID) *uuid.UUID {
	if !n.Valid {
		return nil
	}
	return &n.UUID
}

func (s *Service) requestOf(m marketdb.MarketRequest) Request {
	r := Request{ID: m.ID, BuyerID: m.BuyerID, Title: m.Title, Description: m.Description, Category: m.Category,
		ProductType: m.ProductType, ChainKey: m.ChainKey, TokenSymbol: m.TokenSymbol, BudgetMin: bigOf(m.BudgetMin),
		BudgetMax: bigOf(m.BudgetMax), Urgency: m.Urgency, Visibility: m.Visibility, Status: Status(m.Status),
		AcceptedOffer: nullable(m.AcceptedOffer), PaymentID: nullable(m.PaymentID), TemplateID: nullable(m.TemplateID),
		DeliveredAt: m.DeliveredAt, InspectionDays: int(m.InspectionDays), ExpiresAt: m.ExpiresAt, CreatedAt: m.CreatedAt,
		UpdatedAt: m.UpdatedAt}
	_ = json.Unmarshal(m.Delivery, &r.Delivery)
	if m.Shipment != nil {
		var sh Shipment
		if json.Unmarshal(m.Shipment, &sh) == nil {
			r.Shipment = &sh
		}
	}
	if m.DeliveredAt != nil {
		ends := m.DeliveredAt.Add(time.Duration(m.InspectionDays) * s.cfg.Day)
		r.InspectionEndsAt = &ends
	}
	return r
}

// RequestInput is what a buyer writes when creating or editing a request. Chain, token and
// product type are fixed at creation (edits ignore them).
type RequestInput struct {
	Title, Description, Category, ProductType string
	BudgetMin, BudgetMax                      string // base units, decimal
	ChainKey, TokenSymbol                     string
	Urgency                                   string // low, normal (default), high, urgent
	Delivery                                  DeliveryTo
	Visibility                                string     // public (default) or private (unlisted: reachable by id only)
	ExpiresAt                                 *time.Time // default now + RequestTTL
}

var (
	categoryRe     = regexp.MustCompile(`^[a-z0-9_-]{1,64}$`)
	productTypes   = []string{"physical_product", "digital_product", "service", "consultation"}
	urgencies      = []string{"low", "normal", "high", "urgent"}
	visibilities   = []string{"public", "private"}
	countryRe      = regexp.MustCompile(`^[A-Z]{2}$`)
	maxRequestLife = 180 * 24 * time.Hour
)

// checked is a validated RequestInput.
type checked struct {
	in       RequestInput
	min, max *big.Int
	delivery []byte
	expires  time.Time
}

func (s *Service) check(in RequestInput, now time.Time) (checked, error) {
	c := checked{in: in}
	in.Title, in.Description = strings.TrimSpace(in.Title), strings.TrimSpace(in.Description)
	if in.Urgency == "" {
		in.Urgency = "normal"
	}
	if in.Visibility == "" {
		in.Visibility = "public"
	}
	switch n := utf8.RuneCountInString(in.Title); {
	case n < 3 || n > 200:
		return c, invalid("title must be 3 to 200 characters")
	case utf8.RuneCountInString(in.Description) > 20000:
		return c, invalid("description must be at most 20000 characters")
	case !categoryRe.MatchString(in.Category):
		return c, invalid("category must match %s", categoryRe)
	case !slices.Contains(productTypes, in.ProductType):
		return c, invalid("productType must be one of %v", productTypes)
	case !slices.Contains(urgencies, in.Urgency):
		return c, invalid("urgency must be one of %v", urgencies)
	case !slices.Contains(visibilities, in.Visibility):
		return c, invalid("visibility must be one of %v", visibilities)
	}
	var err error
	if c.min, err = parseAmount("budgetMin", in.BudgetMin, false); err != nil {
		return c, err
	}
	if c.max, err = parseAmount("budgetMax", in.BudgetMax, true); err != nil {
		return c, err
	}
	if c.max.Cmp(c.min) < 0 {
		return c, invalid("budgetMax must be at least budgetMin")
	}
	if c.delivery, err = checkDelivery(in.Delivery); err != nil {
		return c, err
	}
	c.expires = now.Add(s.cfg.RequestTTL)
	if in.ExpiresAt != nil {
		c.expires = in.ExpiresAt.UTC().Truncate(time.Microsecond)
		if !c.expires.After(now) || c.expires.Sub(now) > maxRequestLife {
			return c, invalid("expiresAt must be in the future and within %d days", int(maxRequestLife.Hours()/24))
		}
	}
	c.in = in
	return c, nil
}

func checkDelivery(d DeliveryTo) ([]byte, error) {
	switch d.Kind {
	case "online":
		if d.Address != nil {
			return nil, invalid("online delivery takes no address")
		}
	case "physical":
		a := d.Address
		if a == nil || strings.TrimSpace(a.Recipient) == "" || strings.TrimSpace(a.Line1) == "" ||
			strings.TrimSpace(a.City) == "" || !countryRe.MatchString(a.Country) {
			return nil, invalid("physical delivery needs recipient, line1, city and a two-letter country")
		}
		for _, f := range []string{a.Recipient, a.Line1, a.Line2, a.City, a.Region, a.PostalCode, a.Phone} {
			if utf8.RuneCountInString(f) > 200 {
				return nil, invalid("address fields must be at most 200 characters")
			}
		}
	default:
		return nil, invalid(`delivery kind must be "online" or "physical"`)
	}
	return json.Marshal(d)
}

// CreateRequest records a buyer's request: pending, and published at once (by the platform)
// unless moderation is on.
func (s *Service) CreateRequest(ctx context.Context, buyer Caller, in RequestInput) (*Request, error) {
	now := s.clock()
	c, err := s.check(in, now)
	if err != nil {
		return nil, err
	}
	if _, _, err := s.token(in.ChainKey, in.TokenSymbol); err != nil {
		return nil, err
	}
	id := uuid.New()
	err = s.inTx(ctx, func(tx pgx.Tx, q *marketdb.Queries) error {
		return s.insertRequest(ctx, q, id, buyer.UserID, c, nil, uuid.NullUUID{}, now)
	})
	if err != nil {
		return nil, err
	}
	return s.getRequest(ctx, id)
}

// insertRequest writes a new request (pending, its "create" event) and publishes it when
// moderation is off. template, when set, makes it an express request the caller moves on
// (express, in the same transaction).
func (s *Service) insertRequest(ctx context.Context, q *marketdb.Queries, id, buyer uuid.UUID, c checked,
	template *uuid.UUID, paymentID uuid.NullUUID, now time.Time) error {
	in := c.in
	initial := Pending
	err := q.InsertRequest(ctx, marketdb.InsertRequestParams{ID: id, BuyerID: buyer, Title: in.Title,
		Description: in.Description, Category: in.Category, ProductType: in.ProductType, ChainKey: in.ChainKey,
		TokenSymbol: in.TokenSymbol, BudgetMin: db.Numeric(c.min), BudgetMax: db.Numeric(c.max), Urgency: in.Urgency,
		Delivery: c.delivery, Visibility: in.Visibility, Status: string(initial), ExpiresAt: c.expires,
		TemplateID: uuid.NullUUID{UUID: ptrOr(template), Valid: template != nil}, CreatedAt: now, PaymentID: paymentID,
		InspectionDays: int32(s.cfg.inspectionDays(in.Category))})
	if err != nil {
		return err
	}
	if err := s.event(ctx, q, id, "create", ActorBuyer, buyer, nil, initial, nil); err != nil {
		return err
	}
	if s.cfg.Moderation || template != nil {
		return nil
	}
	r := marketdb.MarketRequest{ID: id, Status: string(Pending)}
	return s.fire(ctx, q, &r, EvPublish, ActorSystem, uuid.Nil, nil)
}

func ptrOr(p *uuid.UUID) uuid.UUID {
	if p == nil {
		return uuid.Nil
	}
	return *p
}

func (s *Service) getRequest(ctx context.Context, id uuid.UUID) (*Request, error) {
	m, err := s.q.RequestByID(ctx, id)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	r := s.requestOf(m)
	return &r, nil
}

// EditRequest changes an open request's terms (its buyer only; chain, token and product type
// stay). With moderation on, a published request whose title, description or category changes
// goes back to pending (remoderate).
func (s *Service) EditRequest(ctx context.Context, buyer Caller, id uuid.UUID, in RequestInput) (*Request, error) {
	now := s.clock()
	err := s.inTx(ctx, func(tx pgx.Tx, q *marketdb.Queries) error {
		m, err := lockRequest(ctx, q, id)
		if err != nil {
			return err
		}
		if m.BuyerID != buyer.UserID {
			return ErrNotFound
		}
		if !slices.Contains(open, Status(m.Status)) {
			return ErrIllegalTransition
		}
		in.ChainKey, in.TokenSymbol, in.ProductType = m.ChainKey, m.TokenSymbol, m.ProductType
		c, err := s.check(in, now)
		if err != nil {
			return err
		}
		if in.ExpiresAt == nil {
			c.expires = m.ExpiresAt
		}
		if err := s.remoderate(ctx, q, &m, c.in, buyer); err != nil {
			return err
		}
		return q.EditRequest(ctx, marketdb.EditRequestParams{ID: id, Title: c.in.Title, Description: c.in.Description,
			Category: c.in.Category, Urgency: c.in.Urgency, Delivery: c.delivery, Visibility: c.in.Visibility,
			BudgetMin: db.Numeric(c.min), BudgetMax: db.Numeric(c.max), ExpiresAt: c.expires, UpdatedAt: now})
	})
	if err != nil {
		return nil, err
	}
	return s.getRequest(ctx, id)
}

// remoderate holds an edited request for moderation again (resubmit: active → pending) when
// moderation is on and the edit changes what moderation checked: title, description or category.
// A request with live offers cannot be resubmitted (sellers offered on that text): such an edit is
// ErrIllegalTransition; the other fields stay editable.
func (s *Service) remoderate(ctx context.Context, q *marketdb.Queries, m *marketdb.MarketRequest, in RequestInput, buyer Caller) error {
	if !s.cfg.Moderation || Status(m.Status) == Pending ||
		(in.Title == m.Title && in.Description == m.Description && in.Category == m.Category) {
		return nil
	}
	if err := s.fire(ctx, q, m, EvResubmit, ActorBuyer, buyer.UserID, nil); err != nil {
		return fmt.Errorf("%w (with moderation on, the title, description and category of a request with offers are fixed)", err)
	}
	return nil
}

// Publish makes a pending request visible to sellers (an admin, when moderation is on).
func (s *Service) Publish(ctx context.Context, admin Caller, id uuid.UUID) (*Request, error) {
	if !admin.Admin {
		return nil, ErrNotFound
	}
	err := s.inTx(ctx, func(tx pgx.Tx, q *marketdb.Queries) error {
		m, err := lockRequest(ctx, q, id)
		if err != nil {
			return err
		}
		return s.fire(ctx, q, &m, EvPublish, ActorAdmin, admin.UserID, nil)
	})
	if err != nil {
		return nil, err
	}
	return s.getRequest(ctx, id)
}

// CancelRequest withdraws a request (its buyer, or an admin) before money moved. A request whose
// offer was accepted has its payment withdrawn in the same transaction (payment.WithdrawTx):
// money that arrives after ends late, never funded; and its accepted offer becomes rejected (the
// buyer's side called the deal off; withdrawn is the seller's word), so no offer of a cancelled
// request stays accepted or pending. A payment that has already seen money is ErrPaymentMoved.
func (s *Service) CancelRequest(ctx context.Context, who Caller, id uuid.UUID) (*Request, error) {
	actor := ActorBuyer
	err := s.inTx(ctx, func(tx pgx.Tx, q *marketdb.Queries) error {
		m, err := lockRequest(ctx, q, id)
		if err != nil {
			return err
		}
		switch {
		case m.BuyerID == who.UserID:
		case who.Admin:
			actor = ActorAdmin
		default:
			return ErrNotFound
		}
		if _, err := Next(Status(m.Status), EvCancel, actor, ""); err != nil {
			return err
		}
		if m.PaymentID.Valid {
			if err := s.withdrawPayment(ctx, tx, m.PaymentID.UUID); err != nil {
				return err
			}
		}
		if err := s.rejectLive(ctx, q, id, uuid.Nil); err != nil {
			return err
		}
		if m.AcceptedOffer.Valid { // the deal is off: the accepted offer is rejected too
			err := q.SetOfferStatus(ctx, marketdb.SetOfferStatusParams{ID: m.AcceptedOffer.UUID, Status: string(OfferRejected), UpdatedAt: s.clock()})
			if err != nil {
				return err
			}
		}
		return s.fire(ctx, q, &m, EvCancel, actor, who.UserID, nil)
	})
	if err != nil {
		return nil, err
	}
	return s.getRequest(ctx, id)
}

// withdrawPayment expires a cancelled request's unpaid payment in the cancel's transaction
// (payment.WithdrawTx); an expired one is fine. One that has seen money is ErrPaymentMoved.
func (s *Service) withdrawPayment(ctx context.Context, tx pgx.Tx, id uuid.UUID) error {
	if s.payments == nil {
		return ErrNoPayments
	}
	_, err := s.payments.WithdrawTx(ctx, tx, [16]byte(id), "market", "the request was cancelled")
	var te *payment.TransitionError
	switch {
	case errors.As(err, &te) && te.From == payment.Expired:
		return nil
	case errors.Is(err, payment.ErrIllegalTransition):
		return ErrPaymentMoved
	}
	return err
}

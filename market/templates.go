package market

import (
	"context"
	"errors"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/amanat/amn/db"
	"github.com/amanat/amn/market/internal/marketdb"
	"github.com/amanat/amn/payment"
)

// Template is a seller's express-checkout request at a fixed price.
type Template struct {
	ID                                        uuid.UUID
	SellerID                                  uuid.UUID
	Title, Description, Category, ProductType string
	ChainKey, TokenSymbol                     string
	Price                                     *big.Int
	DeliveryDays                              int
	PayoutAddress                             common.Address
	Active                                    bool
	CreatedAt, UpdatedAt                      time.Time
}

// TemplateInput is a seller's template. The payout wallet signs payment.Offer with the offer
// reference "template:<id>" (TemplateTerms): one signature serves every buyer.
type TemplateInput struct {
	ID                                        uuid.UUID // chosen by the client (uuid v4)
	Title, Description, Category, ProductType string
	ChainKey, TokenSymbol                     string
	Price                                     string
	DeliveryDays                              int
	PayoutAddress                             common.Address
	PayoutSignature                           []byte
	Active                                    bool // edits only
}

func templateRef(id uuid.UUID) string { return "template:" + id.String() }

func templateOf(m marketdb.MarketTemplate) Template {
	return Template{ID: m.ID, SellerID: m.SellerID, Title: m.Title, Description: m.Description, Category: m.Category,
		ProductType: m.ProductType, ChainKey: m.ChainKey, TokenSymbol: m.TokenSymbol, Price: bigOf(m.Price),
		DeliveryDays: int(m.DeliveryDays), PayoutAddress: common.BytesToAddress(m.PayoutAddress), Active: m.Active,
		CreatedAt: m.CreatedAt, UpdatedAt: m.UpdatedAt}
}

// TemplateTerms is what the payout wallet signs for a template.
func (s *Service) TemplateTerms(chainKey, symbol string, id uuid.UUID, price *big.Int, payout common.Address) (payment.Offer, error) {
	c, t, err := s.token(chainKey, symbol)
	if err != nil {
		return payment.Offer{}, err
	}
	if id.Version() != 4 {
		return payment.Offer{}, invalid("the template id must be a uuid v4")
	}
	return payment.Offer{Ref: templateRef(id), ChainID: c.ID, Token: t.Address, Amount: price, Payout: payout}, nil
}

func (s *Service) checkTemplate(in TemplateInput) (*big.Int, []byte, error) {
	ri := RequestInput{Title: in.Title, Description: in.Description, Category: in.Category, ProductType: in.ProductType,
		BudgetMin: in.Price, BudgetMax: in.Price, Delivery: DeliveryTo{Kind: "online"}}
	if _, err := s.check(ri, s.clock()); err != nil {
		return nil, nil, err
	}
	price, err := parseAmount("price", in.Price, true)
	if err != nil {
		return nil, nil, err
	}
	if in.DeliveryDays < 0 || in.DeliveryDays > 365 {
		return nil, nil, invalid("deliveryDays must be 0 to 365")
	}
	o, err := s.TemplateTerms(in.ChainKey, in.TokenSymbol, in.ID, price, in.PayoutAddress)
	if err != nil {
		return nil, nil, err
	}
	if len(in.PayoutSignature) != 65 {
		return nil, nil, invalid("payoutSignature must be a 65-byte EIP-712 signature")
	}
	if signer, err := o.Signer(in.PayoutSignature); err != nil || signer != in.PayoutAddress || in.PayoutAddress == (common.Address{}) {
		return nil, nil, invalid("payoutSignature is not the payout wallet's signature of these terms")
	}
	sig := append([]byte(nil), in.PayoutSignature...)
	if sig[64] < 27 {
		sig[64] += 27
	}
	return price, sig, nil
}

// CreateTemplate records a seller's template.
func (s *Service) CreateTemplate(ctx context.Context, seller Caller, in TemplateInput) (*Template, error) {
	price, sig, err := s.checkTemplate(in)
	if err != nil {
		return nil, err
	}
	err = s.q.InsertTemplate(ctx, marketdb.InsertTemplateParams{ID: in.ID, SellerID: seller.UserID, Title: in.Title,
		Description: in.Description, Category: in.Category, ProductType: in.ProductType, ChainKey: in.ChainKey,
		TokenSymbol: in.TokenSymbol, Price: db.Numeric(price), DeliveryDays: int32(in.DeliveryDays),
		PayoutAddress: in.PayoutAddress.Bytes(), PayoutSignature: sig, CreatedAt: s.clock()})
	if db.IsUniqueViolation(err, "market_templates_pkey") {
		return nil, invalid("this template id is taken: choose a new one and sign again")
	}
	if err != nil {
		return nil, err
	}
	return s.template(ctx, in.ID)
}

func (s *Service) template(ctx context.Context, id uuid.UUID) (*Template, error) {
	m, err := s.q.TemplateByID(ctx, id)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, ErrTemplateNF
	}
	if err != nil {
		return nil, err
	}
	t := templateOf(m)
	return &t, nil
}

// MyTemplates lists a seller's templates, newest first.
func (s *Service) MyTemplates(ctx context.Context, seller Caller, after Cursor, n int) ([]Template, error) {
	at, id := after.args()
	rows, err := s.q.SellerTemplates(ctx, marketdb.SellerTemplatesParams{SellerID: seller.UserID, AfterAt: at, AfterID: id, Lim: limit(n)})
	if err != nil {
		return nil, err
	}
	out := make([]Template, len(rows))
	for i, r := range rows {
		out[i] = templateOf(r)
	}
	return out, nil
}

// EditTemplate changes a seller's own template (chain, token and category stay); Active false
// deactivates it. A new price or payout needs a new signature.
func (s *Service) EditTemplate(ctx context.Context, seller Caller, in TemplateInput) (*Template, error) {
	cur, err := s.q.TemplateByID(ctx, in.ID)
	if errors.Is(err, pgx.ErrNoRows) || (err == nil && cur.SellerID != seller.UserID) {
		return nil, ErrTemplateNF
	}
	if err != nil {
		return nil, err
	}
	in.ChainKey, in.TokenSymbol, in.Category, in.ProductType = cur.ChainKey, cur.TokenSymbol, cur.Category, cur.ProductType
	if in.PayoutSignature == nil {
		in.PayoutSignature = cur.PayoutSignature
	}
	price, sig, err := s.checkTemplate(in)
	if err != nil {
		return nil, err
	}
	err = s.q.EditTemplate(ctx, marketdb.EditTemplateParams{ID: in.ID, Title: in.Title, Description: in.Description,
		Price: db.Numeric(price), DeliveryDays: int32(in.DeliveryDays), PayoutAddress: in.PayoutAddress.Bytes(),
		PayoutSignature: sig, Active: in.Active, UpdatedAt: s.clock()})
	if err != nil {
		return nil, err
	}
	return s.template(ctx, in.ID)
}

// Spawn is a buyer's express purchase: a real request made from an active template, its
// fixed-price offer accepted at once and its payment created, all in one transaction; the request
// is pending_payment. A buyer may spawn a template any number of times: each spawn is a new
// request with its own payment, paid out to the payout address the template's current signature
// proves (a template edited to a new price or payout carries a new signature).
func (s *Service) Spawn(ctx context.Context, buyer Caller, templateID uuid.UUID, delivery DeliveryTo) (*Acceptance, error) {
	if s.payments == nil {
		return nil, ErrNoPayments
	}
	t, err := s.q.TemplateByID(ctx, templateID)
	if errors.Is(err, pgx.ErrNoRows) || (err == nil && !t.Active) {
		return nil, ErrTemplateNF
	}
	if err != nil {
		return nil, err
	}
	if t.SellerID == buyer.UserID {
		return nil, ErrOwnRequest
	}
	price := bigOf(t.Price).String()
	c, err := s.check(RequestInput{Title: t.Title, Description: t.Description, Category: t.Category, ProductType: t.ProductType,
		BudgetMin: price, BudgetMax: price, ChainKey: t.ChainKey, TokenSymbol: t.TokenSymbol, Delivery: delivery,
		Visibility: "private"}, s.clock())
	if err != nil {
		return nil, err
	}
	id, offerID := uuid.New(), uuid.New()
	var a *Acceptance
	err = s.inTx(ctx, func(tx pgx.Tx, q *marketdb.Queries) error {
		now := s.clock()
		shell := marketdb.MarketRequest{ID: id, ChainKey: t.ChainKey, TokenSymbol: t.TokenSymbol}
		offer := marketdb.MarketOffer{ID: offerID, Price: t.Price, PayoutAddress: t.PayoutAddress, PayoutSignature: t.PayoutSignature}
		// Every spawn is its own payment (its own request id) under the one offer the seller
		// signed for the template; payment.CreateTx proves that signature again.
		pay, err := s.createPayment(ctx, tx, &shell, offer, templateRef(templateID), buyer)
		if err != nil {
			return err
		}
		pid := uuid.NullUUID{UUID: uuid.UUID(pay.ID), Valid: true}
		if err := s.insertRequest(ctx, q, id, buyer.UserID, c, &templateID, pid, now); err != nil {
			return err
		}
		err = q.InsertOffer(ctx, marketdb.InsertOfferParams{ID: offerID, RequestID: id, SellerID: t.SellerID,
			Price: t.Price, DeliveryDays: t.DeliveryDays, ValidUntil: now.Add(s.cfg.PaymentTTL), Notes: "",
			PayoutAddress: t.PayoutAddress, PayoutSignature: t.PayoutSignature, CreatedAt: now})
		if err != nil {
			return err
		}
		first := OfferInput{DeliveryDays: int(t.DeliveryDays), ValidUntil: now.Add(s.cfg.PaymentTTL),
			PayoutAddress: common.BytesToAddress(t.PayoutAddress)}
		if err := s.revision(ctx, q, offerID, 1, bigOf(t.Price), first, t.PayoutSignature, now); err != nil {
			return err
		}
		m, err := lockRequest(ctx, q, id)
		if err != nil {
			return err
		}
		o, err := q.OfferByID(ctx, offerID)
		if err != nil {
			return err
		}
		p, err := s.acceptIn(ctx, tx, q, &m, o, buyer, pay)
		if err != nil {
			return err
		}
		a, err = s.acceptance(ctx, q, id, p)
		return err
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}

// BrowseTemplates lists active templates for every buyer, newest first.
func (s *Service) BrowseTemplates(ctx context.Context, after Cursor, n int) ([]Template, error) {
	at, id := after.args()
	rows, err := s.q.ActiveTemplates(ctx, marketdb.ActiveTemplatesParams{AfterAt: at, AfterID: id, Lim: limit(n)})
	if err != nil {
		return nil, err
	}
	out := make([]Template, len(rows))
	for i, r := range rows {
		out[i] = templateOf(r)
	}
	return out, nil
}

// MyTemplate is one of the seller's own templates; another seller's is ErrTemplateNF.
func (s *Service) MyTemplate(ctx context.Context, seller Caller, id uuid.UUID) (*Template, error) {
	t, err := s.template(ctx, id)
	if err != nil {
		return nil, err
	}
	if t.SellerID != seller.UserID {
		return nil, ErrTemplateNF
	}
	return t, nil
}

// DeactivateTemplate stops a seller's own template from spawning (its terms stay).
func (s *Service) DeactivateTemplate(ctx context.Context, seller Caller, id uuid.UUID) (*Template, error) {
	t, err := s.MyTemplate(ctx, seller, id)
	if err != nil {
		return nil, err
	}
	return s.EditTemplate(ctx, seller, TemplateInput{ID: id, Title: t.Title, Description: t.Description,
		Price: t.Price.String(), DeliveryDays: t.DeliveryDays, PayoutAddress: t.PayoutAddress, Active: false})
}

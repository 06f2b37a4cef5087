package market

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/amanat/amn/db"
	"github.com/amanat/amn/kind"
	"github.com/amanat/amn/market/internal/marketdb"
)

// The legacy MongoDB import's entry points (package migrate/mongo calls them, each in its
// per-document transaction). Imported requests, offers and templates are legacy rows: their
// deals' money was handled by the old backend (payment.ImportLegacy keeps its payments as
// history), so a legacy request may stand in a paid status without a payment here and nothing
// follows it; a legacy offer is never acceptable and a legacy template never active (neither has
// a payout address signed by its seller's wallet). docs/import.md has the tables below as prose.

// LegacyRequestStatus maps every status value of the old PurchaseRequest model to the status
// here. Values missing from it are reported by the importer, never guessed at.
var LegacyRequestStatus = map[string]Status{
	"pending":         Pending,
	"active":          Active,
	"received_offers": ReceivedOffers,
	"in_negotiation":  InNegotiation,
	// The old checkout cannot be paid here: the buyer asks again.
	"pending_payment": Expired,
	"payment":         Expired,
	// Funds held by the old backend: the request keeps its place in the walk; its open old
	// payment is listed for an operator.
	"paid":       Processing,
	"processing": Processing,
	"shipped":    Delivery,
	"delivery":   Delivery,
	"delivered":  Delivered,
	"confirming": Confirming,
	"disputed":   Disputed,
	// Final.
	"completed": Completed,
	"cancelled": Cancelled,
	"canceled":  Cancelled,
	"refunded":  Cancelled,
	"expired":   Expired,
}

// LegacyOfferStatus maps the old SellerOffer statuses. A pending old offer is imported expired:
// it carries no payout address signed by the seller's wallet, so it could never be accepted here
// (the seller offers again).
var LegacyOfferStatus = map[string]string{
	"pending":   "expired",
	"accepted":  "accepted",
	"rejected":  "rejected",
	"withdrawn": "withdrawn",
	"expired":   "expired",
}

// LegacyProductType maps the old product types (both spellings the old model accepted).
var LegacyProductType = map[string]string{
	"physical": "physical_product", "physical_product": "physical_product",
	"digital": "digital_product", "digital_product": "digital_product",
	"service": "service", "consultation": "consultation",
}

// ImportedRequest is a purchase request of the legacy store, its references already resolved.
type ImportedRequest struct {
	ID, Buyer                       uuid.UUID
	Title, Description, Category    string
	ProductType                     string // one of LegacyProductType's values
	ChainKey, TokenSymbol           string
	BudgetMin, BudgetMax            *big.Int   // base units
	Urgency                         string     // low, normal, high, urgent ("" is normal)
	Delivery                        DeliveryTo // online, or physical with its address
	Private                         bool
	Status                          Status
	Template                        uuid.NullUUID
	DeliveredAt                     *time.Time
	ExpiresAt, CreatedAt, UpdatedAt time.Time
	// LastImported is when the importer last wrote it (nil: never); one changed here since is
	// left alone (ErrChangedHere).
	LastImported *time.Time
}

// ErrChangedHere: a rerun of the import found the row changed here since its last import (an
// offer made, a status moved): it is left as it is, and the importer reports it.
var ErrChangedHere = kind.New(kind.Conflict, "changed here since its last import: left as it is")

// changedHere is ErrChangedHere when a row updated at updated (read with err) changed after last.
func changedHere(updated time.Time, last *time.Time, err error) error {
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return nil
	case err != nil:
		return err
	case last != nil && updated.After(*last):
		return ErrChangedHere
	}
	return nil
}

// ImportRequest writes (or on a rerun overwrites) a legacy request. A request this backend made
// under the same id is never touched (ErrInvalid).
func ImportRequest(ctx context.Context, tx pgx.Tx, r ImportedRequest) error {
	if r.BudgetMin == nil || r.BudgetMax == nil {
		return invalid("budget missing")
	}
	if r.Urgency == "" {
		r.Urgency = "normal"
	}
	if r.Delivery.Kind != "online" && r.Delivery.Kind != "physical" {
		return invalid("delivery kind %q", r.Delivery.Kind)
	}
	dj, err := json.Marshal(r.Delivery)
	if err != nil {
		return err
	}
	visibility := "public"
	if r.Private {
		visibility = "private"
	}
	if r.LastImported != nil {
		m, err := marketdb.New(tx).LockRequest(ctx, r.ID)
		if err := changedHere(m.UpdatedAt, r.LastImported, err); err != nil {
			return err
		}
	}
	var resume *string
	if r.Status == Disputed {
		to := string(Processing)
		if r.DeliveredAt != nil {
			to = string(Delivered)
		}
		resume = &to
	}
	n, err := marketdb.New(tx).ImportRequest(ctx, marketdb.ImportRequestParams{ID: r.ID, BuyerID: r.Buyer, Title: r.Title,
		Description: r.Description, Category: r.Category, ProductType: r.ProductType, ChainKey: r.ChainKey,
		TokenSymbol: r.TokenSymbol, BudgetMin: db.Numeric(r.BudgetMin), BudgetMax: db.Numeric(r.BudgetMax),
		Urgency: r.Urgency, Delivery: dj, Visibility: visibility, Status: string(r.Status), ResumeTo: resume,
		TemplateID: r.Template, DeliveredAt: r.DeliveredAt, InspectionDays: 7, ExpiresAt: r.ExpiresAt,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt})
	if err != nil {
		return fmt.Errorf("market: import request: %w", err)
	}
	if n == 0 {
		return invalid("request %s exists and is not legacy", r.ID)
	}
	return nil
}

// ImportedOffer is a seller's offer of the legacy store.
type ImportedOffer struct {
	ID, Request, Seller  uuid.UUID
	Status               string // one of LegacyOfferStatus's values
	Price                *big.Int
	DeliveryDays         int
	Notes                string
	ValidUntil           time.Time
	CreatedAt, UpdatedAt time.Time
	LastImported         *time.Time // as ImportedRequest's
}

// ImportOffer writes a legacy offer; an accepted one becomes its request's accepted offer.
func ImportOffer(ctx context.Context, tx pgx.Tx, o ImportedOffer) error {
	if o.Price == nil {
		return invalid("price missing")
	}
	q := marketdb.New(tx)
	if o.LastImported != nil {
		row, err := q.OfferByID(ctx, o.ID)
		if err := changedHere(row.UpdatedAt, o.LastImported, err); err != nil {
			return err
		}
	}
	n, err := q.ImportOffer(ctx, marketdb.ImportOfferParams{ID: o.ID, RequestID: o.Request, SellerID: o.Seller,
		Status: o.Status, Price: db.Numeric(o.Price), DeliveryDays: int32(o.DeliveryDays), ValidUntil: o.ValidUntil,
		Notes: o.Notes, CreatedAt: o.CreatedAt, UpdatedAt: o.UpdatedAt})
	if err != nil {
		return fmt.Errorf("market: import offer: %w", err)
	}
	if n == 0 {
		return invalid("offer %s exists and is not legacy", o.ID)
	}
	if o.Status == "accepted" {
		if _, err := q.ImportAcceptedOffer(ctx, marketdb.ImportAcceptedOfferParams{ID: o.Request,
			OfferID: uuid.NullUUID{UUID: o.ID, Valid: true}}); err != nil {
			return fmt.Errorf("market: import accepted offer: %w", err)
		}
	}
	return nil
}

// ImportedTemplate is a request template of the legacy store (imported inactive).
type ImportedTemplate struct {
	ID, Seller                   uuid.UUID
	Title, Description, Category string
	ProductType                  string
	ChainKey, TokenSymbol        string
	Price                        *big.Int
	DeliveryDays                 int
	CreatedAt, UpdatedAt         time.Time
	LastImported                 *time.Time // as ImportedRequest's
}

// ImportTemplate writes a legacy template, inactive until its seller signs a payout address.
func ImportTemplate(ctx context.Context, tx pgx.Tx, t ImportedTemplate) error {
	if t.Price == nil {
		return invalid("price missing")
	}
	if t.LastImported != nil {
		row, err := marketdb.New(tx).TemplateByID(ctx, t.ID)
		if err := changedHere(row.UpdatedAt, t.LastImported, err); err != nil {
			return err
		}
	}
	n, err := marketdb.New(tx).ImportTemplate(ctx, marketdb.ImportTemplateParams{ID: t.ID, SellerID: t.Seller,
		Title: t.Title, Description: t.Description, Category: t.Category, ProductType: t.ProductType,
		ChainKey: t.ChainKey, TokenSymbol: t.TokenSymbol, Price: db.Numeric(t.Price),
		DeliveryDays: int32(t.DeliveryDays), CreatedAt: t.CreatedAt, UpdatedAt: t.UpdatedAt})
	if err != nil {
		return fmt.Errorf("market: import template: %w", err)
	}
	if n == 0 {
		return invalid("template %s exists and is not legacy", t.ID)
	}
	return nil
}

// ImportedTotals is what the import's verification reads back: how many of the given ids are
// legacy rows, and the sum of their amounts (requests: budget_max; offers: price).
type ImportedTotals struct {
	Count int64
	Sum   *big.Int
}

// ImportedRequests counts the legacy requests among ids and adds up their maximum budgets.
func ImportedRequests(ctx context.Context, tx pgx.Tx, ids []uuid.UUID) (ImportedTotals, error) {
	r, err := marketdb.New(tx).ImportedRequestTotals(ctx, ids)
	return ImportedTotals{Count: r.N, Sum: bigOf(r.Budget)}, err
}

// ImportedOffers counts the legacy offers among ids and adds up their prices.
func ImportedOffers(ctx context.Context, tx pgx.Tx, ids []uuid.UUID) (ImportedTotals, error) {
	r, err := marketdb.New(tx).ImportedOfferTotals(ctx, ids)
	return ImportedTotals{Count: r.N, Sum: bigOf(r.Price)}, err
}

// ImportedTemplates counts the legacy templates among ids and adds up their prices.
func ImportedTemplates(ctx context.Context, tx pgx.Tx, ids []uuid.UUID) (ImportedTotals, error) {
	r, err := marketdb.New(tx).ImportedTemplateTotals(ctx, ids)
	return ImportedTotals{Count: r.N, Sum: bigOf(r.Price)}, err
}

package market

import (
	"context"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/amanat/amn/market/internal/marketdb"
	"github.com/amanat/amn/payment"
)

// DealStep is a step of a deal its parties hear of (package notify decides who hears what, and
// how): the event, the request and its parties, and the payment when the step has it.
type DealStep struct {
	Event   Event // EvAccept or EvExpress, EvPaid, EvShip, EvDeliver, EvReleased, EvRefunded, or EventReminder
	Request uuid.UUID
	Title   string
	Buyer   uuid.UUID
	// Seller and Offer are the accepted offer's.
	Seller, Offer uuid.UUID
	// Rejected are the sellers whose pending offers an accept rejected.
	Rejected []uuid.UUID
	// Payment is the deal's payment on an accept and on the steps that follow it (paid, released,
	// refunded); nil otherwise.
	Payment *payment.Payment
	// DaysLeft is a reminder's days before the inspection period ends.
	DaysLeft int
}

// Notifier hears of each step in the transaction that makes it, under the request's row lock
// (package notify writes the parties' notifications and queues their mail): what it writes
// commits or rolls back with the step.
type Notifier interface {
	DealStep(ctx context.Context, tx pgx.Tx, s DealStep) error
}

// WithNotifier returns a copy of s whose deal steps are told to n.
func (s *Service) WithNotifier(n Notifier) *Service { c := *s; c.notifier = n; return &c }

// tell tells the notifier, if any, of step ev of locked request m (whose accepted offer, if any,
// is read in tx), with p when the step has the payment.
func (s *Service) tell(ctx context.Context, tx pgx.Tx, q *marketdb.Queries, m *marketdb.MarketRequest, ev Event, p *payment.Payment,
	daysLeft int) error {
	if s.notifier == nil {
		return nil
	}
	st := DealStep{Event: ev, Request: m.ID, Title: m.Title, Buyer: m.BuyerID, Payment: p, DaysLeft: daysLeft}
	if m.AcceptedOffer.Valid {
		o, err := q.OfferByID(ctx, m.AcceptedOffer.UUID)
		if err != nil {
			return err
		}
		st.Seller, st.Offer = o.SellerID, o.ID
	}
	return s.notifier.DealStep(ctx, tx, st)
}

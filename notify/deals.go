package notify

import (
	"context"
	"strings"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/amanat/amn/market"
)

// Deals tells a deal's parties of its steps (market.Notifier): the market calls it in the
// transaction of each step, so each notification (and its mail) commits with the step.
type Deals struct{ Notify *Service }

var _ market.Notifier = Deals{}

// told is who hears of which step, as which kind: the policy in one screen.
var told = map[market.Event][]struct {
	to   string // buyer, seller, rejected (each seller whose offer the accept rejected)
	kind Kind
}{
	market.EvAccept:                    {{"seller", OfferAccepted}, {"rejected", OfferRejected}},
	market.EvExpress:                   {{"seller", OfferAccepted}},
	market.EvPaid:                      {{"buyer", PaymentCredited}, {"seller", PaymentCredited}},
	market.EvShip:                      {{"buyer", DealShipped}},
	market.EvDeliver:                   {{"buyer", DealDelivered}, {"seller", DealDelivered}},
	market.Event(market.EventReminder): {{"buyer", DealReminder}},
	market.EvReleased:                  {{"seller", DealReleased}, {"buyer", DealCompleted}},
	market.EvRefunded:                  {{"buyer", DealRefunded}, {"seller", DealRefunded}},
}

// DealStep writes the step's notifications in tx.
func (d Deals) DealStep(ctx context.Context, tx pgx.Tx, s market.DealStep) error {
	for _, t := range told[s.Event] {
		users := []uuid.UUID{}
		switch t.to {
		case "buyer":
			users = append(users, s.Buyer)
		case "seller":
			users = append(users, s.Seller)
		case "rejected":
			users = s.Rejected
		}
		for _, u := range users {
			if u == uuid.Nil {
				continue
			}
			if _, err := d.Notify.Notify(ctx, tx, Note{User: u, Kind: t.kind, Data: stepData(s, t.to)}); err != nil {
				return err
			}
		}
	}
	return nil
}

// stepData are the facts a step's notification carries: the request (and its title), the role
// the recipient plays, and the offer, payment and amount when the step has them. A rejected
// seller hears of the request only (not the winner's offer or price).
func stepData(s market.DealStep, role string) map[string]any {
	d := map[string]any{"request": s.Request, "title": s.Title, "event": s.Event}
	if role == "rejected" {
		d["role"] = "seller"
		return d
	}
	d["role"] = role
	if s.Offer != uuid.Nil {
		d["offer"] = s.Offer
	}
	if p := s.Payment; p != nil {
		d["payment"] = uuid.UUID(p.ID)
		if p.Amount != nil {
			_, token, _ := strings.Cut(p.Ledger, ":") // bsc:USDT
			d["amount"], d["decimals"], d["token"] = p.Amount.String(), p.Decimals, token
		}
	}
	if s.DaysLeft > 0 {
		d["daysLeft"] = s.DaysLeft
	}
	return d
}

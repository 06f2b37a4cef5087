package market

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/amanat/amn/kind"
	"github.com/amanat/amn/market/internal/marketdb"
)

// The deal after payment: the seller ships, somebody says it arrived, the buyer confirms (or stays
// silent through the inspection period), and the release is asked for. Each step is one
// transaction: the request's row locked, its status moved by Next, and the jobs the step calls for
// inserted in the same transaction (a rolled-back step leaves no job).

// Shipment is what the seller said on shipping: carrier and tracking for physical goods, a
// delivery note for online ones (digital products, services, consultations). Only the request's
// buyer, the seller of its accepted offer and admins see it.
type Shipment struct {
	Carrier   string    `json:"carrier,omitempty"`
	Tracking  string    `json:"tracking,omitempty"`
	Note      string    `json:"note,omitempty"`
	ShippedAt time.Time `json:"shippedAt"`
}

// ShipInput is what the seller writes on shipping.
type ShipInput struct {
	Carrier, Tracking, Note string
}

// Limits of a shipment's fields, in characters.
const (
	maxCarrier  = 100
	maxTracking = 100
	maxNote     = 2000
)

// reminderDays are when the buyer is reminded before the inspection period ends, in days (of
// Config.Day) before its end; reminders that would fall before the delivery are not scheduled.
var reminderDays = []int{2, 1}

// checkShipment validates in for a request of productType: physical goods need a carrier and a
// tracking number, online ones a delivery note; every field is trimmed, bounded and printable.
func checkShipment(productType string, in ShipInput, now time.Time) (Shipment, error) {
	sh := Shipment{Carrier: strings.TrimSpace(in.Carrier), Tracking: strings.TrimSpace(in.Tracking),
		Note: strings.TrimSpace(in.Note), ShippedAt: now}
	for _, f := range []struct {
		name, v string
		max     int
	}{{"carrier", sh.Carrier, maxCarrier}, {"tracking", sh.Tracking, maxTracking}, {"note", sh.Note, maxNote}} {
		if utf8.RuneCountInString(f.v) > f.max {
			return sh, invalid("%s must be at most %d characters", f.name, f.max)
		}
		if strings.ContainsFunc(f.v, func(r rune) bool { return unicode.IsControl(r) && r != '\n' }) {
			return sh, invalid("%s must be printable text", f.name)
		}
	}
	if productType == "physical_product" {
		if sh.Carrier == "" || sh.Tracking == "" {
			return sh, invalid("a physical product ships with a carrier and a tracking number")
		}
		return sh, nil
	}
	if sh.Note == "" {
		return sh, invalid("online delivery (%s) needs a delivery note", productType)
	}
	return sh, nil
}

// ErrLegacyDeal: the request is a deal of the legacy backend (imported, no payment here): its
// money is the old backend's, so no step of the deal (ship, deliver, confirm, dispute, resume,
// replace) happens here. An operator settles it on the old backend; the next import brings its
// final status.
var ErrLegacyDeal = kind.New(kind.Conflict, "this deal was made on the legacy backend and has no payment here: its steps are settled there, not here")

// refuseLegacyDeal is ErrLegacyDeal for a legacy request without a payment here.
func refuseLegacyDeal(m marketdb.MarketRequest) error {
	if m.Legacy && !m.PaymentID.Valid {
		return ErrLegacyDeal
	}
	return nil
}

// lockAsParty locks a request and says in which role the caller acts on it: its buyer, the
// seller of its accepted offer, or an admin. Anyone else gets ErrNotFound; a party of a legacy
// deal without a payment here gets ErrLegacyDeal (every caller of it is a step of the deal).
func lockAsParty(ctx context.Context, q *marketdb.Queries, who Caller, id uuid.UUID) (marketdb.MarketRequest, Actor, error) {
	m, actor, err := lockParty(ctx, q, who, id)
	if err == nil {
		err = refuseLegacyDeal(m)
	}
	return m, actor, err
}

func lockParty(ctx context.Context, q *marketdb.Queries, who Caller, id uuid.UUID) (marketdb.MarketRequest, Actor, error) {
	m, err := lockRequest(ctx, q, id)
	if err != nil {
		return m, "", err
	}
	if who.UserID != uuid.Nil && m.BuyerID == who.UserID {
		return m, ActorBuyer, nil
	}
	if m.AcceptedOffer.Valid && who.UserID != uuid.Nil {
		o, err := q.OfferByID(ctx, m.AcceptedOffer.UUID)
		if err != nil {
			return m, "", err
		}
		if o.SellerID == who.UserID {
			return m, ActorSeller, nil
		}
	}
	if who.Admin {
		return m, ActorAdmin, nil
	}
	return m, "", ErrNotFound
}

// Ship is the accepted offer's seller marking the request shipped (processing → delivery). In the
// same transaction it schedules market_deliver at the offer's delivery time plus the grace: if
// nobody says the goods arrived by then, the platform does.
func (s *Service) Ship(ctx context.Context, who Caller, id uuid.UUID, in ShipInput) (*Request, error) {
	err := s.inTx(ctx, func(tx pgx.Tx, q *marketdb.Queries) error {
		m, actor, err := lockAsParty(ctx, q, who, id)
		if err != nil {
			return err
		}
		if _, err := Next(Status(m.Status), EvShip, actor, ""); err != nil {
			return err
		}
		now := s.clock()
		sh, err := checkShipment(m.ProductType, in, now)
		if err != nil {
			return err
		}
		o, err := q.OfferByID(ctx, m.AcceptedOffer.UUID)
		if err != nil {
			return err
		}
		b, err := json.Marshal(sh)
		if err != nil {
			return err
		}
		if err := q.SetShipment(ctx, marketdb.SetShipmentParams{ID: id, Shipment: b, UpdatedAt: now}); err != nil {
			return err
		}
		due := now.Add(time.Duration(int(o.DeliveryDays)+s.cfg.DeliveryGraceDays) * s.cfg.Day)
		if err := s.fire(ctx, q, &m, EvShip, actor, who.UserID, map[string]any{"deliver_by": due}); err != nil {
			return err
		}
		if err := s.tell(ctx, tx, q, &m, EvShip, nil, 0); err != nil {
			return err
		}
		_, err = s.jobs.InsertTx(ctx, tx, DeliverArgs{RequestID: id, ShippedAt: now, Day: s.cfg.Day}, &river.InsertOpts{ScheduledAt: due})
		return err
	})
	if err != nil {
		return nil, err
	}
	return s.viewFor(ctx, who, id)
}

// Deliver is the seller (or the buyer) saying the goods or service arrived (delivery →
// delivered): the inspection period starts, its end and the reminders before it are scheduled in
// the same transaction.
func (s *Service) Deliver(ctx context.Context, who Caller, id uuid.UUID) (*Request, error) {
	err := s.inTx(ctx, func(tx pgx.Tx, q *marketdb.Queries) error {
		m, actor, err := lockAsParty(ctx, q, who, id)
		if err != nil {
			return err
		}
		return s.delivered(ctx, tx, q, &m, actor, who.UserID, s.cfg.Day)
	})
	if err != nil {
		return nil, err
	}
	return s.viewFor(ctx, who, id)
}

// delivered fires deliver on a locked request, stamps delivered_at and schedules market_inspect
// at the end of the inspection period (inspection_days of day) and market_remind before it.
func (s *Service) delivered(ctx context.Context, tx pgx.Tx, q *marketdb.Queries, m *marketdb.MarketRequest,
	actor Actor, actorID uuid.UUID, day time.Duration) error {
	if _, err := Next(Status(m.Status), EvDeliver, actor, ""); err != nil {
		return err
	}
	now := s.clock()
	ends := now.Add(time.Duration(m.InspectionDays) * day)
	if err := q.SetDelivered(ctx, marketdb.SetDeliveredParams{ID: m.ID, DeliveredAt: &now}); err != nil {
		return err
	}
	if err := s.fire(ctx, q, m, EvDeliver, actor, actorID, map[string]any{"inspection_ends_at": ends}); err != nil {
		return err
	}
	if err := s.tell(ctx, tx, q, m, EvDeliver, nil, 0); err != nil {
		return err
	}
	jobs := []river.InsertManyParams{{Args: InspectArgs{RequestID: m.ID, DeliveredAt: now}, InsertOpts: &river.InsertOpts{ScheduledAt: ends}}}
	for _, d := range reminderDays {
		if at := ends.Add(-time.Duration(d) * day); at.After(now) {
			jobs = append(jobs, river.InsertManyParams{Args: RemindArgs{RequestID: m.ID, DeliveredAt: now, DaysLeft: d},
				InsertOpts: &river.InsertOpts{ScheduledAt: at}})
		}
	}
	_, err := s.jobs.InsertManyTx(ctx, tx, jobs)
	return err
}

// Confirm is the buyer confirming receipt (delivery or delivered → confirming); the release job
// is inserted in the same transaction.
func (s *Service) Confirm(ctx context.Context, who Caller, id uuid.UUID) (*Request, error) {
	err := s.inTx(ctx, func(tx pgx.Tx, q *marketdb.Queries) error {
		m, actor, err := lockAsParty(ctx, q, who, id)
		if err != nil {
			return err
		}
		return s.confirming(ctx, tx, q, &m, EvConfirm, actor, who.UserID)
	})
	if err != nil {
		return nil, err
	}
	return s.viewFor(ctx, who, id)
}

// confirming fires ev (confirm or inspected) on a locked request and inserts its market_release.
func (s *Service) confirming(ctx context.Context, tx pgx.Tx, q *marketdb.Queries, m *marketdb.MarketRequest, ev Event,
	actor Actor, actorID uuid.UUID) error {
	if err := s.fire(ctx, q, m, ev, actor, actorID, nil); err != nil {
		return err
	}
	_, err := s.jobs.InsertTx(ctx, tx, ReleaseArgs{RequestID: m.ID, PaymentID: m.PaymentID.UUID}, nil)
	return err
}

// viewFor is the request as who sees it after a step of theirs.
func (s *Service) viewFor(ctx context.Context, who Caller, id uuid.UUID) (*Request, error) {
	d, err := s.RequestDetail(ctx, who, id)
	if err != nil {
		return nil, err
	}
	return &d.Request, nil
}

// DeliverOverdue is market_deliver's step: a request still in delivery from the shipment of
// shippedAt is delivered by the platform, its inspection period counted in day. Anything else
// (delivered, confirmed, disputed, shipped again) is left alone; it reports whether it fired.
func (s *Service) DeliverOverdue(ctx context.Context, id uuid.UUID, shippedAt time.Time, day time.Duration) (bool, error) {
	fired := false
	err := s.inTx(ctx, func(tx pgx.Tx, q *marketdb.Queries) error {
		m, err := lockRequest(ctx, q, id)
		if err != nil {
			return err
		}
		var sh Shipment
		if Status(m.Status) != Delivery || json.Unmarshal(m.Shipment, &sh) != nil || !sh.ShippedAt.Equal(shippedAt) {
			return nil
		}
		fired = true
		return s.delivered(ctx, tx, q, &m, ActorSystem, uuid.Nil, day)
	})
	return fired, ignoreGone(err)
}

// InspectionOver is market_inspect's step: a request still delivered at deliveredAt (the buyer
// stayed silent) moves to confirming and its release job is inserted. A request that moved on
// (confirmed, disputed, delivered again) is left alone; it reports whether it fired.
func (s *Service) InspectionOver(ctx context.Context, id uuid.UUID, deliveredAt time.Time) (bool, error) {
	fired := false
	err := s.inTx(ctx, func(tx pgx.Tx, q *marketdb.Queries) error {
		m, err := lockRequest(ctx, q, id)
		if err != nil {
			return err
		}
		if !stillDelivered(m, deliveredAt) {
			return nil
		}
		fired = true
		return s.confirming(ctx, tx, q, &m, EvInspected, ActorSystem, uuid.Nil)
	})
	return fired, ignoreGone(err)
}

// Remind is market_remind's step: while the request is still delivered at deliveredAt, it writes
// one reminder row (no status change) for daysLeft; a second run writes none. Delivering the
// reminder to the buyer is the Notifier's, told in the same transaction.
func (s *Service) Remind(ctx context.Context, id uuid.UUID, deliveredAt time.Time, daysLeft int) (bool, error) {
	fired := false
	err := s.inTx(ctx, func(tx pgx.Tx, q *marketdb.Queries) error {
		m, err := lockRequest(ctx, q, id)
		if err != nil || !stillDelivered(m, deliveredAt) {
			return err
		}
		detail := map[string]any{"delivered_at": deliveredAt.UTC(), "days_left": daysLeft}
		b, err := json.Marshal(detail)
		if err != nil {
			return err
		}
		sent, err := q.HasEvent(ctx, marketdb.HasEventParams{RequestID: id, Event: EventReminder, Detail: b})
		if err != nil || sent {
			return err
		}
		fired = true
		if err := s.event(ctx, q, id, EventReminder, ActorSystem, uuid.Nil, nil, Status(m.Status), detail); err != nil {
			return err
		}
		return s.tell(ctx, tx, q, &m, EventReminder, nil, daysLeft)
	})
	return fired, ignoreGone(err)
}

// EventReminder is the timeline row of a reminder to the buyer before the inspection period ends.
const EventReminder = "reminder"

// stillDelivered reports whether m is in the inspection period that began at deliveredAt.
func stillDelivered(m marketdb.MarketRequest, deliveredAt time.Time) bool {
	return Status(m.Status) == Delivered && m.DeliveredAt != nil && m.DeliveredAt.Equal(deliveredAt)
}

// ignoreGone makes a job about a request that does not exist a no-op (it never happens: requests
// are never deleted; a forged job must not retry forever).
func ignoreGone(err error) error {
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	return err
}

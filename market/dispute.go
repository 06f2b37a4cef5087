package market

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/amanat/amn/market/internal/marketdb"
)

// A dispute interrupts a funded deal (package dispute runs the case; these are the request's
// steps of it, each in the dispute's own transaction). Opening one moves the request to disputed
// and keeps where it was (resume_to); a delivered request's inspection period pauses: the time
// it had left is written in the dispute event, and a resumed dispute gives exactly that time
// back. The old inspection job finds a request that moved on and does nothing.

// DisputedDeal is a request as its dispute sees it.
type DisputedDeal struct {
	RequestID, BuyerID, SellerID, OfferID, PaymentID uuid.UUID
	// From is where the dispute found the request; Opener who opened it (buyer or seller).
	From   Status
	Opener Actor
}

// DisputeTx is the request's buyer or the seller of its accepted offer opening a dispute
// (processing, delivery or delivered → disputed), in the caller's transaction tx. Anyone else
// gets ErrNotFound, an admin who is not a party ErrNotYours.
func (s *Service) DisputeTx(ctx context.Context, tx pgx.Tx, who Caller, id uuid.UUID) (DisputedDeal, error) {
	q := s.q.WithTx(tx)
	m, actor, err := lockAsParty(ctx, q, who, id)
	if err != nil {
		return DisputedDeal{}, err
	}
	from := Status(m.Status)
	to, err := Next(from, EvDispute, actor, "")
	if err != nil {
		return DisputedDeal{}, err
	}
	o, err := q.OfferByID(ctx, m.AcceptedOffer.UUID)
	if err != nil {
		return DisputedDeal{}, err
	}
	now := s.clock()
	detail := map[string]any{}
	if from == Delivered && m.DeliveredAt != nil {
		left := m.DeliveredAt.Add(time.Duration(m.InspectionDays) * s.cfg.Day).Sub(now)
		detail["inspection_left"] = max(left, 0)
	}
	if err := q.SetDisputed(ctx, marketdb.SetDisputedParams{ID: id, ResumeTo: (*string)(&from), UpdatedAt: now}); err != nil {
		return DisputedDeal{}, err
	}
	if err := s.event(ctx, q, id, string(EvDispute), actor, who.UserID, &from, to, detail); err != nil {
		return DisputedDeal{}, err
	}
	return DisputedDeal{RequestID: id, BuyerID: m.BuyerID, SellerID: o.SellerID, OfferID: o.ID, PaymentID: m.PaymentID.UUID,
		From: from, Opener: actor}, nil
}

// ResumeTx takes a disputed request back to the step the dispute found it in (the dispute was
// withdrawn or resolved with no action), in tx. A delivered request gets back the inspection time
// it had left: its inspection job is scheduled anew. It returns the status resumed to.
func (s *Service) ResumeTx(ctx context.Context, tx pgx.Tx, id uuid.UUID, actor Actor, actorID uuid.UUID) (Status, error) {
	q := s.q.WithTx(tx)
	m, err := lockRequest(ctx, q, id)
	if err == nil {
		err = refuseLegacyDeal(m)
	}
	if err != nil {
		return "", err
	}
	from := Status(m.Status)
	var resumeTo Status
	if m.ResumeTo != nil {
		resumeTo = Status(*m.ResumeTo)
	}
	to, err := Next(from, EvResume, actor, resumeTo)
	if err != nil {
		return "", err
	}
	now := s.clock()
	if err := q.SetRequestStatus(ctx, marketdb.SetRequestStatusParams{ID: id, Status: string(to), UpdatedAt: now}); err != nil {
		return "", err
	}
	detail := map[string]any{}
	if to == Delivered {
		left, err := inspectionLeft(ctx, q, id)
		if err != nil {
			return "", err
		}
		// The period restarts with the time it had left: delivered_at moves so that its end is
		// now + left, and the inspection job of that delivery is inserted.
		ends := now.Add(left)
		deliveredAt := ends.Add(-time.Duration(m.InspectionDays) * s.cfg.Day)
		if err := q.SetDelivered(ctx, marketdb.SetDeliveredParams{ID: id, DeliveredAt: &deliveredAt}); err != nil {
			return "", err
		}
		if _, err := s.jobs.InsertTx(ctx, tx, InspectArgs{RequestID: id, DeliveredAt: deliveredAt}, &river.InsertOpts{ScheduledAt: ends}); err != nil {
			return "", err
		}
		detail["inspection_ends_at"] = ends
	}
	return to, s.event(ctx, q, id, string(EvResume), actor, actorID, &from, to, detail)
}

// inspectionLeft is the inspection time the request's last dispute event paused.
func inspectionLeft(ctx context.Context, q *marketdb.Queries, id uuid.UUID) (time.Duration, error) {
	evs, err := q.RequestEvents(ctx, id)
	if err != nil {
		return 0, err
	}
	for i := len(evs) - 1; i >= 0; i-- {
		if evs[i].Event != string(EvDispute) {
			continue
		}
		var d struct {
			Left time.Duration `json:"inspection_left"`
		}
		if err := json.Unmarshal(evs[i].Detail, &d); err != nil {
			return 0, err
		}
		return d.Left, nil
	}
	return 0, errors.New("market: a disputed request without its dispute event")
}

// ReplaceTx is a dispute resolved by a replacement (disputed → processing), in tx: the seller
// ships again, due within days of the deal's day; the deadline is written in the event. It
// returns the deadline.
func (s *Service) ReplaceTx(ctx context.Context, tx pgx.Tx, id uuid.UUID, actorID uuid.UUID, days int) (time.Time, error) {
	if days < 1 || days > maxDealDays {
		return time.Time{}, invalid("a replacement's delivery time must be 1 to %d days", maxDealDays)
	}
	q := s.q.WithTx(tx)
	m, err := lockRequest(ctx, q, id)
	if err == nil {
		err = refuseLegacyDeal(m)
	}
	if err != nil {
		return time.Time{}, err
	}
	due := s.clock().Add(time.Duration(days) * s.cfg.Day)
	return due, s.fire(ctx, q, &m, EvReplace, ActorAdmin, actorID, map[string]any{"deliver_by": due})
}

// TitleTx is request id's title, read in tx (a dispute's notifications name the deal by it).
func (s *Service) TitleTx(ctx context.Context, tx pgx.Tx, id uuid.UUID) (string, error) {
	m, err := s.q.WithTx(tx).RequestByID(ctx, id)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", ErrNotFound
	}
	return m.Title, err
}

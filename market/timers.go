package market

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/amanat/amn/market/internal/marketdb"
)

// ExpireDue runs the marketplace's timers once, a bounded batch each: live offers past their
// validUntil expire (the request hears offers_gone when none is left), and open requests past
// their expiresAt expire (their live offers with them). It returns how many of each.
func (s *Service) ExpireDue(ctx context.Context, batch int) (offers, requests int, err error) {
	now := s.clock()
	due, err := s.q.DueOffers(ctx, marketdb.DueOffersParams{ValidUntil: now, Limit: int32(batch)})
	if err != nil {
		return 0, 0, err
	}
	for _, o := range due {
		done, err := s.expireOffer(ctx, o.RequestID, o.ID, now)
		if err != nil {
			return offers, 0, err
		}
		if done {
			offers++
		}
	}
	ids, err := s.q.DueRequests(ctx, marketdb.DueRequestsParams{ExpiresAt: now, Limit: int32(batch)})
	if err != nil {
		return offers, 0, err
	}
	for _, id := range ids {
		done, err := s.expireRequest(ctx, id, now)
		if err != nil {
			return offers, requests, err
		}
		if done {
			requests++
		}
	}
	return offers, requests, nil
}

func (s *Service) expireOffer(ctx context.Context, requestID, offerID uuid.UUID, now time.Time) (bool, error) {
	done := false
	err := s.inTx(ctx, func(tx pgx.Tx, q *marketdb.Queries) error {
		m, err := lockRequest(ctx, q, requestID)
		if err != nil {
			return err
		}
		o, err := q.OfferByID(ctx, offerID)
		if err != nil {
			return err
		}
		if OfferStatus(o.Status) != OfferPending || o.ValidUntil.After(now) {
			return nil // accepted, withdrawn or revised meanwhile
		}
		if err := q.SetOfferStatus(ctx, marketdb.SetOfferStatusParams{ID: offerID, Status: string(OfferExpired), UpdatedAt: now}); err != nil {
			return err
		}
		done = true
		return s.offersGone(ctx, q, &m, map[string]any{"offer": offerID, "why": "expired"})
	})
	return done, err
}

func (s *Service) expireRequest(ctx context.Context, id uuid.UUID, now time.Time) (bool, error) {
	done := false
	err := s.inTx(ctx, func(tx pgx.Tx, q *marketdb.Queries) error {
		m, err := lockRequest(ctx, q, id)
		if err != nil {
			return err
		}
		if m.ExpiresAt.After(now) {
			return nil // extended meanwhile
		}
		if _, err := Next(Status(m.Status), EvExpire, ActorSystem, ""); err != nil {
			return nil // moved on meanwhile (accepted, cancelled)
		}
		if err := q.ExpireLive(ctx, marketdb.ExpireLiveParams{RequestID: id, UpdatedAt: now}); err != nil {
			return err
		}
		done = true
		return s.fire(ctx, q, &m, EvExpire, ActorSystem, uuid.Nil, nil)
	})
	return done, err
}

// ExpireArgs is the periodic job of the marketplace's timers (the worker runs it every minute).
type ExpireArgs struct{}

// Kind is the job's stable name.
func (ExpireArgs) Kind() string { return "market_expire" }

// InsertOpts keep at most one such job waiting or running.
func (ExpireArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: []rivertype.JobState{
		rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning,
		rivertype.JobStateRetryable, rivertype.JobStateScheduled,
	}}}
}

// ExpireWorker runs ExpireDue.
type ExpireWorker struct {
	river.WorkerDefaults[ExpireArgs]
	Market *Service
}

// Work runs one batch of each timer.
func (w *ExpireWorker) Work(ctx context.Context, _ *river.Job[ExpireArgs]) error {
	_, _, err := w.Market.ExpireDue(ctx, 500)
	return err
}

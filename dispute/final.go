package dispute

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/amanat/amn/db"
	"github.com/amanat/amn/payment"
)

// A case waits for its resolution while the chain may end its payment anyway: a release or a
// refund signed before the freeze, a reclaim after the escrow's deadline, a settle. Nothing of
// the case could then move the money; the worker closes it (CloseFinal, periodically) as
// resolved with the outcome the chain shows, written by the system (payment_final).

// chainOutcome is the outcome a final payment state shows.
var chainOutcome = map[payment.State]Outcome{
	payment.Released:  OutcomeRelease,
	payment.Refunded:  OutcomeRefund,
	payment.Reclaimed: OutcomeRefund,
	payment.Settled:   OutcomeCompensation,
}

// CloseFinal closes the live cases whose payment is final on chain, in pages of limit, and says
// how many it closed. Running it again changes nothing.
func (s *Service) CloseFinal(ctx context.Context, limit int) (int, error) {
	closed := 0
	after := uuid.Nil
	for {
		rows, err := s.pool.Query(ctx, liveCases, after, limit)
		if err != nil {
			return closed, err
		}
		type live struct{ id, payment uuid.UUID }
		page, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (live, error) {
			var l live
			return l, r.Scan(&l.id, &l.payment)
		})
		if err != nil {
			return closed, err
		}
		for _, l := range page {
			p, err := s.payments.Get(ctx, [16]byte(l.payment))
			if err != nil {
				return closed, err
			}
			if _, final := chainOutcome[p.State]; !final {
				continue
			}
			ok, err := s.closeFinal(ctx, l.id, p)
			if err != nil {
				return closed, err
			}
			if ok {
				closed++
			}
		}
		if len(page) < limit {
			return closed, nil
		}
		after = page[len(page)-1].id
	}
}

// closeFinal closes case id, whose payment p is final, if it is still live.
func (s *Service) closeFinal(ctx context.Context, id uuid.UUID, p *payment.Payment) (bool, error) {
	done := false
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		c, err := scanCase(tx.QueryRow(ctx, lockCase, id))
		if err != nil {
			return err
		}
		if _, err := Next(c.Status, EvPaymentFinal, ActorSystem); err != nil {
			return nil // resolved or withdrawn meanwhile
		}
		o := chainOutcome[p.State]
		if _, err := tx.Exec(ctx, setResolved, c.ID, string(Resolved), string(o), s.clock()); err != nil {
			return err
		}
		done = true
		_, err = s.move(ctx, tx, c, EvPaymentFinal, ActorSystem, uuid.Nil, map[string]any{"paymentState": p.State, "outcome": o})
		return err
	})
	return done, err
}

// CloseFinalArgs is the periodic job that closes cases whose payment ended on chain.
type CloseFinalArgs struct{}

// Kind is the job's stable name.
func (CloseFinalArgs) Kind() string { return "dispute_close_final" }

// CloseFinalEvery is how often the worker looks.
const CloseFinalEvery = time.Minute

// CloseFinalWorker runs CloseFinal; its Disputes need the payments.
type CloseFinalWorker struct {
	river.WorkerDefaults[CloseFinalArgs]
	Disputes *Service
}

// Work closes what it finds.
func (w *CloseFinalWorker) Work(ctx context.Context, _ *river.Job[CloseFinalArgs]) error {
	_, err := w.Disputes.CloseFinal(ctx, 100)
	return err
}

package intent

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/riverqueue/river"

	"github.com/amanat/amn/ledger"
	"github.com/amanat/amn/payment"
)

// SweepWorker works payment_sweep jobs (queue "sweeps", enqueued when a payment becomes paid):
// it moves the payment to sweeping and records a sweep intent for the signer. It runs in the
// worker role, which holds no key.
type SweepWorker struct {
	river.WorkerDefaults[payment.SweepArgs]
	Intents *Store
	// Escrow gives each chain's AmnEscrow contract (the chain registry's Escrow field).
	Escrow func(chainID uint64) common.Address
	Log    *slog.Logger
}

// Work records the intent. Repeating it is harmless: a payment already sweeping gets its open
// intent back.
func (w *SweepWorker) Work(ctx context.Context, job *river.Job[payment.SweepArgs]) error {
	id, err := ledger.ParseID(job.Args.PaymentID)
	if err != nil {
		return river.JobCancel(fmt.Errorf("payment_sweep: bad payment id %q: %w", job.Args.PaymentID, err))
	}
	p, err := w.Intents.payments.Get(ctx, id)
	if err != nil {
		if errors.Is(err, payment.ErrNotFound) {
			return river.JobCancel(err)
		}
		return err
	}
	in, created, err := w.Intents.CreateSweep(ctx, id, w.Escrow(p.ChainID))
	switch {
	case errors.Is(err, payment.ErrIllegalTransition):
		// Not sweepable any more (swept, disputed, expired): nothing to do.
		w.Log.Warn("sweep not recorded", "payment_id", id.String(), "err", err)
		return river.JobCancel(err)
	case errors.Is(err, ErrNoBuyer) || errors.Is(err, ErrNoEscrow):
		// Missing configuration or data that may still come (the buyer's checkout signature, the
		// chain's escrow): look again later. The buyer's proof wakes this job at once
		// (payment.Service.ProveBuyer); `amn admin sweep` can also pick the payment up.
		w.Log.Warn("sweep waits", "payment_id", id.String(), "err", err)
		return river.JobSnooze(10 * time.Minute)
	}
	if err != nil {
		return err
	}
	if created {
		w.Log.Info("sweep intent recorded", "payment_id", id.String(), "intent_id", in.ID.String())
	}
	return nil
}

// DueSweep is one deposit due for sweeping, and what SweepDue did with it.
type DueSweep struct {
	PaymentID string `json:"payment_id"`
	ChainID   uint64 `json:"chain_id"`
	Deposit   string `json:"deposit"`
	Amount    string `json:"amount"`
	Intent    string `json:"intent,omitempty"` // the sweep intent recorded (or already open)
	Error     string `json:"error,omitempty"`  // why none could be recorded
}

// SweepDue finds the payments whose deposit is due for sweeping on chainID (0: every chain) —
// funded, overpaid, late, or sweeping with its last sweep intent rejected (by the signer: fees
// that rose faster than its gas top-ups, say) — and, unless dryRun, records a sweep intent for
// each as the payment_sweep job does (CreateSweep: repeating it returns the open one; the signer
// verifies the new one from the start). A payment whose sweep cannot be recorded is listed with
// the reason; escrow gives each chain's AmnEscrow contract.
func (s *Store) SweepDue(ctx context.Context, chainID uint64, escrow func(chainID uint64) (common.Address, error), dryRun bool) ([]DueSweep, error) {
	var out []DueSweep
	for _, st := range []payment.State{payment.Funded, payment.Overpaid, payment.Late, payment.Sweeping} {
		dests, err := s.payments.ListDestinations(ctx, payment.DestinationFilter{ChainID: chainID, State: st, Limit: 1000})
		if err != nil {
			return out, err
		}
		for _, d := range dests {
			if st == payment.Sweeping {
				if again, err := s.sweepRejected(ctx, d.PaymentID); err != nil || !again {
					if err != nil {
						return out, err
					}
					continue // its sweep is under way, or done and waiting for the chain's event
				}
			}
			due := DueSweep{PaymentID: d.PaymentID, ChainID: d.ChainID, Deposit: d.Address.Hex(), Amount: d.Received.String()}
			if !dryRun {
				id, err := ledger.ParseID(d.PaymentID)
				if err != nil {
					return out, err
				}
				contract, err := escrow(d.ChainID)
				if err != nil {
					return out, err
				}
				if in, _, err := s.CreateSweep(ctx, id, contract); err != nil {
					due.Error = err.Error()
				} else {
					due.Intent = in.ID.String()
				}
			}
			out = append(out, due)
		}
	}
	return out, nil
}

// sweepRejected reports whether the payment's last sweep intent was rejected (a sweeping payment
// with none, its intent never recorded, counts too).
func (s *Store) sweepRejected(ctx context.Context, paymentID string) (bool, error) {
	id, err := ledger.ParseID(paymentID)
	if err != nil {
		return false, err
	}
	sweeps, err := OfPayment(ctx, s.pool, id, Sweep)
	if err != nil {
		return false, err
	}
	return len(sweeps) == 0 || sweeps[len(sweeps)-1].State == Rejected, nil
}

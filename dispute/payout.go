package dispute

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/riverqueue/river"

	"github.com/amanat/amn/payment"
)

// PayoutArgs asks for the payout intent of a case resolved into a refund (Refund) or a release:
// inserted in the resolution's transaction, so a resolved case never goes without its intent,
// and worked (retried until it succeeds) by PayoutWorker.
type PayoutArgs struct {
	CaseID    uuid.UUID `json:"case_id"`
	PaymentID uuid.UUID `json:"payment_id"`
	Refund    bool      `json:"refund"`
}

// Kind is the job's stable name.
func (PayoutArgs) Kind() string { return "dispute_payout" }

// InsertOpts put the job in the signer's queue (like the payment's freeze and settle), one per
// case while it waits.
func (PayoutArgs) InsertOpts() river.InsertOpts { return payment.FreezeArgs{}.InsertOpts() }

// Payout is dispute_payout's step: the payout intent of case id, resolved into a refund (refund)
// or a release, is asked for (asking again returns the open one). A case that is not resolved
// that way, or an unknown one, is left alone.
func (s *Service) Payout(ctx context.Context, id uuid.UUID, refund bool) error {
	if s.payouts == nil {
		return fmt.Errorf("%w: asking for payouts needs the payouts", ErrNotConfigured)
	}
	c, err := scanCase(s.pool.QueryRow(ctx, caseByID, id))
	if err != nil {
		return ignoreGone(err)
	}
	if c.Status != Resolved || c.Resolution == nil {
		return nil
	}
	switch o := *c.Resolution; {
	case refund && (o == OutcomeRefund || o == OutcomeBanSeller), !refund && o == OutcomeRelease:
	default:
		return nil // a forged job: the case was resolved otherwise
	}
	return s.payouts.DisputePayout(ctx, c.PaymentID, refund, "dispute:"+id.String(), "dispute "+id.String()+": "+string(*c.Resolution))
}

// PayoutWorker runs Payout; its Disputes need WithPayouts.
type PayoutWorker struct {
	river.WorkerDefaults[PayoutArgs]
	Disputes *Service
}

// Work asks for the payout intent.
func (w *PayoutWorker) Work(ctx context.Context, job *river.Job[PayoutArgs]) error {
	return w.Disputes.Payout(ctx, job.Args.CaseID, job.Args.Refund)
}

package market

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/google/uuid"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/amanat/amn/payment"
)

// The deal's jobs. Each is inserted, scheduled, in the transaction of the step that calls for it
// (deal.go) and carries what that step saw; its worker re-reads the request under its row lock
// and does nothing when the request moved on. The API computes when they run; the workers only
// check status.

// byArgs makes a job unique by its arguments: the same step's job is inserted once.
var byArgs = river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true}}

// DeliverArgs asks the platform to deliver a shipped request nobody said arrived, at the accepted
// offer's delivery time plus the grace.
type DeliverArgs struct {
	RequestID uuid.UUID     `json:"request_id"`
	ShippedAt time.Time     `json:"shipped_at"`
	Day       time.Duration `json:"day"` // the API's unit of time: the inspection period counts in it
}

// Kind is the job's stable name.
func (DeliverArgs) Kind() string { return "market_deliver" }

// InsertOpts make one job per shipment.
func (DeliverArgs) InsertOpts() river.InsertOpts { return byArgs }

// DeliverWorker runs DeliverOverdue.
type DeliverWorker struct {
	river.WorkerDefaults[DeliverArgs]
	Market *Service
	Log    *slog.Logger
}

// Work delivers the request if it still waits in delivery from that shipment.
func (w *DeliverWorker) Work(ctx context.Context, job *river.Job[DeliverArgs]) error {
	a := job.Args
	if a.Day <= 0 {
		return river.JobCancel(fmt.Errorf("market_deliver of %s: no day unit", a.RequestID))
	}
	fired, err := w.Market.DeliverOverdue(ctx, a.RequestID, a.ShippedAt, a.Day)
	if fired {
		w.Log.Info("market: delivery time passed; the platform marked the request delivered", "request", a.RequestID)
	}
	return err
}

// InspectArgs ends a request's inspection period: the buyer stayed silent, the release is asked.
type InspectArgs struct {
	RequestID   uuid.UUID `json:"request_id"`
	DeliveredAt time.Time `json:"delivered_at"`
}

// Kind is the job's stable name.
func (InspectArgs) Kind() string { return "market_inspect" }

// InsertOpts make one job per delivery.
func (InspectArgs) InsertOpts() river.InsertOpts { return byArgs }

// InspectWorker runs InspectionOver.
type InspectWorker struct {
	river.WorkerDefaults[InspectArgs]
	Market *Service
	Log    *slog.Logger
}

// Work moves a silent buyer's request to confirming (and inserts its release job).
func (w *InspectWorker) Work(ctx context.Context, job *river.Job[InspectArgs]) error {
	fired, err := w.Market.InspectionOver(ctx, job.Args.RequestID, job.Args.DeliveredAt)
	if fired {
		w.Log.Info("market: inspection period over; release requested", "request", job.Args.RequestID)
	}
	return err
}

// RemindArgs reminds the buyer that the inspection period ends in DaysLeft days.
type RemindArgs struct {
	RequestID   uuid.UUID `json:"request_id"`
	DeliveredAt time.Time `json:"delivered_at"`
	DaysLeft    int       `json:"days_left"`
}

// Kind is the job's stable name.
func (RemindArgs) Kind() string { return "market_remind" }

// InsertOpts make one job per delivery and offset.
func (RemindArgs) InsertOpts() river.InsertOpts { return byArgs }

// RemindWorker runs Remind.
type RemindWorker struct {
	river.WorkerDefaults[RemindArgs]
	Market *Service
}

// Work writes the reminder's row.
func (w *RemindWorker) Work(ctx context.Context, job *river.Job[RemindArgs]) error {
	_, err := w.Market.Remind(ctx, job.Args.RequestID, job.Args.DeliveredAt, job.Args.DaysLeft)
	return err
}

// ReleaseArgs asks for a confirming request's escrow to be released to the seller.
type ReleaseArgs struct {
	RequestID uuid.UUID `json:"request_id"`
	PaymentID uuid.UUID `json:"payment_id"`
}

// Kind is the job's stable name.
func (ReleaseArgs) Kind() string { return "market_release" }

// ReleaseQueue holds release jobs. The worker works it only when it knows the chains' escrow
// contracts (jobs.Config.Escrow), like the sweeps; without them the jobs wait.
const ReleaseQueue = "market_releases"

// releaseStates are the states in which a release job blocks another for the same request and
// payment: one waiting, running or retrying. A completed or cancelled one does not, so that
// market_follow can ask again for a release that stalled (Follow); asking twice is harmless
// (the Releaser returns the open intent).
var releaseStates = []rivertype.JobState{rivertype.JobStateAvailable, rivertype.JobStatePending,
	rivertype.JobStateRunning, rivertype.JobStateScheduled, rivertype.JobStateRetryable}

// InsertOpts queue the job on ReleaseQueue, at most one at a time per request and payment.
func (ReleaseArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: ReleaseQueue, UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: releaseStates}}
}

// Releaser asks for a payment's escrow to be released to its seller (package jobs adapts
// intent.Store.RequestRelease, which market must not import): the payment moves to
// release_pending and a release intent awaits the custodians' approvals. Asking again for a
// payment already asked for is no error.
type Releaser interface {
	RequestRelease(ctx context.Context, p *payment.Payment, actor string) error
}

// OpenReleases tells whether a payment has an open release intent (package jobs adapts
// intent.Store.OpenFor): a payment in release_pending without one has its release stalled (the
// custodians let the approvals expire, or the signer rejected the intent).
type OpenReleases interface {
	HasOpenRelease(ctx context.Context, paymentID uuid.UUID) (bool, error)
}

// releaseWait is how long a release waits for the payment's sweep into the escrow.
const releaseWait = 15 * time.Second

// ReleaseWorker asks for the release of a confirming request's payment.
type ReleaseWorker struct {
	river.WorkerDefaults[ReleaseArgs]
	Market   *Service
	Releaser Releaser
	Log      *slog.Logger
}

// Work asks for the release once the money is in escrow: a payment still being swept waits
// (snoozed); one whose release is under way or done is left; a disputed or refunded payment, or a
// request no longer confirming, cancels the job.
func (w *ReleaseWorker) Work(ctx context.Context, job *river.Job[ReleaseArgs]) error {
	a := job.Args
	r, err := w.Market.getRequest(ctx, a.RequestID)
	if err != nil {
		return w.cancel(a, "%v", err)
	}
	if r.PaymentID == nil || *r.PaymentID != a.PaymentID {
		return w.cancel(a, "the request's payment is not %s", a.PaymentID)
	}
	switch r.Status {
	case Confirming:
	case Completed:
		return nil // the release is final already
	default:
		return w.cancel(a, "the request is %s, not confirming", r.Status)
	}
	p, err := w.Market.payments.Get(ctx, [16]byte(a.PaymentID))
	if err != nil {
		return err
	}
	switch p.State {
	case payment.InEscrow, payment.ReleasePending:
		// release_pending: asked already; asking again records the intent a crash may have lost.
		if err := w.Releaser.RequestRelease(ctx, p, "market:"+a.RequestID.String()); err != nil {
			return fmt.Errorf("market_release of %s: %w", a.RequestID, err)
		}
		w.Log.Info("market: release requested", "request", a.RequestID, "payment_id", a.PaymentID)
		return nil
	case payment.Funded, payment.Overpaid, payment.Sweeping:
		return river.JobSnooze(releaseWait)
	case payment.Releasing, payment.Released:
		return nil
	}
	return w.cancel(a, "the payment is %s", p.State)
}

func (w *ReleaseWorker) cancel(a ReleaseArgs, f string, args ...any) error {
	err := fmt.Errorf(f, args...)
	w.Log.Warn("market: release not requested", "request", a.RequestID, "payment_id", a.PaymentID, "why", err)
	return river.JobCancel(err)
}

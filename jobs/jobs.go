// Package jobs runs Amn's background work on River, the Postgres-backed job queue: it declares
// the job kinds, their workers and the periodic schedule, and builds the worker role's client.
//
// Workers only call domain packages (payment, indexer, intent, and signer's reader of its
// transactions, signer.TxRecord); they hold no rules of their own and no keys. Jobs that follow a
// state change are inserted in that change's transaction, so that a committed change always has
// its job and a rolled-back one never does.
package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivertype"

	"github.com/amanat/amn/auth"
	"github.com/amanat/amn/chain"
	"github.com/amanat/amn/chat"
	"github.com/amanat/amn/dispute"
	"github.com/amanat/amn/indexer"
	"github.com/amanat/amn/intent"
	"github.com/amanat/amn/ledger"
	"github.com/amanat/amn/market"
	"github.com/amanat/amn/notify"
	"github.com/amanat/amn/payment"
	"github.com/amanat/amn/points"
	"github.com/amanat/amn/signer"
)

// ExpirePendingArgs asks for pending ledger transfers past their timeout to be voided.
type ExpirePendingArgs struct{}

// Kind is the job's stable name in the river_job table.
func (ExpirePendingArgs) Kind() string { return "ledger_expire_pending" }

// InsertOpts keep at most one such job queued or running: running it twice is harmless but
// useless.
func (ExpirePendingArgs) InsertOpts() river.InsertOpts { return onceAtATime }

// ExpirePendingWorker voids expired pending transfers through the ledger.
type ExpirePendingWorker struct {
	river.WorkerDefaults[ExpirePendingArgs]
	Ledger  *ledger.Ledger
	Log     *slog.Logger
	Expired prometheus.Counter
}

// Work runs one sweep; the ledger makes it safe to run concurrently and again.
func (w *ExpirePendingWorker) Work(ctx context.Context, _ *river.Job[ExpirePendingArgs]) error {
	n, err := w.Ledger.ExpirePending(ctx, time.Now())
	if n > 0 {
		w.Expired.Add(float64(n))
		w.Log.Info("voided expired pending transfers", "count", n)
	}
	return err
}

// ExpirePaymentsArgs asks for unpaid payments past their deadline to be marked expired.
type ExpirePaymentsArgs struct{}

// Kind is the job's stable name.
func (ExpirePaymentsArgs) Kind() string { return "payment_expire" }

// InsertOpts keep at most one such job queued or running.
func (ExpirePaymentsArgs) InsertOpts() river.InsertOpts { return onceAtATime }

// onceAtATime makes a periodic job unique while it waits or runs. River's default unique states
// include completed, which would let a periodic job run only once ever.
var onceAtATime = river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: []rivertype.JobState{
	rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning,
	rivertype.JobStateRetryable, rivertype.JobStateScheduled,
}}}

// ExpirePaymentsWorker expires overdue payments, a bounded batch per run; their addresses stay
// watched for late payments.
type ExpirePaymentsWorker struct {
	river.WorkerDefaults[ExpirePaymentsArgs]
	Payments *payment.Service
	Log      *slog.Logger
}

// Work runs one batch.
func (w *ExpirePaymentsWorker) Work(ctx context.Context, _ *river.Job[ExpirePaymentsArgs]) error {
	n, err := w.Payments.ExpireDue(ctx, 1000)
	if n > 0 {
		w.Log.Info("expired unpaid payments", "count", n)
	}
	return err
}

// releaser asks for a market deal's release through the signer's intents, with the chain's
// escrow contract (market.Releaser: package market may not import intent).
type releaser struct {
	intents *intent.Store
	escrow  func(chainID uint64) common.Address
}

// RequestRelease asks for p's release as actor; asking again returns the intent already open
// (intent.Store.RequestRelease is idempotent).
func (r releaser) RequestRelease(ctx context.Context, p *payment.Payment, actor string) error {
	contract := r.escrow(p.ChainID)
	if contract == (common.Address{}) {
		return fmt.Errorf("chain %d: %w", p.ChainID, intent.ErrNoEscrow)
	}
	_, _, err := r.intents.RequestRelease(ctx, p.ID, intent.RequestOptions{Actor: actor, Contract: contract,
		Reason: "the buyer confirmed receipt, or the inspection period ended"})
	return err
}

// HasOpenRelease reports whether payment paymentID has an open release intent (market.OpenReleases).
// An open intent of another kind counts too: a new release would collide with it.
func (r releaser) HasOpenRelease(ctx context.Context, paymentID uuid.UUID) (bool, error) {
	_, err := r.intents.OpenFor(ctx, ledger.ID(paymentID))
	if errors.Is(err, intent.ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}

// disputePayouts asks for the payout intents of resolved disputes (dispute.Payouts) as the
// worker: a refund to the buyer or a release to the seller, marked as resolving the dispute.
// Asking again returns the open intent.
type disputePayouts struct {
	intents  *intent.Store
	payments *payment.Service
	escrow   func(chainID uint64) common.Address
}

func (d disputePayouts) DisputePayout(ctx context.Context, paymentID uuid.UUID, refund bool, actor, reason string) error {
	p, err := d.payments.Get(ctx, ledger.ID(paymentID))
	if err != nil {
		return err
	}
	o := intent.RequestOptions{Actor: actor, Reason: reason, Contract: d.escrow(p.ChainID), ResolvesDispute: true}
	if refund {
		_, _, err = d.intents.RequestRefund(ctx, p.ID, o)
	} else {
		_, _, err = d.intents.RequestRelease(ctx, p.ID, o)
	}
	return err
}

// followEvery is market_follow's period: a paid request shows processing within seconds.
const followEvery = 5 * time.Second

// Config is what the worker role's client needs.
type Config struct {
	Pool *pgxpool.Pool
	Log  *slog.Logger
	// QueueLog receives River's own log (client started and stopped, the producers' job counts
	// every 5 s); nil means Log. amn dev gives it only warnings and errors unless --verbose.
	QueueLog    *slog.Logger
	Registry    prometheus.Registerer
	MaxWorkers  int           // concurrent jobs; 0 means 10
	ExpireEvery time.Duration // period of ledger_expire_pending and payment_expire; 0 means one minute
	// Escrow gives each chain's AmnEscrow contract. With it the worker turns payment_sweep jobs
	// into signer intents and keeps payments in step with the signer (signer_follow); nil leaves
	// sweep jobs waiting.
	Escrow func(chainID uint64) common.Address
	// NativeLedger names each chain's native-currency ledger ("bsc:BNB", chain.Chain.NativeLedger),
	// where signer_follow books the gas of the signer's transactions; nil means the built-in
	// mainnets' names.
	NativeLedger func(chainID uint64) (string, bool)
	// Mailer sends sign-in emails (auth_email) and notifications (notify_email); nil leaves them
	// failing and retrying.
	Mailer *auth.Mailer
	// Points is the rules of loyalty points (points_follow, points_adjust); nil means
	// points.DefaultConfig.
	Points *points.Config
	// Chains are the chains' settings; the deal's chat links its payment's steps to their
	// explorers. nil means no links.
	Chains *chain.Registry
	// Notify is the notifications' mail settings (the unsubscribe key, the API's and the
	// frontend's public URLs); notify_email jobs go out through Mailer.
	Notify notify.Config
}

// NewClient builds a River client that works Amn's jobs and schedules the periodic ones.
func NewClient(c Config) (*river.Client[pgx.Tx], error) {
	if c.MaxWorkers == 0 {
		c.MaxWorkers = 10
	}
	if c.ExpireEvery == 0 {
		c.ExpireEvery = time.Minute
	}
	if c.QueueLog == nil {
		c.QueueLog = c.Log
	}
	expired := prometheus.NewCounter(prometheus.CounterOpts{
		Name: "amn_ledger_pending_expired_total", Help: "Pending ledger transfers voided because their timeout passed.",
	})
	if err := c.Registry.Register(expired); err != nil {
		return nil, err
	}
	r, err := register(c, expired)
	if err != nil {
		return nil, err
	}
	client, err := river.NewClient(riverpgxv5.New(c.Pool), &river.Config{
		Logger:  c.QueueLog,
		Queues:  r.queues,
		Workers: r.workers,
		// River's nightly REINDEX of its job table needs the table's owner; the worker works as
		// amn_worker, which is not (docs/security.md: the owner runs it when the table bloats).
		ReindexerSchedule: river.NeverSchedule(),
		PeriodicJobs: append(r.periodic, []*river.PeriodicJob{
			river.NewPeriodicJob(river.PeriodicInterval(c.ExpireEvery),
				func() (river.JobArgs, *river.InsertOpts) { return ExpirePendingArgs{}, nil },
				&river.PeriodicJobOpts{RunOnStart: true}),
			river.NewPeriodicJob(river.PeriodicInterval(c.ExpireEvery),
				func() (river.JobArgs, *river.InsertOpts) { return ExpirePaymentsArgs{}, nil },
				&river.PeriodicJobOpts{RunOnStart: true}),
		}...),
	})
	if err != nil {
		return nil, fmt.Errorf("jobs: %w", err)
	}
	return client, nil
}

// registerPoints adds loyalty points: points_follow books the market's settled deals
// (periodic), points_adjust the admins' grants and reversals the API queues, points_spend the
// users' spends the API queues, points_expire the points past their lifetime (periodic).
func registerPoints(r *registry, c Config, deal *market.Service) error {
	cfg := points.DefaultConfig()
	if c.Points != nil {
		cfg = *c.Points
	}
	svc, err := points.New(c.Pool, cfg)
	if err != nil {
		return err
	}
	settled := SettledDeals(deal)
	for _, err := range []error{
		add(r, &points.FollowWorker{Points: svc, Source: settled, Log: c.Log}),
		add(r, &points.AdjustWorker{Points: svc, Log: c.Log}),
		add(r, &points.SpendWorker{Points: svc, Log: c.Log}),
		add(r, &points.ExpireWorker{Points: svc, Log: c.Log}),
	} {
		if err != nil {
			return err
		}
	}
	r.periodic = append(r.periodic, river.NewPeriodicJob(river.PeriodicInterval(followEvery),
		func() (river.JobArgs, *river.InsertOpts) { return points.FollowArgs{}, nil }, &river.PeriodicJobOpts{RunOnStart: true}),
		// The API queues points_adjust with each adjustment; this catches any it could not.
		river.NewPeriodicJob(river.PeriodicInterval(c.ExpireEvery),
			func() (river.JobArgs, *river.InsertOpts) { return points.AdjustArgs{}, nil }, &river.PeriodicJobOpts{RunOnStart: true}),
		// The API queues points_spend with each spend; this catches any it could not.
		river.NewPeriodicJob(river.PeriodicInterval(c.ExpireEvery),
			func() (river.JobArgs, *river.InsertOpts) { return points.SpendArgs{}, nil }, &river.PeriodicJobOpts{RunOnStart: true}),
		// Grants past their lifetime (points.Config.ExpiryDays): looked at once an hour.
		river.NewPeriodicJob(river.PeriodicInterval(time.Hour),
			func() (river.JobArgs, *river.InsertOpts) { return points.ExpireArgs{}, nil }, &river.PeriodicJobOpts{RunOnStart: true}))
	return nil
}

// SettledDeals is the market's settled deals as points reads them: points never imports market.
func SettledDeals(m *market.Service) points.Source {
	return func(ctx context.Context, after points.Cursor, limit int) ([]points.Settled, error) {
		rows, err := m.Settled(ctx, market.SettledCursor(after), limit)
		out := make([]points.Settled, len(rows))
		for i, s := range rows {
			o := points.Completed
			if s.Status != market.Completed {
				o = points.Refunded
			}
			out[i] = points.Settled{At: points.Cursor(s.At), Settlement: points.Settlement{Request: s.Request, Outcome: o,
				Buyer: s.Buyer, Seller: s.Seller, Amount: s.Amount, Decimals: s.Decimals}}
		}
		return out, err
	}
}

// registry is the worker role's one list of job kinds: each kind with its worker and queue, and
// the periodic jobs of the signer's queue.
type registry struct {
	workers  *river.Workers
	kinds    []string
	queues   map[string]river.QueueConfig
	periodic []*river.PeriodicJob
}

// add registers w for its job kind.
func add[T river.JobArgs](r *registry, w river.Worker[T]) error {
	var args T
	r.kinds = append(r.kinds, args.Kind())
	return river.AddWorkerSafely(r.workers, w)
}

// register builds the registry of c: expiry of pending transfers and of payments; payment
// checks (Request Network webhook hints) become rescan requests for the payment's chain's
// indexer, which holds the RPC endpoints; and, with c.Escrow, the worker's part of the signer's
// queue: payment_sweep, payment_freeze, payment_unfreeze and payment_settle become intents the signer verifies
// itself, and the periodic signer_follow keeps payments and the books in step with the signer.
func register(c Config, expired prometheus.Counter) (*registry, error) {
	r := &registry{workers: river.NewWorkers(), queues: map[string]river.QueueConfig{
		river.QueueDefault: {MaxWorkers: c.MaxWorkers}, payment.CheckQueue: {MaxWorkers: 2}}}
	// Expiry and checks need no deposit addresses, so the payment service gets no deriver.
	payments := payment.New(c.Pool, nil)
	// The worker's marketplace: its jobs carry the times the API computed, so its config's
	// settings are never used to schedule.
	// Following a payment writes its steps into the deal's chat, and the deal's steps notify its
	// parties, in the same transaction.
	notes, err := notify.New(c.Pool, c.Notify)
	if err != nil {
		return nil, err
	}
	deal := market.New(c.Pool, payments, c.Chains, market.DefaultConfig()).WithWatcher(&chat.Steps{Payments: payments}).
		WithNotifier(notify.Deals{Notify: notes})
	var transport notify.Transport
	if c.Mailer != nil {
		transport = c.Mailer
	}
	// The deadlines' steps never open or end a case today; were one to, its parties hear of it.
	disputes := dispute.New(c.Pool, dispute.DefaultConfig(), deal, payments).WithNotifier(dispute.Parties{Notify: notes})
	// The signer's transactions, whose gas signer_follow books, are read through package signer,
	// which owns their table. Without escrow contracts nothing asks for intents.
	var store *intent.Store
	follower := deal
	if c.Escrow != nil {
		store = intent.NewStore(c.Pool, payments, signer.TxRecord{})
		if c.NativeLedger != nil {
			store = store.WithNativeLedgers(c.NativeLedger)
		}
		follower = deal.WithOpenReleases(releaser{intents: store, escrow: c.Escrow})
	}
	for _, err := range []error{
		add(r, &ExpirePendingWorker{Ledger: ledger.New(c.Pool), Log: c.Log, Expired: expired}),
		add(r, &ExpirePaymentsWorker{Payments: payments, Log: c.Log}),
		add(r, &indexer.CheckWorker{Pool: c.Pool, Payments: payments}),
		add(r, &auth.EmailWorker{Mailer: c.Mailer, Log: c.Log}),
		add(r, &auth.PurgeMailWorker{}),
		add(r, &notify.EmailWorker{Notify: notes, Contacts: auth.NewContacts(c.Pool), Transport: transport, Log: c.Log}),
		// The marketplace's timers: offers and requests past their deadlines.
		add(r, &market.ExpireWorker{Market: deal}),
		// Requests follow their payments (paid, expired, released, refunded); reading needs no deriver.
		add(r, &market.FollowWorker{Market: follower, Log: c.Log}),
		// The deal after payment: the platform's delivery, the inspection period's end and reminders.
		add(r, &market.DeliverWorker{Market: deal, Log: c.Log}),
		add(r, &market.InspectWorker{Market: deal, Log: c.Log}),
		add(r, &market.RemindWorker{Market: deal}),
		// Disputes' deadlines: missing answers written, silent cases to review, unassigned ones
		// escalated. Their times come in the jobs; the config's are the API's.
		add(r, &dispute.AnswerDueWorker{Disputes: disputes}),
		add(r, &dispute.EscalateWorker{Disputes: disputes}),
		add(r, &dispute.RemindWorker{Disputes: disputes}),
		// Live cases whose payment ended on chain anyway close with the outcome the chain shows.
		add(r, &dispute.CloseFinalWorker{Disputes: disputes}),
	} {
		if err != nil {
			return nil, err
		}
	}
	if err := registerPoints(r, c, deal); err != nil {
		return nil, err
	}
	// Sent sign-in emails' jobs hold their codes in plaintext: delete them soon after.
	r.periodic = append(r.periodic, river.NewPeriodicJob(river.PeriodicInterval(time.Minute),
		func() (river.JobArgs, *river.InsertOpts) { return auth.PurgeMailArgs{}, nil }, &river.PeriodicJobOpts{RunOnStart: true}),
		river.NewPeriodicJob(river.PeriodicInterval(c.ExpireEvery),
			func() (river.JobArgs, *river.InsertOpts) { return market.ExpireArgs{}, nil }, &river.PeriodicJobOpts{RunOnStart: true}),
		river.NewPeriodicJob(river.PeriodicInterval(followEvery),
			func() (river.JobArgs, *river.InsertOpts) { return market.FollowArgs{}, nil }, &river.PeriodicJobOpts{RunOnStart: true}),
		river.NewPeriodicJob(river.PeriodicInterval(dispute.CloseFinalEvery),
			func() (river.JobArgs, *river.InsertOpts) { return dispute.CloseFinalArgs{}, nil }, &river.PeriodicJobOpts{RunOnStart: true}))
	if c.Escrow == nil {
		return r, nil
	}
	for _, err := range []error{
		add(r, &intent.SweepWorker{Intents: store, Escrow: c.Escrow, Log: c.Log}),
		add(r, &intent.FreezeWorker{Intents: store, Escrow: c.Escrow, Log: c.Log}),
		add(r, &intent.UnfreezeWorker{Intents: store, Escrow: c.Escrow, Log: c.Log}),
		add(r, &intent.SettleWorker{Intents: store, Escrow: c.Escrow, Log: c.Log}),
		add(r, &intent.FollowWorker{Intents: store}),
		add(r, &market.ReleaseWorker{Market: deal, Releaser: releaser{intents: store, escrow: c.Escrow}, Log: c.Log}),
		// A resolved dispute's payout intent, queued in the resolution's transaction.
		add(r, &dispute.PayoutWorker{Disputes: disputes.WithPayouts(disputePayouts{intents: store, payments: payments, escrow: c.Escrow})}),
	} {
		if err != nil {
			return nil, err
		}
	}
	r.queues[payment.SweepQueue] = river.QueueConfig{MaxWorkers: 2}
	r.queues[market.ReleaseQueue] = river.QueueConfig{MaxWorkers: 2}
	r.periodic = append(r.periodic, river.NewPeriodicJob(river.PeriodicInterval(5*time.Second),
		func() (river.JobArgs, *river.InsertOpts) { return intent.FollowArgs{}, nil }, &river.PeriodicJobOpts{RunOnStart: true}))
	return r, nil
}

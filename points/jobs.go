package points

import (
	"context"
	"log/slog"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// onceAtATime keeps at most one job of a kind waiting or running: each run does all there is.
var onceAtATime = river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: []rivertype.JobState{
	rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning,
	rivertype.JobStateRetryable, rivertype.JobStateScheduled,
}}}

// FollowArgs is the periodic job that books the market's settled deals.
type FollowArgs struct{}

// Kind is the job's stable name.
func (FollowArgs) Kind() string { return "points_follow" }

// InsertOpts keep at most one such job waiting or running.
func (FollowArgs) InsertOpts() river.InsertOpts { return onceAtATime }

// FollowWorker runs Follow over Source (the market's settled deals, given by package jobs).
type FollowWorker struct {
	river.WorkerDefaults[FollowArgs]
	Points *Service
	Source Source
	Log    *slog.Logger
}

// Work books every deal settled since the last run, 200 a page.
func (w *FollowWorker) Work(ctx context.Context, _ *river.Job[FollowArgs]) error {
	n, err := w.Points.Follow(ctx, w.Source, 200)
	if n > 0 {
		w.Log.Info("points: settled deals booked", "deals", n)
	}
	return err
}

// AdjustArgs asks the worker to book admins' adjustments; the API queues it with each one.
type AdjustArgs struct{}

// Kind is the job's stable name.
func (AdjustArgs) Kind() string { return "points_adjust" }

// InsertOpts keep at most one such job waiting or running.
func (AdjustArgs) InsertOpts() river.InsertOpts { return onceAtATime }

// AdjustWorker books admins' adjustments.
type AdjustWorker struct {
	river.WorkerDefaults[AdjustArgs]
	Points *Service
	Log    *slog.Logger
}

// Work books every adjustment waiting, 500 at a time.
func (w *AdjustWorker) Work(ctx context.Context, _ *river.Job[AdjustArgs]) error {
	for {
		n, err := w.Points.BookAdjustments(ctx, 500)
		if n > 0 {
			w.Log.Info("points: admins' adjustments booked", "count", n)
		}
		if err != nil || n < 500 {
			return err
		}
	}
}

// SpendArgs asks the worker to book users' spends; the API queues it with each one.
type SpendArgs struct{}

// Kind is the job's stable name.
func (SpendArgs) Kind() string { return "points_spend" }

// InsertOpts keep at most one such job waiting or running.
func (SpendArgs) InsertOpts() river.InsertOpts { return onceAtATime }

// SpendWorker books users' spends.
type SpendWorker struct {
	river.WorkerDefaults[SpendArgs]
	Points *Service
	Log    *slog.Logger
}

// Work books every spend waiting, 500 at a time.
func (w *SpendWorker) Work(ctx context.Context, _ *river.Job[SpendArgs]) error {
	for {
		n, err := w.Points.BookSpends(ctx, 500)
		if n > 0 {
			w.Log.Info("points: spends booked", "count", n)
		}
		if err != nil || n < 500 {
			return err
		}
	}
}

// ExpireArgs is the periodic job that expires points past their lifetime.
type ExpireArgs struct{}

// Kind is the job's stable name.
func (ExpireArgs) Kind() string { return "points_expire" }

// InsertOpts keep at most one such job waiting or running.
func (ExpireArgs) InsertOpts() river.InsertOpts { return onceAtATime }

// ExpireWorker runs ExpireDue.
type ExpireWorker struct {
	river.WorkerDefaults[ExpireArgs]
	Points *Service
	Log    *slog.Logger
}

// Work expires the points that came due since the last run, 200 users a page.
func (w *ExpireWorker) Work(ctx context.Context, _ *river.Job[ExpireArgs]) error {
	n, err := w.Points.ExpireDue(ctx, 200)
	if n > 0 {
		w.Log.Info("points: users' due points looked at for expiry", "users", n)
	}
	return err
}

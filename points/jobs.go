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

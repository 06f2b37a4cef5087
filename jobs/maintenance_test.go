package jobs_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/amanat/amn/db"
	"github.com/amanat/amn/db/dbtest"
)

// TestWorkerRoleRunsRiversMaintenance runs, as amn_worker, the statements of River's maintenance
// services that the worker's client runs when it leads (job cleaner, rescuer, scheduler, queue
// cleaner, leader expiry): its grants suffice. The reindexer's REINDEX is refused to the role
// (it needs the table's owner), which is why jobs.NewClient turns it off.
func TestWorkerRoleRunsRiversMaintenance(t *testing.T) {
	ctx := context.Background()
	exec := riverpgxv5.New(dbtest.PoolAs(t, db.RoleWorker)).GetExecutor()
	now := time.Now()
	for _, step := range []struct {
		name string
		run  func() error
	}{
		{"job cleaner", func() error {
			_, err := exec.JobDeleteBefore(ctx, &riverdriver.JobDeleteBeforeParams{CancelledDoDelete: true, CancelledFinalizedAtHorizon: now,
				CompletedDoDelete: true, CompletedFinalizedAtHorizon: now, DiscardedDoDelete: true, DiscardedFinalizedAtHorizon: now, Max: 100})
			return err
		}},
		{"job rescuer", func() error {
			if _, err := exec.JobGetStuck(ctx, &riverdriver.JobGetStuckParams{Max: 100, StuckHorizon: now}); err != nil {
				return err
			}
			_, err := exec.JobRescueMany(ctx, &riverdriver.JobRescueManyParams{ID: []int64{}, Error: [][]byte{},
				FinalizedAt: []*time.Time{}, ScheduledAt: []time.Time{}, State: []string{}, StuckHorizon: now})
			return err
		}},
		{"job scheduler", func() error {
			_, err := exec.JobSchedule(ctx, &riverdriver.JobScheduleParams{Max: 100, Now: &now})
			return err
		}},
		{"queue cleaner", func() error {
			_, err := exec.QueueDeleteExpired(ctx, &riverdriver.QueueDeleteExpiredParams{Max: 100, UpdatedAtHorizon: now.Add(-24 * time.Hour)})
			return err
		}},
		{"leader expiry", func() error {
			_, err := exec.LeaderDeleteExpired(ctx, &riverdriver.LeaderDeleteExpiredParams{Now: &now})
			return err
		}},
	} {
		if err := step.run(); err != nil {
			t.Errorf("%s as amn_worker: %v", step.name, err)
		}
	}
	err := exec.IndexReindex(ctx, &riverdriver.IndexReindexParams{Index: "river_job_kind"})
	var pe *pgconn.PgError
	if !errors.As(err, &pe) || pe.Code != "42501" {
		t.Fatalf("REINDEX of river_job_kind as amn_worker: %v; want insufficient_privilege (only the owner may reindex)", err)
	}
}

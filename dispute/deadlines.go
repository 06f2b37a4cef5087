package dispute

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/amanat/amn/db"
)

// The deadlines are River jobs inserted in the transaction of the step that sets them (opening,
// an admin's request for evidence); their workers re-read the case under its row lock and do
// nothing when it moved on. A missing answer is written on the timeline once, and a case whose
// evidence deadline passed moves to review; a case nobody took escalates.

// byArgs makes a deadline's job unique by its arguments: the same deadline is inserted once.
var byArgs = river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true}}

// AnswerDueArgs is a side's answer deadline: it had to add evidence or a statement after Since.
// Review marks an admin's request for evidence, whose deadline moves the case to review.
type AnswerDueArgs struct {
	CaseID uuid.UUID `json:"case_id"`
	Side   Actor     `json:"side"`
	Since  time.Time `json:"since"`
	Review bool      `json:"review,omitempty"`
}

// Kind is the job's stable name.
func (AnswerDueArgs) Kind() string { return "dispute_answer_due" }

// InsertOpts make one job per deadline.
func (AnswerDueArgs) InsertOpts() river.InsertOpts { return byArgs }

// EscalateArgs escalates a case nobody took since it was opened.
type EscalateArgs struct {
	CaseID   uuid.UUID `json:"case_id"`
	OpenedAt time.Time `json:"opened_at"`
}

// Kind is the job's stable name.
func (EscalateArgs) Kind() string { return "dispute_escalate" }

// InsertOpts make one job per case.
func (EscalateArgs) InsertOpts() river.InsertOpts { return byArgs }

// scheduleAnswers inserts the answer deadlines of an admin's request for evidence to sides, asked
// at since, due at due.
func (s *Service) scheduleAnswers(ctx context.Context, tx pgx.Tx, id uuid.UUID, since, due time.Time, sides ...Actor) error {
	jobs := make([]river.InsertManyParams, len(sides))
	for i, side := range sides {
		jobs[i] = river.InsertManyParams{Args: AnswerDueArgs{CaseID: id, Side: side, Since: since, Review: true},
			InsertOpts: &river.InsertOpts{ScheduledAt: due}}
	}
	_, err := s.jobs.InsertManyTx(ctx, tx, jobs)
	return err
}

// sinceText is how a deadline's start is written in its answer_missed entry.
func sinceText(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// AnswerDue is dispute_answer_due's step: if side wrote nothing on case id since since, the
// timeline records it (once); the deadline of an admin's request for evidence (review) also moves
// a case still awaiting evidence to review. It reports whether it recorded a missing answer. A
// case that ended, or an unknown one, is left alone.
func (s *Service) AnswerDue(ctx context.Context, id uuid.UUID, side Actor, since time.Time, review bool) (bool, error) {
	missed := false
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		c, err := scanCase(tx.QueryRow(ctx, lockCase, id))
		if err != nil || c.Status.Final() || c.Legacy || (side != ActorBuyer && side != ActorSeller) {
			return err
		}
		var answered, recorded bool
		if err := tx.QueryRow(ctx, answeredSince, id, string(side), since).Scan(&answered); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, missedRecorded, id, string(side), sinceText(since)).Scan(&recorded); err != nil {
			return err
		}
		if review && c.Status == AwaitingEvidence {
			if _, err := s.move(ctx, tx, c, EvReview, ActorSystem, uuid.Nil, map[string]any{"why": "the evidence deadline passed"}); err != nil {
				return err
			}
		}
		if answered || recorded {
			return nil
		}
		missed = true
		_, err = s.move(ctx, tx, c, EvAnswerMissed, ActorSystem, uuid.Nil, map[string]any{"side": side, "since": sinceText(since),
			"due": s.clock()})
		return err
	})
	return missed, ignoreGone(err)
}

// Escalate is dispute_escalate's step: a live case no admin took escalates. It reports whether
// it did.
func (s *Service) Escalate(ctx context.Context, id uuid.UUID) (bool, error) {
	done := false
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		c, err := scanCase(tx.QueryRow(ctx, lockCase, id))
		if err != nil || c.AssignedAdmin != nil || c.Legacy {
			return err
		}
		if _, err := Next(c.Status, EvEscalate, ActorSystem); err != nil {
			return nil // resolved, withdrawn or escalated meanwhile
		}
		done = true
		_, err = s.move(ctx, tx, c, EvEscalate, ActorSystem, uuid.Nil, map[string]any{"hours": s.cfg.EscalateHours})
		return err
	})
	return done, ignoreGone(err)
}

// ignoreGone makes a job about a case that does not exist a no-op (a forged job must not retry
// forever).
func ignoreGone(err error) error {
	if isGone(err) {
		return nil
	}
	return err
}

func isGone(err error) bool { return errors.Is(err, ErrNotFound) }

// AnswerDueWorker runs AnswerDue.
type AnswerDueWorker struct {
	river.WorkerDefaults[AnswerDueArgs]
	Disputes *Service
}

// Work records a missing answer.
func (w *AnswerDueWorker) Work(ctx context.Context, job *river.Job[AnswerDueArgs]) error {
	_, err := w.Disputes.AnswerDue(ctx, job.Args.CaseID, job.Args.Side, job.Args.Since, job.Args.Review)
	return err
}

// EscalateWorker runs Escalate.
type EscalateWorker struct {
	river.WorkerDefaults[EscalateArgs]
	Disputes *Service
}

// Work escalates an unassigned case.
func (w *EscalateWorker) Work(ctx context.Context, job *river.Job[EscalateArgs]) error {
	_, err := w.Disputes.Escalate(ctx, job.Args.CaseID)
	return err
}

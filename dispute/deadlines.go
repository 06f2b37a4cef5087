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
// Seq is the timeline entry that set the deadline (the opening, or the request for evidence): a
// deadline a later request for evidence replaced does nothing. (0: a job from before seq was
// carried, which acts on the time alone.)
type AnswerDueArgs struct {
	CaseID uuid.UUID `json:"case_id"`
	Side   Actor     `json:"side"`
	Since  time.Time `json:"since"`
	Review bool      `json:"review,omitempty"`
	Seq    int       `json:"seq,omitempty"`
}

// Kind is the job's stable name.
func (AnswerDueArgs) Kind() string { return "dispute_answer_due" }

// InsertOpts make one job per deadline.
func (AnswerDueArgs) InsertOpts() river.InsertOpts { return byArgs }

// EscalateArgs escalates a case nobody took since it was opened, Hours (the setting of the
// server that opened it) later.
type EscalateArgs struct {
	CaseID   uuid.UUID `json:"case_id"`
	OpenedAt time.Time `json:"opened_at"`
	Hours    int       `json:"hours,omitempty"`
}

// Kind is the job's stable name.
func (EscalateArgs) Kind() string { return "dispute_escalate" }

// InsertOpts make one job per case.
func (EscalateArgs) InsertOpts() river.InsertOpts { return byArgs }

// RemindArgs reminds Side, which had to answer on the case after Since, that its answer is due at
// Due; it runs a quarter of the answer period before Due (remindAt). Seq is AnswerDueArgs's: a
// reminder of a deadline a later request replaced does nothing.
type RemindArgs struct {
	CaseID uuid.UUID `json:"case_id"`
	Side   Actor     `json:"side"`
	Since  time.Time `json:"since"`
	Due    time.Time `json:"due"`
	Seq    int       `json:"seq,omitempty"`
}

// Kind is the job's stable name.
func (RemindArgs) Kind() string { return "dispute_remind" }

// InsertOpts make one reminder per deadline.
func (RemindArgs) InsertOpts() river.InsertOpts { return byArgs }

// remindAt is when a side that has not answered is reminded of its deadline: three quarters into
// the answer period (12 hours before a 48-hour deadline).
func remindAt(since, due time.Time) time.Time { return due.Add(-due.Sub(since) / 4) }

// deadline is the jobs of one side's answer deadline: the deadline itself and its reminder.
func deadline(a AnswerDueArgs, due time.Time) []river.InsertManyParams {
	return []river.InsertManyParams{
		{Args: a, InsertOpts: &river.InsertOpts{ScheduledAt: due}},
		{Args: RemindArgs{CaseID: a.CaseID, Side: a.Side, Since: a.Since, Due: due, Seq: a.Seq},
			InsertOpts: &river.InsertOpts{ScheduledAt: remindAt(a.Since, due)}},
	}
}

// scheduleAnswers inserts the answer deadlines of an admin's request for evidence to sides, asked
// at since, due at due.
func (s *Service) scheduleAnswers(ctx context.Context, tx pgx.Tx, id uuid.UUID, seq int, since, due time.Time, sides ...Actor) error {
	var jobs []river.InsertManyParams
	for _, side := range sides {
		jobs = append(jobs, deadline(AnswerDueArgs{CaseID: id, Side: side, Since: since, Review: true, Seq: seq}, due)...)
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
	return s.AnswerDueOf(ctx, AnswerDueArgs{CaseID: id, Side: side, Since: since, Review: review})
}

// AnswerDueOf is AnswerDue of a job's arguments: a deadline whose request (a.Seq) is not the
// case's latest does nothing. Evidence, a statement, a proposal or an acceptance by the side
// after the request is an answer.
func (s *Service) AnswerDueOf(ctx context.Context, a AnswerDueArgs) (bool, error) {
	id, side, since, review := a.CaseID, a.Side, a.Since, a.Review
	missed := false
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		c, err := scanCase(tx.QueryRow(ctx, lockCase, id))
		if err != nil || c.Status.Final() || c.Legacy || (side != ActorBuyer && side != ActorSeller) {
			return err
		}
		if a.Seq > 0 {
			var latest int
			if err := tx.QueryRow(ctx, latestRequest, id).Scan(&latest); err != nil {
				return err
			}
			if latest != a.Seq {
				return nil // a later request for evidence set the deadline that counts
			}
		}
		var answered, recorded bool
		if err := tx.QueryRow(ctx, answeredSince, id, string(side), since, a.Seq).Scan(&answered); err != nil {
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

// Remind is dispute_remind's step: if a.Side has not answered on the case since a.Since, and the
// deadline is still the one that counts (a.Seq), it is told (Notifier.DisputeReminder) in the
// transaction that reads the case. It reports whether it told. A case that ended, a legacy one,
// or a service without a Notifier is left alone.
func (s *Service) Remind(ctx context.Context, a RemindArgs) (bool, error) {
	if s.notifier == nil || (a.Side != ActorBuyer && a.Side != ActorSeller) {
		return false, nil
	}
	told := false
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		told = false
		c, err := scanCase(tx.QueryRow(ctx, lockCase, a.CaseID))
		if err != nil || c.Status.Final() || c.Legacy {
			return err
		}
		if a.Seq > 0 {
			var latest int
			if err := tx.QueryRow(ctx, latestRequest, a.CaseID).Scan(&latest); err != nil {
				return err
			}
			if latest != a.Seq {
				return nil
			}
		}
		var answered bool
		if err := tx.QueryRow(ctx, answeredSince, a.CaseID, string(a.Side), a.Since, a.Seq).Scan(&answered); err != nil || answered {
			return err
		}
		title, err := s.deals.TitleTx(ctx, tx, c.RequestID)
		if err != nil {
			return err
		}
		told = true
		return s.notifier.DisputeReminder(ctx, tx, c, a.Side, a.Due, title)
	})
	return told, ignoreGone(err)
}

// Escalate is dispute_escalate's step: a live case no admin took escalates. It reports whether
// it did.
func (s *Service) Escalate(ctx context.Context, id uuid.UUID) (bool, error) {
	return s.EscalateOf(ctx, EscalateArgs{CaseID: id})
}

// EscalateOf is Escalate of a job's arguments: the entry says the hours the job was set with (the
// service's own setting for a job that carries none).
func (s *Service) EscalateOf(ctx context.Context, a EscalateArgs) (bool, error) {
	id, hours := a.CaseID, a.Hours
	if hours <= 0 {
		hours = s.cfg.EscalateHours
	}
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
		_, err = s.move(ctx, tx, c, EvEscalate, ActorSystem, uuid.Nil, map[string]any{"hours": hours})
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
	_, err := w.Disputes.AnswerDueOf(ctx, job.Args)
	return err
}

// RemindWorker runs Remind.
type RemindWorker struct {
	river.WorkerDefaults[RemindArgs]
	Disputes *Service
}

// Work reminds a side that has not answered.
func (w *RemindWorker) Work(ctx context.Context, job *river.Job[RemindArgs]) error {
	_, err := w.Disputes.Remind(ctx, job.Args)
	return err
}

// EscalateWorker runs Escalate.
type EscalateWorker struct {
	river.WorkerDefaults[EscalateArgs]
	Disputes *Service
}

// Work escalates an unassigned case.
func (w *EscalateWorker) Work(ctx context.Context, job *river.Job[EscalateArgs]) error {
	_, err := w.Disputes.EscalateOf(ctx, job.Args)
	return err
}

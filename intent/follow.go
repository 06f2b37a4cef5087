package intent

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/amanat/amn/ledger"
	"github.com/amanat/amn/payment"
)

// Follow keeps the payments and the books in step with the signer: the signer cannot write
// payments or the ledger, so once it has verified a release, refund or settle and started
// signing, this moves the payment to releasing / refunding / settling (StartRelease / StartRefund
// / StartSettle: the ledger reserves the payout); the indexer then posts it (Released / Refunded /
// Settled) when the contract's event is final. A settle that will not happen returns the payment
// to settle_pending (SettleFailed); a settle_pending payment whose settle intent was rejected
// before it was signed gets its intent asked for again (followSettlePending).
// A payout that will not happen — its transaction reverted (a freeze or the buyer's reclaim
// mined first, an expired approval) or its intent was rejected after the payment moved — returns
// the payment to in_escrow (ReleaseFailed / RefundFailed: the reservation is voided, the intent's
// reason goes to the timeline), so that it can be paid out again; a reclaim or a freeze the chain
// made is booked by the indexer from its event. Then it books the gas of finished intents
// (BookGas). It returns how many payments it moved. Each pass reads at most a page of payments of
// each set it follows, going on where the last pass stopped. Safe to run concurrently and again.
func (s *Store) Follow(ctx context.Context) (int, error) {
	if s.signerTxs == nil {
		return 0, ErrNoSignerTxs // before moving anything: its gas could never be booked
	}
	n, err := s.followPayments(ctx)
	if err != nil {
		return n, err
	}
	failed, err := s.followFailedPayouts(ctx)
	n += failed
	if err != nil {
		return n, err
	}
	if err := s.followSettlePending(ctx); err != nil {
		return n, err
	}
	_, err = s.BookGas(ctx, 0)
	return n, err
}

// followPage is how many payments a Follow pass reads of each set it follows (asked to be paid
// out; being paid out). A backlog larger than that — thousands of releases waiting for approvals —
// is read a page per pass, each pass going on where the last one stopped.
const followPage = 500

// followCursors are where the next Follow pass reads each set of payments from. Copies of a Store
// share them.
type followCursors struct {
	mu    sync.Mutex
	after map[string]ledger.ID
	page  int
}

// payouts lists the next page of the payments holding one of states (in it, or disputed from it
// when disputed counts), each with the payout kind its state asks for: release for release_pending
// and releasing, refund for refund_pending and refunding. The page starts after the last one read
// for the same states, and from the first payment again once a page comes back short.
func (s *Store) payouts(ctx context.Context, disputed bool, states ...payment.State) (ids []ledger.ID, kinds []string, err error) {
	key := fmt.Sprint(states)
	s.follow.mu.Lock()
	after, limit := s.follow.after[key], s.follow.page
	s.follow.mu.Unlock()
	standing, err := s.payments.Holding(ctx, after, limit, states...)
	if err != nil {
		return nil, nil, err
	}
	next := ledger.ID{}
	if len(standing) == limit {
		next = standing[len(standing)-1].PaymentID
	}
	s.follow.mu.Lock()
	s.follow.after[key] = next
	s.follow.mu.Unlock()
	for _, p := range standing {
		if p.State == payment.Disputed && !disputed {
			continue
		}
		switch p.Holds() {
		case payment.ReleasePending, payment.Releasing:
			ids, kinds = append(ids, p.PaymentID), append(kinds, string(Release))
		case payment.RefundPending, payment.Refunding:
			ids, kinds = append(ids, p.PaymentID), append(kinds, string(Refund))
		case payment.SettlePending, payment.Settling:
			ids, kinds = append(ids, p.PaymentID), append(kinds, string(Settle))
		}
	}
	return ids, kinds, nil
}

// followFailedPayouts returns to in_escrow the payments a release or refund moved (releasing,
// refunding, or disputed from them) whose latest intent of that kind was rejected. While a payment
// is releasing or refunding no other payout intent can be made for it, so its latest one is the
// one that moved it.
func (s *Store) followFailedPayouts(ctx context.Context) (int, error) {
	ids, kinds, err := s.payouts(ctx, true, payment.Releasing, payment.Refunding, payment.Settling)
	if err != nil || len(ids) == 0 {
		return 0, err
	}
	rows, err := s.pool.Query(ctx, `SELECT i.kind, u.id, i.id::text, i.reason FROM unnest($1::uuid[], $2::text[]) AS u(id, payout)
		JOIN LATERAL (SELECT id, kind, state, reason FROM signer_intents WHERE payment_id = u.id AND kind IN ('release', 'refund', 'settle')
			ORDER BY created_at DESC, id DESC LIMIT 1) i ON true
		WHERE i.state = 'rejected' AND i.kind::text = u.payout
		LIMIT 500`, ids, kinds)
	if err != nil {
		return 0, err
	}
	type todo struct {
		kind   Kind
		id     ledger.ID
		intent string
		reason string
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (todo, error) {
		var t todo
		err := r.Scan(&t.kind, &t.id, &t.intent, &t.reason)
		return t, err
	})
	if err != nil {
		return 0, err
	}
	n := 0
	for _, t := range list {
		why := fmt.Sprintf("%s intent %s rejected: %s", t.kind, t.intent, t.reason)
		var err error
		switch t.kind {
		case Release:
			_, err = s.payments.ReleaseFailed(ctx, t.id, why)
		case Settle:
			_, err = s.payments.SettleFailed(ctx, t.id, why)
		default:
			_, err = s.payments.RefundFailed(ctx, t.id, why)
		}
		switch {
		case err == nil:
			n++
		case errors.Is(err, payment.ErrIllegalTransition):
			// moved meanwhile (by a concurrent run, or the chain's payout or reclaim)
		default:
			return n, fmt.Errorf("intent follow: payment %s: %w", t.id, err)
		}
	}
	return n, nil
}

// followSettlePending asks again (payment.AskSettle) for the settle intent of every payment
// waiting in settle_pending (not disputed) with no open settle intent: its intent was rejected
// before the signer signed it (approvals expired, a limit, a revert at estimation), and the
// decided split would otherwise wait for ever. A job already waiting is kept (River's uniqueness).
func (s *Store) followSettlePending(ctx context.Context) error {
	ids, _, err := s.payouts(ctx, false, payment.SettlePending)
	if err != nil || len(ids) == 0 {
		return err
	}
	rows, err := s.pool.Query(ctx, `SELECT u.id FROM unnest($1::uuid[]) AS u(id)
		WHERE NOT EXISTS (SELECT 1 FROM signer_intents i WHERE i.payment_id = u.id AND i.kind = 'settle'
			AND i.state NOT IN ('done', 'rejected'))`, ids)
	if err != nil {
		return err
	}
	lost, err := pgx.CollectRows(rows, pgx.RowTo[ledger.ID])
	if err != nil {
		return err
	}
	if err := s.payments.AskSettle(ctx, lost...); err != nil {
		return fmt.Errorf("intent follow: %w", err)
	}
	return nil
}

// followPayments moves to releasing / refunding the payments asked to be paid out (release_pending,
// refund_pending; not while disputed) whose payout intent the signer has started signing.
func (s *Store) followPayments(ctx context.Context) (int, error) {
	ids, kinds, err := s.payouts(ctx, false, payment.ReleasePending, payment.RefundPending, payment.SettlePending)
	if err != nil || len(ids) == 0 {
		return 0, err
	}
	rows, err := s.pool.Query(ctx, `SELECT i.kind, i.payment_id FROM unnest($1::uuid[], $2::text[]) AS u(id, payout)
		JOIN signer_intents i ON i.payment_id = u.id AND i.kind::text = u.payout
		WHERE i.state IN ('signing', 'broadcast', 'confirmed', 'done')
		LIMIT 500`, ids, kinds)
	if err != nil {
		return 0, err
	}
	type todo struct {
		kind Kind
		id   ledger.ID
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (todo, error) {
		var t todo
		err := r.Scan(&t.kind, &t.id)
		return t, err
	})
	if err != nil {
		return 0, err
	}
	n := 0
	for _, t := range list {
		var err error
		switch t.kind {
		case Release:
			_, err = s.payments.StartRelease(ctx, t.id)
		case Settle:
			_, err = s.payments.StartSettle(ctx, t.id)
		default:
			_, err = s.payments.StartRefund(ctx, t.id)
		}
		switch {
		case err == nil:
			n++
		case errors.Is(err, payment.ErrIllegalTransition):
			// moved by a concurrent run
		default:
			return n, fmt.Errorf("intent follow: payment %s: %w", t.id, err)
		}
	}
	return n, nil
}

// FollowArgs is the periodic job that runs Follow.
type FollowArgs struct{}

// Kind is the job's stable name.
func (FollowArgs) Kind() string { return "signer_follow" }

// InsertOpts keep one such job waiting or running.
func (FollowArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: []rivertype.JobState{
		rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning,
		rivertype.JobStateRetryable, rivertype.JobStateScheduled,
	}}}
}

// FollowWorker runs Follow in the worker role.
type FollowWorker struct {
	river.WorkerDefaults[FollowArgs]
	Intents *Store
}

// Work runs one pass.
func (w *FollowWorker) Work(ctx context.Context, _ *river.Job[FollowArgs]) error {
	_, err := w.Intents.Follow(ctx)
	return err
}

// Timeout keeps a pass short.
func (w *FollowWorker) Timeout(*river.Job[FollowArgs]) time.Duration { return 30 * time.Second }

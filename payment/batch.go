package payment

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/riverqueue/river"
	"golang.org/x/sync/errgroup"

	"github.com/amanat/amn/db"
	"github.com/amanat/amn/ledger"
)

// Every transition, alone or in a batch, runs through applyChangesAfter: lock the payments (in id
// order, so batches never wait on each other in a cycle), refuse what the state does not allow,
// let each event decide the next state and ledger transfers, then write the transfers in one
// ledger batch, the payments in one UPDATE, the timeline in one INSERT and the follow-up jobs, and
// commit. The indexer sends a whole step's detections (and a whole confirmation pass's credits)
// at once, so a step costs a handful of statements instead of a transaction per event.

// change is one event for one payment.
type change struct {
	id    ledger.ID
	ev    Event
	actor string
	// done is the id of the first transfer the event writes: if it is already recorded, the event
	// happened before and nothing is done again. doneFor, when set, derives it from the payment
	// as locked (a payout's transfer ids follow its attempt).
	done    ledger.ID
	doneFor func(p *Payment) ledger.ID
	// needs lists the recorded transfers decide looks up (read for the whole batch in one query).
	needs []ledger.ID
	// replayed, when set, tells from the recorded transfers that the event happened before in
	// another form (a credit booked as one posted deposit: fusePosts).
	replayed func(look lookupFunc) bool
	decide   func(p *Payment, look lookupFunc) (step, error)
	// pos is the change's position in the batch (set by applyChangesAfter), for afterFunc.
	pos int
}

// afterFunc runs in a batch's transaction, before it commits, with the positions of the changes
// that transaction applied or found applied before (see Recorder).
type afterFunc func(ctx context.Context, tx pgx.Tx, applied []int) error

// lookupFunc finds a transfer recorded before the batch or written earlier in it.
type lookupFunc func(ledger.ID) (ledger.Transfer, bool)

// Result is what became of one item of a batch: the payment after it, or why it alone was
// refused (nothing was written for it).
type Result struct {
	Payment *Payment
	Err     error
}

// maxChanges bounds one transaction of a batch: its payment and account locks are held until it
// commits.
const maxChanges = 500

// ledgerRefusal carries the ledger's refusal of a batch's transfers out of its (rolled back)
// transaction. A batch of several changes is then run change by change, so that the refusal lands
// on the change that caused it; a single change gets it as its result.
type ledgerRefusal struct{ err error }

func (r *ledgerRefusal) Error() string { return r.err.Error() }
func (r *ledgerRefusal) Unwrap() error { return r.err }

// transition runs one event on one payment.
func (s *Service) transition(ctx context.Context, id ledger.ID, ev Event, actor string, done ledger.ID,
	decide func(p *Payment, look lookupFunc) (step, error)) (*Payment, error) {
	return s.one(ctx, change{id: id, ev: ev, actor: actor, done: done, decide: decide})
}

func (s *Service) one(ctx context.Context, c change) (*Payment, error) {
	return s.oneAfter(ctx, c, nil)
}

// oneAfter is one with after run in its transaction (nil: nothing).
func (s *Service) oneAfter(ctx context.Context, c change, after afterFunc) (*Payment, error) {
	res, err := s.applyChangesAfter(ctx, []change{c}, after)
	if err == nil {
		err = res[0].Err
	}
	if err != nil {
		return nil, fmt.Errorf("payment %s: %s: %w", c.id, c.ev, err)
	}
	return res[0].Payment, nil
}

// applyChangesAfter runs cs, at most maxChanges per transaction, and up to batchWorkers
// transactions at once over disjoint sets of payments, with after run in each transaction before
// it commits (nil: nothing). Changes of one payment run in the order given, each seeing the
// payment as the previous one left it. The error is for failures of the database; refusals are in
// the results. The exploration test's applier has no transactions and ignores after.
func (s *Service) applyChangesAfter(ctx context.Context, cs []change, after afterFunc) ([]Result, error) {
	if s.applier != nil {
		return s.applier(ctx, cs)
	}
	for i := range cs {
		cs[i].pos = i
	}
	if len(cs) <= maxChanges {
		return s.applyChunks(ctx, cs, after)
	}
	// Deal the payments out to the workers, each payment's changes in their order.
	groups := make([][]int, batchWorkers)
	worker := map[ledger.ID]int{}
	for i, c := range cs {
		w, ok := worker[c.id]
		if !ok {
			w = len(worker) % batchWorkers
			worker[c.id] = w
		}
		groups[w] = append(groups[w], i)
	}
	out := make([]Result, len(cs))
	g, gctx := errgroup.WithContext(ctx)
	for _, idx := range groups {
		g.Go(func() error {
			part := make([]change, len(idx))
			for k, i := range idx {
				part[k] = cs[i]
			}
			res, err := s.applyChunks(gctx, part, after)
			if err != nil {
				return err
			}
			for k, i := range idx {
				out[i] = res[k]
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return out, nil
}

// batchWorkers is how many transactions one large batch runs at once.
const batchWorkers = 2

// applyChunks runs cs in order, at most maxChanges per transaction.
func (s *Service) applyChunks(ctx context.Context, cs []change, after afterFunc) ([]Result, error) {
	out := make([]Result, 0, len(cs))
	for len(cs) > 0 {
		n := min(len(cs), maxChanges)
		res, err := s.applyTx(ctx, cs[:n], after)
		var refused *ledgerRefusal
		if errors.As(err, &refused) {
			res, err = make([]Result, 0, n), nil
			for _, c := range cs[:n] {
				r, err1 := s.applyTx(ctx, []change{c}, after)
				if err1 != nil {
					return nil, err1
				}
				res = append(res, r...)
			}
		}
		if err != nil {
			return nil, err
		}
		out, cs = append(out, res...), cs[n:]
	}
	return out, nil
}

// timelineRow is one payment_timeline row of a batch.
type timelineRow struct {
	id       ledger.ID
	from, to State
	ev       Event
	actor    string
	reason   string
}

// applyTx runs cs in one transaction, and after (when set) before it commits. A batch of more
// than one change whose ledger transfers are refused returns a *ledgerRefusal and writes nothing;
// a single change gets the refusal as its result.
func (s *Service) applyTx(ctx context.Context, cs []change, after afterFunc) ([]Result, error) {
	var res []Result
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		var err error
		res, err = s.applyIn(ctx, tx, cs, after)
		return err
	})
	if refused := (*ledgerRefusal)(nil); errors.As(err, &refused) && len(cs) == 1 {
		return []Result{{Err: refused.err}}, nil
	}
	if err != nil {
		return nil, err
	}
	return res, nil
}

// applyIn is applyTx's work inside tx (the caller's transaction: WithdrawTx's, or applyTx's own).
func (s *Service) applyIn(ctx context.Context, tx pgx.Tx, cs []change, after afterFunc) ([]Result, error) {
	res := make([]Result, len(cs))
	payments, err := lockPayments(ctx, tx, cs)
	if err != nil {
		return nil, err
	}
	books := ledger.New(s.pool).WithTx(tx)
	var ids []ledger.ID
	for _, c := range cs {
		if !c.done.IsZero() {
			ids = append(ids, c.done)
		}
		if p := payments[c.id]; c.doneFor != nil && p != nil {
			ids = append(ids, c.doneFor(p))
		}
		ids = append(ids, c.needs...)
	}
	known, err := books.LookupTransfers(ctx, ids...)
	if err != nil {
		return nil, err
	}
	look := func(id ledger.ID) (ledger.Transfer, bool) { t, ok := known[id]; return t, ok }

	var (
		transfers []ledger.Transfer
		jobs      []river.InsertManyParams
		timeline  []timelineRow
		touched   = map[ledger.ID]*Payment{}
		cols      changedColumns
		applied   []int
	)
	for i, c := range cs {
		p := payments[c.id]
		if p == nil {
			res[i].Err = ErrNotFound
			continue
		}
		before := *p // decisions replace the amounts' big.Ints, never change them in place
		st, replay, err := decideChange(p, c, look)
		if replay {
			res[i].Payment = snapshot(p)
			applied = append(applied, c.pos)
			continue
		}
		if err != nil {
			res[i].Err = err
			continue
		}
		for _, t := range st.transfers {
			known[t.ID] = t
		}
		transfers = append(transfers, st.transfers...)
		for _, j := range st.jobs {
			jobs = append(jobs, river.InsertManyParams{Args: j})
		}
		cols.note(&before, p)
		timeline = append(timeline, timelineRow{id: c.id, from: before.State, to: st.to, ev: c.ev, actor: c.actor, reason: st.reason})
		touched[c.id] = p
		res[i].Payment = snapshot(p)
		applied = append(applied, c.pos)
	}
	if len(transfers) > 0 {
		if _, err := books.Transfer(ctx, fusePosts(transfers)...); err != nil {
			if te := (*ledger.TransferError)(nil); errors.As(err, &te) {
				return nil, &ledgerRefusal{err}
			}
			return nil, err
		}
	}
	if len(jobs) > 0 {
		if _, err := s.jobs.InsertManyTx(ctx, tx, jobs); err != nil {
			return nil, fmt.Errorf("enqueueing jobs: %w", err)
		}
	}
	if len(touched) > 0 {
		if err := s.writePayments(ctx, tx, touched, timeline, cols); err != nil {
			return nil, err
		}
	}
	if after != nil && len(applied) > 0 {
		return res, after(ctx, tx, applied)
	}
	return res, nil
}

// decideChange decides one change for the locked payment p, exactly as every transition is decided
// (applyTx calls it for each change of a batch; the state machine's exploration test calls it
// through Service.applier): replay when the change's first transfer is recorded already (nothing
// to do), else the refusal (p unchanged) or the step (p changed in place, its state set, its
// transfers linked so that they commit all or nothing). look finds recorded transfers.
func decideChange(p *Payment, c change, look lookupFunc) (st step, replay bool, err error) {
	done := c.done
	if c.doneFor != nil {
		done = c.doneFor(p)
	}
	if !done.IsZero() {
		if _, ok := look(done); ok {
			return step{}, true, nil
		}
	}
	if c.replayed != nil && c.replayed(look) {
		return step{}, true, nil
	}
	if !CanStart(c.ev, p.State) {
		return step{}, false, &TransitionError{Payment: c.id.String(), Event: c.ev, From: p.State}
	}
	before := *p
	st, err = c.decide(p, look)
	if err == nil && !contains(allowedTargets[c.ev], st.to) {
		err = &decisionError{ev: c.ev, to: st.to}
	}
	if err != nil {
		*p = before
		return step{}, false, err
	}
	for k := range st.transfers {
		if k < len(st.transfers)-1 {
			st.transfers[k].Flags |= ledger.Linked
		}
	}
	p.State = st.to
	return st, false, nil
}

// fusePosts books a pending transfer that a later transfer of the same batch posts in full as one
// posted transfer, with the pending one's id and fields: a deposit already final when it is first
// seen (DetectConfirmMany) then costs one transfer and two entries instead of two transfers, six
// entries and a pending row written and resolved. The payment's steps (detect, then confirm) and
// timeline are as before. Only single-transfer steps are fused, so that no linked chain changes.
func fusePosts(ts []ledger.Transfer) []ledger.Transfer {
	at := map[ledger.ID]int{}
	for i, t := range ts {
		if t.Flags == ledger.Pending && t.Timeout == 0 {
			at[t.ID] = i
		}
	}
	if len(at) == 0 {
		return ts
	}
	out := make([]ledger.Transfer, 0, len(ts))
	fused := map[int]bool{}
	for i, t := range ts {
		k, ok := at[t.PendingID]
		if ok && t.Flags == ledger.PostPending && (i == 0 || ts[i-1].Flags&ledger.Linked == 0) &&
			(t.Amount == nil || t.Amount.Cmp(ts[k].Amount) == 0) {
			fused[k] = true
			continue
		}
		out = append(out, t)
	}
	for i := range out {
		if k, ok := at[out[i].ID]; ok && fused[k] {
			out[i].Flags = 0
		}
	}
	return out
}

// snapshot copies a payment as it stands now: later changes of the batch replace its fields
// (never mutate the values they point to), so a shallow copy is enough.
func snapshot(p *Payment) *Payment { c := *p; return &c }

// lockPayments locks the payments of cs in id order and reads them.
func lockPayments(ctx context.Context, tx pgx.Tx, cs []change) (map[ledger.ID]*Payment, error) {
	ids := make([]ledger.ID, 0, len(cs))
	seen := make(map[ledger.ID]bool, len(cs))
	for _, c := range cs {
		if !seen[c.id] {
			seen[c.id] = true
			ids = append(ids, c.id)
		}
	}
	rows, err := tx.Query(ctx, `SELECT `+paymentColumns+` FROM unnest($1::uuid[]) AS u(x) JOIN payments ON payments.id = u.x
		ORDER BY payments.id FOR UPDATE OF payments`, ids)
	if err != nil {
		return nil, err
	}
	return collectPayments(rows, len(ids))
}

// changedColumns says which payment columns besides state a batch changed. A batch writes only
// those: each database role may update only the columns its own events change (docs/security.md),
// so that a request (release, refund, dispute) never writes an amount, and no event writes a
// payment's parties, chain or deposit.
type changedColumns struct {
	amounts  bool // received, pending_amount, pending_count, paid_late: what the chain showed
	disputed bool // disputed_from
	attempt  bool // payout_attempt
	split    bool // split_buyer_amount
}

func (c *changedColumns) note(before, after *Payment) {
	c.amounts = c.amounts || before.Received.Cmp(after.Received) != 0 || before.PendingAmount.Cmp(after.PendingAmount) != 0 ||
		before.PendingCount != after.PendingCount || before.PaidLate != after.PaidLate
	c.disputed = c.disputed || before.DisputedFrom != after.DisputedFrom
	c.attempt = c.attempt || before.PayoutAttempt != after.PayoutAttempt
	c.split = c.split || !sameAmount(before.SplitBuyerAmount, after.SplitBuyerAmount)
}

// writePayments stores the payments a batch changed and its timeline rows, in one round trip.
func (s *Service) writePayments(ctx context.Context, tx pgx.Tx, touched map[ledger.ID]*Payment, timeline []timelineRow, cols changedColumns) error {
	n := len(touched)
	var (
		ids               = make([]ledger.ID, 0, n)
		states            = make([]string, 0, n)
		received, pending = make([]pgtype.Numeric, 0, n), make([]pgtype.Numeric, 0, n)
		counts            = make([]int32, 0, n)
		late              = make([]bool, 0, n)
		disputedFrom      = make([]pgtype.Text, 0, n)
		attempts          = make([]int32, 0, n)
		splits            = make([]pgtype.Numeric, 0, n)
	)
	for id, p := range touched {
		ids, states = append(ids, id), append(states, string(p.State))
		received, pending = append(received, db.Numeric(p.Received)), append(pending, db.Numeric(p.PendingAmount))
		counts, late = append(counts, int32(p.PendingCount)), append(late, p.PaidLate)
		disputedFrom = append(disputedFrom, pgtype.Text{String: string(p.DisputedFrom), Valid: p.DisputedFrom != ""})
		attempts = append(attempts, int32(p.PayoutAttempt))
		split := pgtype.Numeric{}
		if p.SplitBuyerAmount != nil {
			split = db.Numeric(p.SplitBuyerAmount)
		}
		splits = append(splits, split)
	}
	var (
		tIDs                          = make([]ledger.ID, len(timeline))
		tSeq                          = make([]int32, len(timeline))
		tFrom, tTo, tEv, tActor, tWhy = make([]string, len(timeline)), make([]string, len(timeline)),
			make([]string, len(timeline)), make([]string, len(timeline)), make([]string, len(timeline))
		k = map[ledger.ID]int32{}
	)
	for i, r := range timeline {
		k[r.id]++
		tIDs[i], tSeq[i] = r.id, k[r.id]
		tFrom[i], tTo[i], tEv[i], tActor[i], tWhy[i] = string(r.from), string(r.to), string(r.ev), r.actor, r.reason
	}
	set := "state = u.state::payment_state, updated_at = $2"
	if cols.amounts {
		set += ", received = u.received, pending_amount = u.pending, pending_count = u.count, paid_late = u.late"
	}
	if cols.disputed {
		set += ", disputed_from = u.disputed_from::payment_state"
	}
	if cols.attempt {
		set += ", payout_attempt = u.attempt"
	}
	if cols.split {
		set += ", split_buyer_amount = u.split"
	}
	b := &pgx.Batch{}
	b.Queue(`UPDATE payments p SET `+set+`
		FROM unnest($1::uuid[], $3::text[], $4::numeric[], $5::numeric[], $6::int[], $7::bool[], $8::text[], $9::int[], $10::numeric[])
			AS u(id, state, received, pending, count, late, disputed_from, attempt, split)
		WHERE p.id = u.id`,
		ids, s.now(), states, received, pending, counts, late, disputedFrom, attempts, splits).Exec(func(tag pgconn.CommandTag) error {
		if tag.RowsAffected() != int64(n) {
			return fmt.Errorf("updated %d payments, want %d", tag.RowsAffected(), n)
		}
		return nil
	})
	// A payment's k-th row of the batch follows its last stored row.
	b.Queue(`INSERT INTO payment_timeline (payment_id, seq, from_state, to_state, event, actor, reason)
		SELECT u.id, coalesce((SELECT max(t.seq) FROM payment_timeline t WHERE t.payment_id = u.id), 0) + u.k,
			u.from_state::payment_state, u.to_state::payment_state, u.event, u.actor, u.reason
		FROM unnest($1::uuid[], $2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
			AS u(id, k, from_state, to_state, event, actor, reason)`,
		tIDs, tSeq, tFrom, tTo, tEv, tActor, tWhy)
	return tx.SendBatch(ctx, b).Close()
}

package ledger

import (
	"math/big"
	"math/bits"
	"time"
)

// The engine applies a batch to the balances of accounts locked for it, in memory: every rule
// (flags, pending resolution, idempotency) is decided here, and the store then writes what the
// engine recorded in one round trip. Nothing is written for a transfer the engine refuses.

// acctState is an account's balances as the batch changes them: read under the batch's lock, or
// remembered from an earlier call (accountCache). Balances are replaced, never mutated in place,
// so a copy of the struct is a snapshot, and the *big.Int values may be shared.
type acctState struct {
	id     ID
	ledger string
	flags  AccountFlags
	bal    [5]*big.Int // indexed by Field
	seq    int64
	seq0   int64 // entry_seq as read: the write applies only if the row still has it
	dirty  bool
}

// pendingRec is a pending transfer and where it stands.
type pendingRec struct {
	t          Transfer
	state      PendingState
	resolvedBy ID
	created    bool // created by this batch: insert its row
	changed    bool // resolved by this batch: update its row
}

type engine struct {
	now time.Time
	// expireBy is set when ExpirePending runs the engine: voids then resolve pending transfers
	// whose timeout passed by this time, as "expired".
	expireBy time.Time

	accounts map[ID]*acctState
	pending  map[ID]*pendingRec
	existing map[ID]Transfer // recorded before, or earlier in this batch

	transfers []Transfer // to insert
	entries   []Entry    // to insert
	undo      []undoStep // reverts the current chain, last step first
	sum       big.Int    // scratch for limits
}

// undoStep reverts one change of the current chain: it puts back an account's state or a pending
// record, or forgets a transfer recorded (and, if pending, created) by the chain.
type undoStep struct {
	acct     *acctState
	acctWas  acctState
	pend     *pendingRec
	pendWas  pendingRec
	transfer ID
	created  bool // transfer was a pending transfer the chain created
}

func newEngine(now time.Time) *engine {
	return &engine{
		now:      now,
		accounts: map[ID]*acctState{},
		pending:  map[ID]*pendingRec{},
		existing: map[ID]Transfer{},
	}
}

// run applies ts. In atomic mode the first refusal is returned and the batch is void; otherwise
// each linked chain (a lone transfer is a chain of one) succeeds or fails on its own, as in
// TigerBeetle.
func (e *engine) run(ts []Transfer, atomic bool) ([]Result, error) {
	results := make([]Result, len(ts))
	if e.transfers == nil {
		e.transfers, e.entries = make([]Transfer, 0, len(ts)), make([]Entry, 0, 2*len(ts))
	}
	for start := 0; start < len(ts); {
		end := start
		for end < len(ts)-1 && ts[end].Flags&Linked != 0 {
			end++
		}
		nt, ne := len(e.transfers), len(e.entries)
		failed, ferr := -1, error(nil)
		for k := start; k <= end; k++ {
			var err error
			if k == len(ts)-1 && ts[k].Flags&Linked != 0 {
				err = &TransferError{Index: k, ID: ts[k].ID, Err: invalid("the last transfer of the batch is linked: the chain is not closed")}
			} else {
				results[k].Transfer, results[k].Existed, err = e.apply(k, ts[k])
			}
			if err != nil {
				failed, ferr = k, err
				break
			}
		}
		if failed >= 0 {
			if atomic {
				return nil, ferr
			}
			for i := len(e.undo) - 1; i >= 0; i-- {
				switch u := &e.undo[i]; {
				case u.acct != nil:
					*u.acct = u.acctWas
				case u.pend != nil:
					*u.pend = u.pendWas
				default:
					delete(e.existing, u.transfer)
					if u.created {
						delete(e.pending, u.transfer)
					}
				}
			}
			e.transfers, e.entries = e.transfers[:nt], e.entries[:ne]
			for k := start; k <= end; k++ {
				results[k] = Result{Transfer: ts[k], Err: &TransferError{Index: k, ID: ts[k].ID, Err: ErrLinkedEventFailed}}
			}
			results[failed].Err = ferr
		}
		e.undo = e.undo[:0]
		start = end + 1
	}
	return results, nil
}

// apply records one transfer or says why not.
func (e *engine) apply(i int, t Transfer) (Transfer, bool, error) {
	fail := func(account ID, err error) (Transfer, bool, error) {
		return Transfer{}, false, &TransferError{Index: i, ID: t.ID, Account: account, Err: err}
	}
	if err := validate(t); err != nil {
		return fail(ID{}, err)
	}
	var p *pendingRec
	if t.Flags.resolves() {
		p = e.pending[t.PendingID]
		if p != nil {
			t = fillFromPending(t, p.t)
		}
	}
	if ex, ok := e.existing[t.ID]; ok {
		if !sameTransfer(t, ex) {
			return fail(ID{}, ErrIDReused)
		}
		return ex, true, nil
	}
	released, resolution := (*big.Int)(nil), StatePosted // what a post or void releases, and how it ends the pending one
	if t.Flags.resolves() {
		var err error
		if released, resolution, err = e.resolution(t, p); err != nil {
			return fail(ID{}, err)
		}
	}
	dr, cr, account, err := e.parties(&t)
	if err != nil {
		return fail(account, err)
	}
	e.moveBalances(t, dr, cr, released)
	for _, a := range [2]*acctState{dr, cr} {
		if err := a.limits(&e.sum); err != nil {
			return fail(a.id, err)
		}
	}
	return e.keep(t, p, resolution), false, nil
}

// resolution checks that t may post or void the pending transfer p, and returns the amount it
// releases and the state it leaves p in.
func (e *engine) resolution(t Transfer, p *pendingRec) (*big.Int, PendingState, error) {
	if p == nil {
		return nil, "", ErrPendingNotFound
	}
	switch p.state {
	case StateOpen:
	case StateExpired:
		return nil, "", ErrPendingExpired
	default:
		return nil, "", ErrAlreadyResolved
	}
	if (t.DebitAccountID != p.t.DebitAccountID) || t.CreditAccountID != p.t.CreditAccountID ||
		t.Ledger != p.t.Ledger || t.Code != p.t.Code {
		return nil, "", ErrPendingMismatch
	}
	resolution := StatePosted
	expired := !p.t.ExpiresAt.IsZero() && !e.now.Before(p.t.ExpiresAt)
	if !e.expireBy.IsZero() {
		if t.Flags&VoidPending == 0 || p.t.ExpiresAt.IsZero() || p.t.ExpiresAt.After(e.expireBy) {
			return nil, "", invalid("pending transfer %s has not expired", p.t.ID)
		}
		resolution = StateExpired
	} else if expired {
		return nil, "", ErrPendingExpired
	}
	released := p.t.Amount
	switch {
	case t.Flags&VoidPending != 0:
		if t.Amount.Cmp(released) != 0 {
			return nil, "", invalid("a void releases the whole pending amount %s, not %s", released, t.Amount)
		}
		if resolution != StateExpired {
			resolution = StateVoided
		}
	case t.Amount.Cmp(released) > 0:
		return nil, "", ErrExceedsPending
	}
	return released, resolution, nil
}

// parties returns t's two accounts, which must exist and share t's ledger (filled in when t names
// none); on error, the account at fault.
func (e *engine) parties(t *Transfer) (dr, cr *acctState, _ ID, _ error) {
	dr, cr = e.accounts[t.DebitAccountID], e.accounts[t.CreditAccountID]
	switch {
	case dr == nil:
		return nil, nil, t.DebitAccountID, ErrAccountNotFound
	case cr == nil:
		return nil, nil, t.CreditAccountID, ErrAccountNotFound
	case dr.ledger != cr.ledger:
		return nil, nil, t.CreditAccountID, ErrLedgerMismatch
	case t.Ledger == "":
		t.Ledger = dr.ledger
	case t.Ledger != dr.ledger:
		return nil, nil, t.DebitAccountID, ErrLedgerMismatch
	}
	return dr, cr, ID{}, nil
}

// moveBalances moves t's amount between the balances its flags name: pending, posted, or from
// pending (released) to posted.
func (e *engine) moveBalances(t Transfer, dr, cr *acctState, released *big.Int) {
	neg := func(x *big.Int) *big.Int { return new(big.Int).Neg(x) }
	switch {
	case t.Flags&Pending != 0:
		e.move(dr, FieldDebitsPending, t.Amount, t.ID)
		e.move(cr, FieldCreditsPending, t.Amount, t.ID)
	case t.Flags&PostPending != 0:
		e.move(dr, FieldDebitsPending, neg(released), t.ID)
		e.move(dr, FieldDebitsPosted, t.Amount, t.ID)
		e.move(cr, FieldCreditsPending, neg(released), t.ID)
		e.move(cr, FieldCreditsPosted, t.Amount, t.ID)
	case t.Flags&VoidPending != 0:
		e.move(dr, FieldDebitsPending, neg(released), t.ID)
		e.move(cr, FieldCreditsPending, neg(released), t.ID)
	default:
		e.move(dr, FieldDebitsPosted, t.Amount, t.ID)
		e.move(cr, FieldCreditsPosted, t.Amount, t.ID)
	}
}

// keep records the applied transfer t (and what it did to the pending transfer p it resolves), so
// that a later transfer of the batch sees it and a failed batch can undo it.
func (e *engine) keep(t Transfer, p *pendingRec, resolution PendingState) Transfer {
	t.CreatedAt = e.now
	t.State = ""
	if t.Flags&Pending != 0 {
		if t.Timeout > 0 {
			t.ExpiresAt = e.now.Add(t.Timeout)
		}
		t.State = StateOpen
		e.pending[t.ID] = &pendingRec{t: t, state: StateOpen, created: true}
	}
	if p != nil {
		e.undo = append(e.undo, undoStep{pend: p, pendWas: *p})
		p.state, p.resolvedBy, p.changed = resolution, t.ID, true
		p.t.State = resolution
	}
	e.existing[t.ID] = t
	e.undo = append(e.undo, undoStep{transfer: t.ID, created: t.Flags&Pending != 0})
	e.transfers = append(e.transfers, t)
	return t
}

// move changes one balance and records the entry.
func (e *engine) move(a *acctState, f Field, delta *big.Int, transfer ID) {
	e.undo = append(e.undo, undoStep{acct: a, acctWas: *a})
	before := a.bal[f]
	after := new(big.Int).Add(before, delta)
	a.bal[f] = after
	a.seq++
	a.dirty = true
	e.entries = append(e.entries, Entry{AccountID: a.id, Seq: a.seq, TransferID: transfer, Field: f,
		Amount: delta, Before: before, After: after})
}

// limits checks the account's flags against its balances; sum is scratch space.
func (a *acctState) limits(sum *big.Int) error {
	if a.flags&DebitsMustNotExceedCredits != 0 &&
		sum.Add(a.bal[FieldDebitsPending], a.bal[FieldDebitsPosted]).Cmp(a.bal[FieldCreditsPosted]) > 0 {
		return ErrInsufficientFunds
	}
	if a.flags&CreditsMustNotExceedDebits != 0 &&
		sum.Add(a.bal[FieldCreditsPending], a.bal[FieldCreditsPosted]).Cmp(a.bal[FieldDebitsPosted]) > 0 {
		return ErrExceedsDebits
	}
	return nil
}

// maxAmountBits bounds an amount: a uint256, as on chain.
const maxAmountBits = 256

// validate checks what can be checked without the database.
func validate(t Transfer) error {
	const kinds = Pending | PostPending | VoidPending
	switch {
	case t.ID.IsZero():
		return invalid("zero transfer id")
	case t.Flags&^(Linked|kinds) != 0:
		return invalid("unknown flags %#x", uint16(t.Flags))
	case bits.OnesCount16(uint16(t.Flags&kinds)) > 1:
		return invalid("flags %s: at most one of pending, post_pending, void_pending", t.Flags)
	case t.Amount != nil && t.Amount.Sign() <= 0:
		return invalid("amount %s: must be positive", t.Amount)
	case t.Amount != nil && t.Amount.BitLen() > maxAmountBits:
		return invalid("amount exceeds 2^256-1")
	case t.Timeout < 0 || t.Timeout%time.Millisecond != 0:
		return invalid("timeout %s: must be a positive whole number of milliseconds", t.Timeout)
	case t.Timeout != 0 && t.Flags&Pending == 0:
		return invalid("a timeout needs the pending flag")
	case t.Ledger != "" && !ValidLedger(t.Ledger):
		return invalid("ledger %q: want chain:TOKEN", t.Ledger)
	case !t.DebitAccountID.IsZero() && t.DebitAccountID == t.CreditAccountID:
		return invalid("debit and credit account are the same")
	}
	if t.Flags.resolves() {
		if t.PendingID.IsZero() {
			return invalid("post or void without a pending id")
		}
		return nil
	}
	switch {
	case !t.PendingID.IsZero():
		return invalid("pending id without post_pending or void_pending")
	case t.DebitAccountID.IsZero() || t.CreditAccountID.IsZero():
		return invalid("zero account id")
	case t.Amount == nil:
		return invalid("no amount")
	case t.Code == 0:
		return invalid("zero code")
	}
	return nil
}

// fillFromPending completes a post or void from its pending transfer: zero fields take the
// pending transfer's values.
func fillFromPending(t Transfer, p Transfer) Transfer {
	if t.DebitAccountID.IsZero() {
		t.DebitAccountID = p.DebitAccountID
	}
	if t.CreditAccountID.IsZero() {
		t.CreditAccountID = p.CreditAccountID
	}
	if t.Ledger == "" {
		t.Ledger = p.Ledger
	}
	if t.Code == 0 {
		t.Code = p.Code
	}
	if t.Amount == nil {
		t.Amount = p.Amount
	}
	return t
}

// sameTransfer compares a request with what is recorded under its id. A request's empty ledger
// means "the accounts' ledger", which the record has filled in.
func sameTransfer(req, rec Transfer) bool {
	return req.ID == rec.ID && req.DebitAccountID == rec.DebitAccountID && req.CreditAccountID == rec.CreditAccountID &&
		(req.Ledger == "" || req.Ledger == rec.Ledger) && req.Amount != nil && req.Amount.Cmp(rec.Amount) == 0 &&
		req.PendingID == rec.PendingID && req.Code == rec.Code && req.Flags == rec.Flags && req.Timeout == rec.Timeout &&
		req.PaymentRef == rec.PaymentRef && req.ObservationRef == rec.ObservationRef
}

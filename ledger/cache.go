package ledger

import (
	"sync"
	"sync/atomic"
)

// accountCache remembers the last committed state a Ledger saw of each account, so that a call can
// be written without locking and reading its accounts first (see Ledger.fromMemory). It is only a hint: other Ledgers and other processes write the same
// accounts, and the write then applies only where entry_seq still has the remembered value.
//
// It holds committed states only, never a state some transaction wrote and might still roll back:
// each committed state of an account has its own entry_seq (every change adds entries and the row
// lock orders the changes), so a matching entry_seq means the remembered balances are the
// balances in the row. It is filled from rows read outside any transaction or under the batch's
// own lock before it wrote anything, and from the states a call wrote once its COMMIT was
// acknowledged; never inside a caller's transaction (WithTx).
type accountCache struct {
	mu    sync.Mutex
	limit int
	m     map[ID]*cachedAccount
}

// cachedAccount is a remembered state and how writing from memory fared on the account lately:
// after two conflicts in a row the account is contended (other calls keep changing it), and the
// next 1, 3, 7 or 15 calls on it lock it instead of attempting a round trip that would be wasted.
type cachedAccount struct {
	state   acctState
	strikes uint8 // conflicts in a row
	skip    uint8 // calls still to run by locking
}

// DefaultAccountCache is how many accounts a Ledger remembers unless WithAccountCache says
// otherwise.
const DefaultAccountCache = 10_000

func newAccountCache(limit int) *accountCache {
	if limit <= 0 {
		return nil
	}
	return &accountCache{limit: limit, m: make(map[ID]*cachedAccount)}
}

// fill puts the remembered states of ids into e, as if read under the batch's lock. It reports
// false, and leaves e alone, when one of them is not remembered or is contended.
func (c *accountCache) fill(e *engine, ids []ID) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	contended := false
	for _, id := range ids {
		ca, ok := c.m[id]
		if !ok {
			return false
		}
		contended = contended || ca.skip > 0
	}
	if contended {
		for _, id := range ids {
			if ca := c.m[id]; ca.skip > 0 {
				ca.skip--
			}
		}
		return false
	}
	for _, id := range ids {
		a := c.m[id].state
		e.accounts[id] = &a
	}
	return true
}

// snapshot returns the remembered states of the accounts ts names (those it remembers).
func (c *accountCache) snapshot(ts []Transfer) map[ID]acctState {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[ID]acctState, 2*len(ts))
	for _, t := range ts {
		for _, id := range [2]ID{t.DebitAccountID, t.CreditAccountID} {
			if ca, ok := c.m[id]; ok {
				out[id] = ca.state
			}
		}
	}
	return out
}

// remember records committed states, keeping for each account the one with the highest entry_seq:
// calls that finish out of order must not put an older state back.
func (c *accountCache) remember(states ...*acctState) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, a := range states {
		ca, ok := c.m[a.id]
		switch {
		case ok && ca.state.seq >= a.seq:
			continue
		case !ok:
			if len(c.m) >= c.limit {
				for id := range c.m { // evict one, any one
					delete(c.m, id)
					break
				}
			}
			ca = &cachedAccount{}
			c.m[a.id] = ca
		}
		ca.state = acctState{id: a.id, ledger: a.ledger, flags: a.flags, bal: a.bal, seq: a.seq, seq0: a.seq}
	}
}

// settled records how an attempt to write ids from memory went.
func (c *accountCache) settled(ids []ID, conflict bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, id := range ids {
		ca, ok := c.m[id]
		switch {
		case !ok:
		case !conflict:
			ca.strikes = 0
		default:
			ca.strikes = min(ca.strikes+1, 5)
			if ca.strikes >= 2 {
				ca.skip = 1<<(ca.strikes-1) - 1
			}
		}
	}
}

// Stats counts how a Ledger's calls on a pool were written.
type Stats struct {
	// FromMemory: calls written from remembered account states without locking and reading them
	// first (a single transfer in one round trip).
	FromMemory int64
	// Conflicts: such attempts the database refused (an account changed since it was remembered,
	// the id was recorded before, …) and that were then run by locking.
	Conflicts int64
	// Locked: calls that locked and read their accounts first (including those after a conflict).
	Locked int64
}

type stats struct{ fromMemory, conflicts, locked atomic.Int64 }

// Stats reports how the Ledger's calls were written so far; Ledgers made by WithTx share the
// counters of the one they came from.
func (l *Ledger) Stats() Stats {
	return Stats{FromMemory: l.stats.fromMemory.Load(), Conflicts: l.stats.conflicts.Load(), Locked: l.stats.locked.Load()}
}

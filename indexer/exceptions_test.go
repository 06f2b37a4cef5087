package indexer

import (
	"context"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/amanat/amn/payment"
)

// exceptionRows counts the deposit_exceptions rows of a transaction on a chain, and sums their
// amounts.
func exceptionRows(t *testing.T, e *env, tx common.Hash) (n int, amount int64) {
	t.Helper()
	if err := e.db.QueryRow(context.Background(), `SELECT count(*), coalesce(sum(amount), 0)::bigint FROM deposit_exceptions
		WHERE chain_id = $1 AND tx_hash = $2`, e.cfg.ID, tx.Hex()).Scan(&n, &amount); err != nil {
		t.Fatal(err)
	}
	return n, amount
}

// byState counts observations by state.
func byState(obs []observation) map[string]int {
	out := map[string]int{}
	for _, o := range obs {
		out[o.State]++
	}
	return out
}

// TestReorgDropsTheExceptionsOfOrphanedBlocks: three deposits in the wrong token are recorded as
// exceptions; a reorg removes the blocks of two of them and mines one of those again in the new
// branch. The removed one's exception is gone (its observation orphaned), the re-mined one's is
// recorded once from its new block, and the one below the reorg stays — before finality and
// after.
func TestReorgDropsTheExceptionsOfOrphanedBlocks(t *testing.T) {
	t.Parallel()
	const floor = 12 // nothing is final while the reorg happens
	f := newFixture(t, 29)
	pay, pool := newPaymentService(t)
	e := newEnv(t, f, pay, pool, devConfig(f, floor), Options{})
	usdt, tusd := f.Addresses.USDT, f.Addresses.TUSD
	survivor, gone, moved := e.newPayment(29, usdt, 1_000_000), e.newPayment(29, usdt, 1_000_000), e.newPayment(29, usdt, 1_000_000)
	txSurvivor := e.transfer(tusd, survivor.Deposit, 0, 5_000)
	mine(t, f, 2)
	txGone := e.transfer(tusd, gone.Deposit, 0, 7_000)   // the second block from the top
	txMoved := e.transfer(tusd, moved.Deposit, 1, 9_000) // the top block
	e.catchUp()
	for _, tx := range []common.Hash{txSurvivor, txGone, txMoved} {
		if o := obsOf(t, e, tx); len(o) != 1 || o[0].State != StateException {
			t.Fatalf("before the reorg, %s: %+v, want one exception", tx.Hex(), o)
		}
		if n, _ := exceptionRows(t, e, tx); n != 1 {
			t.Fatalf("before the reorg, %s: %d deposit_exceptions rows, want 1", tx.Hex(), n)
		}
	}
	reorg(t, e, 2, []any{[]any{rawTx(t, e, txMoved), 0}})
	mine(t, f, 1)
	e.catchUp()
	check := func(when string) {
		t.Helper()
		if o := obsOf(t, e, txSurvivor); len(o) != 1 || o[0].State != StateException {
			t.Errorf("%s, the exception below the reorg: %+v, want it kept", when, o)
		}
		if n, amount := exceptionRows(t, e, txSurvivor); n != 1 || amount != 5_000 {
			t.Errorf("%s, the exception below the reorg: %d rows of %d, want 1 of 5000", when, n, amount)
		}
		if s := byState(obsOf(t, e, txGone)); s[StateOrphaned] != 1 || len(s) != 1 {
			t.Errorf("%s, the removed exception's observations: %v, want one orphaned", when, s)
		}
		if n, _ := exceptionRows(t, e, txGone); n != 0 {
			t.Errorf("%s, the removed exception: %d deposit_exceptions rows, want none", when, n)
		}
		if s := byState(obsOf(t, e, txMoved)); s[StateOrphaned] != 1 || s[StateException] != 1 || len(s) != 2 {
			t.Errorf("%s, the re-mined exception's observations: %v, want the old one orphaned and the new one an exception", when, s)
		}
		if n, amount := exceptionRows(t, e, txMoved); n != 1 || amount != 9_000 {
			t.Errorf("%s, the re-mined exception: %d rows of %d, want 1 of 9000", when, n, amount)
		}
		for _, p := range []*payment.Payment{survivor, gone, moved} {
			if s := e.state(p); s != payment.AwaitingPayment {
				t.Errorf("%s, payment %s: %s, want awaiting_payment (an exception credits nothing)", when, p.ID, s)
			}
		}
	}
	check("after the reorg")
	mine(t, f, floor+2)
	e.catchUp()
	check("after finality")
}

// TestOrphanedExceptionSeenElsewhereKeepsItsRow: the same transaction's log stored as an exception
// in two blocks (mined again in a new branch, and seen there before its old block was found
// orphaned). Orphaning the old one keeps the deposit_exceptions row, which is the live one's;
// orphaning the last one drops it, with its observation marked in the same transaction.
func TestOrphanedExceptionSeenElsewhereKeepsItsRow(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t, 30)
	pay, pool := newPaymentService(t)
	e := newEnv(t, f, pay, pool, devConfig(f, 12), Options{})
	p := e.newPayment(30, f.Addresses.USDT, 1_000_000)
	tx := e.transfer(f.Addresses.TUSD, p.Deposit, 0, 4_000)
	e.catchUp()
	live := obsOf(t, e, tx)
	if len(live) != 1 || live[0].State != StateException {
		t.Fatalf("observations %+v, want one exception", live)
	}
	stale := live[0]
	stale.Obs.BlockHash = common.HexToHash("0x5ca1e")
	if err := e.ix.store.putObservations(ctx, e.ixdb, []obsRow{{Match: stale.Match, state: StateException, note: "wrong token"}}); err != nil {
		t.Fatal(err)
	}
	if err := e.ix.orphan(ctx, []observation{stale}, "test: its block was replaced"); err != nil {
		t.Fatal(err)
	}
	if n, _ := exceptionRows(t, e, tx); n != 1 {
		t.Fatalf("orphaning the stale copy left %d deposit_exceptions rows, want the live one's", n)
	}
	if s := byState(obsOf(t, e, tx)); s[StateOrphaned] != 1 || s[StateException] != 1 {
		t.Fatalf("observations after orphaning the stale copy: %v", s)
	}
	if err := e.ix.orphan(ctx, live, "test: its block was replaced too"); err != nil {
		t.Fatal(err)
	}
	if n, _ := exceptionRows(t, e, tx); n != 0 {
		t.Fatalf("orphaning the last one left %d deposit_exceptions rows, want none", n)
	}
	o := obsOf(t, e, tx)
	if s := byState(o); s[StateOrphaned] != 2 || len(s) != 1 {
		t.Fatalf("observations at the end: %v, want both orphaned", s)
	}
	for _, x := range o {
		if x.Obs.BlockHash == live[0].Obs.BlockHash && x.Note != "test: its block was replaced too" {
			t.Errorf("orphaned exception's note %q, want the reorg's", x.Note)
		}
	}
}

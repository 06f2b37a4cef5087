package signer

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/amanat/amn/db"
	"github.com/amanat/amn/intent"
)

// Issue #13, acceptance 7 (finding 10): two signer processes, the first one's lock connection cut
// while it is about to sign. The second takes the lead with a new epoch and signs the step; the
// first, which has not noticed (the worst case: keepLeadOnLoss), is refused by the database. One
// signature per step, no second nonce.
func TestTwoSignersOneSignaturePerStep(t *testing.T) {
	t.Parallel() // a world of its own: anvil and database
	w := newWorld(t, nil)
	a := w.signer
	p, _ := w.inEscrow(41_000_000) // a leads
	epochA := a.Epoch()
	if epochA == 0 {
		t.Fatal("the first signer does not lead")
	}
	bPool, err := OpenDB(w.ctx, w.dbURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(bPool.Close)
	cfgB := w.cfg
	cfgB.Pool = bPool
	b, err := New(cfgB)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.Close)
	if err := b.Tick(w.ctx); !errors.Is(err, ErrNotLeader) {
		t.Fatalf("a second signer ticked beside the leader: %v", err)
	}

	rel, _, err := w.intents.RequestRelease(w.ctx, p.ID, intent.RequestOptions{Contract: w.f.Addresses.Escrow})
	if err != nil {
		t.Fatal(err)
	}
	w.approve(rel, w.f.Custodians[0], w.f.Custodians[1])
	op := w.keys.OperatorAddress()
	before := w.nonce(op)

	// a verifies the release and is about to sign it when its lock connection is cut; before
	// it goes on, b takes over and signs the release itself.
	a.keepLeadOnLoss = true
	cut := false
	a.beforeSign = func(step string) error {
		if step != StepRelease || cut {
			return nil
		}
		cut = true
		w.terminate(a.lockPID())
		deadline := time.Now().Add(waitLimit)
		for len(w.mustTxs(rel.ID)) == 0 {
			if err := b.Tick(w.ctx); err != nil && !errors.Is(err, ErrNotLeader) {
				t.Logf("b: %v", err)
			}
			if time.Now().After(deadline) {
				t.Fatal("the second signer never signed the release")
			}
			time.Sleep(20 * time.Millisecond) // poll interval
		}
		return nil
	}
	if err := a.Tick(w.ctx); !errors.Is(err, ErrStaleEpoch) {
		t.Fatalf("the first signer, after losing its lock: %v; want %v", err, ErrStaleEpoch)
	}
	if !cut {
		t.Fatal("the first signer never reached the release")
	}
	epochB := b.Epoch()
	if epochB <= epochA || a.Epoch() != 0 {
		t.Fatalf("epochs: first %d (now %d), second %d", epochA, a.Epoch(), epochB)
	}
	// The first keeps trying: it cannot lead while the second does.
	if err := a.Tick(w.ctx); !errors.Is(err, ErrNotLeader) {
		t.Fatalf("the first signer ticked again: %v", err)
	}
	w.signer = b
	w.until(rel.ID, intent.Done)

	txs := w.mustTxs(rel.ID)
	if len(txs) != 1 || txs[0].Nonce != before || txs[0].State != "confirmed" {
		t.Fatalf("release attempts %+v; want one, at nonce %d", txs, before)
	}
	if n := w.nonce(op); n != before+1 {
		t.Fatalf("the operator made %d transactions for one release", n-before)
	}
	w.checkNoGaps(op, -1)
	w.checkOneAttemptPerNonce(rel.ID)
	var epoch int64
	if err := w.admin.QueryRow(w.ctx, `SELECT signer_epoch FROM signer_txs WHERE intent_id = $1`, rel.ID).Scan(&epoch); err != nil || epoch != epochB {
		t.Fatalf("the release was written under epoch %d (%v), want the second signer's %d", epoch, err, epochB)
	}
	if st, _ := w.escrowRecord(p.ID); st != 2 {
		t.Fatalf("escrow status %d, want released", st)
	}

	// The database itself refuses the first signer's epoch, whatever its code does: a nonce, an
	// attempt, an intent's state, a sweep batch's member.
	for _, q := range []string{
		`UPDATE signer_nonces SET next_nonce = next_nonce + 1 WHERE sender = '` + hexAddr(op) + `'`,
		`INSERT INTO signer_txs (intent_id, step, chain_id, sender, nonce, attempt, to_address, value, data, gas, tip_cap, fee_cap, hash, raw, state)
			VALUES ('` + rel.ID.String() + `', 'release', 56, '` + hexAddr(op) + `', ` + strconv.FormatUint(before+1, 10) + `, 1,
			'` + hexAddr(w.f.Addresses.Escrow) + `', 0, '\x00', 21000, 1, 1, '0x` + strings.Repeat("ab", 32) + `', '\x00', 'signed')`,
		`UPDATE signer_intents SET state = 'rejected', reason = 'stale' WHERE id = '` + rel.ID.String() + `'`,
		`INSERT INTO signer_batch_members (chain_id, sender, nonce, intent_id) VALUES (56, '` + hexAddr(op) + `', ` +
			strconv.FormatUint(before+1, 10) + `, '` + rel.ID.String() + `')`,
	} {
		err := db.InTx(w.ctx, a.cfg.Pool, func(tx pgx.Tx) error {
			if _, err := tx.Exec(w.ctx, `SELECT set_config('amn.signer_epoch', $1, true)`, strconv.FormatInt(epochA, 10)); err != nil {
				return err
			}
			_, err := tx.Exec(w.ctx, q)
			return err
		})
		var pgErr *pgconn.PgError
		if !errors.As(err, &pgErr) || pgErr.Code != fenceErrCode {
			t.Errorf("%s under the stale epoch %d: %v; want refused", q, epochA, err)
		}
	}

	// Without the test hook a signer stops at once when its lock connection goes: the second
	// loses its lead as soon as its connection is cut, before any tick.
	w.terminate(b.lockPID())
	deadline := time.Now().Add(5 * time.Second)
	for b.Epoch() != 0 {
		if time.Now().After(deadline) {
			t.Fatal("the second signer still leads after its lock connection was cut")
		}
		time.Sleep(10 * time.Millisecond) // poll interval
	}
}

// Run: a standby waits while the leader runs, and takes over with a higher epoch when the
// leader's lock connection is cut.
func TestStandbyTakesOverWhenTheLeadersConnectionIsCut(t *testing.T) {
	t.Parallel() // a world of its own: anvil and database
	w := newWorld(t, nil)
	ctx, cancel := context.WithCancel(w.ctx)
	defer cancel()
	a := w.signer
	bPool, err := OpenDB(w.ctx, w.dbURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(bPool.Close)
	cfgB := w.cfg
	cfgB.Pool = bPool
	b, err := New(cfgB)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{}, 2)
	go func() { _ = a.Run(ctx); done <- struct{}{} }()
	waitFor := func(what string, ok func() bool) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for !ok() {
			if time.Now().After(deadline) {
				t.Fatalf("timed out waiting until %s", what)
			}
			time.Sleep(10 * time.Millisecond) // poll interval
		}
	}
	waitFor("the first signer leads", func() bool { return a.Epoch() != 0 })
	epochA := a.Epoch()
	go func() { _ = b.Run(ctx); done <- struct{}{} }()
	time.Sleep(3 * w.cfg.Poll)
	if b.Epoch() != 0 {
		t.Fatal("the standby leads beside the leader")
	}
	w.terminate(a.lockPID())
	// The first signer, cut off, tries to lead again too, and on a loaded machine it may win the
	// race for the lock: then its new lock connection is cut as well, until the standby leads.
	waitFor("the standby leads", func() bool {
		if e := a.Epoch(); e > epochA && b.Epoch() == 0 {
			epochA = e
			w.terminate(a.lockPID())
		}
		return b.Epoch() > epochA
	})
	if e := a.Epoch(); e != 0 {
		t.Fatalf("the first signer still holds epoch %d", e)
	}
	cancel()
	<-done
	<-done
}

// lockPID is the backend of the signer's lock connection, 0 when it does not lead.
func (s *Signer) lockPID() uint32 {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cur == nil {
		return 0
	}
	return s.cur.pid
}

// terminate cuts a backend's connection, as a network failure or an operator would.
func (w *world) terminate(pid uint32) {
	w.t.Helper()
	var ok bool
	if err := w.admin.QueryRow(w.ctx, `SELECT pg_terminate_backend($1)`, int(pid)).Scan(&ok); err != nil || !ok {
		w.t.Fatalf("pg_terminate_backend(%d): %v %v", pid, ok, err)
	}
}

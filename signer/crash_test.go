package signer

import (
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/google/uuid"

	"github.com/amanat/amn/intent"
)

// Acceptance 5: a signer killed between signing and broadcast, or between broadcast and
// confirmation, resumes after a restart with exactly one transaction per step on chain and no
// nonce gap. (The kill is simulated in process: the hook fails the tick right after the database
// commit, which is where a real kill leaves things; the restart is a new Signer.)
func TestCrashBetweenSignAndBroadcast(t *testing.T) {
	t.Parallel() // a world of its own: anvil and database
	w := newWorld(t, nil)
	crashed := 0
	w.signer.afterSign = func(step string) error {
		if step == StepApprove && crashed == 0 {
			crashed++
			return errCrash
		}
		return nil
	}
	p := w.paid(9_000_000)
	sw, _, err := w.intents.CreateSweep(w.ctx, p.ID, w.f.Addresses.Escrow)
	if err != nil {
		t.Fatal(err)
	}
	// Tick until the crash happens.
	deadline := time.Now().Add(waitLimit)
	for crashed == 0 {
		if err := w.signer.Tick(w.ctx); err != nil && !errors.Is(err, errCrash) {
			t.Logf("tick: %v", err)
		}
		if time.Now().After(deadline) {
			t.Fatal("never reached the approve step")
		}
	}
	txs, err := w.intents.Txs(w.ctx, sw.ID)
	if err != nil {
		t.Fatal(err)
	}
	last := txs[len(txs)-1]
	if last.Step != StepApprove || last.State != "signed" {
		t.Fatalf("after the crash the approve attempt is %s %s", last.Step, last.State)
	}
	if n := w.nonce(p.Deposit); n != 0 {
		t.Fatalf("deposit nonce on chain %d before any broadcast", n)
	}
	w.restart()
	w.until(sw.ID, intent.Done)
	w.checkNoGaps(p.Deposit, 2) // approve, fund
	w.checkOneAttemptPerNonce(sw.ID)
}

func TestCrashBetweenBroadcastAndConfirmation(t *testing.T) {
	t.Parallel() // a world of its own: anvil and database
	w := newWorld(t, nil)
	p, _ := w.inEscrow(11_000_000)
	crashed := false
	w.signer.afterBroadcast = func(step string) error {
		if step == StepRelease && !crashed {
			crashed = true
			return errCrash
		}
		return nil
	}
	op := w.keys.OperatorAddress()
	before := w.nonce(op)
	in, _, err := w.intents.RequestRelease(w.ctx, p.ID, intent.RequestOptions{Contract: w.f.Addresses.Escrow})
	if err != nil {
		t.Fatal(err)
	}
	w.approve(in, w.f.Custodians[0], w.f.Custodians[1])
	deadline := time.Now().Add(waitLimit)
	for !crashed {
		_ = w.signer.Tick(w.ctx)
		if time.Now().After(deadline) {
			t.Fatal("never broadcast the release")
		}
	}
	got, _ := w.intents.Get(w.ctx, in.ID)
	if got.State != intent.Broadcast {
		t.Fatalf("after the crash the intent is %s", got.State)
	}
	w.restart()
	w.until(in.ID, intent.Done)
	if n := w.nonce(op); n != before+1 {
		t.Fatalf("operator made %d transactions for one release", n-before)
	}
	w.checkNoGaps(op, -1)
	w.checkOneAttemptPerNonce(in.ID)
}

// A transaction priced too low to be mined is re-signed at the same nonce with higher fees and
// lands; both attempts are recorded.
func TestStuckTransactionIsReplaced(t *testing.T) {
	t.Parallel() // a world of its own: anvil and database
	w := newWorld(t, func(c *Config) { c.Chains[0].StuckAfter = 300 * time.Millisecond })
	w.signer.feeOverride = func(step string, attempt int, tip, feeCap *big.Int) (*big.Int, *big.Int) {
		if step == StepRelease && attempt == 1 {
			return big.NewInt(1), big.NewInt(1) // 1 wei: below any base fee
		}
		return tip, feeCap
	}
	w.restartKeepingHooks()
	p, _ := w.inEscrow(13_000_000)
	op := w.keys.OperatorAddress()
	before := w.nonce(op)
	in, _, err := w.intents.RequestRelease(w.ctx, p.ID, intent.RequestOptions{Contract: w.f.Addresses.Escrow})
	if err != nil {
		t.Fatal(err)
	}
	w.approve(in, w.f.Custodians[0], w.f.Custodians[2])
	w.until(in.ID, intent.Done)
	txs, err := w.intents.Txs(w.ctx, in.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(txs) < 2 || txs[0].State != "replaced" || txs[len(txs)-1].State != "confirmed" {
		t.Fatalf("attempts %+v", txs)
	}
	for i := 1; i < len(txs); i++ {
		if txs[i].Nonce != txs[0].Nonce {
			t.Fatalf("replacement at nonce %d, first at %d", txs[i].Nonce, txs[0].Nonce)
		}
		min := new(big.Int).Div(new(big.Int).Mul(txs[i-1].FeeCap, big.NewInt(110)), big.NewInt(100))
		if txs[i].FeeCap.Cmp(min) < 0 {
			t.Fatalf("attempt %d fee cap %s, less than 110%% of %s", i+1, txs[i].FeeCap, txs[i-1].FeeCap)
		}
	}
	if n := w.nonce(op); n != before+1 {
		t.Fatalf("operator nonce moved by %d", n-before)
	}
	ev := w.auditEvents(in.ID)
	found := false
	for _, e := range ev {
		found = found || e == AuditReplaced
	}
	if !found {
		t.Fatalf("no replaced event in %v", ev)
	}
}

func (w *world) restartKeepingHooks() {
	old := w.signer
	w.restart()
	w.signer.afterSign, w.signer.afterBroadcast, w.signer.feeOverride = old.afterSign, old.afterBroadcast, old.feeOverride
}

// checkNoGaps: the database's next nonce for sender is the chain's, every nonce below it was
// used by exactly one mined transaction of ours (want: how many the sender made, -1 = any).
func (w *world) checkNoGaps(sender common.Address, want int) {
	w.t.Helper()
	var next int64
	if err := w.admin.QueryRow(w.ctx, `SELECT next_nonce FROM signer_nonces WHERE chain_id = $1 AND sender = $2`,
		w.f.ChainID, hexAddr(sender)).Scan(&next); err != nil {
		w.t.Fatal(err)
	}
	onChain := w.nonce(sender)
	if uint64(next) != onChain {
		w.t.Fatalf("signer_nonces says %d, the chain %d: a gap or a reuse", next, onChain)
	}
	if want >= 0 && onChain != uint64(want) {
		w.t.Fatalf("sender made %d transactions, want %d", onChain, want)
	}
	var distinct int64
	if err := w.admin.QueryRow(w.ctx, `SELECT count(DISTINCT nonce) FROM signer_txs WHERE chain_id = $1 AND sender = $2 AND state = 'confirmed'`,
		w.f.ChainID, hexAddr(sender)).Scan(&distinct); err != nil {
		w.t.Fatal(err)
	}
	var first int64
	_ = w.admin.QueryRow(w.ctx, `SELECT coalesce(min(nonce), 0) FROM signer_txs WHERE chain_id = $1 AND sender = $2`, w.f.ChainID, hexAddr(sender)).Scan(&first)
	if distinct != next-first {
		w.t.Fatalf("%d confirmed nonces between %d and %d", distinct, first, next)
	}
}

// checkOneAttemptPerNonce: per nonce of the intent, one attempt confirmed, the rest replaced.
func (w *world) checkOneAttemptPerNonce(id [16]byte) {
	w.t.Helper()
	rows, err := w.admin.Query(w.ctx, `SELECT nonce, count(*) FILTER (WHERE state = 'confirmed'), count(*) FILTER (WHERE state NOT IN ('confirmed', 'replaced'))
		FROM signer_txs WHERE intent_id = $1 GROUP BY sender, nonce`, id)
	if err != nil {
		w.t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var nonce, confirmed, other int64
		if err := rows.Scan(&nonce, &confirmed, &other); err != nil {
			w.t.Fatal(err)
		}
		if confirmed != 1 || other != 0 {
			w.t.Fatalf("nonce %d: %d confirmed attempts, %d unresolved", nonce, confirmed, other)
		}
	}
}

// A broadcast transaction that the node loses (dropped from its pool: never mined) is re-signed
// at the same nonce with higher fees once it is overdue, and lands.
func TestLostTransactionIsReplaced(t *testing.T) {
	t.Parallel() // a world of its own: anvil and database
	w := newWorld(t, func(c *Config) { c.Chains[0].StuckAfter = 300 * time.Millisecond })
	p, _ := w.inEscrow(23_000_000)
	if err := w.f.RPC.CallContext(w.ctx, nil, "evm_setAutomine", false); err != nil {
		t.Fatal(err)
	}
	dropped := 0
	w.signer.afterSign = func(step string) error {
		if step == StepRefund && dropped == 0 {
			w.paused.Store(true) // nothing is mined until the first attempt is gone
		}
		return nil
	}
	w.signer.afterBroadcast = func(step string) error {
		if step != StepRefund || dropped > 0 {
			return nil
		}
		dropped++
		txs, err := w.intents.Txs(w.ctx, w.mustOpen(p.ID))
		if err != nil {
			return err
		}
		err = w.f.RPC.CallContext(w.ctx, nil, "anvil_dropTransaction", common.HexToHash(txs[0].Hash))
		w.paused.Store(false)
		return err
	}
	in, _, err := w.intents.RequestRefund(w.ctx, p.ID, intent.RequestOptions{Contract: w.f.Addresses.Escrow, Reason: "lost"})
	if err != nil {
		t.Fatal(err)
	}
	op := w.keys.OperatorAddress()
	before := w.nonce(op)
	w.approve(in, w.f.Custodians[0], w.f.Custodians[1])
	w.until(in.ID, intent.Done)
	txs, err := w.intents.Txs(w.ctx, in.ID)
	if err != nil {
		t.Fatal(err)
	}
	if dropped != 1 || len(txs) != 2 || txs[0].State != "replaced" || txs[1].State != "confirmed" || txs[0].Nonce != txs[1].Nonce {
		t.Fatalf("dropped %d; attempts %+v", dropped, txs)
	}
	if n := w.nonce(op); n != before+1 {
		t.Fatalf("operator nonce moved by %d", n-before)
	}
	if st, _ := w.escrowRecord(p.ID); st != 3 {
		t.Fatalf("escrow status %d, want refunded", st)
	}
}

func (w *world) mustOpen(paymentID [16]byte) uuid.UUID {
	w.t.Helper()
	in, err := w.intents.OpenFor(w.ctx, paymentID)
	if err != nil {
		w.t.Fatal(err)
	}
	return in.ID
}

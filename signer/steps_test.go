package signer

import (
	"math/big"
	"testing"
	"time"

	"github.com/amanat/amn/intent"
)

// Verification before every signature still passes between the legitimate steps of a sweep: the
// gas top-up and the fund transaction, both priced too low at first, are re-signed (verified
// again, rebuilt from the intent; the top-up carries the value of its first attempt) and the
// sweep completes.
func TestSweepStepsReplacedAfterVerification(t *testing.T) {
	t.Parallel() // a world of its own: anvil and database
	w := newWorld(t, func(c *Config) { c.Chains[0].StuckAfter = 300 * time.Millisecond })
	w.signer.feeOverride = func(step string, attempt int, tip, feeCap *big.Int) (*big.Int, *big.Int) {
		if (step == StepGasTopup || step == StepFund) && attempt == 1 {
			return big.NewInt(1), big.NewInt(1) // 1 wei: below any base fee
		}
		return tip, feeCap
	}
	w.restartKeepingHooks()
	p := w.paid(27_000_000)
	in := w.sweep(p)
	byStep := map[string][]intent.Tx{}
	for _, tx := range w.mustTxs(in.ID) {
		byStep[tx.Step] = append(byStep[tx.Step], tx)
	}
	for _, step := range []string{StepGasTopup, StepFund} {
		txs := byStep[step]
		if len(txs) < 2 || txs[0].State != "replaced" || txs[len(txs)-1].State != "confirmed" {
			t.Fatalf("%s attempts %+v", step, txs)
		}
	}
	var values int
	if err := w.admin.QueryRow(w.ctx, `SELECT count(DISTINCT value) FROM signer_txs WHERE intent_id = $1 AND step = 'gas_topup'`, in.ID).Scan(&values); err != nil || values != 1 {
		t.Fatalf("the top-up's attempts carry %d values (%v)", values, err)
	}
	w.checkNoGaps(p.Deposit, 2)
	w.checkOneAttemptPerNonce(in.ID)
	if st, amount := w.escrowRecord(p.ID); st != escrowOpen || amount.Cmp(p.Received) != 0 {
		t.Fatalf("escrow %d holding %s", st, amount)
	}
}

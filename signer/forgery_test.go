package signer

import (
	"errors"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/google/uuid"

	"github.com/amanat/amn/bindings"
	"github.com/amanat/amn/chain"
	"github.com/amanat/amn/intent"
	"github.com/amanat/amn/payment"
)

// Issue #13, acceptance 1 (findings 1 and 2): the owner role — what a compromised API, indexer or
// worker login can do today — forges rows, and the signer signs nothing for them: the intent ends
// rejected with the reason, the audit log names it, balances on chain do not move.

// (a) A gas top-up to an outside address, inserted directly past verification (approved, or
// further).
func TestForgedApprovedGasTopupSignsNothing(t *testing.T) {
	t.Parallel() // a world of its own: anvil and database
	allowed := common.HexToAddress("0x00000000000000000000000000000000000a110e")
	attacker := common.HexToAddress("0x000000000000000000000000000000000000bad0")
	w := newWorld(t, func(c *Config) {
		c.Policy.GasTopups = map[uint64]GasTopupPolicy{c.Chains[0].ID: {Destinations: []common.Address{allowed},
			PerTx: big.NewInt(1e17), PerDay: big.NewInt(1e18)}}
	})
	op := w.keys.OperatorAddress()
	nonce, tank := w.nonce(op), w.native(op)
	for _, tc := range []struct {
		state  intent.State
		to     common.Address
		amount *big.Int
		reason string
	}{
		{intent.Approved, attacker, big.NewInt(5e18), "not an allowed gas top-up destination"},
		{intent.Signing, attacker, big.NewInt(5e18), "not an allowed gas top-up destination"},
		{intent.Broadcast, attacker, big.NewInt(5e18), "not an allowed gas top-up destination"},
		{intent.Approved, allowed, big.NewInt(5e18), "per-transaction limit"}, // an allowed destination, too much
	} {
		id := uuid.New()
		if _, err := w.admin.Exec(w.ctx, `INSERT INTO signer_intents (id, kind, chain_id, contract, token, recipient, amount, state, signed_at)
			VALUES ($1, 'gas_topup', $2, $3, $4, $5, $6, $7::signer_intent_state, CASE WHEN $7::text = 'approved' THEN NULL ELSE now() END)`,
			id, w.f.ChainID, hexAddr(w.f.Addresses.Escrow), hexAddr(chain.NativeToken), hexAddr(tc.to), tc.amount.String(),
			string(tc.state)); err != nil {
			t.Fatal(err)
		}
		w.expectRejected(id, tc.reason, 0)
	}
	if got := w.nonce(op); got != nonce {
		t.Fatalf("the gas tank sent %d transactions for forged top-ups", got-nonce)
	}
	if got := w.native(attacker); got.Sign() != 0 {
		t.Fatalf("the attacker holds %s wei", got)
	}
	if got := w.native(op); got.Cmp(tank) != 0 {
		t.Fatalf("the gas tank holds %s wei, had %s", got, tank)
	}
}

// (b) A sweep in flight (approve final, fund next) gets a forged broadcast row at the deposit's
// next nonce carrying transfer(attacker, balance), old enough to be replaced.
func TestForgedTransferRowInFlightSignsNothing(t *testing.T) {
	t.Parallel() // a world of its own: anvil and database
	w := newWorld(t, nil)
	attackerKey, _ := crypto.GenerateKey()
	attacker := crypto.PubkeyToAddress(attackerKey.PublicKey)
	p := w.paid(31_000_000)
	sw := w.sweepUntilBefore(p, StepFund)

	var next int64
	if err := w.admin.QueryRow(w.ctx, `SELECT next_nonce FROM signer_nonces WHERE chain_id = $1 AND sender = $2`,
		w.f.ChainID, hexAddr(p.Deposit)).Scan(&next); err != nil {
		t.Fatal(err)
	}
	erc20, _ := bindings.ERC20MetaData.GetAbi()
	data, _ := erc20.Pack("transfer", attacker, p.Received)
	usdt := w.f.Addresses.USDT
	forged, err := types.SignNewTx(attackerKey, types.LatestSignerForChainID(new(big.Int).SetUint64(w.f.ChainID)), &types.DynamicFeeTx{
		ChainID: new(big.Int).SetUint64(w.f.ChainID), Nonce: uint64(next), GasTipCap: big.NewInt(1e9), GasFeeCap: big.NewInt(1e10),
		Gas: 100_000, To: &usdt, Value: new(big.Int), Data: data})
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := forged.MarshalBinary()
	var forgedID int64
	if err := w.admin.QueryRow(w.ctx, `INSERT INTO signer_txs (intent_id, step, chain_id, sender, nonce, attempt, to_address, value, data,
		gas, tip_cap, fee_cap, hash, raw, state, created_at) VALUES ($1, 'fund', $2, $3, $4, 1, $5, 0, $6, 100000, 1000000000, 10000000000,
		$7, $8, 'broadcast', now() - interval '1 hour') RETURNING id`, sw.ID, w.f.ChainID, hexAddr(p.Deposit), next, hexAddr(usdt), data,
		strings.ToLower(forged.Hash().Hex()), raw).Scan(&forgedID); err != nil {
		t.Fatal(err)
	}
	if _, err := w.admin.Exec(w.ctx, `UPDATE signer_nonces SET next_nonce = next_nonce + 1 WHERE chain_id = $1 AND sender = $2`,
		w.f.ChainID, hexAddr(p.Deposit)); err != nil {
		t.Fatal(err)
	}
	op := w.keys.OperatorAddress()
	opNonce, depNonce := w.nonce(op), w.nonce(p.Deposit)
	w.signer.beforeSign = nil
	w.expectRejected(sw.ID, "does not match the intent", -1)

	var later int
	if err := w.admin.QueryRow(w.ctx, `SELECT count(*) FROM signer_txs WHERE intent_id = $1 AND id > $2`, sw.ID, forgedID).Scan(&later); err != nil || later != 0 {
		t.Fatalf("%d attempts signed after the forged row (%v)", later, err)
	}
	pending, err := w.f.Client.PendingNonceAt(w.ctx, p.Deposit)
	if err != nil {
		t.Fatal(err)
	}
	if w.nonce(p.Deposit) != depNonce || pending != depNonce || w.nonce(op) != opNonce {
		t.Fatalf("transactions went out: deposit nonce %d (pending %d), was %d; operator %d, was %d",
			w.nonce(p.Deposit), pending, depNonce, w.nonce(op), opNonce)
	}
	if got := w.usdt(attacker); got.Sign() != 0 {
		t.Fatalf("the attacker holds %s USDT", got)
	}
	if got := w.usdt(p.Deposit); got.Cmp(p.Received) != 0 {
		t.Fatalf("the deposit holds %s USDT, received %s", got, p.Received)
	}
	if st, _ := w.escrowRecord(p.ID); st != escrowNone {
		t.Fatalf("escrow status %d", st)
	}
}

// (c) The payment's deposit_index changed under a sweep: pending, forged to approved, and in
// flight. The key of another index signs nothing.
func TestChangedDepositIndexSignsNothing(t *testing.T) {
	t.Parallel() // a world of its own: anvil and database
	w := newWorld(t, nil)
	for i, tc := range []struct {
		name   string
		before func(p *payment.Payment) *intent.Intent
	}{
		{"pending", func(p *payment.Payment) *intent.Intent { return w.createSweep(p) }},
		{"forged approved", func(p *payment.Payment) *intent.Intent {
			in := w.createSweep(p)
			if _, err := w.admin.Exec(w.ctx, `UPDATE signer_intents SET state = 'approved' WHERE id = $1`, in.ID); err != nil {
				t.Fatal(err)
			}
			return in
		}},
		{"in flight after approve", func(p *payment.Payment) *intent.Intent { return w.sweepUntilBefore(p, StepFund) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := w.paid(int64(32_000_000 + i))
			in := tc.before(p)
			rows := len(w.mustTxs(in.ID))
			other := uint32(2_000_000_000 + i)
			otherAddr, err := w.keys.Ring.Address(other)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := w.admin.Exec(w.ctx, `UPDATE payments SET deposit_index = $2 WHERE id = $1`, p.ID, other); err != nil {
				t.Fatal(err)
			}
			opNonce, depNonce := w.nonce(w.keys.OperatorAddress()), w.nonce(p.Deposit)
			w.signer.beforeSign = nil
			w.expectRejected(in.ID, "does not derive the payment's deposit address", -1)
			if got := len(w.mustTxs(in.ID)); got != rows {
				t.Fatalf("%d attempts signed after the change", got-rows)
			}
			if w.nonce(otherAddr) != 0 || w.nonce(p.Deposit) != depNonce || w.nonce(w.keys.OperatorAddress()) != opNonce {
				t.Fatal("a transaction went out after the change")
			}
			if got := w.usdt(p.Deposit); got.Cmp(p.Received) != 0 {
				t.Fatalf("the deposit holds %s USDT, received %s", got, p.Received)
			}
		})
	}
}

// (c, continued) The deposit_index changed while the sweep's fund transaction is stuck unmined:
// the replacement that is due signs nothing with the other index's key.
func TestChangedDepositIndexUnderAStuckAttemptSignsNothing(t *testing.T) {
	t.Parallel() // a world of its own: anvil and database
	w := newWorld(t, func(c *Config) { c.Chains[0].StuckAfter = 300 * time.Millisecond })
	p := w.paid(33_000_000)
	in := w.sweepUntilBefore(p, StepFund)
	if err := w.f.RPC.CallContext(w.ctx, nil, "evm_setAutomine", false); err != nil {
		t.Fatal(err)
	}
	w.paused.Store(true) // nothing is mined: the fund attempt stays in the pool
	w.signer.beforeSign = nil
	for len(w.mustTxs(in.ID)) < 3 { // top-up, approve, fund
		if err := w.signer.Tick(w.ctx); err != nil {
			t.Fatal(err)
		}
	}
	txs := w.mustTxs(in.ID)
	fund := txs[len(txs)-1]
	if fund.Step != StepFund || fund.State != "broadcast" {
		t.Fatalf("fund attempt %+v", fund)
	}
	other := uint32(2_000_000_100)
	otherAddr, _ := w.keys.Ring.Address(other)
	if _, err := w.admin.Exec(w.ctx, `UPDATE payments SET deposit_index = $2 WHERE id = $1`, p.ID, other); err != nil {
		t.Fatal(err)
	}
	time.Sleep(400 * time.Millisecond) // the fund attempt is now overdue
	w.expectRejected(in.ID, "does not derive the payment's deposit address", len(txs))
	if err := w.f.RPC.CallContext(w.ctx, nil, "anvil_dropTransaction", common.HexToHash(fund.Hash)); err != nil {
		t.Fatal(err)
	}
	w.paused.Store(false)
	if w.nonce(otherAddr) != 0 || w.nonce(p.Deposit) != fund.Nonce {
		t.Fatal("a transaction went out after the change")
	}
	if got := w.usdt(p.Deposit); got.Cmp(p.Received) != 0 {
		t.Fatalf("the deposit holds %s USDT, received %s", got, p.Received)
	}
}

var errStop = errors.New("test: stop before signing")

// createSweep records the payment's sweep intent, as the worker's sweep job does.
func (w *world) createSweep(p *payment.Payment) *intent.Intent {
	w.t.Helper()
	in, _, err := w.intents.CreateSweep(w.ctx, p.ID, w.f.Addresses.Escrow)
	if err != nil {
		w.t.Fatal(err)
	}
	return in
}

// sweepUntilBefore runs p's sweep until the signer is about to sign step, and stops it there (the
// hook stays set: the caller clears w.signer.beforeSign).
func (w *world) sweepUntilBefore(p *payment.Payment, step string) *intent.Intent {
	w.t.Helper()
	in := w.createSweep(p)
	reached := false
	w.signer.beforeSign = func(s string) error {
		if s == step {
			reached = true
			return errStop
		}
		return nil
	}
	deadline := time.Now().Add(waitLimit)
	for !reached {
		_ = w.signer.Tick(w.ctx)
		if time.Now().After(deadline) {
			w.t.Fatalf("the sweep never reached %s", step)
		}
		time.Sleep(20 * time.Millisecond) // poll interval
	}
	return in
}

func (w *world) mustTxs(id uuid.UUID) []intent.Tx {
	w.t.Helper()
	txs, err := w.intents.Txs(w.ctx, id)
	if err != nil {
		w.t.Fatal(err)
	}
	return txs
}

// expectRejected runs the signer until the intent is final and checks that it is rejected for
// reason, that its last audit row is the rejection naming the reason, and (txs ≥ 0) how many
// transaction attempts it has.
func (w *world) expectRejected(id uuid.UUID, reason string, txs int) {
	w.t.Helper()
	got := w.untilFinal(id)
	if got.State != intent.Rejected || !strings.Contains(got.Reason, reason) {
		w.t.Fatalf("intent %s (%s): %s %q; want rejected with %q", id, got.Kind, got.State, got.Reason, reason)
	}
	if n := len(w.mustTxs(id)); txs >= 0 && n != txs {
		w.t.Fatalf("%d transaction attempts for a rejected intent, want %d", n, txs)
	}
	var event, detail string
	if err := w.admin.QueryRow(w.ctx, `SELECT event, detail FROM signer_audit WHERE intent_id = $1 ORDER BY seq DESC LIMIT 1`, id).
		Scan(&event, &detail); err != nil {
		w.t.Fatal(err)
	}
	if event != AuditRejected || detail != got.Reason {
		w.t.Fatalf("last audit row of the intent: %s %q", event, detail)
	}
	w.t.Logf("rejected: %s", got.Reason)
}

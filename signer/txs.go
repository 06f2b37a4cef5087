package signer

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/rpc"
	"github.com/google/uuid"
	"github.com/holiman/uint256"
	"github.com/jackc/pgx/v5"

	"github.com/amanat/amn/bindings"
	"github.com/amanat/amn/chain"
	"github.com/amanat/amn/db"
	"github.com/amanat/amn/escrow"
	"github.com/amanat/amn/intent"
	"github.com/amanat/amn/payment"
)

// Steps: the transactions an intent makes, in order.
const (
	StepGasTopup = "gas_topup" // gas tank → deposit address (sweep), or to a gas_topup intent's recipient
	StepApprove  = "approve"   // deposit: token.approve(escrow, amount) (sweep)
	StepFund     = "fund"      // deposit: escrow.fund(...) (sweep)
	StepRelease  = "release"   // operator: escrow.release(...)
	StepRefund   = "refund"    // operator: escrow.refund(...)
	StepSettle   = "settle"    // operator: escrow.settle(...)
	StepFreeze   = "freeze"    // operator (the escrow's arbiter): escrow.freeze(paymentId)
	StepUnfreeze = "unfreeze"  // operator (the escrow's arbiter): escrow.unfreeze(paymentId)
	// StepSweepBatch is one transaction of the gas tank for many sweeps (EIP-7702):
	// AmnSweeper.sweepBatch(entries), carrying the deposits' authorizations (batch.go).
	StepSweepBatch = intent.BatchStep // "sweep_batch": package intent books its gas by this name
)

// fundGasBudget is what a sweep's top-up provides for AmnEscrow.fund (measured ~170k with the
// four-slot record; ~181k now for a token's first funding, which writes its registry entry, and
// under 100k after).
const fundGasBudget = 250_000

// sweepTopupGas bounds a sweep's gas top-ups: together at most this much gas at the chain's fee
// cap. What a sweep needs (approve × 1.25 + fundGasBudget, or fundNative × 1.5) stays well below it.
const sweepTopupGas = 500_000

// maxSweepTopups bounds how many times a sweep tops its deposit up: once normally, again when the
// fees rose between a top-up and the deposit's next step. A sweep whose deposit still lacks gas
// after that many is rejected (fees rising faster than the top-ups), rather than retried for ever.
const maxSweepTopups = 3

// txRow is one attempt (signer_txs).
type txRow struct {
	ID       int64
	IntentID uuid.UUID // the intent the row is stored under: a batch's carrier for every member
	Step     string
	Sender   common.Address
	Nonce    uint64
	Attempt  int
	To       common.Address
	Value    *big.Int
	Data     []byte
	Gas      uint64
	Tip, Cap *big.Int
	Hash     common.Hash
	Raw      []byte
	State    string
	Created  time.Time
	// Auths are a batch's EIP-7702 authorizations (a set-code transaction); none for any other.
	// Not a column: they are in Raw, and a replacement carries its first attempt's.
	Auths []types.SetCodeAuthorization
}

// loadTxsSQL selects intent $1's attempts: those stored under it, and those of the sweep batch it
// is a member of (stored under the batch's carrier). Two indexed lookups (signer_txs_intent; the
// member's row, then the batch's attempts by (chain, sender, nonce)), not an OR that would scan.
const loadTxsSQL = `SELECT id, intent_id, step, sender, nonce, attempt, to_address, value, data, gas, tip_cap, fee_cap,
	hash, raw, state, created_at FROM signer_txs WHERE intent_id = $1
	UNION ALL
	SELECT t.id, t.intent_id, t.step, t.sender, t.nonce, t.attempt, t.to_address, t.value, t.data, t.gas, t.tip_cap, t.fee_cap,
	t.hash, t.raw, t.state, t.created_at FROM signer_batch_members m
	JOIN signer_txs t ON (t.chain_id, t.sender, t.nonce) = (m.chain_id, m.sender, m.nonce)
	WHERE m.intent_id = $1 AND t.intent_id <> $1
	ORDER BY id`

func (s *Signer) loadTxs(ctx context.Context, id any) ([]txRow, error) {
	rows, err := s.cfg.Pool.Query(ctx, loadTxsSQL, id)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (txRow, error) {
		var t txRow
		var sender, to, hash string
		var value, tip, fc db.Amount
		var nonce, gas int64
		err := r.Scan(&t.ID, &t.IntentID, &t.Step, &sender, &nonce, &t.Attempt, &to, &value, &t.Data, &gas, &tip, &fc, &hash, &t.Raw, &t.State, &t.Created)
		t.Sender, t.To, t.Hash = common.HexToAddress(sender), common.HexToAddress(to), common.HexToHash(hash)
		t.Value, t.Tip, t.Cap, t.Nonce, t.Gas = value.V, tip.V, fc.V, uint64(nonce), uint64(gas)
		return t, err
	})
}

// call is the payload of a step; its attempts differ only in fees.
type call struct {
	step  string
	key   *ecdsa.PrivateKey
	to    common.Address
	value *big.Int
	data  []byte
	// maxValue, when set, bounds the value instead of fixing it: a sweep's gas top-up sends what
	// the deposit lacked at the fees of its first attempt, which later attempts carry again.
	maxValue *big.Int
}

func (k *call) sender() common.Address { return crypto.PubkeyToAddress(k.key.PublicKey) }

// drive signs, broadcasts, replaces and confirms the intent's transactions, one step at a time.
func (s *Signer) drive(ctx context.Context, in *intent.Intent) error {
	c := s.chains[in.ChainID]
	if c == nil {
		return fmt.Errorf("chain %d not configured", in.ChainID)
	}
	// Each step's derivation is made once per pass; a pass makes at most a few steps.
	want := map[string]*call{}
	for range 8 {
		txs, err := s.loadTxs(ctx, in.ID)
		if err != nil {
			return err
		}
		// Nothing stored is trusted before it is held against the intent: what is broadcast,
		// replaced or taken as mined is what this signer signed for it.
		if err := s.checkRows(ctx, c, in, txs, want); err != nil {
			var r *Rejection
			if errors.As(err, &r) {
				return s.reject(ctx, in, r.Reason)
			}
			return err
		}
		cur := lastGroup(txs)
		if cur == nil || cur[0].State == "confirmed" || anyState(cur, "confirmed") {
			done := map[string]bool{}
			for _, t := range txs {
				if t.State == "confirmed" {
					done[t.Step] = true
				}
			}
			next, err := s.nextStep(ctx, c, in, done, txs)
			if errors.Is(err, errWaiting) {
				return nil
			}
			if err != nil {
				var r *Rejection
				if errors.As(err, &r) && cur == nil {
					return s.reject(ctx, in, r.Reason)
				}
				if errors.As(err, &r) {
					// Some transactions of this intent already landed: record why it stopped.
					return s.reject(ctx, in, "stopped after "+cur[0].Step+": "+r.Reason)
				}
				return err
			}
			if next == nil {
				if err := s.setState(ctx, in, in.State, intent.Confirmed, "", AuditConfirmed, "all transactions final"); err != nil {
					return err
				}
				detail := fmt.Sprintf("gas used %d, cost %s wei", in.GasUsed, in.GasCost)
				if in.Kind == intent.Sweep {
					// What is left of the top-up stays on the deposit address: report it.
					if p, err := s.payments.Get(ctx, in.PaymentID); err == nil {
						if dust, err := c.Client.BalanceAt(ctx, p.Deposit, nil); err == nil {
							detail += fmt.Sprintf("; deposit %s keeps %s wei of gas", p.Deposit.Hex(), dust)
						}
					}
				}
				return s.setState(ctx, in, intent.Confirmed, intent.Done, "", AuditDone, detail)
			}
			if err := s.signNew(ctx, c, in, next); err != nil {
				if errors.Is(err, errWaiting) {
					return nil // the fees rose under the step: the next pass looks again
				}
				return err
			}
			want[next.step] = next
			continue
		}
		progressed, err := s.resolve(ctx, c, in, cur)
		if err != nil || !progressed {
			return err
		}
	}
	return nil
}

func anyState(g []txRow, st string) bool {
	for _, t := range g {
		if t.State == st {
			return true
		}
	}
	return false
}

// lastGroup is every attempt of the intent's newest nonce.
func lastGroup(txs []txRow) []txRow {
	if len(txs) == 0 {
		return nil
	}
	last := txs[len(txs)-1]
	var g []txRow
	for _, t := range txs {
		if t.Sender == last.Sender && t.Nonce == last.Nonce {
			g = append(g, t)
		}
	}
	return g
}

// finished reports whether every step of the intent is done.
func finished(in *intent.Intent, done map[string]bool) bool {
	switch in.Kind {
	case intent.Sweep:
		return done[StepFund]
	case intent.GasTopup:
		return done[StepGasTopup]
	case intent.Release:
		return done[StepRelease]
	case intent.Refund:
		return done[StepRefund]
	case intent.Settle:
		return done[StepSettle]
	case intent.Freeze:
		return done[StepFreeze]
	case intent.Unfreeze:
		return done[StepUnfreeze]
	}
	return false
}

// nextStep decides the next transaction of the intent, or nil when it has made them all. It
// verifies the whole intent again first, whatever state its row claims: nothing is signed on the
// strength of an earlier check, nor of a state another role could have written.
func (s *Signer) nextStep(ctx context.Context, c *Chain, in *intent.Intent, done map[string]bool, txs []txRow) (*call, error) {
	if finished(in, done) {
		return nil, nil
	}
	sigs, err := s.verify(ctx, in)
	if err != nil {
		return nil, err
	}
	switch in.Kind {
	case intent.Sweep:
		return s.nextSweepStep(ctx, c, in, done, sweepTopupsOf(txs))
	case intent.GasTopup:
		return s.stepCall(ctx, c, in, StepGasTopup, nil)
	case intent.Release:
		return s.stepCall(ctx, c, in, StepRelease, sigs)
	case intent.Refund:
		return s.stepCall(ctx, c, in, StepRefund, sigs)
	case intent.Settle:
		return s.stepCall(ctx, c, in, StepSettle, sigs)
	case intent.Freeze:
		return s.stepCall(ctx, c, in, StepFreeze, nil)
	case intent.Unfreeze:
		return s.stepCall(ctx, c, in, StepUnfreeze, nil)
	}
	return nil, rejectf("unknown intent kind %q", in.Kind)
}

// sweepTopups are the gas top-ups a sweep has made so far: how many (one per nonce) and what they
// sent in all. They are read from the intent's attempts only after checkRows held each to what this
// signer signed for the intent.
type sweepTopups struct {
	count int
	total *big.Int
}

func sweepTopupsOf(txs []txRow) sweepTopups {
	t := sweepTopups{total: new(big.Int)}
	seen := map[uint64]bool{}
	for _, r := range txs {
		if r.Step == StepGasTopup && !seen[r.Nonce] {
			seen[r.Nonce] = true // every attempt of a nonce carries its first attempt's value
			t.count++
			t.total.Add(t.total, r.Value)
		}
	}
	return t
}

// nextSweepStep is a sweep's next deposit step — approve, then fund; or fundNative — if the
// deposit can pay for it at today's fees, else another gas top-up. Before the first top-up the
// deposit must hold what the whole sweep needs (sweepNeed); after one, what the step itself costs
// (the node refuses a transaction its sender cannot pay for, and a signed attempt the node refuses
// would hold the deposit's nonce for ever): fees that rose between a top-up and the step make
// another top-up, at most maxSweepTopups in all and sweepTopupGas at the fee cap together.
func (s *Signer) nextSweepStep(ctx context.Context, c *Chain, in *intent.Intent, done map[string]bool, prior sweepTopups) (*call, error) {
	name := StepApprove
	if in.Token == chain.NativeToken || done[StepApprove] {
		name = StepFund
	}
	step, err := s.stepCall(ctx, c, in, name, nil)
	if err != nil {
		return nil, err
	}
	cost, target, err := s.sweepNeed(ctx, c, in, step)
	if err != nil {
		return nil, err
	}
	deposit := step.sender()
	bal, err := c.Client.BalanceAt(ctx, deposit, nil)
	if err != nil {
		return nil, err
	}
	need := target
	if prior.count > 0 || done[StepApprove] {
		need = cost
	}
	if bal.Cmp(need) >= 0 {
		return step, nil
	}
	topup, err := s.stepCall(ctx, c, in, StepGasTopup, nil)
	if err != nil {
		return nil, err
	}
	topup.value = new(big.Int).Sub(target, bal)
	all := new(big.Int).Add(prior.total, topup.value)
	switch {
	case prior.count >= maxSweepTopups:
		return nil, rejectf("the deposit lacks %s wei of gas for its %s at today's fees after %d top-ups (%s wei): "+
			"the fees rose faster than its top-ups; ask for the sweep again (amn admin sweep) once they settle",
			new(big.Int).Sub(cost, bal), name, prior.count, prior.total)
	case all.Cmp(topup.maxValue) > 0:
		return nil, rejectf("the deposit lacks %s wei of gas for its %s, more than a sweep's top-ups may send (%s in all, %s sent before); "+
			"ask for the sweep again (amn admin sweep) once the fees settle", topup.value, name, topup.maxValue, prior.total)
	}
	return topup, nil
}

// sweepNeed is what a sweep's deposit step costs at today's fees (gas limit × fee cap + value, as
// signNew will sign it and the node checks it) and what a top-up before it tops the deposit up to:
// for approve, the approve and fund to come (approve × 1.25 + fundGasBudget, at the fee cap); for
// fund, fund × 1.5; for fundNative, fundNative × 1.5 and the amount.
func (s *Signer) sweepNeed(ctx context.Context, c *Chain, in *intent.Intent, step *call) (cost, target *big.Int, err error) {
	from := step.sender()
	gas, err := c.Client.EstimateGas(ctx, ethereum.CallMsg{From: from, To: &step.to, Data: step.data, Value: step.value})
	switch {
	case err != nil && step.step == StepApprove:
		return nil, nil, rejectf("estimating gas for approve: %v", err)
	case err != nil && isRevert(err):
		return nil, nil, rejectf("%s would fail on chain: %v", callName(in, step), err)
	case err != nil:
		return nil, nil, fmt.Errorf("estimating gas for %s: %w", callName(in, step), err)
	}
	_, feeCap, err := s.feesFor(ctx, c, step.step)
	if err != nil {
		return nil, nil, err
	}
	wei := func(gas uint64) *big.Int {
		w := new(big.Int).Mul(new(big.Int).SetUint64(gas), feeCap)
		return w.Add(w, step.value)
	}
	cost = wei(gas * 5 / 4)
	if step.step == StepApprove {
		return cost, wei(gas*5/4 + fundGasBudget), nil
	}
	return cost, wei(gas * 3 / 2), nil
}

func callName(in *intent.Intent, step *call) string {
	if step.step == StepFund && in.Token == chain.NativeToken {
		return "fundNative"
	}
	return step.step
}

// stepCall derives a step's transaction — who sends it, to where, with what value and data — from
// the intent, the payment, the signer's own keys and configuration, and (release, refund) the
// custodians' approvals it verifies itself. Nothing of it comes from signer_txs. The deposit key
// is derived from the payment's deposit index only once it is known to derive the payment's
// deposit address (depositKey).
func (s *Signer) stepCall(ctx context.Context, c *Chain, in *intent.Intent, step string, sigs [][]byte) (*call, error) {
	esc, _ := bindings.AmnEscrowMetaData.GetAbi()
	op := s.cfg.Keys.Operator
	var (
		k   = &call{step: step, key: op, value: new(big.Int)}
		err error
	)
	switch {
	case in.Kind == intent.Sweep && (step == StepGasTopup || step == StepApprove || step == StepFund):
		var p *payment.Payment
		var key *ecdsa.PrivateKey
		if p, key, err = s.sweepKey(ctx, in); err != nil {
			return nil, err
		}
		if step == StepGasTopup {
			k.to, k.maxValue = p.Deposit, new(big.Int).Mul(big.NewInt(sweepTopupGas), c.MaxFeeCap)
			return k, nil
		}
		k.key = key
		switch {
		case step == StepApprove && in.Token != chain.NativeToken:
			erc20, _ := bindings.ERC20MetaData.GetAbi()
			k.to = in.Token
			k.data, err = erc20.Pack("approve", c.Escrow, in.Amount)
		case step == StepFund && in.Token == chain.NativeToken:
			k.to, k.value = c.Escrow, new(big.Int).Set(in.Amount)
			k.data, err = esc.Pack("fundNative", payment.EscrowRef(p.ID), in.Buyer, in.Seller)
		case step == StepFund:
			k.to = c.Escrow
			k.data, err = esc.Pack("fund", payment.EscrowRef(p.ID), in.Token, in.Amount, in.Buyer, in.Seller)
		default:
			return nil, rejectf("a native sweep has no %s step", step)
		}
	case in.Kind == intent.GasTopup && step == StepGasTopup:
		if in.Amount == nil {
			return nil, rejectf("a gas top-up needs an amount")
		}
		k.to, k.value = in.Recipient, new(big.Int).Set(in.Amount)
	case in.Kind == intent.Release && step == StepRelease, in.Kind == intent.Refund && step == StepRefund,
		in.Kind == intent.Settle && step == StepSettle:
		if sigs == nil {
			if sigs, _, err = s.quorum(ctx, c, in); err != nil {
				return nil, err
			}
		}
		m, err := in.Message()
		if err != nil {
			return nil, rejectf("%v", err)
		}
		k.to = c.Escrow
		switch m := m.(type) {
		case escrow.Release:
			k.data, err = esc.Pack("release", m.PaymentID, m.Binding(), sigs)
		case escrow.Refund:
			k.data, err = esc.Pack("refund", m.PaymentID, m.Binding(), sigs)
		case escrow.Settle:
			k.data, err = esc.Pack("settle", m.PaymentID, m.Binding(), sigs)
		}
		if err != nil {
			return nil, rejectf("%s call: %v", step, err)
		}
	case in.Kind == intent.Freeze && step == StepFreeze, in.Kind == intent.Unfreeze && step == StepUnfreeze:
		// Freezing only blocks payouts: the escrow id may come from the payment row. Unfreezing
		// is verified against the chain (verifyUnfreeze): the escrow is the one this signer froze.
		var p *payment.Payment
		if p, err = s.payments.Get(ctx, in.PaymentID); err != nil {
			return nil, err
		}
		k.to = c.Escrow
		k.data, err = esc.Pack(step, p.EscrowID())
	default:
		return nil, rejectf("a %s intent has no %q step", in.Kind, step)
	}
	if err != nil {
		return nil, rejectf("%s call: %v", step, err)
	}
	return k, nil
}

// sweepKey is a sweep's payment and its deposit key.
func (s *Signer) sweepKey(ctx context.Context, in *intent.Intent) (*payment.Payment, *ecdsa.PrivateKey, error) {
	p, err := s.payments.Get(ctx, in.PaymentID)
	if errors.Is(err, payment.ErrNotFound) {
		return nil, nil, rejectf("payment %s does not exist", in.PaymentID)
	}
	if err != nil {
		return nil, nil, err
	}
	key, err := s.depositKey(p)
	return p, key, err
}

// depositKey is the one way to a deposit's private key: derived from the payment's deposit index,
// and only if it derives the payment's deposit address (the index is a row another role could
// change; the address is what the buyer paid).
func (s *Signer) depositKey(p *payment.Payment) (*ecdsa.PrivateKey, error) {
	key := s.depositKeys[p.DepositIndex]
	if key == nil {
		var err error
		if key, err = s.cfg.Keys.Ring.PrivateKey(p.DepositIndex); err != nil {
			return nil, rejectf("deriving the deposit key of index %d failed", p.DepositIndex)
		}
		if s.depositKeys != nil {
			s.depositKeys[p.DepositIndex] = key
		}
	}
	if crypto.PubkeyToAddress(key.PublicKey) != p.Deposit {
		return nil, rejectf("deposit index %d does not derive the payment's deposit address %s", p.DepositIndex, p.Deposit.Hex())
	}
	return key, nil
}

// checkRows holds every stored attempt of the intent against the intent: each row's raw bytes
// must be a transaction for this chain, signed by the row's sender, whose hash, nonce, payload
// and fees are the row's; and sender and payload must be those the intent derives for the step
// (stepCall; want caches the derivations of one pass). Only such a row — one this signer wrote —
// is broadcast, replaced or looked up as mined; any other rejects the intent.
func (s *Signer) checkRows(ctx context.Context, c *Chain, in *intent.Intent, txs []txRow, want map[string]*call) error {
	for _, r := range txs {
		k, ok := want[r.Step]
		if !ok {
			var err error
			if k, err = s.stepCall(ctx, c, in, r.Step, nil); err != nil {
				var rej *Rejection
				if errors.As(err, &rej) {
					return rejectf("signer_txs row %d (%s, tx %s) does not match the intent: %s", r.ID, r.Step, r.Hash.Hex(), rej.Reason)
				}
				return err
			}
			want[r.Step] = k
		}
		if why := matchRow(c, r, k); why != "" {
			return rejectf("signer_txs row %d (%s, %s nonce %d, tx %s) does not match the intent: %s",
				r.ID, r.Step, r.Sender.Hex(), r.Nonce, r.Hash.Hex(), why)
		}
	}
	return nil
}

// matchRow says what is wrong with a stored attempt of step k, or "".
func matchRow(c *Chain, r txRow, k *call) string {
	var t types.Transaction
	if err := t.UnmarshalBinary(r.Raw); err != nil {
		return "its raw bytes are not a transaction"
	}
	if t.Hash() != r.Hash {
		return fmt.Sprintf("its raw bytes are transaction %s", t.Hash().Hex())
	}
	from, err := types.Sender(types.LatestSignerForChainID(new(big.Int).SetUint64(c.ID)), &t)
	if err != nil || from != r.Sender {
		return "its transaction is not signed by its sender for this chain"
	}
	if t.Nonce() != r.Nonce || t.To() == nil || *t.To() != r.To || t.Value().Cmp(r.Value) != 0 || !bytes.Equal(t.Data(), r.Data) ||
		t.Gas() != r.Gas || t.GasTipCap().Cmp(r.Tip) != 0 || t.GasFeeCap().Cmp(r.Cap) != 0 {
		return "its transaction carries another nonce, payload or fees than the row"
	}
	switch {
	case r.Sender != k.sender():
		return fmt.Sprintf("sent by %s; the intent's %s step is sent by %s", r.Sender.Hex(), k.step, k.sender().Hex())
	case r.To != k.to:
		return fmt.Sprintf("to %s; the intent's %s step goes to %s", r.To.Hex(), k.step, k.to.Hex())
	case k.maxValue != nil && r.Value.Cmp(k.maxValue) > 0:
		return fmt.Sprintf("value %s; a %s step sends at most %s", r.Value, k.step, k.maxValue)
	case k.maxValue == nil && r.Value.Cmp(k.value) != 0:
		return fmt.Sprintf("value %s; the intent's %s step sends %s", r.Value, k.step, k.value)
	case !bytes.Equal(r.Data, k.data):
		return fmt.Sprintf("its call data is not the intent's %s call", k.step)
	}
	return ""
}

// feesFor are the fees of a step's first attempt: fees, as a test hook may adjust them.
func (s *Signer) feesFor(ctx context.Context, c *Chain, step string) (tip, feeCap *big.Int, err error) {
	tip, feeCap, err = s.fees(ctx, c)
	if err == nil && s.feeOverride != nil {
		tip, feeCap = s.feeOverride(step, 1, tip, feeCap)
	}
	return tip, feeCap, err
}

// fees are the EIP-1559 fees of a first attempt: the node's suggested tip, and a fee cap of twice
// the base fee plus the tip, never above the chain's cap.
func (s *Signer) fees(ctx context.Context, c *Chain) (tip, feeCap *big.Int, err error) {
	tip, err = c.Client.SuggestGasTipCap(ctx)
	if err != nil {
		return nil, nil, err
	}
	head, err := c.Client.HeaderByNumber(ctx, nil)
	if err != nil {
		return nil, nil, err
	}
	base := head.BaseFee
	if base == nil {
		base = new(big.Int)
	}
	feeCap = new(big.Int).Add(new(big.Int).Mul(base, big.NewInt(2)), tip)
	if feeCap.Cmp(c.MaxFeeCap) > 0 {
		feeCap = new(big.Int).Set(c.MaxFeeCap)
	}
	if tip.Cmp(feeCap) > 0 {
		tip = new(big.Int).Set(feeCap)
	}
	return tip, feeCap, nil
}

// signNew estimates, reserves the sender's next nonce, signs and stores the first attempt of a
// step in one database transaction, then broadcasts it.
func (s *Signer) signNew(ctx context.Context, c *Chain, in *intent.Intent, k *call) error {
	started := time.Now()
	from := crypto.PubkeyToAddress(k.key.PublicKey)
	gas, err := c.Client.EstimateGas(ctx, ethereum.CallMsg{From: from, To: &k.to, Data: k.data, Value: k.value})
	if err != nil {
		if isRevert(err) {
			return s.reject(ctx, in, fmt.Sprintf("%s would fail on chain: %v", k.step, err))
		}
		return fmt.Errorf("estimating gas for %s: %w", k.step, err)
	}
	gas = gas * 5 / 4
	tip, feeCap, err := s.feesFor(ctx, c, k.step)
	if err != nil {
		return err
	}
	if err := s.affordable(ctx, c, from, gas, feeCap, k.value); err != nil {
		return err
	}
	if s.beforeSign != nil {
		if err := s.beforeSign(k.step); err != nil {
			return err
		}
	}
	row := txRow{Step: k.step, Sender: from, Attempt: 1, To: k.to, Value: k.value, Data: k.data, Gas: gas, Tip: tip, Cap: feeCap}
	err = s.fenced(ctx, func(tx pgx.Tx) error {
		if err := s.storeFirstAttempt(ctx, tx, c, in, &row, k.key); err != nil {
			return err
		}
		if err := intent.MarkSigning(ctx, tx, in.ID); err != nil {
			return err
		}
		return s.appendAudit(ctx, tx, AuditSigned, uuidPtr(in.ID), fmt.Sprintf("%s: %s nonce %d tx %s to %s gas %d fee cap %s tip %s",
			k.step, from.Hex(), row.Nonce, row.Hash.Hex(), k.to.Hex(), gas, feeCap, tip))
	})
	if err != nil {
		return err
	}
	in.State = intent.Signing
	if in.SignedAt == nil {
		now := time.Now()
		in.SignedAt = &now
	}
	s.m.signed(c.Key, k.step)
	if s.afterSign != nil {
		if err := s.afterSign(k.step); err != nil {
			return err
		}
	}
	if err := s.broadcast(ctx, c, in, row); err != nil {
		return err
	}
	s.m.signing(time.Since(started))
	return nil
}

// affordable returns errWaiting, and the step is not signed, when a deposit address (any sender
// but the gas tank) cannot pay gas × feeCap + value: the node would refuse the transaction, and a
// signed attempt it refuses holds the deposit's nonce with nothing to pay for it (only the sweep
// tops a deposit up). The fees rose since the sweep checked (nextSweepStep): its next look tops
// the deposit up again. The gas tank is funded by operators: its attempts are signed and wait.
func (s *Signer) affordable(ctx context.Context, c *Chain, from common.Address, gas uint64, feeCap, value *big.Int) error {
	if from == s.cfg.Keys.OperatorAddress() {
		return nil
	}
	bal, err := c.Client.BalanceAt(ctx, from, nil)
	if err != nil {
		return err
	}
	cost := new(big.Int).Mul(new(big.Int).SetUint64(gas), feeCap)
	if cost.Add(cost, value).Cmp(bal) > 0 {
		s.log.Warn("deposit cannot pay for its step at today's fees: not signed", "deposit", from.Hex(), "needs", cost.String(), "holds", bal.String())
		return errWaiting
	}
	return nil
}

// reserveNonce locks the sender's nonce row (creating it from the chain's count the first time).
func (s *Signer) reserveNonce(ctx context.Context, tx pgx.Tx, c *Chain, from common.Address) (uint64, error) {
	var n int64
	err := tx.QueryRow(ctx, `SELECT next_nonce FROM signer_nonces WHERE chain_id = $1 AND sender = $2 FOR UPDATE`, c.ID, hexAddr(from)).Scan(&n)
	if errors.Is(err, pgx.ErrNoRows) {
		// First use of this sender: the chain knows how many transactions it made (none, for a
		// fresh deposit address). From now on the database is the authority.
		onChain, err := c.Client.NonceAt(ctx, from, nil)
		if err != nil {
			return 0, err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO signer_nonces (chain_id, sender, next_nonce) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
			c.ID, hexAddr(from), int64(onChain)); err != nil {
			return 0, err
		}
		err = tx.QueryRow(ctx, `SELECT next_nonce FROM signer_nonces WHERE chain_id = $1 AND sender = $2 FOR UPDATE`, c.ID, hexAddr(from)).Scan(&n)
		if err != nil {
			return 0, err
		}
	} else if err != nil {
		return 0, err
	}
	return uint64(n), nil
}

// storeFirstAttempt takes the sender's next nonce for row, signs and stores it as the nonce's first
// attempt, and moves the sender's next nonce past it, in the caller's fenced transaction.
func (s *Signer) storeFirstAttempt(ctx context.Context, tx pgx.Tx, c *Chain, in *intent.Intent, row *txRow, key *ecdsa.PrivateKey) error {
	nonce, err := s.reserveNonce(ctx, tx, c, row.Sender)
	if err != nil {
		return err
	}
	row.Nonce = nonce
	if err := s.storeAttempt(ctx, tx, c, in, row, key); err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `UPDATE signer_nonces SET next_nonce = $3 WHERE chain_id = $1 AND sender = $2`,
		c.ID, hexAddr(row.Sender), nonce+1)
	return err
}

// signAttempt signs row's transaction on chainID: EIP-1559, or a set-code transaction (EIP-7702)
// when the row carries authorizations (a sweep batch; a set-code transaction must carry one).
func signAttempt(key *ecdsa.PrivateKey, chainID uint64, row txRow) (*types.Transaction, error) {
	to := row.To
	var data types.TxData = &types.DynamicFeeTx{
		ChainID: new(big.Int).SetUint64(chainID), Nonce: row.Nonce, GasTipCap: row.Tip, GasFeeCap: row.Cap, Gas: row.Gas,
		To: &to, Value: row.Value, Data: row.Data,
	}
	if len(row.Auths) > 0 {
		data = &types.SetCodeTx{ChainID: uint256.NewInt(chainID), Nonce: row.Nonce, GasTipCap: uint256.MustFromBig(row.Tip),
			GasFeeCap: uint256.MustFromBig(row.Cap), Gas: row.Gas, To: to, Value: uint256.MustFromBig(row.Value), Data: row.Data,
			AuthList: row.Auths}
	}
	return types.SignNewTx(key, types.LatestSignerForChainID(new(big.Int).SetUint64(chainID)), data)
}

// storeAttempt signs row's transaction and inserts it as signed.
func (s *Signer) storeAttempt(ctx context.Context, tx pgx.Tx, c *Chain, in *intent.Intent, row *txRow, key *ecdsa.PrivateKey) error {
	if row.Data == nil {
		row.Data = []byte{}
	}
	signed, err := signAttempt(key, c.ID, *row)
	if err != nil {
		return errors.New("signing failed")
	}
	// A batch's replacement keeps its carrier: every attempt of a nonce names the same intent.
	if row.IntentID == (uuid.UUID{}) {
		row.IntentID = in.ID
	}
	raw, err := signed.MarshalBinary()
	if err != nil {
		return err
	}
	row.Hash, row.Raw, row.State = signed.Hash(), raw, "signed"
	return tx.QueryRow(ctx, `INSERT INTO signer_txs (intent_id, step, chain_id, sender, nonce, attempt, to_address, value, data, gas,
		tip_cap, fee_cap, hash, raw, state) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 'signed')
		RETURNING id, created_at`,
		row.IntentID, row.Step, c.ID, hexAddr(row.Sender), int64(row.Nonce), row.Attempt, hexAddr(row.To), db.Numeric(row.Value), row.Data,
		int64(row.Gas), db.Numeric(row.Tip), db.Numeric(row.Cap), strings.ToLower(row.Hash.Hex()), raw).Scan(&row.ID, &row.Created)
}

// broadcast sends a stored attempt. If the node may or may not have it, the hash is looked up
// first: the same signed bytes are re-sent only when the node does not know them, which can
// never make a second transaction (same nonce, same hash).
func (s *Signer) broadcast(ctx context.Context, c *Chain, in *intent.Intent, row txRow) error {
	_, _, err := c.Client.TransactionByHash(ctx, row.Hash)
	known := err == nil
	if !known && !errors.Is(err, ethereum.NotFound) {
		return fmt.Errorf("looking up %s: %w", row.Hash.Hex(), err)
	}
	how := "sent"
	if known {
		how = "found on the node"
	} else {
		var t types.Transaction
		if err := t.UnmarshalBinary(row.Raw); err != nil {
			return err
		}
		err := c.Client.SendTransaction(ctx, &t)
		switch {
		case err == nil:
		case strings.Contains(err.Error(), "already known"):
			how = "already known to the node"
		case strings.Contains(strings.ToLower(err.Error()), "nonce too low"):
			// Another attempt of this nonce was mined; resolve finds which.
			how = "nonce already used (another attempt mined)"
		default:
			return fmt.Errorf("broadcasting %s %s: %w", row.Step, row.Hash.Hex(), err)
		}
	}
	err = s.fenced(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE signer_txs SET state = 'broadcast', updated_at = now() WHERE id = $1 AND state = 'signed'`, row.ID); err != nil {
			return err
		}
		if row.Attempt > 1 {
			if _, err := tx.Exec(ctx, `UPDATE signer_txs SET state = 'replaced', updated_at = now()
				WHERE chain_id = $1 AND sender = $2 AND nonce = $3 AND attempt < $4 AND state IN ('signed', 'broadcast')`,
				c.ID, hexAddr(row.Sender), int64(row.Nonce), row.Attempt); err != nil {
				return err
			}
		}
		if err := intent.MarkBroadcast(ctx, tx, in.ID); err != nil {
			return err
		}
		if row.Step == StepSweepBatch {
			if err := s.markBatchBroadcast(ctx, tx, c, row); err != nil {
				return err
			}
		}
		return s.appendAudit(ctx, tx, AuditBroadcast, uuidPtr(in.ID), fmt.Sprintf("%s attempt %d tx %s: %s", row.Step, row.Attempt, row.Hash.Hex(), how))
	})
	if err != nil {
		return err
	}
	in.State = intent.Broadcast
	if s.afterBroadcast != nil {
		return s.afterBroadcast(row.Step)
	}
	return nil
}

// resolve looks at the attempts of one nonce: broadcasts what was signed but maybe not sent,
// finds the one that was mined, waits for its finality, or replaces a stuck one. It reports
// whether the step is now confirmed (so the next may start).
func (s *Signer) resolve(ctx context.Context, c *Chain, in *intent.Intent, group []txRow) (bool, error) {
	for _, t := range group {
		if t.State == "signed" {
			if err := s.broadcast(ctx, c, in, t); err != nil {
				if !isUnderpriced(err) {
					return false, err
				}
				// The node refuses it as priced too low: it is stuck like an unmined one, and is
				// replaced below once StuckAfter has passed.
				s.log.Warn("transaction refused as underpriced", "intent_id", in.ID.String(), "tx", t.Hash.Hex(), "err", err)
			}
		}
	}
	var mined *txRow
	var rcpt *types.Receipt
	for i := range group {
		r, err := c.Client.TransactionReceipt(ctx, group[i].Hash)
		if errors.Is(err, ethereum.NotFound) {
			continue
		}
		if err != nil {
			return false, err
		}
		mined, rcpt = &group[i], r
		break
	}
	if mined == nil {
		last := group[len(group)-1]
		if time.Since(last.Created) < c.StuckAfter {
			return false, nil
		}
		return false, s.replace(ctx, c, in, group)
	}
	fin, err := c.Client.HeaderByNumber(ctx, big.NewInt(int64(rpc.FinalizedBlockNumber)))
	if err != nil {
		return false, err
	}
	if fin.Number.Cmp(rcpt.BlockNumber) < 0 {
		return false, nil // mined, not final yet
	}
	canon, err := c.Client.HeaderByNumber(ctx, rcpt.BlockNumber)
	if err != nil {
		return false, err
	}
	if canon.Hash() != rcpt.BlockHash {
		return false, nil // reorged away; the next look finds it again or not
	}
	cost := new(big.Int).Mul(new(big.Int).SetUint64(rcpt.GasUsed), rcpt.EffectiveGasPrice)
	failed := rcpt.Status != types.ReceiptStatusSuccessful
	state := "confirmed"
	if failed {
		state = "failed"
	}
	// The attempt's row moves once: a later look at the same receipt (a reverted step whose
	// rejection failed and is retried) neither counts its gas again nor logs it again.
	recorded := false
	err = s.fenced(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE signer_txs SET state = $2, block_number = $3, gas_used = $4, effective_gas_price = $5, updated_at = now()
			WHERE id = $1 AND state NOT IN ('confirmed', 'failed')`, mined.ID, state, rcpt.BlockNumber.Int64(), int64(rcpt.GasUsed), db.Numeric(rcpt.EffectiveGasPrice))
		if err != nil {
			return err
		}
		if recorded = tag.RowsAffected() == 1; !recorded {
			return nil
		}
		if _, err := tx.Exec(ctx, `UPDATE signer_txs SET state = 'replaced', updated_at = now()
			WHERE chain_id = $1 AND sender = $2 AND nonce = $3 AND id <> $4`, c.ID, hexAddr(mined.Sender), int64(mined.Nonce), mined.ID); err != nil {
			return err
		}
		if mined.Step == StepSweepBatch {
			// The batch's gas is the members' in shares (intent.BatchGasShare), as the books take it.
			if err := s.addBatchGas(ctx, tx, c, *mined, rcpt.GasUsed, cost); err != nil {
				return err
			}
		} else if err := intent.AddGas(ctx, tx, in.ID, rcpt.GasUsed, cost); err != nil {
			return err
		}
		return s.appendAudit(ctx, tx, AuditConfirmed, uuidPtr(in.ID), fmt.Sprintf("%s tx %s %s in block %d (final), gas %d, cost %s wei",
			mined.Step, mined.Hash.Hex(), state, rcpt.BlockNumber, rcpt.GasUsed, cost))
	})
	if err != nil {
		return false, err
	}
	if recorded {
		if mined.Step != StepSweepBatch { // a member's share is on its row (addBatchGas)
			in.GasUsed += rcpt.GasUsed
			in.GasCost = new(big.Int).Add(in.GasCost, cost)
		}
		s.m.gas(c.Key, mined.Step, rcpt.GasUsed, cost)
	}
	if failed {
		return false, s.reject(ctx, in, fmt.Sprintf("%s transaction %s reverted on chain", mined.Step, mined.Hash.Hex()))
	}
	return true, nil
}

// replace re-signs a stuck attempt at the same nonce with the same payload and fees at least
// 10% higher (what nodes require to replace), up to the chain's fee cap.
func (s *Signer) replace(ctx context.Context, c *Chain, in *intent.Intent, group []txRow) error {
	last := group[len(group)-1]
	tip, feeCap, ok := s.replacementFees(ctx, c, in, last)
	if !ok {
		return nil
	}
	if last.Step == StepSweepBatch {
		return s.replaceBatch(ctx, c, in, last, tip, feeCap)
	}
	// A deposit that cannot pay for the replacement keeps its attempt out there until the fees
	// fall (its nonce is taken: no top-up can go before it in this intent's steps).
	if err := s.affordable(ctx, c, last.Sender, last.Gas, feeCap, last.Value); err != nil {
		if errors.Is(err, errWaiting) {
			return nil
		}
		return err
	}
	// A replacement is a new signature: the intent is verified again and the transaction rebuilt
	// from it. From the stored attempts come only the nonce and, for a sweep's gas top-up, the
	// value its first attempt sent (checkRows held both to what this signer signed).
	sigs, err := s.verify(ctx, in)
	if err != nil {
		var r *Rejection
		if !errors.As(err, &r) {
			return err
		}
		// The check may fail because an attempt was mined meanwhile (the escrow now exists or
		// is closed): then there is nothing to replace.
		if mined, merr := s.anyMined(ctx, c, group); merr != nil || mined {
			return merr
		}
		return s.reject(ctx, in, fmt.Sprintf("not replacing the stuck %s transaction %s: %s", last.Step, last.Hash.Hex(), r.Reason))
	}
	k, err := s.stepCall(ctx, c, in, last.Step, sigs)
	if err != nil {
		var r *Rejection
		if errors.As(err, &r) {
			return s.reject(ctx, in, fmt.Sprintf("not replacing the stuck %s transaction %s: %s", last.Step, last.Hash.Hex(), r.Reason))
		}
		return err
	}
	value := k.value
	if k.maxValue != nil {
		value = last.Value
	}
	row := txRow{Step: last.Step, Sender: k.sender(), Nonce: last.Nonce, Attempt: last.Attempt + 1, To: k.to, Value: value,
		Data: k.data, Gas: last.Gas, Tip: tip, Cap: feeCap}
	err = s.fenced(ctx, func(tx pgx.Tx) error {
		if err := s.storeAttempt(ctx, tx, c, in, &row, k.key); err != nil {
			return err
		}
		return s.appendAudit(ctx, tx, AuditReplaced, uuidPtr(in.ID), fmt.Sprintf("%s nonce %d: tx %s replaces %s, fee cap %s → %s, tip %s → %s",
			row.Step, row.Nonce, row.Hash.Hex(), last.Hash.Hex(), last.Cap, feeCap, last.Tip, tip))
	})
	if err != nil {
		return err
	}
	s.m.replaced(c.Key)
	return s.broadcast(ctx, c, in, row)
}

// replacementFees are the fees of the attempt after last: at least 10% higher (both tip and cap;
// what nodes require to replace) or the node's suggestion if higher, up to the chain's fee cap.
// ok is false when the cap leaves no room for a replacement.
func (s *Signer) replacementFees(ctx context.Context, c *Chain, in *intent.Intent, last txRow) (tip, feeCap *big.Int, ok bool) {
	bump := func(x *big.Int) *big.Int { // ceil(x * 1.1) + 1
		y := new(big.Int).Mul(x, big.NewInt(110))
		y.Add(y, big.NewInt(99))
		y.Div(y, big.NewInt(100))
		return y.Add(y, big.NewInt(1))
	}
	tip, feeCap = bump(last.Tip), bump(last.Cap)
	if sugTip, sugCap, err := s.fees(ctx, c); err == nil {
		if sugTip.Cmp(tip) > 0 {
			tip = sugTip
		}
		if sugCap.Cmp(feeCap) > 0 {
			feeCap = sugCap
		}
	}
	if feeCap.Cmp(c.MaxFeeCap) > 0 {
		feeCap = new(big.Int).Set(c.MaxFeeCap)
	}
	if tip.Cmp(feeCap) > 0 {
		tip = new(big.Int).Set(feeCap)
	}
	if s.feeOverride != nil {
		tip, feeCap = s.feeOverride(last.Step, last.Attempt+1, tip, feeCap)
	}
	minCap, minTip := bump(last.Cap), bump(last.Tip)
	if feeCap.Cmp(minCap) < 0 || tip.Cmp(minTip) < 0 {
		s.log.Warn("stuck transaction at the fee cap: not replaced", "intent_id", in.ID.String(), "tx", last.Hash.Hex(), "fee_cap", c.MaxFeeCap.String())
		return nil, nil, false
	}
	return tip, feeCap, true
}

// anyMined reports whether an attempt of the group has a receipt.
func (s *Signer) anyMined(ctx context.Context, c *Chain, group []txRow) (bool, error) {
	for _, t := range group {
		_, err := c.Client.TransactionReceipt(ctx, t.Hash)
		if err == nil {
			return true, nil
		}
		if !errors.Is(err, ethereum.NotFound) {
			return false, err
		}
	}
	return false, nil
}

func isUnderpriced(err error) bool {
	m := strings.ToLower(err.Error())
	for _, k := range []string{"underpriced", "base fee", "fee too low", "gas price too low", "max fee per gas less than"} {
		if strings.Contains(m, k) {
			return true
		}
	}
	return false
}

func isRevert(err error) bool {
	m := strings.ToLower(err.Error())
	return strings.Contains(m, "revert")
}

func hexAddr(a common.Address) string { return strings.ToLower(a.Hex()) }

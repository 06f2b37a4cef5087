package signer

import (
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
	"github.com/jackc/pgx/v5"

	"github.com/amanat/amn/bindings"
	"github.com/amanat/amn/chain"
	"github.com/amanat/amn/db"
	"github.com/amanat/amn/escrow"
	"github.com/amanat/amn/payment"
	"github.com/amanat/amn/signer/intent"
)

// Steps: the transactions an intent makes, in order.
const (
	StepGasTopup = "gas_topup" // gas tank → deposit address (sweep), or to a gas_topup intent's recipient
	StepApprove  = "approve"   // deposit: token.approve(escrow, amount) (sweep)
	StepFund     = "fund"      // deposit: escrow.fund(...) (sweep)
	StepRelease  = "release"   // operator: escrow.release(...)
	StepRefund   = "refund"    // operator: escrow.refund(...)
)

// fundGasBudget is what a sweep's top-up provides for AmnEscrow.fund (measured ~170k).
const fundGasBudget = 250_000

// txRow is one attempt (signer_txs).
type txRow struct {
	ID       int64
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
}

func (s *Signer) loadTxs(ctx context.Context, id any) ([]txRow, error) {
	rows, err := s.cfg.Pool.Query(ctx, `SELECT id, step, sender, nonce, attempt, to_address, value, data, gas, tip_cap, fee_cap,
		hash, raw, state, created_at FROM signer_txs WHERE intent_id = $1 ORDER BY id`, id)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (txRow, error) {
		var t txRow
		var sender, to, hash string
		var value, tip, fc db.Amount
		var nonce, gas int64
		err := r.Scan(&t.ID, &t.Step, &sender, &nonce, &t.Attempt, &to, &value, &t.Data, &gas, &tip, &fc, &hash, &t.Raw, &t.State, &t.Created)
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
}

// drive signs, broadcasts, replaces and confirms the intent's transactions, one step at a time.
func (s *Signer) drive(ctx context.Context, in *intent.Intent) error {
	c := s.chains[in.ChainID]
	if c == nil {
		return fmt.Errorf("chain %d not configured", in.ChainID)
	}
	for range 8 { // at most a few steps per tick
		txs, err := s.loadTxs(ctx, in.ID)
		if err != nil {
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
			next, err := s.nextStep(ctx, c, in, done)
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
				return err
			}
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

// nextStep decides the next transaction of the intent, or nil when it has made them all.
func (s *Signer) nextStep(ctx context.Context, c *Chain, in *intent.Intent, done map[string]bool) (*call, error) {
	switch in.Kind {
	case intent.Sweep:
		p, err := s.payments.Get(ctx, in.PaymentID)
		if err != nil {
			return nil, err
		}
		key, err := s.cfg.Keys.Ring.PrivateKey(p.DepositIndex)
		if err != nil {
			return nil, rejectf("deriving the deposit key %d failed", p.DepositIndex)
		}
		if crypto.PubkeyToAddress(key.PublicKey) != p.Deposit {
			return nil, rejectf("deposit index %d does not derive %s", p.DepositIndex, p.Deposit.Hex())
		}
		erc20, _ := bindings.ERC20MetaData.GetAbi()
		esc, _ := bindings.AmnEscrowMetaData.GetAbi()
		if in.Token == chain.NativeToken {
			return s.nextNativeSweepStep(ctx, c, in, p, key, done)
		}
		switch {
		case !done[StepApprove]:
			data, err := erc20.Pack("approve", c.Escrow, in.Amount)
			if err != nil {
				return nil, err
			}
			approve := &call{step: StepApprove, key: key, to: in.Token, value: new(big.Int), data: data}
			if done[StepGasTopup] {
				return approve, nil
			}
			need, err := s.gasNeeded(ctx, c, p.Deposit, approve)
			if err != nil {
				return nil, err
			}
			bal, err := c.Client.BalanceAt(ctx, p.Deposit, nil)
			if err != nil {
				return nil, err
			}
			if bal.Cmp(need) >= 0 {
				return approve, nil
			}
			return &call{step: StepGasTopup, key: s.cfg.Keys.Operator, to: p.Deposit, value: new(big.Int).Sub(need, bal)}, nil
		case !done[StepFund]:
			data, err := esc.Pack("fund", payment.EscrowID(p.ID), in.Token, in.Amount, in.Buyer, in.Seller)
			if err != nil {
				return nil, err
			}
			return &call{step: StepFund, key: key, to: c.Escrow, value: new(big.Int), data: data}, nil
		}
		return nil, nil
	case intent.GasTopup:
		if done[StepGasTopup] {
			return nil, nil
		}
		return &call{step: StepGasTopup, key: s.cfg.Keys.Operator, to: in.Recipient, value: new(big.Int).Set(in.Amount)}, nil
	case intent.Release, intent.Refund:
		step := StepRelease
		if in.Kind == intent.Refund {
			step = StepRefund
		}
		if done[step] {
			return nil, nil
		}
		// Re-check everything just before signing: a dispute may have been opened, the deadline
		// moves on, custodians may have changed. The approvals it checked are the signatures.
		sigs, err := s.verify(ctx, in)
		if err != nil {
			return nil, err
		}
		m, err := in.Message()
		if err != nil {
			return nil, err
		}
		esc, _ := bindings.AmnEscrowMetaData.GetAbi()
		var data []byte
		switch m := m.(type) {
		case escrow.Release:
			data, err = esc.Pack("release", m.PaymentID, m.Binding(), sigs)
		case escrow.Refund:
			data, err = esc.Pack("refund", m.PaymentID, m.Binding(), sigs)
		}
		if err != nil {
			return nil, err
		}
		return &call{step: step, key: s.cfg.Keys.Operator, to: c.Escrow, value: new(big.Int), data: data}, nil
	}
	return nil, rejectf("unknown intent kind %q", in.Kind)
}

// nextNativeSweepStep: a sweep of the chain's own currency is fundNative(paymentId, buyer,
// seller) with value = amount from the deposit, after a top-up only if the deposit lacks the
// amount plus the gas (estimate × 1.5 at today's fee cap).
func (s *Signer) nextNativeSweepStep(ctx context.Context, c *Chain, in *intent.Intent, p *payment.Payment, key *ecdsa.PrivateKey, done map[string]bool) (*call, error) {
	if done[StepFund] {
		return nil, nil
	}
	esc, _ := bindings.AmnEscrowMetaData.GetAbi()
	data, err := esc.Pack("fundNative", payment.EscrowID(p.ID), in.Buyer, in.Seller)
	if err != nil {
		return nil, err
	}
	fund := &call{step: StepFund, key: key, to: c.Escrow, value: new(big.Int).Set(in.Amount), data: data}
	if done[StepGasTopup] {
		return fund, nil
	}
	gas, err := c.Client.EstimateGas(ctx, ethereum.CallMsg{From: p.Deposit, To: &fund.to, Data: fund.data, Value: fund.value})
	if err != nil {
		if isRevert(err) {
			return nil, rejectf("fundNative would fail on chain: %v", err)
		}
		return nil, fmt.Errorf("estimating gas for fundNative: %w", err)
	}
	_, feeCap, err := s.fees(ctx, c)
	if err != nil {
		return nil, err
	}
	need := new(big.Int).Mul(new(big.Int).SetUint64(gas*3/2), feeCap)
	need.Add(need, in.Amount)
	bal, err := c.Client.BalanceAt(ctx, p.Deposit, nil)
	if err != nil {
		return nil, err
	}
	if bal.Cmp(need) >= 0 {
		return fund, nil
	}
	return &call{step: StepGasTopup, key: s.cfg.Keys.Operator, to: p.Deposit, value: new(big.Int).Sub(need, bal)}, nil
}

// gasNeeded is what the deposit must hold to pay for approve and fund at today's fees.
func (s *Signer) gasNeeded(ctx context.Context, c *Chain, from common.Address, approve *call) (*big.Int, error) {
	gas, err := c.Client.EstimateGas(ctx, ethereum.CallMsg{From: from, To: &approve.to, Data: approve.data})
	if err != nil {
		return nil, rejectf("estimating gas for approve: %v", err)
	}
	_, feeCap, err := s.fees(ctx, c)
	if err != nil {
		return nil, err
	}
	total := new(big.Int).SetUint64(gas*5/4 + fundGasBudget)
	return total.Mul(total, feeCap), nil
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
	tip, feeCap, err := s.fees(ctx, c)
	if err != nil {
		return err
	}
	if s.feeOverride != nil {
		tip, feeCap = s.feeOverride(k.step, 1, tip, feeCap)
	}
	row := txRow{Step: k.step, Sender: from, Attempt: 1, To: k.to, Value: k.value, Data: k.data, Gas: gas, Tip: tip, Cap: feeCap}
	err = db.InTx(ctx, s.cfg.Pool, func(tx pgx.Tx) error {
		nonce, err := s.reserveNonce(ctx, tx, c, from)
		if err != nil {
			return err
		}
		row.Nonce = nonce
		if err := s.storeAttempt(ctx, tx, c, in, &row, k.key); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE signer_nonces SET next_nonce = $3 WHERE chain_id = $1 AND sender = $2`,
			c.ID, hexAddr(from), nonce+1); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE signer_intents SET state = 'signing', signed_at = coalesce(signed_at, now()), updated_at = now()
			WHERE id = $1`, in.ID); err != nil {
			return err
		}
		return s.appendAudit(ctx, tx, AuditSigned, uuidPtr(in.ID), fmt.Sprintf("%s: %s nonce %d tx %s to %s gas %d fee cap %s tip %s",
			k.step, from.Hex(), nonce, row.Hash.Hex(), k.to.Hex(), gas, feeCap, tip))
	})
	if err != nil {
		return err
	}
	in.State = intent.Signing
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

// storeAttempt signs row's transaction and inserts it as signed.
func (s *Signer) storeAttempt(ctx context.Context, tx pgx.Tx, c *Chain, in *intent.Intent, row *txRow, key *ecdsa.PrivateKey) error {
	to := row.To
	if row.Data == nil {
		row.Data = []byte{}
	}
	signed, err := types.SignNewTx(key, types.LatestSignerForChainID(new(big.Int).SetUint64(c.ID)), &types.DynamicFeeTx{
		ChainID: new(big.Int).SetUint64(c.ID), Nonce: row.Nonce, GasTipCap: row.Tip, GasFeeCap: row.Cap, Gas: row.Gas,
		To: &to, Value: row.Value, Data: row.Data,
	})
	if err != nil {
		return errors.New("signing failed")
	}
	raw, err := signed.MarshalBinary()
	if err != nil {
		return err
	}
	row.Hash, row.Raw, row.State = signed.Hash(), raw, "signed"
	return tx.QueryRow(ctx, `INSERT INTO signer_txs (intent_id, step, chain_id, sender, nonce, attempt, to_address, value, data, gas,
		tip_cap, fee_cap, hash, raw, state) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 'signed')
		RETURNING id, created_at`,
		in.ID, row.Step, c.ID, hexAddr(row.Sender), int64(row.Nonce), row.Attempt, hexAddr(row.To), db.Numeric(row.Value), row.Data,
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
	err = db.InTx(ctx, s.cfg.Pool, func(tx pgx.Tx) error {
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
		if _, err := tx.Exec(ctx, `UPDATE signer_intents SET state = 'broadcast', updated_at = now() WHERE id = $1 AND state IN ('signing', 'approved')`, in.ID); err != nil {
			return err
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
		return false, s.replace(ctx, c, in, last)
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
	err = db.InTx(ctx, s.cfg.Pool, func(tx pgx.Tx) error {
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
		if _, err := tx.Exec(ctx, `UPDATE signer_intents SET gas_used = gas_used + $2, gas_cost = gas_cost + $3, updated_at = now() WHERE id = $1`,
			in.ID, int64(rcpt.GasUsed), db.Numeric(cost)); err != nil {
			return err
		}
		return s.appendAudit(ctx, tx, AuditConfirmed, uuidPtr(in.ID), fmt.Sprintf("%s tx %s %s in block %d (final), gas %d, cost %s wei",
			mined.Step, mined.Hash.Hex(), state, rcpt.BlockNumber, rcpt.GasUsed, cost))
	})
	if err != nil {
		return false, err
	}
	if recorded {
		in.GasUsed += rcpt.GasUsed
		in.GasCost = new(big.Int).Add(in.GasCost, cost)
		s.m.gas(c.Key, mined.Step, rcpt.GasUsed, cost)
	}
	if failed {
		return false, s.reject(ctx, in, fmt.Sprintf("%s transaction %s reverted on chain", mined.Step, mined.Hash.Hex()))
	}
	return true, nil
}

// replace re-signs a stuck attempt at the same nonce with the same payload and fees at least
// 10% higher (what nodes require to replace), up to the chain's fee cap.
func (s *Signer) replace(ctx context.Context, c *Chain, in *intent.Intent, last txRow) error {
	bump := func(x *big.Int) *big.Int { // ceil(x * 1.1) + 1
		y := new(big.Int).Mul(x, big.NewInt(110))
		y.Add(y, big.NewInt(99))
		y.Div(y, big.NewInt(100))
		return y.Add(y, big.NewInt(1))
	}
	tip, feeCap := bump(last.Tip), bump(last.Cap)
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
		return nil
	}
	key := s.cfg.Keys.Operator
	if last.Sender != s.cfg.Keys.OperatorAddress() {
		p, err := s.payments.Get(ctx, in.PaymentID)
		if err != nil {
			return err
		}
		if key, err = s.cfg.Keys.Ring.PrivateKey(p.DepositIndex); err != nil {
			return errors.New("deriving the deposit key failed")
		}
		if crypto.PubkeyToAddress(key.PublicKey) != last.Sender {
			return fmt.Errorf("attempt sender %s is neither the operator nor the payment's deposit", last.Sender.Hex())
		}
	}
	row := last
	row.Attempt, row.Tip, row.Cap = last.Attempt+1, tip, feeCap
	err := db.InTx(ctx, s.cfg.Pool, func(tx pgx.Tx) error {
		if err := s.storeAttempt(ctx, tx, c, in, &row, key); err != nil {
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

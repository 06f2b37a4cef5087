package signer

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/amanat/amn/bindings"
	"github.com/amanat/amn/intent"
	"github.com/amanat/amn/payment"
)

// The sweep path of a chain with a Sweeper (EIP-7702; docs/signer.md, "Sweeps batched with
// EIP-7702"). A sweep intent is verified as on every path; once verified and in no batch yet it
// waits in the tick's queue, and after the tick's pass signBatches signs the queued sweeps of each
// chain as ONE transaction of the gas tank: AmnSweeper.sweepBatch with an entry per sweep
// (deposit, token, amount, ref, buyer, seller), carrying the authorizations of the deposits not
// delegated yet (buildSweepBatch). The amount is what the books say the payment received (the
// intent's, which verify holds to the payment and the ledger), never the deposit's balance: dust
// sent to a deposit before the batch stays there.
//
// Records. signer_txs keeps one row per attempt of the batch, stored under a carrier (the first
// member); signer_batch_members (migration 00073) names every member of the batch at (chain,
// tank, nonce), written with the first attempt in one fenced transaction. Each member's drive
// loads the batch's attempts through it (loadTxs), holds each against its own entry in the
// calldata (checkBatchRows), and moves it as any other step moves (resolve: broadcast, wait for
// finality, replace when stuck — with the same payload and authorizations, whose nonces do not
// move until it is mined). Once the batch is final, each member looks at the chain for itself
// (finishBatched): its escrow funded with its parties and amount → done; its entry skipped
// (SweepFailed) → rejected with the reason, and `amn admin sweep` asks again.

// defaultBatchSize bounds a batch's deposits when the chain says nothing (Chain.BatchSize). At
// the measured ~75–91,000 gas per deposit, 50 make a transaction of under 5 million gas.
const defaultBatchSize = 50

// batchGasHeadroom is added once to a batch's gas limit (sweepBatchGas), so that any one entry can
// use the most AmnSweeper gives an entry (ENTRY_GAS, sweeperEntryGas here) rather than its share:
// a token's first funding in the escrow writes its registry entry and the escrow's first balance
// of it, more than one deposit's share of sweepBatchGas covers in a small batch (a batch of one
// ran out of gas in that entry: SweepFailed with no reason). Gas not used is not paid for; the
// tank must only hold the limit × fee cap. No eth_estimateGas: sweepBatch succeeds when an entry
// runs out of gas (it reports SweepFailed), so an estimate can find a limit that starves entries.
const batchGasHeadroom = sweeperEntryGas - sweepGasPerDeposit

// sweeperEntryGas is AmnSweeper.ENTRY_GAS (TestSweepBatchEndToEnd reads it from the contract).
const sweeperEntryGas = 300_000

// batchCandidate is a verified sweep waiting for this tick's batch, with its entry.
type batchCandidate struct {
	in    *intent.Intent
	entry batchEntry
}

// batchEntry is what this signer sweeps for an intent: the deposit's key and entry (from the
// payment and the signer's own keys: sweepKey), and the payment's escrow id.
type batchEntry struct {
	sweepBatchEntry
	deposit  common.Address
	escrowID common.Hash
}

// batchEntryOf derives a sweep intent's batch entry as stepCall derives a step: from the intent,
// its payment and the signer's keys, never from signer_txs.
func (s *Signer) batchEntryOf(ctx context.Context, in *intent.Intent) (batchEntry, error) {
	if in.Amount == nil || in.Amount.Sign() <= 0 {
		return batchEntry{}, rejectf("a sweep needs an amount")
	}
	p, key, err := s.sweepKey(ctx, in)
	if err != nil {
		return batchEntry{}, err
	}
	return batchEntry{
		sweepBatchEntry: sweepBatchEntry{Key: key, Token: in.Token, Amount: new(big.Int).Set(in.Amount), Ref: payment.EscrowRef(p.ID),
			Buyer: in.Buyer, Seller: in.Seller},
		deposit: p.Deposit, escrowID: p.EscrowID(),
	}, nil
}

// same reports whether a sweepBatch entry is exactly e.
func (e batchEntry) same(x bindings.AmnSweeperSweep) bool {
	return x.Deposit == e.deposit && x.Token == intent.EscrowToken(e.Token) && x.Amount != nil && x.Amount.Cmp(e.Amount) == 0 &&
		x.Ref == e.Ref && x.Buyer == e.Buyer && x.Seller == e.Seller
}

// driveBatched moves a sweep on a chain with a Sweeper. A sweep that started on the top-up path
// (its attempts are top-ups, approves or funds: the chain was configured for batches later)
// finishes there (drive): one deposit is never on both paths.
func (s *Signer) driveBatched(ctx context.Context, c *Chain, in *intent.Intent) error {
	txs, err := s.loadTxs(ctx, in.ID)
	if err != nil {
		return err
	}
	for _, t := range txs {
		if t.Step != StepSweepBatch {
			return s.drive(ctx, in)
		}
	}
	if len(txs) == 0 {
		// In no batch yet: verified now, it goes into this tick's batch (signBatches).
		if _, err := s.verify(ctx, in); err != nil {
			return s.verdict(ctx, in, err)
		}
		e, err := s.batchEntryOf(ctx, in)
		if err != nil {
			return s.verdict(ctx, in, err)
		}
		if s.batchQueue == nil { // outside a tick: the next one queues it
			return nil
		}
		s.batchQueue[c.ID] = append(s.batchQueue[c.ID], batchCandidate{in: in, entry: e})
		return nil
	}
	want, err := s.batchEntryOf(ctx, in)
	if err != nil {
		return s.verdict(ctx, in, err)
	}
	if err := s.checkBatchRows(c, txs, want); err != nil {
		return s.verdict(ctx, in, err)
	}
	cur := lastGroup(txs)
	if !anyState(cur, "confirmed") {
		progressed, err := s.resolve(ctx, c, in, cur)
		if err != nil || !progressed {
			return err
		}
		// Final now: the rows say which attempt was mined (resolve recorded it).
		if txs, err = s.loadTxs(ctx, in.ID); err != nil {
			return err
		}
		if err := s.checkBatchRows(c, txs, want); err != nil {
			return s.verdict(ctx, in, err)
		}
		cur = lastGroup(txs)
	}
	return s.finishBatched(ctx, c, in, want, cur)
}

// verdict rejects the intent for a failed check, waits on errWaiting, and returns any other error
// (the check could not be made: next tick).
func (s *Signer) verdict(ctx context.Context, in *intent.Intent, err error) error {
	if errors.Is(err, errWaiting) {
		return nil
	}
	var r *Rejection
	if errors.As(err, &r) {
		return s.reject(ctx, in, r.Reason)
	}
	return err
}

// checkBatchRows holds every stored attempt of a member's batch against what this signer signs
// for the member: each row is a transaction this chain's tank signed (its raw bytes, hash, nonce,
// payload and fees are the row's: matchRow), to the chain's Sweeper, with no value, calling
// sweepBatch with exactly one entry for the member's deposit, and that entry is the member's
// (token, amount, ref, buyer, seller); each authorization it carries is for this chain and the
// Sweeper, signed by a deposit of the batch. Only such a row is broadcast, replaced or taken as
// mined for the member; any other rejects the member.
func (s *Signer) checkBatchRows(c *Chain, txs []txRow, want batchEntry) error {
	for _, r := range txs {
		k := &call{step: StepSweepBatch, key: s.cfg.Keys.Operator, to: c.Sweeper, value: new(big.Int), data: r.Data}
		why := matchRow(c, r, k)
		if why == "" {
			why = matchBatch(c, r, want)
		}
		if why != "" {
			return rejectf("signer_txs row %d (%s, %s nonce %d, tx %s) does not match the sweep: %s",
				r.ID, r.Step, r.Sender.Hex(), r.Nonce, r.Hash.Hex(), why)
		}
	}
	return nil
}

// matchBatch says what is wrong with a batch attempt (already matched to its row) for the member
// want, or "".
func matchBatch(c *Chain, r txRow, want batchEntry) string {
	entries, err := unpackSweepBatch(r.Data)
	if err != nil {
		return "its call data is not a sweepBatch call: " + err.Error()
	}
	deposits := make(map[common.Address]bool, len(entries))
	mine := 0
	for _, e := range entries {
		deposits[e.Deposit] = true
		if e.Deposit == want.deposit {
			mine++
			if !want.same(e) {
				return fmt.Sprintf("its entry for deposit %s is token %s, amount %s, ref %x, buyer %s, seller %s; the sweep's is %s, %s, %x, %s, %s",
					e.Deposit.Hex(), e.Token.Hex(), e.Amount, e.Ref, e.Buyer.Hex(), e.Seller.Hex(),
					intent.EscrowToken(want.Token).Hex(), want.Amount, want.Ref, want.Buyer.Hex(), want.Seller.Hex())
			}
		}
	}
	if mine != 1 {
		return fmt.Sprintf("it has %d entries for the sweep's deposit %s; want one", mine, want.deposit.Hex())
	}
	var t types.Transaction
	if err := t.UnmarshalBinary(r.Raw); err != nil {
		return "its raw bytes are not a transaction"
	}
	for i, a := range t.SetCodeAuthorizations() {
		who, err := a.Authority()
		switch {
		case err != nil:
			return fmt.Sprintf("its authorization %d is not signed", i)
		case a.ChainID.Uint64() != c.ID || !a.ChainID.IsUint64():
			return fmt.Sprintf("its authorization %d is for chain %s", i, a.ChainID.String())
		case a.Address != c.Sweeper:
			return fmt.Sprintf("its authorization %d delegates to %s, not the sweeper %s", i, a.Address.Hex(), c.Sweeper.Hex())
		case !deposits[who]:
			return fmt.Sprintf("its authorization %d is signed by %s, no deposit of the batch", i, who.Hex())
		}
	}
	return ""
}

// unpackSweepBatch decodes sweepBatch call data into its entries.
func unpackSweepBatch(data []byte) ([]bindings.AmnSweeperSweep, error) {
	swABI, err := bindings.AmnSweeperMetaData.GetAbi()
	if err != nil {
		return nil, err
	}
	method := swABI.Methods["sweepBatch"]
	if len(data) < 4 || !bytes.Equal(data[:4], method.ID) {
		return nil, errors.New("another function")
	}
	args, err := method.Inputs.Unpack(data[4:])
	if err != nil || len(args) != 1 {
		return nil, fmt.Errorf("cannot decode its arguments: %v", err)
	}
	entries := *abi.ConvertType(args[0], new([]bindings.AmnSweeperSweep)).(*[]bindings.AmnSweeperSweep)
	return entries, nil
}

// signBatches signs this tick's queued sweeps of each chain in batches of at most the chain's
// BatchSize, one transaction each. A deposit is left for a later tick while a transaction of its
// own (the top-up path) is still out: a batch reads its nonce at the latest block, and a pending
// transaction would move it under the authorization. A deposit twice in the queue (two sweeps of
// one address) goes once per batch.
func (s *Signer) signBatches(ctx context.Context) error {
	var first error
	for _, c := range s.cfg.Chains {
		queue := s.batchQueue[c.ID]
		if len(queue) == 0 {
			continue
		}
		inBatch, err := s.depositsInOpenBatches(ctx, c)
		if err != nil {
			if first == nil {
				first = err
			}
			continue
		}
		var batch []batchCandidate
		seen := map[common.Address]bool{}
		flush := func() {
			if len(batch) == 0 {
				return
			}
			if err := s.signBatch(ctx, c, batch); err != nil && first == nil {
				first = err
			}
			batch, seen = nil, map[common.Address]bool{}
		}
		for _, m := range queue {
			if ctx.Err() != nil {
				return ErrNotLeader
			}
			if seen[m.entry.deposit] {
				continue
			}
			busy, err := s.depositBusy(ctx, c, m.entry.deposit)
			if err != nil {
				if first == nil {
					first = err
				}
				continue
			}
			if busy {
				s.log.Info("sweep waits: its deposit has a transaction of its own out", "intent_id", m.in.ID.String(), "deposit", m.entry.deposit.Hex())
				continue
			}
			if inBatch[m.entry.deposit] {
				// An earlier batch naming this deposit is not final (its member was rejected
				// meanwhile and the sweep asked again): a second one now would pay for an entry
				// that fails (the escrow exists once the first is mined) or for an authorization
				// at a nonce the first moves.
				s.log.Info("sweep waits: its deposit is in a batch not final yet", "intent_id", m.in.ID.String(), "deposit", m.entry.deposit.Hex())
				continue
			}
			seen[m.entry.deposit] = true
			batch = append(batch, m)
			if len(batch) == c.BatchSize {
				flush()
			}
		}
		flush()
	}
	return first
}

// depositBusySQL: a transaction of sender $2 on chain $1 is signed or out, not mined yet.
const depositBusySQL = `SELECT EXISTS (SELECT 1 FROM signer_txs WHERE chain_id = $1 AND sender = $2 AND state IN ('signed', 'broadcast'))`

func (s *Signer) depositBusy(ctx context.Context, c *Chain, deposit common.Address) (bool, error) {
	var busy bool
	err := s.cfg.Pool.QueryRow(ctx, depositBusySQL, c.ID, hexAddr(deposit)).Scan(&busy)
	return busy, err
}

// openBatchesSQL selects the call data and members of chain $1's sweep batches not final yet: a
// nonce of the tank's with a sweep_batch attempt signed, out or mined, and none confirmed or failed.
const openBatchesSQL = `SELECT DISTINCT ON (t.sender, t.nonce) t.data,
		coalesce((SELECT array_agg(m.intent_id) FROM signer_batch_members m
			WHERE (m.chain_id, m.sender, m.nonce) = (t.chain_id, t.sender, t.nonce)), '{}')
	FROM signer_txs t
	WHERE t.chain_id = $1 AND t.step = 'sweep_batch' AND t.state IN ('signed', 'broadcast', 'mined')
		AND NOT EXISTS (SELECT 1 FROM signer_txs f WHERE (f.chain_id, f.sender, f.nonce) = (t.chain_id, t.sender, t.nonce)
			AND f.state IN ('confirmed', 'failed'))
	ORDER BY t.sender, t.nonce, t.id`

// depositsInOpenBatches is every deposit an entry names of a batch not final yet that an open
// member still drives (a batch whose members were all rejected is driven by nobody: waiting for it
// would stall its deposits for ever, so a new batch goes ahead and, if the old one was mined after
// all, its entry fails against the existing escrow). It only ever makes a sweep wait, so a row it
// cannot decode is skipped (the batch's members reject it).
func (s *Signer) depositsInOpenBatches(ctx context.Context, c *Chain) (map[common.Address]bool, error) {
	rows, err := s.cfg.Pool.Query(ctx, openBatchesSQL, c.ID)
	if err != nil {
		return nil, err
	}
	type open struct {
		data    []byte
		members []uuid.UUID
	}
	batches, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (open, error) {
		var o open
		err := r.Scan(&o.data, &o.members)
		return o, err
	})
	if err != nil {
		return nil, err
	}
	out := map[common.Address]bool{}
	for _, b := range batches {
		driven := false
		for _, id := range b.members {
			driven = driven || s.tickOpen[id]
		}
		if !driven {
			continue
		}
		entries, err := unpackSweepBatch(b.data)
		if err != nil {
			continue
		}
		for _, e := range entries {
			out[e.Deposit] = true
		}
	}
	return out, nil
}

// insertMemberSQL records intent $4 as a member of the batch at (chain $1, tank $2, nonce $3).
const insertMemberSQL = `INSERT INTO signer_batch_members (chain_id, sender, nonce, intent_id) VALUES ($1, $2, $3, $4)`

// membersSQL selects the members of the batch at (chain $1, tank $2, nonce $3).
const membersSQL = `SELECT intent_id FROM signer_batch_members WHERE chain_id = $1 AND sender = $2 AND nonce = $3 ORDER BY intent_id`

// signBatch signs one batch: authorizations for the deposits not delegated yet, then the tank's
// transaction at its next nonce, stored (attempt 1, under the first member: the carrier) with the
// batch's members in one fenced transaction, then broadcast. A deposit the batch cannot take (code
// that is not this signer's delegation) rejects its own sweep; the others wait for the next tick.
func (s *Signer) signBatch(ctx context.Context, c *Chain, members []batchCandidate) error {
	started := time.Now()
	if err := s.checkSweeper(ctx, c); err != nil {
		var r *Rejection
		if !errors.As(err, &r) {
			return err
		}
		for _, m := range members {
			if err := s.reject(ctx, m.in, r.Reason); err != nil {
				return err
			}
		}
		return nil
	}
	entries := make([]sweepBatchEntry, len(members))
	for i, m := range members {
		entries[i] = m.entry.sweepBatchEntry
	}
	b, err := buildSweepBatch(ctx, c.Client, c.ID, c.Sweeper, entries)
	var r *Rejection
	if errors.As(err, &r) && len(members) > 1 {
		whole := r.Reason
		rejected := 0
		for _, m := range members {
			if _, err := buildSweepBatch(ctx, c.Client, c.ID, c.Sweeper, []sweepBatchEntry{m.entry.sweepBatchEntry}); errors.As(err, &r) {
				if err := s.reject(ctx, m.in, r.Reason); err != nil {
					return err
				}
				rejected++
			}
		}
		if rejected == 0 {
			// Refused together, each accepted alone: nothing to reject, and the next tick would
			// build the same batch again. Say so; the sweeps wait.
			s.log.Warn("sweep batch refused while each of its sweeps alone is not; they wait", "chain_id", c.ID,
				"sweeps", len(members), "reason", whole)
			return fmt.Errorf("chain %d: a batch of %d sweeps refused: %s", c.ID, len(members), whole)
		}
		return nil
	}
	if err != nil {
		return s.verdict(ctx, members[0].in, err)
	}
	tip, feeCap, err := s.feesFor(ctx, c, StepSweepBatch)
	if err != nil {
		return err
	}
	if s.beforeSign != nil {
		if err := s.beforeSign(StepSweepBatch); err != nil {
			return err
		}
	}
	carrier := members[0].in
	tank := s.cfg.Keys.OperatorAddress()
	gas := sweepBatchGas(b) + batchGasHeadroom
	row := txRow{IntentID: carrier.ID, Step: StepSweepBatch, Sender: tank, Attempt: 1, To: c.Sweeper, Value: new(big.Int), Data: b.Data,
		Gas: gas, Tip: tip, Cap: feeCap, Auths: b.Auths}
	err = s.fenced(ctx, func(tx pgx.Tx) error {
		if err := s.storeFirstAttempt(ctx, tx, c, carrier, &row, s.cfg.Keys.Operator); err != nil {
			return err
		}
		nonce := row.Nonce
		for _, m := range members {
			if _, err := tx.Exec(ctx, insertMemberSQL, c.ID, hexAddr(tank), int64(nonce), m.in.ID); err != nil {
				return err
			}
			if err := intent.MarkSigning(ctx, tx, m.in.ID); err != nil {
				return err
			}
			e := m.entry
			if err := s.appendAudit(ctx, tx, AuditSigned, uuidPtr(m.in.ID), fmt.Sprintf(
				"%s: %s nonce %d tx %s to %s gas %d fee cap %s tip %s, %d deposits (%d authorizations); this sweep: deposit %s, %s of token %s, buyer %s, seller %s",
				StepSweepBatch, tank.Hex(), nonce, row.Hash.Hex(), c.Sweeper.Hex(), gas, feeCap, tip, len(members), len(b.Auths),
				e.deposit.Hex(), e.Amount, e.Token.Hex(), e.Buyer.Hex(), e.Seller.Hex())); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	now := time.Now()
	for _, m := range members {
		m.in.State = intent.Signing
		if m.in.SignedAt == nil {
			m.in.SignedAt = &now
		}
	}
	s.m.signed(c.Key, StepSweepBatch)
	s.log.Info("sweep batch signed", "chain", c.Key, "nonce", row.Nonce, "tx", row.Hash.Hex(), "deposits", len(members), "authorizations", len(b.Auths))
	if s.afterSign != nil {
		if err := s.afterSign(StepSweepBatch); err != nil {
			return err
		}
	}
	if err := s.broadcast(ctx, c, carrier, row); err != nil {
		return err
	}
	s.m.signing(time.Since(started))
	return nil
}

// checkSweeper refuses to sign a batch to a configured sweeper that does not name this signer's
// tank as its only caller and the chain's escrow as its only destination (a configuration
// mistake: every batch would revert, or sweep elsewhere). It reads AmnSweeper's immutables.
func (s *Signer) checkSweeper(ctx context.Context, c *Chain) error {
	sw, err := bindings.NewAmnSweeper(c.Sweeper, c.Client)
	if err != nil {
		return err
	}
	opts := &bind.CallOpts{Context: ctx}
	op, err := sw.OPERATOR(opts)
	if err != nil {
		return fmt.Errorf("reading the sweeper %s: %w", c.Sweeper.Hex(), err)
	}
	esc, err := sw.ESCROW(opts)
	if err != nil {
		return fmt.Errorf("reading the sweeper %s: %w", c.Sweeper.Hex(), err)
	}
	if tank := s.cfg.Keys.OperatorAddress(); op != tank || esc != c.Escrow {
		return rejectf("the sweeper %s calls in %s for operator %s; this signer's tank is %s and its escrow %s (chain config)",
			c.Sweeper.Hex(), esc.Hex(), op.Hex(), tank.Hex(), c.Escrow.Hex())
	}
	return nil
}

// batchMembers are the members of the batch at row's (chain, tank, nonce).
func (s *Signer) batchMembers(ctx context.Context, q intent.Querier, c *Chain, row txRow) ([]uuid.UUID, error) {
	rows, err := q.Query(ctx, membersSQL, c.ID, hexAddr(row.Sender), int64(row.Nonce))
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[uuid.UUID])
}

// markBatchBroadcast marks every member of row's batch broadcast (broadcast marks the one it was
// called for).
func (s *Signer) markBatchBroadcast(ctx context.Context, tx pgx.Tx, c *Chain, row txRow) error {
	ids, err := s.batchMembers(ctx, tx, c, row)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if err := intent.MarkBroadcast(ctx, tx, id); err != nil {
			return err
		}
	}
	return nil
}

// addBatchGas adds each member's share of a mined batch's gas and cost to its intent
// (intent.BatchGasShare: the books split it the same way).
func (s *Signer) addBatchGas(ctx context.Context, tx pgx.Tx, c *Chain, mined txRow, gasUsed uint64, cost *big.Int) error {
	ids, err := s.batchMembers(ctx, tx, c, mined)
	if err != nil {
		return err
	}
	total := new(big.Int).SetUint64(gasUsed)
	for _, id := range ids {
		g := intent.BatchGasShare(total, ids, mined.IntentID, id)
		if err := intent.AddGas(ctx, tx, id, g.Uint64(), intent.BatchGasShare(cost, ids, mined.IntentID, id)); err != nil {
			return err
		}
	}
	return nil
}

// replaceBatch re-signs a stuck batch at its nonce with higher fees and nothing else changed: the
// same carrier, call data, gas and authorizations (the deposits' nonces they name do not move
// until the batch is mined, so they stay valid; signing new ones would change nothing). What it
// re-signs is what this signer signed at this nonce for these members (checkBatchRows held it to
// the member driving it, the nonce's every attempt must carry the same payload, and only one can
// be mined): a replacement moves no more money than the attempt it replaces.
func (s *Signer) replaceBatch(ctx context.Context, c *Chain, in *intent.Intent, last txRow, tip, feeCap *big.Int) error {
	var prev types.Transaction
	if err := prev.UnmarshalBinary(last.Raw); err != nil {
		return rejectf("signer_txs row %d: its raw bytes are not a transaction", last.ID)
	}
	row := txRow{IntentID: last.IntentID, Step: last.Step, Sender: last.Sender, Nonce: last.Nonce, Attempt: last.Attempt + 1, To: last.To,
		Value: last.Value, Data: last.Data, Gas: last.Gas, Tip: tip, Cap: feeCap, Auths: prev.SetCodeAuthorizations()}
	err := s.fenced(ctx, func(tx pgx.Tx) error {
		if err := s.storeAttempt(ctx, tx, c, in, &row, s.cfg.Keys.Operator); err != nil {
			return err
		}
		return s.appendAudit(ctx, tx, AuditReplaced, uuidPtr(in.ID), fmt.Sprintf("%s nonce %d: tx %s replaces %s, fee cap %s → %s, tip %s → %s (same %d authorizations)",
			row.Step, row.Nonce, row.Hash.Hex(), last.Hash.Hex(), last.Cap, feeCap, last.Tip, tip, len(row.Auths)))
	})
	if err != nil {
		return err
	}
	s.m.replaced(c.Key)
	return s.broadcast(ctx, c, in, row)
}

// finishBatched ends a member once its batch is final, from the chain alone: the batch's receipt
// has the member's escrow Funded by its deposit with its parties, token and amount, and the
// escrow's record says the same → done; the receipt has SweepFailed for its deposit and ref → the
// sweep is rejected with the decoded reason (the payment stays sweeping, its money on the
// deposit: `amn admin sweep` asks again).
func (s *Signer) finishBatched(ctx context.Context, c *Chain, in *intent.Intent, want batchEntry, group []txRow) error {
	var mined *txRow
	for i := range group {
		if group[i].State == "confirmed" {
			mined = &group[i]
		}
	}
	if mined == nil {
		return nil
	}
	rcpt, err := c.Client.TransactionReceipt(ctx, mined.Hash)
	if err != nil {
		return fmt.Errorf("receipt of sweep batch %s: %w", mined.Hash.Hex(), err)
	}
	es, err := bindings.NewAmnEscrow(c.Escrow, c.Client)
	if err != nil {
		return err
	}
	sw, err := bindings.NewAmnSweeper(c.Sweeper, c.Client)
	if err != nil {
		return err
	}
	token := intent.EscrowToken(want.Token)
	var funded *bindings.AmnEscrowFunded
	var skipped *bindings.AmnSweeperSweepFailed
	for _, l := range rcpt.Logs {
		switch l.Address {
		case c.Escrow:
			if ev, err := es.ParseFunded(*l); err == nil && common.Hash(ev.EscrowId) == want.escrowID {
				funded = ev
			}
		case c.Sweeper:
			if ev, err := sw.ParseSweepFailed(*l); err == nil && ev.Deposit == want.deposit && ev.Ref == want.Ref {
				skipped = ev
			}
		}
	}
	switch {
	case funded != nil:
		if funded.Funder != want.deposit || funded.Token != token || funded.Amount.Cmp(want.Amount) != 0 ||
			funded.Buyer != want.Buyer || funded.Seller != want.Seller {
			return s.reject(ctx, in, fmt.Sprintf("the sweep batch %s funded escrow %x from %s with %s of %s for buyer %s, seller %s; the sweep is %s from %s for %s, %s",
				mined.Hash.Hex(), want.escrowID, funded.Funder.Hex(), funded.Amount, funded.Token.Hex(), funded.Buyer.Hex(), funded.Seller.Hex(),
				want.Amount, want.deposit.Hex(), want.Buyer.Hex(), want.Seller.Hex()))
		}
		rec, err := es.Escrows(&bind.CallOpts{Context: ctx}, want.escrowID)
		if err != nil {
			return fmt.Errorf("reading escrow record: %w", err)
		}
		if rec.Status == escrowNone || rec.Token != token || rec.Buyer != want.Buyer || rec.Seller != want.Seller || rec.Amount.Cmp(want.Amount) != 0 {
			return s.reject(ctx, in, fmt.Sprintf("escrow %x after the sweep batch %s: status %d, %s of %s for buyer %s, seller %s; the sweep is %s for %s, %s",
				want.escrowID, mined.Hash.Hex(), rec.Status, rec.Amount, rec.Token.Hex(), rec.Buyer.Hex(), rec.Seller.Hex(),
				want.Amount, want.Buyer.Hex(), want.Seller.Hex()))
		}
		if err := s.setState(ctx, in, in.State, intent.Confirmed, "", AuditConfirmed, "sweep batch "+mined.Hash.Hex()+" final"); err != nil {
			return err
		}
		return s.setState(ctx, in, intent.Confirmed, intent.Done, "", AuditDone, fmt.Sprintf(
			"swept by batch %s (block %d): escrow %x holds %s of %s from deposit %s; the batch used %d gas",
			mined.Hash.Hex(), rcpt.BlockNumber, want.escrowID, want.Amount, token.Hex(), want.deposit.Hex(), rcpt.GasUsed))
	case skipped != nil:
		return s.reject(ctx, in, fmt.Sprintf("the sweep batch %s skipped deposit %s: %s; ask for the sweep again (amn admin sweep)",
			mined.Hash.Hex(), want.deposit.Hex(), revertReason(skipped.Reason)))
	}
	return s.reject(ctx, in, fmt.Sprintf("the sweep batch %s neither funded escrow %x nor reports deposit %s skipped",
		mined.Hash.Hex(), want.escrowID, want.deposit.Hex()))
}

// revertReason names the error in a call's revert data: Error(string), or a custom error of
// AmnSweeper, AmnEscrow or ERC-20 with its arguments.
func revertReason(data []byte) string {
	if len(data) < 4 {
		return "reverted without a reason (out of gas, or the deposit is not delegated)"
	}
	if msg, err := abi.UnpackRevert(data); err == nil {
		return msg
	}
	var id [4]byte
	copy(id[:], data)
	for _, meta := range []*bind.MetaData{bindings.AmnSweeperMetaData, bindings.AmnEscrowMetaData, bindings.ERC20MetaData} {
		a, err := meta.GetAbi()
		if err != nil {
			continue
		}
		e, err := a.ErrorByID(id)
		if err != nil {
			continue
		}
		args, err := e.Inputs.Unpack(data[4:])
		if err != nil || len(args) == 0 {
			return e.Name
		}
		parts := make([]string, len(args))
		for i, v := range args {
			parts[i] = fmt.Sprint(v)
		}
		return e.Name + "(" + strings.Join(parts, ", ") + ")"
	}
	return fmt.Sprintf("reverted with %x", data)
}

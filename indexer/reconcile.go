package indexer

import (
	"context"
	"fmt"
	"math/big"
	"sort"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/amanat/amn/bindings"
	"github.com/amanat/amn/chain"
	"github.com/amanat/amn/chart"
	"github.com/amanat/amn/kind"
	"github.com/amanat/amn/ledger"
	"github.com/amanat/amn/payment"
)

// Mismatch is one address whose balance on chain differs from the books.
type Mismatch struct {
	Chain     string         `json:"chain"`
	Token     string         `json:"token"` // the ledger's token symbol
	Address   common.Address `json:"address"`
	What      string         `json:"what"` // deposit or escrow
	PaymentID string         `json:"payment_id,omitempty"`
	OnChain   *big.Int       `json:"on_chain"`
	Ledger    *big.Int       `json:"ledger"`
	Diff      *big.Int       `json:"diff"` // on chain − ledger
}

// Reconciliation is one comparison of the books with the chain.
type Reconciliation struct {
	Chain      string              `json:"chain"`
	Block      uint64              `json:"block"` // balances read at this (final, fully credited) block
	Checked    int                 `json:"checked"`
	Mismatches []Mismatch          `json:"mismatches"`
	Difference map[string]*big.Int `json:"difference"` // token → sum of |on chain − ledger|
	// Stray is what the escrow contract holds beyond our payments' open escrows, per token:
	// escrows others funded (anyone may call fund), tokens sent to the contract. Not ours, not a
	// difference; shown so that nobody mistakes it for one.
	Stray map[string]*big.Int `json:"stray,omitempty"`
}

// ErrNotReconcilable is returned while the books cannot be compared yet (nothing final, or final
// observations not credited yet).
var ErrNotReconcilable = kind.New(kind.Unavailable, "not reconcilable yet")

// reconcileRow is one address whose balance on chain is compared with the books: a payment's
// deposit (pid set) or the escrow contract for one ledger.
type reconcileRow struct {
	pid     string
	deposit common.Address
	ledger  string
	token   common.Address
	acct    ledger.ID
	posted  *big.Int // deposits: what the books hold for the address
}

// Reconcile compares, at the highest block that is both final and fully credited, the token (or
// native) balance of every deposit address that was credited or is still watched, and what our
// payments' open escrows hold in the escrow contract (reconcileEscrow), with the ledger's posted
// balances; it exports the summed absolute difference per token as amn_reconcile_difference and
// returns the mismatches. A native
// deposit's books are its deposit account plus the gas the worker booked as left there (the
// sweep's dust, chart.GasHeld in the chain's native ledger).
func (ix *Indexer) Reconcile(ctx context.Context) (Reconciliation, error) {
	r := Reconciliation{Chain: ix.cfg.Key, Difference: map[string]*big.Int{}}
	at, err := ix.reconcilableBlock(ctx)
	if err != nil {
		return r, err
	}
	r.Block = at
	books := ledger.New(ix.store.pool)
	if err := ix.reconcileDeposits(ctx, &r, books, at); err != nil {
		return r, err
	}
	if ix.cfg.Escrow != (common.Address{}) {
		if err := ix.reconcileEscrow(ctx, &r, books, at); err != nil {
			return r, err
		}
	}
	ix.exportDifference(r)
	return r, nil
}

// reconcileDeposits compares the balance on chain at block at of each deposit to reconcile
// (depositsToReconcile) with what the books hold for it, a hundred addresses a batch.
func (ix *Indexer) reconcileDeposits(ctx context.Context, r *Reconciliation, books *ledger.Ledger, at uint64) error {
	deps, err := ix.depositsToReconcile(ctx, books)
	if err != nil {
		return err
	}
	const batch = 100
	for start := 0; start < len(deps); start += batch {
		part := deps[start:min(start+batch, len(deps))]
		onChain, err := ix.balances(ctx, part, at)
		if err != nil {
			return err
		}
		for i, x := range part {
			sym := symbolOf(x.ledger)
			if r.Difference[sym] == nil {
				r.Difference[sym] = new(big.Int)
			}
			r.Checked++
			diff := new(big.Int).Sub(onChain[i], x.posted)
			if diff.Sign() == 0 {
				continue
			}
			r.Mismatches = append(r.Mismatches, Mismatch{Chain: ix.cfg.Key, Token: sym, Address: x.deposit, What: "deposit",
				PaymentID: x.pid, OnChain: onChain[i], Ledger: x.posted, Diff: diff})
			r.Difference[sym].Add(r.Difference[sym], new(big.Int).Abs(diff))
		}
	}
	return nil
}

// exportDifference sets amn_reconcile_difference for each token of r.
func (ix *Indexer) exportDifference(r Reconciliation) {
	syms := make([]string, 0, len(r.Difference))
	for s := range r.Difference {
		syms = append(syms, s)
	}
	sort.Strings(syms)
	for _, s := range syms {
		f, _ := new(big.Float).SetInt(r.Difference[s]).Float64()
		ix.m.reconcileDiff.WithLabelValues(ix.cfg.Key, s).Set(f)
	}
}

// reconcilableBlock is the highest block that is both final and fully credited.
func (ix *Indexer) reconcilableBlock(ctx context.Context) (uint64, error) {
	if err := ix.heads.Poll(ctx); err != nil {
		return 0, err
	}
	cp, err := ix.checkpoint(ctx)
	if err != nil {
		return 0, err
	}
	at := min(ix.SafeBlock(ix.heads.Heads()), cp.Processed)
	if at == 0 {
		return 0, fmt.Errorf("%w: no final block processed", ErrNotReconcilable)
	}
	if open, err := ix.store.observations(ctx, ix.cfg.ID, 0, at, StatePending); err != nil {
		return 0, err
	} else if len(open) > 0 {
		return 0, fmt.Errorf("%w: %d final observations not credited yet", ErrNotReconcilable, len(open))
	}
	return at, nil
}

// depositsToReconcile are the chain's deposits whose account was ever credited or that are still
// watched, in deposit index order, each with what the books hold for it: the payments come from
// package payment (payment.CreditedOrWatched: an expired deposit never paid is not even read),
// their accounts' balances from the ledger, a hundred accounts a query. The ledger has the last
// word: a deposit whose account does not exist, or holds no posted credit while no longer
// watched, is left out.
func (ix *Indexer) depositsToReconcile(ctx context.Context, books *ledger.Ledger) ([]reconcileRow, error) {
	all, err := ix.payments.CreditedOrWatched(ctx, ix.cfg.ID)
	if err != nil {
		return nil, err
	}
	var out []reconcileRow
	const batch = 100
	for start := 0; start < len(all); start += batch {
		part := all[start:min(start+batch, len(all))]
		ids := make([]ledger.ID, 0, len(part))
		for _, d := range part {
			ids = append(ids, d.Account)
			if d.Token == chain.NativeToken {
				ids = append(ids, chart.GasHeld(ix.cfg.NativeLedger(), d.Address))
			}
		}
		accts, err := books.Accounts(ctx, ids...)
		if err != nil {
			return nil, err
		}
		for _, d := range part {
			a, ok := accts[d.Account]
			if !ok || (!d.Watched && (a.CreditsPosted == nil || a.CreditsPosted.Sign() <= 0)) {
				continue
			}
			posted := new(big.Int).Set(a.Balance().Posted)
			if d.Token == chain.NativeToken {
				if g, ok := accts[chart.GasHeld(ix.cfg.NativeLedger(), d.Address)]; ok {
					posted.Add(posted, g.Balance().Posted)
				}
			}
			out = append(out, reconcileRow{pid: d.PaymentID.String(), deposit: d.Address, ledger: d.Ledger, token: d.Token,
				acct: d.Account, posted: posted})
		}
	}
	return out, nil
}

func symbolOf(ledgerName string) string {
	for i := len(ledgerName) - 1; i >= 0; i-- {
		if ledgerName[i] == ':' {
			return ledgerName[i+1:]
		}
	}
	return ledgerName
}

var balanceOfSelector = hexutil.MustDecode("0x70a08231")

// reconcileEscrow compares each ledger's escrow account with the sum of our payments' open
// escrows on chain at block n (AmnEscrow.escrows of each payment that may hold one), and that sum
// with the contract's balance of the token. Anyone may fund an escrow of their own or send tokens
// to the contract, so the balance is not compared with the books: what it holds beyond our escrows
// is reported as stray; holding less than our escrows is a mismatch. A payment's escrow id is
// derived from its deposit and id (payment.EscrowID), never read from a column another role
// writes, and its record counts only in the payment's own token: a payment row cannot make
// someone else's escrow count as ours.
func (ix *Indexer) reconcileEscrow(ctx context.Context, r *Reconciliation, books *ledger.Ledger, n uint64) error {
	ledgers, err := ix.escrowLedgers(ctx)
	if err != nil || len(ledgers) == 0 {
		return err
	}
	ours, err := ix.ourEscrows(ctx, ledgers, n)
	if err != nil {
		return err
	}
	balances, err := ix.balances(ctx, ledgers, n)
	if err != nil {
		return err
	}
	ids := make([]ledger.ID, len(ledgers))
	for i, x := range ledgers {
		ids[i] = x.acct
	}
	accts, err := books.Accounts(ctx, ids...)
	if err != nil {
		return err
	}
	for i, x := range ledgers {
		sym := symbolOf(x.ledger)
		if r.Difference[sym] == nil {
			r.Difference[sym] = new(big.Int)
		}
		posted := new(big.Int)
		if a, ok := accts[x.acct]; ok {
			posted.Set(a.Balance().Posted)
		}
		r.Checked++
		if diff := new(big.Int).Sub(ours[x.ledger], posted); diff.Sign() != 0 {
			r.Mismatches = append(r.Mismatches, Mismatch{Chain: ix.cfg.Key, Token: sym, Address: ix.cfg.Escrow, What: "escrow",
				OnChain: ours[x.ledger], Ledger: posted, Diff: diff})
			r.Difference[sym].Add(r.Difference[sym], new(big.Int).Abs(diff))
		}
		switch extra := new(big.Int).Sub(balances[i], ours[x.ledger]); extra.Sign() {
		case 1:
			if r.Stray == nil {
				r.Stray = map[string]*big.Int{}
			}
			r.Stray[sym] = extra
		case -1:
			r.Mismatches = append(r.Mismatches, Mismatch{Chain: ix.cfg.Key, Token: sym, Address: ix.cfg.Escrow, What: "escrow balance",
				OnChain: balances[i], Ledger: ours[x.ledger], Diff: extra})
			r.Difference[sym].Add(r.Difference[sym], new(big.Int).Abs(extra))
		}
	}
	return nil
}

// escrowLedgers are the chain's ledgers with payments, each with the token the chain's
// configuration gives it (a payment row naming another token for the ledger adds nothing) and its
// escrow account.
func (ix *Indexer) escrowLedgers(ctx context.Context) ([]reconcileRow, error) {
	names, err := ix.payments.Ledgers(ctx, ix.cfg.ID)
	if err != nil {
		return nil, err
	}
	var ledgers []reconcileRow
	for _, name := range names {
		token, ok := ix.ledgerToken(name)
		if !ok {
			continue // not a ledger of this chain's configuration
		}
		ledgers = append(ledgers, reconcileRow{ledger: name, token: token, deposit: ix.cfg.Escrow, acct: chart.Escrow(name)})
	}
	return ledgers, nil
}

// ourEscrows sums, per ledger, what our payments' open escrows hold on chain at block n: each
// payment that may hold one, its escrow id derived from its deposit and id, counted only when the
// record is open and in the ledger's token.
func (ix *Indexer) ourEscrows(ctx context.Context, ledgers []reconcileRow, n uint64) (map[string]*big.Int, error) {
	held, err := ix.payments.MayHoldEscrow(ctx, ix.cfg.ID)
	if err != nil {
		return nil, err
	}
	type escrowOf struct {
		ledger string
		token  common.Address
		id     common.Hash
	}
	open := make([]escrowOf, len(held))
	for i, d := range held {
		open[i] = escrowOf{ledger: d.Ledger, token: d.Token, id: payment.EscrowID(d.Address, d.PaymentID)}
	}
	ours := map[string]*big.Int{}
	tokenOf := map[string]common.Address{}
	for _, x := range ledgers {
		ours[x.ledger] = new(big.Int)
		tokenOf[x.ledger] = x.token
	}
	const batch = 100
	for start := 0; start < len(open); start += batch {
		part := open[start:min(start+batch, len(open))]
		ids := make([]common.Hash, len(part))
		for i, h := range part {
			ids[i] = h.id
		}
		recs, err := ix.escrowRecords(ctx, ids, n)
		if err != nil {
			return nil, err
		}
		for i, h := range part {
			if recs[i].open && ours[h.ledger] != nil && h.token == tokenOf[h.ledger] && recs[i].token == escrowToken(h.token) {
				ours[h.ledger].Add(ours[h.ledger], recs[i].amount)
			}
		}
	}
	return ours, nil
}

type escrowRecord struct {
	open   bool
	token  common.Address // as the contract records it: the zero address for the chain's own currency
	amount *big.Int
}

// ledgerToken is the token of one of the chain's ledgers ("bsc:USDT"), as configured.
func (ix *Indexer) ledgerToken(name string) (common.Address, bool) {
	if name == ix.cfg.NativeLedger() {
		return chain.NativeToken, true
	}
	for _, t := range ix.cfg.Tokens {
		if name == ix.cfg.Key+":"+t.Symbol {
			return t.Address, true
		}
	}
	return common.Address{}, false
}

// escrowToken is a payment's token as AmnEscrow records it.
func escrowToken(token common.Address) common.Address {
	if token == chain.NativeToken {
		return common.Address{}
	}
	return token
}

// escrowRecords reads AmnEscrow.escrows of each id at block n in one batch.
func (ix *Indexer) escrowRecords(ctx context.Context, ids []common.Hash, n uint64) ([]escrowRecord, error) {
	esc, err := bindings.AmnEscrowMetaData.GetAbi()
	if err != nil {
		return nil, err
	}
	raw := make([]hexutil.Bytes, len(ids))
	elems := make([]rpc.BatchElem, len(ids))
	block := hexutil.EncodeUint64(n)
	for i, id := range ids {
		data, err := esc.Pack("escrows", id)
		if err != nil {
			return nil, err
		}
		elems[i] = rpc.BatchElem{Method: "eth_call", Args: []any{map[string]any{"to": ix.cfg.Escrow, "data": hexutil.Bytes(data)}, block}, Result: &raw[i]}
	}
	if err := ix.rpc.Batch(ctx, n, elems); err != nil {
		return nil, err
	}
	out := make([]escrowRecord, len(ids))
	for i := range ids {
		v, err := esc.Unpack("escrows", raw[i])
		if err != nil || len(v) != 7 {
			return nil, fmt.Errorf("escrows(%s) at block %d: %d values, %v", ids[i].Hex(), n, len(v), err)
		}
		token, _ := v[0].(common.Address)
		status, _ := v[2].(uint8)
		amount, _ := v[6].(*big.Int)
		out[i] = escrowRecord{open: status == 1, token: token, amount: amount}
	}
	return out, nil
}

// balances reads each row's token (or native) balance at block n in one batch.
func (ix *Indexer) balances(ctx context.Context, rows []reconcileRow, n uint64) ([]*big.Int, error) {
	out := make([]hexutil.Big, len(rows))
	raw := make([]hexutil.Bytes, len(rows))
	elems := make([]rpc.BatchElem, len(rows))
	block := hexutil.EncodeUint64(n)
	for i, x := range rows {
		if x.token == chain.NativeToken {
			elems[i] = rpc.BatchElem{Method: "eth_getBalance", Args: []any{x.deposit, block}, Result: &out[i]}
			continue
		}
		data := append(append([]byte{}, balanceOfSelector...), common.LeftPadBytes(x.deposit[:], 32)...)
		elems[i] = rpc.BatchElem{Method: "eth_call", Args: []any{map[string]any{"to": x.token, "data": hexutil.Bytes(data)}, block}, Result: &raw[i]}
	}
	if err := ix.rpc.Batch(ctx, n, elems); err != nil {
		return nil, err
	}
	res := make([]*big.Int, len(rows))
	for i, x := range rows {
		if x.token == chain.NativeToken {
			res[i] = (*big.Int)(&out[i])
		} else {
			res[i] = new(big.Int).SetBytes(raw[i])
		}
	}
	return res, nil
}

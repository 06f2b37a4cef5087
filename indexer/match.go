package indexer

import (
	"cmp"
	"math/big"
	"slices"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/amanat/amn/chain"
	"github.com/amanat/amn/ledger"
	"github.com/amanat/amn/payment"
)

// NativeLogIndex is the log index given to a native transfer seen in a block's transactions: a
// transaction has one value and one recipient, and no real log index reaches it.
const NativeLogIndex = 1 << 32

// Observation kinds.
const (
	KindFeeProxy       = "fee_proxy"        // ERC20FeeProxy TransferWithReferenceAndFee
	KindNativeFeeProxy = "native_fee_proxy" // EthereumFeeProxy TransferWithReferenceAndFee
	KindTransfer       = "transfer"         // a plain ERC-20 Transfer to a deposit address
	KindNative         = "native"           // a transaction sending native currency to a deposit address
)

// Match is one event that concerns a payment.
type Match struct {
	Kind      string
	PaymentID ledger.ID
	Obs       payment.Observation
	Escrow    *EscrowEvent // for escrow_* kinds
}

// WatchSet is what the indexer looks for: the deposit addresses and reference topics of the
// payments that can still receive money.
type WatchSet struct {
	byRefTopic map[common.Hash]ledger.ID
	byDeposit  map[common.Address]ledger.ID
	deposit    map[ledger.ID]common.Address
	refTopics  []common.Hash
	deposits   []common.Address
}

// WatchEntry is one watched payment.
type WatchEntry struct {
	PaymentID ledger.ID
	Deposit   common.Address
	Reference payment.Reference
}

// NewWatchSet indexes entries.
func NewWatchSet(entries []WatchEntry) *WatchSet {
	w := &WatchSet{byRefTopic: map[common.Hash]ledger.ID{}, byDeposit: map[common.Address]ledger.ID{}, deposit: map[ledger.ID]common.Address{}}
	for _, e := range entries {
		top := payment.ReferenceTopic(e.Reference)
		w.byRefTopic[top] = e.PaymentID
		w.byDeposit[e.Deposit] = e.PaymentID
		w.deposit[e.PaymentID] = e.Deposit
		w.refTopics = append(w.refTopics, top)
		w.deposits = append(w.deposits, e.Deposit)
	}
	slices.SortFunc(w.refTopics, func(a, b common.Hash) int { return a.Cmp(b) })
	slices.SortFunc(w.deposits, func(a, b common.Address) int { return a.Cmp(b) })
	return w
}

// Len is the number of watched payments.
func (w *WatchSet) Len() int { return len(w.deposits) }

// matchInput is one fetched range.
type matchInput struct {
	chainID uint64
	native  bool // look at block transactions
	blocks  []chain.Block
	logs    []types.Log
	proxies map[common.Address]bool
	tokens  map[common.Address]bool
	escrow  common.Address
	// gasTanks send native currency to deposit addresses to pay for sweeps: not payments.
	gasTanks map[common.Address]bool
}

type consumeKey struct {
	tx        common.Hash
	token, to common.Address
	amount    string
}

// match turns a range's logs and transactions into matches, in chain order. A fee-proxy payment
// and the token's own Transfer to the same deposit address, of the same amount, in the same
// transaction, are one payment: the Transfer is consumed by the proxy event and not matched again.
// Native transfers need their receipt's status checked by the caller.
func match(in matchInput, w *WatchSet) []Match {
	logs := slices.Clone(in.logs)
	slices.SortFunc(logs, func(a, b types.Log) int {
		return cmp.Or(cmp.Compare(a.BlockNumber, b.BlockNumber), cmp.Compare(a.Index, b.Index))
	})
	logs = slices.CompactFunc(logs, func(a, b types.Log) bool { return a.BlockHash == b.BlockHash && a.Index == b.Index })
	var out []Match
	obs := func(l types.Log, token common.Address, amount *big.Int) payment.Observation {
		return payment.Observation{ChainID: in.chainID, BlockHash: l.BlockHash, BlockNumber: l.BlockNumber,
			TxHash: l.TxHash, LogIndex: uint64(l.Index), Token: token, Amount: amount}
	}
	// Who paid: the sender of the token's Transfer the proxy made (ERC-20), or of the transaction
	// (native; known when block transactions are fetched).
	payers := map[consumeKey]common.Address{}
	for _, l := range logs {
		if len(l.Topics) > 0 && l.Topics[0] == TopicTransfer {
			if t, err := DecodeTransfer(l); err == nil {
				payers[consumeKey{l.TxHash, t.Token, t.To, t.Amount.String()}] = t.From
			}
		}
	}
	senders := map[common.Hash]common.Address{}
	for _, b := range in.blocks {
		for _, tx := range b.Txs {
			senders[tx.Hash] = tx.From
		}
	}
	consumed := map[consumeKey]int{}
	for _, l := range logs {
		if l.Removed || len(l.Topics) == 0 || !in.proxies[l.Address] {
			continue
		}
		if l.Topics[0] != TopicERC20FeeProxy && l.Topics[0] != TopicEthFeeProxy {
			continue
		}
		e, err := DecodeFeeProxy(l, chain.NativeToken)
		if err != nil {
			continue
		}
		pid, ok := w.byRefTopic[e.ReferenceTop]
		if !ok || w.deposit[pid] != e.To || e.Amount.Sign() <= 0 {
			// A reference of ours paid to another address is not money we received.
			continue
		}
		kind := KindFeeProxy
		o := obs(l, e.Token, e.Amount)
		if l.Topics[0] == TopicEthFeeProxy {
			kind = KindNativeFeeProxy
			o.From = senders[l.TxHash]
		} else {
			k := consumeKey{l.TxHash, e.Token, e.To, e.Amount.String()}
			consumed[k]++
			o.From = payers[k]
		}
		out = append(out, Match{Kind: kind, PaymentID: pid, Obs: o})
	}
	for _, l := range logs {
		if l.Removed || len(l.Topics) == 0 {
			continue
		}
		switch {
		case l.Topics[0] == TopicTransfer && (len(in.tokens) == 0 || in.tokens[l.Address]):
			t, err := DecodeTransfer(l)
			if err != nil || t.Amount.Sign() <= 0 {
				continue
			}
			pid, ok := w.byDeposit[t.To]
			if !ok {
				continue
			}
			k := consumeKey{l.TxHash, t.Token, t.To, t.Amount.String()}
			if consumed[k] > 0 {
				consumed[k]--
				continue
			}
			o := obs(l, t.Token, t.Amount)
			o.From = t.From
			out = append(out, Match{Kind: KindTransfer, PaymentID: pid, Obs: o})
		case in.escrow != (common.Address{}) && l.Address == in.escrow:
			e, err := DecodeEscrow(l)
			if err != nil {
				continue
			}
			pid, ok := payment.PaymentIDFromEscrow(e.PaymentID)
			if !ok {
				continue
			}
			amount := e.Amount
			if amount == nil {
				amount = new(big.Int)
			}
			ev := e
			out = append(out, Match{Kind: escrowKind(e.Topic), PaymentID: pid, Obs: obs(l, l.Address, amount), Escrow: &ev})
		}
	}
	if in.native {
		for _, b := range in.blocks {
			for _, tx := range b.Txs {
				if tx.To == nil || tx.Value == nil || tx.Value.Sign() <= 0 {
					continue
				}
				pid, ok := w.byDeposit[*tx.To]
				if !ok || in.gasTanks[tx.From] {
					continue
				}
				out = append(out, Match{Kind: KindNative, PaymentID: pid, Obs: payment.Observation{
					ChainID: in.chainID, BlockHash: b.Hash, BlockNumber: b.Number, TxHash: tx.Hash,
					LogIndex: NativeLogIndex, Token: chain.NativeToken, Amount: new(big.Int).Set(tx.Value), From: tx.From}})
			}
		}
	}
	slices.SortStableFunc(out, func(a, b Match) int {
		return cmp.Or(cmp.Compare(a.Obs.BlockNumber, b.Obs.BlockNumber), cmp.Compare(a.Obs.LogIndex, b.Obs.LogIndex))
	})
	return out
}

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

// WatchEntry is one watched payment, as package payment lists them.
type WatchEntry = payment.Watched

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
	// escrows maps the escrow ids among the escrow contract's events to our payments
	// (payment.EscrowPayments); events of other escrows are not ours.
	escrows map[common.Hash]ledger.ID
	// gasTanks send native currency to deposit addresses to pay for sweeps: not payments.
	gasTanks map[common.Address]bool
}

// arrival is where a token Transfer put money: the transaction, the token and the recipient.
type arrival struct {
	tx        common.Hash
	token, to common.Address
}

// tokenTransfer is a decoded Transfer log to a watched deposit address.
type tokenTransfer struct {
	log types.Log
	TokenTransfer
}

// match turns a range's logs and transactions into matches, in chain order. A fee-proxy payment
// and the token's own Transfers to the same deposit address in the same transaction are one
// payment: the proxy event consumes the Transfers of that token to that address that precede it
// in the transaction (the proxy moves the money, then emits its event), and is credited with what
// they moved, which is what arrived — a fee-on-transfer token delivers less than the proxy event
// names. Consumed Transfers are not matched again. When no Transfer was fetched (a token outside
// the configured ones), the proxy event's amount is credited. Native transfers need their
// receipt's status checked by the caller.
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
	// Token Transfers to watched deposit addresses, in log order, by where they arrived.
	arrivals := map[arrival][]tokenTransfer{}
	for _, l := range logs {
		if l.Removed || len(l.Topics) == 0 || l.Topics[0] != TopicTransfer || (len(in.tokens) > 0 && !in.tokens[l.Address]) {
			continue
		}
		t, err := DecodeTransfer(l)
		if err != nil || t.Amount.Sign() <= 0 {
			continue
		}
		if _, ok := w.byDeposit[t.To]; ok {
			k := arrival{l.TxHash, t.Token, t.To}
			arrivals[k] = append(arrivals[k], tokenTransfer{l, t})
		}
	}
	senders := map[common.Hash]common.Address{}
	for _, b := range in.blocks {
		for _, tx := range b.Txs {
			senders[tx.Hash] = tx.From
		}
	}
	type logID struct {
		block common.Hash
		index uint
	}
	consumed := map[logID]bool{}
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
		if l.Topics[0] == TopicEthFeeProxy {
			o := obs(l, e.Token, e.Amount)
			o.From = senders[l.TxHash]
			out = append(out, Match{Kind: KindNativeFeeProxy, PaymentID: pid, Obs: o})
			continue
		}
		// What the proxy's Transfers put at the deposit, and who paid (the Transfers' sender).
		received, from, found := new(big.Int), common.Address{}, false
		for _, t := range arrivals[arrival{l.TxHash, e.Token, e.To}] {
			id := logID{t.log.BlockHash, t.log.Index}
			if t.log.Index > l.Index || consumed[id] {
				continue
			}
			consumed[id] = true
			received.Add(received, t.Amount)
			if !found {
				from, found = t.From, true
			}
		}
		if !found {
			received = e.Amount
		}
		o := obs(l, e.Token, received)
		o.From = from
		out = append(out, Match{Kind: KindFeeProxy, PaymentID: pid, Obs: o})
	}
	for _, l := range logs {
		if l.Removed || len(l.Topics) == 0 {
			continue
		}
		switch {
		case l.Topics[0] == TopicTransfer && (len(in.tokens) == 0 || in.tokens[l.Address]):
			t, err := DecodeTransfer(l)
			if err != nil || t.Amount.Sign() <= 0 || consumed[logID{l.BlockHash, l.Index}] {
				continue
			}
			pid, ok := w.byDeposit[t.To]
			if !ok {
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
			pid, ok := in.escrows[e.EscrowID]
			if !ok {
				continue // an escrow that is not one of our payments'
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

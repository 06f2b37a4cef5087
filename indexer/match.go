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
	native     map[uint64]int // payments in the chain's own currency, by chain
}

// WatchEntry is one watched payment, as package payment lists them.
type WatchEntry = payment.Watched

// NewWatchSet indexes entries.
func NewWatchSet(entries []WatchEntry) *WatchSet {
	w := &WatchSet{byRefTopic: map[common.Hash]ledger.ID{}, byDeposit: map[common.Address]ledger.ID{}, deposit: map[ledger.ID]common.Address{}, native: map[uint64]int{}}
	for _, e := range entries {
		if e.Token == chain.NativeToken {
			w.native[e.ChainID]++
		}
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

// NativeOpen is whether the set holds a payment in chainID's own currency: one that can be paid
// by a plain transfer, seen only in a block's transactions (watch_native auto).
func (w *WatchSet) NativeOpen(chainID uint64) bool { return w.native[chainID] > 0 }

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
	m := matcher{in: in, w: w, logs: inChainOrder(in.logs), consumed: map[logID]bool{}}
	m.arrivals = m.tokenArrivals()
	m.senders = txSenders(in.blocks)
	out := m.proxyPayments()
	out = append(out, m.transfersAndEscrowEvents()...)
	if in.native {
		out = append(out, m.nativeTransfers()...)
	}
	slices.SortStableFunc(out, func(a, b Match) int {
		return cmp.Or(cmp.Compare(a.Obs.BlockNumber, b.Obs.BlockNumber), cmp.Compare(a.Obs.LogIndex, b.Obs.LogIndex))
	})
	return out
}

// matcher is one match call's state: the range's logs in chain order, the token Transfers that
// reached watched deposits, the senders of the range's transactions, and the Transfers a proxy
// payment consumed.
type matcher struct {
	in       matchInput
	w        *WatchSet
	logs     []types.Log
	arrivals map[arrival][]tokenTransfer
	senders  map[common.Hash]common.Address
	consumed map[logID]bool
}

// logID is one log of one block.
type logID struct {
	block common.Hash
	index uint
}

// inChainOrder sorts logs by block and index and drops the same log fetched twice.
func inChainOrder(in []types.Log) []types.Log {
	logs := slices.Clone(in)
	slices.SortFunc(logs, func(a, b types.Log) int {
		return cmp.Or(cmp.Compare(a.BlockNumber, b.BlockNumber), cmp.Compare(a.Index, b.Index))
	})
	return slices.CompactFunc(logs, func(a, b types.Log) bool { return a.BlockHash == b.BlockHash && a.Index == b.Index })
}

// txSenders maps the transactions of blocks to their senders.
func txSenders(blocks []chain.Block) map[common.Hash]common.Address {
	senders := map[common.Hash]common.Address{}
	for _, b := range blocks {
		for _, tx := range b.Txs {
			senders[tx.Hash] = tx.From
		}
	}
	return senders
}

// observed is the observation of log l: token and amount as the matcher decided them.
func (m *matcher) observed(l types.Log, token common.Address, amount *big.Int) payment.Observation {
	return payment.Observation{ChainID: m.in.chainID, BlockHash: l.BlockHash, BlockNumber: l.BlockNumber,
		TxHash: l.TxHash, LogIndex: uint64(l.Index), Token: token, Amount: amount}
}

// configuredToken says whether l was emitted by a token the chain watches (any, when none is
// configured).
func (m *matcher) configuredToken(l types.Log) bool {
	return len(m.in.tokens) == 0 || m.in.tokens[l.Address]
}

// tokenArrivals are the token Transfers to watched deposit addresses, in log order, by where
// they arrived.
func (m *matcher) tokenArrivals() map[arrival][]tokenTransfer {
	arrivals := map[arrival][]tokenTransfer{}
	for _, l := range m.logs {
		if l.Removed || len(l.Topics) == 0 || l.Topics[0] != TopicTransfer || !m.configuredToken(l) {
			continue
		}
		t, err := DecodeTransfer(l)
		if err != nil || t.Amount.Sign() <= 0 {
			continue
		}
		if _, ok := m.w.byDeposit[t.To]; ok {
			k := arrival{l.TxHash, t.Token, t.To}
			arrivals[k] = append(arrivals[k], tokenTransfer{l, t})
		}
	}
	return arrivals
}

// proxyPayments matches the fee proxies' events that pay a watched reference to its payment's
// deposit address.
func (m *matcher) proxyPayments() []Match {
	var out []Match
	for _, l := range m.logs {
		if l.Removed || len(l.Topics) == 0 || !m.in.proxies[l.Address] {
			continue
		}
		if l.Topics[0] != TopicERC20FeeProxy && l.Topics[0] != TopicEthFeeProxy {
			continue
		}
		e, err := DecodeFeeProxy(l, chain.NativeToken)
		if err != nil {
			continue
		}
		pid, ok := m.w.byRefTopic[e.ReferenceTop]
		if !ok || m.w.deposit[pid] != e.To || e.Amount.Sign() <= 0 {
			// A reference of ours paid to another address is not money we received.
			continue
		}
		if l.Topics[0] == TopicEthFeeProxy {
			o := m.observed(l, e.Token, e.Amount)
			o.From = m.senders[l.TxHash]
			out = append(out, Match{Kind: KindNativeFeeProxy, PaymentID: pid, Obs: o})
			continue
		}
		received, from := m.consume(l, e)
		o := m.observed(l, e.Token, received)
		o.From = from
		out = append(out, Match{Kind: KindFeeProxy, PaymentID: pid, Obs: o})
	}
	return out
}

// consume takes the token Transfers an ERC-20 proxy event l accounts for (those of its token to
// its deposit, before it in its transaction, not consumed yet) and returns what they put at the
// deposit and who paid (their sender); with none fetched, the event's amount and no payer.
func (m *matcher) consume(l types.Log, e FeeProxyPayment) (received *big.Int, from common.Address) {
	received, found := new(big.Int), false
	for _, t := range m.arrivals[arrival{l.TxHash, e.Token, e.To}] {
		id := logID{t.log.BlockHash, t.log.Index}
		if t.log.Index > l.Index || m.consumed[id] {
			continue
		}
		m.consumed[id] = true
		received.Add(received, t.Amount)
		if !found {
			from, found = t.From, true
		}
	}
	if !found {
		return e.Amount, common.Address{}
	}
	return received, from
}

// transfersAndEscrowEvents matches, in log order, the token Transfers to watched deposits that no
// proxy payment consumed, and the escrow contract's events of our payments' escrows.
func (m *matcher) transfersAndEscrowEvents() []Match {
	var out []Match
	for _, l := range m.logs {
		if l.Removed || len(l.Topics) == 0 {
			continue
		}
		switch {
		case l.Topics[0] == TopicTransfer && m.configuredToken(l):
			t, err := DecodeTransfer(l)
			if err != nil || t.Amount.Sign() <= 0 || m.consumed[logID{l.BlockHash, l.Index}] {
				continue
			}
			pid, ok := m.w.byDeposit[t.To]
			if !ok {
				continue
			}
			o := m.observed(l, t.Token, t.Amount)
			o.From = t.From
			out = append(out, Match{Kind: KindTransfer, PaymentID: pid, Obs: o})
		case m.in.escrow != (common.Address{}) && l.Address == m.in.escrow:
			e, err := DecodeEscrow(l)
			if err != nil {
				continue
			}
			pid, ok := m.in.escrows[e.EscrowID]
			if !ok {
				continue // an escrow that is not one of our payments'
			}
			amount := e.Amount
			if amount == nil {
				amount = new(big.Int)
			}
			out = append(out, Match{Kind: escrowKind(e.Topic), PaymentID: pid, Obs: m.observed(l, l.Address, amount), Escrow: &e})
		}
	}
	return out
}

// nativeTransfers matches the range's transactions sending native currency to a watched deposit,
// but for the gas tanks' top-ups.
func (m *matcher) nativeTransfers() []Match {
	var out []Match
	for _, b := range m.in.blocks {
		for _, tx := range b.Txs {
			if tx.To == nil || tx.Value == nil || tx.Value.Sign() <= 0 {
				continue
			}
			pid, ok := m.w.byDeposit[*tx.To]
			if !ok || m.in.gasTanks[tx.From] {
				continue
			}
			out = append(out, Match{Kind: KindNative, PaymentID: pid, Obs: payment.Observation{
				ChainID: m.in.chainID, BlockHash: b.Hash, BlockNumber: b.Number, TxHash: tx.Hash,
				LogIndex: NativeLogIndex, Token: chain.NativeToken, Amount: new(big.Int).Set(tx.Value), From: tx.From}})
		}
	}
	return out
}

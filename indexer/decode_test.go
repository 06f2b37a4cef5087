package indexer

import (
	"errors"
	"math/big"
	"slices"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/amanat/amn/bindings"
	"github.com/amanat/amn/chain"
	"github.com/amanat/amn/ledger"
	"github.com/amanat/amn/payment"
)

func TestTopicsMatchChainsMDAndTheBindings(t *testing.T) {
	t.Parallel()
	if TopicERC20FeeProxy != common.HexToHash("0x9f16cbcc523c67a60c450e5ffe4f3b7b6dbe772e7abcadb2686ce029a9a0a2b6") {
		t.Errorf("ERC20FeeProxy topic %s", TopicERC20FeeProxy.Hex())
	}
	if TopicEthFeeProxy != common.HexToHash("0xa1c241e337c4610a9d0f881111e977e9dc8690c85fe2108897bb1483c66e6a96") {
		t.Errorf("EthereumFeeProxy topic %s", TopicEthFeeProxy.Hex())
	}
	a, err := bindings.AmnEscrowMetaData.GetAbi()
	if err != nil {
		t.Fatal(err)
	}
	for name, topic := range map[string]common.Hash{"Funded": TopicEscrowFunded, "Released": TopicEscrowReleased,
		"Refunded": TopicEscrowRefunded, "Reclaimed": TopicEscrowReclaimed, "Frozen": TopicEscrowFrozen, "Unfrozen": TopicEscrowUnfrozen,
		"Settled": TopicEscrowSettled} {
		if a.Events[name].ID != topic {
			t.Errorf("AmnEscrow %s: topic %s, ABI says %s", name, topic.Hex(), a.Events[name].ID.Hex())
		}
	}
}

func word(v *big.Int) []byte { return common.LeftPadBytes(v.Bytes(), 32) }

func addrWord(a common.Address) []byte { return common.LeftPadBytes(a[:], 32) }

func feeProxyLog(proxy, token, to common.Address, ref payment.Reference, amount int64, tx common.Hash, index uint) types.Log {
	data := append(append(append(append(addrWord(token), addrWord(to)...), word(big.NewInt(amount))...), word(big.NewInt(5))...), addrWord(common.HexToAddress("0xfee"))...)
	return types.Log{Address: proxy, Topics: []common.Hash{TopicERC20FeeProxy, payment.ReferenceTopic(ref)}, Data: data,
		BlockNumber: 10, BlockHash: common.HexToHash("0xb10c"), TxHash: tx, Index: index}
}

func transferLog(token, from, to common.Address, amount int64, tx common.Hash, index uint) types.Log {
	return types.Log{Address: token, Topics: []common.Hash{TopicTransfer, common.BytesToHash(from[:]), common.BytesToHash(to[:])},
		Data: word(big.NewInt(amount)), BlockNumber: 10, BlockHash: common.HexToHash("0xb10c"), TxHash: tx, Index: index}
}

// TestMatchCountsAFeeProxyPaymentOnce is the matcher's rule table: the proxy's event consumes the
// token's own Transfers to the same address in the same transaction that precede it, whatever
// their amounts, and is credited with what they moved (a fee-on-transfer token moves less than
// the event names); everything else is matched on its own.
func TestMatchCountsAFeeProxyPaymentOnce(t *testing.T) {
	t.Parallel()
	proxy, token, other := common.HexToAddress("0x9900"), common.HexToAddress("0x7070"), common.HexToAddress("0x7171")
	buyer, dep := common.HexToAddress("0xb0b"), common.HexToAddress("0xde9")
	pid := ledger.DeriveID("p")
	ref := payment.Reference{1, 2, 3, 4, 5, 6, 7, 8}
	w := NewWatchSet([]WatchEntry{{PaymentID: pid, Deposit: dep, Reference: ref}})
	tx1, tx2 := common.HexToHash("0x01"), common.HexToHash("0x02")
	in := func(logs ...types.Log) matchInput {
		return matchInput{chainID: 1, logs: logs, proxies: map[common.Address]bool{proxy: true}, tokens: map[common.Address]bool{token: true, other: true}}
	}
	type credit struct {
		kind   string
		amount int64
	}
	for _, tc := range []struct {
		name string
		logs []types.Log
		want []credit
	}{
		{"proxy payment: transfer + event", []types.Log{transferLog(token, buyer, dep, 100, tx1, 0), feeProxyLog(proxy, token, dep, ref, 100, tx1, 2)}, []credit{{KindFeeProxy, 100}}},
		{"plain transfer", []types.Log{transferLog(token, buyer, dep, 100, tx1, 0)}, []credit{{KindTransfer, 100}}},
		{"fee-on-transfer token: what arrived, once", []types.Log{transferLog(token, buyer, dep, 99, tx1, 0), transferLog(token, buyer, common.Address{}, 1, tx1, 1),
			feeProxyLog(proxy, token, dep, ref, 100, tx1, 2)}, []credit{{KindFeeProxy, 99}}},
		{"a second transfer before the event in the same tx is part of it", []types.Log{transferLog(token, buyer, dep, 100, tx1, 0), transferLog(token, buyer, dep, 100, tx1, 1),
			feeProxyLog(proxy, token, dep, ref, 100, tx1, 2)}, []credit{{KindFeeProxy, 200}}},
		{"two proxy payments in one tx take their own transfers", []types.Log{transferLog(token, buyer, dep, 100, tx1, 0), feeProxyLog(proxy, token, dep, ref, 100, tx1, 1),
			transferLog(token, buyer, dep, 49, tx1, 2), feeProxyLog(proxy, token, dep, ref, 50, tx1, 3)}, []credit{{KindFeeProxy, 100}, {KindFeeProxy, 49}}},
		{"a transfer in another tx is not consumed", []types.Log{transferLog(token, buyer, dep, 100, tx2, 0), feeProxyLog(proxy, token, dep, ref, 100, tx1, 2)},
			[]credit{{KindTransfer, 100}, {KindFeeProxy, 100}}},
		{"another token's transfer is not consumed", []types.Log{transferLog(other, buyer, dep, 100, tx1, 0), feeProxyLog(proxy, token, dep, ref, 100, tx1, 2)},
			[]credit{{KindTransfer, 100}, {KindFeeProxy, 100}}},
		{"a transfer to another address is not consumed", []types.Log{transferLog(token, buyer, buyer, 100, tx1, 0), feeProxyLog(proxy, token, dep, ref, 100, tx1, 2)},
			[]credit{{KindFeeProxy, 100}}},
		{"our reference paid to another address is not ours", []types.Log{feeProxyLog(proxy, token, buyer, ref, 100, tx1, 2)}, nil},
		{"an event from an unknown contract is ignored", []types.Log{feeProxyLog(common.HexToAddress("0xbad"), token, dep, ref, 100, tx1, 2)}, nil},
		{"transfers from the deposit address are not deposits", []types.Log{transferLog(token, dep, buyer, 100, tx1, 0)}, nil},
		{"a log seen twice counts once", []types.Log{transferLog(token, buyer, dep, 100, tx1, 0), transferLog(token, buyer, dep, 100, tx1, 0)}, []credit{{KindTransfer, 100}}},
	} {
		ms := match(in(tc.logs...), w)
		var got []credit
		for _, m := range ms {
			got = append(got, credit{m.Kind, m.Obs.Amount.Int64()})
			if m.PaymentID != pid {
				t.Errorf("%s: matched payment %s", tc.name, m.PaymentID)
			}
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: matched %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestMatchNamesThePayer(t *testing.T) {
	t.Parallel()
	proxy, token := common.HexToAddress("0x9900"), common.HexToAddress("0x7070")
	buyer, dep := common.HexToAddress("0xb0b"), common.HexToAddress("0xde9")
	ref := payment.Reference{8, 7, 6, 5, 4, 3, 2, 1}
	w := NewWatchSet([]WatchEntry{{PaymentID: ledger.DeriveID("p"), Deposit: dep, Reference: ref}})
	tx := common.HexToHash("0x01")
	ms := match(matchInput{chainID: 1, proxies: map[common.Address]bool{proxy: true}, tokens: map[common.Address]bool{token: true},
		logs: []types.Log{transferLog(token, buyer, dep, 100, tx, 0), feeProxyLog(proxy, token, dep, ref, 100, tx, 1)}}, w)
	if len(ms) != 1 || ms[0].Obs.From != buyer {
		t.Fatalf("matches %+v: want one fee-proxy payment from %s", ms, buyer.Hex())
	}
}

// TestMatchSkipsGasTopUps: native currency from the signer's gas tank to a deposit address pays
// for the sweep; it is not a payment (and not a wrong-token exception). From anyone else it is.
func TestMatchSkipsGasTopUps(t *testing.T) {
	t.Parallel()
	tank, buyer, dep := common.HexToAddress("0x7a9c"), common.HexToAddress("0xb0b"), common.HexToAddress("0xde9")
	w := NewWatchSet([]WatchEntry{{PaymentID: ledger.DeriveID("p"), Deposit: dep}})
	block := chain.Block{Number: 7, Hash: common.HexToHash("0xb7"), Txs: []chain.Tx{
		{Hash: common.HexToHash("0x01"), From: tank, To: &dep, Value: big.NewInt(1e15)},
		{Hash: common.HexToHash("0x02"), From: buyer, To: &dep, Value: big.NewInt(5e17)},
	}}
	ms := match(matchInput{chainID: 1, native: true, blocks: []chain.Block{block}, gasTanks: map[common.Address]bool{tank: true}}, w)
	if len(ms) != 1 || ms[0].Obs.From != buyer || ms[0].Kind != KindNative {
		t.Fatalf("matches %+v: want only the buyer's native payment", ms)
	}
}

// FuzzDecode: logs come from RPC endpoints, which may lie; decoding never panics, and what
// decodes as a Transfer has exactly three topics.
func FuzzDecode(f *testing.F) {
	f.Add([]byte{}, uint8(3), uint8(0))
	f.Add(make([]byte, 160), uint8(2), uint8(1))
	f.Add(make([]byte, 32), uint8(3), uint8(2))
	topics := []common.Hash{TopicTransfer, TopicERC20FeeProxy, TopicEthFeeProxy, TopicEscrowFunded, TopicEscrowReleased,
		TopicEscrowRefunded, TopicEscrowReclaimed, TopicEscrowFrozen, TopicEscrowUnfrozen, TopicEscrowSettled}
	f.Fuzz(func(t *testing.T, data []byte, ntopics uint8, which uint8) {
		l := types.Log{Data: data}
		for i := range int(ntopics % 6) {
			if i == 0 {
				l.Topics = append(l.Topics, topics[int(which)%len(topics)])
			} else {
				l.Topics = append(l.Topics, common.BytesToHash([]byte{byte(i), which}))
			}
		}
		if tr, err := DecodeTransfer(l); err == nil && (len(l.Topics) != 3 || tr.Amount == nil) {
			t.Fatalf("decoded a Transfer from %d topics", len(l.Topics))
		}
		if e, err := DecodeFeeProxy(l, chain.NativeToken); err == nil && (e.Amount == nil || e.Fee == nil) {
			t.Fatal("fee proxy event without amounts")
		}
		if e, err := DecodeEscrow(l); err == nil && e.Topic == TopicEscrowSettled && (e.BuyerAmount == nil || e.SellerAmount == nil || e.FeeAmount == nil || e.Amount == nil) {
			t.Fatal("Settled event without its parts")
		}
		_ = match(matchInput{chainID: 1, logs: []types.Log{l}, proxies: map[common.Address]bool{{}: true}}, NewWatchSet(nil))
	})
}

// A Settled log decodes into its three parts, their recipients and their sum; a log one word
// short is refused.
func TestDecodeSettled(t *testing.T) {
	t.Parallel()
	id, token := common.HexToHash("0xe5c0"), common.HexToAddress("0x55d398326f99059fF775485246999027B3197955")
	buyer, seller, fee := common.HexToAddress("0xb0b"), common.HexToAddress("0x5e11"), common.HexToAddress("0xfee")
	data := append(append(append(append(append(word(big.NewInt(300)), addrWord(seller)...), word(big.NewInt(686))...),
		addrWord(fee)...), word(big.NewInt(14))...), word(big.NewInt(1))...)
	l := types.Log{Topics: []common.Hash{TopicEscrowSettled, id, common.BytesToHash(token[:]), common.BytesToHash(buyer[:])}, Data: data}
	e, err := DecodeEscrow(l)
	if err != nil {
		t.Fatal(err)
	}
	if e.EscrowID != id || e.Token != token || e.Buyer != buyer || e.Seller != seller || e.BuyerAmount.Int64() != 300 ||
		e.SellerAmount.Int64() != 686 || e.FeeAmount.Int64() != 14 || e.Amount.Int64() != 1000 || escrowKind(e.Topic) != "escrow_settled" {
		t.Fatalf("decoded %+v", e)
	}
	l.Data = data[:5*32]
	if _, err := DecodeEscrow(l); !errors.Is(err, ErrDecode) {
		t.Fatalf("short Settled: %v", err)
	}
}

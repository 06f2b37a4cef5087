package indexer

import (
	"errors"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/amanat/amn/bindings"
)

// Event topics (topic 0) the indexer asks for. The fee proxy topics are checked against CHAINS.md
// in the tests.
var (
	TopicERC20FeeProxy = crypto.Keccak256Hash([]byte("TransferWithReferenceAndFee(address,address,uint256,bytes,uint256,address)"))
	TopicEthFeeProxy   = crypto.Keccak256Hash([]byte("TransferWithReferenceAndFee(address,uint256,bytes,uint256,address)"))
	TopicTransfer      = crypto.Keccak256Hash([]byte("Transfer(address,address,uint256)"))

	TopicEscrowFunded    = crypto.Keccak256Hash([]byte("Funded(bytes32,address,address,address,uint256,address,bytes32)"))
	TopicEscrowReleased  = crypto.Keccak256Hash([]byte("Released(bytes32,address,address,uint256,address,uint256,bool)"))
	TopicEscrowRefunded  = crypto.Keccak256Hash([]byte("Refunded(bytes32,address,address,uint256,bool)"))
	TopicEscrowReclaimed = crypto.Keccak256Hash([]byte("Reclaimed(bytes32,address,address,uint256)"))
	TopicEscrowSettled   = crypto.Keccak256Hash([]byte("Settled(bytes32,address,address,uint256,address,uint256,address,uint256,bool)"))
	TopicEscrowFrozen    = crypto.Keccak256Hash([]byte("Frozen(bytes32,address)"))
	TopicEscrowUnfrozen  = crypto.Keccak256Hash([]byte("Unfrozen(bytes32,address)"))
)

// escrowTopics are the AmnEscrow events the indexer follows.
var escrowTopics = []common.Hash{TopicEscrowFunded, TopicEscrowReleased, TopicEscrowRefunded,
	TopicEscrowReclaimed, TopicEscrowFrozen, TopicEscrowUnfrozen, TopicEscrowSettled}

// ErrDecode is returned for a log that does not decode as the event its topic names.
var ErrDecode = errors.New("log does not decode")

// FeeProxyPayment is a Request Network fee proxy's TransferWithReferenceAndFee.
type FeeProxyPayment struct {
	Token        common.Address // chain.NativeToken for EthereumFeeProxy
	To           common.Address
	Amount       *big.Int
	ReferenceTop common.Hash // keccak256 of the reference bytes (the indexed topic)
	Fee          *big.Int
	FeeAddress   common.Address
}

// TokenTransfer is an ERC-20 Transfer.
type TokenTransfer struct {
	Token, From, To common.Address
	Amount          *big.Int
}

// EscrowEvent is one AmnEscrow event about a payment. It is stored with its observation (as JSON,
// indexer_observations.escrow_event), so that it can be checked against the payment when final.
type EscrowEvent struct {
	Topic    common.Hash `json:"topic"`
	EscrowID common.Hash `json:"escrow_id"` // escrowId(funder, ref), as on chain
	Amount   *big.Int    `json:"amount"`    // Funded, Refunded, Reclaimed: the amount; Released: seller + fee; Settled: all three parts
	// Funded only: the escrow's terms and who opened it. Token is address(0) for the native
	// currency, as the contract records it.
	Token  common.Address `json:"token,omitzero"`
	Buyer  common.Address `json:"buyer,omitzero"`
	Seller common.Address `json:"seller,omitzero"`
	Funder common.Address `json:"funder,omitzero"`
	Ref    common.Hash    `json:"ref,omitzero"`
	// Settled only: each part of the split (Buyer and Seller above are its recipients).
	BuyerAmount  *big.Int `json:"buyer_amount,omitempty"`
	SellerAmount *big.Int `json:"seller_amount,omitempty"`
	FeeAmount    *big.Int `json:"fee_amount,omitempty"`
}

var (
	erc20Proxy, _ = bindings.NewERC20FeeProxyFilterer(common.Address{}, nil)
	ethProxy, _   = bindings.NewEthereumFeeProxyFilterer(common.Address{}, nil)
	escrow, _     = bindings.NewAmnEscrowFilterer(common.Address{}, nil)
)

// dataWords is how many 32-byte words each event's data holds (all its non-indexed fields are
// static). abigen's parsers accept empty data and leave the fields zero (nil amounts), so the
// length is checked first: an endpoint's answer is outside input.
var dataWords = map[common.Hash]int{
	TopicERC20FeeProxy: 5, TopicEthFeeProxy: 4,
	TopicEscrowFunded: 4, TopicEscrowReleased: 4, TopicEscrowRefunded: 2, TopicEscrowReclaimed: 1,
	TopicEscrowFrozen: 0, TopicEscrowUnfrozen: 0, TopicEscrowSettled: 6,
}

func checkData(l types.Log) error {
	if n, ok := dataWords[l.Topics[0]]; ok && len(l.Data) != 32*n {
		return fmt.Errorf("%w: %d bytes of data, want %d", ErrDecode, len(l.Data), 32*n)
	}
	return nil
}

// DecodeFeeProxy decodes either fee proxy's event; native is true for EthereumFeeProxy, whose
// token is nativeToken.
func DecodeFeeProxy(l types.Log, nativeToken common.Address) (FeeProxyPayment, error) {
	if len(l.Topics) != 2 {
		return FeeProxyPayment{}, fmt.Errorf("%w: fee proxy event with %d topics", ErrDecode, len(l.Topics))
	}
	if err := checkData(l); err != nil {
		return FeeProxyPayment{}, err
	}
	switch l.Topics[0] {
	case TopicERC20FeeProxy:
		e, err := erc20Proxy.ParseTransferWithReferenceAndFee(l)
		if err != nil {
			return FeeProxyPayment{}, fmt.Errorf("%w: %v", ErrDecode, err)
		}
		return FeeProxyPayment{Token: e.TokenAddress, To: e.To, Amount: e.Amount, ReferenceTop: l.Topics[1], Fee: e.FeeAmount, FeeAddress: e.FeeAddress}, nil
	case TopicEthFeeProxy:
		e, err := ethProxy.ParseTransferWithReferenceAndFee(l)
		if err != nil {
			return FeeProxyPayment{}, fmt.Errorf("%w: %v", ErrDecode, err)
		}
		return FeeProxyPayment{Token: nativeToken, To: e.To, Amount: e.Amount, ReferenceTop: l.Topics[1], Fee: e.FeeAmount, FeeAddress: e.FeeAddress}, nil
	}
	return FeeProxyPayment{}, fmt.Errorf("%w: not a fee proxy event", ErrDecode)
}

// DecodeTransfer decodes an ERC-20 Transfer (three topics, the amount in data). ERC-721's
// Transfer has the same topic 0 but four topics: it is refused.
func DecodeTransfer(l types.Log) (TokenTransfer, error) {
	if len(l.Topics) != 3 || l.Topics[0] != TopicTransfer || len(l.Data) != 32 {
		return TokenTransfer{}, fmt.Errorf("%w: not an ERC-20 Transfer", ErrDecode)
	}
	return TokenTransfer{
		Token: l.Address, From: common.BytesToAddress(l.Topics[1][:]), To: common.BytesToAddress(l.Topics[2][:]),
		Amount: new(big.Int).SetBytes(l.Data),
	}, nil
}

// DecodeEscrow decodes the AmnEscrow events the indexer follows.
func DecodeEscrow(l types.Log) (EscrowEvent, error) {
	if len(l.Topics) < 2 {
		return EscrowEvent{}, fmt.Errorf("%w: escrow event with %d topics", ErrDecode, len(l.Topics))
	}
	if err := checkData(l); err != nil {
		return EscrowEvent{}, err
	}
	ev := EscrowEvent{Topic: l.Topics[0], EscrowID: l.Topics[1]}
	var err error
	switch l.Topics[0] {
	case TopicEscrowFunded:
		var e *bindings.AmnEscrowFunded
		if e, err = escrow.ParseFunded(l); err == nil {
			ev.Amount, ev.Token, ev.Buyer, ev.Seller, ev.Funder, ev.Ref = e.Amount, e.Token, e.Buyer, e.Seller, e.Funder, e.Ref
		}
	case TopicEscrowReleased:
		var e *bindings.AmnEscrowReleased
		if e, err = escrow.ParseReleased(l); err == nil {
			ev.Amount = new(big.Int).Add(e.SellerAmount, e.FeeAmount)
		}
	case TopicEscrowRefunded:
		var e *bindings.AmnEscrowRefunded
		if e, err = escrow.ParseRefunded(l); err == nil {
			ev.Amount = e.Amount
		}
	case TopicEscrowReclaimed:
		var e *bindings.AmnEscrowReclaimed
		if e, err = escrow.ParseReclaimed(l); err == nil {
			ev.Amount = e.Amount
		}
	case TopicEscrowSettled:
		var e *bindings.AmnEscrowSettled
		if e, err = escrow.ParseSettled(l); err == nil {
			ev.Token, ev.Buyer, ev.Seller = e.Token, e.Buyer, e.Seller
			ev.BuyerAmount, ev.SellerAmount, ev.FeeAmount = e.BuyerAmount, e.SellerAmount, e.FeeAmount
			ev.Amount = new(big.Int).Add(e.BuyerAmount, e.SellerAmount)
			ev.Amount.Add(ev.Amount, e.FeeAmount)
		}
	case TopicEscrowFrozen:
		_, err = escrow.ParseFrozen(l)
	case TopicEscrowUnfrozen:
		_, err = escrow.ParseUnfrozen(l)
	default:
		return EscrowEvent{}, fmt.Errorf("%w: not an escrow event", ErrDecode)
	}
	if err != nil {
		return EscrowEvent{}, fmt.Errorf("%w: %v", ErrDecode, err)
	}
	return ev, nil
}

func escrowKind(topic common.Hash) string {
	switch topic {
	case TopicEscrowFunded:
		return "escrow_funded"
	case TopicEscrowReleased:
		return "escrow_released"
	case TopicEscrowRefunded:
		return "escrow_refunded"
	case TopicEscrowReclaimed:
		return "escrow_reclaimed"
	case TopicEscrowSettled:
		return "escrow_settled"
	case TopicEscrowFrozen:
		return "escrow_frozen"
	case TopicEscrowUnfrozen:
		return "escrow_unfrozen"
	}
	return "escrow"
}

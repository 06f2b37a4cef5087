package escrow

import (
	"errors"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/math"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/signer/core/apitypes"

	"github.com/amanat/amn/bindings"
)

// Domain name and version of the contract's EIP-712 domain.
const (
	DomainName    = "AmnEscrow"
	DomainVersion = "1"
)

// The EIP-712 type strings, exactly as in AmnEscrow.sol (its *_TYPEHASH constants).
const (
	DomainType          = "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"
	ReleaseType         = "Release(bytes32 paymentId,address token,address seller,uint256 sellerAmount,address feeRecipient,uint256 feeAmount,bool resolvesDispute,uint256 deadline)"
	RefundType          = "Refund(bytes32 paymentId,address token,address buyer,uint256 amount,bool resolvesDispute,uint256 deadline)"
	SettleType          = "Settle(bytes32 paymentId,address token,address buyer,uint256 buyerAmount,address seller,uint256 sellerAmount,address feeRecipient,uint256 feeAmount,bool resolvesDispute,uint256 deadline)"
	SetCustodiansType   = "SetCustodians(address[] custodians,uint256 threshold,uint256 nonce,uint256 deadline)"
	SetArbiterType      = "SetArbiter(address arbiter,uint256 nonce,uint256 deadline)"
	SetReclaimDelayType = "SetReclaimDelay(uint256 reclaimDelay,uint256 nonce,uint256 deadline)"
)

// ErrOutOfRange is returned for a nil, negative or wider than 256-bit integer field.
var ErrOutOfRange = errors.New("escrow: integer field is not a uint256")

// Domain is one deployed AmnEscrow contract on one chain: together they make the EIP-712
// domain, so an approval for one contract or chain is worthless on another.
type Domain struct {
	ChainID  uint64
	Contract common.Address
}

// Separator is the EIP-712 domain separator (the contract's domainSeparator()).
func (d Domain) Separator() common.Hash {
	return crypto.Keccak256Hash(
		crypto.Keccak256([]byte(DomainType)),
		crypto.Keccak256([]byte(DomainName)),
		crypto.Keccak256([]byte(DomainVersion)),
		math.U256Bytes(new(big.Int).SetUint64(d.ChainID)),
		common.LeftPadBytes(d.Contract.Bytes(), 32),
	)
}

// Message is a struct custodians sign: Release, Refund, Settle, SetCustodians, SetArbiter or
// SetReclaimDelay.
type Message interface {
	// TypeString is the message's EIP-712 type string.
	TypeString() string
	primaryType() string
	fields() []field
}

// Digest is what custodians sign for m under d: keccak256("\x19\x01" ‖ separator ‖ hashStruct(m)),
// the value of the contract's releaseDigest / refundDigest / settleDigest / set*Digest.
func (d Domain) Digest(m Message) (common.Hash, error) {
	enc := make([]byte, 0, 32*(1+len(m.fields())))
	enc = append(enc, crypto.Keccak256([]byte(m.TypeString()))...)
	for _, f := range m.fields() {
		word, err := f.encode()
		if err != nil {
			return common.Hash{}, fmt.Errorf("%s.%s: %w", m.primaryType(), f.name, err)
		}
		enc = append(enc, word...)
	}
	sep := d.Separator()
	return crypto.Keccak256Hash([]byte{0x19, 0x01}, sep[:], crypto.Keccak256(enc)), nil
}

// TypedData is m under d as EIP-712 typed data: the JSON of eth_signTypedData_v4, and what a
// Trezor's EthereumSignTypedData flow streams to the device (which shows each field).
func (d Domain) TypedData(m Message) (apitypes.TypedData, error) {
	fs := m.fields()
	types := make([]apitypes.Type, len(fs))
	msg := make(apitypes.TypedDataMessage, len(fs))
	for i, f := range fs {
		if _, err := f.encode(); err != nil {
			return apitypes.TypedData{}, fmt.Errorf("%s.%s: %w", m.primaryType(), f.name, err)
		}
		types[i] = apitypes.Type{Name: f.name, Type: f.typ}
		msg[f.name] = f.jsonValue()
	}
	chainID := math.HexOrDecimal256(*new(big.Int).SetUint64(d.ChainID))
	return apitypes.TypedData{
		Types: apitypes.Types{
			"EIP712Domain": {
				{Name: "name", Type: "string"},
				{Name: "version", Type: "string"},
				{Name: "chainId", Type: "uint256"},
				{Name: "verifyingContract", Type: "address"},
			},
			m.primaryType(): types,
		},
		PrimaryType: m.primaryType(),
		Domain: apitypes.TypedDataDomain{
			Name:              DomainName,
			Version:           DomainVersion,
			ChainId:           &chainID,
			VerifyingContract: d.Contract.Hex(),
		},
		Message: msg,
	}, nil
}

// Release approves paying an open escrow to its seller and the fee recipient.
// SellerAmount + FeeAmount must equal the escrowed amount exactly.
type Release struct {
	PaymentID       [32]byte
	Token           common.Address // zero for the native currency
	Seller          common.Address
	SellerAmount    *big.Int
	FeeRecipient    common.Address
	FeeAmount       *big.Int
	ResolvesDispute bool     // true only for a dispute resolution (works on frozen escrows)
	Deadline        *big.Int // unix seconds; valid while block.timestamp <= Deadline
}

// TypeString implements Message.
func (Release) TypeString() string  { return ReleaseType }
func (Release) primaryType() string { return "Release" }
func (r Release) fields() []field {
	return []field{
		{"paymentId", "bytes32", r.PaymentID},
		{"token", "address", r.Token},
		{"seller", "address", r.Seller},
		{"sellerAmount", "uint256", r.SellerAmount},
		{"feeRecipient", "address", r.FeeRecipient},
		{"feeAmount", "uint256", r.FeeAmount},
		{"resolvesDispute", "bool", r.ResolvesDispute},
		{"deadline", "uint256", r.Deadline},
	}
}

// Binding is r as the generated binding's argument to AmnEscrow.release.
func (r Release) Binding() bindings.AmnEscrowRelease {
	return bindings.AmnEscrowRelease{
		PaymentId: r.PaymentID, Token: r.Token, Seller: r.Seller, SellerAmount: r.SellerAmount,
		FeeRecipient: r.FeeRecipient, FeeAmount: r.FeeAmount, ResolvesDispute: r.ResolvesDispute,
		Deadline: r.Deadline,
	}
}

// Refund approves paying an open escrow back to its buyer in full.
type Refund struct {
	PaymentID       [32]byte
	Token           common.Address // zero for the native currency
	Buyer           common.Address
	Amount          *big.Int
	ResolvesDispute bool
	Deadline        *big.Int
}

// TypeString implements Message.
func (Refund) TypeString() string  { return RefundType }
func (Refund) primaryType() string { return "Refund" }
func (r Refund) fields() []field {
	return []field{
		{"paymentId", "bytes32", r.PaymentID},
		{"token", "address", r.Token},
		{"buyer", "address", r.Buyer},
		{"amount", "uint256", r.Amount},
		{"resolvesDispute", "bool", r.ResolvesDispute},
		{"deadline", "uint256", r.Deadline},
	}
}

// Binding is r as the generated binding's argument to AmnEscrow.refund.
func (r Refund) Binding() bindings.AmnEscrowRefund {
	return bindings.AmnEscrowRefund{
		PaymentId: r.PaymentID, Token: r.Token, Buyer: r.Buyer, Amount: r.Amount,
		ResolvesDispute: r.ResolvesDispute, Deadline: r.Deadline,
	}
}

// Settle approves splitting an open escrow: BuyerAmount to the buyer, SellerAmount to the seller,
// FeeAmount to the fee recipient. The three must add up to the escrowed amount exactly; the
// platform's rule for the split's commission is payment.SplitOf.
type Settle struct {
	PaymentID       [32]byte
	Token           common.Address // zero for the native currency
	Buyer           common.Address
	BuyerAmount     *big.Int
	Seller          common.Address
	SellerAmount    *big.Int
	FeeRecipient    common.Address
	FeeAmount       *big.Int
	ResolvesDispute bool
	Deadline        *big.Int
}

// TypeString implements Message.
func (Settle) TypeString() string  { return SettleType }
func (Settle) primaryType() string { return "Settle" }
func (s Settle) fields() []field {
	return []field{
		{"paymentId", "bytes32", s.PaymentID},
		{"token", "address", s.Token},
		{"buyer", "address", s.Buyer},
		{"buyerAmount", "uint256", s.BuyerAmount},
		{"seller", "address", s.Seller},
		{"sellerAmount", "uint256", s.SellerAmount},
		{"feeRecipient", "address", s.FeeRecipient},
		{"feeAmount", "uint256", s.FeeAmount},
		{"resolvesDispute", "bool", s.ResolvesDispute},
		{"deadline", "uint256", s.Deadline},
	}
}

// Binding is s as the generated binding's argument to AmnEscrow.settle.
func (s Settle) Binding() bindings.AmnEscrowSettle {
	return bindings.AmnEscrowSettle{
		PaymentId: s.PaymentID, Token: s.Token, Buyer: s.Buyer, BuyerAmount: s.BuyerAmount, Seller: s.Seller,
		SellerAmount: s.SellerAmount, FeeRecipient: s.FeeRecipient, FeeAmount: s.FeeAmount,
		ResolvesDispute: s.ResolvesDispute, Deadline: s.Deadline,
	}
}

// SetCustodians approves replacing the custodian set (strictly ascending) and threshold.
// Nonce is the contract's current configNonce().
type SetCustodians struct {
	Custodians []common.Address
	Threshold  *big.Int
	Nonce      *big.Int
	Deadline   *big.Int
}

// TypeString implements Message.
func (SetCustodians) TypeString() string  { return SetCustodiansType }
func (SetCustodians) primaryType() string { return "SetCustodians" }
func (s SetCustodians) fields() []field {
	return []field{
		{"custodians", "address[]", s.Custodians},
		{"threshold", "uint256", s.Threshold},
		{"nonce", "uint256", s.Nonce},
		{"deadline", "uint256", s.Deadline},
	}
}

// SetArbiter approves a new arbiter (zero disables freezing).
type SetArbiter struct {
	Arbiter  common.Address
	Nonce    *big.Int
	Deadline *big.Int
}

// TypeString implements Message.
func (SetArbiter) TypeString() string  { return SetArbiterType }
func (SetArbiter) primaryType() string { return "SetArbiter" }
func (s SetArbiter) fields() []field {
	return []field{
		{"arbiter", "address", s.Arbiter},
		{"nonce", "uint256", s.Nonce},
		{"deadline", "uint256", s.Deadline},
	}
}

// SetReclaimDelay approves a new reclaim delay in seconds.
type SetReclaimDelay struct {
	ReclaimDelay *big.Int
	Nonce        *big.Int
	Deadline     *big.Int
}

// TypeString implements Message.
func (SetReclaimDelay) TypeString() string  { return SetReclaimDelayType }
func (SetReclaimDelay) primaryType() string { return "SetReclaimDelay" }
func (s SetReclaimDelay) fields() []field {
	return []field{
		{"reclaimDelay", "uint256", s.ReclaimDelay},
		{"nonce", "uint256", s.Nonce},
		{"deadline", "uint256", s.Deadline},
	}
}

// field is one member of a message, in declaration order.
type field struct {
	name, typ string
	value     any
}

// encode is EIP-712's encodeData for one member: one 32-byte word.
func (f field) encode() ([]byte, error) {
	switch v := f.value.(type) {
	case [32]byte:
		return v[:], nil
	case common.Address:
		return common.LeftPadBytes(v.Bytes(), 32), nil
	case bool:
		w := make([]byte, 32)
		if v {
			w[31] = 1
		}
		return w, nil
	case *big.Int:
		if v == nil || v.Sign() < 0 || v.BitLen() > 256 {
			return nil, ErrOutOfRange
		}
		return math.U256Bytes(new(big.Int).Set(v)), nil
	case []common.Address:
		// An array is keccak256 of its elements' encodings, concatenated.
		b := make([]byte, 0, 32*len(v))
		for _, a := range v {
			b = append(b, common.LeftPadBytes(a.Bytes(), 32)...)
		}
		return crypto.Keccak256(b), nil
	}
	panic(fmt.Sprintf("escrow: field %s has unsupported Go type %T", f.name, f.value))
}

// jsonValue is the member as eth_signTypedData_v4 JSON carries it (numbers as decimal strings).
func (f field) jsonValue() any {
	switch v := f.value.(type) {
	case [32]byte:
		return common.Hash(v).Hex()
	case common.Address:
		return v.Hex()
	case *big.Int:
		return v.String()
	case []common.Address:
		out := make([]any, len(v))
		for i, a := range v {
			out[i] = a.Hex()
		}
		return out
	}
	return f.value
}

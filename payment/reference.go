package payment

import (
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/amanat/amn/kind"
)

// Reference is a Request Network payment reference: the 8 bytes a fee proxy call carries and its
// TransferWithReferenceAndFee event indexes. Its text form is 16 lowercase hex digits, no 0x
// (Request Network's own form).
type Reference [8]byte

var (
	// ErrReferenceInput: requestId, salt and payment address are all required (as in Request
	// Network's PaymentReferenceCalculator).
	ErrReferenceInput = kind.New(kind.Invalid, "payment: requestId, salt and payment address are required for a payment reference")
	// ErrInvalidReference: not 8 bytes of hex.
	ErrInvalidReference = kind.New(kind.Invalid, "payment: invalid payment reference (want 16 hex digits)")
)

// ComputeReference computes Request Network's payment reference:
//
//	last8Bytes(keccak256(lowercase(requestId + salt + paymentAddress)))
//
// over the UTF-8 string. paymentAddress is the address funds are paid to, as a string: pass
// addr.Hex() for a common.Address (case does not matter, it is lowercased). It does not check its
// inputs; NewReference does.
func ComputeReference(requestID, salt, paymentAddress string) Reference {
	h := crypto.Keccak256([]byte(strings.ToLower(requestID + salt + paymentAddress)))
	var r Reference
	copy(r[:], h[len(h)-len(r):])
	return r
}

// NewReference is ComputeReference for outside input: like Request Network's
// PaymentReferenceCalculator it refuses an empty requestId, salt or payment address.
func NewReference(requestID, salt, paymentAddress string) (Reference, error) {
	if requestID == "" || salt == "" || paymentAddress == "" {
		return Reference{}, ErrReferenceInput
	}
	return ComputeReference(requestID, salt, paymentAddress), nil
}

// ReferenceTopic is topic 1 of a fee proxy's TransferWithReferenceAndFee log: the reference is an
// indexed `bytes` parameter, so the log carries keccak256 of its 8 bytes.
func ReferenceTopic(ref Reference) common.Hash {
	return crypto.Keccak256Hash(ref[:])
}

// Topic is ReferenceTopic(r).
func (r Reference) Topic() common.Hash { return ReferenceTopic(r) }

// IsZero reports whether r is the zero value (never a computed reference in practice; it marks
// "unset").
func (r Reference) IsZero() bool { return r == Reference{} }

// String is the 16-digit lowercase hex form, without 0x.
func (r Reference) String() string { return hex.EncodeToString(r[:]) }

// Bytes is the reference as the `bytes` argument of a fee proxy call.
func (r Reference) Bytes() []byte { return append([]byte(nil), r[:]...) }

// ParseReference reads 16 hex digits, with or without a 0x prefix, in either case.
func ParseReference(s string) (Reference, error) {
	h := s
	if len(h) >= 2 && h[0] == '0' && (h[1] == 'x' || h[1] == 'X') {
		h = h[2:]
	}
	var r Reference
	if len(h) != 2*len(r) {
		return Reference{}, fmt.Errorf("%w: %d hex digits", ErrInvalidReference, len(h))
	}
	if _, err := hex.Decode(r[:], []byte(h)); err != nil {
		return Reference{}, fmt.Errorf("%w: not hex", ErrInvalidReference)
	}
	return r, nil
}

// MarshalText implements encoding.TextMarshaler (JSON: "a0098add01acc736").
func (r Reference) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler with ParseReference.
func (r *Reference) UnmarshalText(b []byte) error {
	v, err := ParseReference(string(b))
	if err != nil {
		return err
	}
	*r = v
	return nil
}

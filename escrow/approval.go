package escrow

import (
	"bytes"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strings"

	"github.com/ethereum/go-ethereum/accounts"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

// SignatureLength is the only length the contract accepts: r ‖ s ‖ v (no ERC-2098 short form).
const SignatureLength = 65

// Signature forms, told apart by v.
const (
	vTypedData = 27 // 27/28: over the EIP-712 digest itself (eth_signTypedData_v4, Trezor EthereumSignTypedData)
	vEthSign   = 31 // 31/32: over EthSignHash(digest) (eth_sign / personal_sign of the 32 digest bytes), v + 4
)

// Errors of approvals. Verify returns the first two; Quorum returns a *QuorumError.
var (
	ErrInvalidSignature   = errors.New("escrow: invalid signature")
	ErrMalleableSignature = errors.New("escrow: signature s is in the upper half of the curve order")
	ErrSignerMismatch     = errors.New("escrow: signature does not recover to the approval's signer")
	ErrNotCustodian       = errors.New("escrow: signer is not a custodian")
	ErrDuplicateSigner    = errors.New("escrow: signer approved twice")
	ErrBadThreshold       = errors.New("escrow: threshold must be between 1 and the number of custodians")
	ErrNotEnoughApprovals = errors.New("escrow: not enough valid custodian approvals")
)

// secp256k1halfN is half the curve order: larger s values are refused, as the contract does.
var secp256k1halfN = new(big.Int).Rsh(crypto.S256().Params().N, 1)

// Approval is one custodian's signature over a digest. Signer is who the approval claims to be
// from; Verify and Quorum never trust it without recovering it from Signature.
type Approval struct {
	Signer    common.Address
	Signature []byte // 65 bytes r ‖ s ‖ v, v = 27/28 (EIP-712) or 31/32 (eth_sign form)
}

// Sign signs digest in the EIP-712 form (v = 27/28), the form the contract prefers. The key is
// used for this call only.
func Sign(digest common.Hash, key *ecdsa.PrivateKey) (Approval, error) {
	sig, err := crypto.Sign(digest[:], key)
	if err != nil {
		return Approval{}, fmt.Errorf("escrow: sign: %w", err)
	}
	sig[64] += vTypedData
	return Approval{Signer: crypto.PubkeyToAddress(key.PublicKey), Signature: sig}, nil
}

// SignEthSign signs digest the way a device that only signs messages does (personal_sign of the
// 32 raw digest bytes) and returns it in the contract's eth_sign form (v = 31/32). It exists for
// tests and the dev signer; real devices go through EthSignHash and FromEthSign.
func SignEthSign(digest common.Hash, key *ecdsa.PrivateKey) (Approval, error) {
	h := EthSignHash(digest)
	sig, err := crypto.Sign(h[:], key)
	if err != nil {
		return Approval{}, fmt.Errorf("escrow: sign: %w", err)
	}
	sig[64] += vEthSign
	return Approval{Signer: crypto.PubkeyToAddress(key.PublicKey), Signature: sig}, nil
}

// EthSignHash is what a message-signing device signs when asked to sign the 32 raw bytes of
// digest (not their hex string): keccak256("\x19Ethereum Signed Message:\n32" ‖ digest).
func EthSignHash(digest common.Hash) common.Hash {
	return common.BytesToHash(accounts.TextHash(digest[:]))
}

// FromEthSign turns a personal_sign signature of the 32 digest bytes (v = 27/28, or 0/1 as some
// devices report it) into the form the contract takes for it (v = 31/32). It does not verify;
// pass the result to Verify.
func FromEthSign(sig []byte) ([]byte, error) {
	if len(sig) != SignatureLength {
		return nil, fmt.Errorf("%w: %d bytes, want %d", ErrInvalidSignature, len(sig), SignatureLength)
	}
	out := bytes.Clone(sig)
	switch v := out[64]; v {
	case 0, 1:
		out[64] = v + vEthSign
	case 27, 28:
		out[64] = v + vEthSign - vTypedData
	default:
		return nil, fmt.Errorf("%w: v = %d", ErrInvalidSignature, v)
	}
	return out, nil
}

// Verify recovers who signed digest, by the contract's rules: 65 bytes, v = 27/28 over the digest
// or v = 31/32 over EthSignHash(digest), s in the lower half of the curve order (high s is
// ErrMalleableSignature; anything else wrong is ErrInvalidSignature).
func Verify(digest common.Hash, sig []byte) (common.Address, error) {
	if len(sig) != SignatureLength {
		return common.Address{}, fmt.Errorf("%w: %d bytes, want %d", ErrInvalidSignature, len(sig), SignatureLength)
	}
	hash, v := digest, sig[64]
	switch v {
	case vTypedData, vTypedData + 1:
		v -= vTypedData
	case vEthSign, vEthSign + 1:
		hash, v = EthSignHash(digest), v-vEthSign
	default:
		return common.Address{}, fmt.Errorf("%w: v = %d", ErrInvalidSignature, v)
	}
	r, s := new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:64])
	if s.Cmp(secp256k1halfN) > 0 {
		return common.Address{}, ErrMalleableSignature
	}
	if !crypto.ValidateSignatureValues(v, r, s, true) {
		return common.Address{}, fmt.Errorf("%w: r or s out of range", ErrInvalidSignature)
	}
	plain := make([]byte, SignatureLength)
	copy(plain, sig[:64])
	plain[64] = v
	pub, err := crypto.SigToPub(hash[:], plain)
	if err != nil {
		return common.Address{}, fmt.Errorf("%w: %v", ErrInvalidSignature, err)
	}
	return crypto.PubkeyToAddress(*pub), nil
}

// Rejection is one approval Quorum did not use, and why (one of the Err* values above).
type Rejection struct {
	Index  int // position in the approvals given to Quorum
	Signer common.Address
	Err    error
}

// QuorumError says why approvals do not make a quorum. errors.Is(err, ErrNotEnoughApprovals)
// holds for it.
type QuorumError struct {
	Need, Have int
	Rejected   []Rejection
}

func (e *QuorumError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "escrow: %d valid custodian approvals, need %d", e.Have, e.Need)
	for _, r := range e.Rejected {
		fmt.Fprintf(&b, "; #%d (%s): %v", r.Index, r.Signer.Hex(), r.Err)
	}
	return b.String()
}

// Unwrap makes errors.Is(err, ErrNotEnoughApprovals) true.
func (e *QuorumError) Unwrap() error { return ErrNotEnoughApprovals }

// Quorum builds the signatures argument of AmnEscrow.release/refund/set* for digest: it
// verifies every approval (its signature must recover to its Signer), drops those that do not,
// come from a non-custodian or repeat a signer, sorts the rest by signer address ascending (the
// order the contract requires) and returns the first threshold of them (extra signatures only
// add gas). With fewer than threshold valid approvals it returns a *QuorumError listing what it
// rejected. custodians and threshold are the contract's current custodians() and threshold().
func Quorum(digest common.Hash, approvals []Approval, custodians []common.Address, threshold int) ([][]byte, error) {
	if threshold < 1 || threshold > len(custodians) {
		return nil, fmt.Errorf("%w: threshold %d, %d custodians", ErrBadThreshold, threshold, len(custodians))
	}
	isCustodian := make(map[common.Address]bool, len(custodians))
	for _, c := range custodians {
		isCustodian[c] = true
	}
	var (
		valid    []Approval
		seen     = make(map[common.Address]bool)
		rejected []Rejection
	)
	for i, a := range approvals {
		signer, err := Verify(digest, a.Signature)
		switch {
		case err != nil:
		case signer != a.Signer:
			err = fmt.Errorf("%w (recovers to %s)", ErrSignerMismatch, signer.Hex())
		case !isCustodian[signer]:
			err = ErrNotCustodian
		case seen[signer]:
			err = ErrDuplicateSigner
		}
		if err != nil {
			rejected = append(rejected, Rejection{Index: i, Signer: a.Signer, Err: err})
			continue
		}
		seen[signer] = true
		valid = append(valid, Approval{Signer: signer, Signature: bytes.Clone(a.Signature)})
	}
	if len(valid) < threshold {
		return nil, &QuorumError{Need: threshold, Have: len(valid), Rejected: rejected}
	}
	slices.SortFunc(valid, func(a, b Approval) int { return a.Signer.Cmp(b.Signer) })
	sigs := make([][]byte, threshold)
	for i := range sigs {
		sigs[i] = valid[i].Signature
	}
	return sigs, nil
}

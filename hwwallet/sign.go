package hwwallet

import (
	"bytes"
	"context"
	"fmt"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/signer/core/apitypes"

	"github.com/amanat/amn/escrow"
)

// Signer is what a custodian approves with: a Trezor (Device) or, on devnets, a
// SoftwareSigner. The approval's Signer field is the address that the signature recovers to.
type Signer interface {
	Address(ctx context.Context, path Path) (common.Address, error)
	SignApproval(ctx context.Context, path Path, d escrow.Domain, m escrow.Message) (escrow.Approval, error)
	SignEnrollment(ctx context.Context, path Path, e Enrollment) ([]byte, error)
}

var (
	_ Signer = (*Device)(nil)
	_ Signer = (*SoftwareSigner)(nil)
)

// Method is how a device signs an approval.
type Method int

const (
	// ClearSign streams the typed data (EthereumSignTypedData): the device shows the payment
	// id, token, recipients and amounts, hashes them itself and signs. Model T, Safe.
	ClearSign Method = iota + 1
	// HashSign sends the domain separator and message hash (EthereumSignTypedHash): the
	// device shows only the two hashes. The only EIP-712 form a Trezor One has.
	HashSign
	// BlindSign is eth_sign (EthereumSignMessage) over the 32 digest bytes: the device shows
	// opaque bytes; the person cannot see what they approve. Last resort only.
	BlindSign
)

func (m Method) String() string {
	switch m {
	case ClearSign:
		return "clear-sign (EIP-712 streamed)"
	case HashSign:
		return "hash-sign (EIP-712 hashes, Trezor One)"
	case BlindSign:
		return "BLIND eth_sign of the digest"
	}
	return fmt.Sprintf("Method(%d)", int(m))
}

// Method is how SignApproval signs on this device: HashSign for a Trezor One, ClearSign for
// everything else. It asks for Features when Initialize has not run.
func (d *Device) Method(ctx context.Context) (Method, error) {
	if d.features == nil {
		if _, err := d.Features(ctx); err != nil {
			return 0, err
		}
	}
	if d.features.IsTrezorOne() {
		return HashSign, nil
	}
	return ClearSign, nil
}

// SignApproval signs an escrow approval the best way the device allows (see Method): never
// blind. The signature is checked before it is returned: it must recover, under the
// contract's rules, to the address the device reports for the digest computed here, else
// ErrWrongSignature.
func (d *Device) SignApproval(ctx context.Context, path Path, dom escrow.Domain, m escrow.Message) (escrow.Approval, error) {
	method, err := d.Method(ctx)
	if err != nil {
		return escrow.Approval{}, err
	}
	return d.SignApprovalWith(ctx, method, path, dom, m)
}

// SignApprovalBlind signs the approval's digest with eth_sign (EthereumSignMessage of the 32
// digest bytes) and returns it in the contract's eth_sign form (v = 31/32, escrow.FromEthSign).
// The person sees only opaque bytes: use it only when the device can do neither EIP-712 form,
// and show the terms through another channel.
func (d *Device) SignApprovalBlind(ctx context.Context, path Path, dom escrow.Domain, m escrow.Message) (escrow.Approval, error) {
	return d.SignApprovalWith(ctx, BlindSign, path, dom, m)
}

// SignApprovalWith signs with the given method.
func (d *Device) SignApprovalWith(ctx context.Context, method Method, path Path, dom escrow.Domain, m escrow.Message) (escrow.Approval, error) {
	digest, err := dom.Digest(m)
	if err != nil {
		return escrow.Approval{}, err
	}
	var (
		sig     []byte
		claimed common.Address
	)
	switch method {
	case ClearSign:
		td, err := dom.TypedData(m)
		if err != nil {
			return escrow.Approval{}, err
		}
		sig, claimed, err = d.SignTypedData(ctx, path, td)
		if err != nil {
			return escrow.Approval{}, err
		}
	case HashSign:
		td, err := dom.TypedData(m)
		if err != nil {
			return escrow.Approval{}, err
		}
		msgHash, err := td.HashStruct(td.PrimaryType, td.Message)
		if err != nil {
			return escrow.Approval{}, fmt.Errorf("hwwallet: message hash: %w", err)
		}
		sep := dom.Separator()
		// The device signs keccak256(0x1901 ‖ separator ‖ message hash): make sure that is
		// the contract's digest before asking anyone to press a button.
		if got := crypto.Keccak256Hash([]byte{0x19, 0x01}, sep[:], msgHash); got != digest {
			return escrow.Approval{}, fmt.Errorf("hwwallet: hash-sign digest %s differs from escrow digest %s", got, digest)
		}
		sig, claimed, err = d.SignTypedHash(ctx, path, sep, common.BytesToHash(msgHash))
		if err != nil {
			return escrow.Approval{}, err
		}
	case BlindSign:
		personal, addr, err := d.SignMessage(ctx, path, digest[:])
		if err != nil {
			return escrow.Approval{}, err
		}
		if sig, err = escrow.FromEthSign(personal); err != nil {
			return escrow.Approval{}, fmt.Errorf("%w: %w", ErrWrongSignature, err)
		}
		claimed = addr
	default:
		return escrow.Approval{}, fmt.Errorf("%w: method %d", ErrUnsupported, method)
	}
	signer, err := escrow.Verify(digest, sig)
	if err != nil {
		return escrow.Approval{}, fmt.Errorf("%w: %w", ErrWrongSignature, err)
	}
	if signer != claimed {
		return escrow.Approval{}, fmt.Errorf("%w: recovers to %s, device says %s (%s)", ErrWrongSignature, signer, claimed, method)
	}
	return escrow.Approval{Signer: signer, Signature: sig}, nil
}

// SignTypedData signs EIP-712 typed data with Trezor's streamed flow: it sends
// EthereumSignTypedData, then answers each EthereumTypedDataStructRequest with the named
// struct's members and each EthereumTypedDataValueRequest with the value at its member path,
// until the device returns EthereumTypedDataSignature. It returns r ‖ s ‖ v (v = 27/28) and
// the address the device says signed.
func (d *Device) SignTypedData(ctx context.Context, path Path, td apitypes.TypedData) ([]byte, common.Address, error) {
	src := typedDataSource{td: td}
	v4 := true
	var msg Message = &EthereumSignTypedData{AddressN: path, PrimaryType: td.PrimaryType, MetamaskV4Compat: &v4}
	for {
		resp, err := d.call(ctx, msg)
		if err != nil {
			return nil, common.Address{}, fmt.Errorf("hwwallet: sign typed data: %w", err)
		}
		switch r := resp.(type) {
		case *EthereumTypedDataStructRequest:
			ack, err := src.structAck(r.Name)
			if err != nil {
				return nil, common.Address{}, d.abort(ctx, fmt.Errorf("hwwallet: sign typed data: %w", err))
			}
			msg = ack
		case *EthereumTypedDataValueRequest:
			v, err := src.value(r.MemberPath)
			if err != nil {
				return nil, common.Address{}, d.abort(ctx, fmt.Errorf("hwwallet: sign typed data: %w", err))
			}
			msg = &EthereumTypedDataValueAck{Value: v}
		case *EthereumTypedDataSignature:
			return signatureResult(r.Signature, r.Address)
		default:
			return nil, common.Address{}, d.abort(ctx, fmt.Errorf("hwwallet: sign typed data: %w: %s", ErrUnexpectedMessage, messageName(resp)))
		}
	}
}

// SignTypedHash signs keccak256(0x1901 ‖ domainSeparator ‖ messageHash) with
// EthereumSignTypedHash (Trezor One).
func (d *Device) SignTypedHash(ctx context.Context, path Path, domainSeparator, messageHash common.Hash) ([]byte, common.Address, error) {
	resp, err := d.call(ctx, &EthereumSignTypedHash{
		AddressN: path, DomainSeparatorHash: domainSeparator[:], MessageHash: bytes.Clone(messageHash[:]),
	})
	if err != nil {
		return nil, common.Address{}, fmt.Errorf("hwwallet: sign typed hash: %w", err)
	}
	r, err := expect[*EthereumTypedDataSignature](resp)
	if err != nil {
		return nil, common.Address{}, fmt.Errorf("hwwallet: sign typed hash: %w", err)
	}
	return signatureResult(r.Signature, r.Address)
}

// SignMessage signs msg with personal_sign (EthereumSignMessage): keccak256("\x19Ethereum
// Signed Message:\n" ‖ len ‖ msg). Returns r ‖ s ‖ v (v = 27/28) as the device gives it.
func (d *Device) SignMessage(ctx context.Context, path Path, msg []byte) ([]byte, common.Address, error) {
	resp, err := d.call(ctx, &EthereumSignMessage{AddressN: path, Message: msg})
	if err != nil {
		return nil, common.Address{}, fmt.Errorf("hwwallet: sign message: %w", err)
	}
	r, err := expect[*EthereumMessageSignature](resp)
	if err != nil {
		return nil, common.Address{}, fmt.Errorf("hwwallet: sign message: %w", err)
	}
	return signatureResult(r.Signature, r.Address)
}

func signatureResult(sig []byte, addr string) ([]byte, common.Address, error) {
	if len(sig) != escrow.SignatureLength {
		return nil, common.Address{}, fmt.Errorf("%w: signature of %d bytes", ErrMalformedMessage, len(sig))
	}
	a, err := parseDeviceAddress(addr)
	if err != nil {
		return nil, common.Address{}, err
	}
	return sig, a, nil
}

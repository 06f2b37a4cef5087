package hwwallet

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"strings"

	"github.com/ethereum/go-ethereum/accounts"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/amanat/amn/escrow"
)

// ErrEnrollment: an enrolment proof does not prove control of the address it names.
var ErrEnrollment = errors.New("hwwallet: enrolment proof rejected")

// Enrollment is what a custodian signs to prove they control an address before it is
// recorded as hardware-held: a plain-text message (personal_sign, EthereumSignMessage) that
// the device shows in full, naming the address, the escrow it is for and the server's
// single-use challenge. The server issues the challenge, checks the proof with
// VerifyEnrollment and forgets the challenge; this package does neither storage nor expiry.
type Enrollment struct {
	Custodian common.Address
	Domain    escrow.Domain
	Challenge [32]byte
}

// Text is the message signed, exactly; the device displays it line by line.
func (e Enrollment) Text() string {
	return fmt.Sprintf("Amn custody enrolment\n"+
		"I control %s and enrol it as a custodian of\n"+
		"AmnEscrow %s on chain %d.\n"+
		"Challenge: 0x%x", e.Custodian.Hex(), e.Domain.Contract.Hex(), e.Domain.ChainID, e.Challenge)
}

// SignEnrollment reads the address at path, checks it is e.Custodian (a device with another
// seed or passphrase is refused before anything is shown), and has the device sign e.Text().
// Returns r ‖ s ‖ v with v = 27/28.
func (d *Device) SignEnrollment(ctx context.Context, path Path, e Enrollment) ([]byte, error) {
	a, err := d.Address(ctx, path)
	if err != nil {
		return nil, err
	}
	if a != e.Custodian {
		return nil, fmt.Errorf("%w: the device's address at %s is %s, not %s", ErrEnrollment, path, a.Hex(), e.Custodian.Hex())
	}
	sig, signer, err := d.SignMessage(ctx, path, []byte(e.Text()))
	if err != nil {
		return nil, err
	}
	if signer != e.Custodian {
		return nil, fmt.Errorf("%w: the device signed as %s", ErrEnrollment, signer.Hex())
	}
	if err := VerifyEnrollment(e, sig); err != nil {
		return nil, err
	}
	return sig, nil
}

// SignEnrollment signs e.Text() with the key at path, as a device would.
func (s *SoftwareSigner) SignEnrollment(_ context.Context, path Path, e Enrollment) ([]byte, error) {
	key, err := s.w.Key(path)
	if err != nil {
		return nil, err
	}
	sig, err := crypto.Sign(accounts.TextHash([]byte(e.Text())), key)
	if err != nil {
		return nil, err
	}
	sig[64] += 27
	return sig, nil
}

var secp256k1HalfN = new(big.Int).Rsh(crypto.S256().Params().N, 1)

// VerifyEnrollment checks that sig is e.Custodian's personal_sign of e.Text(): 65 bytes,
// v = 27/28 (or 0/1), s in the lower half of the curve order.
func VerifyEnrollment(e Enrollment, sig []byte) error {
	if len(sig) != 65 {
		return fmt.Errorf("%w: signature of %d bytes", ErrEnrollment, len(sig))
	}
	plain := make([]byte, 65)
	copy(plain, sig)
	switch v := plain[64]; v {
	case 27, 28:
		plain[64] = v - 27
	case 0, 1:
	default:
		return fmt.Errorf("%w: v = %d", ErrEnrollment, v)
	}
	r, s := new(big.Int).SetBytes(plain[:32]), new(big.Int).SetBytes(plain[32:64])
	if s.Cmp(secp256k1HalfN) > 0 || !crypto.ValidateSignatureValues(plain[64], r, s, true) {
		return fmt.Errorf("%w: r or s out of range", ErrEnrollment)
	}
	pub, err := crypto.SigToPub(accounts.TextHash([]byte(e.Text())), plain)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrEnrollment, err)
	}
	if got := crypto.PubkeyToAddress(*pub); got != e.Custodian {
		return fmt.Errorf("%w: signed by %s, not %s", ErrEnrollment, got.Hex(), e.Custodian.Hex())
	}
	return nil
}

// String shows the enrolment as the device does.
func (e Enrollment) String() string { return strings.ReplaceAll(e.Text(), "\n", " / ") }

package hwwallet

import (
	"context"
	"fmt"

	"github.com/ethereum/go-ethereum/common"

	"github.com/amanat/amn/escrow"
	"github.com/amanat/amn/hwwallet/internal/softkey"
)

// SoftwareSigner signs approvals with keys derived from a BIP39 mnemonic in this process: the
// same interface as a Device, for devnets and tests only. A custodian key in software is what
// the hardware wallets exist to avoid; the custody commands refuse it when hardware is
// required (AMN_CUSTODY_REQUIRE_HARDWARE). Approvals are in the EIP-712 form (v = 27/28).
type SoftwareSigner struct {
	w *softkey.Wallet
}

// NewSoftwareSigner derives the wallet of mnemonic and passphrase ("" for none), as a Trezor
// with that seed and passphrase would.
func NewSoftwareSigner(mnemonic, passphrase string) (*SoftwareSigner, error) {
	w, err := softkey.New(mnemonic, passphrase)
	if err != nil {
		return nil, fmt.Errorf("hwwallet: software signer: %w", err)
	}
	return &SoftwareSigner{w: w}, nil
}

// Address implements Signer.
func (s *SoftwareSigner) Address(_ context.Context, path Path) (common.Address, error) {
	return s.w.Address(path)
}

// SignApproval implements Signer.
func (s *SoftwareSigner) SignApproval(_ context.Context, path Path, d escrow.Domain, m escrow.Message) (escrow.Approval, error) {
	digest, err := d.Digest(m)
	if err != nil {
		return escrow.Approval{}, err
	}
	key, err := s.w.Key(path)
	if err != nil {
		return escrow.Approval{}, err
	}
	return escrow.Sign(digest, key)
}

// String prints no secret.
func (s *SoftwareSigner) String() string { return "hwwallet.SoftwareSigner{redacted}" }

// GoString prints no secret.
func (s *SoftwareSigner) GoString() string { return s.String() }

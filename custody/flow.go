package custody

import (
	"context"
	"fmt"

	"github.com/ethereum/go-ethereum/common"
	"github.com/google/uuid"

	"github.com/amanat/amn/hwwallet"
)

// ApproveRequest is what a custodian's approval of one intent starts from.
type ApproveRequest struct {
	Intent uuid.UUID
	// Escrow is the AmnEscrow the custodian's own configuration knows for the intent's chain;
	// an intent naming another is refused. Zero: not compared.
	Escrow common.Address
	// Chain is a node of the intent's chain: with it the custodian set, the threshold and the
	// escrow's freeze are read from the contract (the authority). Nil: they are not.
	Chain   Chain
	Options ApproveOptions
}

// Prepared is an intent checked for approval before any device is touched: its description,
// and the options its checks were made with (the on-chain reads filled in).
type Prepared struct {
	*Pending
	Options ApproveOptions
}

// DeviceError is a failure at the custodian's device or key: which step, and why (the
// hwwallet sentinels), for the caller to explain.
type DeviceError struct {
	Op  string
	Err error
}

func (e *DeviceError) Error() string { return e.Op + ": " + e.Err.Error() }
func (e *DeviceError) Unwrap() error { return e.Err }

// Prepare reads the intent and checks what can be checked before the custodian's device is
// touched (when a check fails, the intent read is returned with the error, for display): it takes approvals now (CheckOpen), it names the escrow r.Escrow, and — with r.Chain —
// the node serves the intent's chain, whose contract's custodian set, threshold and the escrow's
// freeze are read for the later checks.
func (s *Service) Prepare(ctx context.Context, r ApproveRequest) (*Prepared, error) {
	p, err := s.Intent(ctx, r.Intent)
	if err != nil {
		return nil, err
	}
	in, o := p.Intent, r.Options
	read := &Prepared{Pending: p, Options: o}
	if err := s.CheckOpen(in, o); err != nil {
		return read, fmt.Errorf("intent %s: %w", in.ID, err)
	}
	if r.Escrow != (common.Address{}) && r.Escrow != in.Contract {
		return read, refused(ErrNotApprovable, "intent %s names escrow %s; the chain config's escrow on chain %d is %s: not approved",
			in.ID, in.Contract.Hex(), in.ChainID, r.Escrow.Hex())
	}
	if r.Chain != nil {
		if o.OnChain, err = ReadOnChain(ctx, r.Chain, in.Contract); err != nil {
			return read, err
		}
		if o.OnChain.ChainID != in.ChainID {
			return read, refused(ErrNotApprovable, "the node serves chain %d, the intent is on chain %d", o.OnChain.ChainID, in.ChainID)
		}
		frozen, err := ReadEscrowFrozen(ctx, r.Chain, in.Contract, in.EscrowID)
		if err != nil {
			return read, err
		}
		o.EscrowFrozen = &frozen
	}
	return &Prepared{Pending: p, Options: o}, nil
}

// SignAndApprove has the custodian's key sign the prepared intent and stores the approval: the
// key's address must be allowed to approve (CheckSigner, refused before the device shows
// anything), then signing is called with it (to tell the custodian what to compare on the
// device), then the device signs and the approval is checked and stored (Approve). Device
// failures are *DeviceError.
func (s *Service) SignAndApprove(ctx context.Context, p *Prepared, key hwwallet.Signer, path hwwallet.Path, signing func(common.Address)) (*Pending, error) {
	in := p.Intent
	m, err := in.Message()
	if err != nil {
		return nil, err
	}
	addr, err := key.Address(ctx, path)
	if err != nil {
		return nil, &DeviceError{Op: "reading the address", Err: err}
	}
	if err := s.CheckSigner(ctx, in, addr, p.Options); err != nil {
		return nil, fmt.Errorf("%s at %s: %w", addr.Hex(), path, err)
	}
	if signing != nil {
		signing(addr)
	}
	a, err := key.SignApproval(ctx, path, in.Domain(), m)
	if err != nil {
		return nil, &DeviceError{Op: "signing the approval", Err: err}
	}
	return s.Approve(ctx, in.ID, a, p.Options)
}

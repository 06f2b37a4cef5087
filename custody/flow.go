package custody

import (
	"context"
	"fmt"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/google/uuid"

	"github.com/amanat/amn/escrow"
	"github.com/amanat/amn/hwwallet"
	"github.com/amanat/amn/kind"
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

// NodeError is a failure to read the escrow from the node given (unreachable, not an AmnEscrow,
// another chain), for the caller to name the node it was given.
type NodeError struct{ Err error }

func (e *NodeError) Error() string { return e.Err.Error() }
func (e *NodeError) Unwrap() error { return e.Err }

// ErrWrongEscrow: the intent names another escrow than the custodian's configuration.
var ErrWrongEscrow = kind.New(kind.Refused, "intent names another escrow")

// Prepare reads the intent and checks what can be checked before the custodian's device is
// touched (when a check fails, the intent read is returned with the error, for display): it
// takes approvals now (CheckOpen), it names the escrow r.Escrow, with r.Chain the node serves the
// intent's chain (whose custodian set, threshold and escrow freeze are read for the later
// checks), and no dispute stands in the way (checkDispute; Approve checks it again after the
// device has signed).
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
		return read, refused(ErrWrongEscrow, "intent %s names escrow %s; the chain config's escrow on chain %d is %s: not approved",
			in.ID, in.Contract.Hex(), in.ChainID, r.Escrow.Hex())
	}
	if r.Chain != nil {
		if o.OnChain, err = ReadOnChain(ctx, r.Chain, in.Contract, in.ChainID); err != nil {
			return read, &NodeError{Err: err}
		}
		frozen, err := ReadEscrowFrozen(ctx, r.Chain, in.Contract, in.EscrowID)
		if err != nil {
			return read, &NodeError{Err: err}
		}
		o.EscrowFrozen = &frozen
	}
	read.Options = o
	if err := s.checkDispute(ctx, in, o); err != nil {
		return read, fmt.Errorf("custody: approval of intent %s %w", in.ID, err)
	}
	return read, nil
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

// EnrollKey is what enrolling a custodian's key starts from.
type EnrollKey struct {
	Domain escrow.Domain // the escrow the custodian is enrolled for
	// OnChain is the escrow's custodian set as read beforehand (ReadOnChain, with the chain id
	// checked), before the device was opened; nil: not read.
	OnChain *OnChain
	Key     hwwallet.Signer // the custodian's key
	Path    hwwallet.Path
	// Device is the key's Trezor, when it is one: the address is shown on its screen and must be
	// the one it reported. Nil for a software key.
	Device   *hwwallet.Device
	Hardware bool   // the key is a hardware wallet's (recorded as hardware-held)
	Label    string // a name for the custodian
	Desc     string // how the key was reached, for the record
}

// EnrollSteps tell the custodian what to do at each step. Any may be nil.
type EnrollSteps struct {
	Address   func(addr common.Address)               // the key's address, before the device shows it
	Statement func(text string, validUntil time.Time) // the enrolment statement the device will show
}

// Enrolled is a custodian's enrolment, and whether the contract's custodian set (when read)
// includes it.
type Enrolled struct {
	*Custodian
	OnChain *bool
}

// EnrollWith proves control of the key's address and records it: the Trezor shows the address it
// reported, a challenge is issued, the key signs the enrolment statement, and Enroll checks and
// stores the proof. Device failures are *DeviceError.
func (s *Service) EnrollWith(ctx context.Context, k EnrollKey, steps EnrollSteps) (*Enrolled, error) {
	on := k.OnChain
	addr, err := k.Key.Address(ctx, k.Path)
	if err != nil {
		return nil, &DeviceError{Op: "reading the address", Err: err}
	}
	if steps.Address != nil {
		steps.Address(addr)
	}
	if k.Device != nil {
		shown, err := k.Device.ShowAddress(ctx, k.Path)
		if err != nil {
			return nil, &DeviceError{Op: "showing the address", Err: err}
		}
		if shown != addr {
			return nil, fmt.Errorf("the Trezor showed %s after reporting %s: enrolment stopped", shown.Hex(), addr.Hex())
		}
	}
	c, err := s.IssueChallenge(ctx, addr, k.Domain)
	if err != nil {
		return nil, err
	}
	e := c.Enrollment()
	if steps.Statement != nil {
		steps.Statement(e.Text(), c.ExpiresAt)
	}
	sig, err := k.Key.SignEnrollment(ctx, k.Path, e)
	if err != nil {
		return nil, &DeviceError{Op: "signing the enrolment", Err: err}
	}
	got, err := s.Enroll(ctx, EnrollRequest{Challenge: c.Value, Custodian: addr, Signature: sig,
		Hardware: k.Hardware, Label: k.Label, Path: k.Path.String(), Device: k.Desc})
	if err != nil {
		return nil, err
	}
	out := &Enrolled{Custodian: got}
	if on != nil {
		has := on.Has(addr)
		out.OnChain = &has
	}
	return out, nil
}

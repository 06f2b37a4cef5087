package custody

import (
	"context"
	"fmt"
	"math/big"
	"slices"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"

	"github.com/amanat/amn/bindings"
	"github.com/amanat/amn/kind"
)

// Chain is what reading the custodian set needs from a node.
type Chain interface {
	bind.ContractCaller
	ChainID(ctx context.Context) (*big.Int, error)
}

// OnChain is an AmnEscrow's custodian set: the authority on who is a custodian at all.
type OnChain struct {
	ChainID    uint64           `json:"chain_id"`
	Contract   common.Address   `json:"contract"`
	Custodians []common.Address `json:"custodians"` // ascending, as the contract stores them
	Threshold  int              `json:"threshold"`
}

// Has says whether a is in the set.
func (o *OnChain) Has(a common.Address) bool { return slices.Contains(o.Custodians, a) }

// ErrWrongNode: the node read serves another chain than the escrow's.
var ErrWrongNode = kind.New(kind.Invalid, "the node serves another chain")

// ReadOnChain reads custodians() and threshold() of the AmnEscrow at contract, on a node that
// must serve chain want (0: whichever it serves); another chain is ErrWrongNode.
func ReadOnChain(ctx context.Context, c Chain, contract common.Address, want uint64) (*OnChain, error) {
	id, err := c.ChainID(ctx)
	if err != nil {
		return nil, fmt.Errorf("custody: chain id: %w", err)
	}
	if want != 0 && id.Uint64() != want {
		return nil, fmt.Errorf("%w: chain %d, not %d", ErrWrongNode, id.Uint64(), want)
	}
	es, err := bindings.NewAmnEscrowCaller(contract, c)
	if err != nil {
		return nil, err
	}
	opts := &bind.CallOpts{Context: ctx}
	set, err := es.Custodians(opts)
	if err != nil {
		return nil, fmt.Errorf("custody: reading custodians() of %s on chain %s (is it an AmnEscrow?): %w", contract.Hex(), id, err)
	}
	th, err := es.Threshold(opts)
	if err != nil {
		return nil, fmt.Errorf("custody: reading threshold() of %s on chain %s: %w", contract.Hex(), id, err)
	}
	return &OnChain{ChainID: id.Uint64(), Contract: contract, Custodians: set, Threshold: int(th.Int64())}, nil
}

// ReadEscrowFrozen reads whether the escrow id of the AmnEscrow at contract is frozen.
func ReadEscrowFrozen(ctx context.Context, c Chain, contract common.Address, id common.Hash) (bool, error) {
	es, err := bindings.NewAmnEscrowCaller(contract, c)
	if err != nil {
		return false, err
	}
	rec, err := es.Escrows(&bind.CallOpts{Context: ctx}, id)
	if err != nil {
		return false, fmt.Errorf("custody: reading escrow %s of %s: %w", id.Hex(), contract.Hex(), err)
	}
	return rec.Frozen, nil
}

// Row is one address of the comparison of the on-chain set with the database's.
type Row struct {
	Address  common.Address `json:"address"`
	OnChain  bool           `json:"on_chain"`
	Enrolled bool           `json:"enrolled"`
	Hardware bool           `json:"hardware"`
	Label    string         `json:"label,omitempty"`
	// Flags name each difference; empty means the address is a custodian on chain and enrolled
	// as hardware-held.
	Flags []string `json:"flags,omitempty"`
}

// Comparison is the custodian set on chain next to the database's.
type Comparison struct {
	OnChain *OnChain `json:"on_chain"`
	Rows    []Row    `json:"custodians"`
	// HardwareCustodians counts on-chain custodians enrolled as hardware-held: with
	// AMN_CUSTODY_REQUIRE_HARDWARE=true only they can approve.
	HardwareCustodians int `json:"hardware_custodians"`
	// Problems are set-level differences (for example, fewer hardware-held custodians than the
	// threshold).
	Problems []string `json:"problems,omitempty"`
}

// Flags.
const (
	FlagNotEnrolled = "custodian on chain, not enrolled in the database"
	FlagSoftware    = "enrolled with a software key, not hardware-held"
	FlagNotOnChain  = "enrolled, but not a custodian of this escrow on chain"
)

// Compare sets the on-chain custodian set beside the database's: every address of either, on
// chain first (in the contract's order), each difference flagged.
func Compare(on *OnChain, enrolled []Custodian) *Comparison {
	byAddr := map[common.Address]Custodian{}
	for _, c := range enrolled {
		byAddr[c.Address] = c
	}
	cmp := &Comparison{OnChain: on}
	for _, a := range on.Custodians {
		r := Row{Address: a, OnChain: true}
		if c, ok := byAddr[a]; ok {
			r.Enrolled, r.Hardware, r.Label = true, c.Hardware, c.Label
			if !c.Hardware {
				r.Flags = append(r.Flags, FlagSoftware)
			} else {
				cmp.HardwareCustodians++
			}
		} else {
			r.Flags = append(r.Flags, FlagNotEnrolled)
		}
		cmp.Rows = append(cmp.Rows, r)
	}
	for _, c := range enrolled {
		if on.Has(c.Address) {
			continue
		}
		cmp.Rows = append(cmp.Rows, Row{Address: c.Address, Enrolled: true, Hardware: c.Hardware, Label: c.Label,
			Flags: []string{FlagNotOnChain}})
	}
	if cmp.HardwareCustodians < on.Threshold {
		cmp.Problems = append(cmp.Problems, fmt.Sprintf(
			"only %d of %d custodians on chain are enrolled as hardware-held, the threshold is %d: with AMN_CUSTODY_REQUIRE_HARDWARE=true nothing can be released or refunded",
			cmp.HardwareCustodians, len(on.Custodians), on.Threshold))
	}
	return cmp
}

// Differs reports whether anything is flagged.
func (c *Comparison) Differs() bool {
	if len(c.Problems) > 0 {
		return true
	}
	for _, r := range c.Rows {
		if len(r.Flags) > 0 {
			return true
		}
	}
	return false
}

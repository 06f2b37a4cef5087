package custody

import (
	"fmt"

	"github.com/ethereum/go-ethereum/common"

	"github.com/amanat/amn/escrow"
	"github.com/amanat/amn/intent"
)

// Progress is how far a release or refund is from its quorum, for people watching it: the
// approvals gathered of the threshold the contract needs, among its custodians. It is a display;
// the signer decides again on its own.
type Progress struct {
	Stored int `json:"approvals"` // approvals recorded for the intent
	// Gathered counts the distinct signers whose approval recovers, over the intent's digest, to
	// the signer it names and, when the custodian set is known, who are custodians.
	Gathered   int `json:"gathered"`
	Threshold  int `json:"threshold,omitempty"`  // the contract's threshold(); 0: not read
	Custodians int `json:"custodians,omitempty"` // how many custodians the contract has; 0: not read
}

// Known reports whether the contract's quorum was read.
func (p Progress) Known() bool { return p.Threshold > 0 }

// String is "1/2 of 3" (gathered / threshold of custodians), or "1/?" when the contract was not
// read.
func (p Progress) String() string {
	if !p.Known() {
		return fmt.Sprintf("%d/?", p.Gathered)
	}
	return fmt.Sprintf("%d/%d of %d", p.Gathered, p.Threshold, p.Custodians)
}

// ApprovalProgress tallies the approvals of a release or refund intent against the contract's
// custodian set on (nil when it could not be read: then only the signatures are checked).
func ApprovalProgress(in *intent.Intent, approvals []escrow.Approval, on *OnChain) Progress {
	p := Progress{Stored: len(approvals)}
	if on != nil {
		p.Threshold, p.Custodians = on.Threshold, len(on.Custodians)
	}
	digest, err := in.Digest()
	if err != nil {
		return p
	}
	seen := map[common.Address]bool{}
	for _, a := range approvals {
		signer, err := escrow.Verify(digest, a.Signature)
		if err != nil || signer != a.Signer || seen[signer] || (on != nil && !on.Has(signer)) {
			continue
		}
		seen[signer] = true
		p.Gathered++
	}
	return p
}

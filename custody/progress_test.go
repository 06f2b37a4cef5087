package custody_test

import (
	"crypto/ecdsa"
	"math/big"
	"slices"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/amanat/amn/custody"
	"github.com/amanat/amn/escrow"
	"github.com/amanat/amn/intent"
)

// Approvals gathered of the threshold, among the custodians: only approvals that recover over
// the intent's digest to the signer they name, from a custodian, once per signer, count.
func TestApprovalProgress(t *testing.T) {
	keys := make([]*ecdsa.PrivateKey, 4) // three custodians and a stranger
	addrs := make([]common.Address, 4)
	for i := range keys {
		keys[i], _ = crypto.GenerateKey()
		addrs[i] = crypto.PubkeyToAddress(keys[i].PublicKey)
	}
	custodians := slices.Clone(addrs[:3])
	slices.SortFunc(custodians, func(a, b common.Address) int { return a.Cmp(b) })
	on := &custody.OnChain{ChainID: 56, Contract: dom.Contract, Custodians: custodians, Threshold: 2}
	in := &intent.Intent{Kind: intent.Release, ChainID: 56, Contract: dom.Contract, PaymentID: [16]byte{7}, EscrowID: common.Hash{7},
		Token: common.HexToAddress("0x55d398326f99059fF775485246999027B3197955"), Seller: common.HexToAddress("0x5e11"),
		SellerAmount: big.NewInt(98), FeeRecipient: common.HexToAddress("0xfee"), FeeAmount: big.NewInt(2),
		Deadline: time.Now().Add(time.Hour).Unix()}
	digest, err := in.Digest()
	if err != nil {
		t.Fatal(err)
	}
	sign := func(k *ecdsa.PrivateKey, d common.Hash) escrow.Approval {
		a, err := escrow.Sign(d, k)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	other := *in
	other.SellerAmount = big.NewInt(99)
	otherDigest, _ := other.Digest()
	forged := sign(keys[2], digest)
	forged.Signer = addrs[1] // names a signer it does not recover to

	if p := custody.ApprovalProgress(in, nil, on); p.String() != "0/2 of 3" {
		t.Fatalf("no approvals: %s", p)
	}
	one := []escrow.Approval{sign(keys[0], digest)}
	if p := custody.ApprovalProgress(in, one, on); p.String() != "1/2 of 3" || p.Stored != 1 {
		t.Fatalf("one approval: %s %+v", p, p)
	}
	mixed := []escrow.Approval{
		sign(keys[0], digest), sign(keys[0], digest), // the same custodian twice
		sign(keys[3], digest),      // a stranger
		sign(keys[1], otherDigest), // another amount
		forged,
	}
	if p := custody.ApprovalProgress(in, mixed, on); p.String() != "1/2 of 3" || p.Stored != 5 {
		t.Fatalf("mixed approvals: %s %+v", p, p)
	}
	two := append(mixed, sign(keys[2], digest))
	if p := custody.ApprovalProgress(in, two, on); p.String() != "2/2 of 3" || !p.Known() {
		t.Fatalf("two custodians: %s", p)
	}
	// Without the contract's set: only signatures are checked, the threshold is unknown.
	if p := custody.ApprovalProgress(in, two, nil); p.String() != "3/?" || p.Known() {
		t.Fatalf("without the chain: %s", p)
	}
}

package escrow_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/signer/core/apitypes"

	"github.com/amanat/amn/escrow"
)

// randMessages makes n random messages of every kind, with integers of random width up to 256
// bits (zero and 2^256−1 included), so that padding and encoding are exercised.
func randMessages(rng *rand.Rand, n int) []escrow.Message {
	u256 := func() *big.Int {
		switch rng.IntN(8) {
		case 0:
			return new(big.Int)
		case 1:
			return new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 256), big.NewInt(1))
		}
		b := make([]byte, 1+rng.IntN(32))
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
		return new(big.Int).SetBytes(b)
	}
	addr := func() (a common.Address) {
		for i := range a {
			a[i] = byte(rng.Uint32())
		}
		return a
	}
	id := func() (h [32]byte) {
		for i := range h {
			h[i] = byte(rng.Uint32())
		}
		return h
	}
	var out []escrow.Message
	for range n {
		custodians := make([]common.Address, rng.IntN(5))
		for i := range custodians {
			custodians[i] = addr()
		}
		out = append(out,
			escrow.Release{PaymentID: id(), Token: addr(), Seller: addr(), SellerAmount: u256(), FeeRecipient: addr(), FeeAmount: u256(), ResolvesDispute: rng.IntN(2) == 1, Deadline: u256()},
			escrow.Refund{PaymentID: id(), Token: addr(), Buyer: addr(), Amount: u256(), ResolvesDispute: rng.IntN(2) == 1, Deadline: u256()},
			escrow.Settle{PaymentID: id(), Token: addr(), Buyer: addr(), BuyerAmount: u256(), Seller: addr(), SellerAmount: u256(), FeeRecipient: addr(), FeeAmount: u256(), ResolvesDispute: rng.IntN(2) == 1, Deadline: u256()},
			escrow.SetCustodians{Custodians: custodians, Threshold: u256(), Nonce: u256(), Deadline: u256()},
			escrow.SetArbiter{Arbiter: addr(), Nonce: u256(), Deadline: u256()},
			escrow.SetReclaimDelay{ReclaimDelay: u256(), Nonce: u256(), Deadline: u256()},
		)
	}
	return out
}

// The hand-rolled encoding agrees with go-ethereum's independent EIP-712 implementation (which
// builds the type string from the field list) for every message kind, and the TypedData survives
// a JSON round trip, as eth_signTypedData_v4 sends it.
func TestDigestMatchesGoEthereumTypedData(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	d := escrow.Domain{ChainID: 56, Contract: common.HexToAddress("0x5FbDB2315678afecb367f032d93F642f64180aa3")}
	for _, m := range randMessages(rng, 40) {
		want, err := d.Digest(m)
		if err != nil {
			t.Fatal(err)
		}
		td, err := d.TypedData(m)
		if err != nil {
			t.Fatal(err)
		}
		if got := crypto.Keccak256Hash([]byte(m.TypeString())); !bytes.Equal(td.TypeHash(td.PrimaryType), got[:]) {
			t.Fatalf("%s: type string %q differs from the one go-ethereum builds: %s", td.PrimaryType, m.TypeString(), td.EncodeType(td.PrimaryType))
		}
		raw, err := json.Marshal(td)
		if err != nil {
			t.Fatal(err)
		}
		var back apitypes.TypedData
		if err := json.Unmarshal(raw, &back); err != nil {
			t.Fatal(err)
		}
		got, _, err := apitypes.TypedDataAndHash(back)
		if err != nil {
			t.Fatalf("%s: %v", td.PrimaryType, err)
		}
		if !bytes.Equal(got, want[:]) {
			t.Fatalf("%s: Digest %x, go-ethereum's TypedData hash %x", td.PrimaryType, want, got)
		}
	}
}

// The digest binds every field, the chain id and the contract.
func TestDigestChangesWithEveryInput(t *testing.T) {
	base := escrow.Release{PaymentID: [32]byte{1}, Token: common.Address{2}, Seller: common.Address{3}, SellerAmount: big.NewInt(97), FeeRecipient: common.Address{4}, FeeAmount: big.NewInt(3), Deadline: big.NewInt(1e9)}
	d := escrow.Domain{ChainID: 1, Contract: common.Address{9}}
	ref, err := d.Digest(base)
	if err != nil {
		t.Fatal(err)
	}
	variants := map[string]func(*escrow.Domain, *escrow.Release){
		"chain":        func(d *escrow.Domain, _ *escrow.Release) { d.ChainID = 56 },
		"contract":     func(d *escrow.Domain, _ *escrow.Release) { d.Contract = common.Address{8} },
		"paymentId":    func(_ *escrow.Domain, r *escrow.Release) { r.PaymentID[31] = 1 },
		"token":        func(_ *escrow.Domain, r *escrow.Release) { r.Token = common.Address{} },
		"seller":       func(_ *escrow.Domain, r *escrow.Release) { r.Seller = common.Address{5} },
		"sellerAmount": func(_ *escrow.Domain, r *escrow.Release) { r.SellerAmount = big.NewInt(98) },
		"feeRecipient": func(_ *escrow.Domain, r *escrow.Release) { r.FeeRecipient = common.Address{6} },
		"feeAmount":    func(_ *escrow.Domain, r *escrow.Release) { r.FeeAmount = big.NewInt(2) },
		"dispute":      func(_ *escrow.Domain, r *escrow.Release) { r.ResolvesDispute = true },
		"deadline":     func(_ *escrow.Domain, r *escrow.Release) { r.Deadline = big.NewInt(1e9 + 1) },
	}
	for name, mutate := range variants {
		dd, r := d, base
		mutate(&dd, &r)
		got, err := dd.Digest(r)
		if err != nil {
			t.Fatal(err)
		}
		if got == ref {
			t.Errorf("changing %s left the digest unchanged", name)
		}
	}
}

func TestDigestRejectsNonUint256(t *testing.T) {
	d := escrow.Domain{ChainID: 1}
	for name, v := range map[string]*big.Int{
		"nil":      nil,
		"negative": big.NewInt(-1),
		"2^256":    new(big.Int).Lsh(big.NewInt(1), 256),
	} {
		r := escrow.Refund{Amount: v, Deadline: big.NewInt(1)}
		if _, err := d.Digest(r); !errors.Is(err, escrow.ErrOutOfRange) {
			t.Errorf("%s amount: Digest error %v, want ErrOutOfRange", name, err)
		}
		if _, err := d.TypedData(r); !errors.Is(err, escrow.ErrOutOfRange) {
			t.Errorf("%s amount: TypedData error %v, want ErrOutOfRange", name, err)
		}
	}
}

// A Settle digest binds each of its ten fields: an approval of one split is worthless for any
// other (another amount to either side, another recipient, a longer deadline).
func TestSettleDigestChangesWithEveryField(t *testing.T) {
	base := escrow.Settle{PaymentID: [32]byte{1}, Token: common.Address{2}, Buyer: common.Address{3}, BuyerAmount: big.NewInt(30),
		Seller: common.Address{4}, SellerAmount: big.NewInt(68), FeeRecipient: common.Address{5}, FeeAmount: big.NewInt(2),
		ResolvesDispute: true, Deadline: big.NewInt(1e9)}
	d := escrow.Domain{ChainID: 56, Contract: common.Address{9}}
	ref, err := d.Digest(base)
	if err != nil {
		t.Fatal(err)
	}
	variants := map[string]func(*escrow.Settle){
		"paymentId":    func(s *escrow.Settle) { s.PaymentID[31] = 1 },
		"token":        func(s *escrow.Settle) { s.Token = common.Address{} },
		"buyer":        func(s *escrow.Settle) { s.Buyer = common.Address{6} },
		"buyerAmount":  func(s *escrow.Settle) { s.BuyerAmount = big.NewInt(31) },
		"seller":       func(s *escrow.Settle) { s.Seller = common.Address{3} },
		"sellerAmount": func(s *escrow.Settle) { s.SellerAmount = big.NewInt(67) },
		"feeRecipient": func(s *escrow.Settle) { s.FeeRecipient = common.Address{4} },
		"feeAmount":    func(s *escrow.Settle) { s.FeeAmount = big.NewInt(3) },
		"dispute":      func(s *escrow.Settle) { s.ResolvesDispute = false },
		"deadline":     func(s *escrow.Settle) { s.Deadline = big.NewInt(1e9 + 1) },
	}
	for name, mutate := range variants {
		s := base
		mutate(&s)
		got, err := d.Digest(s)
		if err != nil {
			t.Fatal(err)
		}
		if got == ref {
			t.Errorf("changing %s left the settle digest unchanged", name)
		}
	}
	// Swapping the buyer's and the seller's parts is another approval too.
	swapped := base
	swapped.BuyerAmount, swapped.SellerAmount = base.SellerAmount, base.BuyerAmount
	if got, _ := d.Digest(swapped); got == ref {
		t.Error("swapping the parts left the settle digest unchanged")
	}
}

package payment

import (
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/amanat/amn/ledger"
)

func TestEscrowRefIsTheLeftPaddedPaymentID(t *testing.T) {
	id := ledger.DeriveID("some payment")
	h := EscrowRef(id)
	if [16]byte(h[:16]) != [16]byte{} || [16]byte(h[16:]) != id {
		t.Fatalf("EscrowRef = %x, want 16 zero bytes then %x", h, id[:])
	}
}

// TestEscrowIDIsTheContractsEscrowID recomputes AmnEscrow's escrowId(funder, ref) =
// keccak256(abi.encode(funder, ref)) with the ABI encoder, independently of EscrowID. (The anvil
// tests in package escrow compare it with the deployed contract's own escrowId.)
func TestEscrowIDIsTheContractsEscrowID(t *testing.T) {
	addressT, _ := abi.NewType("address", "", nil)
	bytes32T, _ := abi.NewType("bytes32", "", nil)
	args := abi.Arguments{{Type: addressT}, {Type: bytes32T}}
	id := ledger.DeriveID("some payment")
	deposit := common.HexToAddress("0x00000000000000000000000000000000000000d1")
	enc, err := args.Pack(deposit, [32]byte(EscrowRef(id)))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := EscrowID(deposit, id), crypto.Keccak256Hash(enc); got != want {
		t.Fatalf("EscrowID = %s, want keccak256(abi.encode(deposit, ref)) = %s", got.Hex(), want.Hex())
	}
	p := &Payment{ID: id, Deposit: deposit}
	if p.EscrowID() != EscrowID(deposit, id) {
		t.Error("Payment.EscrowID differs from EscrowID(deposit, id)")
	}
	// Another funder (a front-runner copying the reference) or another payment: another escrow.
	other := common.HexToAddress("0x00000000000000000000000000000000000000d2")
	if EscrowID(other, id) == EscrowID(deposit, id) || EscrowID(deposit, ledger.DeriveID("another")) == EscrowID(deposit, id) {
		t.Error("escrow ids collide across funders or payments")
	}
	if EscrowID(deposit, id) == EscrowRef(id) {
		t.Error("the escrow id is the bare reference")
	}
}

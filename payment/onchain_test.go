package payment

import (
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/amanat/amn/ledger"
)

func TestEscrowIDRoundTrip(t *testing.T) {
	id := ledger.DeriveID("some payment")
	h := EscrowID(id)
	if [16]byte(h[:16]) != [16]byte{} || [16]byte(h[16:]) != id {
		t.Fatalf("EscrowID = %x, want 16 zero bytes then %x", h, id[:])
	}
	back, ok := PaymentIDFromEscrow(h)
	if !ok || back != id {
		t.Fatalf("PaymentIDFromEscrow = %v, %v", back, ok)
	}
	for _, bad := range []common.Hash{{}, common.HexToHash("0x01" + "00000000000000000000000000000000000000000000000000000000000000")} {
		if _, ok := PaymentIDFromEscrow(bad); ok {
			t.Errorf("PaymentIDFromEscrow(%x) accepted", bad)
		}
	}
}

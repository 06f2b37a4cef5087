package chart

import (
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/amanat/amn/ledger"
)

// The ids and codes are stored with every account and transfer: they may never change. These are
// the values the books on main hold since migration 00002.
func TestIDsAndCodesNeverChange(t *testing.T) {
	p := ledger.DeriveID("a payment")
	addr := common.HexToAddress("0x00000000000000000000000000000000000000AB")
	for _, c := range []struct {
		got  ledger.ID
		name string
	}{
		{PaymentOutside(p), "payment/outside\x00" + p.String()},
		{PaymentDeposit(p), "payment/deposit\x00" + p.String()},
		{Escrow("bsc:USDT"), "payment/escrow\x00bsc:USDT"},
		{PlatformFees("bsc:USDT"), "payment/fees\x00bsc:USDT"},
		{GasTank("bsc:BNB", addr), "gas/tank\x00bsc:BNB\x000x00000000000000000000000000000000000000ab"},
		{NetworkFees("bsc:BNB"), "gas/network-fees\x00bsc:BNB"},
		{GasHeld("bsc:BNB", addr), "gas/held\x00bsc:BNB\x000x00000000000000000000000000000000000000ab"},
		{GasOutside("bsc:BNB"), "gas/outside\x00bsc:BNB"},
	} {
		if c.got != ledger.DeriveID(c.name) {
			t.Errorf("account %q has another id", c.name)
		}
	}
	codes := []uint16{CodeDeposit, CodeSweep, CodeRelease, CodeCommission, CodeRefund, CodeReclaim, CodeGasBurnt, CodeGasTopup, CodeGasOutside, CodeGasFunding}
	want := []uint16{10, 11, 12, 13, 14, 15, 20, 21, 22, 23}
	for i := range codes {
		if codes[i] != want[i] {
			t.Errorf("transfer code %d is %d, want %d", i, codes[i], want[i])
		}
	}
}

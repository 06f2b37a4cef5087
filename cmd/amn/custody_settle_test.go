package main

import (
	"bytes"
	"math/big"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/google/uuid"

	"github.com/amanat/amn/custody"
	"github.com/amanat/amn/intent"
)

// `amn custody pending|show` prints a settle as its three payouts — buyer, seller, fee, each with
// its address and amount in the token's units — and their total, the whole escrow.
func TestPrintIntentShowsTheSplit(t *testing.T) {
	dec := uint8(6)
	in := &intent.Intent{ID: uuid.New(), Kind: intent.Settle, State: intent.AwaitingApprovals, ChainID: 56, ResolvesDispute: true,
		Buyer: common.HexToAddress("0xb0b"), BuyerAmount: big.NewInt(30_000_000),
		Seller: common.HexToAddress("0x5e11"), SellerAmount: big.NewInt(68_600_000),
		FeeRecipient: common.HexToAddress("0xfee"), FeeAmount: big.NewInt(1_400_000)}
	var out bytes.Buffer
	printIntent(&out, &custody.Pending{Intent: in, Payouts: custody.Payouts(in), Symbol: "USDT", Decimals: &dec})
	got := out.String()
	for _, want := range []string{
		"buyer   " + in.Buyer.Hex() + "  30 USDT",
		"seller  " + in.Seller.Hex() + "  68.6 USDT",
		"fee     " + in.FeeRecipient.Hex() + "  1.4 USDT",
		"split     100 USDT in all",
		"resolves a dispute",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in:\n%s", want, got)
		}
	}
}

package hwwallet_test

import (
	"errors"
	"math/big"
	"slices"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/amanat/amn/escrow"
	"github.com/amanat/amn/hwwallet"
	"github.com/amanat/amn/hwwallet/testdevice"
)

// settle is a dispute's 30/70 split of a 100 USDT (6 decimals) escrow, with the fee taken from the
// seller's part.
func settle() escrow.Settle {
	var id [32]byte
	copy(id[:], crypto.Keccak256([]byte("payment 19")))
	return escrow.Settle{
		PaymentID:       id,
		Token:           common.HexToAddress("0x55d398326f99059fF775485246999027B3197955"),
		Buyer:           common.HexToAddress("0x4444444444444444444444444444444444444444"),
		BuyerAmount:     big.NewInt(30_000_000),
		Seller:          common.HexToAddress("0x1111111111111111111111111111111111111111"),
		SellerAmount:    big.NewInt(68_250_000),
		FeeRecipient:    common.HexToAddress("0x2222222222222222222222222222222222222222"),
		FeeAmount:       big.NewInt(1_750_000),
		ResolvesDispute: true,
		Deadline:        big.NewInt(1_900_000_000),
	}
}

// settleScreens are the lines a custodian checks before approving s: each recipient and its part.
func settleScreens(s escrow.Settle) []string {
	return []string{
		"Settle.buyer: " + s.Buyer.Hex(), "Settle.buyerAmount: " + s.BuyerAmount.String(),
		"Settle.seller: " + s.Seller.Hex(), "Settle.sellerAmount: " + s.SellerAmount.String(),
		"Settle.feeRecipient: " + s.FeeRecipient.Hex(), "Settle.feeAmount: " + s.FeeAmount.String(),
		"Settle.resolvesDispute: true", "confirm: sign typed data Settle",
	}
}

// A Settle streams to a Model T field by field: the device shows each recipient and each part, the
// custodian checks them before pressing the button, and the signature verifies against the
// contract's settle digest.
func TestApproveSettleClearSigned(t *testing.T) {
	ctx := testContext(t)
	s := settle()
	dev, d := start(t, testdevice.Options{Review: testdevice.Expect(settleScreens(s)...)}, hwwallet.DeviceOptions{})
	a, err := d.SignApproval(ctx, hwwallet.DefaultPath, domain, s)
	if err != nil {
		t.Fatal(err)
	}
	digest, _ := domain.Digest(s)
	if signer, err := escrow.Verify(digest, a.Signature); err != nil || signer != allAllFirst || a.Signature[64] > 28 {
		t.Fatalf("approval recovers to %s, %v", signer, err)
	}
	screen := dev.Shown()
	for _, want := range append(settleScreens(s), "Settle.paymentId: 0x"+common.Bytes2Hex(s.PaymentID[:]),
		"Settle.token: "+s.Token.Hex(), "Settle.deadline: 1900000000", "domain name: AmnEscrow") {
		if !slices.Contains(screen, want) {
			t.Errorf("the device did not show %q:\n%s", want, strings.Join(screen, "\n"))
		}
	}
	// The parts are shown in the order the contract pays them: buyer, seller, fee.
	at := func(line string) int { return slices.Index(screen, line) }
	if !(at("Settle.buyerAmount: 30000000") < at("Settle.sellerAmount: 68250000") && at("Settle.sellerAmount: 68250000") < at("Settle.feeAmount: 1750000")) {
		t.Errorf("parts out of order:\n%s", strings.Join(screen, "\n"))
	}
	if r := dev.Refusals(); len(r) != 0 {
		t.Fatalf("the custodian refused: %v", r)
	}
}

// A host that streams another split than the one the custodian was told of (more to the buyer,
// or the seller's part to another address) is refused on the device: the person sees it and
// presses cancel, and no signature leaves the device.
func TestCustodianRefusesAnotherSplitOnTheDevice(t *testing.T) {
	ctx := testContext(t)
	agreed := settle()
	for name, tamper := range map[string]func(*escrow.Settle){
		"more to the buyer":      func(s *escrow.Settle) { s.BuyerAmount, s.SellerAmount = big.NewInt(60_000_000), big.NewInt(38_250_000) },
		"seller's part diverted": func(s *escrow.Settle) { s.Seller = common.HexToAddress("0x6666666666666666666666666666666666666666") },
		"fee raised":             func(s *escrow.Settle) { s.FeeAmount, s.SellerAmount = big.NewInt(9_750_000), big.NewInt(60_250_000) },
	} {
		t.Run(name, func(t *testing.T) {
			dev, d := start(t, testdevice.Options{Review: testdevice.Expect(settleScreens(agreed)...)}, hwwallet.DeviceOptions{})
			s := agreed
			tamper(&s)
			if _, err := d.SignApproval(ctx, hwwallet.DefaultPath, domain, s); !errors.Is(err, hwwallet.ErrCancelled) {
				t.Fatalf("signing %s: %v, want ErrCancelled", name, err)
			}
			if r := dev.Refusals(); len(r) != 1 {
				t.Fatalf("refusals %v", r)
			}
		})
	}
}

// A Trezor One approves a Settle through the hash flow (EthereumSignTypedHash): the host computes
// the message hash, checks it makes the contract's digest, and the device signs it.
func TestApproveSettleHashSigned(t *testing.T) {
	ctx := testContext(t)
	dev, d := start(t, testdevice.Options{Model: "1"}, hwwallet.DeviceOptions{})
	if _, err := d.Initialize(ctx); err != nil {
		t.Fatal(err)
	}
	s := settle()
	a, err := d.SignApprovalWith(ctx, hwwallet.HashSign, hwwallet.DefaultPath, domain, s)
	if err != nil {
		t.Fatal(err)
	}
	digest, _ := domain.Digest(s)
	if signer, err := escrow.Verify(digest, a.Signature); err != nil || signer != allAllFirst {
		t.Fatalf("recovers to %s, %v", signer, err)
	}
	sep := domain.Separator()
	if !slices.Contains(dev.Shown(), "domain hash: "+common.Bytes2Hex(sep[:])) {
		t.Fatalf("screen %q", dev.Shown())
	}
}

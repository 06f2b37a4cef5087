package hwwallet_test

import (
	"context"
	"math/big"
	"slices"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/amanat/amn/bindings"
	"github.com/amanat/amn/devnet"
	"github.com/amanat/amn/escrow"
	"github.com/amanat/amn/hwwallet"
	"github.com/amanat/amn/hwwallet/testdevice"
)

// TestDeviceApprovalsReleaseOnChain deploys an AmnEscrow on anvil whose custodians are keys of
// two test devices (a Model T and a Trezor One), and has the contract itself check their
// signatures: a release with a clear-signed and a hash-signed approval, and a refund with a
// blind (eth_sign form) and a clear-signed one. One device signature alone is refused.
func TestDeviceApprovalsReleaseOnChain(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	f, err := devnet.Start(ctx, 56, devnet.FixtureOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()

	_, modelT := start(t, testdevice.Options{}, hwwallet.DeviceOptions{})
	_, one := start(t, testdevice.Options{Model: "1"}, hwwallet.DeviceOptions{})
	pathA := hwwallet.DefaultPath
	pathB, _ := hwwallet.ParsePath("m/44'/60'/0'/0/1")
	pathC, _ := hwwallet.ParsePath("m/44'/60'/0'/0/2")
	custodians := make([]common.Address, 0, 3)
	for _, c := range []struct {
		d *hwwallet.Device
		p hwwallet.Path
	}{{modelT, pathA}, {one, pathB}, {modelT, pathC}} {
		a, err := c.d.Address(ctx, c.p)
		if err != nil {
			t.Fatal(err)
		}
		custodians = append(custodians, a)
	}
	slices.SortFunc(custodians, func(a, b common.Address) int { return a.Cmp(b) })

	addr, tx, esc, err := bindings.DeployAmnEscrow(f.Opts(ctx, f.Deployer), f.Client, custodians, big.NewInt(2),
		f.Arbiter.Address, big.NewInt(int64((7 * 24 * time.Hour).Seconds())))
	if _, err := f.Wait(ctx)(tx, err); err != nil {
		t.Fatalf("deploy: %v", err)
	}
	dom := escrow.Domain{ChainID: f.ChainID, Contract: addr}
	buyer := f.Buyers[0]
	token := f.Addresses.USDT
	// fund opens the buyer's escrow with reference ref and returns its id.
	fund := func(ref [32]byte, amount *big.Int) [32]byte {
		t.Helper()
		if _, err := f.Wait(ctx)(f.USDT.Approve(f.Opts(ctx, buyer), addr, amount)); err != nil {
			t.Fatalf("approve: %v", err)
		}
		if _, err := f.Wait(ctx)(esc.Fund(f.Opts(ctx, buyer), ref, token, amount, buyer.Address, f.Seller.Address)); err != nil {
			t.Fatalf("fund: %v", err)
		}
		id, err := esc.EscrowId(&bind.CallOpts{Context: ctx}, buyer.Address, ref)
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	balance := func(who common.Address) *big.Int {
		t.Helper()
		e, err := bindings.NewERC20(token, f.Client)
		if err != nil {
			t.Fatal(err)
		}
		b, err := e.BalanceOf(&bind.CallOpts{Context: ctx}, who)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	now, err := f.Now(ctx)
	if err != nil {
		t.Fatal(err)
	}
	deadline := big.NewInt(now.Add(time.Hour).Unix())

	// Release: Model T clear-signs, Trezor One hash-signs.
	releaseID := fund(crypto.Keccak256Hash([]byte("hwwallet chain release")), big.NewInt(100_000_000))
	r := escrow.Release{PaymentID: releaseID, Token: token, Seller: f.Seller.Address, SellerAmount: big.NewInt(97_000_000),
		FeeRecipient: f.FeeRecipient.Address, FeeAmount: big.NewInt(3_000_000), Deadline: deadline}
	digest, err := dom.Digest(r)
	if err != nil {
		t.Fatal(err)
	}
	if onChain, err := esc.ReleaseDigest(&bind.CallOpts{Context: ctx}, r.Binding()); err != nil || onChain != digest {
		t.Fatalf("releaseDigest %x, %v; Go %x", onChain, err, digest)
	}
	clear, err := modelT.SignApproval(ctx, pathA, dom, r)
	if err != nil {
		t.Fatal(err)
	}
	hashed, err := one.SignApproval(ctx, pathB, dom, r)
	if err != nil {
		t.Fatal(err)
	}
	sigs, err := escrow.Quorum(digest, []escrow.Approval{clear, hashed}, custodians, 2)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Wait(ctx)(esc.Release(f.Opts(ctx, f.Deployer), releaseID, r.Binding(), [][]byte{clear.Signature})); err == nil {
		t.Fatal("the contract released on one device signature")
	}
	sellerBefore, feeBefore := balance(f.Seller.Address), balance(f.FeeRecipient.Address)
	if _, err := f.Wait(ctx)(esc.Release(f.Opts(ctx, f.Deployer), releaseID, r.Binding(), sigs)); err != nil {
		t.Fatalf("release with device approvals: %v", err)
	}
	if got := new(big.Int).Sub(balance(f.Seller.Address), sellerBefore); got.Cmp(r.SellerAmount) != 0 {
		t.Fatalf("seller got %v, want %v", got, r.SellerAmount)
	}
	if got := new(big.Int).Sub(balance(f.FeeRecipient.Address), feeBefore); got.Cmp(r.FeeAmount) != 0 {
		t.Fatalf("fee recipient got %v, want %v", got, r.FeeAmount)
	}

	// Refund: a blind eth_sign-form approval (v = 31/32) and a clear-signed one.
	refundID := fund(crypto.Keccak256Hash([]byte("hwwallet chain refund")), big.NewInt(5_000_000))
	rf := escrow.Refund{PaymentID: refundID, Token: token, Buyer: buyer.Address, Amount: big.NewInt(5_000_000), Deadline: deadline}
	rdigest, err := dom.Digest(rf)
	if err != nil {
		t.Fatal(err)
	}
	blind, err := modelT.SignApprovalBlind(ctx, pathA, dom, rf)
	if err != nil {
		t.Fatal(err)
	}
	clearC, err := modelT.SignApproval(ctx, pathC, dom, rf)
	if err != nil {
		t.Fatal(err)
	}
	rsigs, err := escrow.Quorum(rdigest, []escrow.Approval{blind, clearC}, custodians, 2)
	if err != nil {
		t.Fatal(err)
	}
	buyerBefore := balance(buyer.Address)
	if _, err := f.Wait(ctx)(esc.Refund(f.Opts(ctx, f.Deployer), refundID, rf.Binding(), rsigs)); err != nil {
		t.Fatalf("refund with device approvals: %v", err)
	}
	if got := new(big.Int).Sub(balance(buyer.Address), buyerBefore); got.Cmp(rf.Amount) != 0 {
		t.Fatalf("buyer got back %v, want %v", got, rf.Amount)
	}
}

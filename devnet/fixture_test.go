package devnet_test

import (
	"bytes"
	"context"
	"errors"
	"math/big"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"

	"github.com/amanat/amn/devnet"
)

// Start deploys every contract of the money path with the requested custodian set, funds the
// buyers, and Close stops the node.
func TestFixtureDeploysAndStops(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	f, err := devnet.Start(ctx, 137, devnet.FixtureOptions{Custodians: 4, Threshold: 3, ReclaimDelay: 48 * time.Hour, Mint: 500})
	if err != nil {
		t.Fatal(err)
	}
	closed := false
	defer func() {
		if !closed {
			f.Close()
		}
	}()
	call := &bind.CallOpts{Context: ctx}

	a := f.Addresses
	all := []common.Address{a.ERC20FeeProxy, a.EthereumFeeProxy, a.USDT, a.TUSD, a.Escrow}
	for i, addr := range all {
		code, err := f.Client.CodeAt(ctx, addr, nil)
		if err != nil || len(code) == 0 {
			t.Fatalf("contract %d at %s has no code (%v)", i, addr, err)
		}
		if slices.Contains(all[:i], addr) {
			t.Fatalf("two contracts at %s", addr)
		}
	}
	// The Request Network proxies are the real ones: they answer with their own events' ABI.
	// (A zero-amount payment through the ERC20FeeProxy emits TransferWithReferenceAndFee.)
	rcpt, err := f.Wait(ctx)(f.FeeProxy.TransferFromWithReferenceAndFee(f.Opts(ctx, f.Buyers[0]), a.TUSD, f.Seller.Address, new(big.Int), []byte("ref00001"), new(big.Int), common.Address{}))
	if err != nil {
		t.Fatal(err)
	}
	if len(rcpt.Logs) == 0 {
		t.Fatal("fee proxy emitted nothing")
	}
	if _, err := f.FeeProxy.ParseTransferWithReferenceAndFee(*rcpt.Logs[len(rcpt.Logs)-1]); err != nil {
		t.Fatalf("fee proxy log: %v", err)
	}

	custodians, err := f.Escrow.Custodians(call)
	if err != nil {
		t.Fatal(err)
	}
	if len(custodians) != 4 || len(f.Custodians) != 4 {
		t.Fatalf("%d custodians on chain, %d in the fixture; want 4", len(custodians), len(f.Custodians))
	}
	for i, c := range f.Custodians {
		if custodians[i] != c.Address {
			t.Fatalf("custodian %d: chain %s, fixture %s", i, custodians[i], c.Address)
		}
		if i > 0 && bytes.Compare(c.Address[:], f.Custodians[i-1].Address[:]) <= 0 {
			t.Fatal("fixture custodians are not ascending")
		}
	}
	if th, err := f.Escrow.Threshold(call); err != nil || th.Int64() != 3 || f.Threshold != 3 {
		t.Fatalf("threshold %v (%v), fixture %d; want 3", th, err, f.Threshold)
	}
	if arb, err := f.Escrow.Arbiter(call); err != nil || arb != f.Arbiter.Address {
		t.Fatalf("arbiter %s (%v), want %s", arb, err, f.Arbiter.Address)
	}
	if d, err := f.Escrow.ReclaimDelay(call); err != nil || d.Int64() != 48*3600 {
		t.Fatalf("reclaim delay %v (%v), want 48h", d, err)
	}
	if dec, err := f.USDT.Decimals(call); err != nil || dec != 6 {
		t.Fatalf("USDT decimals %d (%v)", dec, err)
	}
	if dec, err := f.TUSD.Decimals(call); err != nil || dec != 18 {
		t.Fatalf("TUSD decimals %d (%v)", dec, err)
	}
	for _, b := range f.Buyers {
		if bal, err := f.USDT.BalanceOf(call, b.Address); err != nil || bal.Cmp(big.NewInt(500e6)) != 0 {
			t.Fatalf("buyer %s USDT %v (%v), want 500e6", b.Address, bal, err)
		}
		want := new(big.Int).Mul(big.NewInt(500), big.NewInt(1e18))
		if bal, err := f.TUSD.BalanceOf(call, b.Address); err != nil || bal.Cmp(want) != 0 {
			t.Fatalf("buyer %s TUSD %v (%v), want %v", b.Address, bal, err, want)
		}
	}
	// Every role is a distinct anvil account.
	roles := []common.Address{f.Deployer.Address, f.Arbiter.Address, f.Seller.Address, f.FeeRecipient.Address}
	for _, b := range f.Buyers {
		roles = append(roles, b.Address)
	}
	for _, c := range f.Custodians {
		roles = append(roles, c.Address)
	}
	seen := map[common.Address]bool{}
	for _, r := range roles {
		if seen[r] {
			t.Fatalf("%s has two roles", r)
		}
		seen[r] = true
	}

	// Time moves when asked to.
	t0, err := f.Now(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.IncreaseTime(ctx, 24*time.Hour); err != nil {
		t.Fatal(err)
	}
	if t1, err := f.Now(ctx); err != nil || t1.Sub(t0) < 24*time.Hour {
		t.Fatalf("after IncreaseTime(24h): %v → %v (%v)", t0, t1, err)
	}

	pid := f.Node.Pid()
	f.Close()
	closed = true
	if err := syscall.Kill(pid, 0); err == nil {
		t.Fatalf("anvil %d still running after Close", pid)
	}
	if _, err := f.Client.BlockNumber(ctx); err == nil {
		t.Fatal("the fixture's client still answers after Close")
	}
}

func TestFixtureOptionsAreChecked(t *testing.T) {
	ctx := context.Background()
	for name, o := range map[string]devnet.FixtureOptions{
		"5 custodians (keys for 4)": {Custodians: 5},
		"threshold above N":         {Custodians: 2, Threshold: 3},
		"reclaim delay too short":   {ReclaimDelay: time.Hour},
		"negative mint":             {Mint: -1},
	} {
		if f, err := devnet.Start(ctx, 56, o); err == nil {
			f.Close()
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestDeployRefusesWhatIsNotItsAnvil(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := devnet.Deploy(ctx, nil, devnet.FixtureOptions{}); !errors.Is(err, devnet.ErrNotDevnet) {
		t.Fatalf("nil node: %v", err)
	}
	// A node value not made by StartAnvil (e.g. a mainnet URL pasted into a struct).
	fake := &devnet.Anvil{ChainID: 1, URL: "http://127.0.0.1:8545"}
	if _, err := devnet.Deploy(ctx, fake, devnet.FixtureOptions{}); !errors.Is(err, devnet.ErrNotDevnet) {
		t.Fatalf("hand-made node: %v", err)
	}
	node, err := devnet.StartAnvil(ctx, devnet.AnvilOptions{ChainID: 56})
	if err != nil {
		t.Fatal(err)
	}
	pid := node.Pid()
	node.Stop()
	if _, err := devnet.Deploy(ctx, node, devnet.FixtureOptions{}); !errors.Is(err, devnet.ErrNotDevnet) {
		t.Fatalf("stopped node: %v", err)
	}
	if err := syscall.Kill(pid, 0); err == nil {
		t.Fatalf("anvil %d still running after Stop", pid)
	}
}

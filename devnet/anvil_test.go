package devnet_test

import (
	"context"
	"errors"
	"syscall"
	"testing"

	"github.com/amanat/amn/chain"
	"github.com/amanat/amn/devnet"
)

func TestAnvilServesItsChainAndStops(t *testing.T) {
	ctx := context.Background()
	a, err := devnet.StartAnvil(ctx, devnet.AnvilOptions{ChainID: 56, SlotsInEpoch: 1})
	if err != nil {
		t.Fatal(err)
	}
	c, err := chain.Dial(ctx, a.URL, 56)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	c.Close()
	if _, err := chain.Dial(ctx, a.URL, 137); !errors.Is(err, chain.ErrWrongChain) {
		t.Fatal("dialing chain 137 on a chain-56 node succeeded; want ErrWrongChain")
	}
	pid := a.Pid()
	a.Stop()
	if err := syscall.Kill(pid, 0); err == nil {
		t.Fatalf("anvil pid %d still alive after Stop", pid)
	}
}

package chain_test

import (
	"errors"
	"testing"

	"github.com/amanat/amn/chain"
)

func TestLookup(t *testing.T) {
	for _, tc := range []struct {
		in     string
		wantID uint64
		floor  uint64
	}{
		{"eth", 1, 12}, {"1", 1, 12}, {"BSC", 56, 15}, {"56", 56, 15}, {"polygon", 137, 128}, {"137", 137, 128},
	} {
		c, err := chain.Lookup(tc.in)
		if err != nil || c.ID != tc.wantID || c.DepthFloor != tc.floor {
			t.Errorf("Lookup(%q) = %+v, %v", tc.in, c, err)
		}
	}
	for _, bad := range []string{"", "solana", "2"} {
		if _, err := chain.Lookup(bad); !errors.Is(err, chain.ErrUnknownChain) {
			t.Errorf("Lookup(%q) err = %v, want ErrUnknownChain", bad, err)
		}
	}
}

package signer

import (
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
)

// The policy file: limits, fee recipients and gas top-ups; a gas_topups entry must say where and
// how much, or the file is refused.
func TestLoadPolicy(t *testing.T) {
	write := func(doc string) string {
		p := filepath.Join(t.TempDir(), "policy.json")
		if err := os.WriteFile(p, []byte(doc), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	dest := common.HexToAddress("0x00000000000000000000000000000000000a110e")
	p, err := LoadPolicy(write(`{"limits": [{"chain_id": 56, "token": "0x55d398326f99059fF775485246999027B3197955", "per_tx": "10", "per_day": "100"}],
		"fee_recipients": {"56": ["0x0000000000000000000000000000000000000fee"]},
		"gas_topups": [{"chain_id": 56, "destinations": ["` + dest.Hex() + `"], "per_tx": "50000000000000000", "per_day": "200000000000000000"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	g, ok := p.GasTopups[56]
	if !ok || len(g.Destinations) != 1 || g.Destinations[0] != dest || g.PerTx.Cmp(big.NewInt(5e16)) != 0 || g.PerDay.Cmp(big.NewInt(2e17)) != 0 {
		t.Fatalf("gas top-ups %+v", p.GasTopups)
	}
	if _, ok := p.GasTopups[1]; ok {
		t.Fatal("a chain without an entry allows top-ups")
	}
	for name, doc := range map[string]string{
		"no per_day":      `{"gas_topups": [{"chain_id": 56, "destinations": ["` + dest.Hex() + `"], "per_tx": "1"}]}`,
		"no destinations": `{"gas_topups": [{"chain_id": 56, "destinations": [], "per_tx": "1", "per_day": "1"}]}`,
		"zero address":    `{"gas_topups": [{"chain_id": 56, "destinations": ["0x0000000000000000000000000000000000000000"], "per_tx": "1", "per_day": "1"}]}`,
		"twice":           `{"gas_topups": [{"chain_id": 56, "destinations": ["` + dest.Hex() + `"], "per_tx": "1", "per_day": "1"}, {"chain_id": 56, "destinations": ["` + dest.Hex() + `"], "per_tx": "1", "per_day": "1"}]}`,
		"decimal amount":  `{"gas_topups": [{"chain_id": 56, "destinations": ["` + dest.Hex() + `"], "per_tx": "0.05", "per_day": "1"}]}`,
	} {
		if _, err := LoadPolicy(write(doc)); err == nil || !strings.Contains(err.Error(), "gas_topups") {
			t.Errorf("%s: %v", name, err)
		}
	}
}

package signer

import (
	"errors"
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

// Acceptance 8: the policy fails closed. A limit without per_tx or per_day, a misspelled key at
// any depth, or a value that is not a string of base units refuses the file, naming the key; an
// empty or misspelled limit is never read as "no limit".
func TestPolicyFailsClosedNamingTheKey(t *testing.T) {
	write := func(doc string) string {
		p := filepath.Join(t.TempDir(), "policy.json")
		if err := os.WriteFile(p, []byte(doc), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	const token = `"token": "0x55d398326f99059fF775485246999027B3197955"`
	dest := `"destinations": ["0x00000000000000000000000000000000000a110e"]`
	for _, tc := range []struct{ name, doc, key string }{
		{"no per_day", `{"limits": [{"chain_id": 56, ` + token + `, "per_tx": "10"}]}`, "limits[0].per_day"},
		{"no per_tx", `{"limits": [{"chain_id": 56, ` + token + `, "per_day": "10"}]}`, "limits[0].per_tx"},
		{"empty per_day", `{"limits": [{"chain_id": 56, ` + token + `, "per_tx": "10", "per_day": ""}]}`, "limits[0].per_day"},
		{"null per_tx", `{"limits": [{"chain_id": 56, ` + token + `, "per_tx": null, "per_day": "10"}]}`, "limits[0].per_tx"},
		{"misspelled per_day", `{"limits": [{"chain_id": 56, ` + token + `, "per_tx": "10", "per_dya": "10"}]}`, "limits[0].per_dya"},
		{"second limit misspelled", `{"limits": [{"chain_id": 56, ` + token + `, "per_tx": "1", "per_day": "1"},
			{"chain_id": 1, ` + token + `, "per_tx": "1", "perday": "1"}]}`, "limits[1].perday"},
		{"unknown top-level key", `{"limit": [{"chain_id": 56, ` + token + `, "per_tx": "1", "per_day": "1"}]}`, "limit"},
		{"unknown gas_topups key", `{"gas_topups": [{"chain_id": 56, ` + dest + `, "per_tx": "1", "per_day": "1", "max": "9"}]}`, "gas_topups[0].max"},
		{"gas_topups without per_tx", `{"gas_topups": [{"chain_id": 56, ` + dest + `, "per_day": "1"}]}`, "gas_topups[0].per_tx"},
		{"number, not a string", `{"limits": [{"chain_id": 56, ` + token + `, "per_tx": 10, "per_day": "10"}]}`, "limits[0].per_tx"},
		{"decimal", `{"limits": [{"chain_id": 56, ` + token + `, "per_tx": "1.5", "per_day": "10"}]}`, "limits[0].per_tx"},
		{"signed", `{"limits": [{"chain_id": 56, ` + token + `, "per_tx": "+5", "per_day": "10"}]}`, "limits[0].per_tx"},
		{"no chain", `{"limits": [{` + token + `, "per_tx": "1", "per_day": "1"}]}`, "limits[0].chain_id"},
		{"no token", `{"limits": [{"chain_id": 56, "per_tx": "1", "per_day": "1"}]}`, "limits[0].token"},
		{"twice", `{"limits": [{"chain_id": 56, ` + token + `, "per_tx": "1", "per_day": "1"}, {"chain_id": 56, ` + token + `, "per_tx": "9", "per_day": "9"}]}`, "limits[1]"},
	} {
		_, err := LoadPolicy(write(tc.doc))
		var pe *PolicyError
		if !errors.As(err, &pe) || pe.Key != tc.key || !strings.Contains(err.Error(), tc.key) {
			t.Errorf("%s: %v; want the key %s named", tc.name, err, tc.key)
		}
	}
	// "0" is a limit: it allows nothing, and is accepted as such.
	p, err := LoadPolicy(write(`{"limits": [{"chain_id": 56, ` + token + `, "per_tx": "0", "per_day": "0"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range p.Limits {
		if l.PerTx == nil || l.PerTx.Sign() != 0 || l.PerDay == nil || l.PerDay.Sign() != 0 {
			t.Fatalf("zero limits read as %+v", l)
		}
	}
	// A policy built in code with a limit missing is refused by New as well.
	if err := (Policy{Limits: map[LimitKey]Limit{{56, common.Address{1}}: {PerTx: big.NewInt(1)}}}).Validate(); err == nil {
		t.Fatal("a limit without per_day validated")
	}
}

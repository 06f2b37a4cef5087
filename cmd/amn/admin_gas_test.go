package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/amanat/amn/db/dbtest"
	"github.com/amanat/amn/devnet"
)

// `amn admin gas fund` books a final transfer to the gas tank once, prints the tank's books beside
// its chain balance, and refuses what is not a funding of the tank (exit 2, one line) or not final
// yet (exit 1).
func TestAdminGasFund(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	f, err := devnet.Start(ctx, 56, devnet.FixtureOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tank := crypto.PubkeyToAddress(must(crypto.GenerateKey()).PublicKey)
	chains := filepath.Join(t.TempDir(), "chains.json")
	if err := os.WriteFile(chains, []byte(fmt.Sprintf(`{"chains": [{"key": "bsc", "endpoints": [%q], "gas_tanks": [%q]}]}`,
		f.URL, tank.Hex())), 0o600); err != nil {
		t.Fatal(err)
	}
	env := []string{"AMN_DATABASE_URL=" + dbtest.URL(t)}
	fund := func(args ...string) (int, string, string) {
		return run(t, env, append([]string{"admin", "gas", "fund", "--chain-config", chains}, args...)...)
	}
	send := func(to common.Address, wei int64) string {
		r, err := f.Send(ctx, f.Deployer, to, nil, big.NewInt(wei))
		if err != nil {
			t.Fatal(err)
		}
		return r.TxHash.Hex()
	}
	funding, toOther := send(tank, 2e18), send(f.Seller.Address, 1e18)

	// bsc's depth floor is 15 blocks: not final yet.
	if code, _, errs := fund("--chain", "bsc", "--tx", funding); code != 1 || !strings.Contains(errs, "not final yet") {
		t.Fatalf("a funding not final yet: exit %d: %s", code, errs)
	}
	if err := f.RPC.CallContext(ctx, nil, "anvil_mine", hexutil.Uint64(20)); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"no tx", []string{"--chain", "bsc"}, "--chain and --tx are required"},
		{"no chain", []string{"--tx", funding}, "--chain and --tx are required"},
		{"malformed hash", []string{"--chain", "bsc", "--tx", "0x1234"}, "is not a transaction hash"},
		{"bad tank", []string{"--chain", "bsc", "--tx", funding, "--tank", "0xnope"}, `--tank "0xnope" is not an address`},
		{"unknown chain", []string{"--chain", "solana", "--tx", funding}, `unknown chain "solana"`},
		{"a transfer to someone else", []string{"--chain", "bsc", "--tx", toOther}, "not sent to the tank"},
		{"another tank", []string{"--chain", "bsc", "--tx", funding, "--tank", f.Seller.Address.Hex()}, "not sent to the tank"},
		{"unknown transaction", []string{"--chain", "bsc", "--tx", "0x" + strings.Repeat("ab", 32)}, "no such transaction"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errs := fund(tc.args...)
			lines := strings.Split(strings.TrimSpace(errs), "\n")
			if code != 2 || len(lines) != 1 || !strings.Contains(lines[0], tc.want) {
				t.Fatalf("exit %d, stderr %q (stdout %q); want 2 and one line with %q", code, errs, out, tc.want)
			}
		})
	}

	code, out, errs := fund("--chain", "bsc", "--tx", funding)
	if code != 0 || !strings.Contains(out, "funding booked: 2 BNB (2000000000000000000 wei) from "+f.Deployer.Address.Hex()) ||
		!strings.Contains(out, "books 2 BNB, chain 2 BNB") {
		t.Fatalf("fund: exit %d: %s%s", code, out, errs)
	}
	code, out, errs = fund("--chain", "bsc", "--tx", funding, "--json")
	var got struct {
		Tank    common.Address `json:"tank"`
		Amount  *big.Int       `json:"amount"`
		Created bool           `json:"created"`
		Ledger  string         `json:"ledger"`
		Books   string         `json:"books"`
		OnChain string         `json:"on_chain"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &got) != nil || got.Created || got.Tank != tank || got.Amount.Cmp(big.NewInt(2e18)) != 0 ||
		got.Ledger != "bsc:BNB" || got.Books != "2000000000000000000" || got.OnChain != got.Books {
		t.Fatalf("fund again --json: exit %d: %s%s", code, out, errs)
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

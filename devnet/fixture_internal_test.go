package devnet

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// Deploy talks only to an anvil it started, serving the chain id it was started with, and not
// forking another network: a node that answers as geth, or with another chain id, is refused.
func TestDeployChecksTheNodeItTalksTo(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	node, err := StartAnvil(ctx, AnvilOptions{ChainID: 56})
	if err != nil {
		t.Fatal(err)
	}
	defer node.Stop()

	// JSON-RPC servers that claim to be a real BSC node, and an anvil forking BSC mainnet.
	fake := func(version string, forkURL any) *httptest.Server {
		return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			var req struct {
				ID     json.RawMessage `json:"id"`
				Method string          `json:"method"`
			}
			_ = json.NewDecoder(r.Body).Decode(&req)
			result := map[string]any{
				"eth_chainId":        "0x38",
				"web3_clientVersion": version,
				"anvil_nodeInfo":     map[string]any{"forkConfig": map[string]any{"forkUrl": forkURL}},
			}[req.Method]
			_ = json.NewEncoder(w).Encode(map[string]any{"jsonrpc": "2.0", "id": req.ID, "result": result})
		}))
	}
	geth := fake("Geth/v1.5.9-stable/linux-amd64/go1.24.1", nil)
	defer geth.Close()
	fork := fake("anvil/v1.7.1", "https://bsc-dataseed.bnbchain.org")
	defer fork.Close()

	cases := map[string]func(a *Anvil){
		"geth behind the URL": func(a *Anvil) { a.URL = geth.URL },
		"other chain id":      func(a *Anvil) { a.ChainID = 1 },
		"anvil forking BSC":   func(a *Anvil) { a.URL = fork.URL },
	}
	for name, mutate := range cases {
		a := *node
		mutate(&a)
		_, err := Deploy(ctx, &a, FixtureOptions{})
		if !errors.Is(err, ErrNotDevnet) {
			t.Errorf("%s: Deploy error %v, want ErrNotDevnet", name, err)
		}
		t.Logf("%s: %v", name, err)
	}
	// The untouched node passes the check.
	c, err := checkDevnet(ctx, node)
	if err != nil {
		t.Fatalf("own anvil refused: %v", err)
	}
	c.Close()
}

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/amanat/amn/db/dbtest"
)

// rpcKey stands for a provider's API key in the endpoint's path (…/v2/KEY).
const rpcKey = "k3yInThePath0123456789abcdef"

// keyedRPC is an endpoint whose URL carries rpcKey: it answers eth_chainId for BNB Smart Chain
// (so the process starts) and drops the connection on every other call, as a failing provider
// does; go-ethereum's error then carries the full URL (`Post "http://…/v2/KEY": EOF`).
func keyedRPC(t *testing.T) (url, masked string) {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			ID     json.RawMessage `json:"id"`
			Method string          `json:"method"`
		}
		if json.NewDecoder(r.Body).Decode(&req) == nil && req.Method == "eth_chainId" {
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprintf(w, `{"jsonrpc":"2.0","id":%s,"result":"0x38"}`, req.ID)
			return
		}
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/v2/" + rpcKey, srv.URL + "/xxxxx"
}

// waitRPCFailureLogged waits until the process has logged the failing endpoint, masked or not,
// or fails showing what it logged.
func waitRPCFailureLogged(t *testing.T, logs *syncBuffer, masked string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for s := logs.String(); !strings.Contains(s, masked) && !strings.Contains(s, rpcKey); s = logs.String() {
		if time.Now().After(deadline) {
			t.Fatalf("never logged the RPC failure (%s):\n%s", masked, s)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Acceptance 9: an indexer and a signer whose RPC endpoint carries an API key in its path, and
// fails, log the failure (the masked URL shows it was logged) and never the key; nor does /readyz.
func TestRPCKeyNeverReachesTheLogs(t *testing.T) {
	env := []string{"AMN_DATABASE_URL=" + dbtest.URL(t)}
	t.Run("indexer", func(t *testing.T) {
		url, masked := keyedRPC(t)
		_, logs, base := startRole(t, env, "indexer", "--chain", "bsc", "--rpc-url", url, "--log-level", "debug")
		waitRPCFailureLogged(t, logs, masked)
		_, ready := get(t, base+"/readyz")
		if strings.Contains(logs.String()+ready, rpcKey) {
			t.Fatalf("the key reached the indexer's log or /readyz:\n%s\n%s", logs.String(), ready)
		}
	})
	t.Run("signer", func(t *testing.T) {
		url, masked := keyedRPC(t)
		keys, pass, _ := signerKeyDir(t)
		dir := t.TempDir()
		chains := filepath.Join(dir, "chains.json")
		policy := filepath.Join(dir, "policy.json")
		const dest = "0x00000000000000000000000000000000000a1109" // no other test tops it up
		t.Cleanup(func() {                                        // leave no open intent for the package's later signers
			_, _ = dbtest.Pool(t).Exec(context.Background(), `UPDATE signer_intents SET state = 'rejected', reason = 'test over'
				WHERE recipient = $1 AND state NOT IN ('done', 'rejected')`, dest)
		})
		for f, c := range map[string]string{
			chains: fmt.Sprintf(`{"chains": [{"key": "bsc", "endpoints": [%q], "escrow": "0x00000000000000000000000000000000000e5c20"}]}`, url),
			policy: `{"gas_topups": [{"chain_id": 56, "destinations": ["` + dest + `"], "per_tx": "100000000000000000", "per_day": "100000000000000000"}]}`,
		} {
			if err := os.WriteFile(f, []byte(c), 0o600); err != nil {
				t.Fatal(err)
			}
		}
		_, logs, base := startRole(t, env, "signer", "--key-dir", keys, "--passphrase-file", pass, "--chain-config", chains,
			"--chains", "bsc", "--policy", policy, "--poll", "100ms", "--log-level", "debug")
		// A top-up the policy allows: verifying it reads the gas tank's balance, which fails.
		if code, out, errs := run(t, env, "admin", "topup", "--chain", "bsc", "--chain-config", chains, dest, "0.01"); code != 0 {
			t.Fatalf("admin topup: exit %d: %s%s", code, out, errs)
		}
		waitRPCFailureLogged(t, logs, masked)
		_, ready := get(t, base+"/readyz")
		if strings.Contains(logs.String()+ready, rpcKey) {
			t.Fatalf("the key reached the signer's log or /readyz:\n%s\n%s", logs.String(), ready)
		}
	})
}

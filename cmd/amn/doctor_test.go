package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/amanat/amn/db/dbtest"
)

// amn doctor prints a line per check and exits 0 when none failed, 1 when one did, naming the
// endpoint with its key masked; the settings it cannot use exit 2.
func TestDoctorCommand(t *testing.T) {
	// A database of its own: the xpub check reads every deposit, and other tests of the package
	// make payments with other xpubs.
	_, url := dbtest.Isolated(t)
	env := []string{"AMN_DATABASE_URL=" + url, "AMN_REDIS_URL=" + redisURL}
	code, out, errs := run(t, env, "doctor")
	if code != 0 || !strings.Contains(out, "ok    grants amn_signer") || !strings.Contains(out, "ok    redis") {
		t.Fatalf("healthy: exit %d\nstdout: %s\nstderr: %s", code, out, errs)
	}
	cfg := filepath.Join(t.TempDir(), "chains.json")
	const key = "0123456789abcdef0123456789abcdef"
	if err := os.WriteFile(cfg, []byte(`{"chains": [{"key": "bsc", "endpoints": ["http://127.0.0.1:1/v3/`+key+`"]}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errs = run(t, env, "doctor", "--chain-config", cfg, "--timeout", "3s")
	if code != 1 || !strings.Contains(out, "FAIL  rpc bsc http://127.0.0.1:1/v3/xxxxx") || strings.Contains(out+errs, key) ||
		!strings.Contains(errs, "1 of ") {
		t.Fatalf("broken endpoint: exit %d\nstdout: %s\nstderr: %s", code, out, errs)
	}
	if code, _, errs := run(t, env, "doctor", "--chains", "nowhere"); code != 2 || !strings.Contains(errs, "--chains") {
		t.Fatalf("unknown chain: exit %d: %s", code, errs)
	}
}

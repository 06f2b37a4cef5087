package main

import (
	"context"
	"crypto/ecdsa"
	"encoding/json"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/amanat/amn/db/dbtest"
	"github.com/amanat/amn/intent"
	"github.com/amanat/amn/signer"
)

func TestSignerInitWritesEncryptedKeysAndPrintsNoSecret(t *testing.T) {
	dir := t.TempDir()
	mn := filepath.Join(dir, "mnemonic.txt")
	pass := filepath.Join(dir, "pass")
	key := filepath.Join(dir, "op.hex")
	const secretKey = "4bbbf85ce3377467afe5d46f804f221813b2bb87f24d81f60f1fcdbf7cbf4356"
	for f, c := range map[string]string{mn: "test test test test test test test test test test test junk\n",
		pass: "a long enough passphrase\n", key: secretKey + "\n"} {
		if err := os.WriteFile(f, []byte(c), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	keys := filepath.Join(dir, "keys")
	code, out, errs := run(t, nil, "signer", "init", "--key-dir", keys, "--passphrase-file", pass, "--mnemonic-file", mn,
		"--operator-key-file", key, "--light-kdf")
	if code != 0 {
		t.Fatalf("init: exit %d: %s", code, errs)
	}
	// anvil account 7's key; the account xpub of the test mnemonic.
	if !strings.Contains(out, "0x14dC79964da2C08b23698B3D3cc7Ca32193d9955") || !strings.Contains(out, anvilXpub) {
		t.Fatalf("init output:\n%s", out)
	}
	for _, s := range []string{"junk", secretKey, "passphrase"} {
		if strings.Contains(out+errs, s) {
			t.Fatalf("init printed a secret (%q):\n%s%s", s, out, errs)
		}
	}
	code, _, errs = run(t, nil, "signer", "init", "--key-dir", keys, "--passphrase-file", pass, "--mnemonic-file", mn, "--light-kdf")
	if code != 2 || !strings.Contains(errs, "already exist") {
		t.Fatalf("second init: exit %d: %s", code, errs)
	}
	// A wrong passphrase stops the signer at start, naming no secret.
	wrong := filepath.Join(dir, "wrong")
	if err := os.WriteFile(wrong, []byte("another long passphrase"), 0o600); err != nil {
		t.Fatal(err)
	}
	policy := filepath.Join(dir, "policy.json")
	if err := os.WriteFile(policy, []byte(`{"limits": []}`), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errs = run(t, []string{"AMN_DATABASE_URL=" + dbtest.URL(t)}, "signer", "--key-dir", keys, "--passphrase-file", wrong,
		"--chains", "bsc", "--policy", policy, "--listen", "127.0.0.1:0")
	if code != 2 || !strings.Contains(errs, "wrong passphrase") || strings.Contains(errs, "another long") {
		t.Fatalf("signer with a wrong passphrase: exit %d: %s", code, errs)
	}
}

// Acceptance 6, with the binary: `amn signer audit head` prints a head to pin; `audit verify`
// passes against it, and fails (exit 1) naming the row and the check when the database owner
// rewrote a row and recomputed the chain, or cut the log short. The test has a database of its
// own: it plays the owner.
func TestSignerAuditVerify(t *testing.T) {
	ctx := context.Background()
	keys, _, op := signerKeyDir(t)
	operator := crypto.PubkeyToAddress(op.PublicKey).Hex()
	url := dbtest.Empty(t)
	env := []string{"AMN_DATABASE_URL=" + url}
	if code, out, errs := run(t, env, "migrate", "up"); code != 0 {
		t.Fatalf("migrate: exit %d: %s%s", code, out, errs)
	}
	pool, err := pgxpool.New(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	// Rows as the signer writes them: chained, each hash signed by the operator key.
	appendRow := func(detail string) {
		head, err := signer.ReadAuditHead(ctx, pool)
		if err != nil {
			t.Fatal(err)
		}
		at := time.Now().UTC().Truncate(time.Microsecond)
		h := signer.AuditHash(head.Hash, head.Seq+1, signer.AuditAccepted, nil, detail, at)
		sig, err := signer.SignAuditHash(op, h)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := pool.Exec(ctx, `INSERT INTO signer_audit (seq, prev_hash, hash, event, detail, at, signature) VALUES ($1, $2, $3, 'accepted', $4, $5, $6)`,
			head.Seq+1, head.Hash, h, detail, at, sig); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 4 {
		appendRow(fmt.Sprint("row ", i+1))
	}
	code, out, errs := run(t, env, "signer", "audit", "head", "--key-dir", keys)
	pinned := strings.TrimSpace(out)
	if code != 0 || !strings.HasPrefix(pinned, "4:") {
		t.Fatalf("audit head: exit %d: %s%s", code, out, errs)
	}
	verify := func(args ...string) (int, string, string) {
		return run(t, env, append([]string{"signer", "audit", "verify"}, args...)...)
	}
	code, out, errs = verify("--operator", operator, "--expect-head", pinned)
	if code != 0 || !strings.Contains(out, "4 rows") || !strings.Contains(out, "pinned head "+pinned) {
		t.Fatalf("verify: exit %d: %s%s", code, out, errs)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, "--operator (AMN_OPERATOR) is required"},
		{[]string{"--operator", "0xnope"}, "is not an address"},
		{[]string{"--operator", operator, "--expect-head", "4"}, "want SEQ:HASH"},
		{[]string{"--operator", "0x0000000000000000000000000000000000000001", "--key-dir", keys}, "differ"},
	} {
		if code, _, errs := verify(tc.args...); code != 2 || !strings.Contains(errs, tc.want) {
			t.Errorf("verify %v: exit %d: %s; want 2 and %q", tc.args, code, errs, tc.want)
		}
	}

	// The owner rewrites row 2 and recomputes every hash and link after it.
	saved, err := pool.Query(ctx, `SELECT seq, prev_hash, hash, detail FROM signer_audit ORDER BY seq`)
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		seq        int64
		prev, hash []byte
		detail     string
	}
	var orig []row
	for saved.Next() {
		var r row
		if err := saved.Scan(&r.seq, &r.prev, &r.hash, &r.detail); err != nil {
			t.Fatal(err)
		}
		orig = append(orig, r)
	}
	saved.Close()
	if _, err := pool.Exec(ctx, `UPDATE signer_audit SET detail = 'forged' WHERE seq = 2`); err != nil {
		t.Fatal(err)
	}
	var prev []byte
	for _, r := range orig {
		var at time.Time
		var detail string
		if err := pool.QueryRow(ctx, `SELECT at, detail FROM signer_audit WHERE seq = $1`, r.seq).Scan(&at, &detail); err != nil {
			t.Fatal(err)
		}
		if prev == nil {
			prev = r.prev
		}
		h := signer.AuditHash(prev, r.seq, signer.AuditAccepted, nil, detail, at)
		if _, err := pool.Exec(ctx, `UPDATE signer_audit SET prev_hash = $2, hash = $3 WHERE seq = $1`, r.seq, prev, h); err != nil {
			t.Fatal(err)
		}
		prev = h
	}
	code, _, errs = verify("--operator", operator)
	if code != 1 || !strings.Contains(errs, "seq 2: signature check") {
		t.Fatalf("verify after a rewrite: exit %d: %s", code, errs)
	}
	for _, r := range orig { // put it back
		if _, err := pool.Exec(ctx, `UPDATE signer_audit SET prev_hash = $2, hash = $3, detail = $4 WHERE seq = $1`, r.seq, r.prev, r.hash, r.detail); err != nil {
			t.Fatal(err)
		}
	}
	if code, _, errs = verify("--key-dir", keys, "--expect-head", pinned); code != 0 {
		t.Fatalf("verify after restoring: exit %d: %s", code, errs)
	}

	// The owner deletes the last row: the rest verifies; only the pinned head shows the cut.
	if _, err := pool.Exec(ctx, `DELETE FROM signer_audit WHERE seq = 4`); err != nil {
		t.Fatal(err)
	}
	if code, _, errs = verify("--operator", operator); code != 0 {
		t.Fatalf("verify of the cut log without a pin: exit %d: %s", code, errs)
	}
	code, _, errs = verify("--operator", operator, "--expect-head", pinned)
	if code != 1 || !strings.Contains(errs, "seq 4: expected head check") || !strings.Contains(errs, "truncated") {
		t.Fatalf("verify of the cut log against the pin: exit %d: %s", code, errs)
	}
	// … and the signer writes on from the cut: the pinned row is there again, with another hash.
	appendRow("after the cut")
	appendRow("and another")
	code, _, errs = verify("--operator", operator, "--expect-head", pinned)
	if code != 1 || !strings.Contains(errs, "seq 4: expected head check") || !strings.Contains(errs, "rewritten") {
		t.Fatalf("verify of the cut and continued log against the pin: exit %d: %s", code, errs)
	}
}

// amn admin topup refuses what it cannot turn into a gas_topup intent with one clear line (exit 2);
// a good request is recorded once, and asking again returns it.
func TestAdminTopupRequests(t *testing.T) {
	env := []string{"AMN_DATABASE_URL=" + dbtest.URL(t)}
	to := "0x00000000000000000000000000000000000A110e"
	escrow := "--escrow=0x00000000000000000000000000000000000e5c40"
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"no chain", []string{to, "0.01", escrow}, "--chain is required"},
		{"bad address", []string{"--chain", "bsc", "0xnope", "0.01", escrow}, `"0xnope" is not an address to top up`},
		{"zero address", []string{"--chain", "bsc", "0x0000000000000000000000000000000000000000", "0.01", escrow}, "is not an address to top up"},
		{"too many decimals", []string{"--chain", "bsc", to, "0.0000000000000000001", escrow}, "at most 18 decimals"},
		{"zero amount", []string{"--chain", "bsc", to, "0", escrow}, "want a positive amount"},
		{"negative amount", []string{"--chain", "bsc", escrow, "--", to, "-1"}, "want a positive amount"},
		{"unknown chain", []string{"--chain", "solana", to, "0.01", escrow}, `unknown chain "solana"`},
		{"no escrow", []string{"--chain", "bsc", to, "0.01"}, "no escrow contract known for chain 56"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errs := run(t, env, append([]string{"admin", "topup"}, tc.args...)...)
			lines := strings.Split(strings.TrimSpace(errs), "\n")
			if code != 2 || len(lines) != 1 || !strings.Contains(lines[0], tc.want) {
				t.Fatalf("exit %d, stderr %q (stdout %q); want 2 and one line with %q", code, errs, out, tc.want)
			}
		})
	}
	code, out, errs := run(t, env, "admin", "topup", "--chain", "bsc", to, "0.05", escrow, "--json")
	var in intent.Intent
	if code != 0 || json.Unmarshal([]byte(out), &in) != nil || in.Kind != intent.GasTopup || in.State != intent.Pending ||
		in.Amount.Cmp(big.NewInt(5e16)) != 0 || in.Recipient != common.HexToAddress(to) || in.ChainID != 56 {
		t.Fatalf("admin topup --json: exit %d: %s%s", code, out, errs)
	}
	code, out, errs = run(t, env, "admin", "topup", "--chain", "bsc", to, "0.05", escrow)
	if code != 0 || !strings.Contains(out, in.ID.String()+" already open") || !strings.Contains(out, "0.05 BNB (50000000000000000 wei)") {
		t.Fatalf("admin topup again: exit %d: %s%s", code, out, errs)
	}
	code, _, errs = run(t, env, "admin", "topup", "--chain", "bsc", to, "0.06", escrow)
	if code != 2 || !strings.Contains(errs, "is still open") {
		t.Fatalf("another amount while one is open: exit %d: %s", code, errs)
	}
}

// signerKeyDir runs `amn signer init` (cheap KDF) with a fresh operator key and returns the key
// directory, the passphrase file and the operator key.
func signerKeyDir(t *testing.T) (dir, pass string, op *ecdsa.PrivateKey) {
	t.Helper()
	base := t.TempDir()
	op, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	mn, pass, key := filepath.Join(base, "mnemonic"), filepath.Join(base, "pass"), filepath.Join(base, "op.hex")
	for f, c := range map[string]string{mn: "test test test test test test test test test test test junk\n",
		pass: "a long enough passphrase\n", key: fmt.Sprintf("%x\n", crypto.FromECDSA(op))} {
		if err := os.WriteFile(f, []byte(c), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	dir = filepath.Join(base, "keys")
	if code, _, errs := run(t, nil, "signer", "init", "--key-dir", dir, "--passphrase-file", pass, "--mnemonic-file", mn,
		"--operator-key-file", key, "--light-kdf"); code != 0 {
		t.Fatalf("signer init: exit %d: %s", code, errs)
	}
	return dir, pass, op
}

// Acceptance 8: a policy file with a missing or misspelled limit stops the signer at start (exit
// 2), naming the key; nothing is signed under less policy than the file meant.
func TestSignerRefusesAPolicyWithAMissingOrMisspelledLimit(t *testing.T) {
	keys, pass, _ := signerKeyDir(t)
	chains := filepath.Join(t.TempDir(), "chains.json")
	if err := os.WriteFile(chains, []byte(`{"chains": [{"key": "bsc", "endpoints": ["http://127.0.0.1:1"],
		"escrow": "0x00000000000000000000000000000000000e5c20"}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	const token = `"token": "0x55d398326f99059fF775485246999027B3197955"`
	for doc, key := range map[string]string{
		`{"limits": [{"chain_id": 56, ` + token + `, "per_tx": "10"}]}`:                   "limits[0].per_day",
		`{"limits": [{"chain_id": 56, ` + token + `, "per_tx": "10", "per_dya": "100"}]}`: "limits[0].per_dya",
		`{"limits": [], "gas_topup": []}`:                                                 "gas_topup",
	} {
		policy := filepath.Join(t.TempDir(), "policy.json")
		if err := os.WriteFile(policy, []byte(doc), 0o600); err != nil {
			t.Fatal(err)
		}
		code, _, errs := run(t, []string{"AMN_DATABASE_URL=" + dbtest.URL(t)}, "signer", "--key-dir", keys, "--passphrase-file", pass,
			"--chain-config", chains, "--chains", "bsc", "--policy", policy, "--listen", "127.0.0.1:0")
		if code != 2 || !strings.Contains(errs, key) || strings.Count(strings.TrimSpace(errs), "\n") != 0 {
			t.Errorf("policy %s: exit %d: %s; want exit 2 naming %s in one line", doc, code, errs, key)
		}
	}
}

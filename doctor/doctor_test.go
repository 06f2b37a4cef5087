package doctor_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"log/slog"
	"math/big"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/rpc"
	"github.com/tyler-smith/go-bip32"

	"github.com/amanat/amn/chain"
	"github.com/amanat/amn/db/dbtest"
	"github.com/amanat/amn/devnet"
	"github.com/amanat/amn/doctor"
	"github.com/amanat/amn/escrow"
	"github.com/amanat/amn/hd"
	"github.com/amanat/amn/ops"
	"github.com/amanat/amn/payment"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// The account xpub of anvil's public test mnemonic ("test test … junk"), as the payment tests use.
const anvilXpub = "xpub6Ce9NcJvTk36xtLSrJLZqE7wtgA5deCeYs7rSQtreh4cj6ByPtrg9sD7V2FNFLPnf8heNP3FGkeV9qwfzvZNSd54JoNXVsXFYSYwHsnJxqP"

const redisURL = "redis://127.0.0.1:6379/0"

// startChain runs an anvil node as BSC (finalized = head − 2) with 20 blocks mined, and returns its
// chain config.
func startChain(t *testing.T) chain.Config {
	t.Helper()
	ctx := context.Background()
	node, err := devnet.StartAnvil(ctx, devnet.AnvilOptions{ChainID: 56, SlotsInEpoch: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(node.Stop)
	c, err := rpc.DialContext(ctx, node.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.CallContext(ctx, nil, "anvil_mine", "0x14"); err != nil {
		t.Fatal(err)
	}
	bsc, _ := chain.Lookup("bsc")
	return chain.Config{Chain: bsc, Endpoints: []string{node.URL}, Finality: chain.FinalityTag,
		FinalityStall: chain.Duration(time.Minute),
		FeeProxies:    []chain.Proxy{{Address: common.HexToAddress("0x0DfbEe143b42B41eFC5A6F87bFD1fFC78c2f0aC9")}}}
}

// signerRunning writes a signer heartbeat, as `amn signer` does, until the test ends.
func signerRunning(t *testing.T) {
	t.Helper()
	pool := dbtest.Pool(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { ops.Heartbeat(ctx, pool, "signer", time.Hour, slog.New(slog.DiscardHandler)); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	deadline := time.Now().Add(10 * time.Second)
	for {
		if _, found, err := ops.LastSeen(context.Background(), pool, "signer"); err != nil {
			t.Fatal(err)
		} else if found {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("no heartbeat written")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func byName(t *testing.T, rs []doctor.Result, prefix string) doctor.Result {
	t.Helper()
	for _, r := range rs {
		if strings.HasPrefix(r.Name, prefix) {
			return r
		}
	}
	t.Fatalf("no check %q in %+v", prefix, rs)
	return doctor.Result{}
}

func printed(rs []doctor.Result) string {
	var b bytes.Buffer
	doctor.Print(&b, rs, false)
	return b.String()
}

// On a migrated database with a signer running, Redis and a chain that serves the finalized tag
// and eth_getLogs, every check is green.
func TestAllGreenOnARealStack(t *testing.T) {
	bsc := startChain(t)
	signerRunning(t)
	rs := doctor.Run(context.Background(), doctor.Config{DatabaseURL: dbtest.URL(t), RedisURL: redisURL,
		Chains: []chain.Config{bsc}, Xpub: anvilXpub})
	out := printed(rs)
	if n := doctor.Failed(rs); n != 0 {
		t.Fatalf("%d failed:\n%s", n, out)
	}
	var names []string
	for _, r := range rs {
		if r.Status != doctor.OK {
			t.Errorf("%s is %s:\n%s", r.Name, r.Status, out)
		}
		f := strings.Fields(r.Name)
		if f[0] == "grants" || f[0] == "rpc" {
			f[0] += " " + f[1]
		}
		names = append(names, f[0])
	}
	for _, want := range []string{"config", "postgres", "migrations", "grants amn_api", "grants amn_indexer",
		"grants amn_worker", "grants amn_signer", "grants amn_custody", "grants amn_import", "xpub", "signer", "redis", "rpc bsc"} {
		if !slices.Contains(names, want) {
			t.Errorf("no check %q in:\n%s", want, out)
		}
	}
	if r := byName(t, rs, "rpc bsc"); !strings.Contains(r.Detail, "finalized") || !strings.Contains(r.Detail, "eth_getLogs") {
		t.Errorf("the endpoint check did not ask for the finalized block and logs: %s", r.Detail)
	}
	t.Logf("\n%s", out)
}

// A broken endpoint is named with its secrets masked, and red with a fix; an endpoint of another
// chain is named as such.
func TestBrokenRPCIsNamedMasked(t *testing.T) {
	bsc := startChain(t)
	const secret = "s3cr3tpassw0rd"
	const key = "0123456789abcdef0123456789abcdef"
	broken := bsc
	broken.Endpoints = []string{"http://ops:" + secret + "@127.0.0.1:1/v3/" + key}
	other := bsc
	other.Chain.ID = 1 // the node is chain 56
	rs := doctor.Run(context.Background(), doctor.Config{DatabaseURL: dbtest.URL(t), Chains: []chain.Config{broken}})
	rs2 := doctor.Run(context.Background(), doctor.Config{DatabaseURL: dbtest.URL(t), Chains: []chain.Config{other}})
	out := printed(append(rs, rs2...))
	if strings.Contains(out, secret) || strings.Contains(out, key) {
		t.Fatalf("a secret of the URL is printed:\n%s", out)
	}
	r := byName(t, rs, "rpc bsc http://ops:xxxxx@127.0.0.1:1/v3/xxxxx")
	if r.Status != doctor.Fail || r.Fix == "" {
		t.Errorf("broken endpoint: %+v", r)
	}
	r = byName(t, rs2, "rpc bsc "+bsc.Endpoints[0])
	if r.Status != doctor.Fail || !strings.Contains(r.Detail, "chain id 56, want 1") || !strings.Contains(r.Fix, "another chain") {
		t.Errorf("endpoint of another chain: %+v", r)
	}
	if !strings.Contains(out, "FAIL  rpc bsc http://ops:xxxxx@127.0.0.1:1/v3/xxxxx") || !strings.Contains(out, "fix: ") {
		t.Errorf("printed:\n%s", out)
	}
}

// A privilege taken from a role, and one given beyond its grants, are each named with the fix.
func TestMissingAndExtraGrantsAreNamed(t *testing.T) {
	pool := dbtest.Pool(t)
	ctx := context.Background()
	for _, q := range []string{`REVOKE SELECT ON payment_timeline FROM amn_api`, `GRANT DELETE ON ledger_entries TO amn_indexer`} {
		if _, err := pool.Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() {
		for _, q := range []string{`GRANT SELECT ON payment_timeline TO amn_api`, `REVOKE DELETE ON ledger_entries FROM amn_indexer`} {
			if _, err := pool.Exec(ctx, q); err != nil {
				t.Error(err)
			}
		}
	})
	rs := doctor.Run(ctx, doctor.Config{DatabaseURL: dbtest.URL(t)})
	out := printed(rs)
	api := byName(t, rs, "grants amn_api")
	if api.Status != doctor.Fail || !strings.Contains(api.Detail, "payment_timeline") || !strings.Contains(api.Detail, "SELECT") ||
		!strings.Contains(api.Fix, "amn migrate up") {
		t.Errorf("missing grant: %+v", api)
	}
	ix := byName(t, rs, "grants amn_indexer")
	if ix.Status != doctor.Fail || !strings.Contains(ix.Detail, "ledger_entries") || !strings.Contains(ix.Detail, "DELETE") ||
		!strings.Contains(ix.Fix, "REVOKE") {
		t.Errorf("extra grant: %+v", ix)
	}
	for _, role := range []string{"grants amn_worker", "grants amn_signer"} {
		if r := byName(t, rs, role); r.Status != doctor.OK {
			t.Errorf("%s: %+v", role, r)
		}
	}
	if doctor.Failed(rs) != 2 {
		t.Errorf("want 2 failures:\n%s", out)
	}
}

// A database without migrations fails the migrations check with its fix; one that cannot be
// reached fails once, without running the checks that need it.
func TestUnmigratedAndUnreachableDatabases(t *testing.T) {
	rs := doctor.Run(context.Background(), doctor.Config{DatabaseURL: dbtest.Empty(t)})
	if r := byName(t, rs, "migrations"); r.Status != doctor.Fail || !strings.Contains(r.Detail, "pending") || !strings.Contains(r.Fix, "amn migrate up") {
		t.Errorf("unmigrated: %+v", r)
	}
	rs = doctor.Run(context.Background(), doctor.Config{DatabaseURL: "postgres://amn:hunter2@127.0.0.1:1/amn", Timeout: 3 * time.Second})
	out := printed(rs)
	if r := byName(t, rs, "postgres"); r.Status != doctor.Fail || r.Fix == "" {
		t.Errorf("unreachable: %+v", r)
	}
	if strings.Contains(out, "hunter2") || strings.Contains(out, "grants") {
		t.Errorf("printed:\n%s", out)
	}
}

// An xpub that is not an account xpub fails; with no signer heartbeat the signer check warns,
// which does not fail the run.
func TestBadXpubAndNoSigner(t *testing.T) {
	// Another test of this package runs a signer: look for a role none of them writes.
	rs := doctor.Run(context.Background(), doctor.Config{DatabaseURL: dbtest.URL(t), Xpub: "xpub-not-really",
		SignerRoles: []string{"signer-elsewhere"}})
	if r := byName(t, rs, "xpub"); r.Status != doctor.Fail || !strings.Contains(r.Fix, "amn signer init") {
		t.Errorf("bad xpub: %+v", r)
	}
	if r := byName(t, rs, "signer"); r.Status != doctor.Warn || !strings.Contains(r.Detail, "no signer") {
		t.Errorf("no signer: %+v", r)
	}
	if doctor.Failed(rs) != 1 {
		t.Errorf("only the xpub fails:\n%s", printed(rs))
	}
}

// otherXpub is an account xpub of a fresh random seed: not the one the deposits were made with.
func otherXpub(t *testing.T) string {
	t.Helper()
	seed := make([]byte, 32)
	if _, err := rand.Read(seed); err != nil {
		t.Fatal(err)
	}
	k, err := bip32.NewMasterKey(seed)
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range []uint32{44, 60, 0} {
		if k, err = k.NewChildKey(bip32.FirstHardenedChild + i); err != nil {
			t.Fatal(err)
		}
	}
	return k.PublicKey().B58Serialize()
}

// The xpub is checked against the deposit addresses already handed out: the one they were made
// with passes, another is named with the deposit it does not derive.
func TestXpubAgainstDeposits(t *testing.T) {
	ctx := context.Background()
	pool := dbtest.Pool(t)
	d, err := hd.ParseXpub(anvilXpub)
	if err != nil {
		t.Fatal(err)
	}
	seller, _ := crypto.GenerateKey()
	n := payment.NewPayment{BuyerRef: "buyer-1", OfferRef: "offer-1", SellerAddress: crypto.PubkeyToAddress(seller.PublicKey),
		ChainID: 56, ChainKey: "bsc", Token: common.HexToAddress("0x55d398326f99059fF775485246999027B3197955"), TokenSymbol: "USDT",
		Decimals: 18, Amount: big.NewInt(125_000_000), RequestID: "req-doctor", Salt: "salt-doctor", TTL: time.Hour}
	digest, err := n.Offer().Digest()
	if err != nil {
		t.Fatal(err)
	}
	sig, err := escrow.Sign(digest, seller)
	if err != nil {
		t.Fatal(err)
	}
	n.SellerSignature = sig.Signature
	p, err := payment.New(pool, d).Create(ctx, n)
	if err != nil {
		t.Fatal(err)
	}
	rs := doctor.Run(ctx, doctor.Config{DatabaseURL: dbtest.URL(t), Xpub: anvilXpub})
	if r := byName(t, rs, "xpub"); r.Status != doctor.OK || !strings.Contains(r.Detail, "derives the") {
		t.Errorf("the deposits' own xpub: %+v", r)
	}
	rs = doctor.Run(ctx, doctor.Config{DatabaseURL: dbtest.URL(t), Xpub: otherXpub(t)})
	r := byName(t, rs, "xpub")
	if r.Status != doctor.Fail || !strings.Contains(r.Detail, p.Deposit.Hex()) || !strings.Contains(r.Detail, p.ID.String()) {
		t.Errorf("another xpub: %+v", r)
	}
}

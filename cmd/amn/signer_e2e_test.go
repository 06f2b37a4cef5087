package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/amanat/amn/bindings"
	"github.com/amanat/amn/db/dbtest"
	"github.com/amanat/amn/devnet"
	"github.com/amanat/amn/escrow"
	"github.com/amanat/amn/hd"
	"github.com/amanat/amn/intent"
	"github.com/amanat/amn/payment"
	"github.com/amanat/amn/payment/paymenttest"
	"github.com/amanat/amn/signer"
)

// BIP39's public test mnemonic: its addresses hold nothing on a fresh anvil.
const e2eMnemonic = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about"

// Acceptance 1 with the binaries: `amn signer` (keys from `amn signer init`, restricted role,
// chain config, policy) sweeps and releases; `amn admin sweep|release|intents` drive it. The
// indexer's part (Detect/Confirm/Swept/Released) and the worker's follow pass run in the test.
// The signer process is killed (SIGKILL) while its release waits for finality and restarted:
// one release on chain.
func TestSignerAndAdminBinariesEndToEnd(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	f, err := devnet.Start(ctx, 56, devnet.FixtureOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	defer mineEvery(ctx, f, 200*time.Millisecond)() // so that finality (head − 2) moves

	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	op, _ := crypto.GenerateKey()
	opAddr := crypto.PubkeyToAddress(op.PublicKey)
	if err := f.SetBalance(ctx, opAddr, new(big.Int).Mul(big.NewInt(10), big.NewInt(1e18))); err != nil {
		t.Fatal(err)
	}
	pass := write("pass", "devnet signer passphrase\n")
	keys := filepath.Join(dir, "keys")
	code, out, errs := run(t, nil, "signer", "init", "--key-dir", keys, "--passphrase-file", pass, "--light-kdf",
		"--mnemonic-file", write("mnemonic", e2eMnemonic), "--operator-key-file", write("op", fmt.Sprintf("%x", crypto.FromECDSA(op))))
	_, xpub, found := strings.Cut(out, "account xpub ")
	if code != 0 || !strings.Contains(out, opAddr.Hex()) || !found {
		t.Fatalf("signer init: exit %d: %s%s", code, out, errs)
	}
	deriver, err := hd.ParseXpub(strings.TrimSpace(xpub)) // the other processes' view: the xpub only
	if err != nil {
		t.Fatal(err)
	}
	chains := write("chains.json", fmt.Sprintf(`{"chains": [{"key": "bsc", "endpoints": [%q], "escrow": %q}]}`, f.URL, f.Addresses.Escrow.Hex()))
	topupTo := common.HexToAddress("0x00000000000000000000000000000000000a110e")
	policy := write("policy.json", fmt.Sprintf(`{"limits": [{"chain_id": 56, "token": %q, "per_tx": "1000000000000", "per_day": "10000000000000"}],
		"gas_topups": [{"chain_id": 56, "destinations": [%q], "per_tx": "20000000000000000", "per_day": "50000000000000000"}]}`,
		f.Addresses.USDT.Hex(), topupTo.Hex()))
	env := []string{"AMN_DATABASE_URL=" + dbtest.URL(t)}
	// The package's earlier tests wrote audit rows under other operator keys: this signer's
	// signatures are checked from its first row on.
	auditBefore, err := signer.ReadAuditHead(ctx, dbtest.Pool(t))
	if err != nil {
		t.Fatal(err)
	}
	auditFrom := fmt.Sprint(auditBefore.Seq + 1)
	signerArgs := []string{"signer", "--key-dir", keys, "--passphrase-file", pass, "--chain-config", chains, "--chains", "bsc",
		"--policy", policy, "--poll", "100ms", "--log-level", "debug", "--audit-signed-from", auditFrom}
	signerCmd, logs, base := startRole(t, env, signerArgs...)
	if code, body := get(t, base+"/readyz"); code != 200 || !strings.Contains(body, `"chain_bsc":{"ok":true`) {
		t.Fatalf("/readyz = %d %s", code, body)
	}

	// The privileged side, in process: payments (the API), the indexer's transitions, the worker's follow.
	pool := dbtest.Pool(t)
	payments := payment.New(pool, deriver)
	store := intent.NewStore(pool, payments, signer.TxRecord{})
	p := payAndConfirm(ctx, t, f, payments, pool)

	code, out, errs = run(t, env, "admin", "sweep", "--chain-config", chains, "--json")
	if code != 0 || !strings.Contains(out, p.ID.String()) {
		t.Fatalf("admin sweep: exit %d: %s%s", code, out, errs)
	}
	sweep, err := store.OpenFor(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	waitIntent(ctx, t, store, sweep.ID, intent.Done, logs)
	swept(ctx, t, f, payments, p)

	// Release: the admin asks, two custodians approve, the signer submits.
	code, out, errs = run(t, env, "admin", "release", p.ID.String(), "--chain-config", chains, "--json")
	if code != 0 {
		t.Fatalf("admin release: exit %d: %s", code, errs)
	}
	var in intent.Intent
	if err := json.Unmarshal([]byte(out), &in); err != nil || in.Kind != intent.Release || in.State != intent.AwaitingApprovals {
		t.Fatalf("admin release --json: %v\n%s", err, out)
	}
	digest, err := (&in).Digest()
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range f.Custodians[:2] {
		a, err := escrow.Sign(digest, c.Key)
		if err != nil {
			t.Fatal(err)
		}
		if err := store.AddApproval(ctx, in.ID, a); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			// Approvals gathered of the contract's threshold, among its custodians (read from the
			// chain config's node).
			code, out, errs = run(t, env, "admin", "intents", "--kind", "release", "--payment", p.ID.String(), "--chain-config", chains)
			if code != 0 || !strings.Contains(out, "1/2 of 3") {
				t.Fatalf("admin intents with one approval: exit %d:\n%s%s", code, out, errs)
			}
		}
	}
	// Kill the signer while the release waits for finality, then start it again.
	opNonce, _ := f.Client.NonceAt(ctx, opAddr, nil)
	waitIntent(ctx, t, store, in.ID, intent.Broadcast, logs)
	if err := signerCmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_, _ = signerCmd.Process.Wait()
	startRole(t, env, signerArgs...)
	code, out, errs = run(t, env, "admin", "release", p.ID.String(), "--chain-config", chains, "--wait", "--timeout", "60s")
	if code != 0 || !strings.Contains(out, "done") || !strings.Contains(out, "the contract needs 2 of its 3 custodians") ||
		!strings.Contains(out, "approvals 2/2 of 3") {
		t.Fatalf("admin release --wait: exit %d:\n%s%s", code, out, errs)
	}
	if n, _ := f.Client.NonceAt(ctx, opAddr, nil); n != opNonce+1 {
		t.Fatalf("operator sent %d transactions for one release", n-opNonce)
	}
	if _, err := store.Follow(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := payments.Released(ctx, p.ID); err != nil {
		t.Fatal(err)
	}
	tok, _ := bindings.NewERC20(f.Addresses.USDT, f.Client)
	if b, _ := tok.BalanceOf(&bind.CallOpts{Context: ctx}, f.Seller.Address); b.Cmp(p.SellerAmount()) < 0 {
		t.Fatalf("seller holds %s, want at least %s", b, p.SellerAmount())
	}

	// Without a node the threshold is unknown: approvals show as gathered/?, and a note says why.
	code, out, errs = run(t, env, "admin", "intents", "--payment", p.ID.String(), "--escrow", f.Addresses.Escrow.Hex())
	if code != 0 || !strings.Contains(out, "release") || !strings.Contains(out, "sweep") || !strings.Contains(out, "done") ||
		!strings.Contains(out, " 2/? ") || !strings.Contains(errs, "threshold of 56/"+f.Addresses.Escrow.Hex()+" unknown: no node for chain 56") {
		t.Fatalf("admin intents: exit %d:\n%s%s", code, out, errs)
	}
	code, out, errs = run(t, env, "admin", "intents", "--payment", p.ID.String(), "--chain-config", chains, "--json")
	var listed []struct {
		Kind   intent.Kind `json:"kind"`
		Quorum *struct {
			Approvals, Gathered, Threshold, Custodians int
		} `json:"quorum"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &listed) != nil {
		t.Fatalf("admin intents --json: exit %d:\n%s%s", code, out, errs)
	}
	for _, l := range listed {
		q := l.Quorum
		if (l.Kind == intent.Release) != (q != nil) || (q != nil && (q.Approvals != 2 || q.Gathered != 2 || q.Threshold != 2 || q.Custodians != 3)) {
			t.Fatalf("admin intents --json: %s quorum %+v\n%s", l.Kind, q, out)
		}
	}
	code, out, errs = run(t, env, "signer", "audit", "verify", "--key-dir", keys, "--signed-from", auditFrom)
	if code != 0 || !strings.Contains(out, "verified") {
		t.Fatalf("audit verify: exit %d: %s%s", code, out, errs)
	}
	// Clear refusals.
	code, _, errs = run(t, env, "admin", "release", p.ID.String(), "--chain-config", chains)
	if code != 2 || !strings.Contains(errs, "released") {
		t.Fatalf("release of a released payment: exit %d: %s", code, errs)
	}
	code, _, errs = run(t, env, "admin", "refund", uuid.NewString(), "--chain-config", chains, "--reason", "x")
	if code != 2 || !strings.Contains(errs, "not found") {
		t.Fatalf("refund of an unknown payment: exit %d: %s", code, errs)
	}
	code, _, errs = run(t, env, "admin", "refund", p.ID.String(), "--chain-config", chains)
	if code != 2 || !strings.Contains(errs, "--reason") {
		t.Fatalf("refund without a reason: exit %d: %s", code, errs)
	}
	// A gas top-up the policy allows, and one it does not.
	code, out, errs = run(t, env, "admin", "topup", "--chain", "bsc", topupTo.Hex(), "0.01", "--chain-config", chains, "--wait", "--timeout", "60s")
	if code != 0 || !strings.Contains(out, "gas_topup intent") || !strings.Contains(out, "0.01 BNB (10000000000000000 wei)") || !strings.Contains(out, "done") {
		t.Fatalf("admin topup --wait: exit %d:\n%s%s", code, out, errs)
	}
	if b, _ := f.Client.BalanceAt(ctx, topupTo, nil); b.Cmp(big.NewInt(1e16)) != 0 {
		t.Fatalf("topped-up address holds %s wei", b)
	}
	stranger := "0x000000000000000000000000000000000000bAD0"
	code, out, errs = run(t, env, "admin", "topup", "--chain", "56", stranger, "0.01", "--chain-config", chains, "--wait", "--timeout", "60s")
	if code != 1 || !strings.Contains(errs, "not an allowed gas top-up destination") {
		t.Fatalf("admin topup to a stranger: exit %d:\n%s%s", code, out, errs)
	}
	if strings.Contains(logs.String(), `"level":"ERROR"`) {
		t.Fatalf("the signer logged errors:\n%s", logs.String())
	}
	// Nothing secret in the signer's logs.
	for _, s := range []string{"abandon", fmt.Sprintf("%x", crypto.FromECDSA(op)), "devnet signer passphrase"} {
		if strings.Contains(logs.String(), s) {
			t.Fatalf("the signer logged a secret (%q)", s)
		}
	}
}

// swept plays the indexer once the sweep is done: the payment's Funded event, read from the
// chain, goes to payment.Swept.
func swept(ctx context.Context, t *testing.T, f *devnet.Fixture, payments *payment.Service, p *payment.Payment) {
	t.Helper()
	ev, err := f.Funded(ctx, p.EscrowID())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := payments.Swept(ctx, p.ID, payment.EscrowFunded{EscrowID: ev.EscrowId, Ref: ev.Ref, Funder: ev.Funder,
		Token: ev.Token, Amount: ev.Amount, Buyer: ev.Buyer, Seller: ev.Seller}); err != nil {
		t.Fatal(err)
	}
}

// payAndConfirm: a payment for the seller's signed offer, its checkout signed by buyer 1 (the
// refund address), paid by buyer 1 through the real ERC20FeeProxy and credited (the indexer's
// Detect and Confirm, from the real log).
func payAndConfirm(ctx context.Context, t *testing.T, f *devnet.Fixture, payments *payment.Service, pool *pgxpool.Pool) *payment.Payment {
	t.Helper()
	p, err := payments.Create(ctx, paymenttest.Offer(payment.NewPayment{
		BuyerRef: "buyer-e2e", OfferRef: "offer-" + uuid.NewString(),
		ChainID: f.ChainID, ChainKey: "bsc", Token: f.Addresses.USDT, TokenSymbol: "USDT", Decimals: 6,
		Amount: big.NewInt(50_000_000), Fee: big.NewInt(500_000), FeeAddress: f.FeeRecipient.Address,
		Commission: big.NewInt(1_000_000), RequestID: "req-" + uuid.NewString(), Salt: "e2e", TTL: time.Hour,
	}, f.Seller))
	if err != nil {
		t.Fatal(err)
	}
	buyer := f.Buyers[1]
	p = paymenttest.ProveBuyer(t, payments, p, buyer)
	co, err := payment.NewCheckout(payment.CheckoutRequest{ChainID: f.ChainID, Token: f.Addresses.USDT, Decimals: 6,
		Amount: p.Amount, Fee: p.Fee, Deposit: p.Deposit, Reference: p.Reference, FeeProxy: f.Addresses.ERC20FeeProxy,
		FeeAddress: p.FeeAddress})
	if err != nil {
		t.Fatal(err)
	}
	var rcpt *types.Receipt
	for _, c := range co.Transactions {
		if rcpt, err = f.Send(ctx, buyer, c.To, c.Data, nil); err != nil {
			t.Fatalf("buyer %s: %v", c.Purpose, err)
		}
	}
	proxyABI, _ := bindings.ERC20FeeProxyMetaData.GetAbi()
	ev := proxyABI.Events["TransferWithReferenceAndFee"].ID
	for _, l := range rcpt.Logs {
		if l.Address != f.Addresses.ERC20FeeProxy || len(l.Topics) == 0 || l.Topics[0] != ev {
			continue
		}
		o := payment.Observation{ChainID: f.ChainID, BlockHash: l.BlockHash, BlockNumber: l.BlockNumber, TxHash: l.TxHash,
			LogIndex: uint64(l.Index), Token: f.Addresses.USDT, Amount: p.Amount}
		if _, err := payments.Detect(ctx, p.ID, o); err != nil {
			t.Fatal(err)
		}
		if p, err = payments.Confirm(ctx, p.ID, o.TransferID()); err != nil {
			t.Fatal(err)
		}
		return p
	}
	t.Fatal("no TransferWithReferenceAndFee log")
	return nil
}

func waitIntent(ctx context.Context, t *testing.T, store *intent.Store, id uuid.UUID, want intent.State, logs *syncBuffer) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		in, err := store.Get(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if in.State == want {
			return
		}
		if !in.State.Open() || time.Now().After(deadline) {
			t.Fatalf("intent %s is %s (%s); want %s\nsigner logs:\n%s", id, in.State, in.Reason, want, logs.String())
		}
		select {
		case <-ctx.Done():
			t.Fatal(ctx.Err())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// mineEvery mines a block every d until the returned stop is called (stop waits for the miner).
func mineEvery(ctx context.Context, f *devnet.Fixture, d time.Duration) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		tk := time.NewTicker(d)
		defer tk.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tk.C:
				_ = f.RPC.CallContext(ctx, nil, "evm_mine")
			}
		}
	}()
	return func() { cancel(); <-done }
}

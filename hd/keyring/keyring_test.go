package keyring

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/rpc"
	"github.com/tyler-smith/go-bip32"
	"github.com/tyler-smith/go-bip39"

	"github.com/amanat/amn/devnet"
)

const (
	anvilMnemonic  = "test test test test test test test test test test test junk"
	trezorMnemonic = "all all all all all all all all all all all all"
	// anvilAccountXpub is m/44'/60'/0' of anvilMnemonic (also pinned in payment's anvil test).
	anvilAccountXpub = "xpub6Ce9NcJvTk36xtLSrJLZqE7wtgA5deCeYs7rSQtreh4cj6ByPtrg9sD7V2FNFLPnf8heNP3FGkeV9qwfzvZNSd54JoNXVsXFYSYwHsnJxqP"
)

// TestBIP39Vectors runs the official BIP39 English vectors (hd/testdata/bip39-vectors.json,
// passphrase "TREZOR"): mnemonic ↔ entropy, seed, BIP32 root xprv, and FromMnemonic accepting
// every mnemonic.
func TestBIP39Vectors(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("..", "testdata", "bip39-vectors.json"))
	if err != nil {
		t.Fatal(err)
	}
	var all map[string][][4]string
	if err := json.Unmarshal(raw, &all); err != nil {
		t.Fatal(err)
	}
	vectors := all["english"]
	if len(vectors) != 24 {
		t.Fatalf("%d English vectors, want 24", len(vectors))
	}
	for n, v := range vectors {
		entropyHex, mnemonic, seedHex, xprv := v[0], v[1], v[2], v[3]
		entropy, _ := hex.DecodeString(entropyHex)
		if got, err := bip39.NewMnemonic(entropy); err != nil || got != mnemonic {
			t.Errorf("vector %d: NewMnemonic = %q, %v", n, got, err)
		}
		if got, err := bip39.EntropyFromMnemonic(mnemonic); err != nil || !bytes.Equal(got, entropy) {
			t.Errorf("vector %d: EntropyFromMnemonic = %x, %v", n, got, err)
		}
		seed, err := bip39.NewSeedWithErrorChecking(mnemonic, "TREZOR")
		if err != nil || hex.EncodeToString(seed) != seedHex {
			t.Errorf("vector %d: seed = %x, %v", n, seed, err)
			continue
		}
		master, err := bip32.NewMasterKey(seed)
		if err != nil || master.B58Serialize() != xprv {
			t.Errorf("vector %d: root xprv = %s, %v", n, master.B58Serialize(), err)
		}
		// FromMnemonic must land on the same account as the seed path.
		r, err := FromMnemonic(mnemonic, "TREZOR")
		if err != nil {
			t.Errorf("vector %d: FromMnemonic: %v", n, err)
			continue
		}
		fromSeed, err := fromSeed(seed)
		if err != nil || fromSeed.Xpub() != r.Xpub() {
			t.Errorf("vector %d: FromMnemonic and fromSeed disagree", n)
		}
	}
}

// TestKnownAddresses: published addresses of public test mnemonics at m/44'/60'/0'/0/i.
func TestKnownAddresses(t *testing.T) {
	cases := []struct {
		mnemonic string
		index    uint32
		want     string
		source   string
	}{
		// Foundry/Hardhat: anvil prints these as its default accounts 0–2.
		{anvilMnemonic, 0, "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", "anvil account 0"},
		{anvilMnemonic, 1, "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", "anvil account 1"},
		{anvilMnemonic, 2, "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC", "anvil account 2"},
		// Trezor's emulator seed; trezor-firmware common/tests/fixtures/ethereum/getaddress.json
		// and trezorlib's device tests expect this first Ethereum address.
		{trezorMnemonic, 0, "0x73d0385F4d8E00C5e6504C6030F47BF6212736A8", "Trezor all-all test seed"},
	}
	for _, c := range cases {
		r, err := FromMnemonic(c.mnemonic, "")
		if err != nil {
			t.Fatal(err)
		}
		got, err := r.Address(c.index)
		if err != nil {
			t.Fatal(err)
		}
		if got != common.HexToAddress(c.want) {
			t.Errorf("%s: KeyRing.Address(%d) = %s, want %s", c.source, c.index, got, c.want)
		}
		fromXpub, err := r.Deriver().Address(c.index)
		if err != nil || fromXpub != got {
			t.Errorf("%s: Deriver.Address(%d) = %s, %v", c.source, c.index, fromXpub, err)
		}
	}
	// anvil's published private key of account 0 (its startup banner).
	r, _ := FromMnemonic(anvilMnemonic, "")
	// The account xpub is pinned so that other packages' tests (payment's anvil test) can derive
	// devnet deposit addresses from it without importing this package.
	if got := r.Xpub(); got != anvilAccountXpub {
		t.Errorf("anvil account xpub = %s, want %s", got, anvilAccountXpub)
	}
	k, err := r.PrivateKey(0)
	if err != nil {
		t.Fatal(err)
	}
	if got := hex.EncodeToString(crypto.FromECDSA(k)); got != "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80" {
		t.Errorf("anvil account 0 private key mismatch")
	}
}

// TestAgainstAnvil compares the KeyRing with the accounts a real anvil node derives from the same
// mnemonic (its default), so the expected addresses are not only ours.
func TestAgainstAnvil(t *testing.T) {
	if testing.Short() {
		t.Skip("starts anvil")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	node, err := devnet.StartAnvil(ctx, devnet.AnvilOptions{ChainID: 31337})
	if err != nil {
		t.Fatal(err)
	}
	defer node.Stop()
	c, err := rpc.DialContext(ctx, node.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var accounts []common.Address
	if err := c.CallContext(ctx, &accounts, "eth_accounts"); err != nil {
		t.Fatal(err)
	}
	if len(accounts) != 10 {
		t.Fatalf("anvil has %d accounts, want 10", len(accounts))
	}
	r, _ := FromMnemonic(anvilMnemonic, "")
	for i, want := range accounts {
		got, err := r.Deriver().Address(uint32(i))
		if err != nil || got != want {
			t.Errorf("index %d: Deriver %s, anvil %s (%v)", i, got, want, err)
		}
	}
}

func TestMnemonicHandling(t *testing.T) {
	base, err := FromMnemonic(anvilMnemonic, "")
	if err != nil {
		t.Fatal(err)
	}
	// Extra whitespace must not change the seed (go-bip32 alone would hash the raw string).
	messy, err := FromMnemonic("  test test\ttest test test test  test test test test test\njunk ", "")
	if err != nil {
		t.Fatal(err)
	}
	if messy.Xpub() != base.Xpub() {
		t.Error("whitespace changed the derived account")
	}
	// A passphrase gives a different wallet.
	withPass, err := FromMnemonic(anvilMnemonic, "TREZOR")
	if err != nil {
		t.Fatal(err)
	}
	if withPass.Xpub() == base.Xpub() {
		t.Error("passphrase ignored")
	}
	// NFKD: a precomposed and a decomposed passphrase are the same wallet.
	a, _ := FromMnemonic(anvilMnemonic, "caf\u00e9")
	b, _ := FromMnemonic(anvilMnemonic, "cafe\u0301")
	if a.Xpub() != b.Xpub() {
		t.Error("passphrase not NFKD-normalised")
	}

	bad := []string{
		"",
		"test test test test test test test test test test test test", // checksum
		"test test test test test test test test test test junk",      // 11 words
		"test test test test test test test test test test test jnuk", // not a word
		"correct horse battery staple",
	}
	for _, m := range bad {
		_, err := FromMnemonic(m, "secret-pass")
		if !errors.Is(err, ErrInvalidMnemonic) {
			t.Errorf("%q: err = %v, want ErrInvalidMnemonic", m, err)
			continue
		}
		for _, w := range append(strings.Fields(m), "secret-pass") {
			if w != "" && strings.Contains(err.Error(), w) {
				t.Errorf("error %q contains %q from the mnemonic or passphrase", err, w)
			}
		}
	}
}

// TestNoSecretsPrinted formats a KeyRing every way a careless caller might and looks for any
// representation of its secrets.
func TestNoSecretsPrinted(t *testing.T) {
	r, err := FromMnemonic(anvilMnemonic, "")
	if err != nil {
		t.Fatal(err)
	}
	k0, _ := r.PrivateKey(0)
	secrets := []string{
		hex.EncodeToString(crypto.FromECDSA(k0)),
		hex.EncodeToString(r.external.Key),
		hex.EncodeToString(r.external.ChainCode),
		r.external.B58Serialize(), // the external-chain xprv
		"xprv",
		"junk",
		"test test",
	}
	// Also the raw bytes of the private keys in decimal (as %v of a []byte would print them).
	secrets = append(secrets, strings.Trim(fmt.Sprint(r.external.Key), "[]"))

	var outputs []string
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%T"} {
		outputs = append(outputs, fmt.Sprintf(verb, r), fmt.Sprintf(verb, *r))
		outputs = append(outputs, fmt.Sprintf(verb, struct{ R *KeyRing }{r}), fmt.Sprintf(verb, []any{r, *r}))
	}
	outputs = append(outputs, fmt.Sprint(r), fmt.Sprintln(*r), r.String(), r.GoString())
	var logBuf bytes.Buffer
	for _, h := range []slog.Handler{slog.NewJSONHandler(&logBuf, nil), slog.NewTextHandler(&logBuf, nil)} {
		slog.New(h).Info("x", "keyring", r, "value", *r, slog.Any("any", r))
	}
	outputs = append(outputs, logBuf.String())
	js, err := json.Marshal(map[string]any{"p": r, "v": *r})
	if err != nil {
		t.Fatal(err)
	}
	outputs = append(outputs, string(js))

	for _, out := range outputs {
		for _, s := range secrets {
			if strings.Contains(out, s) {
				t.Errorf("output %q contains a secret (%.12s…)", out, s)
			}
		}
	}
	if got := fmt.Sprintf("%v|%+v|%#v", r, *r, r); got != redacted+"|"+redacted+"|"+redacted {
		t.Errorf("formatted as %q", got)
	}
}

package keystore_test

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/amanat/amn/signer/keystore"
)

const (
	mnemonic = "test test test test test test test test test test test junk"
	pass     = "correct horse battery staple"
)

func TestInitLoadRoundTrip(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "keys")
	op, _ := crypto.GenerateKey()
	addr, err := keystore.Init(dir, mnemonic, op, pass, keystore.Light)
	if err != nil {
		t.Fatal(err)
	}
	if addr != crypto.PubkeyToAddress(op.PublicKey) {
		t.Fatalf("address %s", addr)
	}
	k, err := keystore.Load(dir, pass)
	if err != nil {
		t.Fatal(err)
	}
	if k.OperatorAddress() != addr {
		t.Fatalf("operator %s, want %s", k.OperatorAddress(), addr)
	}
	// The address (not the key) reads without the passphrase, for checking audit signatures.
	if a, err := keystore.OperatorAddress(dir); err != nil || a != addr {
		t.Fatalf("OperatorAddress = %s, %v; want %s", a, err, addr)
	}
	if _, err := keystore.OperatorAddress(t.TempDir()); !errors.Is(err, keystore.ErrMissing) {
		t.Fatalf("OperatorAddress of an empty directory: %v", err)
	}
	// anvil's account 0 is index 0 of the test mnemonic.
	if a, _ := k.Ring.Address(0); a.Hex() != "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266" {
		t.Fatalf("deposit 0 = %s", a.Hex())
	}
	for _, f := range []string{keystore.MnemonicFile, keystore.OperatorFile} {
		st, err := os.Stat(filepath.Join(dir, f))
		if err != nil || st.Mode().Perm() != 0o600 {
			t.Fatalf("%s: %v %v", f, st.Mode(), err)
		}
		raw, _ := os.ReadFile(filepath.Join(dir, f))
		if bytes.Contains(raw, []byte("junk")) || bytes.Contains(raw, []byte(pass)) ||
			bytes.Contains(bytes.ToLower(raw), []byte(fmt.Sprintf("%x", crypto.FromECDSA(op)))) {
			t.Fatalf("%s holds a secret in clear", f)
		}
	}
	if _, err := keystore.Init(dir, mnemonic, nil, pass, keystore.Light); !errors.Is(err, keystore.ErrExists) {
		t.Fatalf("second init: %v", err)
	}
}

func TestWrongPassphraseAndTampering(t *testing.T) {
	dir := t.TempDir()
	if _, err := keystore.Init(dir, mnemonic, nil, pass, keystore.Light); err != nil {
		t.Fatal(err)
	}
	if _, err := keystore.Load(dir, pass+"x"); !errors.Is(err, keystore.ErrWrongPassphrase) {
		t.Fatalf("wrong passphrase: %v", err)
	}
	p := filepath.Join(dir, keystore.MnemonicFile)
	raw, _ := os.ReadFile(p)
	sealedAgain, _ := keystore.SealMnemonic("abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about", pass, keystore.Light)
	if m, err := keystore.OpenMnemonic(sealedAgain, pass); err != nil || !strings.HasPrefix(m, "abandon") {
		t.Fatal(m, err)
	}
	raw[len(raw)/2] ^= 1
	if err := os.WriteFile(p, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := keystore.Load(dir, pass); err == nil {
		t.Fatal("tampered file opened")
	}
	if _, err := keystore.Init(t.TempDir(), mnemonic, nil, "short", keystore.Light); !errors.Is(err, keystore.ErrWeakPassphrase) {
		t.Fatalf("weak: %v", err)
	}
	if _, err := keystore.Init(t.TempDir(), "not a mnemonic at all", nil, pass, keystore.Light); err == nil || strings.Contains(err.Error(), "not a mnemonic at all") {
		t.Fatalf("bad mnemonic: %v", err)
	}
}

// Keys never print a secret, whichever way they are printed or logged.
func TestKeysNeverPrint(t *testing.T) {
	dir := t.TempDir()
	op, _ := crypto.GenerateKey()
	if _, err := keystore.Init(dir, mnemonic, op, pass, keystore.Light); err != nil {
		t.Fatal(err)
	}
	k, err := keystore.Load(dir, pass)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&buf, nil))
	log.Info("keys", "keys", k, "deref", *k)
	fmt.Fprintf(&buf, "%v %+v %#v %s %q", k, *k, *k, *k, *k)
	secret := fmt.Sprintf("%x", crypto.FromECDSA(op))
	for _, s := range []string{"junk", secret, pass} {
		if strings.Contains(buf.String(), s) {
			t.Fatalf("output holds a secret: %s", buf.String())
		}
	}
	_, err = keystore.Load(dir, "wrong passphrase here")
	if err == nil || strings.Contains(err.Error(), "wrong passphrase here") {
		t.Fatalf("error: %v", err)
	}
}

func TestReadPassphrase(t *testing.T) {
	p := filepath.Join(t.TempDir(), "pass")
	if err := os.WriteFile(p, []byte(pass+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if got, err := keystore.ReadPassphrase(p); err != nil || got != pass {
		t.Fatalf("%q %v", got, err)
	}
	if err := os.Chmod(p, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := keystore.ReadPassphrase(p); err == nil {
		t.Fatal("world-readable passphrase file accepted")
	}
}

package softkey

import (
	"errors"
	"fmt"
	"testing"

	"github.com/ethereum/go-ethereum/common"
)

const h = 1 << 31

func TestKnownAddresses(t *testing.T) {
	for _, c := range []struct {
		mnemonic, passphrase string
		path                 []uint32
		want                 string
	}{
		// Trezor's emulator seed: Trezor's own tests and docs give this as Ethereum #1.
		{"all all all all all all all all all all all all", "", []uint32{44 | h, 60 | h, h, 0, 0}, "0x73d0385F4d8E00C5e6504C6030F47BF6212736A8"},
		// anvil's default accounts (Foundry's public test mnemonic), accounts 0 and 1.
		{"test test test test test test test test test test test junk", "", []uint32{44 | h, 60 | h, h, 0, 0}, "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"},
		{"test   test test test test test test test test test test junk", "", []uint32{44 | h, 60 | h, h, 0, 1}, "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"},
	} {
		w, err := New(c.mnemonic, c.passphrase)
		if err != nil {
			t.Fatal(err)
		}
		got, err := w.Address(c.path)
		if err != nil {
			t.Fatal(err)
		}
		if got != common.HexToAddress(c.want) {
			t.Errorf("%s… %v = %s, want %s", c.mnemonic[:8], c.path, got, c.want)
		}
	}
	a, _ := New("all all all all all all all all all all all all", "")
	b, _ := New("all all all all all all all all all all all all", "TREZOR")
	x, _ := a.Address([]uint32{44 | h, 60 | h, h, 0, 0})
	y, _ := b.Address([]uint32{44 | h, 60 | h, h, 0, 0})
	if x == y {
		t.Fatal("passphrase does not change the wallet")
	}
}

func TestNoSecretsPrinted(t *testing.T) {
	w, err := New("all all all all all all all all all all all all", "")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{fmt.Sprint(w), fmt.Sprintf("%v %+v %#v %s", w, w, w, w)} {
		if s != "softkey.Wallet{redacted}" && s != "softkey.Wallet{redacted} softkey.Wallet{redacted} softkey.Wallet{redacted} softkey.Wallet{redacted}" {
			t.Fatalf("printed %q", s)
		}
	}
	_, err = New("all all all all all all all all all all all zoo", "")
	if !errors.Is(err, ErrInvalidMnemonic) || err.Error() != "softkey: invalid BIP39 mnemonic (12 words)" {
		t.Fatalf("bad mnemonic: %v", err)
	}
}

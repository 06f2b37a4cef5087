package hd_test

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/amanat/amn/hd"
	"github.com/amanat/amn/hd/keyring"
)

// anvilMnemonic is Foundry's (and Hardhat's) public test mnemonic; its keys hold devnet coins only.
const anvilMnemonic = "test test test test test test test test test test test junk"

func anvilKeyRing(t testing.TB) *keyring.KeyRing {
	t.Helper()
	r, err := keyring.FromMnemonic(anvilMnemonic, "")
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestDeriverMatchesKeyRing(t *testing.T) {
	r := anvilKeyRing(t)
	d, err := hd.ParseXpub(r.Xpub())
	if err != nil {
		t.Fatal(err)
	}
	indices := []uint32{hd.MaxIndex, hd.MaxIndex - 1, 1 << 20, 1<<31 - 1000}
	for i := uint32(0); i < 200; i++ {
		indices = append(indices, i)
	}
	seen := map[common.Address]uint32{}
	for _, i := range indices {
		fromXpub, err := d.Address(i)
		if err != nil {
			t.Fatalf("Deriver.Address(%d): %v", i, err)
		}
		k, err := r.PrivateKey(i)
		if err != nil {
			t.Fatalf("KeyRing.PrivateKey(%d): %v", i, err)
		}
		if fromKey := crypto.PubkeyToAddress(k.PublicKey); fromKey != fromXpub {
			t.Fatalf("index %d: xpub gives %s, private key gives %s", i, fromXpub, fromKey)
		}
		if j, dup := seen[fromXpub]; dup && j != i {
			t.Fatalf("indices %d and %d give the same address", i, j)
		}
		seen[fromXpub] = i
	}
}

func TestIndexOutOfRange(t *testing.T) {
	r := anvilKeyRing(t)
	for _, i := range []uint32{hd.MaxIndex + 1, 1<<32 - 1} {
		if _, err := r.Deriver().Address(i); !errors.Is(err, hd.ErrIndexOutOfRange) {
			t.Errorf("Deriver.Address(%d): err = %v, want ErrIndexOutOfRange", i, err)
		}
		if _, err := r.PrivateKey(i); !errors.Is(err, hd.ErrIndexOutOfRange) {
			t.Errorf("KeyRing.PrivateKey(%d): err = %v, want ErrIndexOutOfRange", i, err)
		}
	}
}

func TestParseXpubRejects(t *testing.T) {
	// Keys from BIP32 test vector 1 (m/0H/1/2H's xprv, m, m/0H/1/2H/2, m/0H/1).
	const (
		depth3XprvV1 = "xprv9z4pot5VBttmtdRTWfWQmoH1taj2axGVzFqSb8C9xaxKymcFzXBDptWmT7FwuEzG3ryjH4ktypQSAewRiNMjANTtpgP4mLTj34bhnZX7UiM"
		masterXpubV1 = "xpub661MyMwAqRbcFtXgS5sYJABqqG9YLmC4Q1Rdap9gSE8NqtwybGhePY2gZ29ESFjqJoCu1Rupje8YtGqsefD265TMg7usUDFdp6W1EGMcet8"
		depth4XpubV1 = "xpub6FHa3pjLCk84BayeJxFW2SP4XRrFd1JYnxeLeU8EqN3vDfZmbqBqaGJAyiLjTAwm6ZLRQUMv1ZACTj37sR62cfN7fe5JnJ7dh8zL4fiyLHV"
		depth2XpubV1 = "xpub6ASuArnXKPbfEwhqN6e3mwBcDTgzisQN1wXN9BJcM47sSikHjJf3UFHKkNAWbWMiGj7Wf5uMash7SyYq527Hqck2AxYysAA7xmALppuCkwQ" // m/0H/1
	)
	cases := []struct {
		name, in string
		want     error
	}{
		{"xprv", depth3XprvV1, hd.ErrPrivateKeyGiven},
		{"master xpub", masterXpubV1, hd.ErrNotAccountXpub},
		{"depth 4 xpub", depth4XpubV1, hd.ErrNotAccountXpub},
		{"depth 2 xpub", depth2XpubV1, hd.ErrNotAccountXpub},
		{"empty", "", hd.ErrInvalidExtendedKey},
		{"garbage", "not a key 0OIl", hd.ErrInvalidExtendedKey},
		{"truncated", masterXpubV1[:100], hd.ErrInvalidExtendedKey},
		{"mnemonic", anvilMnemonic, hd.ErrInvalidExtendedKey},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d, err := hd.ParseXpub(c.in)
			if !errors.Is(err, c.want) || d != nil {
				t.Fatalf("ParseXpub: (%v, %v), want error %v", d, err, c.want)
			}
			if c.in != "" && strings.Contains(err.Error(), c.in) {
				t.Errorf("error echoes its input: %v", err)
			}
		})
	}
}

// TestDeriverConcurrent derives from one Deriver in many goroutines. go-bip32 appends the child
// index into the parent's key slice; without the clipping in ParseXpub this races (caught by
// -race) and can return another index's address.
func TestDeriverConcurrent(t *testing.T) {
	d := anvilKeyRing(t).Deriver()
	want := make([]common.Address, 64)
	for i := range want {
		a, err := d.Address(uint32(i))
		if err != nil {
			t.Fatal(err)
		}
		want[i] = a
	}
	var wg sync.WaitGroup
	errs := make(chan string, 8*len(want))
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range want {
				a, err := d.Address(uint32(i))
				if err != nil || a != want[i] {
					errs <- fmt.Sprintf("index %d: got (%s, %v) under concurrency, want %s", i, a, err, want[i])
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

func TestPath(t *testing.T) {
	if got := hd.Path(7); got != "m/44'/60'/0'/0/7" {
		t.Errorf("Path(7) = %q", got)
	}
}

func FuzzParseXpub(f *testing.F) {
	f.Add("xpub661MyMwAqRbcFtXgS5sYJABqqG9YLmC4Q1Rdap9gSE8NqtwybGhePY2gZ29ESFjqJoCu1Rupje8YtGqsefD265TMg7usUDFdp6W1EGMcet8")
	f.Add("")
	f.Add("xpub")
	f.Add(anvilMnemonic)
	f.Fuzz(func(t *testing.T, s string) {
		d, err := hd.ParseXpub(s)
		if err != nil {
			if d != nil {
				t.Fatal("non-nil Deriver with an error")
			}
			if len(s) > 8 && strings.Contains(err.Error(), s) {
				t.Fatalf("error echoes its input")
			}
			return
		}
		if _, err := d.Address(0); err != nil {
			t.Fatalf("accepted xpub cannot derive index 0: %v", err)
		}
	})
}

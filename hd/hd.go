// Package hd derives addresses; only KeyRing touches private keys.
//
// Deposit addresses follow BIP39 → BIP32 → BIP44 on the Ethereum coin type: the address with index
// i is m/44'/60'/0'/0/i. The API, indexer and worker hold only the account-level extended public
// key (the xpub of m/44'/60'/0') and derive addresses with a Deriver: non-hardened children 0/i
// need no private key. The private side lives in hd/keyring (KeyRing), which only the signer may
// import; a test in this package walks the module and fails on any other importer.
//
// This package must never hold, parse for use, or print a private key: an extended private key
// handed to ParseXpub is rejected without being echoed.
package hd

import (
	"encoding/binary"
	"fmt"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/tyler-smith/go-bip32"

	"github.com/amanat/amn/kind"
)

const (
	// AccountPath is the BIP44 account whose xpub a Deriver takes.
	AccountPath = "m/44'/60'/0'"
	// AccountDepth is the depth of AccountPath in the BIP32 tree.
	AccountDepth = 3
	// MaxIndex is the largest address index: indices are non-hardened BIP32 children, < 2^31.
	MaxIndex = bip32.FirstHardenedChild - 1
	// ExternalChain is the BIP44 "change" level used for deposit addresses (0 = external).
	ExternalChain = 0
)

var (
	// ErrIndexOutOfRange: an address index must be < 2^31 (non-hardened).
	ErrIndexOutOfRange = kind.New(kind.Invalid, "hd: address index out of range (must be < 2^31)")
	// ErrInvalidExtendedKey: the string is not a well-formed BIP32 extended key.
	ErrInvalidExtendedKey = kind.New(kind.Invalid, "hd: invalid extended key")
	// ErrPrivateKeyGiven: an extended private key was given where only an xpub belongs.
	ErrPrivateKeyGiven = kind.New(kind.Invalid, "hd: got an extended private key; give the account xpub only")
	// ErrNotAccountXpub: the xpub is well formed but not an account-level key (depth 3, hardened).
	ErrNotAccountXpub = kind.New(kind.Invalid, "hd: not an account-level xpub (want m/44'/60'/0')")
)

// Path is the BIP44 derivation path of the address with index i.
func Path(i uint32) string {
	return fmt.Sprintf("%s/%d/%d", AccountPath, ExternalChain, i)
}

// Deriver derives deposit addresses from the account xpub. It holds no secret and is safe for
// concurrent use.
type Deriver struct {
	xpub     string
	external *bip32.Key // m/44'/60'/0'/0, public
}

// ParseXpub checks an account-level xpub (m/44'/60'/0', mainnet "xpub" version) and returns a
// Deriver for it. Errors never contain the input.
func ParseXpub(xpub string) (*Deriver, error) {
	k, err := decodeExtendedKey(xpub)
	if err != nil {
		return nil, err
	}
	if k.IsPrivate {
		return nil, ErrPrivateKeyGiven
	}
	if k.Depth != AccountDepth || binary.BigEndian.Uint32(k.ChildNumber) < bip32.FirstHardenedChild {
		return nil, fmt.Errorf("%w: depth %d, child %#x", ErrNotAccountXpub, k.Depth, k.ChildNumber)
	}
	ext, err := clipped(k).NewChildKey(ExternalChain)
	if err != nil {
		return nil, fmt.Errorf("hd: deriving the external chain: %w", err)
	}
	return &Deriver{xpub: xpub, external: clipped(ext)}, nil
}

// Xpub is the account-level extended public key this Deriver was made from.
func (d *Deriver) Xpub() string { return d.xpub }

// Address is the Ethereum address at m/44'/60'/0'/0/i.
func (d *Deriver) Address(i uint32) (common.Address, error) {
	if i > MaxIndex {
		return common.Address{}, fmt.Errorf("%w: %d", ErrIndexOutOfRange, i)
	}
	child, err := d.external.NewChildKey(i)
	if err != nil {
		// Probability < 2^-127 per index (BIP32: skip to the next index). Surface it rather than
		// silently handing out a different index's address.
		return common.Address{}, fmt.Errorf("hd: index %d has no valid key: %w", i, err)
	}
	pub, err := crypto.DecompressPubkey(child.Key)
	if err != nil {
		return common.Address{}, fmt.Errorf("hd: index %d: %w", i, err)
	}
	return crypto.PubkeyToAddress(*pub), nil
}

// clipped returns a copy of k whose Key slice has no spare capacity.
//
// go-bip32 v1.0.0 derives a public child with `data := key.Key; data = append(data, index...)`:
// when the parent's Key slice has spare capacity (it always has: it comes from a bytes.Buffer or
// from the 82-byte decoded string) the append writes into the parent's backing array, so two
// goroutines deriving from one parent race and can hash each other's index. A clipped slice
// forces append to allocate.
func clipped(k *bip32.Key) *bip32.Key {
	c := *k
	c.Key = append(make([]byte, 0, len(k.Key)), k.Key...)
	return &c
}

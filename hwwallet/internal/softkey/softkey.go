// Package softkey derives secp256k1 keys at any BIP32 path from a BIP39 mnemonic, for
// hwwallet's SoftwareSigner (devnets) and the protocol-level test device. It is internal so
// that nothing outside hwwallet/... can hold custodian-style keys through it; the platform's
// own keys live in hd/keyring, which only the signer may import.
//
// It keeps the BIP32 master key (not the mnemonic or the seed) and never formats it.
package softkey

import (
	"crypto/ecdsa"
	"errors"
	"fmt"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/tyler-smith/go-bip32"
	"github.com/tyler-smith/go-bip39"
	"golang.org/x/text/unicode/norm"
)

// ErrInvalidMnemonic: not a BIP39 English mnemonic. The error never contains the words.
var ErrInvalidMnemonic = errors.New("softkey: invalid BIP39 mnemonic")

// Wallet is the BIP32 tree of one mnemonic and passphrase. It is immutable and safe for
// concurrent use; String and Format print no secret.
type Wallet struct {
	master *bip32.Key
}

// New derives the wallet of mnemonic and passphrase ("" for none). Both are NFKD-normalised
// and the words re-joined with single spaces, as hd/keyring does (go-bip39 hashes the string
// as given, so stray whitespace would silently change the seed).
func New(mnemonic, passphrase string) (*Wallet, error) {
	words := strings.Fields(norm.NFKD.String(mnemonic))
	seed, err := bip39.NewSeedWithErrorChecking(strings.Join(words, " "), norm.NFKD.String(passphrase))
	if err != nil {
		return nil, fmt.Errorf("%w (%d words)", ErrInvalidMnemonic, len(words))
	}
	defer clear(seed)
	master, err := bip32.NewMasterKey(seed)
	if err != nil {
		return nil, fmt.Errorf("softkey: master key: %w", err)
	}
	return &Wallet{master: clip(master)}, nil
}

// Key is the private key at path (hardened indices have bit 31 set). The caller should use
// it for one operation and drop it.
func (w *Wallet) Key(path []uint32) (*ecdsa.PrivateKey, error) {
	k := w.master
	for _, i := range path {
		next, err := k.NewChildKey(i)
		if err != nil {
			return nil, fmt.Errorf("softkey: derivation failed at index %#x", i)
		}
		k = clip(next)
	}
	key, err := crypto.ToECDSA(k.Key)
	if err != nil {
		return nil, errors.New("softkey: derived key is not a valid secp256k1 key")
	}
	return key, nil
}

// Address is the Ethereum address at path.
func (w *Wallet) Address(path []uint32) (common.Address, error) {
	k, err := w.Key(path)
	if err != nil {
		return common.Address{}, err
	}
	return crypto.PubkeyToAddress(k.PublicKey), nil
}

// String prints no secret.
func (w *Wallet) String() string { return "softkey.Wallet{redacted}" }

// GoString prints no secret.
func (w *Wallet) GoString() string { return w.String() }

// clip copies k with a Key slice that has no spare capacity (see hd.clipped: go-bip32 appends
// to the parent's Key slice when deriving public children).
func clip(k *bip32.Key) *bip32.Key {
	c := *k
	c.Key = append(make([]byte, 0, len(k.Key)), k.Key...)
	return &c
}

// Package keyring holds the platform's HD private keys: the KeyRing. Only KeyRing touches private
// keys, and only the signer (signer/...) may import this package; hd's import test enforces it.
//
// A KeyRing is built from a BIP39 mnemonic and an optional passphrase, keeps only the account key
// m/44'/60'/0' (not the mnemonic, not the seed, not the master key), and hands out the private key
// of deposit address i (m/44'/60'/0'/0/i) and the account xpub that the rest of the system uses.
// Nothing here ever formats, logs or returns key material in an error.
package keyring

import (
	"crypto/ecdsa"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/tyler-smith/go-bip32"
	"github.com/tyler-smith/go-bip39"
	"golang.org/x/text/unicode/norm"

	"github.com/amanat/amn/hd"
)

var (
	// ErrInvalidMnemonic: not a BIP39 English mnemonic (unknown word, wrong length or checksum).
	ErrInvalidMnemonic = errors.New("keyring: invalid BIP39 mnemonic")
	// ErrDerivation: BIP32 derivation produced an invalid key (probability < 2^-127).
	ErrDerivation = errors.New("keyring: derivation failed")
)

// accountPath is m/44'/60'/0'.
var accountPath = []uint32{44 + bip32.FirstHardenedChild, 60 + bip32.FirstHardenedChild, 0 + bip32.FirstHardenedChild}

// KeyRing holds the account-level extended private key. It is immutable and safe for concurrent
// use. Its String, GoString, Format and LogValue methods print no secret.
type KeyRing struct {
	external *bip32.Key  // m/44'/60'/0'/0, private, Key slice clipped (see hd.clipped)
	deriver  *hd.Deriver // from the account xpub, so the xpub handed out is checked like any other
}

// FromMnemonic builds a KeyRing from a BIP39 English mnemonic and passphrase ("" for none).
//
// Both are NFKD-normalised as BIP39 requires, and the mnemonic's words are re-joined with single
// spaces: go-bip39 validates the words split on any whitespace but hashes the string as given,
// so "a  b" (two spaces) would pass validation and silently yield a different seed.
func FromMnemonic(mnemonic, passphrase string) (*KeyRing, error) {
	words := strings.Fields(norm.NFKD.String(mnemonic))
	canonical := strings.Join(words, " ")
	seed, err := bip39.NewSeedWithErrorChecking(canonical, norm.NFKD.String(passphrase))
	if err != nil {
		// go-bip39's errors carry no words, but they are replaced anyway so that no future
		// library message can leak the mnemonic through us.
		return nil, fmt.Errorf("%w (%d words)", ErrInvalidMnemonic, len(words))
	}
	defer clear(seed)
	return fromSeed(seed)
}

// fromSeed builds a KeyRing from a BIP39 seed (64 bytes; BIP32 allows 16 to 64).
func fromSeed(seed []byte) (*KeyRing, error) {
	master, err := bip32.NewMasterKey(seed)
	if err != nil {
		return nil, fmt.Errorf("%w: master key", ErrDerivation)
	}
	account, err := derivePath(master, accountPath)
	if err != nil {
		return nil, err
	}
	external, err := account.NewChildKey(hd.ExternalChain)
	if err != nil {
		return nil, fmt.Errorf("%w: external chain", ErrDerivation)
	}
	d, err := hd.ParseXpub(account.PublicKey().B58Serialize())
	if err != nil {
		return nil, fmt.Errorf("keyring: own account xpub rejected: %w", err)
	}
	return &KeyRing{external: clip(external), deriver: d}, nil
}

func derivePath(k *bip32.Key, path []uint32) (*bip32.Key, error) {
	for _, i := range path {
		next, err := k.NewChildKey(i)
		if err != nil {
			return nil, fmt.Errorf("%w: child %d", ErrDerivation, i)
		}
		k = next
	}
	return k, nil
}

func clip(k *bip32.Key) *bip32.Key {
	c := *k
	c.Key = append(make([]byte, 0, len(k.Key)), k.Key...)
	return &c
}

// Xpub is the account-level extended public key (m/44'/60'/0'), the only key the API, indexer
// and worker are given.
func (r *KeyRing) Xpub() string { return r.deriver.Xpub() }

// Deriver is an xpub-only Deriver for the same account.
func (r *KeyRing) Deriver() *hd.Deriver { return r.deriver }

// PrivateKey is the private key of the address with index i (m/44'/60'/0'/0/i).
func (r *KeyRing) PrivateKey(i uint32) (*ecdsa.PrivateKey, error) {
	if i > hd.MaxIndex {
		return nil, fmt.Errorf("%w: %d", hd.ErrIndexOutOfRange, i)
	}
	child, err := r.external.NewChildKey(i)
	if err != nil {
		return nil, fmt.Errorf("%w: index %d", ErrDerivation, i)
	}
	defer clear(child.Key)
	key, err := crypto.ToECDSA(child.Key)
	if err != nil {
		return nil, fmt.Errorf("%w: index %d", ErrDerivation, i)
	}
	return key, nil
}

// Address is the address with index i, derived from the private key. Deriver().Address(i) must
// give the same; the signer checks it before signing for a deposit address.
func (r *KeyRing) Address(i uint32) (common.Address, error) {
	k, err := r.PrivateKey(i)
	if err != nil {
		return common.Address{}, err
	}
	return crypto.PubkeyToAddress(k.PublicKey), nil
}

const redacted = "keyring.KeyRing{account: m/44'/60'/0', private keys: redacted}"

// String prints no secret.
func (r KeyRing) String() string { return redacted }

// GoString prints no secret (%#v).
func (r KeyRing) GoString() string { return redacted }

// Format prints no secret, whatever the verb or flags.
func (r KeyRing) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(redacted)) }

// LogValue keeps slog from reflecting over the fields.
func (r KeyRing) LogValue() slog.Value { return slog.StringValue(redacted) }

// MarshalText keeps encoders (JSON, YAML, …) from reaching the fields.
func (r KeyRing) MarshalText() ([]byte, error) { return []byte(redacted), nil }

// Package keystore keeps the signer's secrets encrypted at rest in a directory:
//
//   - mnemonic.json: the deposit wallet's BIP39 mnemonic, sealed with an scrypt-derived key and
//     XChaCha20-Poly1305 (golang.org/x/crypto);
//   - operator.json: the operator / gas tank ECDSA key in go-ethereum's keystore (v3) format, so
//     standard tools (geth, cast wallet) can read it.
//
// Both open with one passphrase, read from a file at start. Secrets never leave this package as
// text: Keys prints redacted, and errors never carry a secret (wrong passphrase is
// ErrWrongPassphrase, whatever was wrong).
package keystore

import (
	"crypto/ecdsa"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/ethereum/go-ethereum/accounts/keystore"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/google/uuid"
	"golang.org/x/crypto/chacha20poly1305"
	"golang.org/x/crypto/scrypt"

	"github.com/amanat/amn/hd/keyring"
	"github.com/amanat/amn/kind"
)

// File names inside the key directory.
const (
	MnemonicFile = "mnemonic.json"
	OperatorFile = "operator.json"
)

// Errors. None of them, and no error of this package, contains a secret.
var (
	ErrWrongPassphrase = kind.New(kind.Refused, "keystore: wrong passphrase or damaged key file")
	ErrExists          = kind.New(kind.Conflict, "keystore: key files already exist (refusing to overwrite)")
	ErrMissing         = kind.New(kind.NotFound, "keystore: key file missing")
	ErrWeakPassphrase  = kind.New(kind.Invalid, "keystore: passphrase must be at least 12 characters")
)

// Scrypt cost. Standard is go-ethereum's StandardScryptN (2^18, ~1 s, 256 MiB); Light is for tests.
type Scrypt struct{ N, R, P int }

var (
	Standard = Scrypt{N: keystore.StandardScryptN, R: 8, P: keystore.StandardScryptP}
	Light    = Scrypt{N: keystore.LightScryptN, R: 8, P: keystore.LightScryptP}
)

type sealed struct {
	Version    int    `json:"version"`
	KDF        string `json:"kdf"`
	N          int    `json:"n"`
	R          int    `json:"r"`
	P          int    `json:"p"`
	Salt       []byte `json:"salt"`
	Cipher     string `json:"cipher"`
	Nonce      []byte `json:"nonce"`
	Ciphertext []byte `json:"ciphertext"`
}

// additional data binds a sealed file to its purpose, so a sealed blob cannot be swapped for another.
const mnemonicAD = "amn-signer-mnemonic-v1"

// SealMnemonic encrypts a mnemonic under passphrase.
func SealMnemonic(mnemonic, passphrase string, cost Scrypt) ([]byte, error) {
	s := sealed{Version: 1, KDF: "scrypt", N: cost.N, R: cost.R, P: cost.P, Cipher: "xchacha20-poly1305",
		Salt: make([]byte, 32), Nonce: make([]byte, chacha20poly1305.NonceSizeX)}
	if _, err := rand.Read(s.Salt); err != nil {
		return nil, err
	}
	if _, err := rand.Read(s.Nonce); err != nil {
		return nil, err
	}
	key, err := scrypt.Key([]byte(passphrase), s.Salt, s.N, s.R, s.P, chacha20poly1305.KeySize)
	if err != nil {
		return nil, fmt.Errorf("keystore: scrypt parameters: %w", err)
	}
	aead, err := chacha20poly1305.NewX(key)
	if err != nil {
		return nil, err
	}
	s.Ciphertext = aead.Seal(nil, s.Nonce, []byte(mnemonic), []byte(mnemonicAD))
	return json.MarshalIndent(s, "", "  ")
}

// OpenMnemonic decrypts what SealMnemonic made.
func OpenMnemonic(data []byte, passphrase string) (string, error) {
	var s sealed
	if err := json.Unmarshal(data, &s); err != nil || s.Version != 1 || s.KDF != "scrypt" || s.Cipher != "xchacha20-poly1305" {
		return "", fmt.Errorf("%w: not a sealed mnemonic (version 1, scrypt, xchacha20-poly1305)", ErrWrongPassphrase)
	}
	key, err := scrypt.Key([]byte(passphrase), s.Salt, s.N, s.R, s.P, chacha20poly1305.KeySize)
	if err != nil {
		return "", fmt.Errorf("%w: bad scrypt parameters", ErrWrongPassphrase)
	}
	aead, err := chacha20poly1305.NewX(key)
	if err != nil || len(s.Nonce) != aead.NonceSize() {
		return "", ErrWrongPassphrase
	}
	plain, err := aead.Open(nil, s.Nonce, s.Ciphertext, []byte(mnemonicAD))
	if err != nil {
		return "", ErrWrongPassphrase
	}
	return string(plain), nil
}

// Keys are the unlocked secrets. They print redacted.
type Keys struct {
	Ring     *keyring.KeyRing  // deposit keys m/44'/60'/0'/0/i
	Operator *ecdsa.PrivateKey // gas tank: pays gas top-ups and submits releases and refunds
}

// OperatorAddress is the gas tank's address.
func (k *Keys) OperatorAddress() common.Address { return crypto.PubkeyToAddress(k.Operator.PublicKey) }

const redacted = "keystore.Keys{REDACTED}"

func (k Keys) String() string               { return redacted }
func (k Keys) GoString() string             { return redacted }
func (k Keys) Format(f fmt.State, _ rune)   { _, _ = f.Write([]byte(redacted)) }
func (k Keys) LogValue() slog.Value         { return slog.StringValue(redacted) }
func (k Keys) MarshalText() ([]byte, error) { return []byte(redacted), nil }

// Init writes both files into dir (created 0700; files 0600). It refuses to overwrite existing
// files and weak passphrases. operator may be nil: a new key is generated.
func Init(dir, mnemonic string, operator *ecdsa.PrivateKey, passphrase string, cost Scrypt) (common.Address, error) {
	if len(passphrase) < 12 {
		return common.Address{}, ErrWeakPassphrase
	}
	if _, err := keyring.FromMnemonic(mnemonic, ""); err != nil {
		return common.Address{}, errors.New("keystore: the mnemonic is not a valid BIP39 mnemonic")
	}
	for _, f := range []string{MnemonicFile, OperatorFile} {
		if _, err := os.Stat(filepath.Join(dir, f)); err == nil {
			return common.Address{}, fmt.Errorf("%w: %s", ErrExists, filepath.Join(dir, f))
		}
	}
	if operator == nil {
		var err error
		if operator, err = crypto.GenerateKey(); err != nil {
			return common.Address{}, err
		}
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return common.Address{}, err
	}
	m, err := SealMnemonic(mnemonic, passphrase, cost)
	if err != nil {
		return common.Address{}, err
	}
	addr := crypto.PubkeyToAddress(operator.PublicKey)
	op, err := keystore.EncryptKey(&keystore.Key{Id: uuid.New(), Address: addr, PrivateKey: operator}, passphrase, cost.N, cost.P)
	if err != nil {
		return common.Address{}, errors.New("keystore: encrypting the operator key failed")
	}
	if err := writeNew(filepath.Join(dir, MnemonicFile), m); err != nil {
		return common.Address{}, err
	}
	if err := writeNew(filepath.Join(dir, OperatorFile), op); err != nil {
		return common.Address{}, err
	}
	return addr, nil
}

func writeNew(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		if os.IsExist(err) {
			return fmt.Errorf("%w: %s", ErrExists, path)
		}
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// Load unlocks both files in dir with passphrase.
func Load(dir, passphrase string) (*Keys, error) {
	m, err := os.ReadFile(filepath.Join(dir, MnemonicFile))
	if err != nil {
		return nil, fmt.Errorf("%w: %s", ErrMissing, filepath.Join(dir, MnemonicFile))
	}
	op, err := os.ReadFile(filepath.Join(dir, OperatorFile))
	if err != nil {
		return nil, fmt.Errorf("%w: %s", ErrMissing, filepath.Join(dir, OperatorFile))
	}
	mnemonic, err := OpenMnemonic(m, passphrase)
	if err != nil {
		return nil, err
	}
	ring, err := keyring.FromMnemonic(mnemonic, "")
	if err != nil {
		return nil, errors.New("keystore: the sealed mnemonic is not a valid BIP39 mnemonic")
	}
	key, err := keystore.DecryptKey(op, passphrase)
	if err != nil {
		return nil, ErrWrongPassphrase
	}
	return &Keys{Ring: ring, Operator: key.PrivateKey}, nil
}

// OperatorAddress reads the operator (gas tank) address from dir's operator.json, which keeps it
// in the clear (keystore v3 "address"): checking the audit log's signatures needs no passphrase.
func OperatorAddress(dir string) (common.Address, error) {
	path := filepath.Join(dir, OperatorFile)
	b, err := os.ReadFile(path)
	if err != nil {
		return common.Address{}, fmt.Errorf("%w: %s", ErrMissing, path)
	}
	var f struct {
		Address string `json:"address"`
	}
	if err := json.Unmarshal(b, &f); err != nil || !common.IsHexAddress(f.Address) {
		return common.Address{}, fmt.Errorf("keystore: %s names no operator address", path)
	}
	return common.HexToAddress(f.Address), nil
}

// ReadPassphrase reads a passphrase file: its content without the trailing newline. The file
// should be readable by the signer's user only; a group- or world-readable file is refused.
func ReadPassphrase(path string) (string, error) {
	st, err := os.Stat(path)
	if err != nil {
		return "", fmt.Errorf("keystore: passphrase file: %w", err)
	}
	if st.Mode().Perm()&0o077 != 0 {
		return "", fmt.Errorf("keystore: passphrase file %s is readable by others (mode %v): chmod 600 it", path, st.Mode().Perm())
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("keystore: passphrase file: %w", err)
	}
	return strings.TrimRight(string(b), "\r\n"), nil
}

// AccountXpub is the account xpub (m/44'/60'/0') of a mnemonic: what the API, indexer and worker
// are configured with. It is public.
func AccountXpub(mnemonic string) (string, error) {
	r, err := keyring.FromMnemonic(mnemonic, "")
	if err != nil {
		return "", errors.New("keystore: the mnemonic is not a valid BIP39 mnemonic")
	}
	return r.Xpub(), nil
}

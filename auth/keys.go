package auth

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"

	"github.com/go-jose/go-jose/v4"
)

// KeySet holds the ES256 keys that sign and verify access tokens. The first key signs; every key
// verifies, so a new key is put first and the old one kept until the tokens it signed have expired
// (rotation). A key's id (`kid`) is its RFC 7638 thumbprint, so it needs no configuration.
type KeySet struct {
	keys []signingKey
}

type signingKey struct {
	id  string
	key *ecdsa.PrivateKey
}

// ParseKeys reads PEM-encoded P-256 private keys ("EC PRIVATE KEY" or "PRIVATE KEY" blocks), the
// signing key first.
func ParseKeys(pemData []byte) (*KeySet, error) {
	var ks KeySet
	for {
		var block *pem.Block
		block, pemData = pem.Decode(pemData)
		if block == nil {
			break
		}
		k, err := parseECKey(block)
		if err != nil {
			return nil, err
		}
		if err := ks.add(k); err != nil {
			return nil, err
		}
	}
	if len(ks.keys) == 0 {
		return nil, errors.New("auth keys: no PEM private key found")
	}
	return &ks, nil
}

func parseECKey(block *pem.Block) (*ecdsa.PrivateKey, error) {
	var key any
	var err error
	switch block.Type {
	case "EC PRIVATE KEY":
		key, err = x509.ParseECPrivateKey(block.Bytes)
	case "PRIVATE KEY":
		key, err = x509.ParsePKCS8PrivateKey(block.Bytes)
	default:
		return nil, fmt.Errorf("auth keys: PEM block %q is not a private key", block.Type)
	}
	if err != nil {
		return nil, fmt.Errorf("auth keys: %w", err)
	}
	ec, ok := key.(*ecdsa.PrivateKey)
	if !ok || ec.Curve != elliptic.P256() {
		return nil, errors.New("auth keys: want P-256 (ES256) keys")
	}
	return ec, nil
}

// GenerateKeys makes a key set of one new key: for tests and `amn dev`, never for production
// (several API processes must share their keys).
func GenerateKeys() (*KeySet, error) {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	var ks KeySet
	return &ks, ks.add(k)
}

// MarshalPEM writes the keys as PKCS #8 PEM blocks, the signing key first.
func (ks *KeySet) MarshalPEM() ([]byte, error) {
	var out []byte
	for _, k := range ks.keys {
		der, err := x509.MarshalPKCS8PrivateKey(k.key)
		if err != nil {
			return nil, err
		}
		out = append(out, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})...)
	}
	return out, nil
}

func (ks *KeySet) add(k *ecdsa.PrivateKey) error {
	jwk := jose.JSONWebKey{Key: &k.PublicKey}
	tp, err := jwk.Thumbprint(crypto.SHA256)
	if err != nil {
		return fmt.Errorf("auth keys: %w", err)
	}
	ks.keys = append(ks.keys, signingKey{id: base64.RawURLEncoding.EncodeToString(tp), key: k})
	return nil
}

func (ks *KeySet) signer() signingKey { return ks.keys[0] }

func (ks *KeySet) public(kid string) (*ecdsa.PublicKey, bool) {
	for _, k := range ks.keys {
		if k.id == kid {
			return &k.key.PublicKey, true
		}
	}
	return nil, false
}

// JWKS is the public half of the key set as a JSON Web Key Set (RFC 7517).
func (ks *KeySet) JWKS() jose.JSONWebKeySet {
	var set jose.JSONWebKeySet
	for _, k := range ks.keys {
		set.Keys = append(set.Keys, jose.JSONWebKey{Key: &k.key.PublicKey, KeyID: k.id, Algorithm: "ES256", Use: "sig"})
	}
	return set
}

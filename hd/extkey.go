package hd

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/crypto"
	"github.com/tyler-smith/go-bip32"
)

// secp256k1's group order n.
var curveN = crypto.S256().Params().N

// decodeExtendedKey decodes a base58check BIP32 extended key and enforces every rule of the
// serialization format that BIP32 test vector 5 exercises.
//
// go-bip32 v1.0.0's Deserialize checks only the length and the checksum: it takes the key kind from
// the first key byte rather than the version, and accepts unknown versions, public keys off the
// curve or with a 0x04/0x01 prefix, private keys 0 or ≥ n, and depth-0 keys with a parent
// fingerprint or index. These checks are added here, on top of the library's decoding; the
// derivation itself stays the library's.
//
// Errors wrap ErrInvalidExtendedKey and never contain the input (it may be an xprv).
func decodeExtendedKey(s string) (*bip32.Key, error) {
	k, err := bip32.B58Deserialize(s)
	if err != nil {
		// The library's own errors (size, checksum, base58) carry no key material.
		return nil, fmt.Errorf("%w: %v", ErrInvalidExtendedKey, err)
	}
	invalid := func(reason string) (*bip32.Key, error) {
		return nil, fmt.Errorf("%w: %s", ErrInvalidExtendedKey, reason)
	}
	// The library splits the 33 key bytes by their first byte: private keys lose their 0x00.
	keyData := k.Key
	if k.IsPrivate {
		keyData = append([]byte{0}, k.Key...)
	}
	switch {
	case bytes.Equal(k.Version, bip32.PublicWalletVersion):
		if keyData[0] != 0x02 && keyData[0] != 0x03 {
			return invalid("public key version with a key that is not a compressed public key")
		}
		if _, err := crypto.DecompressPubkey(keyData); err != nil {
			return invalid("public key is not on secp256k1")
		}
	case bytes.Equal(k.Version, bip32.PrivateWalletVersion):
		if keyData[0] != 0x00 {
			return invalid("private key version with a key not prefixed by 0x00")
		}
		d := new(big.Int).SetBytes(keyData[1:])
		if d.Sign() == 0 || d.Cmp(curveN) >= 0 {
			return invalid("private key not in 1..n-1")
		}
	default:
		return invalid("unknown version (want mainnet xpub or xprv)")
	}
	if k.Depth == 0 {
		if binary.BigEndian.Uint32(k.FingerPrint) != 0 {
			return invalid("zero depth with non-zero parent fingerprint")
		}
		if binary.BigEndian.Uint32(k.ChildNumber) != 0 {
			return invalid("zero depth with non-zero index")
		}
	}
	return k, nil
}

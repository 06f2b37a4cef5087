package hwwallet

import (
	"encoding/binary"
	"encoding/hex"
	"errors"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/amanat/amn/escrow"
)

// FuzzBridgeBody: whatever a Bridge answers, decoding it returns a message whose length is
// the declared one, or ErrMalformedFrame.
func FuzzBridgeBody(f *testing.F) {
	f.Add([]byte("0011000000020a00"))
	f.Add([]byte("zz"))
	f.Add([]byte("001100000005"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		typ, payload, err := decodeBridgeBody(raw)
		if err != nil {
			if !errors.Is(err, ErrMalformedFrame) {
				t.Fatalf("%v does not wrap ErrMalformedFrame", err)
			}
			return
		}
		b, _ := hex.DecodeString(string(raw[:len(raw)-len(raw)%2]))
		if len(b) < 6 || MessageType(binary.BigEndian.Uint16(b)) != typ || int(binary.BigEndian.Uint32(b[2:])) != len(payload) {
			t.Fatalf("decoded type %d with %d bytes from %q", typ, len(payload), raw)
		}
	})
}

// FuzzTypedDataRequests: the member paths and struct names a device asks for are outside
// input; answering them never panics, and a bad one is an error.
func FuzzTypedDataRequests(f *testing.F) {
	r := escrow.Release{PaymentID: [32]byte{1}, Token: common.Address{2}, Seller: common.Address{3},
		SellerAmount: big.NewInt(4), FeeRecipient: common.Address{5}, FeeAmount: big.NewInt(6), Deadline: big.NewInt(7)}
	td, err := escrow.Domain{ChainID: 56, Contract: common.Address{9}}.TypedData(r)
	if err != nil {
		f.Fatal(err)
	}
	src := typedDataSource{td: td}
	f.Add("Release", []byte{1, 3})
	f.Add("EIP712Domain", []byte{0, 2})
	f.Add("Nope", []byte{2})
	f.Add("", []byte{1, 200, 7})
	f.Fuzz(func(t *testing.T, name string, path []byte) {
		_, _ = src.structAck(name)
		p := make([]uint32, len(path))
		for i, b := range path {
			p[i] = uint32(b)
		}
		v, err := src.value(p)
		if err == nil && len(v) == 0 { // no member of a Release or its domain is empty
			t.Fatalf("empty value for %v", p)
		}
	})
}

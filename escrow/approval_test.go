package escrow_test

import (
	"bytes"
	"crypto/ecdsa"
	"errors"
	"math/big"
	"slices"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/amanat/amn/escrow"
)

func keys(t testing.TB, n int) []*ecdsa.PrivateKey {
	t.Helper()
	out := make([]*ecdsa.PrivateKey, n)
	for i := range out {
		// Deterministic keys 1…n+1 (as secp256k1 scalars): fine for tests, never for money.
		k, err := crypto.ToECDSA(common.LeftPadBytes(big.NewInt(int64(1000+i)).Bytes(), 32))
		if err != nil {
			t.Fatal(err)
		}
		out[i] = k
	}
	return out
}

func addrOf(k *ecdsa.PrivateKey) common.Address { return crypto.PubkeyToAddress(k.PublicKey) }

// highS turns a valid signature into its malleable twin: s' = N − s, v flipped.
func highS(sig []byte) []byte {
	out := bytes.Clone(sig)
	s := new(big.Int).SetBytes(sig[32:64])
	copy(out[32:64], common.LeftPadBytes(new(big.Int).Sub(crypto.S256().Params().N, s).Bytes(), 32))
	if out[64] < 31 {
		out[64] = 55 - out[64] // 27 <-> 28
	} else {
		out[64] = 63 - out[64] // 31 <-> 32
	}
	return out
}

func TestSignAndVerify(t *testing.T) {
	k := keys(t, 1)[0]
	digest := crypto.Keccak256Hash([]byte("release"))
	typed, err := escrow.Sign(digest, k)
	if err != nil {
		t.Fatal(err)
	}
	ethSign, err := escrow.SignEthSign(digest, k)
	if err != nil {
		t.Fatal(err)
	}
	// What a message-only device returns: a personal_sign signature with v = 27/28 (or 0/1).
	device, err := crypto.Sign(escrow.EthSignHash(digest).Bytes(), k)
	if err != nil {
		t.Fatal(err)
	}
	fromDevice01, err := escrow.FromEthSign(device)
	if err != nil {
		t.Fatal(err)
	}
	device27 := bytes.Clone(device)
	device27[64] += 27
	fromDevice27, err := escrow.FromEthSign(device27)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(fromDevice01, fromDevice27) || !bytes.Equal(fromDevice01, ethSign.Signature) {
		t.Fatalf("eth_sign forms differ: %x %x %x", fromDevice01, fromDevice27, ethSign.Signature)
	}
	if v := typed.Signature[64]; v != 27 && v != 28 {
		t.Fatalf("EIP-712 form has v = %d", v)
	}
	if v := ethSign.Signature[64]; v != 31 && v != 32 {
		t.Fatalf("eth_sign form has v = %d", v)
	}

	bad := func(mut func([]byte) []byte) []byte { return mut(bytes.Clone(typed.Signature)) }
	cases := []struct {
		name    string
		sig     []byte
		digest  common.Hash
		want    common.Address
		wantErr error
	}{
		{"EIP-712 form", typed.Signature, digest, addrOf(k), nil},
		{"eth_sign form", ethSign.Signature, digest, addrOf(k), nil},
		{"high s", highS(typed.Signature), digest, common.Address{}, escrow.ErrMalleableSignature},
		{"high s, eth_sign form", highS(ethSign.Signature), digest, common.Address{}, escrow.ErrMalleableSignature},
		{"64 bytes (ERC-2098)", typed.Signature[:64], digest, common.Address{}, escrow.ErrInvalidSignature},
		{"66 bytes", append(bytes.Clone(typed.Signature), 0), digest, common.Address{}, escrow.ErrInvalidSignature},
		{"v = 0", bad(func(s []byte) []byte { s[64] = 0; return s }), digest, common.Address{}, escrow.ErrInvalidSignature},
		{"v = 29", bad(func(s []byte) []byte { s[64] = 29; return s }), digest, common.Address{}, escrow.ErrInvalidSignature},
		{"v = 33", bad(func(s []byte) []byte { s[64] = 33; return s }), digest, common.Address{}, escrow.ErrInvalidSignature},
		{"r = 0", bad(func(s []byte) []byte { clear(s[:32]); return s }), digest, common.Address{}, escrow.ErrInvalidSignature},
		{"s = 0", bad(func(s []byte) []byte { clear(s[32:64]); return s }), digest, common.Address{}, escrow.ErrInvalidSignature},
	}
	for _, c := range cases {
		got, err := escrow.Verify(c.digest, c.sig)
		if !errors.Is(err, c.wantErr) || got != c.want {
			t.Errorf("%s: Verify = %s, %v; want %s, %v", c.name, got, err, c.want, c.wantErr)
		}
	}
	// Another digest recovers someone else: Verify says who signed, not whether it is right.
	if got, err := escrow.Verify(crypto.Keccak256Hash([]byte("other")), typed.Signature); err == nil && got == addrOf(k) {
		t.Fatal("a signature verified for a digest it was not made for")
	}
	// The forms are not interchangeable.
	swapped := bytes.Clone(typed.Signature)
	swapped[64] += 4
	if got, _ := escrow.Verify(digest, swapped); got == addrOf(k) {
		t.Fatal("an EIP-712 signature relabelled as eth_sign form still recovered its signer")
	}
	if _, err := escrow.FromEthSign(typed.Signature[:64]); !errors.Is(err, escrow.ErrInvalidSignature) {
		t.Fatalf("FromEthSign(64 bytes) = %v", err)
	}
	if _, err := escrow.FromEthSign(ethSign.Signature); !errors.Is(err, escrow.ErrInvalidSignature) {
		t.Fatalf("FromEthSign(v = 31/32) = %v; it must not convert twice", err)
	}
}

func TestQuorum(t *testing.T) {
	ks := keys(t, 5)
	slices.SortFunc(ks, func(a, b *ecdsa.PrivateKey) int { return addrOf(a).Cmp(addrOf(b)) })
	custodians := []common.Address{addrOf(ks[2]), addrOf(ks[0]), addrOf(ks[1])} // any order
	outsider := ks[3]
	digest := crypto.Keccak256Hash([]byte("refund"))
	sign := func(k *ecdsa.PrivateKey) escrow.Approval {
		a, err := escrow.Sign(digest, k)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	a0, a1, a2 := sign(ks[0]), sign(ks[1]), sign(ks[2])
	a1eth, err := escrow.SignEthSign(digest, ks[1])
	if err != nil {
		t.Fatal(err)
	}
	forged := escrow.Approval{Signer: addrOf(ks[0]), Signature: sign(outsider).Signature} // claims to be ks[0]
	wrongDigest, _ := escrow.Sign(crypto.Keccak256Hash([]byte("other")), ks[2])

	cases := []struct {
		name      string
		approvals []escrow.Approval
		threshold int
		want      [][]byte
		wantErr   error
		rejected  []error
	}{
		{"sorted", []escrow.Approval{a0, a1}, 2, [][]byte{a0.Signature, a1.Signature}, nil, nil},
		{"reversed input is sorted", []escrow.Approval{a2, a0}, 2, [][]byte{a0.Signature, a2.Signature}, nil, nil},
		{"eth_sign form mixes in", []escrow.Approval{a2, a1eth}, 2, [][]byte{a1eth.Signature, a2.Signature}, nil, nil},
		{"extras beyond threshold dropped", []escrow.Approval{a2, a1, a0}, 2, [][]byte{a0.Signature, a1.Signature}, nil, nil},
		{"non-custodian dropped", []escrow.Approval{sign(outsider), a2, a1}, 2, [][]byte{a1.Signature, a2.Signature}, nil, nil},
		{"one is not enough", []escrow.Approval{a2}, 2, nil, escrow.ErrNotEnoughApprovals, nil},
		{"duplicate counts once", []escrow.Approval{a1, a1eth}, 2, nil, escrow.ErrNotEnoughApprovals, []error{escrow.ErrDuplicateSigner}},
		{"non-custodian does not count", []escrow.Approval{a1, sign(outsider)}, 2, nil, escrow.ErrNotEnoughApprovals, []error{escrow.ErrNotCustodian}},
		{"forged signer does not count", []escrow.Approval{a1, forged}, 2, nil, escrow.ErrNotEnoughApprovals, []error{escrow.ErrSignerMismatch}},
		{"other digest does not count", []escrow.Approval{a1, wrongDigest}, 2, nil, escrow.ErrNotEnoughApprovals, []error{escrow.ErrSignerMismatch}},
		{"high s does not count", []escrow.Approval{a1, {Signer: a2.Signer, Signature: highS(a2.Signature)}}, 2, nil, escrow.ErrNotEnoughApprovals, []error{escrow.ErrMalleableSignature}},
		{"threshold 0", []escrow.Approval{a0}, 0, nil, escrow.ErrBadThreshold, nil},
		{"threshold above N", []escrow.Approval{a0, a1, a2}, 4, nil, escrow.ErrBadThreshold, nil},
	}
	for _, c := range cases {
		input := slices.Clone(c.approvals)
		got, err := escrow.Quorum(digest, c.approvals, custodians, c.threshold)
		if !errors.Is(err, c.wantErr) {
			t.Errorf("%s: error %v, want %v", c.name, err, c.wantErr)
			continue
		}
		if !slices.EqualFunc(got, c.want, bytes.Equal) {
			t.Errorf("%s: got %d signatures %x, want %x", c.name, len(got), got, c.want)
		}
		if !slices.EqualFunc(input, c.approvals, func(a, b escrow.Approval) bool { return a.Signer == b.Signer && bytes.Equal(a.Signature, b.Signature) }) {
			t.Errorf("%s: Quorum reordered or changed its input", c.name)
		}
		var qe *escrow.QuorumError
		if errors.As(err, &qe) {
			if qe.Need != c.threshold || len(qe.Rejected) != len(c.rejected) {
				t.Errorf("%s: %+v, want %d rejections", c.name, qe, len(c.rejected))
				continue
			}
			for i, want := range c.rejected {
				if !errors.Is(qe.Rejected[i].Err, want) {
					t.Errorf("%s: rejection %d is %v, want %v", c.name, i, qe.Rejected[i].Err, want)
				}
			}
		} else if c.rejected != nil {
			t.Errorf("%s: no *QuorumError in %v", c.name, err)
		}
	}
}

// Signatures arrive from outside (API, devices): Verify must never panic, and whatever it accepts
// is canonical (65 bytes, v in the contract's set, low s) and recovers consistently.
func FuzzVerify(f *testing.F) {
	k := keys(f, 1)[0]
	digest := crypto.Keccak256Hash([]byte("fuzz"))
	a, _ := escrow.Sign(digest, k)
	b, _ := escrow.SignEthSign(digest, k)
	f.Add(digest[:], a.Signature)
	f.Add(digest[:], b.Signature)
	f.Add(digest[:], highS(a.Signature))
	f.Add(digest[:], []byte{})
	f.Fuzz(func(t *testing.T, d, sig []byte) {
		signer, err := escrow.Verify(common.BytesToHash(d), sig)
		if err != nil {
			return
		}
		if len(sig) != 65 || !slices.Contains([]byte{27, 28, 31, 32}, sig[64]) {
			t.Fatalf("accepted a non-canonical signature %x", sig)
		}
		if new(big.Int).SetBytes(sig[32:64]).Cmp(new(big.Int).Rsh(crypto.S256().Params().N, 1)) > 0 {
			t.Fatalf("accepted high s: %x", sig)
		}
		again, err := escrow.Verify(common.BytesToHash(d), sig)
		if err != nil || again != signer {
			t.Fatalf("Verify is not deterministic: %s %v / %s", signer, err, again)
		}
	})
}

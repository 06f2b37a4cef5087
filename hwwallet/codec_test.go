package hwwallet

import (
	"bytes"
	"encoding/hex"
	"errors"
	"reflect"
	"testing"
)

func TestEncodeFramesVector(t *testing.T) {
	// GetFeatures has an empty payload: one packet "?##", type 55, length 0, zero padding.
	p := EncodeFrames(TypeGetFeatures, nil)
	want := append([]byte{0x3f, 0x23, 0x23, 0x00, 0x37, 0, 0, 0, 0}, make([]byte, 55)...)
	if len(p) != 1 || !bytes.Equal(p[0], want) {
		t.Fatalf("GetFeatures frame = % x", p)
	}
	// EthereumGetAddress for m/44'/60'/0'/0/0: proto2 repeated uint32, unpacked.
	payload := Marshal(&EthereumGetAddress{AddressN: []uint32{44 | hardened, 60 | hardened, hardened, 0, 0}})
	if got, want := hex.EncodeToString(payload), "08ac8080800808bc808080080880808080080800"+"0800"; got != want {
		t.Fatalf("EthereumGetAddress payload = %s, want %s", got, want)
	}
}

func TestFramesRoundTrip(t *testing.T) {
	for _, n := range []int{0, 1, 54, 55, 56, 118, 119, 1000, 64 * 1024} {
		payload := make([]byte, n)
		for i := range payload {
			payload[i] = byte(i*7 + 1)
		}
		packets := EncodeFrames(TypeEthereumTypedDataValueAck, payload)
		wantPackets := 1
		if n > 55 {
			wantPackets += (n - 55 + 62) / 63
		}
		if len(packets) != wantPackets {
			t.Errorf("%d bytes: %d packets, want %d", n, len(packets), wantPackets)
		}
		var r Reassembler
		for i, p := range packets {
			if len(p) != PacketSize {
				t.Fatalf("packet %d is %d bytes", i, len(p))
			}
			typ, got, done, err := r.Add(p)
			if err != nil {
				t.Fatal(err)
			}
			if done != (i == len(packets)-1) {
				t.Fatalf("%d bytes: done = %v at packet %d of %d", n, done, i, len(packets))
			}
			if done && (typ != TypeEthereumTypedDataValueAck || !bytes.Equal(got, payload)) {
				t.Fatalf("%d bytes: round trip gave type %d, %d bytes", n, typ, len(got))
			}
		}
	}
}

func TestReassemblerRejects(t *testing.T) {
	good := EncodeFrames(TypeFeatures, make([]byte, 100))
	badMagic := bytes.Clone(good[0])
	badMagic[1] = 'X'
	badCont := bytes.Clone(good[1])
	badCont[0] = '!'
	huge := bytes.Clone(good[0])
	copy(huge[5:], []byte{0x7f, 0xff, 0xff, 0xff})
	for _, c := range []struct {
		name    string
		packets [][]byte
	}{
		{"short first packet", [][]byte{good[0][:10]}},
		{"long packet", [][]byte{append(bytes.Clone(good[0]), 0)}},
		{"bad magic", [][]byte{badMagic}},
		{"bad continuation", [][]byte{good[0], badCont}},
		{"short continuation", [][]byte{good[0], good[1][:63]}},
		{"huge length", [][]byte{huge}},
	} {
		var r Reassembler
		var err error
		for _, p := range c.packets {
			if _, _, _, err = r.Add(p); err != nil {
				break
			}
		}
		if !errors.Is(err, ErrMalformedFrame) {
			t.Errorf("%s: err = %v, want ErrMalformedFrame", c.name, err)
		}
	}
}

func TestMarshalRoundTrip(t *testing.T) {
	size := uint32(32)
	name := "Release"
	in := &EthereumTypedDataStructAck{Members: []EthereumStructMember{
		{Name: "amount", Type: EthereumFieldType{DataType: DataTypeUint, Size: &size}},
		{Name: "list", Type: EthereumFieldType{DataType: DataTypeArray, EntryType: &EthereumFieldType{DataType: DataTypeStruct, Size: &size, StructName: &name}}},
		{Name: "s", Type: EthereumFieldType{DataType: DataTypeString}},
	}}
	out := new(EthereumTypedDataStructAck)
	if err := Unmarshal(Marshal(in), out); err != nil {
		t.Fatal(err)
	}
	if len(out.Members) != 3 || *out.Members[0].Type.Size != 32 || out.Members[1].Type.EntryType.DataType != DataTypeStruct ||
		*out.Members[1].Type.EntryType.StructName != "Release" || out.Members[2].Type.Size != nil || out.Members[2].Name != "s" {
		t.Fatalf("round trip: %+v", out)
	}
	// An empty passphrase must still be present on the wire (firmware refuses an absent one).
	empty := ""
	if b := Marshal(&PassphraseAck{Passphrase: &empty}); !bytes.Equal(b, []byte{0x0a, 0x00}) {
		t.Fatalf("PassphraseAck{\"\"} = % x", b)
	}
}

func TestUnmarshalRejects(t *testing.T) {
	for _, c := range []struct {
		name string
		b    []byte
		m    Message
	}{
		{"missing required", []byte{}, new(EthereumTypedDataSignature)},
		{"wrong wire type", []byte{0x08, 0x01}, new(EthereumTypedDataSignature)},
		{"truncated bytes", []byte{0x0a, 0x05, 0x01}, new(EthereumTypedDataValueAck)},
		{"bad tag", []byte{0x80}, new(Features)},
		{"uint32 overflow", []byte{0x10, 0x80, 0x80, 0x80, 0x80, 0x10, 0x18, 0, 0x20, 0}, new(Features)},
	} {
		if err := Unmarshal(c.b, c.m); !errors.Is(err, ErrMalformedMessage) {
			t.Errorf("%s: err = %v, want ErrMalformedMessage", c.name, err)
		}
	}
	// Packed repeated varints are accepted, and unknown fields skipped.
	var req EthereumTypedDataValueRequest
	if err := Unmarshal([]byte{0x0a, 0x03, 0x01, 0x02, 0x03, 0x78, 0x05}, &req); err != nil || len(req.MemberPath) != 3 || req.MemberPath[2] != 3 {
		t.Fatalf("packed: %v %v", req.MemberPath, err)
	}
	// Self-nesting deeper than maxNesting is refused rather than recursed into.
	b := []byte{0x08, 0x07}
	for range maxNesting + 2 {
		b = append(append([]byte{0x08, 0x07, 0x1a, byte(len(b))}, b...), nil...)
	}
	var ft EthereumFieldType
	if err := unmarshalStruct(b, reflect.ValueOf(&ft).Elem(), 0); err == nil {
		t.Fatalf("deep nesting: %v", err)
	}
}

func FuzzReassembler(f *testing.F) {
	for _, p := range EncodeFrames(TypeFeatures, make([]byte, 130)) {
		f.Add(p)
	}
	f.Add([]byte("?##"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var r Reassembler
		for len(data) > 0 {
			n := min(len(data), PacketSize)
			_, payload, done, err := r.Add(data[:n])
			if err != nil {
				if !errors.Is(err, ErrMalformedFrame) {
					t.Fatalf("error %v does not wrap ErrMalformedFrame", err)
				}
				return
			}
			if done && len(payload) > MaxMessageSize {
				t.Fatal("oversized message")
			}
			data = data[n:]
		}
	})
}

func FuzzUnmarshal(f *testing.F) {
	size := uint32(2)
	f.Add(uint16(TypeEthereumTypedDataStructAck), Marshal(&EthereumTypedDataStructAck{Members: []EthereumStructMember{{Name: "a", Type: EthereumFieldType{DataType: DataTypeUint, Size: &size}}}}))
	f.Add(uint16(TypeFeatures), Marshal(&Features{MajorVersion: 2}))
	f.Add(uint16(TypeFailure), []byte{0x08, 0x04})
	f.Fuzz(func(t *testing.T, typ uint16, data []byte) {
		m, ok := NewMessage(MessageType(typ))
		if !ok {
			return
		}
		if err := Unmarshal(data, m); err != nil {
			if !errors.Is(err, ErrMalformedMessage) {
				t.Fatalf("error %v does not wrap ErrMalformedMessage", err)
			}
			return
		}
		// Whatever decodes re-encodes and decodes to the same thing.
		again, _ := NewMessage(MessageType(typ))
		if err := Unmarshal(Marshal(m), again); err != nil {
			t.Fatalf("re-decode: %v", err)
		}
	})
}

func TestParsePath(t *testing.T) {
	p, err := ParsePath("m/44'/60'/0'/0/7")
	if err != nil || p.String() != "m/44'/60'/0'/0/7" || p[0] != 44|hardened || p[4] != 7 {
		t.Fatalf("ParsePath = %v, %v", p, err)
	}
	if DefaultPath.String() != "m/44'/60'/0'/0/0" {
		t.Fatal(DefaultPath.String())
	}
	for _, bad := range []string{"", "m", "44'/60'", "m/x", "m/2147483648", "m/-1", "m/1''"} {
		if _, err := ParsePath(bad); !errors.Is(err, ErrBadPath) {
			t.Errorf("ParsePath(%q) = %v", bad, err)
		}
	}
}

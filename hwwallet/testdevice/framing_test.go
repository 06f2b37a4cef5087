package testdevice

import (
	"bytes"
	"errors"
	"testing"
)

// The test device's framing is written apart from the client's; these vectors pin it to the
// Codec v1 layout itself.
func TestFramesLayout(t *testing.T) {
	payload := bytes.Repeat([]byte{0xaa}, 55+63+1) // fills the first packet, one continuation, and one byte
	p := frames(0x01d0, payload)                   // 464, EthereumSignTypedData
	if len(p) != 3 {
		t.Fatalf("%d packets", len(p))
	}
	wantHead := []byte{'?', '#', '#', 0x01, 0xd0, 0, 0, 0, 119}
	if !bytes.Equal(p[0][:9], wantHead) || p[0][9] != 0xaa || p[0][63] != 0xaa {
		t.Fatalf("first packet % x", p[0])
	}
	if p[1][0] != '?' || p[1][1] != 0xaa || p[2][0] != '?' || p[2][1] != 0xaa || p[2][2] != 0 {
		t.Fatalf("continuations % x / % x", p[1], p[2])
	}
	var a assembler
	for i, pkt := range p {
		typ, got, done, err := a.add(pkt)
		if err != nil || done != (i == 2) {
			t.Fatalf("packet %d: done %v, %v", i, done, err)
		}
		if done && (typ != 0x01d0 || !bytes.Equal(got, payload)) {
			t.Fatalf("reassembled type %#x, %d bytes", typ, len(got))
		}
	}
	if _, _, _, err := a.add(p[0][:20]); !errors.Is(err, errFrame) {
		t.Fatalf("short packet: %v", err)
	}
	if got := frames(55, nil); len(got) != 1 || !bytes.Equal(got[0][:9], []byte{'?', '#', '#', 0, 55, 0, 0, 0, 0}) {
		t.Fatalf("empty message % x", got)
	}
}

package testdevice

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// The test device frames Codec v1 with its own code rather than hwwallet's, so that a framing
// bug in the client is not mirrored here and hidden.

const packetSize = 64

var errFrame = errors.New("testdevice: malformed frame")

// frames splits a message into 64-byte Codec v1 packets.
func frames(t uint16, payload []byte) [][]byte {
	head := make([]byte, 9, 9+len(payload))
	copy(head, "?##")
	binary.BigEndian.PutUint16(head[3:5], t)
	binary.BigEndian.PutUint32(head[5:9], uint32(len(payload)))
	stream := append(head, payload...)
	var out [][]byte
	first := true
	for first || len(stream) > 0 {
		p := make([]byte, packetSize)
		if first {
			stream = stream[copy(p, stream):]
			first = false
		} else {
			p[0] = '?'
			stream = stream[copy(p[1:], stream):]
		}
		out = append(out, p)
	}
	return out
}

// assembler collects packets into one message.
type assembler struct {
	typ  uint16
	want int
	buf  []byte
	open bool
}

// add returns the message when it is complete.
func (a *assembler) add(p []byte) (typ uint16, payload []byte, done bool, err error) {
	if len(p) != packetSize || p[0] != '?' {
		*a = assembler{}
		return 0, nil, false, fmt.Errorf("%w: %d-byte packet", errFrame, len(p))
	}
	if !a.open {
		if p[1] != '#' || p[2] != '#' {
			return 0, nil, false, fmt.Errorf("%w: no ?## header", errFrame)
		}
		a.typ = binary.BigEndian.Uint16(p[3:5])
		a.want = int(binary.BigEndian.Uint32(p[5:9]))
		if a.want > 1<<20 {
			return 0, nil, false, fmt.Errorf("%w: length %d", errFrame, a.want)
		}
		a.open = true
		a.buf = append(a.buf[:0], p[9:]...)
	} else {
		a.buf = append(a.buf, p[1:]...)
	}
	if len(a.buf) < a.want {
		return 0, nil, false, nil
	}
	typ, payload = a.typ, append([]byte(nil), a.buf[:a.want]...)
	*a = assembler{}
	return typ, payload, true, nil
}

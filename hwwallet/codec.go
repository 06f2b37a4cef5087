package hwwallet

import (
	"encoding/binary"
	"fmt"
)

// Codec v1, the framing of Trezor's USB, UDP and HID transports: a message is split into
// 64-byte packets. The first is "?##", the 2-byte big-endian message type, the 4-byte
// big-endian payload length and the first 55 payload bytes; each next one is "?" and 63 more
// bytes. The last packet is zero-padded. (Over HID the leading '?' doubles as the report id
// 0x3f.) Trezor Bridge's /call takes the same header without the "?##" and without packets.

// PacketSize is the size of every Codec v1 packet.
const PacketSize = 64

const (
	firstPayload = PacketSize - 9 // after "?##", type, length
	contPayload  = PacketSize - 1 // after "?"
)

// MaxMessageSize bounds a message's declared length: the largest Trezor message is far
// smaller, and a frame announcing more is malformed rather than a reason to allocate.
const MaxMessageSize = 1 << 20

// EncodeFrames returns the Codec v1 packets of one message, each PacketSize bytes.
func EncodeFrames(t MessageType, payload []byte) [][]byte {
	n := 1
	if len(payload) > firstPayload {
		n += (len(payload) - firstPayload + contPayload - 1) / contPayload
	}
	packets := make([][]byte, 0, n)
	p := make([]byte, PacketSize)
	copy(p, "?##")
	binary.BigEndian.PutUint16(p[3:], uint16(t))
	binary.BigEndian.PutUint32(p[5:], uint32(len(payload)))
	rest := payload[copy(p[9:], payload):]
	packets = append(packets, p)
	for len(rest) > 0 {
		p = make([]byte, PacketSize)
		p[0] = '?'
		rest = rest[copy(p[1:], rest):]
		packets = append(packets, p)
	}
	return packets
}

// Reassembler rebuilds one message from Codec v1 packets fed to it in order.
type Reassembler struct {
	typ     MessageType
	want    int
	payload []byte
	started bool
}

// Add takes the next packet. It returns done = true with the message once the declared length
// has arrived; errors wrap ErrMalformedFrame.
func (r *Reassembler) Add(p []byte) (t MessageType, payload []byte, done bool, err error) {
	if len(p) != PacketSize {
		return 0, nil, false, fmt.Errorf("%w: packet of %d bytes, want %d", ErrMalformedFrame, len(p), PacketSize)
	}
	if !r.started {
		if p[0] != '?' || p[1] != '#' || p[2] != '#' {
			return 0, nil, false, fmt.Errorf("%w: first packet starts % x, want 3f 23 23", ErrMalformedFrame, p[:3])
		}
		r.typ = MessageType(binary.BigEndian.Uint16(p[3:]))
		length := binary.BigEndian.Uint32(p[5:])
		if length > MaxMessageSize {
			return 0, nil, false, fmt.Errorf("%w: declared length %d exceeds %d", ErrMalformedFrame, length, MaxMessageSize)
		}
		r.want = int(length)
		r.payload = make([]byte, 0, r.want)
		r.started = true
		r.payload = append(r.payload, p[9:9+min(firstPayload, r.want)]...)
	} else {
		if p[0] != '?' {
			return 0, nil, false, fmt.Errorf("%w: continuation packet starts %#x, want 3f", ErrMalformedFrame, p[0])
		}
		r.payload = append(r.payload, p[1:1+min(contPayload, r.want-len(r.payload))]...)
	}
	if len(r.payload) < r.want {
		return 0, nil, false, nil
	}
	t, payload = r.typ, r.payload
	*r = Reassembler{}
	return t, payload, true, nil
}

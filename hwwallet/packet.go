package hwwallet

import (
	"context"
	"fmt"
	"sync"
)

// NewPacketTransport runs Codec v1 over pc. It is how a USB HID device plugs in: this package
// has no HID binding of its own (it would need cgo and hidapi; go-ethereum's
// github.com/ethereum/hid is one), so a caller that has one wraps a device handle in a
// PacketConn. Over HID each 64-byte packet starts with '?', which is also the report id 0x3f;
// hidapi on Linux wants a 0x00 report-number byte before it on write (trezorlib's "HID v2").
func NewPacketTransport(pc PacketConn) Transport {
	return &packetTransport{pc: pc}
}

type packetTransport struct {
	mu sync.Mutex
	pc PacketConn
}

func (p *packetTransport) Call(ctx context.Context, t MessageType, payload []byte) (MessageType, []byte, error) {
	if !p.mu.TryLock() {
		return 0, nil, fmt.Errorf("%w: another call is in progress on this transport", ErrBusy)
	}
	defer p.mu.Unlock()
	for _, pkt := range EncodeFrames(t, payload) {
		if err := p.pc.WritePacket(ctx, pkt); err != nil {
			return 0, nil, err
		}
	}
	var r Reassembler
	for {
		pkt, err := p.pc.ReadPacket(ctx)
		if err != nil {
			return 0, nil, err
		}
		rt, rp, done, err := r.Add(pkt)
		if err != nil {
			return 0, nil, err
		}
		if done {
			return rt, rp, nil
		}
	}
}

func (p *packetTransport) Close() error { return p.pc.Close() }

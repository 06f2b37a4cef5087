package hwwallet

import "context"

// Transport carries one message to a device and brings back its answer. Trezor's protocol
// (v1) is strictly request–response: every host message gets exactly one device message.
// Implementations: UDP (the emulator and hwwallet/testdevice), Bridge (Trezor Bridge over
// HTTP), and any PacketConn through NewPacketTransport (the seam for USB HID).
//
// A Transport serves one call at a time; a second concurrent Call gets ErrBusy.
type Transport interface {
	Call(ctx context.Context, t MessageType, payload []byte) (MessageType, []byte, error)
	Close() error
}

// PacketConn moves single 64-byte Codec v1 packets to and from a device: what a USB HID
// binding offers (hidapi's write/read of one report). ReadPacket blocks until a packet
// arrives, ctx is done, or the device goes away (ErrDeviceGone).
type PacketConn interface {
	WritePacket(ctx context.Context, p []byte) error
	ReadPacket(ctx context.Context) ([]byte, error)
	Close() error
}

package hwwallet

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"sync"
	"syscall"
	"time"
)

// DefaultEmulatorAddr is where Trezor's emulator listens for the host (its debug link is the
// next port).
const DefaultEmulatorAddr = "127.0.0.1:21324"

// DefaultLiveness is how long a device may stay silent during a call before the UDP transport
// pings it: a person reading the screen can take minutes, an emulator that is gone answers no
// ping.
const DefaultLiveness = 2 * time.Second

var (
	pingPacket = []byte("PINGPING")
	pongPacket = []byte("PONGPONG")
)

// UDP is the transport of Trezor's emulator (and of hwwallet/testdevice): each datagram is
// one 64-byte Codec v1 packet, and the 8-byte datagram PINGPING is answered PONGPONG at the
// transport level, whatever the device is doing.
type UDP struct {
	mu       sync.Mutex
	conn     *net.UDPConn
	liveness time.Duration
}

// UDPOptions configure DialUDP.
type UDPOptions struct {
	// Liveness: silence during a call longer than this triggers a ping; no PONGPONG within
	// another Liveness is ErrDeviceGone. Zero means DefaultLiveness.
	Liveness time.Duration
}

// DialUDP connects to the device at addr ("" for DefaultEmulatorAddr) and pings it: nothing
// answering (see Ping) is ErrNoDevice.
func DialUDP(ctx context.Context, addr string, opts UDPOptions) (*UDP, error) {
	if addr == "" {
		addr = DefaultEmulatorAddr
	}
	if opts.Liveness <= 0 {
		opts.Liveness = DefaultLiveness
	}
	var d net.Dialer
	c, err := d.DialContext(ctx, "udp", addr)
	if err != nil {
		return nil, fmt.Errorf("%w: udp %s: %v", ErrNoDevice, addr, err)
	}
	u := &UDP{conn: c.(*net.UDPConn), liveness: opts.Liveness}
	if err := u.Ping(ctx); err != nil {
		_ = u.conn.Close()
		return nil, fmt.Errorf("%w: udp %s: %v", ErrNoDevice, addr, err)
	}
	return u, nil
}

// Ping sends PINGPING and waits for PONGPONG (other datagrams are discarded), for at most
// Liveness or until ctx ends.
func (u *UDP) Ping(ctx context.Context) error {
	if !u.mu.TryLock() {
		return fmt.Errorf("%w: a call is in progress", ErrBusy)
	}
	defer u.mu.Unlock()
	ctx, cancel := context.WithTimeout(ctx, u.liveness)
	defer cancel()
	u.drain()
	stop := u.interruptOn(ctx)
	defer stop()
	if _, err := u.conn.Write(pingPacket); err != nil {
		return u.readErr(ctx, err)
	}
	buf := make([]byte, 2*PacketSize)
	for {
		if err := u.conn.SetReadDeadline(time.Time{}); err != nil {
			return err
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		n, err := u.conn.Read(buf)
		if err != nil {
			return u.readErr(ctx, err)
		}
		if bytes.Equal(buf[:n], pongPacket) {
			return nil
		}
	}
}

// Call sends one message and returns the device's answer. While waiting it pings the device
// after Liveness of silence; a device that does not answer the ping (or whose port is closed)
// is ErrDeviceGone. Frames that break Codec v1 are ErrMalformedFrame.
func (u *UDP) Call(ctx context.Context, t MessageType, payload []byte) (MessageType, []byte, error) {
	if !u.mu.TryLock() {
		return 0, nil, fmt.Errorf("%w: another call is in progress on this transport", ErrBusy)
	}
	defer u.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return 0, nil, err
	}
	// Packets left over from an interrupted call would be taken for this call's answer.
	u.drain()
	for _, p := range EncodeFrames(t, payload) {
		if _, err := u.conn.Write(p); err != nil {
			return 0, nil, u.readErr(ctx, err)
		}
	}
	stop := u.interruptOn(ctx)
	defer stop()
	var (
		r       Reassembler
		buf     = make([]byte, 2*PacketSize) // room to see an oversized datagram as such
		pinging bool
	)
	for {
		if err := u.conn.SetReadDeadline(time.Now().Add(u.liveness)); err != nil {
			return 0, nil, err
		}
		if ctx.Err() != nil { // the interrupt may have fired before the deadline was reset
			return 0, nil, ctx.Err()
		}
		n, err := u.conn.Read(buf)
		if err != nil {
			if isTimeout(err) && ctx.Err() == nil {
				if pinging {
					return 0, nil, fmt.Errorf("%w: no answer to a ping for %s", ErrDeviceGone, u.liveness)
				}
				pinging = true
				if _, err := u.conn.Write(pingPacket); err != nil {
					return 0, nil, u.readErr(ctx, err)
				}
				continue
			}
			return 0, nil, u.readErr(ctx, err)
		}
		pkt := buf[:n]
		if bytes.Equal(pkt, pongPacket) {
			pinging = false
			continue
		}
		pinging = false
		rt, rp, done, err := r.Add(pkt)
		if err != nil {
			return 0, nil, err
		}
		if done {
			return rt, rp, nil
		}
	}
}

// interruptOn makes a blocked Read return when ctx is done.
func (u *UDP) interruptOn(ctx context.Context) (stop func() bool) {
	return context.AfterFunc(ctx, func() { _ = u.conn.SetReadDeadline(time.Unix(1, 0)) })
}

// drain discards datagrams already waiting (the rest of an answer to an interrupted call).
// A deadline already in the past would make Read fail before looking at the socket, so it
// gives each read a millisecond: on loopback, a datagram is queued once its sender's write
// returns, so what is waiting is read at once and the millisecond only passes when nothing is.
func (u *UDP) drain() {
	buf := make([]byte, 2*PacketSize)
	for {
		if err := u.conn.SetReadDeadline(time.Now().Add(time.Millisecond)); err != nil {
			return
		}
		if _, err := u.conn.Read(buf); err != nil && !errors.Is(err, syscall.ECONNREFUSED) {
			return
		}
	}
}

// readErr classifies a socket error: ctx's own error when ctx ended it, ErrDeviceGone for a
// closed port (ICMP port unreachable) or anything else the socket reports.
func (u *UDP) readErr(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if errors.Is(err, syscall.ECONNREFUSED) {
		return fmt.Errorf("%w: nothing listens at udp %s", ErrDeviceGone, u.conn.RemoteAddr())
	}
	return fmt.Errorf("%w: %v", ErrDeviceGone, err)
}

func isTimeout(err error) bool {
	return errors.Is(err, os.ErrDeadlineExceeded)
}

// Close closes the socket.
func (u *UDP) Close() error { return u.conn.Close() }

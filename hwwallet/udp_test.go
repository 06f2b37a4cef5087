package hwwallet_test

import (
	"context"
	"errors"
	"net"
	"testing"

	"github.com/amanat/amn/hwwallet"
)

// rawDevice is a UDP peer scripted packet by packet, for what a well-behaved device never does.
type rawDevice struct {
	conn *net.UDPConn
}

func newRawDevice(t *testing.T) *rawDevice {
	t.Helper()
	c, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return &rawDevice{conn: c}
}

// next reads one datagram, answering pings on the way.
func (r *rawDevice) next(t *testing.T) ([]byte, *net.UDPAddr) {
	t.Helper()
	buf := make([]byte, 128)
	for {
		n, from, err := r.conn.ReadFromUDP(buf)
		if err != nil {
			t.Error(err)
			return nil, nil
		}
		if string(buf[:n]) == "PINGPING" {
			_, _ = r.conn.WriteToUDP([]byte("PONGPONG"), from)
			continue
		}
		return append([]byte(nil), buf[:n]...), from
	}
}

func (r *rawDevice) send(t *testing.T, to *net.UDPAddr, typ hwwallet.MessageType, m hwwallet.Message) {
	t.Helper()
	for _, p := range hwwallet.EncodeFrames(typ, hwwallet.Marshal(m)) {
		if _, err := r.conn.WriteToUDP(p, to); err != nil {
			t.Error(err)
		}
	}
}

// TestStaleAnswerDiscarded: an answer left over from an earlier exchange (here a device that
// answers twice) is not taken for the next call's answer.
func TestStaleAnswerDiscarded(t *testing.T) {
	ctx := testContext(t)
	raw := newRawDevice(t)
	sent := make(chan struct{})
	go func() {
		_, from := raw.next(t) // GetFeatures
		raw.send(t, from, hwwallet.TypeFeatures, &hwwallet.Features{MajorVersion: 2})
		code := hwwallet.FailureProcessError
		raw.send(t, from, hwwallet.TypeFailure, &hwwallet.Failure{Code: &code}) // a stray second answer
		close(sent)
		_, from = raw.next(t) // GetFeatures again
		raw.send(t, from, hwwallet.TypeFeatures, &hwwallet.Features{MajorVersion: 3})
	}()
	u, err := hwwallet.DialUDP(ctx, raw.conn.LocalAddr().String(), hwwallet.UDPOptions{Liveness: liveness})
	if err != nil {
		t.Fatal(err)
	}
	defer u.Close()
	d := hwwallet.NewDevice(u, hwwallet.DeviceOptions{})
	if f, err := d.Features(ctx); err != nil || f.MajorVersion != 2 {
		t.Fatalf("first: %+v, %v", f, err)
	}
	<-sent
	if f, err := d.Features(ctx); err != nil || f.MajorVersion != 3 {
		t.Fatalf("second call took the stale answer: %+v, %v", f, err)
	}
}

// TestUnknownAnswer: a message type this package does not know is ErrUnexpectedMessage, and
// so is a known one the flow does not expect.
func TestUnknownAnswer(t *testing.T) {
	ctx := testContext(t)
	raw := newRawDevice(t)
	go func() {
		_, from := raw.next(t)
		raw.send(t, from, 9999, &hwwallet.ButtonAck{})
		_, from = raw.next(t)
		raw.send(t, from, hwwallet.TypeEthereumAddress, &hwwallet.EthereumAddress{})
	}()
	u, err := hwwallet.DialUDP(ctx, raw.conn.LocalAddr().String(), hwwallet.UDPOptions{Liveness: liveness})
	if err != nil {
		t.Fatal(err)
	}
	defer u.Close()
	d := hwwallet.NewDevice(u, hwwallet.DeviceOptions{})
	if _, err := d.Features(ctx); !errors.Is(err, hwwallet.ErrUnexpectedMessage) {
		t.Fatalf("unknown type: %v", err)
	}
	if _, err := d.Features(ctx); !errors.Is(err, hwwallet.ErrUnexpectedMessage) {
		t.Fatalf("unexpected type: %v", err)
	}
}

// TestConcurrentCallIsBusy: a transport serves one call at a time.
func TestConcurrentCallIsBusy(t *testing.T) {
	ctx := testContext(t)
	raw := newRawDevice(t)
	got := make(chan struct{})
	go func() {
		raw.next(t) // take the request, never answer until the test ends
		close(got)
	}()
	u, err := hwwallet.DialUDP(ctx, raw.conn.LocalAddr().String(), hwwallet.UDPOptions{Liveness: liveness})
	if err != nil {
		t.Fatal(err)
	}
	defer u.Close()
	callCtx, cancel := context.WithCancel(ctx)
	done := make(chan error)
	go func() {
		_, _, err := u.Call(callCtx, hwwallet.TypeGetFeatures, nil)
		done <- err
	}()
	<-got
	if _, _, err := u.Call(ctx, hwwallet.TypeGetFeatures, nil); !errors.Is(err, hwwallet.ErrBusy) {
		t.Errorf("concurrent call: %v", err)
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled call: %v", err)
	}
}

package hwwallet

import (
	"context"
	"fmt"
	"time"
)

// OpenOptions say how to reach a Trezor: the emulator's UDP address, or Trezor Bridge.
type OpenOptions struct {
	UDP      string        // host:port of an emulator (or the test device); empty: Trezor Bridge
	Liveness time.Duration // UDP: how long a silent device is given before it counts as gone
	Bridge   string        // Bridge's URL; empty: its default
	Path     string        // Bridge: which device, when several are connected
	Steal    bool          // Bridge: take the device from another program's session
}

// Opened is a Trezor with a session started: the device, and how it was reached, in words
// ("Trezor T \"Ops 1\" via udp 127.0.0.1:21324").
type Opened struct {
	Device *Device
	Name   string
}

// OpenError is a failure of Open: which step (reaching the device, starting its session) and why.
type OpenError struct {
	Op  string
	Err error
}

func (e *OpenError) Error() string { return e.Op + ": " + e.Err.Error() }
func (e *OpenError) Unwrap() error { return e.Err }

// Open reaches the Trezor o names, starts a session (Initialize) and returns it, answering its
// PIN and passphrase requests with prompts. The caller closes the device. Errors are *OpenError
// wrapping the package's sentinels (ErrNoDevice, ErrBusy, ErrPINInvalid, …) for the caller to
// explain.
func Open(ctx context.Context, o OpenOptions, prompts DeviceOptions) (*Opened, error) {
	var (
		t   Transport
		via string
		err error
	)
	if o.UDP != "" {
		t, err = DialUDP(ctx, o.UDP, UDPOptions{Liveness: o.Liveness})
		via = "udp " + o.UDP
	} else {
		t, err = OpenBridge(ctx, BridgeOptions{URL: o.Bridge, Path: o.Path, Steal: o.Steal})
		via = "Trezor Bridge"
		if o.Bridge != "" {
			via += " " + o.Bridge
		}
	}
	if err != nil {
		return nil, &OpenError{Op: "opening the Trezor", Err: err}
	}
	dev := NewDevice(t, prompts)
	f, err := dev.Initialize(ctx)
	if err != nil {
		_ = dev.Close()
		return nil, &OpenError{Op: "starting a session with the Trezor", Err: err}
	}
	model := "?"
	if f.Model != nil {
		model = *f.Model
	}
	name := "Trezor " + model
	if f.Label != nil && *f.Label != "" {
		name += fmt.Sprintf(" %q", *f.Label)
	}
	return &Opened{Device: dev, Name: name + " via " + via}, nil
}

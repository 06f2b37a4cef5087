package hwwallet

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
)

// DeviceOptions are the callbacks for what the person at the device must do or type.
type DeviceOptions struct {
	// PIN is asked for the PIN as matrix positions (see PinMatrixRequest): the device shows a
	// scrambled keypad, the person types the positions of their digits. An error cancels the
	// operation on the device. Nil: a device that asks for a PIN gives ErrPINRequired.
	PIN func(ctx context.Context, kind PinMatrixRequestType) (string, error)
	// Passphrase is asked for the wallet passphrase (each passphrase is another wallet, so a
	// typo yields another address, not an error). Nil: ErrPassphraseRequired.
	Passphrase func(ctx context.Context) (string, error)
	// Button is told each time the device waits for a button press ("confirm on your
	// device"). Optional.
	Button func(ButtonRequest)
}

// Device is a Trezor reached through a Transport: the flows of custody (address, approvals)
// as request–response exchanges, answering the device's button, PIN and passphrase requests
// on the way. One operation at a time.
type Device struct {
	t    Transport
	opts DeviceOptions
	// features is cached by Initialize: the model decides how approvals are signed.
	features *Features
}

// NewDevice wraps t. Call Initialize first to start a session.
func NewDevice(t Transport, opts DeviceOptions) *Device {
	return &Device{t: t, opts: opts}
}

// Close closes the transport.
func (d *Device) Close() error { return d.t.Close() }

// Initialize starts a session and returns the device's Features.
func (d *Device) Initialize(ctx context.Context) (*Features, error) {
	resp, err := d.call(ctx, &Initialize{})
	if err != nil {
		return nil, fmt.Errorf("hwwallet: initialize: %w", err)
	}
	f, err := expect[*Features](resp)
	if err != nil {
		return nil, fmt.Errorf("hwwallet: initialize: %w", err)
	}
	d.features = f
	return f, nil
}

// Features asks the device for its Features (GetFeatures) without touching the session.
func (d *Device) Features(ctx context.Context) (*Features, error) {
	resp, err := d.call(ctx, &GetFeatures{})
	if err != nil {
		return nil, fmt.Errorf("hwwallet: get features: %w", err)
	}
	f, err := expect[*Features](resp)
	if err != nil {
		return nil, fmt.Errorf("hwwallet: get features: %w", err)
	}
	d.features = f
	return f, nil
}

// IsTrezorOne says whether f describes a Trezor One (model "1"), which signs EIP-712 only as
// hashes (EthereumSignTypedHash) and cannot show the fields.
func (f *Features) IsTrezorOne() bool {
	return f.Model != nil && *f.Model == "1"
}

// Address reads the Ethereum address at path (implements Signer).
func (d *Device) Address(ctx context.Context, path Path) (common.Address, error) {
	return d.address(ctx, path, false)
}

// ShowAddress reads the address at path and has the device display it, so the person can
// compare it with what the host shows (enrolment does that); it returns once they confirm.
func (d *Device) ShowAddress(ctx context.Context, path Path) (common.Address, error) {
	return d.address(ctx, path, true)
}

func (d *Device) address(ctx context.Context, path Path, show bool) (common.Address, error) {
	resp, err := d.call(ctx, &EthereumGetAddress{AddressN: path, ShowDisplay: &show})
	if err != nil {
		return common.Address{}, fmt.Errorf("hwwallet: get address %s: %w", path, err)
	}
	a, err := expect[*EthereumAddress](resp)
	if err != nil {
		return common.Address{}, fmt.Errorf("hwwallet: get address %s: %w", path, err)
	}
	switch {
	case a.Address != nil:
		return parseDeviceAddress(*a.Address)
	case len(a.OldAddress) == common.AddressLength:
		return common.BytesToAddress(a.OldAddress), nil
	}
	return common.Address{}, fmt.Errorf("%w: EthereumAddress without an address", ErrMalformedMessage)
}

func parseDeviceAddress(s string) (common.Address, error) {
	if !common.IsHexAddress(s) || !strings.HasPrefix(s, "0x") {
		return common.Address{}, fmt.Errorf("%w: device address %q", ErrMalformedMessage, s)
	}
	return common.HexToAddress(s), nil
}

// call sends req and answers the device's interaction requests (button, PIN, passphrase)
// until it sends something else, which it returns. A Failure becomes a *FailureError.
func (d *Device) call(ctx context.Context, req Message) (Message, error) {
	msg := req
	for {
		t, payload, err := d.t.Call(ctx, msg.MessageType(), Marshal(msg))
		if err != nil {
			if ctx.Err() != nil {
				// Interrupted: tell the device to leave whatever it was doing.
				return nil, d.abort(ctx, err)
			}
			return nil, err
		}
		resp, ok := NewMessage(t)
		if !ok {
			return nil, fmt.Errorf("%w: message type %d in answer to %s", ErrUnexpectedMessage, t, messageName(msg))
		}
		if err := Unmarshal(payload, resp); err != nil {
			return nil, err
		}
		switch r := resp.(type) {
		case *Failure:
			return nil, failureError(r)
		case *ButtonRequest:
			if d.opts.Button != nil {
				d.opts.Button(*r)
			}
			msg = &ButtonAck{}
		case *PinMatrixRequest:
			if d.opts.PIN == nil {
				return nil, d.abort(ctx, ErrPINRequired)
			}
			kind := PinMatrixCurrent
			if r.Type != nil {
				kind = *r.Type
			}
			pin, err := d.opts.PIN(ctx, kind)
			if err != nil {
				return nil, d.abort(ctx, fmt.Errorf("%w: PIN entry: %w", ErrCancelled, err))
			}
			msg = &PinMatrixAck{Pin: pin}
		case *PassphraseRequest:
			if d.opts.Passphrase == nil {
				return nil, d.abort(ctx, ErrPassphraseRequired)
			}
			p, err := d.opts.Passphrase(ctx)
			if err != nil {
				return nil, d.abort(ctx, fmt.Errorf("%w: passphrase entry: %w", ErrCancelled, err))
			}
			msg = &PassphraseAck{Passphrase: &p}
		default:
			return resp, nil
		}
	}
}

// abort sends Cancel so that the device leaves the operation (it answers Failure
// ActionCancelled), and returns cause. It uses a short fresh context when ctx is done.
func (d *Device) abort(ctx context.Context, cause error) error {
	if ctx.Err() != nil {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
		defer cancel()
	}
	_, _, _ = d.t.Call(ctx, TypeCancel, nil)
	return cause
}

// expect returns resp as T, or ErrUnexpectedMessage naming what came instead.
func expect[T Message](resp Message) (T, error) {
	r, ok := resp.(T)
	if !ok {
		var zero T
		return zero, fmt.Errorf("%w: got %s, want %s", ErrUnexpectedMessage, messageName(resp), messageName(zero))
	}
	return r, nil
}

func messageName(m Message) string {
	t := reflect.TypeOf(m)
	if t == nil {
		return "nothing"
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t.Name()
}

package hwwallet

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// Trezor Bridge (trezord) defaults.
const (
	DefaultBridgeURL = "http://127.0.0.1:21325"
	// DefaultBridgeOrigin is an Origin release builds of the Bridge accept (http://localhost:5xxx
	// and https://*.trezor.io are allowed; anything else gets 403).
	DefaultBridgeOrigin = "http://localhost:5000"
)

// ErrManyDevices: the Bridge lists several devices and none was chosen.
var ErrManyDevices = errors.New("hwwallet: several devices connected; choose one by path")

// BridgeDevice is one entry of the Bridge's /enumerate.
type BridgeDevice struct {
	Path    string  `json:"path"`
	Session *string `json:"session"` // held by someone (maybe another program) when not nil
	Vendor  int     `json:"vendor"`
	Product int     `json:"product"`
	Debug   bool    `json:"debug"`
}

// BridgeError is an error answer of the Bridge: an HTTP status and its {"error": "…"} text.
// errors.Is matches ErrBusy for a session held elsewhere or a call in progress, and
// ErrDeviceGone for a device that disappeared.
type BridgeError struct {
	Op      string
	Status  int
	Message string
}

func (e *BridgeError) Error() string {
	msg := e.Message
	if e.Status == http.StatusForbidden {
		msg += " (the Bridge refuses this Origin header; use http://localhost:5xxx)"
	}
	return fmt.Sprintf("hwwallet: bridge %s: HTTP %d: %s", e.Op, e.Status, msg)
}

// Is implements errors.Is.
func (e *BridgeError) Is(target error) bool {
	m := strings.ToLower(e.Message)
	switch target {
	case ErrBusy:
		return strings.Contains(m, "wrong previous session") || strings.Contains(m, "other call in progress") ||
			strings.Contains(m, "session not found")
	case ErrDeviceGone:
		return strings.Contains(m, "device not found") || strings.Contains(m, "disconnected") ||
			strings.Contains(m, "closed device") || strings.Contains(m, "session not found")
	}
	return false
}

// BridgeOptions configure OpenBridge.
type BridgeOptions struct {
	URL    string // "" = DefaultBridgeURL
	Origin string // "" = DefaultBridgeOrigin
	Path   string // device path from Enumerate; "" = the only device
	// Steal takes the device even when another session holds it (Trezor Suite does this on
	// user request). Without it, a held device is ErrBusy.
	Steal  bool
	Client *http.Client // nil = http.DefaultClient
}

// Bridge is a device acquired through Trezor Bridge: each Call is one POST /call/{session}.
type Bridge struct {
	mu      sync.Mutex
	opts    BridgeOptions
	session string
}

// EnumerateBridge lists the devices the Bridge at opts.URL sees.
func EnumerateBridge(ctx context.Context, opts BridgeOptions) ([]BridgeDevice, error) {
	opts = opts.withDefaults()
	var devs []BridgeDevice
	if err := opts.post(ctx, "enumerate", "/enumerate", nil, &devs); err != nil {
		return nil, err
	}
	return devs, nil
}

// OpenBridge acquires a device through the Bridge. Release it with Close.
func OpenBridge(ctx context.Context, opts BridgeOptions) (*Bridge, error) {
	opts = opts.withDefaults()
	devs, err := EnumerateBridge(ctx, opts)
	if err != nil {
		return nil, err
	}
	var dev *BridgeDevice
	for i := range devs {
		if opts.Path == "" || devs[i].Path == opts.Path {
			if dev != nil {
				return nil, fmt.Errorf("%w: %d devices", ErrManyDevices, len(devs))
			}
			dev = &devs[i]
		}
	}
	if dev == nil {
		return nil, fmt.Errorf("%w: the bridge at %s lists %d devices, none at path %q", ErrNoDevice, opts.URL, len(devs), opts.Path)
	}
	previous := "null"
	if dev.Session != nil {
		if !opts.Steal {
			return nil, fmt.Errorf("%w: device %s is held by session %s (another program?)", ErrBusy, dev.Path, *dev.Session)
		}
		previous = *dev.Session
	}
	var acq struct {
		Session string `json:"session"`
	}
	if err := opts.post(ctx, "acquire", "/acquire/"+url.PathEscape(dev.Path)+"/"+url.PathEscape(previous), nil, &acq); err != nil {
		return nil, err
	}
	if acq.Session == "" {
		return nil, fmt.Errorf("%w: bridge acquire returned no session", ErrMalformedFrame)
	}
	return &Bridge{opts: opts, session: acq.Session}, nil
}

// Session is the Bridge session id this transport holds.
func (b *Bridge) Session() string { return b.session }

// Call sends one message through POST /call/{session}: the body is hex of the 2-byte type, the
// 4-byte big-endian length and the protobuf bytes, and so is the answer.
func (b *Bridge) Call(ctx context.Context, t MessageType, payload []byte) (MessageType, []byte, error) {
	if !b.mu.TryLock() {
		return 0, nil, fmt.Errorf("%w: another call is in progress on this transport", ErrBusy)
	}
	defer b.mu.Unlock()
	body := make([]byte, 6+len(payload))
	binary.BigEndian.PutUint16(body, uint16(t))
	binary.BigEndian.PutUint32(body[2:], uint32(len(payload)))
	copy(body[6:], payload)
	var raw []byte
	if err := b.opts.post(ctx, "call", "/call/"+url.PathEscape(b.session), []byte(hex.EncodeToString(body)), &raw); err != nil {
		return 0, nil, err
	}
	return decodeBridgeBody(raw)
}

// decodeBridgeBody parses a /call answer: hex of type ‖ length ‖ payload.
func decodeBridgeBody(raw []byte) (MessageType, []byte, error) {
	b, err := hex.DecodeString(strings.TrimSpace(string(raw)))
	if err != nil {
		return 0, nil, fmt.Errorf("%w: bridge answer is not hex: %v", ErrMalformedFrame, err)
	}
	if len(b) < 6 {
		return 0, nil, fmt.Errorf("%w: bridge answer of %d bytes, header needs 6", ErrMalformedFrame, len(b))
	}
	n := binary.BigEndian.Uint32(b[2:])
	if uint64(n) != uint64(len(b)-6) {
		return 0, nil, fmt.Errorf("%w: bridge answer declares %d payload bytes, carries %d", ErrMalformedFrame, n, len(b)-6)
	}
	return MessageType(binary.BigEndian.Uint16(b)), b[6:], nil
}

// Close releases the session (POST /release/{session}), giving the Bridge a few seconds.
func (b *Bridge) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return b.opts.post(ctx, "release", "/release/"+url.PathEscape(b.session), nil, nil)
}

func (o BridgeOptions) withDefaults() BridgeOptions {
	if o.URL == "" {
		o.URL = DefaultBridgeURL
	}
	o.URL = strings.TrimRight(o.URL, "/")
	if o.Origin == "" {
		o.Origin = DefaultBridgeOrigin
	}
	if o.Client == nil {
		o.Client = http.DefaultClient
	}
	return o
}

// maxBridgeAnswer bounds what we read from the Bridge: a hex message of MaxMessageSize.
const maxBridgeAnswer = 2*(MaxMessageSize+6) + 1024

// post makes one Bridge request. out is *[]byte for a raw (hex) answer, a JSON target, or nil.
func (o BridgeOptions) post(ctx context.Context, op, path string, body []byte, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, o.URL+path, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("hwwallet: bridge %s: %w", op, err)
	}
	req.Header.Set("Origin", o.Origin)
	if body != nil {
		req.Header.Set("Content-Type", "text/plain")
	}
	resp, err := o.Client.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if op == "call" {
			return fmt.Errorf("%w: bridge %s: %v", ErrDeviceGone, op, err)
		}
		return fmt.Errorf("%w: no Trezor Bridge at %s: %v", ErrNoDevice, o.URL, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxBridgeAnswer))
	if err != nil {
		return fmt.Errorf("%w: bridge %s: reading answer: %v", ErrDeviceGone, op, err)
	}
	if resp.StatusCode != http.StatusOK {
		var e struct {
			Error string `json:"error"`
		}
		if json.Unmarshal(data, &e) != nil || e.Error == "" {
			e.Error = strings.TrimSpace(string(data))
		}
		return &BridgeError{Op: op, Status: resp.StatusCode, Message: e.Error}
	}
	switch out := out.(type) {
	case nil:
		return nil
	case *[]byte:
		*out = data
		return nil
	default:
		if err := json.Unmarshal(data, out); err != nil {
			return fmt.Errorf("%w: bridge %s: %v", ErrMalformedFrame, op, err)
		}
		return nil
	}
}

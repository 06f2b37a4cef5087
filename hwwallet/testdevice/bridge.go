package testdevice

import (
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Bridge serves Trezor Bridge's HTTP API (trezord 2.x) for one test device, the way trezord
// fronts the emulator: POST /enumerate, /acquire/{path}/{previous|null}, /call/{session} (hex
// of type ‖ length ‖ protobuf), /release/{session}; 403 unless Origin is allowed; 400 with
// {"error": …} for a wrong previous session, an unknown session, a call already in progress,
// or a device that stops answering. Mount it on an httptest.Server.
type Bridge struct {
	dev     *Device
	timeout time.Duration

	mu      sync.Mutex
	session int // 0: none
	next    int
	calling bool
}

// NewBridge fronts dev. A device silent for timeout during a call counts as disconnected.
func NewBridge(dev *Device, timeout time.Duration) *Bridge {
	return &Bridge{dev: dev, timeout: timeout}
}

// Path is the device path the bridge lists.
func (b *Bridge) Path() string { return "udp:" + b.dev.Addr() }

var allowedOrigin = regexp.MustCompile(`^(https://([a-z0-9-]+\.)*trezor\.io|http://(localhost|127\.0\.0\.1):5[0-9]{3})$`)

func (b *Bridge) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !allowedOrigin.MatchString(r.Header.Get("Origin")) {
		writeJSON(w, http.StatusForbidden, map[string]string{"error": "Origin not allowed"})
		return
	}
	if r.Method != http.MethodPost {
		writeJSON(w, http.StatusMethodNotAllowed, map[string]string{"error": "POST only"})
		return
	}
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	switch {
	case parts[0] == "":
		writeJSON(w, http.StatusOK, map[string]string{"version": "2.0.33"})
	case parts[0] == "enumerate" && len(parts) == 1:
		b.mu.Lock()
		var session *string
		if b.session != 0 {
			s := strconv.Itoa(b.session)
			session = &s
		}
		b.mu.Unlock()
		writeJSON(w, http.StatusOK, []map[string]any{{
			"path": b.Path(), "session": session, "vendor": 0x1209, "product": 0x53c1, "debug": false,
		}})
	case parts[0] == "acquire" && len(parts) == 3:
		b.acquire(w, parts[1], parts[2])
	case parts[0] == "release" && len(parts) == 2:
		b.mu.Lock()
		defer b.mu.Unlock()
		if strconv.Itoa(b.session) != parts[1] {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": "session not found"})
			return
		}
		b.session = 0
		writeJSON(w, http.StatusOK, map[string]string{})
	case parts[0] == "call" && len(parts) == 2:
		b.call(w, r, parts[1])
	default:
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "not found"})
	}
}

func (b *Bridge) acquire(w http.ResponseWriter, path, previous string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if path != b.Path() {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "device not found"})
		return
	}
	current := "null"
	if b.session != 0 {
		current = strconv.Itoa(b.session)
	}
	if previous != current {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "wrong previous session"})
		return
	}
	b.next++
	b.session = b.next
	writeJSON(w, http.StatusOK, map[string]string{"session": strconv.Itoa(b.session)})
}

func (b *Bridge) call(w http.ResponseWriter, r *http.Request, session string) {
	b.mu.Lock()
	switch {
	case strconv.Itoa(b.session) != session:
		b.mu.Unlock()
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "session not found"})
		return
	case b.calling:
		b.mu.Unlock()
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "other call in progress"})
		return
	}
	b.calling = true
	b.mu.Unlock()
	defer func() {
		b.mu.Lock()
		b.calling = false
		b.mu.Unlock()
	}()
	body, err := io.ReadAll(io.LimitReader(r.Body, 4<<20))
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "read body"})
		return
	}
	msg, err := hex.DecodeString(strings.TrimSpace(string(body)))
	if err != nil || len(msg) < 6 || int(binary.BigEndian.Uint32(msg[2:6])) != len(msg)-6 {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "malformed data"})
		return
	}
	typ, payload, err := b.roundTrip(binary.BigEndian.Uint16(msg), msg[6:])
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "device disconnected during action"})
		return
	}
	out := make([]byte, 6+len(payload))
	binary.BigEndian.PutUint16(out, typ)
	binary.BigEndian.PutUint32(out[2:], uint32(len(payload)))
	copy(out[6:], payload)
	w.WriteHeader(http.StatusOK)
	_, _ = io.WriteString(w, hex.EncodeToString(out))
}

// roundTrip talks Codec v1 to the device over UDP, as trezord does with the emulator.
func (b *Bridge) roundTrip(typ uint16, payload []byte) (uint16, []byte, error) {
	conn, err := net.Dial("udp", b.dev.Addr())
	if err != nil {
		return 0, nil, err
	}
	defer conn.Close()
	for _, p := range frames(typ, payload) {
		if _, err := conn.Write(p); err != nil {
			return 0, nil, err
		}
	}
	var a assembler
	buf := make([]byte, 2*packetSize)
	pinging := false
	for {
		if err := conn.SetReadDeadline(time.Now().Add(b.timeout)); err != nil {
			return 0, nil, err
		}
		n, err := conn.Read(buf)
		if errors.Is(err, os.ErrDeadlineExceeded) && !pinging {
			// Silence may be a person reading the screen: ask the emulator whether it lives
			// (a closed port answers with ICMP, which the next read reports).
			pinging = true
			if _, err := conn.Write([]byte("PINGPING")); err != nil {
				return 0, nil, err
			}
			continue
		}
		if err != nil {
			return 0, nil, err
		}
		pinging = false
		if string(buf[:n]) == "PONGPONG" {
			continue
		}
		t, p, done, err := a.add(buf[:n])
		if err != nil {
			return 0, nil, fmt.Errorf("bridge: %w", err)
		}
		if done {
			return t, p, nil
		}
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// Package testdevice is a Trezor that exists only in tests: it speaks the real protocol —
// Codec v1 over a UDP socket like Trezor's emulator (PINGPING/PONGPONG included), the same
// messages — and derives its keys from a BIP39 mnemonic (Trezor's test seed by default). It
// computes EIP-712 itself from the struct definitions and values the host streams to it, as
// the firmware does, so a client that streams wrongly gets a signature over the wrong digest.
//
// It can ask for a PIN (scrambled matrix) and a passphrase, play a person who presses cancel,
// vanish mid-call, and send malformed frames. Bridge serves Trezor Bridge's HTTP API in front
// of it. It never holds a real custodian's key: its seed is public.
package testdevice

import (
	"crypto/rand"
	"errors"
	"fmt"
	"math/big"
	"net"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/amanat/amn/hwwallet"
	"github.com/amanat/amn/hwwallet/internal/softkey"
)

// AllAll is the standard seed of Trezor's emulator and test suites.
const AllAll = "all all all all all all all all all all all all"

// Options configure a device.
type Options struct {
	Mnemonic   string // "" = AllAll
	PIN        string // digits 1–9; "" = no PIN protection
	Passphrase bool   // passphrase protection: the device asks the host once per session
	// Model is Features.model: "T" (default) clear-signs EIP-712 and refuses
	// EthereumSignTypedHash; "1" (Trezor One) is the reverse.
	Model string
	// Review is the person holding the device: at each confirmation screen they read what the
	// device showed since the last one (the confirmation's own line last) and press cancel when
	// Review returns an error (the host gets Failure_ActionCancelled). Nil: they confirm
	// everything. Expect builds the usual one.
	Review func(screens []string) error
}

// Expect is a Review that confirms only when every line of want was shown on the device since the
// last confirmation: a custodian who checks each recipient and amount before pressing the button.
func Expect(want ...string) func([]string) error {
	return func(screens []string) error {
		for _, w := range want {
			if !slices.Contains(screens, w) {
				return fmt.Errorf("the device did not show %q", w)
			}
		}
		return nil
	}
}

// Fault is a misbehaviour for the device's next opportunity; each fires once.
type Fault int

const (
	FaultNone Fault = iota
	// FaultCancel: at the next confirmation screen the person presses cancel.
	FaultCancel
	// FaultVanish: at the next confirmation (after the whole stream) the device is unplugged:
	// it closes its socket without answering.
	FaultVanish
	// FaultShortPacket: the next answer is a 10-byte datagram.
	FaultShortPacket
	// FaultBadMagic: the next answer's first packet starts "?#X".
	FaultBadMagic
	// FaultHugeLength: the next answer announces a 100 MiB message.
	FaultHugeLength
	// FaultTruncated: the next answer's declared length exceeds what is sent, and a new
	// message's header follows where a continuation belongs.
	FaultTruncated
	// FaultGarbage: the next answer is well framed but its protobuf does not decode.
	FaultGarbage
	// FaultBusy: the next request is answered Failure_Busy.
	FaultBusy
)

// Device is a running test device.
type Device struct {
	conn  *net.UDPConn
	opts  Options
	in    chan inMsg
	wg    sync.WaitGroup
	close sync.Once

	mu         sync.Mutex
	peer       *net.UDPAddr
	fault      Fault
	shown      []string
	matrix     [9]byte // matrix[position-1] = digit shown there
	unlocked   bool
	passphrase *string
	requests   []hwwallet.MessageType
	gone       bool
	reviewed   int      // shown[:reviewed] were on screens the person confirmed or refused
	refusals   []string // why the person (Review) pressed cancel
}

type inMsg struct {
	typ     uint16
	payload []byte
}

// Start listens on a random loopback UDP port. Close stops it.
func Start(opts Options) (*Device, error) {
	if opts.Mnemonic == "" {
		opts.Mnemonic = AllAll
	}
	if opts.Model == "" {
		opts.Model = "T"
	}
	if strings.Trim(opts.PIN, "123456789") != "" {
		return nil, fmt.Errorf("testdevice: PIN %q: digits 1-9 only", opts.PIN)
	}
	if _, err := softkey.New(opts.Mnemonic, ""); err != nil {
		return nil, err
	}
	conn, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		return nil, err
	}
	d := &Device{conn: conn, opts: opts, in: make(chan inMsg)}
	d.wg.Add(2)
	go d.readLoop()
	go d.workLoop()
	return d, nil
}

// Addr is the device's UDP address (host:port), for hwwallet.DialUDP.
func (d *Device) Addr() string { return d.conn.LocalAddr().String() }

// Close stops the device and waits for its goroutines.
func (d *Device) Close() error {
	var err error
	d.close.Do(func() { err = d.conn.Close() })
	d.wg.Wait()
	if errors.Is(err, net.ErrClosed) {
		err = nil
	}
	return err
}

// SetFault arms a fault for the next opportunity.
func (d *Device) SetFault(f Fault) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.fault = f
}

// Refusals are the reasons the person (Options.Review) pressed cancel, in order.
func (d *Device) Refusals() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return slices.Clone(d.refusals)
}

// Shown is everything the device has shown on its screen so far, one line per item.
func (d *Device) Shown() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]string(nil), d.shown...)
}

// Requests lists the type of every message the device received, in order.
func (d *Device) Requests() []hwwallet.MessageType {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]hwwallet.MessageType(nil), d.requests...)
}

// Gone says whether the device vanished (FaultVanish).
func (d *Device) Gone() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.gone
}

// EncodePIN turns digits into the matrix positions a person reading the current scrambled
// matrix would type (the answer PinMatrixAck carries). Call it from a PIN callback: the
// matrix is drawn when the device asks.
func (d *Device) EncodePIN(pin string) string {
	d.mu.Lock()
	defer d.mu.Unlock()
	var b strings.Builder
	for _, c := range []byte(pin) {
		for pos, digit := range d.matrix {
			if digit == c {
				b.WriteByte(byte('1' + pos))
			}
		}
	}
	return b.String()
}

// Address is the address the device gives at path for passphrase (as it computes it, for
// tests to compare with).
func (d *Device) Address(path hwwallet.Path, passphrase string) (common.Address, error) {
	w, err := softkey.New(d.opts.Mnemonic, passphrase)
	if err != nil {
		return common.Address{}, err
	}
	return w.Address(path)
}

func (d *Device) show(line string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.shown = append(d.shown, line)
}

// takeFault returns the armed fault if it is one of want, and disarms it.
func (d *Device) takeFault(want ...Fault) Fault {
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, f := range want {
		if d.fault == f {
			d.fault = FaultNone
			return f
		}
	}
	return FaultNone
}

// readLoop owns the socket's reading side: it answers pings, reassembles messages and hands
// them to workLoop. Malformed input is dropped, as the firmware drops bad packets.
func (d *Device) readLoop() {
	defer d.wg.Done()
	defer close(d.in)
	buf := make([]byte, 2*packetSize)
	var a assembler
	for {
		n, from, err := d.conn.ReadFromUDP(buf)
		if err != nil {
			return // closed
		}
		d.mu.Lock()
		d.peer = from
		d.mu.Unlock()
		if string(buf[:n]) == "PINGPING" {
			_, _ = d.conn.WriteToUDP([]byte("PONGPONG"), from)
			continue
		}
		typ, payload, done, err := a.add(append([]byte(nil), buf[:n]...))
		if err != nil || !done {
			continue
		}
		d.in <- inMsg{typ, payload}
	}
}

// errSessionEnd stops a workflow without an answer (the device vanished or was closed).
var errSessionEnd = errors.New("testdevice: session ended")

// workLoop runs one workflow per top-level request, like the firmware's message handlers.
func (d *Device) workLoop() {
	defer d.wg.Done()
	for m := range d.in {
		d.record(m.typ)
		if err := d.handle(m); errors.Is(err, errSessionEnd) {
			// Drain until the reader stops so it never blocks on a send.
			for range d.in {
			}
			return
		}
	}
}

func (d *Device) record(t uint16) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.requests = append(d.requests, hwwallet.MessageType(t))
}

// failure is a workflow's ending in a Failure message.
type failure struct {
	code hwwallet.FailureType
	msg  string
}

func (f *failure) Error() string { return f.msg }

func fail(code hwwallet.FailureType, format string, args ...any) error {
	return &failure{code: code, msg: fmt.Sprintf(format, args...)}
}

func (d *Device) handle(m inMsg) error {
	req, ok := hwwallet.NewMessage(hwwallet.MessageType(m.typ))
	var resp hwwallet.Message
	var err error
	switch {
	case !ok:
		err = fail(hwwallet.FailureUnexpectedMessage, "Unknown message")
	case hwwallet.Unmarshal(m.payload, req) != nil:
		err = fail(hwwallet.FailureDataError, "Failed to decode message")
	default:
		if d.takeFault(FaultBusy) == FaultBusy {
			err = fail(hwwallet.FailureBusy, "Device is busy")
			break
		}
		resp, err = d.dispatch(req)
	}
	if errors.Is(err, errSessionEnd) {
		return err
	}
	if f, isFailure := errors.AsType[*failure](err); isFailure {
		code := f.code
		resp = &hwwallet.Failure{Code: &code, Message: &f.msg}
	} else if err != nil {
		code := hwwallet.FailureFirmwareError
		msg := err.Error()
		resp = &hwwallet.Failure{Code: &code, Message: &msg}
	}
	return d.send(resp)
}

func (d *Device) dispatch(req hwwallet.Message) (hwwallet.Message, error) {
	switch r := req.(type) {
	case *hwwallet.Initialize:
		d.mu.Lock()
		d.passphrase = nil
		d.mu.Unlock()
		return d.features(), nil
	case *hwwallet.GetFeatures:
		return d.features(), nil
	case *hwwallet.EthereumGetAddress:
		return d.getAddress(r)
	case *hwwallet.EthereumSignTypedData:
		if d.opts.Model == "1" {
			return nil, fail(hwwallet.FailureUnexpectedMessage, "Unknown message")
		}
		return d.signTypedData(r)
	case *hwwallet.EthereumSignTypedHash:
		if d.opts.Model != "1" {
			return nil, fail(hwwallet.FailureUnexpectedMessage, "Unknown message")
		}
		return d.signTypedHash(r)
	case *hwwallet.EthereumSignMessage:
		return d.signMessage(r)
	case *hwwallet.Cancel:
		return nil, fail(hwwallet.FailureActionCancelled, "Cancelled")
	}
	return nil, fail(hwwallet.FailureUnexpectedMessage, "Unexpected message")
}

func (d *Device) features() *hwwallet.Features {
	d.mu.Lock()
	defer d.mu.Unlock()
	vendor, model, label := "trezor.io", d.opts.Model, "amn test device"
	pin, pass, init, unlocked := d.opts.PIN != "", d.opts.Passphrase, true, d.opts.PIN == "" || d.unlocked
	return &hwwallet.Features{
		Vendor: &vendor, MajorVersion: 2, MinorVersion: 8, PatchVersion: 0, Label: &label, Model: &model,
		PinProtection: &pin, PassphraseProtection: &pass, Initialized: &init, Unlocked: &unlocked,
	}
}

// send writes an answer, applying an armed frame fault.
func (d *Device) send(m hwwallet.Message) error {
	d.mu.Lock()
	peer := d.peer
	d.mu.Unlock()
	if peer == nil {
		return nil
	}
	payload := hwwallet.Marshal(m)
	t := uint16(m.MessageType())
	packets := frames(t, payload)
	switch d.takeFault(FaultShortPacket, FaultBadMagic, FaultHugeLength, FaultTruncated, FaultGarbage) {
	case FaultShortPacket:
		packets = [][]byte{packets[0][:10]}
	case FaultBadMagic:
		packets[0][2] = 'X'
	case FaultHugeLength:
		packets = [][]byte{frames(t, nil)[0]}
		packets[0][5], packets[0][6] = 0x06, 0x40 // 0x06400000 = 100 MiB
	case FaultTruncated:
		packets = append(frames(t, make([]byte, 100))[:1], frames(t, nil)[0])
	case FaultGarbage:
		packets = frames(t, []byte{0xff, 0xff, 0xff})
	}
	for _, p := range packets {
		if _, err := d.conn.WriteToUDP(p, peer); err != nil {
			return errSessionEnd
		}
	}
	return nil
}

// exchange sends an intermediate message and returns the host's answer, like the firmware's
// `await call(req, AckType)`: Cancel from the host ends the workflow with ActionCancelled, an
// Initialize restarts, any other unexpected message fails it.
func (d *Device) exchange(out hwwallet.Message, want hwwallet.MessageType) (hwwallet.Message, error) {
	if err := d.send(out); err != nil {
		return nil, err
	}
	m, ok := <-d.in
	if !ok {
		return nil, errSessionEnd
	}
	d.record(m.typ)
	switch hwwallet.MessageType(m.typ) {
	case want:
	case hwwallet.TypeCancel:
		return nil, fail(hwwallet.FailureActionCancelled, "Cancelled")
	default:
		return nil, fail(hwwallet.FailureUnexpectedMessage, "Unexpected message %d, want %d", m.typ, want)
	}
	resp, _ := hwwallet.NewMessage(want)
	if err := hwwallet.Unmarshal(m.payload, resp); err != nil {
		return nil, fail(hwwallet.FailureDataError, "Failed to decode message")
	}
	return resp, nil
}

// confirm shows a screen and waits for the button: FaultCancel makes the person press
// cancel, FaultVanish unplugs the device.
func (d *Device) confirm(code hwwallet.ButtonRequestType, what string) error {
	d.show("confirm: " + what)
	if _, err := d.exchange(&hwwallet.ButtonRequest{Code: &code}, hwwallet.TypeButtonAck); err != nil {
		return err
	}
	d.mu.Lock()
	screens := slices.Clone(d.shown[d.reviewed:])
	d.reviewed = len(d.shown)
	d.mu.Unlock()
	if d.opts.Review != nil {
		if err := d.opts.Review(screens); err != nil {
			d.mu.Lock()
			d.refusals = append(d.refusals, err.Error())
			d.mu.Unlock()
			return fail(hwwallet.FailureActionCancelled, "Cancelled")
		}
	}
	switch d.takeFault(FaultCancel, FaultVanish) {
	case FaultCancel:
		return fail(hwwallet.FailureActionCancelled, "Cancelled")
	case FaultVanish:
		d.mu.Lock()
		d.gone = true
		d.mu.Unlock()
		d.close.Do(func() { _ = d.conn.Close() })
		return errSessionEnd
	}
	return nil
}

// unlock asks for the PIN on a scrambled matrix once per power-up.
func (d *Device) unlock() error {
	d.mu.Lock()
	need := d.opts.PIN != "" && !d.unlocked
	if need {
		d.matrix = scramble()
	}
	d.mu.Unlock()
	if !need {
		return nil
	}
	kind := hwwallet.PinMatrixCurrent
	resp, err := d.exchange(&hwwallet.PinMatrixRequest{Type: &kind}, hwwallet.TypePinMatrixAck)
	if f, ok := errors.AsType[*failure](err); ok && f.code == hwwallet.FailureActionCancelled {
		return fail(hwwallet.FailurePinCancelled, "PIN entry cancelled")
	} else if err != nil {
		return err
	}
	entered := resp.(*hwwallet.PinMatrixAck).Pin
	d.mu.Lock()
	defer d.mu.Unlock()
	var digits strings.Builder
	for _, c := range []byte(entered) {
		if c < '1' || c > '9' {
			return fail(hwwallet.FailurePinInvalid, "PIN invalid")
		}
		digits.WriteByte(d.matrix[c-'1'])
	}
	if digits.String() != d.opts.PIN {
		return fail(hwwallet.FailurePinInvalid, "PIN invalid")
	}
	d.unlocked = true
	return nil
}

func scramble() [9]byte {
	m := [9]byte{'1', '2', '3', '4', '5', '6', '7', '8', '9'}
	for i := len(m) - 1; i > 0; i-- {
		j, err := rand.Int(rand.Reader, big.NewInt(int64(i+1)))
		if err != nil {
			panic(err)
		}
		m[i], m[j.Int64()] = m[j.Int64()], m[i]
	}
	return m
}

// wallet asks for the passphrase (once per session) and returns the keys it selects.
func (d *Device) wallet() (*softkey.Wallet, error) {
	if err := d.unlock(); err != nil {
		return nil, err
	}
	d.mu.Lock()
	cached := d.passphrase
	d.mu.Unlock()
	pass := ""
	switch {
	case !d.opts.Passphrase:
	case cached != nil:
		pass = *cached
	default:
		resp, err := d.exchange(&hwwallet.PassphraseRequest{}, hwwallet.TypePassphraseAck)
		if err != nil {
			return nil, err
		}
		ack := resp.(*hwwallet.PassphraseAck)
		if ack.Passphrase == nil {
			return nil, fail(hwwallet.FailureDataError, "Passphrase not provided and on_device is False. Use empty string to set an empty passphrase.")
		}
		pass = *ack.Passphrase
		d.mu.Lock()
		d.passphrase = &pass
		d.mu.Unlock()
	}
	return softkey.New(d.opts.Mnemonic, pass)
}

func (d *Device) getAddress(r *hwwallet.EthereumGetAddress) (hwwallet.Message, error) {
	w, err := d.wallet()
	if err != nil {
		return nil, err
	}
	a, err := w.Address(r.AddressN)
	if err != nil {
		return nil, fail(hwwallet.FailureDataError, "Forbidden key path")
	}
	if r.ShowDisplay != nil && *r.ShowDisplay {
		if err := d.confirm(hwwallet.ButtonAddress, "address "+hwwallet.Path(r.AddressN).String()+" "+a.Hex()); err != nil {
			return nil, err
		}
	}
	s := a.Hex()
	return &hwwallet.EthereumAddress{Address: &s}, nil
}

// sign signs digest with the key at path: r ‖ s ‖ v, v = 27/28.
func sign(w *softkey.Wallet, path []uint32, digest []byte) ([]byte, string, error) {
	key, err := w.Key(path)
	if err != nil {
		return nil, "", fail(hwwallet.FailureDataError, "Forbidden key path")
	}
	sig, err := crypto.Sign(digest, key)
	if err != nil {
		return nil, "", err
	}
	sig[64] += 27
	return sig, crypto.PubkeyToAddress(key.PublicKey).Hex(), nil
}

func (d *Device) signTypedHash(r *hwwallet.EthereumSignTypedHash) (hwwallet.Message, error) {
	if len(r.DomainSeparatorHash) != 32 || (r.MessageHash != nil && len(r.MessageHash) != 32) {
		return nil, fail(hwwallet.FailureDataError, "Invalid hash length")
	}
	w, err := d.wallet()
	if err != nil {
		return nil, err
	}
	d.show(fmt.Sprintf("domain hash: %x", r.DomainSeparatorHash))
	d.show(fmt.Sprintf("message hash: %x", r.MessageHash))
	if err := d.confirm(hwwallet.ButtonSignTx, "sign typed hash"); err != nil {
		return nil, err
	}
	sig, addr, err := sign(w, r.AddressN, crypto.Keccak256([]byte{0x19, 0x01}, r.DomainSeparatorHash, r.MessageHash))
	if err != nil {
		return nil, err
	}
	return &hwwallet.EthereumTypedDataSignature{Signature: sig, Address: addr}, nil
}

func (d *Device) signMessage(r *hwwallet.EthereumSignMessage) (hwwallet.Message, error) {
	w, err := d.wallet()
	if err != nil {
		return nil, err
	}
	d.show("message: " + messageText(r.Message))
	if err := d.confirm(hwwallet.ButtonProtectCall, "sign message"); err != nil {
		return nil, err
	}
	h := crypto.Keccak256([]byte(fmt.Sprintf("\x19Ethereum Signed Message:\n%d", len(r.Message))), r.Message)
	sig, addr, err := sign(w, r.AddressN, h)
	if err != nil {
		return nil, err
	}
	return &hwwallet.EthereumMessageSignature{Signature: sig, Address: addr}, nil
}

// messageText is how the firmware shows a message to sign: as text when it is printable UTF-8,
// else as hex (so 32 digest bytes appear as 64 hex digits: blind).
func messageText(m []byte) string {
	if utf8.Valid(m) && !strings.ContainsFunc(string(m), func(r rune) bool { return r != '\n' && !unicode.IsPrint(r) }) {
		return string(m)
	}
	return fmt.Sprintf("%x", m)
}

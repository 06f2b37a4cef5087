package hwwallet_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/big"
	"net"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/math"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/signer/core/apitypes"

	"github.com/amanat/amn/escrow"
	"github.com/amanat/amn/hwwallet"
	"github.com/amanat/amn/hwwallet/testdevice"
)

// Trezor's documented first Ethereum address of the "all all … all" seed (m/44'/60'/0'/0/0).
var allAllFirst = common.HexToAddress("0x73d0385F4d8E00C5e6504C6030F47BF6212736A8")

// liveness is shorter than the default so that a vanished device is noticed within a second or
// two, and long enough that a test device starved under -race and a loaded machine is not taken
// for gone (it must miss both the answer and a ping).
const liveness = time.Second

func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// start runs a test device and connects a client to it over UDP.
func start(t *testing.T, opts testdevice.Options, dopts hwwallet.DeviceOptions) (*testdevice.Device, *hwwallet.Device) {
	t.Helper()
	dev, err := testdevice.Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = dev.Close() })
	u, err := hwwallet.DialUDP(testContext(t), dev.Addr(), hwwallet.UDPOptions{Liveness: liveness})
	if err != nil {
		t.Fatal(err)
	}
	d := hwwallet.NewDevice(u, dopts)
	t.Cleanup(func() { _ = d.Close() })
	return dev, d
}

func release() escrow.Release {
	var id [32]byte
	copy(id[:], crypto.Keccak256([]byte("payment 42")))
	return escrow.Release{
		PaymentID:    id,
		Token:        common.HexToAddress("0x55d398326f99059fF775485246999027B3197955"),
		Seller:       common.HexToAddress("0x1111111111111111111111111111111111111111"),
		SellerAmount: big.NewInt(97_500_000),
		FeeRecipient: common.HexToAddress("0x2222222222222222222222222222222222222222"),
		FeeAmount:    big.NewInt(2_500_000),
		Deadline:     big.NewInt(1_900_000_000),
	}
}

var domain = escrow.Domain{ChainID: 56, Contract: common.HexToAddress("0x5FbDB2315678afecb367f032d93F642f64180aa3")}

func TestGetAddress(t *testing.T) {
	ctx := testContext(t)
	dev, d := start(t, testdevice.Options{}, hwwallet.DeviceOptions{})
	f, err := d.Initialize(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if f.Model == nil || *f.Model != "T" || f.IsTrezorOne() || f.MajorVersion != 2 {
		t.Fatalf("features: %+v", f)
	}
	a, err := d.Address(ctx, hwwallet.DefaultPath)
	if err != nil {
		t.Fatal(err)
	}
	if a != allAllFirst {
		t.Fatalf("address = %s, want %s", a, allAllFirst)
	}
	second, _ := hwwallet.ParsePath("m/44'/60'/0'/0/1")
	b, err := d.Address(ctx, second)
	if err != nil || b == a {
		t.Fatalf("second address %s, %v", b, err)
	}
	var buttons int
	d2 := hwwallet.NewDevice(mustDial(t, dev), hwwallet.DeviceOptions{Button: func(hwwallet.ButtonRequest) { buttons++ }})
	shown, err := d2.ShowAddress(ctx, hwwallet.DefaultPath)
	if err != nil || shown != a {
		t.Fatalf("ShowAddress = %s, %v", shown, err)
	}
	if buttons != 1 || !slices.Contains(dev.Shown(), "confirm: address m/44'/60'/0'/0/0 "+a.Hex()) {
		t.Fatalf("buttons %d, screen %q", buttons, dev.Shown())
	}
}

func mustDial(t *testing.T, dev *testdevice.Device) *hwwallet.UDP {
	t.Helper()
	u, err := hwwallet.DialUDP(testContext(t), dev.Addr(), hwwallet.UDPOptions{Liveness: liveness})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = u.Close() })
	return u
}

// TestApproveReleaseClearSigned streams the Release to the device field by field; the device
// hashes what it was streamed and shows each field, and the signature verifies against the
// contract's digest.
func TestApproveReleaseClearSigned(t *testing.T) {
	ctx := testContext(t)
	dev, d := start(t, testdevice.Options{}, hwwallet.DeviceOptions{})
	r := release()
	m, err := d.Method(ctx)
	if err != nil || m != hwwallet.ClearSign {
		t.Fatalf("method %v, %v", m, err)
	}
	a, err := d.SignApproval(ctx, hwwallet.DefaultPath, domain, r)
	if err != nil {
		t.Fatal(err)
	}
	digest, _ := domain.Digest(r)
	signer, err := escrow.Verify(digest, a.Signature)
	if err != nil || signer != allAllFirst || a.Signer != allAllFirst || a.Signature[64] < 27 || a.Signature[64] > 28 {
		t.Fatalf("approval %x by %s: recovers to %s, %v", a.Signature, a.Signer, signer, err)
	}
	// Deterministic ECDSA (RFC 6979): the software signer with the same seed gives the same bytes.
	soft, err := hwwallet.NewSoftwareSigner(testdevice.AllAll, "")
	if err != nil {
		t.Fatal(err)
	}
	sa, err := soft.SignApproval(ctx, hwwallet.DefaultPath, domain, r)
	if err != nil || !bytes.Equal(sa.Signature, a.Signature) {
		t.Fatalf("software signer: %x, %v; device %x", sa.Signature, err, a.Signature)
	}
	// What the person saw is what the contract checks.
	screen := strings.Join(dev.Shown(), "\n") + "\n"
	for _, want := range []string{
		"domain name: AmnEscrow", "domain version: 1", "EIP712Domain.chainId: 56",
		"EIP712Domain.verifyingContract: " + domain.Contract.Hex(),
		"Release.paymentId: 0x" + common.Bytes2Hex(r.PaymentID[:]),
		"Release.token: " + r.Token.Hex(), "Release.seller: " + r.Seller.Hex(),
		"Release.sellerAmount: 97500000", "Release.feeRecipient: " + r.FeeRecipient.Hex(),
		"Release.feeAmount: 2500000", "Release.resolvesDispute: false", "Release.deadline: 1900000000",
		"confirm: sign typed data Release",
	} {
		if !strings.Contains(screen, want+"\n") {
			t.Errorf("the device did not show %q; screen:\n%s", want, screen)
		}
	}
	var structAcks, valueAcks int
	for _, mt := range dev.Requests() {
		switch mt {
		case hwwallet.TypeEthereumTypedDataStructAck:
			structAcks++
		case hwwallet.TypeEthereumTypedDataValueAck:
			valueAcks++
		}
	}
	// Two structs; 4 domain values (+2 for the title) and 8 message values.
	if structAcks != 2 || valueAcks != 14 {
		t.Fatalf("stream: %d struct acks, %d value acks", structAcks, valueAcks)
	}
}

func TestApproveRefundClearSigned(t *testing.T) {
	ctx := testContext(t)
	_, d := start(t, testdevice.Options{}, hwwallet.DeviceOptions{})
	rf := escrow.Refund{PaymentID: [32]byte{1, 2, 3}, Token: common.HexToAddress("0x3333333333333333333333333333333333333333"),
		Buyer: common.HexToAddress("0x4444444444444444444444444444444444444444"), Amount: new(big.Int).Lsh(big.NewInt(1), 255),
		ResolvesDispute: true, Deadline: big.NewInt(1)}
	a, err := d.SignApproval(ctx, hwwallet.DefaultPath, domain, rf)
	if err != nil {
		t.Fatal(err)
	}
	digest, _ := domain.Digest(rf)
	if signer, err := escrow.Verify(digest, a.Signature); err != nil || signer != allAllFirst {
		t.Fatalf("recovers to %s, %v", signer, err)
	}
}

// TestDeviceHashesWhatIsStreamed: typed data that differs from the contract's type (members
// swapped) gives a signature that does not verify against the escrow digest — the device
// computes EIP-712 from the stream, not from anything the host asserts.
func TestDeviceHashesWhatIsStreamed(t *testing.T) {
	ctx := testContext(t)
	_, d := start(t, testdevice.Options{}, hwwallet.DeviceOptions{})
	r := release()
	td, err := domain.TypedData(r)
	if err != nil {
		t.Fatal(err)
	}
	members := td.Types["Release"]
	members[1], members[2] = members[2], members[1]
	sig, addr, err := d.SignTypedData(ctx, hwwallet.DefaultPath, td)
	if err != nil {
		t.Fatal(err)
	}
	digest, _ := domain.Digest(r)
	if signer, err := escrow.Verify(digest, sig); err == nil && signer == addr {
		t.Fatal("a signature over a different type verifies against the escrow digest")
	}
	h, _, err := apitypes.TypedDataAndHash(td)
	if err != nil {
		t.Fatal(err)
	}
	if signer, err := escrow.Verify(common.BytesToHash(h), sig); err != nil || signer != allAllFirst {
		t.Fatalf("the device did not sign the EIP-712 hash of what it was streamed: %s, %v", signer, err)
	}
}

// TestStreamGeneralTypedData streams nested structs, dynamic and fixed arrays, strings, bytes,
// negative ints and bools, and checks the device's signature against go-ethereum's EIP-712.
func TestStreamGeneralTypedData(t *testing.T) {
	ctx := testContext(t)
	dev, d := start(t, testdevice.Options{}, hwwallet.DeviceOptions{})
	td := apitypes.TypedData{
		Types: apitypes.Types{
			"EIP712Domain": {{Name: "name", Type: "string"}, {Name: "version", Type: "string"}, {Name: "chainId", Type: "uint256"}, {Name: "verifyingContract", Type: "address"}, {Name: "salt", Type: "bytes32"}},
			"Person":       {{Name: "name", Type: "string"}, {Name: "wallets", Type: "address[]"}},
			"Mail": {{Name: "from", Type: "Person"}, {Name: "to", Type: "Person[]"}, {Name: "contents", Type: "string"},
				{Name: "delta", Type: "int64"}, {Name: "data", Type: "bytes"}, {Name: "tag", Type: "bytes4"},
				{Name: "ok", Type: "bool"}, {Name: "small", Type: "uint8"}, {Name: "pair", Type: "uint16[2]"}},
		},
		PrimaryType: "Mail",
		Domain:      apitypes.TypedDataDomain{Name: "Ether Mail", Version: "1", ChainId: nil, VerifyingContract: "0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC", Salt: "0x" + strings.Repeat("ab", 32)},
		Message: apitypes.TypedDataMessage{
			"from": map[string]any{"name": "Cow", "wallets": []any{"0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826", "0xDeaDbeefdEAdbeefdEadbEEFdeadbeEFdEaDbeeF"}},
			"to": []any{
				map[string]any{"name": "Bob", "wallets": []any{"0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB"}},
				map[string]any{"name": "Ünïcode ✓", "wallets": []any{}},
			},
			"contents": "Hello, Bob!", "delta": float64(-5), "data": "0x0102030405", "tag": "0xdeadbeef",
			"ok": true, "small": "255", "pair": []any{"1", "0x10"},
		},
	}
	chainID := new(big.Int).SetInt64(1)
	td.Domain.ChainId = (*math.HexOrDecimal256)(chainID)
	sig, addr, err := d.SignTypedData(ctx, hwwallet.DefaultPath, td)
	if err != nil {
		t.Fatal(err)
	}
	h, _, err := apitypes.TypedDataAndHash(td)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := escrow.Verify(common.BytesToHash(h), sig)
	if err != nil || signer != addr || signer != allAllFirst {
		t.Fatalf("signature recovers to %s (%v), device says %s", signer, err, addr)
	}
	screen := strings.Join(dev.Shown(), "\n") + "\n"
	for _, want := range []string{"Mail.delta: -5", "Mail.to[1].name: Ünïcode ✓", "Mail.from.wallets[1]: 0xDeaDbeefdEAdbeefdEadbEEFdeadbeEFdEaDbeeF", "Mail.pair[1]: 16"} {
		if !strings.Contains(screen, want) {
			t.Errorf("screen lacks %q:\n%s", want, screen)
		}
	}
}

func TestTrezorOneSignsHashes(t *testing.T) {
	ctx := testContext(t)
	dev, d := start(t, testdevice.Options{Model: "1"}, hwwallet.DeviceOptions{})
	if _, err := d.Initialize(ctx); err != nil {
		t.Fatal(err)
	}
	m, err := d.Method(ctx)
	if err != nil || m != hwwallet.HashSign {
		t.Fatalf("method %v, %v", m, err)
	}
	r := release()
	a, err := d.SignApproval(ctx, hwwallet.DefaultPath, domain, r)
	if err != nil {
		t.Fatal(err)
	}
	digest, _ := domain.Digest(r)
	if signer, err := escrow.Verify(digest, a.Signature); err != nil || signer != allAllFirst {
		t.Fatalf("recovers to %s, %v", signer, err)
	}
	sep := domain.Separator()
	if !slices.Contains(dev.Shown(), "domain hash: "+common.Bytes2Hex(sep[:])) {
		t.Fatalf("screen %q", dev.Shown())
	}
	// A Trezor One does not know the streamed flow.
	_, err = d.SignApprovalWith(ctx, hwwallet.ClearSign, hwwallet.DefaultPath, domain, r)
	if !errors.Is(err, hwwallet.ErrUnsupported) {
		t.Fatalf("clear-sign on a Trezor One: %v", err)
	}
}

func TestBlindSignIsEthSignForm(t *testing.T) {
	ctx := testContext(t)
	dev, d := start(t, testdevice.Options{}, hwwallet.DeviceOptions{})
	r := release()
	a, err := d.SignApprovalBlind(ctx, hwwallet.DefaultPath, domain, r)
	if err != nil {
		t.Fatal(err)
	}
	if v := a.Signature[64]; v != 31 && v != 32 {
		t.Fatalf("v = %d, want the contract's eth_sign form 31/32", v)
	}
	digest, _ := domain.Digest(r)
	if signer, err := escrow.Verify(digest, a.Signature); err != nil || signer != allAllFirst {
		t.Fatalf("recovers to %s, %v", signer, err)
	}
	if !slices.Contains(dev.Shown(), "message: "+common.Bytes2Hex(digest[:])) {
		t.Fatalf("screen %q", dev.Shown())
	}
	if !strings.Contains(hwwallet.BlindSign.String(), "BLIND") {
		t.Fatal("blind signing is not labelled as such")
	}
}

func TestPIN(t *testing.T) {
	ctx := testContext(t)
	var asked int
	var dev *testdevice.Device
	pin := "2589"
	dev, d := start(t, testdevice.Options{PIN: "2589"}, hwwallet.DeviceOptions{
		PIN: func(_ context.Context, kind hwwallet.PinMatrixRequestType) (string, error) {
			asked++
			if kind != hwwallet.PinMatrixCurrent {
				t.Errorf("PIN kind %d", kind)
			}
			return dev.EncodePIN(pin), nil
		},
	})
	// Wrong PIN first: refused with ErrPINInvalid, and nothing is signed.
	pin = "1111"
	_, err := d.Address(ctx, hwwallet.DefaultPath)
	if !errors.Is(err, hwwallet.ErrPINInvalid) {
		t.Fatalf("wrong PIN: %v", err)
	}
	pin = "2589"
	a, err := d.SignApproval(ctx, hwwallet.DefaultPath, domain, release())
	if err != nil || a.Signer != allAllFirst {
		t.Fatalf("after PIN: %v %s", err, a.Signer)
	}
	if _, err := d.Address(ctx, hwwallet.DefaultPath); err != nil {
		t.Fatal(err)
	}
	if asked != 2 {
		t.Fatalf("PIN asked %d times, want 2 (wrong, right; then unlocked)", asked)
	}
	if enc := dev.EncodePIN("2589"); enc == "2589" && dev.EncodePIN("1") == "1" && dev.EncodePIN("9") == "9" {
		t.Log("matrix happened to be unscrambled") // 1 in 9! chance; the test still holds
	}
}

func TestPINMissingOrAbandoned(t *testing.T) {
	ctx := testContext(t)
	dev, d := start(t, testdevice.Options{PIN: "1"}, hwwallet.DeviceOptions{})
	if _, err := d.Address(ctx, hwwallet.DefaultPath); !errors.Is(err, hwwallet.ErrPINRequired) {
		t.Fatalf("no PIN callback: %v", err)
	}
	// The client cancelled the PIN request on the device.
	if reqs := dev.Requests(); reqs[len(reqs)-1] != hwwallet.TypeCancel {
		t.Fatalf("device got %v, want a Cancel last", reqs)
	}
	u := mustDial(t, dev)
	d2 := hwwallet.NewDevice(u, hwwallet.DeviceOptions{PIN: func(context.Context, hwwallet.PinMatrixRequestType) (string, error) {
		return "", errors.New("the custodian closed the prompt")
	}})
	if _, err := d2.Address(ctx, hwwallet.DefaultPath); !errors.Is(err, hwwallet.ErrCancelled) {
		t.Fatalf("abandoned PIN: %v", err)
	}
}

func TestPassphrase(t *testing.T) {
	ctx := testContext(t)
	var asked int
	dev, d := start(t, testdevice.Options{Passphrase: true}, hwwallet.DeviceOptions{
		Passphrase: func(context.Context) (string, error) { asked++; return "custody vault", nil },
	})
	if _, err := d.Initialize(ctx); err != nil {
		t.Fatal(err)
	}
	a, err := d.Address(ctx, hwwallet.DefaultPath)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := dev.Address(hwwallet.DefaultPath, "custody vault")
	if a != want || a == allAllFirst {
		t.Fatalf("address with passphrase = %s, want %s (and not the empty-passphrase %s)", a, want, allAllFirst)
	}
	ap, err := d.SignApproval(ctx, hwwallet.DefaultPath, domain, release())
	if err != nil || ap.Signer != want {
		t.Fatalf("approval by %s, %v", ap.Signer, err)
	}
	soft, _ := hwwallet.NewSoftwareSigner(testdevice.AllAll, "custody vault")
	if sa, _ := soft.Address(ctx, hwwallet.DefaultPath); sa != want {
		t.Fatalf("software signer with passphrase: %s", sa)
	}
	if asked != 1 {
		t.Fatalf("passphrase asked %d times in one session, want 1", asked)
	}
	// Without a callback the device cannot be used.
	d2 := hwwallet.NewDevice(mustDial(t, dev), hwwallet.DeviceOptions{})
	if _, err := d2.Initialize(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := d2.Address(ctx, hwwallet.DefaultPath); !errors.Is(err, hwwallet.ErrPassphraseRequired) {
		t.Fatalf("no passphrase callback: %v", err)
	}
}

func TestCancelOnDevice(t *testing.T) {
	ctx := testContext(t)
	dev, d := start(t, testdevice.Options{}, hwwallet.DeviceOptions{})
	dev.SetFault(testdevice.FaultCancel)
	_, err := d.SignApproval(ctx, hwwallet.DefaultPath, domain, release())
	if !errors.Is(err, hwwallet.ErrCancelled) {
		t.Fatalf("cancel on device: %v", err)
	}
	fe, ok := errors.AsType[*hwwallet.FailureError](err)
	if !ok || fe.Code != hwwallet.FailureActionCancelled {
		t.Fatalf("error %v is not a FailureError ActionCancelled", err)
	}
	// The device is usable again afterwards.
	if a, err := d.SignApproval(ctx, hwwallet.DefaultPath, domain, release()); err != nil || a.Signer != allAllFirst {
		t.Fatalf("after cancel: %v", err)
	}
}

func TestMalformedFrames(t *testing.T) {
	ctx := testContext(t)
	dev, d := start(t, testdevice.Options{}, hwwallet.DeviceOptions{})
	for _, c := range []struct {
		name  string
		fault testdevice.Fault
		want  error
	}{
		{"short packet", testdevice.FaultShortPacket, hwwallet.ErrMalformedFrame},
		{"bad magic", testdevice.FaultBadMagic, hwwallet.ErrMalformedFrame},
		{"huge length", testdevice.FaultHugeLength, hwwallet.ErrMalformedFrame},
		{"header where a continuation belongs", testdevice.FaultTruncated, hwwallet.ErrMalformedMessage},
		{"undecodable protobuf", testdevice.FaultGarbage, hwwallet.ErrMalformedMessage},
		{"busy", testdevice.FaultBusy, hwwallet.ErrBusy},
	} {
		dev.SetFault(c.fault)
		_, err := d.Address(ctx, hwwallet.DefaultPath)
		switch {
		case c.want != nil && !errors.Is(err, c.want):
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		case c.want == nil && err == nil:
			t.Errorf("%s: accepted", c.name)
		}
		// Each is reported, not retried silently, and the next call works.
		if a, err := d.Address(ctx, hwwallet.DefaultPath); err != nil || a != allAllFirst {
			t.Fatalf("after %s: %s, %v", c.name, a, err)
		}
	}
}

func TestDeviceGoneMidCall(t *testing.T) {
	ctx := testContext(t)
	dev, d := start(t, testdevice.Options{}, hwwallet.DeviceOptions{})
	dev.SetFault(testdevice.FaultVanish)
	startAt := time.Now()
	_, err := d.SignApproval(ctx, hwwallet.DefaultPath, domain, release())
	if !errors.Is(err, hwwallet.ErrDeviceGone) {
		t.Fatalf("vanished device: %v", err)
	}
	if !dev.Gone() {
		t.Fatal("the device did not vanish: the error came from something else")
	}
	t.Logf("noticed after %s (liveness %s)", time.Since(startAt).Round(time.Millisecond), liveness)
	if _, err := d.Address(ctx, hwwallet.DefaultPath); !errors.Is(err, hwwallet.ErrDeviceGone) {
		t.Fatalf("next call: %v", err)
	}
	// Nothing listening at all.
	if _, err := hwwallet.DialUDP(ctx, dev.Addr(), hwwallet.UDPOptions{Liveness: liveness}); !errors.Is(err, hwwallet.ErrNoDevice) {
		t.Fatalf("dial a closed port: %v", err)
	}
}

func TestContextCancelStopsWaiting(t *testing.T) {
	dev, err := testdevice.Start(testdevice.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer dev.Close()
	u := mustDial(t, dev)
	ctx, cancel := context.WithCancel(t.Context())
	d := hwwallet.NewDevice(u, hwwallet.DeviceOptions{PIN: nil, Button: func(hwwallet.ButtonRequest) { cancel() }})
	_, err = d.ShowAddress(ctx, hwwallet.DefaultPath)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled context: %v", err)
	}
}

// udpPackets is a PacketConn over a UDP socket: it stands in for a USB HID handle to show
// that NewPacketTransport (the HID seam) carries the whole protocol.
type udpPackets struct{ c net.Conn }

func (u udpPackets) WritePacket(_ context.Context, p []byte) error {
	_, err := u.c.Write(p)
	return err
}

func (u udpPackets) ReadPacket(ctx context.Context) ([]byte, error) {
	deadline, _ := ctx.Deadline()
	if err := u.c.SetReadDeadline(deadline); err != nil {
		return nil, err
	}
	buf := make([]byte, hwwallet.PacketSize)
	n, err := u.c.Read(buf)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", hwwallet.ErrDeviceGone, err)
	}
	return buf[:n], nil
}

func (u udpPackets) Close() error { return u.c.Close() }

func TestPacketTransport(t *testing.T) {
	ctx := testContext(t)
	dev, err := testdevice.Start(testdevice.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer dev.Close()
	c, err := net.Dial("udp", dev.Addr())
	if err != nil {
		t.Fatal(err)
	}
	d := hwwallet.NewDevice(hwwallet.NewPacketTransport(udpPackets{c}), hwwallet.DeviceOptions{})
	defer d.Close()
	a, err := d.SignApproval(ctx, hwwallet.DefaultPath, domain, release())
	if err != nil || a.Signer != allAllFirst {
		t.Fatalf("over a PacketConn: %s, %v", a.Signer, err)
	}
	dev.SetFault(testdevice.FaultBadMagic)
	if _, err := d.Address(ctx, hwwallet.DefaultPath); !errors.Is(err, hwwallet.ErrMalformedFrame) {
		t.Fatalf("bad magic over a PacketConn: %v", err)
	}
}

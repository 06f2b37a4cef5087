package hwwallet_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/amanat/amn/escrow"
	"github.com/amanat/amn/hwwallet"
	"github.com/amanat/amn/hwwallet/testdevice"
)

// startBridge runs a test device behind a fake Trezor Bridge (real HTTP, real UDP behind it).
func startBridge(t *testing.T, opts testdevice.Options) (*testdevice.Device, *testdevice.Bridge, string) {
	t.Helper()
	dev, err := testdevice.Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = dev.Close() })
	b := testdevice.NewBridge(dev, liveness)
	srv := httptest.NewServer(b)
	t.Cleanup(srv.Close)
	return dev, b, srv.URL
}

func TestBridgeApproveRelease(t *testing.T) {
	ctx := testContext(t)
	dev, b, url := startBridge(t, testdevice.Options{})
	devs, err := hwwallet.EnumerateBridge(ctx, hwwallet.BridgeOptions{URL: url})
	if err != nil || len(devs) != 1 || devs[0].Path != b.Path() || devs[0].Session != nil {
		t.Fatalf("enumerate: %+v, %v", devs, err)
	}
	tr, err := hwwallet.OpenBridge(ctx, hwwallet.BridgeOptions{URL: url})
	if err != nil {
		t.Fatal(err)
	}
	d := hwwallet.NewDevice(tr, hwwallet.DeviceOptions{})
	if a, err := d.Address(ctx, hwwallet.DefaultPath); err != nil || a != allAllFirst {
		t.Fatalf("address over the bridge: %s, %v", a, err)
	}
	r := release()
	ap, err := d.SignApproval(ctx, hwwallet.DefaultPath, domain, r)
	if err != nil {
		t.Fatal(err)
	}
	digest, _ := domain.Digest(r)
	if signer, err := escrow.Verify(digest, ap.Signature); err != nil || signer != allAllFirst {
		t.Fatalf("recovers to %s, %v", signer, err)
	}

	// Held by us: another program cannot take it without stealing.
	if _, err := hwwallet.OpenBridge(ctx, hwwallet.BridgeOptions{URL: url}); !errors.Is(err, hwwallet.ErrBusy) {
		t.Fatalf("second acquire: %v", err)
	}
	thief, err := hwwallet.OpenBridge(ctx, hwwallet.BridgeOptions{URL: url, Steal: true})
	if err != nil {
		t.Fatalf("steal: %v", err)
	}
	// Our session is gone: the next call says so.
	if _, err := d.Address(ctx, hwwallet.DefaultPath); !errors.Is(err, hwwallet.ErrBusy) {
		t.Fatalf("call on a stolen session: %v", err)
	}
	if err := thief.Close(); err != nil {
		t.Fatal(err)
	}
	devs, _ = hwwallet.EnumerateBridge(ctx, hwwallet.BridgeOptions{URL: url})
	if len(devs) != 1 || devs[0].Session != nil {
		t.Fatalf("after release: %+v", devs)
	}

	// The device vanishes mid-call behind the bridge.
	tr2, err := hwwallet.OpenBridge(ctx, hwwallet.BridgeOptions{URL: url})
	if err != nil {
		t.Fatal(err)
	}
	dev.SetFault(testdevice.FaultVanish)
	_, err = hwwallet.NewDevice(tr2, hwwallet.DeviceOptions{}).SignApproval(ctx, hwwallet.DefaultPath, domain, r)
	if !errors.Is(err, hwwallet.ErrDeviceGone) || !dev.Gone() {
		t.Fatalf("vanished behind the bridge: %v", err)
	}
}

func TestBridgeErrors(t *testing.T) {
	ctx := testContext(t)
	_, _, url := startBridge(t, testdevice.Options{})
	_, err := hwwallet.OpenBridge(ctx, hwwallet.BridgeOptions{URL: url, Origin: "https://evil.example"})
	be, ok := errors.AsType[*hwwallet.BridgeError](err)
	if !ok || be.Status != http.StatusForbidden {
		t.Fatalf("bad origin: %v", err)
	}
	if _, err := hwwallet.OpenBridge(ctx, hwwallet.BridgeOptions{URL: url, Path: "udp:nowhere"}); !errors.Is(err, hwwallet.ErrNoDevice) {
		t.Fatalf("unknown path: %v", err)
	}
	// No bridge running.
	srv := httptest.NewServer(http.NotFoundHandler())
	dead := srv.URL
	srv.Close()
	if _, err := hwwallet.OpenBridge(ctx, hwwallet.BridgeOptions{URL: dead}); !errors.Is(err, hwwallet.ErrNoDevice) {
		t.Fatalf("no bridge: %v", err)
	}
	// Malformed /call answers.
	for _, body := range []string{"zz", "0011", "00110000000501"} {
		bad := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			switch r.URL.Path {
			case "/enumerate":
				_, _ = w.Write([]byte(`[{"path":"p","session":null}]`))
			case "/acquire/p/null":
				_, _ = w.Write([]byte(`{"session":"1"}`))
			default:
				_, _ = w.Write([]byte(body))
			}
		}))
		tr, err := hwwallet.OpenBridge(ctx, hwwallet.BridgeOptions{URL: bad.URL})
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := tr.Call(ctx, hwwallet.TypeGetFeatures, nil); !errors.Is(err, hwwallet.ErrMalformedFrame) {
			t.Errorf("answer %q: %v", body, err)
		}
		bad.Close()
	}
}

package signer

import (
	"bytes"
	"context"
	"errors"
	"math/big"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"

	"github.com/amanat/amn/custody"
	"github.com/amanat/amn/escrow"
	"github.com/amanat/amn/hwwallet"
	"github.com/amanat/amn/hwwallet/testdevice"
	"github.com/amanat/amn/intent"
)

// Acceptance 3 of the custody issue, end to end on anvil: the escrow's custodians are two
// Trezors (test devices over UDP, one with a PIN, one with a passphrase wallet) and a software
// key. With AMN_CUSTODY_REQUIRE_HARDWARE=true the software key's approval is refused at once by
// the custody service, and, slipped into the table behind its back, does not count for the
// signer; the two Trezors' clear-signed approvals do, and the contract releases.
func TestCustodyTrezorApprovalsReleaseWithHardwareRequired(t *testing.T) {
	t.Parallel() // a world of its own: anvil and database
	w := newWorld(t, func(c *Config) { c.RequireHardware = true })
	ctx := w.ctx

	devA, trezorA := custodyDevice(t, testdevice.Options{PIN: "1234"}, "1234", "")
	devB, trezorB := custodyDevice(t, testdevice.Options{Passphrase: true}, "", "second custodian")
	soft, err := hwwallet.NewSoftwareSigner(depositMnemonic, "custodian in software")
	if err != nil {
		t.Fatal(err)
	}
	addrA, _ := devA.Address(hwwallet.DefaultPath, "")
	addrB, _ := devB.Address(hwwallet.DefaultPath, "second custodian")
	addrS, _ := soft.Address(ctx, hwwallet.DefaultPath)

	// The fixture's custodians hand the escrow over to the new set: 2 of A, B, S.
	set := []common.Address{addrA, addrB, addrS}
	slices.SortFunc(set, func(a, b common.Address) int { return bytes.Compare(a[:], b[:]) })
	call := &bind.CallOpts{Context: ctx}
	nonce, err := w.f.Escrow.ConfigNonce(call)
	if err != nil {
		t.Fatal(err)
	}
	now, err := w.f.Now(ctx)
	if err != nil {
		t.Fatal(err)
	}
	dom := escrow.Domain{ChainID: w.f.ChainID, Contract: w.f.Addresses.Escrow}
	change := escrow.SetCustodians{Custodians: set, Threshold: big.NewInt(2), Nonce: nonce, Deadline: big.NewInt(now.Add(time.Hour).Unix())}
	digest, err := dom.Digest(change)
	if err != nil {
		t.Fatal(err)
	}
	var old []escrow.Approval
	var oldSet []common.Address
	for _, c := range w.f.Custodians {
		a, err := escrow.Sign(digest, c.Key)
		if err != nil {
			t.Fatal(err)
		}
		old, oldSet = append(old, a), append(oldSet, c.Address)
	}
	sigs, err := escrow.Quorum(digest, old, oldSet, w.f.Threshold)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.f.Wait(ctx)(w.f.Escrow.SetCustodians(w.f.Opts(ctx, w.f.Deployer), change.Custodians, change.Threshold, change.Nonce, change.Deadline, sigs)); err != nil {
		t.Fatalf("setCustodians: %v", err)
	}

	// Enrolment: the Trezors sign challenges on the device (hardware-held); the software key
	// enrols too, as what it is.
	svc := custody.New(w.admin, w.intents, w.payments)
	for _, e := range []struct {
		s        hwwallet.Signer
		hardware bool
	}{{trezorA, true}, {trezorB, true}, {soft, false}} {
		addr, err := e.s.Address(ctx, hwwallet.DefaultPath)
		if err != nil {
			t.Fatal(err)
		}
		ch, err := svc.IssueChallenge(ctx, addr, dom)
		if err != nil {
			t.Fatal(err)
		}
		sig, err := e.s.SignEnrollment(ctx, hwwallet.DefaultPath, ch.Enrollment())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Enroll(ctx, custody.EnrollRequest{Challenge: ch.Value, Custodian: addr, Signature: sig, Hardware: e.hardware}); err != nil {
			t.Fatal(err)
		}
	}
	on, err := custody.ReadOnChain(ctx, w.f.Client, w.f.Addresses.Escrow, w.f.ChainID)
	if err != nil {
		t.Fatal(err)
	}
	enrolled, err := svc.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	cmp := custody.Compare(on, enrolled)
	if cmp.HardwareCustodians != 2 || on.Threshold != 2 || len(cmp.Rows) != 3 || len(cmp.Problems) != 0 {
		t.Fatalf("comparison: %+v", cmp)
	}
	for _, r := range cmp.Rows {
		if want := r.Address == addrS; (len(r.Flags) == 1 && r.Flags[0] == custody.FlagSoftware) != want {
			t.Fatalf("%s flagged %v", r.Address.Hex(), r.Flags)
		}
	}

	p, _ := w.inEscrow(30_000_000)
	hw := custody.ApproveOptions{Hardware: true, RequireHardware: true, OnChain: on}
	approve := func(in *intent.Intent, s hwwallet.Signer) escrow.Approval {
		t.Helper()
		m, err := in.Message()
		if err != nil {
			t.Fatal(err)
		}
		a, err := s.SignApproval(ctx, hwwallet.DefaultPath, in.Domain(), m)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}

	// First request: A on the Trezor, S with the software key.
	in, _, err := w.intents.RequestRelease(ctx, p.ID, intent.RequestOptions{Actor: "admin:test", Contract: w.f.Addresses.Escrow})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Approve(ctx, in.ID, approve(in, trezorA), hw); err != nil {
		t.Fatal(err)
	}
	softApproval := approve(in, soft)
	_, err = svc.Approve(ctx, in.ID, softApproval, custody.ApproveOptions{RequireHardware: true, OnChain: on})
	if !errors.Is(err, custody.ErrSoftwareKey) {
		t.Fatalf("software approval in hardware mode: %v", err)
	}
	// Even claimed as made on hardware, S is not enrolled as hardware-held.
	if _, err = svc.Approve(ctx, in.ID, softApproval, hw); !errors.Is(err, custody.ErrNotHardware) {
		t.Fatalf("software-enrolled custodian in hardware mode: %v", err)
	}
	// Stored behind the custody service's back, it does not count for the signer either.
	if err := w.intents.AddApproval(ctx, in.ID, softApproval); err != nil {
		t.Fatal(err)
	}
	got := w.untilFinal(in.ID)
	if got.State != intent.Rejected || !strings.Contains(got.Reason, "hardware") {
		t.Fatalf("with a software approval: %s: %s", got.State, got.Reason)
	}
	t.Logf("the signer: %s", got.Reason)
	if st, _ := w.escrowRecord(p.ID); st != escrowOpen {
		t.Fatalf("escrow status %d after the refused release", st)
	}

	// Asked again: both Trezors approve, streamed and clear-signed; the contract releases.
	in, _, err = w.intents.RequestRelease(ctx, p.ID, intent.RequestOptions{Actor: "admin:test", Contract: w.f.Addresses.Escrow})
	if err != nil {
		t.Fatal(err)
	}
	sellerBefore, feeBefore := w.usdt(w.f.Seller.Address), w.usdt(w.f.FeeRecipient.Address)
	for _, tz := range []*hwwallet.Device{trezorA, trezorB} {
		if _, err := svc.Approve(ctx, in.ID, approve(in, tz), hw); err != nil {
			t.Fatal(err)
		}
	}
	for _, dev := range []*testdevice.Device{devA, devB} {
		shown := strings.Join(dev.Shown(), "\n")
		if !strings.Contains(strings.ToLower(shown), strings.ToLower(w.f.Seller.Address.Hex())) || !strings.Contains(shown, in.SellerAmount.String()) {
			t.Fatalf("a Trezor did not show the seller and amount:\n%s", shown)
		}
	}
	w.until(in.ID, intent.Done)
	if st, _ := w.escrowRecord(p.ID); st != 2 {
		t.Fatalf("escrow status %d, want released (2)", st)
	}
	if d := new(big.Int).Sub(w.usdt(w.f.Seller.Address), sellerBefore); d.Cmp(p.SellerAmount()) != 0 {
		t.Fatalf("seller got %s, want %s", d, p.SellerAmount())
	}
	if d := new(big.Int).Sub(w.usdt(w.f.FeeRecipient.Address), feeBefore); d.Cmp(p.Commission) != 0 {
		t.Fatalf("fee recipient got %s, want %s", d, p.Commission)
	}
}

// custodyDevice starts a test device and a client for it over UDP; pin and passphrase are what
// its custodian types.
func custodyDevice(t *testing.T, opts testdevice.Options, pin, passphrase string) (*testdevice.Device, *hwwallet.Device) {
	t.Helper()
	dev, err := testdevice.Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = dev.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	u, err := hwwallet.DialUDP(ctx, dev.Addr(), hwwallet.UDPOptions{Liveness: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	d := hwwallet.NewDevice(u, hwwallet.DeviceOptions{
		PIN: func(context.Context, hwwallet.PinMatrixRequestType) (string, error) {
			return dev.EncodePIN(pin), nil
		},
		Passphrase: func(context.Context) (string, error) { return passphrase, nil },
	})
	t.Cleanup(func() { _ = d.Close() })
	if _, err := d.Initialize(ctx); err != nil {
		t.Fatal(err)
	}
	return dev, d
}

package hwwallet_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/amanat/amn/escrow"
	"github.com/amanat/amn/hwwallet"
	"github.com/amanat/amn/hwwallet/testdevice"
)

func TestEnrollment(t *testing.T) {
	ctx := testContext(t)
	dev, err := testdevice.Start(testdevice.Options{PIN: "4", Passphrase: true})
	if err != nil {
		t.Fatal(err)
	}
	defer dev.Close()
	var chal [32]byte
	copy(chal[:], crypto.Keccak256([]byte("server challenge 1")))
	passAddr, _ := dev.Address(hwwallet.DefaultPath, "vault")
	e := hwwallet.Enrollment{Custodian: passAddr, Domain: domain, Challenge: chal}

	d := hwwallet.NewDevice(mustDial(t, dev), hwwallet.DeviceOptions{
		PIN:        func(context.Context, hwwallet.PinMatrixRequestType) (string, error) { return dev.EncodePIN("4"), nil },
		Passphrase: func(context.Context) (string, error) { return "vault", nil },
	})
	sig, err := d.SignEnrollment(ctx, hwwallet.DefaultPath, e)
	if err != nil {
		t.Fatal(err)
	}
	if err := hwwallet.VerifyEnrollment(e, sig); err != nil {
		t.Fatal(err)
	}
	// The whole text was on the screen, challenge included.
	if shown := strings.Join(dev.Shown(), "\n"); !strings.Contains(shown, "message: "+e.Text()) || !strings.Contains(e.Text(), common.Bytes2Hex(chal[:])) {
		t.Fatalf("the device did not show the enrolment text: %s", shown)
	}

	soft, _ := hwwallet.NewSoftwareSigner(testdevice.AllAll, "vault")
	ssig, err := soft.SignEnrollment(ctx, hwwallet.DefaultPath, e)
	if err != nil || hwwallet.VerifyEnrollment(e, ssig) != nil {
		t.Fatalf("software enrolment: %v", err)
	}

	// Another challenge, escrow or address: refused.
	for name, other := range map[string]hwwallet.Enrollment{
		"challenge": {Custodian: e.Custodian, Domain: e.Domain, Challenge: [32]byte{1}},
		"chain":     {Custodian: e.Custodian, Domain: escrow.Domain{ChainID: 1, Contract: domain.Contract}, Challenge: chal},
		"address":   {Custodian: allAllFirst, Domain: e.Domain, Challenge: chal},
	} {
		if err := hwwallet.VerifyEnrollment(other, sig); !errors.Is(err, hwwallet.ErrEnrollment) {
			t.Errorf("other %s: %v", name, err)
		}
	}
	bad := append([]byte(nil), sig...)
	bad[64] = 29
	if err := hwwallet.VerifyEnrollment(e, bad); !errors.Is(err, hwwallet.ErrEnrollment) {
		t.Errorf("v = 29: %v", err)
	}
	// A device whose address at the path is not the one being enrolled signs nothing.
	wrong := e
	wrong.Custodian = allAllFirst
	before := len(dev.Shown())
	if _, err := d.SignEnrollment(ctx, hwwallet.DefaultPath, wrong); !errors.Is(err, hwwallet.ErrEnrollment) {
		t.Fatalf("wrong device: %v", err)
	}
	if len(dev.Shown()) != before {
		t.Fatalf("the device showed %q for an enrolment it cannot sign", dev.Shown()[before:])
	}
}

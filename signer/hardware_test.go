package signer

import (
	"strings"
	"testing"

	"github.com/amanat/amn/intent"
)

// With AMN_CUSTODY_REQUIRE_HARDWARE=true only custodians enrolled as hardware-held count.
func TestRequireHardware(t *testing.T) {
	w := newWorld(t, func(c *Config) { c.RequireHardware = true })
	c0, c1, c2 := w.f.Custodians[0], w.f.Custodians[1], w.f.Custodians[2]
	if _, err := w.admin.Exec(w.ctx, `INSERT INTO custodians (address, label, hardware) VALUES ($1, 'c0', true), ($2, 'c1', false), ($3, 'c2', true)
		ON CONFLICT (address) DO UPDATE SET hardware = EXCLUDED.hardware`,
		hexAddr(c0.Address), hexAddr(c1.Address), hexAddr(c2.Address)); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = w.admin.Exec(w.ctx, `DELETE FROM custodians`) })
	p, _ := w.inEscrow(17_000_000)
	in, _, err := w.intents.RequestRelease(w.ctx, p.ID, intent.RequestOptions{Contract: w.f.Addresses.Escrow})
	if err != nil {
		t.Fatal(err)
	}
	w.approve(in, c0, c1) // c1 is a custodian on chain but not hardware-held
	got := w.untilFinal(in.ID)
	if got.State != intent.Rejected || !strings.Contains(got.Reason, "not a custodian") || !strings.Contains(got.Reason, "hardware") {
		t.Fatalf("%s: %s", got.State, got.Reason)
	}

	// Asked again (the payment is still release_pending), with two hardware custodians: released.
	in, _, err = w.intents.RequestRelease(w.ctx, p.ID, intent.RequestOptions{Contract: w.f.Addresses.Escrow})
	if err != nil {
		t.Fatal(err)
	}
	w.approve(in, c0, c2)
	w.until(in.ID, intent.Done)
}

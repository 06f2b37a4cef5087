package signer

import (
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/crypto"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/amanat/amn/custody"
	"github.com/amanat/amn/hd/keyring"
	"github.com/amanat/amn/intent"
	"github.com/amanat/amn/signer/keystore"
)

// With AMN_CUSTODY_REQUIRE_HARDWARE=true only custodians enrolled as hardware-held count.
func TestRequireHardware(t *testing.T) {
	t.Parallel() // a world of its own: anvil and database
	w := newWorld(t, func(c *Config) { c.RequireHardware = true })
	c0, c1, c2 := w.f.Custodians[0], w.f.Custodians[1], w.f.Custodians[2]
	if _, err := w.admin.Exec(w.ctx, `INSERT INTO custodians (address, label, hardware) VALUES ($1, 'c0', true), ($2, 'c1', false), ($3, 'c2', true)
		ON CONFLICT (address) DO UPDATE SET hardware = EXCLUDED.hardware`,
		hexAddr(c0.Address), hexAddr(c1.Address), hexAddr(c2.Address)); err != nil {
		t.Fatal(err)
	}
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

// signer.New refuses to require hardware-held custodians without a way to know which are: an
// approval check that cannot tell would either count every custodian or none.
func TestNewRefusesRequireHardwareWithoutEnrolment(t *testing.T) {
	pool, err := pgxpool.New(t.Context(), "postgres://127.0.0.1:1/unused") // never connected: New does no I/O
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	ring, err := keyring.FromMnemonic(depositMnemonic, "")
	if err != nil {
		t.Fatal(err)
	}
	op, _ := crypto.GenerateKey()
	cfg := Config{Pool: pool, Keys: &keystore.Keys{Ring: ring, Operator: op}, RequireHardware: true}
	if _, err := New(cfg); err == nil || !strings.Contains(err.Error(), "Enrolment") {
		t.Fatalf("RequireHardware without Enrolment: %v", err)
	}
	cfg.Enrolment = custody.NewEnrolments(pool)
	if _, err := New(cfg); err != nil {
		t.Fatalf("RequireHardware with Enrolment: %v", err)
	}
	cfg.RequireHardware, cfg.Enrolment = false, nil
	if _, err := New(cfg); err != nil {
		t.Fatalf("neither: %v", err)
	}
}

package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/amanat/amn/bindings"
	"github.com/amanat/amn/custody"
	"github.com/amanat/amn/db/dbtest"
	"github.com/amanat/amn/devnet"
	"github.com/amanat/amn/escrow"
	"github.com/amanat/amn/hd"
	"github.com/amanat/amn/hwwallet"
	"github.com/amanat/amn/hwwallet/testdevice"
	"github.com/amanat/amn/intent"
	"github.com/amanat/amn/payment"
	"github.com/amanat/amn/payment/paymenttest"
)

// The prompts amn custody prints when the Trezor asks for its PIN or passphrase.
const (
	pinPrompt        = "then Enter: "
	passphrasePrompt = "a different wallet): "
)

// runAt runs the binary like run, answering its PIN and passphrase prompts as a person at the
// keyboard would: answer gets the prompt's kind ("pin" or "passphrase") once it has been
// printed, so that a PIN is encoded against the matrix the device has just drawn.
func runAt(t *testing.T, env []string, answer func(kind string) string, args ...string) (int, string, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, amnBin, args...)
	cmd.Env = append(cleanEnv(), env...)
	var out bytes.Buffer
	cmd.Stdout = &out
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var errb strings.Builder
	r := bufio.NewReader(stderr)
	for {
		b, err := r.ReadByte()
		if err != nil {
			break
		}
		errb.WriteByte(b)
		s := errb.String()
		var kind string
		switch {
		case strings.HasSuffix(s, pinPrompt):
			kind = "pin"
		case strings.HasSuffix(s, passphrasePrompt):
			kind = "passphrase"
		default:
			continue
		}
		if answer == nil {
			_ = stdin.Close() // nobody at the keyboard
			continue
		}
		if _, err := io.WriteString(stdin, answer(kind)+"\n"); err != nil {
			t.Logf("answering %s: %v", kind, err)
		}
	}
	err = cmd.Wait()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return code, out.String(), errb.String()
}

// custodyWorld is a database with the custody tables emptied, and helpers.
type custodyWorld struct {
	t    *testing.T
	ctx  context.Context
	env  []string
	pool *pgxpool.Pool
}

func newCustodyWorld(t *testing.T) *custodyWorld {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	// A database of its own: the world counts custodians and pending intents, which other tests
	// of the package make too.
	pool, url := dbtest.Isolated(t)
	return &custodyWorld{t: t, ctx: ctx, env: []string{"AMN_DATABASE_URL=" + url}, pool: pool}
}

// payment creates a payment of 125 USDT-like units (6 decimals) through the CLI.
func (w *custodyWorld) payment() string {
	w.t.Helper()
	n := uuid.NewString()
	code, out, errs := run(w.t, w.env, "payments", "create", "--json", "--xpub", anvilXpub, "--buyer", "b-"+n, "--offer", "o-"+n,
		"--seller", paymenttest.Seller().Address.Hex(), "--seller-signature", offerSignatureFile(w.t, "o-"+n, 56, bscUSDT, "125000000"),
		"--chain", "bsc", "--symbol", "USDT",
		"--token", "0x55d398326f99059fF775485246999027B3197955", "--decimals", "6", "--amount", "125",
		"--commission", "2.5", "--request-id", "r-"+n, "--salt", "5a17")
	if code != 0 {
		w.t.Fatalf("payments create: %s", errs)
	}
	var p struct{ ID string }
	if err := json.Unmarshal([]byte(out), &p); err != nil {
		w.t.Fatal(err)
	}
	return p.ID
}

// release records a release intent awaiting approvals for a payment of 125 USDT: 122.5 to the
// seller, 2.5 commission (what intent.Store.RequestRelease records for a payment in escrow).
func (w *custodyWorld) release(contract common.Address, deadline time.Time) *intent.Intent {
	w.t.Helper()
	id := uuid.New()
	_, err := w.pool.Exec(w.ctx, `INSERT INTO signer_intents (id, kind, payment_id, chain_id, contract, token, seller, seller_amount,
		fee_recipient, fee_amount, deadline, state, requested_by) VALUES ($1, 'release', $2, 56, $3, $4, $5, 122500000, $6, 2500000, $7,
		'awaiting_approvals', 'admin:test')`, id, w.payment(), strings.ToLower(contract.Hex()),
		"0x55d398326f99059ff775485246999027b3197955", "0x00000000000000000000000000000000000000aa",
		"0x00000000000000000000000000000000000000fe", deadline.Unix())
	if err != nil {
		w.t.Fatal(err)
	}
	// A release names the escrow it pays out (any id will do for approvals).
	if _, err := w.pool.Exec(w.ctx, `UPDATE signer_intents SET escrow_id = '0x' || encode(sha256(id::text::bytea), 'hex') WHERE id = $1`, id); err != nil {
		w.t.Fatal(err)
	}
	in, err := intent.NewStore(w.pool, nil, nil).Get(w.ctx, id)
	if err != nil {
		w.t.Fatal(err)
	}
	return in
}

func (w *custodyWorld) approvals(id uuid.UUID) []escrow.Approval {
	w.t.Helper()
	as, err := intent.Approvals(w.ctx, w.pool, id)
	if err != nil {
		w.t.Fatal(err)
	}
	return as
}

func startDevice(t *testing.T, opts testdevice.Options) *testdevice.Device {
	t.Helper()
	dev, err := testdevice.Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = dev.Close() })
	return dev
}

// person answers as the owner of dev: its PIN as matrix positions, the passphrase.
func person(dev *testdevice.Device, pin, passphrase string) func(string) string {
	return func(kind string) string {
		if kind == "pin" {
			return dev.EncodePIN(pin)
		}
		return passphrase
	}
}

var someEscrow = common.HexToAddress("0x5FbDB2315678afecb367f032d93F642f64180aa3")

// Enrol and approve through the UDP test device with PIN and passphrase, hardware required.
func TestCustodyEnrollAndApproveOnTrezor(t *testing.T) {
	w := newCustodyWorld(t)
	dev := startDevice(t, testdevice.Options{PIN: "1357", Passphrase: true})
	addr, _ := dev.Address(hwwallet.DefaultPath, "vault")
	hw := append([]string{"AMN_CUSTODY_REQUIRE_HARDWARE=true"}, w.env...)

	code, out, errs := runAt(t, hw, person(dev, "1357", "vault"), "custody", "enroll", "--trezor", "--udp", dev.Addr(),
		"--chain", "bsc", "--escrow", someEscrow.Hex(), "--label", "alice")
	if code != 0 {
		t.Fatalf("enroll: exit %d\n%s%s", code, out, errs)
	}
	for _, want := range []string{addr.Hex(), "enrolled " + addr.Hex() + " as a custodian, hardware-held", "Challenge: 0x", "Trezor T"} {
		if !strings.Contains(out, want) {
			t.Errorf("enroll output lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(errs, pinPrompt) || !strings.Contains(errs, passphrasePrompt) || !strings.Contains(errs, "Confirm on your Trezor") {
		t.Errorf("enroll did not ask for PIN, passphrase and confirmation:\n%s", errs)
	}
	// The device showed the address and the whole statement, challenge included.
	shown := strings.Join(dev.Shown(), "\n")
	if !strings.Contains(shown, "Amn custody enrolment") || !strings.Contains(shown, "Challenge: 0x") {
		t.Fatalf("the device did not show the statement:\n%s", shown)
	}

	code, out, _ = run(t, w.env, "custody", "list", "--json")
	if code != 0 || !strings.Contains(out, strings.ToLower(addr.Hex())) && !strings.Contains(out, addr.Hex()) || !strings.Contains(out, `"hardware": true`) {
		t.Fatalf("list: exit %d\n%s", code, out)
	}

	in := w.release(someEscrow, time.Now().Add(time.Hour))
	code, out, _ = run(t, w.env, "custody", "pending")
	for _, want := range []string{in.ID.String(), "seller  0x00000000000000000000000000000000000000AA  122.5 USDT",
		"fee     0x00000000000000000000000000000000000000fe  2.5 USDT", "approvals none yet"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("pending: exit %d, lacks %q:\n%s", code, want, out)
		}
	}
	code, out, _ = run(t, w.env, "custody", "pending", "--json")
	var pend []custody.Pending
	if err := json.Unmarshal([]byte(out), &pend); code != 0 || err != nil || len(pend) != 1 || pend[0].Intent.ID != in.ID ||
		pend[0].Payouts[0].Amount.Cmp(big.NewInt(122_500_000)) != 0 || pend[0].Symbol != "USDT" {
		t.Fatalf("pending --json: exit %d %v\n%s", code, err, out)
	}

	before := len(dev.Requests())
	code, out, errs = runAt(t, hw, person(dev, "1357", "vault"), "custody", "approve", in.ID.String(), "--trezor", "--udp", dev.Addr())
	if code != 0 {
		t.Fatalf("approve: exit %d\n%s%s", code, out, errs)
	}
	if !strings.Contains(out, "122.5 USDT") || !strings.Contains(out, "approval by "+addr.Hex()+" stored") {
		t.Fatalf("approve output:\n%s", out)
	}
	// Streamed field by field: 2 struct requests and 14 value requests for a Release.
	var structs, values int
	for _, r := range dev.Requests()[before:] {
		switch r {
		case hwwallet.TypeEthereumTypedDataStructAck:
			structs++
		case hwwallet.TypeEthereumTypedDataValueAck:
			values++
		}
	}
	if structs != 2 || values != 14 {
		t.Fatalf("streamed %d structs and %d values, want 2 and 14", structs, values)
	}
	as := w.approvals(in.ID)
	digest, _ := in.Digest()
	if len(as) != 1 || as[0].Signer != addr {
		t.Fatalf("approvals %+v", as)
	}
	if got, err := escrow.Verify(digest, as[0].Signature); err != nil || got != addr {
		t.Fatalf("stored approval recovers to %s, %v", got.Hex(), err)
	}
	code, out, _ = run(t, w.env, "custody", "pending")
	if code != 0 || !strings.Contains(out, "approvals "+addr.Hex()) {
		t.Fatalf("pending after the approval:\n%s", out)
	}
}

// Each way a device conversation can fail is reported clearly and stores nothing.
func TestCustodyApproveDeviceFailures(t *testing.T) {
	w := newCustodyWorld(t)
	dev := startDevice(t, testdevice.Options{PIN: "2468"})
	code, out, errs := runAt(t, w.env, person(dev, "2468", ""), "custody", "enroll", "--trezor", "--udp", dev.Addr(),
		"--chain", "56", "--escrow", someEscrow.Hex())
	if code != 0 {
		t.Fatalf("enroll: exit %d\n%s%s", code, out, errs)
	}
	in := w.release(someEscrow, time.Now().Add(time.Hour))
	approve := func(dev *testdevice.Device, answer func(string) string, extra ...string) (int, string, string) {
		return runAt(t, w.env, answer, append([]string{"custody", "approve", in.ID.String(), "--trezor", "--udp", dev.Addr()}, extra...)...)
	}
	stored := func() {
		t.Helper()
		if as := w.approvals(in.ID); len(as) != 0 {
			t.Fatalf("an approval was stored: %+v", as)
		}
	}
	lastLine := func(s string) string {
		lines := strings.Split(strings.TrimSpace(s), "\n")
		return lines[len(lines)-1]
	}

	t.Run("wrong PIN", func(t *testing.T) {
		fresh := startDevice(t, testdevice.Options{PIN: "2468"})
		code, _, errs := approve(fresh, person(fresh, "1111", ""))
		if code != 1 || !strings.Contains(lastLine(errs), "wrong PIN: nothing was signed") {
			t.Fatalf("exit %d: %s", code, errs)
		}
		t.Log(lastLine(errs))
		stored()
	})
	t.Run("nobody types the PIN", func(t *testing.T) {
		fresh := startDevice(t, testdevice.Options{PIN: "2468"})
		code, _, errs := approve(fresh, nil)
		if code != 1 || !strings.Contains(lastLine(errs), "nothing was typed (standard input closed)") {
			t.Fatalf("exit %d: %s", code, errs)
		}
		t.Log(lastLine(errs))
		stored()
	})
	t.Run("cancel on the device", func(t *testing.T) {
		dev.SetFault(testdevice.FaultCancel)
		code, out, errs := approve(dev, person(dev, "2468", ""))
		if code != 1 || !strings.Contains(lastLine(errs), "signing the approval: cancelled on the Trezor: nothing was signed") {
			t.Fatalf("exit %d: %s%s", code, out, errs)
		}
		// The terms were shown before the device was asked.
		if !strings.Contains(out, "122.5 USDT") {
			t.Fatalf("details not shown:\n%s", out)
		}
		t.Log(lastLine(errs))
		stored()
	})
	t.Run("device disappears mid-call", func(t *testing.T) {
		gone := startDevice(t, testdevice.Options{PIN: "2468"})
		gone.SetFault(testdevice.FaultVanish)
		code, _, errs := approve(gone, person(gone, "2468", ""), "--trezor-liveness", "300ms")
		if code != 1 || !strings.Contains(lastLine(errs), "the Trezor stopped answering") || !gone.Gone() {
			t.Fatalf("exit %d: %s", code, errs)
		}
		t.Log(lastLine(errs))
		stored()
		// Asked again with nothing listening: no device, bad input.
		code, _, errs = approve(gone, nil)
		if code != 2 || !strings.Contains(errs, "no single Trezor found") {
			t.Fatalf("closed port: exit %d: %s", code, errs)
		}
	})
	t.Run("device of an address not enrolled", func(t *testing.T) {
		other := startDevice(t, testdevice.Options{Mnemonic: "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about"})
		code, _, errs := approve(other, nil)
		if code != 2 || !strings.Contains(errs, "has no enrolment; run `amn custody enroll` first") {
			t.Fatalf("exit %d: %s", code, errs)
		}
		if n := len(other.Shown()); n != 0 {
			t.Fatalf("the device was asked to show %v for an address that may not approve", other.Shown())
		}
		t.Log(lastLine(errs))
		stored()
	})
	t.Run("expired intent", func(t *testing.T) {
		old := w.release(someEscrow, time.Now().Add(30*time.Second))
		code, _, errs := runAt(t, w.env, nil, "custody", "approve", old.ID.String(), "--trezor", "--udp", dev.Addr())
		if code != 2 || !strings.Contains(errs, "approval deadline passed") {
			t.Fatalf("exit %d: %s", code, errs)
		}
	})
}

func writeMnemonic(t *testing.T, m string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "custodian.mnemonic")
	if err := os.WriteFile(p, []byte(m+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// Software keys: usable on a devnet, refused when hardware is required.
func TestCustodySoftwareKey(t *testing.T) {
	w := newCustodyWorld(t)
	key := writeMnemonic(t, testdevice.AllAll)
	soft, _ := hwwallet.NewSoftwareSigner(testdevice.AllAll, "")
	addr, _ := soft.Address(w.ctx, hwwallet.DefaultPath)
	in := w.release(someEscrow, time.Now().Add(time.Hour))
	hw := append([]string{"AMN_CUSTODY_REQUIRE_HARDWARE=true"}, w.env...)

	for _, args := range [][]string{
		{"custody", "approve", in.ID.String(), "--software-key", key},
		{"custody", "enroll", "--software-key", key, "--chain", "bsc", "--escrow", someEscrow.Hex()},
	} {
		code, out, errs := run(t, hw, args...)
		if code != 2 || strings.Count(strings.TrimSpace(errs), "\n") != 0 ||
			!strings.Contains(errs, "--software-key is refused: software keys are refused when hardware is required (AMN_CUSTODY_REQUIRE_HARDWARE=true)") {
			t.Fatalf("%s in hardware mode: exit %d\n%s%s", args[1], code, out, errs)
		}
	}

	code, out, errs := run(t, w.env, "custody", "enroll", "--software-key", key, "--chain", "bsc", "--escrow", someEscrow.Hex())
	if code != 0 || !strings.Contains(out, "NOT hardware-held (software key)") || !strings.Contains(errs, "devnets only") {
		t.Fatalf("software enroll: exit %d\n%s%s", code, out, errs)
	}
	code, out, errs = run(t, w.env, "custody", "approve", in.ID.String(), "--software-key", key)
	if code != 0 || !strings.Contains(out, "approval by "+addr.Hex()+" stored") {
		t.Fatalf("software approve: exit %d\n%s%s", code, out, errs)
	}
	// Enrolled with a software key: a Trezor with the same seed cannot approve in hardware mode
	// until it is enrolled again on the device.
	dev := startDevice(t, testdevice.Options{})
	code, _, errs = runAt(t, hw, nil, "custody", "approve", in.ID.String(), "--trezor", "--udp", dev.Addr())
	if code != 2 || !strings.Contains(errs, "was enrolled with a software key; enrol it with `amn custody enroll --trezor`") {
		t.Fatalf("software-enrolled address in hardware mode: exit %d: %s", code, errs)
	}
}

func TestCustodyBadInput(t *testing.T) {
	env := []string{"AMN_DATABASE_URL=" + dbtest.URL(t)}
	id := uuid.NewString()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"custody", "approve", "nope", "--trezor"}, `intent id "nope"`},
		{[]string{"custody", "approve", id}, "say where the custodian's key is"},
		{[]string{"custody", "approve", id, "--trezor", "--software-key", "f"}, "choose one of --trezor and --software-key"},
		{[]string{"custody", "approve", id, "--software-key", "f", "--udp", "127.0.0.1:1"}, "go with --trezor"},
		{[]string{"custody", "approve", id, "--trezor", "--udp", "127.0.0.1:1", "--bridge", "http://x"}, "--udp talks to an emulator directly"},
		{[]string{"custody", "approve", id, "--trezor", "--path", "m/44'/60'/x"}, "--path"},
		{[]string{"custody", "approve", id, "--trezor", "--udp", "127.0.0.1:1"}, "intent " + id + ": intent not found"},
		{[]string{"custody", "approve", id, "--software-key", "/nonexistent/key"}, "intent not found"},
		{[]string{"custody", "enroll", "--trezor", "--chain", "bsc"}, "--escrow must be"},
		{[]string{"custody", "enroll", "--trezor", "--chain", "solana", "--escrow", someEscrow.Hex()}, `unknown chain "solana"`},
		{[]string{"custody", "enroll", "--software-key", "/nonexistent/key", "--chain", "bsc", "--escrow", someEscrow.Hex()}, "--software-key: open /nonexistent/key"},
		{[]string{"custody", "list", "--rpc-url", "http://127.0.0.1:1"}, "--rpc-url and --escrow go together"},
		{[]string{"custody", "list", "--rpc-url", "http://127.0.0.1:1", "--escrow", someEscrow.Hex()}, "--rpc-url http://127.0.0.1:1"},
	} {
		t.Run(strings.Join(tc.args[1:], " "), func(t *testing.T) {
			code, out, errs := run(t, env, tc.args...)
			lines := strings.Split(strings.TrimSpace(errs), "\n")
			if code != 2 || !strings.HasPrefix(lines[len(lines)-1], "amn: ") || !strings.Contains(errs, tc.want) {
				t.Fatalf("exit %d, want 2 with %q\nstdout: %s\nstderr: %s", code, tc.want, out, errs)
			}
		})
	}
}

// amn custody list against a devnet: the on-chain set beside the database's, differences
// flagged; an approval from a device whose address is not a custodian on chain is refused.
func TestCustodyListAgainstChain(t *testing.T) {
	w := newCustodyWorld(t)
	f, err := devnet.Start(w.ctx, 56, devnet.FixtureOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(f.Close)
	rpc := f.URL
	// A Trezor holding anvil's test seed: its key at m/44'/60'/0'/0/i is a custodian on chain.
	const anvilMnemonic = "test test test test test test test test test test test junk"
	dev := startDevice(t, testdevice.Options{Mnemonic: anvilMnemonic})
	var path string
	for i := 6; i <= 9; i++ {
		p := fmt.Sprintf("m/44'/60'/0'/0/%d", i)
		hp, _ := hwwallet.ParsePath(p)
		if a, _ := dev.Address(hp, ""); a == f.Custodians[0].Address {
			path = p
		}
	}
	if path == "" {
		t.Fatal("no anvil account of 6-9 is the first custodian")
	}
	code, out, errs := runAt(t, w.env, nil, "custody", "enroll", "--trezor", "--udp", dev.Addr(), "--path", path,
		"--chain", "bsc", "--escrow", f.Addresses.Escrow.Hex(), "--rpc-url", rpc, "--label", "c0")
	if code != 0 || strings.Contains(out, "not (yet) a custodian") {
		t.Fatalf("enroll: exit %d\n%s%s", code, out, errs)
	}
	// Another device, enrolled but not a custodian of this escrow.
	stranger := startDevice(t, testdevice.Options{})
	strangerAddr, _ := stranger.Address(hwwallet.DefaultPath, "")
	code, out, errs = runAt(t, w.env, nil, "custody", "enroll", "--trezor", "--udp", stranger.Addr(),
		"--chain", "bsc", "--escrow", f.Addresses.Escrow.Hex(), "--rpc-url", rpc)
	if code != 0 || !strings.Contains(out, "is not (yet) a custodian of") {
		t.Fatalf("enroll stranger: exit %d\n%s%s", code, out, errs)
	}

	code, out, errs = run(t, w.env, "custody", "list", "--rpc-url", rpc, "--escrow", f.Addresses.Escrow.Hex())
	if code != 0 {
		t.Fatalf("list: exit %d %s", code, errs)
	}
	for _, want := range []string{
		`3 custodians, threshold 2; 1 enrolled as hardware-held`,
		f.Custodians[0].Address.Hex() + `\s+yes\s+yes\s+yes\s+c0\s+-\n`,
		f.Custodians[1].Address.Hex() + `\s+yes\s+no\s+no\s+! ` + custody.FlagNotEnrolled,
		strangerAddr.Hex() + `\s+no\s+yes\s+yes\s+! ` + custody.FlagNotOnChain,
		`! only 1 of 3 custodians on chain are enrolled as hardware-held, the threshold is 2`,
	} {
		if !regexp.MustCompile(want).MatchString(out) {
			t.Errorf("list lacks %q:\n%s", want, out)
		}
	}
	code, out, _ = run(t, w.env, "custody", "list", "--json", "--rpc-url", rpc, "--escrow", f.Addresses.Escrow.Hex())
	var cmp custody.Comparison
	if err := json.Unmarshal([]byte(out), &cmp); code != 0 || err != nil || len(cmp.Rows) != 4 || cmp.OnChain.Threshold != 2 || cmp.HardwareCustodians != 1 {
		t.Fatalf("list --json: exit %d %v\n%s", code, err, out)
	}

	// With the chain checked, the stranger's approval is refused before its device is asked.
	in := w.release(f.Addresses.Escrow, time.Now().Add(time.Hour))
	code, _, errs = runAt(t, w.env, nil, "custody", "approve", in.ID.String(), "--trezor", "--udp", stranger.Addr(), "--rpc-url", rpc)
	if code != 2 || !strings.Contains(errs, "not a custodian of the escrow on chain") {
		t.Fatalf("stranger approve: exit %d %s", code, errs)
	}
	// A chain config naming another escrow for the chain: the intent is not approved.
	other := filepath.Join(t.TempDir(), "chains.json")
	if err := os.WriteFile(other, []byte(fmt.Sprintf(`{"chains": [{"key": "bsc", "endpoints": [%q], "escrow": %q}]}`, rpc, someEscrow.Hex())), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errs = runAt(t, w.env, nil, "custody", "approve", in.ID.String(), "--trezor", "--udp", dev.Addr(), "--path", path, "--chain-config", other)
	if code != 2 || !strings.Contains(errs, "the chain config's escrow on chain 56 is "+someEscrow.Hex()+": not approved") {
		t.Fatalf("escrow other than the chain config's: exit %d %s", code, errs)
	}
	code, out, errs = runAt(t, w.env, nil, "custody", "approve", in.ID.String(), "--trezor", "--udp", dev.Addr(), "--path", path, "--rpc-url", rpc)
	if code != 0 || !strings.Contains(out, "1 approval(s) so far, the contract needs 2") {
		t.Fatalf("custodian approve: exit %d\n%s%s", code, out, errs)
	}
	// The approval is one the contract itself accepts for this escrow's digest.
	as := w.approvals(in.ID)
	digest, _ := in.Digest()
	if _, err := escrow.Quorum(digest, as, []common.Address{f.Custodians[0].Address}, 1); err != nil {
		t.Fatal(err)
	}
}

// The same through Trezor Bridge (the test device's Bridge in front of it, over HTTP): a device
// held by another program is reported busy until --steal.
func TestCustodyThroughTrezorBridge(t *testing.T) {
	w := newCustodyWorld(t)
	dev := startDevice(t, testdevice.Options{PIN: "9"})
	addr, _ := dev.Address(hwwallet.DefaultPath, "")
	srv := httptest.NewServer(testdevice.NewBridge(dev, 5*time.Second))
	t.Cleanup(srv.Close)

	code, out, errs := runAt(t, w.env, person(dev, "9", ""), "custody", "enroll", "--trezor", "--bridge", srv.URL,
		"--chain", "bsc", "--escrow", someEscrow.Hex())
	if code != 0 || !strings.Contains(out, "via Trezor Bridge "+srv.URL) || !strings.Contains(out, "enrolled "+addr.Hex()) {
		t.Fatalf("enroll through the bridge: exit %d\n%s%s", code, out, errs)
	}
	in := w.release(someEscrow, time.Now().Add(time.Hour))

	// Another program (Trezor Suite, say) holds the device.
	held, err := hwwallet.OpenBridge(w.ctx, hwwallet.BridgeOptions{URL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	code, _, errs = runAt(t, w.env, nil, "custody", "approve", in.ID.String(), "--trezor", "--bridge", srv.URL)
	if code != 1 || !strings.Contains(errs, "the Trezor is busy: another program (Trezor Suite?) holds it; close it or pass --steal") {
		t.Fatalf("held device: exit %d: %s", code, errs)
	}
	code, out, errs = runAt(t, w.env, person(dev, "9", ""), "custody", "approve", in.ID.String(), "--trezor", "--bridge", srv.URL, "--steal")
	if code != 0 || !strings.Contains(out, "approval by "+addr.Hex()+" stored") {
		t.Fatalf("approve with --steal: exit %d\n%s%s", code, out, errs)
	}
	if as := w.approvals(in.ID); len(as) != 1 || as[0].Signer != addr {
		t.Fatalf("approvals %+v", as)
	}
}

// Acceptance 3 with the binaries, on anvil: the escrow's custodians become two Trezors (UDP test
// devices, one with a PIN, one with a passphrase wallet) and a software key; `amn custody enroll`
// records them; `amn signer --custody-require-hardware` runs; `amn admin release` asks; the
// software key's `amn custody approve` is refused, the two Trezors' are stored, the signer
// accepts them and the contract releases.
func TestCustodyAcceptanceWithBinaries(t *testing.T) {
	w := newCustodyWorld(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	f, err := devnet.Start(ctx, 56, devnet.FixtureOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	defer mineEvery(ctx, f, 200*time.Millisecond)() // so that finality (head − 2) moves

	devA := startDevice(t, testdevice.Options{PIN: "4711"})
	devB := startDevice(t, testdevice.Options{Mnemonic: "legal winner thank year wave sausage worth useful legal winner thank yellow", Passphrase: true})
	softKey := writeMnemonic(t, "letter advice cage absurd amount doctor acoustic avoid letter advice cage above")
	addrA, _ := devA.Address(hwwallet.DefaultPath, "")
	addrB, _ := devB.Address(hwwallet.DefaultPath, "bob's vault")
	soft, _ := hwwallet.NewSoftwareSigner("letter advice cage absurd amount doctor acoustic avoid letter advice cage above", "")
	addrS, _ := soft.Address(ctx, hwwallet.DefaultPath)

	// The fixture's custodians hand the escrow to 2 of {A, B, S}.
	set := []common.Address{addrA, addrB, addrS}
	slices.SortFunc(set, func(a, b common.Address) int { return bytes.Compare(a[:], b[:]) })
	nonce, err := f.Escrow.ConfigNonce(&bind.CallOpts{Context: ctx})
	if err != nil {
		t.Fatal(err)
	}
	now, _ := f.Now(ctx)
	change := escrow.SetCustodians{Custodians: set, Threshold: big.NewInt(2), Nonce: nonce, Deadline: big.NewInt(now.Add(time.Hour).Unix())}
	digest, err := escrow.Domain{ChainID: f.ChainID, Contract: f.Addresses.Escrow}.Digest(change)
	if err != nil {
		t.Fatal(err)
	}
	var old []escrow.Approval
	var oldSet []common.Address
	for _, c := range f.Custodians {
		a, _ := escrow.Sign(digest, c.Key)
		old, oldSet = append(old, a), append(oldSet, c.Address)
	}
	sigs, err := escrow.Quorum(digest, old, oldSet, f.Threshold)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Wait(ctx)(f.Escrow.SetCustodians(f.Opts(ctx, f.Deployer), set, change.Threshold, nonce, change.Deadline, sigs)); err != nil {
		t.Fatalf("setCustodians: %v", err)
	}

	// The signer, keys from `amn signer init`, hardware required.
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	op, _ := crypto.GenerateKey()
	if err := f.SetBalance(ctx, crypto.PubkeyToAddress(op.PublicKey), new(big.Int).Mul(big.NewInt(10), big.NewInt(1e18))); err != nil {
		t.Fatal(err)
	}
	pass, keys := write("pass", "custody acceptance\n"), filepath.Join(dir, "keys")
	code, out, errs := run(t, nil, "signer", "init", "--key-dir", keys, "--passphrase-file", pass, "--light-kdf",
		"--mnemonic-file", write("mnemonic", e2eMnemonic), "--operator-key-file", write("op", fmt.Sprintf("%x", crypto.FromECDSA(op))))
	_, xpub, found := strings.Cut(out, "account xpub ")
	if code != 0 || !found {
		t.Fatalf("signer init: exit %d: %s%s", code, out, errs)
	}
	deriver, err := hd.ParseXpub(strings.TrimSpace(xpub))
	if err != nil {
		t.Fatal(err)
	}
	chains := write("chains.json", fmt.Sprintf(`{"chains": [{"key": "bsc", "endpoints": [%q], "escrow": %q}]}`, f.URL, f.Addresses.Escrow.Hex()))
	policy := write("policy.json", fmt.Sprintf(`{"limits": [{"chain_id": 56, "token": %q, "per_tx": "1000000000000", "per_day": "10000000000000"}]}`,
		f.Addresses.USDT.Hex()))
	hw := append([]string{"AMN_CUSTODY_REQUIRE_HARDWARE=true"}, w.env...)
	_, logs, _ := startRole(t, hw, "signer", "--key-dir", keys, "--passphrase-file", pass, "--chain-config", chains, "--chains", "bsc",
		"--policy", policy, "--poll", "100ms")

	// Paid, credited and swept into the escrow.
	payments := payment.New(w.pool, deriver)
	store := intent.NewStore(w.pool, payments, nil)
	p := payAndConfirm(ctx, t, f, payments, w.pool)
	if code, out, errs := run(t, w.env, "admin", "sweep", "--chain-config", chains); code != 0 {
		t.Fatalf("admin sweep: exit %d: %s%s", code, out, errs)
	}
	sweep, err := store.OpenFor(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	waitIntent(ctx, t, store, sweep.ID, intent.Done, logs)
	swept(ctx, t, f, payments, p)

	// Enrolment: the Trezors with hardware required; the software key on its own (devnet) terms.
	// Alice and Bob name the escrow and node from the chain config, Sam on the command line.
	escrowFlags := []string{"--chain-config", chains, "--chain", "bsc"}
	for _, e := range []struct {
		dev             *testdevice.Device
		pin, passphrase string
		label           string
	}{{devA, "4711", "", "alice"}, {devB, "", "bob's vault", "bob"}} {
		code, out, errs := runAt(t, hw, person(e.dev, e.pin, e.passphrase),
			append([]string{"custody", "enroll", "--trezor", "--udp", e.dev.Addr(), "--label", e.label}, escrowFlags...)...)
		if code != 0 || !strings.Contains(out, "hardware-held") {
			t.Fatalf("enroll %s: exit %d\n%s%s", e.label, code, out, errs)
		}
	}
	if code, out, errs := run(t, w.env, "custody", "enroll", "--software-key", softKey, "--label", "sam",
		"--chain", "bsc", "--escrow", f.Addresses.Escrow.Hex(), "--rpc-url", f.URL); code != 0 {
		t.Fatalf("enroll software: exit %d\n%s%s", code, out, errs)
	}
	code, out, _ = run(t, w.env, "custody", "list", "--chain-config", chains, "--chain", "bsc")
	if code != 0 || !strings.Contains(out, "3 custodians, threshold 2; 2 enrolled as hardware-held") ||
		!regexp.MustCompile(addrS.Hex()+`\s+yes\s+yes\s+no\s+sam\s+! `+custody.FlagSoftware).MatchString(out) || strings.Contains(out, "! only") {
		t.Fatalf("list: exit %d\n%s", code, out)
	}

	// The release: asked by the admin, refused from the software key, approved on both Trezors.
	code, out, errs = run(t, w.env, "admin", "release", p.ID.String(), "--chain-config", chains, "--json")
	var in intent.Intent
	if err := json.Unmarshal([]byte(out), &in); code != 0 || err != nil || in.State != intent.AwaitingApprovals {
		t.Fatalf("admin release: exit %d %v\n%s%s", code, err, out, errs)
	}
	code, _, errs = run(t, hw, "custody", "approve", in.ID.String(), "--software-key", softKey)
	if code != 2 || !strings.Contains(errs, "AMN_CUSTODY_REQUIRE_HARDWARE=true") {
		t.Fatalf("software approval in hardware mode: exit %d: %s", code, errs)
	}
	sellerBefore := w.balance(ctx, f, f.Seller.Address)
	for i, e := range []struct {
		dev             *testdevice.Device
		pin, passphrase string
	}{{devA, "4711", ""}, {devB, "", "bob's vault"}} {
		code, out, errs := runAt(t, hw, person(e.dev, e.pin, e.passphrase), "custody", "approve", in.ID.String(),
			"--trezor", "--udp", e.dev.Addr(), "--chain-config", chains)
		if code != 0 || !strings.Contains(out, fmt.Sprintf("%d approval(s) so far, the contract needs 2", i+1)) {
			t.Fatalf("approve on Trezor %d: exit %d\n%s%s", i+1, code, out, errs)
		}
	}
	waitIntent(ctx, t, store, in.ID, intent.Done, logs)
	if st, err := f.Escrow.Escrows(&bind.CallOpts{Context: ctx}, p.EscrowID()); err != nil || st.Status != 2 {
		t.Fatalf("escrow status %d, %v; want released (2)", st.Status, err)
	}
	if got := new(big.Int).Sub(w.balance(ctx, f, f.Seller.Address), sellerBefore); got.Cmp(p.SellerAmount()) != 0 {
		t.Fatalf("seller got %s, want %s", got, p.SellerAmount())
	}
}

func (w *custodyWorld) balance(ctx context.Context, f *devnet.Fixture, a common.Address) *big.Int {
	w.t.Helper()
	tok, _ := bindings.NewERC20(f.Addresses.USDT, f.Client)
	b, err := tok.BalanceOf(&bind.CallOpts{Context: ctx}, a)
	if err != nil {
		w.t.Fatal(err)
	}
	return b
}

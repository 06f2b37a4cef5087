package custody_test

import (
	"context"
	"errors"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/amanat/amn/custody"
	"github.com/amanat/amn/db/dbtest"
	"github.com/amanat/amn/escrow"
	"github.com/amanat/amn/hwwallet"
	"github.com/amanat/amn/hwwallet/testdevice"
	"github.com/amanat/amn/intent"
	"github.com/amanat/amn/kind"
	"github.com/amanat/amn/payment"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

var dom = escrow.Domain{ChainID: 56, Contract: common.HexToAddress("0x5FbDB2315678afecb367f032d93F642f64180aa3")}

func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// fresh empties the custody tables: the package's tests share one database.
func fresh(t *testing.T) (*pgxpool.Pool, *custody.Service) {
	t.Helper()
	pool := dbtest.Pool(t)
	if _, err := pool.Exec(t.Context(), `DELETE FROM custody_approvals; DELETE FROM custodians; DELETE FROM custody_challenges`); err != nil {
		t.Fatal(err)
	}
	return pool, custody.New(pool, intent.NewStore(pool, payment.New(pool, nil), nil), payment.New(pool, nil))
}

// device starts a test device and a client for it; pin and passphrase are what the person types.
func device(t *testing.T, opts testdevice.Options, passphrase string) (*testdevice.Device, *hwwallet.Device) {
	t.Helper()
	dev, err := testdevice.Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = dev.Close() })
	u, err := hwwallet.DialUDP(testContext(t), dev.Addr(), hwwallet.UDPOptions{Liveness: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	d := hwwallet.NewDevice(u, hwwallet.DeviceOptions{
		PIN: func(context.Context, hwwallet.PinMatrixRequestType) (string, error) {
			return dev.EncodePIN(opts.PIN), nil
		},
		Passphrase: func(context.Context) (string, error) { return passphrase, nil },
	})
	t.Cleanup(func() { _ = d.Close() })
	if _, err := d.Initialize(testContext(t)); err != nil {
		t.Fatal(err)
	}
	return dev, d
}

// enrol runs the whole enrolment of signer's first address.
func enrol(t *testing.T, svc *custody.Service, s hwwallet.Signer, hardware bool) common.Address {
	t.Helper()
	ctx := testContext(t)
	addr, err := s.Address(ctx, hwwallet.DefaultPath)
	if err != nil {
		t.Fatal(err)
	}
	ch, err := svc.IssueChallenge(ctx, addr, dom)
	if err != nil {
		t.Fatal(err)
	}
	sig, err := s.SignEnrollment(ctx, hwwallet.DefaultPath, ch.Enrollment())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Enroll(ctx, custody.EnrollRequest{Challenge: ch.Value, Custodian: addr, Signature: sig, Hardware: hardware}); err != nil {
		t.Fatal(err)
	}
	return addr
}

func TestEnrollWithPINAndPassphrase(t *testing.T) {
	ctx := testContext(t)
	pool, svc := fresh(t)
	dev, d := device(t, testdevice.Options{PIN: "2583", Passphrase: true}, "custody vault")
	addr, err := d.Address(ctx, hwwallet.DefaultPath)
	if err != nil {
		t.Fatal(err)
	}
	if want, _ := dev.Address(hwwallet.DefaultPath, "custody vault"); addr != want {
		t.Fatalf("address %s, want the passphrase wallet's %s", addr.Hex(), want.Hex())
	}
	ch, err := svc.IssueChallenge(ctx, addr, dom)
	if err != nil {
		t.Fatal(err)
	}
	if ch.Value == ([32]byte{}) || time.Until(ch.ExpiresAt) < 9*time.Minute {
		t.Fatalf("challenge %x expires %s", ch.Value, ch.ExpiresAt)
	}
	sig, err := d.SignEnrollment(ctx, hwwallet.DefaultPath, ch.Enrollment())
	if err != nil {
		t.Fatal(err)
	}
	// The person saw the whole statement, challenge included.
	if shown := strings.Join(dev.Shown(), "\n"); !strings.Contains(shown, ch.Enrollment().Text()) {
		t.Fatalf("the device did not show the enrolment text:\n%s", shown)
	}
	c, err := svc.Enroll(ctx, custody.EnrollRequest{Challenge: ch.Value, Custodian: addr, Signature: sig, Hardware: true,
		Label: "alice", Path: hwwallet.DefaultPath.String(), Device: "Trezor T"})
	if err != nil {
		t.Fatal(err)
	}
	if c.Address != addr || !c.Hardware || c.Label != "alice" || c.ChainID != 56 || c.Contract != dom.Contract || c.Device != "Trezor T" {
		t.Fatalf("enrolled %+v", c)
	}
	// The signer's view: the hardware flag it reads.
	var hw bool
	if err := pool.QueryRow(ctx, `SELECT hardware FROM custodians WHERE address = $1`, strings.ToLower(addr.Hex())).Scan(&hw); err != nil || !hw {
		t.Fatalf("custodians.hardware = %v, %v", hw, err)
	}

	// Single use: the same proof again is refused.
	_, err = svc.Enroll(ctx, custody.EnrollRequest{Challenge: ch.Value, Custodian: addr, Signature: sig, Hardware: true})
	if !errors.Is(err, custody.ErrChallengeUsed) || !errors.Is(err, custody.ErrRefused) {
		t.Fatalf("replayed proof: %v", err)
	}
	// A challenge never issued.
	if _, err := svc.Enroll(ctx, custody.EnrollRequest{Challenge: [32]byte{7}, Custodian: addr, Signature: sig, Hardware: true}); !errors.Is(err, custody.ErrChallengeUnknown) {
		t.Fatalf("unknown challenge: %v", err)
	}
	// A proof over another challenge is refused, and burns the challenge it names.
	ch2, _ := svc.IssueChallenge(ctx, addr, dom)
	if _, err := svc.Enroll(ctx, custody.EnrollRequest{Challenge: ch2.Value, Custodian: addr, Signature: sig, Hardware: true}); !errors.Is(err, custody.ErrBadProof) {
		t.Fatalf("proof of another challenge: %v", err)
	}
	good, _ := d.SignEnrollment(ctx, hwwallet.DefaultPath, ch2.Enrollment())
	if _, err := svc.Enroll(ctx, custody.EnrollRequest{Challenge: ch2.Value, Custodian: addr, Signature: good, Hardware: true}); !errors.Is(err, custody.ErrChallengeUsed) {
		t.Fatalf("a challenge burnt by a failed attempt: %v", err)
	}
	// Expired.
	ch3, _ := svc.IssueChallenge(ctx, addr, dom)
	if _, err := pool.Exec(ctx, `UPDATE custody_challenges SET issued_at = now() - interval '2 hours', expires_at = now() - interval '1 hour'
		WHERE challenge = $1`, ch3.Value[:]); err != nil {
		t.Fatal(err)
	}
	sig3, _ := d.SignEnrollment(ctx, hwwallet.DefaultPath, ch3.Enrollment())
	if _, err := svc.Enroll(ctx, custody.EnrollRequest{Challenge: ch3.Value, Custodian: addr, Signature: sig3, Hardware: true}); !errors.Is(err, custody.ErrChallengeExpired) {
		t.Fatalf("expired challenge: %v", err)
	}
	// A challenge issued for another address.
	other := common.HexToAddress("0x00000000000000000000000000000000000000b0")
	ch4, _ := svc.IssueChallenge(ctx, other, dom)
	if _, err := svc.Enroll(ctx, custody.EnrollRequest{Challenge: ch4.Value, Custodian: addr, Signature: sig, Hardware: true}); !errors.Is(err, custody.ErrBadProof) {
		t.Fatalf("challenge of another address: %v", err)
	}

	// A software key with the same seed re-enrols the address: no longer hardware-held.
	soft, _ := hwwallet.NewSoftwareSigner(testdevice.AllAll, "custody vault")
	enrol(t, svc, soft, false)
	c, err = svc.Custodian(ctx, addr)
	if err != nil || c.Hardware || c.Label != "alice" {
		t.Fatalf("after a software enrolment: %+v %v", c, err)
	}
	list, err := svc.List(ctx)
	if err != nil || len(list) != 1 || list[0].Address != addr {
		t.Fatalf("list %+v %v", list, err)
	}
}

// releaseIntent records a release intent awaiting approvals, as intent.Store.RequestRelease
// does (without a payment: the custody checks need only the intent's fields).
func releaseIntent(t *testing.T, pool *pgxpool.Pool, deadline time.Time) *intent.Intent {
	t.Helper()
	id := uuid.New()
	_, err := pool.Exec(t.Context(), `INSERT INTO signer_intents (id, kind, chain_id, contract, token, seller, seller_amount,
		fee_recipient, fee_amount, deadline, state, requested_by) VALUES ($1, 'release', $2, $3, $4, $5, 122500000, $6, 2500000, $7,
		'awaiting_approvals', 'admin:test')`, id, dom.ChainID, strings.ToLower(dom.Contract.Hex()),
		"0x55d398326f99059ff775485246999027b3197955", "0x00000000000000000000000000000000000000aa",
		"0x00000000000000000000000000000000000000fe", deadline.Unix())
	if err != nil {
		t.Fatal(err)
	}
	// A release names the escrow it pays out (any id will do for approvals).
	if _, err := pool.Exec(t.Context(), `UPDATE signer_intents SET escrow_id = '0x' || encode(sha256(id::text::bytea), 'hex') WHERE id = $1`, id); err != nil {
		t.Fatal(err)
	}
	p, err := custody.New(pool, intent.NewStore(pool, payment.New(pool, nil), nil), payment.New(pool, nil)).Intent(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	return p.Intent
}

func TestApproveThroughDevice(t *testing.T) {
	ctx := testContext(t)
	pool, svc := fresh(t)
	dev, d := device(t, testdevice.Options{PIN: "1234"}, "")
	addr := enrol(t, svc, d, true)
	in := releaseIntent(t, pool, time.Now().Add(time.Hour))
	m, err := in.Message()
	if err != nil {
		t.Fatal(err)
	}
	before := len(dev.Requests())
	a, err := d.SignApproval(ctx, hwwallet.DefaultPath, in.Domain(), m)
	if err != nil {
		t.Fatal(err)
	}
	// Streamed field by field: the device asked for 2 structs and 14 values.
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
	shown := strings.Join(dev.Shown(), "\n")
	for _, want := range []string{"0x00000000000000000000000000000000000000aA", "122500000", "2500000"} {
		if !strings.Contains(strings.ToLower(shown), strings.ToLower(want)) {
			t.Errorf("the device did not show %s:\n%s", want, shown)
		}
	}
	p, err := svc.Approve(ctx, in.ID, a, custody.ApproveOptions{Hardware: true, RequireHardware: true,
		OnChain: &custody.OnChain{ChainID: 56, Contract: dom.Contract, Custodians: []common.Address{addr}, Threshold: 1}})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Approvals) != 1 || p.Approvals[0] != addr {
		t.Fatalf("approvals %v", p.Approvals)
	}
	pend, err := svc.Pending(ctx)
	if err != nil || len(pend) != 1 || pend[0].Intent.ID != in.ID || len(pend[0].Payouts) != 2 || pend[0].Payouts[0].Amount.Int64() != 122500000 {
		t.Fatalf("pending %+v %v", pend, err)
	}
}

func TestApproveRefusals(t *testing.T) {
	ctx := testContext(t)
	pool, svc := fresh(t)
	hw, _ := hwwallet.NewSoftwareSigner(testdevice.AllAll, "") // plays an enrolled hardware custodian's key
	soft, _ := hwwallet.NewSoftwareSigner(testdevice.AllAll, "soft")
	stranger, _ := hwwallet.NewSoftwareSigner(testdevice.AllAll, "stranger")
	hwAddr := enrol(t, svc, hw, true)
	softAddr := enrol(t, svc, soft, false)
	in := releaseIntent(t, pool, time.Now().Add(time.Hour))
	other := releaseIntent(t, pool, time.Now().Add(2*time.Hour)) // other terms: another deadline
	expired := releaseIntent(t, pool, time.Now().Add(30*time.Second))
	// A row written past the requester's cap (a forged or edited intent): valid for a week.
	lasting := releaseIntent(t, pool, time.Now().Add(7*24*time.Hour))
	// A release that resolves a dispute (works on a frozen escrow).
	resolving := releaseIntent(t, pool, time.Now().Add(time.Hour))
	if _, err := pool.Exec(ctx, `UPDATE signer_intents SET resolves_dispute = true WHERE id = $1`, resolving.ID); err != nil {
		t.Fatal(err)
	}
	if got, err := svc.Intent(ctx, resolving.ID); err != nil || !got.Intent.ResolvesDispute {
		t.Fatalf("the intent does not resolve a dispute (%v)", err)
	} else {
		resolving = got.Intent
	}
	frozen, open := true, false
	sign := func(s hwwallet.Signer, in *intent.Intent) escrow.Approval {
		m, _ := in.Message()
		a, err := s.SignApproval(ctx, hwwallet.DefaultPath, in.Domain(), m)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	forged := sign(hw, in)
	forged.Signer = softAddr
	highS := sign(hw, in)
	n := crypto.S256().Params().N
	s := new(big.Int).SetBytes(highS.Signature[32:64])
	copy(highS.Signature[32:64], common.LeftPadBytes(new(big.Int).Sub(n, s).Bytes(), 32))
	highS.Signature[64] = 55 - highS.Signature[64] // 27 <-> 28

	for _, tc := range []struct {
		name string
		in   *intent.Intent
		a    escrow.Approval
		o    custody.ApproveOptions
		want error
		says string
	}{
		{"other intent's signature", in, sign(hw, other), custody.ApproveOptions{Hardware: true}, custody.ErrWrongSignature, "other terms"},
		{"signer field lies", in, forged, custody.ApproveOptions{Hardware: true}, custody.ErrWrongSignature, "recovers to " + hwAddr.Hex()},
		{"malleable signature", in, highS, custody.ApproveOptions{Hardware: true}, custody.ErrWrongSignature, "upper half"},
		{"not enrolled", in, sign(stranger, in), custody.ApproveOptions{}, custody.ErrNotFound, "amn custody enroll"},
		{"software key, hardware required", in, sign(soft, in), custody.ApproveOptions{RequireHardware: true}, custody.ErrSoftwareKey, "Trezor"},
		{"software-enrolled custodian, hardware required", in, sign(soft, in), custody.ApproveOptions{Hardware: true, RequireHardware: true}, custody.ErrNotHardware, "software key"},
		{"expired", expired, sign(hw, expired), custody.ApproveOptions{Hardware: true}, custody.ErrExpired, "valid until"},
		{"valid for a week", lasting, sign(hw, lasting), custody.ApproveOptions{Hardware: true}, custody.ErrNotApprovable, "more than 24h0m0s from now"},
		{"ordinary payout of a frozen escrow", in, sign(hw, in), custody.ApproveOptions{Hardware: true, EscrowFrozen: &frozen}, custody.ErrNotApprovable, "frozen on chain"},
		{"resolution, escrow not read", resolving, sign(hw, resolving), custody.ApproveOptions{Hardware: true}, custody.ErrNotApprovable, "--rpc-url"},
		{"resolution of an escrow not frozen", resolving, sign(hw, resolving), custody.ApproveOptions{Hardware: true, EscrowFrozen: &open}, custody.ErrNotApprovable, "not frozen on chain"},
		{"not on chain", in, sign(hw, in), custody.ApproveOptions{Hardware: true, OnChain: &custody.OnChain{ChainID: 56, Contract: dom.Contract,
			Custodians: []common.Address{softAddr}, Threshold: 1}}, custody.ErrNotCustodian, "not among the 1 custodians"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := svc.Approve(ctx, tc.in.ID, tc.a, tc.o)
			if !errors.Is(err, tc.want) || !errors.Is(err, custody.ErrRefused) || !strings.Contains(err.Error(), tc.says) {
				t.Fatalf("got %v; want %v saying %q", err, tc.want, tc.says)
			}
		})
	}
	// Nothing was stored; the good approvals go in, software ones only when hardware is not required.
	if p, _ := svc.Intent(ctx, in.ID); len(p.Approvals) != 0 {
		t.Fatalf("refused approvals were stored: %v", p.Approvals)
	}
	if _, err := svc.Approve(ctx, in.ID, sign(soft, in), custody.ApproveOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `UPDATE signer_intents SET state = 'rejected', reason = 'test' WHERE id = $1`, in.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Approve(ctx, in.ID, sign(hw, in), custody.ApproveOptions{Hardware: true}); !errors.Is(err, custody.ErrNotApprovable) || !strings.Contains(err.Error(), "rejected (test)") {
		t.Fatalf("approval of a rejected intent: %v", err)
	}
}

func TestCompare(t *testing.T) {
	a, b, c, d := common.HexToAddress("0xa0"), common.HexToAddress("0xb0"), common.HexToAddress("0xc0"), common.HexToAddress("0xd0")
	on := &custody.OnChain{ChainID: 56, Contract: dom.Contract, Custodians: []common.Address{a, b, c}, Threshold: 2}
	for _, tc := range []struct {
		name     string
		db       []custody.Custodian
		flags    map[common.Address]string
		hardware int
		problem  bool
	}{
		{"all hardware", []custody.Custodian{{Address: a, Hardware: true}, {Address: b, Hardware: true}, {Address: c, Hardware: true}},
			map[common.Address]string{}, 3, false},
		{"one missing, one software, one extra", []custody.Custodian{{Address: a, Hardware: true}, {Address: b}, {Address: d, Hardware: true}},
			map[common.Address]string{b: custody.FlagSoftware, c: custody.FlagNotEnrolled, d: custody.FlagNotOnChain}, 1, true},
		// One key serves every chain: a proof made for another escrow proves control all the same.
		{"enrolled for another escrow", []custody.Custodian{{Address: a, Hardware: true, ChainID: 1, Contract: dom.Contract}, {Address: b, Hardware: true}, {Address: c, Hardware: true}},
			map[common.Address]string{}, 3, false},
		{"empty database", nil, map[common.Address]string{a: custody.FlagNotEnrolled, b: custody.FlagNotEnrolled, c: custody.FlagNotEnrolled}, 0, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cmp := custody.Compare(on, tc.db)
			if cmp.HardwareCustodians != tc.hardware || (len(cmp.Problems) > 0) != tc.problem || cmp.Differs() != (tc.problem || len(tc.flags) > 0) {
				t.Fatalf("hardware %d problems %v", cmp.HardwareCustodians, cmp.Problems)
			}
			for _, r := range cmp.Rows {
				got := strings.Join(r.Flags, "; ")
				if got != tc.flags[r.Address] {
					t.Errorf("%s: flags %q, want %q", r.Address.Hex(), got, tc.flags[r.Address])
				}
			}
			if want := len(on.Custodians); tc.flags[d] != "" {
				want++
				if len(cmp.Rows) != want {
					t.Fatalf("%d rows, want %d", len(cmp.Rows), want)
				}
			}
		})
	}
}

// The signer's role reads custodians and nothing of enrolment, and cannot mark anyone
// hardware-held: a compromised signer host cannot widen who may approve.
func TestSignerRoleCannotEnrol(t *testing.T) {
	ctx := testContext(t)
	pool, svc := fresh(t)
	if _, err := svc.IssueChallenge(ctx, common.HexToAddress("0xa0"), dom); err != nil {
		t.Fatal(err)
	}
	conn, err := pool.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SET ROLE amn_signer`); err != nil {
		t.Fatal(err)
	}
	defer func() { _, _ = conn.Exec(context.Background(), `RESET ROLE`) }()
	if _, err := conn.Exec(ctx, `SELECT count(*) FROM custodians`); err != nil {
		t.Fatalf("the signer cannot read custodians: %v", err)
	}
	for _, q := range []string{
		`SELECT count(*) FROM custody_challenges`,
		`UPDATE custodians SET hardware = true`,
		`INSERT INTO custodians (address, hardware) VALUES ('0x00000000000000000000000000000000000000a1', true)`,
		`UPDATE custody_challenges SET used_at = NULL`,
	} {
		if _, err := conn.Exec(ctx, q); err == nil || !strings.Contains(err.Error(), "permission denied") {
			t.Errorf("%s as amn_signer: %v, want permission denied", q, err)
		}
	}
}

func TestPayouts(t *testing.T) {
	seller, fee, buyer := common.HexToAddress("0xaa"), common.HexToAddress("0xfe"), common.HexToAddress("0xbb")
	rel := &intent.Intent{Kind: intent.Release, Seller: seller, SellerAmount: big.NewInt(98), FeeRecipient: fee, FeeAmount: big.NewInt(2)}
	ref := &intent.Intent{Kind: intent.Refund, Buyer: buyer, Amount: big.NewInt(100)}
	sw := &intent.Intent{Kind: intent.Sweep, Buyer: buyer, Amount: big.NewInt(100)}
	if p := custody.Payouts(rel); len(p) != 2 || p[0].Role != "seller" || p[0].To != seller || p[0].Amount.Int64() != 98 ||
		p[1].Role != "fee" || p[1].To != fee || p[1].Amount.Int64() != 2 {
		t.Fatalf("release payouts %+v", p)
	}
	if p := custody.Payouts(ref); len(p) != 1 || p[0].Role != "buyer" || p[0].To != buyer || p[0].Amount.Int64() != 100 {
		t.Fatalf("refund payouts %+v", p)
	}
	if p := custody.Payouts(sw); p != nil {
		t.Fatalf("a sweep pays out %+v", p)
	}
	six := uint8(6)
	pd := &custody.Pending{Decimals: &six, Symbol: "USDT"}
	if got := pd.Format(big.NewInt(122_500_000)); got != "122.5 USDT" {
		t.Fatalf("format %q", got)
	}
	if got := (&custody.Pending{}).Format(big.NewInt(5)); got != "5 (base units)" {
		t.Fatalf("format without decimals %q", got)
	}
}

// The approval flow in two calls: Prepare checks the intent before any device is touched (an
// intent naming another escrow than the custodian's configuration is refused, and still shown);
// SignAndApprove refuses an address that may not approve before the key signs, tells the caller
// who signs, and stores the approval.
func TestPrepareThenSignAndApprove(t *testing.T) {
	ctx := testContext(t)
	pool, svc := fresh(t)
	hw, _ := hwwallet.NewSoftwareSigner(testdevice.AllAll, "")
	stranger, _ := hwwallet.NewSoftwareSigner(testdevice.AllAll, "stranger")
	addr := enrol(t, svc, hw, true)
	in := releaseIntent(t, pool, time.Now().Add(time.Hour))
	opts := custody.ApproveOptions{Hardware: true, RequireHardware: true}

	other := common.HexToAddress("0x00000000000000000000000000000000000bad00")
	p, err := svc.Prepare(ctx, custody.ApproveRequest{Intent: in.ID, Escrow: other, Options: opts})
	if !errors.Is(err, custody.ErrWrongEscrow) || !strings.Contains(err.Error(), "not approved") || p == nil || p.Intent.ID != in.ID {
		t.Fatalf("another escrow: %v (shown: %v)", err, p != nil)
	}
	// The escrow is frozen on chain (read by the caller): refused before any device is opened.
	frozen := true
	frozenOpts := opts
	frozenOpts.EscrowFrozen = &frozen
	if _, err := svc.Prepare(ctx, custody.ApproveRequest{Intent: in.ID, Escrow: in.Contract, Options: frozenOpts}); !errors.Is(err, custody.ErrNotApprovable) || !strings.Contains(err.Error(), "frozen on chain") {
		t.Fatalf("a frozen escrow: %v", err)
	}
	p, err = svc.Prepare(ctx, custody.ApproveRequest{Intent: in.ID, Escrow: in.Contract, Options: opts})
	if err != nil {
		t.Fatal(err)
	}
	signed := false
	if _, err := svc.SignAndApprove(ctx, p, stranger, hwwallet.DefaultPath, func(common.Address) { signed = true }); !errors.Is(err, custody.ErrNotFound) || signed {
		t.Fatalf("a stranger's key: %v (asked to sign: %v)", err, signed)
	}
	var who common.Address
	after, err := svc.SignAndApprove(ctx, p, hw, hwwallet.DefaultPath, func(a common.Address) { who = a })
	if err != nil || who != addr || len(after.Approvals) != 1 || after.Approvals[0] != addr {
		t.Fatalf("approval: %v, signer %s, approvals %v", err, who.Hex(), after)
	}
}

// otherChain is a node of chain 1 that answers nothing else.
type otherChain struct{ bind.ContractCaller }

func (otherChain) ChainID(context.Context) (*big.Int, error) { return big.NewInt(1), nil }

// The chain id is checked once, inside the on-chain read: a node of another chain is refused
// before anything is read from it.
func TestReadOnChainRefusesANodeOfAnotherChain(t *testing.T) {
	_, err := custody.ReadOnChain(t.Context(), otherChain{}, dom.Contract, 56)
	if !errors.Is(err, custody.ErrWrongNode) || !errors.Is(err, kind.Invalid) || !strings.Contains(err.Error(), "chain 1, not 56") {
		t.Fatalf("a node of chain 1 for an escrow on 56: %v", err)
	}
}

// Enrolment challenges do not pile up: issuing one drops those expired for more than a day (a
// used one's proof stays on its custodian's row); a recently expired one is kept (its expiry is
// what refuses it).
func TestExpiredChallengesAreDropped(t *testing.T) {
	ctx := testContext(t)
	pool, svc := fresh(t)
	addr := common.HexToAddress("0x00000000000000000000000000000000000000c1")
	old, _ := svc.IssueChallenge(ctx, addr, dom)
	recent, _ := svc.IssueChallenge(ctx, addr, dom)
	age := func(c custody.Challenge, d string) {
		if _, err := pool.Exec(ctx, `UPDATE custody_challenges SET issued_at = now() - $2::interval - interval '1 hour',
			expires_at = now() - $2::interval WHERE challenge = $1`, c.Value[:], d); err != nil {
			t.Fatal(err)
		}
	}
	age(old, "25 hours")
	age(recent, "1 hour")
	if _, err := svc.IssueChallenge(ctx, addr, dom); err != nil {
		t.Fatal(err)
	}
	var n int
	for c, want := range map[custody.Challenge]int{old: 0, recent: 1} {
		if err := pool.QueryRow(ctx, `SELECT count(*) FROM custody_challenges WHERE challenge = $1`, c.Value[:]).Scan(&n); err != nil || n != want {
			t.Errorf("challenge expired at %s: %d rows (%v), want %d", c.ExpiresAt, n, err, want)
		}
	}
}

package payment_test

import (
	"context"
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/amanat/amn/db/dbtest"
	"github.com/amanat/amn/hd"
	"github.com/amanat/amn/payment"
)

func TestExpireDueAndLatePayment(t *testing.T) {
	ctx := context.Background()
	poolFor = dbtest.Pool(t)
	s, c := newService(t)
	unpaid, paid := create(t, s), create(t, s)
	if _, err := s.Detect(ctx, paid.ID, obs(1_000_000, nextObs.Add(1))); err != nil {
		t.Fatal(err)
	}
	if n, err := s.ExpireDue(ctx, 100); err != nil || n != 0 {
		t.Fatalf("before the deadline: expired %d, %v", n, err)
	}
	pastExpiry(c)
	n, err := s.ExpireDue(ctx, 100)
	if err != nil || n < 1 {
		t.Fatalf("after the deadline: expired %d, %v", n, err)
	}
	if p, _ := s.Get(ctx, unpaid.ID); p.State != payment.Expired {
		t.Fatalf("unpaid payment is %s", p.State)
	}
	if p, _ := s.Get(ctx, paid.ID); p.State != payment.Detected {
		t.Fatalf("a payment with money seen was expired: %s", p.State)
	}
	// Money that arrives after expiry is detected, confirmed and ends late, never lost.
	p, err := s.Detect(ctx, unpaid.ID, obs(1_000_000, nextObs.Add(1)))
	if err != nil || !p.PaidLate {
		t.Fatalf("late detection: %+v %v", p, err)
	}
	if p, err = confirmAll(ctx, s, c, p); err != nil || p.State != payment.Late || p.Received.Cmp(big.NewInt(1_000_000)) != 0 {
		t.Fatalf("late payment ended %v %v", p.State, err)
	}
	if n := sweepJobs(ctx, t, p); n != 1 {
		t.Fatalf("a late payment asks for %d sweeps, want 1 (its money must still reach escrow)", n)
	}
	dests, err := s.ListDestinations(ctx, payment.DestinationFilter{ChainID: 56})
	if err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, d := range dests {
		if d.PaymentID == unpaid.ID.String() {
			found = true
			if d.Address != unpaid.Deposit || d.Index != unpaid.DepositIndex || d.State != payment.Late || d.Sweep != "due" || !d.Watched {
				t.Fatalf("destination %+v", d)
			}
		}
	}
	if !found {
		t.Fatal("the payment's destination is not listed")
	}
}

func TestDetectRefusesOtherTokenAndRecordsException(t *testing.T) {
	ctx := context.Background()
	poolFor = dbtest.Pool(t)
	s, _ := newService(t)
	p := create(t, s)
	o := obs(5, nextObs.Add(1))
	o.Token = common.HexToAddress("0x8AC76a51cc950d9822D68b83fE1Ad97B32Cd580d") // USDC, not the USDT asked for
	if _, err := s.Detect(ctx, p.ID, o); !errors.Is(err, payment.ErrObservation) {
		t.Fatalf("detect in another token: %v", err)
	}
	e := payment.Exception{PaymentID: p.ID.String(), ChainID: 56, Token: o.Token, Amount: o.Amount, TxHash: o.TxHash, LogIndex: o.LogIndex, Reason: "wrong token"}
	for range 2 {
		if err := s.RecordException(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	var n int
	if err := poolFor.QueryRow(ctx, `SELECT count(*) FROM deposit_exceptions WHERE payment_id = $1`, p.ID).Scan(&n); err != nil || n != 1 {
		t.Fatalf("exceptions = %d, %v; want 1", n, err)
	}
	if cur, _ := s.Get(ctx, p.ID); cur.State != payment.AwaitingPayment || cur.Received.Sign() != 0 {
		t.Fatalf("an exception moved the payment: %s %s", cur.State, cur.Received)
	}
}

func TestCheckHealth(t *testing.T) {
	ctx := context.Background()
	poolFor = dbtest.Pool(t)
	s, c := newService(t)
	parse := func(x string) error { _, err := hd.ParseXpub(x); return err }
	h, err := s.CheckHealth(ctx, parse, "xpub-nonsense", []string{"bsc"}, time.Minute)
	if err != nil || h.XpubValid || h.XpubError == "" || h.SignerHealthy {
		t.Fatalf("bad xpub, no signer: %+v %v", h, err)
	}
	if _, err := poolFor.Exec(ctx, `INSERT INTO process_heartbeat VALUES ('signer', 'h:1', 'v', $1, $1)`, t0); err != nil {
		t.Fatal(err)
	}
	h, err = s.CheckHealth(ctx, parse, anvilXpub, []string{"bsc"}, time.Minute)
	if err != nil || !h.XpubValid || !h.SignerHealthy {
		t.Fatalf("good xpub, fresh signer: %+v %v", h, err)
	}
	c.set(t0.Add(time.Hour))
	if h, _ = s.CheckHealth(ctx, parse, anvilXpub, nil, time.Minute); h.SignerHealthy {
		t.Fatal("a signer silent for an hour counts as healthy")
	}
}

package payment_test

import (
	"context"
	"errors"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/amanat/amn/chart"
	"github.com/amanat/amn/db/dbtest"
	"github.com/amanat/amn/ledger"
	"github.com/amanat/amn/payment"
	"github.com/amanat/amn/payment/paymenttest"
)

var buyerAddr = paymenttest.Buyer().Address

// sweepOf is the Funded event of the payment's own sweep: its deposit funds its escrow with its
// token, everything it received, its buyer and its seller.
func sweepOf(p *payment.Payment) payment.EscrowFunded {
	return payment.EscrowFunded{EscrowID: p.EscrowID(), Ref: payment.EscrowRef(p.ID), Funder: p.Deposit, Token: p.Token,
		Amount: new(big.Int).Set(p.Received), Buyer: p.BuyerAddress, Seller: p.SellerAddress}
}

// sweeping is a payment paid in full by buyerAddr and handed to the signer.
func sweeping(t *testing.T, s *payment.Service) *payment.Payment {
	t.Helper()
	ctx := context.Background()
	p := create(t, s)
	o := obs(1_000_000, nextObs.Add(1))
	o.From = buyerAddr
	if _, err := s.Detect(ctx, p.ID, o); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Confirm(ctx, p.ID, o.TransferID()); err != nil {
		t.Fatal(err)
	}
	p = paymenttest.ProveBuyer(t, s, p, paymenttest.Buyer())
	p, err := s.StartSweep(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if p.BuyerAddress != buyerAddr || p.Received.Int64() != 1_000_000 {
		t.Fatalf("fixture: buyer %s, received %s", p.BuyerAddress.Hex(), p.Received)
	}
	return p
}

// TestSweptBooksOnlyThePaymentsOwnFunded: a Funded event that differs from the payment's sweep in
// any of funder, escrow, reference, token, amount, buyer or seller is refused with
// ErrEscrowMismatch and writes nothing; the payment's own moves it to in_escrow once, with a
// deposit → escrow transfer of what it received.
func TestSweptBooksOnlyThePaymentsOwnFunded(t *testing.T) {
	ctx := context.Background()
	poolFor = dbtest.Pool(t)
	s, _ := newService(t)
	p := sweeping(t, s)
	attacker := common.HexToAddress("0x00000000000000000000000000000000000000a7")
	junk := common.HexToAddress("0x00000000000000000000000000000000000000cc")
	for name, change := range map[string]func(*payment.EscrowFunded){
		"funder":           func(f *payment.EscrowFunded) { f.Funder = attacker },
		"front-run escrow": func(f *payment.EscrowFunded) { f.Funder, f.EscrowID = attacker, payment.EscrowID(attacker, p.ID) },
		"escrow":           func(f *payment.EscrowFunded) { f.EscrowID = payment.EscrowID(p.Deposit, ledger.DeriveID("other")) },
		"reference":        func(f *payment.EscrowFunded) { f.Ref = common.Hash{1} },
		"token":            func(f *payment.EscrowFunded) { f.Token = junk },
		"native token":     func(f *payment.EscrowFunded) { f.Token = common.Address{} },
		"less":             func(f *payment.EscrowFunded) { f.Amount = big.NewInt(999_999) },
		"more":             func(f *payment.EscrowFunded) { f.Amount = big.NewInt(1_000_001) },
		"one unit":         func(f *payment.EscrowFunded) { f.Amount = big.NewInt(1) },
		"no amount":        func(f *payment.EscrowFunded) { f.Amount = nil },
		"buyer":            func(f *payment.EscrowFunded) { f.Buyer = attacker },
		"seller":           func(f *payment.EscrowFunded) { f.Seller = attacker },
	} {
		f := sweepOf(p)
		change(&f)
		transfers, timeline := counts(ctx, t, p)
		_, err := s.Swept(ctx, p.ID, f)
		if !errors.Is(err, payment.ErrEscrowMismatch) {
			t.Errorf("%s: err = %v, want ErrEscrowMismatch", name, err)
		}
		if after, afterTimeline := counts(ctx, t, p); after != transfers || afterTimeline != timeline {
			t.Errorf("%s: a refused Funded wrote %d transfers and %d timeline rows", name, after-transfers, afterTimeline-timeline)
		}
		if cur, _ := s.Get(ctx, p.ID); cur.State != payment.Sweeping {
			t.Errorf("%s: state %s, want sweeping", name, cur.State)
		}
	}

	got, err := s.Swept(ctx, p.ID, sweepOf(p))
	if err != nil {
		t.Fatal(err)
	}
	if got.State != payment.InEscrow {
		t.Fatalf("state %s, want in_escrow", got.State)
	}
	sweep, err := ledger.New(poolFor).LookupTransfer(ctx, ledger.DeriveID("payment/sweep\x00"+p.ID.String()))
	if err != nil {
		t.Fatal(err)
	}
	if sweep.Amount.Int64() != 1_000_000 || sweep.DebitAccountID != p.DepositAcct || sweep.CreditAccountID != chart.Escrow(p.Ledger) {
		t.Errorf("sweep transfer %s from %s to %s, want 1000000 deposit → escrow", sweep.Amount, sweep.DebitAccountID, sweep.CreditAccountID)
	}
	// The same event again (the indexer reading the block again) changes nothing.
	transfers, timeline := counts(ctx, t, p)
	if _, err := s.Swept(ctx, p.ID, sweepOf(p)); err != nil {
		t.Fatalf("replay: %v", err)
	}
	if after, afterTimeline := counts(ctx, t, p); after != transfers || afterTimeline != timeline {
		t.Errorf("replay wrote %d transfers and %d timeline rows", after-transfers, afterTimeline-timeline)
	}
}

// TestEscrowPaymentsMapsEscrowIDsToPayments: escrow ids are found for payments created with one
// and for payments created before escrow ids were stored (NULL, computed from the deposit);
// a front-runner's escrow for the same reference and an unrelated id are not ours.
func TestEscrowPaymentsMapsEscrowIDsToPayments(t *testing.T) {
	ctx := context.Background()
	pool := dbtest.Pool(t)
	s, _ := newService(t)
	p1, p2, older := create(t, s), create(t, s), create(t, s)
	var stored string
	if err := pool.QueryRow(ctx, `SELECT escrow_id FROM payments WHERE id = $1`, p1.ID).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if stored != p1.EscrowID().Hex() {
		t.Fatalf("stored escrow id %s, want %s", stored, p1.EscrowID().Hex())
	}
	if _, err := pool.Exec(ctx, `UPDATE payments SET escrow_id = NULL WHERE id = $1`, older.ID); err != nil {
		t.Fatal(err)
	}
	attacker := common.HexToAddress("0x00000000000000000000000000000000000000a7")
	frontRun := payment.EscrowID(attacker, p1.ID)
	got, err := s.EscrowPayments(ctx, []common.Hash{p1.EscrowID(), older.EscrowID(), frontRun, payment.EscrowRef(p2.ID), {7}})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[p1.EscrowID()] != p1.ID || got[older.EscrowID()] != older.ID {
		t.Errorf("EscrowPayments = %v, want p1 %s and the older payment %s only", got, p1.ID, older.ID)
	}
	if got, err := s.EscrowPayments(ctx, []common.Hash{p2.EscrowID()}); err != nil || got[p2.EscrowID()] != p2.ID {
		t.Errorf("EscrowPayments(p2) = %v, %v", got, err)
	}
	// Two payments never share an escrow id.
	if _, err := pool.Exec(ctx, `UPDATE payments SET escrow_id = $2 WHERE id = $1`, p2.ID, p1.EscrowID().Hex()); err == nil {
		t.Error("two payments with one escrow id were accepted")
	}
}

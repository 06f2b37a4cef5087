package indexer

import (
	"context"
	"math/big"
	"testing"

	"github.com/amanat/amn/ledger"
	"github.com/amanat/amn/payment"
)

// TestEscrowEventsMovePaymentsAtFinality funds AmnEscrow for a funded payment (the signer's
// sweep; here a buyer account funds it, since tests hold no deposit keys) and freezes it: at
// finality the Funded event moves the payment to in_escrow with its deposit → escrow ledger
// transfer, Frozen disputes it (the chain froze it: no ordinary payout can move it now), and an
// escrow for an unknown payment id is ignored.
func TestEscrowEventsMovePaymentsAtFinality(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, 98)
	pay, pool := newPaymentService(t)
	e := newEnv(t, f, pay, pool, devConfig(f, 2), Options{})
	p := e.newPayment(98, f.Addresses.USDT, 900_000)
	e.payViaProxy(p, 0, 900_000)
	mine(t, f, 4)
	e.catchUp()
	if _, err := pay.StartSweep(ctx, p.ID); err != nil {
		t.Fatal(err)
	}
	buyer := f.Buyers[1]
	w := f.Wait(ctx)
	if _, err := w(f.USDT.Approve(f.Opts(ctx, buyer), f.Addresses.Escrow, big.NewInt(2_000_000))); err != nil {
		t.Fatal(err)
	}
	if _, err := w(f.Escrow.Fund(f.Opts(ctx, buyer), payment.EscrowID(p.ID), f.Addresses.USDT, big.NewInt(900_000), buyer.Address, f.Seller.Address)); err != nil {
		t.Fatal(err)
	}
	stranger := payment.EscrowID(ledger.DeriveID("not a payment of ours"))
	if _, err := w(f.Escrow.Fund(f.Opts(ctx, buyer), stranger, f.Addresses.USDT, big.NewInt(1_000), buyer.Address, f.Seller.Address)); err != nil {
		t.Fatal(err)
	}
	e.catchUp()
	if s := e.state(p); s != payment.Sweeping {
		t.Fatalf("before finality: %s, want sweeping", s)
	}
	if _, err := w(f.Escrow.Freeze(f.Opts(ctx, f.Arbiter), payment.EscrowID(p.ID))); err != nil {
		t.Fatal(err)
	}
	mine(t, f, 4)
	e.catchUp()
	if got, err := pay.Get(ctx, p.ID); err != nil || got.State != payment.Disputed || got.DisputedFrom != payment.InEscrow {
		t.Fatalf("after the Funded and Frozen events are final: %v, want disputed from in_escrow (%v)", got, err)
	}
	escrowAcct, err := ledger.New(pool).Account(ctx, payment.EscrowAccount(p.Ledger))
	if err != nil {
		t.Fatal(err)
	}
	if got := escrowAcct.Balance().Posted; got.Int64() != 900_000 {
		t.Errorf("escrow account posted %s, want 900000", got)
	}
	var kinds []string
	rows, err := pool.Query(ctx, `SELECT kind || ':' || state::text FROM indexer_observations WHERE chain_id = 98 AND kind LIKE 'escrow_%' ORDER BY block_number`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			t.Fatal(err)
		}
		kinds = append(kinds, k)
	}
	if len(kinds) != 2 || kinds[0] != "escrow_funded:applied" || kinds[1] != "escrow_frozen:applied" {
		t.Errorf("escrow observations %v, want funded and frozen applied (and none for the stranger)", kinds)
	}
}

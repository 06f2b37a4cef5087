package indexer

import (
	"context"
	"errors"
	"math/big"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/amanat/amn/bindings"
	"github.com/amanat/amn/chart"
	"github.com/amanat/amn/ledger"
	"github.com/amanat/amn/payment"
	"github.com/amanat/amn/payment/paymenttest"
)

// fundFrom sends, from any address (the deposit's key is the signer's: tests impersonate it on
// anvil), an ERC-20 approve and AmnEscrow.fund(ref, token, amount, buyer, seller): the signer's
// sweep when from is the deposit and ref the payment's, a front-run when it is someone else.
func (e *env) fundFrom(from common.Address, ref common.Hash, token common.Address, amount int64, buyer, seller common.Address) {
	e.t.Helper()
	ctx := context.Background()
	if err := e.f.SetBalance(ctx, from, big.NewInt(1e18)); err != nil {
		e.t.Fatal(err)
	}
	erc20, _ := bindings.ERC20MetaData.GetAbi()
	esc, _ := bindings.AmnEscrowMetaData.GetAbi()
	approve, err := erc20.Pack("approve", e.f.Addresses.Escrow, big.NewInt(amount))
	if err != nil {
		e.t.Fatal(err)
	}
	fund, err := esc.Pack("fund", ref, token, big.NewInt(amount), buyer, seller)
	if err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.f.SendAs(ctx, from, token, approve, nil); err != nil {
		e.t.Fatalf("approve from %s: %v", from.Hex(), err)
	}
	if _, err := e.f.SendAs(ctx, from, e.f.Addresses.Escrow, fund, nil); err != nil {
		e.t.Fatalf("fund from %s: %v", from.Hex(), err)
	}
}

// escrowObservations lists the chain's escrow observations as kind:state, in chain order.
func (e *env) escrowObservations() []string {
	e.t.Helper()
	rows, err := e.db.Query(context.Background(), `SELECT kind || ':' || state::text FROM indexer_observations
		WHERE chain_id = $1 AND kind LIKE 'escrow_%' ORDER BY block_number, log_index`, e.cfg.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	defer rows.Close()
	var kinds []string
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			e.t.Fatal(err)
		}
		kinds = append(kinds, k)
	}
	return kinds
}

// TestEscrowEventsMovePaymentsAtFinality: the deposit address funds the payment's escrow (the
// signer's sweep) after a front-runner copied the payment's reference into a fund of their own,
// and the arbiter freezes it. At finality the real Funded event moves the payment to in_escrow
// with its deposit → escrow ledger transfer, Frozen disputes it (the chain froze it: no ordinary
// payout can move it now), and the front-runner's escrow and an escrow of no payment of ours are
// ignored.
func TestEscrowEventsMovePaymentsAtFinality(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t, 98)
	pay, pool := newPaymentService(t)
	e := newEnv(t, f, pay, pool, devConfig(f, 2), Options{})
	p := e.newPayment(98, f.Addresses.USDT, 900_000)
	p = paymenttest.ProveBuyer(t, pay, p, f.Buyers[0]) // the escrow records the proven buyer
	e.payViaProxy(p, 0, 900_000)
	mine(t, f, 4)
	e.catchUp()
	if _, err := pay.StartSweep(ctx, p.ID); err != nil {
		t.Fatal(err)
	}
	buyer, attacker := f.Buyers[0].Address, f.Buyers[1].Address
	e.fundFrom(attacker, payment.EscrowRef(p.ID), f.Addresses.USDT, 1_000, attacker, attacker)
	e.fundFrom(attacker, payment.EscrowRef(ledger.DeriveID("not a payment of ours")), f.Addresses.USDT, 1_000, buyer, f.Seller.Address)
	e.fundFrom(p.Deposit, payment.EscrowRef(p.ID), f.Addresses.USDT, 900_000, buyer, f.Seller.Address)
	e.catchUp()
	if s := e.state(p); s != payment.Sweeping {
		t.Fatalf("before finality: %s, want sweeping", s)
	}
	if _, err := f.Wait(ctx)(f.Escrow.Freeze(f.Opts(ctx, f.Arbiter), p.EscrowID())); err != nil {
		t.Fatal(err)
	}
	mine(t, f, 4)
	e.catchUp()
	if got, err := pay.Get(ctx, p.ID); err != nil || got.State != payment.Disputed || got.DisputedFrom != payment.InEscrow {
		t.Fatalf("after the Funded and Frozen events are final: %v, want disputed from in_escrow (%v)", got, err)
	}
	escrowAcct, err := ledger.New(pool).Account(ctx, chart.Escrow(p.Ledger))
	if err != nil {
		t.Fatal(err)
	}
	if got := escrowAcct.Balance().Posted; got.Int64() != 900_000 {
		t.Errorf("escrow account posted %s, want 900000", got)
	}
	if kinds := e.escrowObservations(); len(kinds) != 2 || kinds[0] != "escrow_funded:applied" || kinds[1] != "escrow_frozen:applied" {
		t.Errorf("escrow observations %v, want funded and frozen applied (and none for the front-runner or the stranger)", kinds)
	}
	// The books agree with the chain: the escrow account holds what the payment's escrow holds.
	// The contract holds 2,000 more (the front-runner's and the stranger's escrows): stray, not
	// ours, and no mismatch an attacker could raise at will.
	rec, err := e.ix.Reconcile(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.Mismatches) != 0 {
		t.Errorf("reconcile with strangers' escrows in the contract: %+v", rec.Mismatches)
	}
	if got := rec.Stray["USDT"]; got == nil || got.Int64() != 2_000 {
		t.Errorf("stray in the escrow contract %v, want USDT 2000", rec.Stray)
	}
	// A payment row pointing at the front-runner's escrow (escrow_id is written when a payment is
	// made), paid 1 unit and disputed, does not make that escrow count as ours: a payment's escrow
	// is derived from its deposit and id, and an underpaid payment holds none.
	q := e.newPayment(98, f.Addresses.USDT, 500_000)
	e.payViaProxy(q, 0, 1)
	mine(t, f, 4)
	e.catchUp()
	frontRun, err := f.Escrow.EscrowId(nil, attacker, payment.EscrowRef(p.ID))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `UPDATE payments SET escrow_id = $2 WHERE id = $1`, q.ID, common.Hash(frontRun).Hex()); err != nil {
		t.Fatal(err)
	}
	if _, err := pay.Dispute(ctx, q.ID, "buyer", "forged"); err != nil {
		t.Fatal(err)
	}
	if rec, err := e.ix.Reconcile(ctx); err != nil || len(rec.Mismatches) != 0 || rec.Stray["USDT"].Int64() != 2_000 {
		t.Errorf("reconcile with a payment row naming a stranger's escrow: %+v, stray %v (%v)", rec.Mismatches, rec.Stray, err)
	}
	// The books lose track of the escrow (a forged ledger transfer out of it): a mismatch.
	if _, err := pool.Exec(ctx, `UPDATE ledger_accounts SET credits_posted = credits_posted - 1 WHERE id = $1`,
		chart.Escrow(p.Ledger)); err != nil {
		t.Fatal(err)
	}
	rec, err = e.ix.Reconcile(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.Mismatches) != 1 || rec.Mismatches[0].What != "escrow" || rec.Mismatches[0].Diff.Int64() != 1 {
		t.Errorf("reconcile after the books lost 1 unit of the escrow: %+v", rec.Mismatches)
	}
}

// TestFundedThatIsNotThePaymentsSweepMovesNothing: the payment's own deposit funds its escrow
// with terms the payment does not have (a seller nobody agreed to: a misled or compromised
// signer). The event is the payment's escrow's, but at finality it is kept as rejected with the
// reason, and the payment and the ledger do not move.
func TestFundedThatIsNotThePaymentsSweepMovesNothing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t, 99)
	pay, pool := newPaymentService(t)
	e := newEnv(t, f, pay, pool, devConfig(f, 2), Options{})
	p := e.newPayment(99, f.Addresses.USDT, 700_000)
	p = paymenttest.ProveBuyer(t, pay, p, f.Buyers[0]) // the escrow records the proven buyer
	e.payViaProxy(p, 0, 700_000)
	mine(t, f, 4)
	e.catchUp()
	if _, err := pay.StartSweep(ctx, p.ID); err != nil {
		t.Fatal(err)
	}
	attacker := f.Buyers[1].Address
	e.fundFrom(p.Deposit, payment.EscrowRef(p.ID), f.Addresses.USDT, 700_000, f.Buyers[0].Address, attacker)
	mine(t, f, 4)
	e.catchUp()
	if s := e.state(p); s != payment.Sweeping {
		t.Fatalf("after a Funded with another seller: %s, want sweeping", s)
	}
	if kinds := e.escrowObservations(); len(kinds) != 1 || kinds[0] != "escrow_funded:rejected" {
		t.Fatalf("escrow observations %v, want the Funded rejected", kinds)
	}
	var note string
	if err := pool.QueryRow(ctx, `SELECT note FROM indexer_observations WHERE chain_id = 99 AND kind = 'escrow_funded'`).Scan(&note); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(note, "seller") || !strings.Contains(note, attacker.Hex()) {
		t.Errorf("rejection note %q does not name the seller", note)
	}
	if _, err := ledger.New(pool).LookupTransfer(ctx, ledger.DeriveID("payment/sweep\x00"+p.ID.String())); !errors.Is(err, ledger.ErrTransferNotFound) {
		t.Errorf("sweep transfer: %v, want none", err)
	}
}

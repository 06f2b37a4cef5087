// Package paymenttest gives tests payments whose parties are proven by their wallets: it signs the
// seller's offer and the buyer's checkout with devnet keys (anvil's public test accounts), as those
// wallets would with eth_signTypedData_v4. It is for tests only and holds no key of its own.
package paymenttest

import (
	"context"
	"fmt"
	"math/big"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/amanat/amn/devnet"
	"github.com/amanat/amn/escrow"
	"github.com/amanat/amn/payment"
)

// Seller is the devnet fixture's seller (devnet.Fixture.Seller): the payout wallet of test
// payments that need no fixture.
func Seller() devnet.Account { return devnet.AnvilAccount(2) }

// Buyer is the devnet fixture's first buyer (devnet.Fixture.Buyers[0]).
func Buyer() devnet.Account { return devnet.AnvilAccount(4) }

// Offer makes seller the payment's payout address and signs its offer with seller's key. A
// payment whose offer cannot be signed (no amount) is returned unsigned: Create refuses it anyway.
func Offer(n payment.NewPayment, seller devnet.Account) payment.NewPayment {
	n.SellerAddress = seller.Address
	d, err := n.Offer().Digest()
	if err != nil {
		return n
	}
	a, err := escrow.Sign(d, seller.Key)
	if err != nil {
		panic("paymenttest: signing with a devnet key: " + err.Error())
	}
	n.SellerSignature = a.Signature
	return n
}

// CheckoutSignature is buyer's signature of p's checkout terms.
func CheckoutSignature(t testing.TB, p *payment.Payment, buyer devnet.Account) []byte {
	t.Helper()
	d, err := p.CheckoutTerms().Digest()
	if err != nil {
		t.Fatal(err)
	}
	a, err := escrow.Sign(d, buyer.Key)
	if err != nil {
		t.Fatal(err)
	}
	return a.Signature
}

// ProveBuyer has buyer sign p's checkout and records it: buyer becomes p's refund address.
func ProveBuyer(t testing.TB, s *payment.Service, p *payment.Payment, buyer devnet.Account) *payment.Payment {
	t.Helper()
	got, err := s.ProveBuyer(context.Background(), p.ID, buyer.Address, CheckoutSignature(t, p, buyer))
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// Forge runs statement as the database owner would to forge a payment's parties: in one
// transaction with the parties' trigger (migration 00015) disabled. ALTER TABLE is transactional,
// so no other session ever sees the table without its trigger.
func Forge(t testing.TB, pool *pgxpool.Pool, statement string, args ...any) {
	t.Helper()
	ctx := context.Background()
	err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `ALTER TABLE payments DISABLE TRIGGER payments_parties_fixed`); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, statement, args...)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return fmt.Errorf("the forgery changed no row: %s", statement)
		}
		_, err = tx.Exec(ctx, `ALTER TABLE payments ENABLE TRIGGER payments_parties_fixed`)
		return err
	})
	if err != nil {
		t.Fatalf("forging: %v", err)
	}
}

// OwnSweep is the Funded event of p's own sweep: its deposit funds its escrow with its token,
// everything it received, its buyer and its seller (what payment.Swept accepts).
func OwnSweep(p *payment.Payment) payment.EscrowFunded {
	return payment.EscrowFunded{EscrowID: p.EscrowID(), Ref: payment.EscrowRef(p.ID), Funder: p.Deposit, Token: p.Token,
		Amount: new(big.Int).Set(p.Received), Buyer: p.BuyerAddress, Seller: p.SellerAddress}
}

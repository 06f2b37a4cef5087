package signer

import (
	"github.com/amanat/amn/intent"
	"github.com/amanat/amn/payment"
)

// verifyParties checks, before a sweep records them in the escrow, that the buyer and the seller
// are proven by their own wallets (ARCHITECTURE.md §9) and are the intent's: the seller's EIP-712
// Offer signature, over the payment's offer, chain, token, amount and payout address, recovers
// the payment's seller; the buyer's EIP-712 Checkout signature, over the payment's id, deposit
// address, token, amount and seller, recovers the payment's buyer. The signer recovers both
// itself: a row whose parties (or the fields they signed) were rewritten without their wallets'
// signatures, or an intent naming other parties, is rejected.
func verifyParties(in *intent.Intent, p *payment.Payment) error {
	seller, err := p.ProvenSeller()
	if err != nil {
		return rejectf("%v", err)
	}
	buyer, err := p.ProvenBuyer()
	if err != nil {
		return rejectf("%v", err)
	}
	if in.Seller != seller || in.Buyer != buyer {
		return rejectf("%s names seller %s and buyer %s; the wallets that signed the offer and the checkout are seller %s and buyer %s",
			in.Kind, in.Seller.Hex(), in.Buyer.Hex(), seller.Hex(), buyer.Hex())
	}
	return nil
}

package payment

import (
	"github.com/ethereum/go-ethereum/common"

	"github.com/amanat/amn/ledger"
)

// EscrowID is a payment's id as AmnEscrow knows it (its bytes32 paymentId): the payment's 16-byte
// ledger id, left-padded with zeros. The signer uses it when funding, releasing and refunding; the
// indexer reads it back from the contract's events with PaymentIDFromEscrow.
func EscrowID(id ledger.ID) common.Hash {
	var h common.Hash
	copy(h[16:], id[:])
	return h
}

// PaymentIDFromEscrow reads a payment id back from an AmnEscrow paymentId. ok is false when the
// upper 16 bytes are not zero: then the id was not made by EscrowID and names no payment of ours.
func PaymentIDFromEscrow(h common.Hash) (id ledger.ID, ok bool) {
	if h == (common.Hash{}) || h.Big().BitLen() > 128 {
		return id, false
	}
	copy(id[:], h[16:])
	return id, true
}

// EscrowAccount is the ledger account of the money a ledger (chain:token) holds in the AmnEscrow
// contract, for reconciliation against the contract's balance.
func EscrowAccount(ledgerName string) ledger.ID { return escrowAccount(ledgerName) }

// Package chart is the platform's chart of accounts: the id of every ledger account the platform
// opens and the code of every transfer it books, in one place, so that the packages that book
// (payment, intent, points) and the ones that read the books (the indexer's reconciliation)
// agree on them without importing each other.
//
// It owns names only. It must never open accounts or book transfers (the owning packages do:
// payment books payments, intent books gas) and never change an id or a code once used:
// both are stored with every account and transfer.
package chart

import (
	"strings"

	"github.com/ethereum/go-ethereum/common"

	"github.com/amanat/amn/ledger"
)

// Transfer codes, stored with each ledger transfer.
const (
	// The payment domain (package payment).
	CodeDeposit    uint16 = 10 // outside → deposit: money arrived at the deposit address
	CodeSweep      uint16 = 11 // deposit → escrow: moved into the escrow contract
	CodeRelease    uint16 = 12 // escrow → outside: paid out to the seller
	CodeCommission uint16 = 13 // escrow → platform fees: the platform's commission on release
	CodeRefund     uint16 = 14 // escrow → outside: paid back to the buyer
	CodeReclaim    uint16 = 15 // escrow → outside: the buyer reclaimed the escrow on chain

	// Gas, in the native-currency ledgers (package intent).
	CodeGasBurnt   uint16 = 20 // gas tank or an address's gas → network fees: gas a transaction paid
	CodeGasTopup   uint16 = 21 // gas tank → an address's gas: native currency sent to pay for gas
	CodeGasOutside uint16 = 22 // outside → an address's gas: gas paid with native currency the books do not hold
	CodeGasFunding uint16 = 23 // outside → gas tank: an operator's transfer that funded the tank

	// Points, in the points ledger (package points).
	CodePointsDeal       uint16 = 30 // issuance → user: a completed deal's points
	CodePointsReferral   uint16 = 31 // issuance → referrer: a referred user's first deal completed
	CodePointsAdminGrant uint16 = 32 // issuance → user: an admin's grant, with its reason
	CodePointsReversal   uint16 = 33 // user → issuance: a grant taken back (a refund, an admin)
	CodePointsSpend      uint16 = 34 // user → the user's used points
	CodePointsExpiry     uint16 = 35 // user → the user's expired points: grants past their lifetime, unspent
	CodePointsOpening    uint16 = 36 // issuance ↔ user: a legacy account's opening balance, or its correction by a later import
)

// The payment's ledger accounts. Money moves from the debit account to the credit account. Each
// payment has its own "outside" account: where its money comes from and goes to outside the
// books, so it alone may run "negative". It is per payment rather than one per ledger so that
// detections and credits of different payments never queue on one hot row; the ledger-wide
// outside position is the sum of these accounts (code world). Escrow and platform fees are one
// account per ledger: the contract's holdings and the platform's income. Ids are derived from
// names, so opening them twice is a no-op.

// PaymentOutside is where a payment's money comes from and goes to, outside the books.
func PaymentOutside(payment ledger.ID) ledger.ID {
	return ledger.DeriveID("payment/outside\x00" + payment.String())
}

// PaymentDeposit is a payment's deposit address.
func PaymentDeposit(payment ledger.ID) ledger.ID {
	return ledger.DeriveID("payment/deposit\x00" + payment.String())
}

// Escrow is the escrow contract's holdings in a ledger.
func Escrow(ledgerName string) ledger.ID {
	return ledger.DeriveID("payment/escrow\x00" + ledgerName)
}

// PlatformFees is the platform's commission income in a ledger.
func PlatformFees(ledgerName string) ledger.ID {
	return ledger.DeriveID("payment/fees\x00" + ledgerName)
}

// GasTank is a gas tank's account in a native-currency ledger: credited with each funding an
// operator booked (CodeGasFunding), debited with what the tank spent. It has no limit: a tank
// funded before its fundings were booked (or by a transfer the books cannot see) runs negative.
func GasTank(nativeLedger string, tank common.Address) ledger.ID {
	return ledger.DeriveID("gas/tank\x00" + nativeLedger + "\x00" + hexAddr(tank))
}

// NetworkFees is where a native-currency ledger's burnt gas goes.
func NetworkFees(nativeLedger string) ledger.ID {
	return ledger.DeriveID("gas/network-fees\x00" + nativeLedger)
}

// GasHeld is the native currency for gas the books know to be at addr (a deposit address or a
// top-up's destination).
func GasHeld(nativeLedger string, addr common.Address) ledger.ID {
	return ledger.DeriveID("gas/held\x00" + nativeLedger + "\x00" + hexAddr(addr))
}

// GasOutside is where native currency from outside the books comes from: gas paid with money the
// books do not hold, and the gas tank's funding.
func GasOutside(nativeLedger string) ledger.ID {
	return ledger.DeriveID("gas/outside\x00" + nativeLedger)
}

// PointsLedger is the ledger of loyalty points: its unit is one point.
const PointsLedger = "amn:POINTS"

// PointsIssuance is where points come from and return to: the points ledger's outside world, so
// it alone runs "negative" (it has no flag).
func PointsIssuance() ledger.ID { return ledger.DeriveID("points/issuance") }

// PointsUser is a user's points to use.
func PointsUser(user [16]byte) ledger.ID {
	return ledger.DeriveID("points/user\x00" + ledger.ID(user).String())
}

// PointsUsed is a user's points spent.
func PointsUsed(user [16]byte) ledger.ID {
	return ledger.DeriveID("points/used\x00" + ledger.ID(user).String())
}

// PointsExpired is a user's points that expired unspent.
func PointsExpired(user [16]byte) ledger.ID {
	return ledger.DeriveID("points/expired\x00" + ledger.ID(user).String())
}

func hexAddr(a common.Address) string { return strings.ToLower(a.Hex()) }

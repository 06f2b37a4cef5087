// Package escrow is the Go side of the AmnEscrow contract's approvals: it computes the EIP-712
// digests custodians sign (Release, Refund, Settle and the configuration changes), turns a private key
// or a device's signature into an Approval, verifies approvals the way the contract does, and
// assembles the signature list a release, refund or settle needs (Quorum).
//
// The rules here mirror escrow/contracts/AmnEscrow.sol and its README: domain "AmnEscrow",
// version "1"; 65-byte r‖s‖v signatures with v = 27/28 over the digest or v = 31/32 for the
// eth_sign form; low s only; signers strictly ascending. Tests check every digest against the
// deployed contract's own view functions on anvil.
//
// The package never stores or loads keys: Sign and SignEthSign take a key for the length of one
// call (the dev signer and tests use them; custodians sign on hardware wallets). Verifying and
// building a quorum need no secret at all, so the signer process, the API and the custody CLI
// can all use them. The contract checks the same signatures again, so nothing here is the last
// line of defence — but the signer refuses to submit what would not pass.
package escrow

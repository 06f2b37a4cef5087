// Package signer is the custody signer: the only process that holds private keys (the deposit
// mnemonic and the gas tank key, encrypted at rest by signer/keystore). It takes work only from
// the signer_intents table (package signer/intent), re-verifies every intent on its own — payment
// state and ledger, amounts and recipients, custodian approvals against the contract's current
// custodian set and threshold, its own policy limits — signs and broadcasts EIP-1559
// transactions with a Postgres-backed nonce manager, waits for finality, and appends every
// decision to a hash-chained audit log whose every row its operator key signs.
//
// It must never trust the party that created an intent, never write payments or the ledger (its
// database role, amn_signer, cannot), and never let a key, the mnemonic or a passphrase reach a
// log line, an error, a metric or the database.
package signer

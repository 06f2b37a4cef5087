// Package signer is the custody signer: the only process that holds private keys (the deposit
// mnemonic and the gas tank key, encrypted at rest by signer/keystore). It takes work only from
// the signer_intents table (package intent), re-verifies every intent on its own before
// every signature it makes — payment state and ledger, amounts and recipients, custodian
// approvals against the contract's current custodian set and threshold, its own policy limits —
// builds each transaction from the verified intent, signs and broadcasts EIP-1559 transactions
// with a Postgres-backed nonce manager, waits for finality, and appends every decision to a
// hash-chained audit log whose every row its operator key signs. One signer leads at a time, fenced by an epoch the database checks.
//
// It must never trust the party that created an intent nor any row another role can write (an
// intent's state, a stored transaction, a deposit index): only the chain, its own keys and
// configuration, and signatures it verifies. It must never write payments or the ledger (its
// database role, amn_signer, cannot), and never let a key, the mnemonic or a passphrase reach a
// log line, an error, a metric or the database.
package signer

// Package admin is what an admin may do to the money, in one place for both of its faces: `amn
// admin` in database mode and the API's /v1/admin routes (which `amn admin --api-url` calls). It
// asks for releases, refunds, sweeps and gas top-ups (intents through package intent, payments
// moved by package payment), shows intents with their approvals against the escrow's quorum (read
// from a node through package custody), payments with their books and on-chain links, deposit
// destinations and the configuration's health. It owns admin_audit: the append-only record of
// what admins did over the API, refused calls included.
//
// It never holds a key, signs or approves: custodians approve on their devices and the signer
// decides. It never imports signer, hd/keyring or hwwallet; the signer's transactions are read
// through the intent.SignerTxs it is given. It never updates or deletes an audit row (its role
// cannot).
package admin

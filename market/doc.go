// Package market owns the marketplace's deals: purchase requests, sellers' offers and their
// revisions, request templates (express checkout), the request's status machine (state.go, as
// data: who may fire which event from where), shipments and reviews, and the deal's jobs after
// payment (deliver, inspect, remind, release: dealjobs.go), inserted in the transaction of the
// step that calls for them. Its tables are made by
// migration 00025; its SQL is queries/*.sql, compiled by sqlc into internal/marketdb.
//
// Money is never a copy here: the amounts due, received, in escrow and released are read from
// package payment (and through it the ledger). Accepting an offer creates the payment in the same
// transaction; the request follows the payment's chain events through jobs, never the other way.
//
// It must never import signer, hwwallet, hd/keyring or custody: money moves only through payment
// transitions and signer intents.
package market

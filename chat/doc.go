// Package chat owns conversations between a purchase request's buyer and one offer's seller (one
// conversation per offer; admins may read them), their messages (plain text up to MaxText runes
// with up to MaxAttachments uploads the sender owns, and system messages: the deal's payment
// steps), edits and deletes, and read receipts. Its tables are made by migration 00040; its SQL
// is the named statements of store.go.
//
// Every message and every change to one is published with realtime.Publish into the room
// chat-{id} in the transaction that writes it: a message's seq is its room's, so the history
// (Messages, after a seq) and the socket's replay agree. Typing is the hub's ephemeral frame and
// never comes here.
//
// The payment's steps ("payment seen", "credited at finality", "in escrow", "released",
// "refunded") are written by PaymentFollowed, which the market calls in the transaction of its
// following of the deal's payment: one message per payment timeline row, keyed by the row's seq,
// so retries never duplicate one and a rolled-back following writes none.
//
// It must never read another package's tables (the market says whose an offer is, package upload
// attaches files), render HTML from a user's text, nor let anyone but the two parties write.
package chat

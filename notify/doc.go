// Package notify owns users' notifications: the in-app ones (a list per user, read marks, unread
// counts), the email preferences (which kinds a user wants by email; essential kinds always go),
// one-click unsubscribe tokens, and the notifications' mail (the notify_email job, its templates
// in the recipient's locale). Its tables are made by migration 00045; its SQL is the named
// statements of store.go.
//
// A domain package calls Notify inside the transaction that makes its change: the notification's
// row, its realtime event in the room user-{id} and, for a kind that goes by email, the
// notify_email job are written in that transaction, so a committed change is never silent and a
// rolled-back one never speaks. The market's deal steps come through Deals (market.Notifier).
//
// The legacy import writes old notifications through ImportNotification: the row alone, as
// history (never an event or a mail).
//
// It must never read another package's tables: a recipient's address, locale and standing come
// from package auth (auth.Contacts), the deal's facts from the caller. It never renders a user's
// text as HTML (html/template escapes it), never sends mail to an unverified address, and never
// lets one user read, mark or unsubscribe another's notifications.
package notify

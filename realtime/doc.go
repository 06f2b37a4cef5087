// Package realtime owns the WebSocket hub: rooms, sequence numbers, replay after a reconnect,
// presence and the fan-out across API processes (docs/realtime.md). Its tables are made by
// migration 00034; its SQL is the named statements of store.go.
//
// Domain packages call Publish inside the transaction that makes their change: the event gets the
// room's next sequence number from PostgreSQL and a NOTIFY that is delivered on commit only, so a
// committed change is never silent and a rolled-back one never speaks. Every API process LISTENs,
// reads each event once and fans it out to its own subscribers.
//
// It must never decide who may join a room by itself: the API gives the hub a Rights function
// (who owns a request, who is in a chat), and a Verifier that checks access tokens through auth.
// It never imports a domain package.
package realtime

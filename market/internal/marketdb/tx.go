package marketdb

// Written by hand (sqlc leaves this file alone).

// DB is what the queries run on: package market publishes a request's real-time events on it, in
// the transaction that changed the request.
func (q *Queries) DB() DBTX { return q.db }

package ledger

import (
	"bytes"
	"context"
	"slices"

	"github.com/jackc/pgx/v5"
)

// Batches of copyThreshold transfers and more go in by COPY, in the binary format (wire.go). The
// entries are encoded while the server takes the transfers, and sent in primary-key order, which
// saves the server a quarter of the index work.

const (
	copyTransfersSQL = `COPY ledger_transfers (id, ledger, debit_account_id, credit_account_id, amount, pending_id,
		code, pending, post_pending, void_pending, linked, timeout_ms, expires_at, payment_ref, observation_ref,
		created_at) FROM STDIN BINARY`
	copyEntriesSQL = `COPY ledger_entries (account_id, seq, transfer_id, field, amount, balance_before, balance_after)
		FROM STDIN BINARY`
)

// copyRows writes transfers and entries by COPY.
func (e *engine) copyRows(ctx context.Context, c *pgx.Conn) error {
	entries := make(chan []byte, 1)
	go func() { entries <- e.entriesCopy() }()
	if _, err := c.PgConn().CopyFrom(ctx, bytes.NewReader(e.transfersCopy()), copyTransfersSQL); err != nil {
		return err
	}
	_, err := c.PgConn().CopyFrom(ctx, bytes.NewReader(<-entries), copyEntriesSQL)
	return err
}

func (e *engine) transfersCopy() []byte {
	w := newCopyWriter(len(e.transfers) * 160)
	for _, t := range e.transfers {
		w.row(16)
		b := appendUUID(w.b, t.ID)
		b = appendText(b, t.Ledger)
		b = appendUUID(b, t.DebitAccountID)
		b = appendUUID(b, t.CreditAccountID)
		b = appendNumericField(b, t.Amount)
		b = appendOptUUID(b, t.PendingID)
		b = appendInt32(b, int32(t.Code))
		b = appendBool(b, t.Flags&Pending != 0)
		b = appendBool(b, t.Flags&PostPending != 0)
		b = appendBool(b, t.Flags&VoidPending != 0)
		b = appendBool(b, t.Flags&Linked != 0)
		b = appendInt64(b, t.Timeout.Milliseconds())
		b = appendOptTime(b, t.ExpiresAt)
		b = appendOptText(b, t.PaymentRef)
		b = appendOptText(b, t.ObservationRef)
		w.b = appendTime(b, e.now)
	}
	return w.finish()
}

func (e *engine) entriesCopy() []byte {
	order := make([]int, len(e.entries))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(i, j int) int {
		a, b := &e.entries[i], &e.entries[j]
		if c := bytes.Compare(a.AccountID[:], b.AccountID[:]); c != 0 {
			return c
		}
		return int(a.Seq - b.Seq)
	})
	w := newCopyWriter(len(e.entries) * 120)
	for _, i := range order {
		en := &e.entries[i]
		w.row(7)
		b := appendUUID(w.b, en.AccountID)
		b = appendInt64(b, en.Seq)
		b = appendUUID(b, en.TransferID)
		b = appendInt16(b, int16(en.Field))
		b = appendNumericField(b, en.Amount)
		b = appendNumericField(b, en.Before)
		w.b = appendNumericField(b, en.After)
	}
	return w.finish()
}

// connOf returns the connection q runs on, or nil.
func connOf(q querier) *pgx.Conn {
	switch q := q.(type) {
	case *pgx.Conn:
		return q
	case pgx.Tx:
		return q.Conn()
	}
	return nil
}

package market

import (
	"context"
	"fmt"
	"math/big"

	"github.com/google/uuid"

	"github.com/amanat/amn/market/internal/marketdb"
	"github.com/amanat/amn/payment"
)

// SettledCursor is a position in the settled deals: the transaction that wrote the event (in
// commit order, see queries/settled.sql), then the request and the event's seq.
type SettledCursor struct {
	Tx      int64
	Request uuid.UUID
	Seq     int32
}

// Settled is a deal whose release (Completed) or refund (Cancelled) became final on chain: what
// loyalty points need of it, and no more.
type Settled struct {
	At       SettledCursor
	Request  uuid.UUID
	Status   Status    // Completed or Cancelled
	Buyer    uuid.UUID // the buyer's user id
	Seller   uuid.UUID // the accepted offer's seller (uuid.Nil if none)
	Amount   *big.Int  // the payment's amount, in the token's base units
	Decimals uint8     // the token's decimals
}

// Settled pages the deals settled after a cursor, limit at a time, in the order their events
// committed; an event whose transaction is still running waits for the next call, so a reader
// that keeps its cursor never misses one. The amounts are read from package payment.
func (s *Service) Settled(ctx context.Context, after SettledCursor, limit int) ([]Settled, error) {
	if s.payments == nil {
		return nil, ErrNoPayments
	}
	rows, err := s.q.SettledAfter(ctx, marketdb.SettledAfterParams{AfterTx: after.Tx, AfterRequest: after.Request,
		AfterSeq: after.Seq, Lim: int32(limit)})
	if err != nil || len(rows) == 0 {
		return []Settled{}, err
	}
	ids := make([]uuid.UUID, 0, len(rows))
	for _, r := range rows {
		if r.PaymentID.Valid {
			ids = append(ids, r.PaymentID.UUID)
		}
	}
	pays, err := getMany(ctx, s.payments.GetMany, ids)
	if err != nil {
		return nil, err
	}
	out := make([]Settled, 0, len(rows))
	for _, r := range rows {
		p, ok := pays[r.PaymentID.UUID]
		if !r.PaymentID.Valid || !ok { // released and refunded need a payment (the table's CHECK)
			return nil, fmt.Errorf("market: settled request %s: %w", r.RequestID, payment.ErrNotFound)
		}
		st := Settled{At: SettledCursor{Tx: r.Tx, Request: r.RequestID, Seq: r.Seq}, Request: r.RequestID,
			Status: Completed, Buyer: r.BuyerID, Seller: r.SellerID.UUID, Amount: p.Amount, Decimals: p.Decimals}
		if Event(r.Event) == EvRefunded {
			st.Status = Cancelled
		}
		out = append(out, st)
	}
	return out, nil
}

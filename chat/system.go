package chat

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/amanat/amn/ledger"
	"github.com/amanat/amn/market"
	"github.com/amanat/amn/payment"
)

// paymentSteps are the payment states a deal's chat tells of, with the system message's event and
// its plain text (clients show their own words for the event, in the reader's language).
var paymentSteps = map[payment.State]struct{ event, text string }{
	payment.Detected:  {"payment.seen", "Payment seen on chain"},
	payment.Funded:    {"payment.credited", "Payment credited at finality"},
	payment.Overpaid:  {"payment.credited", "Payment credited at finality"},
	payment.InEscrow:  {"payment.in_escrow", "Payment in escrow"},
	payment.Released:  {"payment.released", "Payment released to the seller"},
	payment.Refunded:  {"payment.refunded", "Payment refunded to the buyer"},
	payment.Reclaimed: {"payment.refunded", "Payment reclaimed by the buyer"},
}

// Timelines reads a payment's transitions, oldest first (payment.Service).
type Timelines interface {
	Timeline(ctx context.Context, id ledger.ID) ([]payment.TimelineRow, error)
}

// Steps writes a deal's payment steps (market.PaymentWatcher: the worker's market calls it in
// the transaction of its following of the payment, under the request's row lock).
type Steps struct {
	Payments Timelines
}

var _ market.PaymentWatcher = (*Steps)(nil)

// PaymentFollowed writes, into the conversation of the deal's accepted offer (opened if nobody has
// yet), one system message per transition of p's timeline into a told state, in timeline order,
// those after the last one written. The timeline row's seq is each message's key: a retry or a
// second worker writes nothing twice (the unique key makes a race fail and roll back), and
// messages commit and roll back with the market's transaction.
func (s *Steps) PaymentFollowed(ctx context.Context, tx pgx.Tx, d market.FollowedDeal, p *payment.Payment) error {
	rows, err := s.Payments.Timeline(ctx, p.ID)
	if err != nil {
		return err
	}
	c, err := ensure(ctx, tx, d.Parties, clock())
	if err != nil {
		return err
	}
	pid := uuid.UUID(p.ID).String()
	var done int
	if err := tx.QueryRow(ctx, lastPaymentStep, c.ID, pid).Scan(&done); err != nil {
		return err
	}
	for _, r := range rows {
		step, told := paymentSteps[r.To]
		if r.Seq <= done || !told {
			continue
		}
		m := &Message{ID: uuid.New(), ConversationID: c.ID, Kind: KindSystem, Body: step.text, Attachments: []uuid.UUID{},
			CreatedAt: r.At.UTC().Truncate(time.Microsecond),
			System:    &System{Event: step.event, Payment: pid, PaymentSeq: r.Seq, State: string(r.To), Links: links(d.Explorer, p)}}
		if err := insert(ctx, tx, m, fmt.Sprintf("payment:%s:%d", pid, r.Seq)); err != nil {
			return err
		}
	}
	return nil
}

// links are a payment's chain links: its deposit address on the explorer.
func links(explorer string, p *payment.Payment) []Link {
	if explorer == "" {
		return []Link{}
	}
	return []Link{{Rel: "deposit", URL: explorer + "/address/" + p.Deposit.Hex()}}
}

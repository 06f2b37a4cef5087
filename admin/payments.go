package admin

import (
	"context"
	"strconv"
	"strings"

	"github.com/amanat/amn/intent"
	"github.com/amanat/amn/ledger"
	"github.com/amanat/amn/payment"
)

// PaymentView is one payment as admins see it: its row (amounts due, received, pending), its
// deposit account's balance in the books, its timeline, its intents and on-chain links.
type PaymentView struct {
	Payment  *payment.Payment
	Deposit  ledger.Balance // the deposit account: what the books hold at the address
	Timeline []payment.TimelineRow
	Intents  []IntentView
	Links    []Link
}

// Link is a page of the chain's block explorer about the payment.
type Link struct {
	Rel string // "deposit", or an intent's kind and step ("sweep fund")
	URL string
}

// Payments lists payments newest first.
func (s *Service) Payments(ctx context.Context, f payment.ListFilter) ([]*payment.Payment, error) {
	return s.payments.List(ctx, f)
}

// Payment is one payment with its books, timeline, intents and links.
func (s *Service) Payment(ctx context.Context, id ledger.ID) (PaymentView, error) {
	var v PaymentView
	var err error
	if v.Payment, err = s.payments.Get(ctx, id); err != nil {
		return v, err
	}
	acct, err := s.books.Account(ctx, v.Payment.DepositAcct)
	if err != nil {
		return v, err
	}
	v.Deposit = acct.Balance()
	if v.Timeline, err = s.payments.Timeline(ctx, id); err != nil {
		return v, err
	}
	if v.Intents, err = s.Intents(ctx, intent.Filter{PaymentID: id, Limit: 100}); err != nil {
		return v, err
	}
	v.Links = s.links(v)
	return v, nil
}

func (s *Service) links(v PaymentView) []Link {
	c, err := s.cfg.Registry.Get(strconv.FormatUint(v.Payment.ChainID, 10))
	if err != nil || c.Explorer == "" {
		return nil
	}
	base := strings.TrimRight(c.Explorer, "/")
	out := []Link{{Rel: "deposit", URL: base + "/address/" + v.Payment.Deposit.Hex()}}
	for _, in := range v.Intents {
		for _, t := range in.Txs {
			if t.Hash != "" {
				out = append(out, Link{Rel: string(in.Kind) + " " + t.Step, URL: base + "/tx/" + t.Hash})
			}
		}
	}
	return out
}

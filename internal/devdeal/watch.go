package devdeal

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/amanat/amn/clients/go/amnclient"
)

// watch follows one deal through the API: the request's status as its buyer sees it, and the
// payment's timeline, intents and transactions as an admin sees them. It prints what is new.
type watch struct {
	s                *Scene
	p                *printer
	admin, buyer     *party
	request, payment uuid.UUID
	timeline         int
	intents          map[uuid.UUID]string
	txs              map[string]string
	status           string
	paymentState     string          // the payment's state, as an admin last read it
	events           map[string]bool // the payment's timeline events seen
	// onPayment, when set, is told every new state of the payment as the watch reads it.
	onPayment func(ctx context.Context, state string) error
}

// until polls until the request reaches want, printing every new payment step, intent state and
// transaction, and a line every few seconds while nothing moves.
func (w *watch) until(ctx context.Context, want, what string) error {
	w.p.printf("waiting", "for %s (request → %s) …", what, want)
	began := time.Now()
	lastNews := began
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	for {
		news, err := w.report(ctx)
		if err != nil {
			return err
		}
		if news {
			lastNews = time.Now()
		}
		if w.status == want {
			return nil
		}
		if w.s.Nudge != nil && (w.status == "confirming" || w.status == "disputed") {
			if err := w.s.Nudge(ctx); err != nil {
				return err
			}
		}
		now := time.Now()
		if now.Sub(began) > w.s.StepTimeout {
			return fmt.Errorf("request %s is still %s after %s waiting for %s", w.request, w.status, w.s.StepTimeout, what)
		}
		if now.Sub(lastNews) >= 5*time.Second {
			w.p.printf("", "… still %s after %s", w.status, now.Sub(began).Round(time.Second))
			lastNews = now
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
		}
	}
}

// report prints what changed since the last call; it fails on a rejected intent.
func (w *watch) report(ctx context.Context) (bool, error) {
	res, err := w.buyer.api.GetMarketRequestDetailWithResponse(ctx, w.request)
	if err != nil {
		return false, err
	}
	if res.JSON200 == nil {
		return false, answerError("reading the request", res.HTTPResponse, res.Body)
	}
	news := false
	if st := string(res.JSON200.Request.Status); st != w.status {
		w.p.printf("request", "%s is %s [%s]", w.request, st, w.p.since())
		w.status, news = st, true
	}
	pay, err := w.admin.api.AdminGetPaymentWithResponse(ctx, w.payment)
	if err != nil {
		return news, err
	}
	if pay.JSON200 == nil {
		return news, answerError("reading the payment", pay.HTTPResponse, pay.Body)
	}
	for _, r := range pay.JSON200.Timeline[min(w.timeline, len(pay.JSON200.Timeline)):] {
		from := "·"
		if r.From != nil {
			from = *r.From
		}
		w.p.printf("payment", "%s → %s by %s (%s) %s [%s]", from, r.To, r.Actor, r.Event, r.Reason, w.p.since())
		if w.events == nil {
			w.events = map[string]bool{}
		}
		w.events[r.Event] = true
		news = true
	}
	w.timeline = len(pay.JSON200.Timeline)
	if st := string(pay.JSON200.Payment.State); st != w.paymentState {
		w.paymentState = st
		if w.onPayment != nil {
			if err := w.onPayment(ctx, st); err != nil {
				return news, err
			}
		}
	}
	n, err := w.intentNews(pay.JSON200.Intents)
	return news || n, err
}

func (w *watch) intentNews(list []amnclient.AdminIntent) (bool, error) {
	news := false
	for _, in := range list {
		if st, ok := w.intents[in.Id]; !ok || st != string(in.State) {
			w.intents[in.Id] = string(in.State)
			w.p.printf("intent", "%s %s by %s: %s%s [%s]", in.Kind, in.Id, in.RequestedBy, in.State, reason(in.Reason), w.p.since())
			news = true
			if in.State == "rejected" {
				return news, fmt.Errorf("the signer rejected %s intent %s%s", in.Kind, in.Id, reason(in.Reason))
			}
		}
		for _, t := range in.Transactions {
			if w.txs[t.Hash] == t.State {
				continue
			}
			w.txs[t.Hash] = t.State
			block := ""
			if t.BlockNumber != nil {
				block = fmt.Sprintf(" block %d", *t.BlockNumber)
			}
			w.p.printf("signer", "%-9s %s tx %s from %s nonce %d: %s%s [%s]", t.Step, in.Kind, t.Hash, t.Sender, t.Nonce, t.State, block, w.p.since())
			news = true
		}
	}
	return news, nil
}

func reason(r *string) string {
	if r == nil || *r == "" {
		return ""
	}
	return " (" + *r + ")"
}

// approveRelease waits for the release intent the confirmation (or the inspection job) asked for
// and has the custodians approve it.
func (w *watch) approveRelease(ctx context.Context) error {
	return w.approvePayout(ctx, amnclient.IntentKindRelease)
}

// approvePayout waits for the payment's payout intent of kind (release, refund, settle) to await
// approvals, prints what it pays to whom, and has the custodians approve it.
func (w *watch) approvePayout(ctx context.Context, kind amnclient.IntentKind) error {
	deadline := time.Now().Add(w.s.StepTimeout)
	for {
		res, err := w.admin.api.AdminListIntentsWithResponse(ctx, &amnclient.AdminListIntentsParams{Kind: &kind, PaymentId: &w.payment})
		if err != nil {
			return err
		}
		if res.JSON200 == nil {
			return answerError("listing the "+string(kind)+" intents", res.HTTPResponse, res.Body)
		}
		for _, in := range res.JSON200.Items {
			if in.State == "awaiting_approvals" {
				switch kind {
				case amnclient.IntentKindSettle:
					w.p.printf("settle", "intent %s: buyer %s gets %s USDT, seller %s gets %s USDT, %s gets %s USDT; EIP-712 digest %s",
						in.Id, deref(in.Buyer), usdt(deref(in.BuyerAmount)), deref(in.Seller), usdt(deref(in.SellerAmount)),
						deref(in.FeeRecipient), usdt(deref(in.FeeAmount)), deref(in.Digest))
				default:
					w.p.printf(string(kind), "intent %s: seller %s gets %s USDT, %s gets %s USDT; EIP-712 digest %s",
						in.Id, deref(in.Seller), usdt(deref(in.SellerAmount)), deref(in.FeeRecipient), usdt(deref(in.FeeAmount)), deref(in.Digest))
				}
				if err := w.s.Approve(ctx, in.Id); err != nil {
					return fmt.Errorf("approving %s intent %s: %w", kind, in.Id, err)
				}
				return nil
			}
		}
		if _, err := w.report(ctx); err != nil {
			return err
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("no %s intent awaits approvals for payment %s after %s", kind, w.payment, w.s.StepTimeout)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// untilPayment waits, printing what moves, until the payment is in state want.
func (w *watch) untilPayment(ctx context.Context, want, what string) error {
	w.p.printf("waiting", "for %s (payment → %s) …", what, want)
	deadline := time.Now().Add(w.s.StepTimeout)
	for {
		if _, err := w.report(ctx); err != nil {
			return err
		}
		if w.paymentState == want {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("payment %s is still %s after %s waiting for %s", w.payment, w.paymentState, w.s.StepTimeout, what)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// untilEvent waits, printing what moves, until the payment's timeline has event ev (the
// indexer's "frozen": the escrow's Frozen event is final).
func (w *watch) untilEvent(ctx context.Context, ev, what string) error {
	w.p.printf("waiting", "for %s (payment event %s) …", what, ev)
	deadline := time.Now().Add(w.s.StepTimeout)
	for {
		if _, err := w.report(ctx); err != nil {
			return err
		}
		if w.events[ev] {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("payment %s has no %s event after %s waiting for %s", w.payment, ev, w.s.StepTimeout, what)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

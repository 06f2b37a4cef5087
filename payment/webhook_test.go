package payment_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"testing"

	"github.com/amanat/amn/db/dbtest"
	"github.com/amanat/amn/payment"
)

var webhookSecret = []byte("whsec-test-only")

func sign(body []byte) string {
	m := hmac.New(sha256.New, webhookSecret)
	m.Write(body)
	return hex.EncodeToString(m.Sum(nil))
}

func TestWebhookDeliveries(t *testing.T) {
	ctx := context.Background()
	poolFor = dbtest.Pool(t)
	s, _ := newService(t)
	p := create(t, s)
	w, err := payment.NewWebhooks(poolFor, webhookSecret)
	if err != nil {
		t.Fatal(err)
	}
	body := []byte(`{"event":"payment.confirmed","requestId":"01847474747474","paymentReference":"` + p.Reference.String() + `","txHash":"0xabc"}`)

	state := func() (deliveries, checks int, st payment.State) {
		if err := poolFor.QueryRow(ctx, `SELECT (SELECT count(*) FROM webhook_deliveries),
			(SELECT count(*) FROM river_job WHERE kind = 'payment_check' AND args->>'payment_id' = $1)`, p.ID.String()).Scan(&deliveries, &checks); err != nil {
			t.Fatal(err)
		}
		cur, err := s.Get(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		return deliveries, checks, cur.State
	}

	res, err := w.Receive(ctx, "delivery-1", sign(body), body)
	if err != nil || res.PaymentID != p.ID.String() || res.Event.Event != "payment.confirmed" {
		t.Fatalf("valid delivery: %+v, %v", res, err)
	}
	d, c, st := state()
	if d != 1 || c != 1 || st != payment.AwaitingPayment {
		t.Fatalf("after a valid delivery: %d deliveries, %d checks, state %s; want 1, 1, awaiting_payment (a hint never credits)", d, c, st)
	}

	big := []byte(`{"event":"payment.confirmed","requestId":"` + strings.Repeat("x", payment.MaxWebhookBody) + `"}`)
	for _, tc := range []struct {
		name     string
		delivery string
		sig      string
		body     []byte
		want     error
	}{
		{"wrong signature", "delivery-2", sign([]byte("other")), body, payment.ErrWebhookSignature},
		{"signature not hex", "delivery-2", "zz", body, payment.ErrWebhookSignature},
		{"missing signature", "delivery-2", "", body, payment.ErrWebhookUnsigned},
		{"replayed delivery", "delivery-1", sign(body), body, payment.ErrWebhookReplay},
		{"body over the limit", "delivery-3", sign(big), big, payment.ErrWebhookTooLarge},
		{"malformed JSON", "delivery-4", sign([]byte(`{"event":`)), []byte(`{"event":`), payment.ErrWebhookMalformed},
		{"unknown event", "delivery-5", sign([]byte(`{"event":"payment.stolen","requestId":"r"}`)), []byte(`{"event":"payment.stolen","requestId":"r"}`), payment.ErrWebhookMalformed},
		{"missing delivery id", "", sign(body), body, payment.ErrWebhookMalformed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := w.Receive(ctx, tc.delivery, tc.sig, tc.body)
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			if d, c, st := state(); d != 1 || c != 1 || st != payment.AwaitingPayment {
				t.Fatalf("a refused delivery changed things: %d deliveries, %d checks, state %s", d, c, st)
			}
		})
	}

	// A second, distinct delivery about the same payment is recorded but needs no second check.
	if _, err := w.Receive(ctx, "delivery-6", sign(body), body); err != nil {
		t.Fatal(err)
	}
	if d, c, _ := state(); d != 2 || c != 1 {
		t.Fatalf("second delivery: %d deliveries, %d checks; want 2 and 1", d, c)
	}
}

func FuzzParseWebhook(f *testing.F) {
	f.Add([]byte(`{"event":"payment.confirmed","requestId":"01847474747474","paymentReference":"a0098add01acc736"}`))
	f.Add([]byte(`{"event":"payment.partial","paymentReference":"zz"}`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`{"event":null}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		ev, err := payment.ParseWebhook(body)
		if err != nil {
			if !errors.Is(err, payment.ErrWebhookMalformed) && !errors.Is(err, payment.ErrWebhookTooLarge) {
				t.Fatalf("unexpected error kind: %v", err)
			}
			return
		}
		if !payment.WebhookEvents[ev.Event] || (ev.RequestID == "" && ev.PaymentReference == "") {
			t.Fatalf("accepted an invalid event: %+v", ev)
		}
		if ev.PaymentReference != "" {
			if _, err := payment.ParseReference(ev.PaymentReference); err != nil {
				t.Fatalf("accepted a bad reference %q", ev.PaymentReference)
			}
		}
	})
}

func FuzzVerifyWebhookSignature(f *testing.F) {
	f.Add([]byte(`{}`), "")
	f.Add([]byte(`{"event":"payment.confirmed"}`), "00")
	f.Fuzz(func(t *testing.T, body []byte, sig string) {
		err := payment.VerifyWebhookSignature(webhookSecret, body, sig)
		if (err == nil) != (sig != "" && hmac.Equal(mustHex(strings.TrimPrefix(strings.TrimSpace(sig), "sha256=")), mustHex(sign(body)))) {
			t.Fatalf("verify(%q, %q) = %v", body, sig, err)
		}
	})
}

func mustHex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		return nil
	}
	return b
}

package payment_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
	"time"

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
	body := []byte(`{"event":"payment.confirmed","requestId":"01847474747474","paymentReference":"` + p.Reference.String() +
		`","txHash":"0xabc","timestamp":"` + time.Now().UTC().Format(time.RFC3339) + `"}`)

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
		{"unknown event", "delivery-5", sign([]byte(`{"event":"payment.stolen","requestId":"r","timestamp":"2025-10-03T14:30:00Z"}`)),
			[]byte(`{"event":"payment.stolen","requestId":"r","timestamp":"2025-10-03T14:30:00Z"}`), payment.ErrWebhookMalformed},
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

// A delivery is signed with its timestamp (the body's, which Request Network's HMAC covers): a
// delivery captured and sent again later under a new delivery id is refused, as is one whose
// sender's clock is off; a fresh one is accepted; moving the timestamp breaks the signature.
// Nothing refused is recorded (issue #13 finding 12).
func TestWebhookReplayedUnderANewIDIsRefused(t *testing.T) {
	ctx := context.Background()
	poolFor = dbtest.Pool(t)
	s, _ := newService(t)
	p := create(t, s)
	w, err := payment.NewWebhooks(poolFor, webhookSecret)
	if err != nil {
		t.Fatal(err)
	}
	at := func(ts string) []byte {
		return []byte(`{"event":"payment.confirmed","requestId":"0151b394","paymentReference":"` + p.Reference.String() +
			`","timestamp":"` + ts + `"}`)
	}
	stamp := func(d time.Duration) string { return time.Now().Add(d).UTC().Format(time.RFC3339Nano) }
	recorded := func(id string) bool {
		var n int
		if err := poolFor.QueryRow(ctx, `SELECT count(*) FROM webhook_deliveries WHERE delivery_id = $1`, id).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n == 1
	}
	captured := at(stamp(-10 * time.Minute)) // signed by Request Network ten minutes ago
	ahead := at(stamp(10 * time.Minute))
	for _, tc := range []struct {
		name, id string
		body     []byte
		sig      string
		want     error
	}{
		{"captured, replayed under a new id", "replay-new-id", captured, sign(captured), payment.ErrWebhookStale},
		{"captured, its timestamp moved to now", "replay-moved", at(stamp(0)), sign(captured), payment.ErrWebhookSignature},
		{"sender's clock ten minutes ahead", "skewed-ahead", ahead, sign(ahead), payment.ErrWebhookStale},
		{"no timestamp", "no-timestamp", []byte(`{"event":"payment.failed","paymentReference":"` + p.Reference.String() + `"}`),
			sign([]byte(`{"event":"payment.failed","paymentReference":"` + p.Reference.String() + `"}`)), payment.ErrWebhookMalformed},
		{"timestamp not a time", "bad-timestamp", at("yesterday"), sign(at("yesterday")), payment.ErrWebhookMalformed},
	} {
		if _, err := w.Receive(ctx, tc.id, tc.sig, tc.body); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
		if recorded(tc.id) {
			t.Errorf("%s: the refused delivery was recorded", tc.name)
		}
	}
	for name, d := range map[string]time.Duration{"fresh": 0, "four minutes old": -4 * time.Minute, "clock a minute behind ours": time.Minute} {
		body := at(stamp(d))
		if _, err := w.Receive(ctx, "ok-"+name, sign(body), body); err != nil || !recorded("ok-"+name) {
			t.Errorf("%s delivery: %v", name, err)
		}
	}
}

func FuzzParseWebhook(f *testing.F) {
	f.Add([]byte(`{"event":"payment.confirmed","requestId":"01847474747474","paymentReference":"a0098add01acc736","timestamp":"2025-10-03T14:30:00Z"}`))
	f.Add([]byte(`{"event":"payment.confirmed","requestId":"01847474747474","paymentReference":"a0098add01acc736"}`))
	f.Add([]byte(`{"event":"payment.partial","requestId":"r","timestamp":"2025-10-03T14:30:00.123+02:00"}`))
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
		if !payment.WebhookEvents[ev.Event] || (ev.RequestID == "" && ev.PaymentReference == "") || ev.Timestamp.IsZero() {
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

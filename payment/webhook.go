package payment

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"

	"github.com/amanat/amn/db"
	"github.com/amanat/amn/kind"
)

// Request Network's hosted API calls us with these headers (docs.request.network, API reference,
// Webhooks: "Request Headers").
const (
	HeaderWebhookSignature = "x-request-network-signature" // hex HMAC-SHA256 of the raw body
	HeaderWebhookDelivery  = "x-request-network-delivery"  // unique per delivery: the idempotency key
	// MaxWebhookBody bounds what we read; real deliveries are a few hundred bytes.
	MaxWebhookBody = 64 << 10
	// WebhookWindow is how far a delivery's signed timestamp may be from our clock, either way.
	// Request Network retries a failed delivery after 1, 5 and 15 s, well inside it.
	WebhookWindow = 5 * time.Minute
)

// Webhook errors; each is a 4xx for the sender and changes nothing here.
var (
	ErrWebhookTooLarge  = kind.New(kind.Invalid, "webhook body too large")
	ErrWebhookUnsigned  = kind.New(kind.Refused, "webhook signature missing")
	ErrWebhookSignature = kind.New(kind.Refused, "webhook signature does not match")
	ErrWebhookMalformed = kind.New(kind.Invalid, "webhook body malformed")
	ErrWebhookReplay    = kind.New(kind.Conflict, "webhook delivery already received")
	ErrWebhookStale     = kind.New(kind.Refused, "webhook timestamp outside the accepted window")
)

// WebhookEvents are the events Request Network sends.
var WebhookEvents = map[string]bool{
	"payment.confirmed": true, "payment.partial": true, "payment.failed": true,
	"payment.refunded": true, "payment.processing": true,
}

// WebhookEvent is the part of a delivery we use. A webhook is a hint, never a credit: it only
// makes us look at the chain again.
//
// Timestamp is the body's own "timestamp" (ISO 8601, as Request Network documents it for its
// payment events). Request Network's signature header carries no timestamp: its HMAC covers the
// raw body only. The body's timestamp is therefore the signed one, and a delivery without it is
// refused: otherwise a captured delivery could be sent again, under a new delivery id, forever.
type WebhookEvent struct {
	Event            string    `json:"event"`
	RequestID        string    `json:"requestId"`
	PaymentReference string    `json:"paymentReference"`
	TxHash           string    `json:"txHash,omitempty"`
	Network          string    `json:"network,omitempty"`
	Timestamp        time.Time `json:"-"`
}

// VerifyWebhookSignature checks the hex HMAC-SHA256 of body under secret, in constant time.
func VerifyWebhookSignature(secret, body []byte, signature string) error {
	if signature == "" {
		return ErrWebhookUnsigned
	}
	got, err := hex.DecodeString(strings.TrimPrefix(strings.TrimSpace(signature), "sha256="))
	if err != nil {
		return ErrWebhookSignature
	}
	mac := hmac.New(sha256.New, secret)
	mac.Write(body)
	if !hmac.Equal(got, mac.Sum(nil)) {
		return ErrWebhookSignature
	}
	return nil
}

// ParseWebhook decodes and checks a delivery body.
func ParseWebhook(body []byte) (WebhookEvent, error) {
	var ev WebhookEvent
	if len(body) > MaxWebhookBody {
		return ev, ErrWebhookTooLarge
	}
	var doc struct {
		WebhookEvent
		Timestamp *string `json:"timestamp"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		return ev, fmt.Errorf("%w: %v", ErrWebhookMalformed, err)
	}
	ev = doc.WebhookEvent
	if doc.Timestamp == nil {
		return ev, fmt.Errorf("%w: no timestamp (the signed time of the delivery)", ErrWebhookMalformed)
	}
	at, err := time.Parse(time.RFC3339Nano, *doc.Timestamp)
	if err != nil {
		return ev, fmt.Errorf("%w: timestamp %q is not an ISO 8601 time", ErrWebhookMalformed, *doc.Timestamp)
	}
	ev.Timestamp = at
	if !WebhookEvents[ev.Event] {
		return ev, fmt.Errorf("%w: unknown event %q", ErrWebhookMalformed, ev.Event)
	}
	if ev.RequestID == "" && ev.PaymentReference == "" {
		return ev, fmt.Errorf("%w: names neither a request nor a payment reference", ErrWebhookMalformed)
	}
	if ev.PaymentReference != "" {
		if _, err := ParseReference(ev.PaymentReference); err != nil {
			return ev, fmt.Errorf("%w: payment reference: %v", ErrWebhookMalformed, err)
		}
	}
	return ev, nil
}

// CheckArgs asks for a payment to be checked against the chain. Jobs wait in the CheckQueue; the
// worker works them into rescan requests the payment's chain indexer carries out
// (indexer.CheckWorker).
type CheckArgs struct {
	PaymentID string `json:"payment_id" river:"unique"`
	Why       string `json:"why"`
}

// CheckQueue holds payment checks.
const CheckQueue = "payment_checks"

// Kind is the job's stable name.
func (CheckArgs) Kind() string { return "payment_check" }

// InsertOpts keep one waiting check per payment: many hints need one look at the chain.
func (CheckArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: CheckQueue, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// Webhooks takes Request Network deliveries: it verifies, de-duplicates and turns each into a
// check of the chain, in one transaction.
type Webhooks struct {
	pool   *pgxpool.Pool
	secret []byte
	jobs   *river.Client[pgx.Tx]
}

// NewWebhooks returns a receiver verifying with secret.
func NewWebhooks(pool *pgxpool.Pool, secret []byte) (*Webhooks, error) {
	if len(secret) == 0 {
		return nil, errors.New("webhooks: a secret is required")
	}
	return &Webhooks{pool: pool, secret: secret, jobs: insertOnly(pool)}, nil
}

// checkWindow refuses a delivery signed more than WebhookWindow away from now: a captured
// delivery replayed later under a new delivery id, or one from a sender whose clock is off.
func checkWindow(at, now time.Time) error {
	if d := now.Sub(at); d > WebhookWindow || d < -WebhookWindow {
		return fmt.Errorf("%w: signed at %s, %s from now (at most %s)", ErrWebhookStale,
			at.UTC().Format(time.RFC3339), d.Round(time.Second), WebhookWindow)
	}
	return nil
}

// WebhookResult says what a delivery led to.
type WebhookResult struct {
	Event     WebhookEvent
	PaymentID string // empty when the reference names no payment of ours
}

// Receive handles one delivery. It changes no payment state and no money: it records the delivery
// id and schedules a check of the payment it names. The signature covers the body and so its
// timestamp; a delivery signed outside WebhookWindow is refused before anything is recorded, and
// one inside it is refused if its delivery id was seen.
func (w *Webhooks) Receive(ctx context.Context, deliveryID, signature string, body []byte) (WebhookResult, error) {
	var res WebhookResult
	if len(body) > MaxWebhookBody {
		return res, ErrWebhookTooLarge
	}
	if err := VerifyWebhookSignature(w.secret, body, signature); err != nil {
		return res, err
	}
	ev, err := ParseWebhook(body)
	if err != nil {
		return res, err
	}
	if err := checkWindow(ev.Timestamp, time.Now()); err != nil {
		return res, err
	}
	res.Event = ev
	deliveryID = strings.TrimSpace(deliveryID)
	if deliveryID == "" || len(deliveryID) > 200 {
		return res, fmt.Errorf("%w: delivery id missing or too long", ErrWebhookMalformed)
	}
	err = db.InTx(ctx, w.pool, func(tx pgx.Tx) error {
		res.PaymentID = ""
		if ev.PaymentReference != "" {
			ref, _ := ParseReference(ev.PaymentReference)
			var id string
			err := tx.QueryRow(ctx, `SELECT id::text FROM payments WHERE reference = $1 ORDER BY created_at LIMIT 1`, ref[:]).Scan(&id)
			if err != nil && !errors.Is(err, pgx.ErrNoRows) {
				return err
			}
			res.PaymentID = id
		}
		tag, err := tx.Exec(ctx, `INSERT INTO webhook_deliveries (delivery_id, event, payment_ref) VALUES ($1, $2, $3)
			ON CONFLICT (delivery_id) DO NOTHING`, deliveryID, ev.Event, res.PaymentID)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return ErrWebhookReplay
		}
		if res.PaymentID == "" {
			return nil
		}
		_, err = w.jobs.InsertTx(ctx, tx, CheckArgs{PaymentID: res.PaymentID, Why: "webhook " + ev.Event}, nil)
		return err
	})
	return res, err
}

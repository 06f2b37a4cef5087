package notify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/amanat/amn/kind"
	"github.com/amanat/amn/realtime"
)

// Kind is what a notification tells. Clients word it in the reader's language from its Data.
type Kind string

// The kinds. The values are stored in notifications.kind and notification_prefs.kind, and are
// the API's: never rename them.
const (
	OfferAccepted   Kind = "offer.accepted"   // to the seller: the buyer accepted the offer
	OfferRejected   Kind = "offer.rejected"   // to a seller whose offer lost to the accepted one
	PaymentCredited Kind = "payment.credited" // to both: the buyer's payment is final (funded)
	DealShipped     Kind = "deal.shipped"     // to the buyer: the seller shipped
	DealDelivered   Kind = "deal.delivered"   // to both: delivered; the inspection period runs
	DealReminder    Kind = "deal.reminder"    // to the buyer: the inspection period ends soon
	DealReleased    Kind = "deal.released"    // to the seller: the escrow released the money
	DealCompleted   Kind = "deal.completed"   // to the buyer: the deal is complete
	DealRefunded    Kind = "deal.refunded"    // to both: the escrow refunded the buyer
	DisputeOpened   Kind = "dispute.opened"   // to the parties: a dispute froze the escrow
	DisputeResolved Kind = "dispute.resolved" // to the parties: the dispute is resolved
	DisputeReminder Kind = "dispute.reminder" // to a party that has not answered: its deadline is near
)

// rule is how a kind is sent: every kind is in-app; Email ones are mailed too, and Essential ones
// are mailed whatever the user's preferences say (they are about the user's money).
type rule struct{ email, essential bool }

// rules is the whole policy, readable in one screen. A kind not listed is not accepted.
var rules = map[Kind]rule{
	OfferAccepted:   {email: true},
	OfferRejected:   {},
	PaymentCredited: {email: true, essential: true},
	DealShipped:     {email: true},
	DealDelivered:   {},
	DealReminder:    {},
	DealReleased:    {email: true, essential: true},
	DealCompleted:   {},
	DealRefunded:    {},
	DisputeOpened:   {email: true, essential: true},
	DisputeResolved: {email: true, essential: true},
	DisputeReminder: {email: true, essential: true},
}

// Emailed reports whether k goes by email (to users who have not turned it off, for a
// non-essential kind).
func (k Kind) Emailed() bool { return rules[k].email }

// Essential reports whether k's email is sent whatever the preferences say.
func (k Kind) Essential() bool { return rules[k].essential }

// EmailKinds lists the kinds that go by email, in a stable order.
func EmailKinds() []Kind {
	return []Kind{OfferAccepted, PaymentCredited, DealShipped, DealReleased, DisputeOpened, DisputeResolved}
}

// The package's errors. Another user's notification is ErrNotFound: its existence never leaks.
var (
	ErrNotFound   = kind.New(kind.NotFound, "no such notification")
	ErrInvalid    = kind.New(kind.Invalid, "invalid notification")
	ErrEssential  = kind.New(kind.Refused, "essential notifications are always sent by email")
	ErrBadToken   = kind.New(kind.Invalid, "the unsubscribe link is not valid")
	ErrNoUnsubKey = kind.New(kind.Unavailable, "unsubscribe links are not configured on this server")
)

// MaxData bounds a notification's data (notifications.data checks the same): facts, not content.
const MaxData = 4096

// MaxPage bounds a page of the list.
const MaxPage = 100

// RealtimeEvent is the kind of the event a new notification publishes into its user's room;
// RealtimeRead is published when notifications are marked read (another tab's badge follows).
const (
	RealtimeEvent = "notification"
	RealtimeRead  = "notification.read"
)

// Note is a notification to write: to whom, what, and its facts (a small JSON object).
type Note struct {
	User uuid.UUID
	Kind Kind
	Data map[string]any
}

// Notification is one stored notification.
type Notification struct {
	ID        uuid.UUID
	UserID    uuid.UUID
	Kind      Kind
	Data      json.RawMessage
	CreatedAt time.Time
	ReadAt    *time.Time
}

// Config is the package's settings.
type Config struct {
	// UnsubscribeKey signs one-click unsubscribe links (HMAC-SHA256; at least MinKeyLen bytes). A
	// secret the API (which checks the links) and the worker (which writes them into mail) share.
	// Empty: no links; non-essential mail then waits (its jobs retry) and the API's unsubscribe
	// answers unavailable.
	UnsubscribeKey []byte
	// APIURL is the API's public base (https://api.example); unsubscribe links are
	// APIURL/v1/notifications/unsubscribe?token=…. The worker needs it.
	APIURL string
	// AppURL is the frontend's base; mail links to AppURL/requests/{id}. The worker needs it.
	AppURL string
}

// MinKeyLen is the shortest UnsubscribeKey accepted.
const MinKeyLen = 32

// Validate checks c.
func (c Config) Validate() error {
	if len(c.UnsubscribeKey) > 0 && len(c.UnsubscribeKey) < MinKeyLen {
		return fmt.Errorf("notify: the unsubscribe key must have at least %d bytes", MinKeyLen)
	}
	return nil
}

// Service writes and reads notifications.
type Service struct {
	pool *pgxpool.Pool
	cfg  Config
	jobs *river.Client[pgx.Tx]
	now  func() time.Time
}

// New returns the notifications on pool (amn_api or amn_worker).
func New(pool *pgxpool.Pool, cfg Config) (*Service, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	// Insert-only: no queues, no workers (the worker role's client works notify_email). Its own
	// log is silenced: a failed insert fails the caller's transaction, which reports it.
	jobs, err := river.NewClient(riverpgxv5.New(pool), &river.Config{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return nil, fmt.Errorf("notify: an insert-only River client: %w", err)
	}
	return &Service{pool: pool, cfg: cfg, jobs: jobs, now: time.Now}, nil
}

func (s *Service) clock() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

var dataKey = regexp.MustCompile(`^[a-zA-Z]{1,32}$`)

// Notify writes n in the caller's transaction tx: the notification, its event in the user's room
// (kind "notification": the notification and the unread count), and, when n's kind goes by email
// and the user has not turned it off (an essential kind always goes), its notify_email job. All of
// it commits or rolls back with tx.
func (s *Service) Notify(ctx context.Context, tx pgx.Tx, n Note) (*Notification, error) {
	if _, ok := rules[n.Kind]; !ok {
		return nil, fmt.Errorf("%w: unknown kind %.64q", ErrInvalid, n.Kind)
	}
	if n.User == uuid.Nil {
		return nil, fmt.Errorf("%w: no recipient", ErrInvalid)
	}
	data, err := encodeData(n.Data)
	if err != nil {
		return nil, err
	}
	out := &Notification{ID: uuid.New(), UserID: n.User, Kind: n.Kind, Data: data, CreatedAt: s.clock()}
	if _, err := tx.Exec(ctx, insertNotification, out.ID, out.UserID, string(out.Kind), data, out.CreatedAt); err != nil {
		return nil, fmt.Errorf("notify: saving a notification: %w", err)
	}
	var unread int
	if err := tx.QueryRow(ctx, unreadCount, n.User).Scan(&unread); err != nil {
		return nil, err
	}
	if _, err := realtime.Publish(ctx, tx, realtime.UserRoom(n.User), RealtimeEvent, map[string]any{
		"id": out.ID, "kind": out.Kind, "data": out.Data, "createdAt": out.CreatedAt, "unread": unread,
	}); err != nil {
		return nil, err
	}
	if err := s.queueEmail(ctx, tx, out); err != nil {
		return nil, err
	}
	return out, nil
}

// queueEmail inserts n's notify_email job in tx when n's kind goes by email and its user wants it.
func (s *Service) queueEmail(ctx context.Context, tx pgx.Tx, n *Notification) error {
	if !n.Kind.Emailed() {
		return nil
	}
	if !n.Kind.Essential() {
		var want bool
		if err := tx.QueryRow(ctx, emailPref, n.UserID, string(n.Kind)).Scan(&want); err != nil {
			return err
		}
		if !want {
			return nil
		}
	}
	_, err := s.jobs.InsertTx(ctx, tx, EmailArgs{Notification: n.ID, User: n.UserID, What: n.Kind, Data: n.Data, CreatedAt: n.CreatedAt}, nil)
	if err != nil {
		return fmt.Errorf("notify: queue email: %w", err)
	}
	return nil
}

func scanNotification(row pgx.Row) (*Notification, error) {
	var n Notification
	var k string
	err := row.Scan(&n.ID, &n.UserID, &k, &n.Data, &n.CreatedAt, &n.ReadAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	n.Kind = Kind(k)
	return &n, nil
}

// encodeData checks a notification's data (keys as dataKey allows, at most MaxData bytes of
// JSON; nil is an empty object) and returns it as stored.
func encodeData(d map[string]any) ([]byte, error) {
	if d == nil {
		d = map[string]any{}
	}
	for k := range d {
		if !dataKey.MatchString(k) {
			return nil, fmt.Errorf("%w: data key %.40q", ErrInvalid, k)
		}
	}
	data, err := json.Marshal(d)
	if err != nil {
		return nil, fmt.Errorf("%w: data: %v", ErrInvalid, err)
	}
	if len(data) > MaxData {
		return nil, fmt.Errorf("%w: data over %d bytes", ErrInvalid, MaxData)
	}
	return data, nil
}

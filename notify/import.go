package notify

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// The legacy MongoDB import's entry point (package migrate/mongo calls it in its per-document
// transaction): an old notification becomes a row of its user's list, as history. It is written
// alone: no realtime event, no mail (Notify is what tells a user of something new; an imported
// notification is not new). Its read flag is kept, and a notification read here stays read.

// Legacy is the kind of an old notification whose type has no kind here; its data carries the
// old type, title and message (clients show a generic line for it).
const Legacy Kind = "legacy"

// LegacyKinds maps the old Notification types that have a kind here; any other type is Legacy.
var LegacyKinds = map[string]Kind{
	"offer_accepted":    OfferAccepted,
	"offer_rejected":    OfferRejected,
	"payment_received":  PaymentCredited,
	"payment_confirmed": PaymentCredited,
	"order_shipped":     DealShipped,
	"order_delivered":   DealDelivered,
	"payment_released":  DealReleased,
	"order_completed":   DealCompleted,
	"payment_refunded":  DealRefunded,
	"dispute_opened":    DisputeOpened,
	"dispute_resolved":  DisputeResolved,
}

// LegacyKind is the kind an old notification type becomes.
func LegacyKind(oldType string) Kind {
	if k, ok := LegacyKinds[oldType]; ok {
		return k
	}
	return Legacy
}

// ImportedNotification is a notification of the legacy store, its user resolved.
type ImportedNotification struct {
	ID        uuid.UUID
	User      uuid.UUID
	Kind      Kind
	Data      map[string]any // keys of letters only, as Notify's
	CreatedAt time.Time
	ReadAt    *time.Time // nil: unread
}

const (
	importNotification = `INSERT INTO notifications (id, user_id, kind, data, created_at, read_at) VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, data = excluded.data,
		read_at = coalesce(notifications.read_at, excluded.read_at)
		WHERE notifications.user_id = excluded.user_id
		RETURNING id`
	importedNotifications = `SELECT count(*), count(read_at) FROM notifications WHERE id = ANY($1::uuid[])`
)

// ImportNotification writes (or on a rerun updates) an old notification in tx, and nothing else.
// A kind neither of this package's nor Legacy, a data key or size Notify would refuse, or an id
// another user's notification has, is ErrInvalid.
func ImportNotification(ctx context.Context, tx pgx.Tx, n ImportedNotification) error {
	data, err := checkImported(n)
	if err != nil {
		return err
	}
	var readAt *time.Time
	if n.ReadAt != nil {
		t := n.ReadAt.UTC()
		readAt = &t
	}
	var id uuid.UUID
	err = tx.QueryRow(ctx, importNotification, n.ID, n.User, string(n.Kind), data, n.CreatedAt.UTC(), readAt).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("%w: notification %s is another user's", ErrInvalid, n.ID)
	}
	if err != nil {
		return fmt.Errorf("notify: import notification: %w", err)
	}
	return nil
}

// CheckImported says what ImportNotification would refuse of n, without writing.
func CheckImported(n ImportedNotification) error {
	_, err := checkImported(n)
	return err
}

// checkImported checks n and returns its data as stored.
func checkImported(n ImportedNotification) ([]byte, error) {
	if _, ok := rules[n.Kind]; !ok && n.Kind != Legacy {
		return nil, fmt.Errorf("%w: unknown kind %.64q", ErrInvalid, n.Kind)
	}
	if n.ID == uuid.Nil || n.User == uuid.Nil || n.CreatedAt.IsZero() {
		return nil, fmt.Errorf("%w: a notification needs its id, user and time", ErrInvalid)
	}
	return encodeData(n.Data)
}

// ImportedTotals counts the notifications among ids and how many of them are read (the import's
// verification).
func ImportedTotals(ctx context.Context, tx pgx.Tx, ids []uuid.UUID) (n, read int64, err error) {
	err = tx.QueryRow(ctx, importedNotifications, ids).Scan(&n, &read)
	return n, read, err
}

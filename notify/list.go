package notify

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/amanat/amn/db"
	"github.com/amanat/amn/realtime"
)

// Cursor is where a page of the list starts: after the notification (CreatedAt, ID), newest first.
type Cursor struct {
	CreatedAt time.Time
	ID        uuid.UUID
}

// List is a page of user's notifications, newest first, after cursor (nil: from the newest), at
// most n (1 to MaxPage), and the cursor of the next page (nil on the last).
func (s *Service) List(ctx context.Context, user uuid.UUID, after *Cursor, n int) ([]Notification, *Cursor, error) {
	if n < 1 || n > MaxPage {
		return nil, nil, fmt.Errorf("%w: a page is 1 to %d notifications", ErrInvalid, MaxPage)
	}
	var at *time.Time
	var id uuid.UUID
	if after != nil {
		at, id = &after.CreatedAt, after.ID
	}
	rows, err := s.pool.Query(ctx, listNotifications, user, at, id, n+1)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	out := []Notification{}
	for rows.Next() {
		x, err := scanNotification(rows)
		if err != nil {
			return nil, nil, err
		}
		out = append(out, *x)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	if len(out) <= n {
		return out, nil, nil
	}
	out = out[:n]
	last := out[n-1]
	return out, &Cursor{CreatedAt: last.CreatedAt, ID: last.ID}, nil
}

// Unread counts user's unread notifications.
func (s *Service) Unread(ctx context.Context, user uuid.UUID) (int, error) {
	var n int
	err := s.pool.QueryRow(ctx, unreadCount, user).Scan(&n)
	return n, err
}

// MarkRead marks user's notification id read (a second mark changes nothing) and returns it with
// the user's unread count. Another user's notification is ErrNotFound, and stays unread.
func (s *Service) MarkRead(ctx context.Context, user, id uuid.UUID) (*Notification, int, error) {
	var n *Notification
	var unread int
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		var err error
		if n, err = scanNotification(tx.QueryRow(ctx, markRead, id, user, s.clock())); err != nil {
			return err
		}
		unread, err = s.published(ctx, tx, user, map[string]any{"id": id})
		return err
	})
	if err != nil {
		return nil, 0, err
	}
	return n, unread, nil
}

// MarkAllRead marks every unread notification of user read; it returns how many it marked.
func (s *Service) MarkAllRead(ctx context.Context, user uuid.UUID) (int, error) {
	var marked int
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, markAllRead, user, s.clock())
		if err != nil {
			return err
		}
		marked = int(tag.RowsAffected())
		if marked == 0 {
			return nil
		}
		_, err = s.published(ctx, tx, user, map[string]any{"all": true})
		return err
	})
	return marked, err
}

// published tells user's room that notifications were read (with the unread count left), in tx.
func (s *Service) published(ctx context.Context, tx pgx.Tx, user uuid.UUID, ev map[string]any) (int, error) {
	var unread int
	if err := tx.QueryRow(ctx, unreadCount, user).Scan(&unread); err != nil {
		return 0, err
	}
	ev["unread"] = unread
	_, err := realtime.Publish(ctx, tx, realtime.UserRoom(user), RealtimeRead, ev)
	return unread, err
}

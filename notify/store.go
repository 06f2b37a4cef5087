package notify

// The statements of package notify, on its own tables (migration 00045): notifications,
// notification_prefs. No other package's SQL names them.
const (
	// notificationColumns are what scanNotification reads.
	notificationColumns = `id, user_id, kind, data, created_at, read_at`
	// insertNotification stores a new notification.
	insertNotification = `INSERT INTO notifications (id, user_id, kind, data, created_at) VALUES ($1, $2, $3, $4, $5)`
	// listNotifications is a user's page, newest first, after the cursor ($2, $3) when $2 is set.
	listNotifications = `SELECT ` + notificationColumns + ` FROM notifications
		WHERE user_id = $1 AND ($2::timestamptz IS NULL OR (created_at, id) < ($2, $3::uuid))
		ORDER BY created_at DESC, id DESC LIMIT $4`
	// unreadCount counts a user's unread notifications.
	unreadCount = `SELECT count(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL`
	// markRead marks one of a user's notifications read (once: a second mark keeps the first
	// time) and returns it; another user's id matches nothing.
	markRead = `UPDATE notifications SET read_at = coalesce(read_at, $3) WHERE id = $1 AND user_id = $2
		RETURNING ` + notificationColumns
	// markAllRead marks every unread notification of a user read.
	markAllRead = `UPDATE notifications SET read_at = $2 WHERE user_id = $1 AND read_at IS NULL`

	// emailPref is a user's choice for a kind by email; no row is the default (on).
	emailPref = `SELECT coalesce((SELECT email FROM notification_prefs WHERE user_id = $1 AND kind = $2), true)`
	// userPrefs lists a user's rows.
	userPrefs = `SELECT kind, email FROM notification_prefs WHERE user_id = $1`
	// setPref records a user's choice for a kind.
	setPref = `INSERT INTO notification_prefs (user_id, kind, email, updated_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (user_id, kind) DO UPDATE SET email = excluded.email, updated_at = excluded.updated_at`
)

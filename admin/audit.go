package admin

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// Entry is one row of admin_audit: who did what to which target, when, from where, and how it
// ended (refused calls are entries too).
type Entry struct {
	ID        int64
	At        time.Time
	UserID    uuid.UUID // zero when no valid token came
	Operation string    // the API's operationId, e.g. adminReleasePayment
	Target    string    // what it was done to, e.g. "payment 0d5e…"
	ClientIP  string
	UserAgent string
	Status    int    // the HTTP status answered
	Outcome   string // "ok" or the error code
	RequestID string
}

// The statements on admin_audit, the table this package owns. There is no UPDATE or DELETE: the
// table is append-only, and amn_api may not change it.
const (
	insertAuditSQL = `INSERT INTO admin_audit (user_id, operation, target, client_ip, user_agent, status, outcome, request_id)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`
	// listAuditSQL pages newest first by (at, id).
	listAuditSQL = `SELECT id, at, coalesce(user_id, '00000000-0000-0000-0000-000000000000'), operation, target, client_ip,
		user_agent, status, outcome, request_id FROM admin_audit
		WHERE ($1::timestamptz IS NULL OR (at, id) < ($1, $2))
		AND ($3::uuid IS NULL OR user_id = $3)
		ORDER BY at DESC, id DESC LIMIT $4`
)

// Record appends e (its ID and At are the database's).
func (s *Service) Record(ctx context.Context, e Entry) error {
	var user any
	if e.UserID != uuid.Nil {
		user = e.UserID
	}
	_, err := s.pool.Exec(ctx, insertAuditSQL, user, clip(e.Operation, 100), clip(e.Target, 300), clip(e.ClientIP, 64),
		clip(e.UserAgent, 300), e.Status, clip(e.Outcome, 64), clip(e.RequestID, 100))
	return err
}

// AuditFilter pages the audit: entries before (BeforeAt, BeforeID), of UserID when set.
type AuditFilter struct {
	BeforeAt time.Time
	BeforeID int64
	UserID   uuid.UUID
	Limit    int // 1–1000; 0 is 20
}

// Audit lists entries newest first.
func (s *Service) Audit(ctx context.Context, f AuditFilter) ([]Entry, error) {
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 20
	}
	var at, user any
	if !f.BeforeAt.IsZero() {
		at = f.BeforeAt
	}
	if f.UserID != uuid.Nil {
		user = f.UserID
	}
	rows, err := s.pool.Query(ctx, listAuditSQL, at, f.BeforeID, user, f.Limit)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Entry, error) {
		var e Entry
		err := r.Scan(&e.ID, &e.At, &e.UserID, &e.Operation, &e.Target, &e.ClientIP, &e.UserAgent, &e.Status, &e.Outcome, &e.RequestID)
		return e, err
	})
}

// clip keeps s within n bytes (what the table's checks allow), on a rune boundary.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n]
}

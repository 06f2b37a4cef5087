package auth

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/amanat/amn/auth/internal/authdb"
)

// Why a session ended (auth_sessions.revoked_reason).
const (
	revokedLogout    = "logout"
	revokedLogoutAll = "logout_all"
	revokedByUser    = "revoked"
	revokedReuse     = "reuse"
	revokedBanned    = "banned"
	// revokedEmailVerified: a session from before the account's email was first proved
	// (firstVerification; migration 00028 adds the reason).
	revokedEmailVerified = "email_verified"
)

// Refresh trades a refresh token for new tokens of the same session. A refresh token works once:
// it is marked used in the transaction that issues the next one, its row locked so that of two
// concurrent uses exactly one wins. A token used a second time means it was copied: its whole
// session is revoked (reason "reuse"), the tokens issued from the first use included.
//
// An unknown, expired or revoked token or session is ErrRefreshInvalid; a banned user's is
// ErrBanned. Refresh moves the session's last_used_at; the session's own expiry does not move
// (a session lives at most RefreshTTL from its sign-in).
func (s *Service) Refresh(ctx context.Context, refreshToken string) (Session, error) {
	var (
		out    Session
		reused bool
	)
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var err error
		out, reused, err = s.rotate(ctx, s.q.WithTx(tx), hashToken(refreshToken))
		return err
	})
	if err != nil {
		return Session{}, err
	}
	if reused {
		return Session{}, ErrRefreshInvalid
	}
	return out, nil
}

// rotate is Refresh in a transaction. A reuse commits the session's revocation and reports
// reused (not an error, which would roll it back).
func (s *Service) rotate(ctx context.Context, q *authdb.Queries, hash []byte) (Session, bool, error) {
	row, err := q.RefreshTokenForUpdate(ctx, hash)
	if errors.Is(err, pgx.ErrNoRows) {
		return Session{}, false, ErrRefreshInvalid
	}
	if err != nil {
		return Session{}, false, wrapDB("read refresh token", err)
	}
	now := s.now()
	switch {
	case row.RevokedAt != nil:
		return Session{}, false, ErrRefreshInvalid
	case row.UsedAt != nil:
		_, err := q.RevokeSession(ctx, authdb.RevokeSessionParams{
			Now: now, Reason: revokedReuse, ID: row.SessionID, UserID: row.UserID,
		})
		if err != nil {
			return Session{}, false, wrapDB("revoke reused session", err)
		}
		return Session{}, true, nil
	case !row.ExpiresAt.After(now), !row.SessionExpiresAt.After(now):
		return Session{}, false, ErrRefreshInvalid
	case row.Status != string(StatusActive):
		return Session{}, false, ErrBanned
	}
	if err := q.MarkRefreshTokenUsed(ctx, authdb.MarkRefreshTokenUsedParams{TokenHash: hash, Now: now}); err != nil {
		return Session{}, false, wrapDB("mark refresh token used", err)
	}
	if err := q.TouchSession(ctx, authdb.TouchSessionParams{ID: row.SessionID, Now: now}); err != nil {
		return Session{}, false, wrapDB("touch session", err)
	}
	u, err := s.user(ctx, q, row.UserID)
	if err != nil {
		return Session{}, false, err
	}
	out := Session{ID: row.SessionID, User: u}
	if err := s.issue(ctx, q, &out, now); err != nil {
		return Session{}, false, err
	}
	// The next token lives no longer than its session.
	if out.RefreshTokenExpiresAt.After(row.SessionExpiresAt) {
		out.RefreshTokenExpiresAt = row.SessionExpiresAt
	}
	return out, false, nil
}

// Logout revokes the session p speaks for.
func (s *Service) Logout(ctx context.Context, p Principal) error {
	n, err := s.q.RevokeSession(ctx, authdb.RevokeSessionParams{
		Now: s.now(), Reason: revokedLogout, ID: p.SessionID, UserID: p.UserID,
	})
	if err != nil {
		return wrapDB("revoke session", err)
	}
	if n == 0 {
		return ErrUnauthenticated
	}
	return nil
}

// LogoutAll revokes every session of p's user, p's own included.
func (s *Service) LogoutAll(ctx context.Context, p Principal) error {
	if _, err := s.q.RevokeUserSessions(ctx, authdb.RevokeUserSessionsParams{
		Now: s.now(), Reason: revokedLogoutAll, UserID: p.UserID,
	}); err != nil {
		return wrapDB("revoke sessions", err)
	}
	return nil
}

// RevokeSession revokes one of userID's live sessions. A session of another user is ErrNotFound,
// exactly as an unknown one: nobody learns which session ids exist.
func (s *Service) RevokeSession(ctx context.Context, userID, sessionID uuid.UUID) error {
	n, err := s.q.RevokeSession(ctx, authdb.RevokeSessionParams{
		Now: s.now(), Reason: revokedByUser, ID: sessionID, UserID: userID,
	})
	if err != nil {
		return wrapDB("revoke session", err)
	}
	if n == 0 {
		return ErrNotFound
	}
	return nil
}

// SessionInfo is a live session as its user sees it.
type SessionInfo struct {
	ID                uuid.UUID
	Method            Method
	UserAgent, IP     string
	CreatedAt, LastAt time.Time
}

// ListSessions returns a page of userID's live sessions, newest first, and the key to pass as
// the next page's After (nil on the last page).
func (s *Service) ListSessions(ctx context.Context, userID uuid.UUID, page Page) ([]SessionInfo, *PageKey, error) {
	k, lim := page.bounds()
	rows, err := s.q.ListLiveSessions(ctx, authdb.ListLiveSessionsParams{
		UserID: userID, Now: s.now(), BeforeCreated: k.CreatedAt, BeforeID: k.ID, Lim: lim,
	})
	if err != nil {
		return nil, nil, wrapDB("list sessions", err)
	}
	rows, next := cut(rows, lim, func(r authdb.ListLiveSessionsRow) PageKey { return PageKey{r.CreatedAt, r.ID} })
	out := make([]SessionInfo, len(rows))
	for i, r := range rows {
		out[i] = SessionInfo{ID: r.ID, Method: Method(r.Method), UserAgent: r.UserAgent, IP: r.Ip,
			CreatedAt: r.CreatedAt, LastAt: r.LastUsedAt}
	}
	return out, next, nil
}

package auth

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/amanat/amn/auth/internal/authdb"
	"github.com/amanat/amn/kind"
)

// UserFilter narrows ListUsers; zero fields match every user.
type UserFilter struct {
	Role   Role
	Status Status
	Email  string // exact, case-insensitive
}

// Errors of account administration.
var (
	ErrSelfAdmin     = kind.New(kind.Refused, "an admin cannot ban or demote themselves")
	ErrLastAdmin     = kind.New(kind.Refused, "the last active admin cannot be banned or demoted")
	ErrReasonMissing = kind.New(kind.Invalid, "a reason is required")
	ErrBadRole       = kind.New(kind.Invalid, "unknown role or status")
)

// UserActor is the audit actor for an admin acting through the API.
func UserActor(id uuid.UUID) string { return "user:" + id.String() }

// ListUsers returns a page of users, newest first, and the key of the next page (nil on the last).
func (s *Service) ListUsers(ctx context.Context, f UserFilter, page Page) ([]User, *PageKey, error) {
	k, lim := page.bounds()
	p := authdb.ListUsersParams{BeforeCreated: k.CreatedAt, BeforeID: k.ID, Lim: lim}
	if f.Role != "" {
		p.Role = ptr(string(f.Role))
	}
	if f.Status != "" {
		p.Status = ptr(string(f.Status))
	}
	if f.Email != "" {
		p.Email = ptr(strings.ToLower(strings.TrimSpace(f.Email)))
	}
	rows, err := s.q.ListUsers(ctx, p)
	if err != nil {
		return nil, nil, wrapDB("list users", err)
	}
	rows, next := cut(rows, lim, func(u authdb.User) PageKey { return PageKey{u.CreatedAt, u.ID} })
	ids := make([]uuid.UUID, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	idents, err := s.q.IdentityProvidersOfUsers(ctx, ids)
	if err != nil {
		return nil, nil, wrapDB("read identities", err)
	}
	providers := map[uuid.UUID][]string{}
	for _, i := range idents {
		providers[i.UserID] = append(providers[i.UserID], i.Provider)
	}
	out := make([]User, len(rows))
	for i, r := range rows {
		out[i] = userFromRow(r, providers[r.ID])
	}
	return out, next, nil
}

// SetStatus bans or unbans a user, audited with actor and reason (required). A ban revokes every
// session of the user in the same transaction. An admin cannot ban themselves, and the last active
// admin cannot be banned.
func (s *Service) SetStatus(ctx context.Context, actor string, userID uuid.UUID, status Status, reason string) (User, error) {
	return s.setStatusOn(ctx, s.pool, actor, userID, status, reason)
}

// setStatusOn is SetStatus in a transaction of on (the pool, or the caller's transaction: a
// savepoint in it).
func (s *Service) setStatusOn(ctx context.Context, on beginner, actor string, userID uuid.UUID, status Status, reason string) (User, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return User{}, ErrReasonMissing
	}
	if !plainText(reason, true) {
		return User{}, ErrTextInvalid
	}
	if status != StatusActive && status != StatusBanned {
		return User{}, ErrBadRole
	}
	var out User
	err := s.adminTxOn(ctx, on, actor, userID, func(q *authdb.Queries, cur authdb.User) error {
		if status == StatusBanned {
			if err := s.keepAnAdmin(ctx, q, actor, cur); err != nil {
				return err
			}
		}
		if _, err := q.SetUserStatus(ctx, authdb.SetUserStatusParams{Status: string(status), Now: s.now(), ID: userID}); err != nil {
			return wrapDB("set status", err)
		}
		if status == StatusBanned {
			if _, err := q.RevokeUserSessions(ctx, authdb.RevokeUserSessionsParams{Now: s.now(), Reason: revokedBanned, UserID: userID}); err != nil {
				return wrapDB("revoke sessions", err)
			}
		}
		action := "unban"
		if status == StatusBanned {
			action = "ban"
		}
		if err := audit(ctx, q, actor, userID, action, map[string]any{"from": cur.Status, "to": status}, reason); err != nil {
			return err
		}
		var err error
		out, err = s.user(ctx, q, userID)
		return err
	})
	return out, err
}

// SetRoles sets a user's roles, audited with actor. An admin cannot take admin from themselves,
// and the last active admin keeps it.
func (s *Service) SetRoles(ctx context.Context, actor string, userID uuid.UUID, rs []Role) (User, error) {
	for _, r := range rs {
		if r != RoleAdmin && r != RoleBuyer && r != RoleSeller {
			return User{}, ErrBadRole
		}
	}
	var out User
	err := s.adminTx(ctx, actor, userID, func(q *authdb.Queries, cur authdb.User) error {
		if slices.Contains(cur.Roles, string(RoleAdmin)) && !slices.Contains(rs, RoleAdmin) {
			if err := s.keepAnAdmin(ctx, q, actor, cur); err != nil {
				return err
			}
		}
		next := roleStrings(rs)
		if _, err := q.SetUserRoles(ctx, authdb.SetUserRolesParams{Roles: next, Now: s.now(), ID: userID}); err != nil {
			return wrapDB("set roles", err)
		}
		if err := audit(ctx, q, actor, userID, "roles", map[string]any{"from": cur.Roles, "to": next}, ""); err != nil {
			return err
		}
		var err error
		out, err = s.user(ctx, q, userID)
		return err
	})
	return out, err
}

// adminTx runs fn in a transaction with the active admins and then the user locked (in that
// order, always, so that two admins acting at once cannot deadlock or both remove the last admin).
func (s *Service) adminTx(ctx context.Context, actor string, userID uuid.UUID, fn func(*authdb.Queries, authdb.User) error) error {
	return s.adminTxOn(ctx, s.pool, actor, userID, fn)
}

// beginner is a pool or a transaction (whose Begin is a savepoint).
type beginner interface {
	Begin(ctx context.Context) (pgx.Tx, error)
}

func (s *Service) adminTxOn(ctx context.Context, on beginner, actor string, userID uuid.UUID, fn func(*authdb.Queries, authdb.User) error) error {
	if actor == "" {
		return errors.New("auth: an admin action needs an actor")
	}
	return pgx.BeginFunc(ctx, on, func(tx pgx.Tx) error {
		q := s.q.WithTx(tx)
		if _, err := q.LockActiveAdmins(ctx); err != nil {
			return wrapDB("lock admins", err)
		}
		cur, err := q.UserForUpdate(ctx, userID)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return wrapDB("read user", err)
		}
		return fn(q, cur)
	})
}

// keepAnAdmin refuses to ban or demote cur when the actor is cur, or cur is the last active admin.
func (s *Service) keepAnAdmin(ctx context.Context, q *authdb.Queries, actor string, cur authdb.User) error {
	if actor == UserActor(cur.ID) {
		return ErrSelfAdmin
	}
	if !slices.Contains(cur.Roles, string(RoleAdmin)) || cur.Status != string(StatusActive) {
		return nil
	}
	admins, err := q.LockActiveAdmins(ctx)
	if err != nil {
		return wrapDB("count admins", err)
	}
	if len(admins) <= 1 {
		return ErrLastAdmin
	}
	return nil
}

func audit(ctx context.Context, q *authdb.Queries, actor string, userID uuid.UUID, action string, detail map[string]any, reason string) error {
	d, err := json.Marshal(detail)
	if err != nil {
		return err
	}
	if err := q.InsertAudit(ctx, authdb.InsertAuditParams{Actor: actor, UserID: userID, Action: action, Detail: d, Reason: reason}); err != nil {
		return wrapDB("audit", err)
	}
	return nil
}

func ptr[T any](v T) *T { return &v }

// CreateAdmin makes a verified admin account with a password (checked for strength) and audits
// it: how the first admin is made (`amn users create-admin`).
func (s *Service) CreateAdmin(ctx context.Context, actor, email, password string) (User, error) {
	if err := CheckPasswordStrength(password, email); err != nil {
		return User{}, err
	}
	hash, err := s.pw.hasher.hash(password)
	if err != nil {
		return User{}, err
	}
	var out User
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		q := s.q.WithTx(tx)
		out, err = s.createUser(ctx, q, NewUser{Email: email, EmailVerified: true, PasswordHash: hash, Roles: []Role{RoleAdmin}})
		if err != nil {
			return err
		}
		return audit(ctx, q, actor, out.ID, "create_admin", nil, "")
	})
	return out, err
}

// Ban bans user for a process other than an admin's request (a dispute's ban_seller resolution,
// actor naming the case): SetStatus to banned, audited with actor and reason; the user's sessions
// are revoked, so sign-in and every authenticated call (offers included) are refused. Banning a
// banned user again only audits it again.
func (s *Service) Ban(ctx context.Context, actor string, user uuid.UUID, reason string) error {
	_, err := s.SetStatus(ctx, actor, user, StatusBanned, reason)
	return err
}

// BanTx is Ban inside the caller's transaction tx: a dispute's ban_seller resolution bans the
// seller, revokes the sessions and audits it in the case's transaction, with its refund.
func (s *Service) BanTx(ctx context.Context, tx pgx.Tx, actor string, user uuid.UUID, reason string) error {
	_, err := s.setStatusOn(ctx, tx, actor, user, StatusBanned, reason)
	return err
}

// IsAdmin reports whether user is an active admin (a case is given only to one).
func (s *Service) IsAdmin(ctx context.Context, user uuid.UUID) (bool, error) {
	u, err := s.User(ctx, user)
	if errors.Is(err, ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return u.Status == StatusActive && slices.Contains(u.Roles, RoleAdmin), nil
}

package auth

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/amanat/amn/auth/internal/authdb"
	"github.com/amanat/amn/kind"
)

// Account administration, shared by the API's admin operations and `amn users`. Every change
// writes an auth_audit row naming its actor ("user:<id>" for an admin, "cli:<os user>" for the
// command line).

// ErrReasonRequired: a ban or unban without a reason.
var ErrReasonRequired = kind.New(kind.Invalid, "a reason is required")

// SetStatus bans or unbans a user. A ban revokes every session of the user (reason banned).
func (s *Service) SetStatus(ctx context.Context, actor string, userID uuid.UUID, status Status, reason string) (User, error) {
	if status != StatusActive && status != StatusBanned {
		return User{}, kind.New(kind.Invalid, "unknown status")
	}
	if reason == "" {
		return User{}, ErrReasonRequired
	}
	action := "unban"
	if status == StatusBanned {
		action = "ban"
	}
	return s.adminChange(ctx, actor, userID, action, reason, map[string]any{"status": status}, func(q *authdb.Queries) (authdb.User, error) {
		row, err := q.SetUserStatus(ctx, authdb.SetUserStatusParams{ID: userID, Status: string(status)})
		if err != nil || status != StatusBanned {
			return row, err
		}
		why := "banned"
		_, err = q.RevokeUserSessions(ctx, authdb.RevokeUserSessionsParams{Now: ptr(s.now()), Reason: &why, UserID: userID, Keep: uuid.Nil})
		return row, err
	})
}

// SetRoles replaces a user's roles.
func (s *Service) SetRoles(ctx context.Context, actor string, userID uuid.UUID, roles []Role) (User, error) {
	for _, r := range roles {
		if r != RoleAdmin && r != RoleBuyer && r != RoleSeller {
			return User{}, kind.New(kind.Invalid, "unknown role")
		}
	}
	rs := roleStrings(roles)
	return s.adminChange(ctx, actor, userID, "roles", "", map[string]any{"roles": rs}, func(q *authdb.Queries) (authdb.User, error) {
		return q.SetUserRoles(ctx, authdb.SetUserRolesParams{ID: userID, Roles: rs})
	})
}

// adminChange runs change and writes its audit row in one transaction.
func (s *Service) adminChange(ctx context.Context, actor string, userID uuid.UUID, action, reason string, detail map[string]any,
	change func(q *authdb.Queries) (authdb.User, error)) (User, error) {
	raw, err := json.Marshal(detail)
	if err != nil {
		return User{}, err
	}
	var out User
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		q := s.q.WithTx(tx)
		row, err := change(q)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return wrapDB(action, err)
		}
		if err := q.AddAudit(ctx, authdb.AddAuditParams{Actor: actor, UserID: userID, Action: action, Detail: raw, Reason: reason}); err != nil {
			return wrapDB("audit", err)
		}
		out, err = s.user(ctx, q, row.ID)
		return err
	})
	return out, err
}

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
		return q.AddAudit(ctx, authdb.AddAuditParams{Actor: actor, UserID: out.ID, Action: "create_admin", Detail: []byte("{}")})
	})
	return out, err
}

// UserFilter narrows ListUsers; empty fields do not filter.
type UserFilter struct {
	Role   Role
	Status Status
}

// Page is a cursor page: After is the last item's cursor of the previous page ("" for the first).
type Page struct {
	After string
	Limit int // 1..200; 0 is 50
}

// ListUsers lists users newest first; next is the cursor of the page after, "" at the end.
func (s *Service) ListUsers(ctx context.Context, f UserFilter, p Page) (users []User, next string, err error) {
	if p.Limit <= 0 {
		p.Limit = 50
	}
	p.Limit = min(p.Limit, 200)
	params := authdb.ListUsersParams{MaxRows: int32(p.Limit + 1)}
	if f.Role != "" {
		params.Role = ptr(string(f.Role))
	}
	if f.Status != "" {
		params.Status = ptr(string(f.Status))
	}
	if p.After != "" {
		at, id, err := parseUserCursor(p.After)
		if err != nil {
			return nil, "", err
		}
		params.BeforeCreated, params.BeforeID = &at, uuid.NullUUID{UUID: id, Valid: true}
	}
	rows, err := s.q.ListUsers(ctx, params)
	if err != nil {
		return nil, "", wrapDB("list users", err)
	}
	if len(rows) > p.Limit {
		rows = rows[:p.Limit]
		last := rows[len(rows)-1]
		next = last.CreatedAt.UTC().Format(time.RFC3339Nano) + "_" + last.ID.String()
	}
	for _, r := range rows {
		users = append(users, userFromRow(r, nil))
	}
	return users, next, nil
}

// ErrBadCursor: a page cursor this service did not make.
var ErrBadCursor = kind.New(kind.Invalid, "bad cursor")

func parseUserCursor(c string) (time.Time, uuid.UUID, error) {
	if len(c) < 38 || c[len(c)-37] != '_' {
		return time.Time{}, uuid.Nil, ErrBadCursor
	}
	at, err1 := time.Parse(time.RFC3339Nano, c[:len(c)-37])
	id, err2 := uuid.Parse(c[len(c)-36:])
	if err1 != nil || err2 != nil {
		return time.Time{}, uuid.Nil, ErrBadCursor
	}
	return at, id, nil
}

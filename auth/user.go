package auth

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/amanat/amn/auth/internal/authdb"
	"github.com/amanat/amn/db"
	"github.com/amanat/amn/kind"
)

// Role is what a user may do: buy, sell, administer. A user may be both buyer and seller.
type Role string

// The roles.
const (
	RoleAdmin  Role = "admin"
	RoleBuyer  Role = "buyer"
	RoleSeller Role = "seller"
)

// Status is whether a user may sign in.
type Status string

// The statuses.
const (
	StatusActive Status = "active"
	StatusBanned Status = "banned"
)

// Method is how a session was signed in.
type Method string

// The sign-in methods.
const (
	MethodPassword  Method = "password"
	MethodPasskey   Method = "passkey"
	MethodGoogle    Method = "google"
	MethodTelegram  Method = "telegram"
	MethodEmailCode Method = "email_code"
)

// User is an account as the API shows it.
type User struct {
	ID             uuid.UUID
	Email          *string
	EmailVerified  bool
	HasPassword    bool
	Roles          []Role
	Status         Status
	DisplayName    string
	Bio            string
	AvatarURL      *string
	Locale         string
	TelegramLinked bool
	GoogleLinked   bool
	CreatedAt      time.Time
}

// HasRole says whether u has role r.
func (u User) HasRole(r Role) bool { return slices.Contains(u.Roles, r) }

func roles(rs []string) []Role {
	out := make([]Role, len(rs))
	for i, r := range rs {
		out[i] = Role(r)
	}
	return out
}

func roleStrings(rs []Role) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = string(r)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// User reads a user with the identities linked to it.
func (s *Service) User(ctx context.Context, id uuid.UUID) (User, error) {
	return s.user(ctx, s.q, id)
}

func (s *Service) user(ctx context.Context, q *authdb.Queries, id uuid.UUID) (User, error) {
	row, err := q.UserByID(ctx, id)
	if errors.Is(err, pgx.ErrNoRows) {
		return User{}, ErrNotFound
	}
	if err != nil {
		return User{}, wrapDB("read user", err)
	}
	providers, err := q.IdentityProvidersOfUser(ctx, id)
	if err != nil {
		return User{}, wrapDB("read identities", err)
	}
	return userFromRow(row, providers), nil
}

func userFromRow(row authdb.User, providers []string) User {
	return User{
		ID:             row.ID,
		Email:          row.Email,
		EmailVerified:  row.EmailVerifiedAt != nil,
		HasPassword:    row.PasswordHash != nil,
		Roles:          roles(row.Roles),
		Status:         Status(row.Status),
		DisplayName:    row.DisplayName,
		Bio:            row.Bio,
		AvatarURL:      row.AvatarUrl,
		Locale:         row.Locale,
		TelegramLinked: slices.Contains(providers, "telegram"),
		GoogleLinked:   slices.Contains(providers, "google"),
		CreatedAt:      row.CreatedAt,
	}
}

// NewUser is an account to create.
type NewUser struct {
	Email         string // "" for none (a Telegram sign-up)
	EmailVerified bool
	// PasswordHash is the stored form (HashPassword), or "" for an account without a password.
	PasswordHash string
	Roles        []Role
	DisplayName  string
	Locale       string // "" is en
}

// ErrEmailTaken is an email another account has. Sign-up never shows it to the caller (that
// would tell who has an account); the admin commands do.
var ErrEmailTaken = kind.New(kind.Conflict, "an account with this email exists")

// CreateUser makes an account.
func (s *Service) CreateUser(ctx context.Context, nu NewUser) (User, error) {
	return s.createUser(ctx, s.q, nu)
}

func (s *Service) createUser(ctx context.Context, q *authdb.Queries, nu NewUser) (User, error) {
	p := authdb.CreateUserParams{
		ID: uuid.New(), Roles: roleStrings(nu.Roles), DisplayName: nu.DisplayName, Locale: nu.Locale,
	}
	if p.Locale == "" {
		p.Locale = "en"
	}
	if nu.Email != "" {
		email := strings.ToLower(strings.TrimSpace(nu.Email))
		p.Email = &email
		if nu.EmailVerified {
			now := s.now()
			p.EmailVerifiedAt = &now
		}
	}
	if nu.PasswordHash != "" {
		p.PasswordHash = &nu.PasswordHash
	}
	row, err := q.CreateUser(ctx, p)
	if db.IsUniqueViolation(err, "users_email") {
		return User{}, ErrEmailTaken
	}
	if err != nil {
		return User{}, wrapDB("create user", err)
	}
	return userFromRow(row, nil), nil
}

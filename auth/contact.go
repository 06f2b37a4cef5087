package auth

import (
	"context"
	"errors"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/amanat/amn/auth/internal/authdb"
)

// Contact is where and how to write to a user: the address mail goes to (only a verified one),
// the language to write in, and whether the account may still be written to (a banned one may
// not).
type Contact struct {
	UserID uuid.UUID
	// Email is the verified address, or "" when the account has none (a Telegram sign-up, an
	// address not yet confirmed): such a user gets in-app notifications only.
	Email  string
	Locale string
	Active bool
}

// Contacts reads users' contacts for the notifications' mail. It needs no keys and reads only the
// columns amn_worker may read (migration 00045), so the worker builds one on its own pool.
type Contacts struct{ q *authdb.Queries }

// NewContacts returns the contacts of pool's users.
func NewContacts(pool *pgxpool.Pool) *Contacts { return &Contacts{q: authdb.New(pool)} }

// Contact reads user id's contact; an unknown user is ErrNotFound.
func (c *Contacts) Contact(ctx context.Context, id uuid.UUID) (Contact, error) {
	row, err := c.q.UserContact(ctx, id)
	if errors.Is(err, pgx.ErrNoRows) {
		return Contact{}, ErrNotFound
	}
	if err != nil {
		return Contact{}, wrapDB("read contact", err)
	}
	out := Contact{UserID: row.ID, Locale: row.Locale, Active: row.Status == string(StatusActive)}
	if row.Email != nil && row.EmailVerifiedAt != nil {
		out.Email = *row.Email
	}
	return out, nil
}

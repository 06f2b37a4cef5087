package auth

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// PublicProfile is what anyone may read about a user: the name and words they chose to show.
// Never an email, a role, a status, an identity, a wallet or a locale.
type PublicProfile struct {
	ID          uuid.UUID
	DisplayName string
	Bio         string
	AvatarURL   *string
	MemberSince time.Time
}

// Profile returns a user's public profile; an unknown id is ErrNotFound. (A user id is a random
// uuid that only the marketplace hands out, next to what that user did: it names no one.)
func (s *Service) Profile(ctx context.Context, id uuid.UUID) (PublicProfile, error) {
	row, err := s.q.UserByID(ctx, id)
	if errors.Is(err, pgx.ErrNoRows) {
		return PublicProfile{}, ErrNotFound
	}
	if err != nil {
		return PublicProfile{}, wrapDB("read user", err)
	}
	return PublicProfile{ID: row.ID, DisplayName: row.DisplayName, Bio: row.Bio, AvatarURL: row.AvatarUrl, MemberSince: row.CreatedAt}, nil
}

package auth

import (
	"context"
	"errors"
	"regexp"
	"slices"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/amanat/amn/auth/internal/authdb"
	"github.com/amanat/amn/kind"
)

// ProfileUpdate is what a user may change about their own account; nil fields stay as they are.
type ProfileUpdate struct {
	DisplayName *string
	Bio         *string
	Locale      *string
	// Roles, when not nil, is the set of buyer and seller roles the user takes (at least one); it
	// replaces their buyer and seller roles and keeps admin if they have it. Admin cannot be taken.
	Roles []Role
}

// Errors of profile changes.
var (
	ErrRoleNotSelfService = kind.New(kind.Invalid, "only the buyer and seller roles can be taken; admin is given by an admin")
	ErrProfileInvalid     = kind.New(kind.Invalid, "display name 1-80 characters, bio up to 2000, locale like en or pt-BR; no control characters")
)

var localeRE = regexp.MustCompile(`^[a-z]{2}(-[A-Z]{2})?$`)

// UpdateProfile changes userID's own profile.
func (s *Service) UpdateProfile(ctx context.Context, userID uuid.UUID, up ProfileUpdate) (User, error) {
	if err := up.check(); err != nil {
		return User{}, err
	}
	var out User
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		q := s.q.WithTx(tx)
		cur, err := q.UserForUpdate(ctx, userID)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return wrapDB("read user", err)
		}
		p := authdb.UpdateProfileParams{DisplayName: up.DisplayName, Bio: up.Bio, Locale: up.Locale, Now: s.now(), ID: userID}
		if up.Roles != nil {
			rs := up.Roles
			if slices.Contains(cur.Roles, string(RoleAdmin)) {
				rs = append(slices.Clone(rs), RoleAdmin)
			}
			p.Roles = roleStrings(rs)
		}
		if _, err := q.UpdateProfile(ctx, p); err != nil {
			return wrapDB("update profile", err)
		}
		out, err = s.user(ctx, q, userID)
		return err
	})
	return out, err
}

// validDisplayName: at most 80 characters of one line, no control characters.
func validDisplayName(d string) bool {
	return utf8.RuneCountInString(d) <= 80 && plainText(d, false)
}

func (up ProfileUpdate) check() error {
	if up.Roles != nil {
		if len(up.Roles) == 0 {
			return ErrRoleNotSelfService
		}
		for _, r := range up.Roles {
			if r != RoleBuyer && r != RoleSeller {
				return ErrRoleNotSelfService
			}
		}
	}
	if d := up.DisplayName; d != nil && (*d == "" || !validDisplayName(*d)) {
		return ErrProfileInvalid
	}
	if b := up.Bio; b != nil && (utf8.RuneCountInString(*b) > 2000 || !plainText(*b, true)) {
		return ErrProfileInvalid
	}
	if l := up.Locale; l != nil && !localeRE.MatchString(*l) {
		return ErrProfileInvalid
	}
	return nil
}

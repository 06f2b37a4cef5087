package api

import (
	"github.com/amanat/amn/api/openapi"
	"github.com/amanat/amn/auth"
)

// sessionBody is a signed-in session as the contract shows it.
func sessionBody(s auth.Session) openapi.Session {
	return openapi.Session{
		AccessToken: s.AccessToken, AccessTokenExpiresAt: s.AccessTokenExpiresAt,
		RefreshToken: s.RefreshToken, RefreshTokenExpiresAt: s.RefreshTokenExpiresAt,
		SessionId: s.ID, User: userBody(s.User),
	}
}

// userBody is an account as the contract shows it.
func userBody(u auth.User) openapi.User {
	roles := make([]openapi.Role, len(u.Roles))
	for i, r := range u.Roles {
		roles[i] = openapi.Role(r)
	}
	return openapi.User{
		Id: u.ID, Email: u.Email, EmailVerified: u.EmailVerified, HasPassword: u.HasPassword,
		Roles: roles, Status: openapi.UserStatus(u.Status), DisplayName: u.DisplayName, Bio: &u.Bio,
		AvatarUrl: u.AvatarURL, Locale: u.Locale, TelegramLinked: &u.TelegramLinked,
		GoogleLinked: &u.GoogleLinked, CreatedAt: u.CreatedAt,
	}
}

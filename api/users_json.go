package api

import (
	"github.com/amanat/amn/api/openapi"
	"github.com/amanat/amn/auth"
)

// userJSON is a user as the contract shows it.
func userJSON(u auth.User) openapi.User {
	out := openapi.User{
		Id: u.ID, Email: u.Email, EmailVerified: u.EmailVerified, HasPassword: u.HasPassword,
		Roles: make([]openapi.Role, len(u.Roles)), Status: openapi.UserStatus(u.Status),
		DisplayName: u.DisplayName, Bio: &u.Bio, AvatarUrl: u.AvatarURL, Locale: u.Locale,
		TelegramLinked: &u.TelegramLinked, GoogleLinked: &u.GoogleLinked, CreatedAt: u.CreatedAt,
	}
	for i, r := range u.Roles {
		out.Roles[i] = openapi.Role(r)
	}
	return out
}

// sessionJSON is a newly issued session as the contract shows it.
func sessionJSON(s auth.Session) openapi.SessionJSONResponse {
	return openapi.SessionJSONResponse{
		AccessToken: s.AccessToken, AccessTokenExpiresAt: s.AccessTokenExpiresAt,
		RefreshToken: s.RefreshToken, RefreshTokenExpiresAt: s.RefreshTokenExpiresAt,
		SessionId: s.ID, User: userJSON(s.User),
	}
}

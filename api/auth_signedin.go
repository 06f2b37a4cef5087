package api

import (
	"context"
	"net/http"
	"net/netip"

	"github.com/amanat/amn/api/openapi"
	"github.com/amanat/amn/auth"
)

// What every sign-in answers: the session's tokens and its user; and what it records of the
// device that signed in.

// sessionBody is a session as the contract's Session.
func sessionBody(s auth.Session) openapi.Session {
	return openapi.Session{
		AccessToken: s.AccessToken, AccessTokenExpiresAt: s.AccessTokenExpiresAt,
		RefreshToken: s.RefreshToken, RefreshTokenExpiresAt: s.RefreshTokenExpiresAt,
		SessionId: s.ID, User: userBody(s.User),
	}
}

// userBody is a user as the contract's User.
func userBody(u auth.User) openapi.User {
	roles := make([]openapi.Role, len(u.Roles))
	for i, r := range u.Roles {
		roles[i] = openapi.Role(r)
	}
	return openapi.User{
		Id: u.ID, Email: u.Email, EmailVerified: u.EmailVerified, HasPassword: u.HasPassword,
		Roles: roles, Status: openapi.UserStatus(u.Status), DisplayName: u.DisplayName,
		Bio: &u.Bio, AvatarUrl: u.AvatarURL, Locale: u.Locale,
		TelegramLinked: &u.TelegramLinked, GoogleLinked: &u.GoogleLinked, CreatedAt: u.CreatedAt,
	}
}

type clientKey struct{}

// withClient keeps the device's user agent and address (as the rate limits see it: from a trusted
// proxy's X-Forwarded-For, else the connection) for the sign-in handlers (clientOf).
func withClient(trusted []netip.Prefix) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			c := auth.Client{UserAgent: r.UserAgent(), IP: clientIP(r, trusted)}
			next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), clientKey{}, c)))
		})
	}
}

// clientOf is the device a request comes from.
func clientOf(ctx context.Context) auth.Client {
	c, _ := ctx.Value(clientKey{}).(auth.Client)
	return c
}

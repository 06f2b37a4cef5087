package api

import (
	"context"
	"net"
	"net/http"

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

// withClient keeps the device's user agent and address for the sign-in handlers (clientOf).
func withClient(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ip, _, err := net.SplitHostPort(r.RemoteAddr)
		if err != nil {
			ip = r.RemoteAddr
		}
		c := auth.Client{UserAgent: r.UserAgent(), IP: ip}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), clientKey{}, c)))
	})
}

// clientOf is the device a request comes from.
func clientOf(ctx context.Context) auth.Client {
	c, _ := ctx.Value(clientKey{}).(auth.Client)
	return c
}

package auth

import (
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"
)

// Subject is the user an access token was signed for, checked by signature, issuer, audience and
// lifetime only (no database: the rate limiter keys requests by account before they are served).
// It is not authentication: a revoked session's token still has a subject.
func (s *Service) Subject(token string) (uuid.UUID, bool) {
	var c claims
	_, err := jwt.ParseWithClaims(token, &c, s.verificationKey,
		jwt.WithValidMethods([]string{jwt.SigningMethodES256.Alg()}),
		jwt.WithIssuer(s.cfg.Issuer), jwt.WithAudience(s.cfg.Audience),
		jwt.WithExpirationRequired(), jwt.WithTimeFunc(s.now), jwt.WithLeeway(5*time.Second))
	if err != nil {
		return uuid.UUID{}, false
	}
	id, err := uuid.Parse(c.Subject)
	return id, err == nil
}

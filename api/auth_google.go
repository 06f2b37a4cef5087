package api

import (
	"context"

	"github.com/amanat/amn/api/openapi"
)

// SignInWithGoogle signs in (or up) with a Google ID token.
func (s *v1) SignInWithGoogle(ctx context.Context, req openapi.SignInWithGoogleRequestObject) (openapi.SignInWithGoogleResponseObject, error) {
	sess, err := s.auth.SignInWithGoogle(ctx, req.Body.IdToken, clientOf(ctx))
	if err != nil {
		return nil, err
	}
	return openapi.SignInWithGoogle200JSONResponse{SessionJSONResponse: openapi.SessionJSONResponse(sessionBody(sess))}, nil
}

// LinkGoogle links a Google account to the caller's account.
func (s *v1) LinkGoogle(ctx context.Context, req openapi.LinkGoogleRequestObject) (openapi.LinkGoogleResponseObject, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	if err := s.auth.LinkGoogle(ctx, p, req.Body.IdToken); err != nil {
		return nil, err
	}
	return openapi.LinkGoogle204Response{}, nil
}

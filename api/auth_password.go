package api

import (
	"context"

	"github.com/amanat/amn/api/openapi"
	"github.com/amanat/amn/auth"
)

// Email + password sign-in and email codes (docs/auth.md). Register, resend and forgot answer
// 202 whatever the address, so that they tell no one whether an account exists.

var accepted = openapi.AcceptedJSONResponse{Status: openapi.AcceptedStatusAccepted}

// Register creates an account and mails a verification code (or, for a taken email, a notice).
func (s *v1) Register(ctx context.Context, req openapi.RegisterRequestObject) (openapi.RegisterResponseObject, error) {
	b := req.Body
	r := auth.Registration{Email: string(b.Email), Password: b.Password}
	if b.DisplayName != nil {
		r.DisplayName = *b.DisplayName
	}
	if b.Locale != nil {
		r.Locale = *b.Locale
	}
	if b.ReferralCode != nil {
		r.Referral = *b.ReferralCode
	}
	if b.Roles != nil {
		for _, role := range *b.Roles {
			r.Roles = append(r.Roles, auth.Role(role))
		}
	}
	if err := s.auth.Register(ctx, r); err != nil {
		return nil, err
	}
	return openapi.Register202JSONResponse{AcceptedJSONResponse: accepted}, nil
}

// VerifyEmail confirms the email with its code and signs in.
func (s *v1) VerifyEmail(ctx context.Context, req openapi.VerifyEmailRequestObject) (openapi.VerifyEmailResponseObject, error) {
	password := ""
	if req.Body.Password != nil {
		password = *req.Body.Password
	}
	sess, err := s.auth.VerifyEmail(ctx, string(req.Body.Email), req.Body.Code, password, clientOf(ctx))
	if err != nil {
		return nil, err
	}
	return openapi.VerifyEmail200JSONResponse{SessionJSONResponse: openapi.SessionJSONResponse(sessionBody(sess))}, nil
}

// ResendVerification mails a new verification code to an unverified account.
func (s *v1) ResendVerification(ctx context.Context, req openapi.ResendVerificationRequestObject) (openapi.ResendVerificationResponseObject, error) {
	if err := s.auth.ResendVerification(ctx, string(req.Body.Email)); err != nil {
		return nil, err
	}
	return openapi.ResendVerification202JSONResponse{AcceptedJSONResponse: accepted}, nil
}

// Login signs in with email and password.
func (s *v1) Login(ctx context.Context, req openapi.LoginRequestObject) (openapi.LoginResponseObject, error) {
	sess, err := s.auth.Login(ctx, string(req.Body.Email), req.Body.Password, clientOf(ctx))
	if err != nil {
		return nil, err
	}
	return openapi.Login200JSONResponse{SessionJSONResponse: openapi.SessionJSONResponse(sessionBody(sess))}, nil
}

// ForgotPassword mails a reset code to an active account.
func (s *v1) ForgotPassword(ctx context.Context, req openapi.ForgotPasswordRequestObject) (openapi.ForgotPasswordResponseObject, error) {
	if err := s.auth.ForgotPassword(ctx, string(req.Body.Email)); err != nil {
		return nil, err
	}
	return openapi.ForgotPassword202JSONResponse{AcceptedJSONResponse: accepted}, nil
}

// ResetPassword sets a new password with a reset code; every session of the account ends.
func (s *v1) ResetPassword(ctx context.Context, req openapi.ResetPasswordRequestObject) (openapi.ResetPasswordResponseObject, error) {
	if err := s.auth.ResetPassword(ctx, string(req.Body.Email), req.Body.Code, req.Body.NewPassword); err != nil {
		return nil, err
	}
	return openapi.ResetPassword204Response{}, nil
}

// ChangePassword sets the caller's password; their other sessions end.
func (s *v1) ChangePassword(ctx context.Context, req openapi.ChangePasswordRequestObject) (openapi.ChangePasswordResponseObject, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	if err := s.auth.ChangePassword(ctx, p, req.Body.CurrentPassword, req.Body.NewPassword); err != nil {
		return nil, err
	}
	return openapi.ChangePassword204Response{}, nil
}

package api

import (
	"context"

	"github.com/amanat/amn/api/openapi"
)

// Operations not built yet: each answers 501 until its file replaces this one.

func (*v1) ResendVerification(context.Context, openapi.ResendVerificationRequestObject) (openapi.ResendVerificationResponseObject, error) {
	return nil, errNotImplemented
}

func (*v1) VerifyEmail(context.Context, openapi.VerifyEmailRequestObject) (openapi.VerifyEmailResponseObject, error) {
	return nil, errNotImplemented
}

func (*v1) Login(context.Context, openapi.LoginRequestObject) (openapi.LoginResponseObject, error) {
	return nil, errNotImplemented
}

func (*v1) ChangePassword(context.Context, openapi.ChangePasswordRequestObject) (openapi.ChangePasswordResponseObject, error) {
	return nil, errNotImplemented
}

func (*v1) ForgotPassword(context.Context, openapi.ForgotPasswordRequestObject) (openapi.ForgotPasswordResponseObject, error) {
	return nil, errNotImplemented
}

func (*v1) ResetPassword(context.Context, openapi.ResetPasswordRequestObject) (openapi.ResetPasswordResponseObject, error) {
	return nil, errNotImplemented
}

func (*v1) Register(context.Context, openapi.RegisterRequestObject) (openapi.RegisterResponseObject, error) {
	return nil, errNotImplemented
}

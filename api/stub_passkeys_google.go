package api

import (
	"context"

	"github.com/amanat/amn/api/openapi"
)

// Operations not built yet: each answers 501 until its file replaces this one.

func (*v1) SignInWithGoogle(context.Context, openapi.SignInWithGoogleRequestObject) (openapi.SignInWithGoogleResponseObject, error) {
	return nil, errNotImplemented
}

func (*v1) LinkGoogle(context.Context, openapi.LinkGoogleRequestObject) (openapi.LinkGoogleResponseObject, error) {
	return nil, errNotImplemented
}

func (*v1) ListPasskeys(context.Context, openapi.ListPasskeysRequestObject) (openapi.ListPasskeysResponseObject, error) {
	return nil, errNotImplemented
}

func (*v1) BeginPasskeyLogin(context.Context, openapi.BeginPasskeyLoginRequestObject) (openapi.BeginPasskeyLoginResponseObject, error) {
	return nil, errNotImplemented
}

func (*v1) FinishPasskeyLogin(context.Context, openapi.FinishPasskeyLoginRequestObject) (openapi.FinishPasskeyLoginResponseObject, error) {
	return nil, errNotImplemented
}

func (*v1) BeginPasskeyRegistration(context.Context, openapi.BeginPasskeyRegistrationRequestObject) (openapi.BeginPasskeyRegistrationResponseObject, error) {
	return nil, errNotImplemented
}

func (*v1) FinishPasskeyRegistration(context.Context, openapi.FinishPasskeyRegistrationRequestObject) (openapi.FinishPasskeyRegistrationResponseObject, error) {
	return nil, errNotImplemented
}

func (*v1) DeletePasskey(context.Context, openapi.DeletePasskeyRequestObject) (openapi.DeletePasskeyResponseObject, error) {
	return nil, errNotImplemented
}

package api

import (
	"context"

	"github.com/amanat/amn/api/openapi"
)

// Operations not built yet: each answers 501 until its file replaces this one.

func (*v1) SignInWithTelegram(context.Context, openapi.SignInWithTelegramRequestObject) (openapi.SignInWithTelegramResponseObject, error) {
	return nil, errNotImplemented
}

func (*v1) LinkTelegram(context.Context, openapi.LinkTelegramRequestObject) (openapi.LinkTelegramResponseObject, error) {
	return nil, errNotImplemented
}

func (*v1) ListWallets(context.Context, openapi.ListWalletsRequestObject) (openapi.ListWalletsResponseObject, error) {
	return nil, errNotImplemented
}

func (*v1) LinkWallet(context.Context, openapi.LinkWalletRequestObject) (openapi.LinkWalletResponseObject, error) {
	return nil, errNotImplemented
}

func (*v1) NewWalletNonce(context.Context, openapi.NewWalletNonceRequestObject) (openapi.NewWalletNonceResponseObject, error) {
	return nil, errNotImplemented
}

func (*v1) UnlinkWallet(context.Context, openapi.UnlinkWalletRequestObject) (openapi.UnlinkWalletResponseObject, error) {
	return nil, errNotImplemented
}

package api

import (
	"context"

	"github.com/amanat/amn/api/openapi"
)

// Wallet operations not built yet: each answers 503 until auth_wallets.go replaces this file.

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

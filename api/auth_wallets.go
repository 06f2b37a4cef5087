package api

import (
	"context"
	"encoding/hex"
	"strings"

	"github.com/ethereum/go-ethereum/common"

	"github.com/amanat/amn/api/openapi"
	"github.com/amanat/amn/auth"
)

// Wallets linked by Sign-In with Ethereum (auth/wallets.go).

func (h *v1) NewWalletNonce(ctx context.Context, _ openapi.NewWalletNonceRequestObject) (openapi.NewWalletNonceResponseObject, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	n, err := h.auth.NewWalletNonce(ctx, p.UserID)
	if err != nil {
		return nil, err
	}
	return openapi.NewWalletNonce200JSONResponse{Nonce: n.Nonce, Domain: n.Domain, Uri: n.URI, ChainIds: n.ChainIDs, ExpiresAt: n.ExpiresAt}, nil
}

func (h *v1) LinkWallet(ctx context.Context, req openapi.LinkWalletRequestObject) (openapi.LinkWalletResponseObject, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	sig, err := hex.DecodeString(strings.TrimPrefix(req.Body.Signature, "0x"))
	if err != nil {
		return nil, errInvalidRequest("the signature is not hex", FieldError{Field: "body.signature", Message: "not hex"})
	}
	w, err := h.auth.LinkWallet(ctx, p, req.Body.Message, sig)
	if err != nil {
		return nil, err
	}
	return openapi.LinkWallet201JSONResponse(walletBody(w)), nil
}

func (h *v1) ListWallets(ctx context.Context, _ openapi.ListWalletsRequestObject) (openapi.ListWalletsResponseObject, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	ws, err := h.auth.ListWallets(ctx, p.UserID)
	if err != nil {
		return nil, err
	}
	out := openapi.ListWallets200JSONResponse{Items: make([]openapi.Wallet, len(ws))}
	for i, w := range ws {
		out.Items[i] = walletBody(w)
	}
	return out, nil
}

func (h *v1) UnlinkWallet(ctx context.Context, req openapi.UnlinkWalletRequestObject) (openapi.UnlinkWalletResponseObject, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	if !common.IsHexAddress(req.Address) {
		return nil, errInvalidRequest("not an address", FieldError{Field: "path.address", Message: "not an address"})
	}
	if err := h.auth.UnlinkWallet(ctx, p.UserID, common.HexToAddress(req.Address)); err != nil {
		return nil, err
	}
	return openapi.UnlinkWallet204Response{}, nil
}

// walletBody is a wallet as the contract shows it (EIP-55 address).
func walletBody(w auth.Wallet) openapi.Wallet {
	return openapi.Wallet{Address: w.Address.Hex(), ChainId: w.ChainID, LinkedAt: w.LinkedAt}
}

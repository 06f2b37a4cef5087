package api

import (
	"context"

	"github.com/amanat/amn/api/openapi"
	"github.com/amanat/amn/auth"
)

// Telegram sign-in (auth/telegram.go): Mini App initData or Login Widget data, exactly one.

func (h *v1) SignInWithTelegram(ctx context.Context, req openapi.SignInWithTelegramRequestObject) (openapi.SignInWithTelegramResponseObject, error) {
	d, err := telegramData(req.Body)
	if err != nil {
		return nil, err
	}
	s, err := h.auth.SignInWithTelegram(ctx, d, clientOf(ctx))
	if err != nil {
		return nil, err
	}
	return openapi.SignInWithTelegram200JSONResponse{SessionJSONResponse: openapi.SessionJSONResponse(sessionBody(s))}, nil
}

func (h *v1) LinkTelegram(ctx context.Context, req openapi.LinkTelegramRequestObject) (openapi.LinkTelegramResponseObject, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	d, err := telegramData(req.Body)
	if err != nil {
		return nil, err
	}
	if err := h.auth.LinkTelegram(ctx, p, d); err != nil {
		return nil, err
	}
	return openapi.LinkTelegram204Response{}, nil
}

// telegramData takes the one form the request carries; both or none is invalid_request.
func telegramData(b *openapi.TelegramRequest) (auth.TelegramData, error) {
	switch {
	case b == nil || (b.InitData == nil) == (b.Widget == nil):
		return auth.TelegramData{}, errInvalidRequest("send exactly one of initData and widget",
			FieldError{Field: "body", Message: "exactly one of initData and widget"})
	case b.InitData != nil:
		return auth.TelegramData{InitData: *b.InitData}, nil
	}
	w := b.Widget
	return auth.TelegramData{Widget: &auth.TelegramWidget{
		ID: w.Id, FirstName: w.FirstName, LastName: w.LastName, Username: w.Username,
		PhotoURL: w.PhotoUrl, AuthDate: w.AuthDate, Hash: w.Hash,
	}}, nil
}

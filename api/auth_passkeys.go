package api

import (
	"context"
	"encoding/json"

	"github.com/amanat/amn/api/openapi"
	"github.com/amanat/amn/auth"
)

// Passkeys (WebAuthn): list, remove, register (signed in) and discoverable sign-in. Each
// ceremony is two requests: begin answers the browser's options and a ceremony id, finish sends
// the browser's PublicKeyCredential (JSON) with that id.

// ListPasskeys answers the caller's passkeys.
func (s *v1) ListPasskeys(ctx context.Context, _ openapi.ListPasskeysRequestObject) (openapi.ListPasskeysResponseObject, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	keys, err := s.auth.Passkeys(ctx, p.UserID)
	if err != nil {
		return nil, err
	}
	out := openapi.ListPasskeys200JSONResponse{Items: make([]openapi.Passkey, len(keys))}
	for i, k := range keys {
		out.Items[i] = passkeyBody(k)
	}
	return out, nil
}

// DeletePasskey removes one of the caller's passkeys; another user's is not_found.
func (s *v1) DeletePasskey(ctx context.Context, req openapi.DeletePasskeyRequestObject) (openapi.DeletePasskeyResponseObject, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	if err := s.auth.DeletePasskey(ctx, p.UserID, req.PasskeyId); err != nil {
		return nil, err
	}
	return openapi.DeletePasskey204Response{}, nil
}

// BeginPasskeyRegistration answers the options for navigator.credentials.create.
func (s *v1) BeginPasskeyRegistration(ctx context.Context, _ openapi.BeginPasskeyRegistrationRequestObject) (openapi.BeginPasskeyRegistrationResponseObject, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	c, err := s.auth.BeginPasskeyRegistration(ctx, p)
	if err != nil {
		return nil, err
	}
	body, err := ceremonyBody(c)
	return openapi.BeginPasskeyRegistration200JSONResponse(body), err
}

// FinishPasskeyRegistration stores the passkey the authenticator made.
func (s *v1) FinishPasskeyRegistration(ctx context.Context, req openapi.FinishPasskeyRegistrationRequestObject) (openapi.FinishPasskeyRegistrationResponseObject, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	raw, err := json.Marshal(req.Body.Credential)
	if err != nil {
		return nil, auth.ErrPasskeyInvalid
	}
	name := ""
	if req.Body.Name != nil {
		name = *req.Body.Name
	}
	k, err := s.auth.FinishPasskeyRegistration(ctx, p, req.Body.CeremonyId, name, raw)
	if err != nil {
		return nil, err
	}
	return openapi.FinishPasskeyRegistration201JSONResponse(passkeyBody(k)), nil
}

// BeginPasskeyLogin answers the options for navigator.credentials.get (no user named).
func (s *v1) BeginPasskeyLogin(ctx context.Context, _ openapi.BeginPasskeyLoginRequestObject) (openapi.BeginPasskeyLoginResponseObject, error) {
	c, err := s.auth.BeginPasskeyLogin(ctx)
	if err != nil {
		return nil, err
	}
	body, err := ceremonyBody(c)
	return openapi.BeginPasskeyLogin200JSONResponse(body), err
}

// FinishPasskeyLogin signs in with the authenticator's assertion.
func (s *v1) FinishPasskeyLogin(ctx context.Context, req openapi.FinishPasskeyLoginRequestObject) (openapi.FinishPasskeyLoginResponseObject, error) {
	raw, err := json.Marshal(req.Body.Credential)
	if err != nil {
		return nil, auth.ErrPasskeyInvalid
	}
	sess, err := s.auth.FinishPasskeyLogin(ctx, req.Body.CeremonyId, raw, clientOf(ctx))
	if err != nil {
		return nil, err
	}
	return openapi.FinishPasskeyLogin200JSONResponse{SessionJSONResponse: openapi.SessionJSONResponse(sessionBody(sess))}, nil
}

func passkeyBody(k auth.Passkey) openapi.Passkey {
	return openapi.Passkey{Id: k.ID, Name: k.Name, CreatedAt: k.CreatedAt, LastUsedAt: k.LastUsedAt}
}

func ceremonyBody(c auth.Ceremony) (openapi.WebAuthnCeremony, error) {
	out := openapi.WebAuthnCeremony{CeremonyId: c.ID}
	err := json.Unmarshal(c.Options, &out.Options)
	return out, err
}

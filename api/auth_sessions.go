package api

import (
	"context"

	"github.com/amanat/amn/api/openapi"
	"github.com/amanat/amn/auth"
)

// Refresh trades a refresh token for new tokens (rotation with reuse detection: auth.Refresh).
func (v *v1) Refresh(ctx context.Context, req openapi.RefreshRequestObject) (openapi.RefreshResponseObject, error) {
	s, err := v.auth.Refresh(ctx, req.Body.RefreshToken)
	if err != nil {
		return nil, err
	}
	return openapi.Refresh200JSONResponse{SessionJSONResponse: openapi.SessionJSONResponse(sessionBody(s))}, nil
}

// Logout revokes the caller's session.
func (v *v1) Logout(ctx context.Context, _ openapi.LogoutRequestObject) (openapi.LogoutResponseObject, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	if err := v.auth.Logout(ctx, p); err != nil {
		return nil, err
	}
	return openapi.Logout204Response{}, nil
}

// LogoutAll revokes every session of the caller's account.
func (v *v1) LogoutAll(ctx context.Context, _ openapi.LogoutAllRequestObject) (openapi.LogoutAllResponseObject, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	if err := v.auth.LogoutAll(ctx, p); err != nil {
		return nil, err
	}
	return openapi.LogoutAll204Response{}, nil
}

// ListSessions lists the caller's live sessions, marking the one the request came with.
func (v *v1) ListSessions(ctx context.Context, req openapi.ListSessionsRequestObject) (openapi.ListSessionsResponseObject, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	page, err := pageOf(req.Params.Cursor, req.Params.Limit)
	if err != nil {
		return nil, err
	}
	items, next, err := v.auth.ListSessions(ctx, p.UserID, page)
	if err != nil {
		return nil, err
	}
	out := openapi.ListSessions200JSONResponse{Items: make([]openapi.SessionInfo, len(items)), NextCursor: encodeCursor(next)}
	for i, s := range items {
		out.Items[i] = openapi.SessionInfo{
			Id: s.ID, Method: openapi.SessionInfoMethod(s.Method), UserAgent: &s.UserAgent, Ip: &s.IP,
			CreatedAt: s.CreatedAt, LastUsedAt: s.LastAt, Current: s.ID == p.SessionID,
		}
	}
	return out, nil
}

// RevokeSession revokes one of the caller's sessions; another account's is not found.
func (v *v1) RevokeSession(ctx context.Context, req openapi.RevokeSessionRequestObject) (openapi.RevokeSessionResponseObject, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	if err := v.auth.RevokeSession(ctx, p.UserID, req.SessionId); err != nil {
		return nil, err
	}
	return openapi.RevokeSession204Response{}, nil
}

// GetMe is the caller's account.
func (v *v1) GetMe(ctx context.Context, _ openapi.GetMeRequestObject) (openapi.GetMeResponseObject, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	u, err := v.auth.User(ctx, p.UserID)
	if err != nil {
		return nil, err
	}
	return openapi.GetMe200JSONResponse(userBody(u)), nil
}

// UpdateMe changes the caller's profile, locale, or buyer and seller roles.
func (v *v1) UpdateMe(ctx context.Context, req openapi.UpdateMeRequestObject) (openapi.UpdateMeResponseObject, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	up := auth.ProfileUpdate{DisplayName: req.Body.DisplayName, Bio: req.Body.Bio, Locale: req.Body.Locale}
	if req.Body.Roles != nil {
		up.Roles = []auth.Role{}
		for _, r := range *req.Body.Roles {
			up.Roles = append(up.Roles, auth.Role(r))
		}
	}
	u, err := v.auth.UpdateProfile(ctx, p.UserID, up)
	if err != nil {
		return nil, err
	}
	return openapi.UpdateMe200JSONResponse(userBody(u)), nil
}

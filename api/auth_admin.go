package api

import (
	"context"

	"github.com/amanat/amn/api/openapi"
	"github.com/amanat/amn/auth"
)

// AdminListUsers lists users by role, status and email (admin role, checked by x-roles).
func (v *v1) AdminListUsers(ctx context.Context, req openapi.AdminListUsersRequestObject) (openapi.AdminListUsersResponseObject, error) {
	page, err := pageOf(req.Params.Cursor, req.Params.Limit)
	if err != nil {
		return nil, err
	}
	var f auth.UserFilter
	if req.Params.Role != nil {
		f.Role = auth.Role(*req.Params.Role)
	}
	if req.Params.Status != nil {
		f.Status = auth.Status(*req.Params.Status)
	}
	if req.Params.Email != nil {
		f.Email = *req.Params.Email
	}
	users, next, err := v.auth.ListUsers(ctx, f, page)
	if err != nil {
		return nil, err
	}
	out := openapi.AdminListUsers200JSONResponse{Items: make([]openapi.User, len(users)), NextCursor: encodeCursor(next)}
	for i, u := range users {
		out.Items[i] = userBody(u)
	}
	return out, nil
}

// AdminSetUserStatus bans (revoking every session) or unbans a user, audited as the caller.
func (v *v1) AdminSetUserStatus(ctx context.Context, req openapi.AdminSetUserStatusRequestObject) (openapi.AdminSetUserStatusResponseObject, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	u, err := v.auth.SetStatus(ctx, auth.UserActor(p.UserID), req.UserId, auth.Status(req.Body.Status), req.Body.Reason)
	if err != nil {
		return nil, err
	}
	return openapi.AdminSetUserStatus200JSONResponse(userBody(u)), nil
}

// AdminSetUserRoles sets a user's roles, audited as the caller.
func (v *v1) AdminSetUserRoles(ctx context.Context, req openapi.AdminSetUserRolesRequestObject) (openapi.AdminSetUserRolesResponseObject, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	rs := make([]auth.Role, len(req.Body.Roles))
	for i, r := range req.Body.Roles {
		rs[i] = auth.Role(r)
	}
	u, err := v.auth.SetRoles(ctx, auth.UserActor(p.UserID), req.UserId, rs)
	if err != nil {
		return nil, err
	}
	return openapi.AdminSetUserRoles200JSONResponse(userBody(u)), nil
}

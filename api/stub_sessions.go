package api

import (
	"context"

	"github.com/amanat/amn/api/openapi"
)

// Operations not built yet: each answers 501 until its file replaces this one.

func (*v1) AdminListUsers(context.Context, openapi.AdminListUsersRequestObject) (openapi.AdminListUsersResponseObject, error) {
	return nil, errNotImplemented
}

func (*v1) AdminSetUserRoles(context.Context, openapi.AdminSetUserRolesRequestObject) (openapi.AdminSetUserRolesResponseObject, error) {
	return nil, errNotImplemented
}

func (*v1) AdminSetUserStatus(context.Context, openapi.AdminSetUserStatusRequestObject) (openapi.AdminSetUserStatusResponseObject, error) {
	return nil, errNotImplemented
}

func (*v1) Logout(context.Context, openapi.LogoutRequestObject) (openapi.LogoutResponseObject, error) {
	return nil, errNotImplemented
}

func (*v1) LogoutAll(context.Context, openapi.LogoutAllRequestObject) (openapi.LogoutAllResponseObject, error) {
	return nil, errNotImplemented
}

func (*v1) Refresh(context.Context, openapi.RefreshRequestObject) (openapi.RefreshResponseObject, error) {
	return nil, errNotImplemented
}

func (*v1) ListSessions(context.Context, openapi.ListSessionsRequestObject) (openapi.ListSessionsResponseObject, error) {
	return nil, errNotImplemented
}

func (*v1) RevokeSession(context.Context, openapi.RevokeSessionRequestObject) (openapi.RevokeSessionResponseObject, error) {
	return nil, errNotImplemented
}

func (*v1) GetMe(context.Context, openapi.GetMeRequestObject) (openapi.GetMeResponseObject, error) {
	return nil, errNotImplemented
}

func (*v1) UpdateMe(context.Context, openapi.UpdateMeRequestObject) (openapi.UpdateMeResponseObject, error) {
	return nil, errNotImplemented
}

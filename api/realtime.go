package api

import (
	"context"
	"errors"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/amanat/amn/auth"
	"github.com/amanat/amn/chat"
	"github.com/amanat/amn/kind"
	"github.com/amanat/amn/market"
	"github.com/amanat/amn/realtime"
)

// The real-time WebSocket (GET /v1/ws) is package realtime's hub; the API gives it the two things
// it must not decide alone: whose a token is (auth) and who may join which room (the domains).

var (
	errRoomRefused = kind.New(kind.Refused, "you may not join this room")
	errNoChat      = kind.New(kind.Unavailable, "chat is not configured on this server")
)

// mountRealtime routes the WebSocket upgrade to hub (unavailable without one).
func mountRealtime(r chi.Router, hub *realtime.Hub, errs errorWriter) {
	if hub == nil {
		r.Get("/v1/ws", func(w http.ResponseWriter, r *http.Request) {
			errs.writeCode(w, r, http.StatusServiceUnavailable, "unavailable", "real time is not configured on this server")
		})
		return
	}
	r.Method(http.MethodGet, "/v1/ws", hub.Handler())
}

// RealtimeAccess is the hub's token check (through auth) and its rights: a user room is its
// user's; a request's room is its buyer's, admins', its accepted offer's seller's and the sellers'
// with a pending offer (market.MayWatch); a conversation's room is its two parties' and admins'
// (chat's MayRead); other kinds are refused until their package says who may. A nil m or chats
// answers unavailable for their rooms.
func RealtimeAccess(a *auth.Service, m *market.Service, chats *chat.Service) (realtime.Verifier, realtime.Rights) {
	verify := func(ctx context.Context, token string) (realtime.Client, error) {
		p, err := a.Authenticate(ctx, token)
		switch {
		case errors.Is(err, auth.ErrTokenExpired):
			return realtime.Client{}, realtime.ErrTokenExpired
		case errors.Is(err, auth.ErrUnauthenticated), errors.Is(err, auth.ErrBanned):
			return realtime.Client{}, realtime.ErrUnauthenticated
		case err != nil:
			return realtime.Client{}, err
		}
		return realtime.Client{UserID: p.UserID, Admin: p.HasRole(auth.RoleAdmin), Expires: p.ExpiresAt}, nil
	}
	rights := func(ctx context.Context, c realtime.Client, room realtime.Room) error {
		k, id, err := room.Parse()
		if err != nil {
			return err
		}
		switch k {
		case realtime.KindUser:
			if id == c.UserID {
				return nil
			}
		case realtime.KindRequest:
			if m == nil {
				return errRoomRefused // no marketplace here: nobody joins its rooms
			}
			ok, err := m.MayWatch(ctx, market.Caller{UserID: c.UserID, Admin: c.Admin}, id)
			if err != nil {
				return err
			}
			if ok {
				return nil
			}
		case realtime.KindChat:
			if chats == nil {
				return errRoomRefused // no chat here
			}
			err := chats.MayRead(ctx, chat.Caller{UserID: c.UserID, Admin: c.Admin}, id)
			if !errors.Is(err, chat.ErrNotFound) {
				return err
			}
		}
		return errRoomRefused
	}
	return verify, rights
}

package api

import (
	"bytes"
	"context"
	"encoding/json"
	"html/template"

	"github.com/amanat/amn/api/openapi"
	"github.com/amanat/amn/auth"
	"github.com/amanat/amn/chat"
	"github.com/amanat/amn/kind"
	"github.com/amanat/amn/notify"
)

// Notifications (docs/notify.md): the caller's in-app notifications (also pushed into the room
// user-{id} on /v1/ws), read marks, email preferences, and the one-click unsubscribe of mail.
// Also here: the caller's list of conversations (chat).

var errNoNotify = kind.New(kind.Unavailable, "notifications are not configured on this server")

// notifyCaller is the signed-in caller of a notifications route: only ever their own.
func (v *v1) notifyCaller(ctx context.Context) (auth.Principal, error) {
	if v.notify == nil {
		return auth.Principal{}, errNoNotify
	}
	return principal(ctx)
}

// ListNotifications pages the caller's notifications, newest first.
func (v *v1) ListNotifications(ctx context.Context, req openapi.ListNotificationsRequestObject) (openapi.ListNotificationsResponseObject, error) {
	p, err := v.notifyCaller(ctx)
	if err != nil {
		return nil, err
	}
	page, err := pageOf(req.Params.Cursor, req.Params.Limit)
	if err != nil {
		return nil, err
	}
	if page.Limit == 0 {
		page.Limit = 20
	}
	var after *notify.Cursor
	if page.After != nil {
		after = &notify.Cursor{CreatedAt: page.After.CreatedAt, ID: page.After.ID}
	}
	ns, next, err := v.notify.List(ctx, p.UserID, after, page.Limit)
	if err != nil {
		return nil, err
	}
	unread, err := v.notify.Unread(ctx, p.UserID)
	if err != nil {
		return nil, err
	}
	out := openapi.ListNotifications200JSONResponse{Items: make([]openapi.Notification, 0, len(ns)), Unread: unread}
	for i := range ns {
		out.Items = append(out.Items, notificationBody(&ns[i]))
	}
	if next != nil {
		out.NextCursor = encodeCursor(&auth.PageKey{CreatedAt: next.CreatedAt, ID: next.ID})
	}
	return out, nil
}

// GetUnreadNotifications counts the caller's unread notifications.
func (v *v1) GetUnreadNotifications(ctx context.Context, _ openapi.GetUnreadNotificationsRequestObject) (openapi.GetUnreadNotificationsResponseObject, error) {
	p, err := v.notifyCaller(ctx)
	if err != nil {
		return nil, err
	}
	n, err := v.notify.Unread(ctx, p.UserID)
	return openapi.GetUnreadNotifications200JSONResponse{Unread: n}, err
}

// MarkNotificationRead marks one of the caller's notifications read.
func (v *v1) MarkNotificationRead(ctx context.Context, req openapi.MarkNotificationReadRequestObject) (openapi.MarkNotificationReadResponseObject, error) {
	p, err := v.notifyCaller(ctx)
	if err != nil {
		return nil, err
	}
	n, _, err := v.notify.MarkRead(ctx, p.UserID, req.NotificationId)
	if err != nil {
		return nil, err
	}
	return openapi.MarkNotificationRead200JSONResponse(notificationBody(n)), nil
}

// MarkAllNotificationsRead marks all the caller's notifications read.
func (v *v1) MarkAllNotificationsRead(ctx context.Context, _ openapi.MarkAllNotificationsReadRequestObject) (openapi.MarkAllNotificationsReadResponseObject, error) {
	p, err := v.notifyCaller(ctx)
	if err != nil {
		return nil, err
	}
	n, err := v.notify.MarkAllRead(ctx, p.UserID)
	return openapi.MarkAllNotificationsRead200JSONResponse{Marked: n, Unread: 0}, err
}

// GetNotificationPreferences lists which kinds the caller gets by email.
func (v *v1) GetNotificationPreferences(ctx context.Context, _ openapi.GetNotificationPreferencesRequestObject) (openapi.GetNotificationPreferencesResponseObject, error) {
	p, err := v.notifyCaller(ctx)
	if err != nil {
		return nil, err
	}
	prefs, err := v.notify.Preferences(ctx, p.UserID)
	if err != nil {
		return nil, err
	}
	return openapi.GetNotificationPreferences200JSONResponse(prefsBody(prefs)), nil
}

// SetNotificationPreferences turns kinds on or off by email for the caller.
func (v *v1) SetNotificationPreferences(ctx context.Context, req openapi.SetNotificationPreferencesRequestObject) (openapi.SetNotificationPreferencesResponseObject, error) {
	p, err := v.notifyCaller(ctx)
	if err != nil {
		return nil, err
	}
	in := make(map[notify.Kind]bool, len(req.Body.Email))
	for k, on := range req.Body.Email {
		in[notify.Kind(k)] = on
	}
	prefs, err := v.notify.SetPreferences(ctx, p.UserID, in)
	if err != nil {
		return nil, err
	}
	return openapi.SetNotificationPreferences200JSONResponse(prefsBody(prefs)), nil
}

// Unsubscribe is the one-click unsubscribe (RFC 8058): the token names the user and the kind.
func (v *v1) Unsubscribe(ctx context.Context, req openapi.UnsubscribeRequestObject) (openapi.UnsubscribeResponseObject, error) {
	if v.notify == nil {
		return nil, errNoNotify
	}
	_, k, err := v.notify.Unsubscribe(ctx, req.Params.Token)
	if err != nil {
		return nil, err
	}
	return openapi.Unsubscribe200JSONResponse{Kind: openapi.NotificationKind(k), Email: false}, nil
}

// unsubscribePage asks a person who opened an unsubscribe link to confirm: a GET changes nothing
// (mail scanners fetch links), its button posts the one-click unsubscribe.
var unsubscribePage = template.Must(template.New("").Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>Unsubscribe</title></head>
<body style="font-family:Tahoma,Arial,sans-serif;max-width:480px;margin:40px auto">
<form method="post" action="/v1/notifications/unsubscribe?token={{.Token}}">
<input type="hidden" name="List-Unsubscribe" value="One-Click">
<p>Stop emails about “{{.Kind}}” from Amn? Emails about your money in escrow keep coming.</p>
<p dir="rtl" lang="fa">ایمیل&zwnj;های «{{.Kind}}» از Amn دیگر فرستاده نشود؟ ایمیل&zwnj;های مربوط به پول شما در امانت همچنان فرستاده می&zwnj;شوند.</p>
<button type="submit">Unsubscribe · لغو اشتراک</button>
</form></body></html>
`))

// UnsubscribePage answers the confirmation page of a valid token.
func (v *v1) UnsubscribePage(_ context.Context, req openapi.UnsubscribePageRequestObject) (openapi.UnsubscribePageResponseObject, error) {
	if v.notify == nil {
		return nil, errNoNotify
	}
	k, err := v.notify.CheckUnsubscribe(req.Params.Token)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := unsubscribePage.Execute(&b, map[string]string{"Token": req.Params.Token, "Kind": string(k)}); err != nil {
		return nil, err
	}
	return openapi.UnsubscribePage200TexthtmlResponse{Body: &b, ContentLength: int64(b.Len())}, nil
}

func notificationBody(n *notify.Notification) openapi.Notification {
	out := openapi.Notification{Id: n.ID, Kind: openapi.NotificationKind(n.Kind), CreatedAt: n.CreatedAt, ReadAt: n.ReadAt,
		Data: map[string]any{}}
	_ = json.Unmarshal(n.Data, &out.Data) // written by Notify from a map: always an object
	return out
}

func prefsBody(prefs []notify.Pref) openapi.NotificationPreferences {
	out := openapi.NotificationPreferences{Email: make([]openapi.NotificationPreference, 0, len(prefs))}
	for _, p := range prefs {
		out.Email = append(out.Email, openapi.NotificationPreference{Kind: openapi.NotificationKind(p.Kind), Email: p.Email, Essential: p.Essential})
	}
	return out
}

// ListChats pages the caller's conversations, the most recently active first.
func (v *v1) ListChats(ctx context.Context, req openapi.ListChatsRequestObject) (openapi.ListChatsResponseObject, error) {
	who, err := v.chatCaller(ctx)
	if err != nil {
		return nil, err
	}
	page, err := pageOf(req.Params.Cursor, req.Params.Limit)
	if err != nil {
		return nil, err
	}
	if page.Limit == 0 {
		page.Limit = 20
	}
	var after *chat.ListCursor
	if page.After != nil {
		after = &chat.ListCursor{ActiveAt: page.After.CreatedAt, ID: page.After.ID}
	}
	cs, next, err := v.chat.List(ctx, who, after, page.Limit)
	if err != nil {
		return nil, err
	}
	out := openapi.ListChats200JSONResponse{Items: make([]openapi.ChatSummary, 0, len(cs))}
	for _, c := range cs {
		out.Items = append(out.Items, openapi.ChatSummary{Id: c.ID, RequestId: c.RequestID, OfferId: c.OfferID, BuyerId: c.BuyerID,
			SellerId: c.SellerID, CreatedAt: c.CreatedAt, LastRead: c.LastRead, Unread: c.Unread, LastSeq: c.LastSeq, ActiveAt: c.ActiveAt})
	}
	if next != nil {
		out.NextCursor = encodeCursor(&auth.PageKey{CreatedAt: next.ActiveAt, ID: next.ID})
	}
	return out, nil
}

package api

import (
	"context"

	"github.com/google/uuid"

	"github.com/amanat/amn/api/openapi"
	"github.com/amanat/amn/auth"
	"github.com/amanat/amn/chat"
)

// Chat (docs/chat.md): an offer's conversation between the request's buyer and the offer's seller,
// its messages, edits, deletes and read receipts. Each change is an event of the room chat-{id}
// on /v1/ws; these routes are the history and the writes.

// chatCaller is the signed-in caller of a chat route.
func (v *v1) chatCaller(ctx context.Context) (chat.Caller, error) {
	if v.chat == nil {
		return chat.Caller{}, errNoChat
	}
	p, err := principal(ctx)
	if err != nil {
		return chat.Caller{}, err
	}
	return chat.Caller{UserID: p.UserID, Admin: p.HasRole(auth.RoleAdmin)}, nil
}

// chargeChat charges conversation id's rate limit (RateRule chat-room) for who's write, once who
// may write there (anyone else gets the conversation's not-found or refusal, and charges
// nothing), keyed by the id's canonical form however the path spelled it.
func (v *v1) chargeChat(ctx context.Context, who chat.Caller, id uuid.UUID) error {
	if err := v.chat.MayWrite(ctx, who, id); err != nil {
		return err
	}
	return chargeSegment(ctx, "chatId", id.String())
}

// OpenChat opens (or finds) an offer's conversation.
func (v *v1) OpenChat(ctx context.Context, req openapi.OpenChatRequestObject) (openapi.OpenChatResponseObject, error) {
	who, err := v.chatCaller(ctx)
	if err != nil {
		return nil, err
	}
	c, err := v.chat.Open(ctx, who, req.OfferId)
	if err != nil {
		return nil, err
	}
	body, err := v.chatBody(ctx, who, c)
	return openapi.OpenChat200JSONResponse(body), err
}

// GetChat answers a conversation with the caller's receipt.
func (v *v1) GetChat(ctx context.Context, req openapi.GetChatRequestObject) (openapi.GetChatResponseObject, error) {
	who, err := v.chatCaller(ctx)
	if err != nil {
		return nil, err
	}
	c, err := v.chat.Get(ctx, who, req.ChatId)
	if err != nil {
		return nil, err
	}
	body, err := v.chatBody(ctx, who, c)
	return openapi.GetChat200JSONResponse(body), err
}

// chatBody is c with who's receipt (none for an admin reading another's conversation).
func (v *v1) chatBody(ctx context.Context, who chat.Caller, c *chat.Conversation) (openapi.Chat, error) {
	out := openapi.Chat{Id: c.ID, RequestId: c.RequestID, OfferId: c.OfferID, BuyerId: c.BuyerID, SellerId: c.SellerID, CreatedAt: c.CreatedAt}
	if !c.Party(who.UserID) {
		return out, nil
	}
	r, err := v.chat.Unread(ctx, who, c.ID)
	out.LastRead, out.Unread = r.LastRead, r.Unread
	return out, err
}

// ListChatMessages pages the history after a seq.
func (v *v1) ListChatMessages(ctx context.Context, req openapi.ListChatMessagesRequestObject) (openapi.ListChatMessagesResponseObject, error) {
	who, err := v.chatCaller(ctx)
	if err != nil {
		return nil, err
	}
	var after int64
	if req.Params.After != nil {
		after = *req.Params.After
	}
	n := 20
	if req.Params.Limit != nil {
		n = *req.Params.Limit
	}
	ms, err := v.chat.Messages(ctx, who, req.ChatId, after, n)
	if err != nil {
		return nil, err
	}
	out := openapi.ListChatMessages200JSONResponse{Items: make([]openapi.ChatMessage, 0, len(ms))}
	for i := range ms {
		out.Items = append(out.Items, chatMessageBody(&ms[i]))
	}
	if len(ms) == n {
		out.NextAfter = &ms[len(ms)-1].Seq
	}
	return out, nil
}

// SendChatMessage writes the caller's message.
func (v *v1) SendChatMessage(ctx context.Context, req openapi.SendChatMessageRequestObject) (openapi.SendChatMessageResponseObject, error) {
	who, err := v.chatCaller(ctx)
	if err != nil {
		return nil, err
	}
	var in chat.SendInput
	if req.Body.Text != nil {
		in.Text = *req.Body.Text
	}
	if req.Body.Attachments != nil {
		in.Attachments = *req.Body.Attachments
	}
	if err := v.chargeChat(ctx, who, req.ChatId); err != nil {
		return nil, err
	}
	m, err := v.chat.Send(ctx, who, req.ChatId, in)
	if err != nil {
		return nil, err
	}
	return openapi.SendChatMessage201JSONResponse(chatMessageBody(m)), nil
}

// EditChatMessage changes the caller's own message.
func (v *v1) EditChatMessage(ctx context.Context, req openapi.EditChatMessageRequestObject) (openapi.EditChatMessageResponseObject, error) {
	who, err := v.chatCaller(ctx)
	if err != nil {
		return nil, err
	}
	if err := v.chargeChat(ctx, who, req.ChatId); err != nil {
		return nil, err
	}
	m, err := v.chat.Edit(ctx, who, req.ChatId, req.MessageId, req.Body.Text)
	if err != nil {
		return nil, err
	}
	return openapi.EditChatMessage200JSONResponse(chatMessageBody(m)), nil
}

// DeleteChatMessage blanks the caller's own message.
func (v *v1) DeleteChatMessage(ctx context.Context, req openapi.DeleteChatMessageRequestObject) (openapi.DeleteChatMessageResponseObject, error) {
	who, err := v.chatCaller(ctx)
	if err != nil {
		return nil, err
	}
	m, err := v.chat.Delete(ctx, who, req.ChatId, req.MessageId)
	if err != nil {
		return nil, err
	}
	return openapi.DeleteChatMessage200JSONResponse(chatMessageBody(m)), nil
}

// MarkChatRead moves the caller's receipt forward.
func (v *v1) MarkChatRead(ctx context.Context, req openapi.MarkChatReadRequestObject) (openapi.MarkChatReadResponseObject, error) {
	who, err := v.chatCaller(ctx)
	if err != nil {
		return nil, err
	}
	r, err := v.chat.MarkRead(ctx, who, req.ChatId, req.Body.Seq)
	if err != nil {
		return nil, err
	}
	return openapi.MarkChatRead200JSONResponse{LastRead: r.LastRead, Unread: r.Unread}, nil
}

func chatMessageBody(m *chat.Message) openapi.ChatMessage {
	out := openapi.ChatMessage{Id: m.ID, ChatId: m.ConversationID, Seq: m.Seq, SenderId: m.SenderID, Kind: openapi.ChatMessageKind(m.Kind),
		Body: m.Body, Attachments: m.Attachments, CreatedAt: m.CreatedAt, EditedAt: m.EditedAt, DeletedAt: m.DeletedAt}
	if out.Attachments == nil {
		out.Attachments = []uuid.UUID{}
	}
	if s := m.System; s != nil {
		sys := openapi.ChatSystem{Event: openapi.ChatSystemEvent(s.Event), PaymentSeq: s.PaymentSeq, State: s.State, Links: []openapi.ChatLink{}}
		if id, err := uuid.Parse(s.Payment); err == nil {
			sys.Payment = id
		}
		for _, l := range s.Links {
			sys.Links = append(sys.Links, openapi.ChatLink{Rel: l.Rel, Url: l.URL})
		}
		out.System = &sys
	}
	return out
}

package chat_test

import (
	"context"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/amanat/amn/chat"
	"github.com/amanat/amn/upload"
)

// A conversation is one per offer, opened by either party, the same one each time; others (other
// buyers, other sellers) cannot open, read or find it; admins read it but do not write.
func TestOpenOnePerOfferAndOnlyItsParties(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	buyer, seller, other := w.user(t), w.user(t), w.user(t)
	_, o := w.offer(t, buyer, seller, 1_000_000)
	a, err := w.chat.Open(ctx, buyer, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	b, err := w.chat.Open(ctx, seller, o.ID)
	if err != nil || b.ID != a.ID || a.BuyerID != buyer.UserID || a.SellerID != seller.UserID || a.OfferID != o.ID {
		t.Fatalf("seller's open: %+v, %v; buyer's %+v", b, err, a)
	}
	_, err = w.chat.Open(ctx, other, o.ID)
	wantErr(t, "another user opens", err, chat.ErrNotFound)
	_, err = w.chat.Open(ctx, buyer, uuid.New())
	wantErr(t, "an unknown offer", err, chat.ErrNotFound)
	_, err = w.chat.Get(ctx, other, a.ID)
	wantErr(t, "another user reads", err, chat.ErrNotFound)
	_, err = w.chat.Messages(ctx, other, a.ID, 0, 10)
	wantErr(t, "another user's history", err, chat.ErrNotFound)
	_, err = w.chat.Send(ctx, other, a.ID, chat.SendInput{Text: "hi"})
	wantErr(t, "another user writes", err, chat.ErrNotFound)
	admin := chat.Caller{UserID: other.UserID, Admin: true}
	if c, err := w.chat.Open(ctx, admin, o.ID); err != nil || c.ID != a.ID {
		t.Fatalf("admin opens: %+v, %v", c, err)
	}
	if err := w.chat.MayRead(ctx, admin, a.ID); err != nil {
		t.Fatal(err)
	}
	_, err = w.chat.Send(ctx, admin, a.ID, chat.SendInput{Text: "hello from an admin"})
	wantErr(t, "an admin writes", err, chat.ErrRefused)
}

// Messages take their room's seq, are published in their transaction, and page by seq; edits,
// deletes and receipts are events of the room; unread counts the other side's messages.
func TestSendEditDeleteReadAndHistory(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	c, buyer, seller := w.conversation(t)
	var sent []*chat.Message
	for i, who := range []chat.Caller{buyer, seller, buyer} {
		m, err := w.chat.Send(ctx, who, c.ID, chat.SendInput{Text: "  message <b>" + string(rune('a'+i)) + "</b>\n "})
		if err != nil {
			t.Fatal(err)
		}
		sent = append(sent, m)
	}
	if sent[0].Seq != 1 || sent[2].Seq != 3 || sent[0].Body != "message <b>a</b>" {
		t.Fatalf("sent: %+v %+v", sent[0], sent[2])
	}
	if _, err := w.chat.Edit(ctx, buyer, c.ID, sent[0].ID, "edited"); err != nil {
		t.Fatal(err)
	}
	_, err := w.chat.Edit(ctx, seller, c.ID, sent[0].ID, "not mine")
	wantErr(t, "editing the other's message", err, chat.ErrNotYours)
	if _, err := w.chat.Delete(ctx, buyer, c.ID, sent[2].ID); err != nil {
		t.Fatal(err)
	}
	_, err = w.chat.Edit(ctx, buyer, c.ID, sent[2].ID, "back")
	wantErr(t, "editing a deleted message", err, chat.ErrDeleted)
	_, err = w.chat.Delete(ctx, buyer, uuid.New(), sent[0].ID)
	wantErr(t, "a message through another conversation", err, chat.ErrNotFound)

	r, err := w.chat.Unread(ctx, seller, c.ID)
	if err != nil || r.Unread != 1 || r.LastRead != 0 { // the buyer's first (the third is deleted)
		t.Fatalf("seller's unread: %+v, %v", r, err)
	}
	if r, err = w.chat.MarkRead(ctx, seller, c.ID, 1_000); err != nil || r.LastRead != 3 || r.Unread != 0 {
		t.Fatalf("read: %+v, %v", r, err)
	}
	if r, err = w.chat.MarkRead(ctx, seller, c.ID, 1); err != nil || r.LastRead != 3 {
		t.Fatalf("a receipt moved back: %+v, %v", r, err)
	}
	want := "1:chat.message 2:chat.message 3:chat.message 4:chat.edit 5:chat.delete 6:chat.read 7:chat.read"
	if got := w.roomEvents(t, c.ID); got != want {
		t.Fatalf("room:\n got %s\nwant %s", got, want)
	}
	page, err := w.chat.Messages(ctx, seller, c.ID, 1, 1)
	if err != nil || len(page) != 1 || page[0].Seq != 2 {
		t.Fatalf("page after 1: %+v, %v", page, err)
	}
	all, err := w.chat.Messages(ctx, buyer, c.ID, 0, 100)
	if err != nil || len(all) != 3 || all[0].Body != "edited" || all[0].EditedAt == nil || all[2].Body != "" || all[2].DeletedAt == nil {
		t.Fatalf("history: %+v, %v", all, err)
	}
}

// Oversized, empty, control-character and malformed input is refused and writes nothing.
func TestSendRefusesBadInput(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	c, buyer, _ := w.conversation(t)
	for name, in := range map[string]chat.SendInput{
		"empty":          {Text: "   "},
		"too long":       {Text: strings.Repeat("ش", chat.MaxText+1)},
		"control":        {Text: "bell\x07"},
		"not utf-8":      {Text: "\xff\xfe"},
		"too many files": {Text: "x", Attachments: []uuid.UUID{uuid.New(), uuid.New(), uuid.New(), uuid.New(), uuid.New(), uuid.New()}},
		"same file":      {Text: "x", Attachments: []uuid.UUID{c.ID, c.ID}},
	} {
		_, err := w.chat.Send(ctx, buyer, c.ID, in)
		wantErr(t, name, err, chat.ErrInvalid)
	}
	if _, err := w.chat.Send(ctx, buyer, c.ID, chat.SendInput{Text: strings.Repeat("<", chat.MaxText)}); err != nil {
		t.Fatalf("the longest message, all escaped in JSON: %v", err)
	}
	_, err := w.chat.Messages(ctx, buyer, c.ID, -1, 10)
	wantErr(t, "a negative cursor", err, chat.ErrInvalid)
	_, err = w.chat.Messages(ctx, buyer, c.ID, 0, chat.MaxPage+1)
	wantErr(t, "a page too large", err, chat.ErrInvalid)
	if got := w.roomEvents(t, c.ID); got != "1:chat.message" {
		t.Fatalf("room: %s", got)
	}
}

// Attachments must be the sender's own uploads; once sent, the other party may read them and
// nobody else may. A refused attachment rolls the whole message back.
func TestAttachmentsAreTheSendersAndReadableByTheParties(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	c, buyer, seller := w.conversation(t)
	outsider := w.user(t)
	mine, theirs := w.upload(t, buyer), w.upload(t, outsider)
	_, err := w.chat.Send(ctx, buyer, c.ID, chat.SendInput{Text: "look", Attachments: []uuid.UUID{mine, theirs}})
	wantErr(t, "another user's upload", err, upload.ErrNotFound)
	if got := w.roomEvents(t, c.ID); got != "" {
		t.Fatalf("a refused message was published: %s", got)
	}
	if _, err := w.files.Get(ctx, upload.Caller{UserID: seller.UserID}, mine); err == nil {
		t.Fatal("the seller reads the buyer's upload before it was sent")
	}
	m, err := w.chat.Send(ctx, buyer, c.ID, chat.SendInput{Attachments: []uuid.UUID{mine}})
	if err != nil || len(m.Attachments) != 1 {
		t.Fatalf("send: %+v, %v", m, err)
	}
	if _, err := w.files.Get(ctx, upload.Caller{UserID: seller.UserID}, mine); err != nil {
		t.Fatalf("the seller reads the attachment: %v", err)
	}
	_, err = w.files.Get(ctx, upload.Caller{UserID: outsider.UserID}, mine)
	wantErr(t, "an outsider reads the attachment", err, upload.ErrNotFound)
}

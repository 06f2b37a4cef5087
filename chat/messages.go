package chat

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/amanat/amn/db"
	"github.com/amanat/amn/realtime"
	"github.com/amanat/amn/upload"
)

// Message kinds.
const (
	KindText   = "text"
	KindSystem = "system"
)

// Message is one message as it stands now (an edited one has its last text, a deleted one none).
type Message struct {
	ID             uuid.UUID
	ConversationID uuid.UUID
	Seq            int64      // its room's seq when it was sent: the history's cursor
	SenderID       *uuid.UUID // nil for a system message
	Kind           string
	Body           string
	Attachments    []uuid.UUID
	System         *System // a system message's what
	CreatedAt      time.Time
	EditedAt       *time.Time
	DeletedAt      *time.Time
}

// System is what a system message says, for clients to show in their language.
type System struct {
	Event      string `json:"event"` // payment.seen, payment.credited, payment.in_escrow, payment.released, payment.refunded
	Payment    string `json:"payment"`
	PaymentSeq int    `json:"paymentSeq"` // the payment timeline row it tells of
	State      string `json:"state"`
	Links      []Link `json:"links"`
}

// Link is a link to the chain (the explorer's page of the deposit).
type Link struct {
	Rel string `json:"rel"`
	URL string `json:"url"`
}

// SendInput is a party's new message.
type SendInput struct {
	Text        string
	Attachments []uuid.UUID
}

// checkText trims text and checks its size and characters: plain text, no control characters but
// line breaks and tabs (clients never render it as HTML).
func checkText(text string, empty bool) (string, error) {
	text = strings.TrimSpace(text)
	switch {
	case !utf8.ValidString(text):
		return "", fmt.Errorf("%w: the text is not UTF-8", ErrInvalid)
	case text == "" && !empty:
		return "", fmt.Errorf("%w: the message is empty", ErrInvalid)
	case utf8.RuneCountInString(text) > MaxText:
		return "", fmt.Errorf("%w: at most %d characters", ErrInvalid, MaxText)
	case strings.ContainsFunc(text, func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\t' }):
		return "", fmt.Errorf("%w: control characters", ErrInvalid)
	}
	return text, nil
}

func checkAttachments(ids []uuid.UUID) error {
	if len(ids) > MaxAttachments {
		return fmt.Errorf("%w: at most %d attachments", ErrInvalid, MaxAttachments)
	}
	seen := map[uuid.UUID]bool{}
	for _, id := range ids {
		if id == uuid.Nil || seen[id] {
			return fmt.Errorf("%w: attachment ids must be distinct uploads", ErrInvalid)
		}
		seen[id] = true
	}
	return nil
}

// party reads conversation id for who to write in: a party's (or, in a dispute's, an admin's),
// else ErrNotFound (not theirs) or ErrRefused (an admin who is not a party of an offer's).
func (s *Service) party(ctx context.Context, who Caller, id uuid.UUID) (*Conversation, error) {
	c, err := s.Get(ctx, who, id)
	if err != nil {
		return nil, err
	}
	if !c.Writer(who) {
		return nil, ErrRefused
	}
	return c, nil
}

// MayWrite is nil when who may write in conversation id (send, edit, delete): its parties, and in
// a dispute's conversation admins; else ErrNotFound or ErrRefused, as Send would answer. The API
// checks it before it charges the conversation's rate limit, so that nobody else can use it up.
func (s *Service) MayWrite(ctx context.Context, who Caller, id uuid.UUID) error {
	_, err := s.party(ctx, who, id)
	return err
}

// Send writes who's message into conversation id and publishes it (chat.message) in the same
// transaction. Attachments must be uploads who owns; they become readable by both parties.
func (s *Service) Send(ctx context.Context, who Caller, id uuid.UUID, in SendInput) (*Message, error) {
	text, err := checkText(in.Text, len(in.Attachments) > 0)
	if err != nil {
		return nil, err
	}
	if err := checkAttachments(in.Attachments); err != nil {
		return nil, err
	}
	if len(in.Attachments) > 0 && s.files == nil {
		return nil, fmt.Errorf("%w: attachments are not configured on this server", ErrInvalid)
	}
	if _, err := s.party(ctx, who, id); err != nil {
		return nil, err
	}
	sender := who.UserID
	m := &Message{ID: uuid.New(), ConversationID: id, SenderID: &sender, Kind: KindText, Body: text,
		Attachments: in.Attachments, CreatedAt: clock()}
	if m.Attachments == nil {
		m.Attachments = []uuid.UUID{}
	}
	err = db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		for _, a := range m.Attachments {
			if err := s.files.Attach(ctx, tx, upload.Caller{UserID: who.UserID}, a, upload.KindChat, id.String()); err != nil {
				return fmt.Errorf("attachment %s: %w", a, err)
			}
		}
		return insert(ctx, tx, m, "")
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// insert publishes m (chat.message) into its room and stores it with the room's seq.
func insert(ctx context.Context, tx pgx.Tx, m *Message, systemKey string) error {
	seq, err := realtime.Publish(ctx, tx, realtime.ChatRoom(m.ConversationID), "chat.message", messageEvent(m))
	if err != nil {
		return err
	}
	m.Seq = seq
	var key, system any
	if systemKey != "" {
		key = systemKey
		b, err := json.Marshal(m.System)
		if err != nil {
			return err
		}
		system = b
	}
	_, err = tx.Exec(ctx, insertMessage, m.ID, m.ConversationID, m.Seq, m.SenderID, m.Kind, m.Body, m.Attachments, key, system, m.CreatedAt)
	if err != nil {
		return fmt.Errorf("chat: saving a message: %w", err)
	}
	return nil
}

// messageEvent is a message's realtime payload: the message itself (it fits: MaxText).
func messageEvent(m *Message) map[string]any {
	e := map[string]any{"id": m.ID, "kind": m.Kind, "sender": m.SenderID, "body": m.Body, "attachments": m.Attachments,
		"createdAt": m.CreatedAt}
	if m.System != nil {
		e["system"] = m.System
	}
	return e
}

// Edit changes the text of who's own message (chat.edit); Delete blanks it (chat.delete). Both are
// events of the room; the message keeps its seq.
func (s *Service) Edit(ctx context.Context, who Caller, id, msg uuid.UUID, text string) (*Message, error) {
	text, err := checkText(text, false)
	if err != nil {
		return nil, err
	}
	return s.change(ctx, who, id, msg, "chat.edit", func(tx pgx.Tx, m *Message, at time.Time) error {
		m.Body, m.EditedAt = text, &at
		_, err := tx.Exec(ctx, editMessage, m.ID, text, at)
		return err
	})
}

// Delete blanks who's own message (its text and attachments); the row and its seq stay.
func (s *Service) Delete(ctx context.Context, who Caller, id, msg uuid.UUID) (*Message, error) {
	return s.change(ctx, who, id, msg, "chat.delete", func(tx pgx.Tx, m *Message, at time.Time) error {
		m.Body, m.Attachments, m.DeletedAt = "", []uuid.UUID{}, &at
		_, err := tx.Exec(ctx, deleteMessage, m.ID, at)
		return err
	})
}

// change locks who's message msg of conversation id, applies fn and publishes ev, in one
// transaction.
func (s *Service) change(ctx context.Context, who Caller, id, msg uuid.UUID, ev string,
	fn func(pgx.Tx, *Message, time.Time) error) (*Message, error) {
	if _, err := s.party(ctx, who, id); err != nil {
		return nil, err
	}
	var m *Message
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		var err error
		if m, err = scanMessage(tx.QueryRow(ctx, lockMessage, id, msg)); err != nil {
			return err
		}
		switch {
		case m.SenderID == nil || *m.SenderID != who.UserID:
			return ErrNotYours
		case m.DeletedAt != nil:
			return ErrDeleted
		}
		at := clock()
		if err := fn(tx, m, at); err != nil {
			return err
		}
		_, err = realtime.Publish(ctx, tx, realtime.ChatRoom(id), ev,
			map[string]any{"id": m.ID, "seq": m.Seq, "body": m.Body, "at": at})
		return err
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// Messages is a page of conversation id's messages after seq (0: from the start), oldest first,
// at most n (MaxPage).
func (s *Service) Messages(ctx context.Context, who Caller, id uuid.UUID, after int64, n int) ([]Message, error) {
	if after < 0 || n < 1 || n > MaxPage {
		return nil, fmt.Errorf("%w: after must be a seq and the page 1 to %d messages", ErrInvalid, MaxPage)
	}
	if _, err := s.Get(ctx, who, id); err != nil {
		return nil, err
	}
	rows, err := s.pool.Query(ctx, messagesAfter, id, after, n)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Message{}
	for rows.Next() {
		m, err := scanMessage(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *m)
	}
	return out, rows.Err()
}

// Receipt is a party's read receipt and what is left unread.
type Receipt struct {
	LastRead int64
	Unread   int
}

// MarkRead records that who read conversation id up to seq (never moving back; at most its last
// message) and publishes chat.read.
func (s *Service) MarkRead(ctx context.Context, who Caller, id uuid.UUID, seq int64) (Receipt, error) {
	if seq < 0 {
		return Receipt{}, fmt.Errorf("%w: seq must not be negative", ErrInvalid)
	}
	if _, err := s.party(ctx, who, id); err != nil {
		return Receipt{}, err
	}
	var r Receipt
	err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		var last int64
		if err := tx.QueryRow(ctx, lastMessageSeq, id).Scan(&last); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, markRead, id, who.UserID, min(seq, last), clock()).Scan(&r.LastRead); err != nil {
			return err
		}
		if _, err := realtime.Publish(ctx, tx, realtime.ChatRoom(id), "chat.read",
			map[string]any{"user": who.UserID, "seq": r.LastRead}); err != nil {
			return err
		}
		return tx.QueryRow(ctx, unreadCount, id, who.UserID).Scan(&r.Unread)
	})
	return r, err
}

// Unread is who's receipt in conversation id: the last seq read and the others' messages after.
func (s *Service) Unread(ctx context.Context, who Caller, id uuid.UUID) (Receipt, error) {
	if _, err := s.party(ctx, who, id); err != nil {
		return Receipt{}, err
	}
	var r Receipt
	err := s.pool.QueryRow(ctx, lastRead, id, who.UserID).Scan(&r.LastRead)
	if err != nil {
		return r, err
	}
	return r, s.pool.QueryRow(ctx, unreadCount, id, who.UserID).Scan(&r.Unread)
}

func scanMessage(row pgx.Row) (*Message, error) {
	var m Message
	var system []byte
	err := row.Scan(&m.ID, &m.ConversationID, &m.Seq, &m.SenderID, &m.Kind, &m.Body, &m.Attachments, &system,
		&m.CreatedAt, &m.EditedAt, &m.DeletedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, ErrNoMessage
	}
	if err != nil {
		return nil, err
	}
	if system != nil {
		m.System = new(System)
		if err := json.Unmarshal(system, m.System); err != nil {
			return nil, fmt.Errorf("chat: message %s: %w", m.ID, err)
		}
	}
	return &m, nil
}

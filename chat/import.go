package chat

import (
	"context"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// The legacy MongoDB import's entry point (package migrate/mongo calls it in its per-document
// transaction): an old Chat with its messages, in their order. Each message is published into
// its room like a sent one, so its seq is the room's and the history and the socket's replay
// agree; a rerun publishes only the messages it has not imported before.

// ImportedConversation is a conversation of the legacy store, its references resolved.
type ImportedConversation struct {
	ID, Request, Offer, Buyer, Seller uuid.UUID
	CreatedAt                         time.Time
	Messages                          []ImportedMessage // oldest first
}

// ImportedMessage is one message of an old chat.
type ImportedMessage struct {
	ID        uuid.UUID // derived by the importer from the message's old _id
	Sender    uuid.UUID // the buyer or the seller
	Body      string
	CreatedAt time.Time
}

const (
	importConversation = `INSERT INTO chat_conversations (id, request_id, offer_id, buyer_id, seller_id, created_at)
		VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING`
	importedMessageIDs = `SELECT id FROM chat_messages WHERE conversation_id = $1`
	importedCounts     = `SELECT count(*), (SELECT count(*) FROM chat_messages WHERE conversation_id = ANY($1::uuid[]))
		FROM chat_conversations WHERE id = ANY($1::uuid[])`
)

// ImportConversation writes an old conversation and the messages of it not imported yet. A
// message by neither party, or longer than MaxText, is ErrInvalid (and the importer's
// transaction is rolled back whole); another conversation already open on the offer is too.
func ImportConversation(ctx context.Context, tx pgx.Tx, c ImportedConversation) error {
	if c.Buyer == c.Seller {
		return fmt.Errorf("%w: buyer and seller are the same user", ErrInvalid)
	}
	for i, m := range c.Messages {
		if m.Sender != c.Buyer && m.Sender != c.Seller {
			return fmt.Errorf("%w: message %d is by neither party", ErrInvalid, i)
		}
		if utf8.RuneCountInString(m.Body) > MaxText || !utf8.ValidString(m.Body) {
			return fmt.Errorf("%w: message %d is longer than %d characters", ErrInvalid, i, MaxText)
		}
	}
	if _, err := tx.Exec(ctx, importConversation, c.ID, c.Request, c.Offer, c.Buyer, c.Seller, c.CreatedAt.UTC()); err != nil {
		if isUnique(err) {
			return fmt.Errorf("%w: the offer has a conversation already", ErrInvalid)
		}
		return fmt.Errorf("chat: import conversation: %w", err)
	}
	var owner uuid.UUID
	if err := tx.QueryRow(ctx, `SELECT offer_id FROM chat_conversations WHERE id = $1`, c.ID).Scan(&owner); err != nil {
		return fmt.Errorf("chat: import conversation: %w", err)
	}
	if owner != c.Offer {
		return fmt.Errorf("%w: conversation %s is another offer's", ErrInvalid, c.ID)
	}
	rows, err := tx.Query(ctx, importedMessageIDs, c.ID)
	if err != nil {
		return err
	}
	have, err := pgx.CollectRows(rows, pgx.RowTo[uuid.UUID])
	if err != nil {
		return err
	}
	seen := make(map[uuid.UUID]bool, len(have))
	for _, id := range have {
		seen[id] = true
	}
	for _, im := range c.Messages {
		if seen[im.ID] {
			continue
		}
		sender := im.Sender
		m := &Message{ID: im.ID, ConversationID: c.ID, SenderID: &sender, Kind: "text", Body: im.Body,
			Attachments: []uuid.UUID{}, CreatedAt: im.CreatedAt.UTC()}
		if err := insert(ctx, tx, m, ""); err != nil {
			return err
		}
	}
	return nil
}

// ImportedCounts counts the conversations among ids and their messages (the import's
// verification).
func ImportedCounts(ctx context.Context, tx pgx.Tx, ids []uuid.UUID) (conversations, messages int64, err error) {
	err = tx.QueryRow(ctx, importedCounts, ids).Scan(&conversations, &messages)
	return conversations, messages, err
}

// isUnique says whether err is a unique violation (the offer's conversation exists).
func isUnique(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505"
}

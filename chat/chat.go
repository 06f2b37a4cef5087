package chat

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/amanat/amn/kind"
	"github.com/amanat/amn/market"
	"github.com/amanat/amn/upload"
)

// The chat's errors. A conversation the caller is not in is ErrNotFound: its existence never
// leaks.
var (
	ErrNotFound  = kind.New(kind.NotFound, "no such conversation")
	ErrNoMessage = kind.New(kind.NotFound, "no such message")
	ErrInvalid   = kind.New(kind.Invalid, "invalid message")
	ErrRefused   = kind.New(kind.Refused, "only the conversation's parties may write in it")
	ErrNotYours  = kind.New(kind.Refused, "only a message's sender may change it")
	ErrDeleted   = kind.New(kind.Conflict, "the message is deleted")
)

// The message limits. A message's event must fit realtime.MaxPayload even with every character
// escaped in JSON (six bytes each).
const (
	MaxText        = 1000
	MaxAttachments = 5
	MaxPage        = 100
)

// Caller is who asks.
type Caller struct {
	UserID uuid.UUID
	Admin  bool
}

// Offers says whose an offer is (market.Service).
type Offers interface {
	OfferParties(ctx context.Context, offerID uuid.UUID) (market.Parties, error)
}

// Attacher attaches an upload to a conversation in the caller's transaction, checking the sender
// owns it (upload.Service).
type Attacher interface {
	Attach(ctx context.Context, q upload.Querier, who upload.Caller, id uuid.UUID, k upload.Kind, attachedID string) error
}

// Conversation is one offer's chat between the request's buyer and the offer's seller, or a
// dispute's (DisputeID set), in which admins write too.
type Conversation struct {
	ID, RequestID, OfferID, BuyerID, SellerID uuid.UUID
	DisputeID                                 uuid.NullUUID
	CreatedAt                                 time.Time
}

// Writer says whether who may write in c: its two sides, and in a dispute's conversation admins.
func (c *Conversation) Writer(who Caller) bool {
	return c.Party(who.UserID) || (c.DisputeID.Valid && who.Admin && who.UserID != uuid.Nil)
}

// Party says whether user is one of c's two sides.
func (c *Conversation) Party(user uuid.UUID) bool {
	return user != uuid.Nil && (user == c.BuyerID || user == c.SellerID)
}

// Service runs the chat. offers and files may be nil in the worker (it writes system messages
// only).
type Service struct {
	pool   *pgxpool.Pool
	offers Offers
	files  Attacher
}

// New returns a chat on pool.
func New(pool *pgxpool.Pool, offers Offers, files Attacher) *Service {
	return &Service{pool: pool, offers: offers, files: files}
}

// clock is now as the package stores times: UTC, to the microsecond (as PostgreSQL keeps them).
func clock() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }

// Open returns the conversation of an offer, opening it on first use. Only the request's buyer and
// the offer's seller open one; admins read the ones that exist. Another's offer is ErrNotFound.
func (s *Service) Open(ctx context.Context, who Caller, offerID uuid.UUID) (*Conversation, error) {
	if s.offers == nil {
		return nil, fmt.Errorf("chat: no market to open conversations with")
	}
	p, err := s.offers.OfferParties(ctx, offerID)
	if errors.Is(err, market.ErrOfferNotFound) || errors.Is(err, market.ErrNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	if who.UserID != p.BuyerID && who.UserID != p.SellerID {
		if !who.Admin {
			return nil, ErrNotFound
		}
		return scanConversation(s.pool.QueryRow(ctx, conversationByOffer, offerID))
	}
	return ensure(ctx, s.pool, p, clock())
}

// Querier is a pool or a transaction.
type Querier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

// ensure returns an offer's conversation, inserting it if it is missing.
func ensure(ctx context.Context, q Querier, p market.Parties, at time.Time) (*Conversation, error) {
	if _, err := q.Exec(ctx, insertConversation, uuid.New(), p.RequestID, p.OfferID, p.BuyerID, p.SellerID, at); err != nil {
		return nil, fmt.Errorf("chat: opening the conversation of offer %s: %w", p.OfferID, err)
	}
	return scanConversation(q.QueryRow(ctx, conversationByOffer, p.OfferID))
}

// DisputeParties are the sides of a dispute's conversation.
type DisputeParties struct {
	DisputeID, RequestID, OfferID, BuyerID, SellerID uuid.UUID
}

// OpenDisputeTx opens the three-way conversation of a dispute (its buyer, its seller and admins),
// in the caller's transaction q (package dispute opens it with the case). Opening it again returns
// it.
func OpenDisputeTx(ctx context.Context, q Querier, p DisputeParties) (*Conversation, error) {
	if _, err := q.Exec(ctx, insertDisputeConversation, uuid.New(), p.RequestID, p.OfferID, p.BuyerID, p.SellerID, p.DisputeID, clock()); err != nil {
		return nil, fmt.Errorf("chat: opening the conversation of dispute %s: %w", p.DisputeID, err)
	}
	return scanConversation(q.QueryRow(ctx, conversationByDispute, p.DisputeID))
}

// Get returns a conversation the caller is a party of (or any, to an admin).
func (s *Service) Get(ctx context.Context, who Caller, id uuid.UUID) (*Conversation, error) {
	c, err := scanConversation(s.pool.QueryRow(ctx, conversationByID, id))
	if err != nil {
		return nil, err
	}
	if !c.Party(who.UserID) && !who.Admin {
		return nil, ErrNotFound
	}
	return c, nil
}

// MayRead is nil when who may read conversation id (its room, its attachments): its parties and
// admins. Anyone else gets ErrNotFound.
func (s *Service) MayRead(ctx context.Context, who Caller, id uuid.UUID) error {
	_, err := s.Get(ctx, who, id)
	return err
}

// AttachmentRule is package upload's Rule for chat attachments: the conversation's parties and
// admins may read them.
func (s *Service) AttachmentRule(ctx context.Context, who upload.Caller, attachedID string) (bool, error) {
	id, err := uuid.Parse(attachedID)
	if err != nil {
		return false, nil
	}
	err = s.MayRead(ctx, Caller{UserID: who.UserID, Admin: who.Admin}, id)
	if errors.Is(err, ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}

func scanConversation(row pgx.Row) (*Conversation, error) {
	var c Conversation
	err := row.Scan(&c.ID, &c.RequestID, &c.OfferID, &c.BuyerID, &c.SellerID, &c.DisputeID, &c.CreatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, ErrNotFound
	}
	return &c, err
}

package chat

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
)

// Summary is one of my conversations as my list shows it: the conversation, my read receipt, the
// others' messages after it, and its last message's seq and time.
type Summary struct {
	Conversation
	LastRead int64
	Unread   int
	LastSeq  int64 // 0: no message yet
	// ActiveAt is the last message's time, or the conversation's opening without one: the list's
	// order.
	ActiveAt time.Time
}

// ListCursor is where a page of my conversations starts: after (ActiveAt, ID), most recent first.
type ListCursor struct {
	ActiveAt time.Time
	ID       uuid.UUID
}

// List is a page of the conversations who is a party of (an admin's too: only those they are a
// party of), the most recently active first, after cursor (nil: from the top), at most n
// (MaxPage), with unread counts, and the next page's cursor (nil on the last). A conversation
// that becomes active while a client pages moves to the top: the client reads it there.
func (s *Service) List(ctx context.Context, who Caller, after *ListCursor, n int) ([]Summary, *ListCursor, error) {
	if n < 1 || n > MaxPage {
		return nil, nil, fmt.Errorf("%w: a page is 1 to %d conversations", ErrInvalid, MaxPage)
	}
	var at *time.Time
	var id uuid.UUID
	if after != nil {
		at, id = &after.ActiveAt, after.ID
	}
	rows, err := s.pool.Query(ctx, myConversations, who.UserID, at, id, n+1)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	out := []Summary{}
	for rows.Next() {
		var x Summary
		c := &x.Conversation
		if err := rows.Scan(&c.ID, &c.RequestID, &c.OfferID, &c.BuyerID, &c.SellerID, &c.CreatedAt,
			&x.LastRead, &x.Unread, &x.LastSeq, &x.ActiveAt); err != nil {
			return nil, nil, err
		}
		out = append(out, x)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	if len(out) <= n {
		return out, nil, nil
	}
	out = out[:n]
	return out, &ListCursor{ActiveAt: out[n-1].ActiveAt, ID: out[n-1].ID}, nil
}

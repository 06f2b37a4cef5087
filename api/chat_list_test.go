package api

import (
	"testing"
	"time"

	"github.com/go-redis/redis_rate/v10"

	"github.com/amanat/amn/auth"
	"github.com/amanat/amn/devnet"
)

type chatSummaryJSON struct {
	ID                string
	LastRead, LastSeq int64
	Unread            int
	ActiveAt          time.Time
}

type chatPageJSON struct {
	Items      []chatSummaryJSON
	NextCursor *string
}

// My conversations: a party sees its own, the most recently active first, with its unread
// counts; a page's cursor leads to the next; nobody sees another's.
func TestMyConversations(t *testing.T) {
	a := newNotifyAPI(t, nil, nil)
	buyer, _ := a.person("en", auth.RoleBuyer)
	s1, _ := a.person("en", auth.RoleSeller)
	s2, _ := a.person("fa", auth.RoleSeller)
	outsider, _ := a.person("en", auth.RoleBuyer, auth.RoleSeller)
	r := a.request(buyer, "Vintage camera lens")
	o1, o2 := a.offer(r.ID, s1, devnet.AnvilAccount(2), "150"), a.offer(r.ID, s2, devnet.AnvilAccount(3), "160")
	var c1, c2 chatJSON
	a.call("POST", "/v1/marketplace/offers/"+o1.ID+"/chat", nil, s1.AccessToken, 200, &c1)
	a.call("POST", "/v1/marketplace/offers/"+o2.ID+"/chat", nil, s2.AccessToken, 200, &c2)
	a.call("POST", "/v1/chats/"+c2.ID+"/messages", map[string]any{"text": "hello from two"}, s2.AccessToken, 201, nil)
	a.call("POST", "/v1/chats/"+c1.ID+"/messages", map[string]any{"text": "hello from one"}, s1.AccessToken, 201, nil)
	a.call("POST", "/v1/chats/"+c1.ID+"/messages", map[string]any{"text": "still there?"}, s1.AccessToken, 201, nil)
	a.call("POST", "/v1/chats/"+c1.ID+"/messages", map[string]any{"text": "yes"}, buyer.AccessToken, 201, nil)

	var page chatPageJSON
	a.call("GET", "/v1/chats", nil, buyer.AccessToken, 200, &page)
	if len(page.Items) != 2 || page.NextCursor != nil || page.Items[0].ID != c1.ID || page.Items[1].ID != c2.ID {
		t.Fatalf("the buyer's chats: %+v", page)
	}
	if page.Items[0].Unread != 2 || page.Items[0].LastSeq != 3 || page.Items[1].Unread != 1 || page.Items[1].LastSeq != 1 ||
		!page.Items[0].ActiveAt.After(page.Items[1].ActiveAt) {
		t.Fatalf("unread counts and order: %+v", page.Items)
	}
	var first, second chatPageJSON
	a.call("GET", "/v1/chats?limit=1", nil, buyer.AccessToken, 200, &first)
	if len(first.Items) != 1 || first.NextCursor == nil || first.Items[0].ID != c1.ID {
		t.Fatalf("page 1: %+v", first)
	}
	a.call("GET", "/v1/chats?limit=1&cursor="+*first.NextCursor, nil, buyer.AccessToken, 200, &second)
	if len(second.Items) != 1 || second.Items[0].ID != c2.ID || second.NextCursor != nil {
		t.Fatalf("page 2: %+v", second)
	}
	a.call("GET", "/v1/chats", nil, s1.AccessToken, 200, &page)
	if len(page.Items) != 1 || page.Items[0].ID != c1.ID || page.Items[0].Unread != 1 {
		t.Fatalf("seller one's chats: %+v", page)
	}
	a.call("GET", "/v1/chats", nil, outsider.AccessToken, 200, &page)
	if len(page.Items) != 0 {
		t.Fatalf("an outsider's chats: %+v", page)
	}
	a.call("GET", "/v1/chats?cursor=not-a-cursor", nil, buyer.AccessToken, 400, nil)
	a.call("GET", "/v1/chats", nil, "", 401, nil)
}

// Sending is limited per user (across conversations) and per conversation (both parties
// together), in Redis: over either, 429 rate_limited with Retry-After, and nothing is sent. Reads
// and the other conversation's party are not limited by it; an id in upper case is the same
// conversation.
func TestChatSendingIsRateLimited(t *testing.T) {
	a := newNotifyAPI(t, &ChatLimits{
		PerUser: redis_rate.Limit{Rate: 3, Burst: 3, Period: time.Minute},
		PerChat: redis_rate.Limit{Rate: 4, Burst: 4, Period: time.Minute},
	}, nil)
	buyer, _ := a.person("en", auth.RoleBuyer)
	s1, _ := a.person("en", auth.RoleSeller)
	s2, _ := a.person("en", auth.RoleSeller)
	r := a.request(buyer, "Vintage camera lens")
	o1, o2 := a.offer(r.ID, s1, devnet.AnvilAccount(2), "150"), a.offer(r.ID, s2, devnet.AnvilAccount(3), "160")
	var c1, c2 chatJSON
	a.call("POST", "/v1/marketplace/offers/"+o1.ID+"/chat", nil, buyer.AccessToken, 200, &c1)
	a.call("POST", "/v1/marketplace/offers/"+o2.ID+"/chat", nil, buyer.AccessToken, 200, &c2)
	send := func(who auth.Session, chatID string, want int) {
		t.Helper()
		rec := a.call("POST", "/v1/chats/"+chatID+"/messages", map[string]any{"text": "hi"}, who.AccessToken, want, nil)
		if want == 429 {
			b := errorOf(t, rec, 429)
			if b.Error.Code != "rate_limited" || rec.Header().Get("Retry-After") == "" || rec.Header().Get("Retry-After") == "0" {
				t.Fatalf("429 without rate_limited and Retry-After: %v %+v", rec.Header(), b)
			}
		}
	}
	send(buyer, c1.ID, 201)
	send(buyer, c1.ID, 201)
	send(s1, c1.ID, 201)
	send(s1, upper(c1.ID), 201) // the 4th in this conversation
	send(s1, c1.ID, 429)        // s1's 3rd, the conversation's 5th
	send(s2, c2.ID, 201)        // another conversation is not limited by the first's
	send(buyer, c2.ID, 201)     // the buyer's 3rd
	send(buyer, c2.ID, 429)     // the buyer's 4th: over the per-user limit
	a.call("GET", "/v1/chats/"+c1.ID+"/messages", nil, buyer.AccessToken, 200, nil)
	var page struct{ Items []chatMessageJSON }
	a.call("GET", "/v1/chats/"+c1.ID+"/messages?limit=100", nil, s1.AccessToken, 200, &page)
	if len(page.Items) != 4 {
		t.Fatalf("a refused message was sent: %d in the history", len(page.Items))
	}
}

func upper(id string) string {
	b := []byte(id)
	for i, c := range b {
		if c >= 'a' && c <= 'f' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}

package api

import (
	"strings"
	"testing"
	"time"

	"github.com/go-redis/redis_rate/v10"

	"github.com/amanat/amn/auth"
	"github.com/amanat/amn/devnet"
)

// Review of #18: a conversation's limit is charged only once the caller may write in it (a
// stranger's requests do not use it up), under the conversation's canonical id however the path
// spells it ({…}, urn:uuid:, 32 hex digits, upper case), and edits count as sends do.
func TestChatRoomLimitAfterAuthorizationCanonicalAndEdits(t *testing.T) {
	a := newNotifyAPI(t, &ChatLimits{
		PerUser: redis_rate.Limit{Rate: 100, Burst: 100, Period: time.Minute},
		PerChat: redis_rate.Limit{Rate: 4, Burst: 4, Period: time.Minute},
	}, nil)
	buyer, _ := a.person("en", auth.RoleBuyer)
	seller, _ := a.person("en", auth.RoleSeller)
	stranger, _ := a.person("en", auth.RoleBuyer)
	r := a.request(buyer, "Vintage camera lens")
	o := a.offer(r.ID, seller, devnet.AnvilAccount(2), "150")
	var c chatJSON
	a.call("POST", "/v1/marketplace/offers/"+o.ID+"/chat", nil, buyer.AccessToken, 200, &c)

	// A stranger's sends and edits are refused and charge nothing of the conversation's.
	for range 6 {
		if rec := a.do("POST", "/v1/chats/"+c.ID+"/messages", map[string]any{"text": "spam"}, stranger.AccessToken); rec.Code != 404 {
			t.Fatalf("a stranger's send: %d, want 404: %s", rec.Code, rec.Body)
		}
		if rec := a.do("PATCH", "/v1/chats/"+c.ID+"/messages/"+c.ID, map[string]any{"text": "spam"}, stranger.AccessToken); rec.Code != 404 {
			t.Fatalf("a stranger's edit: %d, want 404: %s", rec.Code, rec.Body)
		}
	}
	var m chatMessageJSON
	a.call("POST", "/v1/chats/"+c.ID+"/messages", map[string]any{"text": "hi"}, buyer.AccessToken, 201, &m) // 1st

	// Other spellings of the id are the same conversation (or refused): never a fresh allowance.
	hex := strings.ReplaceAll(c.ID, "-", "")
	sent := 1
	for _, id := range []string{"{" + c.ID + "}", "urn:uuid:" + c.ID, hex, upper(c.ID), "URN:UUID:" + upper(c.ID)} {
		rec := a.do("POST", "/v1/chats/"+id+"/messages", map[string]any{"text": "hi"}, seller.AccessToken)
		switch rec.Code {
		case 201:
			sent++
		case 400, 404, 429:
		default:
			t.Fatalf("a send to %s: %d %s", id, rec.Code, rec.Body)
		}
	}
	if sent > 4 {
		t.Fatalf("%d messages sent in a conversation limited to 4", sent)
	}
	for sent < 4 {
		a.call("POST", "/v1/chats/"+c.ID+"/messages", map[string]any{"text": "hi"}, seller.AccessToken, 201, nil)
		sent++
	}
	// An edit counts too: the conversation's 5th write is refused, edit or send.
	rec := a.call("PATCH", "/v1/chats/"+c.ID+"/messages/"+m.ID, map[string]any{"text": "edited"}, buyer.AccessToken, 429, nil)
	if b := errorOf(t, rec, 429); b.Error.Code != "rate_limited" || rec.Header().Get("Retry-After") == "" {
		t.Fatalf("429 without rate_limited and Retry-After: %v %+v", rec.Header(), b)
	}
	a.call("POST", "/v1/chats/"+c.ID+"/messages", map[string]any{"text": "hi"}, buyer.AccessToken, 429, nil)
}

// Edits count against the sender's own limit as sends do.
func TestChatEditsCountPerUser(t *testing.T) {
	a := newNotifyAPI(t, &ChatLimits{
		PerUser: redis_rate.Limit{Rate: 2, Burst: 2, Period: time.Minute},
		PerChat: redis_rate.Limit{Rate: 100, Burst: 100, Period: time.Minute},
	}, nil)
	buyer, _ := a.person("en", auth.RoleBuyer)
	seller, _ := a.person("en", auth.RoleSeller)
	r := a.request(buyer, "Vintage camera lens")
	o := a.offer(r.ID, seller, devnet.AnvilAccount(2), "150")
	var c chatJSON
	a.call("POST", "/v1/marketplace/offers/"+o.ID+"/chat", nil, buyer.AccessToken, 200, &c)
	var m chatMessageJSON
	a.call("POST", "/v1/chats/"+c.ID+"/messages", map[string]any{"text": "hi"}, buyer.AccessToken, 201, &m)
	a.call("PATCH", "/v1/chats/"+c.ID+"/messages/"+m.ID, map[string]any{"text": "hi!"}, buyer.AccessToken, 200, nil)
	a.call("PATCH", "/v1/chats/"+c.ID+"/messages/"+m.ID, map[string]any{"text": "hi!!"}, buyer.AccessToken, 429, nil)
	a.call("POST", "/v1/chats/"+c.ID+"/messages", map[string]any{"text": "hi"}, seller.AccessToken, 201, nil)
}

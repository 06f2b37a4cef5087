package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/google/uuid"

	"github.com/amanat/amn/auth"
)

// spend posts a spend of the caller's points under key ("" sends no Idempotency-Key).
func (a *pointsAPI) spend(token, key string, body any) *httptest.ResponseRecorder {
	a.t.Helper()
	raw, err := json.Marshal(body)
	if err != nil {
		a.t.Fatal(err)
	}
	req := httptest.NewRequest("POST", "/v1/points/spend", strings.NewReader(string(raw)))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	rec := httptest.NewRecorder()
	a.h.ServeHTTP(rec, req)
	return rec
}

type spendJSON struct {
	ID, Purpose, State string
	Points             int64
}

func decodeSpend(t *testing.T, rec *httptest.ResponseRecorder, status int) spendJSON {
	t.Helper()
	var sp spendJSON
	if rec.Code != status || json.Unmarshal(rec.Body.Bytes(), &sp) != nil {
		t.Fatalf("want %d with a spend, got %d %s", status, rec.Code, rec.Body)
	}
	return sp
}

// Spending over HTTP: the caller's own points only (a body naming another user is refused, another
// user's spend is 404), a replayed key answers the first spend, another body under it is 409,
// more than available is 409 insufficient_points, bad amounts and keys are 400, racing spends never
// overdraw, and my points show the spends as used at once and after booking.
func TestSpendPointsOverHTTP(t *testing.T) {
	a := newPointsAPI(t)
	ctx := context.Background()
	adminS, user, other := a.someone(auth.RoleAdmin), a.someone(auth.RoleBuyer), a.someone(auth.RoleBuyer)
	a.call("POST", "/v1/admin/users/"+user.User.ID.String()+"/points",
		map[string]any{"id": uuid.NewString(), "points": 100, "reason": "to spend"}, adminS.AccessToken, 202, nil)
	if n, err := a.worker.BookAdjustments(ctx, 100); err != nil || n != 1 {
		t.Fatalf("booked %d, %v", n, err)
	}
	body := map[string]any{"points": 30, "purpose": "fee_discount"}
	first := decodeSpend(t, a.spend(user.AccessToken, "order-1", body), 202)
	if first.State != "pending" || first.Points != 30 {
		t.Fatalf("spend: %+v", first)
	}
	if again := decodeSpend(t, a.spend(user.AccessToken, "order-1", body), 202); again != first {
		t.Fatalf("replay: %+v, first %+v", again, first)
	}
	wantCode(t, a.spend(user.AccessToken, "order-1", map[string]any{"points": 31, "purpose": "fee_discount"}), 409, "conflict")
	var b balanceJSON
	a.call("GET", "/v1/points", nil, user.AccessToken, 200, &b)
	if b.Available != 70 || b.Used != 30 || b.Total != 100 {
		t.Fatalf("balance with the spend held: %+v", b)
	}

	// Attacks and bad input.
	wantCode(t, a.spend(user.AccessToken, "k2", map[string]any{"points": 5, "purpose": "fee_discount", "userId": other.User.ID}), 400, "invalid_request")
	wantCode(t, a.spend(other.AccessToken, "k2", body), 409, "insufficient_points")
	errorOf(t, a.do("GET", "/v1/points/spends/"+first.ID, nil, other.AccessToken), http.StatusNotFound)
	errorOf(t, a.do("GET", "/v1/points/spends/"+first.ID, nil, ""), http.StatusUnauthorized)
	for _, bad := range []any{
		map[string]any{"points": 0, "purpose": "fee_discount"}, map[string]any{"points": -5, "purpose": "fee_discount"},
		map[string]any{"points": 1_000_000_001, "purpose": "fee_discount"}, map[string]any{"points": "1e30", "purpose": "fee_discount"},
		map[string]any{"points": 5, "purpose": "Fee Discount"}, map[string]any{"points": 5},
	} {
		wantCode(t, a.spend(user.AccessToken, "k3", bad), 400, "invalid_request")
	}
	wantCode(t, a.spend(user.AccessToken, "k3", map[string]any{"points": 5, "purpose": "free_money"}), 400, "invalid")
	wantCode(t, a.spend(user.AccessToken, "", body), 400, "invalid_request")
	wantCode(t, a.spend(user.AccessToken, "has space", body), 400, "invalid_request")
	wantCode(t, a.spend(user.AccessToken, strings.Repeat("k", 101), body), 400, "invalid_request")
	wantCode(t, a.spend(user.AccessToken, "k4", map[string]any{"points": 71, "purpose": "fee_discount"}), 409, "insufficient_points")

	// Racing spends: 70 left, 12 spends of 10 → 7 recorded.
	codes := make(chan int, 12)
	var wg sync.WaitGroup
	for i := range 12 {
		wg.Go(func() {
			codes <- a.spend(user.AccessToken, fmt.Sprintf("race-%d", i), map[string]any{"points": 10, "purpose": "featured_offer"}).Code
		})
	}
	wg.Wait()
	close(codes)
	got := map[int]int{}
	for c := range codes {
		got[c]++
	}
	if got[202] != 7 || got[409] != 5 {
		t.Fatalf("racing spends answered %v; want 7 × 202, 5 × 409", got)
	}
	if n, err := a.worker.BookSpends(ctx, 100); err != nil || n != 8 {
		t.Fatalf("booked %d spends, %v", n, err)
	}
	var booked spendJSON
	a.call("GET", "/v1/points/spends/"+first.ID, nil, user.AccessToken, 200, &booked)
	if booked.State != "booked" {
		t.Fatalf("the first spend: %+v", booked)
	}
	a.call("GET", "/v1/points", nil, user.AccessToken, 200, &b)
	if b.Available != 0 || b.Used != 100 || b.Total != 100 {
		t.Fatalf("balance after booking: %+v", b)
	}
	var h entriesJSON
	a.call("GET", "/v1/points/history?limit=100", nil, user.AccessToken, 200, &h)
	if len(h.Items) != 9 || h.Items[8].Kind != "admin_grant" || h.Items[7].Kind != "spend" {
		t.Fatalf("history: %+v", h)
	}
}

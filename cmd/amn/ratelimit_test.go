package main

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"testing"

	"github.com/amanat/amn/db"
	"github.com/amanat/amn/db/dbtest"
)

// TestRateLimitsHoldAcrossTwoAPIProcesses: two `amn api` processes sharing Redis count one client's
// sign-in attempts together: the 11th within 15 minutes gets 429 with Retry-After, whichever
// process it reaches (issue #16, acceptance 3). The client is named by a trusted proxy's
// X-Forwarded-For, an address of this run's own, so earlier runs' counts do not interfere.
func TestRateLimitsHoldAcrossTwoAPIProcesses(t *testing.T) {
	env := []string{"AMN_DATABASE_URL=" + dbtest.Login(t, dbtest.URL(t), db.RoleAPI), "AMN_REDIS_URL=" + redisURL,
		"AMN_TRUSTED_PROXIES=127.0.0.1/32"}
	_, logsA, a := startRole(t, env, "api")
	_, logsB, b := startRole(t, env, "api")
	var r [3]byte
	_, _ = rand.Read(r[:])
	client := fmt.Sprintf("198.51.%d.%d", r[0], r[1])
	email := "limited-" + hex.EncodeToString(r[:]) + "@example.com"
	login := func(base string) *http.Response {
		req, _ := http.NewRequest("POST", base+"/v1/auth/login", bytes.NewReader([]byte(`{"email":"`+email+`","password":"not the password"}`)))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Forwarded-For", client)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	for i := range 10 {
		base := a
		if i%2 == 1 {
			base = b
		}
		if resp := login(base); resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("attempt %d: %d\nA:\n%s\nB:\n%s", i+1, resp.StatusCode, logsA, logsB)
		}
	}
	for _, base := range []string{a, b} {
		resp := login(base)
		if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" {
			t.Fatalf("the 11th attempt at %s: %d, Retry-After %q", base, resp.StatusCode, resp.Header.Get("Retry-After"))
		}
	}
}

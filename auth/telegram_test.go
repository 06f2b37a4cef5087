package auth

import (
	"errors"
	"net/url"
	"sync"
	"testing"
	"time"
)

// newTelegramService is the test service with Telegram sign-in configured as telegram says.
func newTelegramService(t *testing.T, telegram TelegramConfig) *Service {
	t.Helper()
	s, _ := newTestService(t, func(c *Config) { c.Telegram = telegram })
	return s
}

// TestTelegramOff: with no bot token, data signed with the key of an empty token is refused as
// unavailable, not accepted.
func TestTelegramOff(t *testing.T) {
	s := newTelegramService(t, TelegramConfig{})
	raw := signInitData("", testInitData(time.Now(), 6006))
	if _, err := s.SignInWithTelegram(t.Context(), TelegramData{InitData: raw}, Client{}); !errors.Is(err, ErrTelegramOff) {
		t.Fatalf("got %v", err)
	}
}

// TestTelegramFirstSignInRace: concurrent first sign-ins of one Telegram account (each with its
// own data: data works once) end in one account, every one of them signed in to it.
func TestTelegramFirstSignInRace(t *testing.T) {
	s := newTelegramService(t, TelegramConfig{BotToken: testBotToken})
	const n = 6
	ids := make([]string, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		raw := signInitData(testBotToken, testInitData(time.Now().Add(-time.Duration(i)*time.Second), 7007))
		wg.Go(func() {
			sess, err := s.SignInWithTelegram(t.Context(), TelegramData{InitData: raw}, Client{})
			ids[i], errs[i] = sess.User.ID.String(), err
		})
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil || ids[i] != ids[0] {
			t.Fatalf("sign-in %d: user %s (first %s), %v", i, ids[i], ids[0], errs[i])
		}
	}
	var count int
	if err := s.pool.QueryRow(t.Context(), `SELECT count(*) FROM users WHERE id = ANY($1::uuid[])`, ids).Scan(&count); err != nil || count != 1 {
		t.Fatalf("%d users (%v)", count, err)
	}
}

// TestTelegramRefusedMakesNoAccount: data that does not verify creates nothing.
func TestTelegramRefusedMakesNoAccount(t *testing.T) {
	s := newTelegramService(t, TelegramConfig{BotToken: testBotToken})
	var before int
	if err := s.pool.QueryRow(t.Context(), `SELECT count(*) FROM users`).Scan(&before); err != nil {
		t.Fatal(err)
	}
	q, _ := url.ParseQuery(signInitData(testBotToken, testInitData(time.Now(), 8008)))
	q.Set("user", `{"id":8009}`)
	if _, err := s.SignInWithTelegram(t.Context(), TelegramData{InitData: q.Encode()}, Client{}); !errors.Is(err, ErrTelegram) {
		t.Fatalf("got %v", err)
	}
	if _, err := s.SignInWithTelegram(t.Context(), TelegramData{}, Client{}); !errors.Is(err, ErrTelegram) {
		t.Fatalf("no data: %v", err)
	}
	var count int
	if err := s.pool.QueryRow(t.Context(), `SELECT count(*) FROM users`).Scan(&count); err != nil || count != before {
		t.Fatalf("%d users, %d before (%v)", count, before, err)
	}
}

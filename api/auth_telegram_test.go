package api

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/amanat/amn/api/openapi"
	"github.com/amanat/amn/auth"
)

// testTelegramBotToken is the bot token of the test API (newTestAPI); the tests sign Telegram data
// with it as Telegram would.
const testTelegramBotToken = "424242:AAtest-bot-token-of-the-api-tests"

// telegramHash is hex(HMAC-SHA256(key, sorted key=value lines)), Telegram's documented hash.
func telegramHash(key []byte, fields map[string]string) string {
	var lines []string
	for k, v := range fields {
		if k != "hash" {
			lines = append(lines, k+"="+v)
		}
	}
	slices.Sort(lines)
	m := hmac.New(sha256.New, key)
	m.Write([]byte(strings.Join(lines, "\n")))
	return hex.EncodeToString(m.Sum(nil))
}

// miniAppInitData is initData for Telegram user id, signed at `at` with the Mini App key.
func miniAppInitData(token string, id int64, at time.Time) string {
	fields := map[string]string{
		"auth_date": strconv.FormatInt(at.Unix(), 10),
		"query_id":  "AAHdF6IQAAAAAN0XohDhrOrc",
		"user":      `{"id":` + strconv.FormatInt(id, 10) + `,"first_name":"Ada","last_name":"Lovelace","username":"ada","photo_url":"https://t.me/i/userpic/320/ada.svg","language_code":"en"}`,
	}
	k := hmac.New(sha256.New, []byte("WebAppData"))
	k.Write([]byte(token))
	fields["hash"] = telegramHash(k.Sum(nil), fields)
	q := url.Values{}
	for f, v := range fields {
		q.Set(f, v)
	}
	return q.Encode()
}

// loginWidget is Login Widget data for Telegram user id, signed at `at` with SHA-256(token).
func loginWidget(token string, id int64, at time.Time) map[string]any {
	fields := map[string]string{"id": strconv.FormatInt(id, 10), "first_name": "Grace", "username": "grace", "auth_date": strconv.FormatInt(at.Unix(), 10)}
	key := sha256.Sum256([]byte(token))
	return map[string]any{"id": id, "first_name": "Grace", "username": "grace", "auth_date": at.Unix(), "hash": telegramHash(key[:], fields)}
}

// TestTelegramSignInMiniApp: valid initData signs up an account with no email (named and pictured
// from Telegram), the next sign-in is the same account, and its access token works.
func TestTelegramSignInMiniApp(t *testing.T) {
	a := newTestAPI(t)
	rec := a.do("POST", "/v1/auth/telegram", map[string]any{"initData": miniAppInitData(testTelegramBotToken, 1001, a.now)}, "")
	if rec.Code != http.StatusOK {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	s := sessionOf(t, rec)
	u := s.User
	if u.Email != nil || u.DisplayName != "Ada Lovelace" || u.AvatarUrl == nil || *u.AvatarUrl != "https://t.me/i/userpic/320/ada.svg" ||
		u.TelegramLinked == nil || !*u.TelegramLinked || !slices.Contains(u.Roles, openapi.RoleBuyer) {
		t.Fatalf("new user %+v", u)
	}
	if me := a.do("GET", "/v1/me", nil, s.AccessToken); me.Code == http.StatusUnauthorized {
		t.Fatalf("the access token does not work: %s", me.Body)
	}
	if _, err := a.auth.Authenticate(t.Context(), s.AccessToken); err != nil {
		t.Fatal(err)
	}
	a.now = a.now.Add(time.Minute)
	rec = a.do("POST", "/v1/auth/telegram", map[string]any{"initData": miniAppInitData(testTelegramBotToken, 1001, a.now)}, "")
	if again := sessionOf(t, rec); again.User.Id != u.Id || again.SessionId == s.SessionId {
		t.Fatalf("second sign-in: user %s (want %s), session %s", again.User.Id, u.Id, again.SessionId)
	}
}

// TestTelegramSignInWidget: valid Login Widget data signs in.
func TestTelegramSignInWidget(t *testing.T) {
	a := newTestAPI(t)
	rec := a.do("POST", "/v1/auth/telegram", map[string]any{"widget": loginWidget(testTelegramBotToken, 2002, a.now)}, "")
	if rec.Code != http.StatusOK {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	if s := sessionOf(t, rec); s.User.DisplayName != "Grace" || s.User.Email != nil {
		t.Fatalf("user %+v", s.User)
	}
}

// TestTelegramRefused: forged, tampered, stale, future, another bot's, hashless and duplicated
// data gets 401 telegram_invalid and creates no account; both or neither form is 400.
func TestTelegramRefused(t *testing.T) {
	a := newTestAPI(t)
	good := miniAppInitData(testTelegramBotToken, 3003, a.now)
	q, _ := url.ParseQuery(good)
	tampered := url.Values{}
	for k, v := range q {
		tampered[k] = v
	}
	tampered.Set("user", strings.Replace(q.Get("user"), "3003", "3004", 1))
	noHash := url.Values{}
	for k, v := range q {
		if k != "hash" {
			noHash[k] = v
		}
	}
	badWidget := loginWidget(testTelegramBotToken, 3005, a.now)
	badWidget["first_name"] = "Mallory"
	for name, body := range map[string]map[string]any{
		"bad hash":          {"initData": strings.Replace(good, "hash="+q.Get("hash"), "hash="+strings.Repeat("ab", 32), 1)},
		"changed field":     {"initData": tampered.Encode()},
		"stale":             {"initData": miniAppInitData(testTelegramBotToken, 3003, a.now.Add(-2*time.Hour))},
		"future":            {"initData": miniAppInitData(testTelegramBotToken, 3003, a.now.Add(10*time.Minute))},
		"missing hash":      {"initData": noHash.Encode()},
		"duplicate key":     {"initData": good + "&auth_date=" + strconv.FormatInt(a.now.Unix(), 10)},
		"another bot":       {"initData": miniAppInitData("1:another-bot", 3003, a.now)},
		"widget changed":    {"widget": badWidget},
		"widget stale":      {"widget": loginWidget(testTelegramBotToken, 3006, a.now.Add(-25*time.Hour))},
		"widget future":     {"widget": loginWidget(testTelegramBotToken, 3006, a.now.Add(10*time.Minute))},
		"widget as initKey": {"widget": widgetSignedWithMiniAppKey(a.now)},
	} {
		t.Run(name, func(t *testing.T) {
			b := errorOf(t, a.do("POST", "/v1/auth/telegram", body, ""), http.StatusUnauthorized)
			if b.Error.Code != "telegram_invalid" {
				t.Fatalf("code %q", b.Error.Code)
			}
			if strings.Contains(b.Error.Message, q.Get("hash")) || strings.Contains(a.logs.String(), q.Get("hash")) {
				t.Fatal("the hash leaked into the answer or the log")
			}
		})
	}
	for name, body := range map[string]any{
		"both":    map[string]any{"initData": good, "widget": loginWidget(testTelegramBotToken, 3003, a.now)},
		"neither": map[string]any{},
	} {
		t.Run(name, func(t *testing.T) {
			if b := errorOf(t, a.do("POST", "/v1/auth/telegram", body, ""), http.StatusBadRequest); b.Error.Code != "invalid_request" {
				t.Fatalf("code %q", b.Error.Code)
			}
		})
	}
}

func widgetSignedWithMiniAppKey(at time.Time) map[string]any {
	w := loginWidget(testTelegramBotToken, 3007, at)
	k := hmac.New(sha256.New, []byte("WebAppData"))
	k.Write([]byte(testTelegramBotToken))
	w["hash"] = telegramHash(k.Sum(nil), map[string]string{"id": "3007", "first_name": "Grace", "username": "grace", "auth_date": strconv.FormatInt(at.Unix(), 10)})
	return w
}

// TestTelegramLink: a signed-in user links a Telegram account, which then signs in to that user;
// linking it again is fine; another user cannot take it (identity_taken); a banned account's
// Telegram sign-in is refused. Each request sends data signed anew (data works once).
func TestTelegramLink(t *testing.T) {
	a := newTestAPI(t)
	alice := a.user("tg-alice@example.com", auth.RoleSeller)
	signed := 0
	fresh := func() map[string]any {
		signed++
		return map[string]any{"initData": miniAppInitData(testTelegramBotToken, 4004, a.now.Add(-time.Duration(signed)*time.Second))}
	}
	if rec := a.do("POST", "/v1/auth/telegram/link", fresh(), alice.AccessToken); rec.Code != http.StatusNoContent {
		t.Fatalf("link: %d %s", rec.Code, rec.Body)
	}
	if rec := a.do("POST", "/v1/auth/telegram/link", fresh(), alice.AccessToken); rec.Code != http.StatusNoContent {
		t.Fatalf("link again: %d %s", rec.Code, rec.Body)
	}
	rec := a.do("POST", "/v1/auth/telegram", fresh(), "")
	if s := sessionOf(t, rec); s.User.Id != alice.User.ID || s.User.Email == nil {
		t.Fatalf("sign-in went to %s, not alice %s", s.User.Id, alice.User.ID)
	}
	bob := a.user("tg-bob@example.com", auth.RoleBuyer)
	if b := errorOf(t, a.do("POST", "/v1/auth/telegram/link", fresh(), bob.AccessToken), http.StatusConflict); b.Error.Code != "identity_taken" {
		t.Fatalf("code %q", b.Error.Code)
	}
	other := map[string]any{"widget": loginWidget(testTelegramBotToken, 4005, a.now)}
	if b := errorOf(t, a.do("POST", "/v1/auth/telegram/link", other, alice.AccessToken), http.StatusConflict); b.Error.Code != "conflict" {
		t.Fatalf("a second Telegram account for alice: code %q", b.Error.Code)
	}
	if b := errorOf(t, a.do("POST", "/v1/auth/telegram/link", other, ""), http.StatusUnauthorized); b.Error.Code != "unauthenticated" {
		t.Fatalf("link without a token: code %q", b.Error.Code)
	}
	forged := map[string]any{"initData": miniAppInitData("1:forger", 5005, a.now)}
	if b := errorOf(t, a.do("POST", "/v1/auth/telegram/link", forged, bob.AccessToken), http.StatusUnauthorized); b.Error.Code != "telegram_invalid" {
		t.Fatalf("forged link: code %q", b.Error.Code)
	}
}

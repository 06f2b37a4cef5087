package auth

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Telegram sign-in data comes in two forms, both signed by Telegram with a key derived from the
// bot's token:
//
//   - Mini App initData (Telegram.WebApp.initData): a query string. secret = HMAC-SHA256(key
//     "WebAppData", bot token); hash = hex(HMAC-SHA256(secret, data-check-string)).
//   - Login Widget: the fields id, first_name, last_name, username, photo_url, auth_date, hash.
//     secret = SHA-256(bot token); the same hash over the same kind of data-check-string.
//
// The data-check-string is every received field except `hash`, sorted by key, as key=value lines
// joined by "\n". Telegram's Mini App documentation says "all received fields": a `signature`
// field (Ed25519, for third parties who do not hold the token) is one of them and is hashed like
// the others; only the third-party check leaves it out. We check the HMAC only.

// TelegramUser is who Telegram says signed in.
type TelegramUser struct {
	ID        int64
	FirstName string
	LastName  string
	Username  string
	PhotoURL  string
	AuthDate  time.Time
}

// TelegramWidget is the Login Widget's data as the browser received it.
type TelegramWidget struct {
	ID        int64
	FirstName *string
	LastName  *string
	Username  *string
	PhotoURL  *string
	AuthDate  int64
	Hash      string
}

// TelegramData is one sign-in's data: exactly one of InitData and Widget.
type TelegramData struct {
	InitData string
	Widget   *TelegramWidget
}

// Limits of what we parse.
const (
	maxInitDataLen    = 4096
	maxInitDataFields = 32
	// telegramSkew is how far in the future an auth_date may be (clocks differ).
	telegramSkew = time.Minute
)

// errTelegramShape is malformed data; it is reported as ErrTelegram (the caller learns nothing
// more than that the data does not verify).
var errTelegramShape = errors.New("malformed telegram data")

// initDataSecret and widgetSecret derive the HMAC keys of the two forms from the bot token.
func initDataSecret(botToken string) []byte {
	m := hmac.New(sha256.New, []byte("WebAppData"))
	m.Write([]byte(botToken))
	return m.Sum(nil)
}

func widgetSecret(botToken string) []byte {
	s := sha256.Sum256([]byte(botToken))
	return s[:]
}

// telegramField is one key=value pair of signed data.
type telegramField struct{ key, value string }

// parseInitData splits a query string into its fields, strictly: each pair has a key and an
// '=', keys and values are URL-decoded, no key appears twice, and neither holds a line feed (which
// would let one field pose as two in the data-check-string).
func parseInitData(raw string) ([]telegramField, error) {
	if raw == "" || len(raw) > maxInitDataLen {
		return nil, errTelegramShape
	}
	parts := strings.Split(raw, "&")
	if len(parts) > maxInitDataFields {
		return nil, errTelegramShape
	}
	out := make([]telegramField, 0, len(parts))
	for _, p := range parts {
		k, v, ok := strings.Cut(p, "=")
		if !ok {
			return nil, errTelegramShape
		}
		key, err1 := url.QueryUnescape(k)
		value, err2 := url.QueryUnescape(v)
		if err1 != nil || err2 != nil || !validTelegramKey(key) || strings.ContainsAny(value, "\n\r") {
			return nil, errTelegramShape
		}
		if slices.ContainsFunc(out, func(f telegramField) bool { return f.key == key }) {
			return nil, errTelegramShape
		}
		out = append(out, telegramField{key, value})
	}
	return out, nil
}

// validTelegramKey: Telegram's field names are snake_case.
func validTelegramKey(k string) bool {
	if k == "" || len(k) > 64 {
		return false
	}
	for _, c := range k {
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '_' {
			return false
		}
	}
	return true
}

// checkTelegramHash checks fields' `hash` against the HMAC of the others under secret, in
// constant time.
func checkTelegramHash(fields []telegramField, secret []byte) error {
	var hash string
	lines := make([]string, 0, len(fields))
	for _, f := range fields {
		if f.key == "hash" {
			hash = f.value
			continue
		}
		lines = append(lines, f.key+"="+f.value)
	}
	got, err := hex.DecodeString(hash)
	if err != nil || len(got) != sha256.Size || hash != strings.ToLower(hash) {
		return ErrTelegram
	}
	slices.Sort(lines)
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(strings.Join(lines, "\n")))
	if !hmac.Equal(m.Sum(nil), got) {
		return ErrTelegram
	}
	return nil
}

// checkAuthDate refuses data signed more than maxAge ago or more than the skew in the future.
func checkAuthDate(authDate int64, now time.Time, maxAge time.Duration) (time.Time, error) {
	if authDate <= 0 || authDate > now.Add(telegramSkew).Unix() || authDate < now.Add(-maxAge).Unix() {
		return time.Time{}, ErrTelegram
	}
	return time.Unix(authDate, 0).UTC(), nil
}

// initDataUser is the `user` field of initData (JSON).
type initDataUser struct {
	ID        int64  `json:"id"`
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
	Username  string `json:"username"`
	PhotoURL  string `json:"photo_url"`
}

// VerifyInitData checks Mini App initData signed for botToken and returns its user. Anything
// malformed, unsigned, badly signed, stale or from the future is ErrTelegram.
func VerifyInitData(raw, botToken string, now time.Time, maxAge time.Duration) (TelegramUser, error) {
	fields, err := parseInitData(raw)
	if err != nil {
		return TelegramUser{}, ErrTelegram
	}
	if err := checkTelegramHash(fields, initDataSecret(botToken)); err != nil {
		return TelegramUser{}, err
	}
	value := func(k string) string {
		if i := slices.IndexFunc(fields, func(f telegramField) bool { return f.key == k }); i >= 0 {
			return fields[i].value
		}
		return ""
	}
	authDate, err := strconv.ParseInt(value("auth_date"), 10, 64)
	if err != nil {
		return TelegramUser{}, ErrTelegram
	}
	when, err := checkAuthDate(authDate, now, maxAge)
	if err != nil {
		return TelegramUser{}, err
	}
	var u initDataUser
	if err := json.Unmarshal([]byte(value("user")), &u); err != nil || u.ID <= 0 {
		return TelegramUser{}, ErrTelegram
	}
	return TelegramUser{ID: u.ID, FirstName: u.FirstName, LastName: u.LastName, Username: u.Username, PhotoURL: u.PhotoURL, AuthDate: when}, nil
}

// VerifyWidget checks Login Widget data signed for botToken and returns its user.
func VerifyWidget(w TelegramWidget, botToken string, now time.Time, maxAge time.Duration) (TelegramUser, error) {
	if w.ID <= 0 {
		return TelegramUser{}, ErrTelegram
	}
	fields := []telegramField{
		{"id", strconv.FormatInt(w.ID, 10)}, {"auth_date", strconv.FormatInt(w.AuthDate, 10)}, {"hash", w.Hash},
	}
	for _, f := range []struct {
		key string
		v   *string
	}{{"first_name", w.FirstName}, {"last_name", w.LastName}, {"username", w.Username}, {"photo_url", w.PhotoURL}} {
		if f.v != nil {
			if strings.ContainsAny(*f.v, "\n\r") {
				return TelegramUser{}, ErrTelegram
			}
			fields = append(fields, telegramField{f.key, *f.v})
		}
	}
	if err := checkTelegramHash(fields, widgetSecret(botToken)); err != nil {
		return TelegramUser{}, err
	}
	when, err := checkAuthDate(w.AuthDate, now, maxAge)
	if err != nil {
		return TelegramUser{}, err
	}
	deref := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	return TelegramUser{ID: w.ID, FirstName: deref(w.FirstName), LastName: deref(w.LastName), Username: deref(w.Username), PhotoURL: deref(w.PhotoURL), AuthDate: when}, nil
}

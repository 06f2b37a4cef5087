package auth

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

const testBotToken = "123456:TEST-bot-token-for-amn-tests"

// signInitData builds initData signed for token, independently of the code under test: the query
// string of fields plus hash, where hash follows Telegram's documented algorithm.
func signInitData(token string, fields url.Values) string {
	var lines []string
	for k, vs := range fields {
		lines = append(lines, k+"="+vs[0])
	}
	slices.Sort(lines)
	sk := hmac.New(sha256.New, []byte("WebAppData"))
	sk.Write([]byte(token))
	m := hmac.New(sha256.New, sk.Sum(nil))
	m.Write([]byte(strings.Join(lines, "\n")))
	out := url.Values{}
	for k, vs := range fields {
		out[k] = vs
	}
	out.Set("hash", hex.EncodeToString(m.Sum(nil)))
	return out.Encode()
}

func testInitData(now time.Time, id int64) url.Values {
	return url.Values{
		"auth_date": {strconv.FormatInt(now.Unix(), 10)},
		"query_id":  {"AAHdF6IQAAAAAN0XohDhrOrc"},
		"user":      {`{"id":` + strconv.FormatInt(id, 10) + `,"first_name":"Ada","last_name":"Lovelace","username":"ada","photo_url":"https://t.me/i/userpic/320/ada.svg"}`},
		"signature": {"TYJxVcisqbWjtodPepiJ6ghziUL94-KNpG8Pau-X7oNNLNBM72APCpi_RKiUlBvcqo5L-LAxIc3dnTzcZX_PDg"},
	}
}

// TestInitDataKnownAnswer: the example of Telegram's documentation (its bot token, data and hash,
// as published by the Mini Apps platform's reference libraries) verifies, so our algorithm is
// Telegram's and not only our tests'.
func TestInitDataKnownAnswer(t *testing.T) {
	const (
		token = "5768337691:AAH5YkoiEuPk8-FZa32hStHTqXiLPtAEhx8"
		data  = "query_id=AAHdF6IQAAAAAN0XohDhrOrc&user=%7B%22id%22%3A279058397%2C%22first_name%22%3A%22Vladislav%22%2C%22last_name%22%3A%22Kibenko%22%2C%22username%22%3A%22vdkfrost%22%2C%22language_code%22%3A%22ru%22%2C%22is_premium%22%3Atrue%7D&auth_date=1662771648&hash=c501b71e775f74ce10e377dea85a7ea24ecd640b223ea86dfe453e0eaed2e2b2"
	)
	u, err := VerifyInitData(data, token, time.Unix(1662771648+60, 0), time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if u.ID != 279058397 || u.FirstName != "Vladislav" || u.Username != "vdkfrost" {
		t.Fatalf("user %+v", u)
	}
	if _, err := VerifyInitData(data, token+"x", time.Unix(1662771648+60, 0), time.Hour); !errors.Is(err, ErrTelegram) {
		t.Fatalf("another bot's token: %v", err)
	}
}

func TestVerifyInitData(t *testing.T) {
	now := time.Now()
	good := signInitData(testBotToken, testInitData(now, 42))
	u, err := VerifyInitData(good, testBotToken, now, time.Hour)
	if err != nil || u.ID != 42 || u.LastName != "Lovelace" || u.PhotoURL == "" {
		t.Fatalf("valid data: %+v %v", u, err)
	}
	changed := func(k, v string) string {
		f := testInitData(now, 42)
		raw := signInitData(testBotToken, f)
		q, _ := url.ParseQuery(raw)
		q.Set(k, v)
		return q.Encode()
	}
	hashOf := func(raw string) string { q, _ := url.ParseQuery(raw); return q.Get("hash") }
	stale := testInitData(now.Add(-2*time.Hour), 42)
	future := testInitData(now.Add(5*time.Minute), 42)
	noUser := testInitData(now, 42)
	noUser.Del("user")
	for name, raw := range map[string]string{
		"bad hash":          changed("hash", strings.Repeat("0", 64)),
		"upper-case hash":   changed("hash", strings.ToUpper(hashOf(good))),
		"short hash":        changed("hash", hashOf(good)[:62]),
		"changed user":      changed("user", `{"id":43,"first_name":"Ada","last_name":"Lovelace","username":"ada","photo_url":"https://t.me/i/userpic/320/ada.svg"}`),
		"changed signature": changed("signature", "x"),
		"stale":             signInitData(testBotToken, stale),
		"future":            signInitData(testBotToken, future),
		"no hash":           strings.Replace(good, "hash="+hashOf(good), "x=1", 1),
		"duplicate key":     good + "&user=" + url.QueryEscape(`{"id":1}`),
		"duplicate hash":    good + "&hash=" + hashOf(good),
		"no user":           signInitData(testBotToken, noUser),
		"other bot":         signInitData("999:other", testInitData(now, 42)),
		"empty":             "",
		"bad escape":        good + "&x=%zz",
		"pair without =":    good + "&flag",
		"line feed value":   signInitData(testBotToken, url.Values{"auth_date": {strconv.FormatInt(now.Unix(), 10)}, "user": {"{\"id\":42}\nquery_id=1"}}),
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := VerifyInitData(raw, testBotToken, now, time.Hour); !errors.Is(err, ErrTelegram) {
				t.Fatalf("accepted or wrong error: %v", err)
			}
		})
	}
}

// signWidget fills in w's hash as Telegram's Login Widget does: SHA-256 of the token is the key.
func signWidget(token string, w *TelegramWidget) {
	lines := []string{"auth_date=" + strconv.FormatInt(w.AuthDate, 10), "id=" + strconv.FormatInt(w.ID, 10)}
	for k, v := range map[string]*string{"first_name": w.FirstName, "last_name": w.LastName, "username": w.Username, "photo_url": w.PhotoURL} {
		if v != nil {
			lines = append(lines, k+"="+*v)
		}
	}
	slices.Sort(lines)
	key := sha256.Sum256([]byte(token))
	m := hmac.New(sha256.New, key[:])
	m.Write([]byte(strings.Join(lines, "\n")))
	w.Hash = hex.EncodeToString(m.Sum(nil))
}

func TestVerifyWidget(t *testing.T) {
	now := time.Now()
	s := func(v string) *string { return &v }
	mk := func(at time.Time) TelegramWidget {
		w := TelegramWidget{ID: 7, FirstName: s("Grace"), Username: s("grace"), AuthDate: at.Unix()}
		signWidget(testBotToken, &w)
		return w
	}
	if u, err := VerifyWidget(mk(now), testBotToken, now, 24*time.Hour); err != nil || u.ID != 7 || u.FirstName != "Grace" {
		t.Fatalf("valid widget: %+v %v", u, err)
	}
	tampered := func(f func(*TelegramWidget)) TelegramWidget { w := mk(now); f(&w); return w }
	for name, w := range map[string]TelegramWidget{
		"bad hash":       tampered(func(w *TelegramWidget) { w.Hash = strings.Repeat("a", 64) }),
		"changed id":     tampered(func(w *TelegramWidget) { w.ID = 8 }),
		"changed name":   tampered(func(w *TelegramWidget) { w.FirstName = s("Mallory") }),
		"added field":    tampered(func(w *TelegramWidget) { w.LastName = s("Hopper") }),
		"dropped field":  tampered(func(w *TelegramWidget) { w.Username = nil }),
		"missing hash":   tampered(func(w *TelegramWidget) { w.Hash = "" }),
		"stale":          mk(now.Add(-25 * time.Hour)),
		"future":         mk(now.Add(2 * time.Minute)),
		"initData's key": tampered(func(w *TelegramWidget) { w.Hash = widgetHashWithInitDataKey(*w) }),
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := VerifyWidget(w, testBotToken, now, 24*time.Hour); !errors.Is(err, ErrTelegram) {
				t.Fatalf("accepted or wrong error: %v", err)
			}
		})
	}
}

// widgetHashWithInitDataKey signs widget fields with the Mini App key: the two forms' keys differ.
func widgetHashWithInitDataKey(w TelegramWidget) string {
	lines := []string{"auth_date=" + strconv.FormatInt(w.AuthDate, 10), "first_name=" + *w.FirstName, "id=" + strconv.FormatInt(w.ID, 10), "username=" + *w.Username}
	m := hmac.New(sha256.New, initDataSecret(testBotToken))
	m.Write([]byte(strings.Join(lines, "\n")))
	return hex.EncodeToString(m.Sum(nil))
}

// FuzzInitData: the parser and verifier never panic, and never accept data whose hash is not the
// HMAC of the rest under the bot's key (checked here by an independent computation).
func FuzzInitData(f *testing.F) {
	now := time.Unix(1_800_000_000, 0)
	f.Add(signInitData(testBotToken, testInitData(now, 42)))
	f.Add("query_id=AAHdF6IQAAAAAN0XohDhrOrc&auth_date=1662771648&hash=c501b71e775f74ce10e377dea85a7ea24ecd640b223ea86dfe453e0eaed2e2b2")
	f.Add("a=1&a=2&hash=00")
	f.Add("%zz=1")
	f.Add("user=%7B%22id%22%3A1%7D&auth_date=1800000000&hash=" + strings.Repeat("0", 64))
	f.Add("")
	f.Fuzz(func(t *testing.T, raw string) {
		u, err := VerifyInitData(raw, testBotToken, now, time.Hour)
		if err != nil {
			if !errors.Is(err, ErrTelegram) {
				t.Fatalf("error %v is not ErrTelegram", err)
			}
			return
		}
		q, perr := url.ParseQuery(raw)
		if perr != nil || len(q["hash"]) != 1 || u.ID <= 0 {
			t.Fatalf("accepted %q", raw)
		}
		var lines []string
		for k, vs := range q {
			if len(vs) != 1 {
				t.Fatalf("accepted a duplicate key %q", k)
			}
			if k != "hash" {
				lines = append(lines, k+"="+vs[0])
			}
		}
		slices.Sort(lines)
		m := hmac.New(sha256.New, initDataSecret(testBotToken))
		m.Write([]byte(strings.Join(lines, "\n")))
		if hex.EncodeToString(m.Sum(nil)) != q.Get("hash") {
			t.Fatalf("accepted %q without the right hash", raw)
		}
	})
}

// FuzzWidget: the widget verifier never panics and accepts only data hashed under the widget key.
func FuzzWidget(f *testing.F) {
	now := time.Unix(1_800_000_000, 0)
	f.Add(int64(7), "Grace", "grace", now.Unix(), strings.Repeat("a", 64))
	f.Fuzz(func(t *testing.T, id int64, first, username string, authDate int64, hash string) {
		w := TelegramWidget{ID: id, FirstName: &first, Username: &username, AuthDate: authDate, Hash: hash}
		if _, err := VerifyWidget(w, testBotToken, now, time.Hour); err == nil {
			want := w
			signWidget(testBotToken, &want)
			if want.Hash != hash {
				t.Fatalf("accepted %+v without the right hash", w)
			}
		}
	})
}

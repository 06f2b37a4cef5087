package notify_test

import (
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/amanat/amn/notify"
)

// FuzzUnsubscribeToken: the one-click link's token is outside input (anyone may post any). It is
// accepted only as exactly the token the key made for one user and one non-essential kind, and
// nothing else makes the parser panic or accept.
func FuzzUnsubscribeToken(f *testing.F) {
	s, err := notify.New(nil, notify.Config{UnsubscribeKey: testKey})
	if err != nil {
		f.Fatal(err)
	}
	u := uuid.MustParse("0b7c6a8e-5b1f-4a59-9f38-2d1f0f6f4c11")
	good, err := s.UnsubscribeToken(u, notify.OfferAccepted)
	if err != nil {
		f.Fatal(err)
	}
	// The MAC's 43 characters leave 2 bits unused: a lenient decoder would take 4 spellings.
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	v := strings.IndexByte(alphabet, good[len(good)-1])
	variant := good[:len(good)-1] + string(alphabet[v^1])
	for _, seed := range []string{good, variant, good + "=", "", ".", "a.b", good[:len(good)-1], "AAAAAAAAAAAAAAAAAAAAAA.AAAA"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, tok string) {
		k, err := s.CheckUnsubscribe(tok)
		if err != nil {
			return
		}
		if tok != good || k != notify.OfferAccepted {
			t.Fatalf("accepted %q as %q", tok, k)
		}
	})
}

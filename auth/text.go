package auth

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/amanat/amn/kind"
)

// Text people type (a display name, a bio, a passkey's name, a ban's reason) must be valid UTF-8
// without control characters: Postgres refuses a NUL in text (and \u0000 in jsonb), and control
// characters in a name serve only to deceive whoever reads it. Text taken from Telegram and
// Google profiles is cleaned instead of refused (the sign-in is theirs to vouch for).

// ErrTextInvalid: a name or reason that is not valid UTF-8 or holds control characters.
var ErrTextInvalid = kind.New(kind.Invalid, "text must be valid UTF-8 without control characters")

// plainText says whether s is valid UTF-8 without control characters (Unicode's Cc: NUL, ESC,
// DEL, the C1 range …); multiline text may hold line feeds, carriage returns and tabs.
func plainText(s string, multiline bool) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) && !(multiline && (r == '\n' || r == '\r' || r == '\t')) {
			return false
		}
	}
	return true
}

// cleanText is s made valid UTF-8 (bad bytes become U+FFFD) without its control characters.
func cleanText(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, strings.ToValidUTF8(s, "\uFFFD"))
}

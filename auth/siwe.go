package auth

import (
	"errors"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
)

// SIWEMessage is an EIP-4361 (Sign-In with Ethereum) message, parsed. Our parser follows the ABNF
// of EIP-4361 strictly (no maintained Go library exists: spruceid/siwe-go's last release is
// v0.1.1 of 2022): the lines in their order, each field's syntax, an EIP-55 checksummed address.
type SIWEMessage struct {
	Scheme         string // "" when the message has none
	Domain         string
	Address        common.Address
	Statement      string
	URI            string
	Version        string
	ChainID        int64
	Nonce          string
	IssuedAt       time.Time
	ExpirationTime *time.Time
	NotBefore      *time.Time
	RequestID      *string
	Resources      []string
}

// maxSIWEMessage bounds what we parse (the contract allows 4096 characters).
const (
	maxSIWEMessage   = 4096
	maxSIWEResources = 16
	siweHeader       = " wants you to sign in with your Ethereum account:"
)

var errSIWESyntax = errors.New("not an EIP-4361 message")

// ParseSIWE parses an EIP-4361 message. It refuses anything the ABNF does not allow, and an
// address that is not in EIP-55 checksum form.
func ParseSIWE(msg string) (SIWEMessage, error) {
	if len(msg) > maxSIWEMessage || strings.ContainsRune(msg, '\r') {
		return SIWEMessage{}, errSIWESyntax
	}
	p := &siweLines{lines: strings.Split(msg, "\n")}
	var m SIWEMessage
	steps := []func(*siweLines, *SIWEMessage) error{parseSIWEHeader, parseSIWEStatement, parseSIWEFields, parseSIWEOptional}
	for _, step := range steps {
		if err := step(p, &m); err != nil {
			return SIWEMessage{}, err
		}
	}
	if p.i != len(p.lines) {
		return SIWEMessage{}, errSIWESyntax
	}
	return m, nil
}

// siweLines walks the message line by line.
type siweLines struct {
	lines []string
	i     int
}

func (p *siweLines) next() (string, bool) {
	if p.i >= len(p.lines) {
		return "", false
	}
	p.i++
	return p.lines[p.i-1], true
}

// field takes the next line, which must be "prefix value", and returns the value.
func (p *siweLines) field(prefix string) (string, error) {
	l, ok := p.next()
	v, found := strings.CutPrefix(l, prefix)
	if !ok || !found || v == "" {
		return "", errSIWESyntax
	}
	return v, nil
}

// peek says whether the next line starts with prefix.
func (p *siweLines) peek(prefix string) bool {
	return p.i < len(p.lines) && strings.HasPrefix(p.lines[p.i], prefix)
}

// parseSIWEHeader: "[scheme://]domain wants you to sign in…", the address, an empty line.
func parseSIWEHeader(p *siweLines, m *SIWEMessage) error {
	l, _ := p.next()
	authority, ok := strings.CutSuffix(l, siweHeader)
	if !ok {
		return errSIWESyntax
	}
	if scheme, rest, found := strings.Cut(authority, "://"); found {
		if !validScheme(scheme) {
			return errSIWESyntax
		}
		m.Scheme, authority = scheme, rest
	}
	if authority == "" || strings.ContainsAny(authority, " /?#") || !printableASCII(authority) {
		return errSIWESyntax
	}
	m.Domain = authority
	addr, _ := p.next()
	if !common.IsHexAddress(addr) || !strings.HasPrefix(addr, "0x") || len(addr) != 42 || common.HexToAddress(addr).Hex() != addr {
		return errSIWESyntax
	}
	m.Address = common.HexToAddress(addr)
	if l, ok := p.next(); !ok || l != "" {
		return errSIWESyntax
	}
	return nil
}

// parseSIWEStatement: an optional statement line, then an empty line.
func parseSIWEStatement(p *siweLines, m *SIWEMessage) error {
	l, ok := p.next()
	if !ok {
		return errSIWESyntax
	}
	if l == "" {
		return nil
	}
	if !validStatement(l) {
		return errSIWESyntax
	}
	m.Statement = l
	if l, ok := p.next(); !ok || l != "" {
		return errSIWESyntax
	}
	return nil
}

// parseSIWEFields: URI, Version, Chain ID, Nonce and Issued At, in this order.
func parseSIWEFields(p *siweLines, m *SIWEMessage) error {
	var err error
	if m.URI, err = p.field("URI: "); err != nil || !validURI(m.URI) {
		return errSIWESyntax
	}
	if m.Version, err = p.field("Version: "); err != nil || m.Version != "1" {
		return errSIWESyntax
	}
	chain, err := p.field("Chain ID: ")
	if err != nil || (len(chain) > 1 && chain[0] == '0') || strings.TrimLeft(chain, "0123456789") != "" {
		return errSIWESyntax
	}
	if m.ChainID, err = strconv.ParseInt(chain, 10, 64); err != nil || m.ChainID <= 0 {
		return errSIWESyntax
	}
	if m.Nonce, err = p.field("Nonce: "); err != nil || !validNonce(m.Nonce) {
		return errSIWESyntax
	}
	issued, err := p.field("Issued At: ")
	if err != nil {
		return errSIWESyntax
	}
	m.IssuedAt, err = parseSIWETime(issued)
	return err
}

// parseSIWEOptional: Expiration Time, Not Before, Request ID and Resources, each optional, in
// this order.
func parseSIWEOptional(p *siweLines, m *SIWEMessage) error {
	for _, t := range []struct {
		prefix string
		dst    **time.Time
	}{{"Expiration Time: ", &m.ExpirationTime}, {"Not Before: ", &m.NotBefore}} {
		if !p.peek(t.prefix) {
			continue
		}
		v, _ := p.field(t.prefix)
		ts, err := parseSIWETime(v)
		if err != nil {
			return err
		}
		*t.dst = &ts
	}
	if p.peek("Request ID: ") {
		l, _ := p.next()
		id := strings.TrimPrefix(l, "Request ID: ")
		if !printableASCII(id) || strings.Contains(id, " ") {
			return errSIWESyntax
		}
		m.RequestID = &id
	}
	if p.peek("Resources:") {
		if l, _ := p.next(); l != "Resources:" {
			return errSIWESyntax
		}
		for p.peek("- ") {
			l, _ := p.next()
			r := strings.TrimPrefix(l, "- ")
			if !validURI(r) || len(m.Resources) == maxSIWEResources {
				return errSIWESyntax
			}
			m.Resources = append(m.Resources, r)
		}
	}
	return nil
}

// parseSIWETime reads an RFC 3339 date-time.
func parseSIWETime(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil || strings.Contains(s, " ") {
		return time.Time{}, errSIWESyntax
	}
	return t.UTC(), nil
}

func validScheme(s string) bool {
	if s == "" || !isAlpha(s[0]) {
		return false
	}
	for i := range len(s) {
		c := s[i]
		if !isAlpha(c) && !isDigit(c) && c != '+' && c != '-' && c != '.' {
			return false
		}
	}
	return true
}

// validURI: an absolute RFC 3986 URI (a scheme and no spaces or controls).
func validURI(s string) bool {
	u, err := url.Parse(s)
	return err == nil && u.Scheme != "" && validScheme(u.Scheme) && printableASCII(s) && !strings.Contains(s, " ")
}

// validNonce: at least 8 letters and digits (EIP-4361); we cap it at 64.
func validNonce(s string) bool {
	if len(s) < 8 || len(s) > 64 {
		return false
	}
	for i := range len(s) {
		if !isAlpha(s[i]) && !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// validStatement: reserved, unreserved and space characters (RFC 3986), no line feed.
func validStatement(s string) bool {
	for i := range len(s) {
		c := s[i]
		if !isAlpha(c) && !isDigit(c) && !strings.ContainsRune("-._~:/?#[]@!$&'()*+,;= ", rune(c)) {
			return false
		}
	}
	return true
}

func printableASCII(s string) bool {
	for i := range len(s) {
		if s[i] < 0x21 && s[i] != ' ' || s[i] > 0x7e {
			return false
		}
	}
	return true
}

func isAlpha(c byte) bool { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') }
func isDigit(c byte) bool { return c >= '0' && c <= '9' }

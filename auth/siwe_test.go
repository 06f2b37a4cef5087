package auth

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

const siweFull = `https://example.com wants you to sign in with your Ethereum account:
0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2

I accept the ExampleOrg Terms of Service: https://example.com/tos

URI: https://example.com/login
Version: 1
Chain ID: 56
Nonce: 32891756
Issued At: 2021-09-30T16:25:24Z
Expiration Time: 2021-10-01T16:25:24.5Z
Not Before: 2021-09-30T16:25:24+02:00
Request ID: some-request-id
Resources:
- ipfs://bafybeiemxf5abjwjbikoz4mc3a3dla6ual3jsgpdr4cjr3oz3evfyavhwq/
- https://example.com/my-web2-claim.json`

const siweMinimal = "localhost:3000 wants you to sign in with your Ethereum account:\n0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2\n\n\nURI: http://localhost:3000\nVersion: 1\nChain ID: 1\nNonce: abcdef0123456789\nIssued At: 2026-01-02T03:04:05Z"

func TestParseSIWE(t *testing.T) {
	m, err := ParseSIWE(siweFull)
	if err != nil {
		t.Fatal(err)
	}
	if m.Scheme != "https" || m.Domain != "example.com" || m.Address.Hex() != "0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2" ||
		m.Statement != "I accept the ExampleOrg Terms of Service: https://example.com/tos" || m.URI != "https://example.com/login" ||
		m.ChainID != 56 || m.Nonce != "32891756" || m.IssuedAt.Unix() != 1633019124 || m.ExpirationTime == nil ||
		m.NotBefore == nil || m.NotBefore.Unix() != 1633019124-7200 || *m.RequestID != "some-request-id" || len(m.Resources) != 2 {
		t.Fatalf("%+v", m)
	}
	m, err = ParseSIWE(siweMinimal)
	if err != nil || m.Scheme != "" || m.Statement != "" || m.ExpirationTime != nil || m.Resources != nil {
		t.Fatalf("%+v %v", m, err)
	}
}

func TestParseSIWERefuses(t *testing.T) {
	for name, msg := range map[string]string{
		"lower-case address":   strings.Replace(siweMinimal, "0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2", "0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2", 1),
		"bad checksum":         strings.Replace(siweMinimal, "0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2", "0xc02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2", 1),
		"short address":        strings.Replace(siweMinimal, "Cc2\n", "Cc\n", 1),
		"version 2":            strings.Replace(siweMinimal, "Version: 1", "Version: 2", 1),
		"chain id leading 0":   strings.Replace(siweMinimal, "Chain ID: 1", "Chain ID: 01", 1),
		"chain id sign":        strings.Replace(siweMinimal, "Chain ID: 1", "Chain ID: +1", 1),
		"short nonce":          strings.Replace(siweMinimal, "abcdef0123456789", "abc123", 1),
		"nonce punctuation":    strings.Replace(siweMinimal, "abcdef0123456789", "abcdef01-3456789", 1),
		"bad time":             strings.Replace(siweMinimal, "2026-01-02T03:04:05Z", "2026-01-02 03:04:05", 1),
		"fields out of order":  strings.Replace(siweMinimal, "Version: 1\nChain ID: 1", "Chain ID: 1\nVersion: 1", 1),
		"missing issued at":    strings.TrimSuffix(siweMinimal, "\nIssued At: 2026-01-02T03:04:05Z"),
		"trailing line feed":   siweMinimal + "\n",
		"trailing junk":        siweMinimal + "\nX: y",
		"crlf":                 strings.ReplaceAll(siweMinimal, "\n", "\r\n"),
		"no blank lines":       strings.Replace(siweMinimal, "Cc2\n\n\n", "Cc2\n", 1),
		"statement line feed":  strings.Replace(siweFull, "Terms of Service", "Terms\nof Service", 1),
		"statement non-ascii":  strings.Replace(siweFull, "Terms", "Términos", 1),
		"relative URI":         strings.Replace(siweMinimal, "URI: http://localhost:3000", "URI: /login", 1),
		"empty domain":         strings.Replace(siweMinimal, "localhost:3000 wants", " wants", 1),
		"domain with path":     strings.Replace(siweMinimal, "localhost:3000 wants", "localhost:3000/x wants", 1),
		"resources not a list": siweMinimal + "\nResources:\nhttps://x.example",
		"header changed":       strings.Replace(siweMinimal, "wants you to sign in", "wants you to log in", 1),
		"empty":                "",
	} {
		t.Run(name, func(t *testing.T) {
			if m, err := ParseSIWE(msg); err == nil {
				t.Fatalf("accepted: %+v", m)
			}
		})
	}
}

// formatSIWE writes m back as EIP-4361 text.
func formatSIWE(m SIWEMessage, times map[string]string) string {
	var b strings.Builder
	if m.Scheme != "" {
		b.WriteString(m.Scheme + "://")
	}
	b.WriteString(m.Domain + siweHeader + "\n" + m.Address.Hex() + "\n\n")
	if m.Statement != "" {
		b.WriteString(m.Statement + "\n")
	}
	b.WriteString("\nURI: " + m.URI + "\nVersion: " + m.Version + "\nChain ID: " + strconv.FormatInt(m.ChainID, 10) +
		"\nNonce: " + m.Nonce + "\nIssued At: " + times["issued"])
	if m.ExpirationTime != nil {
		b.WriteString("\nExpiration Time: " + times["exp"])
	}
	if m.NotBefore != nil {
		b.WriteString("\nNot Before: " + times["nbf"])
	}
	if m.RequestID != nil {
		b.WriteString("\nRequest ID: " + *m.RequestID)
	}
	if m.Resources != nil || strings.HasSuffix(times["raw"], "\nResources:") || strings.Contains(times["raw"], "\nResources:\n") {
		b.WriteString("\nResources:")
		for _, r := range m.Resources {
			b.WriteString("\n- " + r)
		}
	}
	return b.String()
}

// FuzzParseSIWE: the parser never panics, and what it accepts is exactly what its fields say:
// writing the parsed message back gives the input (nothing skipped, nothing reinterpreted), with
// a checksummed address and fields inside their grammar.
func FuzzParseSIWE(f *testing.F) {
	f.Add(siweFull)
	f.Add(siweMinimal)
	f.Add(siweMinimal + "\nResources:")
	f.Add("a wants you to sign in with your Ethereum account:\n0x0\n\n\n")
	f.Fuzz(func(t *testing.T, msg string) {
		m, err := ParseSIWE(msg)
		if err != nil {
			return
		}
		if !validNonce(m.Nonce) || m.ChainID <= 0 || m.Version != "1" || !strings.Contains(msg, "\n"+m.Address.Hex()+"\n") {
			t.Fatalf("accepted fields outside the grammar: %+v", m)
		}
		// Times are written back as they appear in the input (RFC 3339 allows several spellings).
		times := map[string]string{"raw": msg}
		for _, l := range strings.Split(msg, "\n") {
			for k, p := range map[string]string{"issued": "Issued At: ", "exp": "Expiration Time: ", "nbf": "Not Before: "} {
				if v, ok := strings.CutPrefix(l, p); ok {
					times[k] = v // the last: a statement may look like a field
				}
			}
		}
		for k, v := range times {
			if k != "raw" {
				if _, err := time.Parse(time.RFC3339Nano, v); err != nil {
					t.Fatalf("accepted time %q", v)
				}
			}
		}
		if back := formatSIWE(m, times); back != msg {
			t.Fatalf("accepted %q, which reads back as %q", msg, back)
		}
	})
}

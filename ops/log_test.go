package ops_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/amanat/amn/ops"
)

func TestMaskURLs(t *testing.T) {
	for in, want := range map[string]string{
		`Post "https://eth.example/v2/SECRET": EOF`:                  `Post "https://eth.example/xxxxx": EOF`,
		`Post "https://name.quiknode.pro/SECRET/": dial tcp`:         `Post "https://name.quiknode.pro/xxxxx": dial tcp`,
		"dial wss://rpc.example:8546/ws/SECRET failed":               "dial wss://rpc.example:8546/xxxxx failed",
		"https://rpc.example/?apikey=SECRET&x=1":                     "https://rpc.example/?apikey=xxxxx&x=xxxxx",
		"https://SECRET@rpc.example/":                                "https://xxxxx@rpc.example/",
		"https://user:SECRET@rpc.example":                            "https://xxxxx@rpc.example",
		"http://127.0.0.1:8545":                                      "http://127.0.0.1:8545",
		"postgres at postgres://amn:SECRET@db:5432/amn failed":       "postgres at postgres://amn:xxxxx@db:5432/amn failed",
		"redis://:SECRET@127.0.0.1:6379/0":                           "redis://:xxxxx@127.0.0.1:6379/0",
		"two: http://a.example/k/SECRET and http://b.example/SECRET": "two: http://a.example/xxxxx and http://b.example/xxxxx",
		"no url here":                                           "no url here",
		"https://rpc.example/v2/SECRET#frag":                    "https://rpc.example/xxxxx",
		"https://%zz/SECRET":                                    "https://(hidden)",
		"(--rpc-url http://127.0.0.1:1)":                        "(--rpc-url http://127.0.0.1:1)",
		"chain eth at http://127.0.0.1:1: no endpoint answered": "chain eth at http://127.0.0.1:1: no endpoint answered",
		"at https://rpc.example/v2/SECRET.":                     "at https://rpc.example/xxxxx.",
	} {
		got := ops.MaskURLs(in)
		if got != want {
			t.Errorf("MaskURLs(%q) = %q, want %q", in, got, want)
		}
		if strings.Contains(got, "SECRET") {
			t.Errorf("MaskURLs(%q) kept the secret: %q", in, got)
		}
	}
}

type endpoint struct{ URL string }

// Every path a URL can reach a log line by: the message, a string, an error (wrapped too), a
// Stringer, a list, a struct, a group, attributes bound with With, in both formats.
func TestLoggerMasksURLsEverywhere(t *testing.T) {
	const key = "0123456789abcdef-SECRET"
	rpcURL := "https://eth.example/v2/" + key
	err := fmt.Errorf("reading escrow record: %w", fmt.Errorf(`Post %q: EOF`, rpcURL))
	for _, format := range []string{"json", "text"} {
		var buf bytes.Buffer
		log := ops.NewLogger(&buf, format, slog.LevelDebug).With("endpoint", rpcURL).WithGroup("g")
		log.Warn("rpc failed at "+rpcURL, "err", err, "url", rpcURL, "urls", []string{rpcURL}, "ep", endpoint{rpcURL},
			slog.Group("nested", "err", errors.New(rpcURL)), "stringer", stringer(rpcURL))
		out := buf.String()
		if strings.Contains(out, key) || strings.Contains(out, "SECRET") {
			t.Fatalf("%s: the key reached the log:\n%s", format, out)
		}
		if strings.Count(out, "eth.example") < 7 {
			t.Fatalf("%s: masked too much (the host should stay):\n%s", format, out)
		}
	}
}

type stringer string

func (s stringer) String() string { return string(s) }

// AtLeast drops what is below its level and keeps the rest, attributes included.
func TestAtLeast(t *testing.T) {
	var b bytes.Buffer
	log := ops.AtLeast(ops.NewLogger(&b, "text", slog.LevelDebug), slog.LevelWarn).With("component", "river")
	log.Info("producer: Producer job counts", "queue", "default")
	log.Warn("job queue slow")
	out := b.String()
	if strings.Contains(out, "Producer job counts") || !strings.Contains(out, "job queue slow") || !strings.Contains(out, "component=river") {
		t.Fatalf("logged:\n%s", out)
	}
	if ops.AtLeast(ops.NewLogger(&b, "text", slog.LevelError), slog.LevelWarn).Enabled(context.Background(), slog.LevelWarn) {
		t.Fatal("AtLeast lowered the logger's own level")
	}
}

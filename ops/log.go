package ops

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"regexp"
	"strings"
)

// NewLogger returns a JSON logger for production or a readable text one for development. Every URL
// in its messages and attributes is masked (MaskURLs) before it is written: RPC providers put API
// keys in the URL's path, and go-ethereum's HTTP errors carry the URL they failed on
// (`Post "https://eth.example/v2/KEY": EOF`), so any error logged anywhere may carry a key.
func NewLogger(w io.Writer, format string, level slog.Level) *slog.Logger {
	opts := &slog.HandlerOptions{Level: level}
	var h slog.Handler = slog.NewJSONHandler(w, opts)
	if format == "text" {
		h = slog.NewTextHandler(w, opts)
	}
	return slog.New(MaskingHandler(h))
}

// urlPattern finds URLs in free text: a scheme, "://", and everything up to a space or a quote.
var urlPattern = regexp.MustCompile("[A-Za-z][A-Za-z0-9+.-]*://[^\\s\"'<>`]+")

// MaskURLs returns text with every URL in it masked. Of an http, https, ws or wss URL (an RPC
// endpoint) it keeps the scheme and host only: the path, the query values and any user
// information become xxxxx, since providers put keys in any of them (…/v2/KEY, /KEY/, ?apikey=,
// KEY@host). Of any other URL (postgres, redis) it masks the password and the query values.
func MaskURLs(text string) string {
	if !strings.Contains(text, "://") {
		return text
	}
	return urlPattern.ReplaceAllStringFunc(text, maskURL)
}

func maskURL(match string) string {
	// Punctuation after a URL belongs to the sentence: "(--rpc-url http://node:8545)", "at http://node:8545: EOF".
	raw := strings.TrimRight(match, ".,;:)]}")
	return maskOne(raw) + match[len(raw):]
}

func maskOne(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		scheme, _, _ := strings.Cut(raw, "://")
		return scheme + "://(hidden)"
	}
	rpc := false
	switch strings.ToLower(u.Scheme) {
	case "http", "https", "ws", "wss":
		rpc = true
	}
	if u.User != nil {
		if _, has := u.User.Password(); has {
			u.User = url.UserPassword(u.User.Username(), "xxxxx")
		}
		if rpc {
			u.User = url.User("xxxxx")
		}
	}
	if rpc && u.Path != "" && u.Path != "/" {
		u.Path, u.RawPath = "/xxxxx", ""
	}
	if u.RawQuery != "" {
		q := u.Query()
		for k := range q {
			q.Set(k, "xxxxx")
		}
		u.RawQuery = q.Encode()
	}
	u.Fragment, u.RawFragment = "", ""
	return u.String()
}

// MaskingHandler passes records to h with every URL in the message and in the attributes masked
// (MaskURLs), in groups too.
func MaskingHandler(h slog.Handler) slog.Handler { return maskingHandler{h} }

type maskingHandler struct{ h slog.Handler }

func (m maskingHandler) Enabled(ctx context.Context, l slog.Level) bool { return m.h.Enabled(ctx, l) }

func (m maskingHandler) Handle(ctx context.Context, r slog.Record) error {
	out := slog.NewRecord(r.Time, r.Level, MaskURLs(r.Message), r.PC)
	r.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(maskAttr(a))
		return true
	})
	return m.h.Handle(ctx, out)
}

func (m maskingHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	masked := make([]slog.Attr, len(attrs))
	for i, a := range attrs {
		masked[i] = maskAttr(a)
	}
	return maskingHandler{m.h.WithAttrs(masked)}
}

func (m maskingHandler) WithGroup(name string) slog.Handler {
	return maskingHandler{m.h.WithGroup(name)}
}

func maskAttr(a slog.Attr) slog.Attr {
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindString:
		return slog.String(a.Key, MaskURLs(v.String()))
	case slog.KindGroup:
		group := v.Group()
		masked := make([]slog.Attr, len(group))
		for i, g := range group {
			masked[i] = maskAttr(g)
		}
		return slog.Attr{Key: a.Key, Value: slog.GroupValue(masked...)}
	case slog.KindAny:
		switch x := v.Any().(type) {
		case error:
			return slog.String(a.Key, MaskURLs(x.Error()))
		case []string:
			masked := make([]string, len(x))
			for i, s := range x {
				masked[i] = MaskURLs(s)
			}
			return slog.Any(a.Key, masked)
		default:
			// Anything else (a Stringer, a struct) that would print a URL is logged as masked text.
			if s := fmt.Sprint(x); strings.Contains(s, "://") {
				return slog.String(a.Key, MaskURLs(s))
			}
		}
	}
	return slog.Attr{Key: a.Key, Value: v}
}

// AtLeast returns a logger writing to the same place as log, but only records of level or
// above: `amn dev` gives River this, so that its routine lines (producer job counts every 5 s)
// stay out of the deal's story while its warnings and errors do not.
func AtLeast(log *slog.Logger, level slog.Level) *slog.Logger {
	return slog.New(minLevel{log.Handler(), level})
}

type minLevel struct {
	h     slog.Handler
	level slog.Level
}

func (m minLevel) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= m.level && m.h.Enabled(ctx, l)
}
func (m minLevel) Handle(ctx context.Context, r slog.Record) error { return m.h.Handle(ctx, r) }
func (m minLevel) WithAttrs(attrs []slog.Attr) slog.Handler {
	return minLevel{m.h.WithAttrs(attrs), m.level}
}
func (m minLevel) WithGroup(name string) slog.Handler { return minLevel{m.h.WithGroup(name), m.level} }

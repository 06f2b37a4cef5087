// Package config holds the typed settings of each process role, their validation and their
// printing with secrets masked. Values come from flags and AMN_* environment variables (the
// command layer fills the structs); nothing here reads files or the environment by itself.
//
// A validation error always names the setting (flag and variable) and what is wrong with it, and
// never repeats a secret.
package config

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/amanat/amn/db"
	"github.com/amanat/amn/kind"
)

// ErrInvalid marks every validation error, so callers can tell bad input from failures.
var ErrInvalid = kind.New(kind.Invalid, "invalid setting")

// Setting describes one setting for errors, `config print` and the README's table.
type Setting struct {
	Flag   string // without dashes
	Env    string
	Secret bool
}

// Env returns the environment variable that backs a flag: --database-url is AMN_DATABASE_URL.
func Env(flag string) string {
	return "AMN_" + strings.ToUpper(strings.ReplaceAll(flag, "-", "_"))
}

func invalid(flag, format string, args ...any) error {
	return fmt.Errorf("%w: --%s (%s) %s", ErrInvalid, flag, Env(flag), fmt.Sprintf(format, args...))
}

// Common are the settings every long-running role shares.
type Common struct {
	DatabaseURL     string
	LogFormat       string // json or text
	LogLevel        string // debug, info, warn, error
	Listen          string // HTTP address: the API's own, or /healthz, /readyz and /metrics for other roles
	ShutdownTimeout time.Duration
}

// Validate checks the common settings; requireDB is false only for roles that can run without one.
func (c *Common) Validate() error {
	if err := ValidateDatabaseURL("database-url", c.DatabaseURL); err != nil {
		return err
	}
	if err := ValidateListen("listen", c.Listen); err != nil {
		return err
	}
	if _, err := ParseLogLevel(c.LogLevel); err != nil {
		return err
	}
	if c.LogFormat != "json" && c.LogFormat != "text" {
		return invalid("log-format", "must be json or text, not %q", c.LogFormat)
	}
	if c.ShutdownTimeout <= 0 {
		return invalid("shutdown-timeout", "must be positive")
	}
	return nil
}

// ValidateDatabaseURL checks a postgres:// URL without repeating its password.
func ValidateDatabaseURL(flag, raw string) error {
	if raw == "" {
		return invalid(flag, "is required (postgres://user@host:5432/dbname)")
	}
	if _, err := db.ParseURL(raw); err != nil {
		return invalid(flag, "is malformed: %v", errors.Unwrap(err))
	}
	return nil
}

// ParseLogLevel reads a level name.
func ParseLogLevel(s string) (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(s)); err != nil {
		return 0, invalid("log-level", "must be debug, info, warn or error, not %q", s)
	}
	return l, nil
}

// ValidateListen checks a host:port listen address with a port in 0–65535.
func ValidateListen(flag, addr string) error {
	if addr == "" {
		return invalid(flag, "is required (host:port)")
	}
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return invalid(flag, "must be host:port, not %q", addr)
	}
	p, err := strconv.Atoi(port)
	if err != nil || p < 0 || p > 65535 {
		return invalid(flag, "has a bad port %q (want 0–65535)", port)
	}
	return nil
}

// ValidateRedisURL checks a redis:// or rediss:// URL.
func ValidateRedisURL(flag, raw string) error {
	if raw == "" {
		return invalid(flag, "is required (redis://host:6379/0)")
	}
	if _, err := redis.ParseURL(raw); err != nil {
		return invalid(flag, "is malformed: want redis://[user:password@]host:port/db")
	}
	return nil
}

// ValidateRPCURL checks a chain JSON-RPC endpoint: http(s) or ws(s) with a host.
func ValidateRPCURL(flag, raw string) error {
	if raw == "" {
		return invalid(flag, "is required (http://host:8545 or ws://host:8546)")
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return invalid(flag, "is malformed: want http(s):// or ws(s):// with a host")
	}
	switch u.Scheme {
	case "http", "https", "ws", "wss":
	default:
		return invalid(flag, "has scheme %q; want http, https, ws or wss", u.Scheme)
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return invalid(flag, "has a bad port %q", p)
		}
	}
	return nil
}

// MaskURL hides the password of a URL and any query values that look like keys or tokens
// (RPC providers put API keys in paths and queries).
func MaskURL(raw string) string {
	if raw == "" {
		return ""
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparseable, hidden)"
	}
	if u.User != nil {
		if _, has := u.User.Password(); has {
			u.User = url.UserPassword(u.User.Username(), "xxxxx")
		}
	}
	q := u.Query()
	for k := range q {
		q.Set(k, "xxxxx")
	}
	u.RawQuery = q.Encode()
	// Provider keys often sit in the last path segment (…/v2/<key>, …/v3/<key>).
	if segs := strings.Split(u.Path, "/"); len(segs) > 1 && len(segs[len(segs)-1]) >= 16 {
		segs[len(segs)-1] = "xxxxx"
		u.Path = strings.Join(segs, "/")
	}
	return u.String()
}

package config_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/amanat/amn/config"
)

func good() config.Common {
	return config.Common{
		DatabaseURL: "postgres://amn:pw@127.0.0.1:5432/amn", LogFormat: "json", LogLevel: "info",
		Listen: "127.0.0.1:8080", ShutdownTimeout: time.Second,
	}
}

func TestCommonValidate(t *testing.T) {
	if err := func() *config.Common { c := good(); return &c }().Validate(); err != nil {
		t.Fatalf("good config: %v", err)
	}
	for _, tc := range []struct {
		name string
		edit func(*config.Common)
		want string
	}{
		{"no database", func(c *config.Common) { c.DatabaseURL = "" }, "--database-url (AMN_DATABASE_URL) is required"},
		{"not postgres", func(c *config.Common) { c.DatabaseURL = "mysql://x/y" }, "--database-url (AMN_DATABASE_URL) is malformed"},
		{"no listen", func(c *config.Common) { c.Listen = "" }, "--listen (AMN_LISTEN) is required"},
		{"port too big", func(c *config.Common) { c.Listen = ":65536" }, "--listen (AMN_LISTEN) has a bad port"},
		{"log level", func(c *config.Common) { c.LogLevel = "loud" }, "--log-level (AMN_LOG_LEVEL)"},
		{"log format", func(c *config.Common) { c.LogFormat = "xml" }, "--log-format (AMN_LOG_FORMAT)"},
		{"shutdown", func(c *config.Common) { c.ShutdownTimeout = 0 }, "--shutdown-timeout (AMN_SHUTDOWN_TIMEOUT)"},
	} {
		c := good()
		tc.edit(&c)
		err := c.Validate()
		if !errors.Is(err, config.ErrInvalid) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want %q", tc.name, err, tc.want)
		}
		if err != nil && strings.Contains(err.Error(), "pw@") {
			t.Errorf("%s: error repeats the password: %v", tc.name, err)
		}
	}
}

func TestValidateURLs(t *testing.T) {
	for _, ok := range []string{"http://127.0.0.1:8545", "https://rpc.example/v2/key", "ws://node:8546", "wss://node"} {
		if err := config.ValidateRPCURL("rpc-url", ok); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
	for _, bad := range []string{"", "127.0.0.1:8545", "ftp://node", "http://", "http://node:0", "http://node:99999"} {
		if err := config.ValidateRPCURL("rpc-url", bad); !errors.Is(err, config.ErrInvalid) {
			t.Errorf("%q accepted: %v", bad, err)
		}
	}
	if err := config.ValidateRedisURL("redis-url", "redis://:pw@127.0.0.1:6379/0"); err != nil {
		t.Error(err)
	}
	for _, bad := range []string{"", "http://x", "redis://host:6379/notadb"} {
		if err := config.ValidateRedisURL("redis-url", bad); !errors.Is(err, config.ErrInvalid) {
			t.Errorf("%q accepted: %v", bad, err)
		}
	}
}

func TestMaskURL(t *testing.T) {
	for in, want := range map[string]string{
		"postgres://amn:hunter2@db:5432/amn":                    "postgres://amn:xxxxx@db:5432/amn",
		"https://eth-mainnet.g.alchemy.com/v2/abcdefghijklmnop": "https://eth-mainnet.g.alchemy.com/v2/xxxxx",
		"https://rpc.example/?apikey=secret":                    "https://rpc.example/?apikey=xxxxx",
		"redis://127.0.0.1:6379/0":                              "redis://127.0.0.1:6379/0",
		"":                                                      "",
	} {
		if got := config.MaskURL(in); got != want {
			t.Errorf("MaskURL(%q) = %q, want %q", in, got, want)
		}
	}
	if got := config.Env("shutdown-timeout"); got != "AMN_SHUTDOWN_TIMEOUT" {
		t.Errorf("Env = %s", got)
	}
}

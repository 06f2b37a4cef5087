package main

import (
	"fmt"
	"net"
	"net/url"

	"github.com/spf13/pflag"

	"github.com/amanat/amn/config"
	"github.com/amanat/amn/notify"
)

// notifyOptions are the notifications' settings: the key one-click unsubscribe links are signed
// with (the API checks them, the worker writes them into mail) and, for the worker, where the
// mail's links lead.
type notifyOptions struct {
	Key    string // --notify-key (a secret)
	APIURL string // --notify-api-url: the API's public base, for unsubscribe links
	AppURL string // --notify-app-url: the frontend's base, for links to a deal
}

func (o *notifyOptions) addFlags(fs *pflag.FlagSet, worker bool) {
	fs.StringVar(&o.Key, "notify-key", "", "secret key (at least 32 bytes, e.g. from openssl rand -hex 32) that signs one-click unsubscribe links; the API and the worker need the same; empty leaves non-essential notification mail waiting")
	if worker {
		fs.StringVar(&o.APIURL, "notify-api-url", "http://127.0.0.1:8080", "the API's public base URL: unsubscribe links in notification mail point there (https, but for loopback)")
		fs.StringVar(&o.AppURL, "notify-app-url", "http://localhost:3000", "the frontend's base URL: notification mail links to its /requests/{id}")
	}
}

// Validate checks the key's length and the URLs; an unsubscribe link must be https (RFC 8058)
// unless the API is on loopback (dev, tests).
func (o *notifyOptions) Validate() error {
	if o.Key != "" && len(o.Key) < notify.MinKeyLen {
		return fmt.Errorf("%w: --notify-key (%s) must have at least %d bytes (`openssl rand -hex 32`)", config.ErrInvalid, config.Env("notify-key"), notify.MinKeyLen)
	}
	for _, f := range []struct{ name, v string }{{"notify-api-url", o.APIURL}, {"notify-app-url", o.AppURL}} {
		if f.v == "" {
			continue
		}
		u, err := url.Parse(f.v)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return fmt.Errorf("%w: --%s (%s): %q is not an http(s) URL", config.ErrInvalid, f.name, config.Env(f.name), f.v)
		}
		if f.name == "notify-api-url" && u.Scheme != "https" && !loopbackHost(u.Hostname()) {
			return fmt.Errorf("%w: --notify-api-url (%s): one-click unsubscribe needs https (RFC 8058) unless the API is on loopback", config.ErrInvalid, config.Env("notify-api-url"))
		}
	}
	return nil
}

func loopbackHost(h string) bool {
	if h == "localhost" {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

func (o *notifyOptions) config() notify.Config {
	return notify.Config{UnsubscribeKey: []byte(o.Key), APIURL: o.APIURL, AppURL: o.AppURL}
}

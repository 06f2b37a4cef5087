package main

import (
	"fmt"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"github.com/go-redis/redis_rate/v10"
	"github.com/redis/go-redis/v9"
	"github.com/spf13/pflag"

	"github.com/amanat/amn/api"
	"github.com/amanat/amn/config"
)

// edgeOptions are the API's edge settings: rate limits (in Redis), CORS origins, trusted proxies.
type edgeOptions struct {
	RateAuth, RatePayments, RateGlobal string
	RateUploads                        string
	CORSOrigins                        []string
	TrustedProxies                     []string
	BrowseCache                        time.Duration
}

func (o *edgeOptions) addFlags(fs *pflag.FlagSet) {
	fs.StringVar(&o.RateAuth, "rate-auth", "10/15m", "requests per period on /v1/auth/*, per client IP and per account (N/duration)")
	fs.StringVar(&o.RatePayments, "rate-payments", "30/15m", "requests per period on /v1/payments*, per client IP and per account")
	fs.StringVar(&o.RateGlobal, "rate-global", "100/1m", "requests per period on every /v1 route, per client IP (the webhook is exempt)")
	fs.StringVar(&o.RateUploads, "rate-uploads", "60/1h", "uploads (POST /v1/uploads) per period, per account")
	fs.DurationVar(&o.BrowseCache, "browse-cache", 5*time.Second, "how long the public browse list's pages are served again from memory (GET /v1/marketplace/requests); 0 turns it off")
	fs.StringSliceVar(&o.CORSOrigins, "cors-origins", nil, "frontend origins allowed to call the API from a browser (https://app.example.com,…); none allows none")
	fs.StringSliceVar(&o.TrustedProxies, "trusted-proxies", nil, "CIDRs of the proxies whose X-Forwarded-For names the client; none trusts nobody")
}

func (o *edgeOptions) Validate() error {
	_, err := o.edge(nil)
	return err
}

// edge is the router's edge settings, its limits kept in rdb.
func (o *edgeOptions) edge(rdb *redis.Client) (api.Edge, error) {
	if o.BrowseCache < 0 || o.BrowseCache > time.Minute {
		return api.Edge{}, fmt.Errorf("%w: --browse-cache (%s): %s is not between 0 and 1m", config.ErrInvalid, config.Env("browse-cache"), o.BrowseCache)
	}
	e := api.Edge{Redis: rdb, BrowseCache: o.BrowseCache}
	var lims []redis_rate.Limit
	for _, l := range []struct{ flag, val string }{{"rate-auth", o.RateAuth}, {"rate-payments", o.RatePayments}, {"rate-global", o.RateGlobal},
		{"rate-uploads", o.RateUploads}} {
		lim, err := api.ParseLimit(l.val)
		if err != nil {
			return api.Edge{}, fmt.Errorf("%w: --%s (%s): %v", config.ErrInvalid, l.flag, config.Env(l.flag), err)
		}
		lims = append(lims, lim)
	}
	m := api.DefaultMarketLimits
	m.Uploads = lims[3]
	e.RateRules = api.RateRulesWith(lims[0], lims[1], lims[2], m)
	for _, origin := range o.CORSOrigins {
		u, err := url.Parse(origin)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || strings.TrimSuffix(u.Path, "/") != "" || origin == "*" {
			return api.Edge{}, fmt.Errorf("%w: --cors-origins (%s): %q is not an origin like https://app.example.com", config.ErrInvalid, config.Env("cors-origins"), origin)
		}
		e.CORSOrigins = append(e.CORSOrigins, u.Scheme+"://"+u.Host)
	}
	for _, p := range o.TrustedProxies {
		pfx, err := netip.ParsePrefix(p)
		if err != nil {
			return api.Edge{}, fmt.Errorf("%w: --trusted-proxies (%s): %q is not a CIDR", config.ErrInvalid, config.Env("trusted-proxies"), p)
		}
		e.TrustedProxies = append(e.TrustedProxies, pfx.Masked())
	}
	return e, nil
}

// devEdge is amn dev's edge: the local frontend's origins, and limits loose enough to click
// around in (still enforced, in the dev Redis).
func devEdge(rdb *redis.Client) (api.Edge, error) {
	o := edgeOptions{RateAuth: "60/1m", RatePayments: "120/1m", RateGlobal: "600/1m", RateUploads: "600/1h",
		CORSOrigins: []string{"http://localhost:3000", "http://127.0.0.1:3000"}}
	return o.edge(rdb)
}

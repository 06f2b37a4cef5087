package main

import (
	"fmt"
	"net/url"

	"github.com/spf13/pflag"

	"github.com/amanat/amn/config"
	"github.com/amanat/amn/points"
)

// pointsOptions are the rules of loyalty points (the API and the worker read the same file) and,
// for the API, where referral links lead.
type pointsOptions struct {
	ConfigFile string
	SignupURL  string // the frontend's sign-up page: /r/{code} redirects there with ?ref=CODE
	PublicURL  string // this API's public base: referral links are PublicURL/r/CODE

	cfg points.Config
}

func (o *pointsOptions) addFlags(fs *pflag.FlagSet, api bool) {
	fs.StringVar(&o.ConfigFile, "points-config", "", "points rules file (JSON: bands, referralReward, referralsPerDay, levelConfig); built-in defaults otherwise")
	if api {
		fs.StringVar(&o.SignupURL, "signup-url", "http://localhost:3000/signup", "the frontend's sign-up page, where referral links (/r/{code}) lead with ?ref=CODE")
		fs.StringVar(&o.PublicURL, "public-url", "http://127.0.0.1:8080", "this API's public base URL, for the referral links it shows")
	}
}

// Validate reads the rules and checks the URLs.
func (o *pointsOptions) Validate() error {
	o.cfg = points.DefaultConfig()
	if o.ConfigFile != "" {
		c, err := points.LoadConfig(o.ConfigFile)
		if err != nil {
			return fmt.Errorf("%w: --points-config (%s): %v", config.ErrInvalid, config.Env("points-config"), err)
		}
		o.cfg = c
	}
	for _, f := range []struct{ name, v string }{{"signup-url", o.SignupURL}, {"public-url", o.PublicURL}} {
		if f.v == "" {
			continue
		}
		if u, err := url.Parse(f.v); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return fmt.Errorf("%w: --%s (%s): %q is not an http(s) URL", config.ErrInvalid, f.name, config.Env(f.name), f.v)
		}
	}
	return nil
}

package main

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/alicebob/miniredis/v2"
	"github.com/go-redis/redis_rate/v10"
	"github.com/redis/go-redis/v9"

	"github.com/amanat/amn/api"
	"github.com/amanat/amn/config"
)

func TestEdgeFlags(t *testing.T) {
	o := edgeOptions{RateAuth: "5/10m", RatePayments: "30/15m", RateGlobal: "100/1m", RateUploads: "7/1h",
		CORSOrigins: []string{"https://app.amn.example/"}, TrustedProxies: []string{"10.0.0.0/8", "2001:db8::/32"}}
	e, err := o.edge(nil)
	if err != nil {
		t.Fatal(err)
	}
	if e.RateRules[0].Name != "auth" || e.RateRules[0].Limit.Rate != 5 || len(e.TrustedProxies) != 2 ||
		len(e.CORSOrigins) != 1 || e.CORSOrigins[0] != "https://app.amn.example" {
		t.Fatalf("%+v", e)
	}
	if i := slices.IndexFunc(e.RateRules, func(r api.RateRule) bool { return r.Name == "uploads" }); i < 0 ||
		e.RateRules[i].Limit.Rate != 7 || !e.RateRules[i].AccountOnly {
		t.Fatalf("the uploads rule: %+v", e.RateRules)
	}
	for _, bad := range []edgeOptions{
		{RateAuth: "ten", RatePayments: "30/15m", RateGlobal: "100/1m", RateUploads: "60/1h"},
		{RateAuth: "10/15m", RatePayments: "30/15m", RateGlobal: "100/1m", RateUploads: "many"},
		{RateAuth: "10/15m", RatePayments: "30/15m", RateGlobal: "100/1m", CORSOrigins: []string{"*"}},
		{RateAuth: "10/15m", RatePayments: "30/15m", RateGlobal: "100/1m", CORSOrigins: []string{"app.amn.example"}},
		{RateAuth: "10/15m", RatePayments: "30/15m", RateGlobal: "100/1m", CORSOrigins: []string{"https://app.amn.example/login"}},
		{RateAuth: "10/15m", RatePayments: "30/15m", RateGlobal: "100/1m", TrustedProxies: []string{"10.0.0.1/99"}},
	} {
		if err := bad.Validate(); !errors.Is(err, config.ErrInvalid) {
			t.Errorf("%+v: %v", bad, err)
		}
	}
}

// amn dev's limits work on its in-process Redis (miniredis runs the limiter's script).
func TestDevEdgeOnMiniredis(t *testing.T) {
	mr := miniredis.RunT(t)
	rdb := redis.NewClient(&redis.Options{Addr: mr.Addr()})
	e, err := devEdge(rdb)
	if err != nil {
		t.Fatal(err)
	}
	res, err := redis_rate.NewLimiter(rdb).Allow(context.Background(), "k", e.RateRules[0].Limit)
	if err != nil || res.Allowed != 1 {
		t.Fatalf("%+v %v", res, err)
	}
}

package main

import (
	"bytes"
	"context"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/amanat/amn/db/dbtest"
)

// TestBenchRunsAndReports runs the bench small: amn api started, 50 subscribers of 5 users, 20
// messages in one transaction each, 100 idle connections. Every subscriber must get every
// message (run fails otherwise) and the report must carry each number; it asserts no speed (that
// is the bench's own job, docs/benchmarks.md).
func TestBenchRunsAndReports(t *testing.T) {
	for _, burst := range []bool{false} { // -burst differs only in publish's loop; one run keeps this short
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		var out bytes.Buffer
		o := options{url: dbtest.AdminURL(), redisURL: "redis://127.0.0.1:6379/12", subscribers: 50, users: 5,
			messages: 20, idle: 100, payload: 100, dialers: 10, burst: burst}
		if err := o.Validate(); err != nil {
			t.Fatal(err)
		}
		if err := run(ctx, o, &out); err != nil {
			t.Fatalf("%v\n%s", err, out.String())
		}
		report := out.String()
		t.Log(report)
		m := regexp.MustCompile(`deliveries=(\d+) of (\d+) .* [\d.]+ deliveries/s`).FindStringSubmatch(report)
		if m == nil || m[1] != "1000" || m[2] != "1000" {
			t.Errorf("deliveries line %q, want 1000 of 1000", m)
		}
		for _, re := range []string{`latency p50=\S+ p90=\S+ p99=\S+`, `cpu api \S+ \([\d.]+ µs/delivery\)`, `api wrote [1-9]\d* messages`} {
			if !regexp.MustCompile(re).MatchString(report) {
				t.Errorf("no %q in the report", re)
			}
		}
		m = regexp.MustCompile(`idle: connections=(\d+) .* (\d+) MB held`).FindStringSubmatch(report)
		if m == nil || m[1] != strconv.Itoa(o.idle) || m[2] == "0" {
			t.Errorf("idle line %q, want %d connections and a size", m, o.idle)
		}
	}
}

func TestOptionsRefuseNonsense(t *testing.T) {
	ok := options{url: "postgres://x@127.0.0.1/db", subscribers: 10, users: 2, messages: 1, dialers: 1}
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []func(*options){
		func(o *options) { o.subscribers = 0 },
		func(o *options) { o.users = 11 },
		func(o *options) { o.users = 0 },
		func(o *options) { o.idle = -1 },
		func(o *options) { o.dialers = 0 },
		func(o *options) { o.url = "mysql://nope" },
	} {
		o := ok
		bad(&o)
		if o.Validate() == nil {
			t.Errorf("%+v accepted", o)
		}
	}
}

package main

import (
	"bytes"
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/amanat/amn/db/dbtest"
)

// TestBenchRunsAndReports runs the whole bench small: a few hundred requests seeded, amn api
// started, a few hundred calls at a low rate. It checks that every call of every kind was
// answered 200 and that the report says so; it asserts no speed (that is the bench's own job).
func TestBenchRunsAndReports(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	var out bytes.Buffer
	o := options{url: dbtest.AdminURL(), redisURL: "redis://127.0.0.1:6379/12", rows: 300, buyers: 20,
		calls: 300, warmup: 30, rate: 100, maxInFlight: 330, seed: 7} // no call dropped however loaded the machine
	if err := o.Validate(); err != nil {
		t.Fatal(err)
	}
	o.keep = true
	if err := run(ctx, o, &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	kept := regexp.MustCompile(`into (amn_bench_api_[0-9a-f]+)`).FindStringSubmatch(out.String())
	if kept == nil {
		t.Fatalf("no database name in the report:\n%s", out.String())
	}
	t.Cleanup(func() { dropDatabase(t, kept[1]) })
	checkReport(t, o, out.String())
	// -db loads the kept database again without seeding it.
	out.Reset()
	o.keep, o.reuse = false, kept[1]
	if err := run(ctx, o, &out); err != nil {
		t.Fatalf("-db: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "reusing "+kept[1]+": ") || strings.Contains(out.String(), "seeded ") {
		t.Errorf("-db %s did not reuse the database:\n%s", kept[1], out.String())
	}
	checkReport(t, o, out.String())
}

func dropDatabase(t *testing.T, name string) {
	conn, err := pgx.Connect(context.Background(), dbtest.AdminURL())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(context.Background(), "DROP DATABASE "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
		t.Error(err)
	}
}

// checkReport checks that every call of every kind was answered 200 and that the report says so.
func checkReport(t *testing.T, o options, report string) {
	t.Helper()
	t.Log(report)
	m := regexp.MustCompile(`calls=(\d+) .* errors=(\d+) `).FindStringSubmatch(report)
	if m == nil {
		t.Fatalf("no totals line in the report")
	}
	if n, _ := strconv.Atoi(m[1]); n != o.calls {
		t.Errorf("calls = %d, want %d", n, o.calls)
	}
	if m[2] != "0" {
		t.Errorf("errors = %s, want 0", m[2])
	}
	for _, k := range mix {
		if !regexp.MustCompile(`latency ` + k.kind + ` +n=[1-9]\d* +p50=`).MatchString(report) {
			t.Errorf("no calls of kind %s in the report", k.kind)
		}
	}
	if !regexp.MustCompile(`cpu: api \d+\.\d+ cores .* postgres \d+\.\d+ cores`).MatchString(report) {
		t.Errorf("no CPU line in the report")
	}
}

// TestSeededDataLooksReal checks the generator's mix: mostly open, some private, some closed, and
// full-text words that are common and rare.
func TestSeededDataLooksReal(t *testing.T) {
	g := newGenerator(1, time.Now())
	status, private := map[string]int{}, 0
	for range 2000 {
		s := g.request([16]byte{1})
		status[string(s.Status)]++
		if s.Input.Visibility == "private" {
			private++
		}
		if s.CreatedAt.After(g.now) || (s.Status != "active" && s.ClosedAt.After(g.now)) {
			t.Fatalf("a request in the future: %+v", s)
		}
	}
	if status["active"] < 1500 || status["cancelled"] < 80 || status["expired"] < 60 || private < 100 {
		t.Errorf("mix: %v, %d private", status, private)
	}
}

// Command api measures the marketplace's public read path through the real `amn api` process:
// it seeds purchase requests into a new database, starts `amn api` on loopback (its router,
// middleware, OpenAPI validation and Redis rate limiter, with the global limit raised because all
// the load comes from one IP), and sends an open-loop load at a constant rate: the browse list
// with and without filters, full-text search, later pages by cursor, and the request detail.
//
//	go run ./bench/api                                  # 100,000 requests seeded, 100,000 calls at 2,000/s
//	go run ./bench/api -rows 1000 -calls 2000 -rate 200 # a quick look
//
// It reports the achieved rate, latency percentiles measured from each call's due time (so a
// stalled server is not hidden by a waiting client), errors, and the CPU time of the api process,
// of the bench database's PostgreSQL backends and of the load generator (from /proc), with the
// machine's load average. Each run creates its own database (amn_bench_api_<random>) and drops it
// (-keep keeps it, for EXPLAIN).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/signal"
	"runtime"
	"slices"
	"time"

	"github.com/amanat/amn/bench/internal/benchkit"
	"github.com/amanat/amn/db"
	"github.com/jackc/pgx/v5/pgxpool"
)

type options struct {
	url         string
	redisURL    string
	amn         string // a built amn binary; empty: go build it
	rows        int
	buyers      int
	calls       int
	warmup      int
	rate        float64
	maxInFlight int64
	seed        uint64
	keep        bool
	reuse       string   // a kept bench database to load again (no seeding)
	apiPool     int      // pool_max_conns of amn api's database pool; 0: pgxpool's default
	apiArgs     []string // more `amn api` flags (A/B of settings)
	only        string   // one kind of the mix alone (its CPU per call)
}

func (o *options) Validate() error {
	switch {
	case o.rows < 100:
		return errors.New("-rows: at least 100")
	case o.buyers < 1:
		return errors.New("-buyers: at least 1")
	case o.calls < 1 || o.warmup < 0:
		return errors.New("-calls: at least 1; -warmup: not negative")
	case o.rate <= 0 || o.maxInFlight < 1:
		return errors.New("-rate and -max-in-flight: must be positive")
	}
	if o.only != "" && !slices.ContainsFunc(mix, func(m struct {
		kind string
		pct  int
	}) bool {
		return m.kind == o.only
	}) {
		return fmt.Errorf("-only %q: not a kind of the mix", o.only)
	}
	_, err := db.ParseURL(o.url)
	return err
}

type stringList []string

func (s *stringList) String() string     { return fmt.Sprint(*s) }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

func main() {
	o := options{}
	defURL := os.Getenv("AMN_BENCH_DATABASE_URL")
	if defURL == "" {
		defURL = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
	}
	flag.StringVar(&o.url, "url", defURL, "maintenance database of the server to create the bench database on")
	flag.StringVar(&o.redisURL, "redis-url", "redis://127.0.0.1:6379/12", "Redis for the rate limiter (a database of its own: the load's IP is 127.0.0.1)")
	flag.StringVar(&o.amn, "amn", "", "amn binary to run (default: go build ./cmd/amn)")
	flag.IntVar(&o.rows, "rows", 100000, "purchase requests to seed")
	flag.IntVar(&o.buyers, "buyers", 2000, "buyers the requests belong to")
	flag.IntVar(&o.calls, "calls", 100000, "calls measured")
	flag.IntVar(&o.warmup, "warmup", 4000, "calls sent first at the same rate and not measured")
	flag.Float64Var(&o.rate, "rate", 2000, "calls per second (open loop)")
	flag.Int64Var(&o.maxInFlight, "max-in-flight", 1000, "calls waiting at once beyond which a due call is dropped (counted as an error)")
	flag.Uint64Var(&o.seed, "seed", 1, "seed of the data and of the call mix")
	flag.BoolVar(&o.keep, "keep", false, "keep the bench database (its name is printed)")
	flag.StringVar(&o.reuse, "db", "", "load a database an earlier -keep run kept (migrated up, vacuumed, not seeded again; kept)")
	flag.StringVar(&o.only, "only", "", "send only the calls of this kind of the mix (browse, browse_category, browse_filters, browse_q, browse_cursor, detail)")
	flag.IntVar(&o.apiPool, "api-pool", 0, "amn api's database connections (pool_max_conns in its URL); 0: the default, max(4, cores)")
	var extra stringList
	flag.Var(&extra, "api-arg", "one more flag for amn api (repeat)")
	flag.Parse()
	o.apiArgs = extra
	if err := o.Validate(); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, o, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1) //nolint:gocritic // stop only cancels the signal context
	}
}

// run seeds, starts amn api, loads it and writes the report to w.
func run(ctx context.Context, o options, w io.Writer) error {
	fmt.Fprintf(w, "# %d CPUs, GOMAXPROCS %d, %s, load average %s before\n", runtime.NumCPU(), runtime.GOMAXPROCS(0), runtime.Version(), benchkit.LoadAverage())
	dir, err := os.MkdirTemp("", "amn-bench-api-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	bin := o.amn
	if bin == "" {
		if bin, err = benchkit.BuildAmn(ctx, dir); err != nil {
			return err
		}
	}
	pool, data, cleanup, err := openData(ctx, o, w)
	if err != nil {
		return err
	}
	defer cleanup()
	dbURL, err := withParam(pool.Config().ConnString(), "pool_max_conns", o.apiPool)
	if err != nil {
		return err
	}
	srv, err := benchkit.StartAPI(ctx, benchkit.APIOptions{Bin: bin, Dir: dir, DatabaseURL: dbURL, RedisURL: o.redisURL,
		RateGlobal: "1000000000/1m", Extra: o.apiArgs})
	if err != nil {
		return err
	}
	defer srv.Stop()
	fmt.Fprintf(w, "amn api pid %d on %s, log %s\n", srv.Pid(), srv.Base, srv.Log)
	// The call mix comes from a generator of its own: the same calls whether the data was seeded now or by -keep.
	g := newGenerator(o.seed+1, time.Now())
	g.only = o.only
	return measure(ctx, o, w, srv, pool, g, data)
}

// openData seeds a new database (dropped by cleanup unless -keep), or opens the -db one again.
func openData(ctx context.Context, o options, w io.Writer) (*pgxpool.Pool, *seeded, func(), error) {
	if o.reuse != "" {
		pool, data, err := reopen(ctx, o.url, o.reuse)
		if err != nil {
			return nil, nil, nil, err
		}
		fmt.Fprintf(w, "reusing %s: %d open requests\n", o.reuse, len(data.open))
		return pool, data, pool.Close, nil
	}
	pool, cleanup, err := db.OpenScratch(ctx, o.url, "amn_bench_api_", 4)
	if err != nil {
		return nil, nil, nil, err
	}
	if o.keep {
		cleanup = pool.Close
	}
	t0 := time.Now()
	data, err := seed(ctx, pool, newGenerator(o.seed, time.Now()), o.rows, o.buyers)
	if err != nil {
		cleanup()
		return nil, nil, nil, err
	}
	fmt.Fprintf(w, "seeded %d requests (%d open) for %d buyers in %s into %s\n", o.rows, len(data.open), o.buyers,
		time.Since(t0).Round(time.Millisecond), pool.Config().ConnConfig.Database)
	return pool, data, cleanup, nil
}

// withParam sets a query parameter of a connection URL; n = 0 leaves the URL as it is.
func withParam(raw, name string, n int) (string, error) {
	if n == 0 {
		return raw, nil
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", err
	}
	q := u.Query()
	q.Set(name, fmt.Sprint(n))
	u.RawQuery = q.Encode()
	return u.String(), nil
}

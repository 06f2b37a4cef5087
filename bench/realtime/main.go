// Command realtime measures the WebSocket hub through the real `amn api` process (issue #18,
// acceptance 4). It starts `amn api` on loopback on a scratch database; the clients run in this
// process, a separate one, over real TCP:
//
//  1. broadcast: -subscribers connections (of -users distinct users: each presence join notifies
//     the room) join one room; -messages events are published into it, one transaction each, as a
//     domain package publishes. It reports deliveries per second (from the first publish to the
//     last frame received), the delivery latency (the event's insert time to its arrival at a
//     client) and the CPU time the api process, this process and the machine spent per delivery.
//
//  2. idle: -idle more connections sign in and subscribe, then sit; it reports the api process's
//     RSS (and its peak) before and with them held.
//
//     go run ./bench/realtime                                     # 1,000 × 100 and 10,000 idle
//     go run ./bench/realtime -subscribers 100 -messages 20 -idle 500
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"time"

	"github.com/amanat/amn/auth"
	"github.com/amanat/amn/bench/internal/benchkit"
	"github.com/amanat/amn/db"
)

type options struct {
	url, redisURL, amn string
	subscribers, users int
	messages, idle     int
	payload            int // bytes of text in each event
	dialers            int // connections opened at once
	burst              bool
	asyncCommit        bool
	apiArgs            []string
}

func (o *options) Validate() error {
	switch {
	case o.subscribers < 1 || o.messages < 1:
		return errors.New("-subscribers and -messages: at least 1")
	case o.users < 1 || o.users > o.subscribers:
		return errors.New("-users: from 1 to -subscribers")
	case o.idle < 0 || o.payload < 0 || o.dialers < 1:
		return errors.New("-idle, -payload: not negative; -dialers: at least 1")
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
	flag.StringVar(&o.redisURL, "redis-url", "redis://127.0.0.1:6379/12", "Redis for the API's rate limiter")
	flag.StringVar(&o.amn, "amn", "", "amn binary to run (default: go build ./cmd/amn)")
	flag.IntVar(&o.subscribers, "subscribers", 1000, "connections subscribed to the broadcast room")
	flag.IntVar(&o.users, "users", 10, "distinct users the subscribers sign in as")
	flag.IntVar(&o.messages, "messages", 100, "events published into the room")
	flag.IntVar(&o.idle, "idle", 10000, "idle connections held for the memory measurement (0: skip)")
	flag.IntVar(&o.payload, "payload", 100, "bytes of text in each event")
	flag.IntVar(&o.dialers, "dialers", 50, "connections opened at once")
	flag.BoolVar(&o.burst, "burst", false, "publish the messages in one transaction (the hub's fan-out alone) instead of one each")
	flag.BoolVar(&o.asyncCommit, "async-commit", false, "publish with synchronous_commit off (the disk's flush out of the room's serialized commits: what the hub does when commits are fast)")
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

// run starts amn api on a scratch database, runs both measurements and writes the report to w.
func run(ctx context.Context, o options, w io.Writer) error {
	fmt.Fprintf(w, "# %d CPUs, GOMAXPROCS %d, %s, load average %s before\n", runtime.NumCPU(), runtime.GOMAXPROCS(0), runtime.Version(), benchkit.LoadAverage())
	dir, err := os.MkdirTemp("", "amn-bench-realtime-")
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
	pool, cleanup, err := db.OpenScratch(ctx, o.url, "amn_bench_realtime_", 4)
	if err != nil {
		return err
	}
	defer cleanup()
	keys, err := auth.GenerateKeys()
	if err != nil {
		return err
	}
	srv, err := benchkit.StartAPI(ctx, benchkit.APIOptions{Bin: bin, Dir: dir, DatabaseURL: pool.Config().ConnString(),
		RedisURL: o.redisURL, Keys: keys, RateGlobal: "1000000000/1m", Extra: append([]string{"--log-level", "warn"}, o.apiArgs...)})
	if err != nil {
		return err
	}
	defer srv.Stop()
	fmt.Fprintf(w, "amn api pid %d on %s\n", srv.Pid(), srv.Base)
	svc, err := auth.New(pool, auth.Config{Issuer: "amn", Audience: "amn-api", Keys: keys, AccessTTL: time.Hour})
	if err != nil {
		return err
	}
	users, err := signIn(ctx, svc, o.users)
	if err != nil {
		return err
	}
	b := &bench{o: o, srv: srv, pool: pool, svc: svc, users: users, w: w}
	if err := b.broadcast(ctx); err != nil {
		return err
	}
	if o.idle > 0 {
		return b.holdIdle(ctx)
	}
	return nil
}

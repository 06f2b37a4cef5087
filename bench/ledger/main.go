// Command ledger measures the ledger's throughput against a PostgreSQL server: workers record
// random transfers between accounts for a while, one transfer per call or in batches, and the
// run ends with ledger.Check. It creates a database of its own and drops it afterwards.
//
//	go run ./bench/ledger -accounts 1000 -workers 20 -duration 10s            # single transfers
//	go run ./bench/ledger -accounts 10 -workers 20 -duration 10s              # hot accounts
//	go run ./bench/ledger -accounts 1000 -workers 20 -duration 10s -batch 1000 # batches
//	go run ./bench/ledger -suite -duration 10s                                 # all three
//
// Besides transfers/s and latencies, a run reports how the Ledger wrote its calls (from memory,
// conflicts, locked: see ledger.Stats), the CPU time the server backends and the client spent per
// transfer, and the load average.
//
// Each knob also reads an environment variable (AMN_BENCH_ACCOUNTS, AMN_BENCH_WORKERS,
// AMN_BENCH_DURATION, AMN_BENCH_BATCH); the server is AMN_BENCH_DATABASE_URL or the local one.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"math/big"
	mrand "math/rand/v2"
	"os"
	"os/signal"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/amanat/amn/db"
	"github.com/amanat/amn/ledger"
)

type options struct {
	url      string
	accounts int
	workers  int
	duration time.Duration
	batch    int
	suite    bool
	keep     bool
	profile  string
}

func (o *options) Validate() error {
	switch {
	case o.accounts < 2:
		return errors.New("-accounts: at least 2")
	case o.workers < 1:
		return errors.New("-workers: at least 1")
	case o.duration <= 0:
		return errors.New("-duration: must be positive")
	case o.batch < 1 || o.batch > 100000:
		return errors.New("-batch: 1 to 100000")
	}
	_, err := db.ParseURL(o.url)
	return err
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil {
		return v
	}
	return def
}

func envDuration(name string, def time.Duration) time.Duration {
	if v, err := time.ParseDuration(os.Getenv(name)); err == nil {
		return v
	}
	return def
}

func main() {
	o := options{}
	defURL := os.Getenv("AMN_BENCH_DATABASE_URL")
	if defURL == "" {
		defURL = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
	}
	flag.StringVar(&o.url, "url", defURL, "maintenance database of the server to create the bench database on")
	flag.IntVar(&o.accounts, "accounts", envInt("AMN_BENCH_ACCOUNTS", 1000), "accounts the transfers pick from")
	flag.IntVar(&o.workers, "workers", envInt("AMN_BENCH_WORKERS", 20), "concurrent callers (one connection each)")
	flag.DurationVar(&o.duration, "duration", envDuration("AMN_BENCH_DURATION", 10*time.Second), "how long each run records transfers")
	flag.IntVar(&o.batch, "batch", envInt("AMN_BENCH_BATCH", 1), "transfers per call (1: single transfers; more: CreateTransfers batches without links)")
	flag.BoolVar(&o.suite, "suite", false, "run the standard three: 1000 accounts, 10 hot accounts, batches of 1000 over 1000 accounts")
	flag.BoolVar(&o.keep, "keep", false, "keep the bench database")
	flag.StringVar(&o.profile, "cpuprofile", "", "write a CPU profile of the client side to this file")
	flag.Parse()
	if err := o.Validate(); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if o.profile != "" {
		f, err := os.Create(o.profile)
		if err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(1)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(1)
		}
		defer pprof.StopCPUProfile()
	}
	if err := run(ctx, o); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		pprof.StopCPUProfile()
		os.Exit(1) //nolint:gocritic // the profile is stopped above
	}
}

func run(ctx context.Context, o options) error {
	fmt.Printf("# %d CPUs, GOMAXPROCS %d, %s\n", runtime.NumCPU(), runtime.GOMAXPROCS(0), runtime.Version())
	runs := []options{o}
	if o.suite {
		runs = []options{o, o, o}
		runs[0].accounts, runs[0].batch = 1000, 1
		runs[1].accounts, runs[1].batch = 10, 1
		runs[2].accounts, runs[2].batch = 1000, 1000
	}
	for _, r := range runs {
		if err := runOnce(ctx, r); err != nil {
			return err
		}
	}
	return nil
}

// runOnce creates a fresh database, so runs do not see each other's rows.
func runOnce(ctx context.Context, o options) error {
	pool, cleanup, err := db.OpenScratch(ctx, o.url, "amn_bench_", int32(o.workers+2))
	if err != nil {
		return err
	}
	if o.keep {
		defer pool.Close()
	} else {
		defer cleanup()
	}
	var version string
	if err := pool.QueryRow(ctx, "SHOW server_version").Scan(&version); err != nil {
		return err
	}
	l := ledger.New(pool)
	accts, err := setup(ctx, l, o.accounts)
	if err != nil {
		return fmt.Errorf("setup: %w", err)
	}
	// A ledger in service has planner statistics (autovacuum keeps them); a new database gets
	// them here rather than whenever autovacuum first wakes.
	if _, err := pool.Exec(ctx, "ANALYZE"); err != nil {
		return fmt.Errorf("setup: %w", err)
	}
	before := l.Stats() // the setup's calls are not counted
	r, err := load(ctx, o, pool, l, accts)
	if err != nil {
		return err
	}
	if v, err := ledger.Check(ctx, pool); err != nil {
		return err
	} else if v != nil {
		return fmt.Errorf("ledger check after the run: %v", v)
	}
	r.report(o, version, l.Stats(), before)
	return nil
}

// measured is what one load run measured.
type measured struct {
	done, refused int64
	latencies     []time.Duration
	elapsed       time.Duration
	cpu           cpuTimes
	cpuCount      int64 // transfers done when the CPU count ended
}

// load runs o.workers workers making random transfers between accts for o.duration.
func load(ctx context.Context, o options, pool *pgxpool.Pool, l *ledger.Ledger, accts []ledger.ID) (*measured, error) {
	var (
		done, refused atomic.Int64
		mu            sync.Mutex
		r             measured
		firstErr      error
		wg            sync.WaitGroup
	)
	if err := warmConns(ctx, pool, o.workers); err != nil {
		return nil, err
	}
	cpu0 := measureCPU(ctx, pool)
	runCtx, cancel := context.WithTimeout(ctx, o.duration)
	defer cancel()
	start := time.Now()
	// The CPU count ends a little before the deadline, which cancels calls and so closes their
	// connections (and the count with them).
	cpuDone := make(chan struct{})
	go func() {
		defer close(cpuDone)
		select {
		case <-time.After(o.duration * 95 / 100):
			r.cpu, r.cpuCount = measureCPU(ctx, pool).sub(cpu0), done.Load()
		case <-ctx.Done():
		}
	}()
	for w := range o.workers {
		wg.Go(func() {
			lat, err := worker(runCtx, o, l, accts, uint64(w), start, &done, &refused)
			mu.Lock()
			defer mu.Unlock()
			r.latencies = append(r.latencies, lat...)
			if firstErr == nil {
				firstErr = err
			}
		})
	}
	wg.Wait()
	r.elapsed = time.Since(start)
	<-cpuDone
	if firstErr != nil {
		return nil, fmt.Errorf("transfer failed: %w", firstErr)
	}
	r.done, r.refused = done.Load(), refused.Load()
	return &r, nil
}

// warmConns opens every worker's connection first, so that the CPU count sees the same backends
// at both ends and no connection's start-up.
func warmConns(ctx context.Context, pool *pgxpool.Pool, n int) error {
	conns := make([]*pgxpool.Conn, 0, n)
	for range n {
		c, err := pool.Acquire(ctx)
		if err != nil {
			return err
		}
		conns = append(conns, c)
	}
	for _, c := range conns {
		c.Release()
	}
	return nil
}

// worker makes random transfers (o.batch per call) until ctx ends, counting those done and
// refused as it goes (the CPU count reads done mid-run); it returns each counted call's latency and
// the first error.
func worker(ctx context.Context, o options, l *ledger.Ledger, accts []ledger.ID, seed uint64, start time.Time, done, refused *atomic.Int64) (lat []time.Duration, firstErr error) {
	rng := mrand.New(mrand.NewPCG(seed, uint64(start.UnixNano())))
	batch := make([]ledger.Transfer, o.batch)
	for ctx.Err() == nil {
		for i := range batch {
			dr := rng.IntN(len(accts))
			cr := rng.IntN(len(accts) - 1)
			if cr >= dr {
				cr++
			}
			batch[i] = ledger.Transfer{ID: ledger.NewID(), DebitAccountID: accts[dr], CreditAccountID: accts[cr],
				Amount: big.NewInt(1 + rng.Int64N(1000)), Code: 1}
		}
		t0 := time.Now()
		var err error
		if o.batch == 1 {
			_, err = l.Transfer(ctx, batch...)
		} else {
			var res []ledger.Result
			res, err = l.CreateTransfers(ctx, batch)
			for _, r := range res {
				if r.Err != nil {
					refused.Add(1)
					err = r.Err
				}
			}
		}
		if ctx.Err() != nil {
			return // the deadline cut this call short; it does not count
		}
		lat = append(lat, time.Since(t0))
		if err != nil {
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		done.Add(int64(o.batch))
	}
	return
}

// report prints the run's line.
func (r *measured) report(o options, version string, st, before ledger.Stats) {
	slices.Sort(r.latencies)
	pct := func(p float64) time.Duration {
		if len(r.latencies) == 0 {
			return 0
		}
		return r.latencies[int(p*float64(len(r.latencies)-1))].Round(10 * time.Microsecond)
	}
	mode := "single"
	if o.batch > 1 {
		mode = fmt.Sprintf("batch%d", o.batch)
	}
	perTransfer := func(d time.Duration) string {
		if d < 0 || r.cpuCount == 0 {
			return "?"
		}
		return strconv.FormatFloat(float64(d.Microseconds())/float64(r.cpuCount), 'f', 1, 64)
	}
	fmt.Printf("mode=%s accounts=%d workers=%d duration=%s postgres=%s transfers=%d transfers/s=%.0f calls=%d p50=%s p99=%s refused=%d from_memory=%d conflicts=%d locked=%d server_cpu_us=%s client_cpu_us=%s load=%s check=ok\n",
		mode, o.accounts, o.workers, o.duration, version, r.done, float64(r.done)/r.elapsed.Seconds(),
		len(r.latencies), pct(0.5), pct(0.99), r.refused, st.FromMemory-before.FromMemory, st.Conflicts-before.Conflicts,
		st.Locked-before.Locked, perTransfer(r.cpu.server), perTransfer(r.cpu.client), loadAverage())
}

// setup creates the accounts, each funded from a world account so that it can pay out for the
// whole run while DebitsMustNotExceedCredits is checked on every transfer.
func setup(ctx context.Context, l *ledger.Ledger, count int) ([]ledger.ID, error) {
	const lname = "bench:USDT"
	world := ledger.DeriveID("bench/world")
	if _, err := l.CreateAccounts(ctx, ledger.Account{ID: world, Ledger: lname, Code: ledger.CodeWorld}); err != nil {
		return nil, err
	}
	ids := make([]ledger.ID, count)
	for start := 0; start < count; start += 1000 {
		end := min(start+1000, count)
		as := make([]ledger.Account, 0, end-start)
		ts := make([]ledger.Transfer, 0, end-start)
		for i := start; i < end; i++ {
			ids[i] = ledger.DeriveID("bench/account/" + strconv.Itoa(i))
			as = append(as, ledger.Account{ID: ids[i], Ledger: lname, Code: ledger.CodeSellerPayable,
				Flags: ledger.DebitsMustNotExceedCredits})
			ts = append(ts, ledger.Transfer{ID: ledger.DeriveID("bench/fund/" + strconv.Itoa(i)), DebitAccountID: world,
				CreditAccountID: ids[i], Amount: new(big.Int).Exp(big.NewInt(10), big.NewInt(30), nil), Code: 1})
		}
		if _, err := l.CreateAccounts(ctx, as...); err != nil {
			return nil, err
		}
		if _, err := l.Transfer(ctx, ts...); err != nil {
			return nil, err
		}
	}
	return ids, nil
}

// cpuTimes is CPU time used so far by this process and by the server backends of the bench
// database (read from /proc, so only when the server runs on this machine; -1 otherwise). Per
// transfer, it moves less than transfers/s with what else a shared machine runs.
type cpuTimes struct{ client, server time.Duration }

func (c cpuTimes) sub(d cpuTimes) cpuTimes {
	out := cpuTimes{client: c.client - d.client, server: c.server - d.server}
	if c.server < 0 || d.server < 0 {
		out.server = -1
	}
	return out
}

func measureCPU(ctx context.Context, pool *pgxpool.Pool) cpuTimes {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	c := cpuTimes{client: time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), server: -1}
	rows, err := pool.Query(ctx, `SELECT pid FROM pg_stat_activity WHERE datname = current_database()`)
	if err != nil {
		return c
	}
	pids, err := pgx.CollectRows(rows, pgx.RowTo[int32])
	if err != nil {
		return c
	}
	var ticks int64
	for _, pid := range pids {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil {
			return c
		}
		// Fields after the command name (which is in parentheses): utime and stime are the 12th
		// and 13th.
		f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
		if len(f) < 13 {
			return c
		}
		u, _ := strconv.ParseInt(f[11], 10, 64)
		s, _ := strconv.ParseInt(f[12], 10, 64)
		ticks += u + s
	}
	c.server = time.Duration(ticks) * time.Second / 100 // USER_HZ is 100 on Linux
	return c
}

// loadAverage is the one-minute load average, "?" where /proc/loadavg is missing.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(b)); err == nil && len(f) > 0 {
		return f[0]
	}
	return "?"
}

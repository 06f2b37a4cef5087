// Command torture runs the indexer's torture test (package indexer/torture) for a while: round
// after round, each on new anvil chains (anvil loses contract state when it reorgs long chains,
// so no chain lives longer than a round), with seeds seed, seed+1, …; it prints each round's
// report and the sum, and exits 1 if any round found a difference between the books and the
// ground truth.
//
//	go run ./bench/torture -duration 20m -seed 42      # the long run (docs/indexer.md, "Torture test")
//	go run ./bench/torture -duration 0 -seed 57        # one round: reproduces round 57's driver
//
// It creates a database of its own (AMN_BENCH_DATABASE_URL or the local server) and drops it.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/amanat/amn/db"
	"github.com/amanat/amn/indexer/torture"
)

func main() {
	defURL := os.Getenv("AMN_BENCH_DATABASE_URL")
	if defURL == "" {
		defURL = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
	}
	duration := flag.Duration("duration", 20*time.Minute, "run rounds until this much time has passed (0: one round)")
	seed := flag.Uint64("seed", 0, "first round's seed (0: from the clock); round i uses seed+i")
	chains := flag.String("chains", "1,56", "chain ids run at once, comma-separated")
	windows := flag.String("window", "16,32,64", "finality windows, comma-separated, taken in turn by the rounds: finalized = head − window; reorgs go 1 … window deep")
	blocks := flag.Int("blocks", 0, "height at which each round's chains are left to finalize (keep well below 1,000; 0: 150 + 4 windows)")
	payments := flag.Int("payments", 16, "payments per chain and round")
	reorg := flag.Float64("reorg", 0.12, "share of the drivers' actions that are reorgs")
	kill := flag.Float64("kill", 0.08, "share of the drivers' actions that kill the chain's indexer")
	faults := flag.Float64("faults", 0.05, "share of the indexers' requests the fault proxy breaks (0: no proxy)")
	verbose := flag.Bool("v", false, "print the indexers' logs (warnings and errors)")
	dbURL := flag.String("database-url", defURL, "PostgreSQL server (a database is created and dropped)")
	flag.Parse()
	if *seed == 0 {
		*seed = uint64(time.Now().UnixNano())
	}
	ids, err := numbers(*chains)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench/torture: bad -chains:", err)
		os.Exit(2)
	}
	ws, err := numbers(*windows)
	if err != nil || len(ws) == 0 {
		fmt.Fprintln(os.Stderr, "bench/torture: bad -window:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	pool, cleanup, err := openDB(ctx, *dbURL)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench/torture:", err)
		os.Exit(1)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if *verbose {
		log = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	start := time.Now()
	total := torture.Report{Seed: *seed}
	failed := false
	for i := uint64(0); ; i++ {
		w := int(ws[i%uint64(len(ws))])
		b := *blocks
		if b == 0 {
			b = 150 + 4*w
		}
		rep, err := torture.Run(ctx, torture.Config{Seed: *seed + i, DB: pool, Chains: ids, Window: w, Blocks: b,
			Payments: *payments, Reorg: *reorg, Kill: *kill, Faults: *faults, Log: log})
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			fmt.Fprintf(os.Stderr, "%s round %d (seed %d) failed: %v\n", time.Now().Format("15:04:05"), i, *seed+i, err)
			failed = true
			break
		}
		fmt.Fprintf(os.Stderr, "%s round %d (window %d): %s\n", time.Now().Format("15:04:05"), i, w, rep)
		for _, line := range rep.Trace {
			fmt.Fprintln(os.Stderr, "  trace", line)
		}
		total.Add(rep)
		if time.Since(start) >= *duration {
			break
		}
	}
	cleanup()
	fmt.Printf("torture: %s elapsed, %s\n", time.Since(start).Round(time.Second), total)
	if failed || len(total.Differences) > 0 {
		os.Exit(1)
	}
}

func numbers(list string) ([]uint64, error) {
	var out []uint64
	for _, s := range strings.Split(list, ",") {
		n, err := strconv.ParseUint(strings.TrimSpace(s), 10, 64)
		if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, nil
}

// openDB creates and migrates a database of its own, deposit indices above anvil's funded
// accounts (0–9); cleanup closes and drops it.
func openDB(ctx context.Context, raw string) (*pgxpool.Pool, func(), error) {
	pool, cleanup, err := db.OpenScratch(ctx, raw, "amn_bench_torture_", 16)
	if err != nil {
		return nil, nil, err
	}
	if _, err := pool.Exec(ctx, `SELECT setval('deposit_index_seq', 1000)`); err != nil {
		cleanup()
		return nil, nil, err
	}
	return pool, cleanup, nil
}

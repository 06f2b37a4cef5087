// Package torture is the indexer's torture test (#14): it starts anvil chains with a finality
// window (finalized = head − Window), creates payments of every shape on them, mines, reorganises
// the chains at random (depth 1 … Window, moving and dropping payment transactions), kills and
// restarts the indexers at random points, optionally puts a fault proxy between the indexers and
// the nodes, then lets everything finalize and compares a ground truth, computed from the final
// chains' logs by this package alone (plain eth_getLogs and its own decoding, never the indexer's
// matcher), payment by payment with the books: payments, ledger accounts and the indexer's
// observations.
//
// It owns nothing: it reads the payment, ledger and indexer rows it checks (truth.go, read-only
// statements) and writes only through package payment and the indexer it runs. It must never be
// pointed at anything but the anvil nodes it starts and a test database: it uses anvil's public
// test keys.
//
// Run is one round: fresh chains, a run, the comparison. anvil loses contract state when it reorgs
// a long chain (seen past ~1,000 blocks), so each round's chains stay short (Config.Blocks) and a
// long run is many rounds on new nodes (bench/torture).
package torture

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/amanat/amn/hd"
	"github.com/amanat/amn/payment"
)

// anvilXpub is the account xpub (m/44'/60'/0') of anvil's public test mnemonic: public test
// data. Deposit indices must start above 9 (anvil's funded accounts); Run sets the sequence.
const anvilXpub = "xpub6Ce9NcJvTk36xtLSrJLZqE7wtgA5deCeYs7rSQtreh4cj6ByPtrg9sD7V2FNFLPnf8heNP3FGkeV9qwfzvZNSd54JoNXVsXFYSYwHsnJxqP"

// Config is one round. Zero values take the defaults.
type Config struct {
	Seed uint64
	// DB is a migrated database. Run deletes the indexer's rows of its chain ids first (the
	// chains are new); payments of earlier rounds stay and are not looked at.
	DB *pgxpool.Pool
	// Chains are the chain ids run at once (default 1 and 56). A wrong-chain payment is one for
	// another of them (137 when there is only one) paid on this one.
	Chains []uint64
	// Window is the finality window: anvil runs with Window/2 slots per epoch, so that
	// finalized = head − Window. Even, 2 … 64 (default 16). Reorgs go 1 … Window deep.
	Window int
	// Blocks is the height at which a chain stops taking payments and reorgs and is left to
	// finalize (default 200). Keep it well below 1,000: anvil loses state reorging long chains.
	Blocks int
	// Payments is how many payments each chain's driver creates (default 16).
	Payments int
	// Reorg is the share of the driver's actions that are reorgs (default 0.12).
	Reorg float64
	// Kill is the share of the driver's actions that kill and restart the chain's indexer
	// (default 0.08).
	Kill float64
	// Outage is the share of the driver's actions that kill the indexer for long enough for the
	// chain to reorganise and grow past the indexer's kept window (default 0.01; each costs
	// about 2.5 windows of the chain's Blocks).
	Outage float64
	// Flip is the share of the driver's actions that flip-flop a payment's block: gone, then back
	// with the same hash (default 0.03; needs Window ≥ 8).
	Flip float64
	// Faults, when > 0, puts a fault proxy between each indexer and its node that breaks that
	// share of the requests (HTTP 429, 502, dropped connections, truncated bodies, stale heads).
	Faults float64
	// Settle bounds the wait for everything to be final and credited at the end (default 2 min).
	Settle time.Duration
	// Log receives the indexers' logs (default: discarded); Progress, when set, a line per phase.
	Log      *slog.Logger
	Progress func(format string, args ...any)
}

func (c *Config) defaults() error {
	if c.DB == nil {
		return errors.New("torture: Config.DB is required")
	}
	if len(c.Chains) == 0 {
		c.Chains = []uint64{1, 56}
	}
	if c.Window == 0 {
		c.Window = 16
	}
	if c.Window < 2 || c.Window > 64 || c.Window%2 != 0 {
		return fmt.Errorf("torture: window %d: want an even number from 2 to 64", c.Window)
	}
	if c.Blocks == 0 {
		c.Blocks = 200
	}
	if c.Payments == 0 {
		c.Payments = 16
	}
	if c.Reorg == 0 {
		c.Reorg = 0.12
	}
	if c.Kill == 0 {
		c.Kill = 0.08
	}
	if c.Outage == 0 {
		c.Outage = 0.01
	}
	if c.Flip == 0 {
		c.Flip = 0.03
	}
	if c.Settle == 0 {
		c.Settle = 2 * time.Minute
	}
	if c.Log == nil {
		c.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if c.Progress == nil {
		c.Progress = func(string, ...any) {}
	}
	return nil
}

// Report is what a round (or, summed with Add, many rounds) did and found.
type Report struct {
	Seed          uint64
	Rounds        int
	Chains        int
	Payments      int            // payments created
	Shapes        map[string]int // payments (and unwatched transfers) by shape
	Transactions  int            // payment transactions sent (approvals included)
	Reorgs        int
	MaxDepth      int
	Moved         int // transactions re-included by reorgs (at a new height or the same)
	Dropped       int // transactions reorgs left out
	Restarts      int // indexer kills (each followed by a fresh indexer)
	Outages       int // of which long ones: the chain reorganised and grew past the kept window meanwhile
	Flips         int // payments' blocks removed and brought back
	FlipsSameHash int // of which with the same hash (as they should)
	Faults        int // requests the fault proxy broke
	Blocks        int // final heights summed over chains
	Credited      int // ground-truth deposits found credited
	// CreditedViaProxy counts those paid through the fee proxy (the others are plain transfers).
	CreditedViaProxy int
	CreditedNative   int // and those in the chain's own currency
	Exceptions       int // ground-truth deposits found recorded as exceptions
	// Differences lists every disagreement between the ground truth and the books (empty: pass).
	Differences []string
	// Trace is what the drivers did, every chain's actions in order; kept only when there are
	// differences, as their evidence.
	Trace   []string
	Elapsed time.Duration
}

// Add sums o into r (for a run of many rounds).
func (r *Report) Add(o Report) {
	r.Rounds += o.Rounds
	r.Chains += o.Chains
	r.Payments += o.Payments
	if r.Shapes == nil {
		r.Shapes = map[string]int{}
	}
	for k, v := range o.Shapes {
		r.Shapes[k] += v
	}
	r.Transactions += o.Transactions
	r.Reorgs += o.Reorgs
	r.MaxDepth = max(r.MaxDepth, o.MaxDepth)
	r.Moved += o.Moved
	r.Dropped += o.Dropped
	r.Restarts += o.Restarts
	r.Outages += o.Outages
	r.Flips += o.Flips
	r.FlipsSameHash += o.FlipsSameHash
	r.Faults += o.Faults
	r.Blocks += o.Blocks
	r.Credited += o.Credited
	r.CreditedViaProxy += o.CreditedViaProxy
	r.CreditedNative += o.CreditedNative
	r.Exceptions += o.Exceptions
	for _, d := range o.Differences {
		r.Differences = append(r.Differences, fmt.Sprintf("seed %d: %s", o.Seed, d))
	}
	r.Elapsed += o.Elapsed
}

func (r Report) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "seed %d: %d rounds, %d chains, %d blocks, %d payments (", r.Seed, r.Rounds, r.Chains, r.Blocks, r.Payments)
	keys := make([]string, 0, len(r.Shapes))
	for k := range r.Shapes {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for i, k := range keys {
		if i > 0 {
			b.WriteString(" ")
		}
		fmt.Fprintf(&b, "%s %d", k, r.Shapes[k])
	}
	fmt.Fprintf(&b, "), %d transactions, %d reorgs (max depth %d, %d transactions moved, %d dropped), %d restarts (%d outages), %d flip-flops (%d back with the same hash), %d faults; "+
		"ground truth: %d deposits credited (%d through a fee proxy, %d native), %d exceptions; %d differences, %s",
		r.Transactions, r.Reorgs, r.MaxDepth, r.Moved, r.Dropped, r.Restarts, r.Outages, r.Flips, r.FlipsSameHash, r.Faults, r.Credited, r.CreditedViaProxy, r.CreditedNative, r.Exceptions,
		len(r.Differences), r.Elapsed.Round(time.Second))
	for _, d := range r.Differences {
		b.WriteString("\n  DIFFERENCE ")
		b.WriteString(d)
	}
	return b.String()
}

// round is the shared state of one Run.
type round struct {
	cfg Config
	pay *payment.Service

	mu       sync.Mutex
	rep      Report
	payments []*made
}

// made is a payment the drivers created, with its shape.
type made struct {
	p     *payment.Payment
	shape string
	chain uint64 // the chain whose driver created (and pays) it
}

func (r *round) count(f func(*Report)) {
	r.mu.Lock()
	f(&r.rep)
	r.mu.Unlock()
}

func (r *round) differ(format string, args ...any) {
	r.count(func(rep *Report) { rep.Differences = append(rep.Differences, fmt.Sprintf(format, args...)) })
}

// Run plays one round and returns its report. An error is a failure of the harness (a node
// that did not start, a database down); differences of the books are in the report.
func Run(ctx context.Context, cfg Config) (Report, error) {
	if err := cfg.defaults(); err != nil {
		return Report{}, err
	}
	start := time.Now()
	d, err := hd.ParseXpub(anvilXpub)
	if err != nil {
		return Report{}, err
	}
	r := &round{cfg: cfg, pay: payment.New(cfg.DB, d), rep: Report{Seed: cfg.Seed, Rounds: 1, Chains: len(cfg.Chains), Shapes: map[string]int{}}}
	if err := resetChains(ctx, cfg.DB, cfg.Chains); err != nil {
		return Report{}, err
	}
	cfg.Progress("seed %d: starting %d chains (window %d, %d blocks, %d payments each, faults %.2f)", cfg.Seed, len(cfg.Chains), cfg.Window, cfg.Blocks, cfg.Payments, cfg.Faults)
	chains := make([]*chainRun, len(cfg.Chains))
	var wg sync.WaitGroup
	errs := make([]error, len(cfg.Chains))
	for i, id := range cfg.Chains {
		wg.Go(func() {
			rnd := rand.New(rand.NewPCG(cfg.Seed, id))
			chains[i], errs[i] = startChain(ctx, r, id, rnd)
		})
	}
	wg.Wait()
	defer func() {
		for _, c := range chains {
			if c != nil {
				c.close()
			}
		}
	}()
	if err := errors.Join(errs...); err != nil {
		return Report{}, err
	}
	ictx, stopIndexers := context.WithCancel(ctx)
	var iwg sync.WaitGroup
	for _, c := range chains {
		iwg.Go(func() { c.runIndexer(ictx) })
	}
	defer func() { stopIndexers(); iwg.Wait() }()

	for i, c := range chains {
		wg.Go(func() { errs[i] = c.drive(ctx) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return Report{}, err
	}
	cfg.Progress("seed %d: driven (%d payments, %d reorgs, %d restarts); finalizing", cfg.Seed, r.rep.Payments, r.rep.Reorgs, r.rep.Restarts)
	for i, c := range chains {
		wg.Go(func() { errs[i] = c.finalize(ctx) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return Report{}, err
	}
	stopIndexers()
	iwg.Wait()
	if err := r.compare(ctx, chains); err != nil {
		return Report{}, err
	}
	for _, c := range chains {
		if c.proxy != nil {
			r.rep.Faults += c.proxy.broken()
		}
		if len(r.rep.Differences) > 0 {
			r.rep.Trace = append(r.rep.Trace, c.events...)
		}
	}
	r.rep.Elapsed = time.Since(start)
	cfg.Progress("%s", r.rep.String())
	return r.rep, nil
}

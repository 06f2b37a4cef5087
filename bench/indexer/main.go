// Command indexer measures the chain indexer end to end on a local anvil node: it deploys the
// devnet fixture (Request Network's real ERC20FeeProxy), opens -watched payments (deposit
// addresses and references in the watch set), builds a chain of -blocks blocks holding -payments
// fee-proxy payments and -transfers plain ERC-20 transfers to those addresses, then
//
//  1. fetches the same eth_getLogs ranges with a bare loop that does nothing with them (the raw
//     ceiling),
//  2. runs the indexer from block 0 to the head, crediting everything (backfill), and
//  3. measures detection latency in live mode: a payment is sent, the block mined, and the time
//     until the payment is `detected` taken, -live times.
//
// It prints blocks/s, matched events/s, RPC calls, peak RSS and the ratio to the ceiling.
//
//	go run ./bench/indexer                                   # the sizes (slow to build)
//	go run ./bench/indexer -payments 2000 -transfers 2000 -blocks 5000 -watched 1000
//
// It creates a database of its own (AMN_BENCH_DATABASE_URL or the local server) and drops it.
package main

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"os"
	"os/signal"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/rpc"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/amanat/amn/bindings"
	"github.com/amanat/amn/chain"
	"github.com/amanat/amn/db"
	"github.com/amanat/amn/devnet"
	"github.com/amanat/amn/escrow"
	"github.com/amanat/amn/hd"
	"github.com/amanat/amn/indexer"
	"github.com/amanat/amn/payment"
)

// anvilXpub is the account xpub of anvil's public test mnemonic: public test data.
const anvilXpub = "xpub6Ce9NcJvTk36xtLSrJLZqE7wtgA5deCeYs7rSQtreh4cj6ByPtrg9sD7V2FNFLPnf8heNP3FGkeV9qwfzvZNSd54JoNXVsXFYSYwHsnJxqP"

const chainID = 31338

type options struct {
	payments, transfers, blocks, watched, batch, live, extra int
	native, url, cpuProfile, setupSQL                        string
	severalModes                                             bool
}

func main() {
	var o options
	defURL := os.Getenv("AMN_BENCH_DATABASE_URL")
	if defURL == "" {
		defURL = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
	}
	flag.IntVar(&o.payments, "payments", 20000, "fee-proxy payments on chain")
	flag.IntVar(&o.transfers, "transfers", 20000, "plain ERC-20 transfers to deposit addresses")
	flag.IntVar(&o.blocks, "blocks", 50000, "blocks in the chain")
	flag.IntVar(&o.watched, "watched", 10000, "payments in the watch set")
	flag.IntVar(&o.batch, "batch", 2000, "blocks per indexer step and eth_getLogs range")
	flag.IntVar(&o.live, "live", 50, "live-mode detection latency samples")
	flag.IntVar(&o.extra, "extra-watched", 0, "synthetic payments added to the watch set (never paid), for memory with a large watch set")
	flag.StringVar(&o.native, "watch-native", "auto", "the chain's watch_native: auto (full blocks only while a native payment is open; the bench opens none), always or never")
	flag.StringVar(&o.url, "database-url", defURL, "PostgreSQL server (a database is created and dropped)")
	flag.StringVar(&o.setupSQL, "setup-sql", "", "SQL run on the bench's scratch database after its migrations, before anything else (schema experiments: an index dropped, a fillfactor)")
	flag.StringVar(&o.cpuProfile, "cpuprofile", "", "write a CPU profile of the bench process (the indexer) during each backfill to this file (MODE appended with several modes)")
	flag.Parse()
	for _, m := range strings.Split(o.native, ",") {
		if w := chain.NativeWatch(m); w != chain.WatchAuto && w != chain.WatchAlways && w != chain.WatchNever {
			fmt.Fprintln(os.Stderr, "-watch-native: auto, always or never, or several separated by commas (each run on a copy of the database over the same chain)")
			os.Exit(2)
		}
	}
	if o.watched <= 0 || o.blocks < 10 || o.payments < 0 || o.transfers < 0 || o.batch <= 0 {
		fmt.Fprintln(os.Stderr, "bad sizes")
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, o); err != nil {
		fmt.Fprintln(os.Stderr, "bench/indexer:", err)
		os.Exit(1)
	}
}

func logf(format string, a ...any) {
	fmt.Fprintf(os.Stderr, "%s "+format+"\n", append([]any{time.Now().Format("15:04:05")}, a...)...)
}

func openDB(ctx context.Context, raw string) (*pgxpool.Pool, func(), error) {
	return db.OpenScratch(ctx, raw, "amn_bench_ix_", 16)
}

func run(ctx context.Context, o options) error {
	node, err := devnet.StartAnvil(ctx, devnet.AnvilOptions{ChainID: chainID, SlotsInEpoch: 1})
	if err != nil {
		return err
	}
	defer node.Stop()
	f, err := devnet.Deploy(ctx, node, devnet.FixtureOptions{Mint: 1_000_000_000})
	if err != nil {
		return err
	}
	defer f.Close()
	pool, cleanup, err := openDB(ctx, o.url)
	if err != nil {
		return err
	}
	defer cleanup()
	if o.setupSQL != "" {
		if _, err := pool.Exec(ctx, o.setupSQL); err != nil {
			return fmt.Errorf("-setup-sql: %w", err)
		}
	}
	d, err := hd.ParseXpub(anvilXpub)
	if err != nil {
		return err
	}
	svc := payment.New(pool, d)
	ps, head, err := prepare(ctx, o, f, pool, svc)
	if err != nil {
		return err
	}

	// 1. The raw ceiling: the indexer's eth_getLogs ranges, fetched and dropped.
	ceiling, ceilingCalls, ceilingLogs, err := rawCeiling(ctx, f, ps, o, head)
	if err != nil {
		return err
	}
	logf("raw ceiling: %s, %d calls, %d logs", ceiling.Round(time.Millisecond), ceilingCalls, ceilingLogs)

	fmt.Printf("chain: %d blocks, %d fee-proxy payments, %d plain transfers, %d watched payments\n", head, o.payments, o.transfers, o.watched+o.extra)
	fmt.Printf("raw eth_getLogs ceiling: %s (%.0f blocks/s, %d calls, %d logs)\n", ceiling.Round(time.Millisecond), float64(head)/ceiling.Seconds(), ceilingCalls, ceilingLogs)
	modes := strings.Split(o.native, ",")
	o.severalModes = len(modes) > 1
	if len(modes) == 1 {
		return measure(ctx, o, modes[0], f, node.Pid(), pool, svc, ps, head, ceiling)
	}
	// Several modes over the same chain: each runs on a copy of the database as prepared.
	copyDB, done, err := dbCopies(ctx, o.url, pool)
	if err != nil {
		return err
	}
	defer done()
	live := o.live
	for i, mode := range modes {
		p, drop, err := copyDB(ctx)
		if err != nil {
			return err
		}
		// The live samples add blocks and payments to the chain: only after the last backfill.
		o.live = map[bool]int{true: live, false: 0}[i == len(modes)-1]
		err = measure(ctx, o, mode, f, node.Pid(), p, payment.New(p, d), ps, head, ceiling)
		drop()
		if err != nil {
			return err
		}
	}
	return nil
}

// measure runs the backfill and the live samples with watch_native mode on pool and prints them.
func measure(ctx context.Context, o options, mode string, f *devnet.Fixture, nodePid int, pool *pgxpool.Pool, svc *payment.Service,
	ps []*payment.Payment, head uint64, ceiling time.Duration) error {
	fmt.Printf("--- watch_native %s\n", mode)
	o.native = mode
	// 2. Backfill.
	reg := prometheus.NewRegistry()
	cfg := benchChain(f, o)
	rpcPool, err := chain.NewPool(ctx, cfg, chain.PoolOptions{Metrics: chain.NewRPCMetrics(reg)})
	if err != nil {
		return err
	}
	defer rpcPool.Close()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	heads := indexer.NewHeadTracker(cfg.Chain, rpcPool, time.Second, indexer.NewHeadMetrics(reg), quiet)
	ix := indexer.New(cfg, rpcPool, pool, svc, heads, indexer.NewMetrics(reg), quiet, indexer.Options{BatchBlocks: uint64(o.batch), PollInterval: 20 * time.Millisecond})
	before, err := sampleCPU(ctx, pool, nodePid)
	if err != nil {
		return err
	}
	stopProfile, err := profileCPU(o.cpuProfile, mode, o.severalModes)
	if err != nil {
		return err
	}
	b, err := backfill(ctx, ix, pool, head)
	stopProfile()
	if err != nil {
		return err
	}
	after, err := sampleCPU(ctx, pool, nodePid)
	if err != nil {
		return err
	}
	fmt.Printf("indexer, detection pass (blocks fetched, matched, detected): %s (%.0f blocks/s, %.0f matched events/s)\n",
		b.detectedAt.Round(time.Millisecond), float64(head)/b.detectedAt.Seconds(), float64(b.matched)/b.detectedAt.Seconds())
	fmt.Printf("indexer, to everything credited: %s (%.0f blocks/s); %d matched, %d credited\n", b.total.Round(time.Millisecond), float64(head)/b.total.Seconds(), b.matched, b.credited)
	fmt.Printf("ratio to the ceiling (detection pass): %.2f\n", ceiling.Seconds()/b.detectedAt.Seconds())
	fmt.Printf("RPC calls: %.0f (eth_getLogs ranges and block batches; a batch counts once)\n", counterSum(reg, "amn_rpc_requests_total"))
	fmt.Printf("peak RSS: %.1f MB\n", peakRSS())
	printHOT(ctx, pool)
	before.to(after).report("backfill to everything credited, watch_native "+o.native, b.credited, b.total.Seconds())

	// 3. Live detection latency.
	if o.live > 0 {
		lat, err := liveLatency(ctx, f, ix, pool, ps, o.live)
		if err != nil {
			return err
		}
		slices.Sort(lat)
		p := func(q float64) time.Duration { return lat[min(len(lat)-1, int(q*float64(len(lat))))] }
		fmt.Printf("live detection latency (block mined → detected), %d samples: p50 %s, p99 %s, max %s\n",
			len(lat), p(0.5).Round(time.Millisecond), p(0.99).Round(time.Millisecond), lat[len(lat)-1].Round(time.Millisecond))
	}
	return nil
}

// prepare opens the watched payments (and the synthetic ones) and builds the chain the indexer
// will read; it returns the payments and the chain's head.
func prepare(ctx context.Context, o options, f *devnet.Fixture, pool *pgxpool.Pool, svc *payment.Service) ([]*payment.Payment, uint64, error) {
	if _, err := pool.Exec(ctx, `SELECT setval('deposit_index_seq', 100)`); err != nil {
		return nil, 0, err
	}
	t0 := time.Now()
	ps, err := openPayments(ctx, svc, f, o.watched)
	if err != nil {
		return nil, 0, err
	}
	logf("opened %d payments in %s", len(ps), time.Since(t0).Round(time.Millisecond))
	if o.extra > 0 {
		if err := addSynthetic(ctx, pool, f, o.extra); err != nil {
			return nil, 0, err
		}
		logf("added %d synthetic watched payments", o.extra)
	}
	t0 = time.Now()
	if err := buildChain(ctx, f, ps, o); err != nil {
		return nil, 0, err
	}
	head, err := f.Client.BlockNumber(ctx)
	if err != nil {
		return nil, 0, err
	}
	logf("built %d blocks in %s", head, time.Since(t0).Round(time.Millisecond))
	return ps, head, nil
}

// printHOT prints how many of the tables' row updates were HOT (no index entries written), from
// pg_stat_user_tables. Backends send their counters there at most once a second, and an idle one
// only after about ten seconds: the counts may fall short of the backfill's, the share is right.
func printHOT(ctx context.Context, pool *pgxpool.Pool) {
	time.Sleep(1100 * time.Millisecond)
	rows, err := pool.Query(ctx, `SELECT relname, n_tup_upd, n_tup_hot_upd FROM pg_stat_user_tables
		WHERE relname IN ('payments', 'indexer_observations', 'ledger_accounts') ORDER BY relname`)
	if err != nil {
		logf("pg_stat_user_tables: %v", err)
		return
	}
	defer rows.Close()
	fmt.Print("row updates (HOT):")
	for rows.Next() {
		var name string
		var upd, hot int64
		if err := rows.Scan(&name, &upd, &hot); err != nil {
			logf("pg_stat_user_tables: %v", err)
			return
		}
		fmt.Printf(" %s %d (%d)", name, upd, hot)
	}
	fmt.Println()
}

// profileCPU starts a CPU profile of this process into file (with "."+mode appended when several
// modes run), and returns what stops it; nothing when file is empty.
func profileCPU(file, mode string, several bool) (func(), error) {
	if file == "" {
		return func() {}, nil
	}
	if several {
		file += "." + mode
	}
	out, err := os.Create(file)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(out); err != nil {
		_ = out.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); _ = out.Close() }, nil
}

// benchChain is the chain config the indexer reads the bench chain with.
func benchChain(f *devnet.Fixture, o options) chain.Config {
	return chain.Config{
		Chain:    chain.Chain{Key: "bench", Name: "bench", ID: chainID, BlockTime: time.Second, DepthFloor: 2},
		Finality: chain.FinalityTag, FinalityStall: chain.Duration(time.Hour), WatchNative: chain.NativeWatch(o.native), MaxLogRange: uint64(o.batch),
		Endpoints:  []string{f.URL, "ws" + strings.TrimPrefix(f.URL, "http")},
		Tokens:     []chain.Token{{Symbol: "USDT", Address: f.Addresses.USDT, Decimals: 6}, {Symbol: "TUSD", Address: f.Addresses.TUSD, Decimals: 18}},
		FeeProxies: []chain.Proxy{{Address: f.Addresses.ERC20FeeProxy}, {Address: f.Addresses.EthereumFeeProxy, Native: true}},
	}
}

// backfilled is what the backfill measured.
type backfilled struct {
	detectedAt, total time.Duration // the head processed; nothing pending at finality
	matched, credited int
}

// backfill steps the indexer from the start until it has processed head and nothing final is
// still pending.
func backfill(ctx context.Context, ix *indexer.Indexer, pool *pgxpool.Pool, head uint64) (backfilled, error) {
	var b backfilled
	t0 := time.Now()
	for {
		progressed, err := ix.Step(ctx)
		if err != nil {
			return b, err
		}
		cp, _, err := indexer.LoadCheckpoint(ctx, pool, chainID)
		if err != nil {
			return b, err
		}
		if cp.Processed >= head && b.detectedAt == 0 {
			b.detectedAt = time.Since(t0)
		}
		if !progressed && cp.Processed >= head {
			var open int
			if err := pool.QueryRow(ctx, `SELECT count(*) FROM indexer_observations WHERE state = 'pending' AND block_number <= $1`, head-2).Scan(&open); err != nil {
				return b, err
			}
			if open == 0 {
				break
			}
		}
	}
	b.total = time.Since(t0)
	err := pool.QueryRow(ctx, `SELECT count(*), count(*) FILTER (WHERE state = 'credited') FROM indexer_observations`).Scan(&b.matched, &b.credited)
	return b, err
}

func openPayments(ctx context.Context, svc *payment.Service, f *devnet.Fixture, n int) ([]*payment.Payment, error) {
	out := make([]*payment.Payment, n)
	var mu sync.Mutex
	var firstErr error
	var wg sync.WaitGroup
	next := make(chan int)
	for range 8 {
		wg.Go(func() {
			for i := range next {
				np := payment.NewPayment{
					BuyerRef: "bench", OfferRef: "offer-" + strconv.Itoa(i), SellerAddress: f.Seller.Address,
					ChainID: chainID, ChainKey: "bench", Token: f.Addresses.USDT, TokenSymbol: "USDT", Decimals: 6,
					Amount: big.NewInt(1_000_000_000_000), Fee: big.NewInt(0), FeeAddress: f.FeeRecipient.Address,
					RequestID: "req-" + strconv.Itoa(i), Salt: "5a17", TTL: 24 * time.Hour,
				}
				sig, err := signOffer(np, f.Seller)
				var p *payment.Payment
				if err == nil {
					np.SellerSignature = sig
					p, err = svc.Create(ctx, np)
				}
				mu.Lock()
				if err != nil && firstErr == nil {
					firstErr = err
				}
				out[i] = p
				mu.Unlock()
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	return out, firstErr
}

type sender struct {
	key   *ecdsa.PrivateKey
	nonce uint64
}

// buildChain sends the payments and transfers in blocks of up to perBlock transactions spread
// evenly over the chain, and mines empty blocks in between.
func buildChain(ctx context.Context, f *devnet.Fixture, ps []*payment.Payment, o options) error {
	a20, _ := bindings.ERC20MetaData.GetAbi()
	aProxy, _ := bindings.ERC20FeeProxyMetaData.GetAbi()
	signer := types.LatestSignerForChainID(big.NewInt(chainID))
	var senders []*sender
	for _, b := range f.Buyers {
		if _, err := f.Wait(ctx)(f.USDT.Approve(f.Opts(ctx, b), f.Addresses.ERC20FeeProxy, new(big.Int).Lsh(big.NewInt(1), 200))); err != nil {
			return err
		}
		n, err := f.Client.PendingNonceAt(ctx, b.Address)
		if err != nil {
			return err
		}
		senders = append(senders, &sender{key: b.Key, nonce: n})
	}
	if err := f.RPC.CallContext(ctx, nil, "evm_setAutomine", false); err != nil {
		return err
	}
	defer f.RPC.CallContext(context.WithoutCancel(ctx), nil, "evm_setAutomine", true) //nolint:errcheck // best effort
	total := o.payments + o.transfers
	const perBlock = 300
	txBlocks := (total + perBlock - 1) / perBlock
	start, err := f.Client.BlockNumber(ctx)
	if err != nil {
		return err
	}
	gap := max(0, (o.blocks-int(start)-txBlocks)/max(txBlocks, 1))
	feeCap := big.NewInt(50e9)
	sent := 0
	for b := 0; b < txBlocks; b++ {
		var elems []rpc.BatchElem
		for j := 0; j < perBlock && sent < total; j++ {
			i := sent
			s := senders[i%len(senders)]
			p := ps[i%len(ps)]
			var to common.Address
			var data []byte
			var gas uint64
			if i < o.payments {
				to, gas = f.Addresses.ERC20FeeProxy, 120_000
				data, err = aProxy.Pack("transferFromWithReferenceAndFee", f.Addresses.USDT, p.Deposit, big.NewInt(int64(1+i%1000)),
					p.Reference.Bytes(), big.NewInt(0), f.FeeRecipient.Address)
			} else {
				to, gas = f.Addresses.USDT, 80_000
				data, err = a20.Pack("transfer", p.Deposit, big.NewInt(int64(1+i%1000)))
			}
			if err != nil {
				return err
			}
			tx, err := types.SignNewTx(s.key, signer, &types.DynamicFeeTx{ChainID: big.NewInt(chainID), Nonce: s.nonce,
				GasTipCap: big.NewInt(1e9), GasFeeCap: feeCap, Gas: gas, To: &to, Data: data})
			if err != nil {
				return err
			}
			s.nonce++
			raw, _ := tx.MarshalBinary()
			elems = append(elems, rpc.BatchElem{Method: "eth_sendRawTransaction", Args: []any{hexutil.Bytes(raw)}, Result: new(common.Hash)})
			sent++
		}
		for k := 0; k < len(elems); k += 100 {
			part := elems[k:min(k+100, len(elems))]
			if err := f.RPC.BatchCallContext(ctx, part); err != nil {
				return err
			}
			for _, e := range part {
				if e.Error != nil {
					return e.Error
				}
			}
		}
		if err := f.RPC.CallContext(ctx, nil, "evm_mine"); err != nil {
			return err
		}
		if err := mineEmpty(ctx, f, gap); err != nil {
			return err
		}
		if b%10 == 0 {
			logf("chain: %d/%d transactions sent", sent, total)
		}
	}
	cur, err := f.Client.BlockNumber(ctx)
	if err != nil {
		return err
	}
	if rest := o.blocks - int(cur); rest > 0 {
		return mineEmpty(ctx, f, rest)
	}
	return nil
}

func mineEmpty(ctx context.Context, f *devnet.Fixture, n int) error {
	for n > 0 {
		k := min(n, 500) // one call of tens of thousands of blocks outlasts the client's timeout
		if err := f.RPC.CallContext(ctx, nil, "anvil_mine", hexutil.EncodeUint64(uint64(k))); err != nil {
			return err
		}
		n -= k
	}
	return nil
}

// rawCeiling asks the indexer's eth_getLogs queries over the same ranges and drops the answers.
func rawCeiling(ctx context.Context, f *devnet.Fixture, ps []*payment.Payment, o options, head uint64) (time.Duration, int, int, error) {
	var topics, deps []common.Hash
	for _, p := range ps {
		topics = append(topics, payment.ReferenceTopic(p.Reference))
		deps = append(deps, common.BytesToHash(p.Deposit[:]))
	}
	slices.SortFunc(topics, func(a, b common.Hash) int { return a.Cmp(b) })
	slices.SortFunc(deps, func(a, b common.Hash) int { return a.Cmp(b) })
	proxies := []common.Address{f.Addresses.ERC20FeeProxy, f.Addresses.EthereumFeeProxy}
	tokens := []common.Address{f.Addresses.USDT, f.Addresses.TUSD}
	erc20Topic := indexer.TopicERC20FeeProxy
	calls, logs := 0, 0
	t0 := time.Now()
	for from := uint64(1); from <= head; from += uint64(o.batch) {
		to := min(head, from+uint64(o.batch)-1)
		var qs []map[string]any
		for k := 0; k < len(topics); k += 1000 {
			qs = append(qs, map[string]any{"address": proxies, "topics": [][]common.Hash{{erc20Topic, indexer.TopicEthFeeProxy}, topics[k:min(k+1000, len(topics))]}})
		}
		for k := 0; k < len(deps); k += 1000 {
			qs = append(qs, map[string]any{"address": tokens, "topics": [][]common.Hash{{indexer.TopicTransfer}, nil, deps[k:min(k+1000, len(deps))]}})
		}
		for _, q := range qs {
			q["fromBlock"], q["toBlock"] = hexutil.EncodeUint64(from), hexutil.EncodeUint64(to)
			var out []types.Log
			if err := f.RPC.CallContext(ctx, &out, "eth_getLogs", q); err != nil {
				return 0, 0, 0, err
			}
			calls++
			logs += len(out)
		}
	}
	return time.Since(t0), calls, logs, nil
}

// liveLatency runs the indexer live (woken by newHeads) and measures, per sample, the time from
// the block holding a payment being mined to the payment being detected.
func liveLatency(ctx context.Context, f *devnet.Fixture, ix *indexer.Indexer, pool *pgxpool.Pool, ps []*payment.Payment, n int) ([]time.Duration, error) {
	rctx, cancel := context.WithCancel(ctx)
	defer cancel()
	wake := make(chan struct{}, 1)
	go indexer.FollowNewHeads(rctx, []string{"ws" + strings.TrimPrefix(f.URL, "http")}, wake, slog.New(slog.NewTextHandler(io.Discard, nil)))
	go func() { _ = ix.Run(rctx, wake) }()
	var out []time.Duration
	for i := 0; i < n; i++ {
		p := ps[len(ps)-1-i]
		var before int
		if err := pool.QueryRow(ctx, `SELECT count(*) FROM indexer_observations WHERE payment_id = $1`, p.ID).Scan(&before); err != nil {
			return nil, err
		}
		// anvil mines a transaction as it arrives: from sending it to detection bounds the time
		// from the block being mined to detection from above.
		sent := time.Now()
		if _, err := f.USDT.Transfer(f.Opts(ctx, f.Buyers[i%2]), p.Deposit, big.NewInt(7)); err != nil {
			return nil, err
		}
		deadline := time.Now().Add(30 * time.Second)
		for {
			var now int
			if err := pool.QueryRow(ctx, `SELECT count(*) FROM indexer_observations WHERE payment_id = $1`, p.ID).Scan(&now); err != nil {
				return nil, err
			}
			if now > before {
				out = append(out, time.Since(sent))
				break
			}
			if time.Now().After(deadline) {
				return nil, errors.New("live payment not detected within 30 s")
			}
			time.Sleep(2 * time.Millisecond) // polling the database, not synchronising
		}
	}
	return out, nil
}

func counterSum(g prometheus.Gatherer, name string) float64 {
	mfs, err := g.Gather()
	if err != nil {
		return 0
	}
	var sum float64
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			sum += counterValue(m)
		}
	}
	return sum
}

func counterValue(m *dto.Metric) float64 {
	if c := m.GetCounter(); c != nil {
		return c.GetValue()
	}
	return 0
}

// peakRSS is the process's high-water resident set, in MB (Linux).
func peakRSS() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmHWM:") {
			fs := strings.Fields(line)
			if len(fs) >= 2 {
				kb, _ := strconv.ParseFloat(fs[1], 64)
				return kb / 1024
			}
		}
	}
	return 0
}

// signOffer is the seller's payout wallet's signature of the payment's offer (the devnet seller's
// public test key).
func signOffer(n payment.NewPayment, seller devnet.Account) ([]byte, error) {
	d, err := n.Offer().Digest()
	if err != nil {
		return nil, err
	}
	a, err := escrow.Sign(d, seller.Key)
	return a.Signature, err
}

// addSynthetic inserts n watched payments (with their deposit accounts) straight into the tables:
// unpaid, with random deposit addresses and references, only to make the watch set large.
func addSynthetic(ctx context.Context, pool *pgxpool.Pool, f *devnet.Fixture, n int) error {
	_, err := pool.Exec(ctx, `
		INSERT INTO ledger_accounts (id, ledger, code, owner_ref, debits_must_not_exceed_credits)
		SELECT md5('bench-acct' || i)::uuid, 'bench:USDT', 2, 'bench', true FROM generate_series(1, $1) i;
		`, n)
	if err != nil {
		return err
	}
	_, err = pool.Exec(ctx, `
		INSERT INTO payments (id, buyer_ref, offer_ref, seller_address, chain_id, ledger, token_address, token_decimals,
			amount, fee_address, deposit_index, deposit_address, request_id, salt, reference, expires_at, watch_until, deposit_account,
			seller_signature)
		SELECT md5('bench-p' || i)::uuid, 'synthetic', 'offer-s' || i, $2, $3, 'bench:USDT', $4, 6, 1, $2, 1000000 + i,
			'0x' || substr(md5('d' || i) || md5('e' || i), 1, 40), 'r', 's', substr(decode(md5('ref' || i), 'hex'), 1, 8),
			now() + interval '1 day', now() + interval '2 days', md5('bench-acct' || i)::uuid,
			-- a placeholder offer signature: these rows only fill the watch set and are never swept
			decode(repeat('00', 65), 'hex')
		FROM generate_series(1, $1) i`, n, strings.ToLower(f.FeeRecipient.Address.Hex()), chainID, strings.ToLower(f.Addresses.USDT.Hex()))
	return err
}

package indexer

import (
	"context"
	"math/big"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/amanat/amn/chain"
	"github.com/amanat/amn/payment"
)

// TestPoolLogsAdaptToEachProvider fetches the same logs through a proxy speaking each provider's
// range-limit error: the pool follows the suggestion or the named limit (else halves), learns the
// limit, never loops on a repeated bad suggestion, and returns exactly the logs a direct query
// gives.
func TestPoolLogsAdaptToEachProvider(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t, 10)
	for i := range 12 {
		if _, err := f.Wait(ctx)(f.USDT.Transfer(f.Opts(ctx, f.Buyers[i%2]), common.BigToAddress(big.NewInt(int64(0xabc0+i))), big.NewInt(int64(i+1)))); err != nil {
			t.Fatal(err)
		}
		mine(t, f, 3)
	}
	head, err := f.Client.BlockNumber(ctx)
	if err != nil {
		t.Fatal(err)
	}
	q := ethereum.FilterQuery{FromBlock: big.NewInt(0), ToBlock: new(big.Int).SetUint64(head), Addresses: []common.Address{f.Addresses.USDT}}
	want, err := f.Client.FilterLogs(ctx, q)
	if err != nil || len(want) < 12 {
		t.Fatalf("direct query: %d logs, %v", len(want), err)
	}
	const limit = 7
	for _, style := range []string{"alchemy", "alchemy500", "infura", "infura-limit", "quicknode", "ankr", "bsc", "repeat"} {
		t.Run(style, func(t *testing.T) {
			proxy := newFaultProxy(t, f.URL, 0, style, limit, 0)
			cfg := devConfig(f, 2, proxy.srv.URL)
			pool, err := chain.NewPool(ctx, cfg, chain.PoolOptions{Metrics: chain.NewRPCMetrics(prometheus.NewRegistry()), BaseBackoff: time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			defer pool.Close()
			got, err := pool.Logs(ctx, chain.LogQuery{Addresses: q.Addresses}, 0, head, func(uint64) common.Hash { return common.Hash{} })
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(want) {
				t.Fatalf("%d logs, want %d", len(got), len(want))
			}
			for i := range got {
				if got[i].TxHash != want[i].TxHash || got[i].Index != want[i].Index {
					t.Fatalf("log %d differs", i)
				}
			}
			c := proxy.counts()
			learned := pool.Status()[0].LogLimit
			if c["range:"+style] == 0 || learned > limit || learned == 0 {
				t.Errorf("range errors %d, learned limit %d (want ≤ %d)", c["range:"+style], learned, limit)
			}
			// Learned: a second pass needs no more range errors.
			before := c["range:"+style]
			if _, err := pool.Logs(ctx, chain.LogQuery{Addresses: q.Addresses}, 0, head, func(uint64) common.Hash { return common.Hash{} }); err != nil {
				t.Fatal(err)
			}
			if after := proxy.counts()["range:"+style]; after != before {
				t.Errorf("second pass hit %d more range errors: the limit was not remembered", after-before)
			}
		})
	}
}

// TestLaggingEndpointIsNotBelieved puts a node five blocks behind first in the pool: asked for
// logs up to the head it would answer with fewer logs and no error, so the pool must notice (the
// block at the end of the range is missing there) and ask the other endpoint.
func TestLaggingEndpointIsNotBelieved(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t, 12)
	mine(t, f, 3)
	for i := range 4 {
		if _, err := f.Wait(ctx)(f.USDT.Transfer(f.Opts(ctx, f.Buyers[0]), common.BigToAddress(big.NewInt(int64(0xdef0+i))), big.NewInt(1))); err != nil {
			t.Fatal(err)
		}
	}
	head, err := f.Client.BlockNumber(ctx)
	if err != nil {
		t.Fatal(err)
	}
	lagging := newFaultProxy(t, f.URL, 0, "none", 1<<40, 5)
	pool, err := chain.NewPool(ctx, devConfig(f, 2, lagging.srv.URL, f.URL), chain.PoolOptions{Metrics: chain.NewRPCMetrics(prometheus.NewRegistry()), BaseBackoff: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	blocks, err := pool.Blocks(ctx, head-3, head, false)
	if err != nil || len(blocks) != 4 || blocks[3].Number != head {
		t.Fatalf("blocks: %d, %v", len(blocks), err)
	}
	// A fresh pool, so that the lagging endpoint is asked first again.
	pool2, err := chain.NewPool(ctx, devConfig(f, 2, lagging.srv.URL, f.URL), chain.PoolOptions{Metrics: chain.NewRPCMetrics(prometheus.NewRegistry()), BaseBackoff: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer pool2.Close()
	logs, err := pool2.Logs(ctx, chain.LogQuery{Addresses: []common.Address{f.Addresses.USDT}}, head-3, head, func(uint64) common.Hash { return common.Hash{} })
	if err != nil || len(logs) != 4 {
		t.Fatalf("logs of the last 4 blocks: %d, %v; want 4", len(logs), err)
	}
	if c := lagging.counts(); c["lag:null"] == 0 || c["lag:logs"] == 0 {
		t.Errorf("the lagging endpoint was never asked: %v", c)
	}
}

// TestEndpointRefusingBatchesIsServedOneByOne: an endpoint answering batches with an error object
// still gives the same blocks and logs, call by call, once the pool has learned it.
func TestEndpointRefusingBatchesIsServedOneByOne(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t, 13)
	for i := range 3 {
		if _, err := f.Wait(ctx)(f.USDT.Transfer(f.Opts(ctx, f.Buyers[0]), common.BigToAddress(big.NewInt(int64(0xeee0+i))), big.NewInt(1))); err != nil {
			t.Fatal(err)
		}
	}
	head, err := f.Client.BlockNumber(ctx)
	if err != nil {
		t.Fatal(err)
	}
	proxy := newFaultProxy(t, f.URL, 0, "nobatch", 1<<40, 0)
	pool, err := chain.NewPool(ctx, devConfig(f, 2, proxy.srv.URL), chain.PoolOptions{Metrics: chain.NewRPCMetrics(prometheus.NewRegistry()), BaseBackoff: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	blocks, err := pool.Blocks(ctx, 1, head, true)
	if err != nil || uint64(len(blocks)) != head {
		t.Fatalf("blocks: %d, %v", len(blocks), err)
	}
	hashes := map[uint64]common.Hash{}
	for _, b := range blocks {
		hashes[b.Number] = b.Hash
	}
	logs, err := pool.Logs(ctx, chain.LogQuery{Addresses: []common.Address{f.Addresses.USDT}}, 1, head, func(n uint64) common.Hash { return hashes[n] })
	if err != nil {
		t.Fatal(err)
	}
	want, err := f.Client.FilterLogs(ctx, ethereum.FilterQuery{FromBlock: big.NewInt(1), ToBlock: new(big.Int).SetUint64(head), Addresses: []common.Address{f.Addresses.USDT}})
	if err != nil || len(logs) != len(want) || len(want) < 3 {
		t.Fatalf("logs %d, want %d (%v)", len(logs), len(want), err)
	}
	if c := proxy.counts(); c["batch refused"] != 1 {
		t.Errorf("batches refused %d times, want once (then learned)", c["batch refused"])
	}
}

// TestFaultyEndpointsGiveTheSameLedger indexes one chain twice: through two misbehaving
// endpoints (one injecting 429s, timeouts, dropped connections, truncated bodies, 502s and
// Alchemy's range errors; one lagging five blocks behind with Infura's range errors), and
// directly. Both databases end identical.
func TestFaultyEndpointsGiveTheSameLedger(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 11)
	// Two databases of their own, where the same payments get the same deposit indices.
	svcA, poolA := ownPaymentService(t, 60000)
	svcB, poolB := ownPaymentService(t, 60000)
	flaky := newFaultProxy(t, f.URL, 0.2, "alchemy", 9, 0)
	lagging := newFaultProxy(t, f.URL, 0.05, "infura", 6, 5)
	// The flaky endpoint's timeouts never answer: the call's timeout ends each (a slow answer
	// beyond it is tried again, like any failed call).
	eA := newEnvTimeout(t, f, svcA, poolA, devConfig(f, 3, flaky.srv.URL, lagging.srv.URL), Options{BatchBlocks: 20}, 500*time.Millisecond)
	eB := newEnv(t, f, svcB, poolB, devConfig(f, 3), Options{BatchBlocks: 20})
	eA.offers, eB.offers = new(atomic.Int64), new(atomic.Int64) // the same offer names in both
	var ps []*payment.Payment
	for i := range 10 {
		token := f.Addresses.USDT
		if i%3 == 2 {
			token = chain.NativeToken
		}
		ps = append(ps, eA.newPayment(11, token, int64(2_000_000+i)))
		eB.newPayment(11, token, int64(2_000_000+i))
	}
	for i, p := range ps {
		switch i % 3 {
		case 0:
			eA.payViaProxy(p, i%2, p.Amount.Int64())
		case 1:
			eA.transfer(f.Addresses.USDT, p.Deposit, i%2, p.Amount.Int64())
			eA.transfer(f.Addresses.TUSD, p.Deposit, i%2, 3)
		case 2:
			eA.sendNative(p.Deposit, i%2, p.Amount.Int64())
		}
		mine(t, f, 2+i)
		if i == 5 {
			eA.catchUp() // live following through the faults too
		}
	}
	mine(t, f, 10)
	eA.catchUp()
	eB.catchUp()
	a, b := snapshot(t, poolA, 11, 60001), snapshot(t, poolB, 11, 60001)
	if a != b {
		t.Fatalf("faulty and fault-free runs differ:\nfaulty:\n%s\nfault-free:\n%s", a, b)
	}
	for _, p := range ps {
		if s := eA.state(p); s != payment.Funded {
			t.Errorf("payment %s: %s, want funded", p.ID, s)
		}
	}
	t.Logf("faults injected: flaky %v, lagging %v", flaky.counts(), lagging.counts())
	if c := flaky.counts(); c["429"] == 0 || c["timeout"] == 0 || c["drop"] == 0 || c["500"] == 0 || c["truncated"] == 0 || c["range:alchemy"] == 0 {
		t.Errorf("the flaky endpoint injected too little to test anything: %v", c)
	}
}

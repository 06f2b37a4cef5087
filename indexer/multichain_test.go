package indexer

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/amanat/amn/chain"
	"github.com/amanat/amn/devnet"
	"github.com/amanat/amn/payment"
)

// TestThreeChainsAtOnce runs the indexers of three anvil chains (ids 1, 56, 137) concurrently,
// as three `amn indexer` processes would, on one database: a fee-proxy payment, a plain transfer
// and a native transfer on each chain end funded with exactly one posted deposit each, and money
// for a Polygon payment sent on Ethereum is an exception on Ethereum, not a credit anywhere.
func TestThreeChainsAtOnce(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// Chains 1, 56 and 137 are other tests' too: a database of its own.
	pay, pool := ownPaymentService(t, 1000)
	ids := []uint64{1, 56, 137}
	fs := make([]*devnet.Fixture, len(ids))
	var wg sync.WaitGroup
	for i, id := range ids {
		wg.Go(func() { fs[i] = newFixture(t, id) })
	}
	wg.Wait()
	type want struct {
		e *env
		p *payment.Payment
	}
	var wants []want
	var envs []*env
	var wrongChain *payment.Payment
	for i, f := range fs {
		e := newEnv(t, f, pay, pool, devConfig(f, 3), Options{PollInterval: 20 * time.Millisecond})
		envs = append(envs, e)
		a := e.newPayment(ids[i], f.Addresses.USDT, 1_000_000)
		b := e.newPayment(ids[i], f.Addresses.USDT, 2_000_000)
		c := e.newPayment(ids[i], chain.NativeToken, 3_000_000)
		e.payViaProxy(a, 0, 1_000_000)
		e.transfer(f.Addresses.USDT, b.Deposit, 1, 2_000_000)
		e.sendNative(c.Deposit, 0, 3_000_000)
		wants = append(wants, want{e, a}, want{e, b}, want{e, c})
		if ids[i] == 137 {
			wrongChain = e.newPayment(137, f.Addresses.USDT, 4_000_000)
		}
	}
	// Money for the Polygon payment, sent on Ethereum (the same deposit address exists there).
	envs[0].transfer(fs[0].Addresses.USDT, wrongChain.Deposit, 0, 4_000_000)
	for _, e := range envs {
		go func() { _ = e.ix.Run(ctx, nil) }()
		mine(t, e.f, 6)
	}
	deadline := time.Now().Add(60 * time.Second)
	for _, w := range wants {
		for {
			got, err := pay.Get(ctx, w.p.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.State == payment.Funded {
				if c := countTransfers(t, w.e, w.p.ID); c["posted"] != 1 || len(c) != 1 {
					t.Errorf("chain %d payment %s: transfers %v, want one posted", w.p.ChainID, w.p.ID, c)
				}
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("chain %d payment %s still %s", w.p.ChainID, w.p.ID, got.State)
			}
			time.Sleep(20 * time.Millisecond) // polling the database with a deadline
		}
	}
	for {
		var n int
		if err := pool.QueryRow(ctx, `SELECT count(*) FROM deposit_exceptions WHERE payment_id = $1 AND chain_id = 1`, wrongChain.ID).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no exception for the wrong-chain deposit")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if s := envs[2].state(wrongChain); s != payment.AwaitingPayment {
		t.Errorf("wrong-chain payment: %s, want awaiting_payment", s)
	}
}

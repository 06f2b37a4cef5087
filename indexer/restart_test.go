package indexer

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/amanat/amn/chain"
	"github.com/amanat/amn/payment"
)

// snapshot describes everything the indexer decided on a chain, by deposit address and
// observation key (payment ids are random per database; transfer ids are derived from
// observations), for the payments of deposit indices firstIndex … firstIndex+999: payment states and amounts, their ledger transfers, observations and exceptions.
func snapshot(t *testing.T, pool *pgxpool.Pool, chainID uint64, firstIndex int64) string {
	t.Helper()
	ctx := context.Background()
	var b strings.Builder
	q := func(sql string, args ...any) {
		rows, err := pool.Query(ctx, sql, args...)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			vals, err := rows.Values()
			if err != nil {
				t.Fatal(err)
			}
			fmt.Fprintln(&b, vals...)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
	}
	q(`SELECT p.deposit_address, p.state::text, p.received::text, p.pending_amount::text, p.pending_count
		FROM payments p WHERE p.deposit_index BETWEEN $1 AND $1 + 999 ORDER BY p.deposit_address`, firstIndex)
	q(`SELECT p.deposit_address, t.id::text, t.amount::text, t.pending, t.post_pending, t.void_pending, coalesce(s.state::text, '')
		FROM ledger_transfers t JOIN payments p ON t.payment_ref = p.id::text LEFT JOIN ledger_pending s ON s.transfer_id = t.id
		WHERE p.deposit_index BETWEEN $1 AND $1 + 999 ORDER BY p.deposit_address, t.id`, firstIndex)
	q(`SELECT o.block_hash, o.tx_hash, o.log_index, o.block_number, o.kind, o.state::text, o.amount::text, coalesce(p.deposit_address, '')
		FROM indexer_observations o LEFT JOIN payments p ON p.id = o.payment_id WHERE o.chain_id = $1 ORDER BY 1, 2, 3`, chainID)
	q(`SELECT e.tx_hash, e.log_index, e.amount::text, e.reason, p.deposit_address FROM deposit_exceptions e JOIN payments p ON p.id = e.payment_id
		WHERE e.chain_id = $1 ORDER BY 1, 2`, chainID)
	return b.String()
}

// TestRestartGivesTheSameLedger runs the indexer on one database and kills it (cancels its
// context, mid-call or mid-transaction) at random points during backfill and live following,
// restarting it each time, and runs it without interruption on another: both end with the same
// payments, ledger transfers, observations and exceptions.
func TestRestartGivesTheSameLedger(t *testing.T) {
	t.Parallel()
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rnd := rand.New(rand.NewPCG(seed, 1))
	ctx := context.Background()
	f := newFixture(t, 31337)
	cfg := devConfig(f, 4)
	// Two databases of their own, where the same payments get the same deposit indices.
	svcA, poolA := ownPaymentService(t, 50000)
	svcB, poolB := ownPaymentService(t, 50000)
	var payA, payB []*payment.Payment
	eA := newEnv(t, f, svcA, poolA, cfg, Options{BatchBlocks: 5})
	eB := newEnv(t, f, svcB, poolB, cfg, Options{BatchBlocks: 5})
	eA.offers, eB.offers = new(atomic.Int64), new(atomic.Int64) // the same offer names in both
	const n = 12
	for i := range n {
		token := f.Addresses.USDT
		if i%4 == 2 {
			token = chain.NativeToken
		}
		payA = append(payA, eA.newPayment(31337, token, int64(1_000_000+i)))
		payB = append(payB, eB.newPayment(31337, token, int64(1_000_000+i)))
		if payA[i].Deposit != payB[i].Deposit {
			t.Fatalf("deposit addresses differ: %s vs %s", payA[i].Deposit, payB[i].Deposit)
		}
	}
	pay := func(i int) {
		p := payA[i]
		switch i % 4 {
		case 0:
			eA.payViaProxy(p, i%2, p.Amount.Int64())
		case 1:
			eA.transfer(f.Addresses.USDT, p.Deposit, i%2, p.Amount.Int64()-1) // underpaid
		case 2:
			eA.sendNative(p.Deposit, i%2, p.Amount.Int64())
		case 3:
			eA.transfer(f.Addresses.TUSD, p.Deposit, i%2, 5) // wrong token
			eA.payViaProxy(p, i%2, p.Amount.Int64())
		}
		mine(t, f, 1+rnd.IntN(6))
	}
	for i := range n / 2 {
		pay(i)
	}

	// Run A with kills: restart a fresh indexer again and again, each living 1–40 ms. On a busy
	// machine a step may take longer than that: each run lets its indexers live longer every 20
	// kills, so that it always gets to its goal (the kills stay random points mid-step).
	kills := 0
	run := func(until func() bool) {
		for tries := 0; !until(); tries++ {
			ix := New(cfg, eA.rpc, poolA, svcA, NewHeadTracker(cfg.Chain, eA.rpc, time.Second, eA.ix.heads.metrics, quiet), eA.m, quiet, Options{BatchBlocks: 5})
			life := time.Duration(1+rnd.IntN(40)) * time.Millisecond << min(tries/20, 8)
			kctx, cancel := context.WithTimeout(ctx, life)
			for kctx.Err() == nil {
				_, _ = ix.Step(kctx)
			}
			cancel()
			kills++
		}
	}
	killsFor := func(k int) func() bool { stop := kills + k; return func() bool { return kills >= stop } }
	run(killsFor(10)) // backfill
	for i := n / 2; i < n; i++ {
		pay(i)
		run(killsFor(2)) // live, the chain growing between restarts
	}
	mine(t, f, 8)
	head, err := f.Client.BlockNumber(ctx)
	if err != nil {
		t.Fatal(err)
	}
	run(func() bool {
		cp, _, err := LoadCheckpoint(ctx, poolA, 31337)
		if err != nil {
			t.Fatal(err)
		}
		var open int
		if err := poolA.QueryRow(ctx, `SELECT count(*) FROM indexer_observations WHERE chain_id = 31337 AND state = 'pending'`).Scan(&open); err != nil {
			t.Fatal(err)
		}
		return cp.Processed >= head && open == 0
	})
	eB.catchUp()
	a, b := snapshot(t, poolA, 31337, 50001), snapshot(t, poolB, 31337, 50001)
	if a != b {
		t.Fatalf("ledgers differ after %d kills (seed %d):\nkilled:\n%s\nuninterrupted:\n%s", kills, seed, a, b)
	}
	if !strings.Contains(a, "credited") || !strings.Contains(a, "exception") {
		t.Fatalf("the runs credited nothing or saw no exception:\n%s", a)
	}
	t.Logf("identical after %d kills", kills)
}

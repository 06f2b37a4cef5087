package indexer

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/amanat/amn/chain"
	"github.com/amanat/amn/payment"
)

// blockReads counts the indexer's block reads, with and without transactions.
type blockReads struct {
	RPC
	mu            sync.Mutex
	full, headers int
}

func (r *blockReads) Blocks(ctx context.Context, from, to uint64, full bool) ([]chain.Block, error) {
	r.mu.Lock()
	if full {
		r.full++
	} else {
		r.headers++
	}
	r.mu.Unlock()
	return r.RPC.Blocks(ctx, from, to, full)
}

func (r *blockReads) take() (full, headers int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	full, headers, r.full, r.headers = r.full, r.headers, 0, 0
	return full, headers
}

// TestWatchNativeAuto: with watch_native auto the indexer reads headers only while no payment in
// the chain's currency is open, switches to blocks with their transactions in the very step after
// one is opened (and sees a plain native transfer to it), and back to headers once none is
// watched any more. ERC-20 payments are seen from the logs all along.
func TestWatchNativeAuto(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t, 22)
	pay, pool := newPaymentService(t)
	cfg := devConfig(f, 3)
	cfg.WatchNative = chain.WatchAuto
	e := newEnv(t, f, pay, pool, cfg, Options{WatchRefresh: time.Nanosecond})
	reads := &blockReads{RPC: e.ix.rpc}
	e.ix.rpc = reads

	// No native payment: headers only, and the token payment is still credited.
	tok := e.newPayment(22, f.Addresses.USDT, 1_000_000)
	e.payViaProxy(tok, 0, 1_000_000)
	mine(t, f, 5)
	e.catchUp()
	if s := e.state(tok); s != payment.Funded {
		t.Fatalf("token payment: %s, want funded", s)
	}
	if full, headers := reads.take(); full != 0 || headers == 0 {
		t.Fatalf("no native payment open: %d full reads, %d header reads; want headers only", full, headers)
	}

	// A native payment opens and is paid by plain transfer: the next step reads transactions.
	nat := e.newPayment(22, chain.NativeToken, 1_000_000_000)
	e.sendNative(nat.Deposit, 1, 1_000_000_000)
	mine(t, f, 5)
	if _, err := e.ix.Step(ctx); err != nil {
		t.Fatal(err)
	}
	if full, _ := reads.take(); full == 0 {
		t.Fatal("the step after a native payment opened read no block with its transactions")
	}
	if g := gauge(t, e, "amn_indexer_reading_transactions"); g != 1 {
		t.Errorf("amn_indexer_reading_transactions %v, want 1", g)
	}
	e.catchUp()
	if s := e.state(nat); s != payment.Funded {
		t.Fatalf("native payment paid by plain transfer: %s, want funded", s)
	}
	reads.take()

	// Once it is no longer watched, headers only again: the first step reads as the last watch
	// set said, the ones after it headers only.
	if _, err := pool.Exec(ctx, `UPDATE payments SET expires_at = now() - interval '2 seconds', watch_until = now() - interval '1 second' WHERE id = $1`, nat.ID); err != nil {
		t.Fatal(err)
	}
	mine(t, f, 3)
	if _, err := e.ix.Step(ctx); err != nil {
		t.Fatal(err)
	}
	reads.take()
	mine(t, f, 3)
	e.catchUp()
	if full, headers := reads.take(); full != 0 || headers == 0 {
		t.Fatalf("no native payment watched: %d full reads, %d header reads; want headers only", full, headers)
	}
	if g := gauge(t, e, "amn_indexer_reading_transactions"); g != 0 {
		t.Errorf("amn_indexer_reading_transactions %v, want 0", g)
	}
}

// TestWatchNativeNever: with never, even an open native payment does not make the indexer read
// transactions (a native payment is then seen only through the EthereumFeeProxy).
func TestWatchNativeNever(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 32) // a chain id of its own: the package's tests share one database
	pay, pool := newPaymentService(t)
	cfg := devConfig(f, 3)
	cfg.WatchNative = chain.WatchNever
	e := newEnv(t, f, pay, pool, cfg, Options{})
	reads := &blockReads{RPC: e.ix.rpc}
	e.ix.rpc = reads
	nat := e.newPayment(32, chain.NativeToken, 1_000_000_000)
	e.sendNative(nat.Deposit, 1, 1_000_000_000)
	mine(t, f, 5)
	e.catchUp()
	if full, headers := reads.take(); full != 0 || headers == 0 {
		t.Fatalf("watch_native never: %d full reads, %d header reads", full, headers)
	}
	if s := e.state(nat); s != payment.AwaitingPayment {
		t.Errorf("a plain native transfer with watch_native never: payment %s, want still awaiting payment", s)
	}
}

func gauge(t *testing.T, e *env, name string) float64 {
	t.Helper()
	mfs, err := e.reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() == name {
			for _, m := range mf.GetMetric() {
				return m.GetGauge().GetValue()
			}
		}
	}
	t.Fatalf("no metric %s", name)
	return 0
}

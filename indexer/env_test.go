package indexer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/rpc"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/amanat/amn/chain"
	"github.com/amanat/amn/db"
	"github.com/amanat/amn/db/dbtest"
	"github.com/amanat/amn/devnet"
	"github.com/amanat/amn/hd"
	"github.com/amanat/amn/ledger"
	"github.com/amanat/amn/payment"
	"github.com/amanat/amn/payment/paymenttest"
)

// anvilXpub is the account xpub (m/44'/60'/0') of anvil's public test mnemonic. Deposit indices
// start high (skipIndices) so deposit addresses are never anvil's funded, busy accounts 0–9.
const anvilXpub = "xpub6Ce9NcJvTk36xtLSrJLZqE7wtgA5deCeYs7rSQtreh4cj6ByPtrg9sD7V2FNFLPnf8heNP3FGkeV9qwfzvZNSd54JoNXVsXFYSYwHsnJxqP"

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// env is one anvil chain with the fixture, a database and an indexer.
type env struct {
	t    *testing.T
	f    *devnet.Fixture
	db   *pgxpool.Pool // the owner's: the test's setup and checks
	ixdb *pgxpool.Pool // the indexer's role's
	pay  *payment.Service
	cfg  chain.Config
	reg  *prometheus.Registry
	m    *Metrics
	ix   *Indexer
	rpc  *chain.Pool
	// offers numbers the env's offers (the package's counter unless a test gives two envs
	// counters of their own, to create the same payments in two databases).
	offers *atomic.Int64
}

// seqOnce moves the package database's deposit index sequence past anvil's funded accounts once,
// before any test creates a payment there (the others wait for it).
var seqOnce sync.Once

func chainKey(id uint64) string {
	switch id {
	case 1:
		return "eth"
	case 56:
		return "bsc"
	case 137:
		return "polygon"
	}
	return fmt.Sprintf("dev%d", id)
}

// devConfig is the chain config of a fixture: its tokens, proxies and escrow.
func devConfig(f *devnet.Fixture, floor uint64, urls ...string) chain.Config {
	if len(urls) == 0 {
		urls = []string{f.URL}
	}
	return chain.Config{
		Chain:    chain.Chain{Key: chainKey(f.ChainID), Name: "devnet", ID: f.ChainID, BlockTime: 100 * time.Millisecond, DepthFloor: floor},
		Finality: chain.FinalityTag, FinalityStall: chain.Duration(time.Hour), WatchNative: chain.WatchAlways, MaxLogRange: 1000,
		Endpoints:  urls,
		Tokens:     []chain.Token{{Symbol: "USDT", Address: f.Addresses.USDT, Decimals: 6}, {Symbol: "TUSD", Address: f.Addresses.TUSD, Decimals: 18}},
		FeeProxies: []chain.Proxy{{Address: f.Addresses.ERC20FeeProxy}, {Address: f.Addresses.EthereumFeeProxy, Native: true}},
		Escrow:     f.Addresses.Escrow,
	}
}

func newFixture(t *testing.T, chainID uint64) *devnet.Fixture {
	t.Helper()
	f, err := devnet.Start(context.Background(), chainID, devnet.FixtureOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(f.Close)
	return f
}

// newPaymentService is a payment service on the package database, which the tests running in
// parallel share: each runs its indexer on a chain id of its own.
func newPaymentService(t *testing.T) (*payment.Service, *pgxpool.Pool) {
	t.Helper()
	pool := dbtest.Pool(t)
	var err error
	seqOnce.Do(func() { _, err = pool.Exec(context.Background(), `SELECT setval('deposit_index_seq', 1000)`) })
	if err != nil {
		t.Fatal(err)
	}
	return paymentsOn(t, pool), pool
}

// ownPaymentService is a payment service on a database of the test's own (dbtest.Own), its
// deposit indices starting at first+1: for tests that compare two runs, or use chain ids other
// tests use.
func ownPaymentService(t *testing.T, first int64) (*payment.Service, *pgxpool.Pool) {
	t.Helper()
	pool := dbtest.Own(t)
	if _, err := pool.Exec(context.Background(), `SELECT setval('deposit_index_seq', $1)`, first); err != nil {
		t.Fatal(err)
	}
	return paymentsOn(t, pool), pool
}

func paymentsOn(t *testing.T, pool *pgxpool.Pool) *payment.Service {
	t.Helper()
	d, err := hd.ParseXpub(anvilXpub)
	if err != nil {
		t.Fatal(err)
	}
	return payment.New(pool, d)
}

// newEnv builds an indexer over f with its own metrics, on pool's database (the package's, or
// the test's own).
func newEnv(t *testing.T, f *devnet.Fixture, pay *payment.Service, pool *pgxpool.Pool, cfg chain.Config, o Options) *env {
	t.Helper()
	return newEnvTimeout(t, f, pay, pool, cfg, o, 2*time.Second)
}

// newEnvTimeout is newEnv with the RPC pool's timeout of a call.
func newEnvTimeout(t *testing.T, f *devnet.Fixture, pay *payment.Service, pool *pgxpool.Pool, cfg chain.Config, o Options, timeout time.Duration) *env {
	t.Helper()
	ctx := context.Background()
	// Tests share the package database and some chain ids: each indexer starts from scratch.
	for _, q := range []string{`DELETE FROM indexer_observations WHERE chain_id = $1`, `DELETE FROM indexer_blocks WHERE chain_id = $1`,
		`DELETE FROM indexer_checkpoints WHERE chain_id = $1`, `DELETE FROM indexer_rescans WHERE chain_id = $1`} {
		if _, err := pool.Exec(ctx, q, cfg.ID); err != nil {
			t.Fatal(err)
		}
	}
	reg := prometheus.NewRegistry()
	rpc, err := chain.NewPool(ctx, cfg, chain.PoolOptions{Metrics: chain.NewRPCMetrics(reg), BaseBackoff: time.Millisecond, MaxBackoff: 20 * time.Millisecond, Timeout: timeout, Attempts: 30})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(rpc.Close)
	m := NewMetrics(reg)
	heads := NewHeadTracker(cfg.Chain, rpc, time.Second, NewHeadMetrics(reg), quiet)
	// The indexer works as its role, as `amn indexer` does, logged in as a member of it only;
	// the test's own setup and checks use the owner's pool.
	ixdb := dbtest.PoolLike(t, pool, db.RoleIndexer)
	ix := New(cfg, rpc, ixdb, payment.New(ixdb, nil), heads, m, quiet, o)
	return &env{t: t, f: f, db: pool, ixdb: ixdb, pay: pay, cfg: cfg, reg: reg, m: m, ix: ix, rpc: rpc, offers: &offers}
}

var offers atomic.Int64

// newPayment creates a payment on the env's chain in token (chain.NativeToken for native).
func (e *env) newPayment(chainID uint64, token common.Address, amount int64) *payment.Payment {
	e.t.Helper()
	sym, dec := "USDT", uint8(6)
	switch token {
	case chain.NativeToken:
		sym, dec = "NATIVE", 18
	case e.f.Addresses.TUSD:
		sym, dec = "TUSD", 18
	}
	n := e.offers.Add(1)
	p, err := e.pay.Create(context.Background(), paymenttest.Offer(payment.NewPayment{
		BuyerRef: "buyer", OfferRef: fmt.Sprintf("offer-%d", n),
		ChainID: chainID, ChainKey: chainKey(chainID), Token: token, TokenSymbol: sym, Decimals: dec,
		Amount: big.NewInt(amount), Fee: big.NewInt(amount / 100), FeeAddress: e.f.FeeRecipient.Address,
		Tolerance: big.NewInt(0), RequestID: fmt.Sprintf("req-%d", n), Salt: "5a17", TTL: time.Hour,
	}, e.f.Seller))
	if err != nil {
		e.t.Fatal(err)
	}
	return p
}

// payViaProxy sends the checkout's transactions (approve + fee proxy, or the native proxy call).
func (e *env) payViaProxy(p *payment.Payment, buyer int, amount int64) common.Hash {
	e.t.Helper()
	ctx := context.Background()
	native := p.Token == chain.NativeToken
	req := payment.CheckoutRequest{ChainID: e.f.ChainID, Native: native, Decimals: p.Decimals, Amount: big.NewInt(amount),
		Fee: p.Fee, Deposit: p.Deposit, Reference: p.Reference, FeeProxy: e.f.Addresses.ERC20FeeProxy, FeeAddress: p.FeeAddress}
	if native {
		req.FeeProxy = e.f.Addresses.EthereumFeeProxy
	} else {
		req.Token = p.Token
	}
	co, err := payment.NewCheckout(req)
	if err != nil {
		e.t.Fatal(err)
	}
	var last common.Hash
	for _, c := range co.Transactions {
		v, _ := new(big.Int).SetString(c.Value, 10)
		r, err := e.f.Send(ctx, e.f.Buyers[buyer], c.To, c.Data, v)
		if err != nil {
			e.t.Fatal(err)
		}
		last = r.TxHash
	}
	return last
}

// transfer sends a plain ERC-20 transfer from a buyer.
func (e *env) transfer(token, to common.Address, buyer int, amount int64) common.Hash {
	e.t.Helper()
	ctx := context.Background()
	opts := e.f.Opts(ctx, e.f.Buyers[buyer])
	var err error
	var hash common.Hash
	if token == e.f.Addresses.USDT {
		r, werr := e.f.Wait(ctx)(e.f.USDT.Transfer(opts, to, big.NewInt(amount)))
		err = werr
		if r != nil {
			hash = r.TxHash
		}
	} else {
		r, werr := e.f.Wait(ctx)(e.f.TUSD.Transfer(opts, to, big.NewInt(amount)))
		err = werr
		if r != nil {
			hash = r.TxHash
		}
	}
	if err != nil {
		e.t.Fatal(err)
	}
	return hash
}

// sendNative sends native currency straight to an address.
func (e *env) sendNative(to common.Address, buyer int, wei int64) common.Hash {
	e.t.Helper()
	r, err := e.f.Send(context.Background(), e.f.Buyers[buyer], to, nil, big.NewInt(wei))
	if err != nil {
		e.t.Fatal(err)
	}
	return r.TxHash
}

func mine(t *testing.T, f *devnet.Fixture, n int) {
	t.Helper()
	if err := f.RPC.CallContext(context.Background(), nil, "anvil_mine", hexutil.EncodeUint64(uint64(n))); err != nil {
		t.Fatal(err)
	}
}

// catchUp steps the indexer until it has processed the node's head and credited what is final.
func (e *env) catchUp() {
	e.t.Helper()
	ctx := context.Background()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		progressed, err := e.ix.Step(ctx)
		if err != nil {
			e.t.Fatalf("step: %v", err)
		}
		if progressed {
			continue
		}
		head, err := e.f.Client.BlockNumber(ctx)
		if err != nil {
			e.t.Fatal(err)
		}
		cp, _, err := LoadCheckpoint(ctx, e.db, e.cfg.ID)
		if err != nil {
			e.t.Fatal(err)
		}
		if cp.Processed >= head {
			return
		}
	}
	e.t.Fatal("indexer did not catch up within the deadline")
}

func (e *env) state(p *payment.Payment) payment.State {
	e.t.Helper()
	got, err := e.pay.Get(context.Background(), p.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	return got.State
}

// ledgerOf describes a payment's ledger transfers, in a stable order, for comparisons.
func ledgerOf(t *testing.T, pool *pgxpool.Pool, p ledger.ID) string {
	t.Helper()
	rows, err := pool.Query(context.Background(), `SELECT t.id::text, t.amount::text, t.pending, t.post_pending, t.void_pending,
		coalesce(s.state::text, '') FROM ledger_transfers t LEFT JOIN ledger_pending s ON s.transfer_id = t.id
		WHERE t.payment_ref = $1 ORDER BY t.id`, p.String())
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var id, amount, state string
		var pending, post, void bool
		if err := rows.Scan(&id, &amount, &pending, &post, &void, &state); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%s %s pending=%v post=%v void=%v %s\n", id, amount, pending, post, void, state)
	}
	return b.String()
}

func devnetMine(ctx context.Context, url string) (bool, error) {
	c, err := rpcDial(ctx, url)
	if err != nil {
		return false, err
	}
	defer c.Close()
	return true, c.CallContext(ctx, nil, "anvil_mine", "0x1")
}

var rpcDial = rpc.DialContext

// stepUntilKilled steps the indexer (at most 10 times) until a test hook's error killed stops it,
// and fails the test if it never does.
func (e *env) stepUntilKilled(t *testing.T, killed error) {
	t.Helper()
	var err error
	for range 10 {
		if _, err = e.ix.Step(context.Background()); err != nil {
			break
		}
	}
	if !errors.Is(err, killed) {
		t.Fatalf("step: %v, want the kill", err)
	}
}

package torture

import (
	"context"
	"encoding/binary"
	"fmt"
	"math/big"
	"math/rand/v2"
	"slices"
	"sync/atomic"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/amanat/amn/bindings"
	"github.com/amanat/amn/chain"
	"github.com/amanat/amn/devnet"
	"github.com/amanat/amn/indexer"
	"github.com/amanat/amn/ledger"
	"github.com/amanat/amn/payment"
	"github.com/amanat/amn/payment/paymenttest"
)

// payerCount is how many senders each chain's driver pays from. A reorg that drops one of a
// sender's transactions must drop its later ones too (nonces), so more senders make more moves.
const payerCount = 12

// chainRun is one chain: its node and fixture, the driver's randomness and senders, and the
// indexer that is killed and restarted.
type chainRun struct {
	r      *round
	id     uint64
	rnd    *rand.Rand
	node   *devnet.Anvil
	f      *devnet.Fixture
	proxy  *faultProxy
	cfg    chain.Config
	payers []devnet.Account
	base   uint64 // the fixture's last block: reorgs stay above it

	kill   chan time.Duration // kill now; the value is how long the process stays down
	later  []func() error     // follow-ups (top-ups, extra transfers) not sent yet
	made   int
	order  []int // the first payments' shapes
	start  time.Time
	events []string // what the driver did, for a difference's evidence
}

// event notes what the driver did (the driver's goroutine only).
func (c *chainRun) event(format string, args ...any) {
	c.events = append(c.events, fmt.Sprintf("chain %d +%6.2fs ", c.id, time.Since(c.start).Seconds())+fmt.Sprintf(format, args...))
}

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

func startChain(ctx context.Context, r *round, id uint64, rnd *rand.Rand) (*chainRun, error) {
	node, err := devnet.StartAnvil(ctx, devnet.AnvilOptions{ChainID: id, SlotsInEpoch: r.cfg.Window / 2})
	if err != nil {
		return nil, err
	}
	f, err := devnet.Deploy(ctx, node, devnet.FixtureOptions{})
	if err != nil {
		node.Stop()
		return nil, err
	}
	c := &chainRun{r: r, id: id, rnd: rnd, node: node, f: f, kill: make(chan time.Duration, 1), start: time.Now()}
	url := f.URL
	if r.cfg.Faults > 0 {
		c.proxy = newFaultProxy(f.URL, r.cfg.Faults, rnd.Uint64())
		url = c.proxy.URL()
	}
	c.cfg = chain.Config{
		Chain:    chain.Chain{Key: chainKey(id), Name: "torture", ID: id, BlockTime: 100 * time.Millisecond, DepthFloor: 1},
		Finality: chain.FinalityTag, FinalityStall: chain.Duration(time.Hour), WatchNative: chain.WatchAlways, MaxLogRange: 1000,
		Endpoints:  []string{url},
		Tokens:     []chain.Token{{Symbol: "USDT", Address: f.Addresses.USDT, Decimals: 6}, {Symbol: "TUSD", Address: f.Addresses.TUSD, Decimals: 18}},
		FeeProxies: []chain.Proxy{{Address: f.Addresses.ERC20FeeProxy}, {Address: f.Addresses.EthereumFeeProxy, Native: true}},
		Escrow:     f.Addresses.Escrow,
	}
	// Senders of the chain's payments: keys derived from the seed, given ether and both tokens.
	deployer := f.Opts(ctx, f.Deployer)
	for i := range payerCount {
		var b [24]byte
		binary.BigEndian.PutUint64(b[:], r.cfg.Seed)
		binary.BigEndian.PutUint64(b[8:], id)
		binary.BigEndian.PutUint64(b[16:], uint64(i))
		key, err := crypto.ToECDSA(crypto.Keccak256(b[:]))
		if err != nil {
			c.close()
			return nil, err
		}
		a := devnet.Account{Address: crypto.PubkeyToAddress(key.PublicKey), Key: key}
		c.payers = append(c.payers, a)
		if err := f.SetBalance(ctx, a.Address, new(big.Int).Mul(big.NewInt(1000), big.NewInt(1e18))); err != nil {
			c.close()
			return nil, err
		}
		if _, err := f.Wait(ctx)(f.USDT.Mint(deployer, a.Address, big.NewInt(1e15))); err != nil {
			c.close()
			return nil, fmt.Errorf("minting: %w", err)
		}
		if _, err := f.Wait(ctx)(f.TUSD.Mint(deployer, a.Address, big.NewInt(1e15))); err != nil {
			c.close()
			return nil, fmt.Errorf("minting: %w", err)
		}
	}
	if c.base, err = f.Client.BlockNumber(ctx); err != nil {
		c.close()
		return nil, err
	}
	return c, nil
}

func (c *chainRun) close() {
	if c.proxy != nil {
		c.proxy.Close()
	}
	c.f.Close()
	c.node.Stop()
}

// runIndexer runs the chain's indexer until ctx ends, killing it (cancelling its context, which
// stops it mid-call or mid-transaction) whenever the driver asks and starting a fresh one, as a
// process manager restarts a killed process: new pool, head tracker and indexer; the same
// database.
func (c *chainRun) runIndexer(ctx context.Context) {
	reg := prometheus.NewRegistry()
	rm, m, hm := chain.NewRPCMetrics(reg), indexer.NewMetrics(reg), indexer.NewHeadMetrics(reg)
	rnd := rand.New(rand.NewPCG(c.r.cfg.Seed, c.id+1<<32)) // the driver's is the driver's alone
	for ctx.Err() == nil {
		pool, err := chain.NewPool(ctx, c.cfg, chain.PoolOptions{Metrics: rm, BaseBackoff: time.Millisecond, MaxBackoff: 50 * time.Millisecond,
			Timeout: 2 * time.Second, Attempts: 40, Log: c.r.cfg.Log})
		if err != nil {
			// A process that cannot reach its node at start exits and is started again.
			sleep(ctx, 50*time.Millisecond)
			continue
		}
		heads := indexer.NewHeadTracker(c.cfg.Chain, pool, time.Second, hm, c.r.cfg.Log)
		ix := indexer.New(c.cfg, pool, c.r.cfg.DB, c.r.pay, heads, m, c.r.cfg.Log,
			indexer.Options{BatchBlocks: uint64(1 + rnd.IntN(40)), PollInterval: 20 * time.Millisecond, Window: uint64(c.keptWindow())})
		kctx, cancel := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() { _ = ix.Run(kctx, nil); close(done) }()
		var down time.Duration
		select {
		case down = <-c.kill:
		case <-ctx.Done():
		}
		cancel()
		<-done
		pool.Close()
		sleep(ctx, down) // the chain goes on (reorgs too) while the process is down
	}
}

// restart kills the chain's indexer after delay (the driver goes on meanwhile) and keeps it
// down for a while (0–400 ms, up to a few of the driver's actions) before a fresh one starts.
func (c *chainRun) restart(delay time.Duration) {
	down := time.Duration(c.rnd.IntN(400)) * time.Millisecond
	cp, _, _ := indexer.LoadCheckpoint(context.Background(), c.r.cfg.DB, c.id)
	c.event("kill the indexer in %s, down for %s (checkpoint at %d)", delay, down, cp.Processed)
	c.r.count(func(r *Report) { r.Restarts++ })
	time.AfterFunc(delay, func() {
		select {
		case c.kill <- down:
		default:
		}
	})
}

func (c *chainRun) head(ctx context.Context) (uint64, error) { return c.f.Client.BlockNumber(ctx) }

// drive plays the chain's actions until it is Blocks high and every payment and follow-up was
// sent: new payments, follow-ups, blocks, reorgs, kills and pauses for the indexer to catch up.
func (c *chainRun) drive(ctx context.Context) error {
	cfg := c.r.cfg
	for step := 0; ; step++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		head, err := c.head(ctx)
		if err != nil {
			return err
		}
		done := head >= uint64(cfg.Blocks)
		if done && c.made >= cfg.Payments && len(c.later) == 0 {
			return nil
		}
		if step > 20*cfg.Blocks {
			return fmt.Errorf("chain %d: driver made no progress in %d actions", c.id, step)
		}
		// Payments spread over the chain's growth; the remainder once it is high enough.
		due := c.made < cfg.Payments && (done || uint64(c.made) <= uint64(cfg.Payments)*(head-c.base)/uint64(max(1, cfg.Blocks-int(c.base))))
		x := c.rnd.Float64()
		switch {
		case due && x < 0.3:
			err = c.newPayment(ctx)
		case len(c.later) > 0 && (done || x < 0.45):
			i := c.rnd.IntN(len(c.later))
			next := c.later[i]
			c.later = slices.Delete(c.later, i, i+1)
			err = next()
		case !done && x >= 0.45 && x < 0.45+cfg.Reorg:
			err = c.reorg(ctx)
		case x >= 0.45+cfg.Reorg && x < 0.45+cfg.Reorg+cfg.Kill:
			// New blocks wake the indexer; the kill lands 0–40 ms later, mostly mid-step.
			if err = c.mine(ctx, 1+c.rnd.IntN(3)); err == nil {
				c.restart(time.Duration(c.rnd.IntN(40)) * time.Millisecond)
			}
		case !done && x >= 0.45+cfg.Reorg+cfg.Kill && x < 0.45+cfg.Reorg+cfg.Kill+cfg.Outage && head+uint64(c.outageBlocks()) < uint64(cfg.Blocks):
			err = c.outage(ctx)
		case !done && x >= 0.45+cfg.Reorg+cfg.Kill+cfg.Outage && x < 0.45+cfg.Reorg+cfg.Kill+cfg.Outage+cfg.Flip && cfg.Window >= 8:
			err = c.flipFlop(ctx)
		case x < 0.85:
			err = c.mine(ctx, 1+c.rnd.IntN(3))
		default:
			sleep(ctx, time.Duration(10+c.rnd.IntN(150))*time.Millisecond)
		}
		if err != nil {
			return fmt.Errorf("chain %d: %w", c.id, err)
		}
		if c.rnd.IntN(3) == 0 {
			sleep(ctx, time.Duration(c.rnd.IntN(60))*time.Millisecond)
		}
	}
}

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

func (c *chainRun) mine(ctx context.Context, n int) error {
	return c.f.RPC.CallContext(ctx, nil, "anvil_mine", hexutil.EncodeUint64(uint64(n)))
}

// keptWindow is the indexer's Options.Window: how many blocks below its safe block it keeps
// for finding a reorg's common ancestor. Twice the finality window: reorgs are never deeper.
func (c *chainRun) keptWindow() int { return 2 * c.r.cfg.Window }

// outageBlocks is how far the chain grows during an outage: past the kept window and the
// finality window, so that the indexer comes back far behind a final, reorganised chain.
func (c *chainRun) outageBlocks() int { return c.keptWindow() + c.r.cfg.Window + 8 }

// outage kills the indexer and keeps it down while the chain reorganises (what the indexer had
// processed above the finalized block) and grows past its kept window: it comes back lagging,
// and must find the reorg below blocks that are final by then.
func (c *chainRun) outage(ctx context.Context) error {
	cp, _, _ := indexer.LoadCheckpoint(ctx, c.r.cfg.DB, c.id)
	c.event("outage: kill the indexer (checkpoint at %d), reorg and grow the chain by %d blocks while it is down", cp.Processed, c.outageBlocks())
	c.r.count(func(r *Report) { r.Restarts++; r.Outages++ })
	gone := make(chan struct{})
	select {
	case c.kill <- 3 * time.Second:
	default:
	}
	// The kill is taken at once unless the indexer is between lives; either way it is down now or
	// within a moment.
	go func() { sleep(ctx, 50*time.Millisecond); close(gone) }()
	<-gone
	if err := c.reorg(ctx); err != nil {
		return err
	}
	return c.mine(ctx, c.outageBlocks())
}

// flipFlop pays a new payment in a block A of its own, lets the indexer see it, replaces A with
// an empty branch (evm_revert to A's parent, three blocks), lets the indexer see that, then
// brings A back with the same hash (same parent, timestamp, base fee and transaction) under a
// longer branch: a chain flip-flopping between two branches. anvil_reorg cannot do this (each of
// its blocks gets a new hash), and evm_revert refuses to run after an anvil_reorg, so the
// snapshots are taken and used here only.
func (c *chainRun) flipFlop(ctx context.Context) error {
	amount := int64(1+c.rnd.IntN(1000)) * 10_000
	p, err := c.createPayment(ctx, "flip-flop", c.id, c.f.Addresses.USDT, "USDT", 6, amount)
	if err != nil {
		return err
	}
	var snap string
	if err := c.f.RPC.CallContext(ctx, &snap, "evm_snapshot"); err != nil {
		return err
	}
	payer := c.payers[c.rnd.IntN(len(c.payers))]
	data, _ := erc20ABI.Pack("transfer", p.Deposit, big.NewInt(amount))
	rc, err := c.f.Send(ctx, payer, c.f.Addresses.USDT, data, nil)
	if err != nil {
		return fmt.Errorf("flip-flop payment: %w", err)
	}
	c.r.count(func(r *Report) { r.Transactions++ })
	tx, _, err := c.f.Client.TransactionByHash(ctx, rc.TxHash)
	if err != nil {
		return fmt.Errorf("flip-flop transaction %s: %w", rc.TxHash.Hex(), err)
	}
	raw, _ := tx.MarshalBinary()
	a, err := c.f.Client.HeaderByNumber(ctx, rc.BlockNumber)
	if err != nil {
		return fmt.Errorf("flip-flop block %d: %w", rc.BlockNumber, err)
	}
	if err := c.mine(ctx, 1); err != nil {
		return err
	}
	sleep(ctx, time.Duration(50+c.rnd.IntN(250))*time.Millisecond)
	var ok bool
	if err := c.f.RPC.CallContext(ctx, &ok, "evm_revert", snap); err != nil || !ok {
		return fmt.Errorf("evm_revert: %v (%v)", err, ok)
	}
	if err := c.f.RPC.CallContext(ctx, &snap, "evm_snapshot"); err != nil {
		return err
	}
	if err := c.mine(ctx, 3); err != nil {
		return err
	}
	sleep(ctx, time.Duration(50+c.rnd.IntN(250))*time.Millisecond)
	if err := c.f.RPC.CallContext(ctx, &ok, "evm_revert", snap); err != nil || !ok {
		return fmt.Errorf("evm_revert: %v (%v)", err, ok)
	}
	for _, call := range []struct {
		method string
		arg    any
	}{{"evm_setNextBlockTimestamp", hexutil.Uint64(a.Time)}, {"anvil_setNextBlockBaseFeePerGas", (*hexutil.Big)(a.BaseFee)}, {"eth_sendRawTransaction", hexutil.Bytes(raw)}} {
		if err := c.f.RPC.CallContext(ctx, nil, call.method, call.arg); err != nil {
			return fmt.Errorf("flip-flop %s: %w", call.method, err)
		}
	}
	if _, err := c.f.WaitMined(ctx, rc.TxHash); err != nil {
		return fmt.Errorf("flip-flop: the payment again: %w", err)
	}
	back, err := c.f.Client.HeaderByNumber(ctx, a.Number)
	if err != nil {
		return fmt.Errorf("flip-flop: block %d again: %w", a.Number, err)
	}
	same := "the same hash"
	if back.Hash() != a.Hash() {
		same = "ANOTHER hash " + back.Hash().Hex()
	}
	c.event("flip-flop: payment %s paid in tx %s, block %d %s; replaced by 3 empty blocks; back with %s", p.ID, rc.TxHash.Hex(), a.Number, a.Hash().Hex(), same)
	c.r.count(func(r *Report) {
		r.Flips++
		if back.Hash() == a.Hash() {
			r.FlipsSameHash++
		}
	})
	return c.mine(ctx, 4)
}

// shapes of payments, with their weights.
var shapes = []struct {
	name   string
	weight int
}{
	{"exact", 3}, {"partial+topup", 3}, {"overpaid", 2}, {"exact+extra", 3}, {"wrong-token", 1}, {"wrong-chain", 1}, {"unpaid", 1}, {"unwatched", 1},
}

func pickShape(rnd *rand.Rand) string {
	total := 0
	for _, s := range shapes {
		total += s.weight
	}
	n := rnd.IntN(total)
	for _, s := range shapes {
		if n < s.weight {
			return s.name
		}
		n -= s.weight
	}
	panic("unreachable")
}

var offerSeq atomic.Int64

// newPayment creates a payment of a random shape and sends its first money; the rest (a top-up,
// an extra transfer) is queued for later.
func (c *chainRun) newPayment(ctx context.Context) error {
	// Every shape once first (in an order of the seed's), then at random.
	shape := pickShape(c.rnd)
	if c.made < len(shapes) {
		if c.order == nil {
			c.order = c.rnd.Perm(len(shapes))
		}
		shape = shapes[c.order[c.made]].name
	}
	c.made++
	payer := c.payers[c.rnd.IntN(len(c.payers))]
	if shape == "unwatched" {
		// Money to an address that is nobody's deposit: the books must not see it.
		var a common.Address
		for i := range a {
			a[i] = byte(c.rnd.UintN(256))
		}
		c.r.count(func(r *Report) { r.Shapes[shape]++ })
		return c.transfer(ctx, payer, c.f.Addresses.USDT, a, big.NewInt(int64(1+c.rnd.IntN(1000))))
	}
	// The payment's token: USDT (6 decimals), TUSD (18) or the chain's own currency; the wrong
	// token is one of the other two.
	tokens := []common.Address{c.f.Addresses.USDT, c.f.Addresses.TUSD, chain.NativeToken}
	syms, decs := []string{"USDT", "TUSD", "NATIVE"}, []uint8{6, 18, 18}
	ti := []int{0, 0, 1, 2}[c.rnd.IntN(4)]
	token, sym, dec := tokens[ti], syms[ti], decs[ti]
	other := tokens[(ti+1+c.rnd.IntN(2))%3]
	on := c.id
	if shape == "wrong-chain" {
		on = 137
		for _, id := range c.r.cfg.Chains {
			if id != c.id {
				on = id
				break
			}
		}
	}
	amount := int64(1+c.rnd.IntN(1000)) * 10_000
	p, err := c.createPayment(ctx, shape, on, token, sym, dec, amount)
	if err != nil {
		return err
	}
	pay := func(amt int64) error {
		if c.rnd.IntN(2) == 0 {
			return c.viaProxy(ctx, payer, p, big.NewInt(amt))
		}
		return c.transfer(ctx, payer, p.Token, p.Deposit, big.NewInt(amt))
	}
	switch shape {
	case "exact", "wrong-chain":
		return pay(amount)
	case "partial+topup":
		part := amount * int64(20+c.rnd.IntN(60)) / 100
		c.later = append(c.later, func() error { return pay(amount - part) })
		return pay(part)
	case "overpaid":
		return pay(amount + int64(1+c.rnd.IntN(100))*1000)
	case "exact+extra":
		c.later = append(c.later, func() error {
			return c.transfer(ctx, c.payers[c.rnd.IntN(len(c.payers))], p.Token, p.Deposit, big.NewInt(int64(1+c.rnd.IntN(100))*1000))
		})
		return pay(amount)
	case "wrong-token":
		return c.transfer(ctx, payer, other, p.Deposit, big.NewInt(amount))
	}
	return nil // unpaid
}

// createPayment creates a payment on chain `on` (its seller's offer signed) and notes it.
func (c *chainRun) createPayment(ctx context.Context, shape string, on uint64, token common.Address, sym string, dec uint8, amount int64) (*payment.Payment, error) {
	n := offerSeq.Add(1)
	p, err := c.r.pay.Create(ctx, paymenttest.Offer(payment.NewPayment{
		BuyerRef: "torture", OfferRef: fmt.Sprintf("torture-%d-%d-%s", c.r.cfg.Seed, n, ledger.NewID()),
		ChainID: on, ChainKey: chainKey(on), Token: token, TokenSymbol: sym, Decimals: dec,
		Amount: big.NewInt(amount), Fee: big.NewInt(amount / 100), FeeAddress: c.f.FeeRecipient.Address,
		Tolerance: big.NewInt(0), RequestID: fmt.Sprintf("torture-req-%d", n), Salt: "5a17", TTL: time.Hour,
	}, c.f.Seller))
	if err != nil {
		return nil, fmt.Errorf("creating a payment: %w", err)
	}
	c.event("payment %s %s on chain %d: due %d %s, deposit %s", p.ID, shape, on, amount, sym, p.Deposit.Hex())
	c.r.mu.Lock()
	c.r.payments = append(c.r.payments, &made{p: p, shape: shape, chain: c.id})
	c.r.rep.Payments++
	c.r.rep.Shapes[shape]++
	c.r.mu.Unlock()
	return p, nil
}

// viaProxy pays through Request Network's ERC20FeeProxy as the checkout says (approve + pay).
func (c *chainRun) viaProxy(ctx context.Context, from devnet.Account, p *payment.Payment, amount *big.Int) error {
	req := payment.CheckoutRequest{ChainID: c.id, Token: p.Token, Decimals: p.Decimals, Amount: amount,
		Fee: p.Fee, Deposit: p.Deposit, Reference: p.Reference, FeeProxy: c.f.Addresses.ERC20FeeProxy, FeeAddress: p.FeeAddress}
	if p.Token == chain.NativeToken {
		req.Native, req.Token, req.FeeProxy = true, common.Address{}, c.f.Addresses.EthereumFeeProxy
	}
	co, err := payment.NewCheckout(req)
	if err != nil {
		return err
	}
	for _, call := range co.Transactions {
		v, _ := new(big.Int).SetString(call.Value, 10)
		rc, err := c.f.Send(ctx, from, call.To, call.Data, v)
		if err != nil {
			return fmt.Errorf("fee proxy payment: %w", err)
		}
		c.event("%s (fee proxy) %s of payment %s: tx %s block %d", call.Purpose, amount, p.ID, rc.TxHash.Hex(), rc.BlockNumber)
		c.r.count(func(r *Report) { r.Transactions++ })
	}
	return nil
}

var erc20ABI, _ = bindings.ERC20MetaData.GetAbi()

// transfer sends amount of token (chain.NativeToken: the chain's own currency) from a sender
// straight to an address.
func (c *chainRun) transfer(ctx context.Context, from devnet.Account, token, to common.Address, amount *big.Int) error {
	var data []byte
	var value *big.Int
	dest := token
	if token == chain.NativeToken {
		dest, value = to, amount
	} else {
		var err error
		if data, err = erc20ABI.Pack("transfer", to, amount); err != nil {
			return err
		}
	}
	rc, err := c.f.Send(ctx, from, dest, data, value)
	if err != nil {
		return fmt.Errorf("transfer: %w", err)
	}
	c.event("transfer %s of %s to %s: tx %s block %d", amount, token.Hex()[:8], to.Hex(), rc.TxHash.Hex(), rc.BlockNumber)
	c.r.count(func(r *Report) { r.Transactions++ })
	return nil
}

// reorg replaces the last d blocks (1 ≤ d ≤ the blocks above the finalized one, at most Window)
// with as many new ones: each transaction of the old blocks is dropped or re-included at a random
// height of the new branch (in its sender's nonce order; a dropped transaction drops its sender's
// later ones).
func (c *chainRun) reorg(ctx context.Context) error {
	head, err := c.head(ctx)
	if err != nil {
		return err
	}
	fin, err := c.f.Client.HeaderByNumber(ctx, big.NewInt(-3)) // rpc.FinalizedBlockNumber
	if err != nil {
		return fmt.Errorf("finalized block: %w", err)
	}
	limit := min(uint64(c.r.cfg.Window), head-fin.Number.Uint64(), head-c.base)
	if limit == 0 {
		return c.mine(ctx, 1)
	}
	depth := 1 + c.rnd.IntN(int(limit))
	signer := types.LatestSignerForChainID(new(big.Int).SetUint64(c.id))
	type kept struct {
		raw  hexutil.Bytes
		hash common.Hash
		was  uint64
	}
	var gone []string
	var keep []kept
	dropped := map[common.Address]bool{}
	nDropped := 0
	for n := head - uint64(depth) + 1; n <= head; n++ {
		b, err := c.f.Client.BlockByNumber(ctx, new(big.Int).SetUint64(n))
		if err != nil {
			return fmt.Errorf("block %d: %w", n, err)
		}
		for _, tx := range b.Transactions() {
			from, err := types.Sender(signer, tx)
			if err != nil {
				return err
			}
			if dropped[from] || c.rnd.IntN(10) < 2 {
				dropped[from] = true
				nDropped++
				gone = append(gone, tx.Hash().Hex())
				continue
			}
			raw, err := tx.MarshalBinary()
			if err != nil {
				return err
			}
			keep = append(keep, kept{raw, tx.Hash(), n})
		}
	}
	offsets := make([]int, len(keep))
	for i := range offsets {
		offsets[i] = c.rnd.IntN(depth)
	}
	slices.Sort(offsets)
	pairs := make([]any, len(keep))
	for i, k := range keep {
		pairs[i] = []any{k.raw, offsets[i]}
	}
	if err := c.f.RPC.CallContext(ctx, nil, "anvil_reorg", depth, pairs); err != nil {
		return fmt.Errorf("anvil_reorg %d (%d transactions): %w", depth, len(pairs), err)
	}
	moves := make([]string, len(keep))
	for i, k := range keep {
		moves[i] = fmt.Sprintf("%s %d→%d", k.hash.Hex(), k.was, head-uint64(depth)+1+uint64(offsets[i]))
	}
	c.event("reorg depth %d at head %d (finalized %d): moved %v, dropped %v", depth, head, fin.Number.Uint64(), moves, gone)
	c.r.count(func(r *Report) {
		r.Reorgs++
		r.MaxDepth = max(r.MaxDepth, depth)
		r.Moved += len(keep)
		r.Dropped += nDropped
	})
	return nil
}

// finalize sends what is left, mines past the finality window and waits until the indexer has
// processed the head, credited everything final and holds nothing pending.
func (c *chainRun) finalize(ctx context.Context) error {
	for _, next := range c.later {
		if err := next(); err != nil {
			return err
		}
	}
	c.later = nil
	if err := c.mine(ctx, c.r.cfg.Window+2); err != nil {
		return err
	}
	deadline := time.Now().Add(c.r.cfg.Settle)
	var last string
	for time.Now().Before(deadline) {
		h, err := c.f.Client.HeaderByNumber(ctx, nil)
		if err != nil {
			return err
		}
		cp, _, err := indexer.LoadCheckpoint(ctx, c.r.cfg.DB, c.id)
		if err != nil {
			return err
		}
		open, err := openObservations(ctx, c.r.cfg.DB, c.id)
		if err != nil {
			return err
		}
		if cp.Halted {
			c.r.differ("chain %d halted: %s", c.id, cp.HaltReason)
			return nil
		}
		if cp.Processed == h.Number.Uint64() && cp.ProcessedHash == h.Hash() && open == 0 {
			c.r.count(func(r *Report) { r.Blocks += int(cp.Processed) })
			return nil
		}
		last = fmt.Sprintf("processed %d (head %d), %d observations pending", cp.Processed, h.Number.Uint64(), open)
		sleep(ctx, 100*time.Millisecond)
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	c.r.differ("chain %d did not settle within %s: %s", c.id, c.r.cfg.Settle, last)
	return nil
}

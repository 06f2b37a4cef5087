package chain

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"math/rand/v2"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/rpc"
	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/sync/errgroup"

	"github.com/amanat/amn/kind"
)

// RPCMetrics are the pool's metrics, labelled by chain and endpoint (scheme and host only).
type RPCMetrics struct {
	requests  *prometheus.CounterVec
	errors    *prometheus.CounterVec
	latency   *prometheus.HistogramVec
	up        *prometheus.GaugeVec
	score     *prometheus.GaugeVec
	logRange  *prometheus.HistogramVec
	logLimits *prometheus.GaugeVec
}

// NewRPCMetrics registers the pool metrics on reg (one value per process, shared by pools).
func NewRPCMetrics(reg prometheus.Registerer) *RPCMetrics {
	m := &RPCMetrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "amn_rpc_requests_total", Help: "JSON-RPC requests sent (a batch counts once, as method \"batch\").",
		}, []string{"chain", "endpoint", "method"}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "amn_rpc_errors_total", Help: "Failed JSON-RPC requests by kind: rate_limited, transient, range, permanent.",
		}, []string{"chain", "endpoint", "method", "kind"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "amn_rpc_request_duration_seconds", Help: "JSON-RPC request latency.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"chain", "endpoint", "method"}),
		up: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "amn_rpc_endpoint_up", Help: "1 when the endpoint is usable now, 0 while it cools down after failures.",
		}, []string{"chain", "endpoint"}),
		score: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "amn_rpc_endpoint_health", Help: "Health score of the endpoint, 0 to 1 (moving average of successes).",
		}, []string{"chain", "endpoint"}),
		logRange: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "amn_rpc_getlogs_range_blocks", Help: "Block range of successful eth_getLogs calls.",
			Buckets: prometheus.ExponentialBuckets(1, 4, 9),
		}, []string{"chain"}),
		logLimits: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "amn_rpc_getlogs_learned_limit_blocks", Help: "The eth_getLogs range the endpoint was learned to accept.",
		}, []string{"chain", "endpoint"}),
	}
	reg.MustRegister(m.requests, m.errors, m.latency, m.up, m.score, m.logRange, m.logLimits)
	return m
}

// PoolOptions tune a Pool; zero values take the defaults.
type PoolOptions struct {
	Timeout     time.Duration // per request (default 10 s)
	Attempts    int           // tries of one call across endpoints (default 8)
	BaseBackoff time.Duration // first retry delay (default 50 ms), doubled per attempt, with full jitter
	MaxBackoff  time.Duration // default 3 s
	// LagTolerance: an endpoint whose head is further behind the best head seen is used last.
	LagTolerance uint64 // default 3
	Metrics      *RPCMetrics
	Log          *slog.Logger
}

// Pool sends a chain's JSON-RPC calls to several endpoints: the healthiest usable one first, the
// next on failure, with backoff and jitter between tries, a per-endpoint request gap that grows on
// HTTP 429 and rate-limit errors, and eth_getLogs ranges that adapt to what each endpoint accepts.
type Pool struct {
	cfg  Config
	opts PoolOptions
	eps  []*endpoint
	log  *slog.Logger
	m    *RPCMetrics
}

type endpoint struct {
	label  string
	client *rpc.Client

	mu          sync.Mutex
	score       float64
	failures    int
	downUntil   time.Time
	gap         time.Duration // least time between two requests (rate limit), grows on 429
	next        time.Time
	retryAfter  time.Duration // from the last 429's Retry-After header
	head        uint64
	logLimit    uint64 // learned eth_getLogs range
	lastHint    RangeHint
	sameHint    int
	logsRefused bool // answers "limit exceeded" even for one block: eth_getLogs is off there
	noBatch     bool // refuses JSON-RPC batches: calls go one by one
}

// batch sends elems as one JSON-RPC batch, or one by one to an endpoint that refuses batches
// (learned from its first refusal).
func (p *Pool) batch(ctx context.Context, ep *endpoint, elems []rpc.BatchElem) error {
	ep.mu.Lock()
	noBatch := ep.noBatch
	ep.mu.Unlock()
	if !noBatch {
		err := ep.client.BatchCallContext(ctx, elems)
		if err == nil && (len(elems) == 0 || !batchRefused(elems[0].Error)) {
			return nil
		}
		if err != nil && !batchRefused(err) {
			return err
		}
		ep.mu.Lock()
		ep.noBatch = true
		ep.mu.Unlock()
		p.log.Info("endpoint refuses JSON-RPC batches; sending calls one by one", "endpoint", ep.label)
	}
	for i := range elems {
		elems[i].Error = ep.client.CallContext(ctx, elems[i].Result, elems[i].Method, elems[i].Args...)
		if elems[i].Error != nil && classify(elems[i].Error) != kindPermanent {
			return elems[i].Error
		}
	}
	return nil
}

// batchRefused recognises an endpoint saying it does not take batches: in words, or by answering
// a batch with a single object.
func batchRefused(err error) bool {
	if err == nil {
		return false
	}
	msg := strings.ToLower(err.Error())
	return (strings.Contains(msg, "batch") && (strings.Contains(msg, "not supported") || strings.Contains(msg, "disabled") ||
		strings.Contains(msg, "not allowed"))) || strings.Contains(msg, "cannot unmarshal object into go value of type []")
}

// ErrNoEndpoint is returned when no endpoint answered within the attempts.
var ErrNoEndpoint = kind.New(kind.Unavailable, "no RPC endpoint answered")

// retryAfterTransport remembers a 429's Retry-After for the endpoint.
type retryAfterTransport struct {
	ep   *endpoint
	next http.RoundTripper
}

func (t retryAfterTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(r)
	if err == nil && resp.StatusCode == http.StatusTooManyRequests {
		d := time.Second
		if s, e := strconv.Atoi(resp.Header.Get("Retry-After")); e == nil && s >= 0 {
			d = time.Duration(s) * time.Second
		}
		t.ep.mu.Lock()
		t.ep.retryAfter = d
		t.ep.mu.Unlock()
	}
	return resp, err
}

// NewPool connects to cfg.Endpoints (lazily for HTTP). Every endpoint must serve cfg.ID: one that
// answers another chain id is an error, since crediting from it would credit the wrong money.
func NewPool(ctx context.Context, cfg Config, o PoolOptions) (*Pool, error) {
	if len(cfg.Endpoints) == 0 {
		return nil, fmt.Errorf("chain %s: no RPC endpoints configured", cfg.Key)
	}
	if o.Timeout == 0 {
		o.Timeout = 10 * time.Second
	}
	if o.Attempts == 0 {
		o.Attempts = 8
	}
	if o.BaseBackoff == 0 {
		o.BaseBackoff = 50 * time.Millisecond
	}
	if o.MaxBackoff == 0 {
		o.MaxBackoff = 3 * time.Second
	}
	if o.LagTolerance == 0 {
		o.LagTolerance = 3
	}
	if o.Metrics == nil {
		o.Metrics = NewRPCMetrics(prometheus.NewRegistry())
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.MaxLogRange == 0 {
		cfg.MaxLogRange = 2000
	}
	p := &Pool{cfg: cfg, opts: o, log: o.Log.With("chain", cfg.Key), m: o.Metrics}
	for i, u := range cfg.Endpoints {
		ep := &endpoint{label: fmt.Sprintf("%d:%s", i, EndpointLabel(u)), score: 1, logLimit: cfg.MaxLogRange}
		opts := []rpc.ClientOption{}
		if strings.HasPrefix(u, "http") {
			opts = append(opts, rpc.WithHTTPClient(&http.Client{Transport: retryAfterTransport{ep, http.DefaultTransport}}))
		}
		c, err := rpc.DialOptions(ctx, u, opts...)
		if err != nil {
			p.Close()
			return nil, fmt.Errorf("chain %s: endpoint %s: %w", cfg.Key, ep.label, err)
		}
		ep.client = c
		p.eps = append(p.eps, ep)
		p.m.up.WithLabelValues(cfg.Key, ep.label).Set(1)
		p.m.score.WithLabelValues(cfg.Key, ep.label).Set(1)
	}
	var firstErr error
	ok := 0
	for _, ep := range p.eps {
		var id hexutil.Big
		cctx, cancel := context.WithTimeout(ctx, o.Timeout)
		err := ep.client.CallContext(cctx, &id, "eth_chainId")
		cancel()
		switch {
		case err == nil && (*big.Int)(&id).Uint64() != cfg.ID:
			p.Close()
			return nil, fmt.Errorf("%w: %s answers chain id %s, want %d", ErrWrongChain, ep.label, (*big.Int)(&id), cfg.ID)
		case err == nil:
			ok++
		default:
			// Down now; it may come back. Health scoring keeps it last.
			p.fail(ep, "eth_chainId", err, kindTransient)
			firstErr = err
		}
	}
	if ok == 0 {
		p.Close()
		return nil, fmt.Errorf("chain %s: no endpoint answered: %w", cfg.Key, firstErr)
	}
	return p, nil
}

// Close closes every connection.
func (p *Pool) Close() {
	for _, ep := range p.eps {
		if ep.client != nil {
			ep.client.Close()
		}
	}
}

// Config is the chain the pool serves.
func (p *Pool) Config() Config { return p.cfg }

type errKind string

const (
	kindRateLimited errKind = "rate_limited"
	kindTransient   errKind = "transient"
	kindRange       errKind = "range"
	kindPermanent   errKind = "permanent"
)

// errNullResult marks a null answer for something that must exist (a block at or below the head
// another endpoint reported): the endpoint lags.
var errNullResult = errors.New("endpoint returned null (lagging node?)")

func classify(err error) errKind {
	var he rpc.HTTPError
	if errors.As(err, &he) {
		if he.StatusCode == http.StatusTooManyRequests {
			return kindRateLimited
		}
		return kindTransient
	}
	var re rpc.Error
	if errors.As(err, &re) {
		msg := strings.ToLower(re.Error())
		switch {
		case strings.Contains(msg, "rate limit") || strings.Contains(msg, "too many requests") ||
			strings.Contains(msg, "request rate") || re.ErrorCode() == -32029:
			return kindRateLimited
		case strings.Contains(msg, "header not found") || strings.Contains(msg, "unknown block") ||
			strings.Contains(msg, "not synced") || strings.Contains(msg, "syncing"):
			return kindTransient
		}
		return kindPermanent
	}
	return kindTransient
}

// pick chooses the endpoint for the next try: usable ones (not cooling down, not lagging) by
// score, then lagging ones, and when all cool down, the one that comes back first.
func (p *Pool) pick(exclude map[*endpoint]bool, needHead uint64, forLogs bool) *endpoint {
	now := time.Now()
	best := p.bestHead()
	type cand struct {
		ep    *endpoint
		class int
		score float64
		until time.Time
	}
	var cs []cand
	for _, ep := range p.eps {
		ep.mu.Lock()
		c := cand{ep: ep, score: ep.score, until: ep.downUntil}
		switch {
		case forLogs && ep.logsRefused:
			c.class = 4
		case now.Before(ep.downUntil):
			c.class = 3
		case (needHead > 0 && ep.head < needHead) || (best > p.opts.LagTolerance && ep.head+p.opts.LagTolerance < best):
			c.class = 1
		}
		ep.mu.Unlock()
		if exclude[ep] {
			c.class += 2
		}
		cs = append(cs, c)
	}
	slices.SortStableFunc(cs, func(a, b cand) int {
		if a.class != b.class {
			return a.class - b.class
		}
		if a.class >= 3 {
			return a.until.Compare(b.until)
		}
		switch {
		case a.score > b.score:
			return -1
		case a.score < b.score:
			return 1
		}
		return 0
	})
	return cs[0].ep
}

func (p *Pool) bestHead() uint64 {
	var h uint64
	for _, ep := range p.eps {
		ep.mu.Lock()
		h = max(h, ep.head)
		ep.mu.Unlock()
	}
	return h
}

// wait holds a request until the endpoint's rate limit and cool-down allow it.
func (p *Pool) wait(ctx context.Context, ep *endpoint) error {
	ep.mu.Lock()
	now := time.Now()
	at := ep.next
	if ep.downUntil.After(at) {
		at = ep.downUntil
	}
	if at.Before(now) {
		at = now
	}
	ep.next = at.Add(ep.gap)
	ep.mu.Unlock()
	if d := time.Until(at); d > 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
	return nil
}

func (p *Pool) ok(ep *endpoint) {
	ep.mu.Lock()
	ep.score = 0.8*ep.score + 0.2
	ep.failures = 0
	ep.gap = ep.gap * 9 / 10
	s := ep.score
	ep.mu.Unlock()
	p.m.up.WithLabelValues(p.cfg.Key, ep.label).Set(1)
	p.m.score.WithLabelValues(p.cfg.Key, ep.label).Set(s)
}

func (p *Pool) fail(ep *endpoint, method string, err error, k errKind) {
	p.m.errors.WithLabelValues(p.cfg.Key, ep.label, method, string(k)).Inc()
	if k == kindPermanent || k == kindRange {
		return // the endpoint answered: it is healthy, the request was not
	}
	ep.mu.Lock()
	ep.failures++
	ep.score *= 0.6
	now := time.Now()
	if k == kindRateLimited {
		ep.gap = min(max(2*ep.gap, 20*time.Millisecond), 2*time.Second)
		d := max(ep.retryAfter, ep.gap)
		ep.retryAfter = 0
		ep.downUntil = now.Add(min(d, 30*time.Second))
	} else {
		ep.downUntil = now.Add(p.backoff(ep.failures))
	}
	s := ep.score
	ep.mu.Unlock()
	p.m.up.WithLabelValues(p.cfg.Key, ep.label).Set(0)
	p.m.score.WithLabelValues(p.cfg.Key, ep.label).Set(s)
	p.log.Debug("rpc failed", "endpoint", ep.label, "method", method, "kind", k, "err", err)
}

// backoff is exponential with full jitter.
func (p *Pool) backoff(attempt int) time.Duration {
	d := p.opts.BaseBackoff << min(attempt, 16)
	d = min(d, p.opts.MaxBackoff)
	return time.Duration(rand.Int64N(int64(d)) + 1)
}

// try runs fn on endpoints until it succeeds, fails permanently, or the attempts are used up.
// fn reports the error kind of a failure itself when it knows better (range errors).
func (p *Pool) try(ctx context.Context, method string, needHead uint64, forLogs bool, fn func(ctx context.Context, ep *endpoint) error) error {
	var last error
	tried := map[*endpoint]bool{}
	for attempt := 0; attempt < p.opts.Attempts; attempt++ {
		ep := p.pick(tried, needHead, forLogs)
		if err := p.wait(ctx, ep); err != nil {
			return err
		}
		cctx, cancel := context.WithTimeout(ctx, p.opts.Timeout)
		start := time.Now()
		err := fn(cctx, ep)
		cancel()
		p.m.requests.WithLabelValues(p.cfg.Key, ep.label, method).Inc()
		p.m.latency.WithLabelValues(p.cfg.Key, ep.label, method).Observe(time.Since(start).Seconds())
		if err == nil {
			p.ok(ep)
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		k := classify(err)
		if _, isRange := ParseRangeError(err); isRange && forLogs {
			k = kindRange
		}
		if errors.Is(err, errNullResult) {
			k = kindTransient
		}
		p.fail(ep, method, err, k)
		if k == kindPermanent || k == kindRange {
			return err
		}
		last = err
		tried[ep] = true
		if len(tried) == len(p.eps) {
			tried = map[*endpoint]bool{}
			// Every endpoint failed once: wait before going round again.
			t := time.NewTimer(p.backoff(attempt))
			select {
			case <-ctx.Done():
				t.Stop()
				return ctx.Err()
			case <-t.C:
			}
		}
	}
	return fmt.Errorf("%w: %s on chain %s after %d attempts: %v", ErrNoEndpoint, method, p.cfg.Key, p.opts.Attempts, last)
}

// Call runs one JSON-RPC call with failover. A JSON-RPC error that is not about limits or sync
// (a revert, bad params) is returned as is, without trying elsewhere.
func (p *Pool) Call(ctx context.Context, result any, method string, args ...any) error {
	return p.try(ctx, method, 0, false, func(ctx context.Context, ep *endpoint) error {
		return ep.client.CallContext(ctx, result, method, args...)
	})
}

// Batch sends the calls as one JSON-RPC batch to one endpoint (all answers come from the same
// node), retrying the whole batch elsewhere when the endpoint or any element fails for a reason
// other than the request itself. needHead > 0 prefers endpoints known to have that block.
func (p *Pool) Batch(ctx context.Context, needHead uint64, elems []rpc.BatchElem) error {
	return p.try(ctx, "batch", needHead, false, func(ctx context.Context, ep *endpoint) error {
		for i := range elems {
			elems[i].Error = nil
		}
		if err := p.batch(ctx, ep, elems); err != nil {
			return err
		}
		for _, e := range elems {
			if e.Error != nil {
				return e.Error
			}
		}
		return nil
	})
}

// Block is what the indexer needs of a block: its identity, its parent and, when asked for, the
// native transfers of its transactions.
type Block struct {
	Number     uint64
	Hash       common.Hash
	ParentHash common.Hash
	Time       uint64
	Txs        []Tx
}

// Tx is one transaction's value transfer.
type Tx struct {
	Hash  common.Hash
	Index uint64
	From  common.Address
	To    *common.Address
	Value *big.Int
}

type rpcBlock struct {
	Number       hexutil.Uint64  `json:"number"`
	Hash         common.Hash     `json:"hash"`
	ParentHash   common.Hash     `json:"parentHash"`
	Timestamp    hexutil.Uint64  `json:"timestamp"`
	Transactions json.RawMessage `json:"transactions"`
}

type rpcTx struct {
	Hash  common.Hash     `json:"hash"`
	Index hexutil.Uint64  `json:"transactionIndex"`
	From  common.Address  `json:"from"`
	To    *common.Address `json:"to"`
	Value *hexutil.Big    `json:"value"`
}

func (b *rpcBlock) block(full bool) (Block, error) {
	out := Block{Number: uint64(b.Number), Hash: b.Hash, ParentHash: b.ParentHash, Time: uint64(b.Timestamp)}
	if full && len(b.Transactions) > 0 {
		var txs []rpcTx
		if err := json.Unmarshal(b.Transactions, &txs); err != nil {
			return out, fmt.Errorf("block %d transactions: %w", b.Number, err)
		}
		for _, t := range txs {
			v := new(big.Int)
			if t.Value != nil {
				v = (*big.Int)(t.Value)
			}
			out.Txs = append(out.Txs, Tx{Hash: t.Hash, Index: uint64(t.Index), From: t.From, To: t.To, Value: v})
		}
	}
	return out, nil
}

// Blocks fetches blocks from..to (inclusive) in batches from one endpoint per batch; with full,
// their transactions too. A block missing on an endpoint (a lagging node) makes it try another.
func (p *Pool) Blocks(ctx context.Context, from, to uint64, full bool) ([]Block, error) {
	if to < from {
		return nil, nil
	}
	nums := make([]uint64, to-from+1)
	for i := range nums {
		nums[i] = from + uint64(i)
	}
	return p.BlocksAt(ctx, nums, full)
}

// BlocksAt fetches the blocks numbered nums, in that order, as Blocks does: batches of 100, up to
// blockFetchers of them in flight at once.
func (p *Pool) BlocksAt(ctx context.Context, nums []uint64, full bool) ([]Block, error) {
	const batch = 100
	out := make([]Block, len(nums))
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(blockFetchers)
	for start := 0; start < len(nums); start += batch {
		part := nums[start:min(start+batch, len(nums))]
		g.Go(func() error {
			bs, err := p.blockBatch(ctx, part, full)
			copy(out[start:], bs)
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return out, nil
}

// blockFetchers is how many block batches one Blocks call keeps in flight.
const blockFetchers = 4

// blockBatch reads the blocks numbered nums in one batch call.
func (p *Pool) blockBatch(ctx context.Context, nums []uint64, full bool) ([]Block, error) {
	raws := make([]*rpcBlock, len(nums))
	elems := make([]rpc.BatchElem, len(raws))
	for i, n := range nums {
		elems[i] = rpc.BatchElem{Method: "eth_getBlockByNumber", Args: []any{hexutil.EncodeUint64(n), full}, Result: &raws[i]}
	}
	highest := slices.Max(nums)
	err := p.try(ctx, "eth_getBlockByNumber", highest, false, func(ctx context.Context, ep *endpoint) error {
		for i := range elems {
			elems[i].Error = nil
			raws[i] = nil
		}
		if err := p.batch(ctx, ep, elems); err != nil {
			return err
		}
		for i, e := range elems {
			if e.Error != nil {
				return e.Error
			}
			if raws[i] == nil || uint64(raws[i].Number) != nums[i] {
				return fmt.Errorf("block %d: %w", nums[i], errNullResult)
			}
		}
		ep.mu.Lock()
		ep.head = max(ep.head, highest)
		ep.mu.Unlock()
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := make([]Block, len(raws))
	for i, r := range raws {
		if out[i], err = r.block(full); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// HeaderByNumber reads a header (nil: latest; rpc.FinalizedBlockNumber etc. for tags). It makes
// the pool a HeaderSource for the head tracker, and records each endpoint's head.
func (p *Pool) HeaderByNumber(ctx context.Context, number *big.Int) (*types.Header, error) {
	arg := "latest"
	if number != nil {
		if number.Sign() >= 0 {
			arg = hexutil.EncodeBig(number)
		} else {
			arg = rpc.BlockNumber(number.Int64()).String()
		}
	}
	var h *types.Header
	err := p.try(ctx, "eth_getBlockByNumber", 0, false, func(ctx context.Context, ep *endpoint) error {
		h = nil
		if err := ep.client.CallContext(ctx, &h, "eth_getBlockByNumber", arg, false); err != nil {
			return err
		}
		if h == nil {
			return fmt.Errorf("block %s: %w", arg, errNullResult)
		}
		if arg == "latest" {
			ep.mu.Lock()
			ep.head = h.Number.Uint64()
			ep.mu.Unlock()
		}
		return nil
	})
	return h, err
}

// BlockByHash reads a block's identity by hash: nil when the node does not know it.
func (p *Pool) BlockByHash(ctx context.Context, hash common.Hash) (*Block, error) {
	var raw *rpcBlock
	if err := p.Call(ctx, &raw, "eth_getBlockByHash", hash, false); err != nil {
		return nil, err
	}
	if raw == nil {
		return nil, nil
	}
	b, err := raw.block(false)
	return &b, err
}

// LogQuery is one eth_getLogs filter without its range.
type LogQuery struct {
	Addresses []common.Address
	Topics    [][]common.Hash
}

// Logs fetches the logs of q over from..to, splitting the range into pieces each endpoint
// accepts: it starts at the endpoint's learned limit, follows a provider's suggested range or
// limit when an error names one, halves otherwise, and ignores a suggestion the provider repeats
// while still refusing it. Every piece is asked together with its last block's header in one
// batch, and the answer is taken only if that header's hash is hashAt(last) — so a node that lags
// (and would answer "no logs" for blocks it does not have) or sits on another branch is never
// believed.
func (p *Pool) Logs(ctx context.Context, q LogQuery, from, to uint64, hashAt func(uint64) common.Hash) ([]types.Log, error) {
	var out []types.Log
	for from <= to {
		var got []types.Log
		var width uint64
		err := p.try(ctx, "eth_getLogs", to, true, func(ctx context.Context, ep *endpoint) error {
			ep.mu.Lock()
			width = max(ep.logLimit, 1)
			ep.mu.Unlock()
			for {
				end := min(from+width-1, to)
				logs, err := p.logsOnce(ctx, ep, q, from, end, hashAt)
				if err == nil {
					got, width = logs, end-from+1
					p.m.logRange.WithLabelValues(p.cfg.Key).Observe(float64(width))
					return nil
				}
				hint, isRange := ParseRangeError(err)
				if !isRange {
					return err
				}
				p.m.errors.WithLabelValues(p.cfg.Key, ep.label, "eth_getLogs", string(kindRange)).Inc()
				if end == from {
					// One block refused: the endpoint does not serve eth_getLogs (or not this
					// much): go elsewhere.
					ep.mu.Lock()
					ep.logsRefused = true
					ep.mu.Unlock()
					return fmt.Errorf("%w: %s refuses eth_getLogs for one block: %v", errNullResult, ep.label, err)
				}
				ep.mu.Lock()
				repeated := hint.Suggested() && hint == ep.lastHint
				if repeated {
					ep.sameHint++
				}
				ep.lastHint = hint
				width = NextRange(from, end, hint, repeated)
				ep.logLimit = width
				ep.mu.Unlock()
				p.m.logLimits.WithLabelValues(p.cfg.Key, ep.label).Set(float64(width))
			}
		})
		if err != nil {
			return nil, err
		}
		out = append(out, got...)
		from += width
	}
	return out, nil
}

func (p *Pool) logsOnce(ctx context.Context, ep *endpoint, q LogQuery, from, to uint64, hashAt func(uint64) common.Hash) ([]types.Log, error) {
	arg := map[string]any{"fromBlock": hexutil.EncodeUint64(from), "toBlock": hexutil.EncodeUint64(to)}
	if len(q.Addresses) > 0 {
		arg["address"] = q.Addresses
	}
	if len(q.Topics) > 0 {
		arg["topics"] = q.Topics
	}
	var logs []types.Log
	var anchor *rpcBlock
	elems := []rpc.BatchElem{
		{Method: "eth_getLogs", Args: []any{arg}, Result: &logs},
		{Method: "eth_getBlockByNumber", Args: []any{hexutil.EncodeUint64(to), false}, Result: &anchor},
	}
	if err := p.batch(ctx, ep, elems); err != nil {
		return nil, err
	}
	if elems[0].Error != nil {
		return nil, elems[0].Error
	}
	if elems[1].Error != nil {
		return nil, elems[1].Error
	}
	if anchor == nil {
		return nil, fmt.Errorf("eth_getLogs to %d: %w", to, errNullResult)
	}
	if want := hashAt(to); want != (common.Hash{}) && anchor.Hash != want {
		return nil, fmt.Errorf("eth_getLogs to %d: endpoint is on block %s, the indexer on %s: %w", to, anchor.Hash.Hex(), want.Hex(), errNullResult)
	}
	for _, l := range logs {
		if l.BlockNumber < from || l.BlockNumber > to {
			return nil, fmt.Errorf("eth_getLogs %d..%d returned a log of block %d: %w", from, to, l.BlockNumber, errNullResult)
		}
		if want := hashAt(l.BlockNumber); want != (common.Hash{}) && l.BlockHash != want {
			return nil, fmt.Errorf("eth_getLogs: log of block %d from %s, the indexer follows %s: %w", l.BlockNumber, l.BlockHash.Hex(), want.Hex(), errNullResult)
		}
	}
	return logs, nil
}

// FilterLogs adapts Logs to go-ethereum's filter query (no hash checks), for callers outside the
// indexer's pipeline.
func (p *Pool) FilterLogs(ctx context.Context, q ethereum.FilterQuery) ([]types.Log, error) {
	if q.FromBlock == nil || q.ToBlock == nil {
		return nil, errors.New("FilterLogs needs explicit FromBlock and ToBlock")
	}
	return p.Logs(ctx, LogQuery{Addresses: q.Addresses, Topics: q.Topics}, q.FromBlock.Uint64(), q.ToBlock.Uint64(),
		func(uint64) common.Hash { return common.Hash{} })
}

// EndpointStatus is one endpoint's health for `amn indexer status`.
type EndpointStatus struct {
	Label       string    `json:"endpoint"`
	Score       float64   `json:"health"`
	Up          bool      `json:"up"`
	Head        uint64    `json:"head"`
	LogLimit    uint64    `json:"getlogs_limit"`
	LogsRefused bool      `json:"getlogs_refused,omitempty"`
	DownUntil   time.Time `json:"down_until,omitzero"`
}

// Status reports every endpoint.
func (p *Pool) Status() []EndpointStatus {
	now := time.Now()
	out := make([]EndpointStatus, len(p.eps))
	for i, ep := range p.eps {
		ep.mu.Lock()
		out[i] = EndpointStatus{Label: ep.label, Score: ep.score, Up: !now.Before(ep.downUntil), Head: ep.head,
			LogLimit: ep.logLimit, LogsRefused: ep.logsRefused}
		if !out[i].Up {
			out[i].DownUntil = ep.downUntil
		}
		ep.mu.Unlock()
	}
	return out
}

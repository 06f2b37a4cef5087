package indexer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"math/big"
	"regexp"
	"slices"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/rpc"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/amanat/amn/chain"
	"github.com/amanat/amn/kind"
	"github.com/amanat/amn/ledger"
	"github.com/amanat/amn/payment"
)

// RPC is what the indexer needs of a chain's endpoints (*chain.Pool has it).
type RPC interface {
	HeaderSource
	Blocks(ctx context.Context, from, to uint64, full bool) ([]chain.Block, error)
	BlocksAt(ctx context.Context, nums []uint64, full bool) ([]chain.Block, error)
	// Batch sends calls as one JSON-RPC batch to one endpoint; needHead > 0 prefers endpoints
	// known to have that block.
	Batch(ctx context.Context, needHead uint64, elems []rpc.BatchElem) error
	Logs(ctx context.Context, q chain.LogQuery, from, to uint64, hashAt func(uint64) common.Hash) ([]types.Log, error)
	Call(ctx context.Context, result any, method string, args ...any) error
}

// Options tune an Indexer; zero values take the defaults.
type Options struct {
	BatchBlocks  uint64        // most blocks fetched per step (default 500)
	PollInterval time.Duration // between steps when caught up (default the chain's block time)
	// Window is how many blocks below the safe block are kept for reorg detection (default 256).
	Window uint64
	// AddressChunk is the most deposit addresses (or references) in one eth_getLogs topic filter
	// (default 1000, what providers accept).
	AddressChunk int
	// WatchRefresh is how often the whole watch set is read again (default 30 s); in between,
	// only new payments are read.
	WatchRefresh time.Duration
	Now          func() time.Time
}

// ErrHalted is returned while crediting on the chain is halted: a reorg reached a credited
// observation, and only an operator may decide what happens next (Resume).
var ErrHalted = kind.New(kind.Unavailable, "indexer halted")

// Indexer follows one chain: it fetches ranges of blocks and their logs, matches them against
// the watch set, records observations (pending ledger transfers through package payment),
// credits them once final and canonical, and handles reorgs.
type Indexer struct {
	cfg      chain.Config
	rpc      RPC
	store    store
	payments *payment.Service
	heads    *HeadTracker
	m        *Metrics
	log      *slog.Logger
	o        Options

	proxies map[common.Address]bool
	tokens  map[common.Address]bool
	// gasTanks are the signer's operator addresses (cfg.GasTanks).
	gasTanks map[common.Address]bool
	watchN   int
	prog     progress
	watch    watchCache
	// ahead is the next range being read while this one is recorded (backfill only); nil when
	// none is. Only one read runs at a time: the watch cache is not shared.
	ahead *aheadRead
	// quarantinedN is the chain's count of quarantined observations, as last counted.
	quarantinedN int
	// lastErr is the last failed step's error (URLs reduced to their host) until a step succeeds.
	lastErr   string
	lastErrAt time.Time
	hooks     testHooks
}

// testHooks let tests stop a step where a crash could: nil in production.
type testHooks struct {
	// afterDetect runs after a step's deposits are detected, before the rest of its observations
	// are stored and the checkpoint moves; an error ends the step there.
	afterDetect func() error
	// afterCredit runs after a pass's deposits are posted (payment.ConfirmMany); an error ends the
	// step there.
	afterCredit func() error
	// afterOrphan runs after an observation is orphaned (its pending transfer voided), before the
	// next one is; an error ends the step there.
	afterOrphan func() error
}

// aheadRead is a range read in the background.
type aheadRead struct {
	from uint64
	done chan struct{}
	r    rangeRead
	err  error
}

// rangeRead is one range as ingest needs it: the blocks (a consistent chain, possibly cut short
// of what was asked), the watch set read after them, and their logs.
type rangeRead struct {
	from, to uint64
	blocks   []chain.Block
	full     bool // the blocks were read with their transactions (watch_native)
	w        *WatchSet
	logs     []types.Log
	escrows  map[common.Hash]ledger.ID // the payments of the escrows among the logs' events
}

// watchCache keeps the watch set between steps: it is read in full every WatchRefresh, and in
// between only the payments created in the last createdSkew are read and added. A payment paid in
// a fetched block was created before that block was mined, so it is in one or the other as long as
// its creating transaction commits within createdSkew of its created_at.
type watchCache struct {
	set     *WatchSet
	entries map[ledger.ID]WatchEntry
	fullAt  time.Time
}

const createdSkew = 5 * time.Minute

func (ix *Indexer) watchSet(ctx context.Context) (*WatchSet, error) {
	now := ix.o.Now()
	if ix.watch.set == nil || now.Sub(ix.watch.fullAt) >= ix.o.WatchRefresh {
		entries, err := ix.loadWatchSet(ctx, now, time.Time{})
		if err != nil {
			return nil, err
		}
		ix.watch = watchCache{set: NewWatchSet(entries), entries: make(map[ledger.ID]WatchEntry, len(entries)), fullAt: now}
		for _, e := range entries {
			ix.watch.entries[e.PaymentID] = e
		}
		return ix.watch.set, nil
	}
	recent, err := ix.loadWatchSet(ctx, now, now.Add(-createdSkew))
	if err != nil {
		return nil, err
	}
	added := false
	for _, e := range recent {
		if _, ok := ix.watch.entries[e.PaymentID]; !ok {
			ix.watch.entries[e.PaymentID] = e
			added = true
		}
	}
	if added {
		all := make([]WatchEntry, 0, len(ix.watch.entries))
		for _, e := range ix.watch.entries {
			all = append(all, e)
		}
		ix.watch.set = NewWatchSet(all)
	}
	return ix.watch.set, nil
}

// loadWatchSet reads the payments that can still receive money, on every chain (package payment
// owns them: payment.Service.Watched); with createdSince set, only those created since then.
func (ix *Indexer) loadWatchSet(ctx context.Context, now, createdSince time.Time) ([]WatchEntry, error) {
	entries, err := ix.payments.Watched(ctx, now, createdSince)
	if err != nil {
		return nil, fmt.Errorf("loading the watch set: %w", err)
	}
	return entries, nil
}

// New returns an indexer for cfg. heads is the chain's head tracker (its Poll is called by Step).
func New(cfg chain.Config, rpc RPC, pool *pgxpool.Pool, payments *payment.Service, heads *HeadTracker, m *Metrics, log *slog.Logger, o Options) *Indexer {
	if o.BatchBlocks == 0 {
		o.BatchBlocks = 500
	}
	if o.PollInterval == 0 {
		o.PollInterval = cfg.BlockTime
	}
	if o.Window == 0 {
		o.Window = 256
	}
	if o.AddressChunk == 0 {
		o.AddressChunk = 1000
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.WatchRefresh == 0 {
		o.WatchRefresh = 30 * time.Second
	}
	ix := &Indexer{cfg: cfg, rpc: rpc, store: store{pool}, payments: payments, heads: heads, m: m,
		log: log.With("chain", cfg.Key), o: o, proxies: map[common.Address]bool{}, tokens: map[common.Address]bool{}}
	ix.gasTanks = map[common.Address]bool{}
	for _, a := range cfg.GasTanks {
		ix.gasTanks[a] = true
	}
	for _, p := range cfg.FeeProxies {
		ix.proxies[p.Address] = true
	}
	for _, t := range cfg.Tokens {
		ix.tokens[t.Address] = true
	}
	return ix
}

// Run steps until ctx ends. A halt keeps the process up (metrics, status) but stops crediting.
func (ix *Indexer) Run(ctx context.Context, wake <-chan struct{}) error {
	for {
		progressed, err := ix.Step(ctx)
		switch {
		case ctx.Err() != nil:
			return nil
		case errors.Is(err, ErrHalted):
			// Stay halted; look again now and then whether an operator resumed.
			progressed = false
		case err != nil:
			ix.stepFailed(ctx, err)
		default:
			ix.lastErr = ""
		}
		if progressed {
			continue
		}
		t := time.NewTimer(ix.o.PollInterval)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-wake:
			t.Stop()
		case <-t.C:
		}
	}
}

// Step polls the heads, ingests the next range (or handles a reorg), and credits what became
// final. progressed says there may be more to do at once.
func (ix *Indexer) Step(ctx context.Context) (progressed bool, err error) {
	if err := ix.heads.Poll(ctx); err != nil {
		return false, err
	}
	h := ix.heads.Heads()
	cp, err := ix.checkpoint(ctx)
	if err != nil {
		return false, err
	}
	ix.m.halted.WithLabelValues(ix.cfg.Key).Set(b2f(cp.Halted))
	stalled := ix.o.Now().Sub(h.FinalizedAt) > time.Duration(ix.cfg.FinalityStall) && ix.cfg.Finality == chain.FinalityTag
	ix.m.stalled.WithLabelValues(ix.cfg.Key).Set(b2f(stalled))
	if cp.Halted {
		_ = ix.report(ctx, h, cp)
		return false, fmt.Errorf("%w on chain %s: %s", ErrHalted, ix.cfg.Key, cp.HaltReason)
	}
	switch {
	case h.Latest > cp.Processed:
		// What became final is credited first, so that deposits credited as they are seen
		// (ingest) come after every earlier event of their payments.
		if err := ix.confirm(ctx, h, cp); err != nil {
			return false, err
		}
		progressed, err = ix.ingest(ctx, cp, h.Latest, ix.SafeBlock(h))
	case h.Latest == cp.Processed:
		// Nothing new: make sure the tip is still the one followed (a reorg to a branch of the
		// same height, possibly while the indexer was down, shows only here).
		var tip []chain.Block
		if tip, err = ix.rpc.Blocks(ctx, cp.Processed, cp.Processed, false); err == nil && tip[0].Hash != cp.ProcessedHash {
			progressed, err = true, ix.reorg(ctx, cp, tip[0])
		}
	}
	if err != nil {
		return false, err
	}
	if cp, err = ix.checkpoint(ctx); err != nil {
		return false, err
	}
	ix.m.processed.WithLabelValues(ix.cfg.Key).Set(float64(cp.Processed))
	ix.m.lag.WithLabelValues(ix.cfg.Key).Set(float64(h.Latest) - float64(cp.Processed))
	if err := ix.rescans(ctx, cp); err != nil {
		return progressed, err
	}
	if err := ix.confirm(ctx, h, cp); err != nil {
		return progressed, err
	}
	return progressed, ix.report(ctx, h, cp)
}

// SafeBlock is the highest block this chain may credit now.
func (ix *Indexer) SafeBlock(h Heads) uint64 {
	if ix.cfg.Finality == chain.FinalityDepth {
		if h.Latest < ix.cfg.DepthFloor {
			return 0
		}
		return h.Latest - ix.cfg.DepthFloor
	}
	return h.SafeDepth(ix.cfg.Chain)
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func (ix *Indexer) checkpoint(ctx context.Context) (Checkpoint, error) {
	cp, found, err := LoadCheckpoint(ctx, ix.store.pool, ix.cfg.ID)
	if err != nil || found {
		return cp, err
	}
	// First run: start just below the first block that can hold a payment.
	start := max(ix.cfg.FirstBlock(), 1) - 1
	hdr, err := ix.rpc.HeaderByNumber(ctx, new(big.Int).SetUint64(start))
	if err != nil {
		return cp, fmt.Errorf("reading start block %d: %w", start, err)
	}
	if err := ix.store.initCheckpoint(ctx, ix.cfg.ID, start, hdr.Hash(), hdr.ParentHash); err != nil {
		return cp, err
	}
	cp, _, err = LoadCheckpoint(ctx, ix.store.pool, ix.cfg.ID)
	return cp, err
}

// ingest fetches blocks processed+1 … min(latest, +batch), checks they extend the followed
// chain, matches their events and moves the checkpoint.
func (ix *Indexer) ingest(ctx context.Context, cp Checkpoint, latest, safe uint64) (bool, error) {
	from := cp.Processed + 1
	r, err := ix.readAhead(ctx, from, min(latest, cp.Processed+ix.o.BatchBlocks))
	if err != nil {
		return false, err
	}
	blocks, w, logs, to := r.blocks, r.w, r.logs, r.to
	ix.m.fullBlocks.WithLabelValues(ix.cfg.Key).Set(b2f(r.full))
	if blocks[0].ParentHash != cp.ProcessedHash {
		return true, ix.reorg(ctx, cp, blocks[0])
	}
	if err := ix.orphanStale(ctx, blocks); err != nil {
		return false, err
	}
	// Backfill: read the next range while this one is recorded.
	if to < latest {
		ix.startAhead(ctx, to+1, min(latest, to+ix.o.BatchBlocks))
	}
	ix.watchN = w.Len()
	ix.m.watch.WithLabelValues(ix.cfg.Key).Set(float64(w.Len()))
	matches := match(matchInput{chainID: ix.cfg.ID, native: r.full, blocks: blocks, logs: logs,
		proxies: ix.proxies, tokens: ix.tokens, escrow: ix.cfg.Escrow, escrows: r.escrows, gasTanks: ix.gasTanks}, w)
	times := map[uint64]uint64{}
	for _, b := range blocks {
		times[b.Number] = b.Time
	}
	// Deposits in final blocks are credited as they are recorded, unless an escrow event is among
	// the matches: those are applied by confirm, and a deposit after one must wait for it.
	final := safe
	if slices.ContainsFunc(matches, func(m Match) bool { return m.Escrow != nil }) {
		final = 0
	}
	if err := ix.record(ctx, matches, times, final); err != nil {
		return false, err
	}
	if err := ix.store.advance(ctx, ix.cfg.ID, cp.Processed, blocks); err != nil {
		return false, err
	}
	ix.m.blocks.WithLabelValues(ix.cfg.Key).Add(float64(len(blocks)))
	return to < latest, nil
}

// readAhead returns the range from … to: the one read in the background if it starts at from,
// else a fresh read. A background read that no longer fits (a reorg moved the checkpoint) is
// waited for and dropped.
func (ix *Indexer) readAhead(ctx context.Context, from, to uint64) (rangeRead, error) {
	if a := ix.ahead; a != nil {
		ix.ahead = nil
		select {
		case <-a.done:
		case <-ctx.Done():
			return rangeRead{}, ctx.Err()
		}
		if a.from == from && a.err == nil && a.r.to <= to {
			return a.r, nil
		}
	}
	return ix.readRange(ctx, from, to)
}

func (ix *Indexer) startAhead(ctx context.Context, from, to uint64) {
	a := &aheadRead{from: from, done: make(chan struct{})}
	ix.ahead = a
	go func() {
		defer close(a.done)
		a.r, a.err = ix.readRange(ctx, from, to)
	}()
}

// readRange reads blocks from … to, keeps the prefix that forms one chain, then reads the watch
// set and the logs of those blocks.
func (ix *Indexer) readRange(ctx context.Context, from, to uint64) (rangeRead, error) {
	// With watch_native auto, the blocks are read with their transactions while the watch set
	// holds a native payment of this chain. The set is read after the blocks (a payment paid in
	// one of them was created, and its address handed out, before the block was mined, so it is
	// in the set): the guess comes from the last set read, and if the set read after the blocks
	// wants transactions the headers were read without, the blocks are read again, once.
	full := ix.cfg.WatchNative.Full(ix.watch.set != nil && ix.watch.set.NativeOpen(ix.cfg.ID))
	for {
		blocks, err := ix.rpc.Blocks(ctx, from, to, full)
		if err != nil {
			return rangeRead{}, err
		}
		blocks, last := consistentPrefix(blocks, to)
		w, err := ix.watchSet(ctx)
		if err != nil {
			return rangeRead{}, err
		}
		if !full && ix.cfg.WatchNative.Full(w.NativeOpen(ix.cfg.ID)) {
			full = true
			continue
		}
		return ix.readLogs(ctx, rangeRead{from: from, to: last, blocks: blocks, full: full, w: w})
	}
}

// consistentPrefix keeps the blocks that form one chain (the chain may change while it is read:
// the rest is read again in the next step) and returns them with the last one's number.
func consistentPrefix(blocks []chain.Block, to uint64) ([]chain.Block, uint64) {
	for i := 1; i < len(blocks); i++ {
		if blocks[i].ParentHash != blocks[i-1].Hash {
			return blocks[:i], blocks[i-1].Number
		}
	}
	return blocks, to
}

// readLogs reads the logs of r's blocks for r's watch set, and the payments of the escrows
// among them.
func (ix *Indexer) readLogs(ctx context.Context, r rangeRead) (rangeRead, error) {
	blocks, w, from, to := r.blocks, r.w, r.from, r.to
	hashes := make(map[uint64]common.Hash, len(blocks))
	for _, b := range blocks {
		hashes[b.Number] = b.Hash
	}
	logs, err := ix.fetchLogs(ctx, w, from, to, func(n uint64) common.Hash { return hashes[n] })
	if err != nil {
		return rangeRead{}, err
	}
	escrows, err := ix.escrowPayments(ctx, logs)
	if err != nil {
		return rangeRead{}, err
	}
	r.logs, r.escrows = logs, escrows
	return r, nil
}

// escrowPayments finds the payments of the escrows named by the escrow contract's events among
// logs. An escrow id is the funder's (the payment's deposit address) and the payment's, hashed:
// it is looked up, not decoded. The watch set cannot answer: an escrow's events come long after
// its deposit stopped being watched.
func (ix *Indexer) escrowPayments(ctx context.Context, logs []types.Log) (map[common.Hash]ledger.ID, error) {
	var ids []common.Hash
	seen := map[common.Hash]bool{}
	for _, l := range logs {
		if ix.cfg.Escrow == (common.Address{}) || l.Address != ix.cfg.Escrow || len(l.Topics) < 2 || seen[l.Topics[1]] {
			continue
		}
		seen[l.Topics[1]] = true
		ids = append(ids, l.Topics[1])
	}
	if len(ids) == 0 {
		return nil, nil
	}
	return ix.payments.EscrowPayments(ctx, ids)
}

// fetchLogs asks for the fee proxies' events filtered by watched references, Transfers of the
// configured tokens to watched deposit addresses, and the escrow contract's events.
func (ix *Indexer) fetchLogs(ctx context.Context, w *WatchSet, from, to uint64, hashAt func(uint64) common.Hash) ([]types.Log, error) {
	var queries []chain.LogQuery
	proxies := make([]common.Address, 0, len(ix.cfg.FeeProxies))
	tokens := make([]common.Address, 0, len(ix.cfg.Tokens))
	for _, t := range ix.cfg.Tokens {
		tokens = append(tokens, t.Address)
	}
	for _, p := range ix.cfg.FeeProxies {
		proxies = append(proxies, p.Address)
	}
	// A few blocks (live following) with a large watch set: one query per contract set without
	// topic filters is cheaper than one per chunk of topics; the matcher filters.
	if to-from+1 <= smallRange && len(w.deposits) > ix.o.AddressChunk {
		if len(proxies) > 0 {
			queries = append(queries, chain.LogQuery{Addresses: proxies, Topics: [][]common.Hash{{TopicERC20FeeProxy, TopicEthFeeProxy}}})
		}
		if len(tokens) > 0 {
			queries = append(queries, chain.LogQuery{Addresses: tokens, Topics: [][]common.Hash{{TopicTransfer}}})
		}
		proxies, tokens = nil, nil
	}
	for _, refs := range chunks(w.refTopics, ix.o.AddressChunk) {
		if len(proxies) > 0 {
			queries = append(queries, chain.LogQuery{Addresses: proxies,
				Topics: [][]common.Hash{{TopicERC20FeeProxy, TopicEthFeeProxy}, refs}})
		}
	}
	for _, deps := range chunks(w.deposits, ix.o.AddressChunk) {
		if len(tokens) == 0 {
			break
		}
		topics := make([]common.Hash, len(deps))
		for i, d := range deps {
			topics[i] = common.BytesToHash(d[:])
		}
		queries = append(queries, chain.LogQuery{Addresses: tokens, Topics: [][]common.Hash{{TopicTransfer}, nil, topics}})
	}
	if ix.cfg.Escrow != (common.Address{}) {
		queries = append(queries, chain.LogQuery{Addresses: []common.Address{ix.cfg.Escrow}, Topics: [][]common.Hash{escrowTopics}})
	}
	var out []types.Log
	for _, q := range queries {
		logs, err := ix.rpc.Logs(ctx, q, from, to, hashAt)
		if err != nil {
			return nil, err
		}
		out = append(out, logs...)
	}
	return out, nil
}

// smallRange is the widest range fetched without topic filters when the watch set is large.
const smallRange = 16

func chunks[T any](xs []T, n int) [][]T {
	var out [][]T
	for len(xs) > 0 {
		k := min(n, len(xs))
		out = append(out, xs[:k])
		xs = xs[k:]
	}
	return out
}

// record stores a step's matches and tells their payments: every deposit of the step in one
// payment.DetectMany, whose transactions write the deposits' observation rows too (a crash can
// never leave a pending transfer without the row through which a reorg voids it). Deposits in
// blocks at or below final (0: none), which are final and canonical already, are detected and
// credited at once (payment.DetectConfirmMany) and stored as credited. Money a payment did not ask
// for (another chain or token, or a state that takes no deposit) is kept as an exception. Doing it
// again is a no-op on both sides. An observation seen again after a reorg orphaned it (its block
// came back with the same hash) is recorded as its next incarnation, under a fresh transfer.
func (ix *Indexer) record(ctx context.Context, matches []Match, blockTimes map[uint64]uint64, final uint64) error {
	if len(matches) == 0 {
		return nil
	}
	wasQuarantined, err := ix.incarnations(ctx, matches)
	if err != nil {
		return err
	}
	sorted, err := ix.sortMatches(ctx, matches)
	if err != nil {
		return err
	}
	rows, exceptions := sorted.rows, sorted.exceptions
	// The final blocks come before the others: crediting them first keeps each payment's events
	// in chain order.
	finals, others := splitAt(sorted.deposits, final)
	now := ix.o.Now()
	for _, part := range []struct {
		deposits []Match
		credit   bool
	}{{finals, true}, {others, false}} {
		d, err := ix.detect(ctx, part.deposits, part.credit, blockTimes, now)
		if err != nil {
			return err
		}
		rows, exceptions = append(rows, d.rows...), append(exceptions, d.exceptions...)
	}
	if err := ix.recordExceptions(ctx, exceptions); err != nil {
		return err
	}
	if err := ix.store.putObservations(ctx, ix.store.pool, append(rows, exceptions...)); err != nil {
		return err
	}
	if wasQuarantined {
		// A refused orphan whose block is back is no longer quarantined.
		return ix.countQuarantined(ctx)
	}
	return nil
}

// sortedMatches are a step's matches by what becomes of them: rows to store as they are (escrow
// events, pending until final; deposits quarantined), deposits to detect, and exceptions to keep.
type sortedMatches struct {
	rows       []obsRow
	deposits   []Match
	exceptions []obsRow
}

// sortMatches reads the matches' payments and the native transfers' receipts, and sorts the
// matches: an escrow event of one of our payments is stored pending (one of someone else's
// escrows is dropped), a reverted native transfer is dropped, money on another chain or in
// another token is an exception, the rest are deposits.
func (ix *Indexer) sortMatches(ctx context.Context, matches []Match) (sortedMatches, error) {
	var out sortedMatches
	ids := make([]ledger.ID, 0, len(matches))
	for _, m := range matches {
		ids = append(ids, m.PaymentID)
	}
	payments, err := ix.payments.GetMany(ctx, ids)
	if err != nil {
		return out, err
	}
	succeeded, err := ix.nativeSucceeded(ctx, matches)
	if err != nil {
		return out, err
	}
	for _, m := range matches {
		p := payments[m.PaymentID]
		if m.Escrow != nil {
			if p != nil { // else an escrow of someone else's making
				ix.m.observations.WithLabelValues(ix.cfg.Key, m.Kind, StatePending).Inc()
				out.rows = append(out.rows, obsRow{Match: m, state: StatePending})
			}
			continue
		}
		if p == nil {
			return out, fmt.Errorf("payment %s of %s: %w", m.PaymentID, m.Obs.TxHash.Hex(), payment.ErrNotFound)
		}
		if m.Kind == KindNative && !succeeded[m.Obs.TxHash] {
			continue
		}
		switch {
		case p.ChainID != ix.cfg.ID:
			out.exceptions = append(out.exceptions, obsRow{Match: m, state: StateException, note: fmt.Sprintf("wrong chain: payment is on chain %d", p.ChainID)})
		case p.Token != m.Obs.Token:
			out.exceptions = append(out.exceptions, obsRow{Match: m, state: StateException, note: fmt.Sprintf("wrong token: payment asks for %s", p.Token.Hex())})
		default:
			out.deposits = append(out.deposits, m)
		}
	}
	return out, nil
}

// splitAt splits deposits into those in blocks at or below final and the others.
func splitAt(deposits []Match, final uint64) (finals, others []Match) {
	for _, m := range deposits {
		if m.Obs.BlockNumber <= final {
			finals = append(finals, m)
		} else {
			others = append(others, m)
		}
	}
	return finals, others
}

// detect tells deposits to their payments (detected, and credited too when credit is set: their
// blocks are final), their observation rows written in the same transactions. It returns the
// rows still to store: deposits the payment refused for its state become exceptions, deposits it
// refused for another reason are quarantined. now is when they were seen (the latency metric).
func (ix *Indexer) detect(ctx context.Context, deposits []Match, credit bool, blockTimes map[uint64]uint64, now time.Time) (sortedMatches, error) {
	var out sortedMatches
	if len(deposits) == 0 {
		return out, nil
	}
	detections := make([]payment.Detection, len(deposits))
	for i, m := range deposits {
		detections[i] = payment.Detection{Payment: m.PaymentID, Obs: m.Obs}
	}
	res, err := eachAlone(ctx, detections, ix.detector(credit, deposits))
	if err != nil {
		return out, err
	}
	if ix.hooks.afterDetect != nil {
		if err := ix.hooks.afterDetect(); err != nil {
			return out, err
		}
	}
	state, op := StatePending, OpDetect
	if credit {
		state, op = StateCredited, OpCredit
	}
	for i, r := range res {
		m := deposits[i]
		var te *payment.TransitionError
		switch {
		case errors.As(r.Err, &te):
			out.exceptions = append(out.exceptions, obsRow{Match: m, state: StateException, note: fmt.Sprintf("arrived while the payment was %s", te.From)})
		case r.Err != nil:
			// Quarantined; if its detection was applied (a credit refused), its row was written
			// as pending with it and becomes quarantined now.
			ix.noteQuarantine(m.PaymentID, m.Obs, op, r.Err)
			out.rows = append(out.rows, obsRow{Match: m, state: StateQuarantined, note: r.Err.Error(), op: op})
		default:
			// Its row was written with the detection.
			ix.m.observations.WithLabelValues(ix.cfg.Key, m.Kind, state).Inc()
			if credit {
				ix.m.credits.WithLabelValues(ix.cfg.Key).Inc()
			}
			if t := blockTimes[m.Obs.BlockNumber]; t > 0 {
				ix.m.detectLatency.WithLabelValues(ix.cfg.Key).Observe(now.Sub(time.Unix(int64(t), 0)).Seconds())
			}
		}
	}
	return out, nil
}

// recordExceptions keeps money a payment did not ask for with package payment
// (payment.RecordException), for an operator.
func (ix *Indexer) recordExceptions(ctx context.Context, exceptions []obsRow) error {
	for _, e := range exceptions {
		token := e.Obs.Token
		if token == chain.NativeToken {
			token = common.Address{}
		}
		if err := ix.payments.RecordException(ctx, payment.Exception{PaymentID: e.PaymentID.String(), ChainID: ix.cfg.ID, Token: token,
			Amount: e.Obs.Amount, TxHash: e.Obs.TxHash, LogIndex: e.Obs.LogIndex, Reason: e.note}); err != nil {
			return err
		}
		ix.m.observations.WithLabelValues(ix.cfg.Key, e.Kind, StateException).Inc()
		ix.log.Warn("deposit exception", "payment_id", e.PaymentID, "tx", e.Obs.TxHash, "block", e.Obs.BlockNumber, "reason", e.note)
	}
	return nil
}

// detector is payment.DetectMany (or DetectConfirmMany, for deposits in final blocks) writing the
// observation rows of the deposits in the transactions that detect them: pending, or credited.
func (ix *Indexer) detector(credit bool, deposits []Match) func(context.Context, []payment.Detection) ([]payment.Result, error) {
	byKey := make(map[obsKey]Match, len(deposits))
	for _, m := range deposits {
		byKey[keyOf(m.Obs)] = m
	}
	return func(ctx context.Context, ds []payment.Detection) ([]payment.Result, error) {
		rec := func(ctx context.Context, tx pgx.Tx, items []payment.Recorded) error {
			rows := make([]obsRow, len(items))
			for k, it := range items {
				d := ds[it.Item]
				m := byKey[keyOf(d.Obs)]
				state := StatePending
				if it.Credited {
					state = StateCredited
				}
				rows[k] = obsRow{Match: m, state: state, transfer: d.Obs.TransferID()}
			}
			return ix.store.putObservations(ctx, tx, rows)
		}
		if credit {
			return ix.payments.DetectConfirmManyRecording(ctx, ds, rec)
		}
		return ix.payments.DetectManyRecording(ctx, ds, rec)
	}
}

// incarnations numbers the matches seen before: one stored as orphaned (a reorg removed its block,
// which is back with the same hash) is seen again as its next incarnation, the others as the one
// stored, so that seeing them again is a no-op. quarantined says whether one of them is stored
// as quarantined.
func (ix *Indexer) incarnations(ctx context.Context, matches []Match) (quarantined bool, err error) {
	obs := make([]payment.Observation, len(matches))
	for i, m := range matches {
		obs[i] = m.Obs
	}
	seen, err := ix.store.seen(ctx, ix.cfg.ID, obs)
	if err != nil {
		return false, err
	}
	for i, m := range matches {
		if sb, ok := seen[keyOf(m.Obs)]; ok {
			quarantined = quarantined || sb.state == StateQuarantined
			matches[i].Obs.Incarnation = sb.incarnation
			if sb.state == StateOrphaned {
				matches[i].Obs.Incarnation++
				ix.log.Info("an orphaned observation's block is back: recording it again", "payment_id", m.PaymentID,
					"tx", m.Obs.TxHash.Hex(), "block", m.Obs.BlockNumber, "incarnation", matches[i].Obs.Incarnation)
			}
		}
	}
	return quarantined, nil
}

func keyOf(o payment.Observation) obsKey { return obsKey{o.BlockHash, o.TxHash, o.LogIndex} }

// nativeSucceeded reads the receipts of the native transfers among matches, in JSON-RPC batches
// of receiptBatch, and reports which transactions succeeded: a reverted transaction moved no value.
func (ix *Indexer) nativeSucceeded(ctx context.Context, matches []Match) (map[common.Hash]bool, error) {
	var native []Match
	seen := map[common.Hash]bool{}
	for _, m := range matches {
		if m.Kind == KindNative && m.Escrow == nil && !seen[m.Obs.TxHash] {
			seen[m.Obs.TxHash] = true
			native = append(native, m)
		}
	}
	ok := make(map[common.Hash]bool, len(native))
	for _, part := range chunks(native, receiptBatch) {
		rs := make([]*types.Receipt, len(part))
		elems := make([]rpc.BatchElem, len(part))
		var highest uint64
		for i, m := range part {
			elems[i] = rpc.BatchElem{Method: "eth_getTransactionReceipt", Args: []any{m.Obs.TxHash}, Result: &rs[i]}
			highest = max(highest, m.Obs.BlockNumber)
		}
		if err := ix.rpc.Batch(ctx, highest, elems); err != nil {
			return nil, err
		}
		for i, m := range part {
			if r := rs[i]; r == nil || r.BlockHash != m.Obs.BlockHash {
				return nil, fmt.Errorf("receipt of %s: not in block %s on this endpoint", m.Obs.TxHash.Hex(), m.Obs.BlockHash.Hex())
			}
			ok[m.Obs.TxHash] = rs[i].Status == types.ReceiptStatusSuccessful
		}
	}
	return ok, nil
}

// receiptBatch is the most receipts asked for in one JSON-RPC batch.
const receiptBatch = 100

// reorg handles a block whose parent is not the followed block: it confirms the mismatch on the
// node, walks back to the common ancestor, moves the checkpoint back and then voids the
// observations of the orphaned blocks, so the next step re-fetches the new branch. A reorg reaching a credited
// observation (or below the kept window) halts the chain instead and changes nothing.
func (ix *Indexer) reorg(ctx context.Context, cp Checkpoint, next chain.Block) error {
	// A node that lags or is mid-switch can answer inconsistently: read the followed block again
	// before believing it is gone.
	again, err := ix.rpc.Blocks(ctx, cp.Processed, cp.Processed, false)
	if err != nil {
		return err
	}
	if again[0].Hash == cp.ProcessedHash {
		ix.log.Info("parent mismatch not confirmed on a second read; retrying", "block", next.Number)
		return nil
	}
	lowest, ok, err := ix.store.lowestBlock(ctx, ix.cfg.ID)
	if err != nil {
		return err
	}
	if !ok {
		lowest = cp.Processed
	}
	ancestor, ancestorHash, found := uint64(0), common.Hash{}, false
	for top := cp.Processed; !found; {
		bottom := max(lowest, top-min(top, 31))
		stored, err := ix.store.blockHashes(ctx, ix.cfg.ID, bottom, top)
		if err != nil {
			return err
		}
		remote, err := ix.rpc.Blocks(ctx, bottom, top, false)
		if err != nil {
			return err
		}
		for i := len(remote) - 1; i >= 0; i-- {
			if h, ok := stored[remote[i].Number]; ok && h == remote[i].Hash {
				ancestor, ancestorHash, found = remote[i].Number, h, true
				break
			}
		}
		if found {
			break
		}
		if bottom <= lowest {
			return ix.haltChain(ctx, ix.noAncestor(cp, lowest, stored[lowest], remote), nil)
		}
		top = bottom - 1
	}
	depth := cp.Processed - ancestor
	ix.m.reorgs.WithLabelValues(ix.cfg.Key, depthBucket(depth)).Inc()
	ix.m.reorgDepth.WithLabelValues(ix.cfg.Key).Observe(float64(depth))
	orphaned, err := ix.store.observations(ctx, ix.cfg.ID, ancestor+1, cp.Processed, StatePending, StateCredited, StateApplied, StateException, StateRejected)
	if err != nil {
		return err
	}
	var final []observation
	for _, o := range orphaned {
		if o.State == StateCredited || o.State == StateApplied {
			final = append(final, o)
		}
	}
	if len(final) > 0 {
		reason := fmt.Sprintf("reorg of depth %d (ancestor %d) removes %d credited observation(s), first in block %d tx %s",
			depth, ancestor, len(final), final[0].Obs.BlockNumber, final[0].Obs.TxHash.Hex())
		return ix.haltChain(ctx, reason, final)
	}
	ix.log.Warn("reorg", "depth", depth, "ancestor", ancestor, "followed", cp.ProcessedHash.Hex(), "new_parent", next.ParentHash.Hex(),
		"orphaned_observations", len(orphaned))
	// The checkpoint moves back first: a crash before the orphaned observations are all voided
	// leaves them above it, where the next fetch of their heights orphans them (orphanStale) or,
	// their block back with the same hash, finds them still pending. The other way round, a crash
	// after the voids left a block whose deposit was voided on the followed chain; if the block
	// came back with the same hash, nothing looked at it again and the deposit was never credited.
	if err := ix.store.rewind(ctx, ix.cfg.ID, cp.Processed, ancestor, ancestorHash); err != nil {
		return err
	}
	return ix.orphan(ctx, orphaned, fmt.Sprintf("reorg at block %d", ancestor+1))
}

// orphan marks observations whose blocks a reorg removed as orphaned, voiding the pending
// transfers of the deposits among them (voidDeposit; a payment refusing it is quarantined, the
// block is gone whatever it says) and dropping the exceptions among them (orphanExceptions).
func (ix *Indexer) orphan(ctx context.Context, obs []observation, note string) error {
	var exceptions []observation
	for _, o := range obs {
		if o.State == StateException {
			exceptions = append(exceptions, o)
			continue
		}
		if o.State == StatePending && o.Escrow == nil && !isEscrowKind(o.Kind) {
			if quarantined, err := ix.voidDeposit(ctx, o, note); err != nil {
				return err
			} else if quarantined {
				continue
			}
		} else if err := ix.store.setState(ctx, o.Obs, StateOrphaned, note); err != nil {
			return err
		}
		ix.m.observations.WithLabelValues(ix.cfg.Key, o.Kind, StateOrphaned).Inc()
		if ix.hooks.afterOrphan != nil {
			if err := ix.hooks.afterOrphan(); err != nil {
				return err
			}
		}
	}
	return ix.orphanExceptions(ctx, exceptions, note)
}

// voidDeposit orphans a pending deposit's observation: its payment voids the pending transfer
// (payment.OrphanRecording) and the row is marked orphaned in the same transaction, so that no
// crash leaves the row pending over a voided transfer (its block back with the same hash would
// then be taken for the same pending deposit, and the voided transfer posted at finality: refused,
// the money never credited). A payment refusing the void is quarantined (quarantined true).
func (ix *Indexer) voidDeposit(ctx context.Context, o observation, note string) (quarantined bool, err error) {
	_, err = ix.payments.OrphanRecording(ctx, o.PaymentID, o.Obs.TransferID(), func(ctx context.Context, tx pgx.Tx) error {
		return ix.store.setStateIn(ctx, tx, o.Obs, StateOrphaned, note)
	})
	if poisoned(err) {
		return true, ix.quarantine(ctx, o, OpOrphan, err)
	}
	return false, err
}

// orphanExceptions marks exceptions whose blocks a reorg removed as orphaned and drops their
// deposit_exceptions rows (payment.DropExceptions), in one transaction: money that never arrived
// is nothing to recover. A row stays while another block, not orphaned, still shows the same log
// as an exception (the transaction mined again and seen there first): it is that one's now.
func (ix *Indexer) orphanExceptions(ctx context.Context, obs []observation, note string) error {
	if len(obs) == 0 {
		return nil
	}
	elsewhere, err := ix.store.exceptionsElsewhere(ctx, ix.cfg.ID, obs)
	if err != nil {
		return err
	}
	var keys []payment.ExceptionKey
	for _, o := range obs {
		if !elsewhere[txLog{o.Obs.TxHash, o.Obs.LogIndex}] {
			keys = append(keys, payment.ExceptionKey{ChainID: ix.cfg.ID, TxHash: o.Obs.TxHash, LogIndex: o.Obs.LogIndex})
		}
	}
	dropped, err := ix.payments.DropExceptions(ctx, keys, func(ctx context.Context, tx pgx.Tx) error {
		return ix.store.setStates(ctx, tx, obs, StateOrphaned, note)
	})
	if err != nil {
		return err
	}
	ix.log.Info("exceptions in orphaned blocks dropped", "orphaned", len(obs), "dropped", dropped, "first_tx", obs[0].Obs.TxHash.Hex())
	for _, o := range obs {
		ix.m.observations.WithLabelValues(ix.cfg.Key, o.Kind, StateOrphaned).Inc()
	}
	return nil
}

// orphanStale deals with the observations in the blocks just fetched that were seen in other
// blocks of the same heights: a step recorded them and ended before moving the checkpoint (a
// crash, a failed statement), and a reorg replaced their blocks meanwhile. Above the checkpoint,
// no walk back finds them, so they are handled here as a reorg would: pending ones orphaned (their
// transfers voided), exceptions and rejected events orphaned, and a credited or applied one halts
// the chain.
func (ix *Indexer) orphanStale(ctx context.Context, blocks []chain.Block) error {
	seen, err := ix.store.observations(ctx, ix.cfg.ID, blocks[0].Number, blocks[len(blocks)-1].Number,
		StatePending, StateCredited, StateApplied, StateException, StateRejected)
	if err != nil || len(seen) == 0 {
		return err
	}
	hashes := make(map[uint64]common.Hash, len(blocks))
	for _, b := range blocks {
		hashes[b.Number] = b.Hash
	}
	var stale, final []observation
	for _, o := range seen {
		if hashes[o.Obs.BlockNumber] != o.Obs.BlockHash {
			stale = append(stale, o)
			if o.State == StateCredited || o.State == StateApplied {
				final = append(final, o)
			}
		}
	}
	if len(final) > 0 {
		reason := fmt.Sprintf("block %d was replaced before the step that credited %d observation(s) in it finished, first tx %s",
			final[0].Obs.BlockNumber, len(final), final[0].Obs.TxHash.Hex())
		return ix.haltChain(ctx, reason, final)
	}
	if len(stale) == 0 {
		return nil
	}
	ix.log.Warn("observations of an unfinished step are in blocks a reorg replaced", "orphaned_observations", len(stale),
		"first_block", stale[0].Obs.BlockNumber, "first_tx", stale[0].Obs.TxHash.Hex())
	return ix.orphan(ctx, stale, "its block was replaced before the step that saw it finished")
}

// noAncestor says why no common ancestor was found: a reorg deeper than the window only if the
// window was really kept; fewer blocks kept than the window means they were pruned or lost (or
// the node serves another chain), which a halt must not blame on a reorg.
func (ix *Indexer) noAncestor(cp Checkpoint, lowest uint64, storedLowest common.Hash, remote []chain.Block) string {
	kept := cp.Processed - lowest + 1
	nodeLowest := "unknown"
	for _, b := range remote {
		if b.Number == lowest {
			nodeLowest = b.Hash.Hex()
		}
	}
	where := fmt.Sprintf("followed %d %s; node head %d; block %d kept as %s, the node has %s", cp.Processed,
		cp.ProcessedHash.Hex(), ix.heads.Heads().Latest, lowest, storedLowest.Hex(), nodeLowest)
	if kept >= ix.o.Window {
		return fmt.Sprintf("reorg deeper than the kept window: none of the %d blocks kept (%d–%d) is on the node's chain (%s)",
			kept, lowest, cp.Processed, where)
	}
	return fmt.Sprintf("no common ancestor among the %d blocks kept (%d–%d), fewer than the window of %d: not a reorg known to "+
		"be deeper than the window; the kept blocks were pruned or lost, or the node follows another chain (%s)",
		kept, lowest, cp.Processed, ix.o.Window, where)
}

func isEscrowKind(k string) bool { return len(k) > 7 && k[:7] == "escrow_" }

func (ix *Indexer) haltChain(ctx context.Context, reason string, evidence []observation) error {
	ix.m.halted.WithLabelValues(ix.cfg.Key).Set(1)
	attrs := []any{"reason", reason}
	for i, o := range evidence {
		attrs = append(attrs, fmt.Sprintf("credited_%d", i), fmt.Sprintf("payment %s block %d %s tx %s log %d amount %s",
			o.PaymentID, o.Obs.BlockNumber, o.Obs.BlockHash.Hex(), o.Obs.TxHash.Hex(), o.Obs.LogIndex, o.Obs.Amount))
	}
	ix.log.Error("CRITICAL: crediting halted", attrs...)
	if err := ix.store.halt(ctx, ix.cfg.ID, reason); err != nil {
		return err
	}
	return fmt.Errorf("%w on chain %s: %s", ErrHalted, ix.cfg.Key, reason)
}

// confirm credits pending observations at or below the safe block whose block is still the one
// followed and the one the node has: their pending transfers are posted, escrow events applied.
func (ix *Indexer) confirm(ctx context.Context, h Heads, cp Checkpoint) error {
	safe := ix.SafeBlock(h)
	ix.m.safe.WithLabelValues(ix.cfg.Key).Set(float64(safe))
	limit := min(safe, cp.Processed)
	if limit == 0 {
		return nil
	}
	pending, err := ix.store.observations(ctx, ix.cfg.ID, 0, limit, StatePending)
	if err != nil {
		return err
	}
	if len(pending) > 0 {
		lo, hi := pending[0].Obs.BlockNumber, pending[len(pending)-1].Obs.BlockNumber
		stored, err := ix.store.blockHashes(ctx, ix.cfg.ID, lo, hi)
		if err != nil {
			return err
		}
		remote, err := ix.canonicalHashes(ctx, pending)
		if err != nil {
			return err
		}
		// Deposits are credited in batches (payment.ConfirmMany); an escrow event or an orphan
		// first credits what came before it, so every payment sees its events in chain order.
		var batch []observation
		flush := func() error {
			err := ix.creditAll(ctx, batch)
			batch = batch[:0]
			return err
		}
		for _, o := range pending {
			n := o.Obs.BlockNumber
			switch {
			case stored[n] == o.Obs.BlockHash && remote[n] == o.Obs.BlockHash:
				if !isEscrowKind(o.Kind) {
					batch = append(batch, o)
					continue
				}
				if err := flush(); err != nil {
					return err
				}
				if err := ix.applyEscrow(ctx, o); err != nil {
					return err
				}
			case stored[n] != o.Obs.BlockHash && stored[n] != (common.Hash{}) && remote[n] == stored[n]:
				// Seen in a block that is not on the followed chain (a rescan raced a reorg).
				if err := flush(); err != nil {
					return err
				}
				if err := ix.orphanNotCanonical(ctx, o); err != nil {
					return err
				}
			default:
				// The node and the followed chain disagree at a final height: the next ingest
				// step sees the reorg (and halts if it reaches credits). Never credit meanwhile.
				ix.log.Warn("final block disagrees with the node; not crediting", "block", n,
					"observed", o.Obs.BlockHash.Hex(), "followed", stored[n].Hex(), "node", remote[n].Hex())
			}
		}
		if err := flush(); err != nil {
			return err
		}
	}
	// The window is kept below what was processed as well as below what is final: a checkpoint
	// that stands still (a step failing) must still find its common ancestor in a reorg.
	if keep := min(safe, cp.Processed); keep > ix.o.Window {
		return ix.store.prune(ctx, ix.cfg.ID, keep-ix.o.Window)
	}
	return nil
}

// orphanNotCanonical orphans a pending observation found final in a block that is not on the
// followed chain, voiding its pending transfer (a payment refusing it is quarantined).
func (ix *Indexer) orphanNotCanonical(ctx context.Context, o observation) error {
	const note = "block not canonical at finality"
	if !isEscrowKind(o.Kind) {
		_, err := ix.voidDeposit(ctx, o, note)
		return err
	}
	return ix.store.setState(ctx, o.Obs, StateOrphaned, note)
}

// creditAll posts the pending transfers of final deposits, all in one payment.ConfirmMany, and
// marks their observations credited in one statement.
func (ix *Indexer) creditAll(ctx context.Context, obs []observation) error {
	if len(obs) == 0 {
		return nil
	}
	cs := make([]payment.Confirmation, len(obs))
	byTransfer := make(map[ledger.ID]observation, len(obs))
	for i, o := range obs {
		cs[i] = payment.Confirmation{Payment: o.PaymentID, Obs: o.Obs.TransferID()}
		byTransfer[cs[i].Obs] = o
	}
	// The items posted are marked credited in the transactions that post them, so that a later
	// reorg reaching them halts the chain instead of trying to void them, even after a crash.
	confirm := func(ctx context.Context, cs []payment.Confirmation) ([]payment.Result, error) {
		return ix.payments.ConfirmManyRecording(ctx, cs, func(ctx context.Context, tx pgx.Tx, items []payment.Recorded) error {
			posted := make([]observation, len(items))
			for k, it := range items {
				posted[k] = byTransfer[cs[it.Item].Obs]
			}
			return ix.store.setStates(ctx, tx, posted, StateCredited, "")
		})
	}
	res, err := eachAlone(ctx, cs, confirm)
	if err != nil {
		return err
	}
	if ix.hooks.afterCredit != nil {
		if err := ix.hooks.afterCredit(); err != nil {
			return err
		}
	}
	// An item its payment refused is quarantined: the others go on.
	credited := make([]observation, 0, len(obs))
	for i, r := range res {
		if r.Err != nil {
			if err := ix.quarantine(ctx, obs[i], OpConfirm, r.Err); err != nil {
				return err
			}
			continue
		}
		credited = append(credited, obs[i])
	}
	ix.m.credits.WithLabelValues(ix.cfg.Key).Add(float64(len(credited)))
	for _, o := range credited {
		ix.m.observations.WithLabelValues(ix.cfg.Key, o.Kind, StateCredited).Inc()
	}
	return nil
}

// applyEscrow moves a payment along on a final AmnEscrow event: Funded (swept), Released,
// Refunded, Settled (a dispute's split), Reclaimed (the buyer took the escrow back) and Frozen
// (disputed on chain). Unfrozen is
// recorded only (a dispute ends by its resolution). An event the payment's state does not allow
// (or a Funded event that is not the payment's own sweep)
// is kept as rejected with the reason, for an operator, and moves nothing.
func (ix *Indexer) applyEscrow(ctx context.Context, o observation) error {
	var err error
	switch o.Kind {
	case "escrow_funded":
		f, ok := escrowFunded(o.Escrow)
		if !ok {
			return ix.store.setState(ctx, o.Obs, StateRejected, "a Funded event stored without its terms: compare the escrow on chain with the payment")
		}
		// Only the payment's own sweep moves it: payment.Swept compares funder, escrow, token,
		// amount, buyer and seller with the payment and refuses anything else.
		_, err = ix.payments.Swept(ctx, o.PaymentID, f)
	case "escrow_released":
		_, err = ix.payments.Released(ctx, o.PaymentID)
	case "escrow_refunded":
		_, err = ix.payments.Refunded(ctx, o.PaymentID)
	case "escrow_reclaimed":
		_, err = ix.payments.Reclaimed(ctx, o.PaymentID)
	case "escrow_settled":
		e := o.Escrow
		if e == nil || e.Topic != TopicEscrowSettled || e.BuyerAmount == nil || e.SellerAmount == nil || e.FeeAmount == nil {
			return ix.store.setState(ctx, o.Obs, StateRejected, "a Settled event stored without its parts: compare the escrow on chain with the payment")
		}
		// payment.Settled checks that the parts add up to what the payment received.
		_, err = ix.payments.Settled(ctx, o.PaymentID, payment.EscrowSettled{BuyerAmount: e.BuyerAmount,
			SellerAmount: e.SellerAmount, FeeAmount: e.FeeAmount})
	case "escrow_frozen":
		_, err = ix.payments.Frozen(ctx, o.PaymentID)
	default:
		return ix.store.setState(ctx, o.Obs, StateApplied, "recorded; no payment transition")
	}
	if errors.Is(err, payment.ErrIllegalTransition) || errors.Is(err, payment.ErrEscrowMismatch) {
		ix.log.Warn("escrow event does not fit the payment", "payment_id", o.PaymentID, "kind", o.Kind, "err", err)
		return ix.store.setState(ctx, o.Obs, StateRejected, err.Error())
	}
	if poisoned(err) {
		return ix.quarantine(ctx, o, OpEscrow, err)
	}
	if err != nil {
		return err
	}
	return ix.store.setState(ctx, o.Obs, StateApplied, "")
}

// escrowFunded is a stored Funded event in the terms of package payment (the contract's
// address(0) is the chain's own currency, chain.NativeToken).
func escrowFunded(e *EscrowEvent) (payment.EscrowFunded, bool) {
	if e == nil || e.Topic != TopicEscrowFunded {
		return payment.EscrowFunded{}, false
	}
	token := e.Token
	if token == (common.Address{}) {
		token = chain.NativeToken
	}
	return payment.EscrowFunded{EscrowID: e.EscrowID, Ref: e.Ref, Funder: e.Funder, Token: token, Amount: e.Amount,
		Buyer: e.Buyer, Seller: e.Seller}, true
}

// poisoned reports whether err is one payment's failure that retrying the step will not fix: the
// payment refused the event (payment.Refused: the state machine, the observation, the ledger), or
// the database refused the payment's row (a data or integrity error: a row tampered with, a
// fault). Anything else — connections, timeouts, serialization, a cancelled context — is
// transient, and the step is tried again.
func poisoned(err error) bool {
	if err == nil {
		return false
	}
	if payment.Refused(err) {
		return true
	}
	var pg *pgconn.PgError
	if errors.As(err, &pg) && len(pg.Code) == 5 {
		switch pg.Code[:2] {
		case "22", "23": // data exception, integrity constraint violation
			return true
		}
	}
	return false
}

// eachAlone runs a batch of payment transitions; if the batch fails as a whole for a poisoned
// reason (one payment's row refused by the database), it runs the items one by one, so that the
// failure lands on the item that caused it and the others go through.
func eachAlone[T any](ctx context.Context, items []T, run func(context.Context, []T) ([]payment.Result, error)) ([]payment.Result, error) {
	res, err := run(ctx, items)
	if err == nil || !poisoned(err) {
		return res, err
	}
	out := make([]payment.Result, len(items))
	for i := range items {
		r, err := run(ctx, items[i:i+1])
		switch {
		case err == nil:
			out[i] = r[0]
		case poisoned(err):
			out[i] = payment.Result{Err: err}
		default:
			return nil, err
		}
	}
	return out, nil
}

// quarantine records that a stored observation's payment refused op, and goes on: one payment
// never stops a chain. The observation keeps the error in its note; `amn indexer requeue PAYMENT`
// retries it after a fix.
func (ix *Indexer) quarantine(ctx context.Context, o observation, op string, cause error) error {
	if err := ix.store.quarantine(ctx, o.Obs, op, cause.Error()); err != nil {
		return err
	}
	ix.noteQuarantine(o.PaymentID, o.Obs, op, cause)
	return ix.countQuarantined(ctx)
}

// noteQuarantine logs and counts a quarantine.
func (ix *Indexer) noteQuarantine(id ledger.ID, o payment.Observation, op string, cause error) {
	ix.m.quarantines.WithLabelValues(ix.cfg.Key, op).Inc()
	ix.quarantinedN++
	ix.m.quarantined.WithLabelValues(ix.cfg.Key).Set(float64(ix.quarantinedN))
	ix.log.Error("CRITICAL: payment quarantined; the chain goes on without it", "payment_id", id.String(), "op", op,
		"tx", o.TxHash.Hex(), "block", o.BlockNumber, "log_index", o.LogIndex, "amount", o.Amount, "err", cause,
		"retry", "amn indexer requeue "+id.String())
}

// countQuarantined sets amn_indexer_quarantined from the database (requeues happen elsewhere).
func (ix *Indexer) countQuarantined(ctx context.Context) error {
	n, err := ix.store.countQuarantined(ctx, ix.cfg.ID)
	if err != nil {
		return err
	}
	ix.quarantinedN = n
	ix.m.quarantined.WithLabelValues(ix.cfg.Key).Set(float64(n))
	return nil
}

// stepFailed counts and logs a failed step and shows its error in the chain's status (URLs reduced
// to their host: endpoints carry API keys).
func (ix *Indexer) stepFailed(ctx context.Context, err error) {
	ix.m.stepFailures.WithLabelValues(ix.cfg.Key).Inc()
	ix.lastErr, ix.lastErrAt = maskURLs(err.Error()), ix.o.Now()
	ix.log.Warn("indexer step failed", "err", ix.lastErr)
	cp, found, lerr := LoadCheckpoint(ctx, ix.store.pool, ix.cfg.ID)
	if lerr != nil || !found {
		return
	}
	b, jerr := json.Marshal(ix.status(ix.heads.Heads(), cp))
	if jerr != nil {
		return
	}
	_, _ = ix.store.pool.Exec(ctx, `UPDATE indexer_checkpoints SET status = $2 WHERE chain_id = $1`, ix.cfg.ID, b)
}

var urlInText = regexp.MustCompile(`[a-zA-Z][a-zA-Z0-9+.-]*://[^\s"']+`)

// maskURLs reduces every URL in s to its scheme and host.
func maskURLs(s string) string {
	return urlInText.ReplaceAllStringFunc(s, chain.EndpointLabel)
}

// canonicalHashes reads the node's current hash of every block holding one of the observations:
// one batched range when they are close together, else block by block.
func (ix *Indexer) canonicalHashes(ctx context.Context, obs []observation) (map[uint64]common.Hash, error) {
	nums := map[uint64]bool{}
	lo, hi := obs[0].Obs.BlockNumber, obs[0].Obs.BlockNumber
	for _, o := range obs {
		nums[o.Obs.BlockNumber] = true
		lo, hi = min(lo, o.Obs.BlockNumber), max(hi, o.Obs.BlockNumber)
	}
	out := make(map[uint64]common.Hash, len(nums))
	if span := hi - lo + 1; span <= 500 || span <= 4*uint64(len(nums)) {
		bs, err := ix.rpc.Blocks(ctx, lo, hi, false)
		if err != nil {
			return nil, err
		}
		for _, b := range bs {
			if nums[b.Number] {
				out[b.Number] = b.Hash
			}
		}
		return out, nil
	}
	sparse := slices.Sorted(maps.Keys(nums))
	bs, err := ix.rpc.BlocksAt(ctx, sparse, false)
	if err != nil {
		return nil, err
	}
	for _, b := range bs {
		out[b.Number] = b.Hash
	}
	return out, nil
}

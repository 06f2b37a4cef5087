// Package indexer watches one chain for payments to Amn's deposit addresses. This file holds its
// first part, the head tracker: it follows the chain's latest and finalized block numbers and
// says whether the chain is reachable and whether finality is advancing.
//
// The indexer never holds a private key and never credits money on its own judgement of depth:
// finality comes from the chain's `finalized` tag, bounded below by the chain's depth floor.
package indexer

import (
	"context"
	"fmt"
	"log/slog"
	"math/big"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/rpc"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/amanat/amn/chain"
)

// HeaderSource is the part of an RPC client the head tracker uses (*ethclient.Client has it).
type HeaderSource interface {
	HeaderByNumber(ctx context.Context, number *big.Int) (*types.Header, error)
}

// Heads is what the tracker last saw.
type Heads struct {
	Latest    uint64
	Finalized uint64
	SeenAt    time.Time // when Latest was last read successfully
	// FinalizedAt is when Finalized last advanced: a stalled finality signal must raise an alert
	// and never be worked around by crediting early.
	FinalizedAt time.Time
}

// HeadTracker polls a chain's latest and finalized headers.
type HeadTracker struct {
	chain    chain.Chain
	src      HeaderSource
	interval time.Duration
	log      *slog.Logger
	metrics  *HeadMetrics
	now      func() time.Time

	mu    sync.Mutex
	heads Heads
	err   error
}

// HeadMetrics are the head trackers' gauges and counters, labelled by chain.
type HeadMetrics struct {
	latest, finalized, finalizedAge *prometheus.GaugeVec
	errors                          *prometheus.CounterVec
}

// NewHeadMetrics registers the tracker's metrics on reg; share one value between the trackers of
// one process.
func NewHeadMetrics(reg prometheus.Registerer) *HeadMetrics {
	m := &HeadMetrics{
		latest: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "amn_chain_head_block", Help: "Latest block number seen on the chain.",
		}, []string{"chain"}),
		finalized: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "amn_chain_finalized_block", Help: "Block number of the chain's finalized tag.",
		}, []string{"chain"}),
		finalizedAge: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "amn_chain_finalized_age_seconds", Help: "Seconds since the finalized block last advanced; alert when it stalls.",
		}, []string{"chain"}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "amn_chain_rpc_errors_total", Help: "Failed RPC calls of the head tracker.",
		}, []string{"chain"}),
	}
	reg.MustRegister(m.latest, m.finalized, m.finalizedAge, m.errors)
	return m
}

// NewHeadTracker returns a tracker polling src every interval.
func NewHeadTracker(c chain.Chain, src HeaderSource, interval time.Duration, m *HeadMetrics, log *slog.Logger) *HeadTracker {
	return &HeadTracker{chain: c, src: src, interval: interval, log: log.With("chain", c.Key), metrics: m, now: time.Now}
}

// Run polls until ctx ends.
func (h *HeadTracker) Run(ctx context.Context) {
	t := time.NewTicker(h.interval)
	defer t.Stop()
	for {
		if err := h.Poll(ctx); err != nil && ctx.Err() == nil {
			h.log.Warn("head poll failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Poll reads the latest and finalized headers once.
func (h *HeadTracker) Poll(ctx context.Context) error {
	latest, err := h.src.HeaderByNumber(ctx, nil)
	if err == nil {
		var fin *types.Header
		fin, err = h.src.HeaderByNumber(ctx, big.NewInt(int64(rpc.FinalizedBlockNumber)))
		if err == nil {
			h.record(latest.Number.Uint64(), fin.Number.Uint64())
			return nil
		}
	}
	h.mu.Lock()
	h.err = err
	h.mu.Unlock()
	h.metrics.errors.WithLabelValues(h.chain.Key).Inc()
	return fmt.Errorf("%s: %w", h.chain.Key, err)
}

func (h *HeadTracker) record(latest, finalized uint64) {
	now := h.now()
	h.mu.Lock()
	defer h.mu.Unlock()
	if finalized > h.heads.Finalized || h.heads.FinalizedAt.IsZero() {
		h.heads.FinalizedAt = now
	}
	h.heads.Latest, h.heads.Finalized, h.heads.SeenAt, h.err = latest, finalized, now, nil
	h.metrics.latest.WithLabelValues(h.chain.Key).Set(float64(latest))
	h.metrics.finalized.WithLabelValues(h.chain.Key).Set(float64(finalized))
	h.metrics.finalizedAge.WithLabelValues(h.chain.Key).Set(now.Sub(h.heads.FinalizedAt).Seconds())
}

// Heads returns the last observation.
func (h *HeadTracker) Heads() Heads {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.heads
}

// Ready is a readiness check: the last poll succeeded and is recent.
func (h *HeadTracker) Ready(context.Context) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	switch {
	case h.err != nil:
		return fmt.Errorf("last RPC call failed: %v", h.err)
	case h.heads.SeenAt.IsZero():
		return fmt.Errorf("no head seen yet")
	case h.now().Sub(h.heads.SeenAt) > 5*h.interval:
		return fmt.Errorf("no head for %s", h.now().Sub(h.heads.SeenAt).Round(time.Second))
	}
	return nil
}

// SafeDepth returns the highest block that may be credited now: the finalized block, but never
// less deep than the chain's depth floor. Zero means nothing may be credited yet.
func (h Heads) SafeDepth(c chain.Chain) uint64 {
	if h.Latest < c.DepthFloor {
		return 0
	}
	return min(h.Finalized, h.Latest-c.DepthFloor)
}

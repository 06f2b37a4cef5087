package indexer

import "github.com/prometheus/client_golang/prometheus"

// Metrics are the indexer's own metrics, labelled by chain (the head tracker and the RPC pool
// have theirs).
type Metrics struct {
	processed     *prometheus.GaugeVec
	lag           *prometheus.GaugeVec
	safe          *prometheus.GaugeVec
	reorgs        *prometheus.CounterVec
	reorgDepth    *prometheus.HistogramVec
	observations  *prometheus.CounterVec
	credits       *prometheus.CounterVec
	halted        *prometheus.GaugeVec
	stalled       *prometheus.GaugeVec
	watch         *prometheus.GaugeVec
	fullBlocks    *prometheus.GaugeVec
	blocks        *prometheus.CounterVec
	detectLatency *prometheus.HistogramVec
	reconcileDiff *prometheus.GaugeVec
	quarantined   *prometheus.GaugeVec
	quarantines   *prometheus.CounterVec
	stepFailures  *prometheus.CounterVec
}

// NewMetrics registers the indexer's metrics on reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		processed: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "amn_indexer_processed_block", Help: "Last block whose events are matched and stored.",
		}, []string{"chain"}),
		lag: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "amn_indexer_lag_blocks", Help: "Head block minus the last processed block.",
		}, []string{"chain"}),
		safe: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "amn_indexer_safe_block", Help: "Highest block that may be credited now: min(finalized, head - depth floor).",
		}, []string{"chain"}),
		reorgs: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "amn_indexer_reorgs_total", Help: "Reorgs seen, by depth bucket (1, 2-4, 5-16, 17-64, 65+).",
		}, []string{"chain", "depth"}),
		reorgDepth: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "amn_indexer_reorg_depth_blocks", Help: "Depth of reorgs seen.", Buckets: []float64{1, 2, 4, 8, 16, 32, 64, 128, 256},
		}, []string{"chain"}),
		observations: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "amn_indexer_observations_total", Help: "Matched events by kind and outcome (pending, exception, orphaned, ...).",
		}, []string{"chain", "kind", "outcome"}),
		credits: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "amn_indexer_credits_total", Help: "Observations credited at finality.",
		}, []string{"chain"}),
		halted: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "amn_indexer_halted", Help: "1 when crediting on the chain is halted (a reorg reached a credited observation). Critical.",
		}, []string{"chain"}),
		stalled: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "amn_indexer_finality_stalled", Help: "1 when the finalized block has not advanced for longer than the chain's finality_stall.",
		}, []string{"chain"}),
		watch: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "amn_indexer_watched_payments", Help: "Payments in the watch set (deposit addresses and references).",
		}, []string{"chain"}),
		fullBlocks: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "amn_indexer_reading_transactions", Help: "1 while the indexer reads blocks with their transactions (watch_native: always, or auto with a native payment open), 0 while headers only.",
		}, []string{"chain"}),
		blocks: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "amn_indexer_blocks_processed_total", Help: "Blocks processed (rate() gives blocks/s).",
		}, []string{"chain"}),
		detectLatency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "amn_indexer_detect_latency_seconds", Help: "From the block's timestamp to the payment's detection.",
			Buckets: []float64{.05, .1, .25, .5, 1, 2, 5, 10, 30, 60},
		}, []string{"chain"}),
		reconcileDiff: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "amn_reconcile_difference", Help: "Sum of |on chain − ledger| over deposits and our open escrows, read at the highest block both final and fully credited, in base units; must be 0.",
		}, []string{"chain", "token"}),
		quarantined: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "amn_indexer_quarantined", Help: "Observations quarantined on the chain: their payment refused them; the chain went on. Critical: `amn payments show`, `amn indexer requeue`.",
		}, []string{"chain"}),
		quarantines: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "amn_indexer_quarantines_total", Help: "Observations quarantined, by what failed (detect, credit, confirm, orphan, escrow).",
		}, []string{"chain", "op"}),
		stepFailures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "amn_indexer_step_failures_total", Help: "Indexer steps that failed (and are retried); a halt is not counted.",
		}, []string{"chain"}),
	}
	reg.MustRegister(m.processed, m.lag, m.safe, m.reorgs, m.reorgDepth, m.observations, m.credits, m.halted, m.stalled,
		m.watch, m.fullBlocks, m.blocks, m.detectLatency, m.reconcileDiff, m.quarantined, m.quarantines, m.stepFailures)
	return m
}

func depthBucket(d uint64) string {
	switch {
	case d <= 1:
		return "1"
	case d <= 4:
		return "2-4"
	case d <= 16:
		return "5-16"
	case d <= 64:
		return "17-64"
	}
	return "65+"
}

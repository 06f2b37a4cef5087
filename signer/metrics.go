package signer

import (
	"context"
	"encoding/hex"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/amanat/amn/intent"
)

// Metrics are the signer's Prometheus series. A nil *Metrics records nothing.
type Metrics struct {
	queueDepth *prometheus.GaugeVec   // amn_signer_queue_depth{kind,state}
	results    *prometheus.CounterVec // amn_signer_intents_total{kind,result}
	verifySecs prometheus.Histogram   // amn_signer_verify_seconds
	signSecs   prometheus.Histogram   // amn_signer_signing_seconds
	signedTxs  *prometheus.CounterVec // amn_signer_transactions_signed_total{chain,step}
	replacedTx *prometheus.CounterVec // amn_signer_transactions_replaced_total{chain}
	gasUsed    *prometheus.CounterVec // amn_signer_gas_used_total{chain,step}
	gasWei     *prometheus.CounterVec // amn_signer_gas_spent_wei_total{chain,step}
	tankWei    *prometheus.GaugeVec   // amn_signer_gas_tank_balance_wei{chain}
	tankLowWei *prometheus.GaugeVec   // amn_signer_gas_tank_low_wei{chain}
	oldest     *prometheus.GaugeVec   // amn_signer_oldest_open_intent_seconds{kind}
	auditOK    prometheus.Gauge       // amn_signer_audit_chain_ok (1 ok, 0 broken)
	leader     prometheus.Gauge       // amn_signer_leader (1 while this process leads)
	epoch      prometheus.Gauge       // amn_signer_leader_epoch
	auditSeq   prometheus.Gauge       // amn_signer_audit_head_seq
	auditHash  *prometheus.GaugeVec   // amn_signer_audit_head_info{hash}
}

// NewMetrics registers the signer's series on reg.
func NewMetrics(reg prometheus.Registerer) (*Metrics, error) {
	m := &Metrics{
		queueDepth: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "amn_signer_queue_depth", Help: "Open signer intents by kind and state."}, []string{"kind", "state"}),
		results:    prometheus.NewCounterVec(prometheus.CounterOpts{Name: "amn_signer_intents_total", Help: "Intents finished, by kind and result (done, rejected)."}, []string{"kind", "result"}),
		verifySecs: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "amn_signer_verify_seconds", Help: "Time to re-verify an intent (state, ledger, chain, approvals, policy).", Buckets: prometheus.DefBuckets}),
		signSecs:   prometheus.NewHistogram(prometheus.HistogramOpts{Name: "amn_signer_signing_seconds", Help: "Time from the start of a step (estimate, nonce, sign, store) to its broadcast.", Buckets: prometheus.DefBuckets}),
		signedTxs:  prometheus.NewCounterVec(prometheus.CounterOpts{Name: "amn_signer_transactions_signed_total", Help: "Transactions signed (first attempts), by chain and step."}, []string{"chain", "step"}),
		replacedTx: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "amn_signer_transactions_replaced_total", Help: "Stuck transactions re-signed with higher fees."}, []string{"chain"}),
		gasUsed:    prometheus.NewCounterVec(prometheus.CounterOpts{Name: "amn_signer_gas_used_total", Help: "Gas used by final transactions."}, []string{"chain", "step"}),
		gasWei:     prometheus.NewCounterVec(prometheus.CounterOpts{Name: "amn_signer_gas_spent_wei_total", Help: "Native currency spent on gas by final transactions (wei; float)."}, []string{"chain", "step"}),
		tankWei:    prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "amn_signer_gas_tank_balance_wei", Help: "Gas tank (operator) balance (wei; float)."}, []string{"chain"}),
		tankLowWei: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "amn_signer_gas_tank_low_wei", Help: "Gas tank balance below which the GasTankLow alert fires."}, []string{"chain"}),
		oldest:     prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "amn_signer_oldest_open_intent_seconds", Help: "Age of the oldest open intent that the signer can act on, by kind."}, []string{"kind"}),
		auditOK:    prometheus.NewGauge(prometheus.GaugeOpts{Name: "amn_signer_audit_chain_ok", Help: "1 when the audit log (hash chain, operator signatures, the head seen last) verified at the last check, 0 when broken."}),
		auditSeq:   prometheus.NewGauge(prometheus.GaugeOpts{Name: "amn_signer_audit_head_seq", Help: "Sequence number of the last audit row verified; it never goes back unless rows were deleted."}),
		auditHash:  prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "amn_signer_audit_head_info", Help: "The last verified audit row's hash (label hash, hex), always 1: pin seq and hash elsewhere and check with amn signer audit verify --expect-head SEQ:HASH."}, []string{"hash"}),
		leader:     prometheus.NewGauge(prometheus.GaugeOpts{Name: "amn_signer_leader", Help: "1 while this signer process holds the leader lock and signs, 0 while it waits."}),
		epoch:      prometheus.NewGauge(prometheus.GaugeOpts{Name: "amn_signer_leader_epoch", Help: "The leader epoch this process took last (signer_leader)."}),
	}
	for _, c := range []prometheus.Collector{m.queueDepth, m.results, m.verifySecs, m.signSecs, m.signedTxs, m.replacedTx, m.gasUsed, m.gasWei, m.tankWei, m.tankLowWei, m.oldest, m.auditOK, m.auditSeq, m.auditHash, m.leader, m.epoch} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	// Every result from 0, so that the first one is an increase (AmnSignerSweepRejected).
	for _, k := range []intent.Kind{intent.Sweep, intent.Release, intent.Refund, intent.Settle, intent.GasTopup, intent.Freeze, intent.Unfreeze} {
		for _, r := range []intent.State{intent.Done, intent.Rejected} {
			m.results.WithLabelValues(string(k), string(r))
		}
	}
	return m, nil
}

func (m *Metrics) queue(open []*intent.Intent) {
	if m == nil {
		return
	}
	m.queueDepth.Reset()
	oldest := map[intent.Kind]float64{intent.Sweep: 0, intent.Release: 0, intent.Refund: 0, intent.Settle: 0, intent.GasTopup: 0, intent.Freeze: 0, intent.Unfreeze: 0}
	for _, in := range open {
		m.queueDepth.WithLabelValues(string(in.Kind), string(in.State)).Inc()
		if in.State == intent.AwaitingApprovals {
			continue // waiting for people, not for the signer
		}
		oldest[in.Kind] = max(oldest[in.Kind], time.Since(in.CreatedAt).Seconds())
	}
	for k, v := range oldest {
		m.oldest.WithLabelValues(string(k)).Set(v)
	}
}

func (m *Metrics) result(k intent.Kind, s intent.State) {
	if m != nil {
		m.results.WithLabelValues(string(k), string(s)).Inc()
	}
}

func (m *Metrics) verified(d time.Duration) {
	if m != nil {
		m.verifySecs.Observe(d.Seconds())
	}
}

func (m *Metrics) signed(chain, step string) {
	if m != nil {
		m.signedTxs.WithLabelValues(chain, step).Inc()
	}
}

func (m *Metrics) signing(d time.Duration) {
	if m != nil {
		m.signSecs.Observe(d.Seconds())
	}
}

func (m *Metrics) replaced(chain string) {
	if m != nil {
		m.replacedTx.WithLabelValues(chain).Inc()
	}
}

func (m *Metrics) gas(chain, step string, used uint64, cost interface{ String() string }) {
	if m == nil {
		return
	}
	m.gasUsed.WithLabelValues(chain, step).Add(float64(used))
	f, _ := parseFloat(cost.String())
	m.gasWei.WithLabelValues(chain, step).Add(f)
}

func (m *Metrics) leading(on bool, epoch int64) {
	if m == nil {
		return
	}
	if on {
		m.leader.Set(1)
		m.epoch.Set(float64(epoch))
	} else {
		m.leader.Set(0)
	}
}

// AuditVerified records the result of an audit verification and, when it passed, the head it
// verified. A broken log leaves the last good head published: the table's head is then not to be
// trusted.
func (m *Metrics) AuditVerified(head AuditHead, ok bool) {
	if m == nil {
		return
	}
	if !ok {
		m.auditOK.Set(0)
		return
	}
	m.auditOK.Set(1)
	m.auditSeq.Set(float64(head.Seq))
	m.auditHash.Reset()
	m.auditHash.WithLabelValues(hex.EncodeToString(head.Hash)).Set(1)
}

func (m *Metrics) tanks(ctx context.Context, s *Signer) {
	if m == nil {
		return
	}
	op := s.cfg.Keys.OperatorAddress()
	for _, c := range s.chains {
		bal, err := c.Client.BalanceAt(ctx, op, nil)
		if err != nil {
			continue
		}
		f, _ := parseFloat(bal.String())
		m.tankWei.WithLabelValues(c.Key).Set(f)
		if c.GasTankLow != nil {
			low, _ := parseFloat(c.GasTankLow.String())
			m.tankLowWei.WithLabelValues(c.Key).Set(low)
		}
	}
}

func parseFloat(s string) (float64, error) { return strconv.ParseFloat(s, 64) }

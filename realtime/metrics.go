package realtime

import "github.com/prometheus/client_golang/prometheus"

type metrics struct {
	connections   prometheus.Gauge
	subscriptions prometheus.Gauge
	deliveries    prometheus.Counter
	writes        prometheus.Counter
	slow          prometheus.Counter
	closes        *prometheus.CounterVec
	replay        prometheus.Histogram
	resets        prometheus.Counter
	lag           prometheus.Histogram
	dropped       prometheus.Counter
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		connections: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "amn_realtime_connections", Help: "Open WebSocket connections of this process.",
		}),
		subscriptions: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "amn_realtime_subscriptions", Help: "Room subscriptions of this process's connections.",
		}),
		deliveries: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "amn_realtime_deliveries_total", Help: "Frames written to clients (events, replays, presence, replies).",
		}),
		writes: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "amn_realtime_writes_total", Help: "WebSocket messages written to clients, each one or more frames (deliveries per write: how much was coalesced).",
		}),
		slow: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "amn_realtime_slow_clients_total", Help: "Connections closed for falling too far behind (close code 4008).",
		}),
		closes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "amn_realtime_closes_total", Help: "Connections the server closed, by close code.",
		}, []string{"code"}),
		replay: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "amn_realtime_replay_events", Help: "Events replayed per subscription that asked from a seq.",
			Buckets: []float64{0, 1, 10, 50, 100, 500, 1000},
		}),
		resets: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "amn_realtime_resets_total", Help: "Subscriptions answered with a reset (gap past the retention or the replay limit).",
		}),
		lag: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "amn_realtime_fanout_lag_seconds", Help: "From an event's insert to this process handing it to its subscribers' queues.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}),
		dropped: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "amn_realtime_ephemeral_dropped_total", Help: "Ephemeral notifications dropped as not a well-formed typing or presence frame (anyone with a database login can NOTIFY).",
		}),
	}
	reg.MustRegister(m.connections, m.subscriptions, m.deliveries, m.writes, m.slow, m.closes, m.replay, m.resets, m.lag, m.dropped)
	return m
}

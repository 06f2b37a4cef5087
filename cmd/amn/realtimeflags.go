package main

import (
	"fmt"
	"net/url"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/spf13/pflag"

	"github.com/amanat/amn/api"
	"github.com/amanat/amn/auth"
	"github.com/amanat/amn/chat"
	"github.com/amanat/amn/config"
	"github.com/amanat/amn/market"
	"github.com/amanat/amn/realtime"
)

// realtimeOptions are the WebSocket hub's settings (docs/realtime.md).
type realtimeOptions struct {
	cfg realtime.Config
}

func (o *realtimeOptions) addFlags(fs *pflag.FlagSet) {
	d := realtime.DefaultConfig()
	fs.IntVar(&o.cfg.QueueSize, "realtime-queue", d.QueueSize, "writes that may wait for one WebSocket client before it is closed as too slow (4008)")
	fs.DurationVar(&o.cfg.Coalesce, "realtime-coalesce", d.Coalesce, "a busy WebSocket client gets at most one write per this interval, with every frame that came meanwhile (negative: write each at once)")
	fs.IntVar(&o.cfg.MaxReplay, "realtime-max-replay", d.MaxReplay, "most events one subscription replays; a client further behind gets a reset")
	fs.DurationVar(&o.cfg.Retention, "realtime-retention", d.Retention, "how long room events are kept for replay")
	fs.DurationVar(&o.cfg.PresenceTTL, "realtime-presence-ttl", d.PresenceTTL, "how long a silent API process's presence counts (it beats every third of it)")
}

func (o *realtimeOptions) Validate() error {
	if o.cfg.QueueSize < 1 || o.cfg.MaxReplay < 1 || o.cfg.Retention <= 0 || o.cfg.PresenceTTL <= 0 {
		return fmt.Errorf("%w: --realtime-* settings must be positive", config.ErrInvalid)
	}
	return nil
}

// hub builds the hub on pool (the API's) for p: tokens checked by authSvc, rooms by the market and the chat,
// browser origins those of the CORS settings. It runs as one of p's runners.
func (o *realtimeOptions) hub(p *process, pool *pgxpool.Pool, authSvc *auth.Service, mkt *market.Service, chats *chat.Service, edge api.Edge) *realtime.Hub {
	cfg := o.cfg
	for _, origin := range edge.CORSOrigins {
		if u, err := url.Parse(origin); err == nil {
			cfg.Origins = append(cfg.Origins, u.Host)
		}
	}
	verify, rights := api.RealtimeAccess(authSvc, mkt, chats)
	h := realtime.New(pool, cfg, verify, rights, p.log, p.reg)
	p.runners = append(p.runners, h.Run)
	return h
}

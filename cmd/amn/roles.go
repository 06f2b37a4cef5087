package main

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/spf13/cobra"

	"github.com/amanat/amn/admin"
	"github.com/amanat/amn/api"
	"github.com/amanat/amn/chain"
	"github.com/amanat/amn/config"
	"github.com/amanat/amn/hd"
	"github.com/amanat/amn/notify"
	"github.com/amanat/amn/ops"
	"github.com/amanat/amn/payment"
	"github.com/amanat/amn/points"
	"github.com/amanat/amn/signer"
)

// opsOnly is the handler of roles without an API of their own: /healthz, /readyz, /metrics.
func opsOnly(p *process) http.Handler {
	mux := http.NewServeMux()
	ops.Handlers(mux, p.reg, p.checks)
	return mux
}

type apiOptions struct {
	commonOptions
	RedisURL        string
	RNWebhookSecret string
	DocsDir         string
	Auth            authOptions
	Edge            edgeOptions
	Market          marketOptions
	Realtime        realtimeOptions
	Content         contentOptions
	Points          pointsOptions
	Disputes        disputeOptions
	Notify          notifyOptions
}

func (o *apiOptions) Validate() error {
	if err := o.Common.Validate(); err != nil {
		return err
	}
	if err := config.ValidateRedisURL("redis-url", o.RedisURL); err != nil {
		return err
	}
	if err := o.Edge.Validate(); err != nil {
		return err
	}
	if err := o.Auth.Validate(); err != nil {
		return err
	}
	if err := o.Realtime.Validate(); err != nil {
		return err
	}
	if err := o.Disputes.Validate(); err != nil {
		return err
	}
	if err := o.Content.Validate(); err != nil {
		return err
	}
	if err := o.Points.Validate(); err != nil {
		return err
	}
	if err := o.Notify.Validate(); err != nil {
		return err
	}
	return o.Market.Validate()
}

func newAPICmd() *cobra.Command {
	var o apiOptions
	cmd := &cobra.Command{
		Use:   "api",
		Short: "Serve the HTTP API (holds no private keys)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := o.Validate(); err != nil {
				return badInput(err)
			}
			role, err := roleOf(cmd)
			if err != nil {
				return err
			}
			return runAPI(cmd.Context(), &o, role)
		},
	}
	o.addFlags(cmd.Flags(), config.Common{Listen: "127.0.0.1:8080"})
	cmd.Flags().StringVar(&o.RedisURL, "redis-url", "", "Redis URL, redis://host:6379/0")
	cmd.Flags().StringVar(&o.RNWebhookSecret, "rn-webhook-secret", "", "Request Network webhook secret; empty leaves /v1/webhooks/request-network unmounted")
	cmd.Flags().StringVar(&o.DocsDir, "docs-dir", api.DefaultDocsDir, "directory of the /v1/docs page's renderer (Redoc's bundles, from npm ci)")
	o.Auth.addFlags(cmd.Flags())
	o.Edge.addFlags(cmd.Flags())
	o.Market.addFlags(cmd.Flags())
	o.Realtime.addFlags(cmd.Flags())
	o.Content.addFlags(cmd.Flags())
	o.Points.addFlags(cmd.Flags(), true)
	o.Disputes.addFlags(cmd.Flags())
	o.Notify.addFlags(cmd.Flags(), false)
	return cmd
}

func runAPI(ctx context.Context, o *apiOptions, role string) error {
	p := newProcess("api", o.logger())
	defer p.close()
	if err := p.openDB(ctx, o.DatabaseURL, role); err != nil {
		return err
	}
	rdb, err := p.openRedis(ctx, o.RedisURL)
	if err != nil {
		return err
	}
	pts, err := points.New(p.pool, o.Points.cfg)
	if err != nil {
		return err
	}
	authSvc, err := o.Auth.newAuth(p.pool, pts.RecordReferral)
	if err != nil {
		return err
	}
	edge, err := o.Edge.edge(rdb)
	if err != nil {
		return err
	}
	adm := admin.New(p.pool, admin.Config{Registry: o.Market.reg, SweepByJob: true, SignerTxs: signer.TxRecord{}, Xpub: o.Market.Xpub, ParseXpub: parseXpub, QuorumTTL: time.Minute})
	uploads, blogSvc, err := o.Content.services(p.pool)
	if err != nil {
		return err
	}
	notes, err := notify.New(p.pool, o.Notify.config())
	if err != nil {
		return err
	}
	// The deal's steps made over the API (accept, ship, deliver) notify its parties.
	mkt := o.Market.service(p.pool).WithNotifier(notify.Deals{Notify: notes})
	chats := newChat(p.pool, mkt, uploads)
	deps := api.Deps{Log: p.log, Registry: p.reg, Checks: p.checks, Auth: authSvc, Edge: edge, DocsDir: o.DocsDir, Admin: adm,
		Market: mkt, Realtime: o.Realtime.hub(p, p.pool, authSvc, mkt, chats, edge), Uploads: uploads, Blog: blogSvc, Chat: chats,
		Points: pts, SignupURL: o.Points.SignupURL, PublicURL: o.Points.PublicURL,
		Disputes: newDisputes(p.pool, o.Disputes.cfg, mkt, uploads, authSvc, notes),
		Notify:   notes}
	if o.Notify.Key == "" {
		p.log.Warn("no --notify-key: unsubscribe links are not accepted")
	}
	if o.RNWebhookSecret != "" {
		wh, err := payment.NewWebhooks(p.pool, []byte(o.RNWebhookSecret))
		if err != nil {
			return err
		}
		deps.Webhooks = wh
	} else {
		p.log.Warn("no --rn-webhook-secret: Request Network webhooks are not accepted")
	}
	return p.serve(ctx, o.Listen, api.NewRouter(deps), o.ShutdownTimeout)
}

type indexerOptions struct {
	commonOptions
	Chain       string
	RPCURL      string // one or more endpoints, comma-separated; overrides the chain config's
	ChainConfig string
	cfg         chain.Config
}

func (o *indexerOptions) Validate() error {
	if err := o.Common.Validate(); err != nil {
		return err
	}
	reg, err := chain.LoadRegistry(o.ChainConfig)
	if err != nil {
		return badInput(err)
	}
	if o.cfg, err = reg.Get(o.Chain); err != nil {
		return badInput(err)
	}
	if o.RPCURL == "" && len(o.cfg.Endpoints) == 0 {
		return config.ValidateRPCURL("rpc-url", "")
	}
	if o.RPCURL != "" {
		o.cfg.Endpoints = nil
		for _, u := range strings.Split(o.RPCURL, ",") {
			if err := config.ValidateRPCURL("rpc-url", strings.TrimSpace(u)); err != nil {
				return err
			}
			o.cfg.Endpoints = append(o.cfg.Endpoints, strings.TrimSpace(u))
		}
	}
	return nil
}

func newIndexerCmd() *cobra.Command {
	var o indexerOptions
	cmd := &cobra.Command{
		Use:   "indexer",
		Short: "Watch one chain for payments (holds no private keys)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := o.Validate(); err != nil {
				return badInput(err)
			}
			role, err := roleOf(cmd)
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			p := newProcess("indexer", o.logger().With("chain", o.cfg.Key))
			defer p.close()
			if err := p.openDB(ctx, o.DatabaseURL, role); err != nil {
				return err
			}
			if err := p.runIndexer(ctx, o.cfg, p.pool); err != nil {
				return err
			}
			return p.serve(ctx, o.Listen, opsOnly(p), o.ShutdownTimeout)
		},
	}
	o.addFlags(cmd.Flags(), config.Common{Listen: "127.0.0.1:9101"})
	cmd.Flags().StringVar(&o.Chain, "chain", "", "chain to watch: eth, bsc or polygon (or its chain id, or a key from --chain-config)")
	cmd.Flags().StringVar(&o.RPCURL, "rpc-url", "", "the chain's JSON-RPC endpoints, http(s):// or ws(s)://, comma-separated (default: the chain config's)")
	cmd.Flags().StringVar(&o.ChainConfig, "chain-config", "", "chain config file (JSON) over the built-in mainnet defaults; see docs/indexer.md")
	_ = cmd.RegisterFlagCompletionFunc("chain", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		var keys []string
		for _, c := range chain.Mainnets {
			keys = append(keys, c.Key+"\t"+c.Name)
		}
		return keys, cobra.ShellCompDirectiveNoFileComp
	})
	cmd.AddCommand(newIndexerStatusCmd(), newIndexerReconcileCmd(), newIndexerRequeueCmd())
	return cmd
}

type workerOptions struct {
	commonOptions
	RedisURL    string
	ChainConfig string
	mail        mailOptions
	points      pointsOptions
	notify      notifyOptions
}

func (o *workerOptions) Validate() error {
	if err := o.Common.Validate(); err != nil {
		return err
	}
	if err := o.points.Validate(); err != nil {
		return err
	}
	if err := o.notify.Validate(); err != nil {
		return err
	}
	return config.ValidateRedisURL("redis-url", o.RedisURL)
}

func newWorkerCmd() *cobra.Command {
	var o workerOptions
	cmd := &cobra.Command{
		Use:   "worker",
		Short: "Run background jobs from the Postgres job queue (holds no private keys)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := o.Validate(); err != nil {
				return badInput(err)
			}
			mailer, err := o.mail.mailer()
			if err != nil {
				return badInput(err)
			}
			role, err := roleOf(cmd)
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			p := newProcess("worker", o.logger())
			defer p.close()
			if err := p.openDB(ctx, o.DatabaseURL, role); err != nil {
				return err
			}
			if _, err := p.openRedis(ctx, o.RedisURL); err != nil {
				return err
			}
			reg, err := chain.LoadRegistry(o.ChainConfig)
			if err != nil {
				return badInput(err)
			}
			if o.notify.Key == "" {
				p.log.Warn("no --notify-key: non-essential notification mail waits (its jobs retry) until one is set")
			}
			if err := p.startJobs(ctx, o.ShutdownTimeout, reg, p.pool, mailer, &o.points.cfg, o.notify.config()); err != nil {
				return err
			}
			return p.serve(ctx, o.Listen, opsOnly(p), o.ShutdownTimeout)
		},
	}
	o.addFlags(cmd.Flags(), config.Common{Listen: "127.0.0.1:9102"})
	o.mail.addFlags(cmd.Flags())
	o.points.addFlags(cmd.Flags(), false)
	o.notify.addFlags(cmd.Flags(), true)
	cmd.Flags().StringVar(&o.RedisURL, "redis-url", "", "Redis URL, redis://host:6379/0")
	cmd.Flags().StringVar(&o.ChainConfig, "chain-config", "", "chain config file; its escrow contracts let the worker turn paid deposits into sweep intents")
	return cmd
}

// escrowOf gives each chain's AmnEscrow from the registry, or nil when no chain has one: the
// worker then leaves sweep jobs waiting.
func escrowOf(reg *chain.Registry) func(uint64) common.Address {
	configured := false
	for _, c := range reg.All() {
		configured = configured || c.Escrow != (common.Address{})
	}
	if !configured {
		return nil
	}
	return func(id uint64) common.Address {
		c, err := reg.Get(strconv.FormatUint(id, 10))
		if err != nil {
			return common.Address{}
		}
		return c.Escrow
	}
}

// The signer role's command is in signer.go.

// parseXpub checks an xpub for the admin health check.
func parseXpub(s string) error {
	if s == "" {
		return errors.New("no --xpub given to this process")
	}
	_, err := hd.ParseXpub(s)
	return err
}

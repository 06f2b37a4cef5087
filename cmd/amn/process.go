package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"

	"github.com/amanat/amn/chain"
	"github.com/amanat/amn/config"
	"github.com/amanat/amn/db"
	"github.com/amanat/amn/indexer"
	"github.com/amanat/amn/ops"
)

// process is one running role: its dependencies, its readiness checks and the goroutines it owns.
// Dependencies are opened before anything is started, so a failure leaves nothing half-started.
type process struct {
	role   string
	log    *slog.Logger
	reg    *prometheus.Registry
	pool   *pgxpool.Pool
	dbRole string // the database role pool works as
	// ownerLogin: the login is the owner on purpose (amn dev), so the components' pools do not
	// warn that it can do more than their roles.
	ownerLogin bool
	// startWarnings are logged once the process has started.
	startWarnings []func()
	checks        []ops.Check
	runners       []func(ctx context.Context)
	closers       []func()
	// queueLog receives River's own log; nil means log (amn dev quiets it unless --verbose).
	queueLog *slog.Logger
	// Indexer metrics, registered once however many chains the process follows.
	heads      *indexer.HeadMetrics
	ixMetrics  *indexer.Metrics
	rpcMetrics *chain.RPCMetrics
}

func newProcess(role string, log *slog.Logger) *process {
	return &process{role: role, log: log.With("role", role), reg: ops.NewRegistry()}
}

// close releases whatever was opened, last first.
func (p *process) close() {
	for i := len(p.closers) - 1; i >= 0; i-- {
		p.closers[i]()
	}
}

// openDB connects to Postgres as role (db.OpenAs: every connection runs SET ROLE role; db.Owner
// is the login itself) and adds the readiness checks (reachable and fully migrated; working as
// role with nothing beyond its grants) and the process heartbeat. A login that cannot work as
// role ends the process at start with exit status 2, naming the role.
func (p *process) openDB(ctx context.Context, url, role string) error {
	pool, err := p.openPool(ctx, url, role, "postgres_role")
	if err != nil {
		return err
	}
	p.pool, p.dbRole = pool, role
	mig, err := db.NewMigrator(pool)
	if err != nil {
		return err
	}
	p.checks = append(p.checks, ops.Check{Name: "postgres", Fn: func(ctx context.Context) error {
		if err := pool.Ping(ctx); err != nil {
			return err
		}
		n, err := mig.Pending(ctx)
		if err != nil {
			return err
		}
		if n > 0 {
			return fmt.Errorf("%d migrations pending: run `amn migrate up`", n)
		}
		return nil
	}})
	p.runners = append(p.runners, func(ctx context.Context) {
		ops.Heartbeat(ctx, pool, p.role, 15*time.Second, p.log)
	})
	return nil
}

// openPool opens a pool that works as role, closed with the process. Unless role is the owner, a
// readiness check named check (its detail: the role) fails while the pool's connections do not
// work as role, or role may do more (or less) than docs/security.md grants it, naming what.
func (p *process) openPool(ctx context.Context, url, role, check string) (*pgxpool.Pool, error) {
	pool, err := db.OpenAs(ctx, url, role)
	if err != nil {
		return nil, badInput(err)
	}
	p.closers = append(p.closers, pool.Close)
	if role == db.Owner {
		return pool, nil
	}
	p.checks = append(p.checks, ops.Check{Name: check, Detail: role, Fn: db.RoleReadiness(pool, role)})
	// The role bounds every query, but a login that can do more regains it with RESET ROLE.
	beyond, err := db.LoginBeyond(ctx, pool, role)
	if err != nil {
		return nil, err
	}
	if len(beyond) > 0 && !p.ownerLogin {
		// Said once started: a process that fails at start says one line, its reason.
		p.startWarnings = append(p.startWarnings, func() {
			p.log.Warn("the database login can do more than its role (a RESET ROLE regains it): give this process a login that is a member of its role only (docs/security.md)",
				"db_role", role, "login", strings.Join(beyond, "; "))
		})
	}
	return pool, nil
}

// openRedis connects to Redis, checks it answers, and adds its readiness check.
func (p *process) openRedis(ctx context.Context, url string) (*redis.Client, error) {
	opt, err := redis.ParseURL(url)
	if err != nil {
		return nil, badInput(err)
	}
	rdb := redis.NewClient(opt)
	pctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	if err := rdb.Ping(pctx).Err(); err != nil {
		_ = rdb.Close()
		return nil, badInput(fmt.Errorf("redis at %s unreachable: %v", config.MaskURL(url), err))
	}
	p.closers = append(p.closers, func() { _ = rdb.Close() })
	p.checks = append(p.checks, ops.Check{Name: "redis", Fn: func(ctx context.Context) error { return rdb.Ping(ctx).Err() }})
	return rdb, nil
}

// serve binds the listener, starts every runner, serves until ctx ends and then stops it all,
// giving in-flight work up to grace.
func (p *process) serve(ctx context.Context, listen string, h http.Handler, grace time.Duration) error {
	srv, err := ops.Listen(listen, h, p.log)
	if err != nil {
		return badInput(fmt.Errorf("--listen %s: %v", listen, err))
	}
	p.log.Info("started", "listen", "http://"+srv.Addr(), "db_role", p.dbRole, "checks", ops.CheckNames(p.checks))
	for _, warn := range p.startWarnings {
		warn()
	}
	rctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	for _, run := range p.runners {
		wg.Go(func() { run(rctx) })
	}
	err = srv.Serve(ctx, grace)
	cancel()
	wg.Wait()
	if err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	p.log.Info("stopped")
	return nil
}

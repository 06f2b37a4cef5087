package main

import (
	"github.com/amanat/amn/auth"

	"context"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/amanat/amn/chain"
	"github.com/amanat/amn/jobs"
	"github.com/amanat/amn/notify"
	"github.com/amanat/amn/points"
)

// startJobs starts the worker role's River client on pool (the worker's role); it is stopped, letting running jobs finish
// within the shutdown grace, when the process closes.
func (p *process) startJobs(ctx context.Context, grace time.Duration, reg *chain.Registry, pool *pgxpool.Pool, mailer *auth.Mailer,
	pts *points.Config, notes notify.Config) error {
	client, err := jobs.NewClient(jobs.Config{Pool: pool, Log: p.log, QueueLog: p.queueLog, Registry: p.reg, Escrow: escrowOf(reg),
		NativeLedger: nativeLedgerOf(reg), Mailer: mailer, Points: pts, Chains: reg, Notify: notes})
	if err != nil {
		return err
	}
	if err := client.Start(ctx); err != nil {
		return err
	}
	p.closers = append(p.closers, func() {
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), grace)
		defer cancel()
		if err := client.Stop(sctx); err != nil {
			p.log.Warn("job queue did not stop cleanly", "err", err)
		}
	})
	return nil
}

// nativeLedgerOf names each configured chain's native-currency ledger ("bsc:BNB").
func nativeLedgerOf(reg *chain.Registry) func(uint64) (string, bool) {
	return func(id uint64) (string, bool) {
		c, err := reg.Get(strconv.FormatUint(id, 10))
		if err != nil {
			return "", false
		}
		return c.NativeLedger(), true
	}
}

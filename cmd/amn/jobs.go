package main

import (
	"context"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/amanat/amn/jobs"
)

// startJobs starts the worker role's River client; it is stopped, letting running jobs finish
// within the shutdown grace, when the process closes.
func (p *process) startJobs(ctx context.Context, grace time.Duration, escrow func(uint64) common.Address) error {
	client, err := jobs.NewClient(jobs.Config{Pool: p.pool, Log: p.log, Registry: p.reg, Escrow: escrow})
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

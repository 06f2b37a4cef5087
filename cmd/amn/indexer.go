package main

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/spf13/cobra"

	"github.com/amanat/amn/chain"
	"github.com/amanat/amn/config"
	"github.com/amanat/amn/indexer"
	"github.com/amanat/amn/ledger"
	"github.com/amanat/amn/ops"
	"github.com/amanat/amn/payment"
)

// runIndexer connects to the chain's endpoints (each must serve the configured chain id) and
// adds the indexer, working through dbpool (a pool of the indexer's role), its head tracker (the chain's readiness check) and periodic reconciliation to
// the process.
func (p *process) runIndexer(ctx context.Context, cfg chain.Config, dbpool *pgxpool.Pool) error {
	if p.heads == nil { // one set of metrics per process, labelled by chain (amn dev runs three)
		p.heads, p.ixMetrics, p.rpcMetrics = indexer.NewHeadMetrics(p.reg), indexer.NewMetrics(p.reg), chain.NewRPCMetrics(p.reg)
	}
	pool, err := chain.NewPool(ctx, cfg, chain.PoolOptions{Metrics: p.rpcMetrics, Log: p.log})
	if err != nil {
		return badInput(fmt.Errorf("chain %s at %s: %v", cfg.Key, maskURLs(cfg.Endpoints), err))
	}
	p.closers = append(p.closers, pool.Close)
	interval := min(max(cfg.BlockTime, time.Second), 5*time.Second)
	heads := indexer.NewHeadTracker(cfg.Chain, pool, interval, p.heads, p.log)
	// The indexer only records and credits observations: it needs no deriver (no xpub).
	ix := indexer.New(cfg, pool, dbpool, payment.New(dbpool, nil), heads, p.ixMetrics, p.log,
		indexer.Options{PollInterval: interval})
	p.checks = append(p.checks, ops.Check{Name: "chain_" + cfg.Key, Fn: heads.Ready})
	wake := make(chan struct{}, 1)
	p.runners = append(p.runners,
		func(ctx context.Context) { _ = ix.Run(ctx, wake) },
		func(ctx context.Context) { indexer.FollowNewHeads(ctx, cfg.Endpoints, wake, p.log) },
		func(ctx context.Context) { ix.ReconcileEvery(ctx, 10*time.Minute) },
	)
	return nil
}

func maskURLs(urls []string) string {
	out := make([]string, len(urls))
	for i, u := range urls {
		out[i] = config.MaskURL(u)
	}
	return strings.Join(out, ",")
}

type indexerStatusOptions struct{ dbOptions }

func newIndexerStatusCmd() *cobra.Command {
	var o indexerStatusOptions
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Show each chain's indexer: head, finalized, processed, lag, watch set, endpoints",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			pool, err := o.open(ctx, cmd)
			if err != nil {
				return err
			}
			defer pool.Close()
			st, err := indexer.LoadStatuses(ctx, pool)
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if o.JSON {
				return printJSON(out, st)
			}
			w := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, "CHAIN\tID\tHEAD\tFINALIZED\tSAFE\tPROCESSED\tLAG\tWATCHED\tBLOCKS/S\tSTATE\tSEEN")
			for _, s := range st {
				state := "ok"
				switch {
				case s.Halted:
					state = "HALTED: " + s.HaltReason
				case s.LastError != "":
					state = "FAILING: " + s.LastError
				}
				if s.Quarantined > 0 {
					state += fmt.Sprintf(" (%d quarantined: amn payments show, amn indexer requeue)", s.Quarantined)
				}
				seen := "never"
				if !s.At.IsZero() {
					seen = time.Since(s.At).Round(time.Second).String() + " ago"
				}
				fmt.Fprintf(w, "%s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%.1f\t%s\t%s\n", s.Chain, s.ChainID, s.Head, s.Finalized, s.Safe,
					s.Processed, s.Lag, s.Watched, s.BlocksPerSec, state, seen)
				for _, e := range s.Endpoints {
					up := "up"
					if !e.Up {
						up = "DOWN"
					}
					fmt.Fprintf(w, "  %s\t\t%d\t\t\t\t\t\t\t%s health %.2f getLogs≤%d\t\n", e.Label, e.Head, up, e.Score, e.LogLimit)
				}
			}
			return w.Flush()
		},
	}
	cmd.Flags().StringVar(&o.DatabaseURL, "database-url", "", "PostgreSQL URL")
	cmd.Flags().BoolVar(&o.JSON, "json", false, "print JSON")
	return cmd
}

type indexerReconcileOptions struct {
	indexerOptions
	JSON bool
}

func newIndexerReconcileCmd() *cobra.Command {
	var o indexerReconcileOptions
	cmd := &cobra.Command{
		Use:   "reconcile",
		Short: "Compare deposit and escrow balances at the final block with the ledger; list mismatches",
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
			p := newProcess("reconcile", o.logger())
			defer p.close()
			if err := p.openDB(ctx, o.DatabaseURL, role); err != nil {
				return err
			}
			pool, err := chain.NewPool(ctx, o.cfg, chain.PoolOptions{Log: p.log})
			if err != nil {
				return badInput(fmt.Errorf("chain %s at %s: %v", o.cfg.Key, maskURLs(o.cfg.Endpoints), err))
			}
			defer pool.Close()
			heads := indexer.NewHeadTracker(o.cfg.Chain, pool, time.Second, indexer.NewHeadMetrics(p.reg), p.log)
			ix := indexer.New(o.cfg, pool, p.pool, payment.New(p.pool, nil), heads, indexer.NewMetrics(p.reg), p.log, indexer.Options{})
			r, err := ix.Reconcile(ctx)
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if o.JSON {
				return printJSON(out, r)
			}
			fmt.Fprintf(out, "chain %s at block %d: %d balances checked, %d mismatches\n", r.Chain, r.Block, r.Checked, len(r.Mismatches))
			w := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
			if len(r.Mismatches) > 0 {
				fmt.Fprintln(w, "TOKEN\tWHAT\tADDRESS\tPAYMENT\tON CHAIN\tLEDGER\tDIFF")
			}
			for _, m := range r.Mismatches {
				fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", m.Token, m.What, m.Address.Hex(), m.PaymentID, m.OnChain, m.Ledger, m.Diff)
			}
			if err := w.Flush(); err != nil {
				return err
			}
			for _, sym := range slices.Sorted(maps.Keys(r.Stray)) {
				fmt.Fprintf(out, "the escrow contract also holds %s %s that is not our payments' (others' escrows, tokens sent to it)\n", r.Stray[sym], sym)
			}
			if len(r.Mismatches) > 0 {
				return errMismatch
			}
			return nil
		},
	}
	o.addFlags(cmd.Flags(), config.Common{Listen: "127.0.0.1:0"})
	cmd.Flags().StringVar(&o.Chain, "chain", "", "chain to reconcile")
	cmd.Flags().StringVar(&o.RPCURL, "rpc-url", "", "the chain's JSON-RPC endpoints, comma-separated")
	cmd.Flags().StringVar(&o.ChainConfig, "chain-config", "", "chain config file (JSON)")
	cmd.Flags().BoolVar(&o.JSON, "json", false, "print JSON")
	return cmd
}

func newIndexerRequeueCmd() *cobra.Command {
	var o dbOptions
	cmd := &cobra.Command{
		Use:   "requeue PAYMENT_ID",
		Short: "Retry a payment's quarantined observations after a fix (see amn payments show)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := ledger.ParseID(args[0])
			if err != nil {
				return badInput(fmt.Errorf("payment id %q: %v", args[0], err))
			}
			ctx := cmd.Context()
			pool, err := o.open(ctx, cmd)
			if err != nil {
				return err
			}
			defer pool.Close()
			rs, err := indexer.Requeue(ctx, pool, payment.New(pool, nil), id)
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if o.JSON {
				return printJSON(out, rs)
			}
			if len(rs) == 0 {
				fmt.Fprintf(out, "payment %s has no quarantined observation\n", id)
				return nil
			}
			w := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, "CHAIN\tBLOCK\tTX\tLOG\tOP\tNOW\tERROR")
			still := 0
			for _, r := range rs {
				why := ""
				if r.Outcome == indexer.StateQuarantined {
					still++
					why = r.Error
				}
				fmt.Fprintf(w, "%d\t%d\t%s\t%d\t%s\t%s\t%s\n", r.ChainID, r.BlockNumber, r.TxHash, r.LogIndex, r.Op, r.Outcome, why)
			}
			if err := w.Flush(); err != nil {
				return err
			}
			if still > 0 {
				return fmt.Errorf("%d observation(s) of payment %s still refused", still, id)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&o.DatabaseURL, "database-url", "", "PostgreSQL URL")
	cmd.Flags().BoolVar(&o.JSON, "json", false, "print JSON")
	return cmd
}

// errMismatch makes `amn indexer reconcile` exit non-zero when the books and the chain disagree.
var errMismatch = errors.New("the ledger and the chain disagree")

package main

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/jackc/pgx/v5"
	"github.com/spf13/cobra"

	"github.com/amanat/amn/api"
	"github.com/amanat/amn/chain"
	"github.com/amanat/amn/config"
	"github.com/amanat/amn/db"
	"github.com/amanat/amn/devnet"
)

// devOptions configure the all-in-one local stack.
type devOptions struct {
	commonOptions
	RedisURL      string
	AnvilBasePort int
}

func (o *devOptions) Validate() error {
	if err := o.Common.Validate(); err != nil {
		return err
	}
	if o.RedisURL != "" {
		if err := config.ValidateRedisURL("redis-url", o.RedisURL); err != nil {
			return err
		}
	}
	if o.AnvilBasePort < 1 || o.AnvilBasePort+len(chain.Mainnets) > 65535 {
		return fmt.Errorf("%w: --anvil-base-port (AMN_ANVIL_BASE_PORT) must leave room for %d ports below 65536", config.ErrInvalid, len(chain.Mainnets))
	}
	return nil
}

func newDevCmd() *cobra.Command {
	var o devOptions
	cmd := &cobra.Command{
		Use:   "dev",
		Short: "Run the whole stack locally: migrations, three anvil chains (ids 1, 56, 137) with the contracts, Redis, the API",
		Long: `dev runs the local stack in one process with devnet keys only. It creates the database when
it is missing and applies migrations, starts anvil nodes for chain ids 1, 56 and 137 on
consecutive ports from --anvil-base-port and deploys on each Request Network's real fee proxies,
two test stablecoins and AmnEscrow with a 2-of-3 custodian set, uses --redis-url or else an in-process Redis
(miniredis), serves the API with /readyz and /metrics, and stops everything on Ctrl-C.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := o.Validate(); err != nil {
				return badInput(err)
			}
			return runDev(cmd.Context(), &o)
		},
	}
	o.addFlags(cmd.Flags(), config.Common{
		Listen:      "127.0.0.1:8080",
		DatabaseURL: "postgres://postgres@127.0.0.1:5432/amn_dev?sslmode=disable",
		LogFormat:   "text",
	})
	cmd.Flags().StringVar(&o.RedisURL, "redis-url", "", "Redis URL; empty runs an in-process Redis")
	cmd.Flags().IntVar(&o.AnvilBasePort, "anvil-base-port", 8545, "first of the ports for the local chains (eth, bsc, polygon)")
	return cmd
}

func runDev(ctx context.Context, o *devOptions) error {
	p := newProcess("dev", o.logger())
	defer p.close()
	out := os.Stdout

	if err := createDatabaseIfMissing(ctx, o.DatabaseURL); err != nil {
		return badInput(err)
	}
	if err := p.openDB(ctx, o.DatabaseURL); err != nil {
		return err
	}
	mig, err := db.NewMigrator(p.pool)
	if err != nil {
		return err
	}
	applied, err := mig.Up(ctx)
	if err != nil {
		return err
	}
	p.log.Info("migrations applied", "count", len(applied))

	redisURL := o.RedisURL
	if redisURL == "" {
		mr, err := miniredis.Run()
		if err != nil {
			return err
		}
		p.closers = append(p.closers, mr.Close)
		redisURL = "redis://" + mr.Addr() + "/0"
		fmt.Fprintf(out, "redis     %s (in-process miniredis; set --redis-url to use a server)\n", redisURL)
	} else {
		fmt.Fprintf(out, "redis     %s\n", config.MaskURL(redisURL))
	}
	if _, err := p.openRedis(ctx, redisURL); err != nil {
		return err
	}

	nodes, err := startChains(ctx, o.AnvilBasePort)
	for _, n := range nodes {
		p.closers = append(p.closers, n.Stop)
	}
	if err != nil {
		return badInput(err)
	}
	fixtures, err := deployFixtures(ctx, nodes)
	for _, f := range fixtures {
		p.closers = append(p.closers, f.Close)
	}
	if err != nil {
		return err
	}
	for i, c := range chain.Mainnets {
		if err := p.followChain(ctx, c, nodes[i].URL); err != nil {
			return err
		}
		a := fixtures[i].Addresses
		fmt.Fprintf(out, "chain     %-8s id %-4d %s (anvil pid %d)\n", c.Key, c.ID, nodes[i].URL, nodes[i].Pid())
		fmt.Fprintf(out, "          AmnEscrow %s  ERC20FeeProxy %s  EthereumFeeProxy %s\n", a.Escrow.Hex(), a.ERC20FeeProxy.Hex(), a.EthereumFeeProxy.Hex())
		fmt.Fprintf(out, "          USDT (6 dec.) %s  TUSD (18 dec.) %s  custodians %d of %d\n", a.USDT.Hex(), a.TUSD.Hex(), fixtures[i].Threshold, len(fixtures[i].Custodians))
	}
	fmt.Fprintf(out, "postgres  %s\n", db.Redact(o.DatabaseURL))
	fmt.Fprintf(out, "api       http://%s  (/healthz /readyz /metrics)\n", o.Listen)
	fmt.Fprintln(out, "Ctrl-C stops everything.")

	h := api.NewRouter(api.Deps{Log: p.log, Registry: p.reg, Checks: p.checks})
	return p.serve(ctx, o.Listen, h, o.ShutdownTimeout)
}

// startChains starts one anvil per built-in chain, concurrently, with fast finality.
func startChains(ctx context.Context, basePort int) ([]*devnet.Anvil, error) {
	nodes := make([]*devnet.Anvil, len(chain.Mainnets))
	errs := make([]error, len(chain.Mainnets))
	var wg sync.WaitGroup
	for i, c := range chain.Mainnets {
		wg.Go(func() {
			nodes[i], errs[i] = devnet.StartAnvil(ctx, devnet.AnvilOptions{
				// A block a second so that a demo moves, one slot per epoch so that
				// finality follows two blocks behind the head.
				ChainID: c.ID, Port: basePort + i, SlotsInEpoch: 1, BlockTime: time.Second,
			})
		})
	}
	wg.Wait()
	var started []*devnet.Anvil
	for _, n := range nodes {
		if n != nil {
			started = append(started, n)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return started, err
	}
	return nodes, nil
}

// deployFixtures deploys the money path's contracts (Request Network's real fee proxies, two test
// stablecoins, AmnEscrow with a 2-of-3 custodian set) on every local chain, concurrently.
func deployFixtures(ctx context.Context, nodes []*devnet.Anvil) ([]*devnet.Fixture, error) {
	fixtures := make([]*devnet.Fixture, len(nodes))
	errs := make([]error, len(nodes))
	var wg sync.WaitGroup
	for i, n := range nodes {
		wg.Go(func() { fixtures[i], errs[i] = devnet.Deploy(ctx, n, devnet.FixtureOptions{}) })
	}
	wg.Wait()
	var deployed []*devnet.Fixture
	for _, f := range fixtures {
		if f != nil {
			deployed = append(deployed, f)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return deployed, fmt.Errorf("deploying the devnet contracts: %w", err)
	}
	return fixtures, nil
}

// createDatabaseIfMissing creates the dev database on first run; only `amn dev` does this.
func createDatabaseIfMissing(ctx context.Context, raw string) error {
	cfg, err := db.ParseURL(raw)
	if err != nil {
		return err
	}
	name := cfg.ConnConfig.Database
	u, _ := url.Parse(raw)
	u.Path = "/postgres"
	conn, err := pgx.Connect(ctx, u.String())
	if err != nil {
		return fmt.Errorf("postgres at %s unreachable: %v", db.Redact(raw), err)
	}
	defer conn.Close(ctx)
	var exists bool
	if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
		return err
	}
	if exists {
		return nil
	}
	_, err = conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize())
	if err != nil && !strings.Contains(err.Error(), "already exists") {
		return err
	}
	return nil
}

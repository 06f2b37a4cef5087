package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/amanat/amn/chain"
	"github.com/amanat/amn/config"
	"github.com/amanat/amn/doctor"
)

type doctorOptions struct {
	DatabaseURL, RedisURL, ChainConfig, Chains, Xpub string
	Timeout                                          time.Duration
	JSON                                             bool
	chains                                           []chain.Config
}

func (o *doctorOptions) Validate() error {
	if err := config.ValidateDatabaseURL("database-url", o.DatabaseURL); err != nil {
		return err
	}
	if o.RedisURL != "" {
		if err := config.ValidateRedisURL("redis-url", o.RedisURL); err != nil {
			return err
		}
	}
	reg, err := chain.LoadRegistry(o.ChainConfig)
	if err != nil {
		return err
	}
	if o.Chains == "" { // every chain with an endpoint
		for _, c := range reg.All() {
			if len(c.Endpoints) > 0 {
				o.chains = append(o.chains, c)
			}
		}
		return nil
	}
	for _, key := range strings.Split(o.Chains, ",") {
		c, err := reg.Get(strings.TrimSpace(key))
		if err != nil {
			return fmt.Errorf("%w: --chains (AMN_CHAINS): %v", config.ErrInvalid, err)
		}
		o.chains = append(o.chains, c)
	}
	return nil
}

func newDoctorCmd() *cobra.Command {
	var o doctorOptions
	cmd := &cobra.Command{
		Use:   "doctor",
		Short: "Check settings, database (migrations, role grants), Redis, RPC endpoints, xpub and signer; print each with its fix",
		Long: `doctor checks that a deployment can work and prints one line per check, ok (green), warn
(yellow) or FAIL (red), with the fix under each warning and failure: the settings; the database
(reachable, migrations applied, each role granted exactly what docs/security.md says: a missing or
extra privilege is named); Redis (with --redis-url); every RPC endpoint of every chain with one
(chain id as configured, the finalized tag, eth_getLogs over a few blocks); the account xpub (with
--xpub) against the deposit addresses already handed out; and the signer's heartbeat. It only
reads. It exits 1 when a check failed. Give it the owner's --database-url (amn migrate's).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := o.Validate(); err != nil {
				return badInput(err)
			}
			rs := doctor.Run(cmd.Context(), doctor.Config{DatabaseURL: o.DatabaseURL, RedisURL: o.RedisURL,
				Chains: o.chains, Xpub: o.Xpub, Timeout: o.Timeout})
			out := cmd.OutOrStdout()
			if o.JSON {
				enc := json.NewEncoder(out)
				enc.SetIndent("", "  ")
				if err := enc.Encode(rs); err != nil {
					return err
				}
			} else {
				doctor.Print(out, rs, isTerminal(out))
			}
			if n := doctor.Failed(rs); n > 0 {
				return &exitError{code: 1, err: fmt.Errorf("doctor: %d of %d checks failed", n, len(rs))}
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.DatabaseURL, "database-url", "", "PostgreSQL URL of the schema's owner, postgres://user@host:5432/dbname")
	f.StringVar(&o.RedisURL, "redis-url", "", "Redis URL to check (empty: not checked)")
	f.StringVar(&o.ChainConfig, "chain-config", "", "chain config file (JSON) with the endpoints; see docs/indexer.md")
	f.StringVar(&o.Chains, "chains", "", "chains to check, comma-separated (default: every chain with an endpoint)")
	f.StringVar(&o.Xpub, "xpub", "", "platform account xpub (m/44'/60'/0') to check against the deposit addresses (empty: not checked)")
	f.DurationVar(&o.Timeout, "timeout", 10*time.Second, "time each check may take")
	f.BoolVar(&o.JSON, "json", false, "print the results as JSON")
	return cmd
}

// isTerminal says whether w is a terminal that takes colour (NO_COLOR unset).
func isTerminal(w any) bool {
	f, ok := w.(*os.File)
	if !ok || os.Getenv("NO_COLOR") != "" {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

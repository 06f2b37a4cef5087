package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/amanat/amn/config"
	"github.com/amanat/amn/db"
	"github.com/amanat/amn/ops"
)

func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:           "amn",
		Short:         "Amn escrow: chain-native escrow for a stablecoin marketplace",
		SilenceUsage:  true,
		SilenceErrors: true,
		// Every setting can come from an AMN_* variable; a flag given on the command line wins.
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			return badInput(bindEnv(cmd.Flags()))
		},
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return badInput(err) })
	root.AddCommand(
		newAPICmd(), newIndexerCmd(), newWorkerCmd(), newSignerCmd(), newDevCmd(),
		newMigrateCmd(), newConfigCmd(), newVersionCmd(), newPaymentsCmd(), newLedgerCmd(), newCustodyCmd(),
		newAdminCmd(), newDoctorCmd(), newUsersCmd(), newLoginCmd(), newDisputeCmd(), newImportCmd(),
	)
	return root
}

// bindEnv fills every flag not set on the command line from its AMN_* variable.
func bindEnv(fs *pflag.FlagSet) error {
	var err error
	fs.VisitAll(func(f *pflag.Flag) {
		if err != nil || f.Changed || f.Name == "help" {
			return
		}
		if v, ok := os.LookupEnv(config.Env(f.Name)); ok {
			if serr := fs.Set(f.Name, v); serr != nil {
				err = fmt.Errorf("%s: %v", config.Env(f.Name), serr)
				return
			}
			_ = fs.SetAnnotation(f.Name, sourceAnnotation, []string{"env"})
		}
	})
	return err
}

// sourceAnnotation marks flags whose value came from the environment.
const sourceAnnotation = "amn-source"

// commonOptions are the settings of every long-running role.
type commonOptions struct {
	config.Common
}

// addFlags declares the common flags with the role's defaults; an empty log format means json.
func (o *commonOptions) addFlags(fs *pflag.FlagSet, d config.Common) {
	if d.LogFormat == "" {
		d.LogFormat = "json"
	}
	fs.StringVar(&o.DatabaseURL, "database-url", d.DatabaseURL, "PostgreSQL URL, postgres://user@host:5432/dbname")
	fs.StringVar(&o.Listen, "listen", d.Listen, "HTTP listen address (host:port)")
	fs.StringVar(&o.LogFormat, "log-format", d.LogFormat, "log format: json or text")
	fs.StringVar(&o.LogLevel, "log-level", "info", "log level: debug, info, warn, error")
	fs.DurationVar(&o.ShutdownTimeout, "shutdown-timeout", 15*time.Second, "how long in-flight work may take to finish on SIGINT/SIGTERM")
}

func (o *commonOptions) logger() *slog.Logger {
	level, _ := config.ParseLogLevel(o.LogLevel) // validated before
	return ops.NewLogger(os.Stderr, o.LogFormat, level)
}

// dbOptions are the settings of the operators' commands that read the database directly.
type dbOptions struct {
	DatabaseURL string
	JSON        bool
}

func (o *dbOptions) Validate() error {
	return config.ValidateDatabaseURL("database-url", o.DatabaseURL)
}

// open connects as the database role cmd works as (commandRoles).
func (o *dbOptions) open(ctx context.Context, cmd *cobra.Command) (*pgxpool.Pool, error) {
	if err := o.Validate(); err != nil {
		return nil, badInput(err)
	}
	role, err := roleOf(cmd)
	if err != nil {
		return nil, err
	}
	pool, err := db.OpenAs(ctx, o.DatabaseURL, role)
	return pool, badInput(err)
}

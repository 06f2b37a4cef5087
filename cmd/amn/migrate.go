package main

import (
	"context"
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/amanat/amn/db"
)

func newMigrateCmd() *cobra.Command {
	var o dbOptions
	cmd := &cobra.Command{
		Use:   "migrate",
		Short: "Apply, list or roll back database migrations (River's and Amn's)",
	}
	cmd.PersistentFlags().StringVar(&o.DatabaseURL, "database-url", "", "PostgreSQL URL, postgres://user@host:5432/dbname")

	withMigrator := func(run func(ctx context.Context, cmd *cobra.Command, m *db.Migrator) error) func(*cobra.Command, []string) error {
		return func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			pool, err := o.open(ctx, cmd)
			if err != nil {
				return err
			}
			defer pool.Close()
			m, err := db.NewMigrator(pool)
			if err != nil {
				return err
			}
			return run(ctx, cmd, m)
		}
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "up",
		Short: "Apply every pending migration (a second run does nothing)",
		Args:  cobra.NoArgs,
		RunE: withMigrator(func(ctx context.Context, cmd *cobra.Command, m *db.Migrator) error {
			applied, err := m.Up(ctx)
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			for _, a := range applied {
				fmt.Fprintf(out, "applied %s %s\n", a.Set, a.Name)
			}
			if len(applied) == 0 {
				fmt.Fprintln(out, "nothing to apply: the schema is up to date")
			}
			return nil
		}),
	}, &cobra.Command{
		Use:   "status",
		Short: "List every migration and whether it is applied",
		Args:  cobra.NoArgs,
		RunE: withMigrator(func(ctx context.Context, cmd *cobra.Command, m *db.Migrator) error {
			st, err := m.Status(ctx)
			if err != nil {
				return err
			}
			w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, "SET\tVERSION\tNAME\tSTATE")
			for _, s := range st {
				state := "pending"
				if s.Applied {
					state = "applied"
				}
				fmt.Fprintf(w, "%s\t%d\t%s\t%s\n", s.Set, s.Version, s.Name, state)
			}
			return w.Flush()
		}),
	}, &cobra.Command{
		Use:   "down",
		Short: "Roll back Amn's most recent migration (River's schema stays)",
		Args:  cobra.NoArgs,
		RunE: withMigrator(func(ctx context.Context, cmd *cobra.Command, m *db.Migrator) error {
			a, err := m.Down(ctx)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "rolled back %s %s\n", a.Set, a.Name)
			return nil
		}),
	})
	return cmd
}

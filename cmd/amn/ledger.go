package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/amanat/amn/ledger"
)

func newLedgerCmd() *cobra.Command {
	var o dbOptions
	cmd := &cobra.Command{Use: "ledger", Short: "Inspect and verify the funds ledger"}
	cmd.PersistentFlags().StringVar(&o.DatabaseURL, "database-url", "", "PostgreSQL URL")
	cmd.AddCommand(&cobra.Command{
		Use:   "check",
		Short: "Verify every ledger invariant; exit 1 naming the first violation",
		Long: `check verifies that every ledger sums to zero, that each account's entries chain from one
balance to the next and add up to the account's totals, and that no account breaks its flags.
It exits 0 when all hold and 1 naming the first violation (table, row and what is wrong).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			pool, err := o.open(ctx, cmd)
			if err != nil {
				return err
			}
			defer pool.Close()
			v, err := ledger.Check(ctx, pool)
			if err != nil {
				return err
			}
			if v != nil {
				return fmt.Errorf("ledger check failed: %s", v)
			}
			fmt.Fprintln(cmd.OutOrStdout(), "ledger check passed: every ledger balances and every account matches its entries")
			return nil
		},
	})
	return cmd
}

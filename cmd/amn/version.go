package main

import (
	"fmt"
	"runtime"

	"github.com/spf13/cobra"

	"github.com/amanat/amn/ops"
)

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version and commit of this binary",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := fmt.Fprintf(cmd.OutOrStdout(), "amn %s (commit %s, %s)\n", ops.Version, ops.Commit, runtime.Version())
			return err
		},
	}
}

package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"golang.org/x/term"

	legacy "github.com/amanat/amn/migrate/mongo"
)

// importOptions are `amn import mongo`'s settings.
type importOptions struct {
	dbOptions
	URI, Database string
	DryRun        bool
	Since         string
	Strict        bool
	Batch         int
	since         *time.Time
}

func (o *importOptions) Validate() error {
	if err := o.dbOptions.Validate(); err != nil {
		return err
	}
	if !strings.HasPrefix(o.URI, "mongodb://") && !strings.HasPrefix(o.URI, "mongodb+srv://") {
		return errors.New("uri: a mongodb:// or mongodb+srv:// URL is required")
	}
	if o.Database == "" {
		return errors.New("database: the legacy database's name is required")
	}
	if o.Batch < 1 || o.Batch > 10_000 {
		return fmt.Errorf("batch: %d is not 1 to 10000", o.Batch)
	}
	if o.Since != "" {
		t, err := time.Parse(time.RFC3339, o.Since)
		if err != nil {
			return fmt.Errorf("since: %q is not an RFC 3339 time (2026-12-06T08:00:00Z)", o.Since)
		}
		o.since = &t
	}
	return nil
}

func newImportCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "import", Short: "Import the legacy backend's data (docs/import.md)"}
	var o importOptions
	mongoCmd := &cobra.Command{
		Use:   "mongo",
		Short: "Import the legacy MongoDB store: idempotent, resumable, verified (exit 1 when verification or --strict fails)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := o.Validate(); err != nil {
				return badInput(err)
			}
			ctx := cmd.Context()
			pool, err := o.open(ctx, cmd)
			if err != nil {
				return err
			}
			defer pool.Close()
			client, err := mongo.Connect(options.Client().ApplyURI(o.URI))
			if err != nil {
				return badInput(fmt.Errorf("uri: %w", err))
			}
			defer client.Disconnect(ctx) //nolint:errcheck // the run is over
			out := cmd.OutOrStdout()
			p := newImportProgress(out, o.JSON)
			im, err := legacy.New(pool, client.Database(o.Database), legacy.Options{DryRun: o.DryRun, Since: o.since,
				Batch: o.Batch, Progress: p.show})
			if err != nil {
				return badInput(err)
			}
			rep, err := im.Run(ctx)
			if err != nil {
				return err
			}
			if err := printImportReport(out, rep, o.JSON); err != nil {
				return err
			}
			return importOutcome(rep, o.Strict)
		},
	}
	f := mongoCmd.Flags()
	f.StringVar(&o.DatabaseURL, "database-url", "", "PostgreSQL URL of this backend; its login must be a member of amn_import (docs/security.md)")
	f.StringVar(&o.URI, "uri", "", "MongoDB URL of the legacy store (mongodb://…)")
	f.StringVar(&o.Database, "database", "", "the legacy database's name")
	f.BoolVar(&o.DryRun, "dry-run", false, "write nothing; report what would change")
	f.StringVar(&o.Since, "since", "", "import only documents whose updatedAt is after this RFC 3339 time (the cut-over's delta)")
	f.BoolVar(&o.Strict, "strict", false, "exit 1 when any document is skipped or any old payment (or dispute on one) still holds funds")
	f.IntVar(&o.Batch, "batch", legacy.DefaultBatch, "documents written per transaction")
	f.BoolVar(&o.JSON, "json", false, "JSON lines: progress, then the report")
	cmd.AddCommand(mongoCmd)
	return cmd
}

// importOutcome is the exit status: 1 when verification failed, or with --strict when a document
// was skipped or an old payment still holds funds.
func importOutcome(rep *legacy.Report, strict bool) error {
	if !rep.DryRun && !rep.Verified {
		return &exitError{code: 1, err: errors.New("import: verification found differences between the source and the target")}
	}
	if strict && (len(rep.Problems) > 0 || len(rep.OpenPayments) > 0 || len(rep.OpenDisputes) > 0) {
		return &exitError{code: 1, err: fmt.Errorf("import: --strict: %d documents skipped, %d old payments hold funds, %d old disputes are on them",
			len(rep.Problems), len(rep.OpenPayments), len(rep.OpenDisputes))}
	}
	return nil
}

// importProgress prints each collection's counts: one line redrawn on a terminal, a line per
// collection otherwise, JSON lines with --json.
type importProgress struct {
	out      io.Writer
	json     bool
	terminal bool
}

func newImportProgress(out io.Writer, asJSON bool) *importProgress {
	p := &importProgress{out: out, json: asJSON}
	if f, ok := out.(*os.File); ok {
		p.terminal = term.IsTerminal(int(f.Fd()))
	}
	return p
}

func (p *importProgress) show(c legacy.Counts) {
	if p.json {
		b, _ := json.Marshal(struct {
			Event string `json:"event"`
			legacy.Counts
		}{"progress", c})
		fmt.Fprintln(p.out, string(b))
		return
	}
	line := fmt.Sprintf("%-18s %7d read  %6d new  %6d updated  %6d unchanged  %5d skipped  %8.0f/s",
		c.Collection, c.Read, c.Created, c.Updated, c.Unchanged, c.Skipped, c.Rate)
	switch {
	case p.terminal && !c.Done:
		fmt.Fprintf(p.out, "\r%s", line)
	case p.terminal:
		fmt.Fprintf(p.out, "\r%s\n", line)
	case c.Done:
		fmt.Fprintln(p.out, line)
	}
}

func printImportReport(out io.Writer, rep *legacy.Report, asJSON bool) error {
	if asJSON {
		b, err := json.Marshal(struct {
			Event string `json:"event"`
			*legacy.Report
		}{"report", rep})
		if err != nil {
			return err
		}
		_, err = fmt.Fprintln(out, string(b))
		return err
	}
	if rep.DryRun {
		fmt.Fprintln(out, "dry run: nothing was written; the counts above are what would change")
	}
	if len(rep.Checks) > 0 {
		w := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, "COLLECTION\tSOURCE\tMALFORMED\tEXPECTED\tTARGET\tSTALE\tSUM\tSOURCE SUM\tTARGET SUM\tOK")
		for _, c := range rep.Checks {
			fmt.Fprintf(w, "%s\t%d\t%d\t%d\t%d\t%d\t%s\t%s\t%s\t%v\n", c.Collection, c.SourceTotal, c.Malformed, c.SourceCount,
				c.TargetCount, c.Stale, c.SumName, c.SourceSum, c.TargetSum, c.OK)
		}
		if err := w.Flush(); err != nil {
			return err
		}
	}
	for _, p := range rep.Problems {
		fmt.Fprintf(out, "skipped %s %s: %s\n", p.Collection, p.ID, p.Reason)
	}
	for _, c := range rep.Checks {
		if c.Stale > 0 {
			fmt.Fprintf(out, "stale %s (not in the target as the source has them; %d in all): %s\n", c.Collection, c.Stale, strings.Join(c.StaleIDs, " "))
		}
	}
	for _, p := range rep.Notes {
		fmt.Fprintf(out, "imported with a part left out %s %s: %s\n", p.Collection, p.ID, p.Reason)
	}
	for _, p := range rep.OpenPayments {
		ids, _ := json.Marshal(p.ProviderIDs)
		fmt.Fprintf(out, "OPEN PAYMENT (funds held by the old backend; settle it there): payment %s request %s %s %s on %s via %s %s\n",
			p.ID, p.Request, p.Amount, p.Token, p.Chain, p.Provider, ids)
	}
	for _, d := range rep.OpenDisputes {
		fmt.Fprintf(out, "OPEN DISPUTE (its payment's funds are held by the old backend; settle it there): dispute %s (%s) payment %s (%s) request %s %s %s on %s\n",
			d.ID, d.Status, d.Payment, d.PaymentStatus, d.Request, d.Amount, d.Token, d.Chain)
	}
	if len(rep.NotImported) > 0 {
		fmt.Fprintf(out, "not imported yet: %s\n", strings.Join(rep.NotImported, ", "))
	}
	if !rep.DryRun {
		fmt.Fprintf(out, "verified: %v\n", rep.Verified)
	}
	return nil
}

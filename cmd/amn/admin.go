package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"text/tabwriter"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/google/uuid"
	"github.com/spf13/cobra"

	"github.com/amanat/amn/admin"
	"github.com/amanat/amn/chain"
	"github.com/amanat/amn/intent"
	"github.com/amanat/amn/ledger"
	"github.com/amanat/amn/payment"
	"github.com/amanat/amn/signer"
)

// adminOptions are shared by the admin commands. With --api-url they work over the API with the
// session of amn login (an admin needs no database login); without, on the database through
// package admin (operators).
type adminOptions struct {
	dbOptions
	APIURL      string
	Escrow      string
	ChainConfig string
	RPCURL      string
}

func newAdminCmd() *cobra.Command {
	var o adminOptions
	cmd := &cobra.Command{Use: "admin", Short: "Ask for releases, refunds, sweeps and gas top-ups, and follow the signer's intents (admins)"}
	pf := cmd.PersistentFlags()
	pf.StringVar(&o.APIURL, "api-url", "", "work over this API with the session of amn login instead of the database")
	pf.StringVar(&o.DatabaseURL, "database-url", "", "PostgreSQL URL (database mode, operators)")
	pf.BoolVar(&o.JSON, "json", false, "print JSON instead of text")
	pf.StringVar(&o.Escrow, "escrow", "", "database mode: the AmnEscrow contract (default: the payment's chain's escrow in --chain-config)")
	pf.StringVar(&o.ChainConfig, "chain-config", "", "chain config file (escrow contract and nodes per chain; in API mode only chain names for topup)")
	pf.StringVar(&o.RPCURL, "rpc-url", "", "database mode: a node to read the escrow's threshold() and custodians() from, for the approvals display (default: the chain config's first endpoint)")
	cmd.AddCommand(newAdminRequestCmd(&o, intent.Release), newAdminRequestCmd(&o, intent.Refund),
		newAdminSweepCmd(&o), newAdminTopupCmd(&o), newAdminIntentsCmd(&o), newAdminGasCmd(&o))
	return cmd
}

// backend is the API (with --api-url) or the database; close releases it.
func (o *adminOptions) backend(ctx context.Context, cmd *cobra.Command) (b adminBackend, closeFn func(), err error) {
	if o.APIURL != "" {
		if o.Escrow != "" || o.RPCURL != "" || o.DatabaseURL != "" {
			return nil, nil, badInput(errors.New("--escrow, --rpc-url and --database-url are for database mode: over the API the server's chain config decides"))
		}
		c, err := newSessionClient(o.APIURL)
		if err != nil {
			return nil, nil, err
		}
		return apiAdmin{c: c}, func() {}, nil
	}
	cfg := admin.Config{RPCURL: o.RPCURL, SignerTxs: signer.TxRecord{}}
	if o.Escrow != "" {
		if !common.IsHexAddress(o.Escrow) {
			return nil, nil, badInput(fmt.Errorf("--escrow %q is not an address", o.Escrow))
		}
		cfg.Escrow = common.HexToAddress(o.Escrow)
	}
	if cfg.Registry, err = chain.LoadRegistry(o.ChainConfig); err != nil {
		return nil, nil, badInput(err)
	}
	pool, err := o.open(ctx, cmd)
	if err != nil {
		return nil, nil, err
	}
	return admin.New(pool, cfg), pool.Close, nil
}

// actor is who the intents' timeline names in database mode (over the API: the admin user).
const actor = "admin-cli"

func newAdminRequestCmd(o *adminOptions, k intent.Kind) *cobra.Command {
	var (
		r            admin.Request
		feeRecipient string
		timeout      time.Duration
		wait         bool
	)
	cmd := &cobra.Command{
		Use:   string(k) + " PAYMENT",
		Short: "Ask for the escrowed money of PAYMENT to go to the " + map[intent.Kind]string{intent.Release: "seller", intent.Refund: "buyer"}[k],
		Long: `Moves the payment to ` + string(k) + `_pending and records a ` + string(k) + ` intent awaiting custodian
approvals (EIP-712 over exactly the amounts, recipients and deadline shown). Asking again returns
the same intent. With --wait it follows the intent (approvals gathered, transactions, final state)
until it is done or rejected.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			id, err := ledger.ParseID(args[0])
			if err != nil {
				return badInput(fmt.Errorf("%q is not a payment id", args[0]))
			}
			if k == intent.Refund && r.Reason == "" {
				return badInput(errors.New("--reason is required for a refund"))
			}
			if feeRecipient != "" {
				if !common.IsHexAddress(feeRecipient) {
					return badInput(fmt.Errorf("--fee-recipient %q is not an address", feeRecipient))
				}
				r.FeeRecipient = common.HexToAddress(feeRecipient)
			}
			b, closeFn, err := o.backend(ctx, cmd)
			if err != nil {
				return err
			}
			defer closeFn()
			r.Actor = actor
			v, created, err := b.RequestPayout(ctx, k, id, r)
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if !o.JSON {
				printPayout(out, v, created)
			}
			return finishIntent(ctx, out, b, o.JSON, v, wait, timeout)
		},
	}
	f := cmd.Flags()
	if k == intent.Refund {
		f.StringVar(&r.Reason, "reason", "", "why the buyer is refunded (required; kept in the payment timeline)")
	} else {
		f.StringVar(&r.Reason, "reason", "", "why (kept in the payment timeline)")
		f.StringVar(&feeRecipient, "fee-recipient", "", "where the commission goes (default: the payment's fee address)")
	}
	f.BoolVar(&r.ResolvesDispute, "resolves-dispute", false, "the payout of a resolved dispute: approvals also work on an escrow the arbiter froze")
	f.DurationVar(&r.TTL, "ttl", intent.DefaultTTL, fmt.Sprintf("how long custodian approvals stay valid (the signed deadline; at most %s)", intent.MaxTTL))
	f.BoolVar(&wait, "wait", false, "follow the intent until it is done or rejected")
	f.DurationVar(&timeout, "timeout", 30*time.Minute, "with --wait: give up following after this long (the intent goes on)")
	return cmd
}

func printPayout(out io.Writer, v admin.IntentView, created bool) {
	in := v.Intent
	verb := "recorded"
	if !created {
		verb = "already open"
	}
	fmt.Fprintf(out, "%s intent %s %s for payment %s (state %s)\n", in.Kind, in.ID, verb, in.PaymentID, in.State)
	describeIntent(out, in)
	digest := "?"
	if v.Digest != nil {
		digest = v.Digest.Hex()
	}
	fmt.Fprintf(out, "custodians sign EIP-712 digest %s (chain %d, contract %s), deadline %s\n",
		digest, in.ChainID, in.Contract.Hex(), time.Unix(in.Deadline, 0).UTC().Format(time.RFC3339))
	if v.Progress != nil && v.Progress.Known() {
		fmt.Fprintf(out, "the contract needs %d of its %d custodians\n", v.Progress.Threshold, v.Progress.Custodians)
	}
}

func describeIntent(w io.Writer, in *intent.Intent) {
	switch in.Kind {
	case intent.Release:
		fmt.Fprintf(w, "  pays %s to seller %s and %s to %s (token %s)\n", in.SellerAmount, in.Seller.Hex(), in.FeeAmount, in.FeeRecipient.Hex(), in.Token.Hex())
	case intent.Refund:
		fmt.Fprintf(w, "  pays %s back to buyer %s (token %s)\n", in.Amount, in.Buyer.Hex(), in.Token.Hex())
	case intent.Settle:
		fmt.Fprintf(w, "  splits the escrow: %s to buyer %s, %s to seller %s, %s to %s (token %s)\n", in.BuyerAmount, in.Buyer.Hex(),
			in.SellerAmount, in.Seller.Hex(), in.FeeAmount, in.FeeRecipient.Hex(), in.Token.Hex())
	case intent.Sweep:
		fmt.Fprintf(w, "  moves %s of token %s into escrow %s\n", in.Amount, in.Token.Hex(), in.Contract.Hex())
	case intent.GasTopup:
		fmt.Fprintf(w, "  sends %s wei from the gas tank to %s\n", in.Amount, in.Recipient.Hex())
	case intent.Freeze:
		fmt.Fprintf(w, "  freezes the escrow of disputed payment %s in %s\n", in.PaymentID, in.Contract.Hex())
	case intent.Unfreeze:
		fmt.Fprintf(w, "  unfreezes the escrow of payment %s (its dispute was resumed) in %s\n", in.PaymentID, in.Contract.Hex())
	}
}

// finishIntent ends a command that recorded an intent: with --wait it follows the intent, else
// with --json it prints it.
func finishIntent(ctx context.Context, w io.Writer, b adminBackend, asJSON bool, v admin.IntentView, wait bool, timeout time.Duration) error {
	switch {
	case wait:
		return followIntent(ctx, w, b, asJSON, v, timeout)
	case asJSON:
		return printJSON(w, v.Intent)
	}
	return nil
}

// followIntent reads the intent every second and prints each change (approvals gathered of the
// threshold, transactions, state) until it is done or rejected. A rejected intent exits 1 with
// its reason.
func followIntent(ctx context.Context, w io.Writer, b adminBackend, asJSON bool, v admin.IntentView, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if !asJSON && v.Progress != nil && !v.Progress.Known() {
		fmt.Fprintf(w, "note: threshold unknown, approvals show as gathered/?: %s\n", v.QuorumUnknown)
	}
	last := ""
	for {
		line := progressLine(v)
		if !asJSON && line != last {
			fmt.Fprintln(w, time.Now().UTC().Format("15:04:05")+"  "+line)
			last = line
		}
		if !v.State.Open() {
			break
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("intent %s still %s after %s (it goes on; follow it with amn admin intents show)", v.ID, v.State, timeout)
		case <-time.After(time.Second):
		}
		next, err := b.Intent(ctx, v.ID)
		if err != nil {
			if ctx.Err() != nil {
				return fmt.Errorf("intent %s still %s after %s (it goes on; follow it with amn admin intents show)", v.ID, v.State, timeout)
			}
			return err
		}
		v = next
	}
	if asJSON {
		if err := printJSON(w, v); err != nil {
			return err
		}
	}
	if v.State == intent.Rejected {
		return fmt.Errorf("intent %s rejected: %s", v.ID, v.Reason)
	}
	return nil
}

func progressLine(v admin.IntentView) string {
	line := fmt.Sprintf("state %-18s", v.State)
	if v.Progress != nil {
		line += fmt.Sprintf(" approvals %-9s", v.Progress)
	}
	line += fmt.Sprintf(" transactions %d", len(v.Txs))
	if n := len(v.Txs); n > 0 {
		t := v.Txs[n-1]
		line += fmt.Sprintf("  last %s %s (%s)", t.Step, t.Hash, t.State)
	}
	return line
}

func newAdminSweepCmd(o *adminOptions) *cobra.Command {
	var chainID uint64
	var dryRun bool
	cmd := &cobra.Command{
		Use:   "sweep",
		Short: "Record sweep intents for every paid deposit not yet swept",
		Long: `sweep finds payments whose deposit is due for sweeping (funded, overpaid, late) and records a
sweep intent for each, as the payment_sweep job does (over the API, it hands each to that job).
--dry-run only lists them.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			b, closeFn, err := o.backend(ctx, cmd)
			if err != nil {
				return err
			}
			defer closeFn()
			lines, err := b.SweepDue(ctx, chainID, dryRun)
			if err != nil {
				return err
			}
			return printSweeps(cmd.OutOrStdout(), o.JSON, lines, dryRun)
		},
	}
	cmd.Flags().Uint64Var(&chainID, "chain-id", 0, "only this chain")
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "list what would be swept; record nothing")
	return cmd
}

func printSweeps(w io.Writer, asJSON bool, lines []intent.DueSweep, dryRun bool) error {
	failed := 0
	for _, l := range lines {
		if l.Error != "" {
			failed++
		}
	}
	if asJSON {
		if err := printJSON(w, lines); err != nil {
			return err
		}
	} else {
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "PAYMENT\tCHAIN\tDEPOSIT\tAMOUNT\tINTENT")
		for _, l := range lines {
			what := l.Intent
			if dryRun {
				what = "(dry run)"
			}
			if l.Error != "" {
				what = "error: " + l.Error
			}
			fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\n", l.PaymentID, l.ChainID, l.Deposit, l.Amount, what)
		}
		_ = tw.Flush()
		fmt.Fprintf(w, "%d deposits due\n", len(lines))
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d sweeps could not be recorded", failed, len(lines))
	}
	return nil
}

func newAdminTopupCmd(o *adminOptions) *cobra.Command {
	var (
		chainFlag string
		wait      bool
		timeout   time.Duration
	)
	cmd := &cobra.Command{
		Use:   "topup --chain CHAIN ADDRESS AMOUNT",
		Short: "Ask the signer to send the chain's currency from the gas tank to ADDRESS (for gas)",
		Long: `topup records a gas_topup intent: AMOUNT of the chain's own currency (ETH, BNB, POL), in whole
units exact to 18 decimals (0.05 is 50000000000000000 wei), from the gas tank to ADDRESS. The
signer sends it only when its policy lists ADDRESS under gas_topups for the chain and the amount
is within the per-transaction and 24-hour limits; otherwise it rejects the intent with the reason
(--wait then exits 1). Asking again while the top-up is open returns the same intent.`,
		Example: `  amn admin topup --chain bsc 0x9858EfFD232B4033E47d90003D41EC34EcaEda94 0.01 --wait`,
		Args:    cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if chainFlag == "" {
				return badInput(errors.New("--chain is required (eth, bsc, polygon, a chain id or a key from --chain-config)"))
			}
			if !common.IsHexAddress(args[0]) || common.HexToAddress(args[0]) == (common.Address{}) {
				return badInput(fmt.Errorf("%q is not an address to top up", args[0]))
			}
			wei, err := payment.ParseUnits(args[1], payment.NativeDecimals)
			if err != nil || wei.Sign() <= 0 {
				return badInput(fmt.Errorf("amount %q: want a positive amount of the chain's currency with at most %d decimals, such as 0.05",
					args[1], payment.NativeDecimals))
			}
			c, err := lookupChain(o.ChainConfig, chainFlag)
			if err != nil {
				return err
			}
			b, closeFn, err := o.backend(ctx, cmd)
			if err != nil {
				return err
			}
			defer closeFn()
			v, created, err := b.RequestTopup(ctx, admin.Topup{ChainID: c.ID, Recipient: common.HexToAddress(args[0]), Amount: wei, Actor: actor})
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if !o.JSON {
				verb := "recorded"
				if !created {
					verb = "already open"
				}
				cur := c.Currency
				if cur == "" {
					cur = "native"
				}
				fmt.Fprintf(out, "gas_topup intent %s %s (state %s): %s %s (%s wei) from the gas tank to %s on %s (chain %d)\n",
					v.ID, verb, v.State, payment.FormatUnits(v.Amount, payment.NativeDecimals), cur, v.Amount, v.Recipient.Hex(), c.Key, c.ID)
			}
			return finishIntent(ctx, out, b, o.JSON, v, wait, timeout)
		},
	}
	f := cmd.Flags()
	f.StringVar(&chainFlag, "chain", "", "the chain: eth, bsc, polygon, a chain id or a key from --chain-config")
	f.BoolVar(&wait, "wait", false, "follow the intent until it is done or rejected")
	f.DurationVar(&timeout, "timeout", 30*time.Minute, "with --wait: give up following after this long (the intent goes on)")
	return cmd
}

// intentsFilter reads the list's flags.
func intentsFilter(state, k, pid string, limit int) (intent.Filter, error) {
	f := intent.Filter{State: intent.State(state), Kind: intent.Kind(k), Limit: limit}
	switch f.State {
	case "", intent.Pending, intent.AwaitingApprovals, intent.Approved, intent.Signing, intent.Broadcast, intent.Confirmed, intent.Done, intent.Rejected:
	default:
		return f, badInput(fmt.Errorf("--state %q is not an intent state", state))
	}
	switch f.Kind {
	case "", intent.Sweep, intent.Release, intent.Refund, intent.Settle, intent.GasTopup, intent.Freeze, intent.Unfreeze:
	default:
		return f, badInput(fmt.Errorf("--kind %q is not an intent kind", k))
	}
	if pid != "" {
		id, err := ledger.ParseID(pid)
		if err != nil {
			return f, badInput(fmt.Errorf("--payment %q is not a payment id", pid))
		}
		f.PaymentID = id
	}
	return f, nil
}

func newAdminIntentsCmd(o *adminOptions) *cobra.Command {
	var state, k, pid string
	var limit int
	cmd := &cobra.Command{
		Use:   "intents",
		Short: "List the signer's intents with their approvals and transactions",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			f, err := intentsFilter(state, k, pid, limit)
			if err != nil {
				return err
			}
			b, closeFn, err := o.backend(ctx, cmd)
			if err != nil {
				return err
			}
			defer closeFn()
			rows, err := b.Intents(ctx, f)
			if err != nil {
				return err
			}
			if o.JSON {
				return printJSON(cmd.OutOrStdout(), rows)
			}
			return printIntents(cmd.OutOrStdout(), cmd.ErrOrStderr(), rows)
		},
	}
	cmd.Flags().StringVar(&state, "state", "", "only intents in this state")
	cmd.Flags().StringVar(&k, "kind", "", "only this kind: sweep, release, refund, gas_topup, freeze, unfreeze")
	cmd.Flags().StringVar(&pid, "payment", "", "only this payment's intents")
	cmd.Flags().IntVar(&limit, "limit", 100, "at most this many, newest first")
	cmd.AddCommand(newAdminIntentShowCmd(o))
	return cmd
}

func printIntents(out, notes io.Writer, rows []admin.IntentView) error {
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "INTENT\tKIND\tPAYMENT\tCHAIN\tSTATE\tAPPROVALS\tTXS\tGAS\tREASON")
	unknown := map[string]string{}
	for _, r := range rows {
		pid, approvals := "-", "-"
		if !r.PaymentID.IsZero() {
			pid = r.PaymentID.String()
		}
		if r.Progress != nil {
			approvals = r.Progress.String()
			if r.QuorumUnknown != "" {
				unknown[fmt.Sprintf("%d/%s", r.ChainID, r.Contract.Hex())] = r.QuorumUnknown
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s\t%d\t%d\t%s\n", r.ID, r.Kind, pid, r.ChainID, r.State, approvals, len(r.Txs), r.GasUsed, r.Reason)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	keys := make([]string, 0, len(unknown))
	for k := range unknown {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(notes, "note: threshold of %s unknown: %s\n", k, unknown[k])
	}
	return nil
}

func newAdminIntentShowCmd(o *adminOptions) *cobra.Command {
	var wait bool
	var timeout time.Duration
	cmd := &cobra.Command{
		Use:   "show INTENT",
		Short: "Show one intent: what it pays, the EIP-712 digest, approvals of the quorum, transactions; --wait follows it",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			id, err := uuid.Parse(args[0])
			if err != nil {
				return badInput(fmt.Errorf("%q is not an intent id", args[0]))
			}
			b, closeFn, err := o.backend(ctx, cmd)
			if err != nil {
				return err
			}
			defer closeFn()
			v, err := b.Intent(ctx, id)
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if wait {
				return followIntent(ctx, out, b, o.JSON, v, timeout)
			}
			if o.JSON {
				return printJSON(out, v)
			}
			fmt.Fprintf(out, "%s intent %s (state %s), requested by %s\n", v.Kind, v.ID, v.State, v.RequestedBy)
			describeIntent(out, v.Intent)
			if v.Digest != nil {
				fmt.Fprintf(out, "custodians sign EIP-712 digest %s (chain %d, contract %s), deadline %s\n",
					v.Digest.Hex(), v.ChainID, v.Contract.Hex(), time.Unix(v.Deadline, 0).UTC().Format(time.RFC3339))
			}
			fmt.Fprintln(out, progressLine(v))
			if v.QuorumUnknown != "" {
				fmt.Fprintf(cmd.ErrOrStderr(), "note: threshold unknown: %s\n", v.QuorumUnknown)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&wait, "wait", false, "follow the intent until it is done or rejected")
	cmd.Flags().DurationVar(&timeout, "timeout", 30*time.Minute, "with --wait: give up following after this long (the intent goes on)")
	return cmd
}

package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/spf13/cobra"

	"github.com/amanat/amn/chain"
	"github.com/amanat/amn/config"
	"github.com/amanat/amn/custody"
	"github.com/amanat/amn/escrow"
	"github.com/amanat/amn/intent"
	"github.com/amanat/amn/ledger"
	"github.com/amanat/amn/payment"
	"github.com/amanat/amn/signer"
)

// adminOptions are shared by the admin commands. Until the API lands they work on the database
// directly, through the payments service and the intent store (never through a key).
type adminOptions struct {
	dbOptions
	Escrow      string
	ChainConfig string
	RPCURL      string

	quorums map[string]quorumRead // by chain id and contract: read once per command
}

// quorumRead is a contract's custodian set as read from a node, or why it could not be.
type quorumRead struct {
	on  *custody.OnChain
	why string
}

func newAdminCmd() *cobra.Command {
	var o adminOptions
	cmd := &cobra.Command{Use: "admin", Short: "Ask for releases, refunds, sweeps and gas top-ups, and follow the signer's intents (admins)"}
	pf := cmd.PersistentFlags()
	pf.StringVar(&o.DatabaseURL, "database-url", "", "PostgreSQL URL")
	pf.BoolVar(&o.JSON, "json", false, "print JSON instead of text")
	pf.StringVar(&o.Escrow, "escrow", "", "the AmnEscrow contract (default: the payment's chain's escrow in --chain-config)")
	pf.StringVar(&o.ChainConfig, "chain-config", "", "chain config file (escrow contract and nodes per chain)")
	pf.StringVar(&o.RPCURL, "rpc-url", "", "a node to read the escrow's threshold() and custodians() from, for the approvals display (default: the chain config's first endpoint)")
	cmd.AddCommand(newAdminRequestCmd(&o, intent.Release), newAdminRequestCmd(&o, intent.Refund),
		newAdminSweepCmd(&o), newAdminTopupCmd(&o), newAdminIntentsCmd(&o), newAdminGasCmd(&o))
	return cmd
}

// escrowFor is the escrow contract intents of chainID name.
func (o *adminOptions) escrowFor(chainID uint64) (common.Address, error) {
	if o.Escrow != "" {
		if !common.IsHexAddress(o.Escrow) {
			return common.Address{}, badInput(fmt.Errorf("--escrow %q is not an address", o.Escrow))
		}
		return common.HexToAddress(o.Escrow), nil
	}
	reg, err := chain.LoadRegistry(o.ChainConfig)
	if err != nil {
		return common.Address{}, badInput(err)
	}
	c, err := reg.Get(strconv.FormatUint(chainID, 10))
	if err != nil || c.Escrow == (common.Address{}) {
		return common.Address{}, badInput(fmt.Errorf("no escrow contract known for chain %d: give --escrow or a --chain-config with one", chainID))
	}
	return c.Escrow, nil
}

// onChain reads the custodian set and threshold of contract on chainID (no key needed: a view
// call), once per command. When it cannot, it says why; the display then shows approvals as "n/?".
func (o *adminOptions) onChain(ctx context.Context, chainID uint64, contract common.Address) quorumRead {
	k := fmt.Sprintf("%d/%s", chainID, contract.Hex())
	if q, ok := o.quorums[k]; ok {
		return q
	}
	if o.quorums == nil {
		o.quorums = map[string]quorumRead{}
	}
	q := o.readQuorum(ctx, chainID, contract)
	o.quorums[k] = q
	return q
}

func (o *adminOptions) readQuorum(ctx context.Context, chainID uint64, contract common.Address) quorumRead {
	url := o.RPCURL
	if url == "" {
		reg, err := chain.LoadRegistry(o.ChainConfig)
		if err != nil {
			return quorumRead{why: err.Error()}
		}
		if c, err := reg.Get(strconv.FormatUint(chainID, 10)); err == nil && len(c.Endpoints) > 0 {
			url = c.Endpoints[0]
		}
	}
	if url == "" {
		return quorumRead{why: fmt.Sprintf("no node for chain %d to read the threshold from (give --rpc-url or a --chain-config with endpoints)", chainID)}
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	c, err := ethclient.DialContext(ctx, url)
	if err != nil {
		return quorumRead{why: fmt.Sprintf("node %s: %v", config.MaskURL(url), err)}
	}
	defer c.Close()
	on, err := custody.ReadOnChain(ctx, c, contract, chainID)
	if err != nil {
		return quorumRead{why: fmt.Sprintf("%v (node %s)", err, config.MaskURL(url))}
	}
	return quorumRead{on: on}
}

// progress tallies a release's or refund's approvals against its contract's quorum; nil for
// intents that take no approvals.
func (o *adminOptions) progress(ctx context.Context, in *intent.Intent, approvals []escrow.Approval) *custody.Progress {
	if in.Kind != intent.Release && in.Kind != intent.Refund {
		return nil
	}
	p := custody.ApprovalProgress(in, approvals, o.onChain(ctx, in.ChainID, in.Contract).on)
	return &p
}

// unknownQuorums says, once per chain, why approvals show as "n/?".
func (o *adminOptions) unknownQuorums(w io.Writer) {
	keys := make([]string, 0, len(o.quorums))
	for k, q := range o.quorums {
		if q.on == nil {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(w, "note: threshold of %s unknown: %s\n", k, o.quorums[k].why)
	}
}

func newAdminRequestCmd(o *adminOptions, kind intent.Kind) *cobra.Command {
	var (
		reason, feeRecipient string
		ttl, timeout         time.Duration
		wait, resolves       bool
	)
	cmd := &cobra.Command{
		Use:   string(kind) + " PAYMENT",
		Short: "Ask for the escrowed money of PAYMENT to go to the " + map[intent.Kind]string{intent.Release: "seller", intent.Refund: "buyer"}[kind],
		Long: `Moves the payment to ` + string(kind) + `_pending and records a ` + string(kind) + ` intent awaiting custodian
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
			if kind == intent.Refund && reason == "" {
				return badInput(errors.New("--reason is required for a refund"))
			}
			pool, err := o.open(ctx, cmd)
			if err != nil {
				return err
			}
			defer pool.Close()
			payments := payment.New(pool, nil)
			p, err := payments.Get(ctx, id)
			if err != nil {
				return err
			}
			contract, err := o.escrowFor(p.ChainID)
			if err != nil {
				return err
			}
			ro := intent.RequestOptions{Actor: "admin-cli", Reason: reason, Contract: contract, TTL: ttl, ResolvesDispute: resolves}
			if feeRecipient != "" {
				if !common.IsHexAddress(feeRecipient) {
					return badInput(fmt.Errorf("--fee-recipient %q is not an address", feeRecipient))
				}
				ro.FeeRecipient = common.HexToAddress(feeRecipient)
			}
			store := intent.NewStore(pool, payments, signer.TxRecord{})
			var in *intent.Intent
			var created bool
			if kind == intent.Release {
				in, created, err = store.RequestRelease(ctx, id, ro)
			} else {
				in, created, err = store.RequestRefund(ctx, id, ro)
			}
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if !o.JSON {
				verb := "recorded"
				if !created {
					verb = "already open"
				}
				digest, _ := in.Digest()
				fmt.Fprintf(out, "%s intent %s %s for payment %s (state %s)\n", kind, in.ID, verb, id, in.State)
				describeIntent(out, in)
				fmt.Fprintf(out, "custodians sign EIP-712 digest %s (chain %d, contract %s), deadline %s\n",
					digest.Hex(), in.ChainID, in.Contract.Hex(), time.Unix(in.Deadline, 0).UTC().Format(time.RFC3339))
				if q := o.onChain(ctx, in.ChainID, in.Contract); q.on != nil {
					fmt.Fprintf(out, "the contract needs %d of its %d custodians\n", q.on.Threshold, len(q.on.Custodians))
				}
			}
			return finishIntent(ctx, out, store, o, in, wait, timeout)
		},
	}
	f := cmd.Flags()
	if kind == intent.Refund {
		f.StringVar(&reason, "reason", "", "why the buyer is refunded (required; kept in the payment timeline)")
	} else {
		f.StringVar(&reason, "reason", "", "why (kept in the payment timeline)")
		f.StringVar(&feeRecipient, "fee-recipient", "", "where the commission goes (default: the payment's fee address)")
	}
	f.BoolVar(&resolves, "resolves-dispute", false, "the payout of a resolved dispute: approvals also work on an escrow the arbiter froze")
	f.DurationVar(&ttl, "ttl", intent.DefaultTTL, fmt.Sprintf("how long custodian approvals stay valid (the signed deadline; at most %s)", intent.MaxTTL))
	f.BoolVar(&wait, "wait", false, "follow the intent until it is done or rejected")
	f.DurationVar(&timeout, "timeout", 30*time.Minute, "with --wait: give up following after this long (the intent goes on)")
	return cmd
}

func describeIntent(w io.Writer, in *intent.Intent) {
	switch in.Kind {
	case intent.Release:
		fmt.Fprintf(w, "  pays %s to seller %s and %s to %s (token %s)\n", in.SellerAmount, in.Seller.Hex(), in.FeeAmount, in.FeeRecipient.Hex(), in.Token.Hex())
	case intent.Refund:
		fmt.Fprintf(w, "  pays %s back to buyer %s (token %s)\n", in.Amount, in.Buyer.Hex(), in.Token.Hex())
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
func finishIntent(ctx context.Context, w io.Writer, store *intent.Store, o *adminOptions, in *intent.Intent, wait bool,
	timeout time.Duration) error {
	switch {
	case wait:
		return followIntent(ctx, w, store, o, in, timeout)
	case o.JSON:
		return printJSON(w, in)
	}
	return nil
}

// followIntent prints each change of the intent (approvals gathered of the threshold,
// transactions, state) until it is done or rejected. A rejected intent exits 1 with its reason.
func followIntent(ctx context.Context, w io.Writer, store *intent.Store, o *adminOptions, in *intent.Intent, timeout time.Duration) error {
	asJSON := o.JSON
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if !asJSON && (in.Kind == intent.Release || in.Kind == intent.Refund) {
		if q := o.onChain(ctx, in.ChainID, in.Contract); q.on == nil {
			fmt.Fprintf(w, "note: threshold unknown, approvals show as gathered/?: %s\n", q.why)
		}
	}
	last := ""
	show := func(p intent.Progress) {
		prog := o.progress(ctx, p.Intent, p.Approvals)
		line := fmt.Sprintf("%s  state %-18s", time.Now().UTC().Format("15:04:05"), p.Intent.State)
		if prog != nil {
			line += fmt.Sprintf(" approvals %-9s", prog)
		}
		line += fmt.Sprintf(" transactions %d", len(p.Txs))
		if n := len(p.Txs); n > 0 {
			t := p.Txs[n-1]
			line += fmt.Sprintf("  last %s %s (%s)", t.Step, t.Hash, t.State)
		}
		if !asJSON && line[10:] != last {
			fmt.Fprintln(w, line)
			last = line[10:]
		}
	}
	p, err := store.Watch(ctx, in.ID, time.Second, show)
	if errors.Is(err, context.DeadlineExceeded) && p.Intent != nil {
		return fmt.Errorf("intent %s still %s after %s (it goes on; follow it with amn admin intents)", p.Intent.ID, p.Intent.State, timeout)
	}
	if err != nil {
		return err
	}
	if asJSON {
		if err := printJSON(w, intentRow{Intent: p.Intent, Approvals: len(p.Approvals), Progress: o.progress(ctx, p.Intent, p.Approvals), Txs: p.Txs}); err != nil {
			return err
		}
	}
	if p.Intent.State == intent.Rejected {
		return fmt.Errorf("intent %s rejected: %s", p.Intent.ID, p.Intent.Reason)
	}
	return nil
}

func newAdminSweepCmd(o *adminOptions) *cobra.Command {
	var chainID uint64
	var dryRun bool
	cmd := &cobra.Command{
		Use:   "sweep",
		Short: "Record sweep intents for every paid deposit not yet swept",
		Long: `sweep finds payments whose deposit is due for sweeping (funded, overpaid, late) and records a
sweep intent for each, as the payment_sweep job does. --dry-run only lists them.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			pool, err := o.open(ctx, cmd)
			if err != nil {
				return err
			}
			defer pool.Close()
			return adminSweep(ctx, cmd.OutOrStdout(), pool, o, chainID, dryRun)
		},
	}
	cmd.Flags().Uint64Var(&chainID, "chain-id", 0, "only this chain")
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "list what would be swept; record nothing")
	return cmd
}

func adminSweep(ctx context.Context, w io.Writer, pool *pgxpool.Pool, o *adminOptions, chainID uint64, dryRun bool) error {
	lines, err := intent.NewStore(pool, payment.New(pool, nil), nil).SweepDue(ctx, chainID, o.escrowFor, dryRun)
	if err != nil {
		return err
	}
	failed := 0
	for _, l := range lines {
		if l.Error != "" {
			failed++
		}
	}
	if o.JSON {
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
			to := common.HexToAddress(args[0])
			wei, err := payment.ParseUnits(args[1], payment.NativeDecimals)
			if err != nil || wei.Sign() <= 0 {
				return badInput(fmt.Errorf("amount %q: want a positive amount of the chain's currency with at most %d decimals, such as 0.05",
					args[1], payment.NativeDecimals))
			}
			c, err := lookupChain(o.ChainConfig, chainFlag)
			if err != nil {
				return err
			}
			contract, err := o.escrowFor(c.ID)
			if err != nil {
				return err
			}
			pool, err := o.open(ctx, cmd)
			if err != nil {
				return err
			}
			defer pool.Close()
			store := intent.NewStore(pool, payment.New(pool, nil), signer.TxRecord{})
			in, created, err := store.RequestGasTopup(ctx, intent.GasTopupRequest{ChainID: c.ID, Contract: contract, Recipient: to,
				Amount: wei, Actor: "admin-cli"})
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
					in.ID, verb, in.State, payment.FormatUnits(in.Amount, payment.NativeDecimals), cur, in.Amount, in.Recipient.Hex(), c.Key, c.ID)
			}
			return finishIntent(ctx, out, store, o, in, wait, timeout)
		},
	}
	f := cmd.Flags()
	f.StringVar(&chainFlag, "chain", "", "the chain: eth, bsc, polygon, a chain id or a key from --chain-config")
	f.BoolVar(&wait, "wait", false, "follow the intent until it is done or rejected")
	f.DurationVar(&timeout, "timeout", 30*time.Minute, "with --wait: give up following after this long (the intent goes on)")
	return cmd
}

// intentRow is an intent as the admin commands show it: with its approvals gathered of the
// contract's threshold (release and refund) and its transactions.
type intentRow struct {
	*intent.Intent
	Approvals int               `json:"approvals"` // recorded
	Progress  *custody.Progress `json:"quorum,omitempty"`
	Txs       []intent.Tx       `json:"transactions"`
}

func newAdminIntentsCmd(o *adminOptions) *cobra.Command {
	var state, kind, pid string
	var limit int
	cmd := &cobra.Command{
		Use:   "intents",
		Short: "List the signer's intents with their approvals and transactions",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			f := intent.Filter{State: intent.State(state), Kind: intent.Kind(kind), Limit: limit}
			switch f.State {
			case "", intent.Pending, intent.AwaitingApprovals, intent.Approved, intent.Signing, intent.Broadcast, intent.Confirmed, intent.Done, intent.Rejected:
			default:
				return badInput(fmt.Errorf("--state %q is not an intent state", state))
			}
			switch f.Kind {
			case "", intent.Sweep, intent.Release, intent.Refund, intent.GasTopup:
			default:
				return badInput(fmt.Errorf("--kind %q is not an intent kind", kind))
			}
			if pid != "" {
				id, err := ledger.ParseID(pid)
				if err != nil {
					return badInput(fmt.Errorf("--payment %q is not a payment id", pid))
				}
				f.PaymentID = id
			}
			pool, err := o.open(ctx, cmd)
			if err != nil {
				return err
			}
			defer pool.Close()
			store := intent.NewStore(pool, payment.New(pool, nil), signer.TxRecord{})
			list, err := store.List(ctx, f)
			if err != nil {
				return err
			}
			rows := make([]intentRow, 0, len(list))
			for _, in := range list {
				a, err := store.Approvals(ctx, in.ID)
				if err != nil {
					return err
				}
				txs, err := store.Txs(ctx, in.ID)
				if err != nil {
					return err
				}
				rows = append(rows, intentRow{Intent: in, Approvals: len(a), Progress: o.progress(ctx, in, a), Txs: txs})
			}
			out := cmd.OutOrStdout()
			if o.JSON {
				return printJSON(out, rows)
			}
			tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "INTENT\tKIND\tPAYMENT\tCHAIN\tSTATE\tAPPROVALS\tTXS\tGAS\tREASON")
			for _, r := range rows {
				pid, approvals := "-", "-"
				if !r.PaymentID.IsZero() {
					pid = r.PaymentID.String()
				}
				if r.Progress != nil {
					approvals = r.Progress.String()
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s\t%d\t%d\t%s\n", r.ID, r.Kind, pid, r.ChainID, r.State, approvals, len(r.Txs), r.GasUsed, r.Reason)
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			o.unknownQuorums(cmd.ErrOrStderr())
			return nil
		},
	}
	cmd.Flags().StringVar(&state, "state", "", "only intents in this state")
	cmd.Flags().StringVar(&kind, "kind", "", "only this kind: sweep, release, refund, gas_topup")
	cmd.Flags().StringVar(&pid, "payment", "", "only this payment's intents")
	cmd.Flags().IntVar(&limit, "limit", 100, "at most this many, newest first")
	return cmd
}

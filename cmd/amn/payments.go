package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"text/tabwriter"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/spf13/cobra"

	"github.com/amanat/amn/chain"
	"github.com/amanat/amn/config"
	"github.com/amanat/amn/hd"
	"github.com/amanat/amn/indexer"
	"github.com/amanat/amn/ledger"
	"github.com/amanat/amn/payment"
)

func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func newPaymentsCmd() *cobra.Command {
	var o dbOptions
	cmd := &cobra.Command{Use: "payments", Short: "Inspect payments and their deposit addresses (operators)"}
	cmd.PersistentFlags().StringVar(&o.DatabaseURL, "database-url", "", "PostgreSQL URL")
	cmd.PersistentFlags().BoolVar(&o.JSON, "json", false, "print JSON instead of a table")
	cmd.AddCommand(newPaymentsListCmd(&o), newPaymentsShowCmd(&o), newPaymentsCreateCmd(&o))
	return cmd
}

func newPaymentsListCmd(o *dbOptions) *cobra.Command {
	var f payment.DestinationFilter
	var state string
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List deposit addresses with their payment, chain, state and sweep status",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			pool, err := o.open(ctx)
			if err != nil {
				return err
			}
			defer pool.Close()
			f.State = payment.State(state)
			if state != "" && !isState(f.State) {
				return badInput(fmt.Errorf("--state %q is not a payment state", state))
			}
			dests, err := payment.New(pool, nil).ListDestinations(ctx, f)
			if err != nil {
				return err
			}
			if o.JSON {
				return printJSON(cmd.OutOrStdout(), dests)
			}
			w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, "INDEX\tADDRESS\tCHAIN\tLEDGER\tSTATE\tSWEEP\tRECEIVED\tPAYMENT")
			for _, d := range dests {
				fmt.Fprintf(w, "%d\t%s\t%d\t%s\t%s\t%s\t%s\t%s\n", d.Index, d.Address.Hex(), d.ChainID, d.Ledger, d.State, d.Sweep, d.Received, d.PaymentID)
			}
			return w.Flush()
		},
	}
	cmd.Flags().Uint64Var(&f.ChainID, "chain-id", 0, "only this chain")
	cmd.Flags().StringVar(&state, "state", "", "only payments in this state")
	cmd.Flags().Uint32Var(&f.After, "from-index", 0, "start at this deposit index (paging)")
	cmd.Flags().IntVar(&f.Limit, "limit", 100, "at most this many rows (1–1000)")
	return cmd
}

func isState(s payment.State) bool {
	for _, x := range payment.States {
		if x == s {
			return true
		}
	}
	return false
}

// paymentView is what `payments show` prints.
type paymentView struct {
	Payment  *payment.Payment      `json:"payment"`
	Timeline []payment.TimelineRow `json:"timeline"`
	Entries  []ledger.Entry        `json:"deposit_entries"`
	// Quarantined are observations the indexer could not apply to the payment (amn indexer requeue).
	Quarantined []indexer.QuarantinedObservation `json:"quarantined"`
}

func newPaymentsShowCmd(o *dbOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "show PAYMENT_ID",
		Short: "Show one payment with its timeline and its deposit account's ledger entries",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := ledger.ParseID(args[0])
			if err != nil {
				return badInput(fmt.Errorf("payment id %q: %v", args[0], err))
			}
			ctx := cmd.Context()
			pool, err := o.open(ctx)
			if err != nil {
				return err
			}
			defer pool.Close()
			svc := payment.New(pool, nil)
			var v paymentView
			if v.Payment, err = svc.Get(ctx, id); err != nil {
				return err
			}
			if v.Timeline, err = svc.Timeline(ctx, id); err != nil {
				return err
			}
			if v.Entries, err = ledger.New(pool).Entries(ctx, v.Payment.DepositAcct, 0, 1000); err != nil {
				return err
			}
			if v.Quarantined, err = indexer.Quarantined(ctx, pool, id); err != nil {
				return err
			}
			if o.JSON {
				return printJSON(cmd.OutOrStdout(), v)
			}
			p, out := v.Payment, cmd.OutOrStdout()
			fmt.Fprintf(out, "payment   %s  (%s)\nbuyer     %s  offer %s  seller %s\n", p.ID, p.State, p.BuyerRef, p.OfferRef, p.SellerAddress.Hex())
			fmt.Fprintf(out, "chain     %d  ledger %s  token %s\n", p.ChainID, p.Ledger, p.Token.Hex())
			fmt.Fprintf(out, "amount    %s  received %s  pending %s  (decimals %d)\n",
				payment.FormatUnits(p.Amount, p.Decimals), payment.FormatUnits(p.Received, p.Decimals), payment.FormatUnits(p.PendingAmount, p.Decimals), p.Decimals)
			fmt.Fprintf(out, "deposit   %s  (index %d)  reference %s\nexpires   %s  watched until %s\n\n",
				p.Deposit.Hex(), p.DepositIndex, p.Reference, p.ExpiresAt.Format(time.RFC3339), p.WatchUntil.Format(time.RFC3339))
			w := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, "#\tAT\tEVENT\tFROM\tTO\tACTOR\tREASON")
			for _, t := range v.Timeline {
				fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", t.Seq, t.At.Format(time.RFC3339), t.Event, t.From, t.To, t.Actor, t.Reason)
			}
			fmt.Fprintln(w, "\nSEQ\tTRANSFER\tFIELD\tAMOUNT\tBEFORE\tAFTER\t\t")
			for _, e := range v.Entries {
				fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\t%s\t\t\n", e.Seq, e.TransferID, e.Field, e.Amount, e.Before, e.After)
			}
			if len(v.Quarantined) > 0 {
				fmt.Fprintf(w, "\nQUARANTINED (the indexer could not apply these; fix, then amn indexer requeue %s)\n", id)
				fmt.Fprintln(w, "CHAIN\tBLOCK\tTX\tLOG\tOP\tERROR\t\t")
				for _, q := range v.Quarantined {
					fmt.Fprintf(w, "%d\t%d\t%s\t%d\t%s\t%s\t\t\n", q.ChainID, q.BlockNumber, q.TxHash, q.LogIndex, q.Op, q.Error)
				}
			}
			return w.Flush()
		},
	}
}

// createOptions describe a test payment.
type createOptions struct {
	Xpub, Buyer, BuyerAddress, Offer, Seller, Chain, Token, Symbol, Amount, Fee, FeeAddress, Commission, RequestID, Salt string
	Decimals                                                                                                             uint8
	TTL                                                                                                                  time.Duration
}

func (c *createOptions) Validate() error {
	for flag, addr := range map[string]string{"seller": c.Seller, "token": c.Token} {
		if !common.IsHexAddress(addr) {
			return fmt.Errorf("%w: --%s must be a 0x address", config.ErrInvalid, flag)
		}
	}
	for flag, addr := range map[string]string{"fee-address": c.FeeAddress, "buyer-address": c.BuyerAddress} {
		if addr != "" && !common.IsHexAddress(addr) {
			return fmt.Errorf("%w: --%s must be a 0x address", config.ErrInvalid, flag)
		}
	}
	if _, err := chain.Lookup(c.Chain); err != nil {
		return err
	}
	if _, err := hd.ParseXpub(c.Xpub); err != nil {
		return fmt.Errorf("%w: --xpub (AMN_XPUB): %v", config.ErrInvalid, err)
	}
	return nil
}

func newPaymentsCreateCmd(o *dbOptions) *cobra.Command {
	var c createOptions
	cmd := &cobra.Command{
		Use:   "create",
		Short: "Create a payment for testing on a devnet (amounts in token units, e.g. 12.5)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := c.Validate(); err != nil {
				return badInput(err)
			}
			ch, _ := chain.Lookup(c.Chain)
			d, _ := hd.ParseXpub(c.Xpub)
			units := func(flag, s string) (*big.Int, error) {
				if s == "" {
					return nil, nil
				}
				v, err := payment.ParseUnits(s, c.Decimals)
				if err != nil {
					return nil, badInput(fmt.Errorf("--%s: %v", flag, err))
				}
				return v, nil
			}
			amount, err := units("amount", c.Amount)
			if err != nil {
				return err
			}
			fee, err := units("fee", c.Fee)
			if err != nil {
				return err
			}
			commission, err := units("commission", c.Commission)
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			pool, err := o.open(ctx)
			if err != nil {
				return err
			}
			defer pool.Close()
			n := payment.NewPayment{
				BuyerRef: c.Buyer, OfferRef: c.Offer, SellerAddress: common.HexToAddress(c.Seller),
				ChainID: ch.ID, ChainKey: ch.Key, Token: common.HexToAddress(c.Token), TokenSymbol: c.Symbol,
				Decimals: c.Decimals, Amount: amount, Fee: fee, Commission: commission,
				RequestID: c.RequestID, Salt: c.Salt, TTL: c.TTL,
			}
			if c.FeeAddress != "" {
				n.FeeAddress = common.HexToAddress(c.FeeAddress)
			}
			if c.BuyerAddress != "" {
				n.BuyerAddress = common.HexToAddress(c.BuyerAddress)
			}
			p, err := payment.New(pool, d).Create(ctx, n)
			if err != nil {
				return badInputIf(err, payment.ErrInvalid, payment.ErrDuplicate)
			}
			if o.JSON {
				return printJSON(cmd.OutOrStdout(), p)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "created payment %s: pay %s %s to %s (reference %s) by %s\n",
				p.ID, payment.FormatUnits(p.Amount, p.Decimals), c.Symbol, p.Deposit.Hex(), p.Reference, p.ExpiresAt.Format(time.RFC3339))
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&c.Xpub, "xpub", "", "platform account xpub (m/44'/60'/0') deposit addresses derive from")
	f.StringVar(&c.Buyer, "buyer", "", "buyer reference")
	f.StringVar(&c.BuyerAddress, "buyer-address", "", "where refunds go (default: the address that pays)")
	f.StringVar(&c.Offer, "offer", "", "seller offer reference")
	f.StringVar(&c.Seller, "seller", "", "seller's payout address")
	f.StringVar(&c.Chain, "chain", "bsc", "eth, bsc or polygon")
	f.StringVar(&c.Token, "token", "", "token contract address")
	f.StringVar(&c.Symbol, "symbol", "USDT", "token symbol (names the ledger, e.g. bsc:USDT)")
	f.Uint8Var(&c.Decimals, "decimals", 18, "token decimals")
	f.StringVar(&c.Amount, "amount", "", "amount due, in token units (12.5)")
	f.StringVar(&c.Fee, "fee", "", "Request Network fee, in token units")
	f.StringVar(&c.FeeAddress, "fee-address", "", "where the fee goes")
	f.StringVar(&c.Commission, "commission", "", "platform commission taken on release, in token units")
	f.StringVar(&c.RequestID, "request-id", "", "Request Network request id")
	f.StringVar(&c.Salt, "salt", "", "Request Network salt")
	f.DurationVar(&c.TTL, "ttl", time.Hour, "time until the payment expires")
	return cmd
}

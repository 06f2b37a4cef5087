package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"os"
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
	cmd.AddCommand(newPaymentsListCmd(&o), newPaymentsShowCmd(&o), newPaymentsCreateCmd(&o), newPaymentsCheckoutCmd(&o))
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
			pool, err := o.open(ctx, cmd)
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
	Parties  partiesView           `json:"parties"`
	Timeline []payment.TimelineRow `json:"timeline"`
	Entries  []ledger.Entry        `json:"deposit_entries"`
	// Quarantined are observations the indexer could not apply to the payment (amn indexer requeue).
	Quarantined []indexer.QuarantinedObservation `json:"quarantined"`
}

// partiesView says whether each party is proven by its wallet, why a sweep that is due waits, and
// what the buyer signs while the buyer has not.
type partiesView struct {
	Seller     partyView       `json:"seller"`
	Buyer      partyView       `json:"buyer"`
	SweepWaits string          `json:"sweep_waits,omitempty"`
	Checkout   json.RawMessage `json:"checkout_typed_data,omitempty"` // eth_signTypedData_v4
}

type partyView struct {
	Address common.Address `json:"address"`
	Proven  bool           `json:"proven"`
	Problem string         `json:"problem,omitempty"`
}

func newPartiesView(p *payment.Payment) (partiesView, error) {
	party := func(addr common.Address, err error) partyView {
		v := partyView{Address: addr, Proven: err == nil}
		if err != nil {
			v.Problem = err.Error()
		}
		return v
	}
	_, serr := p.ProvenSeller()
	_, berr := p.ProvenBuyer()
	v := partiesView{Seller: party(p.SellerAddress, serr), Buyer: party(p.BuyerAddress, berr)}
	if err := p.SweepWaits(); err != nil {
		v.SweepWaits = fmt.Sprintf("%s, but not swept: the escrow records only parties proven by their wallets (%v)", p.State, err)
	}
	if p.BuyerAddress == (common.Address{}) {
		var err error
		if v.Checkout, err = payment.SigningRequest(p.CheckoutTerms().TypedData()); err != nil {
			return v, err
		}
	}
	return v, nil
}

// printParties is the parties part of `payments show`.
func printParties(out io.Writer, p *payment.Payment, v partiesView) error {
	line := func(who string, pv partyView, proof string) {
		switch {
		case pv.Proven:
			fmt.Fprintf(out, "%-9s %s  proven by the %s signature\n", who, pv.Address.Hex(), proof)
		default:
			fmt.Fprintf(out, "%-9s NOT PROVEN: %s\n", who, pv.Problem)
		}
	}
	line("seller", v.Seller, "offer")
	line("buyer", v.Buyer, "checkout")
	if v.SweepWaits != "" {
		fmt.Fprintf(out, "sweep     waits: %s\n", v.SweepWaits)
	}
	if v.Checkout != nil {
		if err := printCheckoutRequest(out, p, v.Checkout); err != nil {
			return err
		}
	}
	fmt.Fprintln(out)
	return nil
}

// printCheckoutRequest tells the buyer what to sign and how to hand the signature in.
func printCheckoutRequest(out io.Writer, p *payment.Payment, req json.RawMessage) error {
	fmt.Fprintf(out, "checkout  the buyer's wallet (where refunds will go) signs this with eth_signTypedData_v4; then\n"+
		"          amn payments checkout %s --buyer ADDRESS --buyer-signature FILE   (FILE: the signature, 65 bytes in hex)\n", p.ID)
	var b bytes.Buffer
	if err := json.Indent(&b, req, "          ", "  "); err != nil {
		return err
	}
	fmt.Fprintf(out, "          %s\n", b.String())
	return nil
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
			pool, err := o.open(ctx, cmd)
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
			if v.Parties, err = newPartiesView(v.Payment); err != nil {
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
			if err := printParties(out, p, v.Parties); err != nil {
				return err
			}
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
	Xpub, Buyer, Offer, Seller, SellerSignature, Chain, Token, Symbol, Amount, Fee, FeeAddress, Commission, RequestID, Salt string
	Decimals                                                                                                                uint8
	TTL                                                                                                                     time.Duration
	TypedData                                                                                                               bool
}

func (c *createOptions) Validate() error {
	for flag, addr := range map[string]string{"seller": c.Seller, "token": c.Token} {
		if !common.IsHexAddress(addr) {
			return fmt.Errorf("%w: --%s must be a 0x address", config.ErrInvalid, flag)
		}
	}
	if c.FeeAddress != "" && !common.IsHexAddress(c.FeeAddress) {
		return fmt.Errorf("%w: --fee-address must be a 0x address", config.ErrInvalid)
	}
	if _, err := chain.Lookup(c.Chain); err != nil {
		return err
	}
	if c.TypedData {
		return nil // prints the offer to sign: no xpub, no signature needed
	}
	if c.SellerSignature == "" {
		return fmt.Errorf("%w: --seller-signature FILE is required: the seller's payout wallet signs the offer "+
			"(print it with --typed-data) with eth_signTypedData_v4", config.ErrInvalid)
	}
	if _, err := hd.ParseXpub(c.Xpub); err != nil {
		return fmt.Errorf("%w: --xpub (AMN_XPUB): %v", config.ErrInvalid, err)
	}
	return nil
}

// readSignature reads a wallet's signature from a file: 65 bytes in hex (0x optional).
func readSignature(flag, file string) ([]byte, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("--%s: %w", flag, err)
	}
	sig, err := payment.ParseSignature(string(b))
	if err != nil {
		return nil, fmt.Errorf("--%s %s: %w", flag, file, err)
	}
	return sig, nil
}

func newPaymentsCreateCmd(o *dbOptions) *cobra.Command {
	var c createOptions
	cmd := &cobra.Command{
		Use:   "create",
		Short: "Create a payment for testing on a devnet (amounts in token units, e.g. 12.5)",
		Long: `create records a payment for the seller's signed offer. The seller's payout wallet signs the
EIP-712 message Offer(string offer, uint256 chainId, address token, uint256 amount, address payout)
in the domain {name "Amn", version "1", chainId}: --typed-data prints it (eth_signTypedData_v4 JSON)
and creates nothing. --seller-signature names a file holding that wallet's signature, 65 bytes in
hex. The payment then prints the checkout its buyer signs (see amn payments checkout).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := c.Validate(); err != nil {
				return badInput(err)
			}
			n, err := c.newPayment()
			if err != nil {
				return err
			}
			if c.TypedData {
				if n.Amount == nil {
					return badInput(fmt.Errorf("--amount is required"))
				}
				req, err := payment.SigningRequest(n.Offer().TypedData())
				if err != nil {
					return err
				}
				return printJSON(cmd.OutOrStdout(), req)
			}
			if n.SellerSignature, err = readSignature("seller-signature", c.SellerSignature); err != nil {
				return badInput(err)
			}
			ctx := cmd.Context()
			pool, err := o.open(ctx, cmd)
			if err != nil {
				return err
			}
			defer pool.Close()
			d, _ := hd.ParseXpub(c.Xpub)
			p, err := payment.New(pool, d).Create(ctx, n)
			if err != nil {
				return err
			}
			if o.JSON {
				return printJSON(cmd.OutOrStdout(), p)
			}
			return printCreated(cmd.OutOrStdout(), p, c.Symbol)
		},
	}
	f := cmd.Flags()
	f.StringVar(&c.Xpub, "xpub", "", "platform account xpub (m/44'/60'/0') deposit addresses derive from")
	f.StringVar(&c.Buyer, "buyer", "", "buyer reference")
	f.StringVar(&c.Offer, "offer", "", "seller offer reference")
	f.StringVar(&c.Seller, "seller", "", "seller's payout address")
	f.StringVar(&c.SellerSignature, "seller-signature", "", "file with the seller payout wallet's signature of the offer (65 bytes, hex)")
	f.BoolVar(&c.TypedData, "typed-data", false, "print the offer the seller signs (eth_signTypedData_v4 JSON) and create nothing")
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

// newPayment reads the flags' amounts (token units) into the payment to create.
func (c *createOptions) newPayment() (payment.NewPayment, error) {
	ch, _ := chain.Lookup(c.Chain)
	var amounts [3]*big.Int
	for i, a := range []struct{ flag, value string }{{"amount", c.Amount}, {"fee", c.Fee}, {"commission", c.Commission}} {
		if a.value == "" {
			continue
		}
		v, err := payment.ParseUnits(a.value, c.Decimals)
		if err != nil {
			return payment.NewPayment{}, badInput(fmt.Errorf("--%s: %v", a.flag, err))
		}
		amounts[i] = v
	}
	n := payment.NewPayment{
		BuyerRef: c.Buyer, OfferRef: c.Offer, SellerAddress: common.HexToAddress(c.Seller),
		ChainID: ch.ID, ChainKey: ch.Key, Token: common.HexToAddress(c.Token), TokenSymbol: c.Symbol,
		Decimals: c.Decimals, Amount: amounts[0], Fee: amounts[1], Commission: amounts[2],
		RequestID: c.RequestID, Salt: c.Salt, TTL: c.TTL,
	}
	if c.FeeAddress != "" {
		n.FeeAddress = common.HexToAddress(c.FeeAddress)
	}
	return n, nil
}

// printCreated tells what to pay where, and prints the checkout the buyer signs.
func printCreated(out io.Writer, p *payment.Payment, symbol string) error {
	fmt.Fprintf(out, "created payment %s: pay %s %s to %s (reference %s) by %s\n",
		p.ID, payment.FormatUnits(p.Amount, p.Decimals), symbol, p.Deposit.Hex(), p.Reference, p.ExpiresAt.Format(time.RFC3339))
	req, err := payment.SigningRequest(p.CheckoutTerms().TypedData())
	if err != nil {
		return err
	}
	return printCheckoutRequest(out, p, req)
}

func newPaymentsCheckoutCmd(o *dbOptions) *cobra.Command {
	var (
		buyer, sigFile string
		typedData      bool
	)
	cmd := &cobra.Command{
		Use:   "checkout PAYMENT_ID --buyer ADDRESS --buyer-signature FILE",
		Short: "Fix a payment's refund address: the wallet that signed its checkout",
		Long: `checkout takes the buyer's signature of the payment's EIP-712 message
Checkout(bytes32 paymentId, address deposit, address token, uint256 amount, address seller) in the
domain {name "Amn", version "1", chainId}: the wallet that signed it (--buyer, which the signature
must recover) becomes the refund address, once and for good (money from other senders never
changes it). --typed-data prints the message (eth_signTypedData_v4 JSON); --buyer-signature names a
file holding the signature, 65 bytes in hex. A paid payment waits for this before it is swept into
the escrow.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := ledger.ParseID(args[0])
			if err != nil {
				return badInput(fmt.Errorf("payment id %q: %v", args[0], err))
			}
			if !typedData && (sigFile == "" || !common.IsHexAddress(buyer)) {
				return badInput(fmt.Errorf("--buyer ADDRESS and --buyer-signature FILE are required (--typed-data prints what the buyer's wallet signs)"))
			}
			var sig []byte
			if !typedData {
				if sig, err = readSignature("buyer-signature", sigFile); err != nil {
					return badInput(err)
				}
			}
			ctx := cmd.Context()
			pool, err := o.open(ctx, cmd)
			if err != nil {
				return err
			}
			defer pool.Close()
			svc := payment.New(pool, nil)
			if typedData {
				p, err := svc.Get(ctx, id)
				if err != nil {
					return err
				}
				req, err := payment.SigningRequest(p.CheckoutTerms().TypedData())
				if err != nil {
					return err
				}
				return printJSON(cmd.OutOrStdout(), req)
			}
			p, err := svc.ProveBuyer(ctx, id, common.HexToAddress(buyer), sig)
			if err != nil {
				return err
			}
			if o.JSON {
				return printJSON(cmd.OutOrStdout(), p)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "payment %s (%s): refund address %s, proven by the buyer's checkout signature\n",
				p.ID, p.State, p.BuyerAddress.Hex())
			return nil
		},
	}
	cmd.Flags().StringVar(&buyer, "buyer", "", "the buyer's wallet address: where refunds go")
	cmd.Flags().StringVar(&sigFile, "buyer-signature", "", "file with the buyer wallet's signature of the checkout (65 bytes, hex)")
	cmd.Flags().BoolVar(&typedData, "typed-data", false, "print the checkout the buyer signs (eth_signTypedData_v4 JSON)")
	return cmd
}

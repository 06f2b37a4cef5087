package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"regexp"

	"github.com/ethereum/go-ethereum/common"
	"github.com/spf13/cobra"

	"github.com/amanat/amn/chain"
	"github.com/amanat/amn/intent"
	"github.com/amanat/amn/payment"
	"github.com/amanat/amn/signer"
)

func newAdminGasCmd(o *adminOptions) *cobra.Command {
	cmd := &cobra.Command{Use: "gas", Short: "The gas tanks in the books: book what operators sent them"}
	cmd.AddCommand(newAdminGasFundCmd(o))
	return cmd
}

var txHashPattern = regexp.MustCompile(`^0x[0-9a-fA-F]{64}$`)

func newAdminGasFundCmd(o *adminOptions) *cobra.Command {
	var chainFlag, txFlag, tankFlag string
	cmd := &cobra.Command{
		Use:   "fund --chain CHAIN --tx HASH",
		Short: "Book a transaction that funded the chain's gas tank, so that the tank can be reconciled",
		Long: `fund reads the transaction from the chain (the chain config's first endpoint, or --rpc-url) and,
if it is a final, successful transfer of the chain's own currency to the gas tank from another
address, books it in the chain's native-currency ledger: outside → the tank's account. Booking it
again changes nothing. It refuses (exit 2) anything else: a transaction to another address, the
tank's own, one without value, one that reverted, or one the node does not know; a transaction
not final yet exits 1 (ask again later). Fund the tank with a plain transfer: money that reaches
it from a contract (an internal transfer) cannot be tied to a transaction and is not booked.

It then prints the tank's balance in the books and on chain: once every funding is booked they
differ only by the gas and top-ups of intents the worker has not booked yet.`,
		Example: `  amn admin gas fund --chain bsc --tx 0x5c50…e1f7 --chain-config chains.json`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			if chainFlag == "" || txFlag == "" {
				return badInput(errors.New("--chain and --tx are required"))
			}
			if !txHashPattern.MatchString(txFlag) {
				return badInput(fmt.Errorf("--tx %q is not a transaction hash (0x and 64 hex digits)", txFlag))
			}
			c, err := lookupChain(o.ChainConfig, chainFlag)
			if err != nil {
				return err
			}
			tank, err := gasTankOf(c, tankFlag)
			if err != nil {
				return err
			}
			url := o.RPCURL
			if url == "" && len(c.Endpoints) > 0 {
				url = c.Endpoints[0]
			}
			if url == "" {
				return badInput(fmt.Errorf("no node for chain %s: give --rpc-url or a --chain-config with endpoints", c.Key))
			}
			client, err := chain.Dial(ctx, url, c.ID)
			if err != nil {
				return err
			}
			defer client.Close()
			pool, err := o.open(ctx, cmd)
			if err != nil {
				return err
			}
			defer pool.Close()
			store := intent.NewStore(pool, payment.New(pool, nil), signer.TxRecord{})
			f := intent.TankFunding{ChainID: c.ID, Ledger: c.NativeLedger(), Tank: tank, Tx: common.HexToHash(txFlag),
				DepthFloor: c.DepthFloor, DepthOnly: c.Finality == chain.FinalityDepth}
			b, err := store.BookTankFunding(ctx, client, f)
			if err != nil {
				return err
			}
			books, err := store.TankBalance(ctx, f.Ledger, tank)
			if err != nil {
				return err
			}
			onChain, err := client.BalanceAt(ctx, tank, nil)
			if err != nil {
				return err
			}
			return printFunding(cmd, o.JSON, c, b, books, onChain)
		},
	}
	f := cmd.Flags()
	f.StringVar(&chainFlag, "chain", "", "the chain: eth, bsc, polygon, a chain id or a key from --chain-config")
	f.StringVar(&txFlag, "tx", "", "the hash of the transaction that funded the gas tank")
	f.StringVar(&tankFlag, "tank", "", "the gas tank (the signer's operator address; default: the chain config's one gas_tanks entry)")
	return cmd
}

// gasTankOf is the tank named by --tank, else the chain config's only gas tank.
func gasTankOf(c chain.Config, flag string) (common.Address, error) {
	if flag != "" {
		if !common.IsHexAddress(flag) || common.HexToAddress(flag) == (common.Address{}) {
			return common.Address{}, badInput(fmt.Errorf("--tank %q is not an address", flag))
		}
		return common.HexToAddress(flag), nil
	}
	if len(c.GasTanks) != 1 {
		return common.Address{}, badInput(fmt.Errorf("--tank is required: the chain config lists %d gas tanks for %s", len(c.GasTanks), c.Key))
	}
	return c.GasTanks[0], nil
}

func printFunding(cmd *cobra.Command, asJSON bool, c chain.Config, b *intent.BookedFunding, books, onChain *big.Int) error {
	out := cmd.OutOrStdout()
	if asJSON {
		return json.NewEncoder(out).Encode(struct {
			*intent.BookedFunding
			Ledger  string `json:"ledger"`
			Books   string `json:"books"`    // the tank's balance in the books, wei
			OnChain string `json:"on_chain"` // at the latest block, wei
		}{b, c.NativeLedger(), books.String(), onChain.String()})
	}
	verb := "booked"
	if !b.Created {
		verb = "already booked"
	}
	cur := c.Currency
	if cur == "" {
		cur = "native"
	}
	units := func(v *big.Int) string { return payment.FormatUnits(v, payment.NativeDecimals) + " " + cur }
	fmt.Fprintf(out, "funding %s: %s (%s wei) from %s to the gas tank %s in block %d, %s (transfer %s)\n",
		verb, units(b.Amount), b.Amount, b.From.Hex(), b.Tank.Hex(), b.Block, c.NativeLedger(), b.Transfer)
	fmt.Fprintf(out, "gas tank %s: books %s, chain %s (latest block); the difference is gas and top-ups not booked yet, or fundings not booked\n",
		b.Tank.Hex(), units(books), units(onChain))
	return nil
}

// Package chain describes the EVM chains Amn accepts payments on (ids, block times, finality
// depth floors) and connects to their JSON-RPC endpoints, checking that an endpoint serves the
// chain it is configured for.
//
// It never holds keys and never decides about money; it only says what a chain is and reaches it.
package chain

import (
	"context"
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/amanat/amn/kind"
)

// Chain is one network's static description.
type Chain struct {
	Key       string        `json:"key"`  // short name used in flags and ledgers: eth, bsc, polygon
	Name      string        `json:"name"` // for people
	ID        uint64        `json:"id"`   // EIP-155 chain id
	BlockTime time.Duration `json:"-"`    // typical, for polling intervals and stall alerts ("block_time" in config files)
	// DepthFloor is the least number of blocks a credit waits for, even when the chain's
	// `finalized` tag says less (ARCHITECTURE.md §7).
	DepthFloor uint64 `json:"depth_floor"`
	// Currency is the symbol of the chain's own currency (ETH, BNB, POL): it names the
	// native-currency ledger ("bsc:BNB") where gas is booked.
	Currency string `json:"currency,omitempty"`
}

// NativeLedger is the ledger of the chain's own currency, "bsc:BNB": gas tank, network fees and
// the gas left at deposit addresses are booked there. A chain configured without a currency gets
// "<key>:NATIVE".
func (c Chain) NativeLedger() string {
	cur := c.Currency
	if cur == "" {
		cur = "NATIVE"
	}
	return strings.ToLower(c.Key) + ":" + cur
}

// ErrUnknownChain is returned for a chain key or id that is not configured.
var ErrUnknownChain = kind.New(kind.Invalid, "unknown chain")

// Mainnets are the built-in defaults (CHAINS.md).
var Mainnets = []Chain{
	{Key: "eth", Name: "Ethereum", ID: 1, BlockTime: 12 * time.Second, DepthFloor: 12, Currency: "ETH"},
	{Key: "bsc", Name: "BNB Smart Chain", ID: 56, BlockTime: 750 * time.Millisecond, DepthFloor: 15, Currency: "BNB"},
	{Key: "polygon", Name: "Polygon PoS", ID: 137, BlockTime: 2 * time.Second, DepthFloor: 128, Currency: "POL"},
}

// Lookup finds a built-in chain by key ("bsc") or decimal id ("56").
func Lookup(keyOrID string) (Chain, error) {
	id, idErr := strconv.ParseUint(keyOrID, 10, 64)
	for _, c := range Mainnets {
		if strings.EqualFold(c.Key, keyOrID) || (idErr == nil && c.ID == id) {
			return c, nil
		}
	}
	return Chain{}, fmt.Errorf("%w %q (known: %s)", ErrUnknownChain, keyOrID, keys())
}

func keys() string {
	ks := make([]string, len(Mainnets))
	for i, c := range Mainnets {
		ks[i] = c.Key
	}
	return strings.Join(ks, ", ")
}

// ErrWrongChain is returned when an endpoint serves another chain than the one configured:
// crediting from it would be crediting the wrong money.
var ErrWrongChain = kind.New(kind.Invalid, "endpoint serves another chain")

// Dial connects to an RPC endpoint and checks its chain id.
func Dial(ctx context.Context, rpcURL string, want uint64) (*ethclient.Client, error) {
	cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	c, err := ethclient.DialContext(cctx, rpcURL)
	if err != nil {
		return nil, err
	}
	got, err := c.ChainID(cctx)
	if err != nil {
		c.Close()
		return nil, fmt.Errorf("asking for the chain id: %w", err)
	}
	if got.Cmp(new(big.Int).SetUint64(want)) != 0 {
		c.Close()
		return nil, fmt.Errorf("%w: chain id %s, want %d", ErrWrongChain, got, want)
	}
	return c, nil
}

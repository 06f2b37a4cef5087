package chain

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
)

// NativeToken stands for a chain's own currency (ETH, BNB, POL) wherever a token address is
// expected: a payment in native currency has this token address, and the indexer reports native
// transfers with it. It is the widely used 0xEeee… convention, which no contract can occupy.
var NativeToken = common.HexToAddress("0xEeeeeEeeeEeEeeEeEeEeeEEEeeeeEeeeeeeeEEeE")

// Token is one token the chain's indexer watches. Amounts are in its base units; Decimals only
// matter at the edge (display, user input).
type Token struct {
	Symbol   string         `json:"symbol"`
	Address  common.Address `json:"address"`
	Decimals uint8          `json:"decimals"`
}

// Proxy is one deployment of a Request Network fee proxy.
type Proxy struct {
	Address common.Address `json:"address"`
	// Native marks an EthereumFeeProxy (payments in the chain's currency); otherwise ERC20FeeProxy.
	Native     bool   `json:"native,omitempty"`
	Version    string `json:"version,omitempty"`
	StartBlock uint64 `json:"start_block"` // its deployment block: nothing to find before it
}

// Finality modes.
const (
	// FinalityTag credits at min(the `finalized` tag, head − depth floor).
	FinalityTag = "finalized"
	// FinalityDepth ignores the tag (for nodes without it) and credits at head − depth floor.
	FinalityDepth = "depth"
)

// Config is everything the indexer of one chain needs to know about it beyond the Chain itself.
type Config struct {
	Chain
	// Endpoints are JSON-RPC URLs (http, https, ws, wss), best first; secrets in them are never
	// logged (EndpointLabel).
	Endpoints []string `json:"endpoints"`
	Finality  string   `json:"finality"` // FinalityTag or FinalityDepth
	// FinalityStall is how long the finalized block may stand still before the stall alert.
	FinalityStall Duration `json:"finality_stall"`
	Tokens        []Token  `json:"tokens"`
	FeeProxies    []Proxy  `json:"fee_proxies"`
	// Escrow is the AmnEscrow contract; zero when none is deployed yet.
	Escrow common.Address `json:"escrow"`
	// GasTanks are the signer's gas-tank (operator) addresses: native currency they send to a
	// deposit address is a gas top-up for its sweep, not a payment.
	GasTanks []common.Address `json:"gas_tanks,omitempty"`
	// StartBlock is where a fresh indexer starts (no checkpoint yet); zero means the lowest fee
	// proxy start block.
	StartBlock uint64 `json:"start_block"`
	// WatchNative says when the indexer reads blocks with their transactions, to see native
	// transfers to deposit addresses: auto (the default), always or never.
	WatchNative NativeWatch `json:"watch_native"`
	// MaxLogRange is the widest eth_getLogs range tried before an endpoint says otherwise.
	MaxLogRange uint64 `json:"max_log_range"`
	// EIP7702 says the chain runs EIP-7702 (set-code transactions, type 4): sweeps can then be
	// batched, the deposits delegating to Sweeper and the gas tank paying one transaction for
	// many (docs/signer.md). False keeps the top-up path (gas top-up, approve, fund).
	EIP7702 bool `json:"eip7702"`
	// Sweeper is the AmnSweeper deposits delegate to (its operator is the signer's gas tank);
	// zero when none is deployed, and batched sweeps then stay off whatever EIP7702 says.
	Sweeper common.Address `json:"sweeper,omitempty"`
	// Explorer is a block explorer's base URL (https://bscscan.com): admins get links to
	// <Explorer>/address/… and <Explorer>/tx/…; empty gives no links.
	Explorer string `json:"explorer,omitempty"`
}

// BatchSweeper is the AmnSweeper the signer sweeps this chain's deposits through in batches: the
// configured Sweeper when the chain runs EIP-7702, else zero (the top-up path).
func (c Config) BatchSweeper() common.Address {
	if !c.EIP7702 {
		return common.Address{}
	}
	return c.Sweeper
}

// NativeWatch is when an indexer reads blocks with their transactions: a plain transfer of
// native currency to a deposit address shows only there (no log), while everything else it
// watches (fee proxies, token Transfers, the escrow) is in the logs.
type NativeWatch string

const (
	// WatchAuto reads full blocks only while the watch set holds a payment of this chain in its
	// native currency (which can be paid by plain transfer), and headers otherwise. Native
	// currency sent to an ERC-20 payment's deposit address meanwhile is not seen as it arrives
	// (reconciliation still finds it). The zero value means auto.
	WatchAuto NativeWatch = "auto"
	// WatchAlways reads every block with its transactions.
	WatchAlways NativeWatch = "always"
	// WatchNever reads headers only: native payments are seen through the EthereumFeeProxy.
	WatchNever NativeWatch = "never"
)

// Full is whether blocks are read with their transactions, given whether the watch set holds a
// native-currency payment of the chain.
func (w NativeWatch) Full(nativeOpen bool) bool {
	switch w {
	case WatchAlways:
		return true
	case WatchNever:
		return false
	}
	return nativeOpen
}

// UnmarshalJSON reads "auto", "always" or "never"; true and false (the old boolean setting) are
// always and never.
func (w *NativeWatch) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	var on bool
	if err := json.Unmarshal(b, &on); err == nil {
		*w = map[bool]NativeWatch{true: WatchAlways, false: WatchNever}[on]
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("watch_native: want \"auto\", \"always\" or \"never\": %w", err)
	}
	switch v := NativeWatch(s); v {
	case WatchAuto, WatchAlways, WatchNever:
		*w = v
	case "":
		*w = WatchAuto
	default:
		return fmt.Errorf("watch_native %q: want auto, always or never", s)
	}
	return nil
}

// Duration is a time.Duration written as "90s" / "2h" in the config file.
type Duration time.Duration

// UnmarshalJSON reads a Go duration string.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	v, err := time.ParseDuration(s)
	*d = Duration(v)
	return err
}

// MarshalJSON writes a Go duration string.
func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(time.Duration(d).String()) }

func addr(s string) common.Address { return common.HexToAddress(s) }

// Defaults are the built-in configurations of the three mainnets (CHAINS.md), without endpoints:
// those are the operator's to give.
func Defaults() []Config {
	erc20Eth := Proxy{Address: addr("0x370DE27fdb7D1Ff1e1BaA7D11c5820a324Cf623C"), Version: "0.2.0", StartBlock: 10774767}
	return []Config{
		{
			Chain: Mainnets[0], Finality: FinalityTag, FinalityStall: Duration(30 * time.Minute), WatchNative: WatchAuto, MaxLogRange: 2000,
			// EIP-7702 since Pectra (Prague/Electra): epoch 364032, 2025-05-07 10:05:11 UTC
			// (EIP-7600's activation table).
			EIP7702: true,
			Tokens: []Token{
				{"USDT", addr("0xdAC17F958D2ee523a2206206994597C13D831ec7"), 6},
				{"USDC", addr("0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48"), 6},
			},
			FeeProxies: []Proxy{erc20Eth,
				{Address: addr("0xfCFBcfc4f5A421089e3Df45455F7f4985FE2D6a8"), Native: true, Version: "0.2.0", StartBlock: 14392218},
				{Address: addr("0xC6E23a20C0a1933ACC8E30247B5D1e2215796C1F"), Native: true, Version: "0.1.0", StartBlock: 13764157},
			},
		},
		{
			Chain: Mainnets[1], Finality: FinalityTag, FinalityStall: Duration(5 * time.Minute), WatchNative: WatchAuto, MaxLogRange: 2000,
			// EIP-7702 since the Pascal hard fork, 2025-03-20 (BNB Chain's Pascal FAQ: the
			// Pectra execution-layer EIPs, EIP-7702 first among them).
			EIP7702: true,
			Tokens: []Token{
				{"USDT", addr("0x55d398326f99059fF775485246999027B3197955"), 18},
				{"USDC", addr("0x8AC76a51cc950d9822D68b83fE1Ad97B32Cd580d"), 18},
			},
			FeeProxies: []Proxy{
				{Address: addr("0x0DfbEe143b42B41eFC5A6F87bFD1fFC78c2f0aC9"), Version: "0.2.0", StartBlock: 11540173},
				{Address: addr("0xfCFBcfc4f5A421089e3Df45455F7f4985FE2D6a8"), Native: true, Version: "0.2.0", StartBlock: 16084639},
				{Address: addr("0xC6E23a20C0a1933ACC8E30247B5D1e2215796C1F"), Native: true, Version: "0.1.0", StartBlock: 16165026},
			},
		},
		{
			Chain: Mainnets[2], Finality: FinalityTag, FinalityStall: Duration(10 * time.Minute), WatchNative: WatchAuto, MaxLogRange: 2000,
			// EIP-7702 since the Bhilai hard fork, July 2025 (Bor's mainnet config: bhilaiBlock =
			// pragueBlock = 73440256).
			EIP7702: true,
			Tokens: []Token{
				{"USDT", addr("0xc2132D05D31c914a87C6611C10748AEb04B58e8F"), 6},
				{"USDC", addr("0x3c499c542cEF5E3811e1192ce70d8cC03d5c3359"), 6},
				{"USDC.e", addr("0x2791Bca1f2de4661ED88A30C99A7a9449Aa84174"), 6},
			},
			FeeProxies: []Proxy{
				{Address: addr("0x0DfbEe143b42B41eFC5A6F87bFD1fFC78c2f0aC9"), Version: "0.2.0", StartBlock: 17427742},
				{Address: addr("0x2171a0dc12a9E5b1659feF2BB20E54c84Fa7dB0C"), Version: "0.1.0", StartBlock: 14163521},
				{Address: addr("0xfCFBcfc4f5A421089e3Df45455F7f4985FE2D6a8"), Native: true, Version: "0.2.0", StartBlock: 25972999},
				{Address: addr("0xC6E23a20C0a1933ACC8E30247B5D1e2215796C1F"), Native: true, Version: "0.1.0", StartBlock: 20670475},
			},
		},
	}
}

// Registry is the configured chains, by key.
type Registry struct {
	chains []Config
}

// DefaultRegistry holds the built-in mainnet defaults only.
func DefaultRegistry() *Registry { return &Registry{chains: Defaults()} }

// LoadRegistry reads a chain config file (JSON: {"chains": [Config, …]}) over the built-in
// defaults: an entry whose key names a mainnet overrides the fields it sets and keeps the others;
// an entry with a new key (a devnet) must set id, block_time and depth_floor itself.
func LoadRegistry(path string) (*Registry, error) {
	r := DefaultRegistry()
	if path == "" {
		return r, nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("chain config: %w", err)
	}
	if err := r.Merge(b); err != nil {
		return nil, fmt.Errorf("chain config %s: %w", path, err)
	}
	return r, nil
}

type fileChain struct {
	Config
	BlockTime *Duration `json:"block_time"`
}

// Merge applies a chain config document over the registry.
func (r *Registry) Merge(doc []byte) error {
	var f struct {
		Chains []json.RawMessage `json:"chains"`
	}
	dec := json.NewDecoder(strings.NewReader(string(doc)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return err
	}
	for _, raw := range f.Chains {
		var probe struct {
			Key string `json:"key"`
		}
		if err := json.Unmarshal(raw, &probe); err != nil {
			return err
		}
		if probe.Key == "" {
			return errors.New("a chain entry without a key")
		}
		i := r.index(probe.Key)
		base := fileChain{}
		if i >= 0 {
			base.Config = r.chains[i]
		}
		d := json.NewDecoder(strings.NewReader(string(raw)))
		d.DisallowUnknownFields()
		if err := d.Decode(&base); err != nil {
			return fmt.Errorf("chain %s: %w", probe.Key, err)
		}
		if base.BlockTime != nil {
			base.Config.BlockTime = time.Duration(*base.BlockTime)
		}
		if err := base.Config.Validate(); err != nil {
			return err
		}
		if i >= 0 {
			r.chains[i] = base.Config
		} else {
			r.chains = append(r.chains, base.Config)
		}
	}
	return nil
}

func (r *Registry) index(key string) int {
	for i, c := range r.chains {
		if strings.EqualFold(c.Key, key) {
			return i
		}
	}
	return -1
}

// Add puts a chain into the registry (replacing one with the same key), after validating it.
func (r *Registry) Add(c Config) error {
	if err := c.Validate(); err != nil {
		return err
	}
	if i := r.index(c.Key); i >= 0 {
		r.chains[i] = c
	} else {
		r.chains = append(r.chains, c)
	}
	return nil
}

// Get finds a chain by key or decimal id.
func (r *Registry) Get(keyOrID string) (Config, error) {
	for _, c := range r.chains {
		if strings.EqualFold(c.Key, keyOrID) || fmt.Sprint(c.ID) == keyOrID {
			return c, nil
		}
	}
	return Config{}, fmt.Errorf("%w %q", ErrUnknownChain, keyOrID)
}

// All lists the configured chains.
func (r *Registry) All() []Config { return append([]Config(nil), r.chains...) }

// currencySymbol is what a ledger name allows after the colon.
var currencySymbol = regexp.MustCompile(`^[A-Za-z0-9._-]{1,32}$`)

// Validate checks a chain's configuration.
func (c Config) Validate() error {
	bad := func(f string, a ...any) error { return fmt.Errorf("chain %s: %s", c.Key, fmt.Sprintf(f, a...)) }
	switch {
	case c.Key == "":
		return bad("key is required")
	case c.ID == 0:
		return bad("id is required")
	case c.BlockTime <= 0:
		return bad("block_time must be positive")
	case c.Finality != FinalityTag && c.Finality != FinalityDepth:
		return bad("finality must be %q or %q, not %q", FinalityTag, FinalityDepth, c.Finality)
	case c.Finality == FinalityDepth && c.DepthFloor == 0:
		return bad("finality by depth needs a depth_floor")
	case c.FinalityStall <= 0:
		return bad("finality_stall must be positive")
	case c.Currency != "" && !currencySymbol.MatchString(c.Currency):
		return bad("currency %q: want a symbol such as BNB (letters, digits, . _ -; at most 32)", c.Currency)
	}
	for _, e := range c.Endpoints {
		if !strings.HasPrefix(e, "http://") && !strings.HasPrefix(e, "https://") &&
			!strings.HasPrefix(e, "ws://") && !strings.HasPrefix(e, "wss://") {
			return bad("endpoint %s: want http(s):// or ws(s)://", EndpointLabel(e))
		}
	}
	seen := map[common.Address]bool{}
	for _, t := range c.Tokens {
		if t.Address == (common.Address{}) || t.Symbol == "" || t.Decimals > 77 {
			return bad("token %q %s: needs a symbol, an address and decimals ≤ 77", t.Symbol, t.Address.Hex())
		}
		if seen[t.Address] {
			return bad("token %s listed twice", t.Address.Hex())
		}
		seen[t.Address] = true
	}
	for _, p := range c.FeeProxies {
		if p.Address == (common.Address{}) {
			return bad("a fee proxy without an address")
		}
	}
	return nil
}

// TokenByAddress finds a configured token.
func (c Config) TokenByAddress(a common.Address) (Token, bool) {
	for _, t := range c.Tokens {
		if t.Address == a {
			return t, true
		}
	}
	return Token{}, false
}

// FirstBlock is where a fresh indexer of this chain starts.
func (c Config) FirstBlock() uint64 {
	if c.StartBlock > 0 || len(c.FeeProxies) == 0 {
		return c.StartBlock
	}
	first := c.FeeProxies[0].StartBlock
	for _, p := range c.FeeProxies[1:] {
		first = min(first, p.StartBlock)
	}
	return first
}

// EndpointLabel names an endpoint for logs and metrics without what may be a secret (API keys
// sit in paths and query strings): scheme and host only.
func EndpointLabel(raw string) string {
	s := raw
	scheme := ""
	if i := strings.Index(s, "://"); i >= 0 {
		scheme, s = s[:i+3], s[i+3:]
	}
	if i := strings.IndexAny(s, "/?#"); i >= 0 {
		s = s[:i]
	}
	if i := strings.LastIndex(s, "@"); i >= 0 {
		s = s[i+1:]
	}
	return scheme + s
}

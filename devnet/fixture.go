package devnet

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/amanat/amn/bindings"
	"github.com/amanat/amn/internal/rnartifacts"
)

// Roles of anvil's default accounts in a fixture. Custodians take the last ones, so that the
// other roles stay put whatever the custodian count.
const (
	deployerAccount     = 0
	arbiterAccount      = 1
	sellerAccount       = 2
	feeRecipientAccount = 3
	firstBuyerAccount   = 4 // buyers: 4 and 5
	buyerCount          = 2
	firstCustodian      = 6 // custodians: 6 … 9
	maxCustodians       = len(anvilKeys) - firstCustodian
)

// ErrNotDevnet is returned when Deploy is pointed at anything but an anvil node this package
// started: the fixture's keys are public, and nothing here may touch a real network.
var ErrNotDevnet = errors.New("devnet: refusing to deploy: not an anvil node started by devnet.StartAnvil")

// FixtureOptions configure Deploy. Zero values take the defaults.
type FixtureOptions struct {
	Custodians   int           // custodian count, 1–4 (default 3)
	Threshold    int           // approvals needed, 1–Custodians (default 2)
	ReclaimDelay time.Duration // buyer reclaim delay, 1–3650 days (default 7 days)
	// Mint is what each buyer gets of each test stablecoin, in whole tokens (default 1,000,000).
	Mint int64
}

func (o *FixtureOptions) withDefaults() error {
	if o.Custodians == 0 {
		o.Custodians = 3
	}
	if o.Threshold == 0 {
		o.Threshold = min(2, o.Custodians)
	}
	if o.ReclaimDelay == 0 {
		o.ReclaimDelay = 7 * 24 * time.Hour
	}
	if o.Mint == 0 {
		o.Mint = 1_000_000
	}
	switch {
	case o.Custodians < 1 || o.Custodians > maxCustodians:
		return fmt.Errorf("devnet: %d custodians: want 1 to %d", o.Custodians, maxCustodians)
	case o.Threshold < 1 || o.Threshold > o.Custodians:
		return fmt.Errorf("devnet: threshold %d of %d custodians", o.Threshold, o.Custodians)
	case o.ReclaimDelay < 24*time.Hour || o.ReclaimDelay > 3650*24*time.Hour || o.ReclaimDelay%time.Second != 0:
		return fmt.Errorf("devnet: reclaim delay %v: want whole seconds from 1 to 3650 days (the contract's bounds)", o.ReclaimDelay)
	case o.Mint < 0:
		return fmt.Errorf("devnet: negative mint %d", o.Mint)
	}
	return nil
}

// Addresses of the fixture's contracts.
type Addresses struct {
	ERC20FeeProxy    common.Address // Request Network's, bytecode from the npm package
	EthereumFeeProxy common.Address // Request Network's, bytecode from the npm package
	USDT             common.Address // NoReturnToken: 6 decimals, no return values (like Ethereum's USDT)
	TUSD             common.Address // StandardToken: 18 decimals (like BSC's stablecoins)
	Escrow           common.Address // AmnEscrow
}

// Fixture is a devnet with every contract of the money path deployed and the test accounts
// funded. All keys are anvil's public test keys.
type Fixture struct {
	ChainID uint64
	URL     string
	Client  *ethclient.Client
	RPC     *rpc.Client // the same connection, for anvil_* / evm_* calls

	Deployer     Account
	Arbiter      Account   // may freeze and unfreeze escrows
	Custodians   []Account // ascending by address, as the contract stores them
	Threshold    int
	Buyers       []Account // each holds FixtureOptions.Mint of USDT and TUSD
	Seller       Account
	FeeRecipient Account
	ReclaimDelay time.Duration

	Addresses Addresses
	Escrow    *bindings.AmnEscrow
	FeeProxy  *bindings.ERC20FeeProxy
	EthProxy  *bindings.EthereumFeeProxy
	USDT      *bindings.NoReturnToken
	TUSD      *bindings.StandardToken

	Node  *Anvil // the node; Close stops it when Start started it
	owned bool
}

// Start starts an anvil node for chainID (fast finality: finalized = head − 2) and deploys the
// fixture on it. Close stops both.
func Start(ctx context.Context, chainID uint64, o FixtureOptions) (*Fixture, error) {
	if err := o.withDefaults(); err != nil {
		return nil, err
	}
	node, err := StartAnvil(ctx, AnvilOptions{ChainID: chainID, SlotsInEpoch: 1})
	if err != nil {
		return nil, err
	}
	f, err := Deploy(ctx, node, o)
	if err != nil {
		node.Stop()
		return nil, err
	}
	f.owned = true
	return f, nil
}

// Deploy deploys, on a node that StartAnvil started, Request Network's ERC20FeeProxy and
// EthereumFeeProxy (the npm package's real bytecode), the two test stablecoins and AmnEscrow with
// the custodian set, and mints stablecoins to the buyers. The caller keeps owning node: Close
// closes the clients only.
//
// It refuses (ErrNotDevnet) a node it did not start, one that does not identify as anvil or
// serves another chain id, and an anvil forking another network — whatever the chain id, since
// devnets use real ones (1, 56, 137) too.
func Deploy(ctx context.Context, node *Anvil, o FixtureOptions) (*Fixture, error) {
	if err := o.withDefaults(); err != nil {
		return nil, err
	}
	client, err := checkDevnet(ctx, node)
	if err != nil {
		return nil, err
	}
	f := &Fixture{
		ChainID: node.ChainID, URL: node.URL, Client: client, RPC: client.Client(),
		Deployer: AnvilAccount(deployerAccount), Arbiter: AnvilAccount(arbiterAccount),
		Seller: AnvilAccount(sellerAccount), FeeRecipient: AnvilAccount(feeRecipientAccount),
		Threshold: o.Threshold, ReclaimDelay: o.ReclaimDelay, Node: node,
	}
	for i := range buyerCount {
		f.Buyers = append(f.Buyers, AnvilAccount(firstBuyerAccount+i))
	}
	for i := range o.Custodians {
		f.Custodians = append(f.Custodians, AnvilAccount(firstCustodian+i))
	}
	slices.SortFunc(f.Custodians, func(a, b Account) int { return a.Address.Cmp(b.Address) })
	if err := f.deploy(ctx, o); err != nil {
		client.Close()
		return nil, err
	}
	return f, nil
}

func checkDevnet(ctx context.Context, node *Anvil) (*ethclient.Client, error) {
	if node == nil || node.cmd == nil {
		return nil, ErrNotDevnet
	}
	select {
	case <-node.done:
		return nil, fmt.Errorf("%w: the node has exited", ErrNotDevnet)
	default:
	}
	c, err := ethclient.DialContext(ctx, node.URL)
	if err != nil {
		return nil, fmt.Errorf("devnet: dial %s: %w", node.URL, err)
	}
	var version string
	var info struct {
		ForkConfig struct {
			ForkURL *string `json:"forkUrl"`
		} `json:"forkConfig"`
	}
	id, err := c.ChainID(ctx)
	if err == nil {
		err = c.Client().CallContext(ctx, &version, "web3_clientVersion")
	}
	if err == nil {
		err = c.Client().CallContext(ctx, &info, "anvil_nodeInfo")
	}
	switch {
	case err != nil:
		err = fmt.Errorf("%w: %v", ErrNotDevnet, err)
	case !strings.HasPrefix(version, "anvil/"):
		err = fmt.Errorf("%w: client is %q", ErrNotDevnet, version)
	case id.Uint64() != node.ChainID || !id.IsUint64():
		err = fmt.Errorf("%w: chain id %v, started with %d", ErrNotDevnet, id, node.ChainID)
	case info.ForkConfig.ForkURL != nil:
		err = fmt.Errorf("%w: anvil is forking %s", ErrNotDevnet, *info.ForkConfig.ForkURL)
	}
	if err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

func (f *Fixture) deploy(ctx context.Context, o FixtureOptions) error {
	a := &f.Addresses
	var err error
	if a.ERC20FeeProxy, err = f.deployRequestNetwork(ctx, rnartifacts.ERC20FeeProxy, bindings.ERC20FeeProxyMetaData); err != nil {
		return err
	}
	if a.EthereumFeeProxy, err = f.deployRequestNetwork(ctx, rnartifacts.EthereumFeeProxy, bindings.EthereumFeeProxyMetaData); err != nil {
		return err
	}
	deployer := f.Opts(ctx, f.Deployer)
	addr, tx, _, err := bindings.DeployNoReturnToken(deployer, f.Client)
	if a.USDT, err = f.deployed(ctx, "NoReturnToken", addr, tx, err); err != nil {
		return err
	}
	addr, tx, _, err = bindings.DeployStandardToken(deployer, f.Client, "Test USD", "TUSD", 18)
	if a.TUSD, err = f.deployed(ctx, "StandardToken", addr, tx, err); err != nil {
		return err
	}
	custodians := make([]common.Address, len(f.Custodians))
	for i, c := range f.Custodians {
		custodians[i] = c.Address
	}
	delay := big.NewInt(int64(o.ReclaimDelay / time.Second))
	addr, tx, _, err = bindings.DeployAmnEscrow(deployer, f.Client, custodians, big.NewInt(int64(o.Threshold)), f.Arbiter.Address, delay)
	if a.Escrow, err = f.deployed(ctx, "AmnEscrow", addr, tx, err); err != nil {
		return err
	}

	// Binding to an address never fails (it only parses the ABI, which is generated).
	f.Escrow, _ = bindings.NewAmnEscrow(a.Escrow, f.Client)
	f.FeeProxy, _ = bindings.NewERC20FeeProxy(a.ERC20FeeProxy, f.Client)
	f.EthProxy, _ = bindings.NewEthereumFeeProxy(a.EthereumFeeProxy, f.Client)
	f.USDT, _ = bindings.NewNoReturnToken(a.USDT, f.Client)
	f.TUSD, _ = bindings.NewStandardToken(a.TUSD, f.Client)

	usdt := new(big.Int).Mul(big.NewInt(o.Mint), big.NewInt(1e6))
	tusd := new(big.Int).Mul(big.NewInt(o.Mint), big.NewInt(1e18))
	for _, b := range f.Buyers {
		if _, err := f.Wait(ctx)(f.USDT.Mint(deployer, b.Address, usdt)); err != nil {
			return fmt.Errorf("devnet: minting USDT: %w", err)
		}
		if _, err := f.Wait(ctx)(f.TUSD.Mint(deployer, b.Address, tusd)); err != nil {
			return fmt.Errorf("devnet: minting TUSD: %w", err)
		}
	}
	return nil
}

// deployRequestNetwork deploys a Request Network contract's creation bytecode from the npm
// package (neither proxy takes constructor arguments).
func (f *Fixture) deployRequestNetwork(ctx context.Context, name string, meta *bind.MetaData) (common.Address, error) {
	code, err := rnartifacts.Bytecode(name)
	if err != nil {
		return common.Address{}, fmt.Errorf("devnet: %w", err)
	}
	parsed, err := meta.GetAbi()
	if err != nil {
		return common.Address{}, fmt.Errorf("devnet: %s ABI: %w", name, err)
	}
	addr, tx, _, err := bind.DeployContract(f.Opts(ctx, f.Deployer), *parsed, code, f.Client)
	return f.deployed(ctx, name, addr, tx, err)
}

func (f *Fixture) deployed(ctx context.Context, name string, addr common.Address, tx *types.Transaction, err error) (common.Address, error) {
	if _, err := f.Wait(ctx)(tx, err); err != nil {
		return common.Address{}, fmt.Errorf("devnet: deploying %s: %w", name, err)
	}
	return addr, nil
}

// Opts are transaction options signing as a (gas estimated, fees suggested by the node).
func (f *Fixture) Opts(ctx context.Context, a Account) *bind.TransactOpts {
	opts, err := bind.NewKeyedTransactorWithChainID(a.Key, new(big.Int).SetUint64(f.ChainID))
	if err != nil {
		panic("devnet: " + err.Error()) // only for a nil chain id, which cannot happen here
	}
	opts.Context = ctx
	return opts
}

// ErrReverted is returned by Wait for a transaction that was mined but failed.
var ErrReverted = errors.New("devnet: transaction reverted")

// Wait returns a function that takes what a binding's transact method returns, waits for the
// receipt (WaitMined) and fails unless the transaction succeeded:
// f.Wait(ctx)(escrow.Release(opts, …)).
func (f *Fixture) Wait(ctx context.Context) func(*types.Transaction, error) (*types.Receipt, error) {
	return func(tx *types.Transaction, err error) (*types.Receipt, error) {
		if err != nil {
			return nil, err
		}
		r, err := f.WaitMined(ctx, tx.Hash())
		if err != nil {
			return nil, err
		}
		if r.Status != types.ReceiptStatusSuccessful {
			return r, fmt.Errorf("%w: %s (gas used %d)", ErrReverted, tx.Hash().Hex(), r.GasUsed)
		}
		return r, nil
	}
}

// WaitMined returns the transaction's receipt once it is mined, asking a few milliseconds apart at
// first, then up to receiptPollMax, until ctx ends. anvil mines on arrival, but a receipt asked for
// at once may not be there yet; go-ethereum's bind.WaitMined then waits a whole second before
// asking again, which on a devnet is most of a test's time.
func (f *Fixture) WaitMined(ctx context.Context, hash common.Hash) (*types.Receipt, error) {
	delay := receiptPollMin
	for {
		r, err := f.Client.TransactionReceipt(ctx, hash)
		if err == nil {
			return r, nil
		}
		if !errors.Is(err, ethereum.NotFound) {
			return nil, fmt.Errorf("devnet: receipt of %s: %w", hash.Hex(), err)
		}
		t := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, fmt.Errorf("devnet: waiting for %s: %w", hash.Hex(), ctx.Err())
		case <-t.C:
		}
		delay = min(2*delay, receiptPollMax)
	}
}

// The receipt poll's first and longest waits.
const (
	receiptPollMin = 2 * time.Millisecond
	receiptPollMax = 250 * time.Millisecond
)

// Send signs and sends a plain transaction from a (gas estimated, EIP-1559 fees suggested by
// the node), as a wallet sends a checkout block's calls, and waits for its receipt like Wait.
func (f *Fixture) Send(ctx context.Context, from Account, to common.Address, data []byte, value *big.Int) (*types.Receipt, error) {
	if value == nil {
		value = new(big.Int)
	}
	nonce, err := f.Client.PendingNonceAt(ctx, from.Address)
	if err != nil {
		return nil, err
	}
	tip, err := f.Client.SuggestGasTipCap(ctx)
	if err != nil {
		return nil, err
	}
	head, err := f.Client.HeaderByNumber(ctx, nil)
	if err != nil {
		return nil, err
	}
	gas, err := f.Client.EstimateGas(ctx, ethereum.CallMsg{From: from.Address, To: &to, Data: data, Value: value})
	if err != nil {
		return nil, err
	}
	feeCap := new(big.Int).Add(tip, new(big.Int).Mul(head.BaseFee, big.NewInt(2)))
	tx, err := types.SignNewTx(from.Key, types.LatestSignerForChainID(new(big.Int).SetUint64(f.ChainID)), &types.DynamicFeeTx{
		Nonce: nonce, GasTipCap: tip, GasFeeCap: feeCap, Gas: gas, To: &to, Value: value, Data: data,
	})
	if err != nil {
		return nil, err
	}
	return f.Wait(ctx)(tx, f.Client.SendTransaction(ctx, tx))
}

// SendAs sends a transaction from an address whose key the test does not hold
// (anvil_impersonateAccount), e.g. a deposit address funding its escrow as the signer's sweep
// does, and waits for its receipt like Wait. The address pays the gas: give it some (SetBalance).
func (f *Fixture) SendAs(ctx context.Context, from, to common.Address, data []byte, value *big.Int) (*types.Receipt, error) {
	if value == nil {
		value = new(big.Int)
	}
	if err := f.RPC.CallContext(ctx, nil, "anvil_impersonateAccount", from); err != nil {
		return nil, fmt.Errorf("devnet: anvil_impersonateAccount: %w", err)
	}
	defer func() { _ = f.RPC.CallContext(ctx, nil, "anvil_stopImpersonatingAccount", from) }()
	var hash common.Hash
	if err := f.RPC.CallContext(ctx, &hash, "eth_sendTransaction", map[string]any{
		"from": from, "to": to, "data": hexutil.Bytes(data), "value": (*hexutil.Big)(value),
	}); err != nil {
		return nil, fmt.Errorf("devnet: sending as %s: %w", from.Hex(), err)
	}
	r, err := f.WaitMined(ctx, hash)
	if err != nil {
		return nil, err
	}
	if r.Status != types.ReceiptStatusSuccessful {
		return r, fmt.Errorf("%w: %s (gas used %d)", ErrReverted, hash.Hex(), r.GasUsed)
	}
	return r, nil
}

// Funded returns the escrow contract's Funded event of escrow id (AmnEscrow.escrowId(funder,
// ref)), as a test playing the indexer needs it; an error if the escrow was never funded.
func (f *Fixture) Funded(ctx context.Context, id common.Hash) (*bindings.AmnEscrowFunded, error) {
	it, err := f.Escrow.FilterFunded(&bind.FilterOpts{Context: ctx}, [][32]byte{id}, nil, nil)
	if err != nil {
		return nil, fmt.Errorf("devnet: Funded events of %s: %w", id.Hex(), err)
	}
	defer it.Close()
	if !it.Next() {
		return nil, fmt.Errorf("devnet: escrow %s was never funded (%v)", id.Hex(), it.Error())
	}
	return it.Event, nil
}

// SetBalance sets addr's native balance (anvil_setBalance), e.g. to give a deposit address gas.
func (f *Fixture) SetBalance(ctx context.Context, addr common.Address, wei *big.Int) error {
	return f.RPC.CallContext(ctx, nil, "anvil_setBalance", addr, (*hexutil.Big)(wei))
}

// IncreaseTime moves the chain's clock forward by d and mines a block stamped with the new time
// (evm_increaseTime + evm_mine), so that views and calls see it.
func (f *Fixture) IncreaseTime(ctx context.Context, d time.Duration) error {
	if err := f.RPC.CallContext(ctx, nil, "evm_increaseTime", hexutil.Uint64(d/time.Second)); err != nil {
		return fmt.Errorf("devnet: evm_increaseTime: %w", err)
	}
	if err := f.RPC.CallContext(ctx, nil, "evm_mine"); err != nil {
		return fmt.Errorf("devnet: evm_mine: %w", err)
	}
	return nil
}

// Now is the latest block's timestamp: the clock contracts see.
func (f *Fixture) Now(ctx context.Context) (time.Time, error) {
	h, err := f.Client.HeaderByNumber(ctx, nil)
	if err != nil {
		return time.Time{}, err
	}
	return time.Unix(int64(h.Time), 0), nil
}

// Close closes the clients, and stops the node if Start started it.
func (f *Fixture) Close() {
	f.Client.Close()
	if f.owned {
		f.Node.Stop()
	}
}

// DeploySweeper deploys AmnSweeper for this fixture's escrow with operator as its only caller
// (the signer's gas tank), for batched EIP-7702 sweeps; the node must run the Prague hardfork
// (AnvilOptions.Hardfork) for deposits to delegate to it.
func (f *Fixture) DeploySweeper(ctx context.Context, operator common.Address) (common.Address, error) {
	addr, tx, _, err := bindings.DeployAmnSweeper(f.Opts(ctx, f.Deployer), f.Client, operator, f.Addresses.Escrow)
	return f.deployed(ctx, "AmnSweeper", addr, tx, err)
}

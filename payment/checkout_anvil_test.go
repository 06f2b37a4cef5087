package payment

import (
	"context"
	"crypto/ecdsa"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/amanat/amn/bindings"
	"github.com/amanat/amn/devnet"
	"github.com/amanat/amn/hd"
	"github.com/amanat/amn/internal/rnartifacts"
)

const (
	// anvil's published default keys (accounts 0 and 1 of its test mnemonic "test test … junk").
	// They hold devnet coins only. hd/keyring's tests check that the mnemonic gives these.
	anvilDeployerKey = "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"
	anvilBuyerKey    = "59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d"
	anvilBuyerAddr   = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"
	// anvilAccountXpub is m/44'/60'/0' of the same mnemonic (pinned in hd/keyring's tests): deposit
	// addresses come from it through an xpub-only Deriver, as in production.
	anvilAccountXpub = "xpub6Ce9NcJvTk36xtLSrJLZqE7wtgA5deCeYs7rSQtreh4cj6ByPtrg9sD7V2FNFLPnf8heNP3FGkeV9qwfzvZNSd54JoNXVsXFYSYwHsnJxqP"

	erc20ReadABI = `[{"type":"function","name":"balanceOf","stateMutability":"view",
 "inputs":[{"name":"account","type":"address"}],"outputs":[{"name":"","type":"uint256"}]}]`
)

// devChain is one anvil node plus the helpers the test needs to send raw calls.
type devChain struct {
	t       *testing.T
	ctx     context.Context
	client  *ethclient.Client
	chainID *big.Int
}

func startDevChain(t *testing.T, chainID uint64) *devChain {
	t.Helper()
	if testing.Short() {
		t.Skip("starts anvil")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	node, err := devnet.StartAnvil(ctx, devnet.AnvilOptions{ChainID: chainID})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(node.Stop)
	client, err := ethclient.DialContext(ctx, node.URL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(client.Close)
	return &devChain{t: t, ctx: ctx, client: client, chainID: new(big.Int).SetUint64(chainID)}
}

func mustKey(t *testing.T, hexKey string) *ecdsa.PrivateKey {
	t.Helper()
	k, err := crypto.HexToECDSA(hexKey)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// send signs and sends one EIP-1559 transaction and waits for its receipt; it fails the test
// unless the transaction succeeded.
func (c *devChain) send(key *ecdsa.PrivateKey, to *common.Address, value *big.Int, data []byte) *types.Receipt {
	c.t.Helper()
	from := crypto.PubkeyToAddress(key.PublicKey)
	nonce, err := c.client.PendingNonceAt(c.ctx, from)
	if err != nil {
		c.t.Fatal(err)
	}
	gas, err := c.client.EstimateGas(c.ctx, ethereum.CallMsg{From: from, To: to, Value: value, Data: data})
	if err != nil {
		c.t.Fatalf("estimating gas (the call would revert?): %v", err)
	}
	head, err := c.client.HeaderByNumber(c.ctx, nil)
	if err != nil {
		c.t.Fatal(err)
	}
	tip := big.NewInt(1_000_000_000)
	tx := types.NewTx(&types.DynamicFeeTx{
		ChainID: c.chainID, Nonce: nonce, To: to, Value: value, Data: data, Gas: gas + gas/5,
		GasTipCap: tip, GasFeeCap: new(big.Int).Add(new(big.Int).Mul(head.BaseFee, big.NewInt(2)), tip),
	})
	signed, err := types.SignTx(tx, types.LatestSignerForChainID(c.chainID), key)
	if err != nil {
		c.t.Fatal(err)
	}
	if err := c.client.SendTransaction(c.ctx, signed); err != nil {
		c.t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		r, err := c.client.TransactionReceipt(c.ctx, signed.Hash())
		if err == nil {
			if r.Status != types.ReceiptStatusSuccessful {
				c.t.Fatalf("transaction %s reverted", signed.Hash())
			}
			return r
		}
		if time.Now().After(deadline) {
			c.t.Fatalf("no receipt for %s: %v", signed.Hash(), err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (c *devChain) deploy(key *ecdsa.PrivateKey, name string, ctorArgs []byte) common.Address {
	c.t.Helper()
	code, err := rnartifacts.Bytecode(name)
	if err != nil {
		c.t.Fatal(err)
	}
	r := c.send(key, nil, big.NewInt(0), append(code, ctorArgs...))
	if r.ContractAddress == (common.Address{}) {
		c.t.Fatalf("%s: no contract address", name)
	}
	return r.ContractAddress
}

// sendCall sends one checkout Call exactly as the checkout block gives it.
func (c *devChain) sendCall(key *ecdsa.PrivateKey, call Call) *types.Receipt {
	c.t.Helper()
	value, ok := new(big.Int).SetString(call.Value, 10)
	if !ok {
		c.t.Fatalf("call value %q is not a decimal integer", call.Value)
	}
	to := call.To
	return c.send(key, &to, value, call.Data)
}

func (c *devChain) tokenBalance(token, holder common.Address) *big.Int {
	c.t.Helper()
	a, _ := abi.JSON(strings.NewReader(erc20ReadABI))
	data, _ := a.Pack("balanceOf", holder)
	out, err := c.client.CallContract(c.ctx, ethereum.CallMsg{To: &token, Data: data}, nil)
	if err != nil {
		c.t.Fatal(err)
	}
	v, err := a.Unpack("balanceOf", out)
	if err != nil {
		c.t.Fatal(err)
	}
	return v[0].(*big.Int)
}

// feeProxyLog finds the one log of the given proxy and event, checks its topics, and decodes its
// non-indexed fields.
func feeProxyLog(t *testing.T, r *types.Receipt, proxy common.Address, ev abi.Event, wantTopic0 string, ref Reference) []any {
	t.Helper()
	var found []*types.Log
	for _, l := range r.Logs {
		if l.Address == proxy {
			found = append(found, l)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%d logs from the proxy, want 1", len(found))
	}
	l := found[0]
	if len(l.Topics) != 2 {
		t.Fatalf("%d topics, want 2", len(l.Topics))
	}
	if l.Topics[0] != common.HexToHash(wantTopic0) || ev.ID != l.Topics[0] {
		t.Errorf("topic0 = %s, want %s (ABI says %s)", l.Topics[0], wantTopic0, ev.ID)
	}
	if l.Topics[1] != ReferenceTopic(ref) || l.Topics[1] != crypto.Keccak256Hash(ref[:]) {
		t.Errorf("topic1 = %s, want keccak256(reference) = %s", l.Topics[1], ReferenceTopic(ref))
	}
	vals, err := ev.Inputs.NonIndexed().Unpack(l.Data)
	if err != nil {
		t.Fatal(err)
	}
	return vals
}

// TestCheckoutOnAnvilERC20 is acceptance 4 of issue 5: the buyer's wallet sends the checkout's
// approve and transferFromWithReferenceAndFee calldata, byte for byte, to Request Network's real
// ERC20FeeProxy bytecode, and the proxy's event and the balances are what the indexer will expect.
func TestCheckoutOnAnvilERC20(t *testing.T) {
	c := startDevChain(t, 56)
	deployer, buyer := mustKey(t, anvilDeployerKey), mustKey(t, anvilBuyerKey)
	if crypto.PubkeyToAddress(buyer.PublicKey) != common.HexToAddress(anvilBuyerAddr) {
		t.Fatal("buyer key is not anvil account 1")
	}

	proxy := c.deploy(deployer, rnartifacts.ERC20FeeProxy, nil)
	// Request Network's TestERC20(initialSupply) mints the supply to its deployer, the buyer (and
	// gives a few base units away in its constructor, hence "before" rather than the supply).
	supply, _ := new(big.Int).SetString("1000000000000000000000000", 10)
	ctorArgs, err := abi.Arguments{{Type: mustType(t, "uint256")}}.Pack(supply)
	if err != nil {
		t.Fatal(err)
	}
	token := c.deploy(buyer, "TestERC20", ctorArgs)
	buyerAddr := crypto.PubkeyToAddress(buyer.PublicKey)
	before := c.tokenBalance(token, buyerAddr)
	if before.Cmp(new(big.Int).Div(supply, big.NewInt(2))) < 0 {
		t.Fatalf("buyer holds %s test tokens of a supply of %s", before, supply)
	}

	d, err := hd.ParseXpub(anvilAccountXpub)
	if err != nil {
		t.Fatal(err)
	}
	// Indices past anvil's ten funded accounts: fresh, empty addresses.
	depositAddr, _ := d.Address(1000)
	feeAddr, _ := d.Address(1001)
	ref := ComputeReference("01amn-payment-0001", "5a1t", depositAddr.Hex())

	amount, _ := new(big.Int).SetString("125000000000000000000", 10)
	fee, _ := new(big.Int).SetString("2500000000000000000", 10)
	co, err := NewCheckout(CheckoutRequest{
		ChainID: 56, Token: token, Decimals: 18, Amount: amount, Fee: fee,
		Deposit: depositAddr, Reference: ref, FeeProxy: proxy, FeeAddress: feeAddr,
	})
	if err != nil {
		t.Fatal(err)
	}
	if co.ChainID != c.chainID.Uint64() {
		t.Fatalf("checkout for chain %d on chain %s", co.ChainID, c.chainID)
	}
	if len(co.Transactions) != 2 || co.Transactions[0].Purpose != PurposeApprove || co.Transactions[1].Purpose != PurposePay {
		t.Fatalf("transactions: %+v", co.Transactions)
	}
	c.sendCall(buyer, co.Transactions[0])
	receipt := c.sendCall(buyer, co.Transactions[1])

	proxyABI := mustABI(t, bindings.ERC20FeeProxyMetaData.ABI)
	vals := feeProxyLog(t, receipt, proxy, proxyABI.Events["TransferWithReferenceAndFee"],
		"0x9f16cbcc523c67a60c450e5ffe4f3b7b6dbe772e7abcadb2686ce029a9a0a2b6", ref)
	// Non-indexed fields in order: tokenAddress, to, amount, feeAmount, feeAddress.
	if vals[0].(common.Address) != token || vals[1].(common.Address) != depositAddr ||
		vals[2].(*big.Int).Cmp(amount) != 0 || vals[3].(*big.Int).Cmp(fee) != 0 || vals[4].(common.Address) != feeAddr {
		t.Errorf("event data = %v, want [%s %s %s %s %s]", vals, token, depositAddr, amount, fee, feeAddr)
	}

	if got := c.tokenBalance(token, depositAddr); got.Cmp(amount) != 0 {
		t.Errorf("deposit address holds %s, want %s", got, amount)
	}
	if got := c.tokenBalance(token, feeAddr); got.Cmp(fee) != 0 {
		t.Errorf("fee address holds %s, want %s", got, fee)
	}
	left := new(big.Int).Sub(before, new(big.Int).Add(amount, fee))
	if got := c.tokenBalance(token, buyerAddr); got.Cmp(left) != 0 {
		t.Errorf("buyer holds %s, want %s", got, left)
	}
	// The approval was exactly amount+fee and is used up: a second payment must not go through.
	if _, err := c.client.EstimateGas(c.ctx, ethereum.CallMsg{From: buyerAddr, To: &proxy, Data: co.Transactions[1].Data}); err == nil {
		t.Error("a second transferFromWithReferenceAndFee would succeed without a new approve")
	}
}

// TestCheckoutOnAnvilNative pays in BNB through Request Network's real EthereumFeeProxy.
func TestCheckoutOnAnvilNative(t *testing.T) {
	c := startDevChain(t, 56)
	deployer, buyer := mustKey(t, anvilDeployerKey), mustKey(t, anvilBuyerKey)
	proxy := c.deploy(deployer, rnartifacts.EthereumFeeProxy, nil)

	d, err := hd.ParseXpub(anvilAccountXpub)
	if err != nil {
		t.Fatal(err)
	}
	depositAddr, _ := d.Address(2000)
	feeAddr, _ := d.Address(2001)
	ref := ComputeReference("01amn-payment-0002", "5a1t", depositAddr.Hex())
	amount, fee := big.NewInt(3e17), big.NewInt(6e15)
	co, err := NewCheckout(CheckoutRequest{
		ChainID: 56, Native: true, Decimals: 18, Amount: amount, Fee: fee,
		Deposit: depositAddr, Reference: ref, FeeProxy: proxy, FeeAddress: feeAddr,
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(co.Transactions) != 1 {
		t.Fatalf("transactions: %+v", co.Transactions)
	}
	receipt := c.sendCall(buyer, co.Transactions[0])

	proxyABI := mustABI(t, bindings.EthereumFeeProxyMetaData.ABI)
	vals := feeProxyLog(t, receipt, proxy, proxyABI.Events["TransferWithReferenceAndFee"],
		"0xa1c241e337c4610a9d0f881111e977e9dc8690c85fe2108897bb1483c66e6a96", ref)
	// Non-indexed fields in order: to, amount, feeAmount, feeAddress.
	if vals[0].(common.Address) != depositAddr || vals[1].(*big.Int).Cmp(amount) != 0 ||
		vals[2].(*big.Int).Cmp(fee) != 0 || vals[3].(common.Address) != feeAddr {
		t.Errorf("event data = %v", vals)
	}
	for addr, want := range map[common.Address]*big.Int{depositAddr: amount, feeAddr: fee} {
		got, err := c.client.BalanceAt(c.ctx, addr, nil)
		if err != nil {
			t.Fatal(err)
		}
		if got.Cmp(want) != 0 {
			t.Errorf("%s holds %s wei, want %s", addr, got, want)
		}
	}
}

func mustType(t *testing.T, s string) abi.Type {
	t.Helper()
	ty, err := abi.NewType(s, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	return ty
}

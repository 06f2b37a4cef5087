package payment

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"math/big"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"

	"github.com/amanat/amn/bindings"
)

var (
	bscUSDT    = common.HexToAddress("0x55d398326f99059fF775485246999027B3197955")
	bscProxy   = common.HexToAddress("0x0DfbEe143b42B41eFC5A6F87bFD1fFC78c2f0aC9")
	ethProxy   = common.HexToAddress("0xfCFBcfc4f5A421089e3Df45455F7f4985FE2D6a8")
	deposit    = common.HexToAddress("0x1111111111111111111111111111111111111111")
	feeAddress = common.HexToAddress("0x2222222222222222222222222222222222222222")
	testRef    = ComputeReference("01847474747474", "8d03ea7", "0x000001")
)

func erc20Request() CheckoutRequest {
	amount, _ := new(big.Int).SetString("125000000000000000000", 10) // 125 USDT (18 decimals on BSC)
	return CheckoutRequest{
		ChainID: 56, Token: bscUSDT, Decimals: 18,
		Amount: amount, Fee: big.NewInt(1_250_000_000_000_000_000),
		Deposit: deposit, Reference: testRef, FeeProxy: bscProxy, FeeAddress: feeAddress,
	}
}

func mustABI(t *testing.T, s string) abi.ABI {
	t.Helper()
	a, err := abi.JSON(strings.NewReader(s))
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// unpack decodes calldata with the ABI method its selector names, checking the method name.
func unpack(t *testing.T, a abi.ABI, data []byte, wantMethod string) []any {
	t.Helper()
	m, err := a.MethodById(data[:4])
	if err != nil {
		t.Fatalf("unknown selector %x: %v", data[:4], err)
	}
	if m.Name != wantMethod {
		t.Fatalf("selector %x is %s, want %s", data[:4], m.Name, wantMethod)
	}
	args, err := m.Inputs.Unpack(data[4:])
	if err != nil {
		t.Fatal(err)
	}
	// Re-encoding must give back the very same bytes (no trailing garbage, canonical encoding).
	again, err := m.Inputs.Pack(args...)
	if err != nil || !bytes.Equal(again, data[4:]) {
		t.Fatalf("calldata is not the canonical encoding of its arguments")
	}
	return args
}

func TestCheckoutERC20Calldata(t *testing.T) {
	req := erc20Request()
	c, err := NewCheckout(req)
	if err != nil {
		t.Fatal(err)
	}
	total := new(big.Int).Add(req.Amount, req.Fee)
	if c.Amount != "125000000000000000000" || c.Fee != "1250000000000000000" || c.Total != total.String() {
		t.Errorf("amounts = %s + %s = %s", c.Amount, c.Fee, c.Total)
	}
	if c.ChainID != 56 || c.Token == nil || *c.Token != bscUSDT || c.Decimals != 18 || c.Native ||
		c.DepositAddress != deposit || c.Reference != testRef || c.FeeProxy != bscProxy || c.FeeAddress != feeAddress {
		t.Errorf("checkout fields: %+v", c)
	}
	if len(c.Transactions) != 2 {
		t.Fatalf("%d transactions, want approve + pay", len(c.Transactions))
	}
	approve, pay := c.Transactions[0], c.Transactions[1]

	// approve(feeProxy, amount+fee) on the token, standard selector 0x095ea7b3.
	if approve.Purpose != PurposeApprove || approve.To != bscUSDT || approve.Value != "0" {
		t.Errorf("approve call: %+v", approve)
	}
	if hex.EncodeToString(approve.Data[:4]) != "095ea7b3" {
		t.Errorf("approve selector %x", approve.Data[:4])
	}
	args := unpack(t, mustABI(t, bindings.ERC20MetaData.ABI), approve.Data, "approve")
	if args[0].(common.Address) != bscProxy || args[1].(*big.Int).Cmp(total) != 0 {
		t.Errorf("approve args: %v", args)
	}

	// transferFromWithReferenceAndFee, decoded with the real ABI from node_modules' artifact.
	if pay.Purpose != PurposePay || pay.To != bscProxy || pay.Value != "0" {
		t.Errorf("pay call: %+v", pay)
	}
	if got := hex.EncodeToString(pay.Data[:4]); got != "c219a14d" {
		t.Errorf("transferFromWithReferenceAndFee selector = %s, want c219a14d (CHAINS.md)", got)
	}
	args = unpack(t, mustABI(t, bindings.ERC20FeeProxyMetaData.ABI), pay.Data, "transferFromWithReferenceAndFee")
	if args[0].(common.Address) != bscUSDT {
		t.Errorf("tokenAddress = %v", args[0])
	}
	if args[1].(common.Address) != deposit {
		t.Errorf("to = %v", args[1])
	}
	if args[2].(*big.Int).Cmp(req.Amount) != 0 {
		t.Errorf("amount = %v", args[2])
	}
	if !bytes.Equal(args[3].([]byte), testRef[:]) {
		t.Errorf("paymentReference = %x, want %x", args[3], testRef[:])
	}
	if args[4].(*big.Int).Cmp(req.Fee) != 0 {
		t.Errorf("feeAmount = %v", args[4])
	}
	if args[5].(common.Address) != feeAddress {
		t.Errorf("feeAddress = %v", args[5])
	}
}

func TestCheckoutNativeCalldata(t *testing.T) {
	req := CheckoutRequest{
		ChainID: 1, Native: true, Decimals: 18,
		Amount: big.NewInt(5e17), Fee: big.NewInt(0),
		Deposit: deposit, Reference: testRef, FeeProxy: ethProxy, FeeAddress: feeAddress,
	}
	c, err := NewCheckout(req)
	if err != nil {
		t.Fatal(err)
	}
	if c.Token != nil || !c.Native || c.Total != "500000000000000000" || c.Fee != "0" {
		t.Errorf("native checkout: %+v", c)
	}
	if len(c.Transactions) != 1 {
		t.Fatalf("%d transactions, want 1", len(c.Transactions))
	}
	pay := c.Transactions[0]
	if pay.To != ethProxy || pay.Value != "500000000000000000" || pay.Purpose != PurposePay {
		t.Errorf("pay call: %+v", pay)
	}
	args := unpack(t, mustABI(t, bindings.EthereumFeeProxyMetaData.ABI), pay.Data, "transferWithReferenceAndFee")
	if args[0].(common.Address) != deposit || !bytes.Equal(args[1].([]byte), testRef[:]) ||
		args[2].(*big.Int).Sign() != 0 || args[3].(common.Address) != feeAddress {
		t.Errorf("transferWithReferenceAndFee args: %v", args)
	}
}

func TestCheckoutJSON(t *testing.T) {
	c, err := NewCheckout(erc20Request())
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	// Amounts are strings, never JSON numbers (which clients parse as floats).
	for _, k := range []string{"amount", "fee", "total"} {
		if _, ok := m[k].(string); !ok {
			t.Errorf("%s is %T, want string", k, m[k])
		}
	}
	if m["paymentReference"] != testRef.String() {
		t.Errorf("paymentReference = %v", m["paymentReference"])
	}
	txs := m["transactions"].([]any)
	pay := txs[1].(map[string]any)
	if !strings.HasPrefix(pay["data"].(string), "0xc219a14d") || pay["value"] != "0" {
		t.Errorf("pay = %v", pay)
	}
}

func TestCheckoutValidation(t *testing.T) {
	huge := new(big.Int).Set(maxUint256)
	cases := []struct {
		field string
		edit  func(r *CheckoutRequest)
	}{
		{"chainId", func(r *CheckoutRequest) { r.ChainID = 0 }},
		{"token", func(r *CheckoutRequest) { r.Token = common.Address{} }},
		{"token", func(r *CheckoutRequest) { r.Native = true }},
		{"decimals", func(r *CheckoutRequest) { r.Decimals = 78 }},
		{"decimals", func(r *CheckoutRequest) { r.Native, r.Token, r.Decimals = true, common.Address{}, 6 }},
		{"amount", func(r *CheckoutRequest) { r.Amount = nil }},
		{"amount", func(r *CheckoutRequest) { r.Amount = big.NewInt(0) }},
		{"amount", func(r *CheckoutRequest) { r.Amount = big.NewInt(-1) }},
		{"amount", func(r *CheckoutRequest) { r.Amount, r.Fee = huge, big.NewInt(1) }},
		{"fee", func(r *CheckoutRequest) { r.Fee = nil }},
		{"fee", func(r *CheckoutRequest) { r.Fee = big.NewInt(-1) }},
		{"depositAddress", func(r *CheckoutRequest) { r.Deposit = common.Address{} }},
		{"depositAddress", func(r *CheckoutRequest) { r.Deposit = r.FeeProxy }},
		{"depositAddress", func(r *CheckoutRequest) { r.Deposit = r.Token }},
		{"feeProxy", func(r *CheckoutRequest) { r.FeeProxy = common.Address{} }},
		{"feeProxy", func(r *CheckoutRequest) { r.FeeProxy = r.Token }},
		{"feeAddress", func(r *CheckoutRequest) { r.FeeAddress = common.Address{} }},
		{"paymentReference", func(r *CheckoutRequest) { r.Reference = Reference{} }},
	}
	for _, c := range cases {
		req := erc20Request()
		c.edit(&req)
		got, err := NewCheckout(req)
		var ie *InvalidCheckoutError
		if !errors.As(err, &ie) || !errors.Is(err, ErrInvalidCheckout) || got != nil {
			t.Errorf("%s: (%v, %v), want *InvalidCheckoutError", c.field, got, err)
			continue
		}
		if ie.Field != c.field {
			t.Errorf("error on %q (%v), want %q", ie.Field, err, c.field)
		}
	}
	// Edges that are valid: zero fee, 0 decimals, 77 decimals, amount+fee = 2^256-1.
	for name, edit := range map[string]func(r *CheckoutRequest){
		"zero fee":    func(r *CheckoutRequest) { r.Fee = new(big.Int) },
		"0 decimals":  func(r *CheckoutRequest) { r.Decimals = 0 },
		"77 decimals": func(r *CheckoutRequest) { r.Decimals = 77 },
		"max total":   func(r *CheckoutRequest) { r.Amount, r.Fee = new(big.Int).Sub(huge, big.NewInt(5)), big.NewInt(5) },
	} {
		req := erc20Request()
		edit(&req)
		if _, err := NewCheckout(req); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	// The request's big.Ints are not retained or modified.
	req := erc20Request()
	amount := new(big.Int).Set(req.Amount)
	c, _ := NewCheckout(req)
	req.Amount.SetInt64(1)
	if c.Amount != amount.String() {
		t.Error("checkout aliases the request's amount")
	}
}

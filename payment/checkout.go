package payment

import (
	"errors"
	"fmt"
	"math/big"
	"sync"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"

	"github.com/amanat/amn/bindings"
	"github.com/amanat/amn/kind"
)

// CheckoutRequest is what the API knows about a payment when it shows the buyer how to pay.
// Amounts are integers in the token's base units.
type CheckoutRequest struct {
	ChainID uint64
	// Native pays in the chain's own currency (ETH, BNB, POL) through EthereumFeeProxy; otherwise
	// Token is paid through ERC20FeeProxy.
	Native   bool
	Token    common.Address // the ERC-20 token; zero when Native
	Decimals uint8          // the token's decimals (18 for native currency)
	Amount   *big.Int       // to the deposit address; > 0
	Fee      *big.Int       // to FeeAddress; ≥ 0
	Deposit  common.Address // the payment's HD-derived deposit address
	// Reference is the Request Network payment reference (see ComputeReference).
	Reference  Reference
	FeeProxy   common.Address // ERC20FeeProxy, or EthereumFeeProxy when Native, on ChainID
	FeeAddress common.Address
}

// Checkout is the block the API returns: everything a wallet needs to pay, and the exact calls to
// sign, in order. Amounts are decimal strings of base units, never floats.
type Checkout struct {
	ChainID        uint64          `json:"chainId"`
	Native         bool            `json:"native"`
	Token          *common.Address `json:"token,omitempty"` // absent when Native
	Decimals       uint8           `json:"decimals"`
	Amount         string          `json:"amount"` // to the deposit address
	Fee            string          `json:"fee"`
	Total          string          `json:"total"` // amount + fee: what leaves the buyer's wallet
	DepositAddress common.Address  `json:"depositAddress"`
	Reference      Reference       `json:"paymentReference"`
	FeeProxy       common.Address  `json:"feeProxy"`
	FeeAddress     common.Address  `json:"feeAddress"`
	Transactions   []Call          `json:"transactions"`
}

// Call is one transaction for the buyer's wallet to send.
type Call struct {
	Purpose string         `json:"purpose"` // PurposeApprove or PurposePay
	To      common.Address `json:"to"`
	Data    hexutil.Bytes  `json:"data"`
	Value   string         `json:"value"` // wei, decimal; "0" for ERC-20 calls
}

// Call purposes.
const (
	PurposeApprove = "approve" // ERC-20 approve(feeProxy, amount+fee)
	PurposePay     = "pay"     // the fee proxy call that moves the money and emits the reference
)

// ErrInvalidCheckout is matched (errors.Is) by every *InvalidCheckoutError.
var ErrInvalidCheckout = kind.New(kind.Invalid, "payment: invalid checkout")

// InvalidCheckoutError says which input of a CheckoutRequest is wrong and why.
type InvalidCheckoutError struct {
	Field  string // JSON-style field name: "amount", "feeAddress", …
	Reason string
}

func (e *InvalidCheckoutError) Error() string {
	return fmt.Sprintf("payment: invalid checkout: %s: %s", e.Field, e.Reason)
}

// Is makes errors.Is(err, ErrInvalidCheckout) true, and so errors.Is(err, kind.Invalid).
func (e *InvalidCheckoutError) Is(target error) bool {
	return target == ErrInvalidCheckout || errors.Is(ErrInvalidCheckout, target)
}

// MaxDecimals is the most decimals a uint256 amount can meaningfully have (10^77 < 2^256 < 10^78).
const MaxDecimals = 77

// NativeDecimals is the decimals of ETH, BNB and POL.
const NativeDecimals = 18

var maxUint256 = new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 256), big.NewInt(1))

type checkoutABIs struct{ erc20, erc20FeeProxy, ethFeeProxy *abi.ABI }

// abis parses the ABIs of the generated bindings (OpenZeppelin's ERC-20, Request Network's fee
// proxies, both from their npm packages) once, on first use.
var abis = sync.OnceValues(func() (checkoutABIs, error) {
	var a checkoutABIs
	var err error
	if a.erc20, err = bindings.ERC20MetaData.GetAbi(); err != nil {
		return a, fmt.Errorf("payment: ERC-20 ABI: %w", err)
	}
	if a.erc20FeeProxy, err = bindings.ERC20FeeProxyMetaData.GetAbi(); err != nil {
		return a, fmt.Errorf("payment: ERC20FeeProxy ABI: %w", err)
	}
	if a.ethFeeProxy, err = bindings.EthereumFeeProxyMetaData.GetAbi(); err != nil {
		return a, fmt.Errorf("payment: EthereumFeeProxy ABI: %w", err)
	}
	return a, nil
})

// NewCheckout validates a request and builds its checkout block:
//
//   - ERC-20: approve(feeProxy, amount+fee) on the token, then
//     ERC20FeeProxy.transferFromWithReferenceAndFee(token, deposit, amount, reference, fee, feeAddress);
//   - native: EthereumFeeProxy.transferWithReferenceAndFee(deposit, reference, fee, feeAddress)
//     with value amount+fee (the proxy forwards value−fee to the deposit address).
//
// Errors from bad input are *InvalidCheckoutError.
func NewCheckout(req CheckoutRequest) (*Checkout, error) {
	if err := req.validate(); err != nil {
		return nil, err
	}
	a, err := abis()
	if err != nil {
		return nil, err
	}
	total := new(big.Int).Add(req.Amount, req.Fee)
	c := &Checkout{
		ChainID:        req.ChainID,
		Native:         req.Native,
		Decimals:       req.Decimals,
		Amount:         req.Amount.String(),
		Fee:            req.Fee.String(),
		Total:          total.String(),
		DepositAddress: req.Deposit,
		Reference:      req.Reference,
		FeeProxy:       req.FeeProxy,
		FeeAddress:     req.FeeAddress,
	}
	if req.Native {
		pay, err := a.ethFeeProxy.Pack("transferWithReferenceAndFee", req.Deposit, req.Reference.Bytes(), req.Fee, req.FeeAddress)
		if err != nil {
			return nil, fmt.Errorf("payment: encoding transferWithReferenceAndFee: %w", err)
		}
		c.Transactions = []Call{{Purpose: PurposePay, To: req.FeeProxy, Data: pay, Value: total.String()}}
		return c, nil
	}
	token := req.Token
	c.Token = &token
	approve, err := a.erc20.Pack("approve", req.FeeProxy, total)
	if err != nil {
		return nil, fmt.Errorf("payment: encoding approve: %w", err)
	}
	pay, err := a.erc20FeeProxy.Pack("transferFromWithReferenceAndFee",
		req.Token, req.Deposit, req.Amount, req.Reference.Bytes(), req.Fee, req.FeeAddress)
	if err != nil {
		return nil, fmt.Errorf("payment: encoding transferFromWithReferenceAndFee: %w", err)
	}
	c.Transactions = []Call{
		{Purpose: PurposeApprove, To: req.Token, Data: approve, Value: "0"},
		{Purpose: PurposePay, To: req.FeeProxy, Data: pay, Value: "0"},
	}
	return c, nil
}

func (req *CheckoutRequest) validate() error {
	bad := func(field, reason string) error { return &InvalidCheckoutError{Field: field, Reason: reason} }
	zero := common.Address{}
	if req.ChainID == 0 {
		return bad("chainId", "required")
	}
	if req.Native {
		if req.Token != zero {
			return bad("token", "must be empty for native currency")
		}
		if req.Decimals != NativeDecimals {
			return bad("decimals", fmt.Sprintf("native currency has %d decimals, got %d", NativeDecimals, req.Decimals))
		}
	} else {
		if req.Token == zero {
			return bad("token", "required (non-zero address)")
		}
		if req.Decimals > MaxDecimals {
			return bad("decimals", fmt.Sprintf("%d is more than a uint256 amount can hold (max %d)", req.Decimals, MaxDecimals))
		}
	}
	switch {
	case req.Amount == nil:
		return bad("amount", "required")
	case req.Amount.Sign() <= 0:
		return bad("amount", "must be positive")
	case req.Fee == nil:
		return bad("fee", "required (0 for none)")
	case req.Fee.Sign() < 0:
		return bad("fee", "must not be negative")
	case new(big.Int).Add(req.Amount, req.Fee).Cmp(maxUint256) > 0:
		return bad("amount", "amount + fee exceeds uint256")
	}
	if req.Deposit == zero {
		return bad("depositAddress", "required (non-zero address)")
	}
	if req.FeeProxy == zero {
		return bad("feeProxy", "required (non-zero address)")
	}
	// A fee proxy skips the fee transfer when the fee address is zero but still reports the fee in
	// its event; a zero fee address would make the books disagree with the chain.
	if req.FeeAddress == zero {
		return bad("feeAddress", "required (non-zero address)")
	}
	if req.Deposit == req.FeeProxy || (!req.Native && req.Deposit == req.Token) {
		return bad("depositAddress", "must not be the token or the fee proxy")
	}
	if !req.Native && req.FeeProxy == req.Token {
		return bad("feeProxy", "must not be the token")
	}
	if req.Reference.IsZero() {
		return bad("paymentReference", "required")
	}
	return nil
}

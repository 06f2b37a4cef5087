// Code generated - DO NOT EDIT.
// This file is a generated binding and any manual changes will be lost.

package bindings

import (
	"context"
	"errors"
	"math/big"
	"strings"
	"time"

	ethereum "github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/event"
)

// Reference imports to suppress errors if they are not otherwise used.
var (
	_ = errors.New
	_ = big.NewInt
	_ = strings.NewReader
	_ = ethereum.NotFound
	_ = bind.Bind
	_ = common.Big1
	_ = types.BloomLookup
	_ = event.NewSubscription
	_ = abi.ConvertType
	_ = time.Tick
	_ = context.Background
)

// AmnEscrowRefund is an auto generated low-level Go binding around an user-defined struct.
type AmnEscrowRefund struct {
	PaymentId       [32]byte
	Token           common.Address
	Buyer           common.Address
	Amount          *big.Int
	ResolvesDispute bool
	Deadline        *big.Int
}

// AmnEscrowRelease is an auto generated low-level Go binding around an user-defined struct.
type AmnEscrowRelease struct {
	PaymentId       [32]byte
	Token           common.Address
	Seller          common.Address
	SellerAmount    *big.Int
	FeeRecipient    common.Address
	FeeAmount       *big.Int
	ResolvesDispute bool
	Deadline        *big.Int
}

// AmnEscrowSettle is an auto generated low-level Go binding around an user-defined struct.
type AmnEscrowSettle struct {
	PaymentId       [32]byte
	Token           common.Address
	Buyer           common.Address
	BuyerAmount     *big.Int
	Seller          common.Address
	SellerAmount    *big.Int
	FeeRecipient    common.Address
	FeeAmount       *big.Int
	ResolvesDispute bool
	Deadline        *big.Int
}

// AmnEscrowMetaData contains all meta data concerning the AmnEscrow contract.
var AmnEscrowMetaData = &bind.MetaData{
	ABI: "[{\"type\":\"constructor\",\"inputs\":[{\"name\":\"custodians_\",\"type\":\"address[]\",\"internalType\":\"address[]\"},{\"name\":\"threshold_\",\"type\":\"uint256\",\"internalType\":\"uint256\"},{\"name\":\"arbiter_\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"reclaimDelay_\",\"type\":\"uint256\",\"internalType\":\"uint256\"}],\"stateMutability\":\"nonpayable\"},{\"type\":\"function\",\"name\":\"MAX_AMOUNT\",\"inputs\":[],\"outputs\":[{\"name\":\"\",\"type\":\"uint256\",\"internalType\":\"uint256\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"MAX_CUSTODIANS\",\"inputs\":[],\"outputs\":[{\"name\":\"\",\"type\":\"uint256\",\"internalType\":\"uint256\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"MAX_RECLAIM_DELAY\",\"inputs\":[],\"outputs\":[{\"name\":\"\",\"type\":\"uint256\",\"internalType\":\"uint256\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"MIN_RECLAIM_DELAY\",\"inputs\":[],\"outputs\":[{\"name\":\"\",\"type\":\"uint256\",\"internalType\":\"uint256\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"REFUND_TYPEHASH\",\"inputs\":[],\"outputs\":[{\"name\":\"\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"RELEASE_TYPEHASH\",\"inputs\":[],\"outputs\":[{\"name\":\"\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"SETTLE_TYPEHASH\",\"inputs\":[],\"outputs\":[{\"name\":\"\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"SET_ARBITER_TYPEHASH\",\"inputs\":[],\"outputs\":[{\"name\":\"\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"SET_CUSTODIANS_TYPEHASH\",\"inputs\":[],\"outputs\":[{\"name\":\"\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"SET_RECLAIM_DELAY_TYPEHASH\",\"inputs\":[],\"outputs\":[{\"name\":\"\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"arbiter\",\"inputs\":[],\"outputs\":[{\"name\":\"\",\"type\":\"address\",\"internalType\":\"address\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"configNonce\",\"inputs\":[],\"outputs\":[{\"name\":\"\",\"type\":\"uint256\",\"internalType\":\"uint256\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"custodians\",\"inputs\":[],\"outputs\":[{\"name\":\"\",\"type\":\"address[]\",\"internalType\":\"address[]\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"domainSeparator\",\"inputs\":[],\"outputs\":[{\"name\":\"\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"eip712Domain\",\"inputs\":[],\"outputs\":[{\"name\":\"fields\",\"type\":\"bytes1\",\"internalType\":\"bytes1\"},{\"name\":\"name\",\"type\":\"string\",\"internalType\":\"string\"},{\"name\":\"version\",\"type\":\"string\",\"internalType\":\"string\"},{\"name\":\"chainId\",\"type\":\"uint256\",\"internalType\":\"uint256\"},{\"name\":\"verifyingContract\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"salt\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"},{\"name\":\"extensions\",\"type\":\"uint256[]\",\"internalType\":\"uint256[]\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"escrowId\",\"inputs\":[{\"name\":\"funder\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"ref\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"}],\"outputs\":[{\"name\":\"\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"}],\"stateMutability\":\"pure\"},{\"type\":\"function\",\"name\":\"escrows\",\"inputs\":[{\"name\":\"id\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"}],\"outputs\":[{\"name\":\"token\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"fundedAt\",\"type\":\"uint64\",\"internalType\":\"uint64\"},{\"name\":\"status\",\"type\":\"uint8\",\"internalType\":\"enumAmnEscrow.Status\"},{\"name\":\"frozen\",\"type\":\"bool\",\"internalType\":\"bool\"},{\"name\":\"buyer\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"seller\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"amount\",\"type\":\"uint256\",\"internalType\":\"uint256\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"freeze\",\"inputs\":[{\"name\":\"id\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"}],\"outputs\":[],\"stateMutability\":\"nonpayable\"},{\"type\":\"function\",\"name\":\"fund\",\"inputs\":[{\"name\":\"ref\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"},{\"name\":\"token\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"amount\",\"type\":\"uint256\",\"internalType\":\"uint256\"},{\"name\":\"buyer\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"seller\",\"type\":\"address\",\"internalType\":\"address\"}],\"outputs\":[{\"name\":\"id\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"},{\"name\":\"received\",\"type\":\"uint256\",\"internalType\":\"uint256\"}],\"stateMutability\":\"nonpayable\"},{\"type\":\"function\",\"name\":\"fundByTransfer\",\"inputs\":[{\"name\":\"ref\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"},{\"name\":\"token\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"amount\",\"type\":\"uint256\",\"internalType\":\"uint256\"},{\"name\":\"buyer\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"seller\",\"type\":\"address\",\"internalType\":\"address\"}],\"outputs\":[{\"name\":\"id\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"},{\"name\":\"received\",\"type\":\"uint256\",\"internalType\":\"uint256\"}],\"stateMutability\":\"nonpayable\"},{\"type\":\"function\",\"name\":\"fundNative\",\"inputs\":[{\"name\":\"ref\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"},{\"name\":\"buyer\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"seller\",\"type\":\"address\",\"internalType\":\"address\"}],\"outputs\":[{\"name\":\"id\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"}],\"stateMutability\":\"payable\"},{\"type\":\"function\",\"name\":\"isCustodian\",\"inputs\":[{\"name\":\"account\",\"type\":\"address\",\"internalType\":\"address\"}],\"outputs\":[{\"name\":\"\",\"type\":\"bool\",\"internalType\":\"bool\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"reclaim\",\"inputs\":[{\"name\":\"id\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"}],\"outputs\":[],\"stateMutability\":\"nonpayable\"},{\"type\":\"function\",\"name\":\"reclaimDelay\",\"inputs\":[],\"outputs\":[{\"name\":\"\",\"type\":\"uint256\",\"internalType\":\"uint256\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"reclaimableAt\",\"inputs\":[{\"name\":\"id\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"}],\"outputs\":[{\"name\":\"\",\"type\":\"uint256\",\"internalType\":\"uint256\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"refund\",\"inputs\":[{\"name\":\"id\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"},{\"name\":\"r\",\"type\":\"tuple\",\"internalType\":\"structAmnEscrow.Refund\",\"components\":[{\"name\":\"paymentId\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"},{\"name\":\"token\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"buyer\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"amount\",\"type\":\"uint256\",\"internalType\":\"uint256\"},{\"name\":\"resolvesDispute\",\"type\":\"bool\",\"internalType\":\"bool\"},{\"name\":\"deadline\",\"type\":\"uint256\",\"internalType\":\"uint256\"}]},{\"name\":\"signatures\",\"type\":\"bytes[]\",\"internalType\":\"bytes[]\"}],\"outputs\":[],\"stateMutability\":\"nonpayable\"},{\"type\":\"function\",\"name\":\"refundDigest\",\"inputs\":[{\"name\":\"r\",\"type\":\"tuple\",\"internalType\":\"structAmnEscrow.Refund\",\"components\":[{\"name\":\"paymentId\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"},{\"name\":\"token\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"buyer\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"amount\",\"type\":\"uint256\",\"internalType\":\"uint256\"},{\"name\":\"resolvesDispute\",\"type\":\"bool\",\"internalType\":\"bool\"},{\"name\":\"deadline\",\"type\":\"uint256\",\"internalType\":\"uint256\"}]}],\"outputs\":[{\"name\":\"\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"release\",\"inputs\":[{\"name\":\"id\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"},{\"name\":\"r\",\"type\":\"tuple\",\"internalType\":\"structAmnEscrow.Release\",\"components\":[{\"name\":\"paymentId\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"},{\"name\":\"token\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"seller\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"sellerAmount\",\"type\":\"uint256\",\"internalType\":\"uint256\"},{\"name\":\"feeRecipient\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"feeAmount\",\"type\":\"uint256\",\"internalType\":\"uint256\"},{\"name\":\"resolvesDispute\",\"type\":\"bool\",\"internalType\":\"bool\"},{\"name\":\"deadline\",\"type\":\"uint256\",\"internalType\":\"uint256\"}]},{\"name\":\"signatures\",\"type\":\"bytes[]\",\"internalType\":\"bytes[]\"}],\"outputs\":[],\"stateMutability\":\"nonpayable\"},{\"type\":\"function\",\"name\":\"releaseDigest\",\"inputs\":[{\"name\":\"r\",\"type\":\"tuple\",\"internalType\":\"structAmnEscrow.Release\",\"components\":[{\"name\":\"paymentId\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"},{\"name\":\"token\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"seller\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"sellerAmount\",\"type\":\"uint256\",\"internalType\":\"uint256\"},{\"name\":\"feeRecipient\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"feeAmount\",\"type\":\"uint256\",\"internalType\":\"uint256\"},{\"name\":\"resolvesDispute\",\"type\":\"bool\",\"internalType\":\"bool\"},{\"name\":\"deadline\",\"type\":\"uint256\",\"internalType\":\"uint256\"}]}],\"outputs\":[{\"name\":\"\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"setArbiter\",\"inputs\":[{\"name\":\"newArbiter\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"nonce\",\"type\":\"uint256\",\"internalType\":\"uint256\"},{\"name\":\"deadline\",\"type\":\"uint256\",\"internalType\":\"uint256\"},{\"name\":\"signatures\",\"type\":\"bytes[]\",\"internalType\":\"bytes[]\"}],\"outputs\":[],\"stateMutability\":\"nonpayable\"},{\"type\":\"function\",\"name\":\"setArbiterDigest\",\"inputs\":[{\"name\":\"newArbiter\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"nonce\",\"type\":\"uint256\",\"internalType\":\"uint256\"},{\"name\":\"deadline\",\"type\":\"uint256\",\"internalType\":\"uint256\"}],\"outputs\":[{\"name\":\"\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"setCustodians\",\"inputs\":[{\"name\":\"newCustodians\",\"type\":\"address[]\",\"internalType\":\"address[]\"},{\"name\":\"newThreshold\",\"type\":\"uint256\",\"internalType\":\"uint256\"},{\"name\":\"nonce\",\"type\":\"uint256\",\"internalType\":\"uint256\"},{\"name\":\"deadline\",\"type\":\"uint256\",\"internalType\":\"uint256\"},{\"name\":\"signatures\",\"type\":\"bytes[]\",\"internalType\":\"bytes[]\"}],\"outputs\":[],\"stateMutability\":\"nonpayable\"},{\"type\":\"function\",\"name\":\"setCustodiansDigest\",\"inputs\":[{\"name\":\"newCustodians\",\"type\":\"address[]\",\"internalType\":\"address[]\"},{\"name\":\"newThreshold\",\"type\":\"uint256\",\"internalType\":\"uint256\"},{\"name\":\"nonce\",\"type\":\"uint256\",\"internalType\":\"uint256\"},{\"name\":\"deadline\",\"type\":\"uint256\",\"internalType\":\"uint256\"}],\"outputs\":[{\"name\":\"\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"setReclaimDelay\",\"inputs\":[{\"name\":\"newDelay\",\"type\":\"uint256\",\"internalType\":\"uint256\"},{\"name\":\"nonce\",\"type\":\"uint256\",\"internalType\":\"uint256\"},{\"name\":\"deadline\",\"type\":\"uint256\",\"internalType\":\"uint256\"},{\"name\":\"signatures\",\"type\":\"bytes[]\",\"internalType\":\"bytes[]\"}],\"outputs\":[],\"stateMutability\":\"nonpayable\"},{\"type\":\"function\",\"name\":\"setReclaimDelayDigest\",\"inputs\":[{\"name\":\"newDelay\",\"type\":\"uint256\",\"internalType\":\"uint256\"},{\"name\":\"nonce\",\"type\":\"uint256\",\"internalType\":\"uint256\"},{\"name\":\"deadline\",\"type\":\"uint256\",\"internalType\":\"uint256\"}],\"outputs\":[{\"name\":\"\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"settle\",\"inputs\":[{\"name\":\"id\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"},{\"name\":\"s\",\"type\":\"tuple\",\"internalType\":\"structAmnEscrow.Settle\",\"components\":[{\"name\":\"paymentId\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"},{\"name\":\"token\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"buyer\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"buyerAmount\",\"type\":\"uint256\",\"internalType\":\"uint256\"},{\"name\":\"seller\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"sellerAmount\",\"type\":\"uint256\",\"internalType\":\"uint256\"},{\"name\":\"feeRecipient\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"feeAmount\",\"type\":\"uint256\",\"internalType\":\"uint256\"},{\"name\":\"resolvesDispute\",\"type\":\"bool\",\"internalType\":\"bool\"},{\"name\":\"deadline\",\"type\":\"uint256\",\"internalType\":\"uint256\"}]},{\"name\":\"signatures\",\"type\":\"bytes[]\",\"internalType\":\"bytes[]\"}],\"outputs\":[],\"stateMutability\":\"nonpayable\"},{\"type\":\"function\",\"name\":\"settleDigest\",\"inputs\":[{\"name\":\"s\",\"type\":\"tuple\",\"internalType\":\"structAmnEscrow.Settle\",\"components\":[{\"name\":\"paymentId\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"},{\"name\":\"token\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"buyer\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"buyerAmount\",\"type\":\"uint256\",\"internalType\":\"uint256\"},{\"name\":\"seller\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"sellerAmount\",\"type\":\"uint256\",\"internalType\":\"uint256\"},{\"name\":\"feeRecipient\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"feeAmount\",\"type\":\"uint256\",\"internalType\":\"uint256\"},{\"name\":\"resolvesDispute\",\"type\":\"bool\",\"internalType\":\"bool\"},{\"name\":\"deadline\",\"type\":\"uint256\",\"internalType\":\"uint256\"}]}],\"outputs\":[{\"name\":\"\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"threshold\",\"inputs\":[],\"outputs\":[{\"name\":\"\",\"type\":\"uint256\",\"internalType\":\"uint256\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"tokenCount\",\"inputs\":[],\"outputs\":[{\"name\":\"\",\"type\":\"uint40\",\"internalType\":\"uint40\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"tokenIndex\",\"inputs\":[{\"name\":\"token\",\"type\":\"address\",\"internalType\":\"address\"}],\"outputs\":[{\"name\":\"\",\"type\":\"uint40\",\"internalType\":\"uint40\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"totalEscrowed\",\"inputs\":[{\"name\":\"token\",\"type\":\"address\",\"internalType\":\"address\"}],\"outputs\":[{\"name\":\"\",\"type\":\"uint256\",\"internalType\":\"uint256\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"unfreeze\",\"inputs\":[{\"name\":\"id\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"}],\"outputs\":[],\"stateMutability\":\"nonpayable\"},{\"type\":\"event\",\"name\":\"ArbiterChanged\",\"inputs\":[{\"name\":\"configNonce\",\"type\":\"uint256\",\"indexed\":true,\"internalType\":\"uint256\"},{\"name\":\"previousArbiter\",\"type\":\"address\",\"indexed\":true,\"internalType\":\"address\"},{\"name\":\"newArbiter\",\"type\":\"address\",\"indexed\":true,\"internalType\":\"address\"}],\"anonymous\":false},{\"type\":\"event\",\"name\":\"CustodiansChanged\",\"inputs\":[{\"name\":\"configNonce\",\"type\":\"uint256\",\"indexed\":true,\"internalType\":\"uint256\"},{\"name\":\"custodians\",\"type\":\"address[]\",\"indexed\":false,\"internalType\":\"address[]\"},{\"name\":\"threshold\",\"type\":\"uint256\",\"indexed\":false,\"internalType\":\"uint256\"}],\"anonymous\":false},{\"type\":\"event\",\"name\":\"EIP712DomainChanged\",\"inputs\":[],\"anonymous\":false},{\"type\":\"event\",\"name\":\"Frozen\",\"inputs\":[{\"name\":\"escrowId\",\"type\":\"bytes32\",\"indexed\":true,\"internalType\":\"bytes32\"},{\"name\":\"arbiter\",\"type\":\"address\",\"indexed\":true,\"internalType\":\"address\"}],\"anonymous\":false},{\"type\":\"event\",\"name\":\"Funded\",\"inputs\":[{\"name\":\"escrowId\",\"type\":\"bytes32\",\"indexed\":true,\"internalType\":\"bytes32\"},{\"name\":\"token\",\"type\":\"address\",\"indexed\":true,\"internalType\":\"address\"},{\"name\":\"buyer\",\"type\":\"address\",\"indexed\":true,\"internalType\":\"address\"},{\"name\":\"seller\",\"type\":\"address\",\"indexed\":false,\"internalType\":\"address\"},{\"name\":\"amount\",\"type\":\"uint256\",\"indexed\":false,\"internalType\":\"uint256\"},{\"name\":\"funder\",\"type\":\"address\",\"indexed\":false,\"internalType\":\"address\"},{\"name\":\"ref\",\"type\":\"bytes32\",\"indexed\":false,\"internalType\":\"bytes32\"}],\"anonymous\":false},{\"type\":\"event\",\"name\":\"ReclaimDelayChanged\",\"inputs\":[{\"name\":\"configNonce\",\"type\":\"uint256\",\"indexed\":true,\"internalType\":\"uint256\"},{\"name\":\"previousDelay\",\"type\":\"uint256\",\"indexed\":false,\"internalType\":\"uint256\"},{\"name\":\"newDelay\",\"type\":\"uint256\",\"indexed\":false,\"internalType\":\"uint256\"}],\"anonymous\":false},{\"type\":\"event\",\"name\":\"Reclaimed\",\"inputs\":[{\"name\":\"escrowId\",\"type\":\"bytes32\",\"indexed\":true,\"internalType\":\"bytes32\"},{\"name\":\"token\",\"type\":\"address\",\"indexed\":true,\"internalType\":\"address\"},{\"name\":\"buyer\",\"type\":\"address\",\"indexed\":true,\"internalType\":\"address\"},{\"name\":\"amount\",\"type\":\"uint256\",\"indexed\":false,\"internalType\":\"uint256\"}],\"anonymous\":false},{\"type\":\"event\",\"name\":\"Refunded\",\"inputs\":[{\"name\":\"escrowId\",\"type\":\"bytes32\",\"indexed\":true,\"internalType\":\"bytes32\"},{\"name\":\"token\",\"type\":\"address\",\"indexed\":true,\"internalType\":\"address\"},{\"name\":\"buyer\",\"type\":\"address\",\"indexed\":true,\"internalType\":\"address\"},{\"name\":\"amount\",\"type\":\"uint256\",\"indexed\":false,\"internalType\":\"uint256\"},{\"name\":\"resolvedDispute\",\"type\":\"bool\",\"indexed\":false,\"internalType\":\"bool\"}],\"anonymous\":false},{\"type\":\"event\",\"name\":\"Released\",\"inputs\":[{\"name\":\"escrowId\",\"type\":\"bytes32\",\"indexed\":true,\"internalType\":\"bytes32\"},{\"name\":\"token\",\"type\":\"address\",\"indexed\":true,\"internalType\":\"address\"},{\"name\":\"seller\",\"type\":\"address\",\"indexed\":true,\"internalType\":\"address\"},{\"name\":\"sellerAmount\",\"type\":\"uint256\",\"indexed\":false,\"internalType\":\"uint256\"},{\"name\":\"feeRecipient\",\"type\":\"address\",\"indexed\":false,\"internalType\":\"address\"},{\"name\":\"feeAmount\",\"type\":\"uint256\",\"indexed\":false,\"internalType\":\"uint256\"},{\"name\":\"resolvedDispute\",\"type\":\"bool\",\"indexed\":false,\"internalType\":\"bool\"}],\"anonymous\":false},{\"type\":\"event\",\"name\":\"Settled\",\"inputs\":[{\"name\":\"escrowId\",\"type\":\"bytes32\",\"indexed\":true,\"internalType\":\"bytes32\"},{\"name\":\"token\",\"type\":\"address\",\"indexed\":true,\"internalType\":\"address\"},{\"name\":\"buyer\",\"type\":\"address\",\"indexed\":true,\"internalType\":\"address\"},{\"name\":\"buyerAmount\",\"type\":\"uint256\",\"indexed\":false,\"internalType\":\"uint256\"},{\"name\":\"seller\",\"type\":\"address\",\"indexed\":false,\"internalType\":\"address\"},{\"name\":\"sellerAmount\",\"type\":\"uint256\",\"indexed\":false,\"internalType\":\"uint256\"},{\"name\":\"feeRecipient\",\"type\":\"address\",\"indexed\":false,\"internalType\":\"address\"},{\"name\":\"feeAmount\",\"type\":\"uint256\",\"indexed\":false,\"internalType\":\"uint256\"},{\"name\":\"resolvedDispute\",\"type\":\"bool\",\"indexed\":false,\"internalType\":\"bool\"}],\"anonymous\":false},{\"type\":\"event\",\"name\":\"Unfrozen\",\"inputs\":[{\"name\":\"escrowId\",\"type\":\"bytes32\",\"indexed\":true,\"internalType\":\"bytes32\"},{\"name\":\"arbiter\",\"type\":\"address\",\"indexed\":true,\"internalType\":\"address\"}],\"anonymous\":false},{\"type\":\"error\",\"name\":\"AlreadyFunded\",\"inputs\":[{\"name\":\"escrowId\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"}]},{\"type\":\"error\",\"name\":\"AmountMismatch\",\"inputs\":[{\"name\":\"escrowed\",\"type\":\"uint256\",\"internalType\":\"uint256\"},{\"name\":\"approved\",\"type\":\"uint256\",\"internalType\":\"uint256\"}]},{\"type\":\"error\",\"name\":\"AmountTooLarge\",\"inputs\":[{\"name\":\"amount\",\"type\":\"uint256\",\"internalType\":\"uint256\"}]},{\"type\":\"error\",\"name\":\"BadNonce\",\"inputs\":[{\"name\":\"expected\",\"type\":\"uint256\",\"internalType\":\"uint256\"},{\"name\":\"given\",\"type\":\"uint256\",\"internalType\":\"uint256\"}]},{\"type\":\"error\",\"name\":\"DuplicateSigner\",\"inputs\":[{\"name\":\"signer\",\"type\":\"address\",\"internalType\":\"address\"}]},{\"type\":\"error\",\"name\":\"EscrowFrozen\",\"inputs\":[{\"name\":\"escrowId\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"}]},{\"type\":\"error\",\"name\":\"Expired\",\"inputs\":[{\"name\":\"deadline\",\"type\":\"uint256\",\"internalType\":\"uint256\"}]},{\"type\":\"error\",\"name\":\"FailedCall\",\"inputs\":[]},{\"type\":\"error\",\"name\":\"InsufficientBalance\",\"inputs\":[{\"name\":\"balance\",\"type\":\"uint256\",\"internalType\":\"uint256\"},{\"name\":\"needed\",\"type\":\"uint256\",\"internalType\":\"uint256\"}]},{\"type\":\"error\",\"name\":\"InvalidCustodians\",\"inputs\":[{\"name\":\"index\",\"type\":\"uint256\",\"internalType\":\"uint256\"}]},{\"type\":\"error\",\"name\":\"InvalidReclaimDelay\",\"inputs\":[{\"name\":\"delay\",\"type\":\"uint256\",\"internalType\":\"uint256\"}]},{\"type\":\"error\",\"name\":\"InvalidRef\",\"inputs\":[]},{\"type\":\"error\",\"name\":\"InvalidShortString\",\"inputs\":[]},{\"type\":\"error\",\"name\":\"InvalidSignature\",\"inputs\":[{\"name\":\"index\",\"type\":\"uint256\",\"internalType\":\"uint256\"}]},{\"type\":\"error\",\"name\":\"InvalidThreshold\",\"inputs\":[{\"name\":\"threshold\",\"type\":\"uint256\",\"internalType\":\"uint256\"},{\"name\":\"custodians\",\"type\":\"uint256\",\"internalType\":\"uint256\"}]},{\"type\":\"error\",\"name\":\"MalleableSignature\",\"inputs\":[{\"name\":\"index\",\"type\":\"uint256\",\"internalType\":\"uint256\"}]},{\"type\":\"error\",\"name\":\"NotArbiter\",\"inputs\":[{\"name\":\"caller\",\"type\":\"address\",\"internalType\":\"address\"}]},{\"type\":\"error\",\"name\":\"NotBuyer\",\"inputs\":[{\"name\":\"caller\",\"type\":\"address\",\"internalType\":\"address\"}]},{\"type\":\"error\",\"name\":\"NotCustodian\",\"inputs\":[{\"name\":\"signer\",\"type\":\"address\",\"internalType\":\"address\"}]},{\"type\":\"error\",\"name\":\"NotEnoughSignatures\",\"inputs\":[{\"name\":\"given\",\"type\":\"uint256\",\"internalType\":\"uint256\"},{\"name\":\"required\",\"type\":\"uint256\",\"internalType\":\"uint256\"}]},{\"type\":\"error\",\"name\":\"NotFrozen\",\"inputs\":[{\"name\":\"escrowId\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"}]},{\"type\":\"error\",\"name\":\"NotOpen\",\"inputs\":[{\"name\":\"escrowId\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"}]},{\"type\":\"error\",\"name\":\"PartyMismatch\",\"inputs\":[{\"name\":\"party\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"approved\",\"type\":\"address\",\"internalType\":\"address\"}]},{\"type\":\"error\",\"name\":\"PaymentIdMismatch\",\"inputs\":[{\"name\":\"escrowId\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"},{\"name\":\"approved\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"}]},{\"type\":\"error\",\"name\":\"ReceivedMismatch\",\"inputs\":[{\"name\":\"expected\",\"type\":\"uint256\",\"internalType\":\"uint256\"},{\"name\":\"received\",\"type\":\"uint256\",\"internalType\":\"uint256\"}]},{\"type\":\"error\",\"name\":\"ReclaimTooEarly\",\"inputs\":[{\"name\":\"availableAt\",\"type\":\"uint256\",\"internalType\":\"uint256\"}]},{\"type\":\"error\",\"name\":\"ReentrancyGuardReentrantCall\",\"inputs\":[]},{\"type\":\"error\",\"name\":\"SafeERC20FailedOperation\",\"inputs\":[{\"name\":\"token\",\"type\":\"address\",\"internalType\":\"address\"}]},{\"type\":\"error\",\"name\":\"SignersNotAscending\",\"inputs\":[{\"name\":\"index\",\"type\":\"uint256\",\"internalType\":\"uint256\"}]},{\"type\":\"error\",\"name\":\"StringTooLong\",\"inputs\":[{\"name\":\"str\",\"type\":\"string\",\"internalType\":\"string\"}]},{\"type\":\"error\",\"name\":\"TokenMismatch\",\"inputs\":[{\"name\":\"token\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"approved\",\"type\":\"address\",\"internalType\":\"address\"}]},{\"type\":\"error\",\"name\":\"TooManyCustodians\",\"inputs\":[{\"name\":\"count\",\"type\":\"uint256\",\"internalType\":\"uint256\"}]},{\"type\":\"error\",\"name\":\"ZeroAddress\",\"inputs\":[]},{\"type\":\"error\",\"name\":\"ZeroAmount\",\"inputs\":[]}]",
	Bin: "0x610160604052348015610010575f5ffd5b50604051613bf1380380613bf183398101604081905261002f91610484565b60405180604001604052806009815260200168416d6e457363726f7760b81b815250604051806040016040528060018152602001603160f81b81525061007a8261020160201b60201c565b6101205261008781610201565b61014052815160208084019190912060e052815190820120610100524660a05261011360e05161010051604080517f8b73c3c69bb8fe3d512ecc4cf759cc79239f7b179b0ffacaa9a75d522b39400f60208201529081019290925260608201524660808201523060a08201525f9060c00160405160208183030381529060405280519060200120905090565b60805250503060c0526101268484610247565b61012f816103e5565b600a80546001600160a01b0319166001600160a01b0384161790556040515f907fe01338eb1b50fe79451b23fea4df61fbf502da8e641007c588ae559e3217c9429061017e9087908790610572565b60405180910390a26040516001600160a01b038316905f9081907f4e867545b7150d508e1aaa740379807f6eef298a628ef1ad3077324a27c1cade908290a4604080515f80825260208201849052917f056368b493757fe0dac72e29a31b153642602df6ca56b5a606f609e67cd08931910160405180910390a250505050610636565b5f5f829050601f81511115610234578260405163305a27a960e01b815260040161022b91906105c7565b60405180910390fd5b805161023f826105fc565b179392505050565b8151601081111561026e576040516323a5318b60e11b81526004810182905260240161022b565b81158061027a57508082115b156102a257604051637b7a98f160e01b8152600481018390526024810182905260440161022b565b60085f5b8154811015610300575f60075f8484815481106102c5576102c5610622565b5f918252602080832091909101546001600160a01b031683528201929092526040019020805460ff19169115159190911790556001016102a6565b5061030c60085f61041f565b5f805b838110156103d8575f86828151811061032a5761032a610622565b60200260200101519050826001600160a01b0316816001600160a01b03161161036957604051636a81f50d60e11b81526004810183905260240161022b565b6001600160a01b0381165f818152600760205260408120805460ff1916600190811790915560088054808301825592527ff3f7a9fe364faab93b216da50a3214154f22a0a2b415b23a84c8169e8b636ee390910180546001600160a01b0319169092179091559092500161030f565b5050506009919091555050565b620151808110806103f957506312cc030081115b1561041a57604051632cd62da160e21b81526004810182905260240161022b565b600b55565b5080545f8255905f5260205f20906104379190610439565b565b5f5b80821115610450575f8184015560010161043b565b505050565b634e487b7160e01b5f52604160045260245ffd5b80516001600160a01b038116811461047f575f5ffd5b919050565b5f5f5f5f60808587031215610497575f5ffd5b84516001600160401b038111156104ac575f5ffd5b8501601f810187136104bc575f5ffd5b80516001600160401b038111156104d5576104d5610455565b604051600582901b90603f8201601f191681016001600160401b038111828210171561050357610503610455565b60405291825260208184018101929081018a841115610520575f5ffd5b6020850194505b838510156105465761053885610469565b815260209485019401610527565b5060208901519097509550610562925050604087019050610469565b6060959095015193969295505050565b604080825283519082018190525f9060208501906060840190835b818110156105b45783516001600160a01b031683526020938401939092019160010161058d565b5050602093909301939093525092915050565b602081525f82518060208401528060208501604085015e5f604082850101526040601f19601f83011684010191505092915050565b8051602080830151919081101561061c575f198160200360031b1b821691505b50919050565b634e487b7160e01b5f52603260045260245ffd5b60805160a05160c05160e05161010051610120516101405161356a6106875f395f6124ad01525f61248201525f61268201525f61265a01525f6125b501525f6125df01525f612609015261356a5ff3fe608060405260043610610249575f3560e01c806361ea450111610134578063a4c12866116100b3578063d40dc87011610078578063d40dc87014610772578063d60668411461078c578063ec13cc7b146107ad578063f5ad1941146107cc578063f698da25146107eb578063fe25e00a146107ff575f5ffd5b8063a4c12866146106d7578063a716f670146106f6578063c08a45a514610715578063c404432914610734578063cfec4e2414610753575f5ffd5b80637be7d711116100f95780637be7d7111461063657806384b0196e1461065557806396afb3651461067c5780639957e7f11461069b5780639f181b5e146106ba575f5ffd5b806361ea45011461057b57806362c9e1be146105ae57806372074307146105d95780637941bb0c146105f85780637a699a7014610617575f5ffd5b80633462ceff116101cb5780633b41dda8116101905780633b41dda81461048357806340202610146104b6578063427d28c6146104e9578063427f91a6146104ff57806342cde4e8146105475780636010063c1461055c575f5ffd5b80633462ceff146103de5780633462dd03146103f357806335c80c8c1461040757806336d98f8a146104455780633b3be92314610464575f5ffd5b80631627c00c116102115780631627c00c1461031057806319ad5ad8146103275780631e69ef40146103465780632cd757a1146103795780632d83549c146103ac575f5ffd5b806302af1b4b1461024d57806306caf99114610286578063085b2879146102a75780630902df91146102c857806313ae293a146102fb575b5f5ffd5b348015610258575f5ffd5b5061026c610267366004612b91565b610836565b604080519283526020830191909152015b60405180910390f35b348015610291575f5ffd5b506102a56102a0366004612c2c565b6109cc565b005b6102ba6102b5366004612c8f565b610a56565b60405190815260200161027d565b3480156102d3575f5ffd5b506102ba7f5c3d91bf2a999fc3f78c3fb7d723ec5605eaf7d5e07377aa46a0dfff080d600c81565b348015610306575f5ffd5b506102ba600b5481565b34801561031b575f5ffd5b506102ba6312cc030081565b348015610332575f5ffd5b506102a5610341366004612cc8565b610aa9565b348015610351575f5ffd5b506102ba7f7663cb6ce10b680fb73f678c538e8691f7d887b55fdf693306c36865ba54affb81565b348015610384575f5ffd5b506102ba7faf1f3147239c3d1e7e6f58cd164776df22886c85242f0c265a55c3f24feff7aa81565b3480156103b7575f5ffd5b506103cb6103c6366004612d53565b610b5a565b60405161027d9796959493929190612d7e565b3480156103e9575f5ffd5b506102ba600c5481565b3480156103fe575f5ffd5b506102ba601081565b348015610412575f5ffd5b50610435610421366004612ded565b60076020525f908152604090205460ff1681565b604051901515815260200161027d565b348015610450575f5ffd5b506102ba61045f366004612e1d565b610bd4565b34801561046f575f5ffd5b506102ba61047e366004612e48565b610c2c565b34801561048e575f5ffd5b506102ba7fa0fc3eca6d5b4c6ee8505e9045e761e3a52b8cf008374aa1e35a84d5231ba8ad81565b3480156104c1575f5ffd5b506102ba7f99b172bd59f447819d10adc2fe9abacef6947597875b476c4cc2dbc3dd6dcd6a81565b3480156104f4575f5ffd5b506102ba6201518081565b34801561050a575f5ffd5b50610531610519366004612ded565b60036020525f908152604090205464ffffffffff1681565b60405164ffffffffff909116815260200161027d565b348015610552575f5ffd5b506102ba60095481565b348015610567575f5ffd5b506102ba610576366004612e73565b610c63565b348015610586575f5ffd5b506102ba7f3ef33d6d1d9732fc4c2ffcc2fc622c9948870514120a4777c33a63f904f65a2581565b3480156105b9575f5ffd5b506102ba6105c8366004612ded565b60066020525f908152604090205481565b3480156105e4575f5ffd5b506102a56105f3366004612e8e565b610c9a565b348015610603575f5ffd5b506102ba610612366004612ee6565b610f11565b348015610622575f5ffd5b506102a5610631366004612f16565b610f70565b348015610641575f5ffd5b506102ba610650366004612f55565b610fee565b348015610660575f5ffd5b5061066961103a565b60405161027d9796959493929190612fac565b348015610687575f5ffd5b506102a5610696366004612d53565b61107c565b3480156106a6575f5ffd5b506102a56106b5366004612d53565b611206565b3480156106c5575f5ffd5b506005546105319064ffffffffff1681565b3480156106e2575f5ffd5b506102a56106f1366004613042565b6112e6565b348015610701575f5ffd5b5061026c610710366004612b91565b611587565b348015610720575f5ffd5b506102ba61072f366004613083565b611792565b34801561073f575f5ffd5b506102ba61074e366004612d53565b611816565b34801561075e575f5ffd5b506102a561076d3660046130d8565b61188f565b34801561077d575f5ffd5b506102ba6001600160601b0381565b348015610797575f5ffd5b506107a0611b30565b60405161027d9190613119565b3480156107b8575f5ffd5b506102a56107c7366004612d53565b611b90565b3480156107d7575f5ffd5b506102ba6107e6366004613164565b611c77565b3480156107f6575f5ffd5b506102ba611cb3565b34801561080a575f5ffd5b50600a5461081e906001600160a01b031681565b6040516001600160a01b03909116815260200161027d565b5f5f610840611cc1565b6001600160a01b0386166108675760405163d92e233d60e01b815260040160405180910390fd5b845f0361088757604051631f2a200560e01b815260040160405180910390fd5b610892878585611cf8565b6040516370a0823160e01b81523060048201529092505f906001600160a01b038816906370a0823190602401602060405180830381865afa1580156108d9573d5f5f3e3d5ffd5b505050506040513d601f19601f820116820180604052508101906108fd919061318c565b90506109146001600160a01b038816333089611da9565b6040516370a0823160e01b81523060048201525f906001600160a01b038916906370a0823190602401602060405180830381865afa158015610958573d5f5f3e3d5ffd5b505050506040513d601f19601f8201168201806040525081019061097c919061318c565b905081811161099e57604051631f2a200560e01b815260040160405180910390fd5b6109a882826131b7565b92506109b8848a8a868a8a611ddf565b50506109c2611fa6565b9550959350505050565b6109d68484611fd0565b6109eb6109e4868686610f11565b8383612028565b6109f68460016131ca565b600c55600a80546001600160a01b038781166001600160a01b031983168117909355169081610a268760016131ca565b6040517f4e867545b7150d508e1aaa740379807f6eef298a628ef1ad3077324a27c1cade905f90a4505050505050565b5f610a5f611cc1565b345f03610a7f57604051631f2a200560e01b815260040160405180910390fd5b610a8a848484611cf8565b9050610a9a81855f348787611ddf565b610aa2611fa6565b9392505050565b610ab38484611fd0565b610ac36109e48888888888611792565b610ace8460016131ca565b600c556040805160208089028281018201909352888252610b0b928a918a9182918501908490808284375f9201919091525089925061215c915050565b610b168460016131ca565b7fe01338eb1b50fe79451b23fea4df61fbf502da8e641007c588ae559e3217c942888888604051610b49939291906131dd565b60405180910390a250505050505050565b5f818152600260205260408120819081908190819081908190610b7c816122fa565b8154600190920154909a600160a01b80840464ffffffffff169b50600160c81b840460ff9081169b50600160d01b85041699506001600160a01b03808416995090931696509190046001600160601b03169350915050565b5f610c267f5c3d91bf2a999fc3f78c3fb7d723ec5605eaf7d5e07377aa46a0dfff080d600c83604051602001610c0b92919061323f565b6040516020818303038152906040528051906020012061233e565b92915050565b5f610c267f7663cb6ce10b680fb73f678c538e8691f7d887b55fdf693306c36865ba54affb83604051602001610c0b9291906132e8565b5f610c267f99b172bd59f447819d10adc2fe9abacef6947597875b476c4cc2dbc3dd6dcd6a83604051602001610c0b929190613364565b610ca2611cc1565b82358414610cd2576040516348f5e1e560e11b815260048101859052833560248201526044015b60405180910390fd5b5f848152600260205260409020610cfe8582610cf460a088016080890161343a565b8760a0013561236a565b5f610d08826122fa565b90506001600160a01b038116610d246040870160208801612ded565b6001600160a01b031614610d6f5780610d436040870160208801612ded565b60405163f902523f60e01b81526001600160a01b03928316600482015291166024820152604401610cc9565b60018201546001600160a01b0316610d8d6060870160408801612ded565b6001600160a01b031614610de55760018201546001600160a01b0316610db96060870160408801612ded565b6040516333ea6db760e01b81526001600160a01b03928316600482015291166024820152604401610cc9565b6001820154600160a01b90046001600160601b031660608601358114610e2b5760405163ce6b173b60e01b81526004810182905260608701356024820152604401610cc9565b610e3e610e3787610c2c565b8686612028565b825461ffff60c81b1916600360c81b1783556001600160a01b0382165f9081526006602052604081208054839290610e779084906131b7565b90915550610e97905082610e916060890160408a01612ded565b83612404565b610ea76060870160408801612ded565b6001600160a01b03908116908316887fe655563e9700ef2727fb6770c5f03ef1de9152e4b0eb5dd4ef49297a1fe79a4a84610ee860a08c0160808d0161343a565b6040805192835290151560208301520160405180910390a4505050610f0b611fa6565b50505050565b604080517faf1f3147239c3d1e7e6f58cd164776df22886c85242f0c265a55c3f24feff7aa60208201526001600160a01b0385169181019190915260608101839052608081018290525f90610f689060a001610c0b565b949350505050565b610f7a8484611fd0565b610f886109e4868686610fee565b610f938460016131ca565b600c55600b54610fa286612441565b610fad8560016131ca565b60408051838152602081018990527f056368b493757fe0dac72e29a31b153642602df6ca56b5a606f609e67cd08931910160405180910390a2505050505050565b604080517f3ef33d6d1d9732fc4c2ffcc2fc622c9948870514120a4777c33a63f904f65a25602082015290810184905260608101839052608081018290525f90610f689060a001610c0b565b5f6060805f5f5f606061104b61247b565b6110536124a6565b604080515f80825260208201909252600f60f81b9b939a50919850469750309650945092509050565b611084611cc1565b5f81815260026020526040902060018154600160c81b900460ff1660058111156110b0576110b0612d6a565b146110d057604051620d1c2160e71b815260048101839052602401610cc9565b60018101546001600160a01b031633146110ff576040516303bb525960e21b8152336004820152602401610cc9565b5f61110983611816565b90508042101561112f576040516344a4763560e01b815260048101829052602401610cc9565b5f611139836122fa565b60018401548454600160ca1b61ffff60c81b199091161785556001600160a01b0382165f9081526006602052604081208054939450600160a01b9092046001600160601b0316928392919061118f9084906131b7565b909155505060018401546111ae9083906001600160a01b031683612404565b60018401546040518281526001600160a01b039182169184169087907f7298ef13797cb8dff31bf759e25fddf7bf68961c7b6213d7b7d3120537c877629060200160405180910390a450505050611203611fa6565b50565b600a546001600160a01b03163314611233576040516339063ae160e11b8152336004820152602401610cc9565b5f81815260026020526040902060018154600160c81b900460ff16600581111561125f5761125f612d6a565b1461127f57604051620d1c2160e71b815260048101839052602401610cc9565b8054600160d01b900460ff166112ab576040516320a02faf60e01b815260048101839052602401610cc9565b805460ff60d01b19168155604051339083907f7ea93608892837f78e2c72b19474e3fe3cf8937b6516c0e538ba5d2aa90e0942905f90a35050565b6112ee611cc1565b82358414611319576040516348f5e1e560e11b81526004810185905283356024820152604401610cc9565b5f848152600260205260409020611348858261133d6101208801610100890161343a565b87610120013561236a565b5f611352826122fa565b90506001600160a01b03811661136e6040870160208801612ded565b6001600160a01b03161461138d5780610d436040870160208801612ded565b60018201546001600160a01b03166113ab6060870160408801612ded565b6001600160a01b0316146113d75760018201546001600160a01b0316610db96060870160408801612ded565b81546001600160a01b03166113f260a0870160808801612ded565b6001600160a01b03161461141b5781546001600160a01b0316610db960a0870160808801612ded565b6001820154600160a01b90046001600160601b03165f611450611446606089013560a08a01356124d1565b8860e001356124d1565b905081811461147c5760405163ce6b173b60e01b81526004810183905260248101829052604401610cc9565b60e0870135158015906114a657505f61149b60e0890160c08a01612ded565b6001600160a01b0316145b156114c45760405163d92e233d60e01b815260040160405180910390fd5b6114d76114d088610c63565b8787612028565b835461ffff60c81b1916600560c81b1784556001600160a01b0383165f90815260066020526040812080548492906115109084906131b7565b9091555061153490508361152a60608a0160408b01612ded565b8960600135612404565b6115528361154860a08a0160808b01612ded565b8960a00135612404565b6115708361156660e08a0160c08b01612ded565b8960e00135612404565b61157b8884896124e5565b50505050610f0b611fa6565b5f5f611591611cc1565b6001600160a01b0386166115b85760405163d92e233d60e01b815260040160405180910390fd5b845f036115d857604051631f2a200560e01b815260040160405180910390fd5b6001600160601b03851115611603576040516304041d9560e11b815260048101869052602401610cc9565b61160e878585611cf8565b6040516370a0823160e01b81523060048201529092505f906001600160a01b038816906370a0823190602401602060405180830381865afa158015611655573d5f5f3e3d5ffd5b505050506040513d601f19601f82011682018060405250810190611679919061318c565b6040516309425ecf60e01b81526001600160a01b03891660048201526024810188905290915033906309425ecf906044015f604051808303815f87803b1580156116c1575f5ffd5b505af11580156116d3573d5f5f3e3d5ffd5b50506040516370a0823160e01b81523060048201525f92506001600160a01b038a1691506370a0823190602401602060405180830381865afa15801561171b573d5f5f3e3d5ffd5b505050506040513d601f19601f8201168201806040525081019061173f919061318c565b905081811161174e575f611758565b61175882826131b7565b9250868314611784576040516329f7239360e11b81526004810188905260248101849052604401610cc9565b6109b8848a8a868a8a611ddf565b5f61180c7fa0fc3eca6d5b4c6ee8505e9045e761e3a52b8cf008374aa1e35a84d5231ba8ad87876040516020016117ca929190613453565b60408051601f19818403018152828252805160209182012090830193909352810191909152606081018690526080810185905260a0810184905260c001610c0b565b9695505050505050565b5f81815260026020526040812060018154600160c81b900460ff16600581111561184257611842612d6a565b1461184f57505f92915050565b8054600160d01b900460ff1661186757600b54611875565b600b54611875906002613487565b8154610aa29190600160a01b900464ffffffffff166131ca565b611897611cc1565b823584146118c2576040516348f5e1e560e11b81526004810185905283356024820152604401610cc9565b5f8481526002602052604090206118ee85826118e460e0880160c0890161343a565b8760e0013561236a565b5f6118f8826122fa565b90506001600160a01b0381166119146040870160208801612ded565b6001600160a01b0316146119335780610d436040870160208801612ded565b81546001600160a01b031661194e6060870160408801612ded565b6001600160a01b0316146119775781546001600160a01b0316610db96060870160408801612ded565b60018201546001600160601b03600160a01b90910416606086013560a08701358101908110156119a557505f195b8181146119cf5760405163ce6b173b60e01b81526004810183905260248101829052604401610cc9565b60a0870135158015906119f957505f6119ee60a0890160808a01612ded565b6001600160a01b0316145b15611a175760405163d92e233d60e01b815260040160405180910390fd5b611a236114d088610bd4565b835461ffff60c81b1916600160c91b1784556001600160a01b0383165f9081526006602052604081208054849290611a5c9084906131b7565b90915550611a7690508361152a60608a0160408b01612ded565b611a8a8361154860a08a0160808b01612ded565b611a9a6060880160408901612ded565b6001600160a01b03908116908416897f9de1fa58f06bb261e698033420759ae54f6f6b00c4b60c4738b29ce6a729c12660608b0135611adf60a08d0160808e01612ded565b8c60a001358d60c0016020810190611af7919061343a565b604080519485526001600160a01b039093166020850152918301521515606082015260800160405180910390a450505050610f0b611fa6565b60606008805480602002602001604051908101604052809291908181526020018280548015611b8657602002820191905f5260205f20905b81546001600160a01b03168152600190910190602001808311611b68575b5050505050905090565b600a546001600160a01b03163314611bbd576040516339063ae160e11b8152336004820152602401610cc9565b5f81815260026020526040902060018154600160c81b900460ff166005811115611be957611be9612d6a565b14611c0957604051620d1c2160e71b815260048101839052602401610cc9565b8054600160d01b900460ff1615611c3657604051634465bed760e01b815260048101839052602401610cc9565b805460ff60d01b1916600160d01b178155604051339083907f08a301fe34854e26415a7d6d158412f4e7e2cc61bcbdd0c5d92d66513d5a4af1905f90a35050565b604080516001600160a01b03841660208201529081018290525f9060600160405160208183030381529060405280519060200120905092915050565b5f611cbc6125a9565b905090565b611cc96126d2565b611cf660017f9b779b17422d0df92223018b32b4d1fa46e071723d6817e2486d003becc55f005b90612712565b565b5f83611d175760405163e97d945b60e01b815260040160405180910390fd5b6001600160a01b0383161580611d3457506001600160a01b038216155b15611d525760405163d92e233d60e01b815260040160405180910390fd5b611d5c3385611c77565b90505f5f82815260026020526040902054600160c81b900460ff166005811115611d8857611d88612d6a565b14610aa25760405163153e403d60e01b815260048101829052602401610cc9565b611db7848484846001612719565b610f0b57604051635274afe760e01b81526001600160a01b0385166004820152602401610cc9565b6001600160601b03831115611e0a576040516304041d9560e11b815260048101849052602401610cc9565b5f6001600160a01b03851615611ebe57506001600160a01b0384165f9081526003602052604081205464ffffffffff1690819003611ebe57600580545f90611e589064ffffffffff1661349e565b825464ffffffffff8083166101009490940a848102910219909116179092556001600160a01b0387165f818152600360209081526040808320805464ffffffffff191686179055938252600490529190912080546001600160a01b031916909117905590505b5f878152600260209081526040808320600160c81b6001600160d81b031960d887901b164260a090811b64ffffffffff60a01b166001600160a01b038a8116919091179290921792909217808455918a901b8982161760018401819055908b1686526006909452918420805492949192899290611f3c9084906131ca565b9091555050604080516001600160a01b038781168252602082018a90523382840152606082018c90529151888316928b16918d917fae61735bb9d08f926da05c5129b4261cd76ba64aace9cece102bc7c1a190c44c9181900360800190a450505050505050505050565b611cf65f7f9b779b17422d0df92223018b32b4d1fa46e071723d6817e2486d003becc55f00611cf0565b600c54821461200057600c54604051633ddd513160e01b8152600481019190915260248101839052604401610cc9565b8042111561202457604051637c06dd7560e11b815260048101829052602401610cc9565b5050565b600954818181101561205757604051633ce0c9e960e11b81526004810182905260248101839052604401610cc9565b5f805b82811015612153575f61209188888885818110612079576120796134c4565b905060200281019061208b91906134d8565b85612786565b6001600160a01b0381165f9081526007602052604090205490915060ff166120d75760405163e15a529560e01b81526001600160a01b0382166004820152602401610cc9565b826001600160a01b0316816001600160a01b03161161214957826001600160a01b0316816001600160a01b03160361212d57604051637010e27960e11b81526001600160a01b0382166004820152602401610cc9565b60405163590a84f760e01b815260048101839052602401610cc9565b915060010161205a565b50505050505050565b81516010811115612183576040516323a5318b60e11b815260048101829052602401610cc9565b81158061218f57508082115b156121b757604051637b7a98f160e01b81526004810183905260248101829052604401610cc9565b60085f5b8154811015612215575f60075f8484815481106121da576121da6134c4565b5f918252602080832091909101546001600160a01b031683528201929092526040019020805460ff19169115159190911790556001016121bb565b5061222160085f612b4c565b5f805b838110156122ed575f86828151811061223f5761223f6134c4565b60200260200101519050826001600160a01b0316816001600160a01b03161161227e57604051636a81f50d60e11b815260048101839052602401610cc9565b6001600160a01b0381165f818152600760205260408120805460ff1916600190811790915560088054808301825592527ff3f7a9fe364faab93b216da50a3214154f22a0a2b415b23a84c8169e8b636ee390910180546001600160a01b03191690921790915590925001612224565b5050506009919091555050565b80545f90600160d81b900464ffffffffff1680156123365764ffffffffff81165f908152600460205260409020546001600160a01b0316610aa2565b5f9392505050565b5f610c2661234a6125a9565b8360405161190160f01b8152600281019290925260228201526042902090565b60018354600160c81b900460ff16600581111561238957612389612d6a565b146123a957604051620d1c2160e71b815260048101859052602401610cc9565b8254600160d01b900460ff1680156123bf575081155b156123e057604051634465bed760e01b815260048101859052602401610cc9565b80421115610f0b57604051637c06dd7560e11b815260048101829052602401610cc9565b805f0361241057505050565b6001600160a01b03831661242d576124288282612894565b505050565b6124286001600160a01b0384168383612907565b6201518081108061245557506312cc030081115b1561247657604051632cd62da160e21b815260048101829052602401610cc9565b600b55565b6060611cbc7f000000000000000000000000000000000000000000000000000000000000000061293c565b6060611cbc7f000000000000000000000000000000000000000000000000000000000000000061293c565b81810182811015610c2657505f1992915050565b6124f56060820160408301612ded565b6001600160a01b03908116908316847f93d429392f0caf9786921744ce4c686c2d8019a4f270d0e0d63de866bf1076c4606085013561253a60a0870160808801612ded565b60a087013561254f60e0890160c08a01612ded565b60e08901356125666101208b016101008c0161343a565b604080519687526001600160a01b039586166020880152860193909352921660608401526080830191909152151560a082015260c00160405180910390a4505050565b5f306001600160a01b037f00000000000000000000000000000000000000000000000000000000000000001614801561260157507f000000000000000000000000000000000000000000000000000000000000000046145b1561262b57507f000000000000000000000000000000000000000000000000000000000000000090565b611cbc604080517f8b73c3c69bb8fe3d512ecc4cf759cc79239f7b179b0ffacaa9a75d522b39400f60208201527f0000000000000000000000000000000000000000000000000000000000000000918101919091527f000000000000000000000000000000000000000000000000000000000000000060608201524660808201523060a08201525f9060c00160405160208183030381529060405280519060200120905090565b7f9b779b17422d0df92223018b32b4d1fa46e071723d6817e2486d003becc55f005c15611cf657604051633ee5aeb560e01b815260040160405180910390fd5b80825d5050565b6040516323b872dd60e01b5f8181526001600160a01b038781166004528616602452604485905291602083606481808c5af1925060015f51148316612775578383151615612769573d5f823e3d81fd5b5f883b113d1516831692505b604052505f60605295945050505050565b5f604183146127ab57604051630a57f30960e31b815260048101839052602401610cc9565b5f5f5f6127b88787612979565b9194509250905087601e60ff8516111561280957507f19457468657265756d205369676e6564204d6573736167653a0a3332000000005f908152601c899052603c902061280660048561351b565b93505b5f5f612817838787876129db565b509092509050600381600381111561283157612831612d6a565b03612852576040516331946d8760e21b815260048101899052602401610cc9565b5f81600381111561286557612865612d6a565b1461288657604051630a57f30960e31b815260048101899052602401610cc9565b509998505050505050505050565b804710156128be5760405163cf47918160e01b815247600482015260248101829052604401610cc9565b6128d7828260405180602001604052805f815250612aa3565b156128e0575050565b3d156128ee57612024612ab8565b60405163d6bda27560e01b815260040160405180910390fd5b6129148383836001612ac3565b61242857604051635274afe760e01b81526001600160a01b0384166004820152602401610cc9565b60605f61294883612b25565b6040805160208082528183019092529192505f91906020820181803683375050509182525060208101929092525090565b5f5f5f836041811461299b57604081146129b4575f92505f91505f93506129d3565b853592506020860135915060408601355f1a93506129d3565b602086013560ff81901c601b019450863593506001600160ff1b031691505b509250925092565b5f80807f7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0841115612a1457505f91506003905082612a99565b604080515f808252602082018084528a905260ff891692820192909252606081018790526080810186905260019060a0016020604051602081039080840390855afa158015612a65573d5f5f3e3d5ffd5b5050604051601f1901519150506001600160a01b038116612a9057505f925060019150829050612a99565b92505f91508190505b9450945094915050565b5f5f5f83516020850186885af1949350505050565b6040513d5f823e3d81fd5b60405163a9059cbb60e01b5f8181526001600160a01b038616600452602485905291602083604481808b5af1925060015f51148316612b19578383151615612b0d573d5f823e3d81fd5b5f873b113d1516831692505b60405250949350505050565b5f60ff8216601f811115610c2657604051632cd44ac360e21b815260040160405180910390fd5b5080545f8255905f5260205f2090611cf691905f5b80821115612428575f81840155600101612b61565b80356001600160a01b0381168114612b8c575f5ffd5b919050565b5f5f5f5f5f60a08688031215612ba5575f5ffd5b85359450612bb560208701612b76565b935060408601359250612bca60608701612b76565b9150612bd860808701612b76565b90509295509295909350565b5f5f83601f840112612bf4575f5ffd5b50813567ffffffffffffffff811115612c0b575f5ffd5b6020830191508360208260051b8501011115612c25575f5ffd5b9250929050565b5f5f5f5f5f60808688031215612c40575f5ffd5b612c4986612b76565b94506020860135935060408601359250606086013567ffffffffffffffff811115612c72575f5ffd5b612c7e88828901612be4565b969995985093965092949392505050565b5f5f5f60608486031215612ca1575f5ffd5b83359250612cb160208501612b76565b9150612cbf60408501612b76565b90509250925092565b5f5f5f5f5f5f5f60a0888a031215612cde575f5ffd5b873567ffffffffffffffff811115612cf4575f5ffd5b612d008a828b01612be4565b909850965050602088013594506040880135935060608801359250608088013567ffffffffffffffff811115612d34575f5ffd5b612d408a828b01612be4565b989b979a50959850939692959293505050565b5f60208284031215612d63575f5ffd5b5035919050565b634e487b7160e01b5f52602160045260245ffd5b6001600160a01b038816815267ffffffffffffffff8716602082015260e0810160068710612dba57634e487b7160e01b5f52602160045260245ffd5b604082019690965293151560608501526001600160a01b039283166080850152911660a083015260c09091015292915050565b5f60208284031215612dfd575f5ffd5b610aa282612b76565b5f6101008284031215612e17575f5ffd5b50919050565b5f6101008284031215612e2e575f5ffd5b610aa28383612e06565b5f60c08284031215612e17575f5ffd5b5f60c08284031215612e58575f5ffd5b610aa28383612e38565b5f6101408284031215612e17575f5ffd5b5f6101408284031215612e84575f5ffd5b610aa28383612e62565b5f5f5f5f6101008587031215612ea2575f5ffd5b84359350612eb38660208701612e38565b925060e085013567ffffffffffffffff811115612ece575f5ffd5b612eda87828801612be4565b95989497509550505050565b5f5f5f60608486031215612ef8575f5ffd5b612f0184612b76565b95602085013595506040909401359392505050565b5f5f5f5f5f60808688031215612f2a575f5ffd5b853594506020860135935060408601359250606086013567ffffffffffffffff811115612c72575f5ffd5b5f5f5f60608486031215612f67575f5ffd5b505081359360208301359350604090920135919050565b5f81518084528060208401602086015e5f602082860101526020601f19601f83011685010191505092915050565b60ff60f81b8816815260e060208201525f612fca60e0830189612f7e565b8281036040840152612fdc8189612f7e565b606084018890526001600160a01b038716608085015260a0840186905283810360c0850152845180825260208087019350909101905f5b81811015613031578351835260209384019390920191600101613013565b50909b9a5050505050505050505050565b5f5f5f5f6101808587031215613056575f5ffd5b843593506130678660208701612e62565b925061016085013567ffffffffffffffff811115612ece575f5ffd5b5f5f5f5f5f60808688031215613097575f5ffd5b853567ffffffffffffffff8111156130ad575f5ffd5b6130b988828901612be4565b9099909850602088013597604081013597506060013595509350505050565b5f5f5f5f61014085870312156130ec575f5ffd5b843593506130fd8660208701612e06565b925061012085013567ffffffffffffffff811115612ece575f5ffd5b602080825282518282018190525f918401906040840190835b818110156131595783516001600160a01b0316835260209384019390920191600101613132565b509095945050505050565b5f5f60408385031215613175575f5ffd5b61317e83612b76565b946020939093013593505050565b5f6020828403121561319c575f5ffd5b5051919050565b634e487b7160e01b5f52601160045260245ffd5b81810381811115610c2657610c266131a3565b80820180821115610c2657610c266131a3565b604080825281018390525f8460608301825b8681101561321d576001600160a01b0361320884612b76565b168252602092830192909101906001016131ef565b5060209390930193909352509392505050565b80358015158114612b8c575f5ffd5b82815281356020808301919091526101208201906001600160a01b0390613267908501612b76565b16604083015260018060a01b0361328060408501612b76565b166060838101919091528301356080808401919091526001600160a01b03906132aa908501612b76565b1660a08301525f60a084013590508060c0840152506132cb60c08401613230565b80151560e08401525060e092909201356101009190910152919050565b828152813560208083019190915260e08201906001600160a01b039061330f908501612b76565b16604083015260018060a01b0361332860408501612b76565b1660608301525f606084013590508060808401525061334960808401613230565b151560a083810191909152929092013560c090910152919050565b8281528135602080830191909152610160820190613383908401612b76565b6001600160a01b03811660408401525061339f60408401612b76565b6001600160a01b03811660608401525060608301356080838101919091526133c8908401612b76565b6001600160a01b03811660a08401525060a083013560c0838101919091526133f1908401612b76565b6001600160a01b03811660e08401525060e08301356101008381019190915261341b908401613230565b8015156101208401525061012092909201356101409190910152919050565b5f6020828403121561344a575f5ffd5b610aa282613230565b5f8184825b85811015613159576001600160a01b0361347183612b76565b1683526020928301929190910190600101613458565b8082028115828204841417610c2657610c266131a3565b5f64ffffffffff821664ffffffffff81036134bb576134bb6131a3565b60010192915050565b634e487b7160e01b5f52603260045260245ffd5b5f5f8335601e198436030181126134ed575f5ffd5b83018035915067ffffffffffffffff821115613507575f5ffd5b602001915036819003821315612c25575f5ffd5b60ff8281168282160390811115610c2657610c266131a356fea264697066735822122048d40d8c7a6b4daceb74ebe1a80bee4fc2ced197727e3dc0765e97a0f5d7fc4564736f6c63430008250033",
}

// AmnEscrowABI is the input ABI used to generate the binding from.
// Deprecated: Use AmnEscrowMetaData.ABI instead.
var AmnEscrowABI = AmnEscrowMetaData.ABI

// AmnEscrowBin is the compiled bytecode used for deploying new contracts.
// Deprecated: Use AmnEscrowMetaData.Bin instead.
var AmnEscrowBin = AmnEscrowMetaData.Bin

// DeployAmnEscrow deploys a new Ethereum contract, binding an instance of AmnEscrow to it.
func DeployAmnEscrow(auth *bind.TransactOpts, backend bind.ContractBackend, custodians_ []common.Address, threshold_ *big.Int, arbiter_ common.Address, reclaimDelay_ *big.Int) (common.Address, *types.Transaction, *AmnEscrow, error) {
	parsed, err := AmnEscrowMetaData.GetAbi()
	if err != nil {
		return common.Address{}, nil, nil, err
	}
	if parsed == nil {
		return common.Address{}, nil, nil, errors.New("GetABI returned nil")
	}

	address, tx, contract, err := bind.DeployContract(auth, *parsed, common.FromHex(AmnEscrowBin), backend, custodians_, threshold_, arbiter_, reclaimDelay_)
	if err != nil {
		return common.Address{}, nil, nil, err
	}
	return address, tx, &AmnEscrow{AmnEscrowCaller: AmnEscrowCaller{contract: contract}, AmnEscrowTransactor: AmnEscrowTransactor{contract: contract}, AmnEscrowFilterer: AmnEscrowFilterer{contract: contract}}, nil
}

// AmnEscrow is an auto generated Go binding around an Ethereum contract.
type AmnEscrow struct {
	AmnEscrowCaller     // Read-only binding to the contract
	AmnEscrowTransactor // Write-only binding to the contract
	AmnEscrowFilterer   // Log filterer for contract events
}

// AmnEscrowCaller is an auto generated read-only Go binding around an Ethereum contract.
type AmnEscrowCaller struct {
	contract *bind.BoundContract // Generic contract wrapper for the low level calls
}

// AmnEscrowTransactor is an auto generated write-only Go binding around an Ethereum contract.
type AmnEscrowTransactor struct {
	contract *bind.BoundContract // Generic contract wrapper for the low level calls
}

// AmnEscrowFilterer is an auto generated log filtering Go binding around an Ethereum contract events.
type AmnEscrowFilterer struct {
	contract *bind.BoundContract // Generic contract wrapper for the low level calls
}

// AmnEscrowSession is an auto generated Go binding around an Ethereum contract,
// with pre-set call and transact options.
type AmnEscrowSession struct {
	Contract     *AmnEscrow        // Generic contract binding to set the session for
	CallOpts     bind.CallOpts     // Call options to use throughout this session
	TransactOpts bind.TransactOpts // Transaction auth options to use throughout this session
}

// AmnEscrowCallerSession is an auto generated read-only Go binding around an Ethereum contract,
// with pre-set call options.
type AmnEscrowCallerSession struct {
	Contract *AmnEscrowCaller // Generic contract caller binding to set the session for
	CallOpts bind.CallOpts    // Call options to use throughout this session
}

// AmnEscrowTransactorSession is an auto generated write-only Go binding around an Ethereum contract,
// with pre-set transact options.
type AmnEscrowTransactorSession struct {
	Contract     *AmnEscrowTransactor // Generic contract transactor binding to set the session for
	TransactOpts bind.TransactOpts    // Transaction auth options to use throughout this session
}

// AmnEscrowRaw is an auto generated low-level Go binding around an Ethereum contract.
type AmnEscrowRaw struct {
	Contract *AmnEscrow // Generic contract binding to access the raw methods on
}

// AmnEscrowCallerRaw is an auto generated low-level read-only Go binding around an Ethereum contract.
type AmnEscrowCallerRaw struct {
	Contract *AmnEscrowCaller // Generic read-only contract binding to access the raw methods on
}

// AmnEscrowTransactorRaw is an auto generated low-level write-only Go binding around an Ethereum contract.
type AmnEscrowTransactorRaw struct {
	Contract *AmnEscrowTransactor // Generic write-only contract binding to access the raw methods on
}

// NewAmnEscrow creates a new instance of AmnEscrow, bound to a specific deployed contract.
func NewAmnEscrow(address common.Address, backend bind.ContractBackend) (*AmnEscrow, error) {
	contract, err := bindAmnEscrow(address, backend, backend, backend)
	if err != nil {
		return nil, err
	}
	return &AmnEscrow{AmnEscrowCaller: AmnEscrowCaller{contract: contract}, AmnEscrowTransactor: AmnEscrowTransactor{contract: contract}, AmnEscrowFilterer: AmnEscrowFilterer{contract: contract}}, nil
}

// NewAmnEscrowCaller creates a new read-only instance of AmnEscrow, bound to a specific deployed contract.
func NewAmnEscrowCaller(address common.Address, caller bind.ContractCaller) (*AmnEscrowCaller, error) {
	contract, err := bindAmnEscrow(address, caller, nil, nil)
	if err != nil {
		return nil, err
	}
	return &AmnEscrowCaller{contract: contract}, nil
}

// NewAmnEscrowTransactor creates a new write-only instance of AmnEscrow, bound to a specific deployed contract.
func NewAmnEscrowTransactor(address common.Address, transactor bind.ContractTransactor) (*AmnEscrowTransactor, error) {
	contract, err := bindAmnEscrow(address, nil, transactor, nil)
	if err != nil {
		return nil, err
	}
	return &AmnEscrowTransactor{contract: contract}, nil
}

// NewAmnEscrowFilterer creates a new log filterer instance of AmnEscrow, bound to a specific deployed contract.
func NewAmnEscrowFilterer(address common.Address, filterer bind.ContractFilterer) (*AmnEscrowFilterer, error) {
	contract, err := bindAmnEscrow(address, nil, nil, filterer)
	if err != nil {
		return nil, err
	}
	return &AmnEscrowFilterer{contract: contract}, nil
}

// bindAmnEscrow binds a generic wrapper to an already deployed contract.
func bindAmnEscrow(address common.Address, caller bind.ContractCaller, transactor bind.ContractTransactor, filterer bind.ContractFilterer) (*bind.BoundContract, error) {
	parsed, err := AmnEscrowMetaData.GetAbi()
	if err != nil {
		return nil, err
	}
	return bind.NewBoundContract(address, *parsed, caller, transactor, filterer), nil
}

// Call invokes the (constant) contract method with params as input values and
// sets the output to result. The result type might be a single field for simple
// returns, a slice of interfaces for anonymous returns and a struct for named
// returns.
func (_AmnEscrow *AmnEscrowRaw) Call(opts *bind.CallOpts, result *[]interface{}, method string, params ...interface{}) error {
	return _AmnEscrow.Contract.AmnEscrowCaller.contract.Call(opts, result, method, params...)
}

// Transfer initiates a plain transaction to move funds to the contract, calling
// its default method if one is available.
func (_AmnEscrow *AmnEscrowRaw) Transfer(opts *bind.TransactOpts) (*types.Transaction, error) {
	return _AmnEscrow.Contract.AmnEscrowTransactor.contract.Transfer(opts)
}

// Transact invokes the (paid) contract method with params as input values.
func (_AmnEscrow *AmnEscrowRaw) Transact(opts *bind.TransactOpts, method string, params ...interface{}) (*types.Transaction, error) {
	return _AmnEscrow.Contract.AmnEscrowTransactor.contract.Transact(opts, method, params...)
}

// Call invokes the (constant) contract method with params as input values and
// sets the output to result. The result type might be a single field for simple
// returns, a slice of interfaces for anonymous returns and a struct for named
// returns.
func (_AmnEscrow *AmnEscrowCallerRaw) Call(opts *bind.CallOpts, result *[]interface{}, method string, params ...interface{}) error {
	return _AmnEscrow.Contract.contract.Call(opts, result, method, params...)
}

// Transfer initiates a plain transaction to move funds to the contract, calling
// its default method if one is available.
func (_AmnEscrow *AmnEscrowTransactorRaw) Transfer(opts *bind.TransactOpts) (*types.Transaction, error) {
	return _AmnEscrow.Contract.contract.Transfer(opts)
}

// Transact invokes the (paid) contract method with params as input values.
func (_AmnEscrow *AmnEscrowTransactorRaw) Transact(opts *bind.TransactOpts, method string, params ...interface{}) (*types.Transaction, error) {
	return _AmnEscrow.Contract.contract.Transact(opts, method, params...)
}

// MAXAMOUNT is a free data retrieval call binding the contract method 0xd40dc870.
//
// Solidity: function MAX_AMOUNT() view returns(uint256)
func (_AmnEscrow *AmnEscrowCaller) MAXAMOUNT(opts *bind.CallOpts) (*big.Int, error) {
	var out []interface{}
	err := _AmnEscrow.contract.Call(opts, &out, "MAX_AMOUNT")

	if err != nil {
		return *new(*big.Int), err
	}

	out0 := *abi.ConvertType(out[0], new(*big.Int)).(**big.Int)

	return out0, err

}

// MAXAMOUNT is a free data retrieval call binding the contract method 0xd40dc870.
//
// Solidity: function MAX_AMOUNT() view returns(uint256)
func (_AmnEscrow *AmnEscrowSession) MAXAMOUNT() (*big.Int, error) {
	return _AmnEscrow.Contract.MAXAMOUNT(&_AmnEscrow.CallOpts)
}

// MAXAMOUNT is a free data retrieval call binding the contract method 0xd40dc870.
//
// Solidity: function MAX_AMOUNT() view returns(uint256)
func (_AmnEscrow *AmnEscrowCallerSession) MAXAMOUNT() (*big.Int, error) {
	return _AmnEscrow.Contract.MAXAMOUNT(&_AmnEscrow.CallOpts)
}

// MAXCUSTODIANS is a free data retrieval call binding the contract method 0x3462dd03.
//
// Solidity: function MAX_CUSTODIANS() view returns(uint256)
func (_AmnEscrow *AmnEscrowCaller) MAXCUSTODIANS(opts *bind.CallOpts) (*big.Int, error) {
	var out []interface{}
	err := _AmnEscrow.contract.Call(opts, &out, "MAX_CUSTODIANS")

	if err != nil {
		return *new(*big.Int), err
	}

	out0 := *abi.ConvertType(out[0], new(*big.Int)).(**big.Int)

	return out0, err

}

// MAXCUSTODIANS is a free data retrieval call binding the contract method 0x3462dd03.
//
// Solidity: function MAX_CUSTODIANS() view returns(uint256)
func (_AmnEscrow *AmnEscrowSession) MAXCUSTODIANS() (*big.Int, error) {
	return _AmnEscrow.Contract.MAXCUSTODIANS(&_AmnEscrow.CallOpts)
}

// MAXCUSTODIANS is a free data retrieval call binding the contract method 0x3462dd03.
//
// Solidity: function MAX_CUSTODIANS() view returns(uint256)
func (_AmnEscrow *AmnEscrowCallerSession) MAXCUSTODIANS() (*big.Int, error) {
	return _AmnEscrow.Contract.MAXCUSTODIANS(&_AmnEscrow.CallOpts)
}

// MAXRECLAIMDELAY is a free data retrieval call binding the contract method 0x1627c00c.
//
// Solidity: function MAX_RECLAIM_DELAY() view returns(uint256)
func (_AmnEscrow *AmnEscrowCaller) MAXRECLAIMDELAY(opts *bind.CallOpts) (*big.Int, error) {
	var out []interface{}
	err := _AmnEscrow.contract.Call(opts, &out, "MAX_RECLAIM_DELAY")

	if err != nil {
		return *new(*big.Int), err
	}

	out0 := *abi.ConvertType(out[0], new(*big.Int)).(**big.Int)

	return out0, err

}

// MAXRECLAIMDELAY is a free data retrieval call binding the contract method 0x1627c00c.
//
// Solidity: function MAX_RECLAIM_DELAY() view returns(uint256)
func (_AmnEscrow *AmnEscrowSession) MAXRECLAIMDELAY() (*big.Int, error) {
	return _AmnEscrow.Contract.MAXRECLAIMDELAY(&_AmnEscrow.CallOpts)
}

// MAXRECLAIMDELAY is a free data retrieval call binding the contract method 0x1627c00c.
//
// Solidity: function MAX_RECLAIM_DELAY() view returns(uint256)
func (_AmnEscrow *AmnEscrowCallerSession) MAXRECLAIMDELAY() (*big.Int, error) {
	return _AmnEscrow.Contract.MAXRECLAIMDELAY(&_AmnEscrow.CallOpts)
}

// MINRECLAIMDELAY is a free data retrieval call binding the contract method 0x427d28c6.
//
// Solidity: function MIN_RECLAIM_DELAY() view returns(uint256)
func (_AmnEscrow *AmnEscrowCaller) MINRECLAIMDELAY(opts *bind.CallOpts) (*big.Int, error) {
	var out []interface{}
	err := _AmnEscrow.contract.Call(opts, &out, "MIN_RECLAIM_DELAY")

	if err != nil {
		return *new(*big.Int), err
	}

	out0 := *abi.ConvertType(out[0], new(*big.Int)).(**big.Int)

	return out0, err

}

// MINRECLAIMDELAY is a free data retrieval call binding the contract method 0x427d28c6.
//
// Solidity: function MIN_RECLAIM_DELAY() view returns(uint256)
func (_AmnEscrow *AmnEscrowSession) MINRECLAIMDELAY() (*big.Int, error) {
	return _AmnEscrow.Contract.MINRECLAIMDELAY(&_AmnEscrow.CallOpts)
}

// MINRECLAIMDELAY is a free data retrieval call binding the contract method 0x427d28c6.
//
// Solidity: function MIN_RECLAIM_DELAY() view returns(uint256)
func (_AmnEscrow *AmnEscrowCallerSession) MINRECLAIMDELAY() (*big.Int, error) {
	return _AmnEscrow.Contract.MINRECLAIMDELAY(&_AmnEscrow.CallOpts)
}

// REFUNDTYPEHASH is a free data retrieval call binding the contract method 0x1e69ef40.
//
// Solidity: function REFUND_TYPEHASH() view returns(bytes32)
func (_AmnEscrow *AmnEscrowCaller) REFUNDTYPEHASH(opts *bind.CallOpts) ([32]byte, error) {
	var out []interface{}
	err := _AmnEscrow.contract.Call(opts, &out, "REFUND_TYPEHASH")

	if err != nil {
		return *new([32]byte), err
	}

	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)

	return out0, err

}

// REFUNDTYPEHASH is a free data retrieval call binding the contract method 0x1e69ef40.
//
// Solidity: function REFUND_TYPEHASH() view returns(bytes32)
func (_AmnEscrow *AmnEscrowSession) REFUNDTYPEHASH() ([32]byte, error) {
	return _AmnEscrow.Contract.REFUNDTYPEHASH(&_AmnEscrow.CallOpts)
}

// REFUNDTYPEHASH is a free data retrieval call binding the contract method 0x1e69ef40.
//
// Solidity: function REFUND_TYPEHASH() view returns(bytes32)
func (_AmnEscrow *AmnEscrowCallerSession) REFUNDTYPEHASH() ([32]byte, error) {
	return _AmnEscrow.Contract.REFUNDTYPEHASH(&_AmnEscrow.CallOpts)
}

// RELEASETYPEHASH is a free data retrieval call binding the contract method 0x0902df91.
//
// Solidity: function RELEASE_TYPEHASH() view returns(bytes32)
func (_AmnEscrow *AmnEscrowCaller) RELEASETYPEHASH(opts *bind.CallOpts) ([32]byte, error) {
	var out []interface{}
	err := _AmnEscrow.contract.Call(opts, &out, "RELEASE_TYPEHASH")

	if err != nil {
		return *new([32]byte), err
	}

	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)

	return out0, err

}

// RELEASETYPEHASH is a free data retrieval call binding the contract method 0x0902df91.
//
// Solidity: function RELEASE_TYPEHASH() view returns(bytes32)
func (_AmnEscrow *AmnEscrowSession) RELEASETYPEHASH() ([32]byte, error) {
	return _AmnEscrow.Contract.RELEASETYPEHASH(&_AmnEscrow.CallOpts)
}

// RELEASETYPEHASH is a free data retrieval call binding the contract method 0x0902df91.
//
// Solidity: function RELEASE_TYPEHASH() view returns(bytes32)
func (_AmnEscrow *AmnEscrowCallerSession) RELEASETYPEHASH() ([32]byte, error) {
	return _AmnEscrow.Contract.RELEASETYPEHASH(&_AmnEscrow.CallOpts)
}

// SETTLETYPEHASH is a free data retrieval call binding the contract method 0x40202610.
//
// Solidity: function SETTLE_TYPEHASH() view returns(bytes32)
func (_AmnEscrow *AmnEscrowCaller) SETTLETYPEHASH(opts *bind.CallOpts) ([32]byte, error) {
	var out []interface{}
	err := _AmnEscrow.contract.Call(opts, &out, "SETTLE_TYPEHASH")

	if err != nil {
		return *new([32]byte), err
	}

	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)

	return out0, err

}

// SETTLETYPEHASH is a free data retrieval call binding the contract method 0x40202610.
//
// Solidity: function SETTLE_TYPEHASH() view returns(bytes32)
func (_AmnEscrow *AmnEscrowSession) SETTLETYPEHASH() ([32]byte, error) {
	return _AmnEscrow.Contract.SETTLETYPEHASH(&_AmnEscrow.CallOpts)
}

// SETTLETYPEHASH is a free data retrieval call binding the contract method 0x40202610.
//
// Solidity: function SETTLE_TYPEHASH() view returns(bytes32)
func (_AmnEscrow *AmnEscrowCallerSession) SETTLETYPEHASH() ([32]byte, error) {
	return _AmnEscrow.Contract.SETTLETYPEHASH(&_AmnEscrow.CallOpts)
}

// SETARBITERTYPEHASH is a free data retrieval call binding the contract method 0x2cd757a1.
//
// Solidity: function SET_ARBITER_TYPEHASH() view returns(bytes32)
func (_AmnEscrow *AmnEscrowCaller) SETARBITERTYPEHASH(opts *bind.CallOpts) ([32]byte, error) {
	var out []interface{}
	err := _AmnEscrow.contract.Call(opts, &out, "SET_ARBITER_TYPEHASH")

	if err != nil {
		return *new([32]byte), err
	}

	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)

	return out0, err

}

// SETARBITERTYPEHASH is a free data retrieval call binding the contract method 0x2cd757a1.
//
// Solidity: function SET_ARBITER_TYPEHASH() view returns(bytes32)
func (_AmnEscrow *AmnEscrowSession) SETARBITERTYPEHASH() ([32]byte, error) {
	return _AmnEscrow.Contract.SETARBITERTYPEHASH(&_AmnEscrow.CallOpts)
}

// SETARBITERTYPEHASH is a free data retrieval call binding the contract method 0x2cd757a1.
//
// Solidity: function SET_ARBITER_TYPEHASH() view returns(bytes32)
func (_AmnEscrow *AmnEscrowCallerSession) SETARBITERTYPEHASH() ([32]byte, error) {
	return _AmnEscrow.Contract.SETARBITERTYPEHASH(&_AmnEscrow.CallOpts)
}

// SETCUSTODIANSTYPEHASH is a free data retrieval call binding the contract method 0x3b41dda8.
//
// Solidity: function SET_CUSTODIANS_TYPEHASH() view returns(bytes32)
func (_AmnEscrow *AmnEscrowCaller) SETCUSTODIANSTYPEHASH(opts *bind.CallOpts) ([32]byte, error) {
	var out []interface{}
	err := _AmnEscrow.contract.Call(opts, &out, "SET_CUSTODIANS_TYPEHASH")

	if err != nil {
		return *new([32]byte), err
	}

	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)

	return out0, err

}

// SETCUSTODIANSTYPEHASH is a free data retrieval call binding the contract method 0x3b41dda8.
//
// Solidity: function SET_CUSTODIANS_TYPEHASH() view returns(bytes32)
func (_AmnEscrow *AmnEscrowSession) SETCUSTODIANSTYPEHASH() ([32]byte, error) {
	return _AmnEscrow.Contract.SETCUSTODIANSTYPEHASH(&_AmnEscrow.CallOpts)
}

// SETCUSTODIANSTYPEHASH is a free data retrieval call binding the contract method 0x3b41dda8.
//
// Solidity: function SET_CUSTODIANS_TYPEHASH() view returns(bytes32)
func (_AmnEscrow *AmnEscrowCallerSession) SETCUSTODIANSTYPEHASH() ([32]byte, error) {
	return _AmnEscrow.Contract.SETCUSTODIANSTYPEHASH(&_AmnEscrow.CallOpts)
}

// SETRECLAIMDELAYTYPEHASH is a free data retrieval call binding the contract method 0x61ea4501.
//
// Solidity: function SET_RECLAIM_DELAY_TYPEHASH() view returns(bytes32)
func (_AmnEscrow *AmnEscrowCaller) SETRECLAIMDELAYTYPEHASH(opts *bind.CallOpts) ([32]byte, error) {
	var out []interface{}
	err := _AmnEscrow.contract.Call(opts, &out, "SET_RECLAIM_DELAY_TYPEHASH")

	if err != nil {
		return *new([32]byte), err
	}

	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)

	return out0, err

}

// SETRECLAIMDELAYTYPEHASH is a free data retrieval call binding the contract method 0x61ea4501.
//
// Solidity: function SET_RECLAIM_DELAY_TYPEHASH() view returns(bytes32)
func (_AmnEscrow *AmnEscrowSession) SETRECLAIMDELAYTYPEHASH() ([32]byte, error) {
	return _AmnEscrow.Contract.SETRECLAIMDELAYTYPEHASH(&_AmnEscrow.CallOpts)
}

// SETRECLAIMDELAYTYPEHASH is a free data retrieval call binding the contract method 0x61ea4501.
//
// Solidity: function SET_RECLAIM_DELAY_TYPEHASH() view returns(bytes32)
func (_AmnEscrow *AmnEscrowCallerSession) SETRECLAIMDELAYTYPEHASH() ([32]byte, error) {
	return _AmnEscrow.Contract.SETRECLAIMDELAYTYPEHASH(&_AmnEscrow.CallOpts)
}

// Arbiter is a free data retrieval call binding the contract method 0xfe25e00a.
//
// Solidity: function arbiter() view returns(address)
func (_AmnEscrow *AmnEscrowCaller) Arbiter(opts *bind.CallOpts) (common.Address, error) {
	var out []interface{}
	err := _AmnEscrow.contract.Call(opts, &out, "arbiter")

	if err != nil {
		return *new(common.Address), err
	}

	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)

	return out0, err

}

// Arbiter is a free data retrieval call binding the contract method 0xfe25e00a.
//
// Solidity: function arbiter() view returns(address)
func (_AmnEscrow *AmnEscrowSession) Arbiter() (common.Address, error) {
	return _AmnEscrow.Contract.Arbiter(&_AmnEscrow.CallOpts)
}

// Arbiter is a free data retrieval call binding the contract method 0xfe25e00a.
//
// Solidity: function arbiter() view returns(address)
func (_AmnEscrow *AmnEscrowCallerSession) Arbiter() (common.Address, error) {
	return _AmnEscrow.Contract.Arbiter(&_AmnEscrow.CallOpts)
}

// ConfigNonce is a free data retrieval call binding the contract method 0x3462ceff.
//
// Solidity: function configNonce() view returns(uint256)
func (_AmnEscrow *AmnEscrowCaller) ConfigNonce(opts *bind.CallOpts) (*big.Int, error) {
	var out []interface{}
	err := _AmnEscrow.contract.Call(opts, &out, "configNonce")

	if err != nil {
		return *new(*big.Int), err
	}

	out0 := *abi.ConvertType(out[0], new(*big.Int)).(**big.Int)

	return out0, err

}

// ConfigNonce is a free data retrieval call binding the contract method 0x3462ceff.
//
// Solidity: function configNonce() view returns(uint256)
func (_AmnEscrow *AmnEscrowSession) ConfigNonce() (*big.Int, error) {
	return _AmnEscrow.Contract.ConfigNonce(&_AmnEscrow.CallOpts)
}

// ConfigNonce is a free data retrieval call binding the contract method 0x3462ceff.
//
// Solidity: function configNonce() view returns(uint256)
func (_AmnEscrow *AmnEscrowCallerSession) ConfigNonce() (*big.Int, error) {
	return _AmnEscrow.Contract.ConfigNonce(&_AmnEscrow.CallOpts)
}

// Custodians is a free data retrieval call binding the contract method 0xd6066841.
//
// Solidity: function custodians() view returns(address[])
func (_AmnEscrow *AmnEscrowCaller) Custodians(opts *bind.CallOpts) ([]common.Address, error) {
	var out []interface{}
	err := _AmnEscrow.contract.Call(opts, &out, "custodians")

	if err != nil {
		return *new([]common.Address), err
	}

	out0 := *abi.ConvertType(out[0], new([]common.Address)).(*[]common.Address)

	return out0, err

}

// Custodians is a free data retrieval call binding the contract method 0xd6066841.
//
// Solidity: function custodians() view returns(address[])
func (_AmnEscrow *AmnEscrowSession) Custodians() ([]common.Address, error) {
	return _AmnEscrow.Contract.Custodians(&_AmnEscrow.CallOpts)
}

// Custodians is a free data retrieval call binding the contract method 0xd6066841.
//
// Solidity: function custodians() view returns(address[])
func (_AmnEscrow *AmnEscrowCallerSession) Custodians() ([]common.Address, error) {
	return _AmnEscrow.Contract.Custodians(&_AmnEscrow.CallOpts)
}

// DomainSeparator is a free data retrieval call binding the contract method 0xf698da25.
//
// Solidity: function domainSeparator() view returns(bytes32)
func (_AmnEscrow *AmnEscrowCaller) DomainSeparator(opts *bind.CallOpts) ([32]byte, error) {
	var out []interface{}
	err := _AmnEscrow.contract.Call(opts, &out, "domainSeparator")

	if err != nil {
		return *new([32]byte), err
	}

	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)

	return out0, err

}

// DomainSeparator is a free data retrieval call binding the contract method 0xf698da25.
//
// Solidity: function domainSeparator() view returns(bytes32)
func (_AmnEscrow *AmnEscrowSession) DomainSeparator() ([32]byte, error) {
	return _AmnEscrow.Contract.DomainSeparator(&_AmnEscrow.CallOpts)
}

// DomainSeparator is a free data retrieval call binding the contract method 0xf698da25.
//
// Solidity: function domainSeparator() view returns(bytes32)
func (_AmnEscrow *AmnEscrowCallerSession) DomainSeparator() ([32]byte, error) {
	return _AmnEscrow.Contract.DomainSeparator(&_AmnEscrow.CallOpts)
}

// Eip712Domain is a free data retrieval call binding the contract method 0x84b0196e.
//
// Solidity: function eip712Domain() view returns(bytes1 fields, string name, string version, uint256 chainId, address verifyingContract, bytes32 salt, uint256[] extensions)
func (_AmnEscrow *AmnEscrowCaller) Eip712Domain(opts *bind.CallOpts) (struct {
	Fields            [1]byte
	Name              string
	Version           string
	ChainId           *big.Int
	VerifyingContract common.Address
	Salt              [32]byte
	Extensions        []*big.Int
}, error) {
	var out []interface{}
	err := _AmnEscrow.contract.Call(opts, &out, "eip712Domain")

	outstruct := new(struct {
		Fields            [1]byte
		Name              string
		Version           string
		ChainId           *big.Int
		VerifyingContract common.Address
		Salt              [32]byte
		Extensions        []*big.Int
	})
	if err != nil {
		return *outstruct, err
	}

	outstruct.Fields = *abi.ConvertType(out[0], new([1]byte)).(*[1]byte)
	outstruct.Name = *abi.ConvertType(out[1], new(string)).(*string)
	outstruct.Version = *abi.ConvertType(out[2], new(string)).(*string)
	outstruct.ChainId = *abi.ConvertType(out[3], new(*big.Int)).(**big.Int)
	outstruct.VerifyingContract = *abi.ConvertType(out[4], new(common.Address)).(*common.Address)
	outstruct.Salt = *abi.ConvertType(out[5], new([32]byte)).(*[32]byte)
	outstruct.Extensions = *abi.ConvertType(out[6], new([]*big.Int)).(*[]*big.Int)

	return *outstruct, err

}

// Eip712Domain is a free data retrieval call binding the contract method 0x84b0196e.
//
// Solidity: function eip712Domain() view returns(bytes1 fields, string name, string version, uint256 chainId, address verifyingContract, bytes32 salt, uint256[] extensions)
func (_AmnEscrow *AmnEscrowSession) Eip712Domain() (struct {
	Fields            [1]byte
	Name              string
	Version           string
	ChainId           *big.Int
	VerifyingContract common.Address
	Salt              [32]byte
	Extensions        []*big.Int
}, error) {
	return _AmnEscrow.Contract.Eip712Domain(&_AmnEscrow.CallOpts)
}

// Eip712Domain is a free data retrieval call binding the contract method 0x84b0196e.
//
// Solidity: function eip712Domain() view returns(bytes1 fields, string name, string version, uint256 chainId, address verifyingContract, bytes32 salt, uint256[] extensions)
func (_AmnEscrow *AmnEscrowCallerSession) Eip712Domain() (struct {
	Fields            [1]byte
	Name              string
	Version           string
	ChainId           *big.Int
	VerifyingContract common.Address
	Salt              [32]byte
	Extensions        []*big.Int
}, error) {
	return _AmnEscrow.Contract.Eip712Domain(&_AmnEscrow.CallOpts)
}

// EscrowId is a free data retrieval call binding the contract method 0xf5ad1941.
//
// Solidity: function escrowId(address funder, bytes32 ref) pure returns(bytes32)
func (_AmnEscrow *AmnEscrowCaller) EscrowId(opts *bind.CallOpts, funder common.Address, ref [32]byte) ([32]byte, error) {
	var out []interface{}
	err := _AmnEscrow.contract.Call(opts, &out, "escrowId", funder, ref)

	if err != nil {
		return *new([32]byte), err
	}

	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)

	return out0, err

}

// EscrowId is a free data retrieval call binding the contract method 0xf5ad1941.
//
// Solidity: function escrowId(address funder, bytes32 ref) pure returns(bytes32)
func (_AmnEscrow *AmnEscrowSession) EscrowId(funder common.Address, ref [32]byte) ([32]byte, error) {
	return _AmnEscrow.Contract.EscrowId(&_AmnEscrow.CallOpts, funder, ref)
}

// EscrowId is a free data retrieval call binding the contract method 0xf5ad1941.
//
// Solidity: function escrowId(address funder, bytes32 ref) pure returns(bytes32)
func (_AmnEscrow *AmnEscrowCallerSession) EscrowId(funder common.Address, ref [32]byte) ([32]byte, error) {
	return _AmnEscrow.Contract.EscrowId(&_AmnEscrow.CallOpts, funder, ref)
}

// Escrows is a free data retrieval call binding the contract method 0x2d83549c.
//
// Solidity: function escrows(bytes32 id) view returns(address token, uint64 fundedAt, uint8 status, bool frozen, address buyer, address seller, uint256 amount)
func (_AmnEscrow *AmnEscrowCaller) Escrows(opts *bind.CallOpts, id [32]byte) (struct {
	Token    common.Address
	FundedAt uint64
	Status   uint8
	Frozen   bool
	Buyer    common.Address
	Seller   common.Address
	Amount   *big.Int
}, error) {
	var out []interface{}
	err := _AmnEscrow.contract.Call(opts, &out, "escrows", id)

	outstruct := new(struct {
		Token    common.Address
		FundedAt uint64
		Status   uint8
		Frozen   bool
		Buyer    common.Address
		Seller   common.Address
		Amount   *big.Int
	})
	if err != nil {
		return *outstruct, err
	}

	outstruct.Token = *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	outstruct.FundedAt = *abi.ConvertType(out[1], new(uint64)).(*uint64)
	outstruct.Status = *abi.ConvertType(out[2], new(uint8)).(*uint8)
	outstruct.Frozen = *abi.ConvertType(out[3], new(bool)).(*bool)
	outstruct.Buyer = *abi.ConvertType(out[4], new(common.Address)).(*common.Address)
	outstruct.Seller = *abi.ConvertType(out[5], new(common.Address)).(*common.Address)
	outstruct.Amount = *abi.ConvertType(out[6], new(*big.Int)).(**big.Int)

	return *outstruct, err

}

// Escrows is a free data retrieval call binding the contract method 0x2d83549c.
//
// Solidity: function escrows(bytes32 id) view returns(address token, uint64 fundedAt, uint8 status, bool frozen, address buyer, address seller, uint256 amount)
func (_AmnEscrow *AmnEscrowSession) Escrows(id [32]byte) (struct {
	Token    common.Address
	FundedAt uint64
	Status   uint8
	Frozen   bool
	Buyer    common.Address
	Seller   common.Address
	Amount   *big.Int
}, error) {
	return _AmnEscrow.Contract.Escrows(&_AmnEscrow.CallOpts, id)
}

// Escrows is a free data retrieval call binding the contract method 0x2d83549c.
//
// Solidity: function escrows(bytes32 id) view returns(address token, uint64 fundedAt, uint8 status, bool frozen, address buyer, address seller, uint256 amount)
func (_AmnEscrow *AmnEscrowCallerSession) Escrows(id [32]byte) (struct {
	Token    common.Address
	FundedAt uint64
	Status   uint8
	Frozen   bool
	Buyer    common.Address
	Seller   common.Address
	Amount   *big.Int
}, error) {
	return _AmnEscrow.Contract.Escrows(&_AmnEscrow.CallOpts, id)
}

// IsCustodian is a free data retrieval call binding the contract method 0x35c80c8c.
//
// Solidity: function isCustodian(address account) view returns(bool)
func (_AmnEscrow *AmnEscrowCaller) IsCustodian(opts *bind.CallOpts, account common.Address) (bool, error) {
	var out []interface{}
	err := _AmnEscrow.contract.Call(opts, &out, "isCustodian", account)

	if err != nil {
		return *new(bool), err
	}

	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)

	return out0, err

}

// IsCustodian is a free data retrieval call binding the contract method 0x35c80c8c.
//
// Solidity: function isCustodian(address account) view returns(bool)
func (_AmnEscrow *AmnEscrowSession) IsCustodian(account common.Address) (bool, error) {
	return _AmnEscrow.Contract.IsCustodian(&_AmnEscrow.CallOpts, account)
}

// IsCustodian is a free data retrieval call binding the contract method 0x35c80c8c.
//
// Solidity: function isCustodian(address account) view returns(bool)
func (_AmnEscrow *AmnEscrowCallerSession) IsCustodian(account common.Address) (bool, error) {
	return _AmnEscrow.Contract.IsCustodian(&_AmnEscrow.CallOpts, account)
}

// ReclaimDelay is a free data retrieval call binding the contract method 0x13ae293a.
//
// Solidity: function reclaimDelay() view returns(uint256)
func (_AmnEscrow *AmnEscrowCaller) ReclaimDelay(opts *bind.CallOpts) (*big.Int, error) {
	var out []interface{}
	err := _AmnEscrow.contract.Call(opts, &out, "reclaimDelay")

	if err != nil {
		return *new(*big.Int), err
	}

	out0 := *abi.ConvertType(out[0], new(*big.Int)).(**big.Int)

	return out0, err

}

// ReclaimDelay is a free data retrieval call binding the contract method 0x13ae293a.
//
// Solidity: function reclaimDelay() view returns(uint256)
func (_AmnEscrow *AmnEscrowSession) ReclaimDelay() (*big.Int, error) {
	return _AmnEscrow.Contract.ReclaimDelay(&_AmnEscrow.CallOpts)
}

// ReclaimDelay is a free data retrieval call binding the contract method 0x13ae293a.
//
// Solidity: function reclaimDelay() view returns(uint256)
func (_AmnEscrow *AmnEscrowCallerSession) ReclaimDelay() (*big.Int, error) {
	return _AmnEscrow.Contract.ReclaimDelay(&_AmnEscrow.CallOpts)
}

// ReclaimableAt is a free data retrieval call binding the contract method 0xc4044329.
//
// Solidity: function reclaimableAt(bytes32 id) view returns(uint256)
func (_AmnEscrow *AmnEscrowCaller) ReclaimableAt(opts *bind.CallOpts, id [32]byte) (*big.Int, error) {
	var out []interface{}
	err := _AmnEscrow.contract.Call(opts, &out, "reclaimableAt", id)

	if err != nil {
		return *new(*big.Int), err
	}

	out0 := *abi.ConvertType(out[0], new(*big.Int)).(**big.Int)

	return out0, err

}

// ReclaimableAt is a free data retrieval call binding the contract method 0xc4044329.
//
// Solidity: function reclaimableAt(bytes32 id) view returns(uint256)
func (_AmnEscrow *AmnEscrowSession) ReclaimableAt(id [32]byte) (*big.Int, error) {
	return _AmnEscrow.Contract.ReclaimableAt(&_AmnEscrow.CallOpts, id)
}

// ReclaimableAt is a free data retrieval call binding the contract method 0xc4044329.
//
// Solidity: function reclaimableAt(bytes32 id) view returns(uint256)
func (_AmnEscrow *AmnEscrowCallerSession) ReclaimableAt(id [32]byte) (*big.Int, error) {
	return _AmnEscrow.Contract.ReclaimableAt(&_AmnEscrow.CallOpts, id)
}

// RefundDigest is a free data retrieval call binding the contract method 0x3b3be923.
//
// Solidity: function refundDigest((bytes32,address,address,uint256,bool,uint256) r) view returns(bytes32)
func (_AmnEscrow *AmnEscrowCaller) RefundDigest(opts *bind.CallOpts, r AmnEscrowRefund) ([32]byte, error) {
	var out []interface{}
	err := _AmnEscrow.contract.Call(opts, &out, "refundDigest", r)

	if err != nil {
		return *new([32]byte), err
	}

	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)

	return out0, err

}

// RefundDigest is a free data retrieval call binding the contract method 0x3b3be923.
//
// Solidity: function refundDigest((bytes32,address,address,uint256,bool,uint256) r) view returns(bytes32)
func (_AmnEscrow *AmnEscrowSession) RefundDigest(r AmnEscrowRefund) ([32]byte, error) {
	return _AmnEscrow.Contract.RefundDigest(&_AmnEscrow.CallOpts, r)
}

// RefundDigest is a free data retrieval call binding the contract method 0x3b3be923.
//
// Solidity: function refundDigest((bytes32,address,address,uint256,bool,uint256) r) view returns(bytes32)
func (_AmnEscrow *AmnEscrowCallerSession) RefundDigest(r AmnEscrowRefund) ([32]byte, error) {
	return _AmnEscrow.Contract.RefundDigest(&_AmnEscrow.CallOpts, r)
}

// ReleaseDigest is a free data retrieval call binding the contract method 0x36d98f8a.
//
// Solidity: function releaseDigest((bytes32,address,address,uint256,address,uint256,bool,uint256) r) view returns(bytes32)
func (_AmnEscrow *AmnEscrowCaller) ReleaseDigest(opts *bind.CallOpts, r AmnEscrowRelease) ([32]byte, error) {
	var out []interface{}
	err := _AmnEscrow.contract.Call(opts, &out, "releaseDigest", r)

	if err != nil {
		return *new([32]byte), err
	}

	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)

	return out0, err

}

// ReleaseDigest is a free data retrieval call binding the contract method 0x36d98f8a.
//
// Solidity: function releaseDigest((bytes32,address,address,uint256,address,uint256,bool,uint256) r) view returns(bytes32)
func (_AmnEscrow *AmnEscrowSession) ReleaseDigest(r AmnEscrowRelease) ([32]byte, error) {
	return _AmnEscrow.Contract.ReleaseDigest(&_AmnEscrow.CallOpts, r)
}

// ReleaseDigest is a free data retrieval call binding the contract method 0x36d98f8a.
//
// Solidity: function releaseDigest((bytes32,address,address,uint256,address,uint256,bool,uint256) r) view returns(bytes32)
func (_AmnEscrow *AmnEscrowCallerSession) ReleaseDigest(r AmnEscrowRelease) ([32]byte, error) {
	return _AmnEscrow.Contract.ReleaseDigest(&_AmnEscrow.CallOpts, r)
}

// SetArbiterDigest is a free data retrieval call binding the contract method 0x7941bb0c.
//
// Solidity: function setArbiterDigest(address newArbiter, uint256 nonce, uint256 deadline) view returns(bytes32)
func (_AmnEscrow *AmnEscrowCaller) SetArbiterDigest(opts *bind.CallOpts, newArbiter common.Address, nonce *big.Int, deadline *big.Int) ([32]byte, error) {
	var out []interface{}
	err := _AmnEscrow.contract.Call(opts, &out, "setArbiterDigest", newArbiter, nonce, deadline)

	if err != nil {
		return *new([32]byte), err
	}

	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)

	return out0, err

}

// SetArbiterDigest is a free data retrieval call binding the contract method 0x7941bb0c.
//
// Solidity: function setArbiterDigest(address newArbiter, uint256 nonce, uint256 deadline) view returns(bytes32)
func (_AmnEscrow *AmnEscrowSession) SetArbiterDigest(newArbiter common.Address, nonce *big.Int, deadline *big.Int) ([32]byte, error) {
	return _AmnEscrow.Contract.SetArbiterDigest(&_AmnEscrow.CallOpts, newArbiter, nonce, deadline)
}

// SetArbiterDigest is a free data retrieval call binding the contract method 0x7941bb0c.
//
// Solidity: function setArbiterDigest(address newArbiter, uint256 nonce, uint256 deadline) view returns(bytes32)
func (_AmnEscrow *AmnEscrowCallerSession) SetArbiterDigest(newArbiter common.Address, nonce *big.Int, deadline *big.Int) ([32]byte, error) {
	return _AmnEscrow.Contract.SetArbiterDigest(&_AmnEscrow.CallOpts, newArbiter, nonce, deadline)
}

// SetCustodiansDigest is a free data retrieval call binding the contract method 0xc08a45a5.
//
// Solidity: function setCustodiansDigest(address[] newCustodians, uint256 newThreshold, uint256 nonce, uint256 deadline) view returns(bytes32)
func (_AmnEscrow *AmnEscrowCaller) SetCustodiansDigest(opts *bind.CallOpts, newCustodians []common.Address, newThreshold *big.Int, nonce *big.Int, deadline *big.Int) ([32]byte, error) {
	var out []interface{}
	err := _AmnEscrow.contract.Call(opts, &out, "setCustodiansDigest", newCustodians, newThreshold, nonce, deadline)

	if err != nil {
		return *new([32]byte), err
	}

	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)

	return out0, err

}

// SetCustodiansDigest is a free data retrieval call binding the contract method 0xc08a45a5.
//
// Solidity: function setCustodiansDigest(address[] newCustodians, uint256 newThreshold, uint256 nonce, uint256 deadline) view returns(bytes32)
func (_AmnEscrow *AmnEscrowSession) SetCustodiansDigest(newCustodians []common.Address, newThreshold *big.Int, nonce *big.Int, deadline *big.Int) ([32]byte, error) {
	return _AmnEscrow.Contract.SetCustodiansDigest(&_AmnEscrow.CallOpts, newCustodians, newThreshold, nonce, deadline)
}

// SetCustodiansDigest is a free data retrieval call binding the contract method 0xc08a45a5.
//
// Solidity: function setCustodiansDigest(address[] newCustodians, uint256 newThreshold, uint256 nonce, uint256 deadline) view returns(bytes32)
func (_AmnEscrow *AmnEscrowCallerSession) SetCustodiansDigest(newCustodians []common.Address, newThreshold *big.Int, nonce *big.Int, deadline *big.Int) ([32]byte, error) {
	return _AmnEscrow.Contract.SetCustodiansDigest(&_AmnEscrow.CallOpts, newCustodians, newThreshold, nonce, deadline)
}

// SetReclaimDelayDigest is a free data retrieval call binding the contract method 0x7be7d711.
//
// Solidity: function setReclaimDelayDigest(uint256 newDelay, uint256 nonce, uint256 deadline) view returns(bytes32)
func (_AmnEscrow *AmnEscrowCaller) SetReclaimDelayDigest(opts *bind.CallOpts, newDelay *big.Int, nonce *big.Int, deadline *big.Int) ([32]byte, error) {
	var out []interface{}
	err := _AmnEscrow.contract.Call(opts, &out, "setReclaimDelayDigest", newDelay, nonce, deadline)

	if err != nil {
		return *new([32]byte), err
	}

	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)

	return out0, err

}

// SetReclaimDelayDigest is a free data retrieval call binding the contract method 0x7be7d711.
//
// Solidity: function setReclaimDelayDigest(uint256 newDelay, uint256 nonce, uint256 deadline) view returns(bytes32)
func (_AmnEscrow *AmnEscrowSession) SetReclaimDelayDigest(newDelay *big.Int, nonce *big.Int, deadline *big.Int) ([32]byte, error) {
	return _AmnEscrow.Contract.SetReclaimDelayDigest(&_AmnEscrow.CallOpts, newDelay, nonce, deadline)
}

// SetReclaimDelayDigest is a free data retrieval call binding the contract method 0x7be7d711.
//
// Solidity: function setReclaimDelayDigest(uint256 newDelay, uint256 nonce, uint256 deadline) view returns(bytes32)
func (_AmnEscrow *AmnEscrowCallerSession) SetReclaimDelayDigest(newDelay *big.Int, nonce *big.Int, deadline *big.Int) ([32]byte, error) {
	return _AmnEscrow.Contract.SetReclaimDelayDigest(&_AmnEscrow.CallOpts, newDelay, nonce, deadline)
}

// SettleDigest is a free data retrieval call binding the contract method 0x6010063c.
//
// Solidity: function settleDigest((bytes32,address,address,uint256,address,uint256,address,uint256,bool,uint256) s) view returns(bytes32)
func (_AmnEscrow *AmnEscrowCaller) SettleDigest(opts *bind.CallOpts, s AmnEscrowSettle) ([32]byte, error) {
	var out []interface{}
	err := _AmnEscrow.contract.Call(opts, &out, "settleDigest", s)

	if err != nil {
		return *new([32]byte), err
	}

	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)

	return out0, err

}

// SettleDigest is a free data retrieval call binding the contract method 0x6010063c.
//
// Solidity: function settleDigest((bytes32,address,address,uint256,address,uint256,address,uint256,bool,uint256) s) view returns(bytes32)
func (_AmnEscrow *AmnEscrowSession) SettleDigest(s AmnEscrowSettle) ([32]byte, error) {
	return _AmnEscrow.Contract.SettleDigest(&_AmnEscrow.CallOpts, s)
}

// SettleDigest is a free data retrieval call binding the contract method 0x6010063c.
//
// Solidity: function settleDigest((bytes32,address,address,uint256,address,uint256,address,uint256,bool,uint256) s) view returns(bytes32)
func (_AmnEscrow *AmnEscrowCallerSession) SettleDigest(s AmnEscrowSettle) ([32]byte, error) {
	return _AmnEscrow.Contract.SettleDigest(&_AmnEscrow.CallOpts, s)
}

// Threshold is a free data retrieval call binding the contract method 0x42cde4e8.
//
// Solidity: function threshold() view returns(uint256)
func (_AmnEscrow *AmnEscrowCaller) Threshold(opts *bind.CallOpts) (*big.Int, error) {
	var out []interface{}
	err := _AmnEscrow.contract.Call(opts, &out, "threshold")

	if err != nil {
		return *new(*big.Int), err
	}

	out0 := *abi.ConvertType(out[0], new(*big.Int)).(**big.Int)

	return out0, err

}

// Threshold is a free data retrieval call binding the contract method 0x42cde4e8.
//
// Solidity: function threshold() view returns(uint256)
func (_AmnEscrow *AmnEscrowSession) Threshold() (*big.Int, error) {
	return _AmnEscrow.Contract.Threshold(&_AmnEscrow.CallOpts)
}

// Threshold is a free data retrieval call binding the contract method 0x42cde4e8.
//
// Solidity: function threshold() view returns(uint256)
func (_AmnEscrow *AmnEscrowCallerSession) Threshold() (*big.Int, error) {
	return _AmnEscrow.Contract.Threshold(&_AmnEscrow.CallOpts)
}

// TokenCount is a free data retrieval call binding the contract method 0x9f181b5e.
//
// Solidity: function tokenCount() view returns(uint40)
func (_AmnEscrow *AmnEscrowCaller) TokenCount(opts *bind.CallOpts) (*big.Int, error) {
	var out []interface{}
	err := _AmnEscrow.contract.Call(opts, &out, "tokenCount")

	if err != nil {
		return *new(*big.Int), err
	}

	out0 := *abi.ConvertType(out[0], new(*big.Int)).(**big.Int)

	return out0, err

}

// TokenCount is a free data retrieval call binding the contract method 0x9f181b5e.
//
// Solidity: function tokenCount() view returns(uint40)
func (_AmnEscrow *AmnEscrowSession) TokenCount() (*big.Int, error) {
	return _AmnEscrow.Contract.TokenCount(&_AmnEscrow.CallOpts)
}

// TokenCount is a free data retrieval call binding the contract method 0x9f181b5e.
//
// Solidity: function tokenCount() view returns(uint40)
func (_AmnEscrow *AmnEscrowCallerSession) TokenCount() (*big.Int, error) {
	return _AmnEscrow.Contract.TokenCount(&_AmnEscrow.CallOpts)
}

// TokenIndex is a free data retrieval call binding the contract method 0x427f91a6.
//
// Solidity: function tokenIndex(address token) view returns(uint40)
func (_AmnEscrow *AmnEscrowCaller) TokenIndex(opts *bind.CallOpts, token common.Address) (*big.Int, error) {
	var out []interface{}
	err := _AmnEscrow.contract.Call(opts, &out, "tokenIndex", token)

	if err != nil {
		return *new(*big.Int), err
	}

	out0 := *abi.ConvertType(out[0], new(*big.Int)).(**big.Int)

	return out0, err

}

// TokenIndex is a free data retrieval call binding the contract method 0x427f91a6.
//
// Solidity: function tokenIndex(address token) view returns(uint40)
func (_AmnEscrow *AmnEscrowSession) TokenIndex(token common.Address) (*big.Int, error) {
	return _AmnEscrow.Contract.TokenIndex(&_AmnEscrow.CallOpts, token)
}

// TokenIndex is a free data retrieval call binding the contract method 0x427f91a6.
//
// Solidity: function tokenIndex(address token) view returns(uint40)
func (_AmnEscrow *AmnEscrowCallerSession) TokenIndex(token common.Address) (*big.Int, error) {
	return _AmnEscrow.Contract.TokenIndex(&_AmnEscrow.CallOpts, token)
}

// TotalEscrowed is a free data retrieval call binding the contract method 0x62c9e1be.
//
// Solidity: function totalEscrowed(address token) view returns(uint256)
func (_AmnEscrow *AmnEscrowCaller) TotalEscrowed(opts *bind.CallOpts, token common.Address) (*big.Int, error) {
	var out []interface{}
	err := _AmnEscrow.contract.Call(opts, &out, "totalEscrowed", token)

	if err != nil {
		return *new(*big.Int), err
	}

	out0 := *abi.ConvertType(out[0], new(*big.Int)).(**big.Int)

	return out0, err

}

// TotalEscrowed is a free data retrieval call binding the contract method 0x62c9e1be.
//
// Solidity: function totalEscrowed(address token) view returns(uint256)
func (_AmnEscrow *AmnEscrowSession) TotalEscrowed(token common.Address) (*big.Int, error) {
	return _AmnEscrow.Contract.TotalEscrowed(&_AmnEscrow.CallOpts, token)
}

// TotalEscrowed is a free data retrieval call binding the contract method 0x62c9e1be.
//
// Solidity: function totalEscrowed(address token) view returns(uint256)
func (_AmnEscrow *AmnEscrowCallerSession) TotalEscrowed(token common.Address) (*big.Int, error) {
	return _AmnEscrow.Contract.TotalEscrowed(&_AmnEscrow.CallOpts, token)
}

// Freeze is a paid mutator transaction binding the contract method 0xec13cc7b.
//
// Solidity: function freeze(bytes32 id) returns()
func (_AmnEscrow *AmnEscrowTransactor) Freeze(opts *bind.TransactOpts, id [32]byte) (*types.Transaction, error) {
	return _AmnEscrow.contract.Transact(opts, "freeze", id)
}

// Freeze is a paid mutator transaction binding the contract method 0xec13cc7b.
//
// Solidity: function freeze(bytes32 id) returns()
func (_AmnEscrow *AmnEscrowSession) Freeze(id [32]byte) (*types.Transaction, error) {
	return _AmnEscrow.Contract.Freeze(&_AmnEscrow.TransactOpts, id)
}

// Freeze is a paid mutator transaction binding the contract method 0xec13cc7b.
//
// Solidity: function freeze(bytes32 id) returns()
func (_AmnEscrow *AmnEscrowTransactorSession) Freeze(id [32]byte) (*types.Transaction, error) {
	return _AmnEscrow.Contract.Freeze(&_AmnEscrow.TransactOpts, id)
}

// Fund is a paid mutator transaction binding the contract method 0x02af1b4b.
//
// Solidity: function fund(bytes32 ref, address token, uint256 amount, address buyer, address seller) returns(bytes32 id, uint256 received)
func (_AmnEscrow *AmnEscrowTransactor) Fund(opts *bind.TransactOpts, ref [32]byte, token common.Address, amount *big.Int, buyer common.Address, seller common.Address) (*types.Transaction, error) {
	return _AmnEscrow.contract.Transact(opts, "fund", ref, token, amount, buyer, seller)
}

// Fund is a paid mutator transaction binding the contract method 0x02af1b4b.
//
// Solidity: function fund(bytes32 ref, address token, uint256 amount, address buyer, address seller) returns(bytes32 id, uint256 received)
func (_AmnEscrow *AmnEscrowSession) Fund(ref [32]byte, token common.Address, amount *big.Int, buyer common.Address, seller common.Address) (*types.Transaction, error) {
	return _AmnEscrow.Contract.Fund(&_AmnEscrow.TransactOpts, ref, token, amount, buyer, seller)
}

// Fund is a paid mutator transaction binding the contract method 0x02af1b4b.
//
// Solidity: function fund(bytes32 ref, address token, uint256 amount, address buyer, address seller) returns(bytes32 id, uint256 received)
func (_AmnEscrow *AmnEscrowTransactorSession) Fund(ref [32]byte, token common.Address, amount *big.Int, buyer common.Address, seller common.Address) (*types.Transaction, error) {
	return _AmnEscrow.Contract.Fund(&_AmnEscrow.TransactOpts, ref, token, amount, buyer, seller)
}

// FundByTransfer is a paid mutator transaction binding the contract method 0xa716f670.
//
// Solidity: function fundByTransfer(bytes32 ref, address token, uint256 amount, address buyer, address seller) returns(bytes32 id, uint256 received)
func (_AmnEscrow *AmnEscrowTransactor) FundByTransfer(opts *bind.TransactOpts, ref [32]byte, token common.Address, amount *big.Int, buyer common.Address, seller common.Address) (*types.Transaction, error) {
	return _AmnEscrow.contract.Transact(opts, "fundByTransfer", ref, token, amount, buyer, seller)
}

// FundByTransfer is a paid mutator transaction binding the contract method 0xa716f670.
//
// Solidity: function fundByTransfer(bytes32 ref, address token, uint256 amount, address buyer, address seller) returns(bytes32 id, uint256 received)
func (_AmnEscrow *AmnEscrowSession) FundByTransfer(ref [32]byte, token common.Address, amount *big.Int, buyer common.Address, seller common.Address) (*types.Transaction, error) {
	return _AmnEscrow.Contract.FundByTransfer(&_AmnEscrow.TransactOpts, ref, token, amount, buyer, seller)
}

// FundByTransfer is a paid mutator transaction binding the contract method 0xa716f670.
//
// Solidity: function fundByTransfer(bytes32 ref, address token, uint256 amount, address buyer, address seller) returns(bytes32 id, uint256 received)
func (_AmnEscrow *AmnEscrowTransactorSession) FundByTransfer(ref [32]byte, token common.Address, amount *big.Int, buyer common.Address, seller common.Address) (*types.Transaction, error) {
	return _AmnEscrow.Contract.FundByTransfer(&_AmnEscrow.TransactOpts, ref, token, amount, buyer, seller)
}

// FundNative is a paid mutator transaction binding the contract method 0x085b2879.
//
// Solidity: function fundNative(bytes32 ref, address buyer, address seller) payable returns(bytes32 id)
func (_AmnEscrow *AmnEscrowTransactor) FundNative(opts *bind.TransactOpts, ref [32]byte, buyer common.Address, seller common.Address) (*types.Transaction, error) {
	return _AmnEscrow.contract.Transact(opts, "fundNative", ref, buyer, seller)
}

// FundNative is a paid mutator transaction binding the contract method 0x085b2879.
//
// Solidity: function fundNative(bytes32 ref, address buyer, address seller) payable returns(bytes32 id)
func (_AmnEscrow *AmnEscrowSession) FundNative(ref [32]byte, buyer common.Address, seller common.Address) (*types.Transaction, error) {
	return _AmnEscrow.Contract.FundNative(&_AmnEscrow.TransactOpts, ref, buyer, seller)
}

// FundNative is a paid mutator transaction binding the contract method 0x085b2879.
//
// Solidity: function fundNative(bytes32 ref, address buyer, address seller) payable returns(bytes32 id)
func (_AmnEscrow *AmnEscrowTransactorSession) FundNative(ref [32]byte, buyer common.Address, seller common.Address) (*types.Transaction, error) {
	return _AmnEscrow.Contract.FundNative(&_AmnEscrow.TransactOpts, ref, buyer, seller)
}

// Reclaim is a paid mutator transaction binding the contract method 0x96afb365.
//
// Solidity: function reclaim(bytes32 id) returns()
func (_AmnEscrow *AmnEscrowTransactor) Reclaim(opts *bind.TransactOpts, id [32]byte) (*types.Transaction, error) {
	return _AmnEscrow.contract.Transact(opts, "reclaim", id)
}

// Reclaim is a paid mutator transaction binding the contract method 0x96afb365.
//
// Solidity: function reclaim(bytes32 id) returns()
func (_AmnEscrow *AmnEscrowSession) Reclaim(id [32]byte) (*types.Transaction, error) {
	return _AmnEscrow.Contract.Reclaim(&_AmnEscrow.TransactOpts, id)
}

// Reclaim is a paid mutator transaction binding the contract method 0x96afb365.
//
// Solidity: function reclaim(bytes32 id) returns()
func (_AmnEscrow *AmnEscrowTransactorSession) Reclaim(id [32]byte) (*types.Transaction, error) {
	return _AmnEscrow.Contract.Reclaim(&_AmnEscrow.TransactOpts, id)
}

// Refund is a paid mutator transaction binding the contract method 0x72074307.
//
// Solidity: function refund(bytes32 id, (bytes32,address,address,uint256,bool,uint256) r, bytes[] signatures) returns()
func (_AmnEscrow *AmnEscrowTransactor) Refund(opts *bind.TransactOpts, id [32]byte, r AmnEscrowRefund, signatures [][]byte) (*types.Transaction, error) {
	return _AmnEscrow.contract.Transact(opts, "refund", id, r, signatures)
}

// Refund is a paid mutator transaction binding the contract method 0x72074307.
//
// Solidity: function refund(bytes32 id, (bytes32,address,address,uint256,bool,uint256) r, bytes[] signatures) returns()
func (_AmnEscrow *AmnEscrowSession) Refund(id [32]byte, r AmnEscrowRefund, signatures [][]byte) (*types.Transaction, error) {
	return _AmnEscrow.Contract.Refund(&_AmnEscrow.TransactOpts, id, r, signatures)
}

// Refund is a paid mutator transaction binding the contract method 0x72074307.
//
// Solidity: function refund(bytes32 id, (bytes32,address,address,uint256,bool,uint256) r, bytes[] signatures) returns()
func (_AmnEscrow *AmnEscrowTransactorSession) Refund(id [32]byte, r AmnEscrowRefund, signatures [][]byte) (*types.Transaction, error) {
	return _AmnEscrow.Contract.Refund(&_AmnEscrow.TransactOpts, id, r, signatures)
}

// Release is a paid mutator transaction binding the contract method 0xcfec4e24.
//
// Solidity: function release(bytes32 id, (bytes32,address,address,uint256,address,uint256,bool,uint256) r, bytes[] signatures) returns()
func (_AmnEscrow *AmnEscrowTransactor) Release(opts *bind.TransactOpts, id [32]byte, r AmnEscrowRelease, signatures [][]byte) (*types.Transaction, error) {
	return _AmnEscrow.contract.Transact(opts, "release", id, r, signatures)
}

// Release is a paid mutator transaction binding the contract method 0xcfec4e24.
//
// Solidity: function release(bytes32 id, (bytes32,address,address,uint256,address,uint256,bool,uint256) r, bytes[] signatures) returns()
func (_AmnEscrow *AmnEscrowSession) Release(id [32]byte, r AmnEscrowRelease, signatures [][]byte) (*types.Transaction, error) {
	return _AmnEscrow.Contract.Release(&_AmnEscrow.TransactOpts, id, r, signatures)
}

// Release is a paid mutator transaction binding the contract method 0xcfec4e24.
//
// Solidity: function release(bytes32 id, (bytes32,address,address,uint256,address,uint256,bool,uint256) r, bytes[] signatures) returns()
func (_AmnEscrow *AmnEscrowTransactorSession) Release(id [32]byte, r AmnEscrowRelease, signatures [][]byte) (*types.Transaction, error) {
	return _AmnEscrow.Contract.Release(&_AmnEscrow.TransactOpts, id, r, signatures)
}

// SetArbiter is a paid mutator transaction binding the contract method 0x06caf991.
//
// Solidity: function setArbiter(address newArbiter, uint256 nonce, uint256 deadline, bytes[] signatures) returns()
func (_AmnEscrow *AmnEscrowTransactor) SetArbiter(opts *bind.TransactOpts, newArbiter common.Address, nonce *big.Int, deadline *big.Int, signatures [][]byte) (*types.Transaction, error) {
	return _AmnEscrow.contract.Transact(opts, "setArbiter", newArbiter, nonce, deadline, signatures)
}

// SetArbiter is a paid mutator transaction binding the contract method 0x06caf991.
//
// Solidity: function setArbiter(address newArbiter, uint256 nonce, uint256 deadline, bytes[] signatures) returns()
func (_AmnEscrow *AmnEscrowSession) SetArbiter(newArbiter common.Address, nonce *big.Int, deadline *big.Int, signatures [][]byte) (*types.Transaction, error) {
	return _AmnEscrow.Contract.SetArbiter(&_AmnEscrow.TransactOpts, newArbiter, nonce, deadline, signatures)
}

// SetArbiter is a paid mutator transaction binding the contract method 0x06caf991.
//
// Solidity: function setArbiter(address newArbiter, uint256 nonce, uint256 deadline, bytes[] signatures) returns()
func (_AmnEscrow *AmnEscrowTransactorSession) SetArbiter(newArbiter common.Address, nonce *big.Int, deadline *big.Int, signatures [][]byte) (*types.Transaction, error) {
	return _AmnEscrow.Contract.SetArbiter(&_AmnEscrow.TransactOpts, newArbiter, nonce, deadline, signatures)
}

// SetCustodians is a paid mutator transaction binding the contract method 0x19ad5ad8.
//
// Solidity: function setCustodians(address[] newCustodians, uint256 newThreshold, uint256 nonce, uint256 deadline, bytes[] signatures) returns()
func (_AmnEscrow *AmnEscrowTransactor) SetCustodians(opts *bind.TransactOpts, newCustodians []common.Address, newThreshold *big.Int, nonce *big.Int, deadline *big.Int, signatures [][]byte) (*types.Transaction, error) {
	return _AmnEscrow.contract.Transact(opts, "setCustodians", newCustodians, newThreshold, nonce, deadline, signatures)
}

// SetCustodians is a paid mutator transaction binding the contract method 0x19ad5ad8.
//
// Solidity: function setCustodians(address[] newCustodians, uint256 newThreshold, uint256 nonce, uint256 deadline, bytes[] signatures) returns()
func (_AmnEscrow *AmnEscrowSession) SetCustodians(newCustodians []common.Address, newThreshold *big.Int, nonce *big.Int, deadline *big.Int, signatures [][]byte) (*types.Transaction, error) {
	return _AmnEscrow.Contract.SetCustodians(&_AmnEscrow.TransactOpts, newCustodians, newThreshold, nonce, deadline, signatures)
}

// SetCustodians is a paid mutator transaction binding the contract method 0x19ad5ad8.
//
// Solidity: function setCustodians(address[] newCustodians, uint256 newThreshold, uint256 nonce, uint256 deadline, bytes[] signatures) returns()
func (_AmnEscrow *AmnEscrowTransactorSession) SetCustodians(newCustodians []common.Address, newThreshold *big.Int, nonce *big.Int, deadline *big.Int, signatures [][]byte) (*types.Transaction, error) {
	return _AmnEscrow.Contract.SetCustodians(&_AmnEscrow.TransactOpts, newCustodians, newThreshold, nonce, deadline, signatures)
}

// SetReclaimDelay is a paid mutator transaction binding the contract method 0x7a699a70.
//
// Solidity: function setReclaimDelay(uint256 newDelay, uint256 nonce, uint256 deadline, bytes[] signatures) returns()
func (_AmnEscrow *AmnEscrowTransactor) SetReclaimDelay(opts *bind.TransactOpts, newDelay *big.Int, nonce *big.Int, deadline *big.Int, signatures [][]byte) (*types.Transaction, error) {
	return _AmnEscrow.contract.Transact(opts, "setReclaimDelay", newDelay, nonce, deadline, signatures)
}

// SetReclaimDelay is a paid mutator transaction binding the contract method 0x7a699a70.
//
// Solidity: function setReclaimDelay(uint256 newDelay, uint256 nonce, uint256 deadline, bytes[] signatures) returns()
func (_AmnEscrow *AmnEscrowSession) SetReclaimDelay(newDelay *big.Int, nonce *big.Int, deadline *big.Int, signatures [][]byte) (*types.Transaction, error) {
	return _AmnEscrow.Contract.SetReclaimDelay(&_AmnEscrow.TransactOpts, newDelay, nonce, deadline, signatures)
}

// SetReclaimDelay is a paid mutator transaction binding the contract method 0x7a699a70.
//
// Solidity: function setReclaimDelay(uint256 newDelay, uint256 nonce, uint256 deadline, bytes[] signatures) returns()
func (_AmnEscrow *AmnEscrowTransactorSession) SetReclaimDelay(newDelay *big.Int, nonce *big.Int, deadline *big.Int, signatures [][]byte) (*types.Transaction, error) {
	return _AmnEscrow.Contract.SetReclaimDelay(&_AmnEscrow.TransactOpts, newDelay, nonce, deadline, signatures)
}

// Settle is a paid mutator transaction binding the contract method 0xa4c12866.
//
// Solidity: function settle(bytes32 id, (bytes32,address,address,uint256,address,uint256,address,uint256,bool,uint256) s, bytes[] signatures) returns()
func (_AmnEscrow *AmnEscrowTransactor) Settle(opts *bind.TransactOpts, id [32]byte, s AmnEscrowSettle, signatures [][]byte) (*types.Transaction, error) {
	return _AmnEscrow.contract.Transact(opts, "settle", id, s, signatures)
}

// Settle is a paid mutator transaction binding the contract method 0xa4c12866.
//
// Solidity: function settle(bytes32 id, (bytes32,address,address,uint256,address,uint256,address,uint256,bool,uint256) s, bytes[] signatures) returns()
func (_AmnEscrow *AmnEscrowSession) Settle(id [32]byte, s AmnEscrowSettle, signatures [][]byte) (*types.Transaction, error) {
	return _AmnEscrow.Contract.Settle(&_AmnEscrow.TransactOpts, id, s, signatures)
}

// Settle is a paid mutator transaction binding the contract method 0xa4c12866.
//
// Solidity: function settle(bytes32 id, (bytes32,address,address,uint256,address,uint256,address,uint256,bool,uint256) s, bytes[] signatures) returns()
func (_AmnEscrow *AmnEscrowTransactorSession) Settle(id [32]byte, s AmnEscrowSettle, signatures [][]byte) (*types.Transaction, error) {
	return _AmnEscrow.Contract.Settle(&_AmnEscrow.TransactOpts, id, s, signatures)
}

// Unfreeze is a paid mutator transaction binding the contract method 0x9957e7f1.
//
// Solidity: function unfreeze(bytes32 id) returns()
func (_AmnEscrow *AmnEscrowTransactor) Unfreeze(opts *bind.TransactOpts, id [32]byte) (*types.Transaction, error) {
	return _AmnEscrow.contract.Transact(opts, "unfreeze", id)
}

// Unfreeze is a paid mutator transaction binding the contract method 0x9957e7f1.
//
// Solidity: function unfreeze(bytes32 id) returns()
func (_AmnEscrow *AmnEscrowSession) Unfreeze(id [32]byte) (*types.Transaction, error) {
	return _AmnEscrow.Contract.Unfreeze(&_AmnEscrow.TransactOpts, id)
}

// Unfreeze is a paid mutator transaction binding the contract method 0x9957e7f1.
//
// Solidity: function unfreeze(bytes32 id) returns()
func (_AmnEscrow *AmnEscrowTransactorSession) Unfreeze(id [32]byte) (*types.Transaction, error) {
	return _AmnEscrow.Contract.Unfreeze(&_AmnEscrow.TransactOpts, id)
}

// AmnEscrowArbiterChangedIterator is returned from FilterArbiterChanged and is used to iterate over the raw logs and unpacked data for ArbiterChanged events raised by the AmnEscrow contract.
type AmnEscrowArbiterChangedIterator struct {
	Event *AmnEscrowArbiterChanged // Event containing the contract specifics and raw log

	contract *bind.BoundContract // Generic contract to use for unpacking event data
	event    string              // Event name to use for unpacking event data

	logs chan types.Log        // Log channel receiving the found contract events
	sub  ethereum.Subscription // Subscription for errors, completion and termination
	done bool                  // Whether the subscription completed delivering logs
	fail error                 // Occurred error to stop iteration
}

// Next advances the iterator to the subsequent event, returning whether there
// are any more events found. In case of a retrieval or parsing error, false is
// returned and Error() can be queried for the exact failure.
func (it *AmnEscrowArbiterChangedIterator) Next() bool {
	// If the iterator failed, stop iterating
	if it.fail != nil {
		return false
	}
	// If the iterator completed, deliver directly whatever's available
	if it.done {
		select {
		case log := <-it.logs:
			it.Event = new(AmnEscrowArbiterChanged)
			if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
				it.fail = err
				return false
			}
			it.Event.Raw = log
			return true

		default:
			return false
		}
	}
	// Iterator still in progress, wait for either a data or an error event
	select {
	case log := <-it.logs:
		it.Event = new(AmnEscrowArbiterChanged)
		if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
			it.fail = err
			return false
		}
		it.Event.Raw = log
		return true

	case err := <-it.sub.Err():
		it.done = true
		it.fail = err
		return it.Next()
	}
}

// Error returns any retrieval or parsing error occurred during filtering.
func (it *AmnEscrowArbiterChangedIterator) Error() error {
	return it.fail
}

// Close terminates the iteration process, releasing any pending underlying
// resources.
func (it *AmnEscrowArbiterChangedIterator) Close() error {
	it.sub.Unsubscribe()
	return nil
}

// AmnEscrowArbiterChanged represents a ArbiterChanged event raised by the AmnEscrow contract.
type AmnEscrowArbiterChanged struct {
	ConfigNonce     *big.Int
	PreviousArbiter common.Address
	NewArbiter      common.Address
	Raw             types.Log // Blockchain specific contextual infos
}

// FilterArbiterChanged is a free log retrieval operation binding the contract event 0x4e867545b7150d508e1aaa740379807f6eef298a628ef1ad3077324a27c1cade.
//
// Solidity: event ArbiterChanged(uint256 indexed configNonce, address indexed previousArbiter, address indexed newArbiter)
func (_AmnEscrow *AmnEscrowFilterer) FilterArbiterChanged(opts *bind.FilterOpts, configNonce []*big.Int, previousArbiter []common.Address, newArbiter []common.Address) (*AmnEscrowArbiterChangedIterator, error) {

	var configNonceRule []interface{}
	for _, configNonceItem := range configNonce {
		configNonceRule = append(configNonceRule, configNonceItem)
	}
	var previousArbiterRule []interface{}
	for _, previousArbiterItem := range previousArbiter {
		previousArbiterRule = append(previousArbiterRule, previousArbiterItem)
	}
	var newArbiterRule []interface{}
	for _, newArbiterItem := range newArbiter {
		newArbiterRule = append(newArbiterRule, newArbiterItem)
	}

	logs, sub, err := _AmnEscrow.contract.FilterLogs(opts, "ArbiterChanged", configNonceRule, previousArbiterRule, newArbiterRule)
	if err != nil {
		return nil, err
	}
	return &AmnEscrowArbiterChangedIterator{contract: _AmnEscrow.contract, event: "ArbiterChanged", logs: logs, sub: sub}, nil
}

// WatchArbiterChanged is a free log subscription operation binding the contract event 0x4e867545b7150d508e1aaa740379807f6eef298a628ef1ad3077324a27c1cade.
//
// Solidity: event ArbiterChanged(uint256 indexed configNonce, address indexed previousArbiter, address indexed newArbiter)
func (_AmnEscrow *AmnEscrowFilterer) WatchArbiterChanged(opts *bind.WatchOpts, sink chan<- *AmnEscrowArbiterChanged, configNonce []*big.Int, previousArbiter []common.Address, newArbiter []common.Address) (event.Subscription, error) {

	var configNonceRule []interface{}
	for _, configNonceItem := range configNonce {
		configNonceRule = append(configNonceRule, configNonceItem)
	}
	var previousArbiterRule []interface{}
	for _, previousArbiterItem := range previousArbiter {
		previousArbiterRule = append(previousArbiterRule, previousArbiterItem)
	}
	var newArbiterRule []interface{}
	for _, newArbiterItem := range newArbiter {
		newArbiterRule = append(newArbiterRule, newArbiterItem)
	}

	logs, sub, err := _AmnEscrow.contract.WatchLogs(opts, "ArbiterChanged", configNonceRule, previousArbiterRule, newArbiterRule)
	if err != nil {
		return nil, err
	}
	return event.NewSubscription(func(quit <-chan struct{}) error {
		defer sub.Unsubscribe()
		for {
			select {
			case log := <-logs:
				// New log arrived, parse the event and forward to the user
				event := new(AmnEscrowArbiterChanged)
				if err := _AmnEscrow.contract.UnpackLog(event, "ArbiterChanged", log); err != nil {
					// If the signature doesn't match, skip this log.
					if errors.Is(err, bind.ErrEventSignatureMismatch) {
						continue
					}
					return err
				}
				event.Raw = log

				select {
				case sink <- event:
				case err := <-sub.Err():
					return err
				case <-quit:
					return nil
				}
			case err := <-sub.Err():
				return err
			case <-quit:
				return nil
			}
		}
	}), nil
}

// ParseArbiterChanged is a log parse operation binding the contract event 0x4e867545b7150d508e1aaa740379807f6eef298a628ef1ad3077324a27c1cade.
//
// Solidity: event ArbiterChanged(uint256 indexed configNonce, address indexed previousArbiter, address indexed newArbiter)
func (_AmnEscrow *AmnEscrowFilterer) ParseArbiterChanged(log types.Log) (*AmnEscrowArbiterChanged, error) {
	event := new(AmnEscrowArbiterChanged)
	if err := _AmnEscrow.contract.UnpackLog(event, "ArbiterChanged", log); err != nil {
		return nil, err
	}
	event.Raw = log
	return event, nil
}

// AmnEscrowCustodiansChangedIterator is returned from FilterCustodiansChanged and is used to iterate over the raw logs and unpacked data for CustodiansChanged events raised by the AmnEscrow contract.
type AmnEscrowCustodiansChangedIterator struct {
	Event *AmnEscrowCustodiansChanged // Event containing the contract specifics and raw log

	contract *bind.BoundContract // Generic contract to use for unpacking event data
	event    string              // Event name to use for unpacking event data

	logs chan types.Log        // Log channel receiving the found contract events
	sub  ethereum.Subscription // Subscription for errors, completion and termination
	done bool                  // Whether the subscription completed delivering logs
	fail error                 // Occurred error to stop iteration
}

// Next advances the iterator to the subsequent event, returning whether there
// are any more events found. In case of a retrieval or parsing error, false is
// returned and Error() can be queried for the exact failure.
func (it *AmnEscrowCustodiansChangedIterator) Next() bool {
	// If the iterator failed, stop iterating
	if it.fail != nil {
		return false
	}
	// If the iterator completed, deliver directly whatever's available
	if it.done {
		select {
		case log := <-it.logs:
			it.Event = new(AmnEscrowCustodiansChanged)
			if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
				it.fail = err
				return false
			}
			it.Event.Raw = log
			return true

		default:
			return false
		}
	}
	// Iterator still in progress, wait for either a data or an error event
	select {
	case log := <-it.logs:
		it.Event = new(AmnEscrowCustodiansChanged)
		if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
			it.fail = err
			return false
		}
		it.Event.Raw = log
		return true

	case err := <-it.sub.Err():
		it.done = true
		it.fail = err
		return it.Next()
	}
}

// Error returns any retrieval or parsing error occurred during filtering.
func (it *AmnEscrowCustodiansChangedIterator) Error() error {
	return it.fail
}

// Close terminates the iteration process, releasing any pending underlying
// resources.
func (it *AmnEscrowCustodiansChangedIterator) Close() error {
	it.sub.Unsubscribe()
	return nil
}

// AmnEscrowCustodiansChanged represents a CustodiansChanged event raised by the AmnEscrow contract.
type AmnEscrowCustodiansChanged struct {
	ConfigNonce *big.Int
	Custodians  []common.Address
	Threshold   *big.Int
	Raw         types.Log // Blockchain specific contextual infos
}

// FilterCustodiansChanged is a free log retrieval operation binding the contract event 0xe01338eb1b50fe79451b23fea4df61fbf502da8e641007c588ae559e3217c942.
//
// Solidity: event CustodiansChanged(uint256 indexed configNonce, address[] custodians, uint256 threshold)
func (_AmnEscrow *AmnEscrowFilterer) FilterCustodiansChanged(opts *bind.FilterOpts, configNonce []*big.Int) (*AmnEscrowCustodiansChangedIterator, error) {

	var configNonceRule []interface{}
	for _, configNonceItem := range configNonce {
		configNonceRule = append(configNonceRule, configNonceItem)
	}

	logs, sub, err := _AmnEscrow.contract.FilterLogs(opts, "CustodiansChanged", configNonceRule)
	if err != nil {
		return nil, err
	}
	return &AmnEscrowCustodiansChangedIterator{contract: _AmnEscrow.contract, event: "CustodiansChanged", logs: logs, sub: sub}, nil
}

// WatchCustodiansChanged is a free log subscription operation binding the contract event 0xe01338eb1b50fe79451b23fea4df61fbf502da8e641007c588ae559e3217c942.
//
// Solidity: event CustodiansChanged(uint256 indexed configNonce, address[] custodians, uint256 threshold)
func (_AmnEscrow *AmnEscrowFilterer) WatchCustodiansChanged(opts *bind.WatchOpts, sink chan<- *AmnEscrowCustodiansChanged, configNonce []*big.Int) (event.Subscription, error) {

	var configNonceRule []interface{}
	for _, configNonceItem := range configNonce {
		configNonceRule = append(configNonceRule, configNonceItem)
	}

	logs, sub, err := _AmnEscrow.contract.WatchLogs(opts, "CustodiansChanged", configNonceRule)
	if err != nil {
		return nil, err
	}
	return event.NewSubscription(func(quit <-chan struct{}) error {
		defer sub.Unsubscribe()
		for {
			select {
			case log := <-logs:
				// New log arrived, parse the event and forward to the user
				event := new(AmnEscrowCustodiansChanged)
				if err := _AmnEscrow.contract.UnpackLog(event, "CustodiansChanged", log); err != nil {
					// If the signature doesn't match, skip this log.
					if errors.Is(err, bind.ErrEventSignatureMismatch) {
						continue
					}
					return err
				}
				event.Raw = log

				select {
				case sink <- event:
				case err := <-sub.Err():
					return err
				case <-quit:
					return nil
				}
			case err := <-sub.Err():
				return err
			case <-quit:
				return nil
			}
		}
	}), nil
}

// ParseCustodiansChanged is a log parse operation binding the contract event 0xe01338eb1b50fe79451b23fea4df61fbf502da8e641007c588ae559e3217c942.
//
// Solidity: event CustodiansChanged(uint256 indexed configNonce, address[] custodians, uint256 threshold)
func (_AmnEscrow *AmnEscrowFilterer) ParseCustodiansChanged(log types.Log) (*AmnEscrowCustodiansChanged, error) {
	event := new(AmnEscrowCustodiansChanged)
	if err := _AmnEscrow.contract.UnpackLog(event, "CustodiansChanged", log); err != nil {
		return nil, err
	}
	event.Raw = log
	return event, nil
}

// AmnEscrowEIP712DomainChangedIterator is returned from FilterEIP712DomainChanged and is used to iterate over the raw logs and unpacked data for EIP712DomainChanged events raised by the AmnEscrow contract.
type AmnEscrowEIP712DomainChangedIterator struct {
	Event *AmnEscrowEIP712DomainChanged // Event containing the contract specifics and raw log

	contract *bind.BoundContract // Generic contract to use for unpacking event data
	event    string              // Event name to use for unpacking event data

	logs chan types.Log        // Log channel receiving the found contract events
	sub  ethereum.Subscription // Subscription for errors, completion and termination
	done bool                  // Whether the subscription completed delivering logs
	fail error                 // Occurred error to stop iteration
}

// Next advances the iterator to the subsequent event, returning whether there
// are any more events found. In case of a retrieval or parsing error, false is
// returned and Error() can be queried for the exact failure.
func (it *AmnEscrowEIP712DomainChangedIterator) Next() bool {
	// If the iterator failed, stop iterating
	if it.fail != nil {
		return false
	}
	// If the iterator completed, deliver directly whatever's available
	if it.done {
		select {
		case log := <-it.logs:
			it.Event = new(AmnEscrowEIP712DomainChanged)
			if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
				it.fail = err
				return false
			}
			it.Event.Raw = log
			return true

		default:
			return false
		}
	}
	// Iterator still in progress, wait for either a data or an error event
	select {
	case log := <-it.logs:
		it.Event = new(AmnEscrowEIP712DomainChanged)
		if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
			it.fail = err
			return false
		}
		it.Event.Raw = log
		return true

	case err := <-it.sub.Err():
		it.done = true
		it.fail = err
		return it.Next()
	}
}

// Error returns any retrieval or parsing error occurred during filtering.
func (it *AmnEscrowEIP712DomainChangedIterator) Error() error {
	return it.fail
}

// Close terminates the iteration process, releasing any pending underlying
// resources.
func (it *AmnEscrowEIP712DomainChangedIterator) Close() error {
	it.sub.Unsubscribe()
	return nil
}

// AmnEscrowEIP712DomainChanged represents a EIP712DomainChanged event raised by the AmnEscrow contract.
type AmnEscrowEIP712DomainChanged struct {
	Raw types.Log // Blockchain specific contextual infos
}

// FilterEIP712DomainChanged is a free log retrieval operation binding the contract event 0x0a6387c9ea3628b88a633bb4f3b151770f70085117a15f9bf3787cda53f13d31.
//
// Solidity: event EIP712DomainChanged()
func (_AmnEscrow *AmnEscrowFilterer) FilterEIP712DomainChanged(opts *bind.FilterOpts) (*AmnEscrowEIP712DomainChangedIterator, error) {

	logs, sub, err := _AmnEscrow.contract.FilterLogs(opts, "EIP712DomainChanged")
	if err != nil {
		return nil, err
	}
	return &AmnEscrowEIP712DomainChangedIterator{contract: _AmnEscrow.contract, event: "EIP712DomainChanged", logs: logs, sub: sub}, nil
}

// WatchEIP712DomainChanged is a free log subscription operation binding the contract event 0x0a6387c9ea3628b88a633bb4f3b151770f70085117a15f9bf3787cda53f13d31.
//
// Solidity: event EIP712DomainChanged()
func (_AmnEscrow *AmnEscrowFilterer) WatchEIP712DomainChanged(opts *bind.WatchOpts, sink chan<- *AmnEscrowEIP712DomainChanged) (event.Subscription, error) {

	logs, sub, err := _AmnEscrow.contract.WatchLogs(opts, "EIP712DomainChanged")
	if err != nil {
		return nil, err
	}
	return event.NewSubscription(func(quit <-chan struct{}) error {
		defer sub.Unsubscribe()
		for {
			select {
			case log := <-logs:
				// New log arrived, parse the event and forward to the user
				event := new(AmnEscrowEIP712DomainChanged)
				if err := _AmnEscrow.contract.UnpackLog(event, "EIP712DomainChanged", log); err != nil {
					// If the signature doesn't match, skip this log.
					if errors.Is(err, bind.ErrEventSignatureMismatch) {
						continue
					}
					return err
				}
				event.Raw = log

				select {
				case sink <- event:
				case err := <-sub.Err():
					return err
				case <-quit:
					return nil
				}
			case err := <-sub.Err():
				return err
			case <-quit:
				return nil
			}
		}
	}), nil
}

// ParseEIP712DomainChanged is a log parse operation binding the contract event 0x0a6387c9ea3628b88a633bb4f3b151770f70085117a15f9bf3787cda53f13d31.
//
// Solidity: event EIP712DomainChanged()
func (_AmnEscrow *AmnEscrowFilterer) ParseEIP712DomainChanged(log types.Log) (*AmnEscrowEIP712DomainChanged, error) {
	event := new(AmnEscrowEIP712DomainChanged)
	if err := _AmnEscrow.contract.UnpackLog(event, "EIP712DomainChanged", log); err != nil {
		return nil, err
	}
	event.Raw = log
	return event, nil
}

// AmnEscrowFrozenIterator is returned from FilterFrozen and is used to iterate over the raw logs and unpacked data for Frozen events raised by the AmnEscrow contract.
type AmnEscrowFrozenIterator struct {
	Event *AmnEscrowFrozen // Event containing the contract specifics and raw log

	contract *bind.BoundContract // Generic contract to use for unpacking event data
	event    string              // Event name to use for unpacking event data

	logs chan types.Log        // Log channel receiving the found contract events
	sub  ethereum.Subscription // Subscription for errors, completion and termination
	done bool                  // Whether the subscription completed delivering logs
	fail error                 // Occurred error to stop iteration
}

// Next advances the iterator to the subsequent event, returning whether there
// are any more events found. In case of a retrieval or parsing error, false is
// returned and Error() can be queried for the exact failure.
func (it *AmnEscrowFrozenIterator) Next() bool {
	// If the iterator failed, stop iterating
	if it.fail != nil {
		return false
	}
	// If the iterator completed, deliver directly whatever's available
	if it.done {
		select {
		case log := <-it.logs:
			it.Event = new(AmnEscrowFrozen)
			if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
				it.fail = err
				return false
			}
			it.Event.Raw = log
			return true

		default:
			return false
		}
	}
	// Iterator still in progress, wait for either a data or an error event
	select {
	case log := <-it.logs:
		it.Event = new(AmnEscrowFrozen)
		if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
			it.fail = err
			return false
		}
		it.Event.Raw = log
		return true

	case err := <-it.sub.Err():
		it.done = true
		it.fail = err
		return it.Next()
	}
}

// Error returns any retrieval or parsing error occurred during filtering.
func (it *AmnEscrowFrozenIterator) Error() error {
	return it.fail
}

// Close terminates the iteration process, releasing any pending underlying
// resources.
func (it *AmnEscrowFrozenIterator) Close() error {
	it.sub.Unsubscribe()
	return nil
}

// AmnEscrowFrozen represents a Frozen event raised by the AmnEscrow contract.
type AmnEscrowFrozen struct {
	EscrowId [32]byte
	Arbiter  common.Address
	Raw      types.Log // Blockchain specific contextual infos
}

// FilterFrozen is a free log retrieval operation binding the contract event 0x08a301fe34854e26415a7d6d158412f4e7e2cc61bcbdd0c5d92d66513d5a4af1.
//
// Solidity: event Frozen(bytes32 indexed escrowId, address indexed arbiter)
func (_AmnEscrow *AmnEscrowFilterer) FilterFrozen(opts *bind.FilterOpts, escrowId [][32]byte, arbiter []common.Address) (*AmnEscrowFrozenIterator, error) {

	var escrowIdRule []interface{}
	for _, escrowIdItem := range escrowId {
		escrowIdRule = append(escrowIdRule, escrowIdItem)
	}
	var arbiterRule []interface{}
	for _, arbiterItem := range arbiter {
		arbiterRule = append(arbiterRule, arbiterItem)
	}

	logs, sub, err := _AmnEscrow.contract.FilterLogs(opts, "Frozen", escrowIdRule, arbiterRule)
	if err != nil {
		return nil, err
	}
	return &AmnEscrowFrozenIterator{contract: _AmnEscrow.contract, event: "Frozen", logs: logs, sub: sub}, nil
}

// WatchFrozen is a free log subscription operation binding the contract event 0x08a301fe34854e26415a7d6d158412f4e7e2cc61bcbdd0c5d92d66513d5a4af1.
//
// Solidity: event Frozen(bytes32 indexed escrowId, address indexed arbiter)
func (_AmnEscrow *AmnEscrowFilterer) WatchFrozen(opts *bind.WatchOpts, sink chan<- *AmnEscrowFrozen, escrowId [][32]byte, arbiter []common.Address) (event.Subscription, error) {

	var escrowIdRule []interface{}
	for _, escrowIdItem := range escrowId {
		escrowIdRule = append(escrowIdRule, escrowIdItem)
	}
	var arbiterRule []interface{}
	for _, arbiterItem := range arbiter {
		arbiterRule = append(arbiterRule, arbiterItem)
	}

	logs, sub, err := _AmnEscrow.contract.WatchLogs(opts, "Frozen", escrowIdRule, arbiterRule)
	if err != nil {
		return nil, err
	}
	return event.NewSubscription(func(quit <-chan struct{}) error {
		defer sub.Unsubscribe()
		for {
			select {
			case log := <-logs:
				// New log arrived, parse the event and forward to the user
				event := new(AmnEscrowFrozen)
				if err := _AmnEscrow.contract.UnpackLog(event, "Frozen", log); err != nil {
					// If the signature doesn't match, skip this log.
					if errors.Is(err, bind.ErrEventSignatureMismatch) {
						continue
					}
					return err
				}
				event.Raw = log

				select {
				case sink <- event:
				case err := <-sub.Err():
					return err
				case <-quit:
					return nil
				}
			case err := <-sub.Err():
				return err
			case <-quit:
				return nil
			}
		}
	}), nil
}

// ParseFrozen is a log parse operation binding the contract event 0x08a301fe34854e26415a7d6d158412f4e7e2cc61bcbdd0c5d92d66513d5a4af1.
//
// Solidity: event Frozen(bytes32 indexed escrowId, address indexed arbiter)
func (_AmnEscrow *AmnEscrowFilterer) ParseFrozen(log types.Log) (*AmnEscrowFrozen, error) {
	event := new(AmnEscrowFrozen)
	if err := _AmnEscrow.contract.UnpackLog(event, "Frozen", log); err != nil {
		return nil, err
	}
	event.Raw = log
	return event, nil
}

// AmnEscrowFundedIterator is returned from FilterFunded and is used to iterate over the raw logs and unpacked data for Funded events raised by the AmnEscrow contract.
type AmnEscrowFundedIterator struct {
	Event *AmnEscrowFunded // Event containing the contract specifics and raw log

	contract *bind.BoundContract // Generic contract to use for unpacking event data
	event    string              // Event name to use for unpacking event data

	logs chan types.Log        // Log channel receiving the found contract events
	sub  ethereum.Subscription // Subscription for errors, completion and termination
	done bool                  // Whether the subscription completed delivering logs
	fail error                 // Occurred error to stop iteration
}

// Next advances the iterator to the subsequent event, returning whether there
// are any more events found. In case of a retrieval or parsing error, false is
// returned and Error() can be queried for the exact failure.
func (it *AmnEscrowFundedIterator) Next() bool {
	// If the iterator failed, stop iterating
	if it.fail != nil {
		return false
	}
	// If the iterator completed, deliver directly whatever's available
	if it.done {
		select {
		case log := <-it.logs:
			it.Event = new(AmnEscrowFunded)
			if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
				it.fail = err
				return false
			}
			it.Event.Raw = log
			return true

		default:
			return false
		}
	}
	// Iterator still in progress, wait for either a data or an error event
	select {
	case log := <-it.logs:
		it.Event = new(AmnEscrowFunded)
		if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
			it.fail = err
			return false
		}
		it.Event.Raw = log
		return true

	case err := <-it.sub.Err():
		it.done = true
		it.fail = err
		return it.Next()
	}
}

// Error returns any retrieval or parsing error occurred during filtering.
func (it *AmnEscrowFundedIterator) Error() error {
	return it.fail
}

// Close terminates the iteration process, releasing any pending underlying
// resources.
func (it *AmnEscrowFundedIterator) Close() error {
	it.sub.Unsubscribe()
	return nil
}

// AmnEscrowFunded represents a Funded event raised by the AmnEscrow contract.
type AmnEscrowFunded struct {
	EscrowId [32]byte
	Token    common.Address
	Buyer    common.Address
	Seller   common.Address
	Amount   *big.Int
	Funder   common.Address
	Ref      [32]byte
	Raw      types.Log // Blockchain specific contextual infos
}

// FilterFunded is a free log retrieval operation binding the contract event 0xae61735bb9d08f926da05c5129b4261cd76ba64aace9cece102bc7c1a190c44c.
//
// Solidity: event Funded(bytes32 indexed escrowId, address indexed token, address indexed buyer, address seller, uint256 amount, address funder, bytes32 ref)
func (_AmnEscrow *AmnEscrowFilterer) FilterFunded(opts *bind.FilterOpts, escrowId [][32]byte, token []common.Address, buyer []common.Address) (*AmnEscrowFundedIterator, error) {

	var escrowIdRule []interface{}
	for _, escrowIdItem := range escrowId {
		escrowIdRule = append(escrowIdRule, escrowIdItem)
	}
	var tokenRule []interface{}
	for _, tokenItem := range token {
		tokenRule = append(tokenRule, tokenItem)
	}
	var buyerRule []interface{}
	for _, buyerItem := range buyer {
		buyerRule = append(buyerRule, buyerItem)
	}

	logs, sub, err := _AmnEscrow.contract.FilterLogs(opts, "Funded", escrowIdRule, tokenRule, buyerRule)
	if err != nil {
		return nil, err
	}
	return &AmnEscrowFundedIterator{contract: _AmnEscrow.contract, event: "Funded", logs: logs, sub: sub}, nil
}

// WatchFunded is a free log subscription operation binding the contract event 0xae61735bb9d08f926da05c5129b4261cd76ba64aace9cece102bc7c1a190c44c.
//
// Solidity: event Funded(bytes32 indexed escrowId, address indexed token, address indexed buyer, address seller, uint256 amount, address funder, bytes32 ref)
func (_AmnEscrow *AmnEscrowFilterer) WatchFunded(opts *bind.WatchOpts, sink chan<- *AmnEscrowFunded, escrowId [][32]byte, token []common.Address, buyer []common.Address) (event.Subscription, error) {

	var escrowIdRule []interface{}
	for _, escrowIdItem := range escrowId {
		escrowIdRule = append(escrowIdRule, escrowIdItem)
	}
	var tokenRule []interface{}
	for _, tokenItem := range token {
		tokenRule = append(tokenRule, tokenItem)
	}
	var buyerRule []interface{}
	for _, buyerItem := range buyer {
		buyerRule = append(buyerRule, buyerItem)
	}

	logs, sub, err := _AmnEscrow.contract.WatchLogs(opts, "Funded", escrowIdRule, tokenRule, buyerRule)
	if err != nil {
		return nil, err
	}
	return event.NewSubscription(func(quit <-chan struct{}) error {
		defer sub.Unsubscribe()
		for {
			select {
			case log := <-logs:
				// New log arrived, parse the event and forward to the user
				event := new(AmnEscrowFunded)
				if err := _AmnEscrow.contract.UnpackLog(event, "Funded", log); err != nil {
					// If the signature doesn't match, skip this log.
					if errors.Is(err, bind.ErrEventSignatureMismatch) {
						continue
					}
					return err
				}
				event.Raw = log

				select {
				case sink <- event:
				case err := <-sub.Err():
					return err
				case <-quit:
					return nil
				}
			case err := <-sub.Err():
				return err
			case <-quit:
				return nil
			}
		}
	}), nil
}

// ParseFunded is a log parse operation binding the contract event 0xae61735bb9d08f926da05c5129b4261cd76ba64aace9cece102bc7c1a190c44c.
//
// Solidity: event Funded(bytes32 indexed escrowId, address indexed token, address indexed buyer, address seller, uint256 amount, address funder, bytes32 ref)
func (_AmnEscrow *AmnEscrowFilterer) ParseFunded(log types.Log) (*AmnEscrowFunded, error) {
	event := new(AmnEscrowFunded)
	if err := _AmnEscrow.contract.UnpackLog(event, "Funded", log); err != nil {
		return nil, err
	}
	event.Raw = log
	return event, nil
}

// AmnEscrowReclaimDelayChangedIterator is returned from FilterReclaimDelayChanged and is used to iterate over the raw logs and unpacked data for ReclaimDelayChanged events raised by the AmnEscrow contract.
type AmnEscrowReclaimDelayChangedIterator struct {
	Event *AmnEscrowReclaimDelayChanged // Event containing the contract specifics and raw log

	contract *bind.BoundContract // Generic contract to use for unpacking event data
	event    string              // Event name to use for unpacking event data

	logs chan types.Log        // Log channel receiving the found contract events
	sub  ethereum.Subscription // Subscription for errors, completion and termination
	done bool                  // Whether the subscription completed delivering logs
	fail error                 // Occurred error to stop iteration
}

// Next advances the iterator to the subsequent event, returning whether there
// are any more events found. In case of a retrieval or parsing error, false is
// returned and Error() can be queried for the exact failure.
func (it *AmnEscrowReclaimDelayChangedIterator) Next() bool {
	// If the iterator failed, stop iterating
	if it.fail != nil {
		return false
	}
	// If the iterator completed, deliver directly whatever's available
	if it.done {
		select {
		case log := <-it.logs:
			it.Event = new(AmnEscrowReclaimDelayChanged)
			if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
				it.fail = err
				return false
			}
			it.Event.Raw = log
			return true

		default:
			return false
		}
	}
	// Iterator still in progress, wait for either a data or an error event
	select {
	case log := <-it.logs:
		it.Event = new(AmnEscrowReclaimDelayChanged)
		if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
			it.fail = err
			return false
		}
		it.Event.Raw = log
		return true

	case err := <-it.sub.Err():
		it.done = true
		it.fail = err
		return it.Next()
	}
}

// Error returns any retrieval or parsing error occurred during filtering.
func (it *AmnEscrowReclaimDelayChangedIterator) Error() error {
	return it.fail
}

// Close terminates the iteration process, releasing any pending underlying
// resources.
func (it *AmnEscrowReclaimDelayChangedIterator) Close() error {
	it.sub.Unsubscribe()
	return nil
}

// AmnEscrowReclaimDelayChanged represents a ReclaimDelayChanged event raised by the AmnEscrow contract.
type AmnEscrowReclaimDelayChanged struct {
	ConfigNonce   *big.Int
	PreviousDelay *big.Int
	NewDelay      *big.Int
	Raw           types.Log // Blockchain specific contextual infos
}

// FilterReclaimDelayChanged is a free log retrieval operation binding the contract event 0x056368b493757fe0dac72e29a31b153642602df6ca56b5a606f609e67cd08931.
//
// Solidity: event ReclaimDelayChanged(uint256 indexed configNonce, uint256 previousDelay, uint256 newDelay)
func (_AmnEscrow *AmnEscrowFilterer) FilterReclaimDelayChanged(opts *bind.FilterOpts, configNonce []*big.Int) (*AmnEscrowReclaimDelayChangedIterator, error) {

	var configNonceRule []interface{}
	for _, configNonceItem := range configNonce {
		configNonceRule = append(configNonceRule, configNonceItem)
	}

	logs, sub, err := _AmnEscrow.contract.FilterLogs(opts, "ReclaimDelayChanged", configNonceRule)
	if err != nil {
		return nil, err
	}
	return &AmnEscrowReclaimDelayChangedIterator{contract: _AmnEscrow.contract, event: "ReclaimDelayChanged", logs: logs, sub: sub}, nil
}

// WatchReclaimDelayChanged is a free log subscription operation binding the contract event 0x056368b493757fe0dac72e29a31b153642602df6ca56b5a606f609e67cd08931.
//
// Solidity: event ReclaimDelayChanged(uint256 indexed configNonce, uint256 previousDelay, uint256 newDelay)
func (_AmnEscrow *AmnEscrowFilterer) WatchReclaimDelayChanged(opts *bind.WatchOpts, sink chan<- *AmnEscrowReclaimDelayChanged, configNonce []*big.Int) (event.Subscription, error) {

	var configNonceRule []interface{}
	for _, configNonceItem := range configNonce {
		configNonceRule = append(configNonceRule, configNonceItem)
	}

	logs, sub, err := _AmnEscrow.contract.WatchLogs(opts, "ReclaimDelayChanged", configNonceRule)
	if err != nil {
		return nil, err
	}
	return event.NewSubscription(func(quit <-chan struct{}) error {
		defer sub.Unsubscribe()
		for {
			select {
			case log := <-logs:
				// New log arrived, parse the event and forward to the user
				event := new(AmnEscrowReclaimDelayChanged)
				if err := _AmnEscrow.contract.UnpackLog(event, "ReclaimDelayChanged", log); err != nil {
					// If the signature doesn't match, skip this log.
					if errors.Is(err, bind.ErrEventSignatureMismatch) {
						continue
					}
					return err
				}
				event.Raw = log

				select {
				case sink <- event:
				case err := <-sub.Err():
					return err
				case <-quit:
					return nil
				}
			case err := <-sub.Err():
				return err
			case <-quit:
				return nil
			}
		}
	}), nil
}

// ParseReclaimDelayChanged is a log parse operation binding the contract event 0x056368b493757fe0dac72e29a31b153642602df6ca56b5a606f609e67cd08931.
//
// Solidity: event ReclaimDelayChanged(uint256 indexed configNonce, uint256 previousDelay, uint256 newDelay)
func (_AmnEscrow *AmnEscrowFilterer) ParseReclaimDelayChanged(log types.Log) (*AmnEscrowReclaimDelayChanged, error) {
	event := new(AmnEscrowReclaimDelayChanged)
	if err := _AmnEscrow.contract.UnpackLog(event, "ReclaimDelayChanged", log); err != nil {
		return nil, err
	}
	event.Raw = log
	return event, nil
}

// AmnEscrowReclaimedIterator is returned from FilterReclaimed and is used to iterate over the raw logs and unpacked data for Reclaimed events raised by the AmnEscrow contract.
type AmnEscrowReclaimedIterator struct {
	Event *AmnEscrowReclaimed // Event containing the contract specifics and raw log

	contract *bind.BoundContract // Generic contract to use for unpacking event data
	event    string              // Event name to use for unpacking event data

	logs chan types.Log        // Log channel receiving the found contract events
	sub  ethereum.Subscription // Subscription for errors, completion and termination
	done bool                  // Whether the subscription completed delivering logs
	fail error                 // Occurred error to stop iteration
}

// Next advances the iterator to the subsequent event, returning whether there
// are any more events found. In case of a retrieval or parsing error, false is
// returned and Error() can be queried for the exact failure.
func (it *AmnEscrowReclaimedIterator) Next() bool {
	// If the iterator failed, stop iterating
	if it.fail != nil {
		return false
	}
	// If the iterator completed, deliver directly whatever's available
	if it.done {
		select {
		case log := <-it.logs:
			it.Event = new(AmnEscrowReclaimed)
			if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
				it.fail = err
				return false
			}
			it.Event.Raw = log
			return true

		default:
			return false
		}
	}
	// Iterator still in progress, wait for either a data or an error event
	select {
	case log := <-it.logs:
		it.Event = new(AmnEscrowReclaimed)
		if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
			it.fail = err
			return false
		}
		it.Event.Raw = log
		return true

	case err := <-it.sub.Err():
		it.done = true
		it.fail = err
		return it.Next()
	}
}

// Error returns any retrieval or parsing error occurred during filtering.
func (it *AmnEscrowReclaimedIterator) Error() error {
	return it.fail
}

// Close terminates the iteration process, releasing any pending underlying
// resources.
func (it *AmnEscrowReclaimedIterator) Close() error {
	it.sub.Unsubscribe()
	return nil
}

// AmnEscrowReclaimed represents a Reclaimed event raised by the AmnEscrow contract.
type AmnEscrowReclaimed struct {
	EscrowId [32]byte
	Token    common.Address
	Buyer    common.Address
	Amount   *big.Int
	Raw      types.Log // Blockchain specific contextual infos
}

// FilterReclaimed is a free log retrieval operation binding the contract event 0x7298ef13797cb8dff31bf759e25fddf7bf68961c7b6213d7b7d3120537c87762.
//
// Solidity: event Reclaimed(bytes32 indexed escrowId, address indexed token, address indexed buyer, uint256 amount)
func (_AmnEscrow *AmnEscrowFilterer) FilterReclaimed(opts *bind.FilterOpts, escrowId [][32]byte, token []common.Address, buyer []common.Address) (*AmnEscrowReclaimedIterator, error) {

	var escrowIdRule []interface{}
	for _, escrowIdItem := range escrowId {
		escrowIdRule = append(escrowIdRule, escrowIdItem)
	}
	var tokenRule []interface{}
	for _, tokenItem := range token {
		tokenRule = append(tokenRule, tokenItem)
	}
	var buyerRule []interface{}
	for _, buyerItem := range buyer {
		buyerRule = append(buyerRule, buyerItem)
	}

	logs, sub, err := _AmnEscrow.contract.FilterLogs(opts, "Reclaimed", escrowIdRule, tokenRule, buyerRule)
	if err != nil {
		return nil, err
	}
	return &AmnEscrowReclaimedIterator{contract: _AmnEscrow.contract, event: "Reclaimed", logs: logs, sub: sub}, nil
}

// WatchReclaimed is a free log subscription operation binding the contract event 0x7298ef13797cb8dff31bf759e25fddf7bf68961c7b6213d7b7d3120537c87762.
//
// Solidity: event Reclaimed(bytes32 indexed escrowId, address indexed token, address indexed buyer, uint256 amount)
func (_AmnEscrow *AmnEscrowFilterer) WatchReclaimed(opts *bind.WatchOpts, sink chan<- *AmnEscrowReclaimed, escrowId [][32]byte, token []common.Address, buyer []common.Address) (event.Subscription, error) {

	var escrowIdRule []interface{}
	for _, escrowIdItem := range escrowId {
		escrowIdRule = append(escrowIdRule, escrowIdItem)
	}
	var tokenRule []interface{}
	for _, tokenItem := range token {
		tokenRule = append(tokenRule, tokenItem)
	}
	var buyerRule []interface{}
	for _, buyerItem := range buyer {
		buyerRule = append(buyerRule, buyerItem)
	}

	logs, sub, err := _AmnEscrow.contract.WatchLogs(opts, "Reclaimed", escrowIdRule, tokenRule, buyerRule)
	if err != nil {
		return nil, err
	}
	return event.NewSubscription(func(quit <-chan struct{}) error {
		defer sub.Unsubscribe()
		for {
			select {
			case log := <-logs:
				// New log arrived, parse the event and forward to the user
				event := new(AmnEscrowReclaimed)
				if err := _AmnEscrow.contract.UnpackLog(event, "Reclaimed", log); err != nil {
					// If the signature doesn't match, skip this log.
					if errors.Is(err, bind.ErrEventSignatureMismatch) {
						continue
					}
					return err
				}
				event.Raw = log

				select {
				case sink <- event:
				case err := <-sub.Err():
					return err
				case <-quit:
					return nil
				}
			case err := <-sub.Err():
				return err
			case <-quit:
				return nil
			}
		}
	}), nil
}

// ParseReclaimed is a log parse operation binding the contract event 0x7298ef13797cb8dff31bf759e25fddf7bf68961c7b6213d7b7d3120537c87762.
//
// Solidity: event Reclaimed(bytes32 indexed escrowId, address indexed token, address indexed buyer, uint256 amount)
func (_AmnEscrow *AmnEscrowFilterer) ParseReclaimed(log types.Log) (*AmnEscrowReclaimed, error) {
	event := new(AmnEscrowReclaimed)
	if err := _AmnEscrow.contract.UnpackLog(event, "Reclaimed", log); err != nil {
		return nil, err
	}
	event.Raw = log
	return event, nil
}

// AmnEscrowRefundedIterator is returned from FilterRefunded and is used to iterate over the raw logs and unpacked data for Refunded events raised by the AmnEscrow contract.
type AmnEscrowRefundedIterator struct {
	Event *AmnEscrowRefunded // Event containing the contract specifics and raw log

	contract *bind.BoundContract // Generic contract to use for unpacking event data
	event    string              // Event name to use for unpacking event data

	logs chan types.Log        // Log channel receiving the found contract events
	sub  ethereum.Subscription // Subscription for errors, completion and termination
	done bool                  // Whether the subscription completed delivering logs
	fail error                 // Occurred error to stop iteration
}

// Next advances the iterator to the subsequent event, returning whether there
// are any more events found. In case of a retrieval or parsing error, false is
// returned and Error() can be queried for the exact failure.
func (it *AmnEscrowRefundedIterator) Next() bool {
	// If the iterator failed, stop iterating
	if it.fail != nil {
		return false
	}
	// If the iterator completed, deliver directly whatever's available
	if it.done {
		select {
		case log := <-it.logs:
			it.Event = new(AmnEscrowRefunded)
			if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
				it.fail = err
				return false
			}
			it.Event.Raw = log
			return true

		default:
			return false
		}
	}
	// Iterator still in progress, wait for either a data or an error event
	select {
	case log := <-it.logs:
		it.Event = new(AmnEscrowRefunded)
		if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
			it.fail = err
			return false
		}
		it.Event.Raw = log
		return true

	case err := <-it.sub.Err():
		it.done = true
		it.fail = err
		return it.Next()
	}
}

// Error returns any retrieval or parsing error occurred during filtering.
func (it *AmnEscrowRefundedIterator) Error() error {
	return it.fail
}

// Close terminates the iteration process, releasing any pending underlying
// resources.
func (it *AmnEscrowRefundedIterator) Close() error {
	it.sub.Unsubscribe()
	return nil
}

// AmnEscrowRefunded represents a Refunded event raised by the AmnEscrow contract.
type AmnEscrowRefunded struct {
	EscrowId        [32]byte
	Token           common.Address
	Buyer           common.Address
	Amount          *big.Int
	ResolvedDispute bool
	Raw             types.Log // Blockchain specific contextual infos
}

// FilterRefunded is a free log retrieval operation binding the contract event 0xe655563e9700ef2727fb6770c5f03ef1de9152e4b0eb5dd4ef49297a1fe79a4a.
//
// Solidity: event Refunded(bytes32 indexed escrowId, address indexed token, address indexed buyer, uint256 amount, bool resolvedDispute)
func (_AmnEscrow *AmnEscrowFilterer) FilterRefunded(opts *bind.FilterOpts, escrowId [][32]byte, token []common.Address, buyer []common.Address) (*AmnEscrowRefundedIterator, error) {

	var escrowIdRule []interface{}
	for _, escrowIdItem := range escrowId {
		escrowIdRule = append(escrowIdRule, escrowIdItem)
	}
	var tokenRule []interface{}
	for _, tokenItem := range token {
		tokenRule = append(tokenRule, tokenItem)
	}
	var buyerRule []interface{}
	for _, buyerItem := range buyer {
		buyerRule = append(buyerRule, buyerItem)
	}

	logs, sub, err := _AmnEscrow.contract.FilterLogs(opts, "Refunded", escrowIdRule, tokenRule, buyerRule)
	if err != nil {
		return nil, err
	}
	return &AmnEscrowRefundedIterator{contract: _AmnEscrow.contract, event: "Refunded", logs: logs, sub: sub}, nil
}

// WatchRefunded is a free log subscription operation binding the contract event 0xe655563e9700ef2727fb6770c5f03ef1de9152e4b0eb5dd4ef49297a1fe79a4a.
//
// Solidity: event Refunded(bytes32 indexed escrowId, address indexed token, address indexed buyer, uint256 amount, bool resolvedDispute)
func (_AmnEscrow *AmnEscrowFilterer) WatchRefunded(opts *bind.WatchOpts, sink chan<- *AmnEscrowRefunded, escrowId [][32]byte, token []common.Address, buyer []common.Address) (event.Subscription, error) {

	var escrowIdRule []interface{}
	for _, escrowIdItem := range escrowId {
		escrowIdRule = append(escrowIdRule, escrowIdItem)
	}
	var tokenRule []interface{}
	for _, tokenItem := range token {
		tokenRule = append(tokenRule, tokenItem)
	}
	var buyerRule []interface{}
	for _, buyerItem := range buyer {
		buyerRule = append(buyerRule, buyerItem)
	}

	logs, sub, err := _AmnEscrow.contract.WatchLogs(opts, "Refunded", escrowIdRule, tokenRule, buyerRule)
	if err != nil {
		return nil, err
	}
	return event.NewSubscription(func(quit <-chan struct{}) error {
		defer sub.Unsubscribe()
		for {
			select {
			case log := <-logs:
				// New log arrived, parse the event and forward to the user
				event := new(AmnEscrowRefunded)
				if err := _AmnEscrow.contract.UnpackLog(event, "Refunded", log); err != nil {
					// If the signature doesn't match, skip this log.
					if errors.Is(err, bind.ErrEventSignatureMismatch) {
						continue
					}
					return err
				}
				event.Raw = log

				select {
				case sink <- event:
				case err := <-sub.Err():
					return err
				case <-quit:
					return nil
				}
			case err := <-sub.Err():
				return err
			case <-quit:
				return nil
			}
		}
	}), nil
}

// ParseRefunded is a log parse operation binding the contract event 0xe655563e9700ef2727fb6770c5f03ef1de9152e4b0eb5dd4ef49297a1fe79a4a.
//
// Solidity: event Refunded(bytes32 indexed escrowId, address indexed token, address indexed buyer, uint256 amount, bool resolvedDispute)
func (_AmnEscrow *AmnEscrowFilterer) ParseRefunded(log types.Log) (*AmnEscrowRefunded, error) {
	event := new(AmnEscrowRefunded)
	if err := _AmnEscrow.contract.UnpackLog(event, "Refunded", log); err != nil {
		return nil, err
	}
	event.Raw = log
	return event, nil
}

// AmnEscrowReleasedIterator is returned from FilterReleased and is used to iterate over the raw logs and unpacked data for Released events raised by the AmnEscrow contract.
type AmnEscrowReleasedIterator struct {
	Event *AmnEscrowReleased // Event containing the contract specifics and raw log

	contract *bind.BoundContract // Generic contract to use for unpacking event data
	event    string              // Event name to use for unpacking event data

	logs chan types.Log        // Log channel receiving the found contract events
	sub  ethereum.Subscription // Subscription for errors, completion and termination
	done bool                  // Whether the subscription completed delivering logs
	fail error                 // Occurred error to stop iteration
}

// Next advances the iterator to the subsequent event, returning whether there
// are any more events found. In case of a retrieval or parsing error, false is
// returned and Error() can be queried for the exact failure.
func (it *AmnEscrowReleasedIterator) Next() bool {
	// If the iterator failed, stop iterating
	if it.fail != nil {
		return false
	}
	// If the iterator completed, deliver directly whatever's available
	if it.done {
		select {
		case log := <-it.logs:
			it.Event = new(AmnEscrowReleased)
			if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
				it.fail = err
				return false
			}
			it.Event.Raw = log
			return true

		default:
			return false
		}
	}
	// Iterator still in progress, wait for either a data or an error event
	select {
	case log := <-it.logs:
		it.Event = new(AmnEscrowReleased)
		if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
			it.fail = err
			return false
		}
		it.Event.Raw = log
		return true

	case err := <-it.sub.Err():
		it.done = true
		it.fail = err
		return it.Next()
	}
}

// Error returns any retrieval or parsing error occurred during filtering.
func (it *AmnEscrowReleasedIterator) Error() error {
	return it.fail
}

// Close terminates the iteration process, releasing any pending underlying
// resources.
func (it *AmnEscrowReleasedIterator) Close() error {
	it.sub.Unsubscribe()
	return nil
}

// AmnEscrowReleased represents a Released event raised by the AmnEscrow contract.
type AmnEscrowReleased struct {
	EscrowId        [32]byte
	Token           common.Address
	Seller          common.Address
	SellerAmount    *big.Int
	FeeRecipient    common.Address
	FeeAmount       *big.Int
	ResolvedDispute bool
	Raw             types.Log // Blockchain specific contextual infos
}

// FilterReleased is a free log retrieval operation binding the contract event 0x9de1fa58f06bb261e698033420759ae54f6f6b00c4b60c4738b29ce6a729c126.
//
// Solidity: event Released(bytes32 indexed escrowId, address indexed token, address indexed seller, uint256 sellerAmount, address feeRecipient, uint256 feeAmount, bool resolvedDispute)
func (_AmnEscrow *AmnEscrowFilterer) FilterReleased(opts *bind.FilterOpts, escrowId [][32]byte, token []common.Address, seller []common.Address) (*AmnEscrowReleasedIterator, error) {

	var escrowIdRule []interface{}
	for _, escrowIdItem := range escrowId {
		escrowIdRule = append(escrowIdRule, escrowIdItem)
	}
	var tokenRule []interface{}
	for _, tokenItem := range token {
		tokenRule = append(tokenRule, tokenItem)
	}
	var sellerRule []interface{}
	for _, sellerItem := range seller {
		sellerRule = append(sellerRule, sellerItem)
	}

	logs, sub, err := _AmnEscrow.contract.FilterLogs(opts, "Released", escrowIdRule, tokenRule, sellerRule)
	if err != nil {
		return nil, err
	}
	return &AmnEscrowReleasedIterator{contract: _AmnEscrow.contract, event: "Released", logs: logs, sub: sub}, nil
}

// WatchReleased is a free log subscription operation binding the contract event 0x9de1fa58f06bb261e698033420759ae54f6f6b00c4b60c4738b29ce6a729c126.
//
// Solidity: event Released(bytes32 indexed escrowId, address indexed token, address indexed seller, uint256 sellerAmount, address feeRecipient, uint256 feeAmount, bool resolvedDispute)
func (_AmnEscrow *AmnEscrowFilterer) WatchReleased(opts *bind.WatchOpts, sink chan<- *AmnEscrowReleased, escrowId [][32]byte, token []common.Address, seller []common.Address) (event.Subscription, error) {

	var escrowIdRule []interface{}
	for _, escrowIdItem := range escrowId {
		escrowIdRule = append(escrowIdRule, escrowIdItem)
	}
	var tokenRule []interface{}
	for _, tokenItem := range token {
		tokenRule = append(tokenRule, tokenItem)
	}
	var sellerRule []interface{}
	for _, sellerItem := range seller {
		sellerRule = append(sellerRule, sellerItem)
	}

	logs, sub, err := _AmnEscrow.contract.WatchLogs(opts, "Released", escrowIdRule, tokenRule, sellerRule)
	if err != nil {
		return nil, err
	}
	return event.NewSubscription(func(quit <-chan struct{}) error {
		defer sub.Unsubscribe()
		for {
			select {
			case log := <-logs:
				// New log arrived, parse the event and forward to the user
				event := new(AmnEscrowReleased)
				if err := _AmnEscrow.contract.UnpackLog(event, "Released", log); err != nil {
					// If the signature doesn't match, skip this log.
					if errors.Is(err, bind.ErrEventSignatureMismatch) {
						continue
					}
					return err
				}
				event.Raw = log

				select {
				case sink <- event:
				case err := <-sub.Err():
					return err
				case <-quit:
					return nil
				}
			case err := <-sub.Err():
				return err
			case <-quit:
				return nil
			}
		}
	}), nil
}

// ParseReleased is a log parse operation binding the contract event 0x9de1fa58f06bb261e698033420759ae54f6f6b00c4b60c4738b29ce6a729c126.
//
// Solidity: event Released(bytes32 indexed escrowId, address indexed token, address indexed seller, uint256 sellerAmount, address feeRecipient, uint256 feeAmount, bool resolvedDispute)
func (_AmnEscrow *AmnEscrowFilterer) ParseReleased(log types.Log) (*AmnEscrowReleased, error) {
	event := new(AmnEscrowReleased)
	if err := _AmnEscrow.contract.UnpackLog(event, "Released", log); err != nil {
		return nil, err
	}
	event.Raw = log
	return event, nil
}

// AmnEscrowSettledIterator is returned from FilterSettled and is used to iterate over the raw logs and unpacked data for Settled events raised by the AmnEscrow contract.
type AmnEscrowSettledIterator struct {
	Event *AmnEscrowSettled // Event containing the contract specifics and raw log

	contract *bind.BoundContract // Generic contract to use for unpacking event data
	event    string              // Event name to use for unpacking event data

	logs chan types.Log        // Log channel receiving the found contract events
	sub  ethereum.Subscription // Subscription for errors, completion and termination
	done bool                  // Whether the subscription completed delivering logs
	fail error                 // Occurred error to stop iteration
}

// Next advances the iterator to the subsequent event, returning whether there
// are any more events found. In case of a retrieval or parsing error, false is
// returned and Error() can be queried for the exact failure.
func (it *AmnEscrowSettledIterator) Next() bool {
	// If the iterator failed, stop iterating
	if it.fail != nil {
		return false
	}
	// If the iterator completed, deliver directly whatever's available
	if it.done {
		select {
		case log := <-it.logs:
			it.Event = new(AmnEscrowSettled)
			if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
				it.fail = err
				return false
			}
			it.Event.Raw = log
			return true

		default:
			return false
		}
	}
	// Iterator still in progress, wait for either a data or an error event
	select {
	case log := <-it.logs:
		it.Event = new(AmnEscrowSettled)
		if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
			it.fail = err
			return false
		}
		it.Event.Raw = log
		return true

	case err := <-it.sub.Err():
		it.done = true
		it.fail = err
		return it.Next()
	}
}

// Error returns any retrieval or parsing error occurred during filtering.
func (it *AmnEscrowSettledIterator) Error() error {
	return it.fail
}

// Close terminates the iteration process, releasing any pending underlying
// resources.
func (it *AmnEscrowSettledIterator) Close() error {
	it.sub.Unsubscribe()
	return nil
}

// AmnEscrowSettled represents a Settled event raised by the AmnEscrow contract.
type AmnEscrowSettled struct {
	EscrowId        [32]byte
	Token           common.Address
	Buyer           common.Address
	BuyerAmount     *big.Int
	Seller          common.Address
	SellerAmount    *big.Int
	FeeRecipient    common.Address
	FeeAmount       *big.Int
	ResolvedDispute bool
	Raw             types.Log // Blockchain specific contextual infos
}

// FilterSettled is a free log retrieval operation binding the contract event 0x93d429392f0caf9786921744ce4c686c2d8019a4f270d0e0d63de866bf1076c4.
//
// Solidity: event Settled(bytes32 indexed escrowId, address indexed token, address indexed buyer, uint256 buyerAmount, address seller, uint256 sellerAmount, address feeRecipient, uint256 feeAmount, bool resolvedDispute)
func (_AmnEscrow *AmnEscrowFilterer) FilterSettled(opts *bind.FilterOpts, escrowId [][32]byte, token []common.Address, buyer []common.Address) (*AmnEscrowSettledIterator, error) {

	var escrowIdRule []interface{}
	for _, escrowIdItem := range escrowId {
		escrowIdRule = append(escrowIdRule, escrowIdItem)
	}
	var tokenRule []interface{}
	for _, tokenItem := range token {
		tokenRule = append(tokenRule, tokenItem)
	}
	var buyerRule []interface{}
	for _, buyerItem := range buyer {
		buyerRule = append(buyerRule, buyerItem)
	}

	logs, sub, err := _AmnEscrow.contract.FilterLogs(opts, "Settled", escrowIdRule, tokenRule, buyerRule)
	if err != nil {
		return nil, err
	}
	return &AmnEscrowSettledIterator{contract: _AmnEscrow.contract, event: "Settled", logs: logs, sub: sub}, nil
}

// WatchSettled is a free log subscription operation binding the contract event 0x93d429392f0caf9786921744ce4c686c2d8019a4f270d0e0d63de866bf1076c4.
//
// Solidity: event Settled(bytes32 indexed escrowId, address indexed token, address indexed buyer, uint256 buyerAmount, address seller, uint256 sellerAmount, address feeRecipient, uint256 feeAmount, bool resolvedDispute)
func (_AmnEscrow *AmnEscrowFilterer) WatchSettled(opts *bind.WatchOpts, sink chan<- *AmnEscrowSettled, escrowId [][32]byte, token []common.Address, buyer []common.Address) (event.Subscription, error) {

	var escrowIdRule []interface{}
	for _, escrowIdItem := range escrowId {
		escrowIdRule = append(escrowIdRule, escrowIdItem)
	}
	var tokenRule []interface{}
	for _, tokenItem := range token {
		tokenRule = append(tokenRule, tokenItem)
	}
	var buyerRule []interface{}
	for _, buyerItem := range buyer {
		buyerRule = append(buyerRule, buyerItem)
	}

	logs, sub, err := _AmnEscrow.contract.WatchLogs(opts, "Settled", escrowIdRule, tokenRule, buyerRule)
	if err != nil {
		return nil, err
	}
	return event.NewSubscription(func(quit <-chan struct{}) error {
		defer sub.Unsubscribe()
		for {
			select {
			case log := <-logs:
				// New log arrived, parse the event and forward to the user
				event := new(AmnEscrowSettled)
				if err := _AmnEscrow.contract.UnpackLog(event, "Settled", log); err != nil {
					// If the signature doesn't match, skip this log.
					if errors.Is(err, bind.ErrEventSignatureMismatch) {
						continue
					}
					return err
				}
				event.Raw = log

				select {
				case sink <- event:
				case err := <-sub.Err():
					return err
				case <-quit:
					return nil
				}
			case err := <-sub.Err():
				return err
			case <-quit:
				return nil
			}
		}
	}), nil
}

// ParseSettled is a log parse operation binding the contract event 0x93d429392f0caf9786921744ce4c686c2d8019a4f270d0e0d63de866bf1076c4.
//
// Solidity: event Settled(bytes32 indexed escrowId, address indexed token, address indexed buyer, uint256 buyerAmount, address seller, uint256 sellerAmount, address feeRecipient, uint256 feeAmount, bool resolvedDispute)
func (_AmnEscrow *AmnEscrowFilterer) ParseSettled(log types.Log) (*AmnEscrowSettled, error) {
	event := new(AmnEscrowSettled)
	if err := _AmnEscrow.contract.UnpackLog(event, "Settled", log); err != nil {
		return nil, err
	}
	event.Raw = log
	return event, nil
}

// AmnEscrowUnfrozenIterator is returned from FilterUnfrozen and is used to iterate over the raw logs and unpacked data for Unfrozen events raised by the AmnEscrow contract.
type AmnEscrowUnfrozenIterator struct {
	Event *AmnEscrowUnfrozen // Event containing the contract specifics and raw log

	contract *bind.BoundContract // Generic contract to use for unpacking event data
	event    string              // Event name to use for unpacking event data

	logs chan types.Log        // Log channel receiving the found contract events
	sub  ethereum.Subscription // Subscription for errors, completion and termination
	done bool                  // Whether the subscription completed delivering logs
	fail error                 // Occurred error to stop iteration
}

// Next advances the iterator to the subsequent event, returning whether there
// are any more events found. In case of a retrieval or parsing error, false is
// returned and Error() can be queried for the exact failure.
func (it *AmnEscrowUnfrozenIterator) Next() bool {
	// If the iterator failed, stop iterating
	if it.fail != nil {
		return false
	}
	// If the iterator completed, deliver directly whatever's available
	if it.done {
		select {
		case log := <-it.logs:
			it.Event = new(AmnEscrowUnfrozen)
			if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
				it.fail = err
				return false
			}
			it.Event.Raw = log
			return true

		default:
			return false
		}
	}
	// Iterator still in progress, wait for either a data or an error event
	select {
	case log := <-it.logs:
		it.Event = new(AmnEscrowUnfrozen)
		if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
			it.fail = err
			return false
		}
		it.Event.Raw = log
		return true

	case err := <-it.sub.Err():
		it.done = true
		it.fail = err
		return it.Next()
	}
}

// Error returns any retrieval or parsing error occurred during filtering.
func (it *AmnEscrowUnfrozenIterator) Error() error {
	return it.fail
}

// Close terminates the iteration process, releasing any pending underlying
// resources.
func (it *AmnEscrowUnfrozenIterator) Close() error {
	it.sub.Unsubscribe()
	return nil
}

// AmnEscrowUnfrozen represents a Unfrozen event raised by the AmnEscrow contract.
type AmnEscrowUnfrozen struct {
	EscrowId [32]byte
	Arbiter  common.Address
	Raw      types.Log // Blockchain specific contextual infos
}

// FilterUnfrozen is a free log retrieval operation binding the contract event 0x7ea93608892837f78e2c72b19474e3fe3cf8937b6516c0e538ba5d2aa90e0942.
//
// Solidity: event Unfrozen(bytes32 indexed escrowId, address indexed arbiter)
func (_AmnEscrow *AmnEscrowFilterer) FilterUnfrozen(opts *bind.FilterOpts, escrowId [][32]byte, arbiter []common.Address) (*AmnEscrowUnfrozenIterator, error) {

	var escrowIdRule []interface{}
	for _, escrowIdItem := range escrowId {
		escrowIdRule = append(escrowIdRule, escrowIdItem)
	}
	var arbiterRule []interface{}
	for _, arbiterItem := range arbiter {
		arbiterRule = append(arbiterRule, arbiterItem)
	}

	logs, sub, err := _AmnEscrow.contract.FilterLogs(opts, "Unfrozen", escrowIdRule, arbiterRule)
	if err != nil {
		return nil, err
	}
	return &AmnEscrowUnfrozenIterator{contract: _AmnEscrow.contract, event: "Unfrozen", logs: logs, sub: sub}, nil
}

// WatchUnfrozen is a free log subscription operation binding the contract event 0x7ea93608892837f78e2c72b19474e3fe3cf8937b6516c0e538ba5d2aa90e0942.
//
// Solidity: event Unfrozen(bytes32 indexed escrowId, address indexed arbiter)
func (_AmnEscrow *AmnEscrowFilterer) WatchUnfrozen(opts *bind.WatchOpts, sink chan<- *AmnEscrowUnfrozen, escrowId [][32]byte, arbiter []common.Address) (event.Subscription, error) {

	var escrowIdRule []interface{}
	for _, escrowIdItem := range escrowId {
		escrowIdRule = append(escrowIdRule, escrowIdItem)
	}
	var arbiterRule []interface{}
	for _, arbiterItem := range arbiter {
		arbiterRule = append(arbiterRule, arbiterItem)
	}

	logs, sub, err := _AmnEscrow.contract.WatchLogs(opts, "Unfrozen", escrowIdRule, arbiterRule)
	if err != nil {
		return nil, err
	}
	return event.NewSubscription(func(quit <-chan struct{}) error {
		defer sub.Unsubscribe()
		for {
			select {
			case log := <-logs:
				// New log arrived, parse the event and forward to the user
				event := new(AmnEscrowUnfrozen)
				if err := _AmnEscrow.contract.UnpackLog(event, "Unfrozen", log); err != nil {
					// If the signature doesn't match, skip this log.
					if errors.Is(err, bind.ErrEventSignatureMismatch) {
						continue
					}
					return err
				}
				event.Raw = log

				select {
				case sink <- event:
				case err := <-sub.Err():
					return err
				case <-quit:
					return nil
				}
			case err := <-sub.Err():
				return err
			case <-quit:
				return nil
			}
		}
	}), nil
}

// ParseUnfrozen is a log parse operation binding the contract event 0x7ea93608892837f78e2c72b19474e3fe3cf8937b6516c0e538ba5d2aa90e0942.
//
// Solidity: event Unfrozen(bytes32 indexed escrowId, address indexed arbiter)
func (_AmnEscrow *AmnEscrowFilterer) ParseUnfrozen(log types.Log) (*AmnEscrowUnfrozen, error) {
	event := new(AmnEscrowUnfrozen)
	if err := _AmnEscrow.contract.UnpackLog(event, "Unfrozen", log); err != nil {
		return nil, err
	}
	event.Raw = log
	return event, nil
}

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
	ABI: "[{\"type\":\"constructor\",\"inputs\":[{\"name\":\"custodians_\",\"type\":\"address[]\",\"internalType\":\"address[]\"},{\"name\":\"threshold_\",\"type\":\"uint256\",\"internalType\":\"uint256\"},{\"name\":\"arbiter_\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"reclaimDelay_\",\"type\":\"uint256\",\"internalType\":\"uint256\"}],\"stateMutability\":\"nonpayable\"},{\"type\":\"function\",\"name\":\"MAX_CUSTODIANS\",\"inputs\":[],\"outputs\":[{\"name\":\"\",\"type\":\"uint256\",\"internalType\":\"uint256\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"MAX_RECLAIM_DELAY\",\"inputs\":[],\"outputs\":[{\"name\":\"\",\"type\":\"uint256\",\"internalType\":\"uint256\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"MIN_RECLAIM_DELAY\",\"inputs\":[],\"outputs\":[{\"name\":\"\",\"type\":\"uint256\",\"internalType\":\"uint256\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"REFUND_TYPEHASH\",\"inputs\":[],\"outputs\":[{\"name\":\"\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"RELEASE_TYPEHASH\",\"inputs\":[],\"outputs\":[{\"name\":\"\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"SETTLE_TYPEHASH\",\"inputs\":[],\"outputs\":[{\"name\":\"\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"SET_ARBITER_TYPEHASH\",\"inputs\":[],\"outputs\":[{\"name\":\"\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"SET_CUSTODIANS_TYPEHASH\",\"inputs\":[],\"outputs\":[{\"name\":\"\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"SET_RECLAIM_DELAY_TYPEHASH\",\"inputs\":[],\"outputs\":[{\"name\":\"\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"arbiter\",\"inputs\":[],\"outputs\":[{\"name\":\"\",\"type\":\"address\",\"internalType\":\"address\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"configNonce\",\"inputs\":[],\"outputs\":[{\"name\":\"\",\"type\":\"uint256\",\"internalType\":\"uint256\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"custodians\",\"inputs\":[],\"outputs\":[{\"name\":\"\",\"type\":\"address[]\",\"internalType\":\"address[]\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"domainSeparator\",\"inputs\":[],\"outputs\":[{\"name\":\"\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"eip712Domain\",\"inputs\":[],\"outputs\":[{\"name\":\"fields\",\"type\":\"bytes1\",\"internalType\":\"bytes1\"},{\"name\":\"name\",\"type\":\"string\",\"internalType\":\"string\"},{\"name\":\"version\",\"type\":\"string\",\"internalType\":\"string\"},{\"name\":\"chainId\",\"type\":\"uint256\",\"internalType\":\"uint256\"},{\"name\":\"verifyingContract\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"salt\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"},{\"name\":\"extensions\",\"type\":\"uint256[]\",\"internalType\":\"uint256[]\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"escrowId\",\"inputs\":[{\"name\":\"funder\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"ref\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"}],\"outputs\":[{\"name\":\"\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"}],\"stateMutability\":\"pure\"},{\"type\":\"function\",\"name\":\"escrows\",\"inputs\":[{\"name\":\"escrowId\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"}],\"outputs\":[{\"name\":\"token\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"fundedAt\",\"type\":\"uint64\",\"internalType\":\"uint64\"},{\"name\":\"status\",\"type\":\"uint8\",\"internalType\":\"enumAmnEscrow.Status\"},{\"name\":\"frozen\",\"type\":\"bool\",\"internalType\":\"bool\"},{\"name\":\"buyer\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"seller\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"amount\",\"type\":\"uint256\",\"internalType\":\"uint256\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"freeze\",\"inputs\":[{\"name\":\"id\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"}],\"outputs\":[],\"stateMutability\":\"nonpayable\"},{\"type\":\"function\",\"name\":\"fund\",\"inputs\":[{\"name\":\"ref\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"},{\"name\":\"token\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"amount\",\"type\":\"uint256\",\"internalType\":\"uint256\"},{\"name\":\"buyer\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"seller\",\"type\":\"address\",\"internalType\":\"address\"}],\"outputs\":[{\"name\":\"id\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"},{\"name\":\"received\",\"type\":\"uint256\",\"internalType\":\"uint256\"}],\"stateMutability\":\"nonpayable\"},{\"type\":\"function\",\"name\":\"fundNative\",\"inputs\":[{\"name\":\"ref\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"},{\"name\":\"buyer\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"seller\",\"type\":\"address\",\"internalType\":\"address\"}],\"outputs\":[{\"name\":\"id\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"}],\"stateMutability\":\"payable\"},{\"type\":\"function\",\"name\":\"isCustodian\",\"inputs\":[{\"name\":\"account\",\"type\":\"address\",\"internalType\":\"address\"}],\"outputs\":[{\"name\":\"\",\"type\":\"bool\",\"internalType\":\"bool\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"reclaim\",\"inputs\":[{\"name\":\"id\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"}],\"outputs\":[],\"stateMutability\":\"nonpayable\"},{\"type\":\"function\",\"name\":\"reclaimDelay\",\"inputs\":[],\"outputs\":[{\"name\":\"\",\"type\":\"uint256\",\"internalType\":\"uint256\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"reclaimableAt\",\"inputs\":[{\"name\":\"id\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"}],\"outputs\":[{\"name\":\"\",\"type\":\"uint256\",\"internalType\":\"uint256\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"refund\",\"inputs\":[{\"name\":\"id\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"},{\"name\":\"r\",\"type\":\"tuple\",\"internalType\":\"structAmnEscrow.Refund\",\"components\":[{\"name\":\"paymentId\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"},{\"name\":\"token\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"buyer\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"amount\",\"type\":\"uint256\",\"internalType\":\"uint256\"},{\"name\":\"resolvesDispute\",\"type\":\"bool\",\"internalType\":\"bool\"},{\"name\":\"deadline\",\"type\":\"uint256\",\"internalType\":\"uint256\"}]},{\"name\":\"signatures\",\"type\":\"bytes[]\",\"internalType\":\"bytes[]\"}],\"outputs\":[],\"stateMutability\":\"nonpayable\"},{\"type\":\"function\",\"name\":\"refundDigest\",\"inputs\":[{\"name\":\"r\",\"type\":\"tuple\",\"internalType\":\"structAmnEscrow.Refund\",\"components\":[{\"name\":\"paymentId\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"},{\"name\":\"token\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"buyer\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"amount\",\"type\":\"uint256\",\"internalType\":\"uint256\"},{\"name\":\"resolvesDispute\",\"type\":\"bool\",\"internalType\":\"bool\"},{\"name\":\"deadline\",\"type\":\"uint256\",\"internalType\":\"uint256\"}]}],\"outputs\":[{\"name\":\"\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"release\",\"inputs\":[{\"name\":\"id\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"},{\"name\":\"r\",\"type\":\"tuple\",\"internalType\":\"structAmnEscrow.Release\",\"components\":[{\"name\":\"paymentId\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"},{\"name\":\"token\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"seller\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"sellerAmount\",\"type\":\"uint256\",\"internalType\":\"uint256\"},{\"name\":\"feeRecipient\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"feeAmount\",\"type\":\"uint256\",\"internalType\":\"uint256\"},{\"name\":\"resolvesDispute\",\"type\":\"bool\",\"internalType\":\"bool\"},{\"name\":\"deadline\",\"type\":\"uint256\",\"internalType\":\"uint256\"}]},{\"name\":\"signatures\",\"type\":\"bytes[]\",\"internalType\":\"bytes[]\"}],\"outputs\":[],\"stateMutability\":\"nonpayable\"},{\"type\":\"function\",\"name\":\"releaseDigest\",\"inputs\":[{\"name\":\"r\",\"type\":\"tuple\",\"internalType\":\"structAmnEscrow.Release\",\"components\":[{\"name\":\"paymentId\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"},{\"name\":\"token\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"seller\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"sellerAmount\",\"type\":\"uint256\",\"internalType\":\"uint256\"},{\"name\":\"feeRecipient\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"feeAmount\",\"type\":\"uint256\",\"internalType\":\"uint256\"},{\"name\":\"resolvesDispute\",\"type\":\"bool\",\"internalType\":\"bool\"},{\"name\":\"deadline\",\"type\":\"uint256\",\"internalType\":\"uint256\"}]}],\"outputs\":[{\"name\":\"\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"setArbiter\",\"inputs\":[{\"name\":\"newArbiter\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"nonce\",\"type\":\"uint256\",\"internalType\":\"uint256\"},{\"name\":\"deadline\",\"type\":\"uint256\",\"internalType\":\"uint256\"},{\"name\":\"signatures\",\"type\":\"bytes[]\",\"internalType\":\"bytes[]\"}],\"outputs\":[],\"stateMutability\":\"nonpayable\"},{\"type\":\"function\",\"name\":\"setArbiterDigest\",\"inputs\":[{\"name\":\"newArbiter\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"nonce\",\"type\":\"uint256\",\"internalType\":\"uint256\"},{\"name\":\"deadline\",\"type\":\"uint256\",\"internalType\":\"uint256\"}],\"outputs\":[{\"name\":\"\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"setCustodians\",\"inputs\":[{\"name\":\"newCustodians\",\"type\":\"address[]\",\"internalType\":\"address[]\"},{\"name\":\"newThreshold\",\"type\":\"uint256\",\"internalType\":\"uint256\"},{\"name\":\"nonce\",\"type\":\"uint256\",\"internalType\":\"uint256\"},{\"name\":\"deadline\",\"type\":\"uint256\",\"internalType\":\"uint256\"},{\"name\":\"signatures\",\"type\":\"bytes[]\",\"internalType\":\"bytes[]\"}],\"outputs\":[],\"stateMutability\":\"nonpayable\"},{\"type\":\"function\",\"name\":\"setCustodiansDigest\",\"inputs\":[{\"name\":\"newCustodians\",\"type\":\"address[]\",\"internalType\":\"address[]\"},{\"name\":\"newThreshold\",\"type\":\"uint256\",\"internalType\":\"uint256\"},{\"name\":\"nonce\",\"type\":\"uint256\",\"internalType\":\"uint256\"},{\"name\":\"deadline\",\"type\":\"uint256\",\"internalType\":\"uint256\"}],\"outputs\":[{\"name\":\"\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"setReclaimDelay\",\"inputs\":[{\"name\":\"newDelay\",\"type\":\"uint256\",\"internalType\":\"uint256\"},{\"name\":\"nonce\",\"type\":\"uint256\",\"internalType\":\"uint256\"},{\"name\":\"deadline\",\"type\":\"uint256\",\"internalType\":\"uint256\"},{\"name\":\"signatures\",\"type\":\"bytes[]\",\"internalType\":\"bytes[]\"}],\"outputs\":[],\"stateMutability\":\"nonpayable\"},{\"type\":\"function\",\"name\":\"setReclaimDelayDigest\",\"inputs\":[{\"name\":\"newDelay\",\"type\":\"uint256\",\"internalType\":\"uint256\"},{\"name\":\"nonce\",\"type\":\"uint256\",\"internalType\":\"uint256\"},{\"name\":\"deadline\",\"type\":\"uint256\",\"internalType\":\"uint256\"}],\"outputs\":[{\"name\":\"\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"settle\",\"inputs\":[{\"name\":\"id\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"},{\"name\":\"s\",\"type\":\"tuple\",\"internalType\":\"structAmnEscrow.Settle\",\"components\":[{\"name\":\"paymentId\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"},{\"name\":\"token\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"buyer\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"buyerAmount\",\"type\":\"uint256\",\"internalType\":\"uint256\"},{\"name\":\"seller\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"sellerAmount\",\"type\":\"uint256\",\"internalType\":\"uint256\"},{\"name\":\"feeRecipient\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"feeAmount\",\"type\":\"uint256\",\"internalType\":\"uint256\"},{\"name\":\"resolvesDispute\",\"type\":\"bool\",\"internalType\":\"bool\"},{\"name\":\"deadline\",\"type\":\"uint256\",\"internalType\":\"uint256\"}]},{\"name\":\"signatures\",\"type\":\"bytes[]\",\"internalType\":\"bytes[]\"}],\"outputs\":[],\"stateMutability\":\"nonpayable\"},{\"type\":\"function\",\"name\":\"settleDigest\",\"inputs\":[{\"name\":\"s\",\"type\":\"tuple\",\"internalType\":\"structAmnEscrow.Settle\",\"components\":[{\"name\":\"paymentId\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"},{\"name\":\"token\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"buyer\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"buyerAmount\",\"type\":\"uint256\",\"internalType\":\"uint256\"},{\"name\":\"seller\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"sellerAmount\",\"type\":\"uint256\",\"internalType\":\"uint256\"},{\"name\":\"feeRecipient\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"feeAmount\",\"type\":\"uint256\",\"internalType\":\"uint256\"},{\"name\":\"resolvesDispute\",\"type\":\"bool\",\"internalType\":\"bool\"},{\"name\":\"deadline\",\"type\":\"uint256\",\"internalType\":\"uint256\"}]}],\"outputs\":[{\"name\":\"\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"threshold\",\"inputs\":[],\"outputs\":[{\"name\":\"\",\"type\":\"uint256\",\"internalType\":\"uint256\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"totalEscrowed\",\"inputs\":[{\"name\":\"token\",\"type\":\"address\",\"internalType\":\"address\"}],\"outputs\":[{\"name\":\"\",\"type\":\"uint256\",\"internalType\":\"uint256\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"unfreeze\",\"inputs\":[{\"name\":\"id\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"}],\"outputs\":[],\"stateMutability\":\"nonpayable\"},{\"type\":\"event\",\"name\":\"ArbiterChanged\",\"inputs\":[{\"name\":\"configNonce\",\"type\":\"uint256\",\"indexed\":true,\"internalType\":\"uint256\"},{\"name\":\"previousArbiter\",\"type\":\"address\",\"indexed\":true,\"internalType\":\"address\"},{\"name\":\"newArbiter\",\"type\":\"address\",\"indexed\":true,\"internalType\":\"address\"}],\"anonymous\":false},{\"type\":\"event\",\"name\":\"CustodiansChanged\",\"inputs\":[{\"name\":\"configNonce\",\"type\":\"uint256\",\"indexed\":true,\"internalType\":\"uint256\"},{\"name\":\"custodians\",\"type\":\"address[]\",\"indexed\":false,\"internalType\":\"address[]\"},{\"name\":\"threshold\",\"type\":\"uint256\",\"indexed\":false,\"internalType\":\"uint256\"}],\"anonymous\":false},{\"type\":\"event\",\"name\":\"EIP712DomainChanged\",\"inputs\":[],\"anonymous\":false},{\"type\":\"event\",\"name\":\"Frozen\",\"inputs\":[{\"name\":\"escrowId\",\"type\":\"bytes32\",\"indexed\":true,\"internalType\":\"bytes32\"},{\"name\":\"arbiter\",\"type\":\"address\",\"indexed\":true,\"internalType\":\"address\"}],\"anonymous\":false},{\"type\":\"event\",\"name\":\"Funded\",\"inputs\":[{\"name\":\"escrowId\",\"type\":\"bytes32\",\"indexed\":true,\"internalType\":\"bytes32\"},{\"name\":\"token\",\"type\":\"address\",\"indexed\":true,\"internalType\":\"address\"},{\"name\":\"buyer\",\"type\":\"address\",\"indexed\":true,\"internalType\":\"address\"},{\"name\":\"seller\",\"type\":\"address\",\"indexed\":false,\"internalType\":\"address\"},{\"name\":\"amount\",\"type\":\"uint256\",\"indexed\":false,\"internalType\":\"uint256\"},{\"name\":\"funder\",\"type\":\"address\",\"indexed\":false,\"internalType\":\"address\"},{\"name\":\"ref\",\"type\":\"bytes32\",\"indexed\":false,\"internalType\":\"bytes32\"}],\"anonymous\":false},{\"type\":\"event\",\"name\":\"ReclaimDelayChanged\",\"inputs\":[{\"name\":\"configNonce\",\"type\":\"uint256\",\"indexed\":true,\"internalType\":\"uint256\"},{\"name\":\"previousDelay\",\"type\":\"uint256\",\"indexed\":false,\"internalType\":\"uint256\"},{\"name\":\"newDelay\",\"type\":\"uint256\",\"indexed\":false,\"internalType\":\"uint256\"}],\"anonymous\":false},{\"type\":\"event\",\"name\":\"Reclaimed\",\"inputs\":[{\"name\":\"escrowId\",\"type\":\"bytes32\",\"indexed\":true,\"internalType\":\"bytes32\"},{\"name\":\"token\",\"type\":\"address\",\"indexed\":true,\"internalType\":\"address\"},{\"name\":\"buyer\",\"type\":\"address\",\"indexed\":true,\"internalType\":\"address\"},{\"name\":\"amount\",\"type\":\"uint256\",\"indexed\":false,\"internalType\":\"uint256\"}],\"anonymous\":false},{\"type\":\"event\",\"name\":\"Refunded\",\"inputs\":[{\"name\":\"escrowId\",\"type\":\"bytes32\",\"indexed\":true,\"internalType\":\"bytes32\"},{\"name\":\"token\",\"type\":\"address\",\"indexed\":true,\"internalType\":\"address\"},{\"name\":\"buyer\",\"type\":\"address\",\"indexed\":true,\"internalType\":\"address\"},{\"name\":\"amount\",\"type\":\"uint256\",\"indexed\":false,\"internalType\":\"uint256\"},{\"name\":\"resolvedDispute\",\"type\":\"bool\",\"indexed\":false,\"internalType\":\"bool\"}],\"anonymous\":false},{\"type\":\"event\",\"name\":\"Released\",\"inputs\":[{\"name\":\"escrowId\",\"type\":\"bytes32\",\"indexed\":true,\"internalType\":\"bytes32\"},{\"name\":\"token\",\"type\":\"address\",\"indexed\":true,\"internalType\":\"address\"},{\"name\":\"seller\",\"type\":\"address\",\"indexed\":true,\"internalType\":\"address\"},{\"name\":\"sellerAmount\",\"type\":\"uint256\",\"indexed\":false,\"internalType\":\"uint256\"},{\"name\":\"feeRecipient\",\"type\":\"address\",\"indexed\":false,\"internalType\":\"address\"},{\"name\":\"feeAmount\",\"type\":\"uint256\",\"indexed\":false,\"internalType\":\"uint256\"},{\"name\":\"resolvedDispute\",\"type\":\"bool\",\"indexed\":false,\"internalType\":\"bool\"}],\"anonymous\":false},{\"type\":\"event\",\"name\":\"Settled\",\"inputs\":[{\"name\":\"escrowId\",\"type\":\"bytes32\",\"indexed\":true,\"internalType\":\"bytes32\"},{\"name\":\"token\",\"type\":\"address\",\"indexed\":true,\"internalType\":\"address\"},{\"name\":\"buyer\",\"type\":\"address\",\"indexed\":true,\"internalType\":\"address\"},{\"name\":\"buyerAmount\",\"type\":\"uint256\",\"indexed\":false,\"internalType\":\"uint256\"},{\"name\":\"seller\",\"type\":\"address\",\"indexed\":false,\"internalType\":\"address\"},{\"name\":\"sellerAmount\",\"type\":\"uint256\",\"indexed\":false,\"internalType\":\"uint256\"},{\"name\":\"feeRecipient\",\"type\":\"address\",\"indexed\":false,\"internalType\":\"address\"},{\"name\":\"feeAmount\",\"type\":\"uint256\",\"indexed\":false,\"internalType\":\"uint256\"},{\"name\":\"resolvedDispute\",\"type\":\"bool\",\"indexed\":false,\"internalType\":\"bool\"}],\"anonymous\":false},{\"type\":\"event\",\"name\":\"Unfrozen\",\"inputs\":[{\"name\":\"escrowId\",\"type\":\"bytes32\",\"indexed\":true,\"internalType\":\"bytes32\"},{\"name\":\"arbiter\",\"type\":\"address\",\"indexed\":true,\"internalType\":\"address\"}],\"anonymous\":false},{\"type\":\"error\",\"name\":\"AlreadyFunded\",\"inputs\":[{\"name\":\"escrowId\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"}]},{\"type\":\"error\",\"name\":\"AmountMismatch\",\"inputs\":[{\"name\":\"escrowed\",\"type\":\"uint256\",\"internalType\":\"uint256\"},{\"name\":\"approved\",\"type\":\"uint256\",\"internalType\":\"uint256\"}]},{\"type\":\"error\",\"name\":\"BadNonce\",\"inputs\":[{\"name\":\"expected\",\"type\":\"uint256\",\"internalType\":\"uint256\"},{\"name\":\"given\",\"type\":\"uint256\",\"internalType\":\"uint256\"}]},{\"type\":\"error\",\"name\":\"DuplicateSigner\",\"inputs\":[{\"name\":\"signer\",\"type\":\"address\",\"internalType\":\"address\"}]},{\"type\":\"error\",\"name\":\"EscrowFrozen\",\"inputs\":[{\"name\":\"escrowId\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"}]},{\"type\":\"error\",\"name\":\"Expired\",\"inputs\":[{\"name\":\"deadline\",\"type\":\"uint256\",\"internalType\":\"uint256\"}]},{\"type\":\"error\",\"name\":\"FailedCall\",\"inputs\":[]},{\"type\":\"error\",\"name\":\"InsufficientBalance\",\"inputs\":[{\"name\":\"balance\",\"type\":\"uint256\",\"internalType\":\"uint256\"},{\"name\":\"needed\",\"type\":\"uint256\",\"internalType\":\"uint256\"}]},{\"type\":\"error\",\"name\":\"InvalidCustodians\",\"inputs\":[{\"name\":\"index\",\"type\":\"uint256\",\"internalType\":\"uint256\"}]},{\"type\":\"error\",\"name\":\"InvalidReclaimDelay\",\"inputs\":[{\"name\":\"delay\",\"type\":\"uint256\",\"internalType\":\"uint256\"}]},{\"type\":\"error\",\"name\":\"InvalidRef\",\"inputs\":[]},{\"type\":\"error\",\"name\":\"InvalidShortString\",\"inputs\":[]},{\"type\":\"error\",\"name\":\"InvalidSignature\",\"inputs\":[{\"name\":\"index\",\"type\":\"uint256\",\"internalType\":\"uint256\"}]},{\"type\":\"error\",\"name\":\"InvalidThreshold\",\"inputs\":[{\"name\":\"threshold\",\"type\":\"uint256\",\"internalType\":\"uint256\"},{\"name\":\"custodians\",\"type\":\"uint256\",\"internalType\":\"uint256\"}]},{\"type\":\"error\",\"name\":\"MalleableSignature\",\"inputs\":[{\"name\":\"index\",\"type\":\"uint256\",\"internalType\":\"uint256\"}]},{\"type\":\"error\",\"name\":\"NotArbiter\",\"inputs\":[{\"name\":\"caller\",\"type\":\"address\",\"internalType\":\"address\"}]},{\"type\":\"error\",\"name\":\"NotBuyer\",\"inputs\":[{\"name\":\"caller\",\"type\":\"address\",\"internalType\":\"address\"}]},{\"type\":\"error\",\"name\":\"NotCustodian\",\"inputs\":[{\"name\":\"signer\",\"type\":\"address\",\"internalType\":\"address\"}]},{\"type\":\"error\",\"name\":\"NotEnoughSignatures\",\"inputs\":[{\"name\":\"given\",\"type\":\"uint256\",\"internalType\":\"uint256\"},{\"name\":\"required\",\"type\":\"uint256\",\"internalType\":\"uint256\"}]},{\"type\":\"error\",\"name\":\"NotFrozen\",\"inputs\":[{\"name\":\"escrowId\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"}]},{\"type\":\"error\",\"name\":\"NotOpen\",\"inputs\":[{\"name\":\"escrowId\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"}]},{\"type\":\"error\",\"name\":\"PartyMismatch\",\"inputs\":[{\"name\":\"party\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"approved\",\"type\":\"address\",\"internalType\":\"address\"}]},{\"type\":\"error\",\"name\":\"PaymentIdMismatch\",\"inputs\":[{\"name\":\"escrowId\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"},{\"name\":\"approved\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"}]},{\"type\":\"error\",\"name\":\"ReclaimTooEarly\",\"inputs\":[{\"name\":\"availableAt\",\"type\":\"uint256\",\"internalType\":\"uint256\"}]},{\"type\":\"error\",\"name\":\"ReentrancyGuardReentrantCall\",\"inputs\":[]},{\"type\":\"error\",\"name\":\"SafeERC20FailedOperation\",\"inputs\":[{\"name\":\"token\",\"type\":\"address\",\"internalType\":\"address\"}]},{\"type\":\"error\",\"name\":\"SignersNotAscending\",\"inputs\":[{\"name\":\"index\",\"type\":\"uint256\",\"internalType\":\"uint256\"}]},{\"type\":\"error\",\"name\":\"StringTooLong\",\"inputs\":[{\"name\":\"str\",\"type\":\"string\",\"internalType\":\"string\"}]},{\"type\":\"error\",\"name\":\"TokenMismatch\",\"inputs\":[{\"name\":\"token\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"approved\",\"type\":\"address\",\"internalType\":\"address\"}]},{\"type\":\"error\",\"name\":\"TooManyCustodians\",\"inputs\":[{\"name\":\"count\",\"type\":\"uint256\",\"internalType\":\"uint256\"}]},{\"type\":\"error\",\"name\":\"ZeroAddress\",\"inputs\":[]},{\"type\":\"error\",\"name\":\"ZeroAmount\",\"inputs\":[]}]",
	Bin: "0x610160604052348015610010575f5ffd5b5060405161382138038061382183398101604081905261002f91610484565b60405180604001604052806009815260200168416d6e457363726f7760b81b815250604051806040016040528060018152602001603160f81b81525061007a8261020160201b60201c565b6101205261008781610201565b61014052815160208084019190912060e052815190820120610100524660a05261011360e05161010051604080517f8b73c3c69bb8fe3d512ecc4cf759cc79239f7b179b0ffacaa9a75d522b39400f60208201529081019290925260608201524660808201523060a08201525f9060c00160405160208183030381529060405280519060200120905090565b60805250503060c0526101268484610247565b61012f816103e5565b600780546001600160a01b0319166001600160a01b0384161790556040515f907fe01338eb1b50fe79451b23fea4df61fbf502da8e641007c588ae559e3217c9429061017e9087908790610572565b60405180910390a26040516001600160a01b038316905f9081907f4e867545b7150d508e1aaa740379807f6eef298a628ef1ad3077324a27c1cade908290a4604080515f80825260208201849052917f056368b493757fe0dac72e29a31b153642602df6ca56b5a606f609e67cd08931910160405180910390a250505050610636565b5f5f829050601f81511115610234578260405163305a27a960e01b815260040161022b91906105c7565b60405180910390fd5b805161023f826105fc565b179392505050565b8151601081111561026e576040516323a5318b60e11b81526004810182905260240161022b565b81158061027a57508082115b156102a257604051637b7a98f160e01b8152600481018390526024810182905260440161022b565b60055f5b8154811015610300575f60045f8484815481106102c5576102c5610622565b5f918252602080832091909101546001600160a01b031683528201929092526040019020805460ff19169115159190911790556001016102a6565b5061030c60055f61041f565b5f805b838110156103d8575f86828151811061032a5761032a610622565b60200260200101519050826001600160a01b0316816001600160a01b03161161036957604051636a81f50d60e11b81526004810183905260240161022b565b6001600160a01b0381165f818152600460205260408120805460ff1916600190811790915560058054808301825592527f036b6384b5eca791c62761152d0c79bb0604c104a5fb6f4eb0703f3154bb3db090910180546001600160a01b0319169092179091559092500161030f565b5050506006919091555050565b620151808110806103f957506312cc030081115b1561041a57604051632cd62da160e21b81526004810182905260240161022b565b600855565b5080545f8255905f5260205f20906104379190610439565b565b5f5b80821115610450575f8184015560010161043b565b505050565b634e487b7160e01b5f52604160045260245ffd5b80516001600160a01b038116811461047f575f5ffd5b919050565b5f5f5f5f60808587031215610497575f5ffd5b84516001600160401b038111156104ac575f5ffd5b8501601f810187136104bc575f5ffd5b80516001600160401b038111156104d5576104d5610455565b604051600582901b90603f8201601f191681016001600160401b038111828210171561050357610503610455565b60405291825260208184018101929081018a841115610520575f5ffd5b6020850194505b838510156105465761053885610469565b815260209485019401610527565b5060208901519097509550610562925050604087019050610469565b6060959095015193969295505050565b604080825283519082018190525f9060208501906060840190835b818110156105b45783516001600160a01b031683526020938401939092019160010161058d565b5050602093909301939093525092915050565b602081525f82518060208401528060208501604085015e5f604082850101526040601f19601f83011684010191505092915050565b8051602080830151919081101561061c575f198160200360031b1b821691505b50919050565b634e487b7160e01b5f52603260045260245ffd5b60805160a05160c05160e05161010051610120516101405161319a6106875f395f61210e01525f6120e301525f6122e301525f6122bb01525f61221601525f61224001525f61226a015261319a5ff3fe60806040526004361061021d575f3560e01c80636010063c1161011e5780639957e7f1116100a8578063d60668411161006d578063d606684114610719578063ec13cc7b1461073a578063f5ad194114610759578063f698da2514610778578063fe25e00a1461078c575f5ffd5b80639957e7f11461067e578063a4c128661461069d578063c08a45a5146106bc578063c4044329146106db578063cfec4e24146106fa575f5ffd5b80637941bb0c116100ee5780637941bb0c146105db5780637a699a70146105fa5780637be7d7111461061957806384b0196e1461063857806396afb3651461065f575f5ffd5b80636010063c1461053f57806361ea45011461055e57806362c9e1be1461059157806372074307146105bc575f5ffd5b80632d83549c116101aa5780633b3be9231161016f5780633b3be9231461048f5780633b41dda8146104ae57806340202610146104e1578063427d28c61461051457806342cde4e81461052a575f5ffd5b80632d83549c146103805780633462ceff146104095780633462dd031461041e57806335c80c8c1461043257806336d98f8a14610470575f5ffd5b806313ae293a116101f057806313ae293a146102cf5780631627c00c146102e457806319ad5ad8146102fb5780631e69ef401461031a5780632cd757a11461034d575f5ffd5b806302af1b4b1461022157806306caf9911461025a578063085b28791461027b5780630902df911461029c575b5f5ffd5b34801561022c575f5ffd5b5061024061023b3660046127f2565b6107c3565b604080519283526020830191909152015b60405180910390f35b348015610265575f5ffd5b5061027961027436600461288c565b610959565b005b61028e6102893660046128ee565b6109e3565b604051908152602001610251565b3480156102a7575f5ffd5b5061028e7f5c3d91bf2a999fc3f78c3fb7d723ec5605eaf7d5e07377aa46a0dfff080d600c81565b3480156102da575f5ffd5b5061028e60085481565b3480156102ef575f5ffd5b5061028e6312cc030081565b348015610306575f5ffd5b50610279610315366004612927565b610a36565b348015610325575f5ffd5b5061028e7f7663cb6ce10b680fb73f678c538e8691f7d887b55fdf693306c36865ba54affb81565b348015610358575f5ffd5b5061028e7faf1f3147239c3d1e7e6f58cd164776df22886c85242f0c265a55c3f24feff7aa81565b34801561038b575f5ffd5b506103f661039a3660046129b0565b600260208190525f918252604090912080546001820154928201546003909201546001600160a01b03808316946001600160401b03600160a01b8504169460ff600160e01b8604811695600160e81b9004169391831692169087565b60405161025197969594939291906129db565b348015610414575f5ffd5b5061028e60095481565b348015610429575f5ffd5b5061028e601081565b34801561043d575f5ffd5b5061046061044c366004612a49565b60046020525f908152604090205460ff1681565b6040519015158152602001610251565b34801561047b575f5ffd5b5061028e61048a366004612a79565b610ae7565b34801561049a575f5ffd5b5061028e6104a9366004612aa4565b610b3f565b3480156104b9575f5ffd5b5061028e7fa0fc3eca6d5b4c6ee8505e9045e761e3a52b8cf008374aa1e35a84d5231ba8ad81565b3480156104ec575f5ffd5b5061028e7f99b172bd59f447819d10adc2fe9abacef6947597875b476c4cc2dbc3dd6dcd6a81565b34801561051f575f5ffd5b5061028e6201518081565b348015610535575f5ffd5b5061028e60065481565b34801561054a575f5ffd5b5061028e610559366004612acf565b610b76565b348015610569575f5ffd5b5061028e7f3ef33d6d1d9732fc4c2ffcc2fc622c9948870514120a4777c33a63f904f65a2581565b34801561059c575f5ffd5b5061028e6105ab366004612a49565b60036020525f908152604090205481565b3480156105c7575f5ffd5b506102796105d6366004612aea565b610bad565b3480156105e6575f5ffd5b5061028e6105f5366004612b41565b610e13565b348015610605575f5ffd5b50610279610614366004612b71565b610e72565b348015610624575f5ffd5b5061028e610633366004612baf565b610ef0565b348015610643575f5ffd5b5061064c610f3c565b6040516102519796959493929190612c06565b34801561066a575f5ffd5b506102796106793660046129b0565b610f7e565b348015610689575f5ffd5b506102796106983660046129b0565b6110ec565b3480156106a8575f5ffd5b506102796106b7366004612c9c565b6111cc565b3480156106c7575f5ffd5b5061028e6106d6366004612cdc565b611462565b3480156106e6575f5ffd5b5061028e6106f53660046129b0565b6114e6565b348015610705575f5ffd5b50610279610714366004612d30565b611561565b348015610724575f5ffd5b5061072d6117f6565b6040516102519190612d70565b348015610745575f5ffd5b506102796107543660046129b0565b611856565b348015610764575f5ffd5b5061028e610773366004612dbb565b61193d565b348015610783575f5ffd5b5061028e611979565b348015610797575f5ffd5b506007546107ab906001600160a01b031681565b6040516001600160a01b039091168152602001610251565b5f5f6107cd611987565b6001600160a01b0386166107f45760405163d92e233d60e01b815260040160405180910390fd5b845f0361081457604051631f2a200560e01b815260040160405180910390fd5b61081f8785856119be565b6040516370a0823160e01b81523060048201529092505f906001600160a01b038816906370a0823190602401602060405180830381865afa158015610866573d5f5f3e3d5ffd5b505050506040513d601f19601f8201168201806040525081019061088a9190612de3565b90506108a16001600160a01b038816333089611a6f565b6040516370a0823160e01b81523060048201525f906001600160a01b038916906370a0823190602401602060405180830381865afa1580156108e5573d5f5f3e3d5ffd5b505050506040513d601f19601f820116820180604052508101906109099190612de3565b905081811161092b57604051631f2a200560e01b815260040160405180910390fd5b6109358282612e0e565b9250610945848a8a868a8a611aa5565b505061094f611c4b565b9550959350505050565b6109638484611c75565b610978610971868686610e13565b8383611ccd565b610983846001612e21565b600955600780546001600160a01b038781166001600160a01b0319831681179093551690816109b3876001612e21565b6040517f4e867545b7150d508e1aaa740379807f6eef298a628ef1ad3077324a27c1cade905f90a4505050505050565b5f6109ec611987565b345f03610a0c57604051631f2a200560e01b815260040160405180910390fd5b610a178484846119be565b9050610a2781855f348787611aa5565b610a2f611c4b565b9392505050565b610a408484611c75565b610a506109718888888888611462565b610a5b846001612e21565b6009556040805160208089028281018201909352888252610a98928a918a9182918501908490808284375f92019190915250899250611e01915050565b610aa3846001612e21565b7fe01338eb1b50fe79451b23fea4df61fbf502da8e641007c588ae559e3217c942888888604051610ad693929190612e34565b60405180910390a250505050505050565b5f610b397f5c3d91bf2a999fc3f78c3fb7d723ec5605eaf7d5e07377aa46a0dfff080d600c83604051602001610b1e929190612e96565b60405160208183030381529060405280519060200120611f9f565b92915050565b5f610b397f7663cb6ce10b680fb73f678c538e8691f7d887b55fdf693306c36865ba54affb83604051602001610b1e929190612f3f565b5f610b397f99b172bd59f447819d10adc2fe9abacef6947597875b476c4cc2dbc3dd6dcd6a83604051602001610b1e929190612fbb565b610bb5611987565b82358414610be5576040516348f5e1e560e11b815260048101859052833560248201526044015b60405180910390fd5b5f848152600260205260409020610c118582610c0760a0880160808901613091565b8760a00135611fcb565b80546001600160a01b0316610c2c6040860160208701612a49565b6001600160a01b031614610c815780546001600160a01b0316610c556040860160208701612a49565b60405163f902523f60e01b81526001600160a01b03928316600482015291166024820152604401610bdc565b60018101546001600160a01b0316610c9f6060860160408701612a49565b6001600160a01b031614610cf75760018101546001600160a01b0316610ccb6060860160408701612a49565b6040516333ea6db760e01b81526001600160a01b03928316600482015291166024820152604401610bdc565b600381015460608501358114610d2d5760405163ce6b173b60e01b81526004810182905260608601356024820152604401610bdc565b610d40610d3986610b3f565b8585611ccd565b815461ffff60e01b198116600360e01b1783556001600160a01b03165f8181526003602052604081208054849290610d79908490612e0e565b90915550610d99905081610d936060890160408a01612a49565b84612065565b610da96060870160408801612a49565b6001600160a01b03908116908216887fe655563e9700ef2727fb6770c5f03ef1de9152e4b0eb5dd4ef49297a1fe79a4a85610dea60a08c0160808d01613091565b6040805192835290151560208301520160405180910390a4505050610e0d611c4b565b50505050565b604080517faf1f3147239c3d1e7e6f58cd164776df22886c85242f0c265a55c3f24feff7aa60208201526001600160a01b0385169181019190915260608101839052608081018290525f90610e6a9060a001610b1e565b949350505050565b610e7c8484611c75565b610e8a610971868686610ef0565b610e95846001612e21565b600955600854610ea4866120a2565b610eaf856001612e21565b60408051838152602081018990527f056368b493757fe0dac72e29a31b153642602df6ca56b5a606f609e67cd08931910160405180910390a2505050505050565b604080517f3ef33d6d1d9732fc4c2ffcc2fc622c9948870514120a4777c33a63f904f65a25602082015290810184905260608101839052608081018290525f90610e6a9060a001610b1e565b5f6060805f5f5f6060610f4d6120dc565b610f55612107565b604080515f80825260208201909252600f60f81b9b939a50919850469750309650945092509050565b610f86611987565b5f81815260026020526040902060018154600160e01b900460ff166005811115610fb257610fb26129c7565b14610fd257604051620d1c2160e71b815260048101839052602401610bdc565b60018101546001600160a01b03163314611001576040516303bb525960e21b8152336004820152602401610bdc565b5f61100b836114e6565b905080421015611031576040516344a4763560e01b815260048101829052602401610bdc565b815460038084015461ffff60e01b198316600160e21b1785556001600160a01b039092165f8181526020929092526040822080549193928392611075908490612e0e565b909155505060018401546110949083906001600160a01b031683612065565b60018401546040518281526001600160a01b039182169184169087907f7298ef13797cb8dff31bf759e25fddf7bf68961c7b6213d7b7d3120537c877629060200160405180910390a4505050506110e9611c4b565b50565b6007546001600160a01b03163314611119576040516339063ae160e11b8152336004820152602401610bdc565b5f81815260026020526040902060018154600160e01b900460ff166005811115611145576111456129c7565b1461116557604051620d1c2160e71b815260048101839052602401610bdc565b8054600160e81b900460ff16611191576040516320a02faf60e01b815260048101839052602401610bdc565b805460ff60e81b19168155604051339083907f7ea93608892837f78e2c72b19474e3fe3cf8937b6516c0e538ba5d2aa90e0942905f90a35050565b6111d4611987565b823584146111ff576040516348f5e1e560e11b81526004810185905283356024820152604401610bdc565b5f84815260026020526040902061122e858261122361012088016101008901613091565b876101200135611fcb565b80546001600160a01b03166112496040860160208701612a49565b6001600160a01b0316146112725780546001600160a01b0316610c556040860160208701612a49565b60018101546001600160a01b03166112906060860160408701612a49565b6001600160a01b0316146112bc5760018101546001600160a01b0316610ccb6060860160408701612a49565b60028101546001600160a01b03166112da60a0860160808701612a49565b6001600160a01b0316146113065760028101546001600160a01b0316610ccb60a0860160808701612a49565b60038101545f61132b611321606088013560a0890135612132565b8760e00135612132565b90508181146113575760405163ce6b173b60e01b81526004810183905260248101829052604401610bdc565b60e08601351580159061138157505f61137660e0880160c08901612a49565b6001600160a01b0316145b1561139f5760405163d92e233d60e01b815260040160405180910390fd5b6113b26113ab87610b76565b8686611ccd565b825461ffff60e01b198116600560e01b1784556001600160a01b03165f81815260036020526040812080548592906113eb908490612e0e565b9091555061140f90508161140560608a0160408b01612a49565b8960600135612065565b61142d8161142360a08a0160808b01612a49565b8960a00135612065565b61144b8161144160e08a0160c08b01612a49565b8960e00135612065565b611456888289612146565b50505050610e0d611c4b565b5f6114dc7fa0fc3eca6d5b4c6ee8505e9045e761e3a52b8cf008374aa1e35a84d5231ba8ad878760405160200161149a9291906130aa565b60408051601f19818403018152828252805160209182012090830193909352810191909152606081018690526080810185905260a0810184905260c001610b1e565b9695505050505050565b5f81815260026020526040812060018154600160e01b900460ff166005811115611512576115126129c7565b1461151f57505f92915050565b8054600160e81b900460ff1661153757600854611545565b6008546115459060026130de565b8154610a2f9190600160a01b90046001600160401b0316612e21565b611569611987565b82358414611594576040516348f5e1e560e11b81526004810185905283356024820152604401610bdc565b5f8481526002602052604090206115c085826115b660e0880160c08901613091565b8760e00135611fcb565b80546001600160a01b03166115db6040860160208701612a49565b6001600160a01b0316146116045780546001600160a01b0316610c556040860160208701612a49565b60028101546001600160a01b03166116226060860160408701612a49565b6001600160a01b03161461164e5760028101546001600160a01b0316610ccb6060860160408701612a49565b6003810154606085013560a086013581019081101561166b57505f195b8181146116955760405163ce6b173b60e01b81526004810183905260248101829052604401610bdc565b60a0860135158015906116bf57505f6116b460a0880160808901612a49565b6001600160a01b0316145b156116dd5760405163d92e233d60e01b815260040160405180910390fd5b6116e96113ab87610ae7565b825461ffff60e01b198116600160e11b1784556001600160a01b03165f8181526003602052604081208054859290611722908490612e0e565b9091555061173c90508161140560608a0160408b01612a49565b6117508161142360a08a0160808b01612a49565b6117606060880160408901612a49565b6001600160a01b03908116908216897f9de1fa58f06bb261e698033420759ae54f6f6b00c4b60c4738b29ce6a729c12660608b01356117a560a08d0160808e01612a49565b8c60a001358d60c00160208101906117bd9190613091565b604080519485526001600160a01b039093166020850152918301521515606082015260800160405180910390a450505050610e0d611c4b565b6060600580548060200260200160405190810160405280929190818152602001828054801561184c57602002820191905f5260205f20905b81546001600160a01b0316815260019091019060200180831161182e575b5050505050905090565b6007546001600160a01b03163314611883576040516339063ae160e11b8152336004820152602401610bdc565b5f81815260026020526040902060018154600160e01b900460ff1660058111156118af576118af6129c7565b146118cf57604051620d1c2160e71b815260048101839052602401610bdc565b8054600160e81b900460ff16156118fc57604051634465bed760e01b815260048101839052602401610bdc565b805460ff60e81b1916600160e81b178155604051339083907f08a301fe34854e26415a7d6d158412f4e7e2cc61bcbdd0c5d92d66513d5a4af1905f90a35050565b604080516001600160a01b03841660208201529081018290525f9060600160405160208183030381529060405280519060200120905092915050565b5f61198261220a565b905090565b61198f612333565b6119bc60017f9b779b17422d0df92223018b32b4d1fa46e071723d6817e2486d003becc55f005b90612373565b565b5f836119dd5760405163e97d945b60e01b815260040160405180910390fd5b6001600160a01b03831615806119fa57506001600160a01b038216155b15611a185760405163d92e233d60e01b815260040160405180910390fd5b611a22338561193d565b90505f5f82815260026020526040902054600160e01b900460ff166005811115611a4e57611a4e6129c7565b14610a2f5760405163153e403d60e01b815260048101829052602401610bdc565b611a7d84848484600161237a565b610e0d57604051635274afe760e01b81526001600160a01b0385166004820152602401610bdc565b6040805160e0810182526001600160a01b03861681526001600160401b0342166020820152908101600181525f60208083018290526001600160a01b03808716604080860191909152868216606086015260809094018890528a8352600282529183902084518154928601516001600160401b0316600160a01b026001600160e01b031990931693169290921717808255918301519091829060ff60e01b1916600160e01b836005811115611b5c57611b5c6129c7565b021790555060608201518154901515600160e81b0260ff60e81b1990911617815560808201516001820180546001600160a01b039283166001600160a01b03199182161790915560a08401516002840180549184169190921617905560c0909201516003918201559085165f908152602091909152604081208054859290611be5908490612e21565b9091555050604080516001600160a01b0383811682526020820186905233828401526060820188905291518483169287169189917fae61735bb9d08f926da05c5129b4261cd76ba64aace9cece102bc7c1a190c44c9181900360800190a4505050505050565b6119bc5f7f9b779b17422d0df92223018b32b4d1fa46e071723d6817e2486d003becc55f006119b6565b6009548214611ca557600954604051633ddd513160e01b8152600481019190915260248101839052604401610bdc565b80421115611cc957604051637c06dd7560e11b815260048101829052602401610bdc565b5050565b6006548181811015611cfc57604051633ce0c9e960e11b81526004810182905260248101839052604401610bdc565b5f805b82811015611df8575f611d3688888885818110611d1e57611d1e6130f5565b9050602002810190611d309190613109565b856123e7565b6001600160a01b0381165f9081526004602052604090205490915060ff16611d7c5760405163e15a529560e01b81526001600160a01b0382166004820152602401610bdc565b826001600160a01b0316816001600160a01b031611611dee57826001600160a01b0316816001600160a01b031603611dd257604051637010e27960e11b81526001600160a01b0382166004820152602401610bdc565b60405163590a84f760e01b815260048101839052602401610bdc565b9150600101611cff565b50505050505050565b81516010811115611e28576040516323a5318b60e11b815260048101829052602401610bdc565b811580611e3457508082115b15611e5c57604051637b7a98f160e01b81526004810183905260248101829052604401610bdc565b60055f5b8154811015611eba575f60045f848481548110611e7f57611e7f6130f5565b5f918252602080832091909101546001600160a01b031683528201929092526040019020805460ff1916911515919091179055600101611e60565b50611ec660055f6127ad565b5f805b83811015611f92575f868281518110611ee457611ee46130f5565b60200260200101519050826001600160a01b0316816001600160a01b031611611f2357604051636a81f50d60e11b815260048101839052602401610bdc565b6001600160a01b0381165f818152600460205260408120805460ff1916600190811790915560058054808301825592527f036b6384b5eca791c62761152d0c79bb0604c104a5fb6f4eb0703f3154bb3db090910180546001600160a01b03191690921790915590925001611ec9565b5050506006919091555050565b5f610b39611fab61220a565b8360405161190160f01b8152600281019290925260228201526042902090565b60018354600160e01b900460ff166005811115611fea57611fea6129c7565b1461200a57604051620d1c2160e71b815260048101859052602401610bdc565b8254600160e81b900460ff168015612020575081155b1561204157604051634465bed760e01b815260048101859052602401610bdc565b80421115610e0d57604051637c06dd7560e11b815260048101829052602401610bdc565b805f0361207157505050565b6001600160a01b03831661208e5761208982826124f5565b505050565b6120896001600160a01b0384168383612568565b620151808110806120b657506312cc030081115b156120d757604051632cd62da160e21b815260048101829052602401610bdc565b600855565b60606119827f000000000000000000000000000000000000000000000000000000000000000061259d565b60606119827f000000000000000000000000000000000000000000000000000000000000000061259d565b81810182811015610b3957505f1992915050565b6121566060820160408301612a49565b6001600160a01b03908116908316847f93d429392f0caf9786921744ce4c686c2d8019a4f270d0e0d63de866bf1076c4606085013561219b60a0870160808801612a49565b60a08701356121b060e0890160c08a01612a49565b60e08901356121c76101208b016101008c01613091565b604080519687526001600160a01b039586166020880152860193909352921660608401526080830191909152151560a082015260c00160405180910390a4505050565b5f306001600160a01b037f00000000000000000000000000000000000000000000000000000000000000001614801561226257507f000000000000000000000000000000000000000000000000000000000000000046145b1561228c57507f000000000000000000000000000000000000000000000000000000000000000090565b611982604080517f8b73c3c69bb8fe3d512ecc4cf759cc79239f7b179b0ffacaa9a75d522b39400f60208201527f0000000000000000000000000000000000000000000000000000000000000000918101919091527f000000000000000000000000000000000000000000000000000000000000000060608201524660808201523060a08201525f9060c00160405160208183030381529060405280519060200120905090565b7f9b779b17422d0df92223018b32b4d1fa46e071723d6817e2486d003becc55f005c156119bc57604051633ee5aeb560e01b815260040160405180910390fd5b80825d5050565b6040516323b872dd60e01b5f8181526001600160a01b038781166004528616602452604485905291602083606481808c5af1925060015f511483166123d65783831516156123ca573d5f823e3d81fd5b5f883b113d1516831692505b604052505f60605295945050505050565b5f6041831461240c57604051630a57f30960e31b815260048101839052602401610bdc565b5f5f5f61241987876125da565b9194509250905087601e60ff8516111561246a57507f19457468657265756d205369676e6564204d6573736167653a0a3332000000005f908152601c899052603c902061246760048561314b565b93505b5f5f6124788387878761263c565b5090925090506003816003811115612492576124926129c7565b036124b3576040516331946d8760e21b815260048101899052602401610bdc565b5f8160038111156124c6576124c66129c7565b146124e757604051630a57f30960e31b815260048101899052602401610bdc565b509998505050505050505050565b8047101561251f5760405163cf47918160e01b815247600482015260248101829052604401610bdc565b612538828260405180602001604052805f815250612704565b15612541575050565b3d1561254f57611cc9612719565b60405163d6bda27560e01b815260040160405180910390fd5b6125758383836001612724565b61208957604051635274afe760e01b81526001600160a01b0384166004820152602401610bdc565b60605f6125a983612786565b6040805160208082528183019092529192505f91906020820181803683375050509182525060208101929092525090565b5f5f5f83604181146125fc5760408114612615575f92505f91505f9350612634565b853592506020860135915060408601355f1a9350612634565b602086013560ff81901c601b019450863593506001600160ff1b031691505b509250925092565b5f80807f7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a084111561267557505f915060039050826126fa565b604080515f808252602082018084528a905260ff891692820192909252606081018790526080810186905260019060a0016020604051602081039080840390855afa1580156126c6573d5f5f3e3d5ffd5b5050604051601f1901519150506001600160a01b0381166126f157505f9250600191508290506126fa565b92505f91508190505b9450945094915050565b5f5f5f83516020850186885af1949350505050565b6040513d5f823e3d81fd5b60405163a9059cbb60e01b5f8181526001600160a01b038616600452602485905291602083604481808b5af1925060015f5114831661277a57838315161561276e573d5f823e3d81fd5b5f873b113d1516831692505b60405250949350505050565b5f60ff8216601f811115610b3957604051632cd44ac360e21b815260040160405180910390fd5b5080545f8255905f5260205f20906119bc91905f5b80821115612089575f818401556001016127c2565b80356001600160a01b03811681146127ed575f5ffd5b919050565b5f5f5f5f5f60a08688031215612806575f5ffd5b85359450612816602087016127d7565b93506040860135925061282b606087016127d7565b9150612839608087016127d7565b90509295509295909350565b5f5f83601f840112612855575f5ffd5b5081356001600160401b0381111561286b575f5ffd5b6020830191508360208260051b8501011115612885575f5ffd5b9250929050565b5f5f5f5f5f608086880312156128a0575f5ffd5b6128a9866127d7565b9450602086013593506040860135925060608601356001600160401b038111156128d1575f5ffd5b6128dd88828901612845565b969995985093965092949392505050565b5f5f5f60608486031215612900575f5ffd5b83359250612910602085016127d7565b915061291e604085016127d7565b90509250925092565b5f5f5f5f5f5f5f60a0888a03121561293d575f5ffd5b87356001600160401b03811115612952575f5ffd5b61295e8a828b01612845565b90985096505060208801359450604088013593506060880135925060808801356001600160401b03811115612991575f5ffd5b61299d8a828b01612845565b989b979a50959850939692959293505050565b5f602082840312156129c0575f5ffd5b5035919050565b634e487b7160e01b5f52602160045260245ffd5b6001600160a01b03881681526001600160401b038716602082015260e0810160068710612a1657634e487b7160e01b5f52602160045260245ffd5b604082019690965293151560608501526001600160a01b039283166080850152911660a083015260c09091015292915050565b5f60208284031215612a59575f5ffd5b610a2f826127d7565b5f6101008284031215612a73575f5ffd5b50919050565b5f6101008284031215612a8a575f5ffd5b610a2f8383612a62565b5f60c08284031215612a73575f5ffd5b5f60c08284031215612ab4575f5ffd5b610a2f8383612a94565b5f6101408284031215612a73575f5ffd5b5f6101408284031215612ae0575f5ffd5b610a2f8383612abe565b5f5f5f5f6101008587031215612afe575f5ffd5b84359350612b0f8660208701612a94565b925060e08501356001600160401b03811115612b29575f5ffd5b612b3587828801612845565b95989497509550505050565b5f5f5f60608486031215612b53575f5ffd5b612b5c846127d7565b95602085013595506040909401359392505050565b5f5f5f5f5f60808688031215612b85575f5ffd5b85359450602086013593506040860135925060608601356001600160401b038111156128d1575f5ffd5b5f5f5f60608486031215612bc1575f5ffd5b505081359360208301359350604090920135919050565b5f81518084528060208401602086015e5f602082860101526020601f19601f83011685010191505092915050565b60ff60f81b8816815260e060208201525f612c2460e0830189612bd8565b8281036040840152612c368189612bd8565b606084018890526001600160a01b038716608085015260a0840186905283810360c0850152845180825260208087019350909101905f5b81811015612c8b578351835260209384019390920191600101612c6d565b50909b9a5050505050505050505050565b5f5f5f5f6101808587031215612cb0575f5ffd5b84359350612cc18660208701612abe565b92506101608501356001600160401b03811115612b29575f5ffd5b5f5f5f5f5f60808688031215612cf0575f5ffd5b85356001600160401b03811115612d05575f5ffd5b612d1188828901612845565b9099909850602088013597604081013597506060013595509350505050565b5f5f5f5f6101408587031215612d44575f5ffd5b84359350612d558660208701612a62565b92506101208501356001600160401b03811115612b29575f5ffd5b602080825282518282018190525f918401906040840190835b81811015612db05783516001600160a01b0316835260209384019390920191600101612d89565b509095945050505050565b5f5f60408385031215612dcc575f5ffd5b612dd5836127d7565b946020939093013593505050565b5f60208284031215612df3575f5ffd5b5051919050565b634e487b7160e01b5f52601160045260245ffd5b81810381811115610b3957610b39612dfa565b80820180821115610b3957610b39612dfa565b604080825281018390525f8460608301825b86811015612e74576001600160a01b03612e5f846127d7565b16825260209283019290910190600101612e46565b5060209390930193909352509392505050565b803580151581146127ed575f5ffd5b82815281356020808301919091526101208201906001600160a01b0390612ebe9085016127d7565b16604083015260018060a01b03612ed7604085016127d7565b166060838101919091528301356080808401919091526001600160a01b0390612f019085016127d7565b1660a08301525f60a084013590508060c084015250612f2260c08401612e87565b80151560e08401525060e092909201356101009190910152919050565b828152813560208083019190915260e08201906001600160a01b0390612f669085016127d7565b16604083015260018060a01b03612f7f604085016127d7565b1660608301525f6060840135905080608084015250612fa060808401612e87565b151560a083810191909152929092013560c090910152919050565b8281528135602080830191909152610160820190612fda9084016127d7565b6001600160a01b038116604084015250612ff6604084016127d7565b6001600160a01b038116606084015250606083013560808381019190915261301f9084016127d7565b6001600160a01b03811660a08401525060a083013560c0838101919091526130489084016127d7565b6001600160a01b03811660e08401525060e083013561010083810191909152613072908401612e87565b8015156101208401525061012092909201356101409190910152919050565b5f602082840312156130a1575f5ffd5b610a2f82612e87565b5f8184825b85811015612db0576001600160a01b036130c8836127d7565b16835260209283019291909101906001016130af565b8082028115828204841417610b3957610b39612dfa565b634e487b7160e01b5f52603260045260245ffd5b5f5f8335601e1984360301811261311e575f5ffd5b8301803591506001600160401b03821115613137575f5ffd5b602001915036819003821315612885575f5ffd5b60ff8281168282160390811115610b3957610b39612dfa56fea264697066735822122004411049ef9a808d03b9016f6d9b59e9ebf28834425ca0f2a34b9385ad405dcf64736f6c63430008250033",
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
// Solidity: function escrows(bytes32 escrowId) view returns(address token, uint64 fundedAt, uint8 status, bool frozen, address buyer, address seller, uint256 amount)
func (_AmnEscrow *AmnEscrowCaller) Escrows(opts *bind.CallOpts, escrowId [32]byte) (struct {
	Token    common.Address
	FundedAt uint64
	Status   uint8
	Frozen   bool
	Buyer    common.Address
	Seller   common.Address
	Amount   *big.Int
}, error) {
	var out []interface{}
	err := _AmnEscrow.contract.Call(opts, &out, "escrows", escrowId)

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
// Solidity: function escrows(bytes32 escrowId) view returns(address token, uint64 fundedAt, uint8 status, bool frozen, address buyer, address seller, uint256 amount)
func (_AmnEscrow *AmnEscrowSession) Escrows(escrowId [32]byte) (struct {
	Token    common.Address
	FundedAt uint64
	Status   uint8
	Frozen   bool
	Buyer    common.Address
	Seller   common.Address
	Amount   *big.Int
}, error) {
	return _AmnEscrow.Contract.Escrows(&_AmnEscrow.CallOpts, escrowId)
}

// Escrows is a free data retrieval call binding the contract method 0x2d83549c.
//
// Solidity: function escrows(bytes32 escrowId) view returns(address token, uint64 fundedAt, uint8 status, bool frozen, address buyer, address seller, uint256 amount)
func (_AmnEscrow *AmnEscrowCallerSession) Escrows(escrowId [32]byte) (struct {
	Token    common.Address
	FundedAt uint64
	Status   uint8
	Frozen   bool
	Buyer    common.Address
	Seller   common.Address
	Amount   *big.Int
}, error) {
	return _AmnEscrow.Contract.Escrows(&_AmnEscrow.CallOpts, escrowId)
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

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

// NoReturnTokenMetaData contains all meta data concerning the NoReturnToken contract.
var NoReturnTokenMetaData = &bind.MetaData{
	ABI: "[{\"type\":\"function\",\"name\":\"allowance\",\"inputs\":[{\"name\":\"\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"\",\"type\":\"address\",\"internalType\":\"address\"}],\"outputs\":[{\"name\":\"\",\"type\":\"uint256\",\"internalType\":\"uint256\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"approve\",\"inputs\":[{\"name\":\"spender\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"amount\",\"type\":\"uint256\",\"internalType\":\"uint256\"}],\"outputs\":[],\"stateMutability\":\"nonpayable\"},{\"type\":\"function\",\"name\":\"balanceOf\",\"inputs\":[{\"name\":\"\",\"type\":\"address\",\"internalType\":\"address\"}],\"outputs\":[{\"name\":\"\",\"type\":\"uint256\",\"internalType\":\"uint256\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"decimals\",\"inputs\":[],\"outputs\":[{\"name\":\"\",\"type\":\"uint8\",\"internalType\":\"uint8\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"mint\",\"inputs\":[{\"name\":\"to\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"amount\",\"type\":\"uint256\",\"internalType\":\"uint256\"}],\"outputs\":[],\"stateMutability\":\"nonpayable\"},{\"type\":\"function\",\"name\":\"name\",\"inputs\":[],\"outputs\":[{\"name\":\"\",\"type\":\"string\",\"internalType\":\"string\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"symbol\",\"inputs\":[],\"outputs\":[{\"name\":\"\",\"type\":\"string\",\"internalType\":\"string\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"totalSupply\",\"inputs\":[],\"outputs\":[{\"name\":\"\",\"type\":\"uint256\",\"internalType\":\"uint256\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"transfer\",\"inputs\":[{\"name\":\"to\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"amount\",\"type\":\"uint256\",\"internalType\":\"uint256\"}],\"outputs\":[],\"stateMutability\":\"nonpayable\"},{\"type\":\"function\",\"name\":\"transferFrom\",\"inputs\":[{\"name\":\"from\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"to\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"amount\",\"type\":\"uint256\",\"internalType\":\"uint256\"}],\"outputs\":[],\"stateMutability\":\"nonpayable\"},{\"type\":\"event\",\"name\":\"Transfer\",\"inputs\":[{\"name\":\"from\",\"type\":\"address\",\"indexed\":true,\"internalType\":\"address\"},{\"name\":\"to\",\"type\":\"address\",\"indexed\":true,\"internalType\":\"address\"},{\"name\":\"value\",\"type\":\"uint256\",\"indexed\":false,\"internalType\":\"uint256\"}],\"anonymous\":false}]",
	Bin: "0x6080604052348015600e575f5ffd5b506105688061001c5f395ff3fe608060405234801561000f575f5ffd5b506004361061009b575f3560e01c806340c10f191161006357806340c10f191461016157806370a082311461017457806395d89b4114610193578063a9059cbb146101b6578063dd62ed3e146101c9575f5ffd5b806306fdde031461009f578063095ea7b3146100e557806318160ddd1461011e57806323b872dd14610134578063313ce56714610147575b5f5ffd5b6100cf60405180604001604052806011815260200170546574686572205553442028746573742960781b81525081565b6040516100dc91906103ef565b60405180910390f35b61011c6100f336600461043f565b335f9081526002602090815260408083206001600160a01b039590951683529390529190912055565b005b6101265f5481565b6040519081526020016100dc565b61011c610142366004610467565b6101f3565b61014f600681565b60405160ff90911681526020016100dc565b61011c61016f36600461043f565b61029e565b6101266101823660046104a1565b60016020525f908152604090205481565b6100cf604051806040016040528060048152602001631554d11560e21b81525081565b61011c6101c436600461043f565b6102e3565b6101266101d73660046104c1565b600260209081525f928352604080842090915290825290205481565b6001600160a01b0383165f908152600260209081526040808320338452909152902054818110156102575760405162461bcd60e51b8152602060048201526009602482015268616c6c6f77616e636560b81b60448201526064015b60405180910390fd5b5f19811461028d576102698282610506565b6001600160a01b0385165f9081526002602090815260408083203384529091529020555b6102988484846102f2565b50505050565b805f5f8282546102ae919061051f565b90915550506001600160a01b0382165f90815260016020526040812080548392906102da90849061051f565b90915550505050565b6102ee3383836102f2565b5050565b6001600160a01b0383165f908152600160205260409020548111156103435760405162461bcd60e51b815260206004820152600760248201526662616c616e636560c81b604482015260640161024e565b6001600160a01b0383165f908152600160205260408120805483929061036a908490610506565b90915550506001600160a01b0382165f908152600160205260408120805483929061039690849061051f565b92505081905550816001600160a01b0316836001600160a01b03167fddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef836040516103e291815260200190565b60405180910390a3505050565b602081525f82518060208401528060208501604085015e5f604082850101526040601f19601f83011684010191505092915050565b80356001600160a01b038116811461043a575f5ffd5b919050565b5f5f60408385031215610450575f5ffd5b61045983610424565b946020939093013593505050565b5f5f5f60608486031215610479575f5ffd5b61048284610424565b925061049060208501610424565b929592945050506040919091013590565b5f602082840312156104b1575f5ffd5b6104ba82610424565b9392505050565b5f5f604083850312156104d2575f5ffd5b6104db83610424565b91506104e960208401610424565b90509250929050565b634e487b7160e01b5f52601160045260245ffd5b81810381811115610519576105196104f2565b92915050565b80820180821115610519576105196104f256fea264697066735822122004300652bacd870bb5a47da2d84dcf340c2f42d0a9f3d8049f5afc9ddc9850ab64736f6c63430008250033",
}

// NoReturnTokenABI is the input ABI used to generate the binding from.
// Deprecated: Use NoReturnTokenMetaData.ABI instead.
var NoReturnTokenABI = NoReturnTokenMetaData.ABI

// NoReturnTokenBin is the compiled bytecode used for deploying new contracts.
// Deprecated: Use NoReturnTokenMetaData.Bin instead.
var NoReturnTokenBin = NoReturnTokenMetaData.Bin

// DeployNoReturnToken deploys a new Ethereum contract, binding an instance of NoReturnToken to it.
func DeployNoReturnToken(auth *bind.TransactOpts, backend bind.ContractBackend) (common.Address, *types.Transaction, *NoReturnToken, error) {
	parsed, err := NoReturnTokenMetaData.GetAbi()
	if err != nil {
		return common.Address{}, nil, nil, err
	}
	if parsed == nil {
		return common.Address{}, nil, nil, errors.New("GetABI returned nil")
	}

	address, tx, contract, err := bind.DeployContract(auth, *parsed, common.FromHex(NoReturnTokenBin), backend)
	if err != nil {
		return common.Address{}, nil, nil, err
	}
	return address, tx, &NoReturnToken{NoReturnTokenCaller: NoReturnTokenCaller{contract: contract}, NoReturnTokenTransactor: NoReturnTokenTransactor{contract: contract}, NoReturnTokenFilterer: NoReturnTokenFilterer{contract: contract}}, nil
}

// NoReturnToken is an auto generated Go binding around an Ethereum contract.
type NoReturnToken struct {
	NoReturnTokenCaller     // Read-only binding to the contract
	NoReturnTokenTransactor // Write-only binding to the contract
	NoReturnTokenFilterer   // Log filterer for contract events
}

// NoReturnTokenCaller is an auto generated read-only Go binding around an Ethereum contract.
type NoReturnTokenCaller struct {
	contract *bind.BoundContract // Generic contract wrapper for the low level calls
}

// NoReturnTokenTransactor is an auto generated write-only Go binding around an Ethereum contract.
type NoReturnTokenTransactor struct {
	contract *bind.BoundContract // Generic contract wrapper for the low level calls
}

// NoReturnTokenFilterer is an auto generated log filtering Go binding around an Ethereum contract events.
type NoReturnTokenFilterer struct {
	contract *bind.BoundContract // Generic contract wrapper for the low level calls
}

// NoReturnTokenSession is an auto generated Go binding around an Ethereum contract,
// with pre-set call and transact options.
type NoReturnTokenSession struct {
	Contract     *NoReturnToken    // Generic contract binding to set the session for
	CallOpts     bind.CallOpts     // Call options to use throughout this session
	TransactOpts bind.TransactOpts // Transaction auth options to use throughout this session
}

// NoReturnTokenCallerSession is an auto generated read-only Go binding around an Ethereum contract,
// with pre-set call options.
type NoReturnTokenCallerSession struct {
	Contract *NoReturnTokenCaller // Generic contract caller binding to set the session for
	CallOpts bind.CallOpts        // Call options to use throughout this session
}

// NoReturnTokenTransactorSession is an auto generated write-only Go binding around an Ethereum contract,
// with pre-set transact options.
type NoReturnTokenTransactorSession struct {
	Contract     *NoReturnTokenTransactor // Generic contract transactor binding to set the session for
	TransactOpts bind.TransactOpts        // Transaction auth options to use throughout this session
}

// NoReturnTokenRaw is an auto generated low-level Go binding around an Ethereum contract.
type NoReturnTokenRaw struct {
	Contract *NoReturnToken // Generic contract binding to access the raw methods on
}

// NoReturnTokenCallerRaw is an auto generated low-level read-only Go binding around an Ethereum contract.
type NoReturnTokenCallerRaw struct {
	Contract *NoReturnTokenCaller // Generic read-only contract binding to access the raw methods on
}

// NoReturnTokenTransactorRaw is an auto generated low-level write-only Go binding around an Ethereum contract.
type NoReturnTokenTransactorRaw struct {
	Contract *NoReturnTokenTransactor // Generic write-only contract binding to access the raw methods on
}

// NewNoReturnToken creates a new instance of NoReturnToken, bound to a specific deployed contract.
func NewNoReturnToken(address common.Address, backend bind.ContractBackend) (*NoReturnToken, error) {
	contract, err := bindNoReturnToken(address, backend, backend, backend)
	if err != nil {
		return nil, err
	}
	return &NoReturnToken{NoReturnTokenCaller: NoReturnTokenCaller{contract: contract}, NoReturnTokenTransactor: NoReturnTokenTransactor{contract: contract}, NoReturnTokenFilterer: NoReturnTokenFilterer{contract: contract}}, nil
}

// NewNoReturnTokenCaller creates a new read-only instance of NoReturnToken, bound to a specific deployed contract.
func NewNoReturnTokenCaller(address common.Address, caller bind.ContractCaller) (*NoReturnTokenCaller, error) {
	contract, err := bindNoReturnToken(address, caller, nil, nil)
	if err != nil {
		return nil, err
	}
	return &NoReturnTokenCaller{contract: contract}, nil
}

// NewNoReturnTokenTransactor creates a new write-only instance of NoReturnToken, bound to a specific deployed contract.
func NewNoReturnTokenTransactor(address common.Address, transactor bind.ContractTransactor) (*NoReturnTokenTransactor, error) {
	contract, err := bindNoReturnToken(address, nil, transactor, nil)
	if err != nil {
		return nil, err
	}
	return &NoReturnTokenTransactor{contract: contract}, nil
}

// NewNoReturnTokenFilterer creates a new log filterer instance of NoReturnToken, bound to a specific deployed contract.
func NewNoReturnTokenFilterer(address common.Address, filterer bind.ContractFilterer) (*NoReturnTokenFilterer, error) {
	contract, err := bindNoReturnToken(address, nil, nil, filterer)
	if err != nil {
		return nil, err
	}
	return &NoReturnTokenFilterer{contract: contract}, nil
}

// bindNoReturnToken binds a generic wrapper to an already deployed contract.
func bindNoReturnToken(address common.Address, caller bind.ContractCaller, transactor bind.ContractTransactor, filterer bind.ContractFilterer) (*bind.BoundContract, error) {
	parsed, err := NoReturnTokenMetaData.GetAbi()
	if err != nil {
		return nil, err
	}
	return bind.NewBoundContract(address, *parsed, caller, transactor, filterer), nil
}

// Call invokes the (constant) contract method with params as input values and
// sets the output to result. The result type might be a single field for simple
// returns, a slice of interfaces for anonymous returns and a struct for named
// returns.
func (_NoReturnToken *NoReturnTokenRaw) Call(opts *bind.CallOpts, result *[]interface{}, method string, params ...interface{}) error {
	return _NoReturnToken.Contract.NoReturnTokenCaller.contract.Call(opts, result, method, params...)
}

// Transfer initiates a plain transaction to move funds to the contract, calling
// its default method if one is available.
func (_NoReturnToken *NoReturnTokenRaw) Transfer(opts *bind.TransactOpts) (*types.Transaction, error) {
	return _NoReturnToken.Contract.NoReturnTokenTransactor.contract.Transfer(opts)
}

// Transact invokes the (paid) contract method with params as input values.
func (_NoReturnToken *NoReturnTokenRaw) Transact(opts *bind.TransactOpts, method string, params ...interface{}) (*types.Transaction, error) {
	return _NoReturnToken.Contract.NoReturnTokenTransactor.contract.Transact(opts, method, params...)
}

// Call invokes the (constant) contract method with params as input values and
// sets the output to result. The result type might be a single field for simple
// returns, a slice of interfaces for anonymous returns and a struct for named
// returns.
func (_NoReturnToken *NoReturnTokenCallerRaw) Call(opts *bind.CallOpts, result *[]interface{}, method string, params ...interface{}) error {
	return _NoReturnToken.Contract.contract.Call(opts, result, method, params...)
}

// Transfer initiates a plain transaction to move funds to the contract, calling
// its default method if one is available.
func (_NoReturnToken *NoReturnTokenTransactorRaw) Transfer(opts *bind.TransactOpts) (*types.Transaction, error) {
	return _NoReturnToken.Contract.contract.Transfer(opts)
}

// Transact invokes the (paid) contract method with params as input values.
func (_NoReturnToken *NoReturnTokenTransactorRaw) Transact(opts *bind.TransactOpts, method string, params ...interface{}) (*types.Transaction, error) {
	return _NoReturnToken.Contract.contract.Transact(opts, method, params...)
}

// Allowance is a free data retrieval call binding the contract method 0xdd62ed3e.
//
// Solidity: function allowance(address , address ) view returns(uint256)
func (_NoReturnToken *NoReturnTokenCaller) Allowance(opts *bind.CallOpts, arg0 common.Address, arg1 common.Address) (*big.Int, error) {
	var out []interface{}
	err := _NoReturnToken.contract.Call(opts, &out, "allowance", arg0, arg1)

	if err != nil {
		return *new(*big.Int), err
	}

	out0 := *abi.ConvertType(out[0], new(*big.Int)).(**big.Int)

	return out0, err

}

// Allowance is a free data retrieval call binding the contract method 0xdd62ed3e.
//
// Solidity: function allowance(address , address ) view returns(uint256)
func (_NoReturnToken *NoReturnTokenSession) Allowance(arg0 common.Address, arg1 common.Address) (*big.Int, error) {
	return _NoReturnToken.Contract.Allowance(&_NoReturnToken.CallOpts, arg0, arg1)
}

// Allowance is a free data retrieval call binding the contract method 0xdd62ed3e.
//
// Solidity: function allowance(address , address ) view returns(uint256)
func (_NoReturnToken *NoReturnTokenCallerSession) Allowance(arg0 common.Address, arg1 common.Address) (*big.Int, error) {
	return _NoReturnToken.Contract.Allowance(&_NoReturnToken.CallOpts, arg0, arg1)
}

// BalanceOf is a free data retrieval call binding the contract method 0x70a08231.
//
// Solidity: function balanceOf(address ) view returns(uint256)
func (_NoReturnToken *NoReturnTokenCaller) BalanceOf(opts *bind.CallOpts, arg0 common.Address) (*big.Int, error) {
	var out []interface{}
	err := _NoReturnToken.contract.Call(opts, &out, "balanceOf", arg0)

	if err != nil {
		return *new(*big.Int), err
	}

	out0 := *abi.ConvertType(out[0], new(*big.Int)).(**big.Int)

	return out0, err

}

// BalanceOf is a free data retrieval call binding the contract method 0x70a08231.
//
// Solidity: function balanceOf(address ) view returns(uint256)
func (_NoReturnToken *NoReturnTokenSession) BalanceOf(arg0 common.Address) (*big.Int, error) {
	return _NoReturnToken.Contract.BalanceOf(&_NoReturnToken.CallOpts, arg0)
}

// BalanceOf is a free data retrieval call binding the contract method 0x70a08231.
//
// Solidity: function balanceOf(address ) view returns(uint256)
func (_NoReturnToken *NoReturnTokenCallerSession) BalanceOf(arg0 common.Address) (*big.Int, error) {
	return _NoReturnToken.Contract.BalanceOf(&_NoReturnToken.CallOpts, arg0)
}

// Decimals is a free data retrieval call binding the contract method 0x313ce567.
//
// Solidity: function decimals() view returns(uint8)
func (_NoReturnToken *NoReturnTokenCaller) Decimals(opts *bind.CallOpts) (uint8, error) {
	var out []interface{}
	err := _NoReturnToken.contract.Call(opts, &out, "decimals")

	if err != nil {
		return *new(uint8), err
	}

	out0 := *abi.ConvertType(out[0], new(uint8)).(*uint8)

	return out0, err

}

// Decimals is a free data retrieval call binding the contract method 0x313ce567.
//
// Solidity: function decimals() view returns(uint8)
func (_NoReturnToken *NoReturnTokenSession) Decimals() (uint8, error) {
	return _NoReturnToken.Contract.Decimals(&_NoReturnToken.CallOpts)
}

// Decimals is a free data retrieval call binding the contract method 0x313ce567.
//
// Solidity: function decimals() view returns(uint8)
func (_NoReturnToken *NoReturnTokenCallerSession) Decimals() (uint8, error) {
	return _NoReturnToken.Contract.Decimals(&_NoReturnToken.CallOpts)
}

// Name is a free data retrieval call binding the contract method 0x06fdde03.
//
// Solidity: function name() view returns(string)
func (_NoReturnToken *NoReturnTokenCaller) Name(opts *bind.CallOpts) (string, error) {
	var out []interface{}
	err := _NoReturnToken.contract.Call(opts, &out, "name")

	if err != nil {
		return *new(string), err
	}

	out0 := *abi.ConvertType(out[0], new(string)).(*string)

	return out0, err

}

// Name is a free data retrieval call binding the contract method 0x06fdde03.
//
// Solidity: function name() view returns(string)
func (_NoReturnToken *NoReturnTokenSession) Name() (string, error) {
	return _NoReturnToken.Contract.Name(&_NoReturnToken.CallOpts)
}

// Name is a free data retrieval call binding the contract method 0x06fdde03.
//
// Solidity: function name() view returns(string)
func (_NoReturnToken *NoReturnTokenCallerSession) Name() (string, error) {
	return _NoReturnToken.Contract.Name(&_NoReturnToken.CallOpts)
}

// Symbol is a free data retrieval call binding the contract method 0x95d89b41.
//
// Solidity: function symbol() view returns(string)
func (_NoReturnToken *NoReturnTokenCaller) Symbol(opts *bind.CallOpts) (string, error) {
	var out []interface{}
	err := _NoReturnToken.contract.Call(opts, &out, "symbol")

	if err != nil {
		return *new(string), err
	}

	out0 := *abi.ConvertType(out[0], new(string)).(*string)

	return out0, err

}

// Symbol is a free data retrieval call binding the contract method 0x95d89b41.
//
// Solidity: function symbol() view returns(string)
func (_NoReturnToken *NoReturnTokenSession) Symbol() (string, error) {
	return _NoReturnToken.Contract.Symbol(&_NoReturnToken.CallOpts)
}

// Symbol is a free data retrieval call binding the contract method 0x95d89b41.
//
// Solidity: function symbol() view returns(string)
func (_NoReturnToken *NoReturnTokenCallerSession) Symbol() (string, error) {
	return _NoReturnToken.Contract.Symbol(&_NoReturnToken.CallOpts)
}

// TotalSupply is a free data retrieval call binding the contract method 0x18160ddd.
//
// Solidity: function totalSupply() view returns(uint256)
func (_NoReturnToken *NoReturnTokenCaller) TotalSupply(opts *bind.CallOpts) (*big.Int, error) {
	var out []interface{}
	err := _NoReturnToken.contract.Call(opts, &out, "totalSupply")

	if err != nil {
		return *new(*big.Int), err
	}

	out0 := *abi.ConvertType(out[0], new(*big.Int)).(**big.Int)

	return out0, err

}

// TotalSupply is a free data retrieval call binding the contract method 0x18160ddd.
//
// Solidity: function totalSupply() view returns(uint256)
func (_NoReturnToken *NoReturnTokenSession) TotalSupply() (*big.Int, error) {
	return _NoReturnToken.Contract.TotalSupply(&_NoReturnToken.CallOpts)
}

// TotalSupply is a free data retrieval call binding the contract method 0x18160ddd.
//
// Solidity: function totalSupply() view returns(uint256)
func (_NoReturnToken *NoReturnTokenCallerSession) TotalSupply() (*big.Int, error) {
	return _NoReturnToken.Contract.TotalSupply(&_NoReturnToken.CallOpts)
}

// Approve is a paid mutator transaction binding the contract method 0x095ea7b3.
//
// Solidity: function approve(address spender, uint256 amount) returns()
func (_NoReturnToken *NoReturnTokenTransactor) Approve(opts *bind.TransactOpts, spender common.Address, amount *big.Int) (*types.Transaction, error) {
	return _NoReturnToken.contract.Transact(opts, "approve", spender, amount)
}

// Approve is a paid mutator transaction binding the contract method 0x095ea7b3.
//
// Solidity: function approve(address spender, uint256 amount) returns()
func (_NoReturnToken *NoReturnTokenSession) Approve(spender common.Address, amount *big.Int) (*types.Transaction, error) {
	return _NoReturnToken.Contract.Approve(&_NoReturnToken.TransactOpts, spender, amount)
}

// Approve is a paid mutator transaction binding the contract method 0x095ea7b3.
//
// Solidity: function approve(address spender, uint256 amount) returns()
func (_NoReturnToken *NoReturnTokenTransactorSession) Approve(spender common.Address, amount *big.Int) (*types.Transaction, error) {
	return _NoReturnToken.Contract.Approve(&_NoReturnToken.TransactOpts, spender, amount)
}

// Mint is a paid mutator transaction binding the contract method 0x40c10f19.
//
// Solidity: function mint(address to, uint256 amount) returns()
func (_NoReturnToken *NoReturnTokenTransactor) Mint(opts *bind.TransactOpts, to common.Address, amount *big.Int) (*types.Transaction, error) {
	return _NoReturnToken.contract.Transact(opts, "mint", to, amount)
}

// Mint is a paid mutator transaction binding the contract method 0x40c10f19.
//
// Solidity: function mint(address to, uint256 amount) returns()
func (_NoReturnToken *NoReturnTokenSession) Mint(to common.Address, amount *big.Int) (*types.Transaction, error) {
	return _NoReturnToken.Contract.Mint(&_NoReturnToken.TransactOpts, to, amount)
}

// Mint is a paid mutator transaction binding the contract method 0x40c10f19.
//
// Solidity: function mint(address to, uint256 amount) returns()
func (_NoReturnToken *NoReturnTokenTransactorSession) Mint(to common.Address, amount *big.Int) (*types.Transaction, error) {
	return _NoReturnToken.Contract.Mint(&_NoReturnToken.TransactOpts, to, amount)
}

// Transfer is a paid mutator transaction binding the contract method 0xa9059cbb.
//
// Solidity: function transfer(address to, uint256 amount) returns()
func (_NoReturnToken *NoReturnTokenTransactor) Transfer(opts *bind.TransactOpts, to common.Address, amount *big.Int) (*types.Transaction, error) {
	return _NoReturnToken.contract.Transact(opts, "transfer", to, amount)
}

// Transfer is a paid mutator transaction binding the contract method 0xa9059cbb.
//
// Solidity: function transfer(address to, uint256 amount) returns()
func (_NoReturnToken *NoReturnTokenSession) Transfer(to common.Address, amount *big.Int) (*types.Transaction, error) {
	return _NoReturnToken.Contract.Transfer(&_NoReturnToken.TransactOpts, to, amount)
}

// Transfer is a paid mutator transaction binding the contract method 0xa9059cbb.
//
// Solidity: function transfer(address to, uint256 amount) returns()
func (_NoReturnToken *NoReturnTokenTransactorSession) Transfer(to common.Address, amount *big.Int) (*types.Transaction, error) {
	return _NoReturnToken.Contract.Transfer(&_NoReturnToken.TransactOpts, to, amount)
}

// TransferFrom is a paid mutator transaction binding the contract method 0x23b872dd.
//
// Solidity: function transferFrom(address from, address to, uint256 amount) returns()
func (_NoReturnToken *NoReturnTokenTransactor) TransferFrom(opts *bind.TransactOpts, from common.Address, to common.Address, amount *big.Int) (*types.Transaction, error) {
	return _NoReturnToken.contract.Transact(opts, "transferFrom", from, to, amount)
}

// TransferFrom is a paid mutator transaction binding the contract method 0x23b872dd.
//
// Solidity: function transferFrom(address from, address to, uint256 amount) returns()
func (_NoReturnToken *NoReturnTokenSession) TransferFrom(from common.Address, to common.Address, amount *big.Int) (*types.Transaction, error) {
	return _NoReturnToken.Contract.TransferFrom(&_NoReturnToken.TransactOpts, from, to, amount)
}

// TransferFrom is a paid mutator transaction binding the contract method 0x23b872dd.
//
// Solidity: function transferFrom(address from, address to, uint256 amount) returns()
func (_NoReturnToken *NoReturnTokenTransactorSession) TransferFrom(from common.Address, to common.Address, amount *big.Int) (*types.Transaction, error) {
	return _NoReturnToken.Contract.TransferFrom(&_NoReturnToken.TransactOpts, from, to, amount)
}

// NoReturnTokenTransferIterator is returned from FilterTransfer and is used to iterate over the raw logs and unpacked data for Transfer events raised by the NoReturnToken contract.
type NoReturnTokenTransferIterator struct {
	Event *NoReturnTokenTransfer // Event containing the contract specifics and raw log

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
func (it *NoReturnTokenTransferIterator) Next() bool {
	// If the iterator failed, stop iterating
	if it.fail != nil {
		return false
	}
	// If the iterator completed, deliver directly whatever's available
	if it.done {
		select {
		case log := <-it.logs:
			it.Event = new(NoReturnTokenTransfer)
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
		it.Event = new(NoReturnTokenTransfer)
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
func (it *NoReturnTokenTransferIterator) Error() error {
	return it.fail
}

// Close terminates the iteration process, releasing any pending underlying
// resources.
func (it *NoReturnTokenTransferIterator) Close() error {
	it.sub.Unsubscribe()
	return nil
}

// NoReturnTokenTransfer represents a Transfer event raised by the NoReturnToken contract.
type NoReturnTokenTransfer struct {
	From  common.Address
	To    common.Address
	Value *big.Int
	Raw   types.Log // Blockchain specific contextual infos
}

// FilterTransfer is a free log retrieval operation binding the contract event 0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef.
//
// Solidity: event Transfer(address indexed from, address indexed to, uint256 value)
func (_NoReturnToken *NoReturnTokenFilterer) FilterTransfer(opts *bind.FilterOpts, from []common.Address, to []common.Address) (*NoReturnTokenTransferIterator, error) {

	var fromRule []interface{}
	for _, fromItem := range from {
		fromRule = append(fromRule, fromItem)
	}
	var toRule []interface{}
	for _, toItem := range to {
		toRule = append(toRule, toItem)
	}

	logs, sub, err := _NoReturnToken.contract.FilterLogs(opts, "Transfer", fromRule, toRule)
	if err != nil {
		return nil, err
	}
	return &NoReturnTokenTransferIterator{contract: _NoReturnToken.contract, event: "Transfer", logs: logs, sub: sub}, nil
}

// WatchTransfer is a free log subscription operation binding the contract event 0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef.
//
// Solidity: event Transfer(address indexed from, address indexed to, uint256 value)
func (_NoReturnToken *NoReturnTokenFilterer) WatchTransfer(opts *bind.WatchOpts, sink chan<- *NoReturnTokenTransfer, from []common.Address, to []common.Address) (event.Subscription, error) {

	var fromRule []interface{}
	for _, fromItem := range from {
		fromRule = append(fromRule, fromItem)
	}
	var toRule []interface{}
	for _, toItem := range to {
		toRule = append(toRule, toItem)
	}

	logs, sub, err := _NoReturnToken.contract.WatchLogs(opts, "Transfer", fromRule, toRule)
	if err != nil {
		return nil, err
	}
	return event.NewSubscription(func(quit <-chan struct{}) error {
		defer sub.Unsubscribe()
		for {
			select {
			case log := <-logs:
				// New log arrived, parse the event and forward to the user
				event := new(NoReturnTokenTransfer)
				if err := _NoReturnToken.contract.UnpackLog(event, "Transfer", log); err != nil {
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

// ParseTransfer is a log parse operation binding the contract event 0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef.
//
// Solidity: event Transfer(address indexed from, address indexed to, uint256 value)
func (_NoReturnToken *NoReturnTokenFilterer) ParseTransfer(log types.Log) (*NoReturnTokenTransfer, error) {
	event := new(NoReturnTokenTransfer)
	if err := _NoReturnToken.contract.UnpackLog(event, "Transfer", log); err != nil {
		return nil, err
	}
	event.Raw = log
	return event, nil
}

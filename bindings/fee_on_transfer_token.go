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

// FeeOnTransferTokenMetaData contains all meta data concerning the FeeOnTransferToken contract.
var FeeOnTransferTokenMetaData = &bind.MetaData{
	ABI: "[{\"type\":\"constructor\",\"inputs\":[{\"name\":\"feeBps_\",\"type\":\"uint256\",\"internalType\":\"uint256\"}],\"stateMutability\":\"nonpayable\"},{\"type\":\"function\",\"name\":\"allowance\",\"inputs\":[{\"name\":\"\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"\",\"type\":\"address\",\"internalType\":\"address\"}],\"outputs\":[{\"name\":\"\",\"type\":\"uint256\",\"internalType\":\"uint256\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"approve\",\"inputs\":[{\"name\":\"spender\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"amount\",\"type\":\"uint256\",\"internalType\":\"uint256\"}],\"outputs\":[{\"name\":\"\",\"type\":\"bool\",\"internalType\":\"bool\"}],\"stateMutability\":\"nonpayable\"},{\"type\":\"function\",\"name\":\"balanceOf\",\"inputs\":[{\"name\":\"\",\"type\":\"address\",\"internalType\":\"address\"}],\"outputs\":[{\"name\":\"\",\"type\":\"uint256\",\"internalType\":\"uint256\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"decimals\",\"inputs\":[],\"outputs\":[{\"name\":\"\",\"type\":\"uint8\",\"internalType\":\"uint8\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"feeBps\",\"inputs\":[],\"outputs\":[{\"name\":\"\",\"type\":\"uint256\",\"internalType\":\"uint256\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"mint\",\"inputs\":[{\"name\":\"to\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"amount\",\"type\":\"uint256\",\"internalType\":\"uint256\"}],\"outputs\":[],\"stateMutability\":\"nonpayable\"},{\"type\":\"function\",\"name\":\"name\",\"inputs\":[],\"outputs\":[{\"name\":\"\",\"type\":\"string\",\"internalType\":\"string\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"symbol\",\"inputs\":[],\"outputs\":[{\"name\":\"\",\"type\":\"string\",\"internalType\":\"string\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"totalSupply\",\"inputs\":[],\"outputs\":[{\"name\":\"\",\"type\":\"uint256\",\"internalType\":\"uint256\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"transfer\",\"inputs\":[{\"name\":\"to\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"amount\",\"type\":\"uint256\",\"internalType\":\"uint256\"}],\"outputs\":[{\"name\":\"\",\"type\":\"bool\",\"internalType\":\"bool\"}],\"stateMutability\":\"nonpayable\"},{\"type\":\"function\",\"name\":\"transferFrom\",\"inputs\":[{\"name\":\"from\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"to\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"amount\",\"type\":\"uint256\",\"internalType\":\"uint256\"}],\"outputs\":[{\"name\":\"\",\"type\":\"bool\",\"internalType\":\"bool\"}],\"stateMutability\":\"nonpayable\"},{\"type\":\"event\",\"name\":\"Approval\",\"inputs\":[{\"name\":\"owner\",\"type\":\"address\",\"indexed\":true,\"internalType\":\"address\"},{\"name\":\"spender\",\"type\":\"address\",\"indexed\":true,\"internalType\":\"address\"},{\"name\":\"value\",\"type\":\"uint256\",\"indexed\":false,\"internalType\":\"uint256\"}],\"anonymous\":false},{\"type\":\"event\",\"name\":\"Transfer\",\"inputs\":[{\"name\":\"from\",\"type\":\"address\",\"indexed\":true,\"internalType\":\"address\"},{\"name\":\"to\",\"type\":\"address\",\"indexed\":true,\"internalType\":\"address\"},{\"name\":\"value\",\"type\":\"uint256\",\"indexed\":false,\"internalType\":\"uint256\"}],\"anonymous\":false}]",
	Bin: "0x60c060405234801561000f575f5ffd5b50604051610a40380380610a4083398101604081905261002e9161009a565b604051806040016040528060098152602001682332b2902a37b5b2b760b91b8152506040518060400160405280600381526020016246454560e81b8152506012825f908161007c9190610154565b5060016100898382610154565b5060ff16608052505060a052610212565b5f602082840312156100aa575f5ffd5b5051919050565b634e487b7160e01b5f52604160045260245ffd5b600181811c908216806100d957607f821691505b6020821081036100f757634e487b7160e01b5f52602260045260245ffd5b50919050565b601f82111561014f578282111561014f57805f5260205f20601f840160051c602085101561012857505f5b90810190601f840160051c035f5b8181101561014b575f83820155600101610136565b5050505b505050565b81516001600160401b0381111561016d5761016d6100b1565b6101818161017b84546100c5565b846100fd565b6020601f8211600181146101b3575f831561019c5750848201515b5f19600385901b1c1916600184901b17845561020b565b5f84815260208120601f198516915b828110156101e257878501518255602094850194600190920191016101c2565b50848210156101ff57868401515f19600387901b60f8161c191681555b505060018360011b0184555b5050505050565b60805160a05161080661023a5f395f818161011a01526104e601525f61014101526108065ff3fe608060405234801561000f575f5ffd5b50600436106100a6575f3560e01c8063313ce5671161006e578063313ce5671461013c57806340c10f191461017557806370a082311461018a57806395d89b41146101a9578063a9059cbb146101b1578063dd62ed3e146101c4575f5ffd5b806306fdde03146100aa578063095ea7b3146100c857806318160ddd146100eb57806323b872dd1461010257806324a9d85314610115575b5f5ffd5b6100b26101ee565b6040516100bf9190610625565b60405180910390f35b6100db6100d6366004610675565b610279565b60405190151581526020016100bf565b6100f460025481565b6040519081526020016100bf565b6100db61011036600461069d565b6102e5565b6100f47f000000000000000000000000000000000000000000000000000000000000000081565b6101637f000000000000000000000000000000000000000000000000000000000000000081565b60405160ff90911681526020016100bf565b610188610183366004610675565b610305565b005b6100f46101983660046106d7565b60036020525f908152604090205481565b6100b261038b565b6100db6101bf366004610675565b610398565b6100f46101d23660046106f7565b600460209081525f928352604080842090915290825290205481565b5f80546101fa90610728565b80601f016020809104026020016040519081016040528092919081815260200182805461022690610728565b80156102715780601f1061024857610100808354040283529160200191610271565b820191905f5260205f20905b81548152906001019060200180831161025457829003601f168201915b505050505081565b335f8181526004602090815260408083206001600160a01b038716808552925280832085905551919290917f8c5be1e5ebec7d5bd14f71427d1e84f3dd0314c0f7b2291e5b200ac8c7c3b925906102d39086815260200190565b60405180910390a35060015b92915050565b5f6102f084836103ad565b6102fb84848461044c565b5060019392505050565b8060025f8282546103169190610774565b90915550506001600160a01b0382165f9081526003602052604081208054839290610342908490610774565b90915550506040518181526001600160a01b038316905f907fddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef9060200160405180910390a35050565b600180546101fa90610728565b5f6103a433848461044c565b50600192915050565b6001600160a01b0382165f9081526004602090815260408083203384529091529020545f19811461044757818110156104195760405162461bcd60e51b8152602060048201526009602482015268616c6c6f77616e636560b81b60448201526064015b60405180910390fd5b6104238282610787565b6001600160a01b0384165f9081526004602090815260408083203384529091529020555b505050565b6001600160a01b03821661048c5760405162461bcd60e51b8152602060048201526007602482015266746f207a65726f60c81b6044820152606401610410565b6001600160a01b0383165f908152600360205260409020548111156104dd5760405162461bcd60e51b815260206004820152600760248201526662616c616e636560c81b6044820152606401610410565b5f61271061050b7f00000000000000000000000000000000000000000000000000000000000000008461079a565b61051591906107b1565b6001600160a01b0385165f90815260036020526040812080549293508492909190610541908490610787565b9091555061055190508183610787565b6001600160a01b0384165f9081526003602052604081208054909190610578908490610774565b925050819055508060025f8282546105909190610787565b90915550506001600160a01b038084169085167fddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef6105ce8486610787565b60405190815260200160405180910390a36040518181525f906001600160a01b038616907fddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef9060200160405180910390a350505050565b602081525f82518060208401528060208501604085015e5f604082850101526040601f19601f83011684010191505092915050565b80356001600160a01b0381168114610670575f5ffd5b919050565b5f5f60408385031215610686575f5ffd5b61068f8361065a565b946020939093013593505050565b5f5f5f606084860312156106af575f5ffd5b6106b88461065a565b92506106c66020850161065a565b929592945050506040919091013590565b5f602082840312156106e7575f5ffd5b6106f08261065a565b9392505050565b5f5f60408385031215610708575f5ffd5b6107118361065a565b915061071f6020840161065a565b90509250929050565b600181811c9082168061073c57607f821691505b60208210810361075a57634e487b7160e01b5f52602260045260245ffd5b50919050565b634e487b7160e01b5f52601160045260245ffd5b808201808211156102df576102df610760565b818103818111156102df576102df610760565b80820281158282048414176102df576102df610760565b5f826107cb57634e487b7160e01b5f52601260045260245ffd5b50049056fea2646970667358221220cd88240d7e38cb951b6c13ed93f5c48d4f87224ce5ebbed66990b559578a9a2a64736f6c63430008250033",
}

// FeeOnTransferTokenABI is the input ABI used to generate the binding from.
// Deprecated: Use FeeOnTransferTokenMetaData.ABI instead.
var FeeOnTransferTokenABI = FeeOnTransferTokenMetaData.ABI

// FeeOnTransferTokenBin is the compiled bytecode used for deploying new contracts.
// Deprecated: Use FeeOnTransferTokenMetaData.Bin instead.
var FeeOnTransferTokenBin = FeeOnTransferTokenMetaData.Bin

// DeployFeeOnTransferToken deploys a new Ethereum contract, binding an instance of FeeOnTransferToken to it.
func DeployFeeOnTransferToken(auth *bind.TransactOpts, backend bind.ContractBackend, feeBps_ *big.Int) (common.Address, *types.Transaction, *FeeOnTransferToken, error) {
	parsed, err := FeeOnTransferTokenMetaData.GetAbi()
	if err != nil {
		return common.Address{}, nil, nil, err
	}
	if parsed == nil {
		return common.Address{}, nil, nil, errors.New("GetABI returned nil")
	}

	address, tx, contract, err := bind.DeployContract(auth, *parsed, common.FromHex(FeeOnTransferTokenBin), backend, feeBps_)
	if err != nil {
		return common.Address{}, nil, nil, err
	}
	return address, tx, &FeeOnTransferToken{FeeOnTransferTokenCaller: FeeOnTransferTokenCaller{contract: contract}, FeeOnTransferTokenTransactor: FeeOnTransferTokenTransactor{contract: contract}, FeeOnTransferTokenFilterer: FeeOnTransferTokenFilterer{contract: contract}}, nil
}

// FeeOnTransferToken is an auto generated Go binding around an Ethereum contract.
type FeeOnTransferToken struct {
	FeeOnTransferTokenCaller     // Read-only binding to the contract
	FeeOnTransferTokenTransactor // Write-only binding to the contract
	FeeOnTransferTokenFilterer   // Log filterer for contract events
}

// FeeOnTransferTokenCaller is an auto generated read-only Go binding around an Ethereum contract.
type FeeOnTransferTokenCaller struct {
	contract *bind.BoundContract // Generic contract wrapper for the low level calls
}

// FeeOnTransferTokenTransactor is an auto generated write-only Go binding around an Ethereum contract.
type FeeOnTransferTokenTransactor struct {
	contract *bind.BoundContract // Generic contract wrapper for the low level calls
}

// FeeOnTransferTokenFilterer is an auto generated log filtering Go binding around an Ethereum contract events.
type FeeOnTransferTokenFilterer struct {
	contract *bind.BoundContract // Generic contract wrapper for the low level calls
}

// FeeOnTransferTokenSession is an auto generated Go binding around an Ethereum contract,
// with pre-set call and transact options.
type FeeOnTransferTokenSession struct {
	Contract     *FeeOnTransferToken // Generic contract binding to set the session for
	CallOpts     bind.CallOpts       // Call options to use throughout this session
	TransactOpts bind.TransactOpts   // Transaction auth options to use throughout this session
}

// FeeOnTransferTokenCallerSession is an auto generated read-only Go binding around an Ethereum contract,
// with pre-set call options.
type FeeOnTransferTokenCallerSession struct {
	Contract *FeeOnTransferTokenCaller // Generic contract caller binding to set the session for
	CallOpts bind.CallOpts             // Call options to use throughout this session
}

// FeeOnTransferTokenTransactorSession is an auto generated write-only Go binding around an Ethereum contract,
// with pre-set transact options.
type FeeOnTransferTokenTransactorSession struct {
	Contract     *FeeOnTransferTokenTransactor // Generic contract transactor binding to set the session for
	TransactOpts bind.TransactOpts             // Transaction auth options to use throughout this session
}

// FeeOnTransferTokenRaw is an auto generated low-level Go binding around an Ethereum contract.
type FeeOnTransferTokenRaw struct {
	Contract *FeeOnTransferToken // Generic contract binding to access the raw methods on
}

// FeeOnTransferTokenCallerRaw is an auto generated low-level read-only Go binding around an Ethereum contract.
type FeeOnTransferTokenCallerRaw struct {
	Contract *FeeOnTransferTokenCaller // Generic read-only contract binding to access the raw methods on
}

// FeeOnTransferTokenTransactorRaw is an auto generated low-level write-only Go binding around an Ethereum contract.
type FeeOnTransferTokenTransactorRaw struct {
	Contract *FeeOnTransferTokenTransactor // Generic write-only contract binding to access the raw methods on
}

// NewFeeOnTransferToken creates a new instance of FeeOnTransferToken, bound to a specific deployed contract.
func NewFeeOnTransferToken(address common.Address, backend bind.ContractBackend) (*FeeOnTransferToken, error) {
	contract, err := bindFeeOnTransferToken(address, backend, backend, backend)
	if err != nil {
		return nil, err
	}
	return &FeeOnTransferToken{FeeOnTransferTokenCaller: FeeOnTransferTokenCaller{contract: contract}, FeeOnTransferTokenTransactor: FeeOnTransferTokenTransactor{contract: contract}, FeeOnTransferTokenFilterer: FeeOnTransferTokenFilterer{contract: contract}}, nil
}

// NewFeeOnTransferTokenCaller creates a new read-only instance of FeeOnTransferToken, bound to a specific deployed contract.
func NewFeeOnTransferTokenCaller(address common.Address, caller bind.ContractCaller) (*FeeOnTransferTokenCaller, error) {
	contract, err := bindFeeOnTransferToken(address, caller, nil, nil)
	if err != nil {
		return nil, err
	}
	return &FeeOnTransferTokenCaller{contract: contract}, nil
}

// NewFeeOnTransferTokenTransactor creates a new write-only instance of FeeOnTransferToken, bound to a specific deployed contract.
func NewFeeOnTransferTokenTransactor(address common.Address, transactor bind.ContractTransactor) (*FeeOnTransferTokenTransactor, error) {
	contract, err := bindFeeOnTransferToken(address, nil, transactor, nil)
	if err != nil {
		return nil, err
	}
	return &FeeOnTransferTokenTransactor{contract: contract}, nil
}

// NewFeeOnTransferTokenFilterer creates a new log filterer instance of FeeOnTransferToken, bound to a specific deployed contract.
func NewFeeOnTransferTokenFilterer(address common.Address, filterer bind.ContractFilterer) (*FeeOnTransferTokenFilterer, error) {
	contract, err := bindFeeOnTransferToken(address, nil, nil, filterer)
	if err != nil {
		return nil, err
	}
	return &FeeOnTransferTokenFilterer{contract: contract}, nil
}

// bindFeeOnTransferToken binds a generic wrapper to an already deployed contract.
func bindFeeOnTransferToken(address common.Address, caller bind.ContractCaller, transactor bind.ContractTransactor, filterer bind.ContractFilterer) (*bind.BoundContract, error) {
	parsed, err := FeeOnTransferTokenMetaData.GetAbi()
	if err != nil {
		return nil, err
	}
	return bind.NewBoundContract(address, *parsed, caller, transactor, filterer), nil
}

// Call invokes the (constant) contract method with params as input values and
// sets the output to result. The result type might be a single field for simple
// returns, a slice of interfaces for anonymous returns and a struct for named
// returns.
func (_FeeOnTransferToken *FeeOnTransferTokenRaw) Call(opts *bind.CallOpts, result *[]interface{}, method string, params ...interface{}) error {
	return _FeeOnTransferToken.Contract.FeeOnTransferTokenCaller.contract.Call(opts, result, method, params...)
}

// Transfer initiates a plain transaction to move funds to the contract, calling
// its default method if one is available.
func (_FeeOnTransferToken *FeeOnTransferTokenRaw) Transfer(opts *bind.TransactOpts) (*types.Transaction, error) {
	return _FeeOnTransferToken.Contract.FeeOnTransferTokenTransactor.contract.Transfer(opts)
}

// Transact invokes the (paid) contract method with params as input values.
func (_FeeOnTransferToken *FeeOnTransferTokenRaw) Transact(opts *bind.TransactOpts, method string, params ...interface{}) (*types.Transaction, error) {
	return _FeeOnTransferToken.Contract.FeeOnTransferTokenTransactor.contract.Transact(opts, method, params...)
}

// Call invokes the (constant) contract method with params as input values and
// sets the output to result. The result type might be a single field for simple
// returns, a slice of interfaces for anonymous returns and a struct for named
// returns.
func (_FeeOnTransferToken *FeeOnTransferTokenCallerRaw) Call(opts *bind.CallOpts, result *[]interface{}, method string, params ...interface{}) error {
	return _FeeOnTransferToken.Contract.contract.Call(opts, result, method, params...)
}

// Transfer initiates a plain transaction to move funds to the contract, calling
// its default method if one is available.
func (_FeeOnTransferToken *FeeOnTransferTokenTransactorRaw) Transfer(opts *bind.TransactOpts) (*types.Transaction, error) {
	return _FeeOnTransferToken.Contract.contract.Transfer(opts)
}

// Transact invokes the (paid) contract method with params as input values.
func (_FeeOnTransferToken *FeeOnTransferTokenTransactorRaw) Transact(opts *bind.TransactOpts, method string, params ...interface{}) (*types.Transaction, error) {
	return _FeeOnTransferToken.Contract.contract.Transact(opts, method, params...)
}

// Allowance is a free data retrieval call binding the contract method 0xdd62ed3e.
//
// Solidity: function allowance(address , address ) view returns(uint256)
func (_FeeOnTransferToken *FeeOnTransferTokenCaller) Allowance(opts *bind.CallOpts, arg0 common.Address, arg1 common.Address) (*big.Int, error) {
	var out []interface{}
	err := _FeeOnTransferToken.contract.Call(opts, &out, "allowance", arg0, arg1)

	if err != nil {
		return *new(*big.Int), err
	}

	out0 := *abi.ConvertType(out[0], new(*big.Int)).(**big.Int)

	return out0, err

}

// Allowance is a free data retrieval call binding the contract method 0xdd62ed3e.
//
// Solidity: function allowance(address , address ) view returns(uint256)
func (_FeeOnTransferToken *FeeOnTransferTokenSession) Allowance(arg0 common.Address, arg1 common.Address) (*big.Int, error) {
	return _FeeOnTransferToken.Contract.Allowance(&_FeeOnTransferToken.CallOpts, arg0, arg1)
}

// Allowance is a free data retrieval call binding the contract method 0xdd62ed3e.
//
// Solidity: function allowance(address , address ) view returns(uint256)
func (_FeeOnTransferToken *FeeOnTransferTokenCallerSession) Allowance(arg0 common.Address, arg1 common.Address) (*big.Int, error) {
	return _FeeOnTransferToken.Contract.Allowance(&_FeeOnTransferToken.CallOpts, arg0, arg1)
}

// BalanceOf is a free data retrieval call binding the contract method 0x70a08231.
//
// Solidity: function balanceOf(address ) view returns(uint256)
func (_FeeOnTransferToken *FeeOnTransferTokenCaller) BalanceOf(opts *bind.CallOpts, arg0 common.Address) (*big.Int, error) {
	var out []interface{}
	err := _FeeOnTransferToken.contract.Call(opts, &out, "balanceOf", arg0)

	if err != nil {
		return *new(*big.Int), err
	}

	out0 := *abi.ConvertType(out[0], new(*big.Int)).(**big.Int)

	return out0, err

}

// BalanceOf is a free data retrieval call binding the contract method 0x70a08231.
//
// Solidity: function balanceOf(address ) view returns(uint256)
func (_FeeOnTransferToken *FeeOnTransferTokenSession) BalanceOf(arg0 common.Address) (*big.Int, error) {
	return _FeeOnTransferToken.Contract.BalanceOf(&_FeeOnTransferToken.CallOpts, arg0)
}

// BalanceOf is a free data retrieval call binding the contract method 0x70a08231.
//
// Solidity: function balanceOf(address ) view returns(uint256)
func (_FeeOnTransferToken *FeeOnTransferTokenCallerSession) BalanceOf(arg0 common.Address) (*big.Int, error) {
	return _FeeOnTransferToken.Contract.BalanceOf(&_FeeOnTransferToken.CallOpts, arg0)
}

// Decimals is a free data retrieval call binding the contract method 0x313ce567.
//
// Solidity: function decimals() view returns(uint8)
func (_FeeOnTransferToken *FeeOnTransferTokenCaller) Decimals(opts *bind.CallOpts) (uint8, error) {
	var out []interface{}
	err := _FeeOnTransferToken.contract.Call(opts, &out, "decimals")

	if err != nil {
		return *new(uint8), err
	}

	out0 := *abi.ConvertType(out[0], new(uint8)).(*uint8)

	return out0, err

}

// Decimals is a free data retrieval call binding the contract method 0x313ce567.
//
// Solidity: function decimals() view returns(uint8)
func (_FeeOnTransferToken *FeeOnTransferTokenSession) Decimals() (uint8, error) {
	return _FeeOnTransferToken.Contract.Decimals(&_FeeOnTransferToken.CallOpts)
}

// Decimals is a free data retrieval call binding the contract method 0x313ce567.
//
// Solidity: function decimals() view returns(uint8)
func (_FeeOnTransferToken *FeeOnTransferTokenCallerSession) Decimals() (uint8, error) {
	return _FeeOnTransferToken.Contract.Decimals(&_FeeOnTransferToken.CallOpts)
}

// FeeBps is a free data retrieval call binding the contract method 0x24a9d853.
//
// Solidity: function feeBps() view returns(uint256)
func (_FeeOnTransferToken *FeeOnTransferTokenCaller) FeeBps(opts *bind.CallOpts) (*big.Int, error) {
	var out []interface{}
	err := _FeeOnTransferToken.contract.Call(opts, &out, "feeBps")

	if err != nil {
		return *new(*big.Int), err
	}

	out0 := *abi.ConvertType(out[0], new(*big.Int)).(**big.Int)

	return out0, err

}

// FeeBps is a free data retrieval call binding the contract method 0x24a9d853.
//
// Solidity: function feeBps() view returns(uint256)
func (_FeeOnTransferToken *FeeOnTransferTokenSession) FeeBps() (*big.Int, error) {
	return _FeeOnTransferToken.Contract.FeeBps(&_FeeOnTransferToken.CallOpts)
}

// FeeBps is a free data retrieval call binding the contract method 0x24a9d853.
//
// Solidity: function feeBps() view returns(uint256)
func (_FeeOnTransferToken *FeeOnTransferTokenCallerSession) FeeBps() (*big.Int, error) {
	return _FeeOnTransferToken.Contract.FeeBps(&_FeeOnTransferToken.CallOpts)
}

// Name is a free data retrieval call binding the contract method 0x06fdde03.
//
// Solidity: function name() view returns(string)
func (_FeeOnTransferToken *FeeOnTransferTokenCaller) Name(opts *bind.CallOpts) (string, error) {
	var out []interface{}
	err := _FeeOnTransferToken.contract.Call(opts, &out, "name")

	if err != nil {
		return *new(string), err
	}

	out0 := *abi.ConvertType(out[0], new(string)).(*string)

	return out0, err

}

// Name is a free data retrieval call binding the contract method 0x06fdde03.
//
// Solidity: function name() view returns(string)
func (_FeeOnTransferToken *FeeOnTransferTokenSession) Name() (string, error) {
	return _FeeOnTransferToken.Contract.Name(&_FeeOnTransferToken.CallOpts)
}

// Name is a free data retrieval call binding the contract method 0x06fdde03.
//
// Solidity: function name() view returns(string)
func (_FeeOnTransferToken *FeeOnTransferTokenCallerSession) Name() (string, error) {
	return _FeeOnTransferToken.Contract.Name(&_FeeOnTransferToken.CallOpts)
}

// Symbol is a free data retrieval call binding the contract method 0x95d89b41.
//
// Solidity: function symbol() view returns(string)
func (_FeeOnTransferToken *FeeOnTransferTokenCaller) Symbol(opts *bind.CallOpts) (string, error) {
	var out []interface{}
	err := _FeeOnTransferToken.contract.Call(opts, &out, "symbol")

	if err != nil {
		return *new(string), err
	}

	out0 := *abi.ConvertType(out[0], new(string)).(*string)

	return out0, err

}

// Symbol is a free data retrieval call binding the contract method 0x95d89b41.
//
// Solidity: function symbol() view returns(string)
func (_FeeOnTransferToken *FeeOnTransferTokenSession) Symbol() (string, error) {
	return _FeeOnTransferToken.Contract.Symbol(&_FeeOnTransferToken.CallOpts)
}

// Symbol is a free data retrieval call binding the contract method 0x95d89b41.
//
// Solidity: function symbol() view returns(string)
func (_FeeOnTransferToken *FeeOnTransferTokenCallerSession) Symbol() (string, error) {
	return _FeeOnTransferToken.Contract.Symbol(&_FeeOnTransferToken.CallOpts)
}

// TotalSupply is a free data retrieval call binding the contract method 0x18160ddd.
//
// Solidity: function totalSupply() view returns(uint256)
func (_FeeOnTransferToken *FeeOnTransferTokenCaller) TotalSupply(opts *bind.CallOpts) (*big.Int, error) {
	var out []interface{}
	err := _FeeOnTransferToken.contract.Call(opts, &out, "totalSupply")

	if err != nil {
		return *new(*big.Int), err
	}

	out0 := *abi.ConvertType(out[0], new(*big.Int)).(**big.Int)

	return out0, err

}

// TotalSupply is a free data retrieval call binding the contract method 0x18160ddd.
//
// Solidity: function totalSupply() view returns(uint256)
func (_FeeOnTransferToken *FeeOnTransferTokenSession) TotalSupply() (*big.Int, error) {
	return _FeeOnTransferToken.Contract.TotalSupply(&_FeeOnTransferToken.CallOpts)
}

// TotalSupply is a free data retrieval call binding the contract method 0x18160ddd.
//
// Solidity: function totalSupply() view returns(uint256)
func (_FeeOnTransferToken *FeeOnTransferTokenCallerSession) TotalSupply() (*big.Int, error) {
	return _FeeOnTransferToken.Contract.TotalSupply(&_FeeOnTransferToken.CallOpts)
}

// Approve is a paid mutator transaction binding the contract method 0x095ea7b3.
//
// Solidity: function approve(address spender, uint256 amount) returns(bool)
func (_FeeOnTransferToken *FeeOnTransferTokenTransactor) Approve(opts *bind.TransactOpts, spender common.Address, amount *big.Int) (*types.Transaction, error) {
	return _FeeOnTransferToken.contract.Transact(opts, "approve", spender, amount)
}

// Approve is a paid mutator transaction binding the contract method 0x095ea7b3.
//
// Solidity: function approve(address spender, uint256 amount) returns(bool)
func (_FeeOnTransferToken *FeeOnTransferTokenSession) Approve(spender common.Address, amount *big.Int) (*types.Transaction, error) {
	return _FeeOnTransferToken.Contract.Approve(&_FeeOnTransferToken.TransactOpts, spender, amount)
}

// Approve is a paid mutator transaction binding the contract method 0x095ea7b3.
//
// Solidity: function approve(address spender, uint256 amount) returns(bool)
func (_FeeOnTransferToken *FeeOnTransferTokenTransactorSession) Approve(spender common.Address, amount *big.Int) (*types.Transaction, error) {
	return _FeeOnTransferToken.Contract.Approve(&_FeeOnTransferToken.TransactOpts, spender, amount)
}

// Mint is a paid mutator transaction binding the contract method 0x40c10f19.
//
// Solidity: function mint(address to, uint256 amount) returns()
func (_FeeOnTransferToken *FeeOnTransferTokenTransactor) Mint(opts *bind.TransactOpts, to common.Address, amount *big.Int) (*types.Transaction, error) {
	return _FeeOnTransferToken.contract.Transact(opts, "mint", to, amount)
}

// Mint is a paid mutator transaction binding the contract method 0x40c10f19.
//
// Solidity: function mint(address to, uint256 amount) returns()
func (_FeeOnTransferToken *FeeOnTransferTokenSession) Mint(to common.Address, amount *big.Int) (*types.Transaction, error) {
	return _FeeOnTransferToken.Contract.Mint(&_FeeOnTransferToken.TransactOpts, to, amount)
}

// Mint is a paid mutator transaction binding the contract method 0x40c10f19.
//
// Solidity: function mint(address to, uint256 amount) returns()
func (_FeeOnTransferToken *FeeOnTransferTokenTransactorSession) Mint(to common.Address, amount *big.Int) (*types.Transaction, error) {
	return _FeeOnTransferToken.Contract.Mint(&_FeeOnTransferToken.TransactOpts, to, amount)
}

// Transfer is a paid mutator transaction binding the contract method 0xa9059cbb.
//
// Solidity: function transfer(address to, uint256 amount) returns(bool)
func (_FeeOnTransferToken *FeeOnTransferTokenTransactor) Transfer(opts *bind.TransactOpts, to common.Address, amount *big.Int) (*types.Transaction, error) {
	return _FeeOnTransferToken.contract.Transact(opts, "transfer", to, amount)
}

// Transfer is a paid mutator transaction binding the contract method 0xa9059cbb.
//
// Solidity: function transfer(address to, uint256 amount) returns(bool)
func (_FeeOnTransferToken *FeeOnTransferTokenSession) Transfer(to common.Address, amount *big.Int) (*types.Transaction, error) {
	return _FeeOnTransferToken.Contract.Transfer(&_FeeOnTransferToken.TransactOpts, to, amount)
}

// Transfer is a paid mutator transaction binding the contract method 0xa9059cbb.
//
// Solidity: function transfer(address to, uint256 amount) returns(bool)
func (_FeeOnTransferToken *FeeOnTransferTokenTransactorSession) Transfer(to common.Address, amount *big.Int) (*types.Transaction, error) {
	return _FeeOnTransferToken.Contract.Transfer(&_FeeOnTransferToken.TransactOpts, to, amount)
}

// TransferFrom is a paid mutator transaction binding the contract method 0x23b872dd.
//
// Solidity: function transferFrom(address from, address to, uint256 amount) returns(bool)
func (_FeeOnTransferToken *FeeOnTransferTokenTransactor) TransferFrom(opts *bind.TransactOpts, from common.Address, to common.Address, amount *big.Int) (*types.Transaction, error) {
	return _FeeOnTransferToken.contract.Transact(opts, "transferFrom", from, to, amount)
}

// TransferFrom is a paid mutator transaction binding the contract method 0x23b872dd.
//
// Solidity: function transferFrom(address from, address to, uint256 amount) returns(bool)
func (_FeeOnTransferToken *FeeOnTransferTokenSession) TransferFrom(from common.Address, to common.Address, amount *big.Int) (*types.Transaction, error) {
	return _FeeOnTransferToken.Contract.TransferFrom(&_FeeOnTransferToken.TransactOpts, from, to, amount)
}

// TransferFrom is a paid mutator transaction binding the contract method 0x23b872dd.
//
// Solidity: function transferFrom(address from, address to, uint256 amount) returns(bool)
func (_FeeOnTransferToken *FeeOnTransferTokenTransactorSession) TransferFrom(from common.Address, to common.Address, amount *big.Int) (*types.Transaction, error) {
	return _FeeOnTransferToken.Contract.TransferFrom(&_FeeOnTransferToken.TransactOpts, from, to, amount)
}

// FeeOnTransferTokenApprovalIterator is returned from FilterApproval and is used to iterate over the raw logs and unpacked data for Approval events raised by the FeeOnTransferToken contract.
type FeeOnTransferTokenApprovalIterator struct {
	Event *FeeOnTransferTokenApproval // Event containing the contract specifics and raw log

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
func (it *FeeOnTransferTokenApprovalIterator) Next() bool {
	// If the iterator failed, stop iterating
	if it.fail != nil {
		return false
	}
	// If the iterator completed, deliver directly whatever's available
	if it.done {
		select {
		case log := <-it.logs:
			it.Event = new(FeeOnTransferTokenApproval)
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
		it.Event = new(FeeOnTransferTokenApproval)
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
func (it *FeeOnTransferTokenApprovalIterator) Error() error {
	return it.fail
}

// Close terminates the iteration process, releasing any pending underlying
// resources.
func (it *FeeOnTransferTokenApprovalIterator) Close() error {
	it.sub.Unsubscribe()
	return nil
}

// FeeOnTransferTokenApproval represents a Approval event raised by the FeeOnTransferToken contract.
type FeeOnTransferTokenApproval struct {
	Owner   common.Address
	Spender common.Address
	Value   *big.Int
	Raw     types.Log // Blockchain specific contextual infos
}

// FilterApproval is a free log retrieval operation binding the contract event 0x8c5be1e5ebec7d5bd14f71427d1e84f3dd0314c0f7b2291e5b200ac8c7c3b925.
//
// Solidity: event Approval(address indexed owner, address indexed spender, uint256 value)
func (_FeeOnTransferToken *FeeOnTransferTokenFilterer) FilterApproval(opts *bind.FilterOpts, owner []common.Address, spender []common.Address) (*FeeOnTransferTokenApprovalIterator, error) {

	var ownerRule []interface{}
	for _, ownerItem := range owner {
		ownerRule = append(ownerRule, ownerItem)
	}
	var spenderRule []interface{}
	for _, spenderItem := range spender {
		spenderRule = append(spenderRule, spenderItem)
	}

	logs, sub, err := _FeeOnTransferToken.contract.FilterLogs(opts, "Approval", ownerRule, spenderRule)
	if err != nil {
		return nil, err
	}
	return &FeeOnTransferTokenApprovalIterator{contract: _FeeOnTransferToken.contract, event: "Approval", logs: logs, sub: sub}, nil
}

// WatchApproval is a free log subscription operation binding the contract event 0x8c5be1e5ebec7d5bd14f71427d1e84f3dd0314c0f7b2291e5b200ac8c7c3b925.
//
// Solidity: event Approval(address indexed owner, address indexed spender, uint256 value)
func (_FeeOnTransferToken *FeeOnTransferTokenFilterer) WatchApproval(opts *bind.WatchOpts, sink chan<- *FeeOnTransferTokenApproval, owner []common.Address, spender []common.Address) (event.Subscription, error) {

	var ownerRule []interface{}
	for _, ownerItem := range owner {
		ownerRule = append(ownerRule, ownerItem)
	}
	var spenderRule []interface{}
	for _, spenderItem := range spender {
		spenderRule = append(spenderRule, spenderItem)
	}

	logs, sub, err := _FeeOnTransferToken.contract.WatchLogs(opts, "Approval", ownerRule, spenderRule)
	if err != nil {
		return nil, err
	}
	return event.NewSubscription(func(quit <-chan struct{}) error {
		defer sub.Unsubscribe()
		for {
			select {
			case log := <-logs:
				// New log arrived, parse the event and forward to the user
				event := new(FeeOnTransferTokenApproval)
				if err := _FeeOnTransferToken.contract.UnpackLog(event, "Approval", log); err != nil {
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

// ParseApproval is a log parse operation binding the contract event 0x8c5be1e5ebec7d5bd14f71427d1e84f3dd0314c0f7b2291e5b200ac8c7c3b925.
//
// Solidity: event Approval(address indexed owner, address indexed spender, uint256 value)
func (_FeeOnTransferToken *FeeOnTransferTokenFilterer) ParseApproval(log types.Log) (*FeeOnTransferTokenApproval, error) {
	event := new(FeeOnTransferTokenApproval)
	if err := _FeeOnTransferToken.contract.UnpackLog(event, "Approval", log); err != nil {
		return nil, err
	}
	event.Raw = log
	return event, nil
}

// FeeOnTransferTokenTransferIterator is returned from FilterTransfer and is used to iterate over the raw logs and unpacked data for Transfer events raised by the FeeOnTransferToken contract.
type FeeOnTransferTokenTransferIterator struct {
	Event *FeeOnTransferTokenTransfer // Event containing the contract specifics and raw log

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
func (it *FeeOnTransferTokenTransferIterator) Next() bool {
	// If the iterator failed, stop iterating
	if it.fail != nil {
		return false
	}
	// If the iterator completed, deliver directly whatever's available
	if it.done {
		select {
		case log := <-it.logs:
			it.Event = new(FeeOnTransferTokenTransfer)
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
		it.Event = new(FeeOnTransferTokenTransfer)
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
func (it *FeeOnTransferTokenTransferIterator) Error() error {
	return it.fail
}

// Close terminates the iteration process, releasing any pending underlying
// resources.
func (it *FeeOnTransferTokenTransferIterator) Close() error {
	it.sub.Unsubscribe()
	return nil
}

// FeeOnTransferTokenTransfer represents a Transfer event raised by the FeeOnTransferToken contract.
type FeeOnTransferTokenTransfer struct {
	From  common.Address
	To    common.Address
	Value *big.Int
	Raw   types.Log // Blockchain specific contextual infos
}

// FilterTransfer is a free log retrieval operation binding the contract event 0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef.
//
// Solidity: event Transfer(address indexed from, address indexed to, uint256 value)
func (_FeeOnTransferToken *FeeOnTransferTokenFilterer) FilterTransfer(opts *bind.FilterOpts, from []common.Address, to []common.Address) (*FeeOnTransferTokenTransferIterator, error) {

	var fromRule []interface{}
	for _, fromItem := range from {
		fromRule = append(fromRule, fromItem)
	}
	var toRule []interface{}
	for _, toItem := range to {
		toRule = append(toRule, toItem)
	}

	logs, sub, err := _FeeOnTransferToken.contract.FilterLogs(opts, "Transfer", fromRule, toRule)
	if err != nil {
		return nil, err
	}
	return &FeeOnTransferTokenTransferIterator{contract: _FeeOnTransferToken.contract, event: "Transfer", logs: logs, sub: sub}, nil
}

// WatchTransfer is a free log subscription operation binding the contract event 0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef.
//
// Solidity: event Transfer(address indexed from, address indexed to, uint256 value)
func (_FeeOnTransferToken *FeeOnTransferTokenFilterer) WatchTransfer(opts *bind.WatchOpts, sink chan<- *FeeOnTransferTokenTransfer, from []common.Address, to []common.Address) (event.Subscription, error) {

	var fromRule []interface{}
	for _, fromItem := range from {
		fromRule = append(fromRule, fromItem)
	}
	var toRule []interface{}
	for _, toItem := range to {
		toRule = append(toRule, toItem)
	}

	logs, sub, err := _FeeOnTransferToken.contract.WatchLogs(opts, "Transfer", fromRule, toRule)
	if err != nil {
		return nil, err
	}
	return event.NewSubscription(func(quit <-chan struct{}) error {
		defer sub.Unsubscribe()
		for {
			select {
			case log := <-logs:
				// New log arrived, parse the event and forward to the user
				event := new(FeeOnTransferTokenTransfer)
				if err := _FeeOnTransferToken.contract.UnpackLog(event, "Transfer", log); err != nil {
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
func (_FeeOnTransferToken *FeeOnTransferTokenFilterer) ParseTransfer(log types.Log) (*FeeOnTransferTokenTransfer, error) {
	event := new(FeeOnTransferTokenTransfer)
	if err := _FeeOnTransferToken.contract.UnpackLog(event, "Transfer", log); err != nil {
		return nil, err
	}
	event.Raw = log
	return event, nil
}

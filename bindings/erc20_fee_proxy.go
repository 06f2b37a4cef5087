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

// ERC20FeeProxyMetaData contains all meta data concerning the ERC20FeeProxy contract.
var ERC20FeeProxyMetaData = &bind.MetaData{
	ABI: "[{\"anonymous\":false,\"inputs\":[{\"indexed\":false,\"internalType\":\"address\",\"name\":\"tokenAddress\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"},{\"indexed\":true,\"internalType\":\"bytes\",\"name\":\"paymentReference\",\"type\":\"bytes\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"feeAmount\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"address\",\"name\":\"feeAddress\",\"type\":\"address\"}],\"name\":\"TransferWithReferenceAndFee\",\"type\":\"event\"},{\"payable\":true,\"stateMutability\":\"payable\",\"type\":\"fallback\"},{\"constant\":false,\"inputs\":[{\"internalType\":\"address\",\"name\":\"_tokenAddress\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"_to\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"_amount\",\"type\":\"uint256\"},{\"internalType\":\"bytes\",\"name\":\"_paymentReference\",\"type\":\"bytes\"},{\"internalType\":\"uint256\",\"name\":\"_feeAmount\",\"type\":\"uint256\"},{\"internalType\":\"address\",\"name\":\"_feeAddress\",\"type\":\"address\"}],\"name\":\"transferFromWithReferenceAndFee\",\"outputs\":[],\"payable\":false,\"stateMutability\":\"nonpayable\",\"type\":\"function\"}]",
}

// ERC20FeeProxyABI is the input ABI used to generate the binding from.
// Deprecated: Use ERC20FeeProxyMetaData.ABI instead.
var ERC20FeeProxyABI = ERC20FeeProxyMetaData.ABI

// ERC20FeeProxy is an auto generated Go binding around an Ethereum contract.
type ERC20FeeProxy struct {
	ERC20FeeProxyCaller     // Read-only binding to the contract
	ERC20FeeProxyTransactor // Write-only binding to the contract
	ERC20FeeProxyFilterer   // Log filterer for contract events
}

// ERC20FeeProxyCaller is an auto generated read-only Go binding around an Ethereum contract.
type ERC20FeeProxyCaller struct {
	contract *bind.BoundContract // Generic contract wrapper for the low level calls
}

// ERC20FeeProxyTransactor is an auto generated write-only Go binding around an Ethereum contract.
type ERC20FeeProxyTransactor struct {
	contract *bind.BoundContract // Generic contract wrapper for the low level calls
}

// ERC20FeeProxyFilterer is an auto generated log filtering Go binding around an Ethereum contract events.
type ERC20FeeProxyFilterer struct {
	contract *bind.BoundContract // Generic contract wrapper for the low level calls
}

// ERC20FeeProxySession is an auto generated Go binding around an Ethereum contract,
// with pre-set call and transact options.
type ERC20FeeProxySession struct {
	Contract     *ERC20FeeProxy    // Generic contract binding to set the session for
	CallOpts     bind.CallOpts     // Call options to use throughout this session
	TransactOpts bind.TransactOpts // Transaction auth options to use throughout this session
}

// ERC20FeeProxyCallerSession is an auto generated read-only Go binding around an Ethereum contract,
// with pre-set call options.
type ERC20FeeProxyCallerSession struct {
	Contract *ERC20FeeProxyCaller // Generic contract caller binding to set the session for
	CallOpts bind.CallOpts        // Call options to use throughout this session
}

// ERC20FeeProxyTransactorSession is an auto generated write-only Go binding around an Ethereum contract,
// with pre-set transact options.
type ERC20FeeProxyTransactorSession struct {
	Contract     *ERC20FeeProxyTransactor // Generic contract transactor binding to set the session for
	TransactOpts bind.TransactOpts        // Transaction auth options to use throughout this session
}

// ERC20FeeProxyRaw is an auto generated low-level Go binding around an Ethereum contract.
type ERC20FeeProxyRaw struct {
	Contract *ERC20FeeProxy // Generic contract binding to access the raw methods on
}

// ERC20FeeProxyCallerRaw is an auto generated low-level read-only Go binding around an Ethereum contract.
type ERC20FeeProxyCallerRaw struct {
	Contract *ERC20FeeProxyCaller // Generic read-only contract binding to access the raw methods on
}

// ERC20FeeProxyTransactorRaw is an auto generated low-level write-only Go binding around an Ethereum contract.
type ERC20FeeProxyTransactorRaw struct {
	Contract *ERC20FeeProxyTransactor // Generic write-only contract binding to access the raw methods on
}

// NewERC20FeeProxy creates a new instance of ERC20FeeProxy, bound to a specific deployed contract.
func NewERC20FeeProxy(address common.Address, backend bind.ContractBackend) (*ERC20FeeProxy, error) {
	contract, err := bindERC20FeeProxy(address, backend, backend, backend)
	if err != nil {
		return nil, err
	}
	return &ERC20FeeProxy{ERC20FeeProxyCaller: ERC20FeeProxyCaller{contract: contract}, ERC20FeeProxyTransactor: ERC20FeeProxyTransactor{contract: contract}, ERC20FeeProxyFilterer: ERC20FeeProxyFilterer{contract: contract}}, nil
}

// NewERC20FeeProxyCaller creates a new read-only instance of ERC20FeeProxy, bound to a specific deployed contract.
func NewERC20FeeProxyCaller(address common.Address, caller bind.ContractCaller) (*ERC20FeeProxyCaller, error) {
	contract, err := bindERC20FeeProxy(address, caller, nil, nil)
	if err != nil {
		return nil, err
	}
	return &ERC20FeeProxyCaller{contract: contract}, nil
}

// NewERC20FeeProxyTransactor creates a new write-only instance of ERC20FeeProxy, bound to a specific deployed contract.
func NewERC20FeeProxyTransactor(address common.Address, transactor bind.ContractTransactor) (*ERC20FeeProxyTransactor, error) {
	contract, err := bindERC20FeeProxy(address, nil, transactor, nil)
	if err != nil {
		return nil, err
	}
	return &ERC20FeeProxyTransactor{contract: contract}, nil
}

// NewERC20FeeProxyFilterer creates a new log filterer instance of ERC20FeeProxy, bound to a specific deployed contract.
func NewERC20FeeProxyFilterer(address common.Address, filterer bind.ContractFilterer) (*ERC20FeeProxyFilterer, error) {
	contract, err := bindERC20FeeProxy(address, nil, nil, filterer)
	if err != nil {
		return nil, err
	}
	return &ERC20FeeProxyFilterer{contract: contract}, nil
}

// bindERC20FeeProxy binds a generic wrapper to an already deployed contract.
func bindERC20FeeProxy(address common.Address, caller bind.ContractCaller, transactor bind.ContractTransactor, filterer bind.ContractFilterer) (*bind.BoundContract, error) {
	parsed, err := ERC20FeeProxyMetaData.GetAbi()
	if err != nil {
		return nil, err
	}
	return bind.NewBoundContract(address, *parsed, caller, transactor, filterer), nil
}

// Call invokes the (constant) contract method with params as input values and
// sets the output to result. The result type might be a single field for simple
// returns, a slice of interfaces for anonymous returns and a struct for named
// returns.
func (_ERC20FeeProxy *ERC20FeeProxyRaw) Call(opts *bind.CallOpts, result *[]interface{}, method string, params ...interface{}) error {
	return _ERC20FeeProxy.Contract.ERC20FeeProxyCaller.contract.Call(opts, result, method, params...)
}

// Transfer initiates a plain transaction to move funds to the contract, calling
// its default method if one is available.
func (_ERC20FeeProxy *ERC20FeeProxyRaw) Transfer(opts *bind.TransactOpts) (*types.Transaction, error) {
	return _ERC20FeeProxy.Contract.ERC20FeeProxyTransactor.contract.Transfer(opts)
}

// Transact invokes the (paid) contract method with params as input values.
func (_ERC20FeeProxy *ERC20FeeProxyRaw) Transact(opts *bind.TransactOpts, method string, params ...interface{}) (*types.Transaction, error) {
	return _ERC20FeeProxy.Contract.ERC20FeeProxyTransactor.contract.Transact(opts, method, params...)
}

// Call invokes the (constant) contract method with params as input values and
// sets the output to result. The result type might be a single field for simple
// returns, a slice of interfaces for anonymous returns and a struct for named
// returns.
func (_ERC20FeeProxy *ERC20FeeProxyCallerRaw) Call(opts *bind.CallOpts, result *[]interface{}, method string, params ...interface{}) error {
	return _ERC20FeeProxy.Contract.contract.Call(opts, result, method, params...)
}

// Transfer initiates a plain transaction to move funds to the contract, calling
// its default method if one is available.
func (_ERC20FeeProxy *ERC20FeeProxyTransactorRaw) Transfer(opts *bind.TransactOpts) (*types.Transaction, error) {
	return _ERC20FeeProxy.Contract.contract.Transfer(opts)
}

// Transact invokes the (paid) contract method with params as input values.
func (_ERC20FeeProxy *ERC20FeeProxyTransactorRaw) Transact(opts *bind.TransactOpts, method string, params ...interface{}) (*types.Transaction, error) {
	return _ERC20FeeProxy.Contract.contract.Transact(opts, method, params...)
}

// TransferFromWithReferenceAndFee is a paid mutator transaction binding the contract method 0xc219a14d.
//
// Solidity: function transferFromWithReferenceAndFee(address _tokenAddress, address _to, uint256 _amount, bytes _paymentReference, uint256 _feeAmount, address _feeAddress) returns()
func (_ERC20FeeProxy *ERC20FeeProxyTransactor) TransferFromWithReferenceAndFee(opts *bind.TransactOpts, _tokenAddress common.Address, _to common.Address, _amount *big.Int, _paymentReference []byte, _feeAmount *big.Int, _feeAddress common.Address) (*types.Transaction, error) {
	return _ERC20FeeProxy.contract.Transact(opts, "transferFromWithReferenceAndFee", _tokenAddress, _to, _amount, _paymentReference, _feeAmount, _feeAddress)
}

// TransferFromWithReferenceAndFee is a paid mutator transaction binding the contract method 0xc219a14d.
//
// Solidity: function transferFromWithReferenceAndFee(address _tokenAddress, address _to, uint256 _amount, bytes _paymentReference, uint256 _feeAmount, address _feeAddress) returns()
func (_ERC20FeeProxy *ERC20FeeProxySession) TransferFromWithReferenceAndFee(_tokenAddress common.Address, _to common.Address, _amount *big.Int, _paymentReference []byte, _feeAmount *big.Int, _feeAddress common.Address) (*types.Transaction, error) {
	return _ERC20FeeProxy.Contract.TransferFromWithReferenceAndFee(&_ERC20FeeProxy.TransactOpts, _tokenAddress, _to, _amount, _paymentReference, _feeAmount, _feeAddress)
}

// TransferFromWithReferenceAndFee is a paid mutator transaction binding the contract method 0xc219a14d.
//
// Solidity: function transferFromWithReferenceAndFee(address _tokenAddress, address _to, uint256 _amount, bytes _paymentReference, uint256 _feeAmount, address _feeAddress) returns()
func (_ERC20FeeProxy *ERC20FeeProxyTransactorSession) TransferFromWithReferenceAndFee(_tokenAddress common.Address, _to common.Address, _amount *big.Int, _paymentReference []byte, _feeAmount *big.Int, _feeAddress common.Address) (*types.Transaction, error) {
	return _ERC20FeeProxy.Contract.TransferFromWithReferenceAndFee(&_ERC20FeeProxy.TransactOpts, _tokenAddress, _to, _amount, _paymentReference, _feeAmount, _feeAddress)
}

// Fallback is a paid mutator transaction binding the contract fallback function.
//
// Solidity: fallback() payable returns()
func (_ERC20FeeProxy *ERC20FeeProxyTransactor) Fallback(opts *bind.TransactOpts, calldata []byte) (*types.Transaction, error) {
	return _ERC20FeeProxy.contract.RawTransact(opts, calldata)
}

// Fallback is a paid mutator transaction binding the contract fallback function.
//
// Solidity: fallback() payable returns()
func (_ERC20FeeProxy *ERC20FeeProxySession) Fallback(calldata []byte) (*types.Transaction, error) {
	return _ERC20FeeProxy.Contract.Fallback(&_ERC20FeeProxy.TransactOpts, calldata)
}

// Fallback is a paid mutator transaction binding the contract fallback function.
//
// Solidity: fallback() payable returns()
func (_ERC20FeeProxy *ERC20FeeProxyTransactorSession) Fallback(calldata []byte) (*types.Transaction, error) {
	return _ERC20FeeProxy.Contract.Fallback(&_ERC20FeeProxy.TransactOpts, calldata)
}

// ERC20FeeProxyTransferWithReferenceAndFeeIterator is returned from FilterTransferWithReferenceAndFee and is used to iterate over the raw logs and unpacked data for TransferWithReferenceAndFee events raised by the ERC20FeeProxy contract.
type ERC20FeeProxyTransferWithReferenceAndFeeIterator struct {
	Event *ERC20FeeProxyTransferWithReferenceAndFee // Event containing the contract specifics and raw log

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
func (it *ERC20FeeProxyTransferWithReferenceAndFeeIterator) Next() bool {
	// If the iterator failed, stop iterating
	if it.fail != nil {
		return false
	}
	// If the iterator completed, deliver directly whatever's available
	if it.done {
		select {
		case log := <-it.logs:
			it.Event = new(ERC20FeeProxyTransferWithReferenceAndFee)
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
		it.Event = new(ERC20FeeProxyTransferWithReferenceAndFee)
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
func (it *ERC20FeeProxyTransferWithReferenceAndFeeIterator) Error() error {
	return it.fail
}

// Close terminates the iteration process, releasing any pending underlying
// resources.
func (it *ERC20FeeProxyTransferWithReferenceAndFeeIterator) Close() error {
	it.sub.Unsubscribe()
	return nil
}

// ERC20FeeProxyTransferWithReferenceAndFee represents a TransferWithReferenceAndFee event raised by the ERC20FeeProxy contract.
type ERC20FeeProxyTransferWithReferenceAndFee struct {
	TokenAddress     common.Address
	To               common.Address
	Amount           *big.Int
	PaymentReference common.Hash
	FeeAmount        *big.Int
	FeeAddress       common.Address
	Raw              types.Log // Blockchain specific contextual infos
}

// FilterTransferWithReferenceAndFee is a free log retrieval operation binding the contract event 0x9f16cbcc523c67a60c450e5ffe4f3b7b6dbe772e7abcadb2686ce029a9a0a2b6.
//
// Solidity: event TransferWithReferenceAndFee(address tokenAddress, address to, uint256 amount, bytes indexed paymentReference, uint256 feeAmount, address feeAddress)
func (_ERC20FeeProxy *ERC20FeeProxyFilterer) FilterTransferWithReferenceAndFee(opts *bind.FilterOpts, paymentReference [][]byte) (*ERC20FeeProxyTransferWithReferenceAndFeeIterator, error) {

	var paymentReferenceRule []interface{}
	for _, paymentReferenceItem := range paymentReference {
		paymentReferenceRule = append(paymentReferenceRule, paymentReferenceItem)
	}

	logs, sub, err := _ERC20FeeProxy.contract.FilterLogs(opts, "TransferWithReferenceAndFee", paymentReferenceRule)
	if err != nil {
		return nil, err
	}
	return &ERC20FeeProxyTransferWithReferenceAndFeeIterator{contract: _ERC20FeeProxy.contract, event: "TransferWithReferenceAndFee", logs: logs, sub: sub}, nil
}

// WatchTransferWithReferenceAndFee is a free log subscription operation binding the contract event 0x9f16cbcc523c67a60c450e5ffe4f3b7b6dbe772e7abcadb2686ce029a9a0a2b6.
//
// Solidity: event TransferWithReferenceAndFee(address tokenAddress, address to, uint256 amount, bytes indexed paymentReference, uint256 feeAmount, address feeAddress)
func (_ERC20FeeProxy *ERC20FeeProxyFilterer) WatchTransferWithReferenceAndFee(opts *bind.WatchOpts, sink chan<- *ERC20FeeProxyTransferWithReferenceAndFee, paymentReference [][]byte) (event.Subscription, error) {

	var paymentReferenceRule []interface{}
	for _, paymentReferenceItem := range paymentReference {
		paymentReferenceRule = append(paymentReferenceRule, paymentReferenceItem)
	}

	logs, sub, err := _ERC20FeeProxy.contract.WatchLogs(opts, "TransferWithReferenceAndFee", paymentReferenceRule)
	if err != nil {
		return nil, err
	}
	return event.NewSubscription(func(quit <-chan struct{}) error {
		defer sub.Unsubscribe()
		for {
			select {
			case log := <-logs:
				// New log arrived, parse the event and forward to the user
				event := new(ERC20FeeProxyTransferWithReferenceAndFee)
				if err := _ERC20FeeProxy.contract.UnpackLog(event, "TransferWithReferenceAndFee", log); err != nil {
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

// ParseTransferWithReferenceAndFee is a log parse operation binding the contract event 0x9f16cbcc523c67a60c450e5ffe4f3b7b6dbe772e7abcadb2686ce029a9a0a2b6.
//
// Solidity: event TransferWithReferenceAndFee(address tokenAddress, address to, uint256 amount, bytes indexed paymentReference, uint256 feeAmount, address feeAddress)
func (_ERC20FeeProxy *ERC20FeeProxyFilterer) ParseTransferWithReferenceAndFee(log types.Log) (*ERC20FeeProxyTransferWithReferenceAndFee, error) {
	event := new(ERC20FeeProxyTransferWithReferenceAndFee)
	if err := _ERC20FeeProxy.contract.UnpackLog(event, "TransferWithReferenceAndFee", log); err != nil {
		return nil, err
	}
	event.Raw = log
	return event, nil
}

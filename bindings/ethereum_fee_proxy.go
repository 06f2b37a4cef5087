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

// EthereumFeeProxyMetaData contains all meta data concerning the EthereumFeeProxy contract.
var EthereumFeeProxyMetaData = &bind.MetaData{
	ABI: "[{\"anonymous\":false,\"inputs\":[{\"indexed\":false,\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"},{\"indexed\":true,\"internalType\":\"bytes\",\"name\":\"paymentReference\",\"type\":\"bytes\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"feeAmount\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"address\",\"name\":\"feeAddress\",\"type\":\"address\"}],\"name\":\"TransferWithReferenceAndFee\",\"type\":\"event\"},{\"inputs\":[{\"internalType\":\"addresspayable\",\"name\":\"_to\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"_amount\",\"type\":\"uint256\"},{\"internalType\":\"bytes\",\"name\":\"_paymentReference\",\"type\":\"bytes\"},{\"internalType\":\"uint256\",\"name\":\"_feeAmount\",\"type\":\"uint256\"},{\"internalType\":\"addresspayable\",\"name\":\"_feeAddress\",\"type\":\"address\"}],\"name\":\"transferExactEthWithReferenceAndFee\",\"outputs\":[],\"stateMutability\":\"payable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"addresspayable\",\"name\":\"_to\",\"type\":\"address\"},{\"internalType\":\"bytes\",\"name\":\"_paymentReference\",\"type\":\"bytes\"},{\"internalType\":\"uint256\",\"name\":\"_feeAmount\",\"type\":\"uint256\"},{\"internalType\":\"addresspayable\",\"name\":\"_feeAddress\",\"type\":\"address\"}],\"name\":\"transferWithReferenceAndFee\",\"outputs\":[],\"stateMutability\":\"payable\",\"type\":\"function\"},{\"stateMutability\":\"payable\",\"type\":\"receive\"}]",
}

// EthereumFeeProxyABI is the input ABI used to generate the binding from.
// Deprecated: Use EthereumFeeProxyMetaData.ABI instead.
var EthereumFeeProxyABI = EthereumFeeProxyMetaData.ABI

// EthereumFeeProxy is an auto generated Go binding around an Ethereum contract.
type EthereumFeeProxy struct {
	EthereumFeeProxyCaller     // Read-only binding to the contract
	EthereumFeeProxyTransactor // Write-only binding to the contract
	EthereumFeeProxyFilterer   // Log filterer for contract events
}

// EthereumFeeProxyCaller is an auto generated read-only Go binding around an Ethereum contract.
type EthereumFeeProxyCaller struct {
	contract *bind.BoundContract // Generic contract wrapper for the low level calls
}

// EthereumFeeProxyTransactor is an auto generated write-only Go binding around an Ethereum contract.
type EthereumFeeProxyTransactor struct {
	contract *bind.BoundContract // Generic contract wrapper for the low level calls
}

// EthereumFeeProxyFilterer is an auto generated log filtering Go binding around an Ethereum contract events.
type EthereumFeeProxyFilterer struct {
	contract *bind.BoundContract // Generic contract wrapper for the low level calls
}

// EthereumFeeProxySession is an auto generated Go binding around an Ethereum contract,
// with pre-set call and transact options.
type EthereumFeeProxySession struct {
	Contract     *EthereumFeeProxy // Generic contract binding to set the session for
	CallOpts     bind.CallOpts     // Call options to use throughout this session
	TransactOpts bind.TransactOpts // Transaction auth options to use throughout this session
}

// EthereumFeeProxyCallerSession is an auto generated read-only Go binding around an Ethereum contract,
// with pre-set call options.
type EthereumFeeProxyCallerSession struct {
	Contract *EthereumFeeProxyCaller // Generic contract caller binding to set the session for
	CallOpts bind.CallOpts           // Call options to use throughout this session
}

// EthereumFeeProxyTransactorSession is an auto generated write-only Go binding around an Ethereum contract,
// with pre-set transact options.
type EthereumFeeProxyTransactorSession struct {
	Contract     *EthereumFeeProxyTransactor // Generic contract transactor binding to set the session for
	TransactOpts bind.TransactOpts           // Transaction auth options to use throughout this session
}

// EthereumFeeProxyRaw is an auto generated low-level Go binding around an Ethereum contract.
type EthereumFeeProxyRaw struct {
	Contract *EthereumFeeProxy // Generic contract binding to access the raw methods on
}

// EthereumFeeProxyCallerRaw is an auto generated low-level read-only Go binding around an Ethereum contract.
type EthereumFeeProxyCallerRaw struct {
	Contract *EthereumFeeProxyCaller // Generic read-only contract binding to access the raw methods on
}

// EthereumFeeProxyTransactorRaw is an auto generated low-level write-only Go binding around an Ethereum contract.
type EthereumFeeProxyTransactorRaw struct {
	Contract *EthereumFeeProxyTransactor // Generic write-only contract binding to access the raw methods on
}

// NewEthereumFeeProxy creates a new instance of EthereumFeeProxy, bound to a specific deployed contract.
func NewEthereumFeeProxy(address common.Address, backend bind.ContractBackend) (*EthereumFeeProxy, error) {
	contract, err := bindEthereumFeeProxy(address, backend, backend, backend)
	if err != nil {
		return nil, err
	}
	return &EthereumFeeProxy{EthereumFeeProxyCaller: EthereumFeeProxyCaller{contract: contract}, EthereumFeeProxyTransactor: EthereumFeeProxyTransactor{contract: contract}, EthereumFeeProxyFilterer: EthereumFeeProxyFilterer{contract: contract}}, nil
}

// NewEthereumFeeProxyCaller creates a new read-only instance of EthereumFeeProxy, bound to a specific deployed contract.
func NewEthereumFeeProxyCaller(address common.Address, caller bind.ContractCaller) (*EthereumFeeProxyCaller, error) {
	contract, err := bindEthereumFeeProxy(address, caller, nil, nil)
	if err != nil {
		return nil, err
	}
	return &EthereumFeeProxyCaller{contract: contract}, nil
}

// NewEthereumFeeProxyTransactor creates a new write-only instance of EthereumFeeProxy, bound to a specific deployed contract.
func NewEthereumFeeProxyTransactor(address common.Address, transactor bind.ContractTransactor) (*EthereumFeeProxyTransactor, error) {
	contract, err := bindEthereumFeeProxy(address, nil, transactor, nil)
	if err != nil {
		return nil, err
	}
	return &EthereumFeeProxyTransactor{contract: contract}, nil
}

// NewEthereumFeeProxyFilterer creates a new log filterer instance of EthereumFeeProxy, bound to a specific deployed contract.
func NewEthereumFeeProxyFilterer(address common.Address, filterer bind.ContractFilterer) (*EthereumFeeProxyFilterer, error) {
	contract, err := bindEthereumFeeProxy(address, nil, nil, filterer)
	if err != nil {
		return nil, err
	}
	return &EthereumFeeProxyFilterer{contract: contract}, nil
}

// bindEthereumFeeProxy binds a generic wrapper to an already deployed contract.
func bindEthereumFeeProxy(address common.Address, caller bind.ContractCaller, transactor bind.ContractTransactor, filterer bind.ContractFilterer) (*bind.BoundContract, error) {
	parsed, err := EthereumFeeProxyMetaData.GetAbi()
	if err != nil {
		return nil, err
	}
	return bind.NewBoundContract(address, *parsed, caller, transactor, filterer), nil
}

// Call invokes the (constant) contract method with params as input values and
// sets the output to result. The result type might be a single field for simple
// returns, a slice of interfaces for anonymous returns and a struct for named
// returns.
func (_EthereumFeeProxy *EthereumFeeProxyRaw) Call(opts *bind.CallOpts, result *[]interface{}, method string, params ...interface{}) error {
	return _EthereumFeeProxy.Contract.EthereumFeeProxyCaller.contract.Call(opts, result, method, params...)
}

// Transfer initiates a plain transaction to move funds to the contract, calling
// its default method if one is available.
func (_EthereumFeeProxy *EthereumFeeProxyRaw) Transfer(opts *bind.TransactOpts) (*types.Transaction, error) {
	return _EthereumFeeProxy.Contract.EthereumFeeProxyTransactor.contract.Transfer(opts)
}

// Transact invokes the (paid) contract method with params as input values.
func (_EthereumFeeProxy *EthereumFeeProxyRaw) Transact(opts *bind.TransactOpts, method string, params ...interface{}) (*types.Transaction, error) {
	return _EthereumFeeProxy.Contract.EthereumFeeProxyTransactor.contract.Transact(opts, method, params...)
}

// Call invokes the (constant) contract method with params as input values and
// sets the output to result. The result type might be a single field for simple
// returns, a slice of interfaces for anonymous returns and a struct for named
// returns.
func (_EthereumFeeProxy *EthereumFeeProxyCallerRaw) Call(opts *bind.CallOpts, result *[]interface{}, method string, params ...interface{}) error {
	return _EthereumFeeProxy.Contract.contract.Call(opts, result, method, params...)
}

// Transfer initiates a plain transaction to move funds to the contract, calling
// its default method if one is available.
func (_EthereumFeeProxy *EthereumFeeProxyTransactorRaw) Transfer(opts *bind.TransactOpts) (*types.Transaction, error) {
	return _EthereumFeeProxy.Contract.contract.Transfer(opts)
}

// Transact invokes the (paid) contract method with params as input values.
func (_EthereumFeeProxy *EthereumFeeProxyTransactorRaw) Transact(opts *bind.TransactOpts, method string, params ...interface{}) (*types.Transaction, error) {
	return _EthereumFeeProxy.Contract.contract.Transact(opts, method, params...)
}

// TransferExactEthWithReferenceAndFee is a paid mutator transaction binding the contract method 0xd7c95e98.
//
// Solidity: function transferExactEthWithReferenceAndFee(address _to, uint256 _amount, bytes _paymentReference, uint256 _feeAmount, address _feeAddress) payable returns()
func (_EthereumFeeProxy *EthereumFeeProxyTransactor) TransferExactEthWithReferenceAndFee(opts *bind.TransactOpts, _to common.Address, _amount *big.Int, _paymentReference []byte, _feeAmount *big.Int, _feeAddress common.Address) (*types.Transaction, error) {
	return _EthereumFeeProxy.contract.Transact(opts, "transferExactEthWithReferenceAndFee", _to, _amount, _paymentReference, _feeAmount, _feeAddress)
}

// TransferExactEthWithReferenceAndFee is a paid mutator transaction binding the contract method 0xd7c95e98.
//
// Solidity: function transferExactEthWithReferenceAndFee(address _to, uint256 _amount, bytes _paymentReference, uint256 _feeAmount, address _feeAddress) payable returns()
func (_EthereumFeeProxy *EthereumFeeProxySession) TransferExactEthWithReferenceAndFee(_to common.Address, _amount *big.Int, _paymentReference []byte, _feeAmount *big.Int, _feeAddress common.Address) (*types.Transaction, error) {
	return _EthereumFeeProxy.Contract.TransferExactEthWithReferenceAndFee(&_EthereumFeeProxy.TransactOpts, _to, _amount, _paymentReference, _feeAmount, _feeAddress)
}

// TransferExactEthWithReferenceAndFee is a paid mutator transaction binding the contract method 0xd7c95e98.
//
// Solidity: function transferExactEthWithReferenceAndFee(address _to, uint256 _amount, bytes _paymentReference, uint256 _feeAmount, address _feeAddress) payable returns()
func (_EthereumFeeProxy *EthereumFeeProxyTransactorSession) TransferExactEthWithReferenceAndFee(_to common.Address, _amount *big.Int, _paymentReference []byte, _feeAmount *big.Int, _feeAddress common.Address) (*types.Transaction, error) {
	return _EthereumFeeProxy.Contract.TransferExactEthWithReferenceAndFee(&_EthereumFeeProxy.TransactOpts, _to, _amount, _paymentReference, _feeAmount, _feeAddress)
}

// TransferWithReferenceAndFee is a paid mutator transaction binding the contract method 0xb868980b.
//
// Solidity: function transferWithReferenceAndFee(address _to, bytes _paymentReference, uint256 _feeAmount, address _feeAddress) payable returns()
func (_EthereumFeeProxy *EthereumFeeProxyTransactor) TransferWithReferenceAndFee(opts *bind.TransactOpts, _to common.Address, _paymentReference []byte, _feeAmount *big.Int, _feeAddress common.Address) (*types.Transaction, error) {
	return _EthereumFeeProxy.contract.Transact(opts, "transferWithReferenceAndFee", _to, _paymentReference, _feeAmount, _feeAddress)
}

// TransferWithReferenceAndFee is a paid mutator transaction binding the contract method 0xb868980b.
//
// Solidity: function transferWithReferenceAndFee(address _to, bytes _paymentReference, uint256 _feeAmount, address _feeAddress) payable returns()
func (_EthereumFeeProxy *EthereumFeeProxySession) TransferWithReferenceAndFee(_to common.Address, _paymentReference []byte, _feeAmount *big.Int, _feeAddress common.Address) (*types.Transaction, error) {
	return _EthereumFeeProxy.Contract.TransferWithReferenceAndFee(&_EthereumFeeProxy.TransactOpts, _to, _paymentReference, _feeAmount, _feeAddress)
}

// TransferWithReferenceAndFee is a paid mutator transaction binding the contract method 0xb868980b.
//
// Solidity: function transferWithReferenceAndFee(address _to, bytes _paymentReference, uint256 _feeAmount, address _feeAddress) payable returns()
func (_EthereumFeeProxy *EthereumFeeProxyTransactorSession) TransferWithReferenceAndFee(_to common.Address, _paymentReference []byte, _feeAmount *big.Int, _feeAddress common.Address) (*types.Transaction, error) {
	return _EthereumFeeProxy.Contract.TransferWithReferenceAndFee(&_EthereumFeeProxy.TransactOpts, _to, _paymentReference, _feeAmount, _feeAddress)
}

// Receive is a paid mutator transaction binding the contract receive function.
//
// Solidity: receive() payable returns()
func (_EthereumFeeProxy *EthereumFeeProxyTransactor) Receive(opts *bind.TransactOpts) (*types.Transaction, error) {
	return _EthereumFeeProxy.contract.RawTransact(opts, nil) // calldata is disallowed for receive function
}

// Receive is a paid mutator transaction binding the contract receive function.
//
// Solidity: receive() payable returns()
func (_EthereumFeeProxy *EthereumFeeProxySession) Receive() (*types.Transaction, error) {
	return _EthereumFeeProxy.Contract.Receive(&_EthereumFeeProxy.TransactOpts)
}

// Receive is a paid mutator transaction binding the contract receive function.
//
// Solidity: receive() payable returns()
func (_EthereumFeeProxy *EthereumFeeProxyTransactorSession) Receive() (*types.Transaction, error) {
	return _EthereumFeeProxy.Contract.Receive(&_EthereumFeeProxy.TransactOpts)
}

// EthereumFeeProxyTransferWithReferenceAndFeeIterator is returned from FilterTransferWithReferenceAndFee and is used to iterate over the raw logs and unpacked data for TransferWithReferenceAndFee events raised by the EthereumFeeProxy contract.
type EthereumFeeProxyTransferWithReferenceAndFeeIterator struct {
	Event *EthereumFeeProxyTransferWithReferenceAndFee // Event containing the contract specifics and raw log

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
func (it *EthereumFeeProxyTransferWithReferenceAndFeeIterator) Next() bool {
	// If the iterator failed, stop iterating
	if it.fail != nil {
		return false
	}
	// If the iterator completed, deliver directly whatever's available
	if it.done {
		select {
		case log := <-it.logs:
			it.Event = new(EthereumFeeProxyTransferWithReferenceAndFee)
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
		it.Event = new(EthereumFeeProxyTransferWithReferenceAndFee)
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
func (it *EthereumFeeProxyTransferWithReferenceAndFeeIterator) Error() error {
	return it.fail
}

// Close terminates the iteration process, releasing any pending underlying
// resources.
func (it *EthereumFeeProxyTransferWithReferenceAndFeeIterator) Close() error {
	it.sub.Unsubscribe()
	return nil
}

// EthereumFeeProxyTransferWithReferenceAndFee represents a TransferWithReferenceAndFee event raised by the EthereumFeeProxy contract.
type EthereumFeeProxyTransferWithReferenceAndFee struct {
	To               common.Address
	Amount           *big.Int
	PaymentReference common.Hash
	FeeAmount        *big.Int
	FeeAddress       common.Address
	Raw              types.Log // Blockchain specific contextual infos
}

// FilterTransferWithReferenceAndFee is a free log retrieval operation binding the contract event 0xa1c241e337c4610a9d0f881111e977e9dc8690c85fe2108897bb1483c66e6a96.
//
// Solidity: event TransferWithReferenceAndFee(address to, uint256 amount, bytes indexed paymentReference, uint256 feeAmount, address feeAddress)
func (_EthereumFeeProxy *EthereumFeeProxyFilterer) FilterTransferWithReferenceAndFee(opts *bind.FilterOpts, paymentReference [][]byte) (*EthereumFeeProxyTransferWithReferenceAndFeeIterator, error) {

	var paymentReferenceRule []interface{}
	for _, paymentReferenceItem := range paymentReference {
		paymentReferenceRule = append(paymentReferenceRule, paymentReferenceItem)
	}

	logs, sub, err := _EthereumFeeProxy.contract.FilterLogs(opts, "TransferWithReferenceAndFee", paymentReferenceRule)
	if err != nil {
		return nil, err
	}
	return &EthereumFeeProxyTransferWithReferenceAndFeeIterator{contract: _EthereumFeeProxy.contract, event: "TransferWithReferenceAndFee", logs: logs, sub: sub}, nil
}

// WatchTransferWithReferenceAndFee is a free log subscription operation binding the contract event 0xa1c241e337c4610a9d0f881111e977e9dc8690c85fe2108897bb1483c66e6a96.
//
// Solidity: event TransferWithReferenceAndFee(address to, uint256 amount, bytes indexed paymentReference, uint256 feeAmount, address feeAddress)
func (_EthereumFeeProxy *EthereumFeeProxyFilterer) WatchTransferWithReferenceAndFee(opts *bind.WatchOpts, sink chan<- *EthereumFeeProxyTransferWithReferenceAndFee, paymentReference [][]byte) (event.Subscription, error) {

	var paymentReferenceRule []interface{}
	for _, paymentReferenceItem := range paymentReference {
		paymentReferenceRule = append(paymentReferenceRule, paymentReferenceItem)
	}

	logs, sub, err := _EthereumFeeProxy.contract.WatchLogs(opts, "TransferWithReferenceAndFee", paymentReferenceRule)
	if err != nil {
		return nil, err
	}
	return event.NewSubscription(func(quit <-chan struct{}) error {
		defer sub.Unsubscribe()
		for {
			select {
			case log := <-logs:
				// New log arrived, parse the event and forward to the user
				event := new(EthereumFeeProxyTransferWithReferenceAndFee)
				if err := _EthereumFeeProxy.contract.UnpackLog(event, "TransferWithReferenceAndFee", log); err != nil {
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

// ParseTransferWithReferenceAndFee is a log parse operation binding the contract event 0xa1c241e337c4610a9d0f881111e977e9dc8690c85fe2108897bb1483c66e6a96.
//
// Solidity: event TransferWithReferenceAndFee(address to, uint256 amount, bytes indexed paymentReference, uint256 feeAmount, address feeAddress)
func (_EthereumFeeProxy *EthereumFeeProxyFilterer) ParseTransferWithReferenceAndFee(log types.Log) (*EthereumFeeProxyTransferWithReferenceAndFee, error) {
	event := new(EthereumFeeProxyTransferWithReferenceAndFee)
	if err := _EthereumFeeProxy.contract.UnpackLog(event, "TransferWithReferenceAndFee", log); err != nil {
		return nil, err
	}
	event.Raw = log
	return event, nil
}

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

// AmnSweeperSweep is an auto generated low-level Go binding around an user-defined struct.
type AmnSweeperSweep struct {
	Deposit common.Address
	Token   common.Address
	Amount  *big.Int
	Ref     [32]byte
	Buyer   common.Address
	Seller  common.Address
}

// AmnSweeperMetaData contains all meta data concerning the AmnSweeper contract.
var AmnSweeperMetaData = &bind.MetaData{
	ABI: "[{\"type\":\"constructor\",\"inputs\":[{\"name\":\"operator\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"escrow\",\"type\":\"address\",\"internalType\":\"contractAmnEscrow\"}],\"stateMutability\":\"nonpayable\"},{\"type\":\"receive\",\"stateMutability\":\"payable\"},{\"type\":\"function\",\"name\":\"ENTRY_GAS\",\"inputs\":[],\"outputs\":[{\"name\":\"\",\"type\":\"uint256\",\"internalType\":\"uint256\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"ESCROW\",\"inputs\":[],\"outputs\":[{\"name\":\"\",\"type\":\"address\",\"internalType\":\"contractAmnEscrow\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"MAX_REASON\",\"inputs\":[],\"outputs\":[{\"name\":\"\",\"type\":\"uint256\",\"internalType\":\"uint256\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"OPERATOR\",\"inputs\":[],\"outputs\":[{\"name\":\"\",\"type\":\"address\",\"internalType\":\"address\"}],\"stateMutability\":\"view\"},{\"type\":\"function\",\"name\":\"payAmnEscrow\",\"inputs\":[{\"name\":\"token\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"amount\",\"type\":\"uint256\",\"internalType\":\"uint256\"}],\"outputs\":[],\"stateMutability\":\"nonpayable\"},{\"type\":\"function\",\"name\":\"sweep\",\"inputs\":[{\"name\":\"token\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"amount\",\"type\":\"uint256\",\"internalType\":\"uint256\"},{\"name\":\"ref\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"},{\"name\":\"buyer\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"seller\",\"type\":\"address\",\"internalType\":\"address\"}],\"outputs\":[{\"name\":\"id\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"},{\"name\":\"recorded\",\"type\":\"uint256\",\"internalType\":\"uint256\"}],\"stateMutability\":\"nonpayable\"},{\"type\":\"function\",\"name\":\"sweepBatch\",\"inputs\":[{\"name\":\"sweeps\",\"type\":\"tuple[]\",\"internalType\":\"structAmnSweeper.Sweep[]\",\"components\":[{\"name\":\"deposit\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"token\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"amount\",\"type\":\"uint256\",\"internalType\":\"uint256\"},{\"name\":\"ref\",\"type\":\"bytes32\",\"internalType\":\"bytes32\"},{\"name\":\"buyer\",\"type\":\"address\",\"internalType\":\"address\"},{\"name\":\"seller\",\"type\":\"address\",\"internalType\":\"address\"}]}],\"outputs\":[{\"name\":\"swept\",\"type\":\"uint256\",\"internalType\":\"uint256\"}],\"stateMutability\":\"nonpayable\"},{\"type\":\"event\",\"name\":\"SweepFailed\",\"inputs\":[{\"name\":\"deposit\",\"type\":\"address\",\"indexed\":true,\"internalType\":\"address\"},{\"name\":\"ref\",\"type\":\"bytes32\",\"indexed\":true,\"internalType\":\"bytes32\"},{\"name\":\"reason\",\"type\":\"bytes\",\"indexed\":false,\"internalType\":\"bytes\"}],\"anonymous\":false},{\"type\":\"error\",\"name\":\"Delegated\",\"inputs\":[]},{\"type\":\"error\",\"name\":\"NotDelegated\",\"inputs\":[]},{\"type\":\"error\",\"name\":\"NotEscrow\",\"inputs\":[{\"name\":\"caller\",\"type\":\"address\",\"internalType\":\"address\"}]},{\"type\":\"error\",\"name\":\"NotOperator\",\"inputs\":[{\"name\":\"caller\",\"type\":\"address\",\"internalType\":\"address\"}]},{\"type\":\"error\",\"name\":\"SafeERC20FailedOperation\",\"inputs\":[{\"name\":\"token\",\"type\":\"address\",\"internalType\":\"address\"}]},{\"type\":\"error\",\"name\":\"ZeroAddress\",\"inputs\":[]}]",
	Bin: "0x60e060405234801561000f575f5ffd5b50604051610a8f380380610a8f83398101604081905261002e9161009b565b6001600160a01b038216158061004b57506001600160a01b038116155b156100695760405163d92e233d60e01b815260040160405180910390fd5b6001600160a01b039182166080521660a0523060c0526100d3565b6001600160a01b0381168114610098575f5ffd5b50565b5f5f604083850312156100ac575f5ffd5b82516100b781610084565b60208401519092506100c881610084565b809150509250929050565b60805160a05160c05161094d6101425f395f818160800152818161024d0152818161031b015281816104b9015261050601525f81816101bc015281816101fe0152818161029b01528181610581015261063501525f8181610171015281816102d00152610485015261094d5ff3fe608060405260043610610071575f3560e01c80636d00425d1161004c5780636d00425d1461012c578063983d273714610160578063e681c4aa146101ab578063f594e320146101de575f5ffd5b806309425ecf146100c557806336278cd2146100e45780636351811f14610116575f5ffd5b366100c1576001600160a01b037f00000000000000000000000000000000000000000000000000000000000000001630036100bf57604051634e66b6bb60e11b815260040160405180910390fd5b005b5f5ffd5b3480156100d0575f5ffd5b506100bf6100df366004610765565b6101f3565b3480156100ef575f5ffd5b506101036100fe36600461078d565b6102c4565b6040519081526020015b60405180910390f35b348015610121575f5ffd5b50610103620493e081565b348015610137575f5ffd5b5061014b6101463660046107fe565b610478565b6040805192835260208301919091520161010d565b34801561016b575f5ffd5b506101937f000000000000000000000000000000000000000000000000000000000000000081565b6040516001600160a01b03909116815260200161010d565b3480156101b6575f5ffd5b506101937f000000000000000000000000000000000000000000000000000000000000000081565b3480156101e9575f5ffd5b5061010361010081565b336001600160a01b037f0000000000000000000000000000000000000000000000000000000000000000161461024357604051630447d9c560e11b81523360048201526024015b60405180910390fd5b6001600160a01b037f000000000000000000000000000000000000000000000000000000000000000016300361028c57604051634e66b6bb60e11b815260040160405180910390fd5b6102c06001600160a01b0383167f0000000000000000000000000000000000000000000000000000000000000000836106ae565b5050565b5f336001600160a01b037f0000000000000000000000000000000000000000000000000000000000000000161461031057604051633b63649d60e11b815233600482015260240161023a565b306001600160a01b037f0000000000000000000000000000000000000000000000000000000000000000161461035957604051631aa4ff0560e31b815260040160405180910390fd5b81636d00425d60e01b5f5b8281101561046f573686868381811061037f5761037f610851565b60c0029190910191505f90506103986020830183610865565b90505f60405185815260a06020850160048301375a620493e08111156103be5750620493e05b5f5f60a4845f8886f13d60401416925050811590506103e7576103e087610885565b9650610461565b60603d6101008111156103f957506101005b6040519150808252805f602084013e601f19601f8201166020830101604052508360600135836001600160a01b03167f1ab67b256557cd846ffd8043ee5133925bedb0fc68224a49d8952f971acf1d148360405161045791906108a9565b60405180910390a3505b505050806001019050610364565b50505092915050565b5f80336001600160a01b037f000000000000000000000000000000000000000000000000000000000000000016148015906104dc5750336001600160a01b037f00000000000000000000000000000000000000000000000000000000000000001614155b156104fc57604051633b63649d60e11b815233600482015260240161023a565b6001600160a01b037f000000000000000000000000000000000000000000000000000000000000000016300361054557604051634e66b6bb60e11b815260040160405180910390fd5b6001600160a01b0387166105f85760405163085b287960e01b8152600481018690526001600160a01b03858116602483015284811660448301527f0000000000000000000000000000000000000000000000000000000000000000169063085b287990889060640160206040518083038185885af11580156105c9573d5f5f3e3d5ffd5b50505050506040513d601f19601f820116820180604052508101906105ee91906108de565b91508590506106a4565b604051630a716f6760e41b8152600481018690526001600160a01b03888116602483015260448201889052858116606483015284811660848301527f0000000000000000000000000000000000000000000000000000000000000000169063a716f6709060a40160408051808303815f875af115801561067a573d5f5f3e3d5ffd5b505050506040513d601f19601f8201168201806040525081019061069e91906108f5565b90925090505b9550959350505050565b6106bb83838360016106e8565b6106e357604051635274afe760e01b81526001600160a01b038416600482015260240161023a565b505050565b60405163a9059cbb60e01b5f8181526001600160a01b038616600452602485905291602083604481808b5af1925060015f5114831661073e578383151615610732573d5f823e3d81fd5b5f873b113d1516831692505b60405250949350505050565b80356001600160a01b0381168114610760575f5ffd5b919050565b5f5f60408385031215610776575f5ffd5b61077f8361074a565b946020939093013593505050565b5f5f6020838503121561079e575f5ffd5b823567ffffffffffffffff8111156107b4575f5ffd5b8301601f810185136107c4575f5ffd5b803567ffffffffffffffff8111156107da575f5ffd5b85602060c0830284010111156107ee575f5ffd5b6020919091019590945092505050565b5f5f5f5f5f60a08688031215610812575f5ffd5b61081b8661074a565b945060208601359350604086013592506108376060870161074a565b91506108456080870161074a565b90509295509295909350565b634e487b7160e01b5f52603260045260245ffd5b5f60208284031215610875575f5ffd5b61087e8261074a565b9392505050565b5f600182016108a257634e487b7160e01b5f52601160045260245ffd5b5060010190565b602081525f82518060208401528060208501604085015e5f604082850101526040601f19601f83011684010191505092915050565b5f602082840312156108ee575f5ffd5b5051919050565b5f5f60408385031215610906575f5ffd5b50508051602090910151909290915056fea264697066735822122093e9b7cc97cac8eb6a8c5d89e47476181456dcffa69329bb3456aac2622e572364736f6c63430008250033",
}

// AmnSweeperABI is the input ABI used to generate the binding from.
// Deprecated: Use AmnSweeperMetaData.ABI instead.
var AmnSweeperABI = AmnSweeperMetaData.ABI

// AmnSweeperBin is the compiled bytecode used for deploying new contracts.
// Deprecated: Use AmnSweeperMetaData.Bin instead.
var AmnSweeperBin = AmnSweeperMetaData.Bin

// DeployAmnSweeper deploys a new Ethereum contract, binding an instance of AmnSweeper to it.
func DeployAmnSweeper(auth *bind.TransactOpts, backend bind.ContractBackend, operator common.Address, escrow common.Address) (common.Address, *types.Transaction, *AmnSweeper, error) {
	parsed, err := AmnSweeperMetaData.GetAbi()
	if err != nil {
		return common.Address{}, nil, nil, err
	}
	if parsed == nil {
		return common.Address{}, nil, nil, errors.New("GetABI returned nil")
	}

	address, tx, contract, err := bind.DeployContract(auth, *parsed, common.FromHex(AmnSweeperBin), backend, operator, escrow)
	if err != nil {
		return common.Address{}, nil, nil, err
	}
	return address, tx, &AmnSweeper{AmnSweeperCaller: AmnSweeperCaller{contract: contract}, AmnSweeperTransactor: AmnSweeperTransactor{contract: contract}, AmnSweeperFilterer: AmnSweeperFilterer{contract: contract}}, nil
}

// AmnSweeper is an auto generated Go binding around an Ethereum contract.
type AmnSweeper struct {
	AmnSweeperCaller     // Read-only binding to the contract
	AmnSweeperTransactor // Write-only binding to the contract
	AmnSweeperFilterer   // Log filterer for contract events
}

// AmnSweeperCaller is an auto generated read-only Go binding around an Ethereum contract.
type AmnSweeperCaller struct {
	contract *bind.BoundContract // Generic contract wrapper for the low level calls
}

// AmnSweeperTransactor is an auto generated write-only Go binding around an Ethereum contract.
type AmnSweeperTransactor struct {
	contract *bind.BoundContract // Generic contract wrapper for the low level calls
}

// AmnSweeperFilterer is an auto generated log filtering Go binding around an Ethereum contract events.
type AmnSweeperFilterer struct {
	contract *bind.BoundContract // Generic contract wrapper for the low level calls
}

// AmnSweeperSession is an auto generated Go binding around an Ethereum contract,
// with pre-set call and transact options.
type AmnSweeperSession struct {
	Contract     *AmnSweeper       // Generic contract binding to set the session for
	CallOpts     bind.CallOpts     // Call options to use throughout this session
	TransactOpts bind.TransactOpts // Transaction auth options to use throughout this session
}

// AmnSweeperCallerSession is an auto generated read-only Go binding around an Ethereum contract,
// with pre-set call options.
type AmnSweeperCallerSession struct {
	Contract *AmnSweeperCaller // Generic contract caller binding to set the session for
	CallOpts bind.CallOpts     // Call options to use throughout this session
}

// AmnSweeperTransactorSession is an auto generated write-only Go binding around an Ethereum contract,
// with pre-set transact options.
type AmnSweeperTransactorSession struct {
	Contract     *AmnSweeperTransactor // Generic contract transactor binding to set the session for
	TransactOpts bind.TransactOpts     // Transaction auth options to use throughout this session
}

// AmnSweeperRaw is an auto generated low-level Go binding around an Ethereum contract.
type AmnSweeperRaw struct {
	Contract *AmnSweeper // Generic contract binding to access the raw methods on
}

// AmnSweeperCallerRaw is an auto generated low-level read-only Go binding around an Ethereum contract.
type AmnSweeperCallerRaw struct {
	Contract *AmnSweeperCaller // Generic read-only contract binding to access the raw methods on
}

// AmnSweeperTransactorRaw is an auto generated low-level write-only Go binding around an Ethereum contract.
type AmnSweeperTransactorRaw struct {
	Contract *AmnSweeperTransactor // Generic write-only contract binding to access the raw methods on
}

// NewAmnSweeper creates a new instance of AmnSweeper, bound to a specific deployed contract.
func NewAmnSweeper(address common.Address, backend bind.ContractBackend) (*AmnSweeper, error) {
	contract, err := bindAmnSweeper(address, backend, backend, backend)
	if err != nil {
		return nil, err
	}
	return &AmnSweeper{AmnSweeperCaller: AmnSweeperCaller{contract: contract}, AmnSweeperTransactor: AmnSweeperTransactor{contract: contract}, AmnSweeperFilterer: AmnSweeperFilterer{contract: contract}}, nil
}

// NewAmnSweeperCaller creates a new read-only instance of AmnSweeper, bound to a specific deployed contract.
func NewAmnSweeperCaller(address common.Address, caller bind.ContractCaller) (*AmnSweeperCaller, error) {
	contract, err := bindAmnSweeper(address, caller, nil, nil)
	if err != nil {
		return nil, err
	}
	return &AmnSweeperCaller{contract: contract}, nil
}

// NewAmnSweeperTransactor creates a new write-only instance of AmnSweeper, bound to a specific deployed contract.
func NewAmnSweeperTransactor(address common.Address, transactor bind.ContractTransactor) (*AmnSweeperTransactor, error) {
	contract, err := bindAmnSweeper(address, nil, transactor, nil)
	if err != nil {
		return nil, err
	}
	return &AmnSweeperTransactor{contract: contract}, nil
}

// NewAmnSweeperFilterer creates a new log filterer instance of AmnSweeper, bound to a specific deployed contract.
func NewAmnSweeperFilterer(address common.Address, filterer bind.ContractFilterer) (*AmnSweeperFilterer, error) {
	contract, err := bindAmnSweeper(address, nil, nil, filterer)
	if err != nil {
		return nil, err
	}
	return &AmnSweeperFilterer{contract: contract}, nil
}

// bindAmnSweeper binds a generic wrapper to an already deployed contract.
func bindAmnSweeper(address common.Address, caller bind.ContractCaller, transactor bind.ContractTransactor, filterer bind.ContractFilterer) (*bind.BoundContract, error) {
	parsed, err := AmnSweeperMetaData.GetAbi()
	if err != nil {
		return nil, err
	}
	return bind.NewBoundContract(address, *parsed, caller, transactor, filterer), nil
}

// Call invokes the (constant) contract method with params as input values and
// sets the output to result. The result type might be a single field for simple
// returns, a slice of interfaces for anonymous returns and a struct for named
// returns.
func (_AmnSweeper *AmnSweeperRaw) Call(opts *bind.CallOpts, result *[]interface{}, method string, params ...interface{}) error {
	return _AmnSweeper.Contract.AmnSweeperCaller.contract.Call(opts, result, method, params...)
}

// Transfer initiates a plain transaction to move funds to the contract, calling
// its default method if one is available.
func (_AmnSweeper *AmnSweeperRaw) Transfer(opts *bind.TransactOpts) (*types.Transaction, error) {
	return _AmnSweeper.Contract.AmnSweeperTransactor.contract.Transfer(opts)
}

// Transact invokes the (paid) contract method with params as input values.
func (_AmnSweeper *AmnSweeperRaw) Transact(opts *bind.TransactOpts, method string, params ...interface{}) (*types.Transaction, error) {
	return _AmnSweeper.Contract.AmnSweeperTransactor.contract.Transact(opts, method, params...)
}

// Call invokes the (constant) contract method with params as input values and
// sets the output to result. The result type might be a single field for simple
// returns, a slice of interfaces for anonymous returns and a struct for named
// returns.
func (_AmnSweeper *AmnSweeperCallerRaw) Call(opts *bind.CallOpts, result *[]interface{}, method string, params ...interface{}) error {
	return _AmnSweeper.Contract.contract.Call(opts, result, method, params...)
}

// Transfer initiates a plain transaction to move funds to the contract, calling
// its default method if one is available.
func (_AmnSweeper *AmnSweeperTransactorRaw) Transfer(opts *bind.TransactOpts) (*types.Transaction, error) {
	return _AmnSweeper.Contract.contract.Transfer(opts)
}

// Transact invokes the (paid) contract method with params as input values.
func (_AmnSweeper *AmnSweeperTransactorRaw) Transact(opts *bind.TransactOpts, method string, params ...interface{}) (*types.Transaction, error) {
	return _AmnSweeper.Contract.contract.Transact(opts, method, params...)
}

// ENTRYGAS is a free data retrieval call binding the contract method 0x6351811f.
//
// Solidity: function ENTRY_GAS() view returns(uint256)
func (_AmnSweeper *AmnSweeperCaller) ENTRYGAS(opts *bind.CallOpts) (*big.Int, error) {
	var out []interface{}
	err := _AmnSweeper.contract.Call(opts, &out, "ENTRY_GAS")

	if err != nil {
		return *new(*big.Int), err
	}

	out0 := *abi.ConvertType(out[0], new(*big.Int)).(**big.Int)

	return out0, err

}

// ENTRYGAS is a free data retrieval call binding the contract method 0x6351811f.
//
// Solidity: function ENTRY_GAS() view returns(uint256)
func (_AmnSweeper *AmnSweeperSession) ENTRYGAS() (*big.Int, error) {
	return _AmnSweeper.Contract.ENTRYGAS(&_AmnSweeper.CallOpts)
}

// ENTRYGAS is a free data retrieval call binding the contract method 0x6351811f.
//
// Solidity: function ENTRY_GAS() view returns(uint256)
func (_AmnSweeper *AmnSweeperCallerSession) ENTRYGAS() (*big.Int, error) {
	return _AmnSweeper.Contract.ENTRYGAS(&_AmnSweeper.CallOpts)
}

// ESCROW is a free data retrieval call binding the contract method 0xe681c4aa.
//
// Solidity: function ESCROW() view returns(address)
func (_AmnSweeper *AmnSweeperCaller) ESCROW(opts *bind.CallOpts) (common.Address, error) {
	var out []interface{}
	err := _AmnSweeper.contract.Call(opts, &out, "ESCROW")

	if err != nil {
		return *new(common.Address), err
	}

	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)

	return out0, err

}

// ESCROW is a free data retrieval call binding the contract method 0xe681c4aa.
//
// Solidity: function ESCROW() view returns(address)
func (_AmnSweeper *AmnSweeperSession) ESCROW() (common.Address, error) {
	return _AmnSweeper.Contract.ESCROW(&_AmnSweeper.CallOpts)
}

// ESCROW is a free data retrieval call binding the contract method 0xe681c4aa.
//
// Solidity: function ESCROW() view returns(address)
func (_AmnSweeper *AmnSweeperCallerSession) ESCROW() (common.Address, error) {
	return _AmnSweeper.Contract.ESCROW(&_AmnSweeper.CallOpts)
}

// MAXREASON is a free data retrieval call binding the contract method 0xf594e320.
//
// Solidity: function MAX_REASON() view returns(uint256)
func (_AmnSweeper *AmnSweeperCaller) MAXREASON(opts *bind.CallOpts) (*big.Int, error) {
	var out []interface{}
	err := _AmnSweeper.contract.Call(opts, &out, "MAX_REASON")

	if err != nil {
		return *new(*big.Int), err
	}

	out0 := *abi.ConvertType(out[0], new(*big.Int)).(**big.Int)

	return out0, err

}

// MAXREASON is a free data retrieval call binding the contract method 0xf594e320.
//
// Solidity: function MAX_REASON() view returns(uint256)
func (_AmnSweeper *AmnSweeperSession) MAXREASON() (*big.Int, error) {
	return _AmnSweeper.Contract.MAXREASON(&_AmnSweeper.CallOpts)
}

// MAXREASON is a free data retrieval call binding the contract method 0xf594e320.
//
// Solidity: function MAX_REASON() view returns(uint256)
func (_AmnSweeper *AmnSweeperCallerSession) MAXREASON() (*big.Int, error) {
	return _AmnSweeper.Contract.MAXREASON(&_AmnSweeper.CallOpts)
}

// OPERATOR is a free data retrieval call binding the contract method 0x983d2737.
//
// Solidity: function OPERATOR() view returns(address)
func (_AmnSweeper *AmnSweeperCaller) OPERATOR(opts *bind.CallOpts) (common.Address, error) {
	var out []interface{}
	err := _AmnSweeper.contract.Call(opts, &out, "OPERATOR")

	if err != nil {
		return *new(common.Address), err
	}

	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)

	return out0, err

}

// OPERATOR is a free data retrieval call binding the contract method 0x983d2737.
//
// Solidity: function OPERATOR() view returns(address)
func (_AmnSweeper *AmnSweeperSession) OPERATOR() (common.Address, error) {
	return _AmnSweeper.Contract.OPERATOR(&_AmnSweeper.CallOpts)
}

// OPERATOR is a free data retrieval call binding the contract method 0x983d2737.
//
// Solidity: function OPERATOR() view returns(address)
func (_AmnSweeper *AmnSweeperCallerSession) OPERATOR() (common.Address, error) {
	return _AmnSweeper.Contract.OPERATOR(&_AmnSweeper.CallOpts)
}

// PayAmnEscrow is a paid mutator transaction binding the contract method 0x09425ecf.
//
// Solidity: function payAmnEscrow(address token, uint256 amount) returns()
func (_AmnSweeper *AmnSweeperTransactor) PayAmnEscrow(opts *bind.TransactOpts, token common.Address, amount *big.Int) (*types.Transaction, error) {
	return _AmnSweeper.contract.Transact(opts, "payAmnEscrow", token, amount)
}

// PayAmnEscrow is a paid mutator transaction binding the contract method 0x09425ecf.
//
// Solidity: function payAmnEscrow(address token, uint256 amount) returns()
func (_AmnSweeper *AmnSweeperSession) PayAmnEscrow(token common.Address, amount *big.Int) (*types.Transaction, error) {
	return _AmnSweeper.Contract.PayAmnEscrow(&_AmnSweeper.TransactOpts, token, amount)
}

// PayAmnEscrow is a paid mutator transaction binding the contract method 0x09425ecf.
//
// Solidity: function payAmnEscrow(address token, uint256 amount) returns()
func (_AmnSweeper *AmnSweeperTransactorSession) PayAmnEscrow(token common.Address, amount *big.Int) (*types.Transaction, error) {
	return _AmnSweeper.Contract.PayAmnEscrow(&_AmnSweeper.TransactOpts, token, amount)
}

// Sweep is a paid mutator transaction binding the contract method 0x6d00425d.
//
// Solidity: function sweep(address token, uint256 amount, bytes32 ref, address buyer, address seller) returns(bytes32 id, uint256 recorded)
func (_AmnSweeper *AmnSweeperTransactor) Sweep(opts *bind.TransactOpts, token common.Address, amount *big.Int, ref [32]byte, buyer common.Address, seller common.Address) (*types.Transaction, error) {
	return _AmnSweeper.contract.Transact(opts, "sweep", token, amount, ref, buyer, seller)
}

// Sweep is a paid mutator transaction binding the contract method 0x6d00425d.
//
// Solidity: function sweep(address token, uint256 amount, bytes32 ref, address buyer, address seller) returns(bytes32 id, uint256 recorded)
func (_AmnSweeper *AmnSweeperSession) Sweep(token common.Address, amount *big.Int, ref [32]byte, buyer common.Address, seller common.Address) (*types.Transaction, error) {
	return _AmnSweeper.Contract.Sweep(&_AmnSweeper.TransactOpts, token, amount, ref, buyer, seller)
}

// Sweep is a paid mutator transaction binding the contract method 0x6d00425d.
//
// Solidity: function sweep(address token, uint256 amount, bytes32 ref, address buyer, address seller) returns(bytes32 id, uint256 recorded)
func (_AmnSweeper *AmnSweeperTransactorSession) Sweep(token common.Address, amount *big.Int, ref [32]byte, buyer common.Address, seller common.Address) (*types.Transaction, error) {
	return _AmnSweeper.Contract.Sweep(&_AmnSweeper.TransactOpts, token, amount, ref, buyer, seller)
}

// SweepBatch is a paid mutator transaction binding the contract method 0x36278cd2.
//
// Solidity: function sweepBatch((address,address,uint256,bytes32,address,address)[] sweeps) returns(uint256 swept)
func (_AmnSweeper *AmnSweeperTransactor) SweepBatch(opts *bind.TransactOpts, sweeps []AmnSweeperSweep) (*types.Transaction, error) {
	return _AmnSweeper.contract.Transact(opts, "sweepBatch", sweeps)
}

// SweepBatch is a paid mutator transaction binding the contract method 0x36278cd2.
//
// Solidity: function sweepBatch((address,address,uint256,bytes32,address,address)[] sweeps) returns(uint256 swept)
func (_AmnSweeper *AmnSweeperSession) SweepBatch(sweeps []AmnSweeperSweep) (*types.Transaction, error) {
	return _AmnSweeper.Contract.SweepBatch(&_AmnSweeper.TransactOpts, sweeps)
}

// SweepBatch is a paid mutator transaction binding the contract method 0x36278cd2.
//
// Solidity: function sweepBatch((address,address,uint256,bytes32,address,address)[] sweeps) returns(uint256 swept)
func (_AmnSweeper *AmnSweeperTransactorSession) SweepBatch(sweeps []AmnSweeperSweep) (*types.Transaction, error) {
	return _AmnSweeper.Contract.SweepBatch(&_AmnSweeper.TransactOpts, sweeps)
}

// Receive is a paid mutator transaction binding the contract receive function.
//
// Solidity: receive() payable returns()
func (_AmnSweeper *AmnSweeperTransactor) Receive(opts *bind.TransactOpts) (*types.Transaction, error) {
	return _AmnSweeper.contract.RawTransact(opts, nil) // calldata is disallowed for receive function
}

// Receive is a paid mutator transaction binding the contract receive function.
//
// Solidity: receive() payable returns()
func (_AmnSweeper *AmnSweeperSession) Receive() (*types.Transaction, error) {
	return _AmnSweeper.Contract.Receive(&_AmnSweeper.TransactOpts)
}

// Receive is a paid mutator transaction binding the contract receive function.
//
// Solidity: receive() payable returns()
func (_AmnSweeper *AmnSweeperTransactorSession) Receive() (*types.Transaction, error) {
	return _AmnSweeper.Contract.Receive(&_AmnSweeper.TransactOpts)
}

// AmnSweeperSweepFailedIterator is returned from FilterSweepFailed and is used to iterate over the raw logs and unpacked data for SweepFailed events raised by the AmnSweeper contract.
type AmnSweeperSweepFailedIterator struct {
	Event *AmnSweeperSweepFailed // Event containing the contract specifics and raw log

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
func (it *AmnSweeperSweepFailedIterator) Next() bool {
	// If the iterator failed, stop iterating
	if it.fail != nil {
		return false
	}
	// If the iterator completed, deliver directly whatever's available
	if it.done {
		select {
		case log := <-it.logs:
			it.Event = new(AmnSweeperSweepFailed)
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
		it.Event = new(AmnSweeperSweepFailed)
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
func (it *AmnSweeperSweepFailedIterator) Error() error {
	return it.fail
}

// Close terminates the iteration process, releasing any pending underlying
// resources.
func (it *AmnSweeperSweepFailedIterator) Close() error {
	it.sub.Unsubscribe()
	return nil
}

// AmnSweeperSweepFailed represents a SweepFailed event raised by the AmnSweeper contract.
type AmnSweeperSweepFailed struct {
	Deposit common.Address
	Ref     [32]byte
	Reason  []byte
	Raw     types.Log // Blockchain specific contextual infos
}

// FilterSweepFailed is a free log retrieval operation binding the contract event 0x1ab67b256557cd846ffd8043ee5133925bedb0fc68224a49d8952f971acf1d14.
//
// Solidity: event SweepFailed(address indexed deposit, bytes32 indexed ref, bytes reason)
func (_AmnSweeper *AmnSweeperFilterer) FilterSweepFailed(opts *bind.FilterOpts, deposit []common.Address, ref [][32]byte) (*AmnSweeperSweepFailedIterator, error) {

	var depositRule []interface{}
	for _, depositItem := range deposit {
		depositRule = append(depositRule, depositItem)
	}
	var refRule []interface{}
	for _, refItem := range ref {
		refRule = append(refRule, refItem)
	}

	logs, sub, err := _AmnSweeper.contract.FilterLogs(opts, "SweepFailed", depositRule, refRule)
	if err != nil {
		return nil, err
	}
	return &AmnSweeperSweepFailedIterator{contract: _AmnSweeper.contract, event: "SweepFailed", logs: logs, sub: sub}, nil
}

// WatchSweepFailed is a free log subscription operation binding the contract event 0x1ab67b256557cd846ffd8043ee5133925bedb0fc68224a49d8952f971acf1d14.
//
// Solidity: event SweepFailed(address indexed deposit, bytes32 indexed ref, bytes reason)
func (_AmnSweeper *AmnSweeperFilterer) WatchSweepFailed(opts *bind.WatchOpts, sink chan<- *AmnSweeperSweepFailed, deposit []common.Address, ref [][32]byte) (event.Subscription, error) {

	var depositRule []interface{}
	for _, depositItem := range deposit {
		depositRule = append(depositRule, depositItem)
	}
	var refRule []interface{}
	for _, refItem := range ref {
		refRule = append(refRule, refItem)
	}

	logs, sub, err := _AmnSweeper.contract.WatchLogs(opts, "SweepFailed", depositRule, refRule)
	if err != nil {
		return nil, err
	}
	return event.NewSubscription(func(quit <-chan struct{}) error {
		defer sub.Unsubscribe()
		for {
			select {
			case log := <-logs:
				// New log arrived, parse the event and forward to the user
				event := new(AmnSweeperSweepFailed)
				if err := _AmnSweeper.contract.UnpackLog(event, "SweepFailed", log); err != nil {
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

// ParseSweepFailed is a log parse operation binding the contract event 0x1ab67b256557cd846ffd8043ee5133925bedb0fc68224a49d8952f971acf1d14.
//
// Solidity: event SweepFailed(address indexed deposit, bytes32 indexed ref, bytes reason)
func (_AmnSweeper *AmnSweeperFilterer) ParseSweepFailed(log types.Log) (*AmnSweeperSweepFailed, error) {
	event := new(AmnSweeperSweepFailed)
	if err := _AmnSweeper.contract.UnpackLog(event, "SweepFailed", log); err != nil {
		return nil, err
	}
	event.Raw = log
	return event, nil
}

// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {AmnEscrow, IAmnEscrowPayer} from "./AmnEscrow.sol";

/// @title AmnSweeper
/// @notice The code deposit addresses delegate to (EIP-7702), so that the gas tank can sweep many
/// deposits into AmnEscrow in one transaction: no gas top-up, no transaction signed per deposit,
/// no native dust left behind.
/// @dev Two roles for one deployment:
/// - At its own address, `sweepBatch` is the operator's entry point: it calls `sweep` on each
///   deposit named (one call per deposit, whose failure does not stop the others: `SweepFailed`
///   says which and why).
/// - As a deposit's delegated code, `sweep` moves exactly the amount named of one token (or of
///   the native currency) into `ESCROW` with `fundByTransfer` (the escrow calls back
///   `payAmnEscrow`, which transfers that amount to the escrow) or `fundNative`, opening the escrow
///   `escrowId(deposit, ref)` for the buyer and seller named. Nothing else: no other destination,
///   no other call, no arbitrary execution, no allowance left behind. The amount is the one the
///   books credited, never "whatever the deposit holds": anyone can send a deposit dust just
///   before a batch, and the escrow must record what the books say (what is left over stays on
///   the deposit until it is credited and swept in its turn).
/// Delegated code runs in the deposit's storage, so this contract has no storage at all: the
/// operator, the escrow and its own address are immutables (part of the code).
/// Callers of `sweep`: the operator itself, or this contract at its own address (which only the
/// operator can make call, through `sweepBatch`). Anyone else is refused.
contract AmnSweeper is IAmnEscrowPayer {
    using SafeERC20 for IERC20;

    /// @notice One deposit to sweep: `amount` of its `token` (address(0): the native currency) goes
    /// into the escrow `ESCROW.escrowId(deposit, ref)` for `buyer` and `seller`.
    struct Sweep {
        address deposit;
        address token;
        uint256 amount;
        bytes32 ref;
        address buyer;
        address seller;
    }

    /// @notice The only address that may start a sweep (the signer's operator key, its gas tank).
    address public immutable OPERATOR;
    /// @notice The only destination of a sweep.
    AmnEscrow public immutable ESCROW;
    /// @dev This deployment's own address (as code: under delegation `address(this)` is the deposit).
    address private immutable SELF;

    /// @notice The most gas one entry of a batch may use (a token's first funding in the escrow,
    /// which writes its registry entry, needs about 170,000): a token that burns all it is given
    /// costs the batch this much, not the rest of the batch.
    uint256 public constant ENTRY_GAS = 300_000;
    /// @notice The most revert data `SweepFailed` carries (a token's custom error or message).
    uint256 public constant MAX_REASON = 256;

    /// @notice A deposit of a batch that was not swept (its balance stays where it was); `reason`
    /// is the start (at most MAX_REASON bytes) of what the deposit's call reverted with.
    event SweepFailed(address indexed deposit, bytes32 indexed ref, bytes reason);

    error NotOperator(address caller);
    error NotEscrow(address caller);
    error NotDelegated();
    error Delegated();
    error ZeroAddress();

    constructor(address operator, AmnEscrow escrow) {
        if (operator == address(0) || address(escrow) == address(0)) revert ZeroAddress();
        OPERATOR = operator;
        ESCROW = escrow;
        SELF = address(this);
    }

    /// @notice Operator only, on this contract's own address: sweeps each deposit (which must have
    /// delegated to this contract). Returns how many were swept.
    function sweepBatch(Sweep[] calldata sweeps) external returns (uint256 swept) {
        if (msg.sender != OPERATOR) revert NotOperator(msg.sender);
        if (address(this) != SELF) revert Delegated();
        uint256 n = sweeps.length;
        bytes4 selector = AmnSweeper.sweep.selector;
        for (uint256 i = 0; i < n; ++i) {
            Sweep calldata s = sweeps[i];
            address deposit = s.deposit;
            bool ok;
            // sweep(token, amount, ref, buyer, seller) built in scratch memory (one buffer for the
            // whole loop), called with no value and at most ENTRY_GAS. An address that has not
            // delegated here (no code) "succeeds" with no return data, which is not a sweep:
            // success means 64 bytes back. The deposit's ABI decoder checks the arguments (a dirty
            // address reverts there).
            assembly ("memory-safe") {
                let p := mload(0x40)
                mstore(p, selector)
                calldatacopy(add(p, 4), add(s, 0x20), 0xa0) // token, amount, ref, buyer, seller
                let g := gas()
                if gt(g, ENTRY_GAS) { g := ENTRY_GAS }
                ok := call(g, deposit, 0, p, 0xa4, 0, 0)
                ok := and(ok, eq(returndatasize(), 64)) // after the call (Yul evaluates right to left)
            }
            if (ok) {
                ++swept;
            } else {
                bytes memory reason;
                assembly ("memory-safe") {
                    let size := returndatasize()
                    if gt(size, MAX_REASON) { size := MAX_REASON }
                    reason := mload(0x40)
                    mstore(reason, size)
                    returndatacopy(add(reason, 0x20), 0, size)
                    mstore(0x40, add(add(reason, 0x20), and(add(size, 31), not(31))))
                }
                emit SweepFailed(deposit, s.ref, reason);
            }
        }
    }

    /// @notice Runs as a deposit's code: moves exactly `amount` of `token` (address(0): the native
    /// currency) into the escrow `ESCROW.escrowId(address(this), ref)` for `buyer` and `seller`;
    /// reverts when the deposit holds less. Only the operator, or this contract's `sweepBatch`,
    /// may call it.
    /// @return id the escrow opened
    /// @return recorded what the escrow recorded (`amount`)
    function sweep(address token, uint256 amount, bytes32 ref, address buyer, address seller)
        external
        returns (bytes32 id, uint256 recorded)
    {
        if (msg.sender != OPERATOR && msg.sender != SELF) revert NotOperator(msg.sender);
        if (address(this) == SELF) revert NotDelegated();
        if (token == address(0)) {
            // A deposit holding less reverts in the call (insufficient balance).
            id = ESCROW.fundNative{value: amount}(ref, buyer, seller);
            recorded = amount;
        } else {
            // The escrow calls back payAmnEscrow, which transfers `amount` to it.
            (id, recorded) = ESCROW.fundByTransfer(ref, token, amount, buyer, seller);
        }
    }

    /// @notice Runs as a deposit's code, called back by the escrow inside `fundByTransfer` (which
    /// only `sweep` calls, and which calls back only its own caller): transfers `amount` of
    /// `token` to the escrow. Anyone else is refused.
    function payAmnEscrow(address token, uint256 amount) external {
        if (msg.sender != address(ESCROW)) revert NotEscrow(msg.sender);
        if (address(this) == SELF) revert NotDelegated();
        IERC20(token).safeTransfer(address(ESCROW), amount);
    }

    /// @notice A delegated deposit still takes the native currency like a plain address does
    /// (a buyer paying it, a refund of a fee proxy). Nothing is done with it here.
    receive() external payable {
        if (address(this) == SELF) revert NotDelegated(); // the sweeper itself holds nothing
    }
}

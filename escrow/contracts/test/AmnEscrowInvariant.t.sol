// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AmnEscrow} from "../AmnEscrow.sol";
import {EscrowFixture} from "./EscrowFixture.sol";
import {EscrowHandler, IMintable} from "./EscrowHandler.sol";

contract AmnEscrowInvariantTest is EscrowFixture {
    EscrowHandler internal handler;

    function setUp() public override {
        super.setUp();
        address[] memory tokens = new address[](4);
        (tokens[0], tokens[1], tokens[2], tokens[3]) = (address(dai), address(usdt), address(feeToken), address(0));
        handler = new EscrowHandler(escrow, keys, arbiter, tokens);
    }

    /// @dev Read by forge: only the handler is called during invariant runs.
    function targetContracts() public view returns (address[] memory t) {
        t = new address[](1);
        t[0] = address(handler);
    }

    /// The contract holds exactly the sum of its open escrows, per token, and its own running
    /// total agrees.
    function invariant_balanceEqualsOpenEscrows() public view {
        address[] memory tokens = handler.tokens();
        uint256 n = handler.idCount();
        for (uint256 t = 0; t < tokens.length; ++t) {
            uint256 sum;
            for (uint256 i = 0; i < n; ++i) {
                (address token,, AmnEscrow.Status st,,,, uint256 amount) = escrow.escrows(handler.ids(i));
                if (token == tokens[t] && st == AmnEscrow.Status.Open) sum += amount;
            }
            uint256 balance =
                tokens[t] == address(0) ? address(escrow).balance : IMintable(tokens[t]).balanceOf(address(escrow));
            vm.assertEq(balance, sum, "balance == sum of open escrows");
            vm.assertEq(escrow.totalEscrowed(tokens[t]), sum, "totalEscrowed == sum of open escrows");
        }
    }

    /// Every escrow is in the state the handler's successful calls put it in: nothing closes
    /// without one of them, and a closed escrow never reopens.
    function invariant_statusFollowsSuccessfulCalls() public view {
        uint256 n = handler.idCount();
        for (uint256 i = 0; i < n; ++i) {
            bytes32 id = handler.ids(i);
            vm.assertEq(uint256(status(id)), uint256(handler.expectedStatus(id)), "status");
        }
    }

    function invariant_forgedApprovalsNeverSucceed() public view {
        vm.assertEq(handler.forgedSuccesses(), 0, "forged approvals");
    }
}

// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AmnEscrow} from "../AmnEscrow.sol";
import {EscrowFixture} from "./EscrowFixture.sol";
import {FeeOnTransferToken} from "./Tokens.sol";

contract AmnEscrowFuzzTest is EscrowFixture {
    /// A 3-of-5 escrow for the signer-set and ordering properties.
    AmnEscrow internal five;
    uint256[] internal fiveKeys;

    function setUp() public override {
        super.setUp();
        uint256[] memory k = new uint256[](5);
        for (uint256 i = 0; i < 5; ++i) {
            k[i] = 0x5EED00 + i;
        }
        fiveKeys = sortedKeys(k);
        five = new AmnEscrow(addrs(fiveKeys), 3, arbiter, RECLAIM_DELAY);
    }

    // ---- amounts --------------------------------------------------------------------------------

    function testFuzz_releaseSplitsExactly(uint256 amount, uint256 fee, bool native) public {
        amount = bound(amount, 1, type(uint96).max);
        fee = bound(fee, 0, amount);
        if (native) fundNative(REF, amount);
        else fundDai(REF, amount);

        AmnEscrow.Release memory r = releaseOf(PID, fee);
        escrow.release(PID, r, quorum(escrow.releaseDigest(r)));

        if (native) {
            vm.assertEq(seller.balance, amount - fee, "seller");
            vm.assertEq(feeRecipient.balance, fee, "fee");
            vm.assertEq(address(escrow).balance, 0, "escrow");
        } else {
            vm.assertEq(dai.balanceOf(seller), amount - fee, "seller");
            vm.assertEq(dai.balanceOf(feeRecipient), fee, "fee");
            vm.assertEq(dai.balanceOf(address(escrow)), 0, "escrow");
        }
        vm.assertEq(escrow.totalEscrowed(native ? address(0) : address(dai)), 0, "books");
    }

    function testFuzz_refundRepaysExactly(uint256 amount) public {
        amount = bound(amount, 1, type(uint96).max);
        usdt.mint(funder, amount);
        vm.startPrank(funder);
        usdt.approve(address(escrow), amount);
        escrow.fund(REF, address(usdt), amount, buyer, seller);
        vm.stopPrank();

        AmnEscrow.Refund memory r = refundOf(PID);
        escrow.refund(PID, r, quorum(escrow.refundDigest(r)));
        vm.assertEq(usdt.balanceOf(buyer), amount, "buyer");
        vm.assertEq(usdt.balanceOf(address(escrow)), 0, "escrow");
    }

    function testFuzz_feeOnTransferBooksWhatArrived(uint256 amount, uint256 bps) public {
        bps = bound(bps, 0, 9_999);
        amount = bound(amount, 1, type(uint96).max);
        FeeOnTransferToken t = new FeeOnTransferToken(bps);
        t.mint(funder, amount);
        vm.startPrank(funder);
        t.approve(address(escrow), amount);
        (, uint256 received) = escrow.fund(REF, address(t), amount, buyer, seller);
        vm.stopPrank();

        vm.assertEq(received, amount - amount * bps / 10_000, "received");
        (,,,,,, uint256 booked) = escrow.escrows(PID);
        vm.assertEq(booked, t.balanceOf(address(escrow)), "booked == balance");
        vm.assertEq(escrow.totalEscrowed(address(t)), booked, "totalEscrowed");
    }

    function testFuzz_wrongSplitIsRefused(uint256 amount, uint256 sellerAmount, uint256 fee) public {
        amount = bound(amount, 1, type(uint96).max);
        uint256 sum;
        unchecked {
            sum = sellerAmount + fee;
        }
        if (sum < sellerAmount) sum = type(uint256).max;
        vm.assume(sum != amount);
        fundDai(REF, amount);

        AmnEscrow.Release memory r = releaseOf(PID, 0);
        r.sellerAmount = sellerAmount;
        r.feeAmount = fee;
        bytes[] memory s = quorum(escrow.releaseDigest(r));
        vm.expectRevert(abi.encodeWithSelector(AmnEscrow.AmountMismatch.selector, amount, sum));
        escrow.release(PID, r, s);
    }

    /// Any split of any amount, in any token kind, frozen or not: each part arrives exactly and
    /// nothing stays behind.
    function testFuzz_settleSplitsExactly(uint256 amount, uint256 toBuyer, uint256 fee, bool native, bool freezeIt)
        public
    {
        amount = bound(amount, 1, type(uint96).max);
        toBuyer = bound(toBuyer, 0, amount);
        fee = bound(fee, 0, amount - toBuyer);
        if (native) fundNative(REF, amount);
        else fundDai(REF, amount);
        if (freezeIt) {
            vm.prank(arbiter);
            escrow.freeze(PID);
        }

        AmnEscrow.Settle memory st = settleOf(PID, toBuyer, fee);
        escrow.settle(PID, st, quorum(escrow.settleDigest(st)));

        uint256 toSeller = amount - toBuyer - fee;
        if (native) {
            vm.assertEq(buyer.balance, toBuyer, "buyer");
            vm.assertEq(seller.balance, toSeller, "seller");
            vm.assertEq(feeRecipient.balance, fee, "fee");
            vm.assertEq(address(escrow).balance, 0, "escrow");
        } else {
            vm.assertEq(dai.balanceOf(buyer), toBuyer, "buyer");
            vm.assertEq(dai.balanceOf(seller), toSeller, "seller");
            vm.assertEq(dai.balanceOf(feeRecipient), fee, "fee");
            vm.assertEq(dai.balanceOf(address(escrow)), 0, "escrow");
        }
        vm.assertEq(escrow.totalEscrowed(native ? address(0) : address(dai)), 0, "books");
        vm.assertEq(uint256(status(PID)), uint256(AmnEscrow.Status.Settled), "status");
    }

    /// Three parts whose (saturated) sum is not the escrowed amount are refused, whatever they are.
    function testFuzz_wrongSettleSumIsRefused(uint256 amount, uint256 toBuyer, uint256 toSeller, uint256 fee) public {
        amount = bound(amount, 1, type(uint96).max);
        uint256 sum = _satAdd(_satAdd(toBuyer, toSeller), fee);
        vm.assume(sum != amount);
        fundDai(REF, amount);

        AmnEscrow.Settle memory st = settleOf(PID, 0, 0);
        (st.buyerAmount, st.sellerAmount, st.feeAmount) = (toBuyer, toSeller, fee);
        bytes[] memory q = quorum(escrow.settleDigest(st));
        vm.expectRevert(abi.encodeWithSelector(AmnEscrow.AmountMismatch.selector, amount, sum));
        escrow.settle(PID, st, q);
    }

    function _satAdd(uint256 a, uint256 b) internal pure returns (uint256 c) {
        unchecked {
            c = a + b;
        }
        if (c < a) c = type(uint256).max;
    }

    // ---- signer sets and orderings --------------------------------------------------------------

    function _fundFive(uint256 amount) internal {
        dai.mint(funder, amount);
        vm.startPrank(funder);
        dai.approve(address(five), amount);
        five.fund(REF, address(dai), amount, buyer, seller);
        vm.stopPrank();
    }

    function _fiveRelease() internal view returns (AmnEscrow.Release memory) {
        return AmnEscrow.Release(PID, address(dai), seller, 90, feeRecipient, 10, false, block.timestamp + 1 hours);
    }

    /// Any subset of the five custodians, in ascending order: passes iff it has at least 3.
    function testFuzz_signerSubsets(uint8 mask) public {
        mask = mask & 0x1f;
        _fundFive(100);
        AmnEscrow.Release memory r = _fiveRelease();
        bytes32 d = five.releaseDigest(r);

        uint256 n;
        for (uint256 i = 0; i < 5; ++i) {
            if ((mask >> i) & 1 != 0) ++n;
        }
        uint256[] memory chosen = new uint256[](n);
        uint256 j;
        for (uint256 i = 0; i < 5; ++i) {
            if ((mask >> i) & 1 != 0) chosen[j++] = fiveKeys[i];
        }

        if (n < 3) {
            vm.expectRevert(abi.encodeWithSelector(AmnEscrow.NotEnoughSignatures.selector, n, 3));
            five.release(PID, r, sigs(d, chosen));
        } else {
            five.release(PID, r, sigs(d, chosen));
            vm.assertEq(dai.balanceOf(seller), 90, "released");
        }
    }

    /// A random permutation of 3..5 custodians' signatures: passes iff the signers ascend, and
    /// otherwise fails at the first signer not above its predecessor.
    function testFuzz_signerOrderings(uint256 seed, uint256 count) public {
        count = bound(count, 3, 5);
        _fundFive(100);
        AmnEscrow.Release memory r = _fiveRelease();
        bytes32 d = five.releaseDigest(r);

        uint256[] memory perm = new uint256[](5);
        for (uint256 i = 0; i < 5; ++i) {
            perm[i] = fiveKeys[i];
        }
        for (uint256 i = 4; i > 0; --i) {
            uint256 k = uint256(keccak256(abi.encode(seed, i))) % (i + 1);
            (perm[i], perm[k]) = (perm[k], perm[i]);
        }
        uint256[] memory chosen = new uint256[](count);
        for (uint256 i = 0; i < count; ++i) {
            chosen[i] = perm[i];
        }

        uint256 firstBad = type(uint256).max;
        for (uint256 i = 1; i < count; ++i) {
            if (vm.addr(chosen[i]) < vm.addr(chosen[i - 1])) {
                firstBad = i;
                break;
            }
        }
        if (firstBad == type(uint256).max) {
            five.release(PID, r, sigs(d, chosen));
            vm.assertEq(dai.balanceOf(seller), 90, "ascending set released");
        } else {
            vm.expectRevert(abi.encodeWithSelector(AmnEscrow.SignersNotAscending.selector, firstBad));
            five.release(PID, r, sigs(d, chosen));
        }
    }

    /// Any key that is not a custodian is refused, wherever it sits in the list.
    function testFuzz_nonCustodianIsRefused(uint256 key, uint256 slot) public {
        key = bound(key, 1, SECP256K1_N - 1);
        address signer = vm.addr(key);
        vm.assume(!five.isCustodian(signer));
        slot = bound(slot, 0, 2);
        _fundFive(100);
        AmnEscrow.Release memory r = _fiveRelease();
        bytes32 d = five.releaseDigest(r);

        uint256[] memory chosen = new uint256[](3);
        (chosen[0], chosen[1], chosen[2]) = (fiveKeys[0], fiveKeys[2], fiveKeys[4]);
        chosen[slot] = key;
        vm.expectRevert(abi.encodeWithSelector(AmnEscrow.NotCustodian.selector, signer));
        five.release(PID, r, sigs(d, chosen));
    }

    // ---- time -------------------------------------------------------------------------------------

    function testFuzz_deadline(uint256 lifetime, uint256 wait) public {
        lifetime = bound(lifetime, 0, 30 days);
        wait = bound(wait, 0, 60 days);
        fundDai(REF, 1e18);
        AmnEscrow.Release memory r = releaseOf(PID, 0);
        r.deadline = block.timestamp + lifetime;
        bytes[] memory s = quorum(escrow.releaseDigest(r));
        vm.warp(block.timestamp + wait);
        if (wait > lifetime) vm.expectRevert(abi.encodeWithSelector(AmnEscrow.Expired.selector, r.deadline));
        escrow.release(PID, r, s);
    }

    function testFuzz_reclaimTiming(uint256 wait, bool freezeIt) public {
        wait = bound(wait, 0, 3 * RECLAIM_DELAY);
        fundDai(REF, 1e18);
        if (freezeIt) {
            vm.prank(arbiter);
            escrow.freeze(PID);
        }
        uint256 due = START + (freezeIt ? 2 : 1) * RECLAIM_DELAY;
        vm.warp(START + wait);
        vm.prank(buyer);
        if (START + wait < due) vm.expectRevert(abi.encodeWithSelector(AmnEscrow.ReclaimTooEarly.selector, due));
        escrow.reclaim(PID);
    }
}

// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AmnEscrow} from "../AmnEscrow.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {EscrowFixture} from "./EscrowFixture.sol";
import {FeeOnTransferToken, StandardToken} from "./Tokens.sol";

/// @dev A buyer contract that, when paid, tries to reclaim a second escrow from inside the payout.
contract ReentrantBuyer {
    AmnEscrow internal immutable escrow;
    bytes32 internal target;
    bytes public reentryError;

    constructor(AmnEscrow escrow_) {
        escrow = escrow_;
    }

    function reclaim(bytes32 id, bytes32 second) external {
        target = second;
        escrow.reclaim(id);
    }

    receive() external payable {
        if (target == bytes32(0)) return;
        bytes32 second = target;
        target = bytes32(0);
        try escrow.reclaim(second) {
            reentryError = "";
        } catch (bytes memory err) {
            reentryError = err;
        }
    }
}

/// @dev A buyer contract that, when paid by a settle, tries to run the same settle again, and a
/// settle of a second escrow, from inside the payout.
contract ReentrantSettleBuyer {
    AmnEscrow internal immutable escrow;
    bytes32 internal id;
    AmnEscrow.Settle internal terms;
    bytes[] internal signatures;
    bool internal armed;
    bytes public reentryError;

    constructor(AmnEscrow escrow_) {
        escrow = escrow_;
    }

    function arm(bytes32 id_, AmnEscrow.Settle calldata s, bytes[] calldata sigs_) external {
        id = id_;
        terms = s;
        delete signatures;
        for (uint256 i = 0; i < sigs_.length; ++i) {
            signatures.push(sigs_[i]);
        }
        armed = true;
    }

    receive() external payable {
        if (!armed) return;
        armed = false;
        try escrow.settle(id, terms, signatures) {
            reentryError = "";
        } catch (bytes memory err) {
            reentryError = err;
        }
    }
}

/// @dev A funder paying by transfer: fundByTransfer's callback transfers the amount named (or
/// `paying`, when set, to pay another amount); with `reenter` it tries to open a second escrow
/// from inside the callback instead.
contract Payer {
    AmnEscrow internal immutable escrow;
    uint256 internal paying;
    bool internal reenter;

    function setPaying(uint256 p) external {
        paying = p;
    }

    constructor(AmnEscrow escrow_) {
        escrow = escrow_;
    }

    function setReenter(bool r) external {
        reenter = r;
    }

    function fund(bytes32 ref, address token, uint256 amount, address buyer, address seller)
        external
        returns (bytes32, uint256)
    {
        return escrow.fundByTransfer(ref, token, amount, buyer, seller);
    }

    function payAmnEscrow(address token, uint256 amount) external {
        require(msg.sender == address(escrow), "escrow only");
        if (reenter) {
            escrow.fundByTransfer(keccak256("inner"), token, 1, address(1), address(2));
            return;
        }
        if (paying != 0) amount = paying;
        (bool ok,) = token.call(abi.encodeWithSignature("transfer(address,uint256)", address(escrow), amount));
        require(ok, "transfer");
    }
}

contract AmnEscrowTest is EscrowFixture {
    // =============================================================================================
    // Construction and views
    // =============================================================================================

    function test_constructor_setsConfiguration() public view {
        address[] memory cs = escrow.custodians();
        vm.assertEq(cs.length, 3, "custodian count");
        for (uint256 i = 0; i < 3; ++i) {
            vm.assertEq(cs[i], vm.addr(keys[i]), "custodian order");
            vm.assertTrue(escrow.isCustodian(cs[i]), "isCustodian");
        }
        vm.assertTrue(!escrow.isCustodian(vm.addr(OUTSIDER_KEY)), "outsider is not a custodian");
        vm.assertEq(escrow.threshold(), 2, "threshold");
        vm.assertEq(escrow.arbiter(), arbiter, "arbiter");
        vm.assertEq(escrow.reclaimDelay(), RECLAIM_DELAY, "reclaim delay");
        vm.assertEq(escrow.configNonce(), 0, "config nonce");
    }

    function test_constructor_rejectsBadCustodianSets() public {
        address[] memory a = addrs(keys);

        vm.expectRevert(abi.encodeWithSelector(AmnEscrow.InvalidThreshold.selector, 0, 3));
        new AmnEscrow(a, 0, arbiter, RECLAIM_DELAY);

        vm.expectRevert(abi.encodeWithSelector(AmnEscrow.InvalidThreshold.selector, 4, 3));
        new AmnEscrow(a, 4, arbiter, RECLAIM_DELAY);

        vm.expectRevert(abi.encodeWithSelector(AmnEscrow.InvalidThreshold.selector, 1, 0));
        new AmnEscrow(new address[](0), 1, arbiter, RECLAIM_DELAY);

        address[] memory unsorted = addrs(keys);
        (unsorted[0], unsorted[1]) = (unsorted[1], unsorted[0]);
        vm.expectRevert(abi.encodeWithSelector(AmnEscrow.InvalidCustodians.selector, 1));
        new AmnEscrow(unsorted, 2, arbiter, RECLAIM_DELAY);

        address[] memory dup = addrs(keys);
        dup[2] = dup[1];
        vm.expectRevert(abi.encodeWithSelector(AmnEscrow.InvalidCustodians.selector, 2));
        new AmnEscrow(dup, 2, arbiter, RECLAIM_DELAY);

        address[] memory zero = addrs(keys);
        zero[0] = address(0);
        vm.expectRevert(abi.encodeWithSelector(AmnEscrow.InvalidCustodians.selector, 0));
        new AmnEscrow(zero, 2, arbiter, RECLAIM_DELAY);

        address[] memory many = new address[](17);
        for (uint256 i = 0; i < many.length; ++i) {
            // forge-lint: disable-next-line(unsafe-typecast)
            many[i] = address(uint160(i + 1)); // i < 17: no truncation
        }
        vm.expectRevert(abi.encodeWithSelector(AmnEscrow.TooManyCustodians.selector, 17));
        new AmnEscrow(many, 2, arbiter, RECLAIM_DELAY);

        vm.expectRevert(abi.encodeWithSelector(AmnEscrow.InvalidReclaimDelay.selector, 1 days - 1));
        new AmnEscrow(a, 2, arbiter, 1 days - 1);

        // Bounds themselves are fine: 1-of-1 and N-of-N with 16 custodians.
        address[] memory one = new address[](1);
        one[0] = a[0];
        new AmnEscrow(one, 1, arbiter, 1 days);
        address[] memory sixteen = new address[](16);
        for (uint256 i = 0; i < 16; ++i) {
            // forge-lint: disable-next-line(unsafe-typecast)
            sixteen[i] = address(uint160(i + 1)); // i < 16: no truncation
        }
        new AmnEscrow(sixteen, 16, address(0), 3650 days);
    }

    /// @dev Recomputes the digests from the type strings, independently of the contract, so the
    /// Go side (which builds the same typed data) and the contract provably agree.
    function test_digests_matchEip712Spec() public {
        fundDai(REF, 1000e18);
        AmnEscrow.Release memory r = releaseOf(PID, 10e18);
        bytes32 domain = keccak256(
            abi.encode(
                keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
                keccak256("AmnEscrow"),
                keccak256("1"),
                block.chainid,
                address(escrow)
            )
        );
        vm.assertEq(escrow.domainSeparator(), domain, "domain separator");

        bytes32 releaseHash = keccak256(
            abi.encode(
                keccak256(
                    "Release(bytes32 paymentId,address token,address seller,uint256 sellerAmount,address feeRecipient,uint256 feeAmount,bool resolvesDispute,uint256 deadline)"
                ),
                r.paymentId,
                r.token,
                r.seller,
                r.sellerAmount,
                r.feeRecipient,
                r.feeAmount,
                r.resolvesDispute,
                r.deadline
            )
        );
        vm.assertEq(
            escrow.releaseDigest(r), keccak256(abi.encodePacked("\x19\x01", domain, releaseHash)), "release digest"
        );

        AmnEscrow.Refund memory f = refundOf(PID);
        f.resolvesDispute = true;
        bytes32 refundHash = keccak256(
            abi.encode(
                keccak256(
                    "Refund(bytes32 paymentId,address token,address buyer,uint256 amount,bool resolvesDispute,uint256 deadline)"
                ),
                f.paymentId,
                f.token,
                f.buyer,
                f.amount,
                true,
                f.deadline
            )
        );
        vm.assertEq(
            escrow.refundDigest(f), keccak256(abi.encodePacked("\x19\x01", domain, refundHash)), "refund digest"
        );

        address[] memory cs = addrs(keys);
        bytes32 setHash = keccak256(
            abi.encode(
                keccak256("SetCustodians(address[] custodians,uint256 threshold,uint256 nonce,uint256 deadline)"),
                keccak256(abi.encode(cs[0], cs[1], cs[2])),
                uint256(3),
                uint256(7),
                uint256(99)
            )
        );
        vm.assertEq(
            escrow.setCustodiansDigest(cs, 3, 7, 99),
            keccak256(abi.encodePacked("\x19\x01", domain, setHash)),
            "setCustodians digest"
        );

        bytes32 arbHash =
            keccak256(abi.encode(keccak256("SetArbiter(address arbiter,uint256 nonce,uint256 deadline)"), buyer, 1, 2));
        vm.assertEq(
            escrow.setArbiterDigest(buyer, 1, 2), keccak256(abi.encodePacked("\x19\x01", domain, arbHash)), "arbiter"
        );
        bytes32 delayHash = keccak256(
            abi.encode(keccak256("SetReclaimDelay(uint256 reclaimDelay,uint256 nonce,uint256 deadline)"), 5 days, 1, 2)
        );
        vm.assertEq(
            escrow.setReclaimDelayDigest(5 days, 1, 2),
            keccak256(abi.encodePacked("\x19\x01", domain, delayHash)),
            "reclaim delay"
        );
    }

    // =============================================================================================
    // Funding
    // =============================================================================================

    function test_fund_recordsEscrowAndEmits() public {
        dai.mint(funder, 1000e18);
        vm.startPrank(funder);
        dai.approve(address(escrow), 1000e18);
        vm.expectEmit(true, true, true, true, address(escrow));
        emit AmnEscrow.Funded(PID, address(dai), buyer, seller, 1000e18, funder, REF);
        (, uint256 received) = escrow.fund(REF, address(dai), 1000e18, buyer, seller);
        vm.stopPrank();

        vm.assertEq(received, 1000e18, "received");
        (
            address token,
            uint64 fundedAt,
            AmnEscrow.Status st,
            bool isFrozen,
            address buyer_,
            address seller_,
            uint256 amount
        ) = escrow.escrows(PID);
        vm.assertEq(token, address(dai), "token");
        vm.assertEq(uint256(fundedAt), START, "fundedAt");
        vm.assertEq(uint256(st), uint256(AmnEscrow.Status.Open), "status");
        vm.assertTrue(!isFrozen, "not frozen");
        vm.assertEq(buyer_, buyer, "buyer");
        vm.assertEq(seller_, seller, "seller");
        vm.assertEq(amount, 1000e18, "amount");
        vm.assertEq(dai.balanceOf(address(escrow)), 1000e18, "escrow balance");
        vm.assertEq(dai.balanceOf(funder), 0, "funder balance");
        vm.assertEq(escrow.totalEscrowed(address(dai)), 1000e18, "totalEscrowed");
    }

    /// fundByTransfer: the escrow calls its caller back for the amount named, checks exactly that
    /// arrived during the callback, emits the same Funded event, and needs no allowance.
    function test_fundByTransfer_recordsWhatArrivesInTheCallback() public {
        Payer p = new Payer(escrow);
        dai.mint(address(p), 300e18);
        bytes32 id = escrow.escrowId(address(p), REF);
        vm.expectEmit(true, true, true, true, address(escrow));
        emit AmnEscrow.Funded(id, address(dai), buyer, seller, 300e18, address(p), REF);
        (bytes32 got, uint256 received) = p.fund(REF, address(dai), 300e18, buyer, seller);
        vm.assertEq(got, id, "id is the caller's");
        vm.assertEq(received, 300e18, "received");
        assertOpen(id, address(dai), buyer, seller, 300e18);
        vm.assertEq(escrow.totalEscrowed(address(dai)), 300e18, "books");
        vm.assertEq(dai.balanceOf(address(escrow)), 300e18, "balance");

        // USDT-like: works without return values.
        usdt.mint(address(p), 7e6);
        (bytes32 u,) = p.fund(keccak256("usdt"), address(usdt), 7e6, buyer, seller);
        assertOpen(u, address(usdt), buyer, seller, 7e6);
    }

    function test_fundByTransfer_refusals() public {
        Payer p = new Payer(escrow);
        dai.mint(address(p), 10e18);
        // Nothing named, more than a record holds, native, zero parties, a used reference.
        vm.expectRevert(AmnEscrow.ZeroAmount.selector);
        p.fund(REF, address(dai), 0, buyer, seller);
        vm.expectRevert(abi.encodeWithSelector(AmnEscrow.AmountTooLarge.selector, uint256(type(uint96).max) + 1));
        p.fund(REF, address(dai), uint256(type(uint96).max) + 1, buyer, seller);
        vm.expectRevert(AmnEscrow.ZeroAddress.selector);
        p.fund(REF, address(0), 1, buyer, seller);
        vm.expectRevert(AmnEscrow.ZeroAddress.selector);
        p.fund(REF, address(dai), 1, address(0), seller);
        vm.expectRevert(AmnEscrow.InvalidRef.selector);
        p.fund(bytes32(0), address(dai), 1, buyer, seller);
        p.fund(REF, address(dai), 1e18, buyer, seller);
        vm.expectRevert(abi.encodeWithSelector(AmnEscrow.AlreadyFunded.selector, escrow.escrowId(address(p), REF)));
        p.fund(REF, address(dai), 1e18, buyer, seller);
        // A caller without the callback (an EOA, or a contract without it) opens nothing.
        vm.prank(buyer);
        vm.expectRevert();
        escrow.fundByTransfer(REF, address(dai), 1, buyer, seller);
        // The callback cannot fund again, nor pay anything out: the escrow's lock is held.
        p.setReenter(true);
        vm.expectRevert(ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector);
        p.fund(keccak256("again"), address(dai), 1e18, buyer, seller);
        vm.assertEq(dai.balanceOf(address(escrow)), 1e18, "only the one escrow");
    }

    /// What arrives must be exactly the amount named: a payer paying less, more or nothing, and a
    /// fee-on-transfer token (less arrives than is sent), open no escrow.
    function test_fundByTransfer_recordsExactlyTheAmountNamed() public {
        Payer p = new Payer(escrow);
        dai.mint(address(p), 10e18);
        p.setPaying(1e18 - 1);
        vm.expectRevert(abi.encodeWithSelector(AmnEscrow.ReceivedMismatch.selector, 1e18, 1e18 - 1));
        p.fund(REF, address(dai), 1e18, buyer, seller);
        p.setPaying(1e18 + 1);
        vm.expectRevert(abi.encodeWithSelector(AmnEscrow.ReceivedMismatch.selector, 1e18, 1e18 + 1));
        p.fund(REF, address(dai), 1e18, buyer, seller);
        p.setPaying(0);
        feeToken.mint(address(p), 100e18);
        vm.expectRevert(abi.encodeWithSelector(AmnEscrow.ReceivedMismatch.selector, 100e18, 99e18));
        p.fund(REF, address(feeToken), 100e18, buyer, seller);
        vm.assertEq(uint256(status(escrow.escrowId(address(p), REF))), 0, "no escrow");
        vm.assertEq(dai.balanceOf(address(escrow)), 0, "nothing kept");
    }

    /// The record keeps the amount in 96 bits: anything above MAX_AMOUNT is refused, in ERC-20
    /// and in native currency, and exactly MAX_AMOUNT is recorded whole.
    function test_fund_amountAboveMaxIsRefused() public {
        uint256 max = escrow.MAX_AMOUNT();
        vm.assertEq(max, type(uint96).max, "MAX_AMOUNT");
        dai.mint(funder, max + 1);
        vm.startPrank(funder);
        dai.approve(address(escrow), max + 1);
        vm.expectRevert(abi.encodeWithSelector(AmnEscrow.AmountTooLarge.selector, max + 1));
        escrow.fund(REF, address(dai), max + 1, buyer, seller);
        (, uint256 received) = escrow.fund(REF, address(dai), max, buyer, seller);
        vm.stopPrank();
        vm.assertEq(received, max, "received");
        assertOpen(PID, address(dai), buyer, seller, max);

        vm.deal(funder, max + 1);
        vm.prank(funder);
        vm.expectRevert(abi.encodeWithSelector(AmnEscrow.AmountTooLarge.selector, max + 1));
        escrow.fundNative{value: max + 1}(keccak256("native"), buyer, seller);
    }

    /// Tokens get an index on their first funding, once: the records of escrows in different
    /// tokens read back with their own token, native escrows with address(0).
    function test_fund_tokenRegistryIsWriteOnce() public {
        vm.assertEq(uint256(escrow.tokenCount()), 0, "no token yet");
        bytes32 a = fundDai(REF, 10e18);
        bytes32 b = fundNative(keccak256("native"), 1 ether);
        usdt.mint(funder, 5e6);
        vm.startPrank(funder);
        usdt.approve(address(escrow), 5e6);
        (bytes32 c,) = escrow.fund(keccak256("usdt"), address(usdt), 5e6, buyer, seller);
        vm.stopPrank();
        bytes32 d = fundDai(keccak256("dai again"), 7e18);

        vm.assertEq(uint256(escrow.tokenCount()), 2, "two tokens");
        vm.assertEq(uint256(escrow.tokenIndex(address(dai))), 1, "dai first");
        vm.assertEq(uint256(escrow.tokenIndex(address(usdt))), 2, "usdt second");
        vm.assertEq(uint256(escrow.tokenIndex(address(0))), 0, "native has no entry");
        assertOpen(a, address(dai), buyer, seller, 10e18);
        assertOpen(b, address(0), buyer, seller, 1 ether);
        assertOpen(c, address(usdt), buyer, seller, 5e6);
        assertOpen(d, address(dai), buyer, seller, 7e18);
        vm.assertEq(escrow.totalEscrowed(address(dai)), 17e18, "dai books");
    }

    function test_fund_usdtLikeTokenReturningNothing() public {
        usdt.mint(funder, 250e6);
        vm.startPrank(funder);
        usdt.approve(address(escrow), 250e6);
        escrow.fund(REF, address(usdt), 250e6, buyer, seller);
        vm.stopPrank();
        vm.assertEq(usdt.balanceOf(address(escrow)), 250e6, "escrow holds USDT");

        // ...and it pays out through the no-return transfer as well.
        AmnEscrow.Release memory r = releaseOf(PID, 2.5e6);
        escrow.release(PID, r, quorum(escrow.releaseDigest(r)));
        vm.assertEq(usdt.balanceOf(seller), 247.5e6, "seller");
        vm.assertEq(usdt.balanceOf(feeRecipient), 2.5e6, "fee");
        vm.assertEq(usdt.balanceOf(address(escrow)), 0, "escrow emptied");
    }

    function test_fund_feeOnTransferRecordsWhatArrived() public {
        feeToken.mint(funder, 1000e18);
        vm.startPrank(funder);
        feeToken.approve(address(escrow), 1000e18);
        vm.expectEmit(true, true, true, true, address(escrow));
        emit AmnEscrow.Funded(PID, address(feeToken), buyer, seller, 990e18, funder, REF);
        (, uint256 received) = escrow.fund(REF, address(feeToken), 1000e18, buyer, seller);
        vm.stopPrank();

        vm.assertEq(received, 990e18, "1% burned on the way in");
        (,,,,,, uint256 amount) = escrow.escrows(PID);
        vm.assertEq(amount, 990e18, "books record what arrived");
        vm.assertEq(feeToken.balanceOf(address(escrow)), amount, "balance matches books");

        // A release for the requested (not received) amount is refused...
        AmnEscrow.Release memory bad = releaseOf(PID, 0);
        bad.sellerAmount = 1000e18;
        bytes[] memory s = quorum(escrow.releaseDigest(bad));
        vm.expectRevert(abi.encodeWithSelector(AmnEscrow.AmountMismatch.selector, 990e18, 1000e18));
        escrow.release(PID, bad, s);

        // ...and one for what arrived empties the escrow exactly.
        AmnEscrow.Release memory r = releaseOf(PID, 9.9e18);
        escrow.release(PID, r, quorum(escrow.releaseDigest(r)));
        vm.assertEq(feeToken.balanceOf(address(escrow)), 0, "escrow emptied");
        vm.assertEq(feeToken.balanceOf(seller), 980.1e18 * 99 / 100, "seller got 980.1 minus the token's 1%");
    }

    function test_fund_nothingArrivingIsRefused() public {
        FeeOnTransferToken eatsAll = new FeeOnTransferToken(10_000);
        eatsAll.mint(funder, 5e18);
        vm.startPrank(funder);
        eatsAll.approve(address(escrow), 5e18);
        vm.expectRevert(AmnEscrow.ZeroAmount.selector);
        escrow.fund(REF, address(eatsAll), 5e18, buyer, seller);
        vm.stopPrank();
    }

    function test_fundNative_recordsMsgValue() public {
        vm.deal(funder, 3 ether);
        vm.prank(funder);
        vm.expectEmit(true, true, true, true, address(escrow));
        emit AmnEscrow.Funded(PID, address(0), buyer, seller, 3 ether, funder, REF);
        escrow.fundNative{value: 3 ether}(REF, buyer, seller);

        (address token,,,,,, uint256 amount) = escrow.escrows(PID);
        vm.assertEq(token, address(0), "native token is address(0)");
        vm.assertEq(amount, 3 ether, "amount");
        vm.assertEq(address(escrow).balance, 3 ether, "balance");
        vm.assertEq(escrow.totalEscrowed(address(0)), 3 ether, "totalEscrowed");
    }

    function test_fund_twiceIsRefused() public {
        fundDai(REF, 1e18);
        dai.mint(funder, 1e18);
        vm.startPrank(funder);
        dai.approve(address(escrow), 1e18);
        vm.expectRevert(abi.encodeWithSelector(AmnEscrow.AlreadyFunded.selector, PID));
        escrow.fund(REF, address(dai), 1e18, buyer, seller);
        vm.stopPrank();

        vm.deal(funder, 1 ether);
        vm.prank(funder);
        vm.expectRevert(abi.encodeWithSelector(AmnEscrow.AlreadyFunded.selector, PID));
        escrow.fundNative{value: 1 ether}(REF, buyer, seller);
    }

    function test_fund_afterCloseIsRefused() public {
        fundDai(REF, 1e18);
        AmnEscrow.Refund memory r = refundOf(PID);
        escrow.refund(PID, r, quorum(escrow.refundDigest(r)));

        dai.mint(funder, 1e18);
        vm.startPrank(funder);
        dai.approve(address(escrow), 1e18);
        vm.expectRevert(abi.encodeWithSelector(AmnEscrow.AlreadyFunded.selector, PID));
        escrow.fund(REF, address(dai), 1e18, buyer, seller);
        vm.stopPrank();
    }

    function test_fund_rejectsZeroAmountAndAddresses() public {
        dai.mint(funder, 10e18);
        vm.startPrank(funder);
        dai.approve(address(escrow), 10e18);

        vm.expectRevert(AmnEscrow.ZeroAmount.selector);
        escrow.fund(REF, address(dai), 0, buyer, seller);
        vm.expectRevert(AmnEscrow.ZeroAddress.selector);
        escrow.fund(REF, address(0), 1e18, buyer, seller);
        vm.expectRevert(AmnEscrow.ZeroAddress.selector);
        escrow.fund(REF, address(dai), 1e18, address(0), seller);
        vm.expectRevert(AmnEscrow.ZeroAddress.selector);
        escrow.fund(REF, address(dai), 1e18, buyer, address(0));
        vm.expectRevert(AmnEscrow.InvalidRef.selector);
        escrow.fund(bytes32(0), address(dai), 1e18, buyer, seller);

        vm.expectRevert(AmnEscrow.ZeroAmount.selector);
        escrow.fundNative{value: 0}(REF, buyer, seller);
        vm.stopPrank();

        vm.assertEq(uint256(status(PID)), uint256(AmnEscrow.Status.None), "nothing opened");
    }

    // ---- escrows belong to their funder: front-running a fund ----------------------------------

    function test_escrowId_isTheFunderAndTheRef() public view {
        vm.assertEq(escrow.escrowId(funder, REF), keccak256(abi.encode(funder, REF)), "keccak256(abi.encode(funder, ref))");
        vm.assertEq(PID, keccak256(abi.encode(funder, REF)), "fixture id");
        vm.assertTrue(escrow.escrowId(buyer, REF) != PID, "another funder, another escrow");
        vm.assertTrue(escrow.escrowId(funder, keccak256("payment-2")) != PID, "another ref, another escrow");
    }

    /// @dev The signer's fund is visible in the mempool. A front-runner copies its reference into
    /// a fund of a junk token and a fundNative of 1 wei, from addresses of their own: that opens
    /// their own escrows, and the real fund still opens the real one with the real terms.
    function test_fund_frontRunWithTheSameRefDoesNotBlockOrTakeTheEscrow() public {
        address attacker = vm.addr(0xBAD1);
        address attacker2 = vm.addr(0xBAD2);
        StandardToken junk = new StandardToken("Junk", "JNK", 18);
        junk.mint(attacker, 1);
        vm.startPrank(attacker);
        junk.approve(address(escrow), 1);
        vm.expectEmit(true, true, true, true, address(escrow));
        emit AmnEscrow.Funded(escrow.escrowId(attacker, REF), address(junk), attacker, attacker, 1, attacker, REF);
        (bytes32 junkId,) = escrow.fund(REF, address(junk), 1, attacker, attacker);
        vm.stopPrank();
        vm.deal(attacker2, 1);
        vm.prank(attacker2);
        bytes32 nativeId = escrow.fundNative{value: 1}(REF, attacker2, attacker2);
        // Naming the real escrow id as the reference does not reach it either.
        junk.mint(attacker, 1);
        vm.startPrank(attacker);
        junk.approve(address(escrow), 1);
        (bytes32 byIdId,) = escrow.fund(PID, address(junk), 1, attacker, attacker);
        vm.stopPrank();
        vm.assertTrue(junkId != PID && nativeId != PID && byIdId != PID, "front-runs open escrows of their own");
        vm.assertEq(uint256(status(PID)), uint256(AmnEscrow.Status.None), "the real escrow is untouched");

        // The real fund goes through and records the real terms.
        dai.mint(funder, 1000e18);
        vm.startPrank(funder);
        dai.approve(address(escrow), 1000e18);
        vm.expectEmit(true, true, true, true, address(escrow));
        emit AmnEscrow.Funded(PID, address(dai), buyer, seller, 1000e18, funder, REF);
        (bytes32 id, uint256 received) = escrow.fund(REF, address(dai), 1000e18, buyer, seller);
        vm.stopPrank();
        vm.assertEq(id, PID, "the funder's escrow");
        vm.assertEq(received, 1000e18, "received");
        assertOpen(PID, address(dai), buyer, seller, 1000e18);
        // The front-runners' escrows hold their own junk and name them.
        assertOpen(junkId, address(junk), attacker, attacker, 1);
        assertOpen(nativeId, address(0), attacker2, attacker2, 1);

        // Approvals for the real escrow pay out the real escrow only.
        AmnEscrow.Release memory r = releaseOf(PID, 10e18);
        escrow.release(PID, r, quorum(escrow.releaseDigest(r)));
        vm.assertEq(dai.balanceOf(seller), 990e18, "seller paid from the real escrow");
        vm.assertEq(uint256(status(junkId)), uint256(AmnEscrow.Status.Open), "the junk escrow stays as it was");
        vm.assertEq(escrow.totalEscrowed(address(0)), 1, "only the front-runner's wei is escrowed natively");
    }

    function test_fundNative_frontRunWithTheSameRefDoesNotBlockOrTakeTheEscrow() public {
        address attacker = vm.addr(0xBAD1);
        StandardToken junk = new StandardToken("Junk", "JNK", 18);
        junk.mint(attacker, 1);
        vm.deal(attacker, 1);
        vm.startPrank(attacker);
        junk.approve(address(escrow), 1);
        escrow.fund(REF, address(junk), 1, attacker, attacker);
        // The attacker's own reference is now used: their second try is refused, not the funder's.
        vm.expectRevert(abi.encodeWithSelector(AmnEscrow.AlreadyFunded.selector, escrow.escrowId(attacker, REF)));
        escrow.fundNative{value: 1}(REF, attacker, attacker);
        vm.stopPrank();

        vm.deal(funder, 2 ether);
        vm.prank(funder);
        vm.expectEmit(true, true, true, true, address(escrow));
        emit AmnEscrow.Funded(PID, address(0), buyer, seller, 2 ether, funder, REF);
        bytes32 id = escrow.fundNative{value: 2 ether}(REF, buyer, seller);
        vm.assertEq(id, PID, "the funder's escrow");
        assertOpen(PID, address(0), buyer, seller, 2 ether);
    }

    function test_fund_needsAllowanceAndARealToken() public {
        dai.mint(funder, 1e18);
        vm.prank(funder);
        vm.expectRevert(bytes("allowance"));
        escrow.fund(REF, address(dai), 1e18, buyer, seller);

        // An address without code is not a token (SafeERC20 refuses the empty return).
        vm.prank(funder);
        vm.expectRevert();
        escrow.fund(REF, address(0xdead), 1e18, buyer, seller);
    }

    function test_plainNativeTransferIsRefused() public {
        vm.deal(funder, 1 ether);
        vm.prank(funder);
        (bool ok,) = address(escrow).call{value: 1 ether}("");
        vm.assertTrue(!ok, "no receive(): stray ether would break the books");
    }

    // =============================================================================================
    // Release
    // =============================================================================================

    function test_release_2of3PaysSellerAndFeeExactly() public {
        fundDai(REF, 1000e18);
        AmnEscrow.Release memory r = releaseOf(PID, 25e18);
        bytes[] memory s = quorum(escrow.releaseDigest(r));

        vm.expectEmit(true, true, true, true, address(escrow));
        emit AmnEscrow.Released(PID, address(dai), seller, 975e18, feeRecipient, 25e18, false);
        vm.prank(funder); // anyone may submit: the signatures are the authority
        escrow.release(PID, r, s);

        vm.assertEq(dai.balanceOf(seller), 975e18, "seller");
        vm.assertEq(dai.balanceOf(feeRecipient), 25e18, "fee recipient");
        vm.assertEq(dai.balanceOf(address(escrow)), 0, "escrow");
        vm.assertEq(escrow.totalEscrowed(address(dai)), 0, "totalEscrowed");
        vm.assertEq(uint256(status(PID)), uint256(AmnEscrow.Status.Released), "status");
    }

    function test_release_anyQuorumAndAllThree() public {
        fundDai(REF, 10e18);
        AmnEscrow.Release memory r = releaseOf(PID, 0);
        bytes32 d = escrow.releaseDigest(r);
        uint256[] memory all3 = new uint256[](3);
        (all3[0], all3[1], all3[2]) = (keys[0], keys[1], keys[2]);
        escrow.release(PID, r, sigs(d, all3));
        vm.assertEq(dai.balanceOf(seller), 10e18, "seller got everything, zero fee");

        bytes32 id2 = fundDai(keccak256("payment-2"), 10e18);
        r = releaseOf(id2, 1e18);
        escrow.release(id2, r, sigs(escrow.releaseDigest(r), keyList(keys[0], keys[2])));
        vm.assertEq(uint256(status(id2)), uint256(AmnEscrow.Status.Released), "keys 0+2");
    }

    function test_release_nativePaysOut() public {
        fundNative(REF, 2 ether);
        AmnEscrow.Release memory r = releaseOf(PID, 0.1 ether);
        escrow.release(PID, r, quorum(escrow.releaseDigest(r)));
        vm.assertEq(seller.balance, 1.9 ether, "seller");
        vm.assertEq(feeRecipient.balance, 0.1 ether, "fee");
        vm.assertEq(address(escrow).balance, 0, "escrow");
    }

    function test_release_oneSignatureIsNotEnough() public {
        fundDai(REF, 1e18);
        AmnEscrow.Release memory r = releaseOf(PID, 0);
        bytes[] memory one = new bytes[](1);
        one[0] = sign712(keys[0], escrow.releaseDigest(r));
        vm.expectRevert(abi.encodeWithSelector(AmnEscrow.NotEnoughSignatures.selector, 1, 2));
        escrow.release(PID, r, one);

        vm.expectRevert(abi.encodeWithSelector(AmnEscrow.NotEnoughSignatures.selector, 0, 2));
        escrow.release(PID, r, new bytes[](0));
    }

    function test_release_reorderedPairIsRefused() public {
        fundDai(REF, 1e18);
        AmnEscrow.Release memory r = releaseOf(PID, 0);
        bytes[] memory s = sigs(escrow.releaseDigest(r), keyList(keys[1], keys[0]));
        vm.expectRevert(abi.encodeWithSelector(AmnEscrow.SignersNotAscending.selector, 1));
        escrow.release(PID, r, s);
    }

    function test_release_duplicateSignerIsRefused() public {
        fundDai(REF, 1e18);
        AmnEscrow.Release memory r = releaseOf(PID, 0);
        bytes32 d = escrow.releaseDigest(r);
        bytes[] memory s = sigs(d, keyList(keys[0], keys[0]));
        vm.expectRevert(abi.encodeWithSelector(AmnEscrow.DuplicateSigner.selector, vm.addr(keys[0])));
        escrow.release(PID, r, s);

        // The same key in both forms is still one signer.
        s[1] = signEth(keys[0], d);
        vm.expectRevert(abi.encodeWithSelector(AmnEscrow.DuplicateSigner.selector, vm.addr(keys[0])));
        escrow.release(PID, r, s);
    }

    function test_release_nonCustodianIsRefused() public {
        fundDai(REF, 1e18);
        AmnEscrow.Release memory r = releaseOf(PID, 0);
        bytes32 d = escrow.releaseDigest(r);
        bytes[] memory s = new bytes[](2);
        s[0] = sign712(keys[0], d);
        s[1] = sign712(OUTSIDER_KEY, d);
        vm.expectRevert(abi.encodeWithSelector(AmnEscrow.NotCustodian.selector, vm.addr(OUTSIDER_KEY)));
        escrow.release(PID, r, s);
    }

    function test_release_malleableHighSIsRefused() public {
        fundDai(REF, 1e18);
        AmnEscrow.Release memory r = releaseOf(PID, 0);
        bytes32 d = escrow.releaseDigest(r);
        (uint8 v, bytes32 rr, bytes32 s) = vm.sign(keys[0], d);
        bytes32 highS = bytes32(SECP256K1_N - uint256(s));
        uint8 flippedV = v == 27 ? 28 : 27;
        // The twin is a valid signature by the same key for ecrecover...
        vm.assertEq(ecrecover(d, flippedV, rr, highS), vm.addr(keys[0]), "twin recovers to the custodian");
        // ...and the contract still refuses it.
        bytes[] memory sg = quorum(d);
        sg[0] = abi.encodePacked(rr, highS, flippedV);
        vm.expectRevert(abi.encodeWithSelector(AmnEscrow.MalleableSignature.selector, 0));
        escrow.release(PID, r, sg);
    }

    function test_release_malformedSignaturesAreRefused() public {
        fundDai(REF, 1e18);
        AmnEscrow.Release memory r = releaseOf(PID, 0);
        bytes32 d = escrow.releaseDigest(r);
        bytes[] memory sg = quorum(d);

        bytes memory good = sg[1];
        sg[1] = abi.encodePacked(bytes32(uint256(1)), bytes32(uint256(2))); // 64 bytes (ERC-2098 is not accepted)
        vm.expectRevert(abi.encodeWithSelector(AmnEscrow.InvalidSignature.selector, 1));
        escrow.release(PID, r, sg);

        (uint8 v, bytes32 rr, bytes32 s) = vm.sign(keys[1], d);
        sg[1] = abi.encodePacked(rr, s, v - 27); // v 0/1 is not accepted
        vm.expectRevert(abi.encodeWithSelector(AmnEscrow.InvalidSignature.selector, 1));
        escrow.release(PID, r, sg);

        sg[1] = abi.encodePacked(rr, s, uint8(35)); // 35 - 4 = 31: no such recovery id
        vm.expectRevert(abi.encodeWithSelector(AmnEscrow.InvalidSignature.selector, 1));
        escrow.release(PID, r, sg);

        sg[1] = good;
        escrow.release(PID, r, sg);
    }

    function test_release_wrongChainIdIsRefused() public {
        fundDai(REF, 1e18);
        AmnEscrow.Release memory r = releaseOf(PID, 0);
        bytes32 digestHere = escrow.releaseDigest(r);
        bytes[] memory s = quorum(digestHere);

        vm.chainId(56); // the same contract address on another chain (e.g. a fork)
        vm.assertTrue(escrow.releaseDigest(r) != digestHere, "digest binds the chain id");
        vm.expectPartialRevert(AmnEscrow.NotCustodian.selector);
        escrow.release(PID, r, s);

        // Approvals made for this chain work.
        escrow.release(PID, r, quorum(escrow.releaseDigest(r)));
    }

    function test_release_wrongVerifyingContractIsRefused() public {
        AmnEscrow other = deploy(keys, 2); // same custodians, same chain, different address
        fundDai(REF, 1e18);
        AmnEscrow.Release memory r = releaseOf(PID, 0);
        bytes32 d = escrow.releaseDigest(r);
        bytes32 dOther = other.releaseDigest(r);
        vm.assertTrue(d != dOther, "digest binds the contract");

        vm.expectPartialRevert(AmnEscrow.NotCustodian.selector);
        escrow.release(PID, r, quorum(dOther));
        escrow.release(PID, r, quorum(d));
    }

    function test_release_expiredDeadlineIsRefused() public {
        fundDai(REF, 1e18);
        AmnEscrow.Release memory r = releaseOf(PID, 0);
        bytes[] memory s = quorum(escrow.releaseDigest(r));

        vm.warp(r.deadline + 1);
        vm.expectRevert(abi.encodeWithSelector(AmnEscrow.Expired.selector, r.deadline));
        escrow.release(PID, r, s);

        vm.warp(r.deadline); // the deadline itself is still valid
        escrow.release(PID, r, s);
    }

    function test_release_replayIsRefused() public {
        fundDai(REF, 100e18);
        dai.mint(address(escrow), 100e18); // stray tokens: a replay would have something to take
        AmnEscrow.Release memory r = releaseOf(PID, 1e18);
        bytes[] memory s = quorum(escrow.releaseDigest(r));
        escrow.release(PID, r, s);

        vm.expectRevert(abi.encodeWithSelector(AmnEscrow.NotOpen.selector, PID));
        escrow.release(PID, r, s);

        AmnEscrow.Refund memory f = refundOf(PID);
        bytes[] memory fs = quorum(escrow.refundDigest(f));
        vm.expectRevert(abi.encodeWithSelector(AmnEscrow.NotOpen.selector, PID));
        escrow.refund(PID, f, fs);
        vm.assertEq(dai.balanceOf(seller), 99e18, "paid once");
    }

    function test_release_ethSignFormAccepted() public {
        fundDai(REF, 10e18);
        AmnEscrow.Release memory r = releaseOf(PID, 1e18);
        bytes32 d = escrow.releaseDigest(r);
        bytes[] memory s = new bytes[](2);
        s[0] = signEth(keys[0], d); // v = 31/32
        s[1] = sign712(keys[1], d); // mixed forms are fine
        escrow.release(PID, r, s);
        vm.assertEq(dai.balanceOf(seller), 9e18, "released");
    }

    function test_release_ethSignWithoutVOffsetIsRefused() public {
        fundDai(REF, 10e18);
        AmnEscrow.Release memory r = releaseOf(PID, 1e18);
        bytes32 d = escrow.releaseDigest(r);
        bytes[] memory s = quorum(d);
        // An eth_sign signature presented with v = 27/28 is checked against the raw digest and
        // recovers some unrelated address.
        bytes memory eth = signEth(keys[0], d);
        eth[64] = bytes1(uint8(eth[64]) - 4);
        s[0] = eth;
        vm.expectPartialRevert(AmnEscrow.NotCustodian.selector);
        escrow.release(PID, r, s);
    }

    function test_release_alteredTermsAreRefused() public {
        fundDai(REF, 100e18);
        AmnEscrow.Release memory approved = releaseOf(PID, 1e18);
        bytes[] memory s = quorum(escrow.releaseDigest(approved));

        // A compromised server swaps the fee recipient and fee: the approvals no longer match.
        AmnEscrow.Release memory tampered = approved;
        tampered.feeRecipient = vm.addr(0xE71);
        tampered.feeAmount = 50e18;
        tampered.sellerAmount = 50e18;
        vm.expectPartialRevert(AmnEscrow.NotCustodian.selector);
        escrow.release(PID, tampered, s);

        approved = releaseOf(PID, 1e18);
        approved.deadline += 365 days; // stretching the deadline also breaks them
        vm.expectPartialRevert(AmnEscrow.NotCustodian.selector);
        escrow.release(PID, approved, s);
    }

    function test_release_termsMustMatchTheRecord() public {
        fundDai(REF, 100e18);
        AmnEscrow.Release memory r;

        r = releaseOf(PID, 1e18);
        r.sellerAmount -= 1; // one wei left behind
        bytes[] memory s = quorum(escrow.releaseDigest(r));
        vm.expectRevert(abi.encodeWithSelector(AmnEscrow.AmountMismatch.selector, 100e18, 100e18 - 1));
        escrow.release(PID, r, s);

        r = releaseOf(PID, 1e18);
        r.feeAmount += 1; // one wei too many
        s = quorum(escrow.releaseDigest(r));
        vm.expectRevert(abi.encodeWithSelector(AmnEscrow.AmountMismatch.selector, 100e18, 100e18 + 1));
        escrow.release(PID, r, s);

        r = releaseOf(PID, 1e18);
        r.feeAmount = type(uint256).max; // would wrap to less in unchecked math
        s = quorum(escrow.releaseDigest(r));
        vm.expectRevert(abi.encodeWithSelector(AmnEscrow.AmountMismatch.selector, 100e18, type(uint256).max));
        escrow.release(PID, r, s);

        r = releaseOf(PID, 1e18);
        r.token = address(usdt);
        s = quorum(escrow.releaseDigest(r));
        vm.expectRevert(abi.encodeWithSelector(AmnEscrow.TokenMismatch.selector, address(dai), address(usdt)));
        escrow.release(PID, r, s);

        r = releaseOf(PID, 1e18);
        r.seller = buyer;
        s = quorum(escrow.releaseDigest(r));
        vm.expectRevert(abi.encodeWithSelector(AmnEscrow.PartyMismatch.selector, seller, buyer));
        escrow.release(PID, r, s);

        r = releaseOf(PID, 1e18);
        r.feeRecipient = address(0);
        s = quorum(escrow.releaseDigest(r));
        vm.expectRevert(AmnEscrow.ZeroAddress.selector);
        escrow.release(PID, r, s);

        r = releaseOf(PID, 1e18);
        s = quorum(escrow.releaseDigest(r));
        bytes32 otherId = keccak256("other");
        vm.expectRevert(abi.encodeWithSelector(AmnEscrow.PaymentIdMismatch.selector, otherId, PID));
        escrow.release(otherId, r, s);

        // With a zero fee the fee recipient may be empty.
        r = releaseOf(PID, 0);
        r.feeRecipient = address(0);
        escrow.release(PID, r, quorum(escrow.releaseDigest(r)));
        vm.assertEq(dai.balanceOf(seller), 100e18, "all to seller");
    }

    function test_release_unfundedIsNotOpen() public {
        AmnEscrow.Release memory r = AmnEscrow.Release(PID, address(dai), seller, 1, feeRecipient, 0, false, START + 1);
        bytes[] memory s = quorum(escrow.releaseDigest(r));
        vm.expectRevert(abi.encodeWithSelector(AmnEscrow.NotOpen.selector, PID));
        escrow.release(PID, r, s);
    }

    // =============================================================================================
    // Refund
    // =============================================================================================

    function test_refund_2of3PaysBuyer() public {
        fundDai(REF, 40e18);
        AmnEscrow.Refund memory r = refundOf(PID);
        vm.expectEmit(true, true, true, true, address(escrow));
        emit AmnEscrow.Refunded(PID, address(dai), buyer, 40e18, false);
        escrow.refund(PID, r, quorum(escrow.refundDigest(r)));

        vm.assertEq(dai.balanceOf(buyer), 40e18, "buyer repaid");
        vm.assertEq(dai.balanceOf(address(escrow)), 0, "escrow");
        vm.assertEq(uint256(status(PID)), uint256(AmnEscrow.Status.Refunded), "status");
    }

    function test_refund_native() public {
        fundNative(REF, 1 ether);
        AmnEscrow.Refund memory r = refundOf(PID);
        escrow.refund(PID, r, quorum(escrow.refundDigest(r)));
        vm.assertEq(buyer.balance, 1 ether, "buyer repaid");
    }

    function test_refund_termsMustMatchTheRecord() public {
        fundDai(REF, 40e18);
        AmnEscrow.Refund memory r = refundOf(PID);
        r.amount = 39e18;
        bytes[] memory s = quorum(escrow.refundDigest(r));
        vm.expectRevert(abi.encodeWithSelector(AmnEscrow.AmountMismatch.selector, 40e18, 39e18));
        escrow.refund(PID, r, s);

        r = refundOf(PID);
        r.buyer = seller;
        s = quorum(escrow.refundDigest(r));
        vm.expectRevert(abi.encodeWithSelector(AmnEscrow.PartyMismatch.selector, buyer, seller));
        escrow.refund(PID, r, s);

        r = refundOf(PID);
        r.token = address(0);
        s = quorum(escrow.refundDigest(r));
        vm.expectRevert(abi.encodeWithSelector(AmnEscrow.TokenMismatch.selector, address(dai), address(0)));
        escrow.refund(PID, r, s);
    }

    function test_refund_checksSignaturesLikeRelease() public {
        fundDai(REF, 40e18);
        AmnEscrow.Refund memory r = refundOf(PID);
        bytes32 d = escrow.refundDigest(r);

        bytes[] memory one = new bytes[](1);
        one[0] = sign712(keys[0], d);
        vm.expectRevert(abi.encodeWithSelector(AmnEscrow.NotEnoughSignatures.selector, 1, 2));
        escrow.refund(PID, r, one);

        vm.expectRevert(abi.encodeWithSelector(AmnEscrow.SignersNotAscending.selector, 1));
        escrow.refund(PID, r, sigs(d, keyList(keys[2], keys[0])));

        vm.warp(r.deadline + 1);
        bytes[] memory s = quorum(d);
        vm.expectRevert(abi.encodeWithSelector(AmnEscrow.Expired.selector, r.deadline));
        escrow.refund(PID, r, s);
    }

    function test_refund_releaseApprovalCannotRefund() public {
        fundDai(REF, 40e18);
        // Same fields where they overlap, but a Release digest is a different typed message.
        AmnEscrow.Release memory rel = releaseOf(PID, 0);
        AmnEscrow.Refund memory r = refundOf(PID);
        r.deadline = rel.deadline;
        bytes[] memory s = quorum(escrow.releaseDigest(rel));
        vm.expectPartialRevert(AmnEscrow.NotCustodian.selector);
        escrow.refund(PID, r, s);
    }

    // =============================================================================================
    // Settle (a split between buyer, seller and fee recipient)
    // =============================================================================================

    function test_settle_2of3PaysEachPartExactly() public {
        fundDai(REF, 1000e18);
        vm.prank(arbiter);
        escrow.freeze(PID);
        AmnEscrow.Settle memory s = settleOf(PID, 300e18, 17.5e18);
        bytes[] memory q = quorum(escrow.settleDigest(s));

        vm.expectEmit(true, true, true, true, address(escrow));
        emit AmnEscrow.Settled(PID, address(dai), buyer, 300e18, seller, 682.5e18, feeRecipient, 17.5e18, true);
        vm.prank(funder); // anyone may submit: the signatures are the authority
        escrow.settle(PID, s, q);

        vm.assertEq(dai.balanceOf(buyer), 300e18, "buyer");
        vm.assertEq(dai.balanceOf(seller), 682.5e18, "seller");
        vm.assertEq(dai.balanceOf(feeRecipient), 17.5e18, "fee recipient");
        vm.assertEq(dai.balanceOf(address(escrow)), 0, "escrow");
        vm.assertEq(escrow.totalEscrowed(address(dai)), 0, "totalEscrowed");
        vm.assertEq(uint256(status(PID)), uint256(AmnEscrow.Status.Settled), "status");
        vm.assertTrue(!frozen(PID), "closed escrows are not frozen");
    }

    function test_settle_nativeAndUsdtLikePayOut() public {
        fundNative(REF, 10 ether);
        AmnEscrow.Settle memory s = settleOf(PID, 3 ether, 0.2 ether);
        escrow.settle(PID, s, quorum(escrow.settleDigest(s)));
        vm.assertEq(buyer.balance, 3 ether, "buyer");
        vm.assertEq(seller.balance, 6.8 ether, "seller");
        vm.assertEq(feeRecipient.balance, 0.2 ether, "fee");
        vm.assertEq(address(escrow).balance, 0, "escrow");

        bytes32 ref2 = keccak256("payment-2");
        usdt.mint(funder, 100e6);
        vm.startPrank(funder);
        usdt.approve(address(escrow), 100e6);
        (bytes32 id2,) = escrow.fund(ref2, address(usdt), 100e6, buyer, seller);
        vm.stopPrank();
        s = settleOf(id2, 30e6, 0); // no fee: the recipient may even be empty
        s.feeRecipient = address(0);
        escrow.settle(id2, s, quorum(escrow.settleDigest(s)));
        vm.assertEq(usdt.balanceOf(buyer), 30e6, "usdt buyer");
        vm.assertEq(usdt.balanceOf(seller), 70e6, "usdt seller");
    }

    /// Sums that do not add up, by one wei either way or by overflowing.
    function test_settle_sumsMustAddUp() public {
        fundDai(REF, 100e18);
        AmnEscrow.Settle memory s;
        bytes[] memory q;

        s = settleOf(PID, 30e18, 1e18);
        s.sellerAmount -= 1; // one wei left behind
        q = quorum(escrow.settleDigest(s));
        vm.expectRevert(abi.encodeWithSelector(AmnEscrow.AmountMismatch.selector, 100e18, 100e18 - 1));
        escrow.settle(PID, s, q);

        s = settleOf(PID, 30e18, 1e18);
        s.buyerAmount += 1; // one wei too many
        q = quorum(escrow.settleDigest(s));
        vm.expectRevert(abi.encodeWithSelector(AmnEscrow.AmountMismatch.selector, 100e18, 100e18 + 1));
        escrow.settle(PID, s, q);

        // Parts that wrap around 2^256 to exactly the escrowed amount in unchecked math.
        s = settleOf(PID, 30e18, 1e18);
        s.buyerAmount = type(uint256).max;
        s.sellerAmount = 100e18 + 1 - s.feeAmount;
        q = quorum(escrow.settleDigest(s));
        vm.expectRevert(abi.encodeWithSelector(AmnEscrow.AmountMismatch.selector, 100e18, type(uint256).max));
        escrow.settle(PID, s, q);

        s = settleOf(PID, 30e18, 1e18);
        s.feeAmount = type(uint256).max - 1;
        s.sellerAmount = 2;
        q = quorum(escrow.settleDigest(s));
        vm.expectRevert(abi.encodeWithSelector(AmnEscrow.AmountMismatch.selector, 100e18, type(uint256).max));
        escrow.settle(PID, s, q);

        vm.assertEq(uint256(status(PID)), uint256(AmnEscrow.Status.Open), "still open");
        vm.assertEq(dai.balanceOf(address(escrow)), 100e18, "nothing moved");
    }

    function test_settle_termsMustMatchTheRecord() public {
        fundDai(REF, 100e18);
        AmnEscrow.Settle memory s;
        bytes[] memory q;

        s = settleOf(PID, 30e18, 1e18);
        s.token = address(usdt); // wrong token
        q = quorum(escrow.settleDigest(s));
        vm.expectRevert(abi.encodeWithSelector(AmnEscrow.TokenMismatch.selector, address(dai), address(usdt)));
        escrow.settle(PID, s, q);

        s = settleOf(PID, 30e18, 1e18);
        s.token = address(0); // native instead of the token
        q = quorum(escrow.settleDigest(s));
        vm.expectRevert(abi.encodeWithSelector(AmnEscrow.TokenMismatch.selector, address(dai), address(0)));
        escrow.settle(PID, s, q);

        s = settleOf(PID, 30e18, 1e18);
        s.buyer = feeRecipient; // the buyer's part to someone else
        q = quorum(escrow.settleDigest(s));
        vm.expectRevert(abi.encodeWithSelector(AmnEscrow.PartyMismatch.selector, buyer, feeRecipient));
        escrow.settle(PID, s, q);

        s = settleOf(PID, 30e18, 1e18);
        s.seller = buyer; // the seller's part to the buyer
        q = quorum(escrow.settleDigest(s));
        vm.expectRevert(abi.encodeWithSelector(AmnEscrow.PartyMismatch.selector, seller, buyer));
        escrow.settle(PID, s, q);

        s = settleOf(PID, 30e18, 1e18);
        s.feeRecipient = address(0); // a fee burnt
        q = quorum(escrow.settleDigest(s));
        vm.expectRevert(AmnEscrow.ZeroAddress.selector);
        escrow.settle(PID, s, q);

        s = settleOf(PID, 30e18, 1e18);
        q = quorum(escrow.settleDigest(s));
        bytes32 otherId = keccak256("other");
        vm.expectRevert(abi.encodeWithSelector(AmnEscrow.PaymentIdMismatch.selector, otherId, PID));
        escrow.settle(otherId, s, q);

        s = settleOf(PID, 30e18, 1e18);
        q = quorum(escrow.settleDigest(s));
        vm.warp(s.deadline + 1);
        vm.expectRevert(abi.encodeWithSelector(AmnEscrow.Expired.selector, s.deadline));
        escrow.settle(PID, s, q);
        vm.warp(s.deadline); // the deadline itself is still valid
        escrow.settle(PID, s, q);
        vm.assertEq(dai.balanceOf(buyer), 30e18, "settled");
    }

    function test_settle_unfundedIsNotOpen() public {
        AmnEscrow.Settle memory s =
            AmnEscrow.Settle(PID, address(dai), buyer, 1, seller, 1, feeRecipient, 0, true, START + 1);
        bytes[] memory q = quorum(escrow.settleDigest(s));
        vm.expectRevert(abi.encodeWithSelector(AmnEscrow.NotOpen.selector, PID));
        escrow.settle(PID, s, q);
    }

    /// A used approval cannot pay twice, nor serve another split, another escrow or another kind.
    function test_settle_reusedApprovalIsRefused() public {
        fundDai(REF, 100e18);
        dai.mint(address(escrow), 100e18); // stray tokens: a replay would have something to take
        AmnEscrow.Settle memory s = settleOf(PID, 30e18, 1e18);
        bytes[] memory q = quorum(escrow.settleDigest(s));

        // The same signatures over a different split of the same escrow.
        AmnEscrow.Settle memory other = settleOf(PID, 60e18, 1e18);
        vm.expectPartialRevert(AmnEscrow.NotCustodian.selector);
        escrow.settle(PID, other, q);

        escrow.settle(PID, s, q);
        vm.expectRevert(abi.encodeWithSelector(AmnEscrow.NotOpen.selector, PID));
        escrow.settle(PID, s, q);

        // The same split for a second escrow with the same parties and amount.
        bytes32 id2 = fundDai(keccak256("payment-2"), 100e18);
        AmnEscrow.Settle memory moved = s;
        moved.paymentId = id2;
        vm.expectPartialRevert(AmnEscrow.NotCustodian.selector);
        escrow.settle(id2, moved, q);

        // A release approval's signatures are not a settle's (nor the other way round).
        AmnEscrow.Release memory r = releaseOf(id2, 1e18);
        bytes[] memory rq = quorum(escrow.releaseDigest(r));
        AmnEscrow.Settle memory s2 = settleOf(id2, 0, 1e18);
        s2.resolvesDispute = false;
        vm.expectPartialRevert(AmnEscrow.NotCustodian.selector);
        escrow.settle(id2, s2, rq);

        vm.assertEq(dai.balanceOf(buyer), 30e18, "paid once");
        vm.assertEq(dai.balanceOf(address(escrow)), 200e18, "second escrow and strays untouched");
    }

    function test_settle_checksSignaturesLikeRelease() public {
        fundDai(REF, 100e18);
        AmnEscrow.Settle memory s = settleOf(PID, 30e18, 1e18);
        bytes32 d = escrow.settleDigest(s);

        bytes[] memory one = new bytes[](1);
        one[0] = sign712(keys[0], d);
        vm.expectRevert(abi.encodeWithSelector(AmnEscrow.NotEnoughSignatures.selector, 1, 2));
        escrow.settle(PID, s, one);

        // A non-custodian as the second signer.
        bytes[] memory outsider = new bytes[](2);
        outsider[0] = sign712(keys[0], d);
        outsider[1] = sign712(OUTSIDER_KEY, d);
        if (vm.addr(OUTSIDER_KEY) < vm.addr(keys[0])) (outsider[0], outsider[1]) = (outsider[1], outsider[0]);
        vm.expectRevert(abi.encodeWithSelector(AmnEscrow.NotCustodian.selector, vm.addr(OUTSIDER_KEY)));
        escrow.settle(PID, s, outsider);

        // The arbiter is no custodian either.
        bytes[] memory arb = new bytes[](2);
        arb[0] = sign712(keys[0], d);
        arb[1] = sign712(0xA4B1, d);
        if (arbiter < vm.addr(keys[0])) (arb[0], arb[1]) = (arb[1], arb[0]);
        vm.expectRevert(abi.encodeWithSelector(AmnEscrow.NotCustodian.selector, arbiter));
        escrow.settle(PID, s, arb);

        bytes[] memory dup = sigs(d, keyList(keys[0], keys[0]));
        vm.expectRevert(abi.encodeWithSelector(AmnEscrow.DuplicateSigner.selector, vm.addr(keys[0])));
        escrow.settle(PID, s, dup);

        bytes[] memory reordered = sigs(d, keyList(keys[1], keys[0]));
        vm.expectRevert(abi.encodeWithSelector(AmnEscrow.SignersNotAscending.selector, 1));
        escrow.settle(PID, s, reordered);

        // The eth_sign form counts as for the other approvals.
        bytes[] memory mixed = new bytes[](2);
        mixed[0] = signEth(keys[0], d);
        mixed[1] = sign712(keys[2], d);
        escrow.settle(PID, s, mixed);
        vm.assertEq(dai.balanceOf(seller), 69e18, "settled");
    }

    function test_settle_frozenNeedsAResolution() public {
        fundDai(REF, 100e18);
        AmnEscrow.Settle memory ordinary = settleOf(PID, 30e18, 1e18);
        ordinary.resolvesDispute = false;
        bytes[] memory oq = quorum(escrow.settleDigest(ordinary)); // collected before the dispute

        vm.prank(arbiter);
        escrow.freeze(PID);
        vm.expectRevert(abi.encodeWithSelector(AmnEscrow.EscrowFrozen.selector, PID));
        escrow.settle(PID, ordinary, oq);

        AmnEscrow.Settle memory resolution = settleOf(PID, 30e18, 1e18);
        escrow.settle(PID, resolution, quorum(escrow.settleDigest(resolution)));
        vm.assertEq(dai.balanceOf(buyer), 30e18, "resolution settles a frozen escrow");
    }

    function test_settle_unfrozenTakesEitherApproval() public {
        fundDai(REF, 100e18);
        AmnEscrow.Settle memory ordinary = settleOf(PID, 30e18, 1e18);
        ordinary.resolvesDispute = false;
        bytes[] memory oq = quorum(escrow.settleDigest(ordinary));
        vm.startPrank(arbiter);
        escrow.freeze(PID);
        escrow.unfreeze(PID);
        vm.stopPrank();
        escrow.settle(PID, ordinary, oq);
        vm.assertEq(dai.balanceOf(buyer), 30e18, "ordinary settle after unfreeze");

        // A resolution is a stronger statement and also works on an escrow that is not frozen.
        bytes32 id2 = fundDai(keccak256("payment-2"), 10e18);
        AmnEscrow.Settle memory r = settleOf(id2, 1e18, 0);
        escrow.settle(id2, r, quorum(escrow.settleDigest(r)));
        vm.assertEq(uint256(status(id2)), uint256(AmnEscrow.Status.Settled), "resolution when not frozen");
    }

    function test_settle_closedEscrowsCannotBeSettled() public {
        fundDai(REF, 100e18);
        AmnEscrow.Release memory r = releaseOf(PID, 0);
        escrow.release(PID, r, quorum(escrow.releaseDigest(r)));
        AmnEscrow.Settle memory s =
            AmnEscrow.Settle(PID, address(dai), buyer, 50e18, seller, 50e18, feeRecipient, 0, true, START + 1 days);
        bytes[] memory q = quorum(escrow.settleDigest(s));
        vm.expectRevert(abi.encodeWithSelector(AmnEscrow.NotOpen.selector, PID));
        escrow.settle(PID, s, q);

        bytes32 id2 = fundNative(keccak256("payment-2"), 1 ether);
        vm.warp(START + RECLAIM_DELAY);
        vm.prank(buyer);
        escrow.reclaim(id2);
        s = AmnEscrow.Settle(
            id2, address(0), buyer, 0.5 ether, seller, 0.5 ether, feeRecipient, 0, true, block.timestamp + 1
        );
        q = quorum(escrow.settleDigest(s));
        vm.expectRevert(abi.encodeWithSelector(AmnEscrow.NotOpen.selector, id2));
        escrow.settle(id2, s, q);
    }

    function test_settle_reentrancyIsBlocked() public {
        ReentrantSettleBuyer rb = new ReentrantSettleBuyer(escrow);
        bytes32 id2 = escrow.escrowId(funder, keccak256("payment-2"));
        vm.deal(funder, 2 ether);
        vm.startPrank(funder);
        escrow.fundNative{value: 1 ether}(REF, address(rb), seller);
        escrow.fundNative{value: 1 ether}(keccak256("payment-2"), address(rb), seller);
        vm.stopPrank();

        AmnEscrow.Settle memory s = settleOf(PID, 0.4 ether, 0);
        bytes[] memory q = quorum(escrow.settleDigest(s));
        AmnEscrow.Settle memory s2 = settleOf(id2, 0.4 ether, 0);
        rb.arm(id2, s2, quorum(escrow.settleDigest(s2))); // a valid settle of the second escrow
        escrow.settle(PID, s, q);
        vm.assertEq(
            keccak256(rb.reentryError()),
            keccak256(abi.encodeWithSelector(ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector)),
            "nested settle hit the guard"
        );
        vm.assertEq(uint256(status(id2)), uint256(AmnEscrow.Status.Open), "second escrow untouched");
        vm.assertEq(address(rb).balance, 0.4 ether, "one payout");
        vm.assertEq(seller.balance, 0.6 ether, "seller");

        // Re-entering with the very settle being paid: closed before any payout, so NotOpen even
        // without the guard; with it, the guard answers first.
        bytes32 ref3 = keccak256("payment-3");
        vm.deal(funder, 1 ether);
        vm.prank(funder);
        bytes32 id3 = escrow.fundNative{value: 1 ether}(ref3, address(rb), seller);
        AmnEscrow.Settle memory s3 = settleOf(id3, 0.1 ether, 0);
        bytes[] memory q3 = quorum(escrow.settleDigest(s3));
        rb.arm(id3, s3, q3);
        escrow.settle(id3, s3, q3);
        vm.assertEq(
            keccak256(rb.reentryError()),
            keccak256(abi.encodeWithSelector(ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector)),
            "replay from inside hit the guard"
        );
        vm.assertEq(address(rb).balance, 0.5 ether, "paid once each");
    }

    function test_settle_digestIsTheEip712Hash() public view {
        AmnEscrow.Settle memory s =
            AmnEscrow.Settle(PID, address(dai), buyer, 3, seller, 6, feeRecipient, 1, true, START + 1);
        bytes32 structHash = keccak256(
            abi.encode(
                keccak256(
                    "Settle(bytes32 paymentId,address token,address buyer,uint256 buyerAmount,address seller,uint256 sellerAmount,address feeRecipient,uint256 feeAmount,bool resolvesDispute,uint256 deadline)"
                ),
                s.paymentId,
                s.token,
                s.buyer,
                s.buyerAmount,
                s.seller,
                s.sellerAmount,
                s.feeRecipient,
                s.feeAmount,
                s.resolvesDispute,
                s.deadline
            )
        );
        bytes32 want = keccak256(abi.encodePacked("\x19\x01", escrow.domainSeparator(), structHash));
        vm.assertEq(escrow.settleDigest(s), want, "settleDigest");
        vm.assertEq(
            escrow.SETTLE_TYPEHASH(),
            keccak256(
                "Settle(bytes32 paymentId,address token,address buyer,uint256 buyerAmount,address seller,uint256 sellerAmount,address feeRecipient,uint256 feeAmount,bool resolvesDispute,uint256 deadline)"
            ),
            "typehash"
        );
    }

    // =============================================================================================
    // Disputes
    // =============================================================================================

    function test_freeze_onlyArbiter() public {
        fundDai(REF, 1e18);
        vm.prank(vm.addr(keys[0])); // not even a custodian
        vm.expectRevert(abi.encodeWithSelector(AmnEscrow.NotArbiter.selector, vm.addr(keys[0])));
        escrow.freeze(PID);

        vm.prank(buyer);
        vm.expectRevert(abi.encodeWithSelector(AmnEscrow.NotArbiter.selector, buyer));
        escrow.freeze(PID);

        vm.prank(arbiter);
        vm.expectEmit(true, true, true, true, address(escrow));
        emit AmnEscrow.Frozen(PID, arbiter);
        escrow.freeze(PID);
        vm.assertTrue(frozen(PID), "frozen");

        vm.prank(seller);
        vm.expectRevert(abi.encodeWithSelector(AmnEscrow.NotArbiter.selector, seller));
        escrow.unfreeze(PID);
    }

    function test_freeze_stateRules() public {
        vm.prank(arbiter);
        vm.expectRevert(abi.encodeWithSelector(AmnEscrow.NotOpen.selector, PID));
        escrow.freeze(PID);

        fundDai(REF, 1e18);
        vm.prank(arbiter);
        vm.expectRevert(abi.encodeWithSelector(AmnEscrow.NotFrozen.selector, PID));
        escrow.unfreeze(PID);

        vm.startPrank(arbiter);
        escrow.freeze(PID);
        vm.expectRevert(abi.encodeWithSelector(AmnEscrow.EscrowFrozen.selector, PID));
        escrow.freeze(PID);
        vm.stopPrank();
    }

    function test_frozen_blocksOrdinaryReleaseAndRefund() public {
        fundDai(REF, 1e18);
        AmnEscrow.Release memory rel = releaseOf(PID, 0);
        AmnEscrow.Refund memory ref = refundOf(PID);
        bytes[] memory relSigs = quorum(escrow.releaseDigest(rel)); // collected before the dispute
        bytes[] memory refSigs = quorum(escrow.refundDigest(ref));

        vm.prank(arbiter);
        escrow.freeze(PID);

        vm.expectRevert(abi.encodeWithSelector(AmnEscrow.EscrowFrozen.selector, PID));
        escrow.release(PID, rel, relSigs);
        vm.expectRevert(abi.encodeWithSelector(AmnEscrow.EscrowFrozen.selector, PID));
        escrow.refund(PID, ref, refSigs);
    }

    function test_frozen_quorumResolutionReleases() public {
        fundDai(REF, 10e18);
        vm.prank(arbiter);
        escrow.freeze(PID);

        AmnEscrow.Release memory r = releaseOf(PID, 1e18);
        r.resolvesDispute = true;
        bytes[] memory s = quorum(escrow.releaseDigest(r));
        vm.expectEmit(true, true, true, true, address(escrow));
        emit AmnEscrow.Released(PID, address(dai), seller, 9e18, feeRecipient, 1e18, true);
        escrow.release(PID, r, s);
        vm.assertEq(dai.balanceOf(seller), 9e18, "seller");
        vm.assertTrue(!frozen(PID), "closed escrows are not frozen");
    }

    function test_frozen_quorumResolutionRefunds() public {
        fundDai(REF, 10e18);
        vm.prank(arbiter);
        escrow.freeze(PID);

        AmnEscrow.Refund memory r = refundOf(PID);
        r.resolvesDispute = true;
        bytes32 d = escrow.refundDigest(r);

        // A resolution still needs the quorum.
        bytes[] memory one = new bytes[](1);
        one[0] = sign712(keys[2], d);
        vm.expectRevert(abi.encodeWithSelector(AmnEscrow.NotEnoughSignatures.selector, 1, 2));
        escrow.refund(PID, r, one);

        escrow.refund(PID, r, sigs(d, keyList(keys[1], keys[2])));
        vm.assertEq(dai.balanceOf(buyer), 10e18, "buyer");
        vm.assertEq(uint256(status(PID)), uint256(AmnEscrow.Status.Refunded), "status");
    }

    function test_unfreeze_restoresOrdinaryApprovals() public {
        fundDai(REF, 10e18);
        AmnEscrow.Release memory r = releaseOf(PID, 0);
        bytes[] memory s = quorum(escrow.releaseDigest(r));
        vm.startPrank(arbiter);
        escrow.freeze(PID);
        vm.expectEmit(true, true, true, true, address(escrow));
        emit AmnEscrow.Unfrozen(PID, arbiter);
        escrow.unfreeze(PID);
        vm.stopPrank();
        escrow.release(PID, r, s);
        vm.assertEq(dai.balanceOf(seller), 10e18, "released after unfreeze");
    }

    /// @dev Documented choice: a resolution approval is a stronger statement and also works on an
    /// escrow that is not (or no longer) frozen.
    function test_resolutionWorksWhenNotFrozen() public {
        fundDai(REF, 10e18);
        AmnEscrow.Refund memory r = refundOf(PID);
        r.resolvesDispute = true;
        escrow.refund(PID, r, quorum(escrow.refundDigest(r)));
        vm.assertEq(dai.balanceOf(buyer), 10e18, "refunded");
    }

    function test_arbiterCannotMoveFunds() public {
        fundDai(REF, 10e18);
        AmnEscrow.Release memory r = releaseOf(PID, 0);
        r.resolvesDispute = true;
        bytes32 d = escrow.releaseDigest(r);
        bytes[] memory s = new bytes[](2);
        s[0] = sign712(keys[0], d);
        s[1] = sign712(0xA4B1, d); // the arbiter's key
        // Order the pair by address so only custodianship is in question.
        if (vm.addr(keys[0]) > arbiter) (s[0], s[1]) = (s[1], s[0]);
        vm.expectRevert(abi.encodeWithSelector(AmnEscrow.NotCustodian.selector, arbiter));
        escrow.release(PID, r, s);
    }

    // =============================================================================================
    // Reclaim
    // =============================================================================================

    function test_reclaim_beforeAndAfterTheDelay() public {
        fundDai(REF, 7e18);
        vm.assertEq(escrow.reclaimableAt(PID), START + RECLAIM_DELAY, "reclaimableAt");

        vm.warp(START + RECLAIM_DELAY - 1);
        vm.prank(buyer);
        vm.expectRevert(abi.encodeWithSelector(AmnEscrow.ReclaimTooEarly.selector, START + RECLAIM_DELAY));
        escrow.reclaim(PID);

        vm.warp(START + RECLAIM_DELAY);
        vm.prank(seller);
        vm.expectRevert(abi.encodeWithSelector(AmnEscrow.NotBuyer.selector, seller));
        escrow.reclaim(PID);

        vm.prank(buyer);
        vm.expectEmit(true, true, true, true, address(escrow));
        emit AmnEscrow.Reclaimed(PID, address(dai), buyer, 7e18);
        escrow.reclaim(PID);
        vm.assertEq(dai.balanceOf(buyer), 7e18, "buyer");
        vm.assertEq(uint256(status(PID)), uint256(AmnEscrow.Status.Reclaimed), "status");
        vm.assertEq(escrow.reclaimableAt(PID), 0, "no longer open");

        vm.prank(buyer);
        vm.expectRevert(abi.encodeWithSelector(AmnEscrow.NotOpen.selector, PID));
        escrow.reclaim(PID);
    }

    function test_reclaim_frozenWaitsTwiceAsLong() public {
        fundNative(REF, 1 ether);
        vm.prank(arbiter);
        escrow.freeze(PID);
        vm.assertEq(escrow.reclaimableAt(PID), START + 2 * RECLAIM_DELAY, "doubled");

        vm.warp(START + 2 * RECLAIM_DELAY - 1);
        vm.prank(buyer);
        vm.expectRevert(abi.encodeWithSelector(AmnEscrow.ReclaimTooEarly.selector, START + 2 * RECLAIM_DELAY));
        escrow.reclaim(PID);

        vm.warp(START + 2 * RECLAIM_DELAY);
        vm.prank(buyer);
        escrow.reclaim(PID);
        vm.assertEq(buyer.balance, 1 ether, "buyer");
    }

    function test_reclaim_closedEscrowCannotBeReclaimed() public {
        fundDai(REF, 7e18);
        AmnEscrow.Release memory r = releaseOf(PID, 0);
        escrow.release(PID, r, quorum(escrow.releaseDigest(r)));
        vm.warp(START + 10 * RECLAIM_DELAY);
        vm.prank(buyer);
        vm.expectRevert(abi.encodeWithSelector(AmnEscrow.NotOpen.selector, PID));
        escrow.reclaim(PID);
    }

    function test_reclaim_reentrancyIsBlocked() public {
        ReentrantBuyer rb = new ReentrantBuyer(escrow);
        bytes32 id2 = escrow.escrowId(funder, keccak256("payment-2"));
        vm.deal(funder, 2 ether);
        vm.startPrank(funder);
        escrow.fundNative{value: 1 ether}(REF, address(rb), seller);
        escrow.fundNative{value: 1 ether}(keccak256("payment-2"), address(rb), seller);
        vm.stopPrank();

        vm.warp(START + RECLAIM_DELAY);
        rb.reclaim(PID, id2);
        vm.assertEq(
            keccak256(rb.reentryError()),
            keccak256(abi.encodeWithSelector(ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector)),
            "nested reclaim hit the guard"
        );
        vm.assertEq(uint256(status(id2)), uint256(AmnEscrow.Status.Open), "second escrow untouched");
        vm.assertEq(address(rb).balance, 1 ether, "one payout");
    }

    // =============================================================================================
    // Configuration
    // =============================================================================================

    function test_setCustodians_withQuorum() public {
        uint256[] memory k = new uint256[](4);
        (k[0], k[1], k[2], k[3]) = (keys[0], 0xD00D01, 0xD00D02, 0xD00D03);
        k = sortedKeys(k);
        address[] memory next = addrs(k);
        uint256 deadline = block.timestamp + 1 hours;
        bytes[] memory s = quorum(escrow.setCustodiansDigest(next, 3, 0, deadline));

        vm.expectEmit(true, true, true, true, address(escrow));
        emit AmnEscrow.CustodiansChanged(1, next, 3);
        escrow.setCustodians(next, 3, 0, deadline, s);

        vm.assertEq(escrow.threshold(), 3, "threshold");
        vm.assertEq(escrow.configNonce(), 1, "nonce");
        address[] memory got = escrow.custodians();
        vm.assertEq(got.length, 4, "count");
        for (uint256 i = 0; i < 4; ++i) {
            vm.assertEq(got[i], next[i], "member");
        }
        vm.assertTrue(!escrow.isCustodian(vm.addr(keys[1])), "removed custodian is out");
        vm.assertTrue(escrow.isCustodian(vm.addr(keys[0])), "kept custodian is in");

        // Replaying the same approval fails: the nonce moved on.
        vm.expectRevert(abi.encodeWithSelector(AmnEscrow.BadNonce.selector, 1, 0));
        escrow.setCustodians(next, 3, 0, deadline, s);

        // Removed custodians can no longer approve; the new 3-of-4 set can.
        fundDai(REF, 5e18);
        AmnEscrow.Release memory r = releaseOf(PID, 0);
        bytes32 d = escrow.releaseDigest(r);
        uint256[] memory old3 = new uint256[](3);
        (old3[0], old3[1], old3[2]) = (keys[0], keys[1], keys[2]);
        vm.expectPartialRevert(AmnEscrow.NotCustodian.selector);
        escrow.release(PID, r, sigs(d, old3));

        vm.expectRevert(abi.encodeWithSelector(AmnEscrow.NotEnoughSignatures.selector, 2, 3));
        escrow.release(PID, r, sigs(d, keyList(k[0], k[1])));

        uint256[] memory new3 = new uint256[](3);
        (new3[0], new3[1], new3[2]) = (k[0], k[1], k[3]);
        escrow.release(PID, r, sigs(d, new3));
        vm.assertEq(dai.balanceOf(seller), 5e18, "new set released");
    }

    function test_setCustodians_withoutQuorumIsRefused() public {
        address[] memory next = new address[](1);
        next[0] = vm.addr(OUTSIDER_KEY); // a takeover attempt
        uint256 deadline = block.timestamp + 1 hours;
        bytes32 d = escrow.setCustodiansDigest(next, 1, 0, deadline);

        bytes[] memory one = new bytes[](1);
        one[0] = sign712(keys[0], d);
        vm.expectRevert(abi.encodeWithSelector(AmnEscrow.NotEnoughSignatures.selector, 1, 2));
        escrow.setCustodians(next, 1, 0, deadline, one);

        bytes[] memory two = new bytes[](2);
        two[0] = sign712(keys[0], d);
        two[1] = sign712(OUTSIDER_KEY, d);
        if (vm.addr(keys[0]) > vm.addr(OUTSIDER_KEY)) (two[0], two[1]) = (two[1], two[0]);
        vm.expectRevert(abi.encodeWithSelector(AmnEscrow.NotCustodian.selector, vm.addr(OUTSIDER_KEY)));
        escrow.setCustodians(next, 1, 0, deadline, two);

        bytes[] memory good = quorum(d);
        vm.expectRevert(abi.encodeWithSelector(AmnEscrow.BadNonce.selector, 0, 1));
        escrow.setCustodians(next, 1, 1, deadline, good);

        vm.warp(deadline + 1);
        vm.expectRevert(abi.encodeWithSelector(AmnEscrow.Expired.selector, deadline));
        escrow.setCustodians(next, 1, 0, deadline, good);

        vm.assertEq(escrow.custodians().length, 3, "unchanged");
        vm.assertEq(escrow.configNonce(), 0, "nonce unchanged");
    }

    function test_setCustodians_thresholdBounds() public {
        address[] memory next = addrs(keys);
        uint256 deadline = block.timestamp + 1 hours;

        bytes[] memory s = quorum(escrow.setCustodiansDigest(next, 0, 0, deadline));
        vm.expectRevert(abi.encodeWithSelector(AmnEscrow.InvalidThreshold.selector, 0, 3));
        escrow.setCustodians(next, 0, 0, deadline, s);

        s = quorum(escrow.setCustodiansDigest(next, 4, 0, deadline));
        vm.expectRevert(abi.encodeWithSelector(AmnEscrow.InvalidThreshold.selector, 4, 3));
        escrow.setCustodians(next, 4, 0, deadline, s);

        address[] memory unsorted = addrs(keys);
        (unsorted[1], unsorted[2]) = (unsorted[2], unsorted[1]);
        s = quorum(escrow.setCustodiansDigest(unsorted, 2, 0, deadline));
        vm.expectRevert(abi.encodeWithSelector(AmnEscrow.InvalidCustodians.selector, 2));
        escrow.setCustodians(unsorted, 2, 0, deadline, s);

        // 3-of-3 is allowed.
        s = quorum(escrow.setCustodiansDigest(next, 3, 0, deadline));
        escrow.setCustodians(next, 3, 0, deadline, s);
        vm.assertEq(escrow.threshold(), 3, "threshold raised");
    }

    function test_setArbiter_withQuorum() public {
        address newArbiter = vm.addr(0xA4B2);
        uint256 deadline = block.timestamp + 1 hours;
        bytes32 d = escrow.setArbiterDigest(newArbiter, 0, deadline);

        bytes[] memory one = new bytes[](1);
        one[0] = sign712(keys[0], d);
        vm.expectRevert(abi.encodeWithSelector(AmnEscrow.NotEnoughSignatures.selector, 1, 2));
        escrow.setArbiter(newArbiter, 0, deadline, one);

        vm.expectEmit(true, true, true, true, address(escrow));
        emit AmnEscrow.ArbiterChanged(1, arbiter, newArbiter);
        escrow.setArbiter(newArbiter, 0, deadline, quorum(d));
        vm.assertEq(escrow.arbiter(), newArbiter, "arbiter");

        fundDai(REF, 1e18);
        vm.prank(arbiter);
        vm.expectRevert(abi.encodeWithSelector(AmnEscrow.NotArbiter.selector, arbiter));
        escrow.freeze(PID);
        vm.prank(newArbiter);
        escrow.freeze(PID);

        // address(0) disables freezing altogether (but unfreezing too: the quorum resolves).
        escrow.setArbiter(address(0), 1, deadline, quorum(escrow.setArbiterDigest(address(0), 1, deadline)));
        vm.prank(newArbiter);
        vm.expectRevert(abi.encodeWithSelector(AmnEscrow.NotArbiter.selector, newArbiter));
        escrow.unfreeze(PID);
    }

    function test_setReclaimDelay_withQuorum() public {
        uint256 deadline = block.timestamp + 1 hours;
        bytes[] memory s = quorum(escrow.setReclaimDelayDigest(30 days, 0, deadline));
        bytes[] memory wrongValue = quorum(escrow.setReclaimDelayDigest(1 days, 0, deadline));

        vm.expectPartialRevert(AmnEscrow.NotCustodian.selector);
        escrow.setReclaimDelay(30 days, 0, deadline, wrongValue);

        vm.expectEmit(true, true, true, true, address(escrow));
        emit AmnEscrow.ReclaimDelayChanged(1, RECLAIM_DELAY, 30 days);
        escrow.setReclaimDelay(30 days, 0, deadline, s);
        vm.assertEq(escrow.reclaimDelay(), 30 days, "delay");

        s = quorum(escrow.setReclaimDelayDigest(1 hours, 1, deadline));
        vm.expectRevert(abi.encodeWithSelector(AmnEscrow.InvalidReclaimDelay.selector, 1 hours));
        escrow.setReclaimDelay(1 hours, 1, deadline, s);
        s = quorum(escrow.setReclaimDelayDigest(3651 days, 1, deadline));
        vm.expectRevert(abi.encodeWithSelector(AmnEscrow.InvalidReclaimDelay.selector, 3651 days));
        escrow.setReclaimDelay(3651 days, 1, deadline, s);

        // The new delay applies to open escrows.
        fundDai(REF, 1e18);
        vm.warp(START + 30 days);
        vm.prank(buyer);
        escrow.reclaim(PID);
        vm.assertEq(dai.balanceOf(buyer), 1e18, "reclaimed after the shorter delay");
    }

    function test_configApprovalsShareOneNonce() public {
        uint256 deadline = block.timestamp + 1 hours;
        // Two approvals made for nonce 0: whichever lands first voids the other.
        bytes[] memory arb = quorum(escrow.setArbiterDigest(buyer, 0, deadline));
        bytes[] memory del = quorum(escrow.setReclaimDelayDigest(2 days, 0, deadline));
        escrow.setReclaimDelay(2 days, 0, deadline, del);
        vm.expectRevert(abi.encodeWithSelector(AmnEscrow.BadNonce.selector, 1, 0));
        escrow.setArbiter(buyer, 0, deadline, arb);
    }
}

/// @dev One call per test, for `forge test --mc AmnEscrowGas --isolate --gas-report`: the
/// figures quoted in README.md (each call as its own transaction).
contract AmnEscrowGasTest is EscrowFixture {
    /// A funding of a token the escrow has funded before (the usual case: the first funding of a
    /// token also writes its registry entry, three new slots).
    function test_gas_fund_usdtLike_tokenKnown() public {
        usdt.mint(funder, 2000e6);
        vm.startPrank(funder);
        usdt.approve(address(escrow), 2000e6);
        escrow.fund(keccak256("earlier"), address(usdt), 1000e6, buyer, seller);
        escrow.fund(REF, address(usdt), 1000e6, buyer, seller);
        vm.stopPrank();
        assertOpen(PID, address(usdt), buyer, seller, 1000e6);
    }

    function test_gas_release2of3_erc20() public {
        fundDai(REF, 1000e18);
        AmnEscrow.Release memory r = releaseOf(PID, 25e18);
        bytes[] memory s = quorum(escrow.releaseDigest(r));
        escrow.release(PID, r, s);
        vm.assertEq(dai.balanceOf(seller), 975e18, "released");
    }

    function test_gas_release3of3_erc20() public {
        fundDai(REF, 1000e18);
        AmnEscrow.Release memory r = releaseOf(PID, 25e18);
        uint256[] memory all3 = new uint256[](3);
        (all3[0], all3[1], all3[2]) = (keys[0], keys[1], keys[2]);
        bytes[] memory s = sigs(escrow.releaseDigest(r), all3);
        escrow.release(PID, r, s);
        vm.assertEq(dai.balanceOf(seller), 975e18, "released");
    }

    function test_gas_release2of3_usdtLike() public {
        usdt.mint(funder, 1000e6);
        vm.startPrank(funder);
        usdt.approve(address(escrow), 1000e6);
        escrow.fund(REF, address(usdt), 1000e6, buyer, seller);
        vm.stopPrank();
        AmnEscrow.Release memory r = releaseOf(PID, 25e6);
        bytes[] memory s = quorum(escrow.releaseDigest(r));
        escrow.release(PID, r, s);
        vm.assertEq(usdt.balanceOf(seller), 975e6, "released");
    }

    function test_gas_release2of3_native() public {
        fundNative(REF, 1 ether);
        AmnEscrow.Release memory r = releaseOf(PID, 0.025 ether);
        bytes[] memory s = quorum(escrow.releaseDigest(r));
        escrow.release(PID, r, s);
        vm.assertEq(seller.balance, 0.975 ether, "released");
    }

    function test_gas_refund2of3_erc20() public {
        fundDai(REF, 1000e18);
        AmnEscrow.Refund memory r = refundOf(PID);
        bytes[] memory s = quorum(escrow.refundDigest(r));
        escrow.refund(PID, r, s);
        vm.assertEq(dai.balanceOf(buyer), 1000e18, "refunded");
    }

    function test_gas_settle2of3_erc20() public {
        fundDai(REF, 1000e18);
        AmnEscrow.Settle memory s = settleOf(PID, 300e18, 17.5e18);
        bytes[] memory q = quorum(escrow.settleDigest(s));
        escrow.settle(PID, s, q);
        vm.assertEq(dai.balanceOf(buyer), 300e18, "settled");
    }

    function test_gas_settle2of3_native() public {
        fundNative(REF, 1 ether);
        AmnEscrow.Settle memory s = settleOf(PID, 0.3 ether, 0.0175 ether);
        bytes[] memory q = quorum(escrow.settleDigest(s));
        escrow.settle(PID, s, q);
        vm.assertEq(buyer.balance, 0.3 ether, "settled");
    }
}

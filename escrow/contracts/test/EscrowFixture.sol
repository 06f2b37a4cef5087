// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AmnEscrow} from "../AmnEscrow.sol";
import {MessageHashUtils} from "@openzeppelin/contracts/utils/cryptography/MessageHashUtils.sol";
import {TestBase} from "./Vm.sol";
import {StandardToken, NoReturnToken, FeeOnTransferToken} from "./Tokens.sol";

/// @dev Shared setup: a 2-of-3 escrow, three tokens, named parties, and signing helpers.
abstract contract EscrowFixture is TestBase {
    uint256 internal constant RECLAIM_DELAY = 180 days;
    uint256 internal constant START = 1_800_000_000; // a realistic timestamp
    /// secp256k1 group order, for building high-s (malleable) twins of signatures.
    uint256 internal constant SECP256K1_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141;

    AmnEscrow internal escrow;
    StandardToken internal dai; // 18 decimals, returns bool
    NoReturnToken internal usdt; // 6 decimals, returns nothing
    FeeOnTransferToken internal feeToken; // 1% burned per transfer

    /// Custodian keys, sorted so that their addresses ascend.
    uint256[] internal keys;
    uint256 internal constant OUTSIDER_KEY = 0x0BAD;

    address internal arbiter;
    address internal buyer;
    address internal seller;
    address internal feeRecipient;
    address internal funder; // a deposit address sweeping into the escrow

    /// The funder's payment reference, and the id of the escrow the funder opens with it.
    bytes32 internal constant REF = keccak256("payment-1");
    bytes32 internal PID;

    function setUp() public virtual {
        vm.warp(START);
        arbiter = vm.addr(0xA4B1);
        buyer = vm.addr(0xB0B);
        seller = vm.addr(0x5E11);
        feeRecipient = vm.addr(0xFEE);
        funder = vm.addr(0xDE9);
        vm.label(arbiter, "arbiter");
        vm.label(buyer, "buyer");
        vm.label(seller, "seller");
        vm.label(feeRecipient, "feeRecipient");
        vm.label(funder, "funder");

        keys = sortedKeys(_three());
        escrow = deploy(keys, 2);
        vm.label(address(escrow), "escrow");

        dai = new StandardToken("Dai (test)", "DAI", 18);
        usdt = new NoReturnToken();
        feeToken = new FeeOnTransferToken(100);
        PID = escrow.escrowId(funder, REF);
    }

    function _three() private pure returns (uint256[] memory k) {
        k = new uint256[](3);
        k[0] = 0xC0FFEE01;
        k[1] = 0xC0FFEE02;
        k[2] = 0xC0FFEE03;
    }

    function deploy(uint256[] memory sortedKeys_, uint256 m) internal returns (AmnEscrow) {
        return new AmnEscrow(addrs(sortedKeys_), m, arbiter, RECLAIM_DELAY);
    }

    // ---- keys and signatures ------------------------------------------------------------------

    function addrs(uint256[] memory k) internal pure returns (address[] memory a) {
        a = new address[](k.length);
        for (uint256 i = 0; i < k.length; ++i) {
            a[i] = vm.addr(k[i]);
        }
    }

    /// @dev Insertion sort of keys by their address.
    function sortedKeys(uint256[] memory k) internal pure returns (uint256[] memory) {
        for (uint256 i = 1; i < k.length; ++i) {
            uint256 key = k[i];
            uint256 j = i;
            while (j > 0 && vm.addr(k[j - 1]) > vm.addr(key)) {
                k[j] = k[j - 1];
                --j;
            }
            k[j] = key;
        }
        return k;
    }

    function keyList(uint256 a, uint256 b) internal pure returns (uint256[] memory k) {
        k = new uint256[](2);
        k[0] = a;
        k[1] = b;
    }

    /// @dev EIP-712 form: a 65-byte r ‖ s ‖ v over the digest itself (v = 27/28).
    function sign712(uint256 key, bytes32 digest) internal pure returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, digest);
        return abi.encodePacked(r, s, v);
    }

    /// @dev eth_sign form: signature over "\x19Ethereum Signed Message:\n32" ‖ digest, v + 4.
    function signEth(uint256 key, bytes32 digest) internal pure returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, MessageHashUtils.toEthSignedMessageHash(digest));
        return abi.encodePacked(r, s, v + 4);
    }

    /// @dev One EIP-712 signature per key, in the order given.
    function sigs(bytes32 digest, uint256[] memory signerKeys) internal pure returns (bytes[] memory out) {
        out = new bytes[](signerKeys.length);
        for (uint256 i = 0; i < signerKeys.length; ++i) {
            out[i] = sign712(signerKeys[i], digest);
        }
    }

    /// @dev The first two custodians (ascending): a valid 2-of-3 quorum.
    function quorum(bytes32 digest) internal view returns (bytes[] memory) {
        return sigs(digest, keyList(keys[0], keys[1]));
    }

    // ---- funding and approvals ----------------------------------------------------------------

    /// @dev The funder opens an escrow with reference `ref`; returns its id.
    function fundDai(bytes32 ref, uint256 amount) internal returns (bytes32 id) {
        dai.mint(funder, amount);
        vm.startPrank(funder);
        dai.approve(address(escrow), amount);
        (id,) = escrow.fund(ref, address(dai), amount, buyer, seller);
        vm.stopPrank();
    }

    function fundNative(bytes32 ref, uint256 amount) internal returns (bytes32 id) {
        vm.deal(funder, amount);
        vm.prank(funder);
        id = escrow.fundNative{value: amount}(ref, buyer, seller);
    }

    /// @dev A Release for `id` paying `fee` to feeRecipient and the rest to the seller.
    function releaseOf(bytes32 id, uint256 fee) internal view returns (AmnEscrow.Release memory r) {
        (address token,,,,, address seller_, uint256 amount) = escrow.escrows(id);
        r = AmnEscrow.Release({
            paymentId: id,
            token: token,
            seller: seller_,
            sellerAmount: amount - fee,
            feeRecipient: feeRecipient,
            feeAmount: fee,
            resolvesDispute: false,
            deadline: block.timestamp + 1 days
        });
    }

    function refundOf(bytes32 id) internal view returns (AmnEscrow.Refund memory r) {
        (address token,,,, address buyer_,, uint256 amount) = escrow.escrows(id);
        r = AmnEscrow.Refund({
            paymentId: id,
            token: token,
            buyer: buyer_,
            amount: amount,
            resolvesDispute: false,
            deadline: block.timestamp + 1 days
        });
    }

    /// @dev A Settle for `id` paying `toBuyer` to the buyer, `fee` to feeRecipient and the rest to
    /// the seller.
    function settleOf(bytes32 id, uint256 toBuyer, uint256 fee) internal view returns (AmnEscrow.Settle memory s) {
        (address token,,,, address buyer_, address seller_, uint256 amount) = escrow.escrows(id);
        s = AmnEscrow.Settle({
            paymentId: id,
            token: token,
            buyer: buyer_,
            buyerAmount: toBuyer,
            seller: seller_,
            sellerAmount: amount - toBuyer - fee,
            feeRecipient: feeRecipient,
            feeAmount: fee,
            resolvesDispute: true,
            deadline: block.timestamp + 1 days
        });
    }

    /// @dev Asserts an escrow's record is open with exactly these terms.
    function assertOpen(bytes32 id, address token, address buyer_, address seller_, uint256 amount) internal view {
        (address t,, AmnEscrow.Status st,, address b, address s, uint256 a) = escrow.escrows(id);
        vm.assertEq(uint256(st), uint256(AmnEscrow.Status.Open), "open");
        vm.assertEq(t, token, "token");
        vm.assertEq(b, buyer_, "buyer");
        vm.assertEq(s, seller_, "seller");
        vm.assertEq(a, amount, "amount");
    }

    function status(bytes32 id) internal view returns (AmnEscrow.Status s) {
        (,, s,,,,) = escrow.escrows(id);
    }

    function frozen(bytes32 id) internal view returns (bool f) {
        (,,, f,,,) = escrow.escrows(id);
    }
}

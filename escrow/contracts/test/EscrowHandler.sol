// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AmnEscrow} from "../AmnEscrow.sol";
import {TestBase} from "./Vm.sol";

interface IMintable {
    function mint(address to, uint256 amount) external;
    function approve(address spender, uint256 amount) external; // return value (if any) ignored
    function balanceOf(address) external view returns (uint256);
}

/// @dev Drives the escrow with random funds (by allowance and by transfer), releases, refunds, settles, reclaims, freezes and
/// forged approvals, and keeps a ghost copy of what each escrow's status must be.
contract EscrowHandler is TestBase {
    AmnEscrow public immutable escrow;
    address public immutable arbiter;
    uint256[] internal keys; // sorted custodian keys of a 2-of-3 escrow
    address[] internal tokenList; // address(0) = native

    bytes32[] public ids;
    mapping(bytes32 => AmnEscrow.Status) public expectedStatus;
    uint256 public forgedSuccesses; // must stay 0
    uint256 public calls;

    address[3] internal buyers = [address(0xB1), address(0xB2), address(0xB3)];
    address[3] internal sellers = [address(0x51), address(0x52), address(0x53)];
    address internal constant FEE = address(0xFEE0);

    constructor(AmnEscrow escrow_, uint256[] memory keys_, address arbiter_, address[] memory tokens_) {
        escrow = escrow_;
        keys = keys_;
        arbiter = arbiter_;
        tokenList = tokens_;
    }

    function idCount() external view returns (uint256) {
        return ids.length;
    }

    function tokens() external view returns (address[] memory) {
        return tokenList;
    }

    // ---- actions --------------------------------------------------------------------------------

    function fund(uint256 tokenSeed, uint256 amount, uint256 partySeed) external {
        ++calls;
        address token = tokenList[tokenSeed % tokenList.length];
        amount = bound(amount, 1, type(uint96).max); // the escrow's MAX_AMOUNT
        bytes32 ref = keccak256(abi.encode("handler", ids.length));
        bytes32 id;
        address b = buyers[partySeed % 3];
        address s = sellers[(partySeed / 3) % 3];
        if (token == address(0)) {
            vm.deal(address(this), address(this).balance + amount);
            id = escrow.fundNative{value: amount}(ref, b, s);
        } else {
            IMintable(token).mint(address(this), amount);
            IMintable(token).approve(address(escrow), amount);
            (id,) = escrow.fund(ref, token, amount, b, s);
        }
        ids.push(id);
        expectedStatus[id] = AmnEscrow.Status.Open;
    }

    /// Funding by transfer: the escrow calls back payAmnEscrow, which transfers the amount named.
    function fundByTransfer(uint256 tokenSeed, uint256 amount, uint256 partySeed) external {
        ++calls;
        address token = tokenList[tokenSeed % tokenList.length];
        if (token == address(0)) token = tokenList[0]; // no native form of it
        amount = bound(amount, 1, type(uint96).max);
        bytes32 ref = keccak256(abi.encode("handler", ids.length));
        IMintable(token).mint(address(this), amount);
        paying = amount;
        (bool ok, bytes memory ret) = address(escrow).call(
            abi.encodeCall(escrow.fundByTransfer, (ref, token, amount, buyers[partySeed % 3], sellers[(partySeed / 3) % 3]))
        );
        paying = 0;
        if (!ok) {
            // Only a fee-on-transfer token is refused: less arrives than was named.
            require(bytes4(ret) == AmnEscrow.ReceivedMismatch.selector, "fundByTransfer refused an honest payment");
            return;
        }
        (bytes32 id,) = abi.decode(ret, (bytes32, uint256));
        ids.push(id);
        expectedStatus[id] = AmnEscrow.Status.Open;
    }

    uint256 internal paying;

    function payAmnEscrow(address token, uint256 amount) external {
        // The fuzzer calls this too: outside a funding it does nothing (and must not revert).
        if (msg.sender != address(escrow) || paying == 0) return;
        require(amount == paying, "asked for what was named");
        (bool ok, bytes memory ret) =
            token.call(abi.encodeWithSignature("transfer(address,uint256)", address(escrow), amount));
        require(ok && (ret.length == 0 || abi.decode(ret, (bool))), "transfer");
    }

    function release(uint256 idSeed, uint256 feeSeed, uint256 keySeed) external {
        ++calls;
        (bytes32 id, bool ok) = _pick(idSeed);
        if (!ok) return;
        (address token,,, bool isFrozen,, address seller, uint256 amount) = escrow.escrows(id);
        uint256 fee = bound(feeSeed, 0, amount);
        AmnEscrow.Release memory r =
            AmnEscrow.Release(id, token, seller, amount - fee, FEE, fee, isFrozen, block.timestamp + 1 hours);
        escrow.release(id, r, _quorum(escrow.releaseDigest(r), keySeed));
        expectedStatus[id] = AmnEscrow.Status.Released;
    }

    function refund(uint256 idSeed, uint256 keySeed) external {
        ++calls;
        (bytes32 id, bool ok) = _pick(idSeed);
        if (!ok) return;
        (address token,,, bool isFrozen, address buyer,, uint256 amount) = escrow.escrows(id);
        AmnEscrow.Refund memory r = AmnEscrow.Refund(id, token, buyer, amount, isFrozen, block.timestamp + 1 hours);
        escrow.refund(id, r, _quorum(escrow.refundDigest(r), keySeed));
        expectedStatus[id] = AmnEscrow.Status.Refunded;
    }

    function settle(uint256 idSeed, uint256 buyerSeed, uint256 feeSeed, uint256 keySeed) external {
        ++calls;
        (bytes32 id, bool ok) = _pick(idSeed);
        if (!ok) return;
        AmnEscrow.Settle memory s = _split(id, buyerSeed, feeSeed);
        escrow.settle(id, s, _quorum(escrow.settleDigest(s), keySeed));
        expectedStatus[id] = AmnEscrow.Status.Settled;
    }

    /// @dev A random exact split of escrow id (a resolution if it is frozen).
    function _split(bytes32 id, uint256 buyerSeed, uint256 feeSeed) internal view returns (AmnEscrow.Settle memory s) {
        (address token,,, bool isFrozen, address buyer, address seller, uint256 amount) = escrow.escrows(id);
        uint256 toBuyer = bound(buyerSeed, 0, amount);
        uint256 fee = bound(feeSeed, 0, amount - toBuyer);
        s = AmnEscrow.Settle(
            id, token, buyer, toBuyer, seller, amount - toBuyer - fee, FEE, fee, isFrozen, block.timestamp + 1 hours
        );
    }

    /// Settle attempts that must never succeed: a single signature, a sum one wei off, the buyer's
    /// part to someone else, an ordinary approval on a frozen escrow, or a replay on any escrow.
    function forgedSettle(uint256 idSeed, uint256 kind, uint256 keySeed) external {
        ++calls;
        if (ids.length == 0) return;
        bytes32 id = ids[idSeed % ids.length];
        (address token,,, bool isFrozen, address buyer, address seller, uint256 amount) = escrow.escrows(id);
        uint256 toBuyer = amount / 3;
        AmnEscrow.Settle memory s = AmnEscrow.Settle(
            id, token, buyer, toBuyer, seller, amount - toBuyer, FEE, 0, false, block.timestamp + 1 hours
        );
        bytes[] memory sg;
        kind = kind % 4;
        if (kind == 0) {
            sg = new bytes[](1);
            sg[0] = _sign(keys[keySeed % 3], escrow.settleDigest(s));
        } else if (kind == 1) {
            s.feeAmount = 1;
            sg = _quorum(escrow.settleDigest(s), keySeed);
        } else if (kind == 2) {
            s.buyer = FEE;
            sg = _quorum(escrow.settleDigest(s), keySeed);
        } else {
            // Valid quorum on correct terms: only legitimate on an open, unfrozen escrow.
            sg = _quorum(escrow.settleDigest(s), keySeed);
            if (expectedStatus[id] == AmnEscrow.Status.Open && !isFrozen) return;
        }
        try escrow.settle(id, s, sg) {
            ++forgedSuccesses;
        } catch {}
    }

    function reclaim(uint256 idSeed, uint256 wait) external {
        ++calls;
        vm.warp(block.timestamp + bound(wait, 0, 200 days));
        (bytes32 id, bool ok) = _pick(idSeed);
        if (!ok) return;
        (,,,, address buyer,,) = escrow.escrows(id);
        if (block.timestamp < escrow.reclaimableAt(id)) return;
        vm.prank(buyer);
        escrow.reclaim(id);
        expectedStatus[id] = AmnEscrow.Status.Reclaimed;
    }

    function toggleFreeze(uint256 idSeed) external {
        ++calls;
        (bytes32 id, bool ok) = _pick(idSeed);
        if (!ok) return;
        (,,, bool isFrozen,,,) = escrow.escrows(id);
        vm.prank(arbiter);
        if (isFrozen) escrow.unfreeze(id);
        else escrow.freeze(id);
    }

    /// Attempts that must never succeed: a single signature, a wrong split, an ordinary approval
    /// on a frozen escrow, or a replay on any escrow (open or closed).
    function forged(uint256 idSeed, uint256 kind, uint256 keySeed) external {
        ++calls;
        if (ids.length == 0) return;
        bytes32 id = ids[idSeed % ids.length];
        (address token,,, bool isFrozen,, address seller, uint256 amount) = escrow.escrows(id);
        AmnEscrow.Release memory r =
            AmnEscrow.Release(id, token, seller, amount, FEE, 0, false, block.timestamp + 1 hours);
        bytes[] memory s;
        kind = kind % 3;
        if (kind == 0) {
            s = new bytes[](1);
            s[0] = _sign(keys[keySeed % 3], escrow.releaseDigest(r));
        } else if (kind == 1) {
            r.sellerAmount = amount + 1;
            s = _quorum(escrow.releaseDigest(r), keySeed);
        } else {
            // Valid quorum on correct terms: only legitimate on an open, unfrozen escrow.
            s = _quorum(escrow.releaseDigest(r), keySeed);
            if (expectedStatus[id] == AmnEscrow.Status.Open && !isFrozen) return;
        }
        try escrow.release(id, r, s) {
            ++forgedSuccesses;
        } catch {}
    }

    // ---- helpers --------------------------------------------------------------------------------

    function _pick(uint256 seed) internal view returns (bytes32 id, bool ok) {
        uint256 n = ids.length;
        for (uint256 i = 0; i < n; ++i) {
            id = ids[(seed % n + i) % n];
            if (expectedStatus[id] == AmnEscrow.Status.Open) return (id, true);
        }
        return (bytes32(0), false);
    }

    function _quorum(bytes32 digest, uint256 seed) internal view returns (bytes[] memory s) {
        // Any two of the three, ascending.
        uint256 skip = seed % 3;
        s = new bytes[](2);
        uint256 j;
        for (uint256 i = 0; i < 3; ++i) {
            if (i != skip) s[j++] = _sign(keys[i], digest);
        }
    }

    function _sign(uint256 key, bytes32 digest) internal pure returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, digest);
        return abi.encodePacked(r, s, v);
    }

    receive() external payable {}
}

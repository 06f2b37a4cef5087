// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Address} from "@openzeppelin/contracts/utils/Address.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {MessageHashUtils} from "@openzeppelin/contracts/utils/cryptography/MessageHashUtils.sol";

/// @notice What a funder implements to pay by transfer (`AmnEscrow.fundByTransfer`): AmnSweeper,
/// as a deposit's delegated code.
interface IAmnEscrowPayer {
    /// @notice Called by AmnEscrow on the funder, inside `fundByTransfer`: transfer exactly `amount`
    /// of `token` to the escrow now.
    function payAmnEscrow(address token, uint256 amount) external;
}

/// @title AmnEscrow
/// @notice Holds marketplace payments, one escrow per funder and payment reference, until an M-of-N
/// quorum of custodians (hardware-wallet holders) approves paying the seller (`release`), the
/// buyer (`refund`), or an exact split between them (`settle`).
/// Nobody else can move escrowed funds: not the platform's servers, not the arbiter, not the
/// deployer. The only signature-free exit is `reclaim`, which returns a long-abandoned escrow to
/// its buyer.
/// @dev An escrow's id is `escrowId(funder, ref)`: `fund`/`fundNative` take the funder's payment
/// reference and key the escrow by the caller and that reference, so nobody can open, take or
/// block another funder's escrow (a front-run `fund` with the same reference opens an escrow of
/// the front-runner's own). The EIP-712 `Release`/`Refund`/`Settle` structs keep their field name
/// `paymentId`: it carries the escrow id.
/// Approvals are EIP-712 signatures (domain "AmnEscrow", version "1"). Signatures are checked the
/// way Safe does: at least `threshold` of them, recovered signers strictly ascending, each a
/// current custodian; v = 27/28 signs the EIP-712 digest, v = 31/32 is the `eth_sign` (EIP-191)
/// form of the same digest. See README.md next to this file.
contract AmnEscrow is EIP712, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    // ---------------------------------------------------------------------------------------------
    // Types
    // ---------------------------------------------------------------------------------------------

    enum Status {
        None, // never funded
        Open, // funded, waiting for release / refund / reclaim
        Released, // paid to the seller (and fee recipient)
        Refunded, // paid back to the buyer by a quorum
        Reclaimed, // taken back by the buyer after the reclaim delay
        Settled // split between buyer, seller (and fee recipient) by a quorum
    }

    /// @dev An escrow's record in two storage slots (two fresh SSTOREs per `fund`, not four): the
    /// token is kept as its index in a write-once registry (`_tokenAt`), the amount as a uint96
    /// (`fund`/`fundNative` refuse more, `AmountTooLarge`) and the funding time as a uint40.
    /// `escrows(id)` returns the record with the token's address, as before.
    struct Record {
        // slot 0
        address seller;
        uint40 fundedAt;
        Status status;
        bool frozen;
        uint40 tokenIndex; // 0 = native currency; n > 0 = _tokenAt[n]
        // slot 1
        address buyer;
        uint96 amount; // what actually arrived
    }

    /// @notice Approval to pay an escrow out to its seller, minus a platform fee.
    /// sellerAmount + feeAmount must equal the escrowed amount exactly. `paymentId` is the escrow
    /// id (`escrowId(funder, ref)`); the name stays for the EIP-712 type string.
    struct Release {
        bytes32 paymentId;
        address token;
        address seller;
        uint256 sellerAmount;
        address feeRecipient;
        uint256 feeAmount;
        bool resolvesDispute;
        uint256 deadline;
    }

    /// @notice Approval to split an escrow between its buyer, its seller and the fee recipient (a
    /// dispute settled in part for each side). buyerAmount + sellerAmount + feeAmount must equal
    /// the escrowed amount exactly. `paymentId` is the escrow id.
    struct Settle {
        bytes32 paymentId;
        address token;
        address buyer;
        uint256 buyerAmount;
        address seller;
        uint256 sellerAmount;
        address feeRecipient;
        uint256 feeAmount;
        bool resolvesDispute;
        uint256 deadline;
    }

    /// @notice Approval to pay an escrow back to its buyer in full. `paymentId` is the escrow id.
    struct Refund {
        bytes32 paymentId;
        address token;
        address buyer;
        uint256 amount;
        bool resolvesDispute;
        uint256 deadline;
    }

    // ---------------------------------------------------------------------------------------------
    // EIP-712 type hashes
    // ---------------------------------------------------------------------------------------------

    bytes32 public constant RELEASE_TYPEHASH = keccak256(
        "Release(bytes32 paymentId,address token,address seller,uint256 sellerAmount,address feeRecipient,uint256 feeAmount,bool resolvesDispute,uint256 deadline)"
    );
    bytes32 public constant REFUND_TYPEHASH = keccak256(
        "Refund(bytes32 paymentId,address token,address buyer,uint256 amount,bool resolvesDispute,uint256 deadline)"
    );
    bytes32 public constant SETTLE_TYPEHASH = keccak256(
        "Settle(bytes32 paymentId,address token,address buyer,uint256 buyerAmount,address seller,uint256 sellerAmount,address feeRecipient,uint256 feeAmount,bool resolvesDispute,uint256 deadline)"
    );
    bytes32 public constant SET_CUSTODIANS_TYPEHASH =
        keccak256("SetCustodians(address[] custodians,uint256 threshold,uint256 nonce,uint256 deadline)");
    bytes32 public constant SET_ARBITER_TYPEHASH =
        keccak256("SetArbiter(address arbiter,uint256 nonce,uint256 deadline)");
    bytes32 public constant SET_RECLAIM_DELAY_TYPEHASH =
        keccak256("SetReclaimDelay(uint256 reclaimDelay,uint256 nonce,uint256 deadline)");

    // ---------------------------------------------------------------------------------------------
    // Limits
    // ---------------------------------------------------------------------------------------------

    /// @notice Upper bound on the custodian set, so signature checks and set changes stay cheap.
    uint256 public constant MAX_CUSTODIANS = 16;
    uint256 public constant MIN_RECLAIM_DELAY = 1 days;
    uint256 public constant MAX_RECLAIM_DELAY = 3650 days;

    // ---------------------------------------------------------------------------------------------
    // State
    // ---------------------------------------------------------------------------------------------

    /// @dev Escrow record per escrow id (`escrowId(funder, ref)`); read it with `escrows(id)`.
    /// Records are never deleted, so a funder can use a reference once.
    mapping(bytes32 escrowId => Record) private _records;

    /// @notice Largest amount one escrow can hold (the record keeps it in 96 bits).
    uint256 public constant MAX_AMOUNT = type(uint96).max;

    /// @notice Index of each ERC-20 token ever funded (1, 2, …; 0: never funded). Written once,
    /// by the first `fund` of the token; the native currency has index 0.
    mapping(address token => uint40) public tokenIndex;

    /// @dev The registry's other direction: _tokenAt[tokenIndex[t]] == t for every funded t.
    mapping(uint40 index => address) private _tokenAt;

    /// @notice How many ERC-20 tokens have an index.
    uint40 public tokenCount;

    /// @notice Sum of the amounts of open escrows per token (address(0) = native). The contract's
    /// balance of a token is at least this (more only if someone sent tokens without `fund`).
    mapping(address token => uint256) public totalEscrowed;

    mapping(address account => bool) public isCustodian;
    address[] private _custodians;
    uint256 public threshold;

    /// @notice May freeze and unfreeze open escrows; address(0) means nobody can.
    address public arbiter;

    /// @notice Seconds after funding before the buyer may `reclaim` (twice that if frozen).
    uint256 public reclaimDelay;

    /// @notice Nonce every configuration change (custodians, arbiter, reclaim delay) must name;
    /// it increases by one per change, so a configuration approval works at most once.
    uint256 public configNonce;

    // ---------------------------------------------------------------------------------------------
    // Events
    // ---------------------------------------------------------------------------------------------

    /// @param funder the caller of fund/fundNative; escrowId == escrowId(funder, ref)
    event Funded(
        bytes32 indexed escrowId,
        address indexed token,
        address indexed buyer,
        address seller,
        uint256 amount,
        address funder,
        bytes32 ref
    );
    event Released(
        bytes32 indexed escrowId,
        address indexed token,
        address indexed seller,
        uint256 sellerAmount,
        address feeRecipient,
        uint256 feeAmount,
        bool resolvedDispute
    );
    event Refunded(
        bytes32 indexed escrowId, address indexed token, address indexed buyer, uint256 amount, bool resolvedDispute
    );
    event Settled(
        bytes32 indexed escrowId,
        address indexed token,
        address indexed buyer,
        uint256 buyerAmount,
        address seller,
        uint256 sellerAmount,
        address feeRecipient,
        uint256 feeAmount,
        bool resolvedDispute
    );
    event Reclaimed(bytes32 indexed escrowId, address indexed token, address indexed buyer, uint256 amount);
    event Frozen(bytes32 indexed escrowId, address indexed arbiter);
    event Unfrozen(bytes32 indexed escrowId, address indexed arbiter);
    /// @param configNonce the value of `configNonce` after the change (0 for the constructor)
    event CustodiansChanged(uint256 indexed configNonce, address[] custodians, uint256 threshold);
    event ArbiterChanged(uint256 indexed configNonce, address indexed previousArbiter, address indexed newArbiter);
    event ReclaimDelayChanged(uint256 indexed configNonce, uint256 previousDelay, uint256 newDelay);

    // ---------------------------------------------------------------------------------------------
    // Errors
    // ---------------------------------------------------------------------------------------------

    error InvalidRef();
    error AlreadyFunded(bytes32 escrowId);
    error ZeroAmount();
    error ZeroAddress();
    error NotOpen(bytes32 escrowId);
    error EscrowFrozen(bytes32 escrowId);
    error NotFrozen(bytes32 escrowId);
    error PaymentIdMismatch(bytes32 escrowId, bytes32 approved);
    error TokenMismatch(address token, address approved);
    error PartyMismatch(address party, address approved);
    error AmountMismatch(uint256 escrowed, uint256 approved);
    error Expired(uint256 deadline);
    error NotEnoughSignatures(uint256 given, uint256 required);
    error InvalidSignature(uint256 index);
    error MalleableSignature(uint256 index);
    error NotCustodian(address signer);
    error DuplicateSigner(address signer);
    error SignersNotAscending(uint256 index);
    error NotArbiter(address caller);
    error NotBuyer(address caller);
    error ReclaimTooEarly(uint256 availableAt);
    error BadNonce(uint256 expected, uint256 given);
    error InvalidThreshold(uint256 threshold, uint256 custodians);
    error InvalidCustodians(uint256 index);
    error TooManyCustodians(uint256 count);
    error InvalidReclaimDelay(uint256 delay);
    error AmountTooLarge(uint256 amount);
    error ReceivedMismatch(uint256 expected, uint256 received);

    // ---------------------------------------------------------------------------------------------
    // Construction
    // ---------------------------------------------------------------------------------------------

    /// @param custodians_ initial custodians: non-zero, strictly ascending, at most MAX_CUSTODIANS
    /// @param threshold_ signatures required, 1 <= threshold_ <= custodians_.length
    /// @param arbiter_ may freeze escrows for disputes (address(0): nobody)
    /// @param reclaimDelay_ seconds before an unresolved escrow can be reclaimed by its buyer
    constructor(address[] memory custodians_, uint256 threshold_, address arbiter_, uint256 reclaimDelay_)
        EIP712("AmnEscrow", "1")
    {
        _setCustodians(custodians_, threshold_);
        _setReclaimDelay(reclaimDelay_);
        arbiter = arbiter_;
        emit CustodiansChanged(0, custodians_, threshold_);
        emit ArbiterChanged(0, address(0), arbiter_);
        emit ReclaimDelayChanged(0, 0, reclaimDelay_);
    }

    // ---------------------------------------------------------------------------------------------
    // Funding
    // ---------------------------------------------------------------------------------------------

    /// @notice The id of the escrow that `funder` opens with payment reference `ref`. Escrows are
    /// keyed by their funder: a reference used by someone else names a different escrow.
    function escrowId(address funder, bytes32 ref) public pure returns (bytes32) {
        return keccak256(abi.encode(funder, ref));
    }

    /// @notice Pulls `amount` of `token` from the caller into a new escrow `escrowId(msg.sender, ref)`.
    /// The escrow records what actually arrived (balance difference), so a fee-on-transfer token
    /// records less than `amount`. Works with tokens that return nothing from transferFrom.
    /// @param ref the caller's payment reference (non-zero; each caller can use a reference once)
    /// @return id the escrow's id
    /// @return received the amount recorded in the escrow
    function fund(bytes32 ref, address token, uint256 amount, address buyer, address seller)
        external
        nonReentrant
        returns (bytes32 id, uint256 received)
    {
        if (token == address(0)) revert ZeroAddress(); // native currency goes through fundNative
        if (amount == 0) revert ZeroAmount();
        id = _checkNew(ref, buyer, seller);

        // nonReentrant matters here beyond CEI: a token with transfer hooks could otherwise fund a
        // second escrow from inside transferFrom, and both would count the same balance increase.
        uint256 before = IERC20(token).balanceOf(address(this));
        IERC20(token).safeTransferFrom(msg.sender, address(this), amount);
        uint256 afterwards = IERC20(token).balanceOf(address(this));
        if (afterwards <= before) revert ZeroAmount();
        received = afterwards - before;

        _open(id, ref, token, received, buyer, seller);
    }

    /// @notice Like `fund`, for a funder that transfers instead of approving: opens the escrow
    /// `escrowId(msg.sender, ref)` with exactly `amount` of `token`, which the funder transfers when
    /// this contract calls back `IAmnEscrowPayer(msg.sender).payAmnEscrow(token, amount)`. What
    /// arrives (the increase of this contract's balance across the callback) must be exactly
    /// `amount` (`ReceivedMismatch` otherwise, so a fee-on-transfer token cannot be funded this
    /// way): the record says what the funder named, never what else its address happened to hold.
    /// No allowance is needed. The callback runs under the same reentrancy lock as every other
    /// funding and payout, so nothing else can add to or take from the balance meanwhile.
    /// @return id the escrow's id
    /// @return received the amount recorded in the escrow (`amount`)
    function fundByTransfer(bytes32 ref, address token, uint256 amount, address buyer, address seller)
        external
        nonReentrant
        returns (bytes32 id, uint256 received)
    {
        if (token == address(0)) revert ZeroAddress(); // native currency goes through fundNative
        if (amount == 0) revert ZeroAmount();
        if (amount > MAX_AMOUNT) revert AmountTooLarge(amount);
        id = _checkNew(ref, buyer, seller);
        uint256 before = IERC20(token).balanceOf(address(this));
        IAmnEscrowPayer(msg.sender).payAmnEscrow(token, amount);
        uint256 afterwards = IERC20(token).balanceOf(address(this));
        received = afterwards > before ? afterwards - before : 0;
        if (received != amount) revert ReceivedMismatch(amount, received);

        _open(id, ref, token, received, buyer, seller);
    }

    /// @notice Opens the escrow `escrowId(msg.sender, ref)` holding `msg.value` of the native currency.
    /// @return id the escrow's id
    function fundNative(bytes32 ref, address buyer, address seller) external payable nonReentrant returns (bytes32 id) {
        if (msg.value == 0) revert ZeroAmount();
        id = _checkNew(ref, buyer, seller);
        _open(id, ref, address(0), msg.value, buyer, seller);
    }

    // ---------------------------------------------------------------------------------------------
    // Quorum payouts
    // ---------------------------------------------------------------------------------------------

    /// @notice Pays an open escrow to its seller and the fee recipient, as approved by a quorum.
    /// A frozen escrow accepts only an approval with resolvesDispute = true.
    function release(bytes32 id, Release calldata r, bytes[] calldata signatures) external nonReentrant {
        if (r.paymentId != id) revert PaymentIdMismatch(id, r.paymentId);
        Record storage e = _records[id];
        _checkPayable(id, e, r.resolvesDispute, r.deadline);
        address token = _tokenOf(e);
        if (r.token != token) revert TokenMismatch(token, r.token);
        if (r.seller != e.seller) revert PartyMismatch(e.seller, r.seller);
        uint256 amount = e.amount;
        uint256 approved;
        unchecked {
            approved = r.sellerAmount + r.feeAmount;
        }
        if (approved < r.sellerAmount) approved = type(uint256).max; // saturate instead of wrapping
        if (approved != amount) revert AmountMismatch(amount, approved);
        if (r.feeAmount != 0 && r.feeRecipient == address(0)) revert ZeroAddress();
        _checkSignatures(releaseDigest(r), signatures);

        // Effects before interactions: the escrow is closed for good before any token moves.
        e.status = Status.Released;
        e.frozen = false;
        totalEscrowed[token] -= amount;

        _pay(token, r.seller, r.sellerAmount);
        _pay(token, r.feeRecipient, r.feeAmount);
        emit Released(id, token, r.seller, r.sellerAmount, r.feeRecipient, r.feeAmount, r.resolvesDispute);
    }

    /// @notice Pays an open escrow back to its buyer in full, as approved by a quorum.
    /// A frozen escrow accepts only an approval with resolvesDispute = true.
    function refund(bytes32 id, Refund calldata r, bytes[] calldata signatures) external nonReentrant {
        if (r.paymentId != id) revert PaymentIdMismatch(id, r.paymentId);
        Record storage e = _records[id];
        _checkPayable(id, e, r.resolvesDispute, r.deadline);
        address token = _tokenOf(e);
        if (r.token != token) revert TokenMismatch(token, r.token);
        if (r.buyer != e.buyer) revert PartyMismatch(e.buyer, r.buyer);
        uint256 amount = e.amount;
        if (r.amount != amount) revert AmountMismatch(amount, r.amount);
        _checkSignatures(refundDigest(r), signatures);

        e.status = Status.Refunded;
        e.frozen = false;
        totalEscrowed[token] -= amount;

        _pay(token, r.buyer, amount);
        emit Refunded(id, token, r.buyer, amount, r.resolvesDispute);
    }

    /// @notice Splits an open escrow between its buyer, its seller and the fee recipient, as
    /// approved by a quorum: each part exactly as signed, together exactly the escrowed amount.
    /// A frozen escrow accepts only an approval with resolvesDispute = true.
    function settle(bytes32 id, Settle calldata s, bytes[] calldata signatures) external nonReentrant {
        if (s.paymentId != id) revert PaymentIdMismatch(id, s.paymentId);
        Record storage e = _records[id];
        _checkPayable(id, e, s.resolvesDispute, s.deadline);
        address token = _tokenOf(e);
        if (s.token != token) revert TokenMismatch(token, s.token);
        if (s.buyer != e.buyer) revert PartyMismatch(e.buyer, s.buyer);
        if (s.seller != e.seller) revert PartyMismatch(e.seller, s.seller);
        uint256 amount = e.amount;
        uint256 approved = _add(_add(s.buyerAmount, s.sellerAmount), s.feeAmount);
        if (approved != amount) revert AmountMismatch(amount, approved);
        if (s.feeAmount != 0 && s.feeRecipient == address(0)) revert ZeroAddress();
        _checkSignatures(settleDigest(s), signatures);

        // Effects before interactions: the escrow is closed for good before any token moves.
        e.status = Status.Settled;
        e.frozen = false;
        totalEscrowed[token] -= amount;

        _pay(token, s.buyer, s.buyerAmount);
        _pay(token, s.seller, s.sellerAmount);
        _pay(token, s.feeRecipient, s.feeAmount);
        _emitSettled(id, token, s);
    }

    // ---------------------------------------------------------------------------------------------
    // Disputes
    // ---------------------------------------------------------------------------------------------

    /// @notice Arbiter only: blocks ordinary release/refund/settle approvals for an open escrow.
    /// (With arbiter == address(0) nobody passes this check.)
    function freeze(bytes32 id) external {
        if (msg.sender != arbiter) revert NotArbiter(msg.sender);
        Record storage e = _records[id];
        if (e.status != Status.Open) revert NotOpen(id);
        if (e.frozen) revert EscrowFrozen(id);
        e.frozen = true;
        emit Frozen(id, msg.sender);
    }

    /// @notice Arbiter only: lifts a freeze, so ordinary approvals work again.
    function unfreeze(bytes32 id) external {
        if (msg.sender != arbiter) revert NotArbiter(msg.sender);
        Record storage e = _records[id];
        if (e.status != Status.Open) revert NotOpen(id);
        if (!e.frozen) revert NotFrozen(id);
        e.frozen = false;
        emit Unfrozen(id, msg.sender);
    }

    // ---------------------------------------------------------------------------------------------
    // Buyer safety valve
    // ---------------------------------------------------------------------------------------------

    /// @notice The buyer takes an open escrow back without any signature once `reclaimableAt` has
    /// passed: `reclaimDelay` after funding, or twice that while the escrow is frozen (a dispute
    /// gets time to be resolved, but an abandoned dispute cannot lock the money forever).
    function reclaim(bytes32 id) external nonReentrant {
        Record storage e = _records[id];
        if (e.status != Status.Open) revert NotOpen(id);
        if (msg.sender != e.buyer) revert NotBuyer(msg.sender);
        uint256 availableAt = reclaimableAt(id);
        if (block.timestamp < availableAt) revert ReclaimTooEarly(availableAt);

        address token = _tokenOf(e);
        uint256 amount = e.amount;
        e.status = Status.Reclaimed;
        e.frozen = false;
        totalEscrowed[token] -= amount;

        _pay(token, e.buyer, amount);
        emit Reclaimed(id, token, e.buyer, amount);
    }

    /// @notice Earliest timestamp at which the buyer may reclaim an open escrow (0 if not open).
    /// Uses the current `reclaimDelay`.
    function reclaimableAt(bytes32 id) public view returns (uint256) {
        Record storage e = _records[id];
        if (e.status != Status.Open) return 0;
        return uint256(e.fundedAt) + (e.frozen ? 2 * reclaimDelay : reclaimDelay);
    }

    // ---------------------------------------------------------------------------------------------
    // Configuration (quorum only)
    // ---------------------------------------------------------------------------------------------

    /// @notice Replaces the custodian set and threshold, approved by a quorum of the current set.
    function setCustodians(
        address[] calldata newCustodians,
        uint256 newThreshold,
        uint256 nonce,
        uint256 deadline,
        bytes[] calldata signatures
    ) external {
        _checkConfig(nonce, deadline);
        _checkSignatures(setCustodiansDigest(newCustodians, newThreshold, nonce, deadline), signatures);
        configNonce = nonce + 1;
        _setCustodians(newCustodians, newThreshold);
        emit CustodiansChanged(nonce + 1, newCustodians, newThreshold);
    }

    /// @notice Sets the arbiter (address(0) disables freezing), approved by a custodian quorum.
    function setArbiter(address newArbiter, uint256 nonce, uint256 deadline, bytes[] calldata signatures) external {
        _checkConfig(nonce, deadline);
        _checkSignatures(setArbiterDigest(newArbiter, nonce, deadline), signatures);
        configNonce = nonce + 1;
        address previous = arbiter;
        arbiter = newArbiter;
        emit ArbiterChanged(nonce + 1, previous, newArbiter);
    }

    /// @notice Sets the reclaim delay, approved by a custodian quorum. Applies to open escrows too.
    function setReclaimDelay(uint256 newDelay, uint256 nonce, uint256 deadline, bytes[] calldata signatures) external {
        _checkConfig(nonce, deadline);
        _checkSignatures(setReclaimDelayDigest(newDelay, nonce, deadline), signatures);
        configNonce = nonce + 1;
        uint256 previous = reclaimDelay;
        _setReclaimDelay(newDelay);
        emit ReclaimDelayChanged(nonce + 1, previous, newDelay);
    }

    // ---------------------------------------------------------------------------------------------
    // Views
    // ---------------------------------------------------------------------------------------------

    /// @notice The escrow record of `id`: all zero (status None) if it was never funded.
    /// @return token address(0) for the native currency
    /// @return fundedAt block timestamp of the funding
    /// @return status None, Open, Released, Refunded, Reclaimed or Settled
    /// @return frozen whether the arbiter froze it (only while open)
    /// @return buyer who gets refunds and may reclaim
    /// @return seller who gets releases
    /// @return amount what arrived in the escrow
    function escrows(bytes32 id)
        external
        view
        returns (
            address token,
            uint64 fundedAt,
            Status status,
            bool frozen,
            address buyer,
            address seller,
            uint256 amount
        )
    {
        Record storage e = _records[id];
        return (_tokenOf(e), e.fundedAt, e.status, e.frozen, e.buyer, e.seller, e.amount);
    }

    function custodians() external view returns (address[] memory) {
        return _custodians;
    }

    function domainSeparator() external view returns (bytes32) {
        return _domainSeparatorV4();
    }

    /// @notice The EIP-712 digest custodians sign for `r`.
    function releaseDigest(Release calldata r) public view returns (bytes32) {
        // Every field is a static type, so abi.encode(typehash, r) is exactly EIP-712's
        // encodeData: one 32-byte word per field, in declaration order (bool as 0/1).
        return _hashTypedDataV4(keccak256(abi.encode(RELEASE_TYPEHASH, r)));
    }

    /// @notice The EIP-712 digest custodians sign for `r`.
    function refundDigest(Refund calldata r) public view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(REFUND_TYPEHASH, r)));
    }

    /// @notice The EIP-712 digest custodians sign for `s`.
    function settleDigest(Settle calldata s) public view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(SETTLE_TYPEHASH, s)));
    }

    function setCustodiansDigest(
        address[] calldata newCustodians,
        uint256 newThreshold,
        uint256 nonce,
        uint256 deadline
    ) public view returns (bytes32) {
        // EIP-712 encodes an address[] as keccak256 of its elements, each padded to 32 bytes,
        // which is what abi.encodePacked does for arrays.
        return _hashTypedDataV4(
            keccak256(
                abi.encode(
                    SET_CUSTODIANS_TYPEHASH, keccak256(abi.encodePacked(newCustodians)), newThreshold, nonce, deadline
                )
            )
        );
    }

    function setArbiterDigest(address newArbiter, uint256 nonce, uint256 deadline) public view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(SET_ARBITER_TYPEHASH, newArbiter, nonce, deadline)));
    }

    function setReclaimDelayDigest(uint256 newDelay, uint256 nonce, uint256 deadline) public view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(SET_RECLAIM_DELAY_TYPEHASH, newDelay, nonce, deadline)));
    }

    // ---------------------------------------------------------------------------------------------
    // Internals
    // ---------------------------------------------------------------------------------------------

    function _checkNew(bytes32 ref, address buyer, address seller) private view returns (bytes32 id) {
        if (ref == bytes32(0)) revert InvalidRef();
        if (buyer == address(0) || seller == address(0)) revert ZeroAddress();
        id = escrowId(msg.sender, ref);
        // Records are never deleted: a closed escrow also keeps its id taken.
        if (_records[id].status != Status.None) revert AlreadyFunded(id);
    }

    function _open(bytes32 id, bytes32 ref, address token, uint256 amount, address buyer, address seller) private {
        if (amount > MAX_AMOUNT) revert AmountTooLarge(amount);
        uint40 index = 0;
        if (token != address(0)) {
            index = tokenIndex[token];
            if (index == 0) {
                index = ++tokenCount;
                tokenIndex[token] = index;
                _tokenAt[index] = token;
            }
        }
        // The two slots written whole, as Solidity lays the struct out (first member in the low
        // bytes): one SSTORE each instead of one per member.
        // slot 0: seller | fundedAt << 160 | status << 200 | frozen (false) << 208 | tokenIndex << 216
        // slot 1: buyer | amount << 160 (amount <= MAX_AMOUNT, checked above)
        uint256 w0 = uint256(uint160(seller)) | (uint256(uint40(block.timestamp)) << 160)
            | (uint256(uint8(Status.Open)) << 200) | (uint256(index) << 216);
        uint256 w1 = uint256(uint160(buyer)) | (amount << 160);
        Record storage r = _records[id];
        assembly ("memory-safe") {
            sstore(r.slot, w0)
            sstore(add(r.slot, 1), w1)
        }
        totalEscrowed[token] += amount;
        emit Funded(id, token, buyer, seller, amount, msg.sender, ref);
    }

    /// @dev Common checks for release, refund and settle. A closed escrow is never open again, and
    /// every release/refund/settle digest names its escrow id, so an approval can be used at most once.
    function _checkPayable(bytes32 id, Record storage e, bool resolvesDispute, uint256 deadline) private view {
        if (e.status != Status.Open) revert NotOpen(id);
        if (e.frozen && !resolvesDispute) revert EscrowFrozen(id);
        if (block.timestamp > deadline) revert Expired(deadline);
    }

    /// @dev The token of a record: address(0) for the native currency.
    function _tokenOf(Record storage e) private view returns (address) {
        uint40 index = e.tokenIndex;
        return index == 0 ? address(0) : _tokenAt[index];
    }

    function _checkConfig(uint256 nonce, uint256 deadline) private view {
        if (nonce != configNonce) revert BadNonce(configNonce, nonce);
        if (block.timestamp > deadline) revert Expired(deadline);
    }

    /// @dev Safe-style quorum check: at least `threshold` signatures, every one of them valid and by
    /// a current custodian, recovered signers strictly ascending (which rules out duplicates).
    function _checkSignatures(bytes32 digest, bytes[] calldata signatures) private view {
        uint256 required = threshold;
        uint256 n = signatures.length;
        if (n < required) revert NotEnoughSignatures(n, required);
        address previous = address(0);
        for (uint256 i = 0; i < n; ++i) {
            address signer = _recover(digest, signatures[i], i);
            if (!isCustodian[signer]) revert NotCustodian(signer);
            if (signer <= previous) {
                if (signer == previous) revert DuplicateSigner(signer);
                revert SignersNotAscending(i);
            }
            previous = signer;
        }
    }

    /// @dev 65-byte r ‖ s ‖ v. v = 27/28: signature over `digest` (eth_signTypedData).
    /// v = 31/32: signature over the EIP-191 hash of `digest` (eth_sign / personal_sign of the 32
    /// digest bytes), v - 4 recovers it — Safe's convention. High-s signatures are rejected.
    function _recover(bytes32 digest, bytes calldata signature, uint256 index) private pure returns (address) {
        if (signature.length != 65) revert InvalidSignature(index);
        (uint8 v, bytes32 r, bytes32 s) = ECDSA.parseCalldata(signature);
        bytes32 hash = digest;
        if (v > 30) {
            hash = MessageHashUtils.toEthSignedMessageHash(digest);
            v -= 4;
        }
        (address signer, ECDSA.RecoverError err,) = ECDSA.tryRecover(hash, v, r, s);
        if (err == ECDSA.RecoverError.InvalidSignatureS) revert MalleableSignature(index);
        if (err != ECDSA.RecoverError.NoError) revert InvalidSignature(index);
        return signer;
    }

    function _setCustodians(address[] memory newCustodians, uint256 newThreshold) private {
        uint256 n = newCustodians.length;
        if (n > MAX_CUSTODIANS) revert TooManyCustodians(n);
        if (newThreshold == 0 || newThreshold > n) revert InvalidThreshold(newThreshold, n);

        address[] storage current = _custodians;
        for (uint256 i = 0; i < current.length; ++i) {
            isCustodian[current[i]] = false;
        }
        delete _custodians;

        address previous = address(0);
        for (uint256 i = 0; i < n; ++i) {
            address c = newCustodians[i];
            // Strictly ascending and non-zero: no duplicates, one canonical order.
            if (c <= previous) revert InvalidCustodians(i);
            isCustodian[c] = true;
            _custodians.push(c);
            previous = c;
        }
        threshold = newThreshold;
    }

    function _setReclaimDelay(uint256 delay) private {
        if (delay < MIN_RECLAIM_DELAY || delay > MAX_RECLAIM_DELAY) revert InvalidReclaimDelay(delay);
        reclaimDelay = delay;
    }

    /// @dev a + b, saturating at type(uint256).max instead of wrapping or reverting, so that an
    /// approval whose parts overflow is refused as an AmountMismatch like any other wrong sum.
    function _add(uint256 a, uint256 b) private pure returns (uint256 c) {
        unchecked {
            c = a + b;
        }
        if (c < a) c = type(uint256).max;
    }

    /// @dev Its own frame: nine event arguments do not fit settle's stack.
    function _emitSettled(bytes32 id, address token, Settle calldata s) private {
        emit Settled(
            id, token, s.buyer, s.buyerAmount, s.seller, s.sellerAmount, s.feeRecipient, s.feeAmount, s.resolvesDispute
        );
    }

    function _pay(address token, address to, uint256 amount) private {
        if (amount == 0) return; // some tokens revert on zero transfers
        if (token == address(0)) {
            Address.sendValue(payable(to), amount);
        } else {
            IERC20(token).safeTransfer(to, amount);
        }
    }
}

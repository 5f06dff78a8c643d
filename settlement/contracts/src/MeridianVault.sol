// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";

/// @title Meridian's non-custodial vault: deposits, committed state, withdrawals against it, and an escape hatch.
/// @notice Users deposit listed ERC-20 collateral here (each deposit numbered, so the venue credits it exactly once).
///         The operator commits, per settlement batch, the last journal sequence, the engine's state hash, a
///         Merkle-sum root of every account's balance per asset (its total is the venue's liability in that asset) and
///         a Merkle-sum root of the batch's withdrawals. A withdrawal is paid, once, to the destination its owner signed,
///         against a committed root with a proof; anyone may submit it. A user may force a withdrawal here; if the
///         operator does not pay it within `forcedWithdrawalDelay`, anyone may freeze the vault, after which every user
///         withdraws the balance of the last committed root with a proof (positions are in that balance at the batch's
///         marks). Parameters change only through the governor (a multisig with a timelock). docs/settlement.md has the
///         trust model.
/// @dev Trees (both kinds): a leaf is keccak256(abi.encode(tag, fields...)) with its amount as its total; a node is
///      keccak256(abi.encode(NODE, leftHash, leftTotal, rightHash, rightTotal)) with total leftTotal + rightTotal;
///      padding is (0, 0). A proof gives the leaf's index (bit i set: the node at height i is a right child) and the
///      siblings' hashes and totals from the leaf up. Amounts are unsigned, so a root's total bounds every leaf.
contract MeridianVault is ReentrancyGuard {
    using SafeERC20 for IERC20;

    bytes32 public constant BALANCE_LEAF = keccak256("Meridian.balance");
    bytes32 public constant WITHDRAWAL_LEAF = keccak256("Meridian.withdrawal");
    bytes32 public constant NODE = keccak256("Meridian.node");
    uint256 public constant MAX_PROOF_DEPTH = 48;
    uint256 public constant MAX_ASSETS = 16;
    /// @notice The engine keeps amounts in signed 64-bit minor units.
    uint256 public constant MAX_AMOUNT = uint256(uint64(type(int64).max));

    struct Root {
        bytes32 hash;
        uint256 total;
    }

    struct Batch {
        uint64 lastSequence;
        bytes32 stateHash;
        Root withdrawals;
        uint64 committedAt;
    }

    struct ForcedRequest {
        address account;
        address asset;
        uint64 requestedAt;
        bool paid;
    }

    address public governor;
    address public operator;
    uint64 public forcedWithdrawalDelay;
    bool public frozen;

    address[] public assets;
    mapping(address => bool) public listed;
    mapping(address => uint256) public totalDeposited;
    mapping(address => uint256) public totalWithdrawn;

    uint64 public depositCount;
    uint64 public riskBoundsCount;
    uint64 public batchCount;
    mapping(uint64 => Batch) private batches;
    mapping(uint64 => mapping(address => Root)) private balanceRoots;
    mapping(uint64 => bool) public withdrawalPaid;
    ForcedRequest[] public forcedRequests;
    mapping(address => mapping(address => uint256)) public openForcedRequest; // account => asset => id + 1
    mapping(address => mapping(address => bool)) public escaped;

    event Deposited(uint64 indexed depositId, address indexed from, address indexed account, address asset, uint256 amount);
    event BatchCommitted(uint64 indexed batchId, uint64 lastSequence, bytes32 stateHash, bytes32 withdrawalsRoot,
        uint256 withdrawalsTotal);
    event BalanceRootCommitted(uint64 indexed batchId, address indexed asset, bytes32 root, uint256 liabilities);
    event WithdrawalPaid(uint64 indexed withdrawalId, uint64 indexed batchId, address indexed account,
        address destination, address asset, uint256 amount);
    event ForcedWithdrawalRequested(uint256 indexed requestId, address indexed account, address asset, uint64 deadline);
    event Frozen(uint256 indexed requestId, uint64 lastBatch);
    event Escaped(address indexed account, address indexed asset, uint256 amount, uint64 batchId);
    event OperatorChanged(address operator);
    event ForcedWithdrawalDelayChanged(uint64 delay);
    event AssetListed(address asset);
    event RiskBoundsPublished(uint64 indexed ref, uint32 indexed instrument, uint64 floorPpm, uint64 ceilingPpm,
        uint64 maxChangePerHourPpm, uint64 hysteresisPpm, uint64 noticeMillis);

    error NotGovernor();
    error NotOperator();
    error IsFrozen();
    error NotFrozen();
    error NotListed();
    error BadAmount();
    error BadBatch();
    error BadProof();
    error AlreadyPaid();
    error BadRequest();
    error TooEarly();

    constructor(address governor_, address operator_, uint64 forcedWithdrawalDelay_, address[] memory assets_) {
        if (governor_ == address(0) || operator_ == address(0) || forcedWithdrawalDelay_ > 30 days) revert BadRequest();
        governor = governor_;
        operator = operator_;
        forcedWithdrawalDelay = forcedWithdrawalDelay_;
        for (uint256 i = 0; i < assets_.length; i++) {
            _list(assets_[i]);
        }
    }

    modifier onlyGovernor() {
        if (msg.sender != governor) revert NotGovernor();
        _;
    }

    modifier notFrozen() {
        if (frozen) revert IsFrozen();
        _;
    }

    // ------------------------------------------------------------------------------------------------ deposits

    /// @notice Deposits `amount` of `asset` for `account` (the venue credits the address after its confirmations).
    ///         Fee-on-transfer tokens are credited what arrived.
    function deposit(address asset, uint256 amount, address account) external nonReentrant notFrozen {
        if (!listed[asset]) revert NotListed();
        if (amount == 0 || amount > MAX_AMOUNT || account == address(0)) revert BadAmount();
        uint256 before = IERC20(asset).balanceOf(address(this));
        IERC20(asset).safeTransferFrom(msg.sender, address(this), amount);
        uint256 received = IERC20(asset).balanceOf(address(this)) - before;
        if (received == 0 || received > MAX_AMOUNT) revert BadAmount();
        totalDeposited[asset] += received;
        depositCount += 1;
        emit Deposited(depositCount, msg.sender, account, asset, received);
    }

    // ------------------------------------------------------------------------------------------------ commitments

    /// @notice The operator commits batch `batchId` (the next one): the journal sequence it covers, the engine's state
    ///         hash, the balance roots per asset (each listed asset at most once) and the withdrawals' root.
    function commitBatch(uint64 batchId, uint64 lastSequence, bytes32 stateHash, address[] calldata rootAssets,
                         Root[] calldata roots, Root calldata withdrawals) external notFrozen {
        if (msg.sender != operator) revert NotOperator();
        if (batchId != batchCount + 1 || lastSequence < batches[batchCount].lastSequence
                || rootAssets.length != roots.length || rootAssets.length > MAX_ASSETS) {
            revert BadBatch();
        }
        for (uint256 i = 0; i < rootAssets.length; i++) {
            address asset = rootAssets[i];
            if (!listed[asset] || balanceRoots[batchId][asset].hash != bytes32(0) || roots[i].hash == bytes32(0)) {
                revert BadBatch();
            }
            balanceRoots[batchId][asset] = roots[i];
            emit BalanceRootCommitted(batchId, asset, roots[i].hash, roots[i].total);
        }
        batches[batchId] = Batch(lastSequence, stateHash, withdrawals, uint64(block.timestamp));
        batchCount = batchId;
        emit BatchCommitted(batchId, lastSequence, stateHash, withdrawals.hash, withdrawals.total);
    }

    /// @notice Batch `batchId`: last sequence, state hash, withdrawals root and total, commit time.
    function batch(uint64 batchId) external view returns (uint64, bytes32, bytes32, uint256, uint64) {
        Batch storage b = batches[batchId];
        return (b.lastSequence, b.stateHash, b.withdrawals.hash, b.withdrawals.total, b.committedAt);
    }

    /// @notice The balance root of `asset` in batch `batchId`: its hash and total (the venue's liability).
    function balanceRoot(uint64 batchId, address asset) external view returns (bytes32, uint256) {
        Root storage r = balanceRoots[batchId][asset];
        return (r.hash, r.total);
    }

    // ------------------------------------------------------------------------------------------------ withdrawals

    /// @notice Pays withdrawal `withdrawalId` of batch `batchId` to the destination its owner signed; anyone may
    ///         submit it, and each is paid once. `forcedRef` is the forced request it serves, plus one (0: none).
    function withdraw(uint64 batchId, uint64 withdrawalId, address account, address destination, address asset,
                      uint256 amount, uint256 forcedRef, uint256 index, bytes32[] calldata siblingHashes,
                      uint256[] calldata siblingTotals) external nonReentrant {
        if (batchId == 0 || batchId > batchCount) revert BadBatch();
        if (withdrawalPaid[withdrawalId]) revert AlreadyPaid();
        bytes32 leaf = keccak256(abi.encode(WITHDRAWAL_LEAF, withdrawalId, account, destination, asset, amount, forcedRef));
        Root storage root = batches[batchId].withdrawals;
        if (!_verify(leaf, amount, index, siblingHashes, siblingTotals, root.hash, root.total)) revert BadProof();
        withdrawalPaid[withdrawalId] = true;
        if (forcedRef != 0) {
            ForcedRequest storage request = forcedRequests[forcedRef - 1];
            if (request.account != account || request.asset != asset || request.paid) revert BadRequest();
            request.paid = true;
            openForcedRequest[account][asset] = 0;
        }
        totalWithdrawn[asset] += amount;
        emit WithdrawalPaid(withdrawalId, batchId, account, destination, asset, amount);
        if (amount > 0) {
            IERC20(asset).safeTransfer(destination, amount);
        }
    }

    // ------------------------------------------------------------------------------------------------ escape hatch

    /// @notice Asks the operator to withdraw the caller's whole free balance of `asset` to the caller. One open request
    ///         per account and asset. If it is not paid within `forcedWithdrawalDelay`, anyone may freeze the vault.
    function requestForcedWithdrawal(address asset) external notFrozen returns (uint256 requestId) {
        if (!listed[asset]) revert NotListed();
        if (openForcedRequest[msg.sender][asset] != 0) revert BadRequest();
        requestId = forcedRequests.length;
        forcedRequests.push(ForcedRequest(msg.sender, asset, uint64(block.timestamp), false));
        openForcedRequest[msg.sender][asset] = requestId + 1;
        emit ForcedWithdrawalRequested(requestId, msg.sender, asset, uint64(block.timestamp) + forcedWithdrawalDelay);
    }

    function forcedRequestCount() external view returns (uint256) {
        return forcedRequests.length;
    }

    /// @notice Freezes the vault: forced request `requestId` is still unpaid after the delay. From now on nothing is
    ///         committed or deposited, and users leave with {escape}.
    function freeze(uint256 requestId) external notFrozen {
        if (requestId >= forcedRequests.length) revert BadRequest();
        ForcedRequest storage request = forcedRequests[requestId];
        if (request.paid) revert BadRequest();
        if (block.timestamp < uint256(request.requestedAt) + forcedWithdrawalDelay) revert TooEarly();
        frozen = true;
        emit Frozen(requestId, batchCount);
    }

    /// @notice After a freeze: pays the caller its balance of `asset` in the last committed batch, once, with its proof.
    function escape(address asset, uint256 balance, uint256 index, bytes32[] calldata siblingHashes,
                    uint256[] calldata siblingTotals) external nonReentrant {
        if (!frozen) revert NotFrozen();
        if (escaped[msg.sender][asset]) revert AlreadyPaid();
        if (!verifyBalance(batchCount, msg.sender, asset, balance, index, siblingHashes, siblingTotals)) revert BadProof();
        escaped[msg.sender][asset] = true;
        totalWithdrawn[asset] += balance;
        emit Escaped(msg.sender, asset, balance, batchCount);
        if (balance > 0) {
            IERC20(asset).safeTransfer(msg.sender, balance);
        }
    }

    /// @notice Whether `account` holds `balance` of `asset` in batch `batchId`'s balance root (an inclusion proof).
    function verifyBalance(uint64 batchId, address account, address asset, uint256 balance, uint256 index,
                           bytes32[] calldata siblingHashes, uint256[] calldata siblingTotals) public view returns (bool) {
        Root storage root = balanceRoots[batchId][asset];
        if (root.hash == bytes32(0)) return false;
        bytes32 leaf = keccak256(abi.encode(BALANCE_LEAF, account, asset, balance));
        return _verify(leaf, balance, index, siblingHashes, siblingTotals, root.hash, root.total);
    }

    function _verify(bytes32 leaf, uint256 amount, uint256 index, bytes32[] calldata siblingHashes,
                     uint256[] calldata siblingTotals, bytes32 rootHash, uint256 rootTotal) private pure returns (bool) {
        uint256 depth = siblingHashes.length;
        if (depth != siblingTotals.length || depth > MAX_PROOF_DEPTH || index >> depth != 0) return false;
        bytes32 hash = leaf;
        uint256 total = amount;
        for (uint256 i = 0; i < depth; i++) {
            if ((index >> i) & 1 == 1) {
                hash = keccak256(abi.encode(NODE, siblingHashes[i], siblingTotals[i], hash, total));
            } else {
                hash = keccak256(abi.encode(NODE, hash, total, siblingHashes[i], siblingTotals[i]));
            }
            total += siblingTotals[i];
        }
        return hash == rootHash && total == rootTotal;
    }

    // ------------------------------------------------------------------------------------------------ governance

    function setOperator(address operator_) external onlyGovernor {
        if (operator_ == address(0)) revert BadRequest();
        operator = operator_;
        emit OperatorChanged(operator_);
    }

    function setForcedWithdrawalDelay(uint64 delay) external onlyGovernor {
        if (delay > 30 days) revert BadRequest();
        forcedWithdrawalDelay = delay;
        emit ForcedWithdrawalDelayChanged(delay);
    }

    /// @notice Publishes an instrument's risk bounds for the venue's engine (docs/risk.md, "Governance"): only the
    ///         governor (the M-of-N multisig with its timelock) can, so the event is the proof that the owners approved
    ///         it and waited the delay. The operator's node journals each confirmed publication once, in `ref` order
    ///         (1, 2, ...); the engine puts the bounds in force at once (the timelock was served here). The shape is
    ///         checked here as the engine checks it; that the instrument is listed and margined by tiers only the
    ///         engine knows (it then skips the publication, saying why).
    function publishRiskBounds(uint32 instrument, uint64 floorPpm, uint64 ceilingPpm, uint64 maxChangePerHourPpm,
            uint64 hysteresisPpm, uint64 noticeMillis) external onlyGovernor {
        if (floorPpm < 100_000 || floorPpm > ceilingPpm || ceilingPpm > 10_000_000 || maxChangePerHourPpm == 0
                || maxChangePerHourPpm > 10_000_000 || hysteresisPpm > ceilingPpm - floorPpm
                || noticeMillis > 86_400_000) revert BadRequest();
        uint64 ref = ++riskBoundsCount;
        emit RiskBoundsPublished(ref, instrument, floorPpm, ceilingPpm, maxChangePerHourPpm, hysteresisPpm, noticeMillis);
    }

    function listAsset(address asset) external onlyGovernor {
        _list(asset);
    }

    function _list(address asset) private {
        if (asset == address(0) || listed[asset] || assets.length >= MAX_ASSETS) revert BadRequest();
        listed[asset] = true;
        assets.push(asset);
        emit AssetListed(asset);
    }

    function assetCount() external view returns (uint256) {
        return assets.length;
    }
}

// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

/// @title M-of-N multisig with a timelock: the only way to change the vault's parameters (and its own owners).
/// @notice An owner proposes a call (target, data); owners approve it; at `threshold` approvals it is queued and may be
///         executed by anyone once `delay` seconds have passed. Any owner may cancel a proposal that has not executed:
///         one key can stop a change, never make one. Every step is an event, so users see a change coming for at least
///         `delay` seconds before it can apply.
contract MultisigTimelock {
    uint256 public constant MAX_OWNERS = 16;
    uint256 public constant MAX_DELAY = 30 days;

    struct Proposal {
        address target;
        bytes data;
        uint64 eta; // 0 while waiting for approvals
        uint32 approvals;
        bool executed;
        bool canceled;
    }

    address[] public owners;
    mapping(address => bool) public isOwner;
    uint256 public threshold;
    uint256 public delay;
    Proposal[] private proposals;
    mapping(uint256 => mapping(address => bool)) public approved;

    event Proposed(uint256 indexed id, address indexed proposer, address target, bytes data);
    event Approved(uint256 indexed id, address indexed owner, uint256 approvals);
    event Queued(uint256 indexed id, uint256 eta);
    event Executed(uint256 indexed id);
    event Canceled(uint256 indexed id, address indexed owner);
    event OwnersChanged(address[] owners, uint256 threshold, uint256 delay);

    error NotOwner();
    error NotSelf();
    error BadConfiguration();
    error UnknownProposal();
    error AlreadyApproved();
    error NotQueued();
    error TooEarly();
    error Closed();
    error CallFailed(bytes reason);

    constructor(address[] memory initialOwners, uint256 initialThreshold, uint256 initialDelay) {
        _setOwners(initialOwners, initialThreshold, initialDelay);
    }

    modifier onlyOwner() {
        if (!isOwner[msg.sender]) revert NotOwner();
        _;
    }

    /// @notice Proposes `data` to be called on `target`; the proposer's approval counts. Returns the proposal id.
    function propose(address target, bytes calldata data) external onlyOwner returns (uint256 id) {
        if (target == address(0)) revert BadConfiguration();
        id = proposals.length;
        proposals.push(Proposal(target, data, 0, 0, false, false));
        emit Proposed(id, msg.sender, target, data);
        _approve(id);
    }

    /// @notice Approves a pending proposal.
    function approve(uint256 id) external onlyOwner {
        if (id >= proposals.length) revert UnknownProposal();
        _approve(id);
    }

    function _approve(uint256 id) private {
        Proposal storage p = proposals[id];
        if (p.executed || p.canceled || p.eta != 0) revert Closed();
        if (approved[id][msg.sender]) revert AlreadyApproved();
        approved[id][msg.sender] = true;
        p.approvals += 1;
        emit Approved(id, msg.sender, p.approvals);
        if (p.approvals >= threshold) {
            p.eta = uint64(block.timestamp + delay);
            emit Queued(id, p.eta);
        }
    }

    /// @notice Any owner vetoes a proposal that has not executed.
    function cancel(uint256 id) external onlyOwner {
        if (id >= proposals.length) revert UnknownProposal();
        Proposal storage p = proposals[id];
        if (p.executed || p.canceled) revert Closed();
        p.canceled = true;
        emit Canceled(id, msg.sender);
    }

    /// @notice Executes a queued proposal once its timelock has passed; anyone may call it.
    function execute(uint256 id) external {
        if (id >= proposals.length) revert UnknownProposal();
        Proposal storage p = proposals[id];
        if (p.executed || p.canceled) revert Closed();
        if (p.eta == 0) revert NotQueued();
        if (block.timestamp < p.eta) revert TooEarly();
        p.executed = true;
        (bool ok, bytes memory reason) = p.target.call(p.data);
        if (!ok) revert CallFailed(reason);
        emit Executed(id);
    }

    /// @notice The proposal's state: target, data, eta (0 while pending), approvals, executed, canceled.
    function proposal(uint256 id) external view returns (address, bytes memory, uint64, uint32, bool, bool) {
        if (id >= proposals.length) revert UnknownProposal();
        Proposal storage p = proposals[id];
        return (p.target, p.data, p.eta, p.approvals, p.executed, p.canceled);
    }

    function proposalCount() external view returns (uint256) {
        return proposals.length;
    }

    function ownerCount() external view returns (uint256) {
        return owners.length;
    }

    /// @notice Replaces the owners, threshold and delay: only through a proposal of this multisig (a call to itself).
    function setOwners(address[] calldata newOwners, uint256 newThreshold, uint256 newDelay) external {
        if (msg.sender != address(this)) revert NotSelf();
        _setOwners(newOwners, newThreshold, newDelay);
    }

    function _setOwners(address[] memory newOwners, uint256 newThreshold, uint256 newDelay) private {
        if (newOwners.length == 0 || newOwners.length > MAX_OWNERS || newThreshold == 0
                || newThreshold > newOwners.length || newDelay > MAX_DELAY) {
            revert BadConfiguration();
        }
        for (uint256 i = 0; i < owners.length; i++) {
            isOwner[owners[i]] = false;
        }
        delete owners;
        for (uint256 i = 0; i < newOwners.length; i++) {
            address owner = newOwners[i];
            if (owner == address(0) || isOwner[owner]) revert BadConfiguration();
            isOwner[owner] = true;
            owners.push(owner);
        }
        threshold = newThreshold;
        delay = newDelay;
        emit OwnersChanged(newOwners, newThreshold, newDelay);
    }
}

// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.37;

/// @title Registrar (RC): who is who on the Carechain ledger.
/// @notice Two registries with one numbering each, because the PPR ledger's packed calldata
/// names parties and pseudonyms by 32-bit index instead of by 20-byte address:
///  - parties (providers, issuers, relays) are public: name, role and metadata hash are on
///    chain, and only the owner (the consortium's admin account) registers or deactivates them;
///  - pseudonyms (patient and user addresses) are registered by the address itself, or in bulk
///    by an authorised relay. One person may hold any number of pseudonyms; nothing on chain
///    links them, and no name or metadata is stored for them.
/// Index 0 is never assigned in either registry, so a zero index always means "absent".
contract Registrar {
    enum Role {
        None,
        Provider,
        Issuer,
        Relay
    }

    enum PseudonymKind {
        None,
        Patient,
        User
    }

    struct Party {
        address account;
        Role role;
        bool active;
        bytes32 metadataHash;
        string name;
    }

    error NotOwner(address caller);
    error NotRelay(address caller);
    error InvalidRole();
    error InvalidKind();
    error ZeroAddress();
    error AlreadyRegistered(address account);
    error UnknownParty(uint32 index);

    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);
    event PartyRegistered(uint32 indexed index, address indexed account, Role role, string name, bytes32 metadataHash);
    event PartyActiveChanged(uint32 indexed index, bool active);
    event PartyMetadataChanged(uint32 indexed index, bytes32 metadataHash);
    event PseudonymRegistered(uint32 indexed index, address indexed pseudonym, PseudonymKind kind);

    address public owner;

    /// @notice Parties by index; `parties[0]` is a placeholder so that index 0 means "none".
    Party[] private _parties;
    mapping(address => uint32) public partyIndexOf;

    /// @notice Pseudonyms by index; `_pseudonyms[0]` is a placeholder.
    address[] private _pseudonyms;
    PseudonymKind[] private _pseudonymKinds;
    mapping(address => uint32) public pseudonymIndexOf;

    constructor(address initialOwner) {
        if (initialOwner == address(0)) revert ZeroAddress();
        owner = initialOwner;
        _parties.push();
        _pseudonyms.push(address(0));
        _pseudonymKinds.push(PseudonymKind.None);
        emit OwnershipTransferred(address(0), initialOwner);
    }

    modifier onlyOwner() {
        if (msg.sender != owner) revert NotOwner(msg.sender);
        _;
    }

    /// @notice Hands the admin role to `newOwner`; the old owner loses it in the same call.
    function transferOwnership(address newOwner) external onlyOwner {
        if (newOwner == address(0)) revert ZeroAddress();
        emit OwnershipTransferred(owner, newOwner);
        owner = newOwner;
    }

    /// @notice Registers a public party. One account holds at most one party entry.
    /// @return index the party's permanent index (≥ 1).
    function registerParty(address account, Role role, string calldata name, bytes32 metadataHash)
        external
        onlyOwner
        returns (uint32 index)
    {
        if (account == address(0)) revert ZeroAddress();
        if (role == Role.None) revert InvalidRole();
        if (partyIndexOf[account] != 0) revert AlreadyRegistered(account);
        index = uint32(_parties.length);
        _parties.push(Party({account: account, role: role, active: true, metadataHash: metadataHash, name: name}));
        partyIndexOf[account] = index;
        emit PartyRegistered(index, account, role, name, metadataHash);
    }

    /// @notice Activates or deactivates a party; a deactivated relay can no longer commit.
    function setPartyActive(uint32 index, bool active) external onlyOwner {
        if (index == 0 || index >= _parties.length) revert UnknownParty(index);
        _parties[index].active = active;
        emit PartyActiveChanged(index, active);
    }

    /// @notice Replaces a party's metadata hash (e.g. after a certificate rotation).
    function setPartyMetadata(uint32 index, bytes32 metadataHash) external onlyOwner {
        if (index == 0 || index >= _parties.length) revert UnknownParty(index);
        _parties[index].metadataHash = metadataHash;
        emit PartyMetadataChanged(index, metadataHash);
    }

    /// @notice Registers the caller's own address as a pseudonym of the given kind.
    function registerPseudonym(PseudonymKind kind) external returns (uint32 index) {
        return _registerPseudonym(msg.sender, kind);
    }

    /// @notice Registers many pseudonyms in one call, for an authorised relay acting on behalf
    /// of patients. Indexes are assigned consecutively in argument order from `first`.
    function registerPseudonyms(PseudonymKind kind, address[] calldata pseudonyms) external returns (uint32 first) {
        if (!isRelay(msg.sender)) revert NotRelay(msg.sender);
        first = uint32(_pseudonyms.length);
        for (uint256 i = 0; i < pseudonyms.length; i++) {
            _registerPseudonym(pseudonyms[i], kind);
        }
    }

    function _registerPseudonym(address pseudonym, PseudonymKind kind) private returns (uint32 index) {
        if (pseudonym == address(0)) revert ZeroAddress();
        if (kind == PseudonymKind.None) revert InvalidKind();
        if (pseudonymIndexOf[pseudonym] != 0) revert AlreadyRegistered(pseudonym);
        index = uint32(_pseudonyms.length);
        _pseudonyms.push(pseudonym);
        _pseudonymKinds.push(kind);
        pseudonymIndexOf[pseudonym] = index;
        emit PseudonymRegistered(index, pseudonym, kind);
    }

    /// @notice True iff `account` is a registered, active relay.
    function isRelay(address account) public view returns (bool) {
        uint32 index = partyIndexOf[account];
        if (index == 0) return false;
        Party storage party = _parties[index];
        return party.active && party.role == Role.Relay;
    }

    /// @notice Everything the ledger checks once per batch, in one call.
    /// @return relay whether `account` is an active relay
    /// @return partyLimit one more than the highest party index
    /// @return pseudonymLimit one more than the highest pseudonym index
    function batchContext(address account) external view returns (bool relay, uint32 partyLimit, uint32 pseudonymLimit) {
        return (isRelay(account), uint32(_parties.length), uint32(_pseudonyms.length));
    }

    /// @notice The party at `index`; reverts for index 0 or beyond the end.
    function partyAt(uint32 index) external view returns (Party memory) {
        if (index == 0 || index >= _parties.length) revert UnknownParty(index);
        return _parties[index];
    }

    /// @notice The pseudonym address and kind at `index` (zero address for unknown indexes).
    function pseudonymAt(uint32 index) external view returns (address pseudonym, PseudonymKind kind) {
        if (index >= _pseudonyms.length) return (address(0), PseudonymKind.None);
        return (_pseudonyms[index], _pseudonymKinds[index]);
    }

    /// @notice One more than the highest party index.
    function partyCount() external view returns (uint32) {
        return uint32(_parties.length);
    }

    /// @notice One more than the highest pseudonym index.
    function pseudonymCount() external view returns (uint32) {
        return uint32(_pseudonyms.length);
    }
}

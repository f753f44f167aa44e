// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.37;

/// @notice The slice of the Registrar the ledger reads, once per batch.
interface IRegistrarBatchContext {
    function batchContext(address account) external view returns (bool relay, uint32 partyLimit, uint32 pseudonymLimit);
}

/// @title PPR ledger: batches of patient-provider-relationship operations, anchored per block.
/// @notice One `commitBatch` carries every pending operation of a relay, packed (see
/// docs/chain.md, "Calldata layout"):
///
///     batch := group+
///     group := patient:uint32 | count:uint16 | op{count}
///     op    := kind:uint8 | pprId:bytes16 | provider:uint32 | pprHash:bytes32 | replaced:bytes16 (kind == Modify only)
///
/// For every operation the ledger computes the RFC 6962 leaf hash
///     leaf = SHA-256(0x00 ‖ patient ‖ kind ‖ pprId ‖ provider ‖ pprHash ‖ replaced)   (74 bytes; replaced = 0 unless Modify)
/// and guarantees:
///  - `batchRoot[id]` is the RFC 6962 Merkle tree hash over the batch's leaves in calldata order;
///  - `patientHead[p]` = keccak256(previous head ‖ leaf) folded over every operation ever
///    committed for patient p, in commit order, starting from bytes32(0);
///  - the batch was built on the caller's view of the chain: `blockhash(guardBlockNumber)`
///    equals `guardBlockHash`, or the call reverts (wrong-fork guard);
///  - only an active relay from the Registrar, calling directly from its own account, commits.
///    Direct calls mean the batch is always the transaction's own input, so a verifier can
///    read it back from the transaction alone.
contract PprLedger {
    uint8 internal constant KIND_MODIFY = 1;
    uint8 internal constant KIND_MAX = 3;
    uint256 internal constant GROUP_HEADER_BYTES = 6;
    uint256 internal constant OP_BYTES = 53;
    uint256 internal constant REPLACED_BYTES = 16;

    /// @dev Reasons carried by `MalformedBatch`, mirrored by the TypeScript decoder.
    uint256 internal constant BAD_GROUP_HEADER = 1;
    uint256 internal constant BAD_PATIENT = 2;
    uint256 internal constant BAD_GROUP_SIZE = 3;
    uint256 internal constant BAD_OPERATION = 4;
    uint256 internal constant BAD_KIND = 5;
    uint256 internal constant BAD_PROVIDER = 6;
    uint256 internal constant BAD_EMPTY = 7;

    error NotRelay(address caller);
    error RelayMustCallDirectly(address caller);
    error WrongFork(uint256 guardBlockNumber, bytes32 expected, bytes32 actual);
    error MalformedBatch(uint256 reason, uint256 offset);

    /// @notice One per batch: its id, root and size, for indexers and inclusion proofs.
    event BatchCommitted(
        uint64 indexed batchId, address indexed relay, bytes32 root, uint32 operationCount, uint256 guardBlockNumber
    );
    /// @notice One per patient group in a batch: the patient's new chain head. A patient (or
    /// anyone) finds every transaction touching a pseudonym by filtering on `patient`.
    event PatientChainExtended(uint32 indexed patient, bytes32 head);

    IRegistrarBatchContext public immutable registrar;
    uint64 public batchCount;
    mapping(uint64 => bytes32) public batchRoot;
    mapping(uint32 => bytes32) public patientHead;

    constructor(address registrar_) {
        registrar = IRegistrarBatchContext(registrar_);
    }

    /// @notice Commits a packed batch (layout above). Reverts with `WrongFork` if the chain the
    /// relay built on is not this one, `NotRelay` for an unauthorised caller, and
    /// `MalformedBatch(reason, offset)` for any layout violation or unknown index.
    /// @return batchId the batch's id (1, 2, …)
    /// @return root the RFC 6962 root over its operations
    function commitBatch(uint256 guardBlockNumber, bytes32 guardBlockHash, bytes calldata batch)
        external
        returns (uint64 batchId, bytes32 root)
    {
        bytes32 actual = blockhash(guardBlockNumber);
        if (guardBlockHash == bytes32(0) || actual != guardBlockHash) {
            revert WrongFork(guardBlockNumber, guardBlockHash, actual);
        }
        // solhint-disable-next-line avoid-tx-origin
        if (msg.sender != tx.origin) revert RelayMustCallDirectly(msg.sender);
        (bool relay, uint32 partyCount, uint32 pseudonymCount) = registrar.batchContext(msg.sender);
        if (!relay) revert NotRelay(msg.sender);

        bytes4 malformed = MalformedBatch.selector;
        bytes32 chainTopic = PatientChainExtended.selector;
        uint256 operationCount;
        assembly ("memory-safe") {
            function fail(selector, reason, offset) {
                mstore(0x00, selector)
                mstore(0x04, reason)
                mstore(0x24, offset)
                revert(0x00, 0x44)
            }

            let base := batch.offset
            let p := base
            let end := add(base, batch.length)
            if iszero(batch.length) { fail(malformed, BAD_EMPTY, 0) }

            // scratch: 128 bytes for one leaf or node preimage; leaves follow it.
            let scratch := mload(0x40)
            let leaves := add(scratch, 0x80)

            // Records past `end` read as zeros (ABI padding, then beyond calldata), so each
            // record is read unchecked and the group's bound is checked once, after the group.
            let partyLimit := sub(partyCount, 1)
            let pseudonymLimit := sub(pseudonymCount, 1)
            for {} lt(p, end) {} {
                if gt(add(p, GROUP_HEADER_BYTES), end) { fail(malformed, BAD_GROUP_HEADER, sub(p, base)) }
                let header := calldataload(p)
                let patient := shr(224, header)
                let count := and(shr(208, header), 0xffff)
                // sub(x, 1) wraps 0 to 2^256 - 1, so one comparison rejects 0 and ≥ limit.
                if iszero(lt(sub(patient, 1), pseudonymLimit)) { fail(malformed, BAD_PATIENT, sub(p, base)) }
                if iszero(count) { fail(malformed, BAD_GROUP_SIZE, sub(p, base)) }
                let groupStart := p
                p := add(p, GROUP_HEADER_BYTES)

                mstore(0x00, patient)
                mstore(0x20, patientHead.slot)
                let headSlot := keccak256(0x00, 0x40)
                let head := sload(headSlot)
                let patientWord := shl(216, patient)

                let leafAt := add(leaves, shl(5, operationCount))
                let leafEnd := add(leafAt, shl(5, count))
                for {} lt(leafAt, leafEnd) { leafAt := add(leafAt, 0x20) } {
                    let word := calldataload(p)
                    let kind := byte(0, word)
                    if gt(kind, KIND_MAX) { fail(malformed, BAD_KIND, sub(p, base)) }
                    if iszero(lt(sub(and(shr(88, word), 0xffffffff), 1), partyLimit)) {
                        fail(malformed, BAD_PROVIDER, sub(p, base))
                    }

                    mstore(scratch, patientWord)
                    calldatacopy(add(scratch, 5), p, OP_BYTES)
                    mstore(add(scratch, 58), 0)
                    let isModify := eq(kind, KIND_MODIFY)
                    if isModify { calldatacopy(add(scratch, 58), add(p, OP_BYTES), REPLACED_BYTES) }
                    p := add(p, add(OP_BYTES, shl(4, isModify)))

                    if iszero(staticcall(gas(), 0x02, scratch, 74, leafAt, 0x20)) { revert(0, 0) }
                    mstore(0x00, head)
                    mstore(0x20, mload(leafAt))
                    head := keccak256(0x00, 0x40)
                }
                if gt(p, end) { fail(malformed, BAD_OPERATION, sub(groupStart, base)) }
                operationCount := add(operationCount, count)

                sstore(headSlot, head)
                mstore(0x00, head)
                log2(0x00, 0x20, chainTopic, patient)
            }

            // RFC 6962 MTH, bottom-up and in place: pair neighbours, carry an odd last node up
            // unchanged. This equals the RFC's recursive split at the largest power of two
            // below n, because the carried node is always the root of the right subtree.
            mstore8(scratch, 1)
            for { let n := operationCount } gt(n, 1) { n := shr(1, add(n, 1)) } {
                let out := leaves
                let pairsEnd := add(leaves, shl(5, and(n, not(1))))
                for { let at := leaves } lt(at, pairsEnd) { at := add(at, 0x40) } {
                    mstore(add(scratch, 1), mload(at))
                    mstore(add(scratch, 33), mload(add(at, 0x20)))
                    if iszero(staticcall(gas(), 0x02, scratch, 65, out, 0x20)) { revert(0, 0) }
                    out := add(out, 0x20)
                }
                if and(n, 1) { mstore(out, mload(add(leaves, shl(5, sub(n, 1))))) }
            }
            root := mload(leaves)
        }

        batchId = batchCount + 1;
        batchCount = batchId;
        batchRoot[batchId] = root;
        emit BatchCommitted(batchId, msg.sender, root, uint32(operationCount), guardBlockNumber);
    }
}

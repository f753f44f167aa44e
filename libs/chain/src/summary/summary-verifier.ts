import { BlockTag, hexlify, Provider } from 'ethers';
import { decodeBatch } from '../batch/batch-codec';
import { BatchTree } from '../batch/batch-tree';
import { PprOperation } from '../batch/ppr-operation';
import { ChainError, ChainErrorCode } from '../errors';
import { PprLedger__factory } from '../generated/typechain';
import { foldPatientChain, materialiseSummary, SummaryEntry, extendPatientHead, EMPTY_PATIENT_HEAD } from './patient-chain';

/** One of the patient's operations, located on chain with its inclusion proof. */
export interface AnchoredOperation {
  readonly operation: PprOperation;
  readonly batchId: bigint;
  readonly batchRoot: string;
  readonly batchSize: number;
  readonly leafIndex: number;
  readonly proof: readonly string[];
  readonly blockNumber: number;
  readonly blockHash: string;
  readonly txHash: string;
}

/** What a verifier recomputed for one patient from chain data alone. */
export interface PatientSummaryVerification {
  readonly patient: number;
  /** The block the verification read at; logs and the head are both taken at this height. */
  readonly atBlock: number;
  /** Its hash, unchanged from the start to the end of the verification. */
  readonly atBlockHash: string;
  readonly onChainHead: string;
  readonly recomputedHead: string;
  /** True iff the head folded from the transactions' calldata equals the contract's head. */
  readonly headMatches: boolean;
  readonly operations: readonly AnchoredOperation[];
  readonly summary: ReadonlyMap<string, SummaryEntry>;
}

/**
 * Recomputes patient `patient`'s Summary from chain data alone: every `PatientChainExtended`
 * log for the patient up to `atBlock` names a `commitBatch` transaction; its calldata is
 * decoded, the batch's RFC 6962 root recomputed and checked against the transaction's own
 * `BatchCommitted` event, the patient's operations folded into the chain (each transaction's
 * result checked against that transaction's logged head), and the final fold compared with
 * `patientHead(patient)` read at the same block.
 *
 * Throws ChainError(InconsistentChainData) when the chain contradicts itself (a log in a
 * transaction that is not a direct commitBatch, or a root that does not match its calldata);
 * a head that merely differs is reported as `headMatches: false`. Also throws it when the
 * block read at is replaced by a reorg during the verification (logs and head could then come
 * from different forks): call again, or pass an `atBlock` a few confirmations deep.
 */
export async function verifyPatientSummary(
  provider: Provider,
  ledgerAt: { address: string; fromBlock: number },
  patient: number,
  options: { atBlock?: BlockTag } = {},
): Promise<PatientSummaryVerification> {
  const ledger = PprLedger__factory.connect(ledgerAt.address, provider);
  const block = await provider.getBlock(options.atBlock ?? 'latest');
  if (!block) throw new ChainError(ChainErrorCode.InconsistentChainData, `block ${String(options.atBlock)} not found`);
  const atBlock = block.number;
  const logs = await ledger.queryFilter(ledger.filters.PatientChainExtended(patient), ledgerAt.fromBlock, atBlock);

  const txOrder: string[] = [];
  const lastHeadInTx = new Map<string, string>();
  for (const log of logs) {
    if (!lastHeadInTx.has(log.transactionHash)) txOrder.push(log.transactionHash);
    lastHeadInTx.set(log.transactionHash, log.args.head);
  }

  const anchored: AnchoredOperation[] = [];
  let head = EMPTY_PATIENT_HEAD;
  for (const txHash of txOrder) {
    const inconsistent = (why: string): never => {
      throw new ChainError(ChainErrorCode.InconsistentChainData, `${txHash}: ${why}`, { txHash, patient });
    };
    const [tx, receipt] = await Promise.all([provider.getTransaction(txHash), provider.getTransactionReceipt(txHash)]);
    if (!tx || !receipt || receipt.status !== 1) return inconsistent('transaction or receipt missing');
    if (tx.to?.toLowerCase() !== ledgerAt.address.toLowerCase()) inconsistent('not a direct call to the ledger');
    const call = ledger.interface.parseTransaction({ data: tx.data });
    if (call?.name !== 'commitBatch') return inconsistent('not a commitBatch call');
    const ops = decodeBatch(call.args.getValue('batch') as string);
    const tree = new BatchTree(ops);
    const committed = receipt.logs
      .filter((l) => l.address.toLowerCase() === ledgerAt.address.toLowerCase())
      .map((l) => ledger.interface.parseLog(l))
      .find((l) => l?.name === 'BatchCommitted');
    if (!committed) return inconsistent('no BatchCommitted event');
    const root = hexlify(tree.root);
    if (committed.args.getValue('root') !== root) inconsistent(`calldata root ${root} differs from the logged root`);

    ops.forEach((op, leafIndex) => {
      if (op.patient !== patient) return;
      head = extendPatientHead(head, tree.leafHashes[leafIndex]);
      anchored.push({
        operation: op,
        batchId: committed.args.getValue('batchId') as bigint,
        batchRoot: root,
        batchSize: ops.length,
        leafIndex,
        proof: tree.proof(leafIndex).map((p) => hexlify(p)),
        blockNumber: receipt.blockNumber,
        blockHash: receipt.blockHash,
        txHash,
      });
    });
    if (hexlify(head) !== lastHeadInTx.get(txHash)) inconsistent('the folded head differs from the head this transaction logged');
  }

  const ops = anchored.map((a) => a.operation);
  const recomputedHead = hexlify(foldPatientChain(ops));
  const onChainHead = await ledger.patientHead(patient, { blockTag: atBlock });
  const after = await provider.getBlock(atBlock);
  if (after?.hash !== block.hash) {
    throw new ChainError(ChainErrorCode.InconsistentChainData, `block ${atBlock} was reorganised during the verification`, {
      patient,
      atBlock,
    });
  }
  return {
    patient,
    atBlock,
    atBlockHash: block.hash!,
    onChainHead,
    recomputedHead,
    headMatches: onChainHead === recomputedHead,
    operations: anchored,
    summary: materialiseSummary(ops),
  };
}

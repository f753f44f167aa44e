import { Inject, Injectable } from '@nestjs/common';
import {
  BatchTree,
  ChainError,
  ChainErrorCode,
  decodeBatch,
  PprLedger__factory,
  PseudonymKind,
  Registrar__factory,
  verifyPatientSummary,
  type PprLedger,
  type Registrar,
} from '@carechain/chain';
import { CHAIN_PROVIDER } from '@carechain/platform';
import { hexlify, type JsonRpcProvider, type Log } from 'ethers';
import type { LedgerBatch, LedgerReader, RecomputedPatient } from '../application/summary-ports';

/** Where the ledger lives: from config (PPR_LEDGER_ADDRESS, PPR_LEDGER_DEPLOY_BLOCK). */
export interface LedgerLocation {
  readonly address: string;
  readonly deployBlock: number;
}
export const LEDGER_LOCATION = Symbol('LEDGER_LOCATION');

/** Largest block range asked of eth_getLogs at once. */
const LOG_RANGE = 2_000;

/**
 * The PPR ledger and Registrar read through ethers v6 on the configured node. Batches are
 * decoded from each transaction's own calldata with @carechain/chain and their root checked
 * against the `BatchCommitted` event before anything is returned, so a caller never sees an
 * operation the ledger did not hash.
 */
@Injectable()
export class EthersLedgerReader implements LedgerReader {
  readonly ledgerAddress: string;
  readonly deployBlock: number;
  private readonly ledger: PprLedger;
  private registrar?: Promise<Registrar>;
  private readonly pseudonyms = new Map<number, string>();

  constructor(
    @Inject(CHAIN_PROVIDER) private readonly provider: JsonRpcProvider,
    @Inject(LEDGER_LOCATION) location: LedgerLocation,
  ) {
    this.ledgerAddress = location.address.toLowerCase();
    this.deployBlock = location.deployBlock;
    this.ledger = PprLedger__factory.connect(this.ledgerAddress, provider);
  }

  latestBlockNumber(): Promise<number> {
    return this.provider.getBlockNumber();
  }

  async blockHash(blockNumber: number): Promise<string | undefined> {
    if (blockNumber < 0) return undefined;
    return (await this.provider.getBlock(blockNumber))?.hash ?? undefined;
  }

  async batchesBetween(from: number, to: number): Promise<LedgerBatch[]> {
    const committed: Log[] = [];
    const extended: Log[] = [];
    for (let start = Math.max(from, 0); start <= to; start += LOG_RANGE) {
      const end = Math.min(to, start + LOG_RANGE - 1);
      committed.push(...(await this.ledger.queryFilter(this.ledger.filters.BatchCommitted(), start, end)));
      extended.push(...(await this.ledger.queryFilter(this.ledger.filters.PatientChainExtended(), start, end)));
    }
    const headsByTx = new Map<string, Map<number, string>>();
    for (const log of extended) {
      const parsed = this.ledger.interface.parseLog(log);
      if (!parsed) continue;
      const heads = headsByTx.get(log.transactionHash) ?? new Map<number, string>();
      heads.set(Number(parsed.args.getValue('patient')), (parsed.args.getValue('head') as string).toLowerCase());
      headsByTx.set(log.transactionHash, heads);
    }
    committed.sort((a, b) => a.blockNumber - b.blockNumber || a.transactionIndex - b.transactionIndex || a.index - b.index);
    const batches: LedgerBatch[] = [];
    for (const log of committed) {
      const parsed = this.ledger.interface.parseLog(log);
      if (!parsed) continue;
      batches.push(await this.decodeBatchOf(log, parsed.args.getValue('batchId') as bigint, parsed.args.getValue('root') as string, headsByTx.get(log.transactionHash) ?? new Map<number, string>()));
    }
    return batches;
  }

  async patientHeadAt(patientIndex: number, blockNumber: number): Promise<string> {
    return (await this.ledger.patientHead(patientIndex, { blockTag: blockNumber })).toLowerCase();
  }

  async pseudonymOf(patientIndex: number): Promise<string> {
    const known = this.pseudonyms.get(patientIndex);
    if (known) return known;
    const { pseudonym } = await (await this.registrarContract()).pseudonymAt(patientIndex);
    const address = pseudonym.toLowerCase();
    this.pseudonyms.set(patientIndex, address);
    return address;
  }

  async patientIndexOf(pseudonym: string): Promise<number | undefined> {
    const registrar = await this.registrarContract();
    const index = Number(await registrar.pseudonymIndexOf(pseudonym));
    if (index === 0) return undefined;
    const { kind } = await registrar.pseudonymAt(index);
    return Number(kind) === Number(PseudonymKind.Patient) ? index : undefined;
  }

  async recomputePatient(patientIndex: number, atBlock: number): Promise<RecomputedPatient> {
    const v = await verifyPatientSummary(this.provider, { address: this.ledgerAddress, fromBlock: this.deployBlock }, patientIndex, { atBlock });
    return {
      head: v.recomputedHead.toLowerCase(),
      headMatches: v.headMatches,
      operations: v.operations.map((a) => {
        const anchor = {
          batchId: a.batchId.toString(),
          batchRoot: a.batchRoot.toLowerCase(),
          batchSize: a.batchSize,
          leafIndex: a.leafIndex,
          inclusionProof: [...a.proof],
          blockNumber: a.blockNumber,
          blockHash: a.blockHash.toLowerCase(),
          txHash: a.txHash.toLowerCase(),
          // summaryFromOperations refolds the chain and fills this in.
          headAfter: '',
        };
        return { operation: a.operation, anchor };
      }),
    };
  }

  private async decodeBatchOf(log: Log, batchId: bigint, loggedRoot: string, loggedHeads: Map<number, string>): Promise<LedgerBatch> {
    const inconsistent = (why: string): never => {
      throw new ChainError(ChainErrorCode.InconsistentChainData, `${log.transactionHash}: ${why}`, { txHash: log.transactionHash });
    };
    const tx = await this.provider.getTransaction(log.transactionHash);
    if (!tx) return inconsistent('transaction not found');
    if (tx.to?.toLowerCase() !== this.ledgerAddress) inconsistent('not a direct call to the ledger');
    const call = this.ledger.interface.parseTransaction({ data: tx.data });
    if (call?.name !== 'commitBatch') return inconsistent('not a commitBatch call');
    const operations = decodeBatch(call.args.getValue('batch') as string);
    const tree = new BatchTree(operations);
    const root = hexlify(tree.root);
    if (root !== loggedRoot.toLowerCase()) inconsistent(`calldata root ${root} differs from the logged root ${loggedRoot}`);
    return {
      txHash: log.transactionHash.toLowerCase(),
      blockNumber: log.blockNumber,
      blockHash: log.blockHash.toLowerCase(),
      batchId: batchId.toString(),
      batchRoot: root,
      operations,
      proofs: operations.map((_, i) => tree.proof(i).map((p) => hexlify(p))),
      loggedHeads,
    };
  }

  private registrarContract(): Promise<Registrar> {
    this.registrar ??= this.ledger.registrar().then((address) => Registrar__factory.connect(address, this.provider));
    return this.registrar;
  }
}

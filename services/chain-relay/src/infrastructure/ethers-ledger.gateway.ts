import { PprLedger__factory, Registrar__factory, type PprLedger, type Registrar } from '@carechain/chain';
import { keccak256, Wallet, type JsonRpcProvider } from 'ethers';
import type { LedgerGateway, Receipt, SignedTransaction } from '../application/ports';
import type { AssembledBatch } from '../domain/anchor-batch';
import type { Fees } from '../domain/fee-bump';

/**
 * Upper bounds of the ledger's costs (docs/chain.md, "Gas"): per batch ≈ 64,000 measured
 * (21,000 intrinsic, Registrar call, root slot, event); per operation ≈ 970 besides calldata
 * (two SHA-256 calls, decoding, the chain step); per patient group ≤ 24,000 (a first head,
 * 22,100, plus its log); calldata ≤ 16 per byte (every byte taken as non-zero).
 */
const BATCH_BASE_GAS = 100_000n;
const OPERATION_GAS = 1_200n;
const PATIENT_GROUP_GAS = 25_000n;
const CALLDATA_BYTE_GAS = 16n;
const MAX_TX_GAS = 29_000_000n;

/** Error messages geth returns for a broadcast that is harmless to repeat. */
const HARMLESS_BROADCAST = /already known|nonce too low|known transaction|replacement transaction underpriced/i;

/**
 * The relay account over ethers v6: transactions are signed locally (the node never holds
 * the key) with an explicit nonce from the relay's own ledger, and broadcast raw.
 */
export class EthersLedgerGateway implements LedgerGateway {
  readonly account: string;
  private readonly wallet: Wallet;
  private readonly ledger: PprLedger;
  private readonly registrar: Registrar;
  private readonly indexCache = new Map<string, number>();

  constructor(
    private readonly provider: JsonRpcProvider,
    privateKey: string,
    private readonly chainId: number,
    addresses: { ledger: string; registrar: string },
  ) {
    this.wallet = new Wallet(privateKey);
    this.account = this.wallet.address.toLowerCase();
    this.ledger = PprLedger__factory.connect(addresses.ledger, provider);
    this.registrar = Registrar__factory.connect(addresses.registrar, provider);
  }

  async head(): Promise<{ number: number; hash: string }> {
    const block = await this.provider.getBlock('latest');
    if (!block?.hash) throw new Error('the node returned no latest block');
    return { number: block.number, hash: block.hash };
  }

  async blockHash(height: number): Promise<string | undefined> {
    const block = await this.provider.getBlock(height);
    return block?.hash ?? undefined;
  }

  async receipt(txHash: string): Promise<Receipt | undefined> {
    const receipt = await this.provider.getTransactionReceipt(txHash);
    if (!receipt) return undefined;
    return { blockNumber: receipt.blockNumber, blockHash: receipt.blockHash, status: receipt.status ?? 0, gasUsed: receipt.gasUsed };
  }

  async transactionCounts(): Promise<{ latest: number; pending: number }> {
    const [latest, pending] = await Promise.all([
      this.provider.getTransactionCount(this.account, 'latest'),
      this.provider.getTransactionCount(this.account, 'pending'),
    ]);
    return { latest, pending };
  }

  async marketFees(): Promise<Fees> {
    const fees = await this.provider.getFeeData();
    if (fees.maxFeePerGas === null || fees.maxPriorityFeePerGas === null) throw new Error('the node reports no EIP-1559 fees');
    return { maxFeePerGas: fees.maxFeePerGas, maxPriorityFeePerGas: fees.maxPriorityFeePerGas };
  }

  async signCommit(batch: AssembledBatch, guard: { number: number; hash: string }, nonce: number, fees: Fees): Promise<SignedTransaction> {
    const data = this.ledger.interface.encodeFunctionData('commitBatch', [guard.number, guard.hash, batch.data]);
    return this.sign({ to: await this.ledger.getAddress(), data, nonce, gasLimit: commitGasLimit(batch), ...fees });
  }

  async signFiller(nonce: number, fees: Fees): Promise<SignedTransaction> {
    return this.sign({ to: this.account, data: '0x', nonce, gasLimit: 21_000n, ...fees });
  }

  async broadcast(raw: string): Promise<void> {
    try {
      // Raw JSON-RPC: ethers' broadcastTransaction parses the 120 KB transaction again first.
      await this.provider.send('eth_sendRawTransaction', [raw]);
    } catch (error) {
      if (HARMLESS_BROADCAST.test(String((error as Error).message))) return;
      throw error;
    }
  }

  async resolveIndexes(patients: readonly string[], providers: readonly string[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    const lookups: Promise<void>[] = [];
    const lookup = (kind: 'patient' | 'provider', address: string) => {
      const key = `${kind}:${address}`;
      const cached = this.indexCache.get(key);
      if (cached !== undefined) return void out.set(key, cached);
      lookups.push(
        (kind === 'patient' ? this.registrar.pseudonymIndexOf(address) : this.registrar.partyIndexOf(address)).then((index) => {
          const value = Number(index);
          if (value > 0) this.indexCache.set(key, value);
          out.set(key, value);
        }),
      );
    };
    new Set(patients).forEach((a) => lookup('patient', a));
    new Set(providers).forEach((a) => lookup('provider', a));
    await Promise.all(lookups);
    return out;
  }

  private async sign(tx: { to: string; data: string; nonce: number; gasLimit: bigint } & Fees): Promise<SignedTransaction> {
    const raw = await this.wallet.signTransaction({ type: 2, chainId: this.chainId, value: 0n, ...tx });
    // A typed transaction's hash is keccak256 of its signed envelope; parsing 120 KB back with
    // Transaction.from to read it cost ~60 ms per batch.
    return { raw, txHash: keccak256(raw) };
  }
}

/**
 * Gas limit from the batch's shape, not from eth_estimateGas: an estimate runs in the latest
 * block, where the wrong-fork guard on that same block cannot pass. The bound holds for every
 * scenario measured in docs/chain.md (6–14 % above batches of patients' first operations, the
 * costliest per patient; about 40 % above a full batch of known patients). It is kept tight
 * because geth's miner packs a block by declared gas limits: the earlier bound (2,600 per
 * operation plus calldata, 23,000 per patient, +25 %) declared ≈ 10.8 M for a full batch using
 * ≈ 4.2 M, so only two relays' batches fitted in a 30 M block.
 */
export function commitGasLimit(batch: Pick<AssembledBatch, 'operations' | 'data'>): bigint {
  const patients = new Set(batch.operations.map((o) => o.patientIndex)).size;
  const limit =
    BATCH_BASE_GAS + OPERATION_GAS * BigInt(batch.operations.length) + PATIENT_GROUP_GAS * BigInt(patients) + CALLDATA_BYTE_GAS * BigInt(batch.data.length);
  return limit > MAX_TX_GAS ? MAX_TX_GAS : limit;
}

/**
 * Gas per PPR of `PprLedger.commitBatch` on a real chain, at several batch sizes and patient
 * spreads. Writes JSON to --out (default bench/results/chain-gas.json).
 *
 *   CHAIN_RPC_URL=http://127.0.0.1:8545 CHAIN_PRIVATE_KEYS=0x..,0x.. npx tsx libs/chain/bench/gas-per-ppr.ts
 *
 * The first key deploys and owns the Registrar, the second is registered as the relay.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { JsonRpcProvider, NonceManager, Wallet } from 'ethers';
import { batchByteLength, deployChainContracts, MAX_BATCH_BYTES, PprLedger__factory, PseudonymKind, RegistrarRole, sendBatch, takeBatch } from '../src';
import { randomOperations } from '../src/testing/random-operations';

interface Row {
  scenario: string;
  operations: number;
  patients: number;
  batchBytes: number;
  gasUsed: number;
  gasPerPpr: number;
  firstTimePatients: boolean;
}

async function main(): Promise<void> {
  const rpcUrl = process.env.CHAIN_RPC_URL;
  const keys = (process.env.CHAIN_PRIVATE_KEYS ?? '').split(',').filter(Boolean);
  if (!rpcUrl || keys.length < 2) throw new Error('set CHAIN_RPC_URL and CHAIN_PRIVATE_KEYS (two keys: owner, relay)');
  const outArg = process.argv.indexOf('--out');
  const out = outArg > 0 ? process.argv[outArg + 1] : 'bench/results/chain-gas.json';

  const provider = new JsonRpcProvider(rpcUrl, undefined, { pollingInterval: 250, cacheTimeout: -1 });
  const owner = new NonceManager(new Wallet(keys[0], provider));
  const relayWallet = new Wallet(keys[1], provider);
  const { registrar, ledgerAddress } = await deployChainContracts(owner);
  await (await registrar.registerParty(relayWallet.address, RegistrarRole.Relay, 'bench relay', `0x${'00'.repeat(32)}`)).wait();
  const providers: number[] = [];
  for (let i = 0; i < 3; i++) {
    const tx = await registrar.registerParty(Wallet.createRandom().address, RegistrarRole.Provider, `provider ${i}`, `0x${'11'.repeat(32)}`);
    await tx.wait();
    providers.push(Number(await registrar.partyCount()) - 1);
  }
  const registrarAsRelay = registrar.connect(relayWallet);
  const registerPatients = async (n: number): Promise<number[]> => {
    const first = Number(await registrar.pseudonymCount());
    for (let done = 0; done < n; done += 300) {
      const chunk = Array.from({ length: Math.min(300, n - done) }, () => Wallet.createRandom().address);
      await (await registrarAsRelay.registerPseudonyms(PseudonymKind.Patient, chunk)).wait();
    }
    return Array.from({ length: n }, (_, i) => first + i);
  };
  const ledger = PprLedger__factory.connect(ledgerAddress, relayWallet);

  const rows: Row[] = [];
  const measure = async (scenario: string, count: number, patients: number[], firstTime: boolean, mix?: Parameters<typeof randomOperations>[3]) => {
    const ops = randomOperations(count, patients, providers, mix);
    const { batch, rest } = takeBatch(ops);
    if (rest.length > 0) throw new Error(`${count} operations do not fit one batch`);
    const sent = await sendBatch(ledger, batch);
    const receipt = await sent.tx.wait();
    if (!receipt) throw new Error('no receipt');
    const gasUsed = Number(receipt.gasUsed);
    const row = {
      scenario,
      operations: count,
      patients: Math.min(patients.length, count),
      batchBytes: batchByteLength(batch),
      gasUsed,
      gasPerPpr: Math.round(gasUsed / count),
      firstTimePatients: firstTime,
    };
    rows.push(row);
    console.log(JSON.stringify(row));
  };

  const fifty = await registerPatients(50);
  // Largest all-add batch that fits: 53 bytes per op plus one 6-byte header per patient.
  const fullAdd = takeBatch(randomOperations(3000, fifty, providers, {}), MAX_BATCH_BYTES).batch.length;
  const fullMixed = takeBatch(randomOperations(3000, fifty, providers), MAX_BATCH_BYTES).batch.length - 20;
  await measure('50 patients, mixed kinds, first batch', 1000, fifty, true);
  for (const n of [1, 10, 100, 500, 1000, fullMixed]) await measure('50 patients, mixed kinds', n, fifty, false);
  await measure('50 patients, add only', fullAdd, fifty, false, {});
  const many = await registerPatients(1000);
  await measure('1 operation per patient, first batch', 1000, many, true);
  await measure('1 operation per patient', 1000, many, false);

  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify({ maxBatchBytes: MAX_BATCH_BYTES, rows }, null, 2)}\n`);
  console.log(`wrote ${out}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

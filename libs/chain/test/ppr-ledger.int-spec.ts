import { verifyMerkleInclusion } from '@carechain/crypto';
import { getInfrastructure } from '@carechain/testing';
import { getBytes, hexlify, JsonRpcProvider, NonceManager, Wallet, ZeroHash } from 'ethers';
import {
  BatchTree,
  ChainDeployment,
  decodeBatch,
  deployChainContracts,
  encodeBatch,
  foldPatientChain,
  MAX_BATCH_BYTES,
  PprLedger,
  PprOperation,
  PprLedger__factory,
  PseudonymKind,
  Registrar,
  RegistrarRole,
  sendBatch,
  takeBatch,
  verifyPatientSummary,
} from '../src';
import { randomOperations } from '../src/testing/random-operations';

// Accounts 15–17 of the dev mnemonic, so this file's nonces never race another file's.
const OWNER = 15;
const RELAY = 16;
const OUTSIDER = 17;
const ROLE_PROVIDER = RegistrarRole.Provider;
const ROLE_RELAY = RegistrarRole.Relay;
const KIND_PATIENT = PseudonymKind.Patient;

describe('Registrar and PprLedger on the proof-of-work chain', () => {
  let provider: JsonRpcProvider;
  let owner: NonceManager;
  let relay: Wallet;
  let outsider: Wallet;
  let deployment: ChainDeployment;
  let registrar: Registrar;
  let ledger: PprLedger;
  let providers: number[];
  let patients: number[];
  /**
   * A guard an eth_call can see: eth_call runs inside the latest block, where blockhash() of
   * that block itself is still 0, so calls are guarded on its parent (transactions, which run
   * in the next block, are guarded on the head itself by sendBatch).
   */
  const callGuard = async (): Promise<[number, string]> => {
    const latest = (await provider.getBlock('latest'))!;
    const parent = (await provider.getBlock(latest.number - 1))!;
    return [parent.number, parent.hash!];
  };
  /** Every operation committed so far, in leaf order per batch: the test's own record. */
  const committed: PprOperation[] = [];

  beforeAll(async () => {
    const infra = await getInfrastructure();
    provider = new JsonRpcProvider(infra.chain.nodes[0].rpcUrl, undefined, { pollingInterval: 200, cacheTimeout: -1 });
    owner = new NonceManager(new Wallet(infra.chain.accounts[OWNER].privateKey, provider));
    relay = new Wallet(infra.chain.accounts[RELAY].privateKey, provider);
    outsider = new Wallet(infra.chain.accounts[OUTSIDER].privateKey, provider);

    deployment = await deployChainContracts(owner);
    registrar = deployment.registrar;
    ledger = PprLedger__factory.connect(deployment.ledgerAddress, relay);
    await (await registrar.registerParty(relay.address, ROLE_RELAY, 'relay 1', ZeroHash)).wait();
    providers = [];
    for (const name of ['provider A', 'provider B', 'provider C']) {
      await (await registrar.registerParty(Wallet.createRandom().address, ROLE_PROVIDER, name, hexlify(getBytes(`0x${'aa'.repeat(32)}`)))).wait();
      providers.push(Number(await registrar.partyCount()) - 1);
    }
    const first = Number(await registrar.pseudonymCount());
    const pseudonyms = Array.from({ length: 50 }, () => Wallet.createRandom().address);
    await (await registrar.connect(relay).registerPseudonyms(KIND_PATIENT, pseudonyms)).wait();
    patients = pseudonyms.map((_, i) => first + i);
  });

  it('registers parties only through the owner, and pseudonyms without linking them', async () => {
    const relayParty = await registrar.partyAt(Number(await registrar.partyIndexOf(relay.address)));
    expect(relayParty.name).toBe('relay 1');
    expect(await registrar.isRelay(relay.address)).toBe(true);
    expect(await registrar.isRelay(outsider.address)).toBe(false);
    await expect(registrar.connect(outsider).registerParty.staticCall(outsider.address, ROLE_RELAY, 'me', ZeroHash)).rejects.toMatchObject({
      revert: { name: 'NotOwner' },
    });
    // A patient registers a second pseudonym itself; it gets a fresh index and nothing ties it to the first.
    const selfRegistered = Wallet.createRandom().connect(provider);
    await (await owner.sendTransaction({ to: selfRegistered.address, value: 10n ** 17n })).wait();
    await (await registrar.connect(selfRegistered).registerPseudonym(KIND_PATIENT)).wait();
    const index = await registrar.pseudonymIndexOf(selfRegistered.address);
    expect(index).toBe(BigInt(patients[patients.length - 1] + 1));
    expect((await registrar.pseudonymAt(index)).pseudonym).toBe(selfRegistered.address);
  });

  it('commits a full batch whose on-chain root every operation proves inclusion in, at ≤ 2,000 gas per PPR', async () => {
    // A patient's first operation ever pays a zero-to-non-zero SSTORE (22,100 gas) for its
    // chain head; the steady state that the gas target is about has every head set already.
    const warmUp = await sendBatch(ledger, randomOperations(100, patients, providers));
    expect((await warmUp.tx.wait())?.status).toBe(1);
    committed.push(...warmUp.encoded.operations);

    const { batch } = takeBatch(randomOperations(3000, patients, providers), MAX_BATCH_BYTES);
    const sent = await sendBatch(ledger, batch);
    const receipt = await sent.tx.wait();
    expect(receipt?.status).toBe(1);
    committed.push(...sent.encoded.operations);

    const event = receipt!.logs.map((l) => ledger.interface.parseLog(l)).find((l) => l?.name === 'BatchCommitted')!;
    const batchId = event.args.getValue('batchId') as bigint;
    const onChainRoot = getBytes(await ledger.batchRoot(batchId));
    expect(hexlify(onChainRoot)).toBe(hexlify(sent.tree.root));
    expect(Number(event.args.getValue('operationCount'))).toBe(batch.length);

    // Re-derive every leaf from the mined transaction's calldata, not from what we sent.
    const mined = await provider.getTransaction(receipt!.hash);
    const calldata = ledger.interface.parseTransaction({ data: mined!.data })!.args.getValue('batch') as string;
    const tree = new BatchTree(decodeBatch(calldata));
    expect(tree.operations).toEqual(sent.encoded.operations);
    for (let i = 0; i < tree.leafHashes.length; i++) {
      expect(() => verifyMerkleInclusion(tree.leafHashes[i], i, batch.length, tree.proof(i), onChainRoot)).not.toThrow();
    }
    const tampered = new Uint8Array(tree.leafHashes[0]);
    tampered[0] ^= 1;
    expect(() => verifyMerkleInclusion(tampered, 0, batch.length, tree.proof(0), onChainRoot)).toThrow();

    const gasPerPpr = Number(receipt!.gasUsed) / batch.length;
    console.log(`full batch: ${batch.length} operations, ${sent.encoded.data.length} bytes, ${receipt!.gasUsed} gas, ${gasPerPpr.toFixed(0)} gas/PPR`);
    expect(gasPerPpr).toBeLessThanOrEqual(2_000);
  });

  it('keeps a per-patient chain that a verifier recomputes from chain data alone', async () => {
    const second = await sendBatch(ledger, randomOperations(400, patients.slice(0, 20), providers));
    expect((await second.tx.wait())?.status).toBe(1);
    committed.push(...second.encoded.operations);

    for (const patient of [patients[0], patients[7], patients[19], patients[49]]) {
      const mine = committed.filter((op) => op.patient === patient);
      expect(mine.length).toBeGreaterThan(0);
      const verification = await verifyPatientSummary(provider, { address: deployment.ledgerAddress, fromBlock: deployment.ledgerDeployBlock }, patient);
      expect(verification.headMatches).toBe(true);
      expect(verification.recomputedHead).toBe(hexlify(foldPatientChain(mine)));
      expect(verification.operations.map((a) => a.operation)).toEqual(mine);
      for (const a of verification.operations) {
        expect(() =>
          verifyMerkleInclusion(new BatchTree([a.operation]).leafHashes[0], a.leafIndex, a.batchSize, a.proof.map((p) => getBytes(p)), getBytes(a.batchRoot)),
        ).not.toThrow();
      }
    }
    const untouched = await verifyPatientSummary(provider, { address: deployment.ledgerAddress, fromBlock: deployment.ledgerDeployBlock }, patients[49] + 1000);
    expect(untouched.operations).toHaveLength(0);
    expect(untouched.onChainHead).toBe(ZeroHash);
    expect(untouched.headMatches).toBe(true);
  });

  it('reverts commitBatch from an account that is not an active relay, on chain', async () => {
    const ops = randomOperations(5, patients, providers);
    const [n, hash] = await callGuard();
    const asOutsider = ledger.connect(outsider);
    await expect(ledger.commitBatch.staticCall(n, hash, encodeBatch(ops).data)).resolves.toBeDefined();
    await expect(asOutsider.commitBatch.staticCall(n, hash, encodeBatch(ops).data)).rejects.toMatchObject({
      revert: { name: 'NotRelay', args: [outsider.address] },
    });
    // Mined anyway (fixed gas limit skips estimation): the receipt must show the revert.
    const tx = await asOutsider.commitBatch(n, hash, encodeBatch(ops).data, { gasLimit: 1_000_000 });
    await expect(tx.wait()).rejects.toMatchObject({ code: 'CALL_EXCEPTION', receipt: { status: 0 } });

    // A relay the owner deactivated is an outsider too, and reactivation restores it.
    const relayIndex = Number(await registrar.partyIndexOf(relay.address));
    await (await registrar.setPartyActive(relayIndex, false)).wait();
    const [n2, hash2] = await callGuard();
    await expect(ledger.commitBatch.staticCall(n2, hash2, encodeBatch(ops).data)).rejects.toMatchObject({ revert: { name: 'NotRelay' } });
    await (await registrar.setPartyActive(relayIndex, true)).wait();
    const again = await sendBatch(ledger, ops);
    expect((await again.tx.wait())?.status).toBe(1);
    committed.push(...again.encoded.operations);
  });

  it('reverts when the batch was built on another fork (blockhash mismatch)', async () => {
    const ops = randomOperations(5, patients, providers);
    const [n, hash] = await callGuard();
    const grandparent = (await provider.getBlock(n - 1))!;
    // The same call on the right hash goes through, so the hash is what the guard rejects.
    await expect(ledger.commitBatch.staticCall(n, hash, encodeBatch(ops).data)).resolves.toBeDefined();
    await expect(ledger.commitBatch.staticCall(n, grandparent.hash!, encodeBatch(ops).data)).rejects.toMatchObject({
      revert: { name: 'WrongFork', args: [BigInt(n), grandparent.hash, hash] },
    });
    const tx = await ledger.commitBatch(n, grandparent.hash!, encodeBatch(ops).data, { gasLimit: 1_000_000 });
    await expect(tx.wait()).rejects.toMatchObject({ code: 'CALL_EXCEPTION', receipt: { status: 0 } });
    // A zero hash never matches, even for a block blockhash() cannot see.
    await expect(ledger.commitBatch.staticCall(n + 100, ZeroHash, encodeBatch(ops).data)).rejects.toMatchObject({
      revert: { name: 'WrongFork' },
    });
  });

  it('rejects malformed bytes with the same reason and offset as the TypeScript decoder', async () => {
    const [n, hash] = await callGuard();
    const good = encodeBatch(randomOperations(4, patients.slice(0, 2), providers, { modify: 0.5 })).data;
    let seed = 7;
    const rand = (m: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % m;
    const mutants: Uint8Array[] = [];
    for (let i = 0; i < 12; i++) mutants.push(good.slice(0, 1 + rand(good.length - 1)));
    for (let i = 0; i < 12; i++) {
      const m = good.slice();
      m[rand(m.length)] = rand(256);
      mutants.push(m);
    }
    let rejected = 0;
    for (const bytes of mutants) {
      let expected: { reason: number; offset: number } | undefined;
      try {
        decodeBatch(bytes);
      } catch (err) {
        expected = (err as { details: { reason: number; offset: number } }).details;
      }
      const call = ledger.commitBatch.staticCall(n, hash, bytes);
      if (expected) {
        rejected++;
        await expect(call).rejects.toMatchObject({ revert: { name: 'MalformedBatch', args: [BigInt(expected.reason), BigInt(expected.offset)] } });
      } else {
        // Layout-valid: the contract either accepts it or rejects an index outside the Registrar.
        await call.then(
          () => undefined,
          (err: { revert?: { name: string; args: bigint[] } }) => {
            expect(err.revert?.name).toBe('MalformedBatch');
            expect([2n, 6n]).toContain(err.revert?.args[0]);
          },
        );
      }
    }
    expect(rejected).toBeGreaterThan(5);
  });

  it('reverts a batch naming an unregistered patient or provider with the offset of the bad record', async () => {
    const [n, hash] = await callGuard();
    const unknownPatient = encodeBatch(randomOperations(1, [patients[patients.length - 1] + 10_000], providers)).data;
    await expect(ledger.commitBatch.staticCall(n, hash, unknownPatient)).rejects.toMatchObject({
      revert: { name: 'MalformedBatch', args: [2n, 0n] },
    });
    const unknownProvider = encodeBatch(randomOperations(1, patients, [providers[2] + 100])).data;
    await expect(ledger.commitBatch.staticCall(n, hash, unknownProvider)).rejects.toMatchObject({
      revert: { name: 'MalformedBatch', args: [6n, 6n] },
    });
  });
});

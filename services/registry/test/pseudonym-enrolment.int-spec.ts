import { deployChainContracts, PseudonymKind, RegistrarRole, type ChainDeployment } from '@carechain/chain';
import { bootstrapService } from '@carechain/platform';
import { getInfrastructure, withDatabase } from '@carechain/testing';
import type { INestApplication } from '@nestjs/common';
import { JsonRpcProvider, NonceManager, Wallet, ZeroHash } from 'ethers';
import { AddressInfo } from 'node:net';
import { AppModule } from '../src/app.module';
import { registryConfigSchema } from '../src/config';
import type { IdentityRole } from '../src/domain/identity';
import { registerIdentity } from './identity-client';


// Accounts 18 and 19 of the dev mnemonic are this file's alone, so its nonces never race another file's.
const OWNER = 18;
const ENROLLER = 19;
const K = 2;

interface ServedIdentity {
  address: string;
  role: IdentityRole;
  chain?: { state: 'pending' | 'enrolled'; index?: number };
}

// On-chain enrolment against the real proof-of-work chain: identities registered over HTTP end
// up in the Registrar, k blocks deep, under the right kind; parties do not; an address the
// Registrar already holds is adopted without a call that would revert.
describe('registry enrolment of patients and users in the on-chain Registrar', () => {
  let provider: JsonRpcProvider;
  let deployment: ChainDeployment;
  let app: INestApplication;
  let baseUrl: string;

  beforeAll(async () => {
    const infra = await getInfrastructure();
    const node = infra.chain.nodes.find((n) => n.name === 'provider') ?? infra.chain.nodes[0];
    provider = new JsonRpcProvider(node.rpcUrl, infra.chain.chainId, { staticNetwork: true, pollingInterval: 200, cacheTimeout: -1 });
    const owner = new NonceManager(new Wallet(infra.chain.accounts[OWNER].privateKey, provider));
    deployment = await deployChainContracts(owner);
    const enroller = infra.chain.accounts[ENROLLER];
    await (await deployment.registrar.registerParty(enroller.address, RegistrarRole.Relay, 'registry enroller', ZeroHash)).wait();

    const config = registryConfigSchema.parse({
      PORT: '1',
      LOG_LEVEL: 'warn',
      KAFKA_BROKERS: infra.kafka.brokers.join(','),
      MONGO_URL: withDatabase(infra.mongo.url, `registry-enrolment-int-${Date.now()}`),
      ETH_RPC_URL: node.rpcUrl,
      CHAIN_ID: String(infra.chain.chainId),
      ETH_POLLING_INTERVAL_MS: '200',
      REGISTRAR_ADDRESS: deployment.registrarAddress,
      ENROLLER_PRIVATE_KEY: enroller.privateKey,
      ENROLMENT_CONFIRMATIONS: String(K),
      ENROLMENT_POLL_INTERVAL_MS: '300',
    });
    app = await bootstrapService({ service: 'registry', description: 'test', module: AppModule.forRoot(config), host: '127.0.0.1', port: 0 });
    baseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await app?.close();
    provider?.destroy();
  });

  async function register(role: IdentityRole): Promise<{ address: string; body: ServedIdentity }> {
    const wallet = Wallet.createRandom();
    const { status, body } = await registerIdentity(baseUrl, wallet, role);
    expect(status).toBe(201);
    return { address: wallet.address.toLowerCase(), body: body as ServedIdentity };
  }

  const read = async (address: string) => (await (await fetch(`${baseUrl}/v1/identities/${address}`)).json()) as ServedIdentity;

  async function enrolledIndexes(addresses: string[], timeoutMs = 120_000): Promise<Map<string, number>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const served = await Promise.all(addresses.map(read));
      if (served.every((s) => s.chain?.state === 'enrolled')) return new Map(served.map((s) => [s.address, s.chain!.index!]));
      if (Date.now() > deadline) throw new Error(`not enrolled: ${JSON.stringify(served.filter((s) => s.chain?.state !== 'enrolled'))}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  it('enrols patients and users under their kind, k blocks deep, and leaves parties alone', async () => {
    const patients = [await register('patient'), await register('patient')];
    const user = await register('user');
    const party = await register('provider');
    for (const p of [...patients, user]) expect(p.body.chain).toEqual({ state: 'pending' });
    expect(party.body.chain).toBeUndefined();

    const indexes = await enrolledIndexes([...patients, user].map((p) => p.address));
    const head = await provider.getBlockNumber();
    for (const [address, index] of indexes) {
      // The index served is the Registrar's, and the registration is at least k blocks deep.
      expect(Number(await deployment.registrar.pseudonymIndexOf(address, { blockTag: head - (K - 1) }))).toBe(index);
      const kind = Number((await deployment.registrar.pseudonymAt(index)).kind);
      expect(kind).toBe(address === user.address ? PseudonymKind.User : PseudonymKind.Patient);
    }
    expect(Number(await deployment.registrar.pseudonymIndexOf(party.address))).toBe(0);
    expect((await read(party.address)).chain).toBeUndefined();
  });

  it('adopts an address that registered itself in the Registrar, without sending it again', async () => {
    // The patient's own account registers its address first (it has the gas here).
    const infra = await getInfrastructure();
    const self = new Wallet(infra.chain.accounts[OWNER].privateKey, provider);
    const patient = Wallet.createRandom().connect(provider);
    await (await self.sendTransaction({ to: patient.address, value: 10n ** 16n })).wait();
    await (await deployment.registrar.connect(patient).registerPseudonym(PseudonymKind.Patient)).wait();
    const selfIndex = Number(await deployment.registrar.pseudonymIndexOf(patient.address));
    expect(selfIndex).toBeGreaterThan(0);

    expect((await registerIdentity(baseUrl, patient, 'patient')).status).toBe(201);
    const other = await register('patient');
    const indexes = await enrolledIndexes([patient.address.toLowerCase(), other.address]);
    expect(indexes.get(patient.address.toLowerCase())).toBe(selfIndex);
    expect(indexes.get(other.address)).toBeGreaterThan(selfIndex);
  });
});

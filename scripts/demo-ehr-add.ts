// A smoke test of the running platform (`npm start` in another terminal), as a client sees it:
// a new patient registers with the registry, which enrols it in the on-chain Registrar; a
// record version is uploaded to the provider, anchored by the relay after k confirmations,
// and becomes visible; a second version replaces it; the registry's Summary links it.
//
//   npm run demo   [-- --registry http://127.0.0.1:3001 --storage http://127.0.0.1:3002]
//
// Exits 1 with the step that did not happen in time. The registration statement is the
// registry's public format (docs/design.md, "Registration"); the sealed bytes are a stand-in,
// since provider-storage never opens them.
import { Wallet } from 'ethers';
import { DEFAULT_SERVICE_PORTS } from '../libs/testing/src/services/service-specs';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const registry = option('registry', `http://127.0.0.1:${DEFAULT_SERVICE_PORTS.registry}`);
const storage = option('storage', `http://127.0.0.1:${DEFAULT_SERVICE_PORTS['provider-storage']}`);

async function call(method: string, url: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url, { method, headers: { 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 180_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value !== undefined) {
      console.log(`  ${what}: ${Date.now() - started} ms`);
      return value;
    }
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(500);
  }
}

async function expectStatus(step: string, result: { status: number; body: unknown }, status: number): Promise<void> {
  if (result.status !== status) throw new Error(`${step}: expected HTTP ${status}, got ${result.status} ${JSON.stringify(result.body)}`);
}

async function main(): Promise<void> {
  const patient = Wallet.createRandom();
  const address = patient.address.toLowerCase();
  console.log(`patient ${address}`);

  const issuedAt = new Date().toISOString();
  const statement = `Carechain registration\naddress: ${address}\nrole: patient\nissued-at: ${issuedAt}`;
  const signature = await patient.signMessage(statement);
  await expectStatus('register', await call('POST', `${registry}/v1/identities`, { address, role: 'patient', issuedAt, signature }), 201);
  const index = await until('enrolled in the on-chain Registrar', async () => {
    const { body } = await call('GET', `${registry}/v1/identities/${address}`);
    const chain = body['chain'] as { state: string; index?: number } | undefined;
    return chain?.state === 'enrolled' ? chain.index : undefined;
  });
  console.log(`  Registrar index ${index}`);

  const recordId = `demo-${Date.now().toString(36)}`;
  for (const version of [1, 2]) {
    const sealed = Buffer.from(`sealed envelope ${recordId} v${version}`).toString('base64');
    await expectStatus(`upload v${version}`, await call('POST', `${storage}/v1/records`, { recordId, patient: address, version, sealed }), 202);
    const served = await until(`record ${recordId} v${version} committed`, async () => {
      const { status, body } = await call('GET', `${storage}/v1/records/${recordId}?version=${version}`);
      if (status === 200 && body['state'] === 'failed') throw new Error(`v${version} failed: ${JSON.stringify(body['failure'])}`);
      return status === 200 && body['state'] === 'committed' ? body : undefined;
    });
    const anchor = served['anchor'] as { blockNumber: number; txHash: string; confirmations: number };
    console.log(`  anchored in block ${anchor.blockNumber} (tx ${anchor.txHash}, ${anchor.confirmations} confirmations)`);
  }

  const live = await until('the Summary to link version 2', async () => {
    const { status, body } = await call('GET', `${registry}/v1/patients/${address}/summary`);
    const links = status === 200 ? (body['live'] as { pprId: string; history: string[] }[]) : [];
    return links.length === 1 && links[0].history.length === 1 ? links : undefined;
  });
  console.log(`  live link ${live[0].pprId}, replacing ${live[0].history[0]}`);
  console.log('ok');
}

main().catch((error: Error) => {
  console.error(`demo failed: ${error.message}`);
  process.exit(1);
});

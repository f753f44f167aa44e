import type { EnrolmentKind } from '../domain/pseudonym-enrolment';
import { EnrolPseudonymsUseCase } from './enrol-pseudonyms.use-case';
import { InMemoryIdentities } from './identity-repository.fake';
import type { EnrolmentMetrics, RegistrarEnroller } from './ports';

/** A Registrar whose registrations become visible in the block after they are sent (unit tests only). */
class SimulatedRegistrar implements RegistrarEnroller {
  block = 10;
  readonly calls: { kind: EnrolmentKind; addresses: string[] }[] = [];
  private readonly registeredAt = new Map<string, { block: number; index: number }>();
  private next = 1;

  preRegister(address: string): void {
    this.registeredAt.set(address, { block: this.block, index: this.next++ });
  }
  async head() {
    return this.block;
  }
  async indexesOf(addresses: readonly string[], blockTag: number | 'latest') {
    const at = blockTag === 'latest' ? this.block : blockTag;
    return new Map(addresses.map((a) => [a, (this.registeredAt.get(a)?.block ?? Infinity) <= at ? this.registeredAt.get(a)!.index : 0]));
  }
  async register(kind: EnrolmentKind, addresses: readonly string[]) {
    for (const a of addresses) if (this.registeredAt.has(a)) throw new Error(`AlreadyRegistered(${a})`);
    this.calls.push({ kind, addresses: [...addresses] });
    for (const a of addresses) this.registeredAt.set(a, { block: this.block + 1, index: this.next++ });
    return { txHash: `0x${this.calls.length}` };
  }
}

class CountingMetrics implements EnrolmentMetrics {
  enrolledCount = 0;
  sentCount = 0;
  enrolled(n: number) {
    this.enrolledCount += n;
  }
  sent(n: number) {
    this.sentCount += n;
  }
}

const address = (n: number) => `0x${n.toString(16).padStart(40, '0')}`;

async function world() {
  const identities = new InMemoryIdentities();
  const registrar = new SimulatedRegistrar();
  const metrics = new CountingMetrics();
  const enrol = new EnrolPseudonymsUseCase(identities, registrar, metrics, { confirmations: 3, maxPerTx: 100, resendAfterBlocks: 12, batch: 400 });
  const add = (n: number, role: 'patient' | 'user' | 'provider') =>
    identities.insertWithPendingEvent({ address: address(n), role, registeredAt: new Date(), ...(role === 'provider' ? {} : { chain: { state: 'pending' } }) }, `e${n}`);
  return { identities, registrar, metrics, enrol, add };
}

describe('EnrolPseudonymsUseCase', () => {
  it('registers pending patients and users once, and marks them enrolled when the registration is k blocks deep', async () => {
    const w = await world();
    await w.add(1, 'patient');
    await w.add(2, 'user');
    await w.add(3, 'provider');

    await expect(w.enrol.step()).resolves.toEqual({ enrolled: 0, waiting: 0, sent: 2 });
    expect(w.registrar.calls).toEqual([
      { kind: 'patient', addresses: [address(1)] },
      { kind: 'user', addresses: [address(2)] },
    ]);
    // Mined in block 11; at heads 11 and 12 it is not 3 deep yet, and nothing is sent again.
    for (const head of [11, 12]) {
      w.registrar.block = head;
      await expect(w.enrol.step()).resolves.toEqual({ enrolled: 0, waiting: 2, sent: 0 });
    }
    w.registrar.block = 13;
    await expect(w.enrol.step()).resolves.toEqual({ enrolled: 2, waiting: 0, sent: 0 });
    expect((await w.identities.findByAddress(address(1)))?.chain).toEqual({ state: 'enrolled', index: 1 });
    expect((await w.identities.findByAddress(address(3)))?.chain).toBeUndefined();
    expect(w.registrar.calls).toHaveLength(2);
    expect([w.metrics.enrolledCount, w.metrics.sentCount]).toEqual([2, 2]);
  });

  it('adopts an address registered elsewhere without sending it, since that call would revert', async () => {
    const w = await world();
    await w.add(1, 'patient');
    await w.add(2, 'patient');
    w.registrar.preRegister(address(1));
    await w.enrol.step();
    expect(w.registrar.calls).toEqual([{ kind: 'patient', addresses: [address(2)] }]);
    w.registrar.block = 20;
    await w.enrol.step();
    expect((await w.identities.findByAddress(address(1)))?.chain).toEqual({ state: 'enrolled', index: 1 });
    expect((await w.identities.findByAddress(address(2)))?.chain).toEqual({ state: 'enrolled', index: 2 });
  });
});

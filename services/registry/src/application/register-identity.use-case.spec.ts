import { ErrorCode } from '@carechain/contracts';
import { DomainError } from '@carechain/platform';
import { Wallet } from 'ethers';
import { registrationStatement, type Identity } from '../domain/identity';
import { EthersSignatureRecovery } from '../infrastructure/ethers-signature-recovery';
import { InMemoryIdentities } from './identity-repository.fake';
import type { IdentityEvents } from './ports';
import { RegisterIdentityUseCase } from './register-identity.use-case';

class RecordingEvents implements IdentityEvents {
  readonly sent: string[] = [];
  fail = false;
  async registered(identity: Identity) {
    if (this.fail) throw new Error('broker down');
    this.sent.push(identity.address);
  }
}

describe('RegisterIdentityUseCase', () => {
  const now = new Date('2026-11-28T10:00:00Z');
  const wallet = Wallet.createRandom();
  const address = wallet.address.toLowerCase();
  let identities: InMemoryIdentities;
  let events: RecordingEvents;
  let useCase: RegisterIdentityUseCase;

  beforeEach(() => {
    identities = new InMemoryIdentities();
    events = new RecordingEvents();
    useCase = new RegisterIdentityUseCase(identities, new EthersSignatureRecovery(), events);
  });

  async function sign(role: 'patient' | 'user', issuedAt = now, by = wallet) {
    return by.signMessage(registrationStatement(address, role, issuedAt));
  }

  it('registers an address that signed its own statement and publishes the event', async () => {
    const identity = await useCase.execute({ address, role: 'patient', issuedAt: now, signature: await sign('patient') }, now);
    expect(identity.address).toBe(address);
    expect(events.sent).toEqual([address]);
    expect(identities.rows.get(address)?.published).toBe(true);
  });

  it('rejects a signature by another key', async () => {
    const signature = await sign('patient', now, Wallet.createRandom());
    await expect(useCase.execute({ address, role: 'patient', issuedAt: now, signature }, now)).rejects.toMatchObject({
      code: ErrorCode.InvalidSignature,
    });
  });

  it('rejects a statement signed for another role', async () => {
    const signature = await sign('user');
    await expect(useCase.execute({ address, role: 'patient', issuedAt: now, signature }, now)).rejects.toBeInstanceOf(DomainError);
  });

  it('rejects a stale statement and a second registration', async () => {
    const old = new Date(now.getTime() - 10 * 60_000);
    await expect(
      useCase.execute({ address, role: 'patient', issuedAt: old, signature: await sign('patient', old) }, now),
    ).rejects.toMatchObject({ code: ErrorCode.ValidationFailed });
    await useCase.execute({ address, role: 'patient', issuedAt: now, signature: await sign('patient') }, now);
    await expect(
      useCase.execute({ address, role: 'patient', issuedAt: now, signature: await sign('patient') }, now),
    ).rejects.toMatchObject({ code: ErrorCode.Conflict });
  });

  it('keeps the event in the outbox when the broker is down', async () => {
    events.fail = true;
    await useCase.execute({ address, role: 'patient', issuedAt: now, signature: await sign('patient') }, now);
    expect(identities.rows.get(address)?.published).toBe(false);
    expect(await identities.pendingEvents()).toHaveLength(1);
  });
});

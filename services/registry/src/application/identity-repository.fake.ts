import type { Identity } from '../domain/identity';
import type { IdentityRepository } from './ports';

/** In-memory test double of the repository port (unit tests only; excluded from the build). */
export class InMemoryIdentities implements IdentityRepository {
  readonly rows = new Map<string, { identity: Identity; eventId: string; published: boolean; sentAtBlock?: number }>();

  async insertWithPendingEvent(identity: Identity, eventId: string) {
    if (this.rows.has(identity.address)) return false;
    this.rows.set(identity.address, { identity, eventId, published: false });
    return true;
  }
  async findByAddress(address: string) {
    return this.rows.get(address)?.identity;
  }
  async markEventPublished(address: string) {
    this.rows.get(address)!.published = true;
  }
  async pendingEvents() {
    return [...this.rows.values()].filter((r) => !r.published).map(({ identity, eventId }) => ({ identity, eventId }));
  }
  async pendingEnrolments(limit: number) {
    return [...this.rows.values()]
      .filter((r) => r.identity.chain?.state === 'pending')
      .slice(0, limit)
      .map(({ identity, sentAtBlock }) => ({ identity, ...(sentAtBlock !== undefined ? { sentAtBlock } : {}) }));
  }
  async markEnrolled(entries: readonly { address: string; index: number }[]) {
    for (const e of entries) {
      const row = this.rows.get(e.address)!;
      this.rows.set(e.address, { ...row, identity: { ...row.identity, chain: { state: 'enrolled', index: e.index } }, sentAtBlock: undefined });
    }
  }
  async markEnrolmentSent(addresses: readonly string[], atBlock: number) {
    for (const a of addresses) this.rows.get(a)!.sentAtBlock = atBlock;
  }
}

import { PprAnchored, PprReorged } from '@carechain/contracts';
import type { EventPublisher } from '@carechain/platform';
import type { AnchoredAnnouncement, AnchorPublisher, ReorgedAnnouncement } from '../application/ports';
import { operationId } from '../domain/relay-operation';

/** Events per produce request: a full batch's proofs would exceed the broker's 1 MB request batch. */
const CHUNK = 250;

/** The ledger deployment this relay anchors to: the chain it signs for and the contract it calls. */
export interface LedgerOrigin {
  readonly chainId: number;
  readonly ledger: string;
}

/**
 * Publishes `ppr.anchored` and `ppr.reorged` keyed by patient pseudonym, with deterministic
 * event ids (the operation with the transaction, or with the withdrawn block), so a
 * re-announcement after a crash is recognisable. Ids stay under the CloudEvents context's 200
 * characters. Every event names the ledger deployment (chain id and ledger address; optional
 * in the v1 schema, always set here), so consumers of a broker shared by several deployments
 * can skip the others' notices instead of finding them contradicted by their own chain.
 */
export class KafkaAnchorPublisher implements AnchorPublisher {
  /** The ledger address may be checksummed: the events' schema lower-cases it. */
  constructor(
    private readonly events: EventPublisher,
    private readonly origin: LedgerOrigin,
  ) {}

  async anchored(items: readonly AnchoredAnnouncement[]): Promise<void> {
    for (let i = 0; i < items.length; i += CHUNK) {
      await this.events.publishMany(
        PprAnchored,
        items.slice(i, i + CHUNK).map((data) => ({ data: { ...data, ...this.origin }, options: { key: data.patient, subject: data.pprId, id: `${operationId(data)}:${data.txHash}:anchored` } })),
      );
    }
  }

  async reorged(items: readonly ReorgedAnnouncement[]): Promise<void> {
    for (let i = 0; i < items.length; i += CHUNK) {
      await this.events.publishMany(
        PprReorged,
        items
          .slice(i, i + CHUNK)
          .map((data) => ({ data: { ...data, ...this.origin }, options: { key: data.patient, subject: data.pprId, id: `${operationId(data)}:${data.previousBlockHash}:reorged` } })),
      );
    }
  }
}

import { encodeEvent, type EventDefinition } from '@carechain/contracts';
import type { EventPublisher, PublishOptions } from '@carechain/platform';
import type { AnchoredAnnouncement, ReorgedAnnouncement } from '../application/ports';
import { relayOperation } from '../domain/relay-domain.fixtures';
import { KafkaAnchorPublisher } from './kafka-anchor.publisher';

/** Records what would be sent, encoded exactly as the real publisher encodes it (schema-checked). */
function recordingEvents() {
  const sent: { topic: string; data: Record<string, unknown>[] }[] = [];
  const events = {
    async publishMany(definition: EventDefinition, items: { data: unknown; options?: PublishOptions }[]) {
      const records = items.map((item) => encodeEvent(definition, item.data as never, { source: 'carechain://chain-relay', ...item.options }));
      sent.push({ topic: definition.topic, data: records.map((r) => JSON.parse(r.value.toString()) as Record<string, unknown>) });
      return { ids: records.map((r) => r.headers['ce_id']) };
    },
  };
  return { events: events as unknown as EventPublisher, sent };
}

const hash = (n: number) => `0x${n.toString(16).padStart(64, '0')}`;

function anchoredAnnouncement(): AnchoredAnnouncement {
  const op = relayOperation(7);
  return {
    pprId: op.pprId,
    kind: op.kind,
    pprHash: op.pprHash,
    patient: op.patient,
    provider: op.provider,
    blockNumber: 40,
    blockHash: hash(1),
    txHash: hash(2),
    batchRoot: hash(3),
    batchSize: 1,
    leafIndex: 0,
    inclusionProof: [],
    confirmations: 3,
    anchoredAt: '2026-11-28T10:00:00.000Z',
  };
}

function reorgedAnnouncement(): ReorgedAnnouncement {
  const op = relayOperation(7);
  return {
    pprId: op.pprId,
    kind: op.kind,
    pprHash: op.pprHash,
    patient: op.patient,
    provider: op.provider,
    previousBlockNumber: 40,
    previousBlockHash: hash(1),
    previousTxHash: hash(2),
    detectedAt: '2026-11-28T10:00:00.000Z',
  };
}

describe('KafkaAnchorPublisher', () => {
  const origin = { chainId: 1337, ledger: '0x5FbDB2315678afecb367f032d93F642f64180aa3' };

  it('names the provider, the chain and the ledger (lower case) in every ppr.anchored, across produce requests', async () => {
    const { events, sent } = recordingEvents();
    await new KafkaAnchorPublisher(events, origin).anchored(Array.from({ length: 260 }, anchoredAnnouncement));
    expect(sent.map((s) => [s.topic, s.data.length])).toEqual([
      ['ppr.anchored.v1', 250],
      ['ppr.anchored.v1', 10],
    ]);
    const provider = relayOperation(7).provider.toLowerCase();
    for (const data of sent.flatMap((s) => s.data)) expect(data).toMatchObject({ provider, chainId: 1337, ledger: origin.ledger.toLowerCase() });
  });

  it('names them in every ppr.reorged too', async () => {
    const { events, sent } = recordingEvents();
    const withdrawn = [reorgedAnnouncement(), reorgedAnnouncement()];
    await new KafkaAnchorPublisher(events, origin).reorged(withdrawn);
    expect(sent.flatMap((s) => s.data)).toEqual(withdrawn.map((w) => ({ ...w, chainId: 1337, ledger: origin.ledger.toLowerCase() })));
  });
});

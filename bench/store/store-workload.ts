import type mongoose from 'mongoose';
import { EVENTS_PER_PATIENT, eventDocuments, patientOf } from './event-document';
import { type LatencySummary, type LoopBounds, measureLoop, round3 } from './latency';

type Db = mongoose.mongo.Db;
type Events = mongoose.mongo.Collection;

/** Bounds of every loop. Filling is bounded by the run's deadline rather than by a count. */
export interface WorkloadBounds {
  insertBatch: number;
  uniqueKey: LoopBounds;
  nonUniqueQuery: LoopBounds;
}

/**
 * Default bounds: enough operations for a stable median and p95 where operations are fast, and
 * few (but at least minOps) where a server needs seconds per operation, so that a full run on a
 * busy 2-core machine ends well under 15 minutes.
 */
export const DEFAULT_BOUNDS: WorkloadBounds = {
  insertBatch: 1000,
  uniqueKey: { warmupOps: 10, maxOps: 200, minOps: 3, budgetMs: 10_000 },
  nonUniqueQuery: { warmupOps: 3, maxOps: 100, minOps: 2, budgetMs: 10_000 },
};

/** Results for one candidate at one collection size. Every figure was measured, none estimated. */
export interface SizeResult {
  documents: number;
  insert_many: {
    batch_size: number;
    /** Documents inserted to grow the collection from the previous size to this one. */
    inserted: number;
    /** Mean over those documents. */
    us_per_doc: number;
    /** The last batch alone: the insert cost at this collection size. */
    last_batch_us_per_doc: number;
    total_s: number;
  };
  unique_read: LatencySummary;
  unique_update: LatencySummary;
  non_unique_query: LatencySummary & { docs_per_result: number; plan: string };
}

/** A size that was not measured, and why. */
export interface SizeFailure {
  error: string;
}

/** The server's own account of how it answers the non-unique query, shortened; 'unsupported' if it has none. */
async function describePlan(events: Events, patient: string): Promise<string> {
  try {
    const explained = await events.find({ patient }).explain();
    const planner = (explained as { queryPlanner?: unknown }).queryPlanner ?? explained;
    return JSON.stringify(planner).slice(0, 400);
  } catch (error) {
    return `unsupported: ${(error as Error).message.slice(0, 120)}`;
  }
}

/**
 * Measures the event log at each of `sizes` (ascending) as it grows in one collection: grow
 * by insertMany, then time a read and an update by eventId and a query by patient, one request
 * at a time. Both indexes (unique eventId, non-unique patient) exist before the first insert,
 * as in the services. Each operation checks its answer, so a server that silently misses a
 * document fails the run instead of looking fast. Stops growing at `deadline` (epoch ms) and
 * reports the sizes it could not reach as failures.
 */
export async function measureGrowingLog(
  db: Db,
  sizes: readonly number[],
  bounds: WorkloadBounds,
  deadline: number,
  log: (line: string) => void,
): Promise<Record<string, SizeResult | SizeFailure>> {
  const events = db.collection('events');
  await events.createIndex({ eventId: 1 }, { unique: true });
  await events.createIndex({ patient: 1 });

  const results: Record<string, SizeResult | SizeFailure> = {};
  const eventIds: string[] = [];
  for (const size of sizes) {
    const grownFrom = eventIds.length;
    const insertStarted = performance.now();
    let lastBatchUsPerDoc = 0;
    while (eventIds.length < size && Date.now() < deadline) {
      const batch = eventDocuments(eventIds.length, Math.min(bounds.insertBatch, size - eventIds.length));
      const t0 = performance.now();
      const inserted = await events.insertMany(batch, { ordered: true });
      lastBatchUsPerDoc = ((performance.now() - t0) * 1000) / batch.length;
      if (inserted.insertedCount !== batch.length) throw new Error(`insertMany stored ${inserted.insertedCount} of ${batch.length}`);
      for (const doc of batch) eventIds.push(doc.eventId);
      if (eventIds.length % 10_000 === 0) log(`  ${eventIds.length} documents (last batch ${Math.round(lastBatchUsPerDoc)} µs/doc)`);
    }
    if (eventIds.length < size) {
      results[String(size)] = { error: `not reached: the run's time budget ran out while inserting, at ${eventIds.length} documents` };
      break;
    }
    const insertMs = performance.now() - insertStarted;
    const counted = await events.countDocuments();
    if (counted !== size) throw new Error(`collection holds ${counted} documents, expected ${size}`);

    // A fixed stride through the keys touches old and new documents alike, deterministically.
    const keyAt = (i: number) => eventIds[(i * 7919) % size];
    const patientAt = (i: number) => patientOf((i * 7919) % size);

    log(`  ${size}: unique-key read`);
    const uniqueRead = await measureLoop(async (i) => {
      const eventId = keyAt(i);
      const found = await events.findOne({ eventId });
      if (found?.eventId !== eventId) throw new Error(`findOne missed eventId ${eventId}`);
    }, bounds.uniqueKey);

    log(`  ${size}: unique-key update`);
    const uniqueUpdate = await measureLoop(async (i) => {
      const updated = await events.updateOne({ eventId: keyAt(i) }, { $set: { status: 'acknowledged', acknowledgedAt: new Date() } });
      if (updated.matchedCount !== 1) throw new Error(`updateOne matched ${updated.matchedCount} documents`);
    }, bounds.uniqueKey);

    log(`  ${size}: non-unique-index query`);
    let returned = 0;
    let queries = 0;
    const nonUnique = await measureLoop(async (i) => {
      const docs = await events.find({ patient: patientAt(i) }).toArray();
      if (docs.length !== EVENTS_PER_PATIENT) throw new Error(`query by patient returned ${docs.length} documents, expected ${EVENTS_PER_PATIENT}`);
      returned += docs.length;
      queries += 1;
    }, bounds.nonUniqueQuery);

    results[String(size)] = {
      documents: size,
      insert_many: {
        batch_size: bounds.insertBatch,
        inserted: size - grownFrom,
        us_per_doc: round3((insertMs * 1000) / (size - grownFrom)),
        last_batch_us_per_doc: round3(lastBatchUsPerDoc),
        total_s: round3(insertMs / 1000),
      },
      unique_read: uniqueRead,
      unique_update: uniqueUpdate,
      non_unique_query: { ...nonUnique, docs_per_result: Math.round(returned / queries), plan: await describePlan(events, patientAt(0)) },
    };
  }
  for (const size of sizes) results[String(size)] ??= { error: 'not reached: an earlier size did not finish' };
  return results;
}

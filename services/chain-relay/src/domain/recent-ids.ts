/**
 * The newest `capacity` operation ids (`operationId`), oldest evicted first: the relay's
 * in-process dedupe of duplicate requests. Bounded on purpose; redeliveries from Kafka (a restart, a partition moving
 * to another instance) are caught by the store's unique intake ids, not by this window.
 */
export class RecentIds {
  private readonly ids = new Set<string>();

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer: ${capacity}`);
  }

  get size(): number {
    return this.ids.size;
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }

  add(id: string): void {
    if (this.ids.has(id)) return;
    this.ids.add(id);
    // A Set iterates in insertion order, so its first element is the oldest.
    if (this.ids.size > this.capacity) this.ids.delete(this.ids.values().next().value!);
  }
}

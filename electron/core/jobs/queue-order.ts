import type { QueuedRef } from './dispatch-decision';

/** A queued job's place: higher priority first, then position (drag order), then the order it was queued. */
export interface OrderedEntry extends QueuedRef {
  priority: number;
  position: number;
  seq: number;
}

export function compareEntries(a: OrderedEntry, b: OrderedEntry): number {
  return b.priority - a.priority || a.position - b.position || a.seq - b.seq;
}

/**
 * The queued jobs kept sorted in dispatch order, so a dispatch decision never sorts. Inserts use a binary
 * search; removals are rare enough (a start, a cancel) that a linear scan is fine at 10 000 jobs.
 */
export class QueueOrder {
  private readonly items: OrderedEntry[] = [];
  private readonly byId = new Map<string, OrderedEntry>();

  get size(): number {
    return this.items.length;
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  get(id: string): OrderedEntry | undefined {
    return this.byId.get(id);
  }

  insert(entry: OrderedEntry): void {
    if (this.byId.has(entry.id)) this.remove(entry.id);
    let lo = 0;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareEntries(this.items[mid]!, entry) <= 0) lo = mid + 1;
      else hi = mid;
    }
    this.items.splice(lo, 0, entry);
    this.byId.set(entry.id, entry);
  }

  remove(id: string): OrderedEntry | undefined {
    const entry = this.byId.get(id);
    if (!entry) return undefined;
    this.byId.delete(id);
    const at = this.items.indexOf(entry);
    if (at >= 0) this.items.splice(at, 1);
    return entry;
  }

  /** In dispatch order. */
  values(): readonly OrderedEntry[] {
    return this.items;
  }

  indexOf(id: string): number {
    const entry = this.byId.get(id);
    return entry ? this.items.indexOf(entry) : -1;
  }
}

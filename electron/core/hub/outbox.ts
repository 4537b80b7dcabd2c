import { randomUUID } from 'node:crypto';
import type { Db } from '../store/database';

/** A message the cloud must acknowledge (`job_event`), as queued: `event_id` names it for the ack. */
export interface OutboxEntry {
  seq: number;
  eventId: string;
  message: Record<string, unknown> & { type: string; event_id: string };
}

/**
 * What the hub owes the cloud, in the hub's own database (cloud-hub.md "Offline and crash rules"): each entry is
 * committed before anything is sent, delivered in order, and deleted only when the cloud acknowledges its
 * `event_id`. A crash, a dropped socket or a week offline loses nothing; the cloud applies each event once, so
 * sending one twice (an ack lost on the way) is harmless.
 */
export class HubOutbox {
  constructor(
    private readonly db: Db,
    private readonly now: () => number,
  ) {}

  /** Queues a message; its `event_id` is made here. Returns the entry as stored. */
  add(message: Record<string, unknown> & { type: string }): OutboxEntry {
    const eventId = randomUUID();
    const full = { ...message, event_id: eventId };
    const info = this.db.prepare('INSERT INTO hub_outbox (event_id, message_json, created_at) VALUES (?, ?, ?)').run(eventId, JSON.stringify(full), this.now());
    return { seq: Number(info.lastInsertRowid), eventId, message: full };
  }

  /** The oldest undelivered entries, in order, after `afterSeq` (to page through a long backlog). */
  pending(limit: number, afterSeq = 0): OutboxEntry[] {
    const rows = this.db.prepare('SELECT seq, event_id, message_json FROM hub_outbox WHERE seq > ? ORDER BY seq LIMIT ?').all(afterSeq, limit) as {
      seq: number;
      event_id: string;
      message_json: string;
    }[];
    return rows.map((r) => ({ seq: r.seq, eventId: r.event_id, message: JSON.parse(r.message_json) as OutboxEntry['message'] }));
  }

  /** The cloud has it: forget it. False when it was not (or no longer) queued. */
  ack(eventId: string): boolean {
    return this.db.prepare('DELETE FROM hub_outbox WHERE event_id = ?').run(eventId).changes > 0;
  }

  depth(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM hub_outbox').get() as { n: number }).n;
  }
}

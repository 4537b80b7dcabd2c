import { randomUUID } from 'node:crypto';
import type { MaterialConflict, MaterialConflictChange } from '../../contract/material-sync-types';
import type { SpoolView } from '../../contract/materials-types';
import type { Db } from '../../store/database';
import type { SyncedFields } from './filament-mapping';

export interface MaterialLink {
  spoolId: string;
  cloudId: string;
  /** The spool's updated_at the cloud has: a spool updated after it has an edit waiting to go. */
  localSyncedAt: number;
  /** The cloud's updated_at as last seen (its string as sent): a record whose updated_at differs was edited there. */
  cloudUpdatedAt: string;
  /** The record no longer exists: deleted in the cloud (archived here), or deleted there because archived here. */
  goneAt: number | null;
  goneBy: 'cloud' | 'local' | null;
}

interface LinkRow {
  spool_id: string;
  cloud_id: string;
  local_synced_at: number;
  cloud_updated_at: string;
  gone_at: number | null;
  gone_by: 'cloud' | 'local' | null;
}

const toLink = (r: LinkRow): MaterialLink => ({
  spoolId: r.spool_id,
  cloudId: r.cloud_id,
  localSyncedAt: r.local_synced_at,
  cloudUpdatedAt: r.cloud_updated_at,
  goneAt: r.gone_at,
  goneBy: r.gone_by,
});

export interface OutboxEntry {
  spoolId: string;
  idemKey: string;
  queuedAt: number;
  attempts: number;
}

/**
 * Whether a spool has something the cloud does not: new here (and not archived), edited since it was last in step,
 * or archived/restored since. A spool archived here whose record is already gone has nothing to send.
 */
export function isDirty(spool: Pick<SpoolView, 'updatedAt' | 'archived'>, link: MaterialLink | null): boolean {
  if (link === null) return !spool.archived;
  if (link.goneAt !== null && spool.archived) return false;
  return spool.updatedAt > link.localSyncedAt || (link.goneAt !== null && !spool.archived);
}

/** The sync's three tables (migration 15): links, the outbox, the conflicts. Callers own transactions. */
export class SyncStore {
  constructor(private readonly db: Db) {}

  link(spoolId: string): MaterialLink | null {
    const row = this.db.prepare('SELECT * FROM material_links WHERE spool_id = ?').get(spoolId) as LinkRow | undefined;
    return row ? toLink(row) : null;
  }

  linkByCloudId(cloudId: string): MaterialLink | null {
    const row = this.db.prepare('SELECT * FROM material_links WHERE cloud_id = ?').get(cloudId) as LinkRow | undefined;
    return row ? toLink(row) : null;
  }

  links(): MaterialLink[] {
    return (this.db.prepare('SELECT * FROM material_links').all() as LinkRow[]).map(toLink);
  }

  /** Links the spool to a cloud record, replacing any earlier link of the spool (a restored spool gets a new record). */
  setLink(l: Omit<MaterialLink, 'goneAt' | 'goneBy'> & { goneAt?: number | null; goneBy?: 'cloud' | 'local' | null }): void {
    this.db
      .prepare(
        `INSERT INTO material_links (spool_id, cloud_id, local_synced_at, cloud_updated_at, gone_at, gone_by) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT(spool_id) DO UPDATE SET cloud_id = excluded.cloud_id, local_synced_at = excluded.local_synced_at,
           cloud_updated_at = excluded.cloud_updated_at, gone_at = excluded.gone_at, gone_by = excluded.gone_by`,
      )
      .run(l.spoolId, l.cloudId, l.localSyncedAt, l.cloudUpdatedAt, l.goneAt ?? null, l.goneBy ?? null);
  }

  /** Queues a spool (idempotent: a spool waiting already keeps its place and its create key). */
  enqueue(spoolId: string, at: number): void {
    this.db.prepare('INSERT INTO material_outbox (spool_id, idem_key, queued_at) VALUES (?, ?, ?) ON CONFLICT(spool_id) DO NOTHING').run(spoolId, randomUUID(), at);
  }

  dequeue(spoolId: string): void {
    this.db.prepare('DELETE FROM material_outbox WHERE spool_id = ?').run(spoolId);
  }

  /** A create was answered and linked: the next create of this spool (after a restore) gets a fresh key. */
  renewKey(spoolId: string): void {
    this.db.prepare('UPDATE material_outbox SET idem_key = ? WHERE spool_id = ?').run(randomUUID(), spoolId);
  }

  attempted(spoolId: string): void {
    this.db.prepare('UPDATE material_outbox SET attempts = attempts + 1 WHERE spool_id = ?').run(spoolId);
  }

  outbox(): OutboxEntry[] {
    return (
      this.db.prepare('SELECT * FROM material_outbox ORDER BY queued_at, spool_id').all() as { spool_id: string; idem_key: string; queued_at: number; attempts: number }[]
    ).map((r) => ({ spoolId: r.spool_id, idemKey: r.idem_key, queuedAt: r.queued_at, attempts: r.attempts }));
  }

  pending(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM material_outbox').get() as { n: number }).n;
  }

  addConflict(c: {
    spoolId: string;
    cloudId: string;
    winner: 'cloud' | 'local';
    winnerEditedAt: number;
    loserEditedAt: number;
    loser: SyncedFields & { archived?: boolean };
    changes: MaterialConflictChange[];
    at: number;
  }): void {
    this.db
      .prepare(
        `INSERT INTO material_conflicts (spool_id, cloud_id, winner, winner_edited_at, loser_edited_at, loser_json, changes_json, resolved_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(c.spoolId, c.cloudId, c.winner, c.winnerEditedAt, c.loserEditedAt, JSON.stringify(c.loser), JSON.stringify(c.changes), c.at);
  }

  conflictCount(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM material_conflicts').get() as { n: number }).n;
  }

  conflicts(limit: number, label: (spoolId: string) => string): MaterialConflict[] {
    const rows = this.db.prepare('SELECT * FROM material_conflicts ORDER BY id DESC LIMIT ?').all(limit) as {
      id: number;
      spool_id: string;
      cloud_id: string;
      winner: 'cloud' | 'local';
      winner_edited_at: number;
      loser_edited_at: number;
      changes_json: string;
      resolved_at: number;
    }[];
    return rows.map((r) => ({
      id: r.id,
      spoolId: r.spool_id,
      spoolLabel: label(r.spool_id),
      cloudId: r.cloud_id,
      winner: r.winner,
      winnerEditedAt: r.winner_edited_at,
      loserEditedAt: r.loser_edited_at,
      changes: JSON.parse(r.changes_json) as MaterialConflictChange[],
      resolvedAt: r.resolved_at,
    }));
  }
}

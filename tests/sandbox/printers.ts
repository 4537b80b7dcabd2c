import { createHash } from 'node:crypto';
import { newId } from './keys';
import type { PrinterStatus } from './lifecycle';
import type { Db } from './store';

/** A printer as the database and the routes see it; timestamps in epoch ms. */
export interface PrinterRecord {
  id: string;
  name: string;
  status: PrinterStatus;
  model: string;
  firmware: string | null;
  temperatures: { hotend: number; bed: number };
  currentJob: string | null;
  progress: number;
  group: string | null;
  tags: string[];
  /** Set when a hub published the printer: the hub, the hub's own id for it, and how the hub reaches it. */
  hubId: string | null;
  localId: string | null;
  connectionType: ConnectionType | null;
  /** The hub's last printer_status beyond what the common fields hold, as received. */
  hubReport: Record<string, unknown> | null;
  createdAt: number;
  updatedAt: number;
}

export const CONNECTION_TYPES = ['usb', 'octoprint', 'moonraker', 'prusalink', 'bambu', 'virtual'] as const;
export type ConnectionType = (typeof CONNECTION_TYPES)[number];

export interface NewPrinter {
  name: string;
  model: string;
  status: PrinterStatus;
  firmware: string | null;
  group: string | null;
  tags: string[];
  connectionUrl: string | null;
  /** The printer's own (OctoPrint-style) key; stored hashed, never returned. */
  apiKey: string | null;
  hubId?: string | null;
  localId?: string | null;
  connectionType?: ConnectionType | null;
}

export type PrinterChanges = Partial<Omit<PrinterRecord, 'id' | 'createdAt' | 'updatedAt' | 'hubId' | 'localId'> & { connectionUrl: string | null; apiKey: string | null }>;

export interface PrinterFilter {
  status?: PrinterStatus;
  group?: string;
  tag?: string;
}

const AMBIENT_C = 22;

interface PrinterRow {
  id: string;
  name: string;
  status: string;
  model: string;
  firmware: string | null;
  hotend: number;
  bed: number;
  current_job: string | null;
  progress: number;
  grp: string | null;
  tags: string;
  hub_id: string | null;
  local_id: string | null;
  connection_type: string | null;
  hub_report: string | null;
  created_at: number;
  updated_at: number;
}

function toRecord(row: PrinterRow): PrinterRecord {
  return {
    id: row.id,
    name: row.name,
    status: row.status as PrinterStatus,
    model: row.model,
    firmware: row.firmware,
    temperatures: { hotend: row.hotend, bed: row.bed },
    currentJob: row.current_job,
    progress: row.progress,
    group: row.grp,
    tags: JSON.parse(row.tags) as string[],
    hubId: row.hub_id,
    localId: row.local_id,
    connectionType: row.connection_type as ConnectionType | null,
    hubReport: row.hub_report === null ? null : (JSON.parse(row.hub_report) as Record<string, unknown>),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function hashSecret(secret: string | null): Buffer | null {
  return secret === null ? null : createHash('sha256').update(secret, 'utf8').digest();
}

export class PrinterRepo {
  constructor(
    private readonly db: Db,
    private readonly now: () => number,
  ) {}

  create(p: NewPrinter): PrinterRecord {
    const id = newId('prt_');
    const now = this.now();
    this.db
      .prepare(
        `INSERT INTO printers (id, name, status, model, firmware, hotend, bed, current_job, progress, grp, tags,
           connection_url, api_key_hash, hub_id, local_id, connection_type, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, NULL, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        id,
        p.name,
        p.status,
        p.model,
        p.firmware,
        AMBIENT_C,
        AMBIENT_C,
        p.group,
        JSON.stringify(p.tags),
        p.connectionUrl,
        hashSecret(p.apiKey),
        p.hubId ?? null,
        p.localId ?? null,
        p.connectionType ?? null,
        now,
        now,
      );
    return this.get(id)!;
  }

  /** The printer a hub published under its own id, if any: what makes publishing idempotent. */
  findPublished(hubId: string, localId: string): PrinterRecord | null {
    const row = this.db.prepare<[string, string], PrinterRow>('SELECT * FROM printers WHERE hub_id = ? AND local_id = ?').get(hubId, localId);
    return row ? toRecord(row) : null;
  }

  /** Every printer of a hub goes offline with it (unlinked, or its socket lost). */
  /** A hub added the printer the cloud configured and said its own id for it: publishing it again finds this one. */
  setLocalId(id: string, hubId: string, localId: string): void {
    // The hub's printer now answers to this record: a record that named it before (configured twice) lets go.
    this.db.prepare('UPDATE printers SET local_id = NULL, updated_at = ? WHERE hub_id = ? AND local_id = ? AND id != ?').run(this.now(), hubId, localId, id);
    this.db.prepare('UPDATE printers SET local_id = ?, updated_at = ? WHERE id = ? AND hub_id = ?').run(localId, this.now(), id, hubId);
  }

  markHubPrintersOffline(hubId: string): void {
    this.db.prepare(`UPDATE printers SET status = 'offline', updated_at = ? WHERE hub_id = ?`).run(this.now(), hubId);
  }

  get(id: string): PrinterRecord | null {
    const row = this.db.prepare<[string], PrinterRow>('SELECT * FROM printers WHERE id = ?').get(id);
    return row ? toRecord(row) : null;
  }

  list(filter: PrinterFilter, page: number, perPage: number): { items: PrinterRecord[]; total: number } {
    const where: string[] = [];
    const args: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      where.push(sql);
      args.push(value);
    };
    if (filter.status !== undefined) add('status = ?', filter.status);
    if (filter.group !== undefined) add('grp = ?', filter.group);
    if (filter.tag !== undefined) {
      where.push('EXISTS (SELECT 1 FROM json_each(printers.tags) WHERE json_each.value = ?)');
      args.push(filter.tag);
    }
    const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    const total = (this.db.prepare(`SELECT COUNT(*) AS n FROM printers ${clause}`).get(...args) as { n: number }).n;
    const rows = this.db.prepare<unknown[], PrinterRow>(`SELECT * FROM printers ${clause} ORDER BY seq LIMIT ? OFFSET ?`).all(...args, perPage, (page - 1) * perPage);
    return { items: rows.map(toRecord), total };
  }

  update(id: string, changes: PrinterChanges): PrinterRecord | null {
    const sets: string[] = [];
    const args: unknown[] = [];
    const set = (column: string, value: unknown) => (sets.push(`${column} = ?`), args.push(value));
    if (changes.name !== undefined) set('name', changes.name);
    if (changes.status !== undefined) set('status', changes.status);
    if (changes.model !== undefined) set('model', changes.model);
    if (changes.firmware !== undefined) set('firmware', changes.firmware);
    if (changes.temperatures !== undefined) {
      set('hotend', changes.temperatures.hotend);
      set('bed', changes.temperatures.bed);
    }
    if (changes.currentJob !== undefined) set('current_job', changes.currentJob);
    if (changes.progress !== undefined) set('progress', changes.progress);
    if (changes.group !== undefined) set('grp', changes.group);
    if (changes.tags !== undefined) set('tags', JSON.stringify(changes.tags));
    if (changes.connectionUrl !== undefined) set('connection_url', changes.connectionUrl);
    if (changes.apiKey !== undefined) set('api_key_hash', hashSecret(changes.apiKey));
    if (changes.connectionType !== undefined) set('connection_type', changes.connectionType);
    if (changes.hubReport !== undefined) set('hub_report', changes.hubReport === null ? null : JSON.stringify(changes.hubReport));
    set('updated_at', this.now());
    const result = this.db.prepare(`UPDATE printers SET ${sets.join(', ')} WHERE id = ?`).run(...args, id);
    return result.changes > 0 ? this.get(id) : null;
  }

  delete(id: string): boolean {
    return this.db.prepare('DELETE FROM printers WHERE id = ?').run(id).changes > 0;
  }
}

export const AMBIENT_TEMPERATURE_C = AMBIENT_C;

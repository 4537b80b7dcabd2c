import { newId } from './keys';
import type { Db } from './store';

/**
 * Filament records (research/apf-api.md §5, `/materials/filament`). The real product keeps a cost and a reorder
 * link beside each record, but the public API never shows or takes them, so the sandbox has no column for them.
 */
export interface FilamentRecord {
  id: string;
  type: string;
  color: string;
  hexCode: string | null;
  brand: string | null;
  diameter: string;
  remainingGrams: number;
  spoolWeightGrams: number;
  lowThreshold: number;
  location: string | null;
  createdAt: number;
  updatedAt: number;
}

export const FILAMENT_STATUSES = ['in_stock', 'low', 'out_of_stock'] as const;
export type FilamentStatus = (typeof FILAMENT_STATUSES)[number];

/** Computed by the server on every read, as the real product does on every write (§5: `status (server-computed)`). */
export function filamentStatus(r: Pick<FilamentRecord, 'remainingGrams' | 'lowThreshold'>): FilamentStatus {
  if (r.remainingGrams === 0) return 'out_of_stock';
  if (r.lowThreshold > 0 && r.remainingGrams <= r.lowThreshold) return 'low';
  return 'in_stock';
}

export type NewFilament = Omit<FilamentRecord, 'id' | 'createdAt' | 'updatedAt'>;
export type FilamentChanges = Partial<NewFilament>;

export interface FilamentFilter {
  lowStock?: boolean;
  materialType?: string;
  color?: string;
}

interface FilamentRow {
  id: string;
  type: string;
  color: string;
  hex_code: string | null;
  brand: string | null;
  diameter: string;
  remaining_grams: number;
  spool_weight_grams: number;
  low_threshold: number;
  location: string | null;
  created_at: number;
  updated_at: number;
}

const toRecord = (r: FilamentRow): FilamentRecord => ({
  id: r.id,
  type: r.type,
  color: r.color,
  hexCode: r.hex_code,
  brand: r.brand,
  diameter: r.diameter,
  remainingGrams: r.remaining_grams,
  spoolWeightGrams: r.spool_weight_grams,
  lowThreshold: r.low_threshold,
  location: r.location,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const COLUMNS: Record<keyof NewFilament, string> = {
  type: 'type',
  color: 'color',
  hexCode: 'hex_code',
  brand: 'brand',
  diameter: 'diameter',
  remainingGrams: 'remaining_grams',
  spoolWeightGrams: 'spool_weight_grams',
  lowThreshold: 'low_threshold',
  location: 'location',
};

/** How long a POST's Idempotency-Key is remembered (ours, as Stripe does). */
const IDEMPOTENCY_TTL_MS = 24 * 3600_000;

export class FilamentRepo {
  constructor(
    private readonly db: Db,
    private readonly now: () => number,
  ) {}

  get(id: string): FilamentRecord | null {
    const row = this.db.prepare('SELECT * FROM filaments WHERE id = ?').get(id) as FilamentRow | undefined;
    return row ? toRecord(row) : null;
  }

  /** Newest first, like the real list (`ORDER BY created_at DESC`). */
  list(filter: FilamentFilter, page: number, perPage: number): { items: FilamentRecord[]; total: number } {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (filter.lowStock) where.push('remaining_grams <= low_threshold');
    if (filter.materialType !== undefined) {
      where.push('type = ?');
      args.push(filter.materialType);
    }
    if (filter.color !== undefined) {
      where.push('color = ?');
      args.push(filter.color);
    }
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const total = (this.db.prepare(`SELECT COUNT(*) AS n FROM filaments ${clause}`).get(...args) as { n: number }).n;
    const rows = this.db
      .prepare(`SELECT * FROM filaments ${clause} ORDER BY created_at DESC, seq DESC LIMIT ? OFFSET ?`)
      .all(...args, perPage, (page - 1) * perPage) as FilamentRow[];
    return { items: rows.map(toRecord), total };
  }

  create(f: NewFilament): FilamentRecord {
    const id = newId('fil_');
    const at = this.now();
    this.db
      .prepare(
        `INSERT INTO filaments (id, type, color, hex_code, brand, diameter, remaining_grams, spool_weight_grams, low_threshold, location, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(id, f.type, f.color, f.hexCode, f.brand, f.diameter, f.remainingGrams, f.spoolWeightGrams, f.lowThreshold, f.location, at, at);
    return this.get(id)!;
  }

  update(id: string, changes: FilamentChanges): FilamentRecord | null {
    const sets: string[] = [];
    const args: (string | number | null)[] = [];
    for (const [field, column] of Object.entries(COLUMNS) as [keyof NewFilament, string][]) {
      if (changes[field] === undefined) continue;
      sets.push(`${column} = ?`);
      args.push(changes[field]);
    }
    sets.push('updated_at = ?');
    args.push(this.now());
    const r = this.db.prepare(`UPDATE filaments SET ${sets.join(', ')} WHERE id = ?`).run(...args, id);
    return r.changes === 1 ? this.get(id) : null;
  }

  delete(id: string): boolean {
    return this.db.prepare('DELETE FROM filaments WHERE id = ?').run(id).changes === 1;
  }

  /** The record a POST with this Idempotency-Key made for this caller, within the last 24 hours (ours). */
  idempotent(callerId: string, key: string): string | null {
    const row = this.db.prepare('SELECT filament_id, created_at FROM filament_idempotency WHERE caller_id = ? AND idem_key = ?').get(callerId, key) as
      { filament_id: string; created_at: number } | undefined;
    return row && row.created_at + IDEMPOTENCY_TTL_MS > this.now() ? row.filament_id : null;
  }

  rememberIdempotent(callerId: string, key: string, filamentId: string): void {
    this.db
      .prepare(
        `INSERT INTO filament_idempotency (caller_id, idem_key, filament_id, created_at) VALUES (?, ?, ?, ?)
         ON CONFLICT(caller_id, idem_key) DO UPDATE SET filament_id = excluded.filament_id, created_at = excluded.created_at`,
      )
      .run(callerId, key, filamentId, this.now());
  }
}

import type { HexColour, SpoolFields, SpoolPlace, SpoolUsageEntry, SpoolView } from '../contract/materials-types';
import type { Db } from '../store/database';

interface SpoolRow {
  id: string;
  material: string;
  brand: string;
  colour_hex: string;
  colour_name: string;
  diameter_mm: number;
  density_g_cm3: number;
  net_weight_g: number;
  remaining_g: number;
  cost: number | null;
  lot: string;
  archived_at: number | null;
  created_at: number;
  updated_at: number;
  printer_id: string | null;
  slot: number | null;
  spoolman_id: number | null;
  spoolman_missing_at: number | null;
}

interface UsageRow {
  job_id: string;
  slot: number;
  spool_id: string;
  printer_id: string;
  fraction: number | null;
  grams: number | null;
  deducted_at: number | null;
}

function fromRow(r: SpoolRow): SpoolView {
  return {
    id: r.id,
    material: r.material,
    brand: r.brand,
    colourHex: r.colour_hex as HexColour,
    colourName: r.colour_name,
    diameterMm: r.diameter_mm,
    densityGCm3: r.density_g_cm3,
    netWeightG: r.net_weight_g,
    remainingG: r.remaining_g,
    cost: r.cost,
    lot: r.lot,
    archived: r.archived_at !== null,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    loadedOn: r.printer_id !== null && r.slot !== null ? { printerId: r.printer_id, slot: r.slot } : null,
    spoolman: r.spoolman_id !== null ? { id: r.spoolman_id, missing: r.spoolman_missing_at !== null } : null,
  };
}

/** Our id for the mirror of Spoolman's spool `n`. */
export function mirrorId(spoolmanId: number): string {
  return `spoolman-${spoolmanId}`;
}

const SELECT = `SELECT s.*, p.printer_id, p.slot FROM spools s LEFT JOIN printer_spools p ON p.spool_id = s.id`;

/** The spool tables: spools, what is loaded where, and each job's use. Callers wrap multi-step changes in a transaction. */
export class SpoolStore {
  constructor(private readonly db: Db) {}

  all(): SpoolView[] {
    return (this.db.prepare(`${SELECT} ORDER BY s.created_at, s.id`).all() as SpoolRow[]).map(fromRow);
  }

  get(id: string): SpoolView | null {
    const row = this.db.prepare(`${SELECT} WHERE s.id = ?`).get(id) as SpoolRow | undefined;
    return row ? fromRow(row) : null;
  }

  insert(id: string, f: SpoolFields, at: number): void {
    this.db
      .prepare(
        `INSERT INTO spools (id, material, brand, colour_hex, colour_name, diameter_mm, density_g_cm3, net_weight_g, remaining_g, cost, lot, created_at, updated_at)
         VALUES (@id, @material, @brand, @colourHex, @colourName, @diameterMm, @densityGCm3, @netWeightG, @remainingG, @cost, @lot, @at, @at)`,
      )
      .run({ id, ...f, at });
  }

  update(id: string, f: SpoolFields, at: number): void {
    this.db
      .prepare(
        `UPDATE spools SET material = @material, brand = @brand, colour_hex = @colourHex, colour_name = @colourName, diameter_mm = @diameterMm,
           density_g_cm3 = @densityGCm3, net_weight_g = @netWeightG, remaining_g = @remainingG, cost = @cost, lot = @lot, updated_at = @at WHERE id = @id`,
      )
      .run({ id, ...f, at });
  }

  setArchived(id: string, archivedAt: number | null, at: number): void {
    this.db.prepare('UPDATE spools SET archived_at = ?, updated_at = ? WHERE id = ?').run(archivedAt, at, id);
  }

  /**
   * Writes a Spoolman spool's mirror as Spoolman stated it (a new one is inserted); `remainingG` is already less what
   * is still waiting to be sent. Answers whether anything the UI shows changed.
   */
  mirror(spoolmanId: number, f: SpoolFields, archived: boolean, at: number): boolean {
    const id = mirrorId(spoolmanId);
    const before = this.get(id);
    if (!before) {
      this.insert(id, f, at);
      this.db.prepare('UPDATE spools SET spoolman_id = ?, archived_at = ? WHERE id = ?').run(spoolmanId, archived ? at : null, id);
      return true;
    }
    const same = (Object.keys(f) as (keyof SpoolFields)[]).every((k) => before[k] === f[k]) && before.archived === archived && !before.spoolman?.missing;
    if (same) return false;
    this.update(id, f, at);
    this.db.prepare('UPDATE spools SET archived_at = ?, spoolman_missing_at = NULL WHERE id = ?').run(archived ? (before.archived ? this.archivedAt(id) : at) : null, id);
    return true;
  }

  /** Spoolman answered 404 for this spool: it was deleted there. The mirror stays, so its history still reads. */
  markSpoolmanMissing(spoolmanId: number, at: number): string | null {
    const r = this.db.prepare('UPDATE spools SET spoolman_missing_at = ?, updated_at = ? WHERE spoolman_id = ? AND spoolman_missing_at IS NULL').run(at, at, spoolmanId);
    return r.changes === 1 ? mirrorId(spoolmanId) : null;
  }

  /** The Spoolman ids we mirror. */
  mirroredSpoolmanIds(): number[] {
    return (this.db.prepare('SELECT spoolman_id FROM spools WHERE spoolman_id IS NOT NULL').all() as { spoolman_id: number }[]).map((r) => r.spoolman_id);
  }

  private archivedAt(id: string): number | null {
    return (this.db.prepare('SELECT archived_at FROM spools WHERE id = ?').get(id) as { archived_at: number | null } | undefined)?.archived_at ?? null;
  }

  setRemaining(id: string, remainingG: number, at: number): void {
    this.db.prepare('UPDATE spools SET remaining_g = ?, updated_at = ? WHERE id = ?').run(remainingG, at, id);
  }

  /** The spool in a printer's slot, if any. */
  inSlot(place: SpoolPlace): string | null {
    const row = this.db.prepare('SELECT spool_id FROM printer_spools WHERE printer_id = ? AND slot = ?').get(place.printerId, place.slot) as { spool_id: string } | undefined;
    return row?.spool_id ?? null;
  }

  place(spoolId: string, at: SpoolPlace, loadedAt: number): void {
    this.db.prepare('DELETE FROM printer_spools WHERE spool_id = ? OR (printer_id = ? AND slot = ?)').run(spoolId, at.printerId, at.slot);
    this.db.prepare('INSERT INTO printer_spools (printer_id, slot, spool_id, loaded_at) VALUES (?, ?, ?, ?)').run(at.printerId, at.slot, spoolId, loadedAt);
  }

  clearSlot(at: SpoolPlace): void {
    this.db.prepare('DELETE FROM printer_spools WHERE printer_id = ? AND slot = ?').run(at.printerId, at.slot);
  }

  /** Which spools were on a printer when a job started; written again if the same job starts again before it ends. */
  claim(jobId: string, printerId: string, slots: { slot: number; spoolId: string }[], at: number): void {
    const stmt = this.db.prepare(
      `INSERT INTO spool_usage (job_id, slot, spool_id, printer_id, started_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT(job_id, slot) DO UPDATE SET spool_id = excluded.spool_id, printer_id = excluded.printer_id, started_at = excluded.started_at
       WHERE spool_usage.deducted_at IS NULL`,
    );
    for (const s of slots) stmt.run(jobId, s.slot, s.spoolId, printerId, at);
  }

  /** A job's usage rows not yet deducted. */
  openUsage(jobId: string): UsageRow[] {
    return this.db.prepare('SELECT * FROM spool_usage WHERE job_id = ? AND deducted_at IS NULL ORDER BY slot').all(jobId) as UsageRow[];
  }

  /** Marks a usage row deducted; false when another end got there first (so the grams are not taken twice). */
  closeUsage(jobId: string, slot: number, fraction: number | null, grams: number, at: number): boolean {
    const r = this.db
      .prepare('UPDATE spool_usage SET fraction = ?, grams = ?, deducted_at = ? WHERE job_id = ? AND slot = ? AND deducted_at IS NULL')
      .run(fraction, grams, at, jobId, slot);
    return r.changes === 1;
  }

  usageOf(spoolId: string): SpoolUsageEntry[] {
    const rows = this.db.prepare('SELECT * FROM spool_usage WHERE spool_id = ? AND deducted_at IS NOT NULL ORDER BY deducted_at DESC, job_id').all(spoolId) as (UsageRow & {
      deducted_at: number;
      grams: number;
    })[];
    return rows.map((r) => ({ jobId: r.job_id, spoolId: r.spool_id, printerId: r.printer_id, grams: r.grams, fraction: r.fraction, at: r.deducted_at }));
  }
}

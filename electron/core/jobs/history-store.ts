import type { Db } from '../store/database';
import { DEFAULT_COST_SETTINGS } from '../contract/cost-types';
import { computeCostAnalytics } from '../costs/cost-analytics';
import { csvField } from '../materials/csv';
import { FINISHED_JOB_STATES, HISTORY_SOURCES, type FinishedJobState, type HistoryAnalytics, type HistoryEntry, type HistorySource } from '../contract/jobs-types';

interface HistoryRow {
  id: number;
  job_id: string;
  source: HistorySource;
  printer_id: string;
  printer_name: string;
  file_name: string;
  file_sha256: string | null;
  outcome: FinishedJobState;
  reason: string | null;
  started_at: number;
  ended_at: number;
  filament_mm: number | null;
  filament_g: number | null;
  material: string | null;
  cost_currency: string | null;
  cost_filament: number | null;
  cost_energy: number | null;
  cost_wear: number | null;
}

const DAY_MS = 86_400_000;

function fromRow(r: HistoryRow): HistoryEntry {
  return {
    id: r.id,
    jobId: r.job_id,
    source: r.source,
    printerId: r.printer_id,
    printerName: r.printer_name,
    fileName: r.file_name,
    fileSha256: r.file_sha256,
    outcome: r.outcome,
    reason: r.reason,
    startedAt: r.started_at,
    endedAt: r.ended_at,
    durationSeconds: Math.max(0, Math.round((r.ended_at - r.started_at) / 1000)),
    filamentMm: r.filament_mm,
    filamentG: r.filament_g,
    material: r.material,
    cost: r.cost_currency === null ? null : { currency: r.cost_currency, filament: r.cost_filament, energy: r.cost_energy, wear: r.cost_wear },
  };
}

export type NewHistoryEntry = Omit<HistoryEntry, 'id' | 'durationSeconds'>;

/** Every finished print, one row per job or print started by hand (the id is unique: a job can end only once). */
export class HistoryStore {
  private readonly insertStmt;

  constructor(private readonly db: Db) {
    this.insertStmt = db.prepare(
      `INSERT INTO history (job_id, source, printer_id, printer_name, file_name, file_sha256, outcome, reason, started_at, ended_at, filament_mm, filament_g, material,
         cost_currency, cost_filament, cost_energy, cost_wear)
       VALUES (@job_id, @source, @printer_id, @printer_name, @file_name, @file_sha256, @outcome, @reason, @started_at, @ended_at, @filament_mm, @filament_g, @material,
         @cost_currency, @cost_filament, @cost_energy, @cost_wear)`,
    );
  }

  insert(e: NewHistoryEntry): HistoryEntry {
    const row = toRowish(e);
    const info = this.insertStmt.run(row);
    return fromRow({ ...row, id: Number(info.lastInsertRowid) });
  }

  /** Adds a sentence to the reason of a job's entry (what happened after it ended); null when it has none. */
  appendReason(jobId: string, sentence: string): HistoryEntry | null {
    this.db.prepare(`UPDATE history SET reason = CASE WHEN reason IS NULL OR reason = '' THEN @s ELSE reason || ' ' || @s END WHERE job_id = @j`).run({ s: sentence, j: jobId });
    const row = this.db.prepare('SELECT * FROM history WHERE job_id = ?').get(jobId) as HistoryRow | undefined;
    return row ? fromRow(row) : null;
  }

  /** Newest first; `before` pages by id. */
  list(opts: { limit: number; before?: number | undefined; from?: number | undefined }): HistoryEntry[] {
    const rows = this.db
      .prepare(`SELECT * FROM history WHERE id < ? AND ended_at >= ? ORDER BY id DESC LIMIT ?`)
      .all(opts.before ?? Number.MAX_SAFE_INTEGER, opts.from ?? 0, opts.limit) as HistoryRow[];
    return rows.map(fromRow);
  }

  countForJob(jobId: string): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM history WHERE job_id = ?').get(jobId) as { n: number }).n;
  }

  inPeriod(from: number, to: number): HistoryEntry[] {
    return (this.db.prepare('SELECT * FROM history WHERE ended_at >= ? AND started_at < ? ORDER BY ended_at').all(from, to) as HistoryRow[]).map(fromRow);
  }
}

function toRowish(e: NewHistoryEntry): Omit<HistoryRow, 'id'> {
  return {
    job_id: e.jobId,
    source: e.source,
    printer_id: e.printerId,
    printer_name: e.printerName,
    file_name: e.fileName,
    file_sha256: e.fileSha256,
    outcome: e.outcome,
    reason: e.reason,
    started_at: e.startedAt,
    ended_at: e.endedAt,
    filament_mm: e.filamentMm,
    filament_g: e.filamentG,
    material: e.material,
    cost_currency: e.cost?.currency ?? null,
    cost_filament: e.cost?.filament ?? null,
    cost_energy: e.cost?.energy ?? null,
    cost_wear: e.cost?.wear ?? null,
  };
}

/**
 * Utilisation, success rate, filament by material and prints per day over [from, to). Pure over the entries,
 * so it is tested without a database. Utilisation counts only the part of each print inside the period.
 */
export function computeAnalytics(
  entries: readonly HistoryEntry[],
  from: number,
  to: number,
  printerNames: ReadonlyMap<string, string> = new Map(),
  currency = DEFAULT_COST_SETTINGS.currency,
): HistoryAnalytics {
  const byOutcome = Object.fromEntries(FINISHED_JOB_STATES.map((s) => [s, 0])) as Record<FinishedJobState, number>;
  const bySource = Object.fromEntries(HISTORY_SOURCES.map((s) => [s, 0])) as Record<HistorySource, number>;
  const perPrinter = new Map<string, { printerName: string; printingSeconds: number; jobs: number }>();
  const filament = new Map<string, { grams: number; mm: number }>();
  const firstDay = Math.floor(from / DAY_MS) * DAY_MS;
  const days = Math.max(1, Math.ceil((to - firstDay) / DAY_MS));
  const perDay = Array.from({ length: days }, (_, i) => ({ day: firstDay + i * DAY_MS, completed: 0, failed: 0 }));
  const periodSeconds = Math.max(1, (to - from) / 1000);

  for (const e of entries) {
    byOutcome[e.outcome]++;
    bySource[e.source]++;
    const p = perPrinter.get(e.printerId) ?? { printerName: printerNames.get(e.printerId) ?? e.printerName, printingSeconds: 0, jobs: 0 };
    p.printingSeconds += Math.max(0, Math.min(e.endedAt, to) - Math.max(e.startedAt, from)) / 1000;
    p.jobs++;
    perPrinter.set(e.printerId, p);
    if (e.filamentG !== null || e.filamentMm !== null) {
      const key = e.material?.trim() || 'Unknown';
      const f = filament.get(key) ?? { grams: 0, mm: 0 };
      f.grams += e.filamentG ?? 0;
      f.mm += e.filamentMm ?? 0;
      filament.set(key, f);
    }
    const day = perDay[Math.floor((e.endedAt - firstDay) / DAY_MS)];
    if (day) {
      if (e.outcome === 'completed') day.completed++;
      else if (e.outcome === 'failed' || e.outcome === 'interrupted') day.failed++;
    }
  }
  const decided = byOutcome.completed + byOutcome.failed + byOutcome.interrupted;
  return {
    from,
    to,
    total: entries.length,
    successRate: decided ? byOutcome.completed / decided : null,
    byOutcome,
    bySource,
    utilisation: [...perPrinter.entries()]
      .map(([printerId, p]) => ({
        printerId,
        printerName: p.printerName,
        printingSeconds: Math.round(p.printingSeconds),
        fraction: Math.min(1, p.printingSeconds / periodSeconds),
        jobs: p.jobs,
      }))
      .sort((a, b) => a.printerName.localeCompare(b.printerName)),
    filamentByMaterial: [...filament.entries()]
      .map(([material, f]) => ({ material, grams: Math.round(f.grams * 100) / 100, mm: Math.round(f.mm) }))
      .sort((a, b) => b.grams - a.grams),
    perDay,
    cost: computeCostAnalytics(entries, currency, printerNames),
  };
}

// New columns go last (`source`, then the cost), so the columns of exports made before them keep their places.
const CSV_COLUMNS = [
  'job_id',
  'printer',
  'file',
  'outcome',
  'reason',
  'started_at',
  'ended_at',
  'duration_s',
  'filament_mm',
  'filament_g',
  'material',
  'source',
  'cost_currency',
  'cost_filament',
  'cost_energy',
  'cost_wear',
] as const;

// The one CSV field writer (quoting and formula defusing), shared with the spools' CSV.
export { csvField };

export function historyCsv(entries: readonly HistoryEntry[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const e of entries) {
    lines.push(
      [
        e.jobId,
        e.printerName,
        e.fileName,
        e.outcome,
        e.reason,
        new Date(e.startedAt).toISOString(),
        new Date(e.endedAt).toISOString(),
        e.durationSeconds,
        e.filamentMm,
        e.filamentG,
        e.material,
        e.source,
        e.cost?.currency ?? null,
        e.cost?.filament ?? null,
        e.cost?.energy ?? null,
        e.cost?.wear ?? null,
      ]
        .map(csvField)
        .join(','),
    );
  }
  return lines.join('\r\n') + '\r\n';
}

import { newId } from './keys';
import type { JobStatus } from './lifecycle';
import type { Db } from './store';

/** What a pull-mode job asks of the printer that claims it (spec: job_offer.requirements). */
export interface JobRequirements {
  printer_model?: string;
  nozzle?: number;
  material?: string;
  /** Ours: a #RRGGBB code or a colour name. */
  color?: string;
  /** Ours: the grams of filament the job's file uses. */
  filament_grams?: number;
}

/** The latest file_progress a hub sent for the job. */
export interface FileTransfer {
  stage: 'downloading' | 'uploading' | 'complete' | 'failed';
  progress_percentage: number;
  error: string | null;
  at: number;
}

/** A print job as the database and the routes see it; timestamps in epoch ms. */
export interface JobRecord {
  id: string;
  name: string;
  status: JobStatus;
  /** 0–255, higher first. */
  priority: number;
  printerId: string | null;
  progress: number;
  /** A link given at creation (the old way), or null when the job prints an uploaded file. */
  fileUrl: string | null;
  fileId: string | null;
  /** Pull mode: with no printer, offered to every connected hub. */
  autoDispatch: boolean;
  requirements: JobRequirements;
  createdAt: number;
  updatedAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  failureReason: string | null;
  actualPrintTimeMinutes: number | null;
  fileTransfer: FileTransfer | null;
}

export type JobChanges = Partial<Omit<JobRecord, 'id' | 'createdAt' | 'updatedAt' | 'name' | 'fileUrl' | 'fileId' | 'autoDispatch' | 'requirements'>>;

export interface NewJob {
  name: string;
  fileUrl: string | null;
  fileId: string | null;
  priority: number;
  printerId: string | null;
  autoDispatch: boolean;
  requirements: JobRequirements;
}

export interface JobFilter {
  status?: JobStatus;
  printerId?: string;
  priority?: number;
  /** Inclusive bounds on created_at, epoch ms. */
  from?: number;
  to?: number;
}

interface JobRow {
  id: string;
  name: string;
  status: string;
  priority: number;
  printer_id: string | null;
  progress: number;
  file_url: string | null;
  file_id: string | null;
  auto_dispatch: number;
  requirements: string | null;
  created_at: number;
  updated_at: number;
  started_at: number | null;
  finished_at: number | null;
  failure_reason: string | null;
  actual_print_time_minutes: number | null;
  file_transfer: string | null;
}

function toRecord(row: JobRow): JobRecord {
  return {
    id: row.id,
    name: row.name,
    status: row.status as JobStatus,
    priority: row.priority,
    printerId: row.printer_id,
    progress: row.progress,
    fileUrl: row.file_url,
    fileId: row.file_id,
    autoDispatch: row.auto_dispatch === 1,
    requirements: row.requirements === null ? {} : (JSON.parse(row.requirements) as JobRequirements),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    failureReason: row.failure_reason,
    actualPrintTimeMinutes: row.actual_print_time_minutes,
    fileTransfer: row.file_transfer === null ? null : (JSON.parse(row.file_transfer) as FileTransfer),
  };
}

const COLUMNS: Record<keyof JobChanges, string> = {
  status: 'status',
  priority: 'priority',
  printerId: 'printer_id',
  progress: 'progress',
  startedAt: 'started_at',
  finishedAt: 'finished_at',
  failureReason: 'failure_reason',
  actualPrintTimeMinutes: 'actual_print_time_minutes',
  fileTransfer: 'file_transfer',
};

/** A job with no printer, queued, in pull mode: what hubs are offered. */
export function isOfferable(j: Pick<JobRecord, 'status' | 'printerId' | 'autoDispatch'>): boolean {
  return j.status === 'queued' && j.printerId === null && j.autoDispatch;
}

export class JobRepo {
  constructor(
    private readonly db: Db,
    private readonly now: () => number,
  ) {}

  create(j: NewJob): JobRecord {
    const id = newId('job_');
    const now = this.now();
    const requirements = Object.keys(j.requirements).length > 0 ? JSON.stringify(j.requirements) : null;
    this.db
      .prepare(
        `INSERT INTO jobs (id, name, status, priority, printer_id, progress, file_url, file_id, auto_dispatch, requirements,
           created_at, updated_at)
         VALUES (?, ?, 'queued', ?, ?, 0, ?, ?, ?, ?, ?, ?)`,
      )
      .run(id, j.name, j.priority, j.printerId, j.fileUrl, j.fileId, j.autoDispatch ? 1 : 0, requirements, now, now);
    return this.get(id)!;
  }

  get(id: string): JobRecord | null {
    const row = this.db.prepare<[string], JobRow>('SELECT * FROM jobs WHERE id = ?').get(id);
    return row ? toRecord(row) : null;
  }

  /** Newest first. */
  list(filter: JobFilter, page: number, perPage: number): { items: JobRecord[]; total: number } {
    const where: string[] = [];
    const args: unknown[] = [];
    const add = (sql: string, value: unknown) => (where.push(sql), args.push(value));
    if (filter.status !== undefined) add('status = ?', filter.status);
    if (filter.printerId !== undefined) add('printer_id = ?', filter.printerId);
    if (filter.priority !== undefined) add('priority = ?', filter.priority);
    if (filter.from !== undefined) add('created_at >= ?', filter.from);
    if (filter.to !== undefined) add('created_at <= ?', filter.to);
    const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    const total = (this.db.prepare(`SELECT COUNT(*) AS n FROM jobs ${clause}`).get(...args) as { n: number }).n;
    const rows = this.db.prepare<unknown[], JobRow>(`SELECT * FROM jobs ${clause} ORDER BY seq DESC LIMIT ? OFFSET ?`).all(...args, perPage, (page - 1) * perPage);
    return { items: rows.map(toRecord), total };
  }

  /** Every job hubs may claim, in queue order: priority high to low, then oldest first. */
  offerable(): JobRecord[] {
    return this.db.prepare<[], JobRow>(`SELECT * FROM jobs WHERE status = 'queued' AND printer_id IS NULL AND auto_dispatch = 1 ORDER BY priority DESC, seq`).all().map(toRecord);
  }

  /**
   * Gives an offered job to one printer, or does nothing when it is no longer offerable. The condition is in
   * the UPDATE itself, so two claims can never both win, whoever else writes to this database.
   */
  claim(id: string, printerId: string): boolean {
    const now = this.now();
    return (
      this.db
        .prepare(
          `UPDATE jobs SET status = 'processing', printer_id = ?, started_at = ?, updated_at = ?
           WHERE id = ? AND status = 'queued' AND printer_id IS NULL AND auto_dispatch = 1`,
        )
        .run(printerId, now, now, id).changes === 1
    );
  }

  update(id: string, changes: JobChanges): JobRecord | null {
    const sets: string[] = ['updated_at = ?'];
    const args: unknown[] = [this.now()];
    for (const [field, column] of Object.entries(COLUMNS) as [keyof JobChanges, string][]) {
      const value = changes[field];
      if (value === undefined) continue;
      sets.push(`${column} = ?`);
      args.push(field === 'fileTransfer' && value !== null ? JSON.stringify(value) : value);
    }
    const result = this.db.prepare(`UPDATE jobs SET ${sets.join(', ')} WHERE id = ?`).run(...args, id);
    return result.changes > 0 ? this.get(id) : null;
  }
}

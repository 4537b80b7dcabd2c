import { newId } from './keys';
import type { JobPriority, JobStatus } from './lifecycle';
import type { Db } from './store';

/** A print job as the database and the routes see it; timestamps in epoch ms. */
export interface JobRecord {
  id: string;
  name: string;
  status: JobStatus;
  priority: JobPriority;
  printerId: string | null;
  progress: number;
  fileUrl: string;
  createdAt: number;
  updatedAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  failureReason: string | null;
}

export type JobChanges = Partial<Omit<JobRecord, 'id' | 'createdAt' | 'updatedAt' | 'name' | 'fileUrl'>>;

export interface JobFilter {
  status?: JobStatus;
  printerId?: string;
  priority?: JobPriority;
  /** Inclusive bounds on created_at, epoch ms. */
  from?: number;
  to?: number;
}

interface JobRow {
  id: string;
  name: string;
  status: string;
  priority: string;
  printer_id: string | null;
  progress: number;
  file_url: string;
  created_at: number;
  updated_at: number;
  started_at: number | null;
  finished_at: number | null;
  failure_reason: string | null;
}

function toRecord(row: JobRow): JobRecord {
  return {
    id: row.id,
    name: row.name,
    status: row.status as JobStatus,
    priority: row.priority as JobPriority,
    printerId: row.printer_id,
    progress: row.progress,
    fileUrl: row.file_url,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    failureReason: row.failure_reason,
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
};

export class JobRepo {
  constructor(
    private readonly db: Db,
    private readonly now: () => number,
  ) {}

  create(j: { name: string; fileUrl: string; priority: JobPriority; printerId: string | null }): JobRecord {
    const id = newId('job_');
    const now = this.now();
    this.db
      .prepare(
        `INSERT INTO jobs (id, name, status, priority, printer_id, progress, file_url, created_at, updated_at)
         VALUES (?, ?, 'queued', ?, ?, 0, ?, ?, ?)`,
      )
      .run(id, j.name, j.priority, j.printerId, j.fileUrl, now, now);
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
    const rows = this.db
      .prepare<unknown[], JobRow>(`SELECT * FROM jobs ${clause} ORDER BY seq DESC LIMIT ? OFFSET ?`)
      .all(...args, perPage, (page - 1) * perPage);
    return { items: rows.map(toRecord), total };
  }

  update(id: string, changes: JobChanges): JobRecord | null {
    const sets: string[] = ['updated_at = ?'];
    const args: unknown[] = [this.now()];
    for (const [field, column] of Object.entries(COLUMNS) as [keyof JobChanges, string][]) {
      if (changes[field] === undefined) continue;
      sets.push(`${column} = ?`);
      args.push(changes[field]);
    }
    const result = this.db.prepare(`UPDATE jobs SET ${sets.join(', ')} WHERE id = ?`).run(...args, id);
    return result.changes > 0 ? this.get(id) : null;
  }
}
